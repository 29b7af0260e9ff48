"""The project folder's modules a label model of the user's own is imported from
(``[label_model] name = "my_models:AccuracyVote"``), imported as LF helpers are
(:mod:`~labelwright.lfs.folder_imports`): the folder at the end of ``sys.path`` (it shadows no
module Python imports from elsewhere, and a module named like one is refused), every file
compiled as it is now (never a stale ``__pycache__`` copy), and each file's sha256 as
compiled kept, the module's and its helpers', for the run to record; imported again only
when one of those files changed."""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from labelwright.lfs.folder_imports import IMPORT_LOCK, FreshSourceLoader, imported_from_folder

#: the sha256 of each module file :func:`import_project_module` imported, as it read it (a
#: run records it, and keeps a copy checked against it, as it does an LF module's)
_READ_SHA256: dict[str, str] = {}
#: by a module's file, the project folder's other modules its import read (helpers), each
#: with its sha256 as read: a run records and keeps them beside the module
_HELPERS: dict[str, dict[str, str]] = {}
#: project folders label models were imported from: the modules imported from them are
#: this module's to read again
_MODEL_FOLDERS: set[str] = set()
#: each module imported, by (project folder, module name): imported again only when a file
#: it read changed (a run makes its label model twice: checked at load, then fit)
_CACHE: dict[tuple[str, str], _Imported] = {}
#: inside :func:`shared_by_content`: a module is taken from another folder's import of the
#: same files, read byte for byte
_BY_CONTENT: list[bool] = []


@contextmanager
def shared_by_content() -> Iterator[None]:
    """Meanwhile, a module a folder has not imported is taken from another folder's import
    when every file that import read is in this folder too, at the same place, with the
    same sha256: imported once per content, not once per folder. ``runs verify --all
    --recompute`` rebuilds each run's project from its kept sources in a folder of its
    own, and imported the same label model module again for every run that kept it."""
    _BY_CONTENT.append(True)
    try:
        yield
    finally:
        _BY_CONTENT.pop()


def import_project_module(module_name: str, root: Path, name: str, *, hint: str) -> ModuleType:
    """``module_name`` imported as LF helpers are (:mod:`~labelwright.lfs.folder_imports`):
    the project folder ``root`` at the end of ``sys.path`` while it imports, so it shadows
    no installed module, and every module read from the folder (the model's, the helpers
    it imports) compiled from its file as it is now. Read once per content: imported again
    only when one of those files changed. A ValueError when it is not found, when the
    folder's module has the name of one Python imports from elsewhere, or when its import
    raises (naming the line of the project's file). ``name``: the config's ``module:Class``,
    which errors name; ``hint``: what a module not found is told (the registered models)."""
    folder = os.path.realpath(root)
    with IMPORT_LOCK:
        _MODEL_FOLDERS.add(folder)
        _forget_project_modules()
        cached = _CACHE.get((folder, module_name))
        if cached is None or not cached.unchanged():
            cached = _same_content(folder, module_name) if _BY_CONTENT else None
        if cached is not None:
            sys.modules.update(cached.modules)  # another project's of these names are gone
            return cached.modules[module_name]
        _refuse_a_clash(module_name.split(".")[0], folder, name)
        finder = _ProjectModules(folder)
        sys.path.append(folder)
        sys.meta_path.insert(0, finder)
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name or module_name.startswith(f"{exc.name}."):
                raise ValueError(
                    f"no module {module_name!r} for {name!r}: not in the project folder "
                    f"({folder}/{module_name.split('.')[0]}.py) nor installed; "
                    f"{hint}") from None
            raise ValueError(f"importing {module_name} for {name!r} failed: {exc}"
                             f"{_line_of(exc, folder)}") from None
        except Exception as exc:  # the user's module: any error its code raises
            raise ValueError(f"importing {module_name} for {name!r} failed: "
                             f"{type(exc).__name__}: {exc}{_line_of(exc, folder)}") from None
        finally:
            sys.meta_path.remove(finder)
            if folder in sys.path:  # unless the module took it off itself
                sys.path.reverse()
                sys.path.remove(folder)  # the last: the one put there
                sys.path.reverse()
        read = _read_files(finder.read, module)
        _READ_SHA256.update(read)
        main = os.path.realpath(str(getattr(module, "__file__", "") or ""))
        _HELPERS[main] = {p: sha for p, sha in read.items() if p != main}
        _CACHE[folder, module_name] = _Imported(
            {n: m for n, m in sys.modules.items() if _from_folders(n, m, {folder})}
            | {module_name: module}, read, folder)
        return module


def _same_content(folder: str, module_name: str) -> _Imported | None:
    """Another folder's import of ``module_name`` whose every file ``folder`` holds as it
    was read (:func:`shared_by_content`); None when there is none."""
    return next((imported for (other, name), imported in _CACHE.items()
                 if name == module_name and other != folder and imported.same_in(folder)),
                None)


class _Hashing(FreshSourceLoader):
    """Discovery's loader (the file compiled as it is now, never a stale ``__pycache__``
    copy), keeping the sha256 of the bytes it compiled: what the run records is what ran."""

    def __init__(self, fullname: str, path: str, read: dict[str, str]) -> None:
        super().__init__(fullname, path)
        self.read = read

    def get_data(self, path: str) -> bytes:
        data = super().get_data(path)
        if path == self.get_filename(self.name):
            self.read[os.path.realpath(path)] = hashlib.sha256(data).hexdigest()
        return data


class _ProjectModules(importlib.abc.MetaPathFinder):
    """On ``sys.meta_path`` while a label model module is imported: every module found in
    the project folder (by its own name: not one of a virtualenv or source tree inside the
    folder) is loaded by :class:`_Hashing`; ``read``: each file's sha256 as compiled."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self.read: dict[str, str] = {}

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name in sys.builtin_module_names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        origin = spec.origin if spec is not None else None
        if spec is None or not isinstance(origin, str) \
                or not isinstance(spec.loader, importlib.machinery.SourceFileLoader) \
                or not _in_folder(name, origin, self.folder):
            return None
        return importlib.util.spec_from_file_location(
            name, origin, loader=_Hashing(name, origin, self.read),
            submodule_search_locations=spec.submodule_search_locations)


@dataclass(frozen=True)
class _Imported:
    """A label model module as imported: it and the project folder's modules it imported
    (by name), and the sha256 of each file read."""

    modules: dict[str, ModuleType]
    read: dict[str, str]
    #: the project folder it was imported from
    folder: str = ""

    def unchanged(self) -> bool:
        """Whether every file read is still as it was read."""
        return self.same_in(self.folder)

    def same_in(self, folder: str) -> bool:
        """Whether every file read is in ``folder`` as it was read: a file of the folder
        it was imported from at the same place in ``folder``, any other where it was."""
        for path, sha256 in self.read.items():
            inside = self.folder and path.startswith(self.folder + os.sep)
            there = folder + path[len(self.folder):] if inside else path
            try:
                if _sha256(Path(there)) != sha256:
                    return False
            except OSError:
                return False
        return True


def _read_files(read: dict[str, str], module: ModuleType) -> dict[str, str]:
    """The sha256 of each project file the import compiled; the module's own file hashed
    now when it was not compiled here (an installed module)."""
    file = getattr(module, "__file__", None)
    if file and os.path.realpath(file) not in read and Path(file).is_file():
        return {**read, os.path.realpath(file): _sha256(Path(file))}
    return dict(read)


def _in_folder(name: str, file: str, folder: str) -> bool:
    """Whether module ``name`` at ``file`` is a module of the project ``folder`` imported
    by its own name (``my_models``, ``my_models.sub``; not a virtualenv's inside it)."""
    real = os.path.realpath(file)
    return real.startswith(folder + os.sep) and \
        imported_from_folder(name, os.path.relpath(real, folder), folder)


def _from_folders(name: str, module: Any, folders: set[str]) -> bool:
    """Whether ``sys.modules[name]`` is a file of one of ``folders`` imported from it."""
    file = getattr(module, "__file__", None)
    return isinstance(file, str) and any(_in_folder(name, file, f) for f in folders)


def _forget_project_modules() -> None:
    """Drop from ``sys.modules`` every module imported from a project folder a label model
    was imported from (only those: a module of the same name from elsewhere stays), so
    the next import reads this project's files, as they are now."""
    for name, module in list(sys.modules.items()):
        if _from_folders(name, module, _MODEL_FOLDERS):
            del sys.modules[name]


def _refuse_a_clash(top: str, folder: str, name: str) -> None:
    """A ValueError when the project folder holds ``top`` (``top.py`` or ``top/``) and
    Python imports a module of that name from elsewhere (the standard library, an installed
    package, one imported already): the project's file would not be the one read, or would
    replace that module for the whole process."""
    own = next((f for f in (Path(folder) / f"{top}.py", Path(folder) / top / "__init__.py")
                if f.is_file()), None)
    if own is None:
        return
    loaded = sys.modules.get(top)
    try:
        spec = loaded.__spec__ if loaded is not None else importlib.util.find_spec(top)
    except (AttributeError, ImportError, ValueError):
        spec = None
    where = _origin(spec) or ("imported already" if loaded is not None else "")
    if where.startswith(folder + os.sep) or not where:
        return
    raise ValueError(f"{name}: the project folder's {own.relative_to(folder)} has the name of "
                     f"the module {top} Python imports from elsewhere ({where}); rename the "
                     f"project's module (e.g. {top}_models) and [label_model] name with it")


def _origin(spec: Any) -> str:
    """Where a module ``spec`` finds is: its file (real path), ``built into Python``, or
    ``""`` (a namespace package, no spec)."""
    if spec is None:
        return ""
    if spec.has_location and isinstance(spec.origin, str):
        return os.path.realpath(spec.origin)
    return "built into Python" if spec.origin in ("built-in", "frozen") else ""


def _line_of(exc: BaseException, folder: str) -> str:
    """`` (my_models.py:12)``: the line of the project's code where the import raised
    (the last frame in a file of the project folder: not a library's it called), or
    ``""``."""
    if isinstance(exc, SyntaxError) and exc.filename:
        frames = [(exc.filename, exc.lineno)]
    else:
        frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)
                  if not f.filename.startswith("<")]
    inside = [(os.path.realpath(file), line) for file, line in frames
              if os.path.realpath(file).startswith(folder + os.sep)]
    if not inside:
        return ""
    file, line = inside[-1]
    return f" ({os.path.relpath(file, folder)}:{line})"


def read_sha256(path: str) -> str:
    """The sha256 of the module file ``path`` (a real path) as its import read it; hashed
    now when it was imported otherwise."""
    return _READ_SHA256.get(path) or _sha256(Path(path))


def helpers_read(path: str) -> dict[str, str]:
    """``{real path: sha256}`` of the project folder's other modules the import of the
    module file ``path`` read (its helpers, a package's submodules)."""
    return dict(_HELPERS.get(path) or {})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
