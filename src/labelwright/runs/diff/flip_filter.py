"""The flips ``runs diff --label L --lf NAME`` keeps: those into or out of a label, those
whose votes of an LF changed.

After an edit of one LF, the user looking for what it did to a rare label had read 3,000
flips of other labels to find the few of theirs. ``--label`` (repeatable) keeps the flips
whose label in either run is one of those given; ``--lf`` (repeatable) those on which the
vote of one of those LFs differs between the runs (an LF renamed between them is
followed; one in one run only counts where it voted). Given both, a flip must pass both.
A name neither run knows is an error naming the valid ones, with a did-you-mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.counts import some_of
from labelwright.errors import RunError
from labelwright.runs.label_set import manifest_labels
from labelwright.spelling import did_you_mean


@dataclass(frozen=True)
class FlipFilter:
    """The labels and LFs the flips are narrowed to (none of either: every flip)."""

    labels: tuple[str, ...] = ()
    lfs: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.labels or self.lfs)

    def describe(self) -> str:
        """``into or out of indemnity, whose votes of liability_cap changed``."""
        parts = []
        if self.labels:
            parts.append(f"into or out of {' or '.join(self.labels)}")
        if self.lfs:
            parts.append(f"whose votes of {' or '.join(self.lfs)} changed")
        return ", ".join(parts)


def _names(manifests: Sequence[dict[str, Any]], what: str) -> list[str]:
    """The labels (``what="labels"``) or LF names either run records, in first-seen order."""
    seen: dict[str, None] = {}
    for manifest in manifests:
        names = (manifest_labels(manifest) or () if what == "labels" else
                 [str(lf.get("name")) for lf in manifest.get("labeling_functions") or []
                  if lf.get("name")])
        seen.update(dict.fromkeys(names))
    return list(seen)


def check_filter(flip_filter: FlipFilter, manifests: Sequence[dict[str, Any]],
                 run_ids: Sequence[str]) -> None:
    """A :class:`RunError` for a label or LF neither run records, naming the valid ones."""
    for what, given, flag in (("labels", flip_filter.labels, "--label"),
                              ("LFs", flip_filter.lfs, "--lf")):
        valid = _names(manifests, "labels" if what == "labels" else "lfs")
        for name in given:
            if name not in valid:
                raise RunError(
                    f"{flag} {name!r}: neither run {' nor '.join(run_ids)} has it; "
                    f"{did_you_mean(name, valid)}the runs' {what}: "
                    f"{some_of(valid, 20, total=len(valid))}")


def kept_flips(flips: pd.DataFrame, flip_filter: FlipFilter, runs: tuple[Path, Path],
               manifests: tuple[dict[str, Any], dict[str, Any]],
               lf_renames: Sequence[tuple[str, str]]) -> np.ndarray:
    """Per row of ``flips`` (labels joined on id, suffixes ``_a`` / ``_b``), whether
    ``flip_filter`` keeps it. A :class:`RunError` when a label matrix cannot be read for
    ``--lf``."""
    keep = np.ones(len(flips), dtype=bool)
    if flip_filter.labels:
        keep &= (flips["label_a"].isin(flip_filter.labels)
                 | flips["label_b"].isin(flip_filter.labels)).to_numpy(dtype=bool)
    if flip_filter.lfs and keep.any():
        keep &= _lf_votes_moved(flips["id"].astype(str), flip_filter.lfs, runs, manifests,
                                lf_renames)
    return keep


def _lf_votes_moved(ids: pd.Series, lfs: Sequence[str], runs: tuple[Path, Path],
                    manifests: tuple[dict[str, Any], dict[str, Any]],
                    lf_renames: Sequence[tuple[str, str]]) -> np.ndarray:
    """Per id, whether the vote of one of ``lfs`` (each named as either run names it)
    differs between the runs."""
    from labelwright.runs.diff.label_effects import run_votes, votes_differ

    new_name = dict(lf_renames)
    old_name = {new: old for old, new in lf_renames}
    in_a = [old_name.get(lf, lf) for lf in lfs]
    in_b = [new_name.get(lf, lf) for lf in lfs]
    frames = []
    for run_dir, manifest, names in zip(runs, manifests, (in_a, in_b)):
        votes = run_votes(run_dir, manifest, names, ids=ids.tolist()).set_index("id")
        votes.index = votes.index.astype(str)
        frames.append(votes.reindex(index=ids.to_numpy(), columns=names))
    a, b = frames
    b.columns = a.columns  # each LF under its name in run a
    return votes_differ(a, b).any(axis=1).to_numpy(dtype=bool)

