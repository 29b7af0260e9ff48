"""A glossary whose LF is left out (``project.without_lfs("glossary:money")``) stays in the
project and its hits are counted on every run: the same hit tables with a cold vote cache,
with every vote read from it and with no cache, never "0 hits" because no LF needed the
matches or the votes came from the cache."""

from __future__ import annotations

import pandas as pd

from labelwright.project import load_project, run_project
from ticket_data import BILLING_GLOSSARY

SPEC = {"name": "crashing", "label": "technical", "mode": "lowercase",
        "terms": ["crashes", "error", "never said anywhere"]}


def _tables(result):
    return (pd.read_csv(result.run_dir / "glossary_hits.csv"),
            pd.read_csv(result.run_dir / "glossary_phrase_hits.csv"))


def _same(a, b):
    for x, y in zip(_tables(a), _tables(b), strict=True):
        pd.testing.assert_frame_equal(x, y)


def _occurrences(root, term):
    texts = pd.read_csv(root / "data" / "items.csv")["text"]
    return sum(term in text.lower() for text in texts)


def test_a_file_glossary_without_its_lf_has_the_same_hits_cold_cached_and_uncached(
        make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    project = load_project(root).without_lfs("glossary:money")
    assert [g.name for g in project.glossaries] == ["money"]
    cold = run_project(project=project, report=False)
    cached = run_project(project=project, report=False)
    assert set(cached.applied.computed.values()) == {0}  # every vote from the cache
    uncached = run_project(project=project, report=False, cache=False)
    _same(cold, cached)
    _same(cold, uncached)
    terms, _ = _tables(cold)
    assert terms.set_index("term").loc["invoice", "hits"] == _occurrences(root, "invoice") > 0


def test_a_glossary_added_to_cached_votes_is_matched(make_project):
    """Every vote was cached by a run before the glossary was added, and no LF reads
    matches: the glossary is matched all the same, and the next run reads its hits back."""
    root = make_project()
    run_project(project=load_project(root), report=False)
    project = load_project(root).with_glossaries(SPEC).without_lfs("glossary:crashing")
    first = run_project(project=project, report=False)
    assert set(first.applied.computed.values()) == {0}
    again = run_project(project=project, report=False)
    _same(first, again)
    _same(first, run_project(project=project, report=False, cache=False))
    hits = _tables(first)[0].set_index("term")["hits"]
    for term in SPEC["terms"]:
        assert hits[term] == _occurrences(root, term)
    assert hits["crashes"] > 0
