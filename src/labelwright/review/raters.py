"""Rater names that differ only in how they were typed.

The ledger tells raters apart by their exact names: ``Lead`` and ``lead`` are two raters,
and only the one written in ``[review] adjudicators`` settles items. A name typed with
another case, Unicode form or spacing than a rater already has is almost always that
rater, and filed as a second one it changes ties, adjudication and every kappa. So an
import refuses such a name (:func:`lookalikes`), and runs and ``review stats`` warn where
``[review] adjudicators`` and the ledger's raters differ that way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable


def name_key(name: str) -> str:
    """What two spellings of one rater's name share: compatibility-normalised (NFKC), case
    folded, and with every run of spaces one space, none at either end."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def lookalikes(names: Iterable[str], known: Collection[str]) -> dict[str, list[str]]:
    """``{name: [names it may be]}`` for each of ``names`` that is not one of ``known`` but
    shares its :func:`name_key` with one of them, or with another of ``names`` that is not
    known either (one file spelling a new rater two ways)."""
    names = sorted(set(names) - set(known))
    by_key: dict[str, list[str]] = {}
    for name in sorted(known):
        by_key.setdefault(name_key(name), []).append(name)
    out = {}
    for name in names:
        others = by_key.get(name_key(name), []) + [
            other for other in names if other != name and name_key(other) == name_key(name)]
        if others:
            out[name] = others
    return out
