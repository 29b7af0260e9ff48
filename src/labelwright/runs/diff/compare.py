"""What changed between two runs, and what it did to the labels.

>>> diff = diff_runs(Path("runs/20261128-031957-123456"), Path("runs/20261128-040210-000001"))
>>> diff.flipped, diff.transitions          # doctest: +SKIP
(3, {("billing", "technical"): 2, ("(none)", "billing"): 1})

Inputs are compared by the hashes in the two manifests (LF source, glossary file,
dataset, config file, review ledger), by the label model's name and hyperparameters,
and by the environment (the spaCy pipeline and the package versions, which can move
labels with nothing in the project edited); effects by joining the two
``labels.parquet`` files on item id, whose text hashes also name the items whose text
changed and tell a flip that followed its text from one that did not
(:mod:`labelwright.runs.diff.flip_causes`).

This module puts the comparison together (:func:`diff_runs`); what it gives is
:mod:`~labelwright.runs.diff.result` (``RunDiff``, ``Changes``), the manifests' fields are
read in :mod:`~labelwright.runs.diff.manifest_changes` and the runs' labels in
:mod:`~labelwright.runs.diff.label_frames`. Their public names import from here too.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.diff.flip_causes import (
    FlipCauses,
    counted_causes,
    flip_causes,
    refit_on_reviews,
)
from labelwright.runs.diff.flip_filter import FlipFilter, check_filter, kept_flips
from labelwright.runs.diff.gold_flips import gold_flips
from labelwright.runs.diff.item_places import item_places
from labelwright.runs.diff.label_effects import common_gold, review_changes, vote_changes
from labelwright.runs.diff.label_f1_moves import f1_moves
from labelwright.runs.diff.label_frames import (
    first_not_in,
    labels_beside,
    read_labels,
    same_texts,
    texts_compared,
)
from labelwright.runs.diff.lf_stats import lf_stat_changes

# the manifests' part of the comparison (also what a pruned run's archive gives), in its own
# module; the names this module gave before still import from here
from labelwright.runs.diff.manifest_changes import code_change as code_change
from labelwright.runs.diff.manifest_changes import failure_changes as failure_changes
from labelwright.runs.diff.manifest_changes import gold_items as gold_items
from labelwright.runs.diff.manifest_changes import label_renames as label_renames
from labelwright.runs.diff.manifest_changes import lf_changes as lf_changes
from labelwright.runs.diff.manifest_changes import lfs_in_both
from labelwright.runs.diff.manifest_changes import named_changes as named_changes
from labelwright.runs.diff.manifest_changes import recorded_accuracy as recorded_accuracy
from labelwright.runs.diff.manifest_changes import run_missing_sections as run_missing_sections
from labelwright.runs.diff.manifest_diff import manifest_fields
from labelwright.runs.diff.manifest_diff import parts_gone as parts_gone
from labelwright.runs.diff.near_ties import near_tied
from labelwright.runs.diff.result import Changes as Changes
from labelwright.runs.diff.result import RunDiff
from labelwright.runs.erase.records import erased_since
from labelwright.runs.item_texts import TEXT_HASH, changed_texts
from labelwright.runs.store import read_manifest

#: the flips ``runs diff`` lists by default (``max_examples``)
MAX_EXAMPLES = 10


def diff_runs(run_a: str | os.PathLike[str], run_b: str | os.PathLike[str], *,
              max_examples: int = MAX_EXAMPLES,
              manifest_b: dict[str, Any] | None = None,
              flip_filter: FlipFilter | None = None) -> RunDiff:
    """Compare two run folders: inputs by manifest, effects by labels.

    ``manifest_b`` stands in for ``run_b``'s manifest file (a run still being written).
    ``flip_filter``: the flips to count and show (:mod:`~.flip_filter`; a label or LF
    neither run has is a :class:`~labelwright.errors.RunError`).
    """
    run_a, run_b = Path(run_a), Path(run_b)
    a = read_manifest(run_a)
    b = manifest_b if manifest_b is not None else read_manifest(run_b)
    flip_filter = flip_filter or FlipFilter()
    check_filter(flip_filter, (a, b), (str(a.get("run_id", run_a.name)),
                                       str(b.get("run_id", run_b.name))))
    fields = manifest_fields((run_a, run_b), (a, b))
    lfs, renamed = fields["lfs"], fields["label_renames"]
    labels_b = read_labels(run_b, b)
    # items a held that `labelwright erase` took out since: deleted on purpose, not lost
    earlier = labels_beside(run_a, a, labels_b["id"], max_examples,
                            erased_since(run_a.parent, a.get("started_at")))
    labels_a = earlier.frame
    joined = labels_a.merge(labels_b, on="id", suffixes=("_a", "_b"), how="inner", sort=False)
    flips = joined[joined["label_a"] != joined["label_b"]]
    flipped_all = len(flips)
    status_moves: Counter[tuple[str, str]] = Counter()
    if "status_a" in joined and "status_b" in joined:
        moved = joined[joined["status_a"] != joined["status_b"]]
        status_moves = Counter(zip(moved["status_a"], moved["status_b"]))
    if flip_filter:
        flips = flips[kept_flips(flips, flip_filter, (run_a, run_b), (a, b), lfs.renamed)]
    transitions = Counter(zip(flips["label_a"], flips["label_b"]))
    unhashed = [] if same_texts((a, b)) else [
        str(run.get("run_id", path.name)) for run, path, labels in (
            (a, run_a, labels_a), (b, run_b, labels_b)) if TEXT_HASH not in labels.columns]
    edited = joined["id"][changed_texts(joined)]
    places = item_places((run_a, run_b), (a, b), joined, (earlier.items, len(labels_b)),
                         _same_text(joined, (a, b)))
    causes = flip_causes(flips, (run_a, run_b), (a, b),
                         texts_compared=texts_compared((a, b), (labels_a.columns,
                                                                labels_b.columns)),
                         lf_renames=lfs.renamed, label_renames=renamed,
                         refit=refit_on_reviews((a, b), (labels_a, labels_b)))
    tied = near_tied(flips, (run_a, run_b), (a, b))
    examples = _examples(flips, causes, tied, max_examples)
    return RunDiff(
        **fields,
        compared=len(joined),
        only_a=earlier.items - len(joined),
        only_b=len(labels_b) - len(joined),
        flipped=len(flips),
        transitions=dict(sorted(transitions.items(), key=lambda kv: (-kv[1], kv[0]))),
        renamed_flips=sum(n for pair, n in transitions.items() if pair in renamed.items()),
        examples=examples,
        flipped_by_review=int(flips["label_source_b"].isin(REVIEWED_SOURCES).sum())
        if "label_source_b" in flips else 0,
        status_moves=dict(sorted(status_moves.items(), key=lambda kv: (-kv[1], kv[0]))),
        ids_only_a=earlier.not_in_b,
        erased_only_a=earlier.erased,
        ids_gone_unerased=earlier.not_in_b_unerased,
        ids_only_b=first_not_in(labels_b, labels_a, max_examples),
        common_gold=common_gold(labels_a, labels_b, joined),
        review_changes=(review_changes(labels_a), review_changes(labels_b)),
        # every LF in both runs: its votes move with its source, and also with its module's
        # other code, an LF folder file, the data or the pipeline, which name no LF
        lf_votes=vote_changes(run_a, a, run_b, b, lfs_in_both(a, b), keep=[
            *lfs.edited, *(f"glossary:{name}" for name in fields["glossaries"].edited)],
            ids=None if labels_a["id"].equals(labels_b["id"]) else joined["id"].astype(str)),
        text_changed=len(edited),
        gold_changed=_gold_changed(joined, max_examples),
        item_places=places,
        ids_text_changed=edited.head(max_examples).astype(str).tolist(),
        no_text_hashes=unhashed,
        flip_causes=counted_causes(causes.causes),
        lf_stats=lf_stat_changes((run_a, run_b), (a, b), lf_renames=lfs.renamed),
        gold_flips=gold_flips(flips, causes),
        label_f1=f1_moves(a, b, renamed),
        near_ties=int(tied.sum()),
        near_tie_causes=counted_causes([c for c, t in zip(causes.causes, tied) if t]),
        near_tie_transitions=dict(Counter(zip(flips["label_a"][tied], flips["label_b"][tied]))),
        flip_filter=flip_filter,
        flipped_all=flipped_all,
    )


def _same_text(joined: pd.DataFrame, manifests: tuple[dict[str, Any], dict[str, Any]]
               ) -> np.ndarray:
    """Per item in both runs: whether its text is the same in each (by the text hashes the
    runs recorded, or both runs read the same data the same way); all False when that
    cannot be told (nothing is said then of where it moved)."""
    if f"{TEXT_HASH}_a" in joined.columns and f"{TEXT_HASH}_b" in joined.columns:
        return ~changed_texts(joined)
    return np.full(len(joined), same_texts(manifests), dtype=bool)


def _examples(flips: pd.DataFrame, causes: FlipCauses, tied: np.ndarray,
              n: int) -> list[dict[str, Any]]:
    """The first ``n`` flips as ``runs diff`` lists them: id, labels, confidences, cause,
    the votes that changed, whether it is between near ties. Those that are not first: 36
    coin flips had filled the list ahead of the two flips an edit decided."""
    order = np.argsort(tied, kind="stable")[:n]
    rows = flips.iloc[order]
    return [
        {"id": row.id, "from": row.label_a, "to": row.label_b,
         "confidence_a": float(row.confidence_a), "confidence_b": float(row.confidence_b),
         "cause": causes.causes[k], "votes": causes.votes(k), "near_tie": bool(tied[k])}
        for k, row in zip(order.tolist(), rows.itertuples(index=False))
    ]


def _gold_changed(joined: pd.DataFrame, shown: int) -> tuple[int, list[str]]:
    """How many items of both runs (labels joined on id, suffixes ``_a``, ``_b``) have
    another gold label in b's data than in a's (given, taken away or another), and the
    first ``shown`` of their ids; (0, []) when either run read no gold column."""
    if "gold_a" not in joined or "gold_b" not in joined:
        return 0, []
    a = joined["gold_a"].astype("object").where(joined["gold_a"].notna(), "")
    b = joined["gold_b"].astype("object").where(joined["gold_b"].notna(), "")
    ids = joined["id"][(a != b).to_numpy()]
    return len(ids), ids.head(shown).astype(str).tolist()
