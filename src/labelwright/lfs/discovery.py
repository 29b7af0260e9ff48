"""Finding a project's LFs: every ``*.py`` module of its LF folder is imported, and the
LFs it keeps are its LFs.

An LF is found bound to a module-level name, or in module-level lists, tuples, sets or
dicts (nested up to :data:`MAX_DEPTH` levels): LFs made by a factory,
``LFS = [keyword("refund", "billing"), ...]``. LF modules may import each other (by name,
through their package, even in a circle): while the folder is imported, every import of
one of its LF files gives the one module object discovery made for it, so an LF is never
made twice. Two LFs with one name are an error naming both places, and so is an LF that
an LF module's code made with labelwright's decorator but keeps nowhere (a second
``def f`` replaces the first; an LF made and dropped never votes; snorkel's decorator
tells nobody what it makes, so its LFs are only checked for names). Relative imports
(``from .keywords import x``) do not work in LF modules: import siblings by name.
"""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from labelwright.errors import DuplicateLFError, LFError
from labelwright.lfs.core import (
    LabelingFunction,
    from_snorkel,
    is_snorkel_class,
    is_snorkel_lf,
    recording,
)
from labelwright.lfs.folder_imports import (
    IMPORT_LOCK,
    forget_lines,
    import_from,
    remember_aliases,
)
from labelwright.lfs.import_failures import ImportFailed
from labelwright.lfs.lf_modules import LFModules
from labelwright.matrix import ID_COLUMN

#: how deep module-level containers are searched for LFs
MAX_DEPTH = 3
_CONTAINERS = (list, tuple, set, frozenset, dict)


def discover(folder: Path) -> list[LabelingFunction]:
    """Every LF of the ``*.py`` modules of ``folder`` (files starting ``_`` skipped).

    The folder goes on ``sys.path``, so LF modules can import helper modules beside them
    (``_helpers.py``) and each other by name. Order is by file name, then by line, so
    label matrix columns are stable. Two LFs with one name raise
    :class:`DuplicateLFError` naming both places; every module that fails to import and
    every name clash is said in one error (:class:`LFError` when not all are clashes).

    One discovery at a time in a process
    (:data:`~labelwright.lfs.folder_imports.IMPORT_LOCK`): it changes ``sys.path``,
    ``sys.modules`` and ``sys.meta_path``, and records the LFs made while it imports.
    """
    with IMPORT_LOCK:
        return _discover(folder)


def _discover(folder: Path) -> list[LabelingFunction]:
    if not folder.is_dir():
        raise LFError(f"{folder}: no labeling_functions folder; create it and add a module")
    importable = str(folder.resolve())
    import_from(importable, again=True)
    forget_lines(importable)
    paths = [p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]
    modules = LFModules(paths)
    found: dict[str, LabelingFunction] = {}
    kept: set[int] = set()
    sys.meta_path.insert(0, modules)
    try:
        with recording() as made:
            failed: dict[str, str] = {}  # every module that cannot be imported: its error
            named: list[LFError] = []  # every name two LFs share, or no LF may have
            not_imported: set[str] = set()  # those and the modules that import them
            for path in paths:
                if os.path.realpath(path) in failed:
                    continue  # failed already, imported by a module before it: said there
                try:
                    module = modules.load(path)
                except ImportFailed as exc:
                    failed[exc.module] = str(exc)
                    not_imported.update({exc.module, os.path.realpath(path)})
                    continue
                made_lines = _statement_lines(path)
                for binding, obj in _module_lfs(module):
                    if id(obj) in kept:  # bound to two names, or imported by another module
                        continue
                    kept.add(id(obj))
                    lf = obj if isinstance(obj, LabelingFunction) else from_snorkel(obj)
                    made_line = made_lines.get(binding, 0)
                    if made_line and made_line != lf.line:  # made by a call, not its def
                        lf.made_at = f"{path}:{made_line}"
                    if not isinstance(obj, LabelingFunction) \
                            and os.path.realpath(path) != os.path.realpath(lf.file):
                        lf.maker = str(path)  # made by a factory elsewhere, kept here
                    if lf.name == ID_COLUMN:
                        named.append(LFError(
                            f"{lf.location}: a labeling function may not be named "
                            f"{ID_COLUMN!r}: the label matrix (label_matrix.parquet) keeps the "
                            "item ids in a column of that name; rename it"))
                    elif lf.name in found:
                        named.append(DuplicateLFError(
                            f"two labeling functions are named {lf.name!r}: "
                            f"{_made_at(found[lf.name])} and {_made_at(lf)}; "
                            f"{_rename(lf)} (names must be unique in a project)"))
                    else:
                        found[lf.name] = lf
    finally:
        sys.meta_path.remove(modules)
        remember_aliases(modules.aliases)
    # every module imported: its LFs made but kept nowhere, said with the failed imports
    # (a failed module's LFs are kept nowhere: its error says why)
    named.extend(_unkept(made, kept, found, set(modules.paths) - not_imported))
    if failed or named:  # all of them at once, not one per check
        errors = [*failed.values(), *map(str, named)]
        duplicates = not failed and all(isinstance(e, DuplicateLFError) for e in named)
        error = (DuplicateLFError if duplicates else LFError)("\n".join(errors))
        error.errors = tuple(errors)  # a message may run over lines: check lists each whole
        raise error
    return sorted(found.values(), key=_order)


def _rename(lf: LabelingFunction) -> str:
    """How to give an LF another name: a lambda has none of its own to change."""
    if lf.name == "<lambda>":
        return ('give the lambda a name: labeling_function(name="...")(lambda item: ...), '
                "or write it as a def")
    return "rename one"


def _order(lf: LabelingFunction) -> tuple[str, int, str]:
    """By file and line; LFs a factory made where its module keeps them, by the line that
    made them (written order, as a Snorkel ``lfs`` list), not all at the factory's line."""
    if lf.made_at:
        file, _, line = lf.made_at.rpartition(":")
        if os.path.realpath(file) == os.path.realpath(lf.file):
            return lf.file, int(line), lf.name
    return lf.file, lf.line, lf.name


def _statement_lines(path: Path) -> dict[tuple[str, int], int]:
    """``{(name, index): line}`` of the module's top-level assignments: ``(name, -1)`` for
    ``name = ...``, ``(name, i)`` for the i-th element of ``name = [..., ...]`` (a list,
    tuple or set written out), so each LF a factory made is found where it was made."""
    try:
        tree = ast.parse(path.read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[tuple[str, int], int] = {}
    for node in tree.body:
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) and node.value
                   else [])
        value = getattr(node, "value", None)
        for target in targets:
            if isinstance(target, ast.Name):
                lines[target.id, -1] = node.lineno
                if isinstance(value, ast.List | ast.Tuple | ast.Set):
                    for i, element in enumerate(value.elts):
                        lines[target.id, i] = element.lineno
    return lines


def _made_at(lf: LabelingFunction) -> str:
    """Where an LF is, and where a factory made it when that is elsewhere: the statement
    that made it, as the manifest and ``explain`` show it (``kw.py:5 (made at
    kw.py:11)``; two LFs one factory made share ``kw.py:5``), else the module."""
    if lf.made_at:
        return f"{lf.location} (made at {lf.made_at})"
    by = lf.maker and os.path.realpath(lf.maker) != os.path.realpath(lf.file)
    return f"{lf.location} (made in {lf.maker})" if by else lf.location


def _module_lfs(module: ModuleType) -> Iterator[tuple[tuple[str, int], Any]]:
    """The LFs (ours or snorkel's) a module keeps, each with where: ``(name, -1)`` bound to
    a module-level name, ``(name, i)`` the i-th item of a module-level list or tuple; also
    those deeper in module-level containers, up to :data:`MAX_DEPTH` levels down. A
    container is only walked when it holds an LF or a container (its item types are read at
    C speed first), so word lists and vectors cost next to nothing."""
    def walked(items: Any) -> bool:
        types = set(map(type, items))
        return any(t is LabelingFunction or issubclass(t, _CONTAINERS) or is_snorkel_class(t)
                   for t in types)

    def search(value: Any, depth: int) -> Iterator[Any]:
        if isinstance(value, LabelingFunction) or is_snorkel_lf(value):
            yield value
        elif depth < MAX_DEPTH and isinstance(value, _CONTAINERS) and value:
            items = value.values() if isinstance(value, dict) else value
            if walked(items):
                for item in items:
                    yield from search(item, depth + 1)

    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if isinstance(value, list | tuple) and value and walked(value):
            for i, item in enumerate(value):  # a list's own LFs: where each was written
                for found in search(item, 1):
                    yield (name, i if found is item else -1), found
        else:
            for found in search(value, 0):
                yield (name, -1), found


def _unkept(made: list[tuple[LabelingFunction, str]], kept: set[int],
            found: dict[str, LabelingFunction], modules: set[str]) -> list[LFError]:
    """Every LF an LF module's module-level code made (directly or through a factory) must
    be one a module keeps: a second ``def f`` replaced the first without a word, and an LF
    made and dropped never voted. (A helper module's or package's own LFs are theirs.)
    Returns an error for each one that is not."""
    errors: list[LFError] = []
    for lf, maker in made:
        if id(lf) in kept or os.path.realpath(maker) not in modules:
            continue
        other = found.get(lf.name)
        by = f" (by {maker})" if os.path.realpath(maker) != os.path.realpath(lf.file) else ""
        if other is not None:
            errors.append(DuplicateLFError(
                f"two labeling functions are named {lf.name!r}: one made at {lf.location}{by}, "
                f"kept nowhere (a second one of the name replaced it), and the one kept, "
                f"{other.location}; {_rename(lf)} (names must be unique in a project)"))
            continue
        errors.append(LFError(
            f"{lf.location}: labeling function {lf.name!r} is made{by} but kept "
            "nowhere discovery looks, so it would never vote: LFs are found "
            "bound to a module-level name or in module-level lists, tuples, sets or "
            f"dicts, nested up to {MAX_DEPTH} levels (to retire an LF, delete or "
            "comment out its code)"))
    return errors

