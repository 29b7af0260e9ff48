"""What reading an LF's code finds before it runs: votes it spells out that are no label of
the project (:func:`bad_literal_votes`), text columns it compares with numbers
(:func:`number_comparisons`), and a function that returns nothing (:func:`never_returning`).

``labelwright check`` tries every LF on the first items only, so a ``return "Spam"`` (the
labels being "ham" and "spam") that those items never reach passed the check and ended the
run. Reading the LF's source finds it whatever the data. Only literals are read: a string, a
number, ``-1``, ``None``, and either side of ``a if cond else b``. What a name, a constant or
a call gives is known only when it runs (``return SPAM``, ``return label``), so it is left to
the run: nothing reported here can be right. A literal is judged as the run judges it
(:class:`~labelwright.lfs.core.VoteCoder`: a label in another Unicode normal form is that
label; ``-1`` and ``None`` abstain).
"""

from __future__ import annotations

import ast
import os
import tokenize
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from labelwright.lfs.core import LabelingFunction, VoteCoder, _plain, runs_as_written

if TYPE_CHECKING:
    from labelwright.data.dataset import Dataset

#: the decorators of snorkel's and labelwright's that pass an LF's return on as it is
LF_DECORATORS = frozenset({"labeling_function", "nlp_labeling_function"})


@dataclass(frozen=True)
class LiteralVote:
    """A literal an LF returns that is no vote: ``lfs`` names every LF made from the code at
    ``file:line`` (a factory makes several from one)."""

    lfs: tuple[str, ...]
    file: str
    line: int
    value: Any
    refusal: str

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}: LF {', '.join(self.lfs)} returns {self.value!r}, "
                f"{self.refusal}")


def bad_literal_votes(lfs: Iterable[LabelingFunction],
                      labels: Sequence[str]) -> list[LiteralVote]:
    """Every literal the Python LFs return that is no vote for ``labels``, by file and line."""
    coder = VoteCoder(labels)
    return [LiteralVote(names, file, line, value, coder.refusal(value))
            for names, file, line, value in _returned(lfs, lambda v: coder.vote(v) is None)]


def spelt_out_votes(lfs: Iterable[LabelingFunction], labels: Sequence[str]
                    ) -> tuple[set[int], list[str]]:
    """The labels (their indices) the Python LFs return as written, and the names of the
    LFs whose code says not all they return: a return of a name, a call or an expression,
    a ``yield``, or code that cannot be read as the code that runs (:func:`_definition`).
    ``ABSTAIN`` counts as written: it is labelwright's abstain."""
    coder = VoteCoder(labels)
    spelt: set[int] = set()
    unread: list[str] = []
    for lf in lfs:
        definition = _definition(lf)
        returns = None if definition is None else _returned_expressions(definition)
        if returns is None or not all(map(_only_literals, returns)):
            unread.append(lf.name)
        for node in (_returned_literals(definition) if definition is not None else ()):
            vote = coder.vote(ast.literal_eval(node))
            if vote is not None and vote >= 0:
                spelt.add(vote)
    return spelt, unread


def _returned_expressions(node: ast.FunctionDef | ast.Lambda) -> list[ast.expr] | None:
    """What the function's own code returns, None when it yields (a generator)."""
    if isinstance(node, ast.Lambda):
        return [node.body]
    own = list(_own_nodes(node))
    if any(isinstance(child, ast.Yield | ast.YieldFrom) for child in own):
        return None
    return [child.value for child in own if isinstance(child, ast.Return)
            and child.value is not None]


def _only_literals(expr: ast.expr) -> bool:
    """``expr`` gives a literal, or ``ABSTAIN``, whichever way its ``if``s go."""
    if isinstance(expr, ast.IfExp):
        return _only_literals(expr.body) and _only_literals(expr.orelse)
    return _name(expr) == "ABSTAIN" or next(_literals(expr), None) is expr


def returned_at(lf: LabelingFunction, value: Any) -> int | None:
    """The line of the ``return`` in ``lf``'s code that spells out ``value`` (what the LF
    returned on some item), when one line alone does; None when none or several do, or the
    code cannot be read as the code that runs (:func:`_definition`). A run that stops on a
    non-label cites this line, as ``check`` cites the literal's, not the ``def``'s."""
    definition = _definition(lf)
    if definition is None:
        return None
    plain, _ = _plain(value)
    lines = {node.lineno for node in _returned_literals(definition)
             if _same(ast.literal_eval(node), plain)}
    return lines.pop() if len(lines) == 1 else None


def _same(literal: Any, value: Any) -> bool:
    """``literal == value`` of the same type: ``1``, ``1.0`` and ``True`` are other returns."""
    return type(literal) is type(value) and literal == value


def never_returning(lfs: Iterable[LabelingFunction]) -> list[str]:
    """``file:line: LF NAME never returns a value ...`` for each Python LF whose function has
    no ``return`` with a value (nor ``yield``): it abstains on every item, most often for a
    ``return`` left out before its expression. Read from the code as written, so whatever
    the data; an LF whose code cannot be read so (a wrapper) is not judged."""
    out = []
    for lf in lfs:
        node = _definition(lf)
        if not isinstance(node, ast.FunctionDef) or _gives_a_value(node):
            continue
        out.append(f"{lf.file}:{lf.line}: LF {lf.name} never returns a value, so it abstains "
                   "on every item (a `return` left out before its expression?)")
    return out


def _gives_a_value(node: ast.FunctionDef) -> bool:
    """Whether the function's own code (not a function nested in it) returns a value other
    than ``None`` as written, or yields."""
    todo: list[ast.AST] = list(node.body)
    while todo:
        child = todo.pop()
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(child, ast.Yield | ast.YieldFrom):
            return True
        if isinstance(child, ast.Return) and child.value is not None and not (
                isinstance(child.value, ast.Constant) and child.value.value is None):
            return True
        todo.extend(ast.iter_child_nodes(child))
    return False


def _returned(lfs: Iterable[LabelingFunction], keep: Callable[[Any], bool]
              ) -> list[tuple[tuple[str, ...], str, int, Any]]:
    """``(LF names, file, line, value)`` of each literal the LFs return as written that
    ``keep`` keeps, by file and line; LFs a factory made from one line share an entry."""
    found: dict[tuple[str, int, str], tuple[tuple[str, ...], str, int, Any]] = {}
    for lf in lfs:
        definition = _definition(lf)
        if definition is None:
            continue
        for node in _returned_literals(definition):
            value = ast.literal_eval(node)
            if not keep(value):
                continue
            key = (lf.file, node.lineno, repr(value))
            names = found[key][0] if key in found else ()
            found[key] = ((*names, lf.name), lf.file, node.lineno, value)
    return sorted(found.values(), key=lambda entry: (entry[1], entry[2]))


def label_order_changes(lfs: Iterable[LabelingFunction], labels: Sequence[str],
                        then: Sequence[str], run_id: str,
                        renamed: Mapping[str, str] | None = None) -> list[str]:
    """Warnings for the label indices LFs return that name another label under ``labels``
    than under ``then``, the labels of the run ``run_id``: the same code votes for another
    label since ``[project] labels`` changed order, and nothing else would say so. Where
    the label at the index was renamed (``renamed``: old name -> current label) the vote
    means what it did, and the warning says so; where a label the run did not have took
    the index, it says the label there was replaced, not that the order changed."""
    renamed = renamed or {}
    out = []
    indices = _returned(lfs, lambda v: type(v) is int and 0 <= v < len(labels))
    for names, file, line, index in indices:  # another int is no vote: bad_literal_votes
        before = then[index] if index < len(then) else None
        now = labels[index]
        if before == now:
            continue
        was = f"voted {before!r}" if before is not None else "was no label"
        where = f"{file}:{line}: LF {', '.join(names)} returns {index}, which {was} in run " \
                f"{run_id} and votes {now!r} now"
        if before is not None and renamed.get(before) == now:
            out.append(f"{where}: the label at index {index} was renamed ([project] renamed), "
                       "so the vote means what it did; returning the label's name keeps its "
                       "meaning if the labels' order changes")
        elif before is not None and renamed.get(before) not in labels and now not in then:
            out.append(f"{where}: the label at index {index} was replaced ({before!r} is no "
                       f"label now, and {now!r} is new); if {before!r} was renamed to "
                       f"{now!r}, say so in [project] renamed = {{ {before} = \"{now}\" }}; "
                       "else check what the LF means by the index, and return the label's "
                       "name, which keeps its meaning")
        else:
            out.append(f"{where}: [project] labels changed order; return the label's name, "
                       "which keeps its meaning")
    return out


def _definition(lf: LabelingFunction) -> ast.FunctionDef | ast.Lambda | None:
    """The ``def`` or ``lambda`` whose returns are ``lf``'s votes as written, or None when
    that cannot be told: a wrapper (a decorator, ``functools.wraps``) may change what the
    function returns, and two lambdas on one line cannot be told apart."""
    if lf.kind == "python" and not runs_as_written(lf):
        return None
    if lf.kind not in ("python", "snorkel"):
        return None
    by_line = _functions(lf.file)
    if by_line is None:
        return None
    found = by_line.get(lf.line, [])
    if len(found) != 1:
        return None
    node = found[0]
    if lf.kind == "snorkel" and not _made_by_lf_decorator(node):
        return None  # snorkel's adapter hides the function that runs: trust the decorator only
    return node


Functions = dict[int, list[ast.FunctionDef | ast.Lambda]]
#: parsed LF files: path -> ((mtime_ns, size), their functions by first line). ``check``
#: reads each file for several kinds of finding, a run for two, and a Python API caller
#: may apply a project many times in one process; one walk of a module's tree serves all
#: its LFs (a walk per LF took 4.9 s for 400 LFs in one module)
_TREES: dict[str, tuple[tuple[int, int], Functions | None]] = {}


def _functions(file: str) -> Functions | None:
    """The ``def``s and ``lambda``s of the module at ``file`` by the line their code starts
    on (:func:`_first_line`), parsed once while the file is unchanged (its mtime and size),
    or None when it cannot be read or parsed."""
    try:
        stat = os.stat(file)
    except (OSError, ValueError):
        return None  # "<string>", a file gone since: the run judges its votes
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _TREES.get(file)
    if cached is not None and cached[0] == key:
        return cached[1]
    by_line: Functions | None = None
    try:
        with tokenize.open(file) as handle:  # the encoding Python reads the module in
            tree = ast.parse(handle.read(), filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        pass
    else:
        by_line = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                by_line.setdefault(_first_line(node), []).append(node)
    _TREES[file] = (key, by_line)
    return by_line


def _first_line(node: ast.FunctionDef | ast.Lambda) -> int:
    """The line a function's code object starts on: its first decorator's, if any."""
    decorators = node.decorator_list if isinstance(node, ast.FunctionDef) else []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _made_by_lf_decorator(node: ast.FunctionDef | ast.Lambda) -> bool:
    if not isinstance(node, ast.FunctionDef) or not node.decorator_list:
        return False
    return all(_name(d.func if isinstance(d, ast.Call) else d) in LF_DECORATORS
               for d in node.decorator_list)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _returned_literals(node: ast.FunctionDef | ast.Lambda) -> Iterator[ast.expr]:
    """The literals the function itself returns (not a function defined inside it)."""
    if isinstance(node, ast.Lambda):
        yield from _literals(node.body)
        return
    for child in _own_nodes(node):
        if isinstance(child, ast.Return) and child.value is not None:
            yield from _literals(child.value)


def _literals(expr: ast.expr) -> Iterator[ast.expr]:
    if isinstance(expr, ast.IfExp):
        yield from _literals(expr.body)
        yield from _literals(expr.orelse)
    elif isinstance(expr, ast.Constant) or (
            isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub | ast.UAdd)
            and isinstance(expr.operand, ast.Constant)
            and type(expr.operand.value) in (int, float)):
        yield expr


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

    def __str__(self) -> str:
        cast = "int" if isinstance(self.number, int) and not self.fractions else "float"
        if self.order:
            return (f"{self.file}:{self.line}: LF {self.lf} compares {self.written} with "
                    f"{str(self.number)!r} by {self.order}, but column {self.column!r} holds "
                    f"text (e.g. {self.example!r}), which is ordered character by character "
                    f"('100' < '40'), not by value: convert first ({cast}({self.written}) "
                    f"{self.order} {self.number!r})")
        return (f"{self.file}:{self.line}: LF {self.lf} compares {self.written} with the "
                f"number {self.number!r}, but column {self.column!r} holds text (e.g. "
                f"{self.example!r}), which is never equal to a number: compare with "
                f"{str(self.number)!r}, or convert first ({cast}({self.written}))")


_EQUALITY = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def number_comparisons(lfs: Iterable[LabelingFunction],
                       dataset: Dataset) -> list[NumberComparison]:
    """Where a Python LF compares a column of ``dataset`` that holds text
    (:func:`text_columns`) with a number by ``==``, ``!=``, ``in`` or ``not in`` (an order
    comparison raises instead, and the run reports that), or orders a column whose values
    are numbers written as text by a number written as text (``x.seats > "40"``). Only the
    columns some LF compares with a number are looked at."""
    compared = [c for lf in lfs for c in _compared_with_numbers(lf)]
    columns = text_columns(dataset, only={column for _, _, column, _, _ in compared})
    # text ordered by text is right for ISO dates, zip codes, versions ("2024-03-01" >=
    # "2023"): only a column of numbers written as text is ordered wrong
    spelt = {column: _numbers_spelt(dataset, column)
             for column in {column for _, _, column, _, _ in compared if column in columns}}
    found: dict[tuple[str, int, str], NumberComparison] = {}
    for lf, read, column, number, order in compared:
        if column in columns and (not order or spelt[column] is not None):
            found.setdefault((lf.name, read.lineno, column), NumberComparison(
                lf.name, lf.file, read.lineno, column, ast.unparse(read), number,
                columns[column], read.col_offset, order, spelt[column] == "fractions"))
    return sorted(found.values(), key=lambda c: (c.file, c.line, c.offset, c.lf))


def _compared_with_numbers(lf: LabelingFunction) -> Iterator[
        tuple[LabelingFunction, ast.expr, str, int | float, str]]:
    """``(lf, the read of the column, column, number, "")`` for each ``==``, ``!=``, ``in``,
    ``not in`` in ``lf``'s own code between a column of its item and a number, and
    ``(..., number, operator)`` for each ``<``, ``<=``, ``>``, ``>=`` between a column and a
    number written as text (``x.seats > "40"``)."""
    definition = _definition(lf)
    if definition is None or not definition.args.args:
        return
    item = definition.args.args[0].arg
    for node in _own_nodes(definition):
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


def text_columns(dataset: Dataset, rows: int = 1000, *,
                 only: Collection[str] | None = None) -> dict[str, str]:
    """The columns an LF reads as text (column -> its first value): the id and the text
    under every name an item gives them, and each other column whose values in the first
    ``rows`` items are all strings (a CSV's are); of ``only``'s columns, when given."""
    found = {}
    for names, values in ((("id", dataset.data_columns[0]), dataset.ids),
                          (("text", dataset.data_columns[1]), dataset.texts)):
        if values:
            found.update(dict.fromkeys(names, values[0]))
    for column in dataset.fields.columns:
        if only is not None and str(column) not in only:
            continue
        head = dataset.fields[column].iloc[:rows].dropna()
        if len(head) and all(isinstance(v, str) for v in head):
            found[str(column)] = head.iloc[0]
    return found


def _numbers_spelt(dataset: Dataset, column: str, rows: int = 1000) -> str | None:
    """What the first ``rows`` values of ``column`` (blank ones aside) spell: ``"whole"``
    numbers ("40"), numbers with ``"fractions"`` among them ("2.5"), or None when some value
    is no number (or there is none)."""
    if column in ("id", dataset.data_columns[0]):
        values = list(dataset.ids[:rows])
    elif column in ("text", dataset.data_columns[1]):
        values = list(dataset.texts[:rows])
    else:
        values = [v for name in dataset.fields.columns if str(name) == column
                  for v in dataset.fields[name].iloc[:rows].dropna()]
    spelt = {_spells(v.strip()) for v in values if isinstance(v, str) and v.strip()}
    if not spelt or None in spelt:
        return None
    return "fractions" if "fractions" in spelt else "whole"


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


def _own_nodes(node: ast.FunctionDef | ast.Lambda) -> Iterator[ast.AST]:
    """Every node of the function's own code (not of a function defined inside it)."""
    stack: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))


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
