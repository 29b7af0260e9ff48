"""What an LF's own module puts in its cache key: the module without its LFs.

Each LF's own source is in its key already, so the module's part leaves the module's LFs
out: adding, removing, moving or editing one LF keeps the keys of the others. The module
is hashed as its syntax tree with those LF functions *removed* (decorators included), so
the lines an LF adds or takes away shift nothing, and comments and blank lines do not
count (they never change what code does; a ``# coding:`` line does, through the string
constants it decodes, which the tree holds).

An LF function is left out only when nothing else can reach it; otherwise it stays in
the tree and its edits recompute its neighbours, as a helper's do. It stays when

- code outside it names it: a name, an attribute (``module.lf``) or a string equal to its
  function name (``getattr(module, "lf")``, ``__all__``); not a list of LFs no code of
  the module reads (``LFS = [lf, ...]``, Snorkel's way of handing them to an applier);
- the module reaches its own names dynamically (``globals()``, ``vars``, ``eval``,
  ``exec``, ``sys.modules``, ``__dict__``, frames ...) or has a star import (which may bind
  any name): then no LF is left out;
- a decorator is not labelwright's or snorkel's ``labeling_function`` (a registry
  decorator would hand it to other code), or what the ``def`` line evaluates when the
  module runs (decorator arguments, defaults, annotations) calls anything but a plain
  builtin (``dict``, ``tuple`` ...) or binds a name (``:=``);
- it declares ``global`` names (it changes module state other code reads).
"""

from __future__ import annotations

import ast
import builtins
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from labelwright.apply.module_slice import sliced_body
from labelwright.caches import FileState, file_state
from labelwright.lfs.code_reads import MATCH_ATTRS

#: builtins through which code reaches a module's names without naming them: any of them
#: in a module, as a name (``eval(...)``; ``re.compile`` and ``df.eval`` are other
#: functions), keeps all its LFs in the key
DYNAMIC_BUILTINS = frozenset({"globals", "vars", "locals", "dir", "eval", "exec", "compile",
                              "__import__"})
#: the same through modules, frames and objects: as a name or an attribute
#: (``sys.modules``, ``frame.f_globals``; a frame alone, ``inspect.stack()``, reads no name)
DYNAMIC_ACCESS = frozenset({
    "reload", "import_module", "getmembers", "getmodule", "modules", "__dict__",
    "__globals__", "f_globals", "f_locals", "_getframe", "currentframe",
})

#: builtins whose calls in a ``def`` line (decorator arguments, defaults) change nothing
#: outside the call
PLAIN_CALLS = frozenset({"dict", "list", "tuple", "set", "frozenset", "str", "int",
                         "float", "bool", "bytes", "range", "sorted", "len", "min", "max",
                         "sum", "any", "all", "zip", "enumerate", "reversed"})

#: modules whose ``labeling_function`` only makes an LF (labelwright's, snorkel's)
LF_DECORATOR_MODULES = ("labelwright", "snorkel")


@dataclass(frozen=True)
class ModuleFacts:
    """An LF module as its LFs' keys see it: ``sha`` of the module without the LFs left out,
    whether that code reads glossary matches and ``.doc``, and per LF left out (by the
    first line of its code, decorators included: ``co_firstlineno``) whether it does."""

    sha: str
    reads_matches: bool
    reads_doc: bool
    left_out: dict[int, tuple[bool, bool]] = field(default_factory=dict)
    #: per LF left out (by its first line, as ``left_out``), the hash of the module's code
    #: that LF can depend on (:mod:`~labelwright.apply.module_slice`)
    slices: dict[int, str] = field(default_factory=dict)


def module_facts(file: str, lf_lines: frozenset[int] = frozenset(),
                 line: int = 0) -> tuple[str, bool, bool]:
    """(hash of the LF's module without the LF functions starting at ``lf_lines``, does the
    code an LF at ``line`` may reach there read glossary matches?, does it read ``.doc``?).

    ``lf_lines`` are the first lines (``LabelingFunction.line``, decorators included) of
    the run's LFs whose code is in ``file``; ``line`` is the LF's own: its reads count
    when its function is left out, and the hash is then of the module's code that LF can
    depend on (:mod:`~labelwright.apply.module_slice`: constants and helpers nothing it
    reaches names are left out too). Without ``lf_lines``: the whole module.
    """
    try:
        stat = os.stat(file)
    except OSError:
        return "", False, False
    facts = file_facts(file, file_state(stat), lf_lines)
    own = facts.left_out.get(line, (False, False))
    return (facts.slices.get(line, facts.sha), facts.reads_matches or own[0],
            facts.reads_doc or own[1])


@lru_cache(maxsize=256)
def file_facts(path: str, state: FileState, lf_lines: frozenset[int]) -> ModuleFacts:
    """:class:`ModuleFacts` of the file at ``path`` (memoised per its
    :data:`~labelwright.caches.FileState`); a file
    Python cannot parse is hashed whole, as reading everything."""
    raw = Path(path).read_bytes()
    try:
        tree = ast.parse(raw)
    except (SyntaxError, ValueError):
        return ModuleFacts(hashlib.sha256(raw).hexdigest(), True, True)
    left_out = {id(node): node for node in _removable(tree, lf_lines)}
    kept = [node for node in tree.body if id(node) not in left_out]
    reads = [tree_reads(node) for node in kept]
    own, slices = {}, {}
    bindings = _bindings(tree) if left_out else {}
    plain = {id(n): _def_line_is_plain(n, bindings) for n in kept
             if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}
    for node in left_out.values():
        sliced = _tree_sha(sliced_body(kept, node, bindings, plain))
        for line in _first_lines(node) & lf_lines:
            own[line] = tree_reads(node)
            slices[line] = sliced
    return ModuleFacts(_tree_sha(kept), any(r[0] for r in reads), any(r[1] for r in reads),
                       own, slices)


def _tree_sha(body: list[ast.stmt]) -> str:
    """The hash of top-level statements as a tree without positions: the same code on
    other lines hashes the same."""
    text = ast.dump(ast.Module(body=body, type_ignores=[]), include_attributes=False)
    return hashlib.sha256(text.encode(errors="surrogatepass")).hexdigest()


def tree_reads(tree: ast.AST) -> tuple[bool, bool]:
    """(reads glossary matches?, reads ``.doc``?) of parsed code, by its attribute names."""
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    return bool(attrs & MATCH_ATTRS), "doc" in attrs


def _first_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> set[int]:
    """The lines an LF made from ``node`` can start at: its first decorator's to its
    ``def``'s (``co_firstlineno`` is the first decorator's)."""
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    return set(range(first, node.lineno + 1))


def _removable(tree: ast.Module, lf_lines: frozenset[int]
               ) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's top-level LF functions (one of ``lf_lines`` starts them) that nothing
    else reaches (see the module's docstring)."""
    candidates = [node for node in tree.body
                  if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                  and _first_lines(node) & lf_lines]
    if not candidates:
        return []
    names = _names_used(tree)
    bare = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    identifiers = bare | {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    # (a string "globals" among an LF's cue words is neither)
    if bare & DYNAMIC_BUILTINS or identifiers & DYNAMIC_ACCESS:
        return []
    if any(isinstance(n, ast.alias) and n.name == "*" for n in ast.walk(tree)):
        return []  # a star import may bind any name: the decorator's, a builtin's
    decorators = _lf_decorator_names(tree)
    bindings = _bindings(tree)
    collected = _collected(tree, names)
    out = []
    for node in candidates:
        own = _names_used(node)
        if names.get(node.name, 0) - collected.get(node.name, 0) > own.get(node.name, 0):
            continue  # named outside its own code
        if not all(_is_lf_decorator(d, decorators, bindings) for d in node.decorator_list):
            continue
        if not _def_line_is_plain(node, bindings):
            continue
        if any(isinstance(n, ast.Global) for n in ast.walk(node)):
            continue
        out.append(node)
    return out


def _collected(tree: ast.Module, names: dict[str, int]) -> dict[str, int]:
    """How often each name is an element of a top-level list, tuple or set of bare names
    assigned to a name the module's code names nowhere else (``LFS = [check_out, check]``,
    as Snorkel users gather their LFs for an applier): no code of the module reads that
    name, so none reaches an LF through it (code elsewhere that reads it keys the LFs by
    their values, as it keys an LF it imports by name)."""
    out: dict[str, int] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if not (isinstance(target, ast.Name) and names.get(target.id) == 1
                and isinstance(value, ast.List | ast.Tuple | ast.Set)
                and all(isinstance(element, ast.Name) for element in value.elts)):
            continue
        for element in value.elts:
            assert isinstance(element, ast.Name)  # checked above; for mypy
            out[element.id] = out.get(element.id, 0) + 1
    return out


def _names_used(tree: ast.AST) -> dict[str, int]:
    """How often each name, attribute name or string constant occurs in ``tree``."""
    counts: dict[str, int] = {}
    for n in ast.walk(tree):
        word = (n.id if isinstance(n, ast.Name) else n.attr if isinstance(n, ast.Attribute)
                else n.value if isinstance(n, ast.Constant) and isinstance(n.value, str)
                else None)
        if word is not None:
            counts[word] = counts.get(word, 0) + 1
    return counts


def _bindings(tree: ast.Module) -> dict[str, int]:
    """How often the module's code binds each name, anywhere (an import counts once): a
    builtin, or a decorator's name, bound again may be something else."""
    out: dict[str, int] = {}

    def bind(name: str) -> None:
        out[name] = out.get(name, 0) + 1

    for n in ast.walk(tree):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            bind(n.id)
        elif isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bind(n.name)
        elif isinstance(n, ast.arg):
            bind(n.arg)
        elif isinstance(n, ast.alias):
            bind((n.asname or n.name).split(".")[0])
        elif isinstance(n, ast.ExceptHandler | ast.MatchAs | ast.MatchStar) and n.name:
            bind(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            bind(n.rest)
        elif isinstance(n, ast.Global | ast.Nonlocal):
            for name in n.names:
                bind(name)
    return out


def _lf_decorator_names(tree: ast.Module) -> dict[str, str]:
    """``{local name: dotted name}`` of the module's top-level imports from labelwright and
    snorkel (``labeling_function``, ``lw`` for ``import labelwright as lw``)."""
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                out[local] = alias.name if alias.asname else local
    return {name: dotted for name, dotted in out.items()
            if dotted.split(".")[0] in LF_DECORATOR_MODULES}


def _is_lf_decorator(decorator: ast.expr, imported: dict[str, str],
                     bindings: dict[str, int]) -> bool:
    """Is ``decorator`` labelwright's or snorkel's ``labeling_function`` (called or not),
    through a name bound only by its import?"""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    parts: list[str] = []
    while isinstance(target, ast.Attribute):
        parts.insert(0, target.attr)
        target = target.value
    if not isinstance(target, ast.Name) or target.id not in imported \
            or bindings.get(target.id, 0) != 1:
        return False
    return ".".join([imported[target.id], *parts]).endswith(".labeling_function")


def _def_line_is_plain(node: ast.FunctionDef | ast.AsyncFunctionDef,
                       bindings: dict[str, int]) -> bool:
    """Whether what a ``def`` evaluates when the module runs (decorator arguments, default
    values, annotations) can change nothing outside it: calls only of plain builtins the
    module does not rebind, no ``:=``, ``await`` or ``yield``."""
    args = node.args
    parts: list[ast.AST] = [*node.decorator_list, *args.defaults,
                            *(d for d in args.kw_defaults if d is not None)]
    parts += [a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                     *(x for x in (args.vararg, args.kwarg) if x))
              if a.annotation is not None]
    if node.returns is not None:
        parts.append(node.returns)
    for i, part in enumerate(parts):
        for n in ast.walk(part):
            if isinstance(n, ast.NamedExpr | ast.Await | ast.Yield | ast.YieldFrom):
                return False
            if isinstance(n, ast.Call) and not (i < len(node.decorator_list)
                                                 and n is part):  # the decorator's own call
                if not (isinstance(n.func, ast.Name) and n.func.id in PLAIN_CALLS
                        and n.func.id not in bindings and hasattr(builtins, n.func.id)):
                    return False
    return True
