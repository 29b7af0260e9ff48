"""The line each key of a TOML document is written on, which ``tomllib`` does not give.

tomllib names the line of a syntax error, but a key that is valid TOML and a wrong setting
(``[review] budgt = 5``) comes back as a plain dict entry. :func:`key_lines` reads the text
again and maps the path of each table and key (``("review", "budgt")``) to its line:
``[table]`` and ``[a.b]`` headers, dotted keys (``review.budget = 5``, at the top or in a
table), quoted keys and the keys of inline tables (``params = {epochs = 3}``). A table
defined only by a longer path (``a`` of ``[a.b]``) is placed where it first appears. An
array of tables (``[[a]]``) is placed at its first header; the keys of its elements, and
of tables inside arrays, have no path of their own and are left out. A document this
reading does not agree with tomllib's on gives no lines at all: a caller names no line
rather than a wrong one.

A document tomllib refuses because a key is set twice gets :func:`set_before`: the key
written on the line tomllib names, and the line it was first set on.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any

KeyPath = tuple[str, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL_STRING = re.compile(r"'[^'\n]*'")
# a closing delimiter may follow up to two quotes of the content ("""a"""" ends in a quote)
_MULTILINE_BASIC = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2})?', re.DOTALL)
_MULTILINE_LITERAL = re.compile(r"'''(?:[^']|'(?!''))*'''(?:'{1,2})?", re.DOTALL)
# a date-time may hold a space ("1979-05-27 07:32:00"); any other value ends at one
_SCALAR = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}[^\s,\]}#]*|[^\s,\]}#]+")
_BLANK = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")
_SPACES = re.compile(r"[ \t]*")


class _Unread(ValueError):
    """The text holds what this reading does not expect where it is."""


def key_lines(text: str, parsed: dict[str, Any] | None = None) -> dict[KeyPath, int]:
    """The 1-based line of each table and key ``text`` defines (see the module docstring),
    or ``{}`` when ``text`` is no TOML or the paths read differ from tomllib's (``parsed``:
    tomllib's reading of ``text``, when the caller has it)."""
    try:
        parsed = tomllib.loads(text) if parsed is None else parsed
        lines = _Reader(text).read()
    except (tomllib.TOMLDecodeError, _Unread):
        return {}
    return lines if set(lines) == set(_paths(parsed)) else {}


def set_before(text: str, line: int) -> tuple[KeyPath, int] | None:
    """The path of the table or key ``line`` sets again, and the line that first set it
    (or a key inside it: ``a.x = 1`` declares ``[a]``), or None when the reading stops
    before ``line`` or finds no earlier one. For a document tomllib refused with "Cannot
    overwrite a value" or "Cannot declare ... twice" at ``line``."""
    reader = _Reader(text)
    try:
        reader.read()
    except _Unread:  # a later line tomllib never reached: what was read is enough
        pass
    here = [path for path, at in reader.written if at == line]
    if not here:
        return None
    path = here[-1]
    # the path itself, else the longest part of it set before (x.y = 2 after x = 1)
    for size in range(len(path), 0, -1):
        first = next((at for earlier, at in reader.written
                      if at < line and earlier[:size] == path[:size]), None)
        if first is not None:
            return path[:size], first
    return None


def _paths(table: Mapping[str, Any], prefix: KeyPath = ()) -> list[KeyPath]:
    """Every table and key path of a parsed document, not into arrays."""
    out = []
    for key, value in table.items():
        out.append((*prefix, key))
        if isinstance(value, dict):
            out.extend(_paths(value, (*prefix, key)))
    return out


class _Reader:
    """One pass over a document tomllib accepted, recording where each path is written."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lines: dict[KeyPath, int] = {}
        self.implicit: set[KeyPath] = set()  # placed only as part of a longer path
        self.arrays: set[KeyPath] = set()  # arrays of tables: their elements are not placed
        self.written: list[tuple[KeyPath, int]] = []  # every path placed, and its line

    def read(self) -> dict[KeyPath, int]:
        table: KeyPath | None = ()
        while self._skip(_BLANK) < len(self.text):
            line = self._line()
            array = self._take("[[")
            if array or self._take("["):
                path = self._key()
                self._expect("]]" if array else "]")
                # a table in an element of an array of tables: no path of its own
                table = None if array or self._in_array(path) else path
                if not self._in_array(path):
                    self._place(path, line)
                if array:
                    self.arrays.add(path)
            else:
                self._key_value(table)
        return self.lines

    def _in_array(self, path: KeyPath) -> bool:
        return any(path[:i] in self.arrays for i in range(1, len(path)))

    def _key_value(self, table: KeyPath | None) -> None:
        """``key = value``; its paths are placed under ``table`` (None: not placed)."""
        line = self._line()
        key = self._key()
        self._skip(_SPACES)
        self._expect("=")
        self._skip(_SPACES)
        path = None if table is None else (*table, *key)
        if path is not None:
            self._place(path, line)
        self._value(path)

    def _value(self, path: KeyPath | None) -> None:
        if self._take("["):  # an array: what is inside has no path of its own
            while self._skip(_BLANK) < len(self.text) and not self._take("]"):
                self._value(None)
                self._skip(_BLANK)
                self._take(",")
            return
        if self._take("{"):
            while self._skip(_BLANK) < len(self.text) and not self._take("}"):
                self._key_value(path)
                self._skip(_BLANK)
                self._take(",")
            return
        for pattern in (_MULTILINE_BASIC, _MULTILINE_LITERAL, _BASIC_STRING, _LITERAL_STRING,
                        _SCALAR):
            if pattern.match(self.text, self.pos):
                self._skip(pattern)
                return
        raise _Unread(self.pos)

    def _key(self) -> KeyPath:
        """A key, dotted or not, each part bare or quoted."""
        parts = []
        while True:
            self._skip(_SPACES)
            if _BASIC_STRING.match(self.text, self.pos):
                start = self.pos
                self._skip(_BASIC_STRING)
                # the escapes of a quoted key are those of a string value: tomllib reads them
                parts.append(tomllib.loads(f"k = {self.text[start:self.pos]}")["k"])
            elif _LITERAL_STRING.match(self.text, self.pos):
                start = self.pos
                self._skip(_LITERAL_STRING)
                parts.append(self.text[start + 1:self.pos - 1])
            elif _BARE_KEY.match(self.text, self.pos):
                start = self.pos
                self._skip(_BARE_KEY)
                parts.append(self.text[start:self.pos])
            else:
                raise _Unread(self.pos)
            self._skip(_SPACES)
            if not self._take("."):
                return tuple(parts)

    def _place(self, path: KeyPath, line: int) -> None:
        """``path`` is defined on ``line``, and so are the tables on the way to it that
        have no place yet; a table's own header replaces where a longer path put it."""
        self.written.append((path, line))
        for i in range(1, len(path)):
            if path[:i] not in self.lines:
                self.lines[path[:i]] = line
                self.implicit.add(path[:i])
        if path not in self.lines or path in self.implicit:
            self.lines[path] = line
            self.implicit.discard(path)

    def _line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def _skip(self, pattern: re.Pattern[str]) -> int:
        match = pattern.match(self.text, self.pos)
        if match is not None:
            self.pos = match.end()
        return self.pos

    def _take(self, token: str) -> bool:
        if self.text.startswith(token, self.pos):
            self.pos += len(token)
            return True
        return False

    def _expect(self, token: str) -> None:
        if not self._take(token):
            raise _Unread(self.pos)
