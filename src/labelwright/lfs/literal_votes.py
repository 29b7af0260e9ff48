"""Votes an LF's code spells out, checked against the project's labels by reading the code.

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
import tokenize
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from labelwright.lfs.core import LabelingFunction, VoteCoder, runs_as_written

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
    trees: dict[str, ast.Module | None] = {}
    found: dict[tuple[str, int, str], LiteralVote] = {}
    for lf in lfs:
        definition = _definition(lf, trees)
        if definition is None:
            continue
        for node in _returned_literals(definition):
            value = ast.literal_eval(node)
            if coder.vote(value) is not None:
                continue
            key = (lf.file, node.lineno, repr(value))
            seen = found.get(key)
            found[key] = LiteralVote(
                (*seen.lfs, lf.name) if seen else (lf.name,), lf.file, node.lineno, value,
                coder.refusal(value))
    return sorted(found.values(), key=lambda v: (v.file, v.line))


def _definition(lf: LabelingFunction,
                trees: dict[str, ast.Module | None]) -> ast.FunctionDef | ast.Lambda | None:
    """The ``def`` or ``lambda`` whose returns are ``lf``'s votes as written, or None when
    that cannot be told: a wrapper (a decorator, ``functools.wraps``) may change what the
    function returns, and two lambdas on one line cannot be told apart."""
    if lf.kind == "python" and not runs_as_written(lf):
        return None
    if lf.kind not in ("python", "snorkel"):
        return None
    if lf.file not in trees:
        trees[lf.file] = _parse(lf.file)
    tree = trees[lf.file]
    if tree is None:
        return None
    found = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.Lambda)
             and _first_line(node) == lf.line]
    if len(found) != 1:
        return None
    node = found[0]
    if lf.kind == "snorkel" and not _made_by_lf_decorator(node):
        return None  # snorkel's adapter hides the function that runs: trust the decorator only
    return node


def _parse(file: str) -> ast.Module | None:
    try:
        with tokenize.open(file) as handle:  # the encoding Python reads the module in
            return ast.parse(handle.read(), filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None  # "<string>", a file gone since: the run judges its votes


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
    stack: list[ast.AST] = list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Return) and child.value is not None:
            yield from _literals(child.value)
        elif not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                            | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))


def _literals(expr: ast.expr) -> Iterator[ast.expr]:
    if isinstance(expr, ast.IfExp):
        yield from _literals(expr.body)
        yield from _literals(expr.orelse)
    elif isinstance(expr, ast.Constant) or (
            isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub | ast.UAdd)
            and isinstance(expr.operand, ast.Constant)
            and type(expr.operand.value) in (int, float)):
        yield expr
