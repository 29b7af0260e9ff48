"""Reading an LF's own code: the ``def`` or ``lambda`` whose returns are its votes
(:func:`lf_definition`), each module parsed once while it is unchanged (:func:`functions`),
and the nodes of a function's own body (:func:`own_nodes`). What ``check`` and a run find
in LF code before it runs (:mod:`labelwright.lfs.literal_votes`,
:mod:`labelwright.lfs.number_comparisons`) starts here."""

from __future__ import annotations

import ast
import os
import tokenize
from collections.abc import Iterator

from labelwright.caches import FileState, file_state
from labelwright.lfs.core import LabelingFunction, runs_as_written

#: the decorators of snorkel's and labelwright's that pass an LF's return on as it is
LF_DECORATORS = frozenset({"labeling_function", "nlp_labeling_function"})


def lf_definition(lf: LabelingFunction) -> ast.FunctionDef | ast.Lambda | None:
    """The ``def`` or ``lambda`` whose returns are ``lf``'s votes as written, or None when
    that cannot be told: a wrapper (a decorator, ``functools.wraps``) may change what the
    function returns, and two lambdas on one line cannot be told apart."""
    if lf.kind == "python" and not runs_as_written(lf):
        return None
    if lf.kind not in ("python", "snorkel"):
        return None
    by_line = functions(lf.file)
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
#: parsed LF files: path -> (its :data:`~labelwright.caches.FileState`, its functions by
#: first line). ``check`` reads each file for several kinds of finding, a run for two, and
#: a Python API caller may apply a project many times in one process; one walk of a
#: module's tree serves all its LFs (a walk per LF took 4.9 s for 400 LFs in one module)
_TREES: dict[str, tuple[FileState, Functions | None]] = {}


def functions(file: str) -> Functions | None:
    """The ``def``s and ``lambda``s of the module at ``file`` by the line their code starts
    on (:func:`_first_line`), parsed once while the file is unchanged (its ``FileState``),
    or None when it cannot be read or parsed."""
    try:
        stat = os.stat(file)
    except (OSError, ValueError):
        return None  # "<string>", a file gone since: the run judges its votes
    key = file_state(stat)
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
    return all(node_name(d.func if isinstance(d, ast.Call) else d) in LF_DECORATORS
               for d in node.decorator_list)


def node_name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def own_nodes(node: ast.FunctionDef | ast.Lambda) -> Iterator[ast.AST]:
    """Every node of the function's own code (not of a function defined inside it)."""
    stack: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))
