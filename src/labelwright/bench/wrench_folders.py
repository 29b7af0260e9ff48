"""Reading a WRENCH dataset folder into label matrices, gold labels and texts.

A WRENCH folder holds ``train.json``, ``valid.json``, ``test.json`` (each maps an item id to
``{"label": int, "weak_labels": [int, ...], "data": {...}}``, -1 = abstain) and
``label.json`` (class index -> name). Only ``test.json`` and ``label.json`` are required:
without ``train.json`` models are fit on the test votes (transductive), without
``valid.json`` there is no ``gold="valid"`` run.

If the folder has ``labeled_ids.json`` (WRENCH's sms release appends labeled dev rows to
``train.json``), those rows are dropped from train to get the paper's setting; the dataset's
``notes`` say so, and what else the data leaves out (:mod:`~labelwright.bench.wrench_notes`).
A file that is not what WRENCH writes is a :class:`WrenchFormatError` naming the file, the
item and what was expected. Kept apart from the benchmark (:mod:`~labelwright.bench.wrench`):
scripts under ``benchmarks/`` and ``export --format wrench``'s tests read folders without
fitting anything.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from labelwright.bench.wrench_notes import data_notes, test_in_train, vote_notes
from labelwright.counts import counted, some_of
from labelwright.errors import DataError


class WrenchFormatError(DataError, ValueError):
    """A WRENCH folder or file is missing or malformed; the message names the file."""


@dataclass
class Split:
    """One split file read: its label matrix, gold labels (-1: none, train only), ids and
    texts, and how many items were dropped or had no text (for the notes)."""

    L: np.ndarray
    y: np.ndarray
    ids: list[str]
    texts: list[str] = field(default_factory=list)  # data.text per item ("" when absent)
    dropped: int = 0  # items left out as labeled_ids.json rows
    no_text: int = 0  # items whose data.text is missing, null or not text (read as "")


@dataclass
class WrenchDataset:
    """One folder read: its classes, its splits and the notes on its data."""

    name: str
    classes: list[str]
    train: Split | None
    valid: Split | None
    test: Split
    notes: list[str] = field(default_factory=list)

    @property
    def cardinality(self) -> int:
        return len(self.classes)


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
        raise WrenchFormatError(f"{path}: {_json_error(err)}") from None


#: characters shown either side of where a JSON file stops parsing
_SNIPPET = 30


def _json_error(err: json.JSONDecodeError) -> str:
    """Where ``err`` is, as line, column and character, with the text around it: WRENCH
    files are one line of megabytes, where a line number alone points nowhere; and whether
    the file ends just after (a file cut short while copied)."""
    doc, pos = err.doc, err.pos
    near = doc[max(0, pos - _SNIPPET):pos + _SNIPPET]
    left = len(doc) - pos
    cut = (f"; the file ends {left} characters later: was it cut short?"
           if left <= 10 * _SNIPPET else "")
    what = err.msg.removesuffix(" at")  # "Unterminated string starting at"
    return (f"invalid JSON: {what} at line {err.lineno}, column {err.colno} (character "
            f"{pos}), near {near!r}{cut}")


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
    width = _one_width(path, ids, rows)
    return Split(np.asarray(rows, dtype=np.int64).reshape(len(rows), width),
                 np.asarray(labels, dtype=np.int64), ids, texts, dropped, no_text)


def _one_width(path: Path, ids: list[str], rows: list[list[Any]]) -> int:
    """The number of weak labels every item of a split has; a WrenchFormatError naming the
    items whose count differs from most items' (the first item may be the odd one: a
    message measured against it named the wrong items)."""
    widths = Counter(len(votes) for votes in rows)
    width = widths.most_common(1)[0][0]
    if len(widths) == 1:
        return width
    odd = [f"{item_id!r} ({len(votes)})" for item_id, votes in zip(ids, rows)
           if len(votes) != width]
    raise WrenchFormatError(f"{path}: {counted(len(odd), 'item')} of {len(ids)} "
                            f"{'has' if len(odd) == 1 else 'have'} another number of weak "
                            f"labels than the other items' {width}: {some_of(odd)}; every "
                            "item's weak_labels must list the same LFs")


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
    notes.extend(data_notes(classes, {"train": train, "valid": valid, "test": test}))
    notes.extend(vote_notes({"train": train, "valid": valid, "test": test}, k))
    if train is not None:
        shared = test_in_train(train, test)
        if shared:
            notes.append(shared)
    return WrenchDataset(name or _absolute(folder).name or str(folder), classes, train, valid,
                         test, notes)


def _absolute(folder: Path) -> Path:
    """``folder`` as an absolute path without ``.`` or ``..``, so that ``.`` is named for
    what it is (symlinks are not followed: a link's own name is the one the user gave)."""
    return Path(os.path.abspath(folder))
