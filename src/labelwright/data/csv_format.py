"""CSV and TSV files: the dialect every reader splits them by (whole, streamed, in
partitions). The whole-file read is :mod:`~labelwright.data.csv_frames`, its count of each
record's values :mod:`~labelwright.data.csv_field_counts`, and what the readers say of a
record they cannot read :mod:`~labelwright.data.csv_errors`."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from labelwright.config import DATA_QUOTINGS, delimiter_problem
from labelwright.data.csv_field_counts import text_lines as text_lines  # defined here before
from labelwright.errors import DataError

#: the formats read as CSV, and the delimiter of each
DELIMITERS = {"csv": ",", "tsv": "\t"}


@dataclass(frozen=True)
class CsvDialect:
    """How every reader of a CSV or TSV file (whole, streamed, in partitions) splits it.

    ``quoting``: ``"csv"``, a quote at the start of a value opens a quoted value that may
    hold delimiters and line breaks (``""`` in it is a quote), and text after its closing
    quote is an error (every reader would drop the quotes and join the text, silently);
    ``"none"``, quotes are text and every line is one record; ``"auto"`` (a TSV file's
    default), CSV quoting, but a quoted value that spans lines is an error too: in a
    tab-separated file a quote at the start of a value is as often text, and reading it as
    quoting would take the lines up to the next quote into one value.
    ``columns``: the names of a file without a header row (its first line is a record).
    """

    delimiter: str = ","
    quoting: str = "csv"
    columns: tuple[str, ...] | None = None

    @property
    def malformed(self) -> str:
        """What a message calls a record the format's reader cannot read: ``malformed
        TSV`` for a tab-separated file, ``malformed CSV`` for any other."""
        return "malformed TSV" if self.delimiter == "\t" else "malformed CSV"

    @property
    def quotes(self) -> bool:
        """Whether a quote at the start of a value opens a quoted value."""
        return self.quoting != "none"

    @property
    def one_line(self) -> bool:
        """Whether a quoted value that spans lines is an error (``quoting = "auto"``)."""
        return self.quoting == "auto"

    @property
    def header(self) -> bool:
        """Whether the file's first record names its columns."""
        return self.columns is None

    @property
    def csv_quoting(self) -> Literal[0, 3]:
        """The ``quoting`` of the :mod:`csv` module and pandas that reads quotes so."""
        return csv.QUOTE_MINIMAL if self.quotes else csv.QUOTE_NONE


def own_delimiter(kind: str, delimiter: str | None) -> bool:
    """Whether ``delimiter`` (``[data] delimiter``; None: not set) is the one a file of
    format ``kind`` is read with anyway: ``,`` for CSV, a tab for TSV."""
    return delimiter is None or DELIMITERS.get(kind) == delimiter


def csv_dialect(path: Path | str, kind: str, quoting: str = "auto",
                columns: Sequence[str] | None = None,
                delimiter: str | None = None) -> CsvDialect:
    """The dialect of a file of format ``kind`` read with ``[data] quoting``, ``columns``
    and ``delimiter`` (None: the format's own, ``,`` or a tab); a :class:`DataError` naming
    ``path`` for settings the format does not take. ``auto`` is CSV quoting in a CSV file,
    where quoted values spanning lines are common."""
    if quoting not in DATA_QUOTINGS:
        raise DataError(f"{path}: unknown quoting {quoting!r}; valid: "
                        f"{', '.join(DATA_QUOTINGS)}")
    if kind not in DELIMITERS:
        if columns is not None or quoting != "auto" or delimiter is not None:
            raise DataError(f"{path}: quoting, columns and delimiter are settings of a CSV or "
                            f"TSV file; this one is read as {kind}")
        return CsvDialect()
    if delimiter is not None and delimiter_problem(delimiter):
        raise DataError(f"{path}: {delimiter_problem(delimiter)}")
    if columns is not None:
        columns = tuple(columns)
        if not columns or any(not isinstance(c, str) or not c.strip() for c in columns) \
                or len(set(columns)) < len(columns):
            raise DataError(f"{path}: columns must name every column once, got "
                            f"{list(columns)!r}")
    resolved = "csv" if quoting == "auto" and kind == "csv" else quoting
    return CsvDialect(delimiter or DELIMITERS[kind], resolved, columns)
