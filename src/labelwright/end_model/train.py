"""``labelwright train``: the end model trained on a run's labels, and what it writes.

Reads ``runs/<run>/labels.parquet`` and the project's review ledger, trains an
:class:`~labelwright.end_model.model.EndModel`, scores it on the dataset's gold items and writes
``end_model.json`` and ``end_model_labels.parquet`` into the run folder.

The scores on the held-out gold items are measured in
:mod:`~labelwright.end_model.held_out_scores`; the two files, and the check that they belong
together (``runs verify``), are defined in :mod:`~labelwright.end_model.train_outputs`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labelwright.end_model.fill_floor import BELOW_FLOOR, check_min_confidence
from labelwright.end_model.held_out_scores import HeldOutScores, held_out_scores, score_records
from labelwright.end_model.model import EndModel
from labelwright.end_model.model_document import read_document, write_document
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
    import pandas as pd

    from labelwright.config import load_config
    from labelwright.errors import RunError
    from labelwright.file_hashes import file_sha256
    from labelwright.project.held_out import held_out_items
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.retirements import read_retirements
    from labelwright.review.feedback.gold import reviewed_labels
    from labelwright.review.feedback.gold_warnings import review_warnings
    from labelwright.review.training_set import ledger_since_run, retired_since_run
    from labelwright.runs.explain.checks import refuse_contradicting_rows
    from labelwright.runs.file_names import LABELS_FILE as RUN_LABELS
    from labelwright.runs.label_set import run_label_set, run_reading_labels
    from labelwright.runs.run_items import read_run_items
    from labelwright.runs.store import (
        atomic_write,
        read_manifest,
        resolve_run,
        run_labels,
    )

    min_confidence = check_min_confidence(min_confidence)
    stage = stage or (lambda name: None)
    stage("reading")  # the run's labels, the dataset and the reviews
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
    gold_text = _shares_text(texts, held_out) & (has_label | done)
    train = (has_label | done) & ~held_out & ~gold_text
    if not train.any():
        raise RunError(f"{run_dir}: no labeled items to train on (every labeled item has a "
                       f"gold label, or the run labeled nothing)")
    fit = _Fit(run_dir, labels, config.end_model.features,
               config.seed if seed is None else seed, texts, probs)
    stage("fitting the end model")
    model, features = fit(train)
    stage("labeling the items")  # every item's end-model label; the unlabeled ones filled
    end_probs, end_label, readable, same_target = _predictions(model, features, probs, train)
    # a model of one target reads nothing, so it is not scored at all
    scores = (held_out_scores(gold, end_label, end_probs, readable, frame, labels, held_out,
                              has_label, min_confidence)
              if held_out.any() and not same_target else HeldOutScores())
    accuracy, lm_accuracy = scores.accuracy, scores.label_model_accuracy
    split, f1, per_label, floor = scores.split, scores.f1, scores.per_label, scores.floor
    # measured: the model saved may learn from every labeled item, those held out too
    measured_on, gold_unreadable = int(train.sum()), int((held_out & ~readable).sum())
    every = has_label | done
    refit = all_items and bool((every & ~train).any())
    if refit:
        stage("refitting on every labeled item")
        model, features = fit(every)
        end_probs, end_label, readable, same_target = _predictions(model, features, probs,
                                                                   every)
        train = every
    # each item's label: a review (the ledger's now: it may be newer than the run), else the
    # run's, else the end model's where it can read the text
    out = pd.DataFrame({"id": ids})
    # an item the end model labels below the floor stays unlabeled, marked so
    confident = end_probs.max(axis=1) >= min_confidence
    filled = ~has_label & readable & ~done & confident
    below = ~has_label & readable & ~done & ~confident
    names = np.asarray(labels, dtype=object)
    end_names = names[end_label]
    label = np.where(filled, end_names, frame["label"].astype(object).to_numpy())
    # label columns typed as strings: all None (nothing to name) would be a `null` column
    out["label"] = pd.array(np.where(done, names[np.maximum(reviewed, 0)], label),
                            dtype="string")
    out["confidence"] = np.where(done, 1.0, np.where(filled, end_probs.max(axis=1),
                                                     frame["confidence"]))
    for k, name in enumerate(labels):  # `probs`: the run's, with reviews one-hot
        out[f"prob_{name}"] = np.where(filled, end_probs[:, k], probs[:, k])
    out["end_model_label"] = pd.array(np.where(readable, end_names, None), dtype="string")
    out["end_model_confidence"] = np.where(readable, end_probs.max(axis=1), np.nan)
    source = frame["label_source"].astype(str).to_numpy() if "label_source" in frame \
        else np.full(len(ids), "model", dtype=object)
    source = np.where(filled, "end_model", source)
    source[~has_label & ~readable & ~done] = "none"
    source[below] = BELOW_FLOOR
    out["label_source"] = np.where(done, "review", source)
    model_path, labels_path = run_dir / MODEL_FILE, run_dir / LABELS_FILE
    training = {"run_id": run_dir.name, "data_sha256": dataset.sha256,
                "items": int(train.sum()), "reviewed_items": int((done & train).sum()),
                "left_out_same_text_as_gold": int(gold_text.sum()),  # by the measured model
                # --all-items: measured on a model fit without the held-out gold items and
                # their texts, then this one fit on every labeled item
                "all_items": refit, "measured_items": measured_on,
                "min_confidence": min_confidence, "below_min_confidence": int(below.sum()),
                "features": _features_read(model),
                "ledger_decisions": ledger.count, "ledger_sha256": ledger.ledger_sha256,
                **{f"ledger_{key}": value for key, value in ledger.retired.manifest().items()},
                "held_out": None if split is None else {
                    "gold_items": int(held_out.sum()), "end_model_accuracy": accuracy,
                    "label_model_accuracy": lm_accuracy,
                    **{f"{who}_macro_f1": f1[who]["macro_f1"] for who in f1}, **split,
                    "per_label": {who: score_records(table)
                                  for who, table in per_label.items()},
                    **({"min_confidence": floor} if floor is not None else {})}}
    # an end model there already is kept as it was, with what it was trained on
    replaced_training = _training_of(model_path)
    stage("writing")

    def write() -> None:
        # the labels first, then the model that names their hash: a train stopped between
        # the two leaves a pair that `runs verify` finds does not belong together
        atomic_write(labels_path, lambda p: out.to_parquet(p, index=False))
        training["labels_sha256"] = file_sha256(labels_path)
        doc = model.document(training)
        training[OWN_HASH] = document_sha256(doc)  # so an edit to the model shows too
        atomic_write(model_path, lambda p: write_document(doc, p))

    # a write that fails (a full disk, Ctrl-C) puts the pair that was there back
    replaced = write_replacing(run_dir, list(TRAIN_FILES), write)
    if replaced is None:
        replaced_training = None
    return TrainResult(run_dir, model_path, labels_path, int(train.sum()),
                       int((done & train).sum()),
                       int(filled.sum()), accuracy, lm_accuracy, int(held_out.sum()),
                       int((~has_label & ~readable & ~done).sum()),
                       gold_unreadable, int(((gold >= 0) & done).sum()),
                       review_warnings(ledger, f"run {run_dir.name}",
                                       labels=reading,
                                       labels_are="the run does not have (train uses the "
                                                  "run's labels; run again to use them)")
                       + ([f"every item it trained on has the same label ("
                           f"{_target(probs[train][0], labels)}): a classifier learns "
                           "nothing from that to tell texts apart, so it labels nothing"]
                          if same_target else []),
                       same_target, split, n_same_text_as_gold=int(gold_text.sum()), f1=f1,
                       labels=list(labels), per_label=per_label,
                       min_confidence=min_confidence, n_below_floor=int(below.sum()),
                       floor=floor, all_items=refit, n_measured=measured_on,
                       fills=dict(Counter(end_names[filled].tolist())),
                       since_run={**ledger_since_run(config.root, manifest, now=ledger.count),
                                  "items_with_gold": _run_reviewed_items(manifest),
                                  # decisions retired, and un-retired, since the run
                                  **retired_since_run(config.root, manifest, ids,
                                                       ledger.retired.records,
                                                       records=records)},
                       replaced=replaced, replaced_training=replaced_training)


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


def _predictions(model: EndModel, features: Any, probs: np.ndarray, train: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Every item's probabilities and label by ``model``, whether it can read each text,
    and whether all items of ``train`` had one target (then it reads none).

    A text with no word the model knows (empty, or only unseen words) would get the class
    prior as its "prediction": the end model labels only texts it can read. One target
    for every item (all of one label, or the same soft label everywhere) makes a model
    that is its intercept, the same "prediction" for every text."""
    end_probs = model.predict_proba_features(features)
    readable = model.readable_features(features)
    same_target = bool(np.ptp(probs[train], axis=0).max() < 1e-9)
    if same_target:
        readable[:] = False
    return end_probs, end_probs.argmax(axis=1), readable, same_target


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


def _shares_text(texts: list[str], held_out: np.ndarray) -> np.ndarray:
    """Per item, whether it is not held out and holds the text of a held-out item (the
    same text once normalised, as review copies are: :func:`labelwright.copies.same_text_key`)."""
    from labelwright.copies import find_copies

    group = find_copies(texts).group
    scored = np.unique(group[held_out & (group >= 0)])
    return ~held_out & (group >= 0) & np.isin(group, scored)


def _run_reviewed_items(manifest: dict[str, Any]) -> int | None:
    """How many items had a reviewed label in the run (0 for a run with no ledger; None
    when its manifest does not say)."""
    reviews = manifest.get("reviews") or {}
    had = reviews.get("items_with_gold") if reviews else 0
    return had if isinstance(had, int) else None
