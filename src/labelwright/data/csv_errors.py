"""What a CSV or TSV file's readers say of a record they cannot read, in the same words
whichever reader found it (whole, streamed, in partitions): a record with another number of
values than the header, a line of spaces where the header should be, a header that looks
separated by another delimiter. (The line a row's record starts on, for an error's message,
is :func:`~labelwright.data.csv_records.csv_row_lines`: it reads the file's records.)"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from labelwright.errors import DataError, RowError

if TYPE_CHECKING:
    from labelwright.data.csv_format import CsvDialect


def spaces_before_header(where: str) -> DataError:
    """A line of only spaces where the header should be: every reader stops there (the
    streaming one would take it for a header of one column)."""
    return DataError(f"{where}: a line of only spaces or tabs where the header should be; "
                     "delete it (the header is the first line, the column names)")


def separator_hint(header: Sequence[str], delimiter: str = ",") -> str | None:
    """What to do when a header read as one column holds semicolons, tabs, ``|`` or (read
    with another ``delimiter``) commas: the
    file is separated by them (a spreadsheet saved as CSV in a locale whose decimal mark is
    the comma writes semicolons), or is Excel's ``sep=;`` line (:func:`excel_sep_line`),
    read with ``delimiter``; None for any other header."""
    excel = excel_sep_line(header, delimiter)
    if excel is not None:
        return (f"delete the first line 'sep={excel}' (an Excel hint, not a header)"
                + (f', and set [data] delimiter = "{excel}"' if excel != delimiter else ""))
    if len(header) != 1:
        return None
    if "\t" in header[0]:  # a tab-separated file without the .tsv suffix
        return ('the header looks separated by tabs: set [data] format = "tsv" (or name the '
                "file .tsv)")
    if ";" in header[0]:
        return ("the header looks separated by semicolons (as spreadsheets save CSV where the "
                "decimal mark is a comma): set [data] delimiter = \";\"")
    if "|" in header[0]:
        return 'the header looks separated by "|": set [data] delimiter = "|"'
    if "," in header[0] and delimiter != ",":  # [data] delimiter set on a comma-separated file
        return ("the header looks separated by commas: set [data] delimiter = \",\" (or leave "
                "it unset: a .csv file's default)")
    return None


def excel_sep_line(header: Sequence[str], delimiter: str) -> str | None:
    """The delimiter an Excel ``sep=;`` first line names, when ``header`` (the first line
    read as a header, split at ``delimiter``) is one; None otherwise."""
    if len(header) == 2 and header[0] == "sep=" and header[1] in ("", "Unnamed: 1"):
        return delimiter  # "sep=;" read with the delimiter it names (pandas: "Unnamed: 1")
    if len(header) == 1 and len(header[0]) == 5 and header[0].startswith("sep="):
        return header[0][4]
    return None


def field_count_error(where: str, values: int, columns: int, dialect: CsvDialect, *,
                      spaces_only: bool, header: Sequence[str] = ()) -> RowError:
    """A CSV record with another number of values than its header (or ``[data] columns``)
    has columns: a row of its own, which ``[data] bad_rows = "skip"`` leaves out, unless
    the header looks separated by another delimiter (``whole_file``: the setting mends it)."""
    sep = dialect.delimiter
    other = separator_hint(header, sep) if dialect.header else None
    if other:
        hint = other
    elif spaces_only:
        hint = "the line holds only spaces or tabs; delete it or give it its values"
    elif values > columns and not dialect.quotes:
        hint = (f'a value holds {sep!r}, which [data] quoting = "none" reads as the end of '
                "the value")
    elif values > columns:
        hint = f"quote texts that contain {sep!r} (\"like, this\")"
    elif not dialect.quotes:  # quotes are text: no quote hides a delimiter or a line
        hint = ('check for a missing value, or a line break inside a value ([data] quoting = '
                '"none" reads each line as one record)')
    else:
        hint = "check for a missing value or quote"
    named = "the header has" if dialect.header else "[data] columns names"
    reason = (f"{dialect.malformed}: {values} value{'s' * (values != 1)} where {named} "
              f"{columns}; {hint}")
    return RowError(f"{where}: {reason}", reason, whole_file=bool(other))

