"""Every problem one read of a dataset finds, said in one error, one kind a line.

A read that stopped at its first problem showed a 60k-row export's problems one kind per
attempt: a key given twice, then, once fixed, the rows without an id, then a text that is
a number. Now the rows a file reader cannot read are all gathered (the file is read again,
as ``[data] bad_rows = "skip"`` reads it, only when it has one: a clean read costs nothing
more), the rows read are checked for every other kind (no id, an id or text of the wrong
type, repeated ids, unknown gold labels), and one :class:`~labelwright.errors.DataError`
says them all, in the order a read meets them.

Each kind's first line is the error that kind gave alone (so the first line of the whole is
the error a read used to stop at); the others of a kind follow on the next line, the first
:data:`ROWS_SHOWN` named by where (file:line, row, id) and what, the rest counted.

The rows that cannot be read end with the setting that leaves them out instead
(:func:`skip_hint`), said here once for a whole read and a streamed one alike: in
``[data]`` terms for a project's data, as the argument ``bad_rows="skip"`` where the caller
is Python (``apply_file``; on the dask engine, which refuses it, the engines that take it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from labelwright.counts import counted, some_of
from labelwright.data.bad_rows import SkippedRow
from labelwright.errors import DataError, RowError

#: rows of one kind named after its first; the others are counted
ROWS_SHOWN = 5
#: what the rows that cannot be read end with: the way to leave them out, by how the
#: caller gives its settings (``hints``, as :func:`~labelwright.data.dataset.dataset_from_frame`
#: takes it)
SKIP_HINTS = {
    # check and analyze read a project's data too and write no run: the run is named
    "config": ('[data] bad_rows = "skip" leaves such rows out instead, each listed in the '
               "skipped_rows.jsonl `labelwright run` writes in its run folder"),
    "python": ('bad_rows="skip" leaves such rows out instead, each listed in the result\'s '
               "skipped_rows"),
    # apply_file on the dask engine, which refuses bad_rows="skip" (its workers read the file)
    "dask": ('bad_rows="skip" on the local or processes engine leaves such rows out instead, '
             "each listed in the result's skipped_rows"),
}


def skip_hint(hints: str) -> str:
    """The line the rows that cannot be read end with, for ``hints`` (``"config"``,
    ``"python"`` or ``"dask"``, a key of :data:`SKIP_HINTS`)."""
    if hints not in SKIP_HINTS:
        raise ValueError(f"hints must be one of {', '.join(map(repr, SKIP_HINTS))}, got "
                         f"{hints!r}")
    return f"\n  ({SKIP_HINTS[hints]})"


@dataclass(frozen=True)
class UnreadRows:
    """Every row the file reader could not read under ``bad_rows = "error"`` (as ``bad_rows
    = "skip"`` would list them), and ``first``: the error the first of them raised alone."""

    first: DataError
    rows: Sequence[SkippedRow]

    def error(self, source: str, hints: str) -> DataError:
        """``first``, the other rows that cannot be read (line, row and reason), and on a
        line of its own the setting that leaves them out (:func:`skip_hint` of ``hints``).
        One row alone stays a :class:`~labelwright.errors.RowError`, the type a caller may
        catch."""
        # A header that looks separated by another delimiter: the error names the setting
        # that reads the file; leaving its rows out would only hide that.
        whole_file = isinstance(self.first, RowError) and self.first.whole_file
        hint = "" if whole_file else skip_hint(hints)
        rest = sorted(self.rows, key=lambda r: r.row)[1:]
        if not rest:
            if isinstance(self.first, RowError):
                return RowError(str(self.first) + hint, self.first.reason, whole_file)
            return DataError(str(self.first) + hint)
        return DataError(more_of_kind(str(self.first), [
            f"{source}:{r.line}: row {r.row}: {r.reason}" if r.line is not None
            else f"{source}: row {r.row}: {r.reason}" for r in rest[:ROWS_SHOWN]],
            len(rest), "row that cannot be read", "rows that cannot be read") + hint)


def more_of_kind(first: str, shown: Sequence[str], more: int, what: str, plural: str) -> str:
    """``first`` (the error of a kind's first row) and, on a line of its own, the ``more``
    others of its kind (``what``, or ``plural``): ``shown`` says where and what the first
    of them are; the rest are counted."""
    if more <= 0:
        return first
    return (f"{first}\n  and {counted(more, f'more {what}', f'more {plural}')}: "
            f"{some_of(list(shown), ROWS_SHOWN, total=more, clauses=True)}")


def one_error(problems: Sequence[DataError], source: str) -> DataError:
    """One error for ``problems`` (each a kind's error, in the order a read meets them):
    a single one as it is (its type too), several one a line and counted, so a fix of them
    all is checked by one more read."""
    if len(problems) == 1:
        return problems[0]
    return DataError("\n".join(map(str, problems)) + f"\n({len(problems)} kinds of problem in "
                     f"{source}, all found in one read: fix them together)")
