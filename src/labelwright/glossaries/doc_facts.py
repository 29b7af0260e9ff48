"""What matching asks of one Doc's text, worked out at most once per Doc whichever matcher
kind asks first: whether it may hold a space token, and where the lines and list items
that stop an exclusion's window start.

Apart from :mod:`~labelwright.glossaries.matching` because these are facts of the text,
the same for every glossary; the matcher only asks them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from labelwright.glossaries.match_route import may_have_space_token
from labelwright.glossaries.words import line_starts, list_item_starts

if TYPE_CHECKING:
    from spacy.tokens import Doc


class DocFacts:
    """A Doc and its ``text``, with the facts matching asks of them, each found when first
    asked (``hyphens``: whether a hyphen joining two words reads as a space)."""

    __slots__ = ("_item_starts", "_lines", "_spaced", "ascii", "doc", "hyphens", "text")

    def __init__(self, doc: Doc, text: str, *, hyphens: bool) -> None:
        self.doc = doc
        self.text = text
        self.ascii = text.isascii()
        self.hyphens = hyphens
        self._spaced: bool | None = None
        self._lines: list[int] | None = None
        self._item_starts: list[int] | None = None

    def spaced(self) -> bool:
        """May the Doc hold a space token (which can split a phrase of several words)?"""
        if self._spaced is None:
            self._spaced = may_have_space_token(self.text, self.ascii, hyphens=self.hyphens)
        return self._spaced

    def window_starts(self, stops_at: str) -> list[int]:
        """Where the tokens that start a line (``stops_at`` ``"line"``), else a list item,
        are: an exclusion's window stops there. Found once per Doc (a 10 MB text matched
        750,000 times: a search of the text per match took minutes)."""
        if self._lines is None:
            self._lines = line_starts(self.doc) if "\n" in self.text or "\r" in self.text \
                else []
        if stops_at == "line":
            return self._lines
        if self._item_starts is None:
            self._item_starts = list_item_starts(self.doc, self._lines)
        return self._item_starts
