"""Finding an item in a run's outputs for ``explain``: its row of ``labels.parquet`` (an
unknown id named with the ids that look like it) and of the label matrix, each file a
:class:`~labelwright.errors.RunError` saying it is missing when it is gone.

Both files are read batch by batch (:data:`BATCH_ROWS` rows) up to the item's row, never
whole: a run of millions of items made ``explain`` hold every row's labels and votes to
show one. Only an unknown id reads the whole id column, for the ids that look like it."""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from labelwright.errors import RunError, UnknownItemError
from labelwright.runs.file_names import MATRIX_FILE

MAX_SUGGESTIONS = 5
#: rows of a run's Parquet file read at a time
BATCH_ROWS = 1 << 16


#: a number's leading zeros, as an id's digits may carry them ("CL-00046") or not ("CL-46")
_LEADING_ZEROS = re.compile(r"(?<!\d)0+(?=\d)")
_NUMBER = re.compile(r"\d+")


def _plain_id(text: str) -> str:
    """An id without its numbers' leading zeros or case, as :func:`close_ids` compares."""
    return _LEADING_ZEROS.sub("", text).casefold()


def close_ids(item_id: str, ids: list[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """Ids that look like ``item_id``, closest first: first those that are ``item_id`` with
    or without the leading zeros of its numbers, or in another case ("CL-46" for
    "CL-00046": spelt alike by the ratio, "CL-00746" and four more came before it), or for
    a bare number the ids whose one number it is ("46"), then
    :func:`difflib.get_close_matches`."""
    target = _plain_id(item_id)
    same = [i for i in ids if _plain_id(i) == target and i != item_id][:n]
    if not same and item_id.isdigit():  # "46" for "CL-00046": the id's one number
        number = int(item_id)
        same = [i for i in ids if [int(d) for d in _NUMBER.findall(i)] == [number]][:n]
    near = difflib.get_close_matches(item_id, ids, n=n, cutoff=0.5)
    return [*same, *(i for i in near if i not in same)][:n]


def parquet_row(path: Path, item_id: str) -> tuple[dict[str, Any], int] | None:
    """The first row of the Parquet file at ``path`` whose text column ``id`` holds
    ``item_id``, with its columns as pandas gives them read whole, and its position; None
    when no row has it. pyarrow's errors are let through."""
    source = pq.ParquetFile(path)
    before = 0
    for batch in source.iter_batches(batch_size=BATCH_ROWS):
        position = pc.index(batch.column("id"), item_id).as_py()
        if position >= 0:
            one = pa.Table.from_batches([batch.slice(position, 1)])
            # (the file's schema, with the pandas metadata a whole read converts by)
            row = one.replace_schema_metadata(source.schema_arrow.metadata).to_pandas()
            return row.iloc[0].to_dict(), before + position
        before += batch.num_rows
    return None


def item_row(path: Path, item_id: str) -> tuple[dict[str, Any], int]:
    """The item's row of the run's ``labels.parquet`` at ``path`` (its columns as pandas
    gives them read whole) and its position there; an :class:`UnknownItemError` naming
    the ids that look like ``item_id`` when no row has it."""
    try:
        found = parquet_row(path, item_id)
        if found is not None:
            return found
        ids = [str(i) for i in pq.read_table(path, columns=["id"]).column("id").to_pylist()]
    except Exception as exc:  # pyarrow raises several unrelated types
        raise RunError(f"{path}: cannot read the labels: {exc}") from None
    near = close_ids(item_id, ids)
    hint = f"; did you mean {', '.join(_suggestion(i, item_id) for i in near)}?" if near \
        else (f"; ids look like {', '.join(repr(i) for i in ids[:3])}" if ids else "")
    raise UnknownItemError(f"{path}: no item with id {item_id!r} among {len(ids)} items{hint}")


def _suggestion(near: str, item_id: str) -> str:
    """``near`` as a suggestion for the id ``item_id``, spelt out in code points when the two
    are the same letters in other Unicode code points ("ü" as one, or as "u" and a combining
    diaeresis): they print the same, and "did you mean 'ü'?" for 'ü' said nothing."""
    if unicodedata.normalize("NFC", near) != unicodedata.normalize("NFC", item_id):
        return repr(near)
    return (f"{near!r} (the same letters in other Unicode code points: {ascii(near)}, not "
            f"{ascii(item_id)})")


def run_file(run_dir: Path, name: str, what: str) -> Path:
    """The path of the run's output ``name``, or a :class:`RunError` saying it is missing
    (a bare "cannot read" naming the path did not say that the file was gone)."""
    path = run_dir / name
    if not path.is_file():
        raise RunError(f"{path}: missing (deleted or moved since the run wrote it), so the "
                       f"run's {what} cannot be shown; `labelwright runs verify` checks "
                       "the whole run")
    return path


def matrix_row(run_dir: Path, index: int, item_id: str) -> dict[str, Any]:
    """Row ``index`` of the run's label matrix (``{"id": ..., lf: vote code}``), which must
    be the item ``item_id``'s, as its row of ``labels.parquet`` says."""
    matrix_path = run_file(run_dir, MATRIX_FILE, "votes")
    matrix: dict[str, Any] = {}
    try:
        before = 0
        for batch in pq.ParquetFile(matrix_path).iter_batches(batch_size=BATCH_ROWS):
            if index < before + batch.num_rows:
                matrix = batch.slice(index - before, 1).to_pylist()[0]
                break
            before += batch.num_rows
    except Exception as exc:
        raise RunError(f"{matrix_path}: cannot read the label matrix: {exc}") from None
    if matrix.get("id") != item_id:
        where = f"row {index + 1} holds item {matrix.get('id')!r}" if matrix else \
            f"has no row {index + 1}"
        raise RunError(f"{matrix_path}: {where}, expected {item_id!r}; the run folder is "
                       "inconsistent")
    return matrix
