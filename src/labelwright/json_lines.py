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


#: the characters a JSON string may hold as they are that some line splitters take for
#: line breaks (``str.splitlines``): escaped in a line labelwright prints, which is one line
#: whatever reads it
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def json_line(record: object) -> str:
    """``record`` as one line of JSON (no line feed at its end): keys in the order given,
    text as is but for the characters of :data:`_LINE_BREAKS`, escaped; a value JSON has no
    type for (a path) as its text."""
    import json

    line = json.dumps(record, ensure_ascii=False, default=str)
    return re.sub("[\u2028\u2029\u0085]", lambda m: _LINE_BREAKS[m.group()], line)
