"""What reading an LF's code finds of its votes before it runs: votes it spells out that
are no label of the project (:func:`bad_literal_votes`), a function that returns nothing
(:func:`never_returning`), and labels returned by position after the labels changed order
(:func:`label_order_changes`). Text columns compared with numbers:
:mod:`labelwright.lfs.number_comparisons`.

``labelwright check`` tries every LF on 50 items only, so a ``return "Spam"`` (the
labels being "ham" and "spam") that those items never reach passed the check and ended the
run. Reading the LF's source finds it whatever the data. Only literals are read: a string, a
number, ``-1``, ``None``, and either side of ``a if cond else b``; and, for the labels' order
and the labels an LF returns as written, a module-level constant of one (``SPAM = 1`` once in
the module, as snorkel's tutorials write it: :func:`~labelwright.lfs.lf_code.constants_read`).
What anything else gives is known only when it runs (``return label``, a call), so it is
left to the run: nothing reported here can be right. A literal is judged as the run judges
it (:class:`~labelwright.lfs.vote_codes.VoteCoder`: a label in another Unicode normal form is that
label; ``-1`` and ``None`` abstain).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.item import Item
from labelwright.lfs.lf_code import (
    constants_read,
    is_literal_node,
    lf_definition,
    node_name,
    own_nodes,
)
from labelwright.lfs.vote_codes import VoteCoder, plain_value


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
            for names, file, line, value, _ in _returned(lfs, lambda v: coder.vote(v) is None)]


def spelt_out_votes(lfs: Iterable[LabelingFunction], labels: Sequence[str]
                    ) -> tuple[set[int], list[str]]:
    """The labels (their indices) the Python LFs return as written, and the names of the
    LFs whose code says not all they return: a return of a name, a call or an expression,
    a ``yield``, or code that cannot be read as the code that runs (:func:`lf_definition`).
    ``ABSTAIN`` counts as written: it is labelwright's abstain."""
    coder = VoteCoder(labels)
    spelt: set[int] = set()
    unread: list[str] = []
    for lf in lfs:
        definition = lf_definition(lf)
        if definition is None:
            unread.append(lf.name)
            continue
        constants = constants_read(lf.file, definition)
        returns, yields = _returns(definition)
        if yields or not all(_only_literals(expr, constants) for expr in returns):
            unread.append(lf.name)
        for expr in returns:
            for _, value, _ in _literals(expr, constants):
                vote = coder.vote(value)
                if vote is not None and vote >= 0:
                    spelt.add(vote)
    return spelt, unread


def _returns(node: ast.FunctionDef | ast.Lambda) -> tuple[list[ast.expr], bool]:
    """What the function's own code (not a function defined inside it) returns, and
    whether it yields (a generator)."""
    if isinstance(node, ast.Lambda):
        return [node.body], False
    own = list(own_nodes(node))
    yields = any(isinstance(child, ast.Yield | ast.YieldFrom) for child in own)
    return [child.value for child in own if isinstance(child, ast.Return)
            and child.value is not None], yields


def _only_literals(expr: ast.expr, constants: Mapping[str, tuple[Any, int]]) -> bool:
    """``expr`` gives a literal, ``ABSTAIN`` or a module constant (``constants``),
    whichever way its ``if``s go."""
    if isinstance(expr, ast.IfExp):
        return _only_literals(expr.body, constants) and _only_literals(expr.orelse, constants)
    if isinstance(expr, ast.Name) and expr.id in constants:
        return True
    return node_name(expr) == "ABSTAIN" or is_literal_node(expr)


def returned_at(lf: LabelingFunction, value: Any) -> int | None:
    """The line of the ``return`` in ``lf``'s code that spells out ``value`` (what the LF
    returned on some item), when one line alone does; None when none or several do, or the
    code cannot be read as the code that runs (:func:`lf_definition`). A run that stops on a
    non-label cites this line, as ``check`` cites the literal's, not the ``def``'s."""
    definition = lf_definition(lf)
    if definition is None:
        return None
    plain, _ = plain_value(value)
    lines = {line for line, literal, _ in returned_literals(definition)
             if _same(literal, plain)}
    return lines.pop() if len(lines) == 1 else None


def return_line(call: Callable[[Item], Any], item: Item, lf: LabelingFunction,
                value: Any) -> int | None:
    """The line of the ``return`` in the LF's own function (:attr:`LabelingFunction.code`)
    that gives ``value``, seen by calling it on ``item`` again under a profiler: a value
    computed (a dict lookup) is spelt out by no ``return``, and the run named the decorator.
    Only for an error (one call per value named): the calls of a run go unwatched. None
    when not seen: the LF raised, or returned something else this time, or its function
    is no Python code."""
    code = getattr(lf.code, "__code__", None)
    if code is None:
        return None
    seen: list[tuple[int, Any]] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "return" and frame.f_code is code:
            seen.append((frame.f_lineno, arg))

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        again = call(item)
    except (Exception, SystemExit):
        return None
    finally:
        sys.setprofile(previous)
    if not seen or repr(again) != repr(value):
        return None
    line, returned = seen[-1]  # its outermost call returns last
    return line if returned is again else None


def return_site(lf: LabelingFunction, value: Any, call: Callable[[Item], Any] | None = None,
                item: Item | None = None) -> str:
    """Where an error of ``value`` (no vote) that ``lf`` returned cites it: ``FILE:LINE`` of
    the ``return`` seen giving it when ``lf`` is called on ``item`` again (``call``:
    :func:`return_line`), else of the ``return`` that spells it out (:func:`returned_at`),
    else where the LF is."""
    line = return_line(call, item, lf, value) if call is not None and item is not None else None
    if line is None:
        line = returned_at(lf, value)
    return f"{lf.file}:{line}" if line is not None else lf.location


def _same(literal: Any, value: Any) -> bool:
    """``literal == value`` of the same type: ``1``, ``1.0`` and ``True`` are other returns."""
    return type(literal) is type(value) and literal == value


def never_returning(lfs: Iterable[LabelingFunction]) -> list[str]:
    """``file:line: LF NAME never returns a value ...`` for each Python LF whose function has
    no ``return`` with a value (nor ``yield``): it abstains on every item, most often for a
    ``return`` left out before its expression. Read from the code as written, so whatever
    the data; an LF whose code cannot be read so (a wrapper) is not judged."""
    return [f"{lf.file}:{lf.line}: LF {lf.name} never returns a value, so it abstains on "
            "every item (a `return` left out before its expression?)"
            for lf in never_returning_lfs(lfs)]


def never_returning_lfs(lfs: Iterable[LabelingFunction]) -> list[LabelingFunction]:
    """The LFs :func:`never_returning` names (a run's warning of LFs that voted on no item
    leaves them to it)."""
    return [lf for lf in lfs if isinstance(node := lf_definition(lf), ast.FunctionDef)
            and not _gives_a_value(node)]


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


def _returned(lfs: Iterable[LabelingFunction], keep: Callable[[Any], bool],
              constants: bool = False) -> list[tuple[tuple[str, ...], str, int, Any, str]]:
    """``(LF names, file, line, value, shown)`` of each literal the LFs return as written
    that ``keep`` keeps, and with ``constants`` of each module constant they return
    (:func:`_literals`), by file and line; LFs a factory made from one line share an
    entry."""
    found: dict[tuple[str, int, str], tuple[tuple[str, ...], str, int, Any, str]] = {}
    for lf in lfs:
        definition = lf_definition(lf)
        if definition is None:
            continue
        read = constants_read(lf.file, definition) if constants else {}
        for line, value, shown in returned_literals(definition, read):
            if not keep(value):
                continue
            key = (lf.file, line, shown)
            names = found[key][0] if key in found else ()
            found[key] = ((*names, lf.name), lf.file, line, value, shown)
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
    indices = _returned(lfs, lambda v: type(v) is int and 0 <= v < len(labels), constants=True)
    for names, file, line, index, shown in indices:  # another int: bad_literal_votes
        before = then[index] if index < len(then) else None
        now = labels[index]
        if before == now:
            continue
        was = f"voted {before!r}" if before is not None else "was no label"
        where = f"{file}:{line}: LF {', '.join(names)} returns {shown}, which {was} in run " \
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


def returned_literals(node: ast.FunctionDef | ast.Lambda,
                       constants: Mapping[str, tuple[Any, int]] | None = None
                       ) -> Iterator[tuple[int, Any, str]]:
    """:func:`_literals` of what the function itself returns (not a function defined
    inside it)."""
    for expr in _returns(node)[0]:
        yield from _literals(expr, constants or {})


def _literals(expr: ast.expr, constants: Mapping[str, tuple[Any, int]]
              ) -> Iterator[tuple[int, Any, str]]:
    """``(line, value, shown)`` of each literal ``expr`` gives, either side of its ``if``s,
    shown as its ``repr``; and of each module constant in ``constants`` (name -> (value,
    line of its assignment)) it gives, shown as ``SPAM (= 1 at line 11)``."""
    if isinstance(expr, ast.IfExp):
        yield from _literals(expr.body, constants)
        yield from _literals(expr.orelse, constants)
    elif isinstance(expr, ast.Name) and expr.id in constants:
        value, set_at = constants[expr.id]
        yield expr.lineno, value, f"{expr.id} (= {value} at line {set_at})"
    elif is_literal_node(expr):
        value = ast.literal_eval(expr)
        yield expr.lineno, value, repr(value)
