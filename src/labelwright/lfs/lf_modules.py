"""The LF modules of one discovery, imported one module object per file, by whatever name
other modules import them (:class:`LFModules`).
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from labelwright.errors import LFError
from labelwright.lfs.folder_imports import LF_PACKAGE, FreshSourceLoader
from labelwright.lfs.import_failures import import_failure


class LFModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
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
                # a helper beside the LF modules, read as it is now (see FreshSourceLoader)
                return importlib.util.spec_from_file_location(
                    name, origin, loader=FreshSourceLoader(name, origin),
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
        name = f"{LF_PACKAGE}.{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
        spec = importlib.util.spec_from_file_location(name, path,
                                                      loader=FreshSourceLoader(name, str(path)))
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
            error = import_failure(path, exc)
            if error is None:
                raise
            raise error from (None if isinstance(exc, SyntaxError) else exc)
        finally:
            spec._initializing = False  # type: ignore[attr-defined]
        return module
