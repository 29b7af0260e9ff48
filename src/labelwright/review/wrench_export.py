"""A run's votes as a WRENCH folder, for ``labelwright bench wrench`` on the project's own
data (``labelwright export --format wrench``).

The folder holds what :func:`labelwright.bench.wrench_folders.load_wrench` reads: ``label.json``
(class index -> the run's label) and the splits ``train.json``, ``valid.json`` and
``test.json``, each mapping the data's item id to ``{"label": int, "weak_labels": [int,
...], "data": {"text": ...}}`` with the run's label matrix row as ``weak_labels`` (-1 an
abstain, LFs in the run's order).

Which items are scored (valid and test): those with a label known apart from the LFs --

* every item with a gold label in the data's gold column (as a run reads it: a random
  held-out set, in the example project);
* every reviewed item of a run's random sample (``review export --sample``), among the
  decisions the run used, as ``auto`` counts them
  (:func:`~labelwright.review.feedback.sample_reviews.sampled_items`): a random sample of
  the items too;
* with ``all_reviews``, also the items reviewed from the review queue. They are left out
  by default: the queue puts first the items whose votes conflict or whose label is
  unsure, so scores on them measure the hard items, not the project's.

An item's label is its own reviewed label where the run has one (as ``labelwright export``
keeps it over a gold label that differs), else its gold label. Items that took the
reviewed label of a copy of their text (label source ``copy``) are not scored: their
label is another item's, and their text is that item's.

The scored items are split into valid and test, stratified by label (each label's items
in about the same shares), in an order drawn with the project's seed, ``valid_share`` of
them to valid (rounded down). Every other item goes to train with label -1: the bench
never reads train labels (fits use the votes alone; ``gold="valid"`` gives the valid
labels), and -1 is the one label a train item may have without a gold label.

A split without items is not written: no valid items (a share of 0, or a single scored
item), no ``valid.json`` (the bench then has no ``gold="valid"`` run); every item scored,
no ``train.json`` (the bench fits on the test votes); no scored item, no ``test.json``,
which the bench needs: the folder is a train split alone, which the bench refuses until
some items have a gold label.

Each split file written is recorded in ``runs/EXPORTED.jsonl``
(:mod:`~labelwright.runs.exported`), after the folder is written, as a training set is:
``runs prune`` keeps the run while one of them is in place unchanged, and ``erase`` names
one that holds an erased item's text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.config import load_config
from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256
from labelwright.matrix import LabelMatrix
from labelwright.review.decisions.ledger import ledger_path
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.decisions.run_reading import decisions_used
from labelwright.review.feedback.copy_reviews import COPY
from labelwright.review.feedback.sample_reviews import recorded_sample_rule, sampled_items
from labelwright.review.targets import DATA_SUFFIXES, cannot_write, check_targets, refuse_stdout
from labelwright.runs.explain.checks import refuse_contradicting_rows
from labelwright.runs.exported import WRENCH, record_export
from labelwright.runs.file_names import MATRIX_FILE
from labelwright.runs.label_set import run_label_set
from labelwright.runs.run_items import read_run_items
from labelwright.runs.store import (
    atomic_write_text,
    changed_output,
    package_versions,
    read_manifest,
    resolve_run,
    run_labels,
)

SPLITS = ("train", "valid", "test")
#: the files a WRENCH folder may hold that the bench reads: an export replaces them all
#: (a ``valid.json`` or ``labeled_ids.json`` left from before would be read as this run's)
BENCH_FILES = ("train.json", "valid.json", "test.json", "label.json", "labeled_ids.json")
PROVENANCE = "provenance.json"  # not read by the bench: where the folder came from
DEFAULT_FOLDER = "wrench"


@dataclass
class WrenchExport:
    """What :func:`export_wrench` wrote to ``out``: the items per split, and where the
    scored ones' labels came from."""

    out: Path
    run_id: str
    splits: dict[str, int]  # items per split written ("train", "valid", "test")
    gold: int  # scored items with a gold label in the data (their own review's label, if any)
    sampled: int  # scored items without gold, reviewed from a random sample (only)
    queue: int  # items without gold reviewed from the queue: scored with ``all_reviews``
    copies: int  # items without gold with a copy's reviewed label: in train
    review_not_gold: list[str] = field(default_factory=list)  # review and gold differ
    all_reviews: bool = False
    valid_share: float = 0.5
    seed: int = 0


def scored_split(y: np.ndarray, scored: np.ndarray, valid_share: float, seed: int
                 ) -> np.ndarray:
    """Per item, ``"train"``, ``"valid"`` or ``"test"``: the ``scored`` items split
    ``valid_share`` : rest by label ``y``, stratified. The scored items are put in an order
    drawn with ``seed``, then sorted by label (stable), and every item whose place ``r``
    raises ``floor(r * valid_share)`` goes to valid: each label's items are shared out in
    turn, so every label gets about ``valid_share`` of its items, and valid gets
    ``floor(n * valid_share)`` in all."""
    if not 0.0 <= valid_share < 1.0:
        raise ValueError(f"valid_share (--valid-share) must be at least 0 and below 1 (test "
                         f"needs items), got {valid_share}")
    out = np.full(len(y), "train", dtype=object)
    rows = np.flatnonzero(scored)
    rows = rows[np.random.default_rng(seed).permutation(len(rows))]
    rows = rows[np.argsort(y[rows], kind="stable")]
    place = np.arange(len(rows))
    to_valid = np.floor((place + 1) * valid_share) > np.floor(place * valid_share)
    out[rows] = np.where(to_valid, "valid", "test")
    return out


def check_folder_name(out: Path) -> None:
    """A :class:`RunError` when ``out``, not a folder yet, ends in a file's suffix
    (:data:`~labelwright.review.targets.DATA_SUFFIXES`): the export would make a folder of
    that name, holding train.json and the others, where a file was most likely meant
    (``-o wr.json`` made a folder named wr.json). An existing folder of that name is taken
    as it is."""
    if out.suffix.lower() in DATA_SUFFIXES and not out.is_dir():
        raise RunError(f"{out}: names a {out.suffix} file, but a WRENCH export writes a folder "
                       "(train.json, valid.json, test.json, label.json): give a folder's "
                       f"path, such as {out.with_suffix('')}")


def check_folder(out: Path, force: bool) -> None:
    """A :class:`RunError` when ``out`` is a file, or a folder with anything in it (unless
    ``force``: then the bench's files in it are replaced, and the others left)."""
    if out.exists() and not out.is_dir():
        raise RunError(f"{out}: is a file; a WRENCH export writes a folder (train.json, "
                       "valid.json, test.json, label.json): give a folder's path")
    if not force and out.is_dir() and any(out.iterdir()):
        raise RunError(f"{out}: the folder is not empty; give an empty or new folder, or "
                       "--force to replace the WRENCH files in it (train.json, valid.json, "
                       "test.json, label.json, labeled_ids.json; other files are left)")


def export_wrench(project_root: str | Path, out: str | Path | None = None, *,
                  run: str | None = None, valid_share: float = 0.5,
                  all_reviews: bool = False, force: bool = False,
                  data: pd.DataFrame | None = None) -> WrenchExport:
    """Write ``run``'s (default: the latest) label matrix and labels as a WRENCH folder at
    ``out`` (default: ``wrench`` in the project folder), split as the module says;
    ``valid_share`` of the scored items go to valid, the rest to test. ``out`` must be new
    or empty unless ``force``. ``data``: the DataFrame of a run that read one. A
    ``valid_share`` outside [0, 1) is a :class:`ValueError` (:func:`scored_split`'s)."""
    config = load_config(project_root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    refuse_stdout(out, "WRENCH folder")
    folder = config.root / DEFAULT_FOLDER if out is None else Path(out)
    check_folder_name(folder)
    manifest = read_manifest(run_dir)
    config, dataset = read_run_items(config, manifest, run_dir, "export --format wrench",
                                     data)
    labels = run_label_set(config, manifest)
    check_targets([folder / name for name in (*BENCH_FILES, PROVENANCE)], config,
                  what="WRENCH folder")
    check_folder(folder, force)
    matrix = run_matrix(run_dir, manifest, dataset.ids)
    frame = run_labels(run_dir, manifest)  # whole: its rows are checked, as export's are
    refuse_contradicting_rows(run_dir, frame, so="no WRENCH folder is written")
    if frame["id"].astype(str).tolist() != list(dataset.ids):
        raise RunError(f"{run_dir}: labels.parquet's items are not the data's, in its order; "
                       "run `labelwright run` again")
    source = frame["label_source"].astype(str).to_numpy()
    own = source == "review"
    codes = pd.Categorical(frame["label"].astype(str), categories=list(labels)).codes
    reviewed = np.where(own, codes, -1).astype(np.int64)
    decisions = read_decisions(ledger_path(config.root))
    used = decisions_used(decisions, manifest, dataset.ids)
    sampled, _ = sampled_items([decisions[k] for k in sorted(used)], dataset.ids, reviewed,
                               runs_dir=config.runs_path,
                               drawn=recorded_sample_rule(manifest.get("reviews")))
    gold = np.asarray(dataset.gold, dtype=np.int64)
    has_gold = gold >= 0
    use_review = own & (reviewed >= 0) & (sampled | all_reviews | has_gold)
    y = np.where(use_review, reviewed, gold)
    scored = has_gold | use_review
    split = scored_split(y, scored, valid_share, config.seed)
    differs = has_gold & use_review & (reviewed != gold)
    result = WrenchExport(
        folder, run_dir.name, {name: int((split == name).sum()) for name in SPLITS},
        gold=int(has_gold.sum()), sampled=int((sampled & ~has_gold).sum()),
        queue=int((own & ~sampled & ~has_gold).sum()),
        copies=int(((source == COPY) & ~has_gold).sum()),
        review_not_gold=[dataset.ids[k] for k in np.flatnonzero(differs)],
        all_reviews=all_reviews, valid_share=valid_share, seed=config.seed)
    try:
        written = write_folder(result, matrix, y, split, dataset.texts, labels, force=force)
        hashes = [file_sha256(path) for path in written]
    except OSError as exc:
        raise cannot_write(folder, "WRENCH folder", exc) from None
    for path, sha in zip(written, hashes):  # prune keeps the run while one is unchanged
        record_export(config.runs_path, run_dir.name, path, sha, config.root, fmt=WRENCH)
    return result


def run_matrix(run_dir: Path, manifest: dict[str, object], ids: Sequence[str]) -> LabelMatrix:
    """The run's label matrix, as the run wrote it, one row per item of ``ids`` in order."""
    problem = changed_output(run_dir, manifest, MATRIX_FILE)
    if problem is not None:
        raise RunError(f"{run_dir}: {problem}; its votes are not the run's, so no WRENCH "
                       "folder is built on them (`labelwright runs verify` checks the whole "
                       "run; run `labelwright run` again for votes that are)")
    matrix = LabelMatrix.read_parquet(run_dir / MATRIX_FILE)
    if matrix.item_ids != list(ids):
        raise RunError(f"{run_dir / MATRIX_FILE}: its items are not the data's, in its order; "
                       "run `labelwright run` again")
    return matrix


def write_folder(result: WrenchExport, matrix: LabelMatrix, y: np.ndarray, split: np.ndarray,
                 texts: Sequence[str], labels: Sequence[str], *, force: bool) -> list[Path]:
    """Write ``result``'s splits (those with items), ``label.json`` and the provenance;
    with ``force``, remove the bench's files of an earlier export that this one has not.
    Returns the split files written: those ``runs/EXPORTED.jsonl`` records
    (:mod:`~labelwright.runs.exported` says why ``label.json`` is not)."""
    folder = result.out
    folder.mkdir(parents=True, exist_ok=True)
    votes = matrix.votes.astype(int).tolist()
    splits: list[Path] = []
    for name in SPLITS:
        rows = np.flatnonzero(split == name).tolist()
        if not rows:
            continue
        doc = {matrix.item_ids[k]: {"label": -1 if name == "train" else int(y[k]),
                                    "weak_labels": votes[k], "data": {"text": texts[k]}}
               for k in rows}
        splits.append(folder / f"{name}.json")
        atomic_write_text(splits[-1], json.dumps(doc, ensure_ascii=False) + "\n")
    label_file = folder / "label.json"
    atomic_write_text(label_file, json.dumps({str(k): name for k, name in enumerate(labels)},
                                             ensure_ascii=False, indent=1) + "\n")
    if force:
        for name in BENCH_FILES:
            if folder / name not in (*splits, label_file):
                (folder / name).unlink(missing_ok=True)
    record = {"run_id": result.run_id, "lfs": matrix.lf_names, "splits": result.splits,
              "valid_share": result.valid_share, "seed": result.seed,
              "all_reviews": result.all_reviews,
              "scored": {"gold": result.gold, "sampled_reviews": result.sampled,
                         "queue_reviews": result.queue if result.all_reviews else 0},
              "in_train": {"queue_reviews": 0 if result.all_reviews else result.queue,
                           "copies": result.copies},
              "review_not_gold": result.review_not_gold,
              "written_at": datetime.now(UTC).isoformat(),
              "labelwright": package_versions().get("labelwright")}
    atomic_write_text(folder / PROVENANCE, json.dumps(record, indent=2) + "\n")
    return splits
