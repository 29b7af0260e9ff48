"""Cache files are made with the umask's mode, as a run's files are (``tempfile.mkstemp``
made them 0600, so a CI runner of another user could not read a shared cache)."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
from scipy import sparse

from labelwright.apply.cache import VoteCache, save_npz
from labelwright.end_model.term_counts import _store


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_vote_cache_entries_honour_the_umask(tmp_path, umask_022):
    cache = VoteCache(tmp_path)
    cache.store("k", np.array([1, 2], dtype=np.uint64), np.array([0, 1]), np.zeros(2, bool))
    assert _mode(tmp_path / "votes" / "k.npz") == 0o644
    save_npz(tmp_path / "doc.npz", a=np.arange(3))  # the Doc cache's writer
    assert _mode(tmp_path / "doc.npz") == 0o644


def test_a_group_umask_gives_group_write(tmp_path):
    old = os.umask(0o002)
    try:
        save_npz(tmp_path / "x.npz", a=np.arange(3))
    finally:
        os.umask(old)
    assert _mode(tmp_path / "x.npz") == 0o664
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_term_count_entries_honour_the_umask(tmp_path, umask_022):
    _store(tmp_path / "t.npz", sparse.csr_matrix(np.eye(3)))
    assert _mode(tmp_path / "t.npz") == 0o644


def test_ranking_entries_honour_the_umask(tmp_path, umask_022):
    from labelwright.review.ranking.cache import write_entry
    from labelwright.review.ranking.rank import RankResult

    write_entry(tmp_path / "r.npz", RankResult(score=np.zeros(2), signals={},
                                               end_proba=np.full((2, 2), 0.5),
                                               end_scored=np.ones(2, bool)))
    assert _mode(tmp_path / "r.npz") == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left
