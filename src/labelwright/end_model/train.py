"""``labelwright train``: the end model trained on a run's labels, and what it writes.

Reads ``runs/<run>/labels.parquet`` and the project's review ledger, trains an
:class:`~labelwright.end_model.model.EndModel`, scores it on the dataset's gold items and writes
``end_model.json`` and ``end_model_labels.parquet`` into the run folder.

The steps, each in a module of its own: what is read and which items are trained on and
held out (:mod:`~labelwright.end_model.train_inputs`); the scores on the held-out gold items
(:mod:`~labelwright.end_model.held_out_scores`); each item's label and its source
(:mod:`~labelwright.end_model.item_labels`); the two files, and the check that they belong
together (``runs verify``), in :mod:`~labelwright.end_model.train_outputs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labelwright.end_model.fill_floor import check_min_confidence
from labelwright.end_model.held_out_scores import HeldOutScores, held_out_scores, score_records
from labelwright.end_model.item_labels import ItemLabels, Predictions, item_labels, predictions
from labelwright.end_model.model import EndModel
from labelwright.end_model.model_document import read_document, write_document
from labelwright.end_model.train_inputs import TrainInputs, read_train_inputs
from labelwright.end_model.train_outputs import LABELS_FILE, MODEL_FILE, OWN_HASH, document_sha256
from labelwright.end_model.train_summary import TrainSummary
from labelwright.runs.file_names import TRAIN_FILES
from labelwright.runs.replaced import write_replacing

if TYPE_CHECKING:
    import pandas as pd


@dataclass(repr=False)  # a line of counts (TrainSummary), not every field
class TrainResult(TrainSummary):
    """What :func:`train_run` trained, measured and wrote."""

    run_dir: Path
    model_path: Path
    labels_path: Path
    n_train: int  # items the model learned from
    n_reviewed: int  # of which with a reviewed label
    n_filled: int  # items without a run label that the end model labels
    accuracy: float | None  # on the dataset's gold items (held out from training)
    label_model_accuracy: float | None  # the run's labels on the same gold items
    n_gold: int
    n_unreadable: int = 0  # items without a run label whose text has no word the model knows
    n_gold_unreadable: int = 0  # gold items it cannot read (scored as wrong)
    n_gold_reviewed: int = 0  # gold items with a review: trained on, not held out
    #: reviews in the ledger it could not use, and why (as ``labelwright run`` says them)
    warnings: list[str] = field(default_factory=list)
    same_target: bool = False  # one label (probabilities) for every item: it labels nothing
    #: the held-out accuracy apart on the gold items the run labeled and those it left
    #: without a label (:func:`~labelwright.end_model.held_out_scores.held_out_split`;
    #: None when accuracy is not measured)
    split: dict[str, Any] | None = None
    #: items left out of training because they hold a held-out gold item's text (the
    #: model would be scored on texts it learned)
    n_same_text_as_gold: int = 0
    #: the ledger's decisions the run read and now (:func:`ledger_since_run`), the items
    #: the run had reviewed labels for (None: not recorded), and the decisions retired and
    #: un-retired since the run
    #: (:func:`~labelwright.review.training_set.retired_since_run`)
    since_run: dict[str, int | None] = field(default_factory=dict)
    #: macro-F1 and per-label F1 on the held-out gold items (``end_model``, ``label_model``:
    #: :func:`~labelwright.project.label_f1.f1_scores`); empty when accuracy is not measured
    f1: dict[str, dict[str, Any]] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)  # the project's, in the scores' order
    #: where the end model and labels there before were kept (``replaced/<time>/`` of the
    #: run folder: :func:`~labelwright.runs.replaced.keep_replaced`); None: there were none
    replaced: Path | None = None
    #: what the replaced model was trained on (its ``training`` section), or why that is
    #: not known (an older ``train`` recorded none); None when nothing was replaced
    replaced_training: dict[str, Any] | str | None = None
    #: each label's ``support``, ``predicted``, ``correct``, ``precision``, ``recall`` and
    #: ``f1`` on the held-out gold items (``end_model``, ``label_model``:
    #: :func:`~labelwright.project.label_scores.per_label_scores`); empty when not measured
    per_label: dict[str, pd.DataFrame] = field(default_factory=dict)
    min_confidence: float = 0.0  # the floor an end-model label needs (0: none)
    n_below_floor: int = 0  # items it would have labeled below the floor: left unlabeled
    #: the held-out gold items the run left without a label, apart at the floor
    #: (:func:`~labelwright.end_model.fill_floor.floor_split`); None without a floor or gold
    floor: dict[str, Any] | None = None
    #: whether the saved model was refit on every labeled item after measuring (``all_items``)
    all_items: bool = False
    n_measured: int = 0  # items the measured model learned from (n_train without a refit)
    #: per label, the items the run left without one that the end model labels (its fills)
    fills: dict[str, int] = field(default_factory=dict)


def train_run(root: str | Path = ".", run: str | None = None, *, seed: int | None = None,
              data: pd.DataFrame | None = None,
              stage: Callable[[str], None] | None = None, min_confidence: float = 0.0,
              all_items: bool = False) -> TrainResult:
    """Train the end model on a run's probabilistic labels and write its outputs.

    Trains on every item with a label in ``runs/<run>/labels.parquet`` (reviewed labels from
    the project's ledger count as certain), except items with a gold label in the dataset:
    those are held out to measure accuracy. Writes ``end_model.json`` (see the module
    docstring) and ``end_model_labels.parquet`` (``id``, ``label``, ``confidence``,
    ``prob_<label>``, ``label_source``: the reviewed label with source ``"review"`` where the
    ledger has one now (also for items reviewed since the run), else the run's label and
    source where the run has a label, else the end model's label with source
    ``"end_model"`` where the text has a word the model knows; an empty text, or one of only
    unseen words, stays unlabeled; the ``prob_<label>`` columns are those behind ``label``
    (all on the label for a review); ``end_model_label`` and ``end_model_confidence``: the
    end model's own prediction for every item).

    Held-out accuracy counts an item the end model cannot read as wrong: it gets no label.

    The run must be as it was left: its ``labels.parquet`` unchanged (the manifest's hash)
    and the dataset the one it read (the file it was given with ``--data``, when it was; for
    a run on a pandas DataFrame, that frame given again as ``data``); the labels are the
    run's (``[project] labels`` of its manifest). Reviews imported since the
    run count too; ``end_model.json`` records the ledger state it read (``training``).

    ``min_confidence`` (0 to 1; 0, the default: no floor): an item the run left without a
    label that the end model labels below this confidence stays unlabeled, with
    ``label_source`` ``"below_min_confidence"`` (its ``end_model_label`` still says the
    guess); the result counts them (``n_below_floor``), and on gold says how right the end
    model was above the floor and below it (``floor``).

    ``all_items``: after measuring, fit the model again on every labeled item (the
    held-out gold items by their run labels, never their gold ones, and the items sharing
    their texts, which measuring leaves out) and save and label with that one; the
    accuracy said is the measured model's, and ``end_model.json`` records
    ``training.all_items`` and ``training.measured_items``.

    ``stage(name)`` hears each step start (``reading``, ``fitting the end model``,
    ``labeling the items``, with ``all_items`` ``refitting on every labeled item``,
    ``writing``), as ``run_project``'s ``stage`` does.
    """
    min_confidence = check_min_confidence(min_confidence)
    stage = stage or (lambda name: None)
    stage("reading")  # the run's labels, the dataset and the reviews
    inputs = read_train_inputs(root, run, data)
    run_dir, labels, probs, train = inputs.run_dir, inputs.labels, inputs.probs, inputs.train
    fit = _Fit(run_dir, labels, inputs.config.end_model.features,
               inputs.config.seed if seed is None else seed, inputs.texts, probs)
    stage("fitting the end model")
    model, features = fit(train)
    stage("labeling the items")  # every item's end-model label; the unlabeled ones filled
    predicted = predictions(model, features, probs, train)
    scores = _scores(inputs, predicted, min_confidence)
    # measured: the model saved may learn from every labeled item, those held out too
    measured_on = int(train.sum())
    gold_unreadable = int((inputs.held_out & ~predicted.readable).sum())
    every = inputs.has_label | inputs.done
    refit = all_items and bool((every & ~train).any())
    if refit:
        stage("refitting on every labeled item")
        model, features = fit(every)
        predicted = predictions(model, features, probs, every)
        train = every
    items = item_labels(inputs.frame, labels, probs, inputs.reviewed, predicted,
                        min_confidence)
    training = _training_record(inputs, model, train, items, scores, min_confidence,
                                refit=refit, measured_on=measured_on)
    model_path, labels_path = run_dir / MODEL_FILE, run_dir / LABELS_FILE
    # an end model there already is kept as it was, with what it was trained on
    replaced_training = _training_of(model_path)
    stage("writing")
    replaced = _write(run_dir, model, training, items.table)
    if replaced is None:
        replaced_training = None
    done, held_out = inputs.done, inputs.held_out
    return TrainResult(
        run_dir, model_path, labels_path, n_train=int(train.sum()),
        n_reviewed=int((done & train).sum()), n_filled=int(items.filled.sum()),
        accuracy=scores.accuracy, label_model_accuracy=scores.label_model_accuracy,
        n_gold=int(held_out.sum()), n_unreadable=int(items.unreadable.sum()),
        n_gold_unreadable=gold_unreadable, n_gold_reviewed=int(((inputs.gold >= 0) & done).sum()),
        warnings=_warnings(inputs, train, predicted.same_target),
        same_target=predicted.same_target, split=scores.split,
        n_same_text_as_gold=int(inputs.gold_text.sum()), f1=scores.f1, labels=list(labels),
        per_label=scores.per_label, min_confidence=min_confidence,
        n_below_floor=int(items.below.sum()), floor=scores.floor, all_items=refit,
        n_measured=measured_on, since_run=_since_run(inputs), replaced=replaced,
        fills=dict(Counter(items.table["label"].to_numpy()[items.filled].tolist())),
        replaced_training=replaced_training)


def _scores(inputs: TrainInputs, predicted: Predictions,
            min_confidence: float) -> HeldOutScores:
    """The measured model's scores on the held-out gold items: none measured without
    one, or for a model of one target (it reads nothing)."""
    if not inputs.held_out.any() or predicted.same_target:
        return HeldOutScores()
    return held_out_scores(inputs.gold, predicted.label, predicted.probs, predicted.readable,
                           inputs.frame, inputs.labels, inputs.held_out, inputs.has_label,
                           min_confidence)


def _training_record(inputs: TrainInputs, model: EndModel, train: np.ndarray,
                     items: ItemLabels, scores: HeldOutScores, min_confidence: float, *,
                     refit: bool, measured_on: int) -> dict[str, Any]:
    """The ``training`` section of ``end_model.json``: what the saved model learned from,
    the ledger state it read and the measured model's held-out scores (the labels' hash
    and the document's own are added as it is written)."""
    ledger, split, f1 = inputs.ledger, scores.split, scores.f1
    return {"run_id": inputs.run_dir.name, "data_sha256": inputs.dataset.sha256,
            "items": int(train.sum()), "reviewed_items": int((inputs.done & train).sum()),
            # by the measured model
            "left_out_same_text_as_gold": int(inputs.gold_text.sum()),
            # --all-items: measured on a model fit without the held-out gold items and
            # their texts, then this one fit on every labeled item
            "all_items": refit, "measured_items": measured_on,
            "min_confidence": min_confidence, "below_min_confidence": int(items.below.sum()),
            "features": _features_read(model),
            "ledger_decisions": ledger.count, "ledger_sha256": ledger.ledger_sha256,
            **{f"ledger_{key}": value for key, value in ledger.retired.manifest().items()},
            "held_out": None if split is None else {
                "gold_items": int(inputs.held_out.sum()),
                "end_model_accuracy": scores.accuracy,
                "label_model_accuracy": scores.label_model_accuracy,
                **{f"{who}_macro_f1": f1[who]["macro_f1"] for who in f1}, **split,
                "per_label": {who: score_records(table)
                              for who, table in scores.per_label.items()},
                **({"min_confidence": scores.floor} if scores.floor is not None else {})}}


def _write(run_dir: Path, model: EndModel, training: dict[str, Any],
           table: pd.DataFrame) -> Path | None:
    """Write the labels, then the model that names their hash (a train stopped between the
    two leaves a pair that ``runs verify`` finds does not belong together); a write that
    fails (a full disk, Ctrl-C) puts the pair that was there back. Where the pair there
    before was kept, or None when there was none."""
    from labelwright.file_hashes import file_sha256
    from labelwright.runs.store import atomic_write

    model_path, labels_path = run_dir / MODEL_FILE, run_dir / LABELS_FILE

    def write() -> None:
        atomic_write(labels_path, lambda p: table.to_parquet(p, index=False))
        training["labels_sha256"] = file_sha256(labels_path)
        doc = model.document(training)
        training[OWN_HASH] = document_sha256(doc)  # so an edit to the model shows too
        atomic_write(model_path, lambda p: write_document(doc, p))

    return write_replacing(run_dir, list(TRAIN_FILES), write)


def _warnings(inputs: TrainInputs, train: np.ndarray, same_target: bool) -> list[str]:
    """Reviews in the ledger it could not use, and a model of one target, said."""
    from labelwright.review.feedback.gold_warnings import review_warnings

    return review_warnings(inputs.ledger, f"run {inputs.run_dir.name}",
                           labels=inputs.reading,
                           labels_are="the run does not have (train uses the "
                                      "run's labels; run again to use them)") + (
        [f"every item it trained on has the same label ("
         f"{_target(inputs.probs[train][0], inputs.labels)}): a classifier learns "
         "nothing from that to tell texts apart, so it labels nothing"]
        if same_target else [])


def _since_run(inputs: TrainInputs) -> dict[str, int | None]:
    """The ledger's decisions the run read and now, the items the run had reviewed labels
    for, and the decisions retired and un-retired since the run."""
    from labelwright.review.training_set import ledger_since_run, retired_since_run

    config, manifest = inputs.config, inputs.manifest
    return {**ledger_since_run(config.root, manifest, now=inputs.ledger.count),
            "items_with_gold": _run_reviewed_items(manifest),
            # decisions retired, and un-retired, since the run
            **retired_since_run(config.root, manifest, inputs.ids,
                                inputs.ledger.retired.records, records=inputs.records)}


class _Fit(NamedTuple):
    """An end model fit on some of a run's items: the settings and inputs both fits of
    ``train --all-items`` share."""

    run_dir: Path
    labels: tuple[str, ...]
    features: str
    seed: int
    texts: list[str]
    probs: np.ndarray

    def __call__(self, rows: np.ndarray) -> tuple[EndModel, Any]:
        """A model fit on the items of ``rows`` (a bool per item), and every item's
        features: the items trained on keep those fit on (reading the texts is the long
        step on big datasets, so each is read once)."""
        from labelwright.errors import RunError

        model = EndModel(self.labels, features=self.features, random_state=self.seed)
        try:
            features = model.fit_transform(self.texts,
                                           np.where(rows[:, None], self.probs, 0.0))
        except ValueError as exc:  # e.g. every text blank
            raise RunError(f"{self.run_dir}: cannot train the end model: {exc}") from None
        return model, features


def _training_of(model_path: Path) -> dict[str, Any] | str | None:
    """The ``training`` section of the end model at ``model_path``, before it is replaced:
    None when there is none there, a note when it records none (an older ``train``) or
    cannot be read."""
    if not model_path.is_file():
        return None
    try:
        training = read_document(model_path).get("training")
    except (OSError, ValueError) as exc:
        return f"it cannot be read: {exc}"
    if not isinstance(training, dict):
        return "an older `labelwright train` wrote it, which did not record what it was trained on"
    return training


def _features_read(model: EndModel) -> str:
    """What a fitted model reads: ``"words"``, ``"words+chars"``, or ``"chars"`` (single
    characters: no training text had a word of two letters)."""
    if model.tfidf_["analyzer"] == "char":
        return "chars"
    return "words+chars" if model.chars_ is not None else "words"


def _target(probs: np.ndarray, labels: tuple[str, ...]) -> str:
    """``'a'`` for a certain label, else ``'a' 0.9, 'b' 0.1``."""
    if np.isclose(probs.max(), 1.0):
        return repr(labels[int(probs.argmax())])
    return ", ".join(f"{label!r} {p:.2f}" for label, p in zip(labels, probs) if p > 0)


def _run_reviewed_items(manifest: dict[str, Any]) -> int | None:
    """How many items had a reviewed label in the run (0 for a run with no ledger; None
    when its manifest does not say)."""
    reviews = manifest.get("reviews") or {}
    had = reviews.get("items_with_gold") if reviews else 0
    return had if isinstance(had, int) else None
