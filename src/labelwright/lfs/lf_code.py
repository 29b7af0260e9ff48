"""Reading an LF's own code: the ``def`` or ``lambda`` whose returns are its votes
(:func:`lf_definition`), each module parsed once while it is unchanged (:func:`functions`),
the nodes of a function's own body (:func:`own_nodes`) and the names it binds
(:func:`own_names`), and the module-level constants its code reads (:func:`constants_read`)
or the module holds (:func:`module_constants`, :func:`constant_aliases`). What
``check`` and a run find in LF code before it runs (:mod:`labelwright.lfs.literal_votes`,
:mod:`labelwright.lfs.number_comparisons`, :mod:`labelwright.lfs.label_constants`) starts
here."""

from __future__ import annotations

import ast
import os
import tokenize
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from labelwright.caches import FileState, file_state
from labelwright.lfs.core import LabelingFunction, runs_as_written

#: the decorators of snorkel's and labelwright's that pass an LF's return on as it is
LF_DECORATORS = frozenset({"labeling_function", "nlp_labeling_function"})


def lf_definition(lf: LabelingFunction) -> ast.FunctionDef | ast.Lambda | None:
    """The ``def`` or ``lambda`` whose returns are ``lf``'s votes as written, or None when
    that cannot be told: a wrapper (a decorator, ``functools.wraps``) may change what the
    function returns, and two lambdas on one line cannot be told apart."""
    if lf.kind not in ("python", "snorkel") or not runs_as_written(lf):
        return None
    by_line = functions(lf.file)
    if by_line is None:
        return None
    found = by_line.get(lf.line, [])
    if len(found) != 1:
        return None
    node = found[0]
    if lf.kind == "snorkel" and not _made_by_lf_decorator(node):
        return None  # built directly, maybe as a subclass whose __call__ changes the votes
    return node


Functions = dict[int, list[ast.FunctionDef | ast.Lambda]]


@dataclass(frozen=True)
class _Module:
    """What one walk of a module's tree finds: its functions by first line, the functions
    defined at module level (not inside another function or a class), its constants and
    which of them are set to another (:func:`_constants`); and the tree, for what reads
    where a constant is used."""

    tree: ast.Module
    functions: Functions
    top_level: frozenset[ast.AST]
    constants: dict[str, tuple[Any, int]]
    set_from: dict[str, str]


#: parsed LF files: path -> (its :data:`~labelwright.caches.FileState`, what its tree
#: holds). ``check`` reads each file for several kinds of finding, a run for two, and
#: a Python API caller may apply a project many times in one process; one walk of a
#: module's tree serves all its LFs (a walk per LF took 4.9 s for 400 LFs in one module)
_TREES: dict[str, tuple[FileState, _Module | None]] = {}


def functions(file: str) -> Functions | None:
    """The ``def``s and ``lambda``s of the module at ``file`` by the line their code starts
    on (:func:`_first_line`), parsed once while the file is unchanged (its ``FileState``),
    or None when it cannot be read or parsed."""
    module = _module(file)
    return None if module is None else module.functions


def _module(file: str) -> _Module | None:
    try:
        stat = os.stat(file)
    except (OSError, ValueError):
        return None  # "<string>", a file gone since: the run judges its votes
    key = file_state(stat)
    cached = _TREES.get(file)
    if cached is not None and cached[0] == key:
        return cached[1]
    module: _Module | None = None
    try:
        with tokenize.open(file) as handle:  # the encoding Python reads the module in
            tree = ast.parse(handle.read(), filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        pass
    else:
        by_line: Functions = {}
        declared: set[str] = set()  # a function's `global NAME` may bind it anywhere
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.Lambda):
                by_line.setdefault(_first_line(node), []).append(node)
            elif isinstance(node, ast.Global):
                declared.update(node.names)
        module = _Module(tree, by_line, *_constants(tree, declared))
    _TREES[file] = (key, module)
    return module


def module_constants(file: str) -> tuple[ast.Module, dict[str, tuple[Any, int]]] | None:
    """The parsed module at ``file`` and its constants (name -> (value, line of its
    assignment), as :func:`constants_read` reads them), or None when it cannot be read or
    parsed."""
    module = _module(file)
    return None if module is None else (module.tree, module.constants)


def constant_aliases(file: str, name: str) -> set[str]:
    """``name`` and the constants of the module at ``file`` set to it, directly or through
    each other (``DEFAULT = SPAM``, at module level or in its ``if`` or ``try``): what one
    of them gives, ``name`` gives."""
    module = _module(file)
    set_from = {} if module is None else module.set_from
    names = {name}
    while more := {alias for alias, source in set_from.items() if source in names} - names:
        names |= more
    return names


def constants_read(file: str, node: ast.FunctionDef | ast.Lambda) -> dict[str, tuple[Any, int]]:
    """The module-level constants the function ``node`` of the module at ``file`` reads:
    name -> (value, line of its assignment), for a name the module binds once, to a
    literal (``SPAM = 1``) or another such name, that the function does not bind itself.
    Empty for a function defined inside another (a factory's argument may share a name)."""
    module = _module(file)
    if module is None or node not in module.top_level or not module.constants:
        return {}
    own = own_names(node)
    return {name: found for name, found in module.constants.items() if name not in own}


def own_names(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> set[str]:
    """The names a function binds in its own scope, its parameters and its locals: there
    a module's name of the same spelling is another value."""
    own = _parameters(node.args)
    for child in own_nodes(node):
        own.update(_bound(child))
    return own


def _parameters(args: ast.arguments) -> set[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}


def _constants(tree: ast.Module, declared: set[str]
               ) -> tuple[frozenset[ast.AST], dict[str, tuple[Any, int]], dict[str, str]]:
    """The functions defined at module level, the module's constants: name -> (value,
    line) for each name bound once in the module's own code (an assignment, an import, a
    ``def``, a ``for`` target, ``del``; a name ``declared`` ``global`` anywhere counts as
    bound more than once), by an assignment of a literal (a number, a string, ``None``,
    ``-1``) or of another such name, and the constants set to another: name -> that one's
    name. None after ``from m import *``, which may bind any name."""
    bindings: Counter[str] = Counter()
    assigned: dict[str, tuple[ast.expr, int]] = {}
    top_level: list[ast.AST] = []
    todo: list[ast.AST] = list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom) \
                and any(alias.name == "*" for alias in node.names):
            return frozenset(top_level), {}, {}
        bindings.update(_bound(node))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            top_level.append(node)
            todo.extend(node.decorator_list)  # run at module level; the body is not
            continue
        if isinstance(node, ast.Lambda):
            top_level.append(node)
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if len(targets) == 1 and isinstance(targets[0], ast.Name):
                assigned[targets[0].id] = (node.value, node.lineno)
        todo.extend(ast.iter_child_nodes(node))
    bindings.update(dict.fromkeys(declared, 2))
    constants: dict[str, tuple[Any, int]] = {}
    set_from: dict[str, str] = {}
    for _ in range(3):  # names of names: SPAM = 1; DEFAULT = SPAM
        for name, (value, line) in assigned.items():
            if bindings[name] != 1 or name in constants:
                continue
            if isinstance(value, ast.Name) and value.id in constants:
                constants[name] = (constants[value.id][0], line)
                set_from[name] = value.id
            elif (literal := _literal(value)) is not _NOT_LITERAL:
                constants[name] = (literal, line)
    return frozenset(top_level), constants, set_from


def _bound(node: ast.AST) -> list[str]:
    """The names ``node`` itself binds in the scope it is in: an assignment's, ``for``'s or
    ``with``'s target, ``del``, an import, a ``def`` or ``class``, ``except ... as``, a
    ``match`` capture."""
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, ast.Import | ast.ImportFrom):
        return [(alias.asname or alias.name).split(".")[0] for alias in node.names]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return [node.name]
    if isinstance(node, ast.ExceptHandler | ast.MatchAs | ast.MatchStar):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    return []


_NOT_LITERAL = object()


def _literal(node: ast.expr) -> Any:
    """The value of a literal number, string or ``None`` (``-1`` too), else _NOT_LITERAL:
    ``True`` or bytes are no constant of a label."""
    if not is_literal_node(node) or (isinstance(node, ast.Constant)
                                     and type(node.value) not in (int, float, str, type(None))):
        return _NOT_LITERAL
    return ast.literal_eval(node)


def is_literal_node(node: ast.expr) -> bool:
    """Whether ``node`` is a literal as written: a constant (a number, a string, bytes,
    ``True``, ``None``) or a signed number (``-1``)."""
    return isinstance(node, ast.Constant) or (
        isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) in (int, float))


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


def own_nodes(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> Iterator[ast.AST]:
    """Every node of the function's own code (not of a function defined inside it)."""
    stack: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while stack:
        child = stack.pop()
        yield child
        if not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
                          | ast.ClassDef):
            stack.extend(ast.iter_child_nodes(child))
