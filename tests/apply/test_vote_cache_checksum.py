"""The vote cache's checksums: an entry whose arrays were changed after it was written is
a miss (its rows computed again, with a warning), so corruption never reaches a run."""

from __future__ import annotations

import logging

import numpy as np

from labelwright.apply.applier import Applier
from labelwright.apply.cache import CHECKSUM, arrays_checksum
from labelwright.data.dataset import read_dataset
from labelwright.project import load_project


def _apply(root):
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries, cache_dir=root / ".labelwright" / "cache",
                      lf_folder=project.config.lf_path)
    return applier.apply(data)


def _entries(root):
    return sorted((root / ".labelwright" / "cache" / "votes").glob("*.npz"))


def _arrays(path):
    with np.load(path) as entry:
        return {name: entry[name] for name in entry.files}


def test_every_entry_holds_the_documented_checksum_of_its_arrays(make_project):
    """The recipe the README gives: sha256 over the other arrays in name order, each as
    name, dtype, shape and bytes, each part followed by a NUL byte."""
    import hashlib

    root = make_project()
    _apply(root)
    for path in _entries(root):
        arrays = _arrays(path)
        digest = hashlib.sha256()
        for name in sorted(set(arrays) - {CHECKSUM}):
            array = np.ascontiguousarray(arrays[name])
            for part in (name.encode(), str(array.dtype).encode(),
                         ",".join(map(str, array.shape)).encode(), array.tobytes()):
                digest.update(part + b"\0")
        assert str(arrays[CHECKSUM]) == digest.hexdigest() == arrays_checksum(arrays)


def test_an_entry_whose_votes_were_changed_is_a_miss_with_a_warning(make_project, caplog):
    """A vote flipped inside a cache entry (the file still a valid .npz) was read back as
    the LF's vote: the run's labels changed and nothing noticed."""
    root = make_project()
    first = _apply(root)
    changed = []
    for path in _entries(root):
        arrays = _arrays(path)
        if "votes" not in arrays:
            continue
        arrays["votes"] = np.where(arrays["votes"] == -1, 0, -1).astype(np.int16)
        np.savez(path, **arrays)  # the old checksum kept: no longer the arrays'
        changed.append(path)
    assert changed
    with caplog.at_level(logging.WARNING, logger="labelwright.apply.cache"):
        again = _apply(root)
    assert (again.matrix.votes == first.matrix.votes).all()
    assert all(n == len(first.matrix.votes) for n in again.computed.values())
    assert any("do not give back its checksum" in r.getMessage() and str(changed[0]) in
               r.getMessage() for r in caplog.records)


def test_an_entry_without_a_checksum_is_a_miss(make_project, caplog):
    root = make_project()
    first = _apply(root)
    for path in _entries(root):
        arrays = _arrays(path)
        del arrays[CHECKSUM]
        np.savez(path, **arrays)
    with caplog.at_level(logging.INFO, logger="labelwright.apply.cache"):
        again = _apply(root)
    assert all(n == len(first.matrix.votes) for n in again.computed.values())
    # every entry of a cache from before checksums has none: said quietly, not warned
    assert any("has no checksum" in r.getMessage() and r.levelno == logging.INFO
               for r in caplog.records)
