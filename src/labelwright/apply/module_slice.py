"""The part of an LF's module its votes can depend on: the module's top-level code less the
constants and helper functions nothing the LF reaches names.

An edit of ``LONG = 300`` recomputed every LF of the module, though one of five reads
it; with 200,000 items that is seconds for each edit of a notebook's loop. The module's
hash in an LF's key (:mod:`labelwright.apply.module_keys`) is therefore of its *slice*:

- a statement that may act when the module runs (an import, a class, a call that is
  not a plain builtin's or ``re.compile``'s, a loop, an assignment to an attribute or
  an item, module-level code of any other kind) is always kept, and so is everything
  its code names;
- a constant (``NAME = <value>`` whose value calls nothing but plain builtins,
  ``re.compile`` and ``re.escape``, and methods of a literal: ``"|".join(WORDS)``) and a
  helper function (no decorator, a plain ``def`` line, no ``global``) are kept when the
  LF's code, or code kept already, names what they bind; then what their own code names
  counts as named too. The others are left out.

A name is any word of the code (a name, an attribute's name, a string constant), so a
local variable or an attribute spelt as a constant keeps it: the slice errs towards
keeping. What the LF reads is also digested by value (its ``values read``); the slice
keeps the code that makes those values, and the code that may change them.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Mapping, Sequence

#: builtins a constant's value may call: they change nothing outside the call
PURE_BUILTINS = frozenset({"dict", "list", "tuple", "set", "frozenset", "str", "int",
                           "float", "bool", "bytes", "range", "sorted", "len", "min", "max",
                           "sum", "any", "all", "zip", "enumerate", "reversed", "map",
                           "filter"})
#: functions of the ``re`` module a constant's value may call
PURE_RE = frozenset({"compile", "escape"})


def names_of(node: ast.AST) -> set[str]:
    """The names, attribute names and string constants in ``node``, and a ``def``'s or a
    class's own name (which no :class:`ast.Name` holds)."""
    out: set[str] = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Name):
            out.add(n.id)
        elif isinstance(n, ast.Attribute):
            out.add(n.attr)
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.add(n.value)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            out.add(n.name)
    return out


def sliced_body(body: Sequence[ast.stmt], lf: ast.AST, bindings: Mapping[str, int],
                plain_def: Mapping[int, bool]) -> list[ast.stmt]:
    """The statements of ``body`` (a module's top level, its removed LFs taken out) that
    the LF ``lf`` can depend on, in order. ``bindings``: how often the module binds each
    name (a builtin bound again may be anything; ``re`` counts as the module only when
    ``import re`` binds it, once); ``plain_def``: by ``id()``, whether a function's
    ``def`` line evaluates nothing that acts (``module_keys``'s check)."""
    re_module = bindings.get("re") == 1 and any(
        isinstance(s, ast.Import) and any(a.name == "re" and a.asname is None for a in s.names)
        for s in body)
    reached = names_of(lf)
    optional: list[tuple[int, set[str]]] = []
    keep = [True] * len(body)
    for i, statement in enumerate(body):
        if _inert(statement, bindings, plain_def, re_module):
            keep[i] = False
            optional.append((i, _bound(statement)))
        else:
            reached |= names_of(statement)
    grown = True
    while grown:  # a kept constant's code names what it is made of: kept in turn
        grown = False
        for i, bound in optional:
            if not keep[i] and bound & reached:
                keep[i], grown = True, True
                reached |= names_of(body[i])
    return [statement for statement, kept in zip(body, keep) if kept]


def _bound(statement: ast.stmt) -> set[str]:
    """The names an inert statement binds: its targets, or its function's name."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return {statement.name}
    return {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)}


def _inert(statement: ast.stmt, bindings: Mapping[str, int],
           plain_def: Mapping[int, bool], re_module: bool) -> bool:
    """Whether running ``statement`` can do nothing but bind its own names: a constant or
    a plain helper function (see the module's docstring)."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return (not statement.decorator_list and plain_def.get(id(statement), False)
                and not any(isinstance(n, ast.Global | ast.Nonlocal)
                            for n in ast.walk(statement)))
    if isinstance(statement, ast.Assign):
        targets, value = statement.targets, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        targets, value = [statement.target], statement.value
    else:
        return False
    if not all(_plain_target(t) for t in targets):
        return False
    for n in ast.walk(value):
        if isinstance(n, ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom | ast.Lambda):
            return False
        if isinstance(n, ast.Call) and not _pure_call(n, bindings, re_module):
            return False
    return True


def _plain_target(target: ast.expr) -> bool:
    """A name, or a tuple or list of names (not an attribute, an item or a star)."""
    if isinstance(target, ast.Tuple | ast.List):
        return all(isinstance(t, ast.Name) for t in target.elts)
    return isinstance(target, ast.Name)


def _pure_call(call: ast.Call, bindings: Mapping[str, int], re_module: bool) -> bool:
    """A call of a plain builtin the module does not bind, of ``re.compile`` or
    ``re.escape`` (``re_module``: ``re`` is the module), or of a literal's method."""
    func = call.func
    if isinstance(func, ast.Name):
        return (func.id in PURE_BUILTINS and func.id not in bindings
                and hasattr(builtins, func.id))
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Constant) and isinstance(func.value.value, str | bytes):
        return True
    return (re_module and isinstance(func.value, ast.Name) and func.value.id == "re"
            and func.attr in PURE_RE)
