"""An LF that reads glossary matches, computed again on items whose hits the vote cache
holds: the items' matches come from the match cache, or are matched before the LFs run,
so matching is timed as glossary matching (``match_seconds``), never as the LF's seconds.
Editing a one-line ``item.matched`` LF was charged 10-20 s of matching. A fake clock moved
only by the matcher keeps wall-clock time out of the test."""

from __future__ import annotations

import labelwright.apply.core as core
from labelwright.apply import Applier
from labelwright.data.dataset import read_dataset
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY, TICKETS

MATCH_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def billing_terms(item):
    return "billing" if item.matched("billing") else ABSTAIN
'''


def _apply(root):
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries, cache_dir=root / ".labelwright" / "cache",
                      lf_folder=project.config.lf_path, engine="local")
    return data, applier.apply(data)


def _counting_matcher(monkeypatch) -> list[int]:
    """Each match moves the runner's clock by 10 s; the list counts the matches."""
    now, calls = [0.0], [0]
    monkeypatch.setattr(core.time, "perf_counter", lambda: now[0])
    match = GlossaryMatcher.match

    def counted(self, doc, text=None):
        now[0] += 10.0
        calls[0] += 1
        return match(self, doc, text)

    monkeypatch.setattr(GlossaryMatcher, "match", counted)
    return calls


def _edit(root) -> None:
    path = root / "labeling_functions" / "terms.py"
    path.write_text(path.read_text().replace("else ABSTAIN", "else (ABSTAIN)"))


def test_matching_for_an_edited_lf_is_timed_as_matching_not_as_the_lf(make_project,
                                                                      monkeypatch):
    root = make_project(rows=TICKETS, lfs={"terms": MATCH_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    _, first = _apply(root)
    _edit(root)
    calls = _counting_matcher(monkeypatch)
    data, again = _apply(root)
    assert again.computed["billing_terms"] == len(data)
    assert calls[0] == len(data)  # no match cache entry: each item matched once
    assert again.lf_seconds["billing_terms"] == 0.0
    assert again.match_seconds == 10.0 * len(data)
    assert (again.matrix.votes == first.matrix.votes).all()
    assert again.term_hits.equals(first.term_hits)  # the known hits are not counted twice


def test_matches_the_match_cache_holds_are_read_not_matched_again(make_project, monkeypatch):
    root = make_project(rows=TICKETS, lfs={"terms": MATCH_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    data, first = _apply(root)
    shown = list(range(0, len(data), 2))  # as a review export shows some items' matches
    first.matches.prefetch(shown)
    _edit(root)
    calls = _counting_matcher(monkeypatch)
    _, again = _apply(root)
    assert calls[0] == len(data) - len(shown)
    assert again.lf_seconds["billing_terms"] == 0.0
    assert (again.matrix.votes == first.matrix.votes).all()
