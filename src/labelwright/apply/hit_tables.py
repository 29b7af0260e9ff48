"""Glossary hits, counted: per term (``glossary_hits.csv``) and per phrase, the term or one
of its synonyms (``glossary_phrase_hits.csv``), from the hit records the matcher leaves
per item (:data:`~labelwright.apply.chunks.HIT_DTYPE`: row, glossary, term, phrase and
whether an exclusion cancelled that match).

``hits`` counts the items where the term (phrase) matched and no exclusion cancelled it,
``cancelled`` the items where every match of it was cancelled; a term or phrase that never
matched has 0 in both, so every one is listed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from labelwright.glossaries.core import Glossary

TERM_HIT_COLUMNS = ["glossary", "term", "label", "hits", "cancelled"]
PHRASE_HIT_COLUMNS = ["glossary", "term", "phrase", "label", "hits", "cancelled"]
#: phrases that matched no item the console names (the CSV and the report list them all)
SHOWN_PHRASES = 5


Counts = dict[tuple[int, ...], tuple[int, int]]


def _counts(per_item: pd.Series, keys: list[str]) -> Counts:
    """(hits, cancelled) per distinct value of the ``keys`` levels of ``per_item`` (per
    item and key: whether every match there was cancelled)."""
    counts = per_item.groupby(level=keys).agg(["size", "sum"])
    found = {}
    for key, size, all_cancelled in zip(counts.index, counts["size"], counts["sum"]):
        at = tuple(int(k) for k in (key if isinstance(key, tuple) else (key,)))
        found[at] = (int(size - all_cancelled), int(all_cancelled))
    return found


def _term_and_phrase_counts(hits: np.ndarray) -> tuple[Counts, Counts]:
    """:func:`_counts` per term and per phrase. The hits are grouped once, per phrase and
    item; a term's item is cancelled when each of its phrases' matches there is."""
    if not len(hits):
        return {}, {}
    keys = ["glossary", "term", "phrase"]
    frame = pd.DataFrame({**{key: hits[key] for key in keys}, "row": hits["row"],
                          "cancelled": hits["cancelled"]})
    per_phrase = frame.groupby([*keys, "row"], sort=False)["cancelled"].min()
    per_term = per_phrase.groupby(level=["glossary", "term", "row"], sort=False).min()
    return _counts(per_term, ["glossary", "term"]), _counts(per_phrase, keys)


def hit_tables(glossaries: Sequence[Glossary], hits: np.ndarray
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per glossary term, per phrase of each term: the term first, then its synonyms),
    every one, matched or not, with ``hits`` and ``cancelled``."""
    per_term, per_phrase = _term_and_phrase_counts(hits)
    terms = [(glossary.name, term.term, glossary.label, *per_term.get((g, t), (0, 0)))
             for g, glossary in enumerate(glossaries) for t, term in enumerate(glossary.terms)]
    phrases = [(glossary.name, term.term, phrase, glossary.label,
                *per_phrase.get((g, t, p), (0, 0)))
               for g, glossary in enumerate(glossaries) for t, term in enumerate(glossary.terms)
               for p, phrase in enumerate(term.phrases)]
    return (pd.DataFrame(terms, columns=TERM_HIT_COLUMNS),
            pd.DataFrame(phrases, columns=PHRASE_HIT_COLUMNS))


def unmatched_phrases_line(phrase_hits: pd.DataFrame, *, written: bool) -> str | None:
    """``glossaries: 1,195 of 1,408 phrases matched no item (...)``: a term's hits count its
    synonyms', so a glossary can show hits on every term while most of its spellings occur
    nowhere; None when every phrase matched (or there are no glossaries). ``written``: the
    run wrote ``glossary_phrase_hits.csv`` (``analyze`` writes nothing)."""
    if phrase_hits.empty or not {"hits", "cancelled"} <= set(phrase_hits.columns):
        return None
    unmatched = phrase_hits[(phrase_hits["hits"] == 0) & (phrase_hits["cancelled"] == 0)]
    never = len(unmatched)
    if not never:
        return None
    where = ("each phrase's hits are in the run's glossary_phrase_hits.csv; the report names "
             "them" if written else "`labelwright run` writes each phrase's hits")
    return (f"glossaries: {never:,} of {len(phrase_hits):,} phrases (terms and their "
            f"synonyms) matched no item ({_named(unmatched)}; {where})")


def _named(unmatched: pd.DataFrame, shown: int = SHOWN_PHRASES) -> str:
    """The first ``shown`` phrases of ``unmatched``, by glossary: ``bug: 'pantalla en
    blanco'; elogio: 'frase 0', 'frase 1' and 3 more`` (the count a line alone gave sent
    the user to the CSV to learn which two of 56)."""
    first = unmatched.head(shown)
    groups: dict[str, list[str]] = {}
    for glossary, phrase in zip(first["glossary"], first["phrase"]):
        groups.setdefault(str(glossary), []).append(repr(str(phrase)))
    text = "; ".join(f"{name}: {', '.join(phrases)}" for name, phrases in groups.items())
    more = len(unmatched) - len(first)
    return text + (f" and {more:,} more" if more > 0 else "")
