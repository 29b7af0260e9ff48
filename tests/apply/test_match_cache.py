"""The match cache: a re-run reads the review items' glossary matches back, never stale."""

from __future__ import annotations

import json

import numpy as np
import pytest

from labelwright.apply import Applier
from labelwright.apply.core import ChunkRunner
from labelwright.data.dataset import read_dataset
from labelwright.lfs.item import GlossaryMatch
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY
from ticket_data import TICKETS_WITH_NEGATION as TICKETS

LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''


@pytest.fixture
def root(make_project):
    return make_project(rows=TICKETS, gold=None, lfs={"tickets": LFS},
                        glossaries={"billing": BILLING_GLOSSARY}, extra="random_sample = 2\n")


def _apply(root, cache=True):
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries,
                      cache_dir=root / ".labelwright" / "cache" if cache else None,
                      lf_folder=project.config.lf_path)
    return data, applier.apply(data)


def _all_matches(result):
    result.matches.prefetch(range(len(result.matches)))
    return [list(result.matches[i]) for i in range(len(result.matches))]


@pytest.fixture
def no_matching(monkeypatch):
    """Matching an item again fails the test."""
    def refuse(self, texts):
        raise AssertionError(f"matched {len(texts)} items again")

    monkeypatch.setattr(ChunkRunner, "match_texts", refuse)


def test_a_rerun_reads_every_field_of_the_matches_back(root, monkeypatch):
    _, fresh = _apply(root, cache=False)
    expected = _all_matches(fresh)
    # the example covers a note, a synonym's text and a match an exclusion cancelled
    found = [m for matches in expected for m in matches]
    assert any(m.note for m in found) and any(m.excluded_by for m in found)
    assert any(m.text != m.term for m in found)
    _, first = _apply(root)
    assert _all_matches(first) == expected
    calls = []
    monkeypatch.setattr(ChunkRunner, "match_texts",
                        lambda self, texts: calls.append(texts) or [[] for _ in texts])
    _, second = _apply(root)
    assert set(second.computed.values()) == {0}
    assert _all_matches(second) == expected
    assert calls == [] and second.matches.cached == len(expected)


def test_a_changed_glossary_is_not_read_from_the_match_cache(root):
    _apply(root)
    glossary = root / "glossaries" / "billing.yaml"
    glossary.write_text(glossary.read_text().replace("Invoices are billing questions.",
                                                     "Invoices: billing."))
    _, again = _apply(root)
    notes = {m.note for matches in _all_matches(again) for m in matches}
    assert "Invoices: billing." in notes and "Invoices are billing questions." not in notes
    _, fresh = _apply(root, cache=False)
    assert _all_matches(again) == _all_matches(fresh)


def test_a_damaged_match_cache_entry_is_a_miss(root):
    _, first = _apply(root)
    expected = _all_matches(first)
    (entry,) = (root / ".labelwright" / "cache" / "matches").glob("*.npz")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    _, again = _apply(root)
    assert _all_matches(again) == expected and again.matches.cached == 0
    _, third = _apply(root)  # stored anew
    assert _all_matches(third) == expected and third.matches.cached == len(expected)


def test_without_the_cache_matches_are_computed(root, no_matching, monkeypatch):
    _apply(root)
    monkeypatch.setattr("labelwright.apply.cell_plan.KEEP_MATCHES_UP_TO", 0)  # none kept
    _, again = _apply(root, cache=False)
    with pytest.raises(AssertionError, match="matched 6 items again"):
        again.matches.prefetch(range(len(again.matches)))


def test_rows_stored_later_replace_earlier_ones_and_unused_strings_go(tmp_path):
    from labelwright.apply.match_cache import MatchCache

    cache = MatchCache(tmp_path, "k")

    def match(term, note=None, excluded_by=None):
        return GlossaryMatch("g", "billing", term, term.upper(), 1, 2, note=note,
                             excluded_by=excluded_by)

    cache.store(np.array([5, 3], dtype=np.uint64), [[match("a", "NOTE")], []])
    cache.store(np.array([3, 9], dtype=np.uint64),
                [[match("b"), match("c", excluded_by="no")], [match("d")]])
    assert cache.lookup(np.array([9, 5, 3, 4], dtype=np.uint64)) == {
        0: [match("d")], 1: [match("a", "NOTE")], 2: [match("b"), match("c", excluded_by="no")]}
    cache.store(np.array([5], dtype=np.uint64), [[]])
    assert cache.lookup(np.array([5], dtype=np.uint64)) == {0: []}
    with np.load(cache.path) as entry:
        table = entry["table"].tobytes().decode()
    assert "NOTE" not in table and "A" not in table and list(cache.folder.iterdir()) == [cache.path]


def _masked(run):
    return {name: (run / name).read_text(encoding="utf-8").replace(run.name, "RUN")
            for name in ("review.csv", "review.jsonl", "sample.csv", "sample.jsonl",
                         "glossary_hits.csv")}


def test_a_rerun_writes_the_same_review_files_without_matching_again(root, cli, monkeypatch):
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    first = max((root / "runs").glob("2*"))
    records = [json.loads(line) for line in (first / "review.jsonl").read_text().splitlines()]
    assert any(r["glossary_matches"] for r in records)
    monkeypatch.setattr(ChunkRunner, "match_texts",
                        lambda self, texts: pytest.fail("matched the review items again"))
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    second = max((root / "runs").glob("2*"))
    assert second != first and _masked(second) == _masked(first)
    monkeypatch.undo()
    assert cli("run", "-p", str(root), "--no-report", "--no-cache")[0] == 0
    third = max((root / "runs").glob("2*"))
    assert _masked(third) == _masked(first)


def test_only_the_newest_entries_are_kept(tmp_path):
    from labelwright.apply.match_cache import KEEP_ENTRIES, MatchCache

    hashes = np.array([1], dtype=np.uint64)
    for k in range(KEEP_ENTRIES + 2):
        MatchCache(tmp_path, f"matches-{k}").store(hashes, [[]])
    kept = sorted(p.name for p in (tmp_path / "matches").iterdir())
    assert kept == [f"matches-{k}.npz" for k in range(2, KEEP_ENTRIES + 2)]
