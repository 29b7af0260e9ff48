"""How the process imports a user's folder of modules -- a project's LF folder (its LF
modules and their helpers), and the project folder a label model of the user's own is
imported from (:mod:`~labelwright.models.project_modules`): one folder at a time
(:data:`IMPORT_LOCK`), the folder at the end of ``sys.path``, the modules imported from it
before forgotten, and every file compiled as it is now, so an edited file is what runs.
"""

from __future__ import annotations

import importlib.machinery
import linecache
import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: the package LF modules run in, under a name of their own (``labelwright_lfs.reviews_...``,
#: made by :class:`~labelwright.lfs.lf_modules.LFModules`; messages show the file's stem)
LF_PACKAGE = "labelwright_lfs"
#: held while the process's import state is set for an LF folder, while its modules are
#: imported (:func:`~labelwright.lfs.discovery.discover`) and while a label model's module
#: is imported from a project folder: two threads loading projects at once dropped each
#: other's helpers from ``sys.modules`` and saw each other's LFs as duplicates. Every
#: function here that changes ``sys.modules``, ``sys.path`` or :mod:`linecache` takes it
#: (reentrant: a caller holding it may call them)
IMPORT_LOCK = threading.RLock()
#: LF folders this process has loaded LFs from (their helper modules are its to refresh)
_LF_FOLDERS: set[str] = set()
#: the LF folder whose helpers the process imports now (:func:`import_from`)
_IMPORTING_FROM: str | None = None
#: names LF modules were imported by during a discovery (``labeling_functions.reviews``)
_ALIASES: set[str] = set()


def import_from(folder: Path | str, *, again: bool = False) -> None:
    """Make the process import LF folder helpers from ``folder``, as when its LFs were
    loaded: before a project's LFs run, since an LF may import a helper when it runs
    (``from _helpers import WORDS`` in its body), and another project loaded since, with a
    helper of the same name, set the import state for its own folder. ``again``: forget
    the helpers imported even when the folder's are the ones imported (a discovery reads
    edited helpers)."""
    global _IMPORTING_FROM
    folder = str(Path(folder).resolve())
    with IMPORT_LOCK:
        if not again and _IMPORTING_FROM == folder and sys.path[-1:] == [folder]:
            return
        _LF_FOLDERS.add(folder)
        forget_folder_modules(_LF_FOLDERS)
        # LF modules import their helpers (``from _words import STOP``) as plain modules;
        # at the end of the path, so an LF module named like a library (email.py) shadows
        # nothing; only this project's folder: another project's helper of the same name
        # must not win
        sys.path[:] = [p for p in sys.path if p not in _LF_FOLDERS] + [folder]
        _IMPORTING_FROM = folder


def remember_aliases(names: Iterable[str]) -> None:
    """Names a discovery's LF modules were imported by (``labeling_functions.reviews``):
    the next :func:`import_from` drops them from ``sys.modules`` with the helpers."""
    with IMPORT_LOCK:
        _ALIASES.update(names)


def forget_lines(folder: str) -> None:
    """Drop the folder's files from :mod:`linecache`: an LF's source (its cache key, what
    ``check`` reads) is read through it, and it keeps a file's lines while the file's size
    and modification time stay, which an edit of the same size with its time put back
    (``cp -p``, ``rsync -t``, tar) keeps."""
    with IMPORT_LOCK:
        for name in list(linecache.cache):
            if os.path.realpath(name).startswith(folder + os.sep):
                linecache.cache.pop(name, None)


def forget_folder_modules(folders: set[str]) -> None:
    """Drop from ``sys.modules`` every module imported from an LF folder (helpers, LF
    modules imported by name), so the next import reads the files as they are now. A
    process that loads LFs more than once -- a Dask worker serving run after run, or a
    notebook -- would otherwise keep an edited helper's old code, or another project's
    helper of the same name."""
    with IMPORT_LOCK:
        for name in _ALIASES:
            sys.modules.pop(name, None)
        _ALIASES.clear()
        for name, module in list(sys.modules.items()):
            if _from_folders(name, module, folders):
                sys.modules.pop(name, None)


def _from_folders(name: str, module: Any, folders: set[str]) -> bool:
    """Whether the module ``name`` was imported from one of the LF ``folders``."""
    file = getattr(module, "__file__", None)
    if not isinstance(file, str):
        # a namespace package that is an LF folder (labeling_functions/ without
        # __init__.py, imported from the project root): its submodules are cached on it
        paths = [os.path.abspath(p) for p in getattr(module, "__path__", None) or []]
        return any(p in folders for p in paths)
    path = os.path.abspath(file)
    folder = next((f for f in folders if path.startswith(f + os.sep)), None)
    return folder is not None and imported_from_folder(name, os.path.relpath(path, folder),
                                                       folder)


def imported_from_folder(name: str, relative: str, folder: str) -> bool:
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


class FreshSourceLoader(importlib.machinery.SourceFileLoader):
    """Compiles the file as it is now: Python runs a compiled copy (``__pycache__``) while
    the file's modification time (in seconds) and size match it, so an edit of the same
    size with its time put back would import the old code."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        return self.source_to_code(self.get_data(path), path)
