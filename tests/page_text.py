"""The report's text as it reads: user names and texts without the elements that isolate
their direction (``<bdi>`` in the page, ``<tspan unicode-bidi="plaintext">`` in its plots),
for tests that look for a sentence or a cell's words, not for the markup around them."""

from __future__ import annotations

import re

_ISOLATES = re.compile(r'</?bdi>|<tspan unicode-bidi="plaintext">|</tspan>')


def unisolated(html: str) -> str:
    return _ISOLATES.sub("", html)
