"""Glossary hits counted per term and per phrase (labelwright.apply.hit_tables)."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from labelwright.apply.chunks import HIT_DTYPE
from labelwright.apply.hit_tables import hit_tables
from labelwright.glossaries.core import Glossary, Term


def counted(hits: np.ndarray, width: int) -> dict[tuple[int, ...], tuple[int, int]]:
    """(items with a match not cancelled, items with every match cancelled) per key of the
    first ``width`` of (glossary, term, phrase), item by item."""
    per_item: dict[tuple[int, ...], dict[int, bool]] = defaultdict(dict)
    for hit in hits.tolist():
        row, key, cancelled = hit[0], tuple(hit[1:1 + width]), hit[4]
        per_item[key][row] = per_item[key].get(row, True) and cancelled
    return {key: (sum(not c for c in rows.values()), sum(rows.values()))
            for key, rows in per_item.items()}


def test_term_and_phrase_counts_follow_each_item_s_matches():
    glossaries = [Glossary("money", "billing", "lowercase",
                           (Term("refund", synonyms=("chargeback", "money back")),
                            Term("invoice", synonyms=("bill",)))),
                  Glossary("tech", "technical", "lowercase",
                           (Term("crash", synonyms=("freeze", "hang")), Term("error")))]
    shape = [[3, 2], [3, 1]]  # phrases per term per glossary
    rng = np.random.default_rng(3)
    for _ in range(30):
        n = int(rng.integers(0, 200))
        hits = np.zeros(n, HIT_DTYPE)
        hits["row"] = rng.integers(0, 40, n)
        hits["glossary"] = rng.integers(0, 2, n)
        hits["term"] = rng.integers(0, 2, n)
        hits["phrase"] = [rng.integers(0, shape[g][t])
                          for g, t in zip(hits["glossary"], hits["term"], strict=True)]
        hits["cancelled"] = rng.random(n) < 0.3
        terms, phrases = hit_tables(glossaries, hits)
        by_term, by_phrase = counted(hits, 2), counted(hits, 3)
        assert len(terms) == 4 and len(phrases) == 9
        for g, glossary in enumerate(glossaries):
            for t, term in enumerate(glossary.terms):
                row = terms[(terms["glossary"] == glossary.name) & (terms["term"] == term.term)]
                assert tuple(row[["hits", "cancelled"]].iloc[0]) == by_term.get((g, t), (0, 0))
                for p, phrase in enumerate(term.phrases):
                    row = phrases[(phrases["glossary"] == glossary.name)
                                  & (phrases["phrase"] == phrase)]
                    assert tuple(row[["hits", "cancelled"]].iloc[0]) == \
                        by_phrase.get((g, t, p), (0, 0))
        assert terms["hits"].dtype == phrases["hits"].dtype == np.int64
