"""How labelwright splits a JSON-lines text it wrote or reads (review exports, the runs
folder's records): at line feeds only. Texts and names are written as they are, and a
JSON string may then hold U+2028, U+2029 or U+0085 unescaped, which ``str.splitlines``
would take for line breaks, cutting a record in two."""

from __future__ import annotations

import re


def jsonl_lines(text: str, keepends: bool = False) -> list[str]:
    """The lines of ``text``. ``keepends``: each keeps its line feed (the last one may have
    none), for rewriting the text line by line."""
    return [line for line in re.split("(?<=\n)", text) if line] if keepends \
        else text.split("\n")
