"""One item's text and fields for ``explain``, from the project's data as it is now.

A file that is the one the run read (its hash, which covers the ``[data]`` settings that
read its bytes as other items, and the same id and text columns) read whole without an
error then: its item is found alone, the file read in pieces up to it
(:func:`~labelwright.data.item_lookup.find_item`), in the memory of a few thousand rows.
Any other file is read whole (:func:`~labelwright.data.dataset.read_dataset`), so that
what ``explain`` says of it is what a run would find: its errors (a repeated id, a
malformed row), or the item gone. So is the file when the settings now could refuse what
the run took: rows the run skipped as bad that ``bad_rows = "error"`` now stops at, or a
gold column the run did not check against the project's labels now.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config.data_override import ran_on_frame
from labelwright.data.data_hash import dataset_sha256
from labelwright.data.dataset import Dataset, read_dataset
from labelwright.data.item_lookup import find_item
from labelwright.errors import DataError
from labelwright.file_hashes import file_sha256
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.run_data import run_data_columns
from labelwright.runs.run_items import frame_items

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ItemNow:
    """The data an item is shown from: its source and hash, and the item's text and
    fields there (both None when it has no such item)."""

    source: str
    sha256: str
    text: str | None
    #: a one-row frame of its fields, as ``Dataset.fields`` holds them
    fields: pd.DataFrame | None
    #: a dataset in many files: each part's sha256 now, by its path (as the manifest's
    #: ``data.parts`` names it), and the part holding the item (None: not there)
    parts: dict[str, str] | None = None
    part: str | None = None
    #: the folder the parts are named within, as the dataset's messages name them
    #: (:attr:`~labelwright.data.dataset.Dataset.parts_base`)
    parts_base: str = ""


def item_now(config: Any, manifest: dict[str, Any], item_id: str,
             frame: pd.DataFrame | None = None) -> ItemNow:
    """The item ``item_id`` in ``frame`` (a DataFrame given for a run on one) or in the
    file ``config``'s ``[data]`` names; a :class:`~labelwright.errors.LabelwrightError`
    when it cannot be read."""
    if frame is not None:
        return _in_dataset(frame_items(config, frame, config.labels, "explain"), item_id)
    data = config.data
    path = Path(data.path)
    if path.is_file() and not ran_on_frame(manifest):
        try:
            sha256 = dataset_sha256(data)
        except OSError as exc:  # unreadable: as a whole read says it
            raise DataError(f"{path}: cannot read: {exc}") from None
        if _read_by_run(config, manifest, sha256):
            try:
                found = find_item(data, item_id, fields=_run_fields(config, manifest))
            except Exception:  # pyarrow raises several unrelated types: the whole read names it
                found = None
            # (an item of the run that its file does not hold: the whole read says why)
            if found is not None:
                return ItemNow(str(path), sha256, found.text, found.fields)
    return _in_dataset(read_dataset(data, config.labels), item_id)


def _in_dataset(dataset: Dataset, item_id: str) -> ItemNow:
    parts = {str(part.path): part.sha256 for part in dataset.parts} or None
    try:  # one scan of the ids
        row = dataset.ids.index(item_id)
    except ValueError:
        return ItemNow(dataset.source, dataset.sha256, None, None, parts,
                       parts_base=dataset.parts_base)
    return ItemNow(dataset.source, dataset.sha256, dataset.texts[row],
                   dataset.fields.iloc[row:row + 1], parts,
                   dataset.file_of(row) if parts else None, dataset.parts_base)


def _read_by_run(config: Any, manifest: dict[str, Any], sha256: str) -> bool:
    """Whether the file of hash ``sha256`` read with ``config``'s ``[data]`` is known to
    read whole without an error: the run read it so (see the module's docstring)."""
    data = manifest.get("data") or {}
    if data.get("sha256") != sha256:
        return False
    if run_data_columns(manifest) != (config.data.id_column, config.data.text_column):
        return False
    skipped = data.get("skipped_rows") or {}
    copies = skipped.get("copies", 0)  # of an earlier row, under duplicate_rows = "skip"
    if skipped.get("count", 0) - copies and config.data.bad_rows != "skip":
        return False  # rows a whole read now stops at
    if copies and config.data.duplicate_rows != "skip":
        return False
    gold = config.data.gold_column
    if gold is None:
        return True
    # the run checked this gold column against the same labels: no gold label unknown
    schema = data.get("schema") or []
    run_gold = schema[2].get("name") if len(schema) > 2 and isinstance(schema[2], dict) \
        else None
    return (run_gold == gold and bool(data.get("gold_rows"))
            and set(manifest_labels(manifest) or ()) == set(config.labels))


def _run_fields(config: Any, manifest: dict[str, Any]) -> list[str] | None:
    """The field columns of the run's data, in the order its whole read gave them (the
    file :func:`_read_by_run` holds to be the one it read), as its manifest records them
    after the id, text and gold columns; None when the record cannot tell which of them
    was a gold column (a config changed since, with no gold column now)."""
    names = [str(c.get("name")) for c in (manifest.get("data") or {}).get("schema") or []
             if isinstance(c, dict)]
    if len(names) < 2:
        return None
    if config.data.gold_column is not None:  # the run's too (_read_by_run)
        return names[3:]
    if len(names) == 2:
        return []
    recorded = (manifest.get("config") or {}).get("sha256")
    try:
        same = recorded is not None and file_sha256(config.config_path) == recorded
    except OSError:
        same = False
    return names[2:] if same else None  # the same config: no gold column then either
