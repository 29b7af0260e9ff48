"""A function in an LF module that reads like an LF but is none: it takes one argument (the
item), returns one of the project's labels as written, and has no decorator, and nothing in
the LF folder names it (no ``labeling_function()(f)``, no LF calling it). Discovery keeps
only labeling functions, so such a function was left out in silence and ``check`` said
"ok": a rule writer who forgot ``@labeling_function()`` saw their rule never vote and no
word why. Found by reading the files (no import, no run), as the labels LFs return are
(:mod:`labelwright.lfs.literal_votes`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from pathlib import Path

from labelwright.lfs.lf_code import constants_read, module_constants
from labelwright.lfs.literal_votes import returned_literals
from labelwright.lfs.vote_codes import VoteCoder


def _tree(path: Path) -> ast.Module | None:
    """The module's syntax tree (parsed once per file, read in its declared encoding, as
    the other checks of LF code read it); None when it does not read (its import says why)."""
    read = module_constants(str(path))
    return None if read is None else read[0]


def _takes_one_argument(node: ast.FunctionDef) -> bool:
    """``def f(item)``: one positional argument and nothing else, as an LF's function."""
    args = node.args
    return (len(args.posonlyargs) + len(args.args) == 1 and not args.kwonlyargs
            and args.vararg is None and args.kwarg is None)


def _names_used(tree: ast.Module) -> Iterator[str]:
    """Every name the module reads or imports (``f``, ``helpers.f``, ``from h import f``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.ImportFrom):
            yield from (alias.name for alias in node.names)


def _label_returned(path: Path, node: ast.FunctionDef,
                    coder: VoteCoder) -> tuple[int, str] | None:
    """``(line, label)`` of the first label of the project the function returns as
    written, or as a module constant it reads (``return RENAL``); None when it returns none."""
    for line, value, _ in returned_literals(node, constants_read(str(path), node)):
        if isinstance(value, str) and coder.vote(value) is not None:
            return line, value
    return None


def undecorated_lfs(folder: Path, labels: Sequence[str]) -> list[str]:
    """A warning for each top-level function of the LF modules in ``folder`` (the files
    discovery reads: ``*.py`` not starting with ``_``) that takes one argument and returns
    one of ``labels`` as written, has no decorator, and is named nowhere in the folder's
    Python files: it looks like an LF without ``@labeling_function()``. A name starting
    with ``_`` says it is a helper, meant to be kept off: not warned of."""
    if not folder.is_dir():
        return []
    trees = {path: _tree(path) for path in sorted(folder.rglob("*.py"))}
    used = {name for tree in trees.values() if tree is not None for name in _names_used(tree)}
    coder = VoteCoder(labels)
    warnings = []
    for path, tree in trees.items():
        if tree is None or path.parent != folder or path.name.startswith("_"):
            continue
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.decorator_list \
                    or node.name.startswith("_") or node.name in used \
                    or not _takes_one_argument(node):
                continue
            found = _label_returned(path, node, coder)
            if found is None:
                continue
            line, label = found
            [arg] = [*node.args.posonlyargs, *node.args.args]
            warnings.append(
                f"{path}:{node.lineno}: {node.name}({arg.arg}) returns the label {label!r} "
                f"(line {line}) but is no labeling function, so it never votes: add "
                f"@labeling_function() on the line above `def {node.name}` (from "
                f"labelwright import labeling_function); if it is a helper, call it from an "
                f"LF (or name it _{node.name} to keep it off)")
    return warnings
