"""``labelwright train``: the end model trained on a run's labels, and what it writes.

Reads ``runs/<run>/labels.parquet`` and the project's review ledger, trains an
:class:`~labelwright.end_model.model.EndModel`, scores it on the dataset's gold items and writes
``end_model.json`` and ``end_model_labels.parquet`` into the run folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from labelwright.end_model.fill_floor import BELOW_FLOOR, check_min_confidence, floor_split
from labelwright.end_model.model import EndModel, read_document, write_document
from labelwright.runs.file_names import TRAIN_FILES
from labelwright.runs.replaced import write_replacing

if TYPE_CHECKING:
    import pandas as pd

#: files ``labelwright train`` writes into the run folder
MODEL_FILE, LABELS_FILE = TRAIN_FILES
#: the ``training`` key of the model document's own sha256 (see :func:`document_sha256`)
OWN_HASH = "model_sha256"


@dataclass
class TrainResult:
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
    #: without a label (:func:`held_out_split`; None when accuracy is not measured)
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
    from labelwright.project.held_out import held_out_items
    from labelwright.project.label_f1 import f1_scores
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
        file_sha256,
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
    accuracy = lm_accuracy = split = floor = None
    f1: dict[str, dict[str, Any]] = {}
    per_label: dict[str, pd.DataFrame] = {}
    # an item the model cannot read has no label: it counts as wrong; a model of one target
    # reads nothing, so it is not scored at all
    if held_out.any() and not same_target:
        predicted = np.where(readable, end_label, -1)
        accuracy = float((predicted[held_out] == gold[held_out]).mean())
        # the label model's own label, as the run's accuracy scores it (a held-out gold
        # item may have taken a copy's review)
        own = "model_label" if "model_label" in frame.columns else "label"
        run_label = frame[own].map({name: k for k, name in enumerate(labels)})
        run_label = run_label.fillna(-1).astype(int).to_numpy()
        lm_accuracy = float((run_label[held_out] == gold[held_out]).mean())
        split = held_out_split(gold, predicted, run_label, held_out, has_label)
        f1 = {"end_model": f1_scores(gold[held_out], predicted[held_out], len(labels)),
              "label_model": f1_scores(gold[held_out], run_label[held_out], len(labels))}
        per_label = {"end_model": _per_label(gold[held_out], predicted[held_out], labels),
                     "label_model": _per_label(gold[held_out], run_label[held_out], labels)}
        if min_confidence > 0:  # how right the fills are that the floor keeps and drops
            floor = floor_split(gold, end_label, end_probs.max(axis=1),
                                held_out & ~has_label, min_confidence, readable=readable)
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
                    "per_label": {who: _records(scores) for who, scores in per_label.items()},
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


def _per_label(gold: np.ndarray, predicted: np.ndarray, labels: Sequence[str]
               ) -> pd.DataFrame:
    """Each label's scores (:func:`~labelwright.project.label_scores.per_label_scores`, as
    a run's per-label table) of ``predicted`` against ``gold``: class indices, -1 none."""
    import pandas as pd

    from labelwright.project.label_scores import gold_confusion, per_label_scores

    names = np.asarray(labels, dtype=object)
    given = pd.Series(np.where(predicted >= 0, names[np.maximum(predicted, 0)], None))
    confusion = gold_confusion(given, pd.Series(names[gold]), labels,
                               np.ones(len(gold), dtype=bool))
    return (per_label_scores(confusion, labels) if confusion is not None
            else pd.DataFrame(columns=["label"]))


def _records(scores: pd.DataFrame) -> list[dict[str, Any]]:
    """``scores`` as JSON records, a share over no items (NaN) as null."""
    return [{key: (None if isinstance(value, float) and value != value else value)
             for key, value in row.items()} for row in scores.to_dict("records")]


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


def held_out_split(gold: np.ndarray, end_label: np.ndarray, run_label: np.ndarray,
                   held_out: np.ndarray, has_label: np.ndarray) -> dict[str, Any]:
    """The held-out gold items apart by the run's final label (``has_label``, as the fill
    and the ``--min-confidence`` floor count them): ``run_labeled``, those the run gave a
    label (where end model and label model compare label for label), with ``items``,
    ``end_model_accuracy``, ``label_model_accuracy`` and ``by_copy`` (labeled by a reviewed
    copy of their text alone: the label model gave them none, which its accuracy counts
    wrong, as the overall one does); ``run_unlabeled``, those it left without one (no LF
    voted, or a tie left unlabeled), with ``items`` and ``end_model_accuracy``. An accuracy
    over no items is None. ``end_label`` / ``run_label`` (the label model's own): a class
    index per item, -1 for none. Split by the label model's label instead, a gold item a
    copy labeled was counted as left without a label here and not by the floor."""
    def share(right: np.ndarray) -> float | None:
        return float(right.mean()) if right.size else None

    labeled = held_out & has_label
    unlabeled = held_out & ~has_label
    return {"run_labeled": {"items": int(labeled.sum()),
                            "by_copy": int((labeled & (run_label < 0)).sum()),
                            "end_model_accuracy": share(end_label[labeled] == gold[labeled]),
                            "label_model_accuracy": share(run_label[labeled] == gold[labeled])},
            "run_unlabeled": {"items": int(unlabeled.sum()),
                              "end_model_accuracy": share(end_label[unlabeled]
                                                          == gold[unlabeled])}}


def _features_read(model: EndModel) -> str:
    """What a fitted model reads: ``"words"``, ``"words+chars"``, or ``"chars"`` (single
    characters: no training text had a word of two letters)."""
    if model.tfidf_["analyzer"] == "char":
        return "chars"
    return "words+chars" if model.chars_ is not None else "words"


def document_sha256(doc: dict[str, Any]) -> str:
    """sha256 of an end model document without its own ``training.model_sha256``, as JSON
    with sorted keys and no spaces: the document train writes and the one read back give the
    same (JSON keeps Python floats exactly), whatever the file's spacing or key order."""
    training = {k: v for k, v in doc.get("training", {}).items() if k != OWN_HASH}
    text = json.dumps(doc | {"training": training}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _target(probs: np.ndarray, labels: tuple[str, ...]) -> str:
    """``'a'`` for a certain label, else ``'a' 0.9, 'b' 0.1``."""
    if np.isclose(probs.max(), 1.0):
        return repr(labels[int(probs.argmax())])
    return ", ".join(f"{label!r} {p:.2f}" for label, p in zip(labels, probs) if p > 0)


class TrainCheck(NamedTuple):
    """:func:`check_train_outputs`: what is wrong, what cannot be checked, what was."""

    problems: list[str]
    notes: list[str]
    checked: list[str]  # names of the files found to belong together


def check_train_outputs(run_dir: Path, manifest: dict[str, Any], ledger: Path,
                        decisions: list[Any] | None = None,
                        records: Sequence[Any] | None = None, *,
                        erased_at: Collection[str] | None = None) -> TrainCheck:
    """The files ``labelwright train`` left in ``run_dir`` checked against each other,
    against the run and against the review ledger at ``ledger`` (its first decisions must
    still be those train read; ``decisions``/``records``: its decisions and retirement
    records, when read already; ``erased_at``: when the runs folder's recorded erasures took
    notes out of the ledger, :func:`~labelwright.runs.erase.records.ledger_erasures`); all
    lists empty when train never ran there.

    ``end_model.json`` records the run, the data, the sha256 of the labels it wrote beside
    it and its own (:func:`document_sha256`); the labels are written first, so a train
    stopped between the two files, an edited labels file, an edited model or a model
    trained on another run's labels shows as a mismatch, as do model labels that are not
    the run's. A model from before these hashes were recorded cannot vouch for itself or
    its labels: that is said, not failed, and so is a model with no training section at
    all (an older ``train`` recorded none); one that records its own hash must record its
    labels' too.
    """
    from labelwright.review.decisions.ledger_digests import ledger_changes
    from labelwright.review.decisions.retirements import recorded_changes
    from labelwright.runs.label_set import manifest_labels
    from labelwright.runs.store import file_sha256

    model_path, labels_path = run_dir / MODEL_FILE, run_dir / LABELS_FILE
    if not model_path.is_file():
        if labels_path.is_file():
            return TrainCheck([f"{LABELS_FILE}: there is no {MODEL_FILE} beside it (a "
                               "`labelwright train` that stopped before writing the model, "
                               "or a file removed); run `labelwright train` again"], [], [])
        return TrainCheck([], [], [])
    try:
        doc = read_document(model_path)
        EndModel.from_dict(doc, source=str(model_path))
    except ValueError as exc:
        return TrainCheck([str(exc)], [], [])
    training = doc.get("training")
    problems = []
    run_labels = list(manifest_labels(manifest) or ())
    if run_labels and doc["labels"] != run_labels:
        problems.append(f"{MODEL_FILE}: its labels {doc['labels']} are not the run's "
                        f"{run_labels} (names and order)")
    if "training" not in doc:  # an older train wrote the model and nothing about its input
        return TrainCheck(problems, [
            f"{MODEL_FILE} was written by an older `labelwright train`, which recorded no "
            "training section: the run, data and review decisions it was trained on, and "
            f"whether {LABELS_FILE} belongs with it, cannot be checked (`labelwright train` "
            "again writes a pair that can)"], [])
    if not isinstance(training, dict):
        return TrainCheck([*problems, f"{MODEL_FILE}: its training section is not a JSON "
                           "object, so what it was trained on cannot be checked"], [], [])
    if training.get("run_id") != run_dir.name:
        problems.append(f"{MODEL_FILE}: trained on run {training.get('run_id')!r}, not on "
                        f"this one ({run_dir.name})")
    data_sha = (manifest.get("data") or {}).get("sha256")
    if data_sha and training.get("data_sha256") != data_sha:
        problems.append(f"{MODEL_FILE}: trained on other data (sha256 "
                        f"{str(training.get('data_sha256'))[:12]}; the run read "
                        f"{data_sha[:12]})")
    count, digest = training.get("ledger_decisions"), training.get("ledger_sha256")
    if isinstance(count, int) and count > 0 and isinstance(digest, str):
        change = ledger_changes(ledger, count, digest, reader="train", decisions=decisions,
                                record=f"{MODEL_FILE}: training.ledger_decisions",
                                erased_at=erased_at)
        problems += [change.message] if change else []
    withdrawn = recorded_changes(ledger, training, "train", prefix="ledger_",
                                 section=f"{MODEL_FILE}: training", records=records)
    problems += [withdrawn] if withdrawn else []
    notes = []
    own, expected = training.get(OWN_HASH), training.get("labels_sha256")
    if own is None:  # a model written before train recorded them
        unrecorded = ("its own hash: edits to it cannot be found" if expected is not None
                      else f"its own hash or that of {LABELS_FILE}: the two cannot be "
                      "checked against each other")
        notes.append(f"{MODEL_FILE} was written by a labelwright that did not record "
                     f"{unrecorded} (`labelwright train` again writes a pair that can)")
    elif own != (now := document_sha256(doc)):
        problems.append(f"{MODEL_FILE}: not the model `labelwright train` wrote (sha256 "
                        f"{str(own)[:12]} -> {now[:12]}): edited since; run it again")
    if expected is None:
        if own is not None:
            problems.append(f"{MODEL_FILE}: records its own sha256 but not that of "
                            f"{LABELS_FILE} (train records both)")
    elif not labels_path.is_file():
        problems.append(f"{LABELS_FILE}: missing ({MODEL_FILE} names it)")
    elif (now := file_sha256(labels_path)) != expected:
        problems.append(f"{LABELS_FILE}: not the labels {MODEL_FILE} wrote (sha256 "
                        f"{str(expected)[:12]} -> {now[:12]}): edited since, or a "
                        "`labelwright train` stopped between its two files; run it again")
    # the labels' hash checked: the pair belongs together, even where the model's own is
    # not recorded (a model from the release before it; the note says what is not checked)
    return TrainCheck(problems, notes,
                      [] if problems or expected is None else [MODEL_FILE, LABELS_FILE])


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
