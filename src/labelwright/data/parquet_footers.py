"""A Parquet file's footer read before any LF runs: a stream of a file or of many parts
(:func:`labelwright.apply.apply_file`) met a part it could not open, or without its id or
text column, only when it reached that part, after the parts before it were applied (on a
folder of 2 million rows, most of the work), and a file it could not open was pyarrow's
own error, naming no file. The footer (schema and row groups) is a few KB at the file's
end, so every part is looked at first for what a whole read would refuse of it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from labelwright.data.formats import detect_format
from labelwright.data.missing_columns import missing_column
from labelwright.errors import DataError


def footer_problems(path: Path, fmt: str | None, data_columns: Sequence[tuple[str, str]]
                    ) -> list[str]:
    """What a whole read of the Parquet file ``path`` would refuse that its footer shows:
    a file that cannot be opened as Parquet, and each of ``data_columns`` (role and name:
    ``("id", "msg_id")``) it does not have, in the words of that read; none for a file of
    another format (its columns are known only once its rows are read)."""
    if detect_format(path, fmt) != "parquet":
        return []
    import pyarrow.parquet as pq

    try:
        names = pq.read_schema(path).names
    except Exception as exc:  # pyarrow raises several unrelated types
        return [f"{path}: cannot read as Parquet: {exc}"]
    return [str(missing_column(str(path), role, column, names))
            for role, column in data_columns if column not in names]


def check_footers(paths: Sequence[Path], fmt: str | None,
                  data_columns: Sequence[tuple[str, str]], source: str = "") -> None:
    """A :class:`DataError` saying the :func:`footer_problems` of every one of ``paths``
    (the parts of ``source``, a folder or a wildcard; "" for one file), before any LF runs."""
    found = [footer_problems(path, fmt, data_columns) for path in paths]
    problems = [said for of_one in found for said in of_one]
    if not problems:
        return
    bad = sum(1 for of_one in found if of_one)
    tail = (f"\n(found in {bad} of the {len(paths)} files of {source} before any LF ran: "
            f"mend {'it' if bad == 1 else 'them'}, or leave {'it' if bad == 1 else 'them'} "
            "out of the files applied, naming the others with a wildcard or a list)"
            if source and len(paths) > 1 else "")
    raise DataError("\n".join(problems) + tail)
