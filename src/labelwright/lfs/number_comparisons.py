"""LF code that compares a column holding text with a number (``x.video == 5`` where every
``video`` value is the string ``"5"``, or ``x.seats > "40"``): never equal, or ordered
character by character, so the LF silently never votes, or votes wrongly. Found by reading
the LF's source (:mod:`labelwright.lfs.lf_code`) against the dataset's columns: which hold
text, over every row, and what their first text values spell."""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from labelwright.data.column_kinds import HEAD, ColumnNotes, rows_counted
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.lf_code import lf_definition, own_nodes

if TYPE_CHECKING:
    from labelwright.data.dataset import Dataset


@dataclass(frozen=True)
class NumberComparison:
    """An LF's code compares a column that holds text with a number (``x.video == 5``
    where every ``video`` value is a string such as ``"5"``): never equal, so the LF never
    votes there, silently. CSV and TSV values are all text."""

    lf: str
    file: str
    line: int
    column: str
    written: str  # the column as the code reads it: x.video, x["video"], ...
    number: int | float
    example: str  # a value of the column
    offset: int = 0  # the column the comparison starts at, on its line
    #: ``<``, ``<=``, ``>`` or ``>=`` when the number is written as text (``x.seats > "40"``):
    #: text is ordered character by character, so "100" < "40"
    order: str = ""
    #: does the column hold numbers with a fraction ("2.5")? Then the advice converts by
    #: float, whatever the number compared with: int("2.5") raises
    fractions: bool = False
    #: a value of the column that writes its digits otherwise than in ASCII (full-width
    #: "９９", Arabic-Indic "٩٩"), "" when none does: a comparison with the number as
    #: ASCII text ("99") misses it, where int() and float() read it as its value
    other_digits: str = ""
    #: of an order comparison: a value of the column that is no number although most are
    #: ("7.0%" among "10.1", "5.4"), "" when all are; and how many of the values read are not
    not_number: str = ""
    not_numbers: int = 0
    values_read: int = 0
    #: of a column holding numbers in some rows and text in others (4 and "4": parts of a
    #: dataset written with other types): the file's 1-based row of its first text, and
    #: how many rows hold text and how many numbers; 0 when the column holds only text
    text_row: int = 0
    texts: int = 0
    numbers: int = 0
    #: of a dataset in many files, the part and row of that first text (``p2.csv: row
    #: 3``): a row number alone does not say which part; "" for one file
    text_place: str = ""

    def __str__(self) -> str:
        cast = "int" if isinstance(self.number, int) and not self.fractions else "float"
        if self.order:
            said = (f"{self.file}:{self.line}: LF {self.lf} compares {self.written} with "
                    f"{str(self.number)!r} by {self.order}, but column {self.column!r} holds "
                    f"text (e.g. {self.example!r}), which is ordered character by character "
                    f"('100' < '40'), not by value: convert first ({cast}({self.written}) "
                    f"{self.order} {self.number!r})")
            if not self.not_number:
                return said
            are = "is" if self.not_numbers == 1 else "are"
            return said + (f"; {self.not_numbers} of the {self.values_read} values read {are} "
                           f"no number (e.g. {self.not_number!r}), on which {cast}() "
                           "raises: take out what is not the number first")
        if self.text_row and not self.order:
            return (f"{self.file}:{self.line}: LF {self.lf} compares {self.written} with the "
                    f"number {self.number!r}, but column {self.column!r} holds text in "
                    f"{rows_counted(self.texts)} (first: "
                    f"{self.text_place or f'row {self.text_row}'}, "
                    f"{self.example!r}) and numbers in {rows_counted(self.numbers)}: text is "
                    "never equal to a number, so the LF misses those rows: convert first "
                    f"({cast}({self.written}))")
        said = (f"{self.file}:{self.line}: LF {self.lf} compares {self.written} with the "
                f"number {self.number!r}, but column {self.column!r} holds text (e.g. "
                f"{self.example!r}), which is never equal to a number: ")
        if self.other_digits:
            return said + (f"convert first ({cast}({self.written})): the column writes "
                           f"digits otherwise than in ASCII ({self.other_digits!r}), which "
                           f"{cast}() reads and a comparison with {str(self.number)!r} "
                           "misses")
        return said + (f"compare with {str(self.number)!r}, or convert first "
                       f"({cast}({self.written}))")


_EQUALITY = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def number_comparisons(lfs: Iterable[LabelingFunction],
                       dataset: Dataset) -> list[NumberComparison]:
    """Where a Python LF compares a column of ``dataset`` that holds text
    (:func:`text_columns`, over every row) with a number by ``==``, ``!=``, ``in`` or
    ``not in`` (an order comparison raises instead, and the run reports that), or orders a
    column whose values are numbers written as text by a number written as text
    (``x.seats > "40"``). Only the columns some LF compares with a number are looked at."""
    compared = [c for lf in lfs for c in _compared_with_numbers(lf)]
    columns = text_columns(dataset, only={column for _, _, column, _, _ in compared})
    return _comparisons(compared, columns)


def compared_columns(lfs: Iterable[LabelingFunction]) -> set[str]:
    """The columns (as an item names them: ``x.video``, ``x["video"]``) that some of
    ``lfs`` compares with a number: those whose first text values a streamed read keeps
    (:class:`~labelwright.data.column_kinds.ColumnNotes`)."""
    return {column for lf in lfs for _, _, column, _, _ in _compared_with_numbers(lf)}


def streamed_number_comparisons(lfs: Iterable[LabelingFunction], notes: ColumnNotes,
                                data_columns: tuple[str, str]) -> list[NumberComparison]:
    """:func:`number_comparisons` of a file streamed in parts, from ``notes`` of its
    columns counted over the whole file: its fields, and the id and text columns
    (``data_columns``) under their names when an LF compares them. The same findings, in
    the same words, as of the file read whole."""
    compared = [c for lf in lfs for c in _compared_with_numbers(lf)]
    if not compared:
        return []
    columns = _noted_text_columns(notes, data_columns,
                                  {column for _, _, column, _, _ in compared})
    return _comparisons(compared, columns)


def _comparisons(compared: list[tuple[LabelingFunction, ast.expr, str, int | float, str]],
                 columns: dict[str, TextColumn]) -> list[NumberComparison]:
    """The comparisons of ``compared`` with a column among ``columns``, the columns an LF
    reads as text (:func:`text_columns`)."""
    # text ordered by text is right for ISO dates, zip codes, versions ("2024-03-01" >=
    # "2023"): only a column of numbers written as text is ordered wrong
    spelt = {column: _numbers_spelt(columns[column].values)
             for column in {column for _, _, column, _, _ in compared if column in columns}}
    other_digits = {column: _other_digits(columns[column].values) for column in spelt}
    found: dict[tuple[str, int, str], NumberComparison] = {}
    for lf, read, column, number, order in compared:
        if column not in columns:
            continue
        numbers, text = spelt[column], columns[column]
        if order and numbers.kind is None:
            continue
        found.setdefault((lf.name, read.lineno, column), NumberComparison(
            lf.name, lf.file, read.lineno, column, ast.unparse(read), number,
            text.example, read.col_offset, order, numbers.kind == "fractions",
            other_digits[column], numbers.not_number if order else "",
            numbers.not_numbers if order else 0, numbers.read if order else 0,
            text.row, text.texts, text.numbers, text.place))
    return sorted(found.values(), key=lambda c: (c.file, c.line, c.offset, c.lf))


def _compared_with_numbers(lf: LabelingFunction) -> Iterator[
        tuple[LabelingFunction, ast.expr, str, int | float, str]]:
    """``(lf, the read of the column, column, number, "")`` for each ``==``, ``!=``, ``in``,
    ``not in`` in ``lf``'s own code between a column of its item and a number, and
    ``(..., number, operator)`` for each ``<``, ``<=``, ``>``, ``>=`` between a column and a
    number written as text (``x.seats > "40"``)."""
    definition = lf_definition(lf)
    if definition is None or not definition.args.args:
        return
    item = definition.args.args[0].arg
    for node in own_nodes(definition):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for op, left, right in zip(node.ops, sides, sides[1:]):
            if type(op) in _ORDER:
                column, number = _column_read(left, item), _numeric_text(right)
                if column is not None and number is not None:
                    yield lf, left, column, number, _ORDER[type(op)]
                column, number = _column_read(right, item), _numeric_text(left)
                if column is not None and number is not None:  # "40" < x.seats
                    yield lf, right, column, number, _FLIPPED[_ORDER[type(op)]]
                continue
            if not isinstance(op, _EQUALITY):
                continue
            pairs = [(left, right)] + ([(right, left)] if isinstance(op, ast.Eq | ast.NotEq)
                                       else [])
            for read, other in pairs:
                column = _column_read(read, item)
                number = _number(other)
                if column is not None and number is not None:
                    yield lf, read, column, number, ""


_ORDER: dict[type, str] = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _numeric_text(node: ast.expr) -> int | float | None:
    """The number a string literal spells (``"40"``, ``"2.5"``), or None."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return None
    for kind in (int, float):
        try:
            return kind(node.value.strip())
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class TextColumn:
    """A column an LF reads as text: its first text value, and the first ``rows`` values
    (blank ones aside) that say what its text spells. Of a column holding numbers too,
    the file's 1-based row of its first text and how many rows hold text and numbers."""

    example: str
    values: Sequence[object]
    row: int = 0
    texts: int = 0
    numbers: int = 0
    place: str = ""  # a dataset in many files: the part and row of the first text


def text_columns(dataset: Dataset, *,
                 only: Collection[str] | None = None) -> dict[str, TextColumn]:
    """The columns an LF reads as text: the id and the text under every name an item gives
    them, each other column whose values are all strings (a CSV's are), and each holding
    numbers in some rows and text in others whose text spells a number (``4`` and ``"4"``:
    a comparison with the number misses the text rows; "n/a" among numbers it gets
    right); of ``only``'s columns, when given. Every row is looked at, in C
    (:class:`~labelwright.data.column_kinds.ColumnNotes`); what the text spells, in its
    first :data:`~labelwright.data.column_kinds.HEAD` text values."""
    found = {}
    for names, values in ((("id", dataset.data_columns[0]), dataset.ids),
                          (("text", dataset.data_columns[1]), dataset.texts)):
        if values:
            found.update(dict.fromkeys(names, TextColumn(values[0], list(values[:HEAD]))))
    fields = [str(name) for name in dataset.fields.columns
              if only is None or str(name) in only]
    notes = ColumnNotes.of(((name, dataset.fields[name]) for name in fields),
                           rows=dataset.file_rows, heads=fields)
    return found | _text_fields(notes, fields, dataset.part_place if dataset.parts else None)


def _noted_text_columns(notes: ColumnNotes, data_columns: tuple[str, str],
                        only: Collection[str]) -> dict[str, TextColumn]:
    """:func:`text_columns` of a streamed file, told by ``notes`` of its columns over
    every row, with their first text values."""
    found = {}
    for role, name in zip(("id", "text"), data_columns):
        counts = notes.columns.get(name)
        if counts is not None and counts.head:
            values = [value for _, _, value in counts.head]
            found.update(dict.fromkeys((role, name), TextColumn(str(values[0]), values)))
    return found | _text_fields(notes, [name for name in notes.columns
                                        if name in only and name not in data_columns])


def _text_fields(notes: ColumnNotes, names: Iterable[str],
                 place: Callable[[int], str] | None = None) -> dict[str, TextColumn]:
    """Those of the field columns ``names`` an LF reads as text (:func:`text_columns`), as
    ``notes`` (with their first text values) count them; ``place``: the part and row of
    the item at a position, for a dataset in many files."""
    found = {}
    for name in names:
        counts = notes.columns.get(name)
        if counts is None or not counts.head:
            continue
        kind = counts.holds_text()
        if kind == "all":  # as the rows from the first present one: all present are text
            first = counts.head[0][0]
            head = [value for at, _, value in counts.head if at < first + HEAD]
            found[name] = TextColumn(str(head[0]), head)
            continue
        texts = [value for _, _, value in counts.head]
        if not counts.numbers:  # text among bools, lists: never equal to a number either
            found[name] = TextColumn(str(texts[0]), texts)
        elif _numbers_spelt(texts, most=False).kind is not None:
            assert counts.first_text is not None
            found[name] = TextColumn(str(texts[0]), texts, counts.first_text[1] + 1,
                                     counts.texts, counts.numbers,
                                     place(counts.first_text[0]) if place else "")
    return found


def _other_digits(values: Sequence[object]) -> str:
    """The first of a column's first ``values`` that is a number written with digits other
    than ASCII ones (full-width "９９"), or ""."""
    return next((v.strip() for v in values if isinstance(v, str)
                 and not v.isascii() and _spells(v.strip())
                 and any(c.isdigit() and not c.isascii() for c in v)), "")


@dataclass(frozen=True)
class NumbersSpelt:
    """What the first values of a column spell: ``kind`` ``"whole"`` numbers ("40"),
    numbers with ``"fractions"`` among them ("2.5"), or None when most are no number (or
    there is none); ``not_number``, a value that is none although most are ("7.0%" among
    "10.1" and "5.4": a lab column with a unit in some cells), "" when all are;
    ``not_numbers`` of the ``read`` values are not."""

    kind: str | None
    not_number: str = ""
    not_numbers: int = 0
    read: int = 0


def _numbers_spelt(read: Sequence[object], *, most: bool = True) -> NumbersSpelt:
    """What a column's first values ``read`` (blank ones aside) spell
    (:class:`NumbersSpelt`). More than half of them numbers makes a column of numbers:
    ordering it as text is wrong for those, whatever the others hold, while ISO dates and
    versions ("2024-03-01", "2.1.1") spell none. ``most=False``: one number is enough."""
    values = [v.strip() for v in read if isinstance(v, str)]
    values = [v for v in values if v]
    kinds = [_spells(v) for v in values]
    numbers = [k for k in kinds if k is not None]
    if not numbers or (most and 2 * len(numbers) <= len(values)):
        return NumbersSpelt(None)
    others = [v for v, k in zip(values, kinds) if k is None]
    return NumbersSpelt("fractions" if "fractions" in numbers else "whole",
                        others[0] if others else "", len(others), len(values))


def _spells(text: str) -> str | None:
    """``"whole"`` for a whole number as int() reads it, ``"fractions"`` for another number
    float() reads, None for anything else."""
    for kind, name in ((int, "whole"), (float, "fractions")):
        try:
            kind(text)
        except ValueError:
            continue
        return name
    return None


def _column_read(node: ast.expr, item: str) -> str | None:
    """The column ``node`` reads from the LF's item argument: ``x.col``, ``x["col"]``,
    ``x.fields["col"]``; None for anything else."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == item:
        return node.attr
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
            and isinstance(node.slice.value, str):
        base = node.value
        if isinstance(base, ast.Name) and base.id == item:
            return node.slice.value
        if isinstance(base, ast.Attribute) and base.attr == "fields" \
                and isinstance(base.value, ast.Name) and base.value.id == item:
            return node.slice.value
    return None


def _number(node: ast.expr) -> int | float | None:
    """The number a literal spells (``5``, ``-1.5``; in ``in (1, 2)``, the first), or None
    (``True`` is no number here: a text column compared with it is another mistake)."""
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        numbers = [n for n in map(_number, node.elts) if n is not None]
        return numbers[0] if numbers and len(numbers) == len(node.elts) else None
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if type(value) in (int, float) else None
