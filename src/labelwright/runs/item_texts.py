"""Each item's text as a run's LFs saw it, as a short hash, and the items whose text
changed: between two runs (``runs diff``) or since a run (``runs verify --inputs``).

A run records the dataset's hash, which says that the data changed but not which items: a
row edited in place (same id, new text) looked like any other change of the file. So a
run writes, per item, ``text_hash`` in ``labels.parquet``: the first 8 bytes of the
SHA-256 of the item's text in UTF-8, read as a big-endian unsigned 64-bit integer
(README "Hash recipes"). Eight bytes are enough to tell one item's text from its text in
another run (two texts of one id hashing alike: 1 in 2**64), and cost 8 MB per million
items. Runs written before it have no such column: what needs it says so and goes on.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.counts import some_of
from labelwright.errors import LabelwrightError

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config import DataConfig, ProjectConfig
    from labelwright.runs.item_moves import ItemMove
    from labelwright.runs.verify.data import DataReads

#: the ``labels.parquet`` column of each item's text hash
TEXT_HASH = "text_hash"


def _eight_bytes(text: str) -> bytes:
    """The first 8 bytes of ``sha256(text.encode("utf-8"))`` (``surrogatepass`` only keeps
    it total: the readers refuse a lone surrogate, and pandas' string columns hold none)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8]


def text_hashes(texts: Sequence[str]) -> np.ndarray:
    """Each of ``texts`` hashed: :func:`_eight_bytes` read as a big-endian unsigned 64-bit
    integer (1M texts: about 1.5 s)."""
    digests = b"".join(map(_eight_bytes, texts))
    return np.frombuffer(digests, dtype=">u8").astype(np.uint64)


def text_hash_hex(text: str) -> str:
    """``text``'s hash as :func:`text_hashes` makes it, written as 16 hex digits: the review
    ledger's ``text_hash`` of a decision (``int(h, 16)`` is the ``labels.parquet`` value)."""
    return _eight_bytes(text).hex()


def run_hash_hex(value: int) -> str:
    """A ``labels.parquet`` ``text_hash`` written as the ledger writes one
    (:func:`text_hash_hex`)."""
    return f"{int(value):016x}"


def no_hashes_note(run_ids: Sequence[str]) -> str:
    """Why the items whose text changed cannot be named: runs without text hashes."""
    one = len(run_ids) == 1
    return (f"item texts: not compared ({'run' if one else 'runs'} {' and '.join(run_ids)} "
            f"recorded no per-item text hash: {'it was' if one else 'they were'} made before "
            "runs recorded one)")


@dataclass
class TextChanges:
    """Items whose text is not the one a run recorded."""

    changed: list[str] = field(default_factory=list)  # ids in both, other text
    added: list[str] = field(default_factory=list)  # ids only in the later data
    removed: list[str] = field(default_factory=list)  # ids only in the earlier
    #: for a dataset in many files, the part holding each of these ids (now, or in the
    #: run for one gone), by the path the manifest names it with; {} for one file
    part: dict[str, str] = field(default_factory=dict)
    #: for a dataset in many files, the items now in another part than the run read them
    #: from (:mod:`~labelwright.runs.item_moves`), parts named by their path in the project
    moved: dict[str, ItemMove] = field(default_factory=dict)

    def of_part(self, path: str) -> TextChanges:
        """The changes of the items in the part ``path`` alone (an item moved: of the part
        it left and of the one it is in)."""
        def mine(ids: list[str]) -> list[str]:
            return [i for i in ids if self.part.get(i) == path]
        return TextChanges(mine(self.changed), mine(self.added), mine(self.removed),
                           {i: p for i, p in self.part.items() if p == path},
                           {i: m for i, m in self.moved.items() if path in (m.came_from,
                                                                              m.now_in)})


def changed_texts(joined: pd.DataFrame) -> np.ndarray:
    """Per row of two runs' labels joined on id (suffixes ``_a``, ``_b``): whether the
    item's text hash differs (all False when either run recorded none)."""
    a, b = f"{TEXT_HASH}_a", f"{TEXT_HASH}_b"
    if a not in joined.columns or b not in joined.columns:
        return np.zeros(len(joined), dtype=bool)
    return np.asarray(joined[a] != joined[b], dtype=bool)


def texts_since(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                frame: pd.DataFrame | None = None, reads: DataReads | None = None
                ) -> TextChanges | str:
    """The items of the data ``config`` reads now (``frame``: the DataFrame given, for a
    run that read one) whose text is not the one the run recorded, those added or gone
    since, and for a dataset in many files those now in another part; a line saying why
    not, when they cannot be compared (a run without text hashes, labels edited since the
    run, data that cannot be read now). ``reads``: the data's
    texts hashed already, for the runs before this one (``runs verify --all``)."""
    from labelwright.runs.item_moves import moved_items
    from labelwright.runs.item_origin import part_of_each
    from labelwright.runs.store import run_labels
    from labelwright.runs.verify.data import DataReads

    try:
        then = run_labels(run_dir, manifest, ["id", TEXT_HASH])
    except LabelwrightError as exc:
        return f"item texts: not compared ({exc})"
    if TEXT_HASH not in then.columns:
        return no_hashes_note([run_dir.name])
    try:
        now = hashes_now(config, frame, reads or DataReads())
    except (LabelwrightError, OSError) as exc:
        return f"item texts: not compared (the data cannot be read now: {exc})"
    then["id"] = then["id"].astype(str)
    then["position"] = np.arange(len(then))  # each item's place in the run's labels
    # an inner join: an outer one would hold the hashes as floats, which lose low bits
    both = then.merge(now, on="id", how="inner", suffixes=("_a", "_b"))
    found = TextChanges(
        changed=both["id"][changed_texts(both)].tolist(),
        added=now["id"][~now["id"].isin(then["id"])].tolist(),
        removed=then["id"][~then["id"].isin(now["id"])].tolist())
    if PART in now.columns:  # each item's part: now, or the run's for an item gone
        found.part = dict(zip(now["id"], now[PART], strict=True))
        run_parts = part_of_each(manifest, len(then))
        if run_parts is not None:
            gone = set(found.removed)
            found.part.update((i, p) for i, p in zip(then["id"], run_parts, strict=True)
                              if i in gone)
            found.moved = moved_items(run_dir, manifest, both, run_parts, config.root)
    return found


#: the column of :func:`_item_hashes` naming each item's part, for a dataset in many files
PART = "part"
#: its column of each item's 1-based row in its part, as the read's messages number it
ROW = "row"


#: its column of each item's gold label now (None: none), when the gold column could be read
GOLD = "gold"


def hashes_now(config: ProjectConfig, frame: pd.DataFrame | None, reads: DataReads
               ) -> pd.DataFrame:
    """Each item's ``id``, :data:`TEXT_HASH` and, when the project has a gold column whose
    labels can be read, :data:`GOLD` in the data ``config`` reads now (``frame``: the
    DataFrame given), read once for every run ``reads`` serves."""
    data = replace(config.data, gold_column=None)  # keyed by the texts' settings alone
    return reads.item_hashes(data, config.labels, frame, lambda: _item_hashes(
        data, config.labels, frame, gold=config.data.gold_column))


def _item_hashes(data: DataConfig, labels: tuple[str, ...], frame: pd.DataFrame | None,
                 gold: str | None = None) -> pd.DataFrame:
    """Each item's ``id`` and :data:`TEXT_HASH` in the file ``data`` reads, or ``frame``,
    and its :data:`GOLD` label from the column ``gold`` when that reads (a gold label the
    project does not have leaves the texts to be compared all the same)."""
    import pandas as pd

    from labelwright.data.dataset import Dataset, dataset_from_frame, read_dataset

    def read(gold_column: str | None) -> Dataset:
        if frame is None:
            return read_dataset(replace(data, gold_column=gold_column), labels)
        return dataset_from_frame(frame, id_column=data.id_column,
                                  text_column=data.text_column, gold_column=gold_column,
                                  gold_values=data.gold_values,
                                  labels=labels, bad_rows=data.bad_rows,
                                  duplicate_rows=data.duplicate_rows, hints="config")

    try:
        items, with_gold = read(gold), gold is not None
    except LabelwrightError:
        if gold is None:
            raise
        items, with_gold = read(None), False
    hashes = pd.DataFrame({"id": items.ids, TEXT_HASH: text_hashes(items.texts)})
    if with_gold:
        names = items.gold_labels or labels
        hashes[GOLD] = pd.Series([names[g] if g >= 0 else None for g in items.gold],
                                 dtype="object")
    if items.parts and sum(part.rows for part in items.parts) == len(items):
        hashes[PART] = [str(part.path) for part in items.parts for _ in range(part.rows)]
        hashes[ROW] = (np.arange(len(items)) if items.file_rows is None
                       else np.asarray(items.file_rows)) + 1
    return hashes


def since_lines(found: TextChanges | str, shown: int = 5) -> list[str]:
    """``runs verify --inputs``' lines under a changed dataset: the items whose text is no
    longer the run's, added or gone (the first ``shown`` ids of each), or that every
    item's text is the run's."""
    if isinstance(found, str):
        return [found]
    from labelwright.runs.item_moves import moved_line

    lines = [f"items {what} since the run: {len(ids)} ({some_of(ids, shown)})"
             for what, ids in (("whose text changed", found.changed), ("added", found.added),
                               ("gone", found.removed)) if ids]
    moved = moved_line(found.moved, shown)
    lines += [moved] if moved else []
    return lines or ["item texts: every item the run labeled has its text and no item was "
                     "added or removed (the change is elsewhere: other columns, the rows' "
                     "order)"]


def text_change_line(changed: int, ids: Sequence[str]) -> str:
    """``items whose text changed: 3 (t1, t4, t9)``, the first ``ids`` of ``changed``."""
    return f"items whose text changed: {changed} ({some_of(ids, len(ids), total=changed)})"
