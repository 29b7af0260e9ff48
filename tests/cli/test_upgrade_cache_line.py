"""The line after an upgrade naming the caches that missed because their keys hold
labelwright's own code (cli.run_output.upgrade_cache_line)."""

from __future__ import annotations

from types import SimpleNamespace

from labelwright.cli.run_output import upgrade_cache_line


def _manifest(doc_hits, ranking_reused, refreshed=False):
    return {"apply": {"doc_cache": {"used": True, "hits": doc_hits}},
            "triage": {"ranking_cache": {"used": True, "reused": ranking_reused,
                                         "refreshed": refreshed}}}


def test_the_doc_match_and_ranking_caches_that_missed_are_named_with_why():
    """The first run after an upgrade parsed, matched and ranked afresh, and said only
    "review ranking: computed": the Doc cache's miss was not said at all."""
    moved = SimpleNamespace(pipeline={"a": {}, "b": {}})
    said = upgrade_cache_line(moved, _manifest(0, False))
    assert said == ("caches missed once after the upgrade: the Doc and match caches (the "
                    "spaCy pipeline's fingerprint, which holds labelwright's text-processing "
                    "code, moved: every text parsed and matched again) and the ranking cache "
                    "(its key holds labelwright's ranking and end-model code: the queue "
                    "ranked again)")
    same = SimpleNamespace(pipeline=None)  # the same pipeline: its misses are not the code's
    assert upgrade_cache_line(same, _manifest(0, False)) == (
        "caches missed once after the upgrade: the ranking cache (its key holds "
        "labelwright's ranking and end-model code: the queue ranked again)")
    assert upgrade_cache_line(moved, _manifest(12, True)) is None  # both read back
    assert upgrade_cache_line(same, _manifest(0, False, refreshed=True)) is None  # --no-cache
