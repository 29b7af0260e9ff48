"""Benchmark label models on WRENCH datasets (Zhang et al., NeurIPS 2021 D&B track).

A WRENCH folder holds ``train.json``, ``valid.json``, ``test.json`` (each maps an item id to
``{"label": int, "weak_labels": [int, ...], "data": {...}}``, -1 = abstain) and
``label.json`` (class index -> name). Only ``test.json`` and ``label.json`` are required:
without ``train.json`` models are fit on the test votes (transductive), without
``valid.json`` there is no ``gold="valid"`` run.

Protocol, per dataset and model:

* ``gold="none"``: fit on the train label matrix without gold.
* ``gold="valid"``: fit on train + valid stacked, ``y_dev`` = -1 on train rows and the
  valid label on valid rows (so ``auto`` cross-validates on the valid rows only).
* Score on test: accuracy, macro-F1, F1 of class 1 (binary sets only), ECE (10 bins);
  all in percent, rounded to two decimals. Ties are broken by ``tie_break`` (default
  ``"random"``, snorkel's row-index hash: the policy behind WRENCH's published numbers).
* ``fit_seconds``: wall-clock time of ``fit`` alone: the model's
  :meth:`~labelwright.models.LabelModel.prepare` first imports what its fit imports on
  first use (torch, snorkel and scikit-learn take seconds, which the first such fit in a
  process paid). ``peak_rss_mb``: peak of memory allocated during a second, identical
  ``fit`` traced with :mod:`tracemalloc` (Python and numpy allocations; memory allocated
  by torch inside snorkel is *not* traced).

If the folder has ``labeled_ids.json`` (WRENCH's sms release appends labeled dev rows to
``train.json``), those rows are dropped from train to get the paper's setting; the dataset's
``notes`` say so.

The notes also give, per split, how far the votes agree with the gold labels beyond chance
(:func:`vote_kappa`), and warn when a split's votes agree far less than train's: then they
may not belong to their items, and label-model scores on that split measure little. (On
this machine's copy of WRENCH sms, the 73 rules listed in its ``readme.txt`` reproduce every
train vote but few valid/test votes; see ``benchmarks/sms_votes.py``.)
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from labelwright.counts import counted, some_of
from labelwright.errors import DataError
from labelwright.models import AutoLabelModel, ece, get_model
from labelwright.models.duplicate_lfs import copy_of, exact_groups
from labelwright.models.gold_use import BENCH_GOLD_ROWS
from labelwright.models.majority import ignored_lfs_warning
from labelwright.models.metrics import accuracy, binary_f1, macro_f1

BENCH_MODELS = ("majority", "weighted_majority", "snorkel", "dawid_skene", "triplet",
                "default", "auto")
GOLD_SETTINGS = ("none", "valid")
#: a split whose vote kappa is this much below train's gets a warning note
KAPPA_DROP = 0.3


class WrenchFormatError(DataError, ValueError):
    """A WRENCH folder or file is missing or malformed; the message names the file."""


@dataclass
class Split:
    L: np.ndarray
    y: np.ndarray
    ids: list[str]
    texts: list[str] = field(default_factory=list)  # data.text per item ("" when absent)
    dropped: int = 0  # items left out as labeled_ids.json rows
    no_text: int = 0  # items whose data.text is missing, null or not text (read as "")


@dataclass
class WrenchDataset:
    name: str
    classes: list[str]
    train: Split | None
    valid: Split | None
    test: Split
    notes: list[str] = field(default_factory=list)

    @property
    def cardinality(self) -> int:
        return len(self.classes)


@dataclass
class BenchRecord:
    """One (dataset, model, gold) result; metrics in percent."""

    dataset: str
    model: str
    gold: str
    accuracy: float
    macro_f1: float
    f1: float | None
    ece: float
    fit_seconds: float
    peak_rss_mb: float
    tie_break: str  # of the predictions scored: the numbers depend on it
    random_state: int
    chosen: dict[str, Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # review-ranking keys, see below
    notes: list[str] = field(default_factory=list)  # what the fit says of itself (not JSON)

    def to_json(self) -> dict[str, Any]:
        """The JSON line of ``labelwright bench wrench --json`` (no ``chosen``); ``extras``
        (``ranking``, ``catch10``, ``catch20``, ``ece_calibrated``, ``calibration``,
        ``end_model_accuracy``) are added after the base keys."""
        out = asdict(self)
        out.pop("chosen")
        out.pop("extras")
        out.pop("notes")
        out.update(self.extras)
        return out


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise WrenchFormatError(f"{path}: missing file (a WRENCH folder needs test.json and "
                                f"label.json; train.json and valid.json are optional)")
    raw = path.read_bytes()
    try:
        # utf-8-sig: a byte-order mark opening the file (as some editors write) is no JSON
        return json.loads(raw.decode("utf-8-sig"), object_pairs_hook=lambda pairs: _keys_once(
            pairs, path))
    except UnicodeDecodeError as err:
        from labelwright.data.text_checks import not_utf8_in  # imports pandas: only when needed

        raise WrenchFormatError(str(not_utf8_in(path, raw, err.start))) from None
    except json.JSONDecodeError as err:
        raise WrenchFormatError(f"{path}: invalid JSON at line {err.lineno}: {err.msg}") from None


def _keys_once(pairs: list[tuple[str, Any]], path: Path) -> dict[str, Any]:
    """A JSON object whose keys are each given once: a split keyed by item id that gives
    an id twice kept only the last item, and one item fewer was scored without a word."""
    obj = dict(pairs)
    if len(obj) < len(pairs):
        from labelwright.data.jsonl_format import key_given_twice  # imports pandas: only then

        raise WrenchFormatError(f"{path}: key {key_given_twice(pairs)!r} is given twice in "
                                "one object (an item id given twice, in a split); JSON readers "
                                "keep only the last, so the other would be lost: give each once")
    return obj


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def load_split(path: Path, cardinality: int, drop_ids: frozenset[str] = frozenset(), *,
               unlabeled: bool = False) -> Split:
    """Read one WRENCH split file into a label matrix, labels and ids. Label -1 (no gold
    label) only where ``unlabeled`` (train: its labels are never scored)."""
    doc = _read_json(path)
    if not isinstance(doc, dict) or not doc:
        got = ("an empty object" if isinstance(doc, dict) else
               f"a JSON list of {counted(len(doc), 'entry', 'entries')}"
               if isinstance(doc, list) else f"a JSON {_json_type(doc)}")
        raise WrenchFormatError(f"{path}: expected a non-empty object mapping id -> item; "
                                f"got {got}")
    ids, rows, labels, texts = [], [], [], []
    width = None
    lowest = -1 if unlabeled else 0
    dropped = no_text = 0
    for item_id, item in doc.items():
        if item_id in drop_ids:
            dropped += 1
            continue
        if not isinstance(item, dict):
            raise WrenchFormatError(f"{path}: item {item_id!r} is a JSON "
                                    f"{type(item).__name__}, not an object with 'label' and "
                                    "'weak_labels'")
        votes = item.get("weak_labels")
        given = item.get("label")
        if not isinstance(votes, list) or not _is_int(given):
            got = ", ".join(f"{key} {item[key]!r:.60}" if key in item else f"no {key!r} key"
                            for key in ("label", "weak_labels"))
            raise WrenchFormatError(f"{path}: item {item_id!r} needs 'label' (an integer) and "
                                    f"'weak_labels' (a list of integers); got {got}")
        label = cast(int, given)  # checked above
        if width is None:
            width = len(votes)
        if len(votes) != width:
            raise WrenchFormatError(f"{path}: item {item_id!r} has {len(votes)} weak labels, "
                                    f"earlier items have {width}")
        if not lowest <= label < cardinality:
            valid = f"-1 (none) or 0..{cardinality - 1}" if unlabeled else \
                f"0..{cardinality - 1} (a scored split needs a gold label on every item)"
            raise WrenchFormatError(f"{path}: item {item_id!r} has label {label}; expected "
                                    f"{valid}; label.json defines {cardinality} classes")
        bad = [v for v in votes if not (_is_int(v) and -1 <= v < cardinality)]
        if bad:
            raise WrenchFormatError(f"{path}: item {item_id!r} has weak label {bad[0]!r}; "
                                    f"expected -1 (abstain) or 0..{cardinality - 1} "
                                    f"(label.json defines {cardinality} classes)")
        ids.append(item_id)
        rows.append(votes)
        labels.append(label)
        data = item.get("data")
        text = data.get("text") if isinstance(data, dict) else None
        if isinstance(text, int | float) and not isinstance(text, bool):
            text = str(text)  # a text of digits, written as a JSON number
        if not isinstance(text, str):  # null was read as the text "None"
            no_text += 1
            text = ""
        texts.append(text)
    if not ids:
        raise WrenchFormatError(f"{path}: every item is a labeled_ids.json row, dropped: no "
                                "item is left")
    return Split(np.asarray(rows, dtype=np.int64).reshape(len(rows), width or 0),
                 np.asarray(labels, dtype=np.int64), ids, texts, dropped, no_text)


def _json_type(value: Any) -> str:
    """What JSON calls ``value``'s type (``null``, ``string``, ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {str: "string", int: "number", float: "number"}.get(type(value),
                                                               type(value).__name__)


def _classes(path: Path) -> list[str]:
    """label.json: an object mapping every class index 0..k-1 (as text) to its name, k >= 2."""
    names = _read_json(path)
    keys = [str(i) for i in range(len(names))] if isinstance(names, dict) else []
    if not keys or set(keys) != set(names):
        raise WrenchFormatError(f"{path}: expected an object mapping each class index "
                                f'0..k-1 to its name, such as {{"0": "ham", "1": "spam"}}; '
                                f"got {json.dumps(names)[:80]}")
    if len(keys) < 2:  # a label model tells classes apart: one class ends in a traceback
        raise WrenchFormatError(f"{path}: defines 1 class ({json.dumps(names)[:80]}); a label "
                                "model needs at least 2 classes")
    classes = [str(names[key]) for key in keys]
    first: dict[str, int] = {}
    for index, name in enumerate(classes):
        if name in first:  # results and notes name classes: two alike cannot be told apart
            raise WrenchFormatError(f"{path}: classes {first[name]} and {index} are both named "
                                    f"{name!r}; give each class its own name")
        first[name] = index
    return classes


def _train_ids(path: Path) -> set[str]:
    """The item ids of a split file (read again: only when labeled_ids.json lists ids it
    does not have, to name them)."""
    doc = _read_json(path)
    return set(doc) if isinstance(doc, dict) else set()


def _labeled_ids(path: Path) -> frozenset[str]:
    """labeled_ids.json: ``{"labeled_ids": [...]}`` or the list itself."""
    doc = _read_json(path)
    ids = doc.get("labeled_ids") if isinstance(doc, dict) else doc
    if not isinstance(ids, list):
        raise WrenchFormatError(f'{path}: expected {{"labeled_ids": [id, ...]}} or a list of '
                                f"ids; got {json.dumps(doc)[:80]}")
    return frozenset(map(str, ids))


def load_datasets(folders: Sequence[str | Path]) -> list[WrenchDataset]:
    """Load every folder (:func:`load_wrench`), each named by :func:`dataset_names`."""
    return [load_wrench(f, name=name) for f, name in zip(folders, dataset_names(folders))]


def dataset_names(folders: Sequence[str | Path]) -> list[str]:
    """Each folder's name, unique: its own name (``youtube``) or, where two folders have the
    same name, as many of its last path parts as tell them apart (``a/set``, ``b/set``).
    Results are looked up by dataset name (the ranking table's extras, the notes, JSON
    readers), so two datasets must never share one. The same folder given twice keeps one
    name: its results are the same."""
    paths = [_absolute(Path(f)) for f in folders]
    parts = dict.fromkeys(paths, 1)  # how many trailing path parts name each folder

    def name(path: Path) -> str:
        return Path(*path.parts[-parts[path]:]).as_posix()

    while True:
        by_name: dict[str, set[Path]] = {}
        for path in parts:
            by_name.setdefault(name(path), set()).add(path)
        clashes = [path for same in by_name.values() if len(same) > 1 for path in same]
        if not clashes:
            return [name(path) for path in paths]
        for path in clashes:  # distinct paths: one part more tells them apart in the end
            parts[path] = min(parts[path] + 1, len(path.parts))


def load_wrench(folder: str | Path, *, name: str | None = None) -> WrenchDataset:
    """Load a WRENCH dataset folder (see module docstring); ``name`` defaults to the
    folder's name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WrenchFormatError(f"{folder}: not a directory")
    classes = _classes(folder / "label.json")
    k = len(classes)
    test = load_split(folder / "test.json", k)
    notes: list[str] = []
    train = None
    if (folder / "train.json").is_file():
        drop: frozenset[str] = frozenset()
        if (folder / "labeled_ids.json").is_file():
            drop = _labeled_ids(folder / "labeled_ids.json")
        train = load_split(folder / "train.json", k, drop, unlabeled=True)
        if drop:
            strangers: list[str] = []
            if len(drop) > train.dropped:  # some listed ids are no train item: name them
                strangers = sorted(drop - _train_ids(folder / "train.json"))
            notes.append(f"dropped {train.dropped} labeled_ids.json rows from train "
                         f"({len(train.ids)} train rows, as in the WRENCH paper)"
                         + (f"; {len(strangers)} of its {len(drop)} ids are not train.json "
                            f"items: {some_of([repr(i) for i in strangers])}"
                            if strangers else ""))
    else:
        notes.append("no train.json: models are fit on the test votes"
                     + ("; labeled_ids.json is not used (it lists train rows)"
                        if (folder / "labeled_ids.json").is_file() else ""))
    valid = load_split(folder / "valid.json", k) if (folder / "valid.json").is_file() else None
    widths = {name: split.L.shape[1] for name, split in
              (("train", train), ("valid", valid), ("test", test)) if split is not None}
    if not any(widths.values()):
        raise WrenchFormatError(f"{folder}: no split has a weak label (every weak_labels "
                                "list is empty): there is nothing to fit a label model on")
    if len(set(widths.values())) > 1:
        raise WrenchFormatError(f"{folder}: the splits have different numbers of LFs ("
                                + ", ".join(f"{name} {w}" for name, w in widths.items())
                                + "); every split's weak_labels must list the same LFs")
    if valid is None:
        notes.append("no valid.json: no gold='valid' run")
    notes.extend(_data_notes(classes, {"train": train, "valid": valid, "test": test}))
    notes.extend(vote_notes({"train": train, "valid": valid, "test": test}, k))
    if train is not None:
        shared = test_in_train(train, test)
        if shared:
            notes.append(shared)
    return WrenchDataset(name or _absolute(folder).name or str(folder), classes, train, valid,
                         test, notes)


def _positional(ids: Sequence[str]) -> bool:
    """Whether ``ids`` are WRENCH's usual keys, each item's place in its split (0, 1, ...):
    the same key in two splits is then no sign of the same item."""
    return all(item_id == str(i) for i, item_id in enumerate(ids))


def test_in_train(train: Split, test: Split) -> str | None:
    """A note when test items are also train items -- the same id (unless both splits key
    items by place, as WRENCH's files do) or the same non-empty text: the models are fit on
    train, so they are scored on items they were fit on. None when none is."""
    train_ids = set() if _positional(train.ids) and _positional(test.ids) else set(train.ids)
    train_texts = {t for t in train.texts if t}
    id_in = [i in train_ids for i in test.ids]
    text_in = [bool(t) and t in train_texts for t in test.texts]
    both = sum(a or b for a, b in zip(id_in, text_in))
    if not both:
        return None
    ways = ", ".join(f"{n} {how}" for n, how in ((sum(id_in), "by id"),
                                                 (sum(text_in), "by identical text")) if n)
    return (f"test.json: {both} of {len(test.ids)} test items are in train.json too ({ways}): "
            "the models are fit on train, so their test scores count these items they were "
            "fit on (the end model's most of all)")


def _data_notes(classes: list[str], splits: dict[str, Split | None]) -> list[str]:
    """What a folder's data leaves out without being wrong: a train split on which no LF
    voted (the models are fit on abstains alone), items without a text (the end model and
    the review rankings read them as empty), classes no label and no vote names."""
    notes = []
    train = splits["train"]
    if train is not None and not (train.L >= 0).any():
        notes.append("train.json: no LF voted on any item, so every model is fit on a "
                     "matrix of abstains (and there is no end-model number)")
    for name, split in splits.items():
        if split is not None and split.no_text:
            notes.append(f"{name}.json: {split.no_text} of {len(split.ids)} items have no "
                         "data.text (missing, null or not text): the end model and the "
                         "review rankings read them as empty texts")
    used: set[int] = set()
    for split in splits.values():
        if split is not None:
            used |= set(split.y[split.y >= 0].tolist()) | set(split.L[split.L >= 0].tolist())
    fit_on = train if train is not None else splits["test"]
    if fit_on is not None and fit_on.L.shape[1] > 1:
        twins = exact_groups(copy_of(fit_on.L))
        if twins:
            notes.append(f"{'train' if train is not None else 'test'}.json: LFs "
                         + "; ".join(" = ".join(map(str, group)) for group in twins)
                         + " (by column) vote alike on every item: dawid_skene (default) "
                           "counts each group once, the other models that take LFs as "
                           "independent count such a vote more than once")
    unused = [f"{k} ({classes[k]!r})" for k in range(len(classes)) if k not in used]
    if unused:
        notes.append(f"label.json: class(es) {', '.join(unused)} appear in no label and no "
                     "vote of any split; they still count among the classes (a model may "
                     "predict them where no LF voted)")
    return notes


def _absolute(folder: Path) -> Path:
    """``folder`` as an absolute path without ``.`` or ``..``, so that ``.`` is named for
    what it is (symlinks are not followed: a link's own name is the one the user gave)."""
    return Path(os.path.abspath(folder))


def vote_kappa(split: Split, cardinality: int) -> float | None:
    """How far ``split``'s votes agree with its gold labels beyond chance, as a
    class-balanced Cohen's kappa over all (item, LF) votes: ``(agree - chance) / (1 -
    chance)`` with ``agree`` the mean over classes of P(vote = c | item of class c) and
    ``chance`` the mean over classes of P(vote = c) (what ``agree`` is when votes are
    unrelated to items). Averaging over classes keeps a split with another class balance
    but equally good votes at the same value. 1 = every vote right, 0 = no better than
    chance; ``None`` with fewer than two labeled classes that got votes
    (:func:`no_kappa_reason` says why)."""
    kappa = _kappa_or_reason(split, cardinality)
    return kappa if isinstance(kappa, float) else None


def no_kappa_reason(split: Split) -> str:
    """Why :func:`vote_kappa` is None for ``split``, in a few words."""
    reason = _kappa_or_reason(split, int(split.y.max(initial=-1)) + 1)
    assert isinstance(reason, str), f"split has a kappa ({reason})"
    return reason


def _kappa_or_reason(split: Split, cardinality: int) -> float | str:
    """:func:`vote_kappa` of ``split``, or why it has none."""
    labeled = split.y >= 0
    if not labeled.any():
        return "no gold labels"
    if len(np.unique(split.y[labeled])) < 2:
        return "one class"
    votes = (split.L >= 0) & labeled[:, None]
    if not votes.any():
        return "no votes"
    classes = [c for c in range(cardinality) if votes[split.y == c].any()]
    if len(classes) < 2:
        return "votes on one class's items only"
    all_votes = split.L[votes]
    chance = np.mean([(all_votes == c).mean() for c in classes])  # <= 1/2: classes share votes
    agree = np.mean([(split.L[split.y == c][votes[split.y == c]] == c).mean() for c in classes])
    return float((agree - chance) / (1 - chance))


def vote_notes(splits: dict[str, Split | None], cardinality: int) -> list[str]:
    """A note with every split's :func:`vote_kappa` (or why a split has none: it would
    leave the note in silence), and a warning note for each split whose kappa is more than
    :data:`KAPPA_DROP` below train's."""
    said = {name: _kappa_or_reason(s, cardinality) for name, s in splits.items()
            if s is not None}
    if not said:
        return []
    kappas = {name: kappa if isinstance(kappa, float) else None for name, kappa in said.items()}
    shown = [f"{name} {kappa:.2f}" if isinstance(kappa, float) else f"{name} none ({kappa})"
             for name, kappa in said.items()]
    notes = ["votes vs gold labels beyond chance (class-balanced kappa): " + ", ".join(shown)]
    train = kappas.get("train")
    for name, kappa in kappas.items():
        if name != "train" and train is not None and kappa is not None \
                and kappa < train - KAPPA_DROP:
            notes.append(f"warning: {name} votes agree with their labels far less than train "
                         f"votes (kappa {kappa:.2f} vs {train:.2f}); they may not belong to "
                         f"their items, and label-model scores on {name} measure little")
    return notes


def fit_data(ds: WrenchDataset, gold: str) -> tuple[np.ndarray, np.ndarray | None]:
    base = ds.train if ds.train is not None else ds.test
    if gold == "none":
        return base.L, None
    assert ds.valid is not None
    L = np.vstack([base.L, ds.valid.L])
    y = np.concatenate([np.full(len(base.L), -1), ds.valid.y])
    return L, y


def evaluate(ds: WrenchDataset, model_name: str, gold: str, *, tie_break: str = "random",
             random_state: int = 0, params: dict[str, Any] | None = None,
             label: str | None = None) -> BenchRecord:
    """Fit ``model_name`` on ``ds`` with ``gold`` ("none" or "valid") and score on test."""
    if gold not in GOLD_SETTINGS:
        raise ValueError(f"unknown gold setting {gold!r}; valid: {', '.join(GOLD_SETTINGS)}")
    k = ds.cardinality
    L, y_dev = fit_data(ds, gold)
    kwargs = {"random_state": random_state, "tie_break": tie_break, **(params or {})}
    model = get_model(model_name, k, **kwargs).prepare()  # imports are no part of the fit
    # auto's reason names no setting the bench lacks (n_splits)
    fit_kwargs = {"names": BENCH_GOLD_ROWS} if isinstance(model, AutoLabelModel) else {}
    start = time.perf_counter()
    model.fit(L, y_dev=y_dev, **fit_kwargs)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        get_model(model_name, k, **kwargs).fit(L, y_dev=y_dev, **fit_kwargs)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    probs = model.predict_proba(ds.test.L)
    pred = model.predict(ds.test.L)
    y = ds.test.y
    ignored = ignored_lfs_warning(model, L)
    return BenchRecord(
        dataset=ds.name, model=label or model_name, gold=gold,
        accuracy=round(100 * accuracy(y, pred), 2),
        macro_f1=round(100 * macro_f1(y, pred, k), 2),
        f1=round(100 * binary_f1(y, pred), 2) if k == 2 else None,
        ece=round(100 * ece(probs, y, pred=pred), 2),  # of the predictions scored
        fit_seconds=round(seconds, 3),
        peak_rss_mb=round(peak / 2**20, 2),
        tie_break=tie_break, random_state=random_state,
        chosen=getattr(model, "chosen_", None),
        notes=[f"{label or model_name} (gold={gold}): {ignored}"] if ignored else [],
    )


def run_wrench(folders: list[str | Path], *, models: tuple[str, ...] = BENCH_MODELS,
               golds: tuple[str, ...] = GOLD_SETTINGS, tie_break: str = "random",
               random_state: int = 0) -> tuple[list[BenchRecord], list[WrenchDataset]]:
    """Run every model x gold setting on every folder; folders are all loaded first so a
    bad folder fails before any fitting."""
    for name in models:
        get_model(name)  # unknown names fail early, listing the valid ones
    datasets = load_datasets(folders)
    records = []
    for ds in datasets:
        for gold in golds:
            if gold == "valid" and ds.valid is None:
                continue
            for name in models:
                records.append(evaluate(ds, name, gold, tie_break=tie_break,
                                        random_state=random_state))
    return records, datasets
