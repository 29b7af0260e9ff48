"""The user's code outside the LF folder that LFs read: modules a notebook's LFs use
(``import nbhelper``) and modules the LF folder's files import from elsewhere. The vote
cache keys do not cover the second kind, and neither kind is imported again by
``load_project``: a module whose file changed since it was imported is said, naming the
module and how to use the edit (:mod:`~labelwright.lfs.loaded_modules`)."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType

from labelwright.apply.cache_keys import imported_names
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.loaded_modules import remember, stale_note, user_modules
from labelwright.lfs.session_globals import Digester, modules_read

log = logging.getLogger(__name__)

#: the stale module notes logged in this process (each once)
_warned_stale: set[str] = set()


def stale_notes(lfs: Sequence[LabelingFunction], lf_folder: str | Path | None,
                digester: Digester | None = None) -> list[str]:
    """What to say of the modules from outside the LF folder the LFs read (a session
    LF's globals, what ``digester`` digested for their keys; what the LF folder's
    modules import) whose files changed since they were imported: the LFs run the
    imported code (:mod:`~labelwright.lfs.loaded_modules`). Each is logged once."""
    folder = str(lf_folder) if lf_folder is not None else None
    session: dict[str, ModuleType] = dict(digester.modules) if digester else {}
    own = []  # the project's LFs (not made in the session)
    for lf in lfs:
        in_session, modules = modules_read(lf)
        if in_session:
            session.update((m.__name__, m) for m in modules)
        else:
            own.append(lf)
    files = _lf_files(own, folder)
    imported = outside_imports(files, folder)
    # a module the project's LF modules import is said once, as such (what the keys of
    # the folder's LFs digested of it is among the session's)
    read = [m for m in user_modules(session, sys.modules, folder)
            if all(m is not i for i in imported)]
    notes = []
    for modules, load_again in ((read, False), (imported, True)):
        for module in modules:
            remember(module)  # first seen now: the code it holds is the file's now
            note = stale_note(module, load_again)
            if note is not None and note not in notes:
                notes.append(note)
    for note in notes:
        if note not in _warned_stale:
            _warned_stale.add(note)
            log.warning("%s", note)
    return notes


def outside_imports(files: Iterable[str | Path], folder: str | Path | None
                    ) -> list[ModuleType]:
    """The modules, imported in this process, that ``files`` (LF modules, the LF folder's
    helpers) import from outside the LF folder ``folder`` and outside Python's library and
    installed packages: the user's code the vote cache keys cover only as far as the LFs'
    globals lead to it."""
    # a module imported by several files, once (in the order first found)
    found = {id(module): module for _, module in _imports(files, folder)}
    return list(found.values())


def _imports(files: Iterable[str | Path], folder: str | Path | None
             ) -> list[tuple[str, ModuleType]]:
    """(file, module) for each module, imported in this process, that one of ``files``
    imports from outside the LF folder ``folder`` and outside Python's library and
    installed packages, files and their imports in sorted order: the walk
    :func:`outside_imports` and :func:`project_code_imports` share."""
    inside = None if folder is None else str(folder)
    return [(file, module) for file in sorted(map(str, files))
            for module in user_modules(sorted(imported_names(file)), sys.modules, inside)]


def project_files(lfs: Sequence[LabelingFunction], lf_folder: str | Path | None) -> set[str]:
    """The files of the project's LFs (each LF's module and maker, not a session LF's) and
    the LF folder's modules: what :func:`outside_imports` reads the imports of."""
    return _lf_files([lf for lf in lfs if not modules_read(lf)[0]], lf_folder)


def _lf_files(own: Sequence[LabelingFunction], lf_folder: str | Path | None) -> set[str]:
    """:func:`project_files` of ``own``, LFs known not to be made in the session."""
    files = {f for lf in own if lf.kind != "glossary" for f in (lf.file, lf.maker) if f}
    if lf_folder is not None:
        files.update(str(p) for p in Path(lf_folder).glob("*.py"))
    return files


def loaded_outside(lfs: Sequence[LabelingFunction], lf_folder: str | Path | None
                   ) -> tuple[tuple[str, str, str], ...]:
    """``(module name, file, sha256 of the code it holds)`` of each module from outside the
    LF folder that the project's LFs import, as this process imported it (the hash of its
    file when labelwright first saw it, :func:`~labelwright.lfs.loaded_modules.remember`),
    sorted: what a Dask worker must hold too (:mod:`~labelwright.apply.worker_checks`)."""
    held = []
    for module in outside_imports(project_files(lfs, lf_folder), lf_folder):
        sha = remember(module)
        if sha is not None:
            held.append((module.__name__, str(module.__file__), sha))
    return tuple(sorted(held))


def project_code_imports(files: Iterable[str | Path], folder: str | Path, root: str | Path
                         ) -> list[tuple[str, ModuleType]]:
    """(file, module) for each module, imported in this process, that one of ``files``
    (LF modules, the LF folder's helpers) imports from the project folder ``root`` outside
    the LF folder ``folder`` (``sys.path.insert(0, ...)``, ``import bankrules``): code the
    LFs run that no manifest records, no run keeps a copy of and the vote cache keys cover
    only through what the LFs read of it (:func:`outside_code_warnings`)."""
    inside = os.path.realpath(root) + os.sep
    return [(file, module) for file, module in _imports(files, folder)
            if os.path.realpath(str(module.__file__)).startswith(inside)]


def outside_code_warnings(folder: str | Path, root: str | Path) -> list[str]:
    """The warning ``run`` and ``check`` give for each module of the project folder ``root``
    outside the LF folder ``folder`` that one of the folder's modules imports
    (:func:`project_code_imports`), naming both files, what is not recorded and what to
    do. Of the modules imported in this process: call it after the LF modules loaded."""
    root = Path(root)
    files = Path(folder).glob("*.py")

    def shown(path: str) -> str:
        try:
            return Path(os.path.realpath(path)).relative_to(root.resolve()).as_posix()
        except ValueError:
            return path
    return [f"{shown(file)} imports {module.__name__} ({shown(str(module.__file__))}), a "
            f"module of the project folder outside {Path(folder).name}/: the manifest does "
            "not record it, the run keeps no copy of it in sources/ and the vote cache sees "
            "its edits only through the functions and values the LFs read of it (the votes "
            "of an LF that reaches it otherwise are read back after it changed); move it "
            f"into {Path(folder).name}/, whose files runs hash, keep and "
            "key the cache by, or run with --no-cache after each edit"
            for file, module in project_code_imports(files, folder, root)]
