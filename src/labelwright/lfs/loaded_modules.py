"""Modules from outside the LF folder that LFs read, as the process imported them.

A long-lived process (a notebook) keeps a module in ``sys.modules`` after its file is
edited: the LFs run the code imported, whatever the file now says, until
``importlib.reload``. So the file's bytes now are not what an LF's votes depend on. Each
module is remembered with the hash of its file when labelwright first sees it (a session
LF's key digests it, a project's LF module imports it); while the module object keeps that
``__spec__`` (``importlib.reload`` gives it a new one) the module's hash is the remembered
one, and a file whose bytes differ from it is said (:func:`stale_note`).

A module edited before labelwright first saw it cannot be told from one imported as it
is: its remembered hash is of the edited file.
"""

from __future__ import annotations

import os
import sysconfig
import weakref
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from labelwright.caches import file_sha256, file_state

#: per module object: (its ``__spec__``, its file, the file's sha256) when first seen
_SEEN: weakref.WeakKeyDictionary[ModuleType, tuple[Any, str, str]] = \
    weakref.WeakKeyDictionary()
#: where Python's own and installed packages' modules are: not the user's code
_INSTALLED = tuple(os.path.realpath(p) + os.sep for p in {
    sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")})
_OWN = os.path.dirname(os.path.dirname(os.path.realpath(__file__))) + os.sep


def loaded_sha(module: ModuleType, file: str, now: str) -> str:
    """The sha256 of the code ``module`` holds: its file's when first seen (``now``, the
    file's now, the first time, and after ``importlib.reload``)."""
    spec = getattr(module, "__spec__", None)
    seen = _SEEN.get(module)
    if seen is None or seen[0] is not spec or seen[1] != file:
        _SEEN[module] = (spec, file, now)
        return now
    return seen[2]


def remember(module: ModuleType) -> str | None:
    """Remember ``module``'s file as it is now, if not yet seen; the sha256 of the code it
    holds (None: it has no file that can be read)."""
    file = getattr(module, "__file__", None)
    if not isinstance(file, str):
        return None
    now = current_sha(file)
    return None if now is None else loaded_sha(module, file, now)


def current_sha(file: str) -> str | None:
    """The sha256 of ``file`` as it is now (None: it cannot be read)."""
    try:
        return file_sha256(file, file_state(os.stat(file)))
    except OSError:
        return None


def stale_note(module: ModuleType, load_again: bool = False) -> str | None:
    """What to say when ``module``'s file changed since it was imported (first seen), else
    None. ``load_again``: an LF module of a project imports it, so the project must be
    loaded again after the reload (and its votes are not keyed by the module)."""
    file = getattr(module, "__file__", None)
    seen = _SEEN.get(module)
    if not isinstance(file, str) or seen is None or seen[0] is not module.__spec__:
        return None
    now = current_sha(file)
    if now is None or now == seen[2]:
        return None
    name = module.__name__
    fix = f"importlib.reload({name}) to use the edit"
    if load_again:
        fix += (", then load the project again (labelwright.load_project) and run it once "
                "with cache=\"refresh\" (labelwright run --no-cache): the vote cache keys of "
                "a project's LFs follow code outside the LF folder only where their globals "
                "lead")
    return (f"{file}: {os.path.basename(file)} changed on disk since {name} was imported; "
            f"the LFs use the imported code: {fix}")


def is_user_file(file: str) -> bool:
    """Whether ``file`` is the user's code: neither in Python's library nor an installed
    package's, nor labelwright's."""
    return not os.path.realpath(file).startswith((*_INSTALLED, _OWN))


def is_user_module(module: ModuleType) -> bool:
    """Whether ``module`` is the user's code (:func:`is_user_file`), whose state code the
    process runs can change: ``__main__``, or a module with such a file (a builtin module,
    with none, is Python's)."""
    file = getattr(module, "__file__", None)
    return module.__name__ == "__main__" or (isinstance(file, str) and is_user_file(file))


def user_modules(names: Iterable[str], modules: dict[str, ModuleType],
                 folder: str | None = None) -> list[ModuleType]:
    """The modules of ``names`` (imported, in ``modules``: ``sys.modules``) that are the
    user's code: a file neither in Python's library nor an installed package's, nor
    labelwright's, nor in the LF folder ``folder`` (whose files the keys hash)."""
    inside = os.path.realpath(folder) + os.sep if folder is not None else None
    out = []
    for name in names:
        module = modules.get(name)
        file = getattr(module, "__file__", None)
        if module is None or not isinstance(file, str):
            continue
        if not is_user_file(file) or (inside and os.path.realpath(file).startswith(inside)):
            continue
        out.append(module)
    return out
