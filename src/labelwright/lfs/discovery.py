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
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import linecache
import os
import re
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
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
from labelwright.lfs.failure_text import relative_path_hint
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

    One discovery at a time in a process (:data:`IMPORT_LOCK`): it changes ``sys.path``,
    ``sys.modules`` and ``sys.meta_path``, and records the LFs made while it imports.
    """
    with IMPORT_LOCK:
        return _discover(folder)


def _discover(folder: Path) -> list[LabelingFunction]:
    if not folder.is_dir():
        raise LFError(f"{folder}: no labeling_functions folder; create it and add a module")
    importable = str(folder.resolve())
    _import_from(importable, again=True)
    _forget_lines(importable)
    paths = [p for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]
    modules = _LFModules(paths)
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
                except _ImportFailed as exc:
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
        _ALIASES.update(modules.aliases)
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


def import_from(folder: Path | str) -> None:
    """Make the process import LF folder helpers from ``folder``, as when its LFs were
    loaded: before a project's LFs run, since an LF may import a helper when it runs
    (``from _helpers import WORDS`` in its body), and another project loaded since, with a
    helper of the same name, set the import state for its own folder."""
    with IMPORT_LOCK:
        _import_from(str(Path(folder).resolve()))


def _import_from(folder: str, again: bool = False) -> None:
    """:func:`import_from`; ``again``: forget the helpers imported even when the folder's
    are the ones imported (a discovery reads edited helpers). Holds :data:`IMPORT_LOCK`."""
    global _IMPORTING_FROM
    if not again and _IMPORTING_FROM == folder and sys.path[-1:] == [folder]:
        return
    _LF_FOLDERS.add(folder)
    _forget_folder_modules(_LF_FOLDERS)
    # LF modules import their helpers (``from _words import STOP``) as plain modules; at
    # the end of the path, so an LF module named like a library (email.py) shadows nothing;
    # only this project's folder: another project's helper of the same name must not win
    sys.path[:] = [p for p in sys.path if p not in _LF_FOLDERS] + [folder]
    _IMPORTING_FROM = folder


def _forget_lines(folder: str) -> None:
    """Drop the folder's files from :mod:`linecache`: an LF's source (its cache key, what
    ``check`` reads) is read through it, and it keeps a file's lines while the file's size
    and modification time stay, which an edit of the same size with its time put back
    (``cp -p``, ``rsync -t``, tar) keeps."""
    for name in list(linecache.cache):
        if os.path.realpath(name).startswith(folder + os.sep):
            linecache.cache.pop(name, None)


class _SourceOnly(importlib.machinery.SourceFileLoader):
    """Compiles the file as it is now: Python runs a compiled copy (``__pycache__``) while
    the file's modification time (in seconds) and size match it, so an edit of the same
    size with its time put back would import the old code."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)


class _LFModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """The LF modules of one discovery, one module object per file: on ``sys.meta_path``
    while the folder is imported, it answers every import of one of these files, by any
    name (``reviews``, ``labeling_functions.reviews``), with that object -- made and run
    on first use, as Python's own import does, so modules importing each other in a
    circle see each other half-run, not a second copy."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths = {os.path.realpath(p): p for p in paths}
        self.folders = {os.path.dirname(p) for p in self.paths}
        self.loaded: dict[str, ModuleType] = {}
        self.specs: dict[str, importlib.machinery.ModuleSpec] = {}  # each module's own
        self.aliases: set[str] = set()  # names other modules imported them by

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name in sys.builtin_module_names:  # a builtin wins over any file, as in Python
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        origin = spec.origin if spec is not None else None
        if spec is None or not isinstance(origin, str):
            return None
        if os.path.realpath(origin) not in self.paths:
            if isinstance(spec.loader, importlib.machinery.SourceFileLoader) \
                    and os.path.dirname(os.path.realpath(origin)) in self.folders:
                # a helper beside the LF modules, read as it is now (see _SourceOnly)
                return importlib.util.spec_from_file_location(
                    name, origin, loader=_SourceOnly(name, origin),
                    submodule_search_locations=spec.submodule_search_locations)
            return None
        self.aliases.add(name)
        return importlib.util.spec_from_loader(name, self, origin=origin)

    def create_module(self, spec: Any) -> ModuleType:
        return self.load(self.paths[os.path.realpath(spec.origin)])

    def exec_module(self, module: ModuleType) -> None:
        # run once, by load(); Python's import gave it the alias's spec: its own goes back,
        # so an import from it while it runs is seen as the circular import it is
        origin = getattr(module.__spec__, "origin", None)
        if origin is not None:
            module.__spec__ = self.specs[os.path.realpath(origin)]

    def load(self, path: Path) -> ModuleType:
        """The module of ``path``, run on first use."""
        real = os.path.realpath(path)
        module = self.loaded.get(real)
        return module if module is not None else self._run(path, real)

    def _run(self, path: Path, real: str) -> ModuleType:
        name = f"{_PACKAGE}.{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
        spec = importlib.util.spec_from_file_location(name, path,
                                                      loader=_SourceOnly(name, str(path)))
        if spec is None or spec.loader is None:
            raise LFError(f"{path}: cannot be imported as a Python module")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        self.specs[real] = spec
        self.loaded[real] = module  # before it runs: a module it imports may import it back
        spec._initializing = True  # type: ignore[attr-defined]  # as Python's import sets it:
        try:  # a name imported back from it too early is then called a circular import
            spec.loader.exec_module(module)
        except BaseException as exc:
            # half run: the next import runs it again and meets the error itself (another
            # module that caught this one's error must not make its LFs look complete)
            del self.loaded[real], sys.modules[name]
            error = _import_error(path, exc)
            if error is None:
                raise
            raise error from (None if isinstance(exc, SyntaxError) else exc)
        finally:
            spec._initializing = False  # type: ignore[attr-defined]
        return module


def _import_error(path: Path, exc: BaseException) -> LFError | None:
    """The :class:`LFError`, naming the file and line, that an LF module's failed import
    raises (``sys.exit()`` at import is a failed import too); None for what is no failure
    of the module (KeyboardInterrupt), which goes on as it is. Called while handling."""
    if isinstance(exc, SyntaxError):
        return _ImportFailed(f"{exc.filename or path}:{exc.lineno}: syntax error: {exc.msg}",
                             exc.filename or path)
    if not isinstance(exc, Exception | SystemExit):
        return None
    real, folder = os.path.realpath(path), os.path.dirname(os.path.realpath(path))
    # Python's own frames ("<frozen importlib._bootstrap>") are no file: realpath would
    # make them one of the current folder
    trace = [(os.path.realpath(f.filename), f.lineno) for f in inspect.trace()
             if not f.filename.startswith("<")]
    lines = [n for file, n in trace if file == real]
    line = f":{lines[-1]}" if lines else ""
    if isinstance(exc, _ImportFailed):  # an LF module this one imports failed; it says how
        return _ImportFailed(f"{exc}\n  (imported by {path}{line})", exc.module)
    if isinstance(exc, LFError):  # labelwright's own check at import (decorator arguments)
        return _ImportFailed(str(exc) if str(path) in str(exc) else f"{path}{line}: {exc}",
                             path)
    # raised in a helper module beside it (``_words.py``): say where
    helpers = [f"{file}:{n}" for file, n in trace
               if file != real and os.path.dirname(file) == folder]
    where = f" (raised at {helpers[-1]})" if helpers else ""
    message = _INTERNAL_NAME.sub(r"\1", str(exc))
    if _is_relative_import(exc):
        return _ImportFailed(f"{path}{line}: {_relative_import(path, lines[-1:])}", path)
    hint = relative_path_hint(exc.filename, path) if isinstance(exc, FileNotFoundError) else ""
    hint = hint or snorkel_pipeline_hint(exc)
    if hint:  # spaCy's message ends with a full stop
        message = message.rstrip(".")
    return _ImportFailed(f"{path}{line}: importing the module failed: {type(exc).__name__}: "
                         f"{message}{where}{hint}", path)


def snorkel_pipeline_hint(exc: BaseException) -> str:
    """What to do when snorkel's ``nlp_labeling_function`` could not load its spaCy
    pipeline (``exc``, being handled, spaCy's E050): it loads ``en_core_web_sm`` unless
    given ``language=``, and that pipeline is a download; "" for any other error."""
    if not isinstance(exc, OSError) or "[E050]" not in str(exc):
        return ""
    for record in reversed(inspect.trace()):
        if Path(record.filename).parts[-3:] == ("snorkel", "preprocess", "nlp.py"):
            language = record.frame.f_locals.get("language")
            break
    else:
        return ""
    default = " (snorkel's default when language= is not given)" \
        if language == "en_core_web_sm" else ""
    return (f"; snorkel's nlp_labeling_function loads the spaCy pipeline {language!r}"
            f"{default}, which is not installed: pass language= an installed pipeline's "
            "name or folder, or 'blank:en' for spacy.blank('en') (no download; tokens and "
            "their lexical attributes only: no entities, tags or parse), e.g. "
            "@nlp_labeling_function(language='blank:en'); or install it (python -m spacy "
            f"download {language})")


def relative_import_failure(exc: BaseException) -> str | None:
    """What a relative import that failed while an LF ran (``from .helpers import f`` in
    its body) is told, as one at an LF module's top is: the file's name and the line of
    the import (the traceback and the ``at`` of the lines that tell a failure give its
    path) and the import to write, not the package LF modules run in; None for any other
    error."""
    if not _is_relative_import(exc):
        return None
    # Python's own frames ("<frozen importlib._bootstrap>") are no file
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if not f.filename.startswith("<") and f.lineno is not None]
    if not frames:
        return None
    file, line = frames[-1].filename, frames[-1].lineno
    return f"{Path(file).name}:{line}: {_relative_import(Path(file), [line] if line else [])}"


def _is_relative_import(exc: BaseException) -> bool:
    """Whether ``exc`` is a relative import's failure in an LF module: the package LF
    modules run in (see ``_LFModules._run``) is no module to import from (a circular
    import's error names a module in it: that is no relative import's)."""
    return isinstance(exc, ImportError) and (
        exc.name == _PACKAGE  # from .reviews import ..., from . import reviews
        or str(exc).startswith("attempted relative import"))


def _relative_import(path: Path, lines: list[int]) -> str:
    """What a relative import in an LF module (``from .reviews import star_rating``) is
    told: LF modules import each other by name, and the line as it would be so."""
    source = linecache.getline(str(path), lines[0]).strip() if lines else ""
    found = _RELATIVE.match(source)
    names = found.group(2).strip() if found else ""
    if names.count("(") > names.count(")"):  # names over several lines
        names = "..."
    if found is None:
        written = "e.g. from reviews import star_rating, not from .reviews import ..."
    elif found.group(1):
        written = f"here: from {found.group(1)} import {names}"
    else:
        written = f"here: import {names}"
    return ("a relative import does not work in an LF module (LF modules are not a "
            f"package): import another module of the folder by its name ({written})")


#: the package LF modules run in, under a name of their own (``labelwright_lfs.reviews_...``)
_PACKAGE = "labelwright_lfs"
#: a relative import statement: the module (None for ``from . import x``) and the names
_RELATIVE = re.compile(r"from\s+\.+\s*([\w.]*)\s+import\s+(.+)$")


class _ImportFailed(LFError):
    """An LF module's failed import, as :func:`_import_error` words it (a module that
    imports the failed one adds where it did); ``module``: the file that failed."""

    def __init__(self, message: str, module: str | Path) -> None:
        super().__init__(message)
        self.module = os.path.realpath(module)


#: the name an LF module runs under (see ``_LFModules._run``); messages show its file's stem
_INTERNAL_NAME = re.compile(r"labelwright_lfs\.(\w+?)_[0-9a-f]{8}\b")


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


#: held while the process's import state is set for an LF folder and while its modules are
#: imported (:func:`discover`): two threads loading projects at once dropped each other's
#: helpers from ``sys.modules`` and saw each other's LFs as duplicates
IMPORT_LOCK = threading.RLock()
#: LF folders this process has loaded LFs from (their helper modules are its to refresh)
_LF_FOLDERS: set[str] = set()
#: the LF folder whose helpers the process imports now (:func:`import_from`)
_IMPORTING_FROM: str | None = None
#: names LF modules were imported by during a discovery (``labeling_functions.reviews``)
_ALIASES: set[str] = set()


def _forget_folder_modules(folders: set[str]) -> None:
    """Drop from ``sys.modules`` every module imported from an LF folder (helpers, LF
    modules imported by name), so the next import reads the files as they are now. A
    process that loads LFs more than once -- a Dask worker serving run after run, or a
    notebook -- would otherwise keep an edited helper's old code, or another project's
    helper of the same name."""
    for name in _ALIASES:
        sys.modules.pop(name, None)
    _ALIASES.clear()
    prefixes = tuple(folder + os.sep for folder in folders)
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not isinstance(file, str):
            # a namespace package that is an LF folder (labeling_functions/ without
            # __init__.py, imported from the project root): its submodules are cached on it
            paths = [os.path.abspath(p) for p in getattr(module, "__path__", None) or []]
            if any(p in folders for p in paths):
                sys.modules.pop(name, None)
            continue
        path = os.path.abspath(file)
        if not path.startswith(prefixes):
            continue
        folder = next(f for f in folders if path.startswith(f + os.sep))
        if _imported_from(name, os.path.relpath(path, folder), folder):
            sys.modules.pop(name, None)


def _imported_from(name: str, relative: str, folder: str) -> bool:
    """Whether module ``name`` is the file ``relative`` (to ``folder``) imported *from the
    folder*: by its own name (``reviews``, ``sub.x``), through the folder as a package
    (``labeling_functions.reviews``), or the package itself (its ``__init__.py``). An LF
    folder that is the project folder may hold a virtualenv or a source tree, whose
    modules were imported through other path entries and must stay."""
    parts = list(Path(relative).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    own = ".".join(parts)
    if not own:  # the folder's own __init__.py
        return name.split(".")[-1] == os.path.basename(folder)
    return name == own or name.endswith("." + own) and \
        name[:-len(own) - 1].split(".")[-1] == os.path.basename(folder)
