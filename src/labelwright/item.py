"""What a labeling function receives: one item with its text, fields, Doc and glossary matches."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class GlossaryMatch:
    """One glossary term found in an item."""

    glossary: str  # glossary name
    label: str  # the label the glossary votes for
    term: str  # canonical term (the synonym's head term)
    text: str  # the text that matched
    start: int  # token offsets in the item's Doc
    end: int
    note: str | None = None  # the term's note for reviewers
    excluded_by: str | None = None  # an exclusion phrase nearby that cancels the match

    @property
    def active(self) -> bool:
        return self.excluded_by is None


class Item:
    """One row of the dataset, as labeling functions see it.

    ``item.id`` and ``item.text`` always exist; the row's other columns are read as
    attributes (``item.plan``) or from ``item.fields``. ``item.doc`` is the spaCy Doc,
    parsed once per item for all LFs. ``item.matches`` lists glossary matches that no
    exclusion cancelled; ``item.matched("billing_terms")`` filters them by glossary.
    """

    def __init__(
        self,
        id: str,
        text: str,
        fields: dict[str, Any] | None = None,
        doc: Doc | None = None,
        matches: list[GlossaryMatch] | None = None,
        parse: Callable[[str], Doc] | None = None,
    ) -> None:
        self.id = id
        self.text = text
        self.fields = fields or {}
        self._doc = doc
        self._parse = parse
        self.all_matches = matches or []

    @property
    def doc(self) -> Doc:
        if self._doc is None:
            if self._parse is None:
                raise AttributeError("this item has no Doc: no spaCy pipeline was given")
            self._doc = self._parse(self.text)
        return self._doc

    @doc.setter
    def doc(self, value: Doc) -> None:  # snorkel preprocessors assign x.doc
        self._doc = value

    @property
    def matches(self) -> list[GlossaryMatch]:
        return [m for m in self.all_matches if m.excluded_by is None]

    def matched(
        self, glossary: str | None = None, *, label: str | None = None
    ) -> list[GlossaryMatch]:
        """Active matches, optionally only of one glossary or of glossaries for one label."""
        return [
            m
            for m in self.all_matches
            if m.excluded_by is None
            and (glossary is None or m.glossary == glossary)
            and (label is None or m.label == label)
        ]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("fields", "_doc", "_parse", "all_matches"):
            raise AttributeError(name)
        try:
            return self.fields[name]
        except KeyError:
            valid = ", ".join(["id", "text", "doc", "matches", *self.fields])
            raise AttributeError(
                f"item {self.id!r} has no field {name!r}; available: {valid}"
            ) from None

    def __getitem__(self, name: str) -> Any:  # x["text"] as in pandas-row LFs
        if name in ("id", "text"):
            return getattr(self, name)
        return self.fields[name]

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"Item(id={self.id!r}, text={text!r})"
