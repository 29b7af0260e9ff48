"""What ``labelwright train`` reads before it fits: the run's labels, the dataset the run
read and the project's reviews, and from them which items it trains on and which gold
items it holds out to measure the model.

Apart from :mod:`~labelwright.end_model.train` because this is reading and choosing rows,
done once: ``train`` fits, labels and writes with what it finds here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config.schema import ProjectConfig
    from labelwright.data.dataset import Dataset
    from labelwright.review.decisions.retirements import Retirement
    from labelwright.review.feedback.gold import ReviewedLabels


@dataclass
class TrainInputs:
    """A run's items as ``train`` reads them: one entry per row of its labels file."""

    config: ProjectConfig  # as the run read its data
    run_dir: Path
    manifest: dict[str, Any]
    dataset: Dataset
    labels: tuple[str, ...]  # the run's, in its probabilities' order
    reading: tuple[str, ...]  # the run's labels, each renamed since under its current name
    frame: pd.DataFrame  # the run's labels file
    ids: list[str]
    texts: list[str]
    #: the run's probabilities, a reviewed item's one-hot on its reviewed label
    probs: np.ndarray
    has_label: np.ndarray  # the run gave the item a label
    #: the ledger's reviewed labels for the items, and the retirement records read once
    ledger: ReviewedLabels
    records: list[Retirement]
    reviewed: np.ndarray  # the reviewed label's index per item, -1 none
    done: np.ndarray  # the item has a reviewed label
    gold: np.ndarray  # the dataset's gold label's index per item, -1 none
    held_out: np.ndarray  # gold items held out to measure the model
    #: items left out of training because they hold a held-out gold item's text
    gold_text: np.ndarray
    train: np.ndarray  # the items the measured model learns from


def read_train_inputs(root: str | Path, run: str | None,
                      data: pd.DataFrame | None) -> TrainInputs:
    """The run ``run`` of the project at ``root`` (the latest when None) read for
    training: a :class:`~labelwright.errors.RunError` when its labels file was edited,
    names items the dataset does not have, or leaves nothing to train on."""
    from labelwright.config import load_config
    from labelwright.errors import RunError
    from labelwright.project.held_out import held_out_items
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.retirements import read_retirements
    from labelwright.review.feedback.gold import reviewed_labels
    from labelwright.runs.explain.checks import refuse_contradicting_rows
    from labelwright.runs.file_names import LABELS_FILE as RUN_LABELS
    from labelwright.runs.label_set import run_label_set, run_reading_labels
    from labelwright.runs.run_items import read_run_items
    from labelwright.runs.store import read_manifest, resolve_run, run_labels

    config = load_config(root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    manifest = read_manifest(run_dir)
    # the data the run read: its --data file, or the DataFrame given again
    config, dataset = read_run_items(config, manifest, run_dir, "train", data)
    labels = run_label_set(config, manifest)
    frame = run_labels(run_dir, manifest)
    # edited by hand, the manifest's hash with it: refused, as export refuses them
    refuse_contradicting_rows(run_dir, frame, so="no end model is trained")
    text_of = dict(zip(dataset.ids, dataset.texts))
    gold_of = dict(zip(dataset.ids, dataset.gold.tolist()))
    ids = frame["id"].astype(str).tolist()
    missing = [i for i in ids if i not in text_of]
    if missing:
        raise RunError(f"{run_dir / RUN_LABELS}: {len(missing)} item ids are not in "
                       f"{config.data.path} (first: {missing[0]!r}); the dataset changed "
                       f"since the run -- run `labelwright run` again")
    texts = [text_of[i] for i in ids]
    columns = [f"prob_{label}" for label in labels]
    probs = frame[columns].to_numpy(dtype=np.float64, copy=True)  # reviews: certain, below
    has_label = frame["label"].notna().to_numpy()
    # reviews read with the run's labels, a label renamed since under its current name
    # (the ledger's decisions for the old name are read as the new one)
    reading = run_reading_labels(config, manifest)
    # the retirement records, read once for the reviews and what changed since the run
    records = read_retirements(ledger_path(config.root))
    ledger = reviewed_labels(config.root, ids, reading, records=records,
                             policy=config.review.policy,
                             adjudicators=config.review.adjudicators,
                             same_rater=dict(config.review.same_rater),
                             renamed=dict(config.renamed),
                             runs_dir=config.runs_path, texts=texts,
                             data_sha256=dataset.sha256, data_columns=config.data_columns)
    reviewed = ledger.gold
    done = reviewed >= 0
    probs[done] = np.eye(len(labels))[reviewed[done]]
    gold = np.array([gold_of[i] for i in ids], dtype=np.int64)
    held_out = held_out_items(gold >= 0, done)
    # an item with a held-out gold item's text would show the model the text it is scored
    # on: the held-out accuracy would be a memory of the run's label, not a reading
    # counted where they have a label: an item without one is trained on in no case (a
    # chat project's count was 6,490, 804 of them with no label to learn)
    gold_text = shares_text(texts, held_out) & (has_label | done)
    train = (has_label | done) & ~held_out & ~gold_text
    if not train.any():
        raise RunError(f"{run_dir}: no labeled items to train on (every labeled item has a "
                       f"gold label, or the run labeled nothing)")
    return TrainInputs(config, run_dir, manifest, dataset, labels, reading, frame, ids, texts,
                       probs, has_label, ledger, records, reviewed, done, gold, held_out,
                       gold_text, train)


def shares_text(texts: list[str], held_out: np.ndarray) -> np.ndarray:
    """Per item, whether it is not held out and holds the text of a held-out item (the
    same text once normalised, as review copies are: :func:`labelwright.copies.same_text_key`)."""
    from labelwright.copies import find_copies

    group = find_copies(texts).group
    scored = np.unique(group[held_out & (group >= 0)])
    return ~held_out & (group >= 0) & np.isin(group, scored)
