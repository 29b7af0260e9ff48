"""Labeling functions: how rule writers declare them, and how a project's are found.

>>> from labelwright import labeling_function, ABSTAIN
>>> @labeling_function()
... def mentions_refund(item):
...     return "billing" if "refund" in item.text.lower() else ABSTAIN

An LF returns a label name, a label index, or ``ABSTAIN`` (``None`` also abstains).
LFs written with ``snorkel.labeling.labeling_function`` run unchanged: they get the
same item (``x.text`` works) and return ints with -1 to abstain.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.errors import DuplicateLFError, LFError
from labelwright.item import Item

ABSTAIN = -1


@dataclass
class LabelingFunction:
    """A named rule that votes a label for an item, or abstains."""

    name: str
    func: Callable[..., Any]
    uses_doc: bool = False
    kind: str = "python"  # python | snorkel | glossary
    file: str = "<unknown>"
    line: int = 0
    source_hash: str = ""
    resources: dict[str, Any] = field(default_factory=dict)

    def __call__(self, item: Item) -> Any:
        return self.func(item, **self.resources) if self.resources else self.func(item)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"


def _source_of(func: Callable[..., Any]) -> str:
    try:
        return textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError):
        return getattr(getattr(func, "__code__", None), "co_code", b"").hex()


def source_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def reads_doc(func: Callable[..., Any]) -> bool:
    """True when the function's code reads an attribute named ``doc`` (``item.doc``)."""
    try:
        tree = ast.parse(_source_of(func))
    except SyntaxError:
        return False
    return any(isinstance(node, ast.Attribute) and node.attr == "doc" for node in ast.walk(tree))


def _location(func: Callable[..., Any]) -> tuple[str, int]:
    code = getattr(func, "__code__", None)
    if code is None:
        return "<unknown>", 0
    return code.co_filename, code.co_firstlineno


#: every LF the decorator made while :func:`discover` imported an LF folder (it compares
#: them with the LFs the modules keep, so none is lost in silence); None: not recording
_MADE: list[LabelingFunction] | None = None


def labeling_function(
    name: str | None = None,
    *,
    doc: bool | None = None,
    resources: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], LabelingFunction]:
    """Turn a function ``f(item) -> label | ABSTAIN`` into a labeling function.

    Parameters
    ----------
    name
        The LF's name in the label matrix and reports; defaults to the function name.
    doc
        Whether the LF reads ``item.doc``. Detected from the code when not given;
        items are parsed (in batches, once for all LFs) only if some LF needs it.
    resources
        Keyword arguments passed to the function on every call.
    """

    def wrap(func: Callable[..., Any]) -> LabelingFunction:
        file, line = _location(func)
        if name is not None and not (isinstance(name, str) and name.strip()):
            raise LFError(f"{file}:{line}: labeling_function(name={name!r}): a name must be a "
                          "non-empty string (or leave it out to use the function's name)")
        if doc is not None and not isinstance(doc, bool):
            raise LFError(f"{file}:{line}: labeling_function(doc={doc!r}): doc is True, False, "
                          "or left out (then it is detected from the code)")
        lf = LabelingFunction(
            name=name or func.__name__,
            func=func,
            uses_doc=reads_doc(func) if doc is None else doc,
            file=file,
            line=line,
            source_hash=source_hash(_source_of(func)),
            resources=dict(resources or {}),
        )
        if _MADE is not None:
            _MADE.append(lf)
        return lf

    if callable(name):  # used bare: @labeling_function
        func, name = name, None
        return wrap(func)  # type: ignore[return-value]
    return wrap


def from_snorkel(lf: Any) -> LabelingFunction:
    """Adapt a ``snorkel.labeling.LabelingFunction``; it runs exactly as in snorkel."""
    func = lf._f
    file, line = _location(func)
    pre_sources = [_source_of(getattr(p, "_f", p)) for p in getattr(lf, "_pre", [])]
    return LabelingFunction(
        name=lf.name,
        func=lambda item, _lf=lf: _lf(item),
        uses_doc=reads_doc(func),
        kind="snorkel",
        file=file,
        line=line,
        source_hash=source_hash(_source_of(func), *pre_sources),
    )


def _is_snorkel_lf(obj: Any) -> bool:
    cls = type(obj)
    return cls.__name__ == "LabelingFunction" and cls.__module__.startswith("snorkel.")


def _import_module(path: Path) -> Any:
    module_name = f"labelwright_lfs.{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise LFError(f"{path}: cannot be imported as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise LFError(f"{exc.filename or path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except (Exception, SystemExit) as exc:  # sys.exit() at import: a failed import too
        frames = [f for f in inspect.trace() if Path(f.filename) == path]
        line = f":{frames[-1].lineno}" if frames else ""
        raise LFError(f"{path}{line}: importing the module failed: "
                      f"{type(exc).__name__}: {exc}") from exc
    return module


#: LF folders this process has loaded LFs from (their helper modules are its to refresh)
_LF_FOLDERS: set[str] = set()


def _forget_folder_modules(folders: set[str]) -> None:
    """Drop from ``sys.modules`` every module imported from an LF folder (helpers, LF
    modules imported by name), so the next import reads the files as they are now. A
    process that loads LFs more than once -- a Dask worker serving run after run, or a
    notebook -- would otherwise keep an edited helper's old code, or another project's
    helper of the same name."""
    prefixes = tuple(folder + os.sep for folder in folders)
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            continue
        path = os.path.abspath(file)
        if not path.startswith(prefixes):
            continue
        folder = next(f for f in folders if path.startswith(f + os.sep))
        # imported *from* the folder: its top-level name is a file or package right in it
        # (an LF folder that is the project folder may hold a virtualenv or a source tree,
        # whose modules were imported through other path entries and must stay)
        top = Path(os.path.relpath(path, folder)).parts[0]
        if name.split(".")[0] == top.removesuffix(".py"):
            del sys.modules[name]


def discover(folder: Path) -> list[LabelingFunction]:
    """Every LF defined in the ``*.py`` modules of ``folder`` (files starting ``_`` skipped).

    The folder goes on ``sys.path``, so LF modules can import helper modules beside them
    (``_helpers.py``) and each other by name.

    Order is by file name, then by line, so label matrix columns are stable.
    Two LFs with one name raise :class:`DuplicateLFError` naming both places.
    """
    if not folder.is_dir():
        raise LFError(f"{folder}: no labeling_functions folder; create it and add a module")
    # LF modules import their helpers (``from _words import STOP``) as plain modules; at
    # the end of the path, so an LF module named like a library (email.py) shadows nothing
    importable = str(folder.resolve())
    _LF_FOLDERS.add(importable)
    _forget_folder_modules(_LF_FOLDERS)
    # only this project's folder: another project's helper of the same name must not win
    sys.path[:] = [p for p in sys.path if p not in _LF_FOLDERS] + [importable]
    found: dict[str, LabelingFunction] = {}
    seen: set[int] = set()
    # an LF module that another imports (``from reviews import star``, by name or through
    # a package, before or during its own import) is run again as another module object:
    # the same definition, (file, line, name), in another module namespace is the same LF
    namespace: dict[tuple[str, int, str], int] = {}
    paths = [p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]
    global _MADE
    made: list[LabelingFunction] = []
    _MADE = made
    try:
        for path in paths:
            for obj in _module_lfs(_import_module(path)):
                if id(obj) in seen:  # bound to two names
                    continue
                seen.add(id(obj))
                lf = obj if isinstance(obj, LabelingFunction) else from_snorkel(obj)
                definition, globals_id = _definition(obj, lf)
                if namespace.setdefault(definition, globals_id) != globals_id:
                    continue
                if lf.name in found:
                    other = found[lf.name]
                    raise DuplicateLFError(
                        f"two labeling functions are named {lf.name!r}: {other.location} and "
                        f"{lf.location}; rename one (names must be unique in a project)"
                    )
                found[lf.name] = lf
    finally:
        _MADE = None
    _check_all_kept(made, set(namespace), found, {os.path.realpath(p) for p in paths})
    return sorted(found.values(), key=lambda lf: (lf.file, lf.line, lf.name))


def _definition(obj: Any, lf: LabelingFunction) -> tuple[tuple[str, int, str], int]:
    """Where an LF is defined, ``(file, line, name)``, and the module namespace it was
    made in: one factory makes LFs in one namespace, a module run twice in two."""
    func = obj.func if isinstance(obj, LabelingFunction) else getattr(obj, "_f", None)
    return (os.path.realpath(lf.file), lf.line, lf.name), id(getattr(func, "__globals__", obj))


#: where discovery looks for LFs in module-level containers: this many levels deep, in
#: containers of at most this many items, at most this many items per module (more is
#: data -- word lists, vectors -- and searching it would slow every load of the project)
_MAX_DEPTH, _MAX_ITEMS, _MAX_VISITS = 3, 10_000, 100_000
_WHERE = (f"bound to a module-level name or in module-level lists, tuples, sets or dicts "
          f"(nested up to {_MAX_DEPTH} levels, of up to {_MAX_ITEMS:,} items each)")


def _module_lfs(module: Any) -> Iterator[Any]:
    """The LFs (ours or snorkel's) a module keeps: bound to a module-level name, or in
    module-level containers (LFs made by a factory, ``LFS = [make(w) ...]``,
    ``BY_LABEL = {"billing": [...]}``), within the limits above."""
    budget = [_MAX_VISITS]

    def search(value: Any, depth: int) -> Iterator[Any]:
        if isinstance(value, LabelingFunction) or _is_snorkel_lf(value):
            yield value
        elif depth < _MAX_DEPTH and isinstance(value, list | tuple | set | frozenset | dict) \
                and len(value) <= min(_MAX_ITEMS, budget[0]):
            budget[0] -= len(value)
            for item in (value.values() if isinstance(value, dict) else value):
                yield from search(item, depth + 1)

    for value in vars(module).values():
        yield from search(value, 0)


def _check_all_kept(made: list[LabelingFunction], kept: set[tuple[str, int, str]],
                    found: dict[str, LabelingFunction], modules: set[str]) -> None:
    """Every LF an LF module's code made must be one a module keeps: a second ``def f``
    replaced the first without a word, and an LF made and dropped never voted. (LFs of
    helper modules and installed packages are theirs to keep or not.)"""
    for lf in made:
        definition = (os.path.realpath(lf.file), lf.line, lf.name)
        if definition[0] not in modules or definition in kept:
            continue
        other = found.get(lf.name)
        if other is not None:
            raise DuplicateLFError(
                f"two labeling functions are named {lf.name!r}: {lf.location} and "
                f"{other.location}, and the second replaced the first; rename one (names "
                "must be unique in a project)")
        raise LFError(f"{lf.location}: labeling function {lf.name!r} is made but kept nowhere "
                      f"discovery looks, so it would never vote: LFs are found {_WHERE} (to "
                      "retire an LF, delete or comment out its code)")


class VoteCoder:
    """Turns what an LF returns into a vote code: label index, or -1 for abstain."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.labels = tuple(labels)
        self._codes: dict[Any, int] = {None: ABSTAIN, ABSTAIN: ABSTAIN}
        for index, label in enumerate(self.labels):
            self._codes[label] = index
            self._codes[index] = index

    def code(self, value: Any, lf: LabelingFunction, item_id: str) -> int:
        plain = value.item() if isinstance(value, np.generic) else value  # numpy int or str
        if plain is None or isinstance(plain, str) or (
            isinstance(plain, int) and not isinstance(plain, bool)
        ):  # floats and bools equal 0 / 1 but are not votes
            code = self._codes.get(plain)
            if code is not None:
                return code
        raise LFError(
            f"labeling function {lf.name!r} ({lf.location}) returned {value!r} for item "
            f"{item_id!r}, which is not a label; return one of "
            f"{', '.join(repr(label) for label in self.labels)}, "
            f"an index 0..{len(self.labels) - 1},"
            " or ABSTAIN"
        )
