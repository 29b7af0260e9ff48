"""A value as labelwright.toml takes it, for the lines of settings a message gives to paste
(``[review] same_rater``, ``[data] path``, ``[project] renamed``)."""

from __future__ import annotations

import json


def toml_string(value: str) -> str:
    """``value`` as a TOML basic string (a value, or a quoted key) that reads back as
    ``value``: JSON's escapes, which are all TOML's, with each letter as written (JSON's
    ASCII form writes one past U+FFFF as a surrogate pair, which TOML refuses) and DEL
    escaped (TOML takes no control character unescaped; JSON leaves DEL as it is)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
