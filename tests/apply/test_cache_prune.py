"""Vote and Doc cache entries nothing used since the newest run (nor in the last days) are
removed by ``runs prune``; reading an entry marks it used. The vote cache gained an entry
per LF edit and never dropped one (9 -> 14 files after 5 edits)."""

from __future__ import annotations

import json
import os
import time

import numpy as np
import pytest

import labelwright
from labelwright.apply.cache import VoteCache
from labelwright.caches import CACHE_FOLDERS, prune_caches
from labelwright.config import load_config
from labelwright.project import run_project
from labelwright.scaffold import init_project

DAY = 86400


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_reading_an_entry_marks_it_used(tmp_path):
    cache = VoteCache(tmp_path)
    cache.store("k", np.array([1, 2], dtype=np.uint64), np.array([0, 1]), np.zeros(2, bool))
    entry = tmp_path / "votes" / "k.npz"
    _age(entry, 30 * DAY)
    votes, found, _ = cache.lookup("k", np.array([2], dtype=np.uint64))
    assert found.all() and votes.tolist() == [1]
    assert time.time() - entry.stat().st_mtime < DAY


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    run_project(root, report=False)
    return root


def test_entries_not_used_since_the_newest_run_nor_lately_go(project):
    votes = project / ".labelwright" / "cache" / "votes"
    used = sorted(p.name for p in votes.glob("*.npz"))
    assert used
    fake = {"old": 30 * DAY, "yesterday": DAY}
    for name, age in fake.items():
        np.savez(votes / f"{name}.npz", a=np.arange(2))
        (votes / f"{name}.error.txt").write_text("Traceback ...")
        (votes / f"{name}.parts").mkdir()
        for path in (votes / f"{name}.parts", votes / f"{name}.error.txt",
                     votes / f"{name}.npz"):
            _age(path, age)
    pipeline = project / ".labelwright" / "cache" / "docs" / ("0" * 32)
    pipeline.mkdir(parents=True)
    np.savez(pipeline / "shard.npz", a=np.arange(2))
    _age(pipeline / "shard.npz", 30 * DAY)
    config = load_config(project)

    dry = prune_caches(config, days=7, dry_run=True)
    assert sorted(p.name for p, _ in dry.removed) == ["old.npz", "shard.npz"]
    assert (votes / "old.npz").exists()  # a dry run removes nothing

    kept = prune_caches(config, days=7)
    assert not (votes / "old.npz").exists() and not (votes / "old.error.txt").exists()
    assert not (votes / "old.parts").exists() and not pipeline.exists()
    assert (votes / "yesterday.npz").exists() and kept.bytes > 0

    prune_caches(config, days=0)  # only what the newest run used stays
    assert sorted(p.name for p in votes.glob("*.npz")) == used
    assert kept.sizes["votes"] > 0 and set(kept.sizes) <= set(CACHE_FOLDERS)


def test_after_an_lf_edit_the_old_entry_goes_and_a_rerun_reads_the_rest(project):
    votes = project / ".labelwright" / "cache" / "votes"
    lf_file = project / "labeling_functions" / "reviews.py"
    lf_file.write_text(lf_file.read_text().replace("stars <= 2", "stars <= 1"))
    for path in votes.iterdir():  # the first run an hour ago
        _age(path, 3600)
    run_project(project, report=False)
    before = len(list(votes.glob("*.npz")))
    result = labelwright.prune_runs(project, 5, cache_days=0)
    assert not result.removed and result.caches is not None  # no run goes: 2 of 5
    assert len(result.caches.removed) == 1  # star_rating's entry before the edit
    assert len(list(votes.glob("*.npz"))) == before - 1
    again = run_project(project, report=False)
    manifest = json.loads((again.run_dir / "manifest.json").read_text())
    assert manifest["apply"]["vote_cache"]["lfs_computed"] == []


def test_days_must_not_be_negative(project):
    with pytest.raises(ValueError, match="0 or more"):
        prune_caches(load_config(project), days=-1)
