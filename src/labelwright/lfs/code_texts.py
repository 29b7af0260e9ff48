"""Compiled code and modules as text that is the same in every process, for the digest of
a function (:mod:`~labelwright.lfs.code_digests`) or module a value holds: a session
function by its source, a module's function by the code it compiled to (its file may have
changed since it was imported), a module by its file as it was imported."""

from __future__ import annotations

import os
import sys
import types
import weakref
from typing import Any

from labelwright.caches import file_sha256, file_state
from labelwright.lfs.function_code import source_text
from labelwright.lfs.loaded_modules import loaded_sha

#: a session function's source by its code object (kept no longer than the code is)
_SOURCES: weakref.WeakKeyDictionary[types.CodeType, str] = weakref.WeakKeyDictionary()


def code_source(code: types.CodeType, func: Any) -> str:
    """The source of a session function (its code without one: ``exec()``), read once per
    code object (reading it parses its cell or file)."""
    if code not in _SOURCES:
        text = source_text(func)
        _SOURCES[code] = text if text is not None else code_text(code)
    return _SOURCES[code]


#: the text of compiled code by its code object (kept no longer than the code is)
_CODE_TEXTS: weakref.WeakKeyDictionary[types.CodeType, str] = weakref.WeakKeyDictionary()


def code_text(code: types.CodeType) -> str:
    """Code by what it compiled to (``exec()``'s, with no source; a module's, whose file
    may have changed since it was imported): its bytecode, constants and names, the same
    in every process; read once per code object."""
    if code not in _CODE_TEXTS:
        consts = [_const_text(c) for c in code.co_consts]
        _CODE_TEXTS[code] = f"{code.co_code.hex()}|{consts}|{code.co_names}|" \
                            f"{code.co_varnames}"
    return _CODE_TEXTS[code]


def _const_text(const: Any) -> str:
    """A constant of compiled code as text: a set literal's (``w in {"a", "b"}``) in a
    fixed order, since a frozenset's repr changes with the process's string hashes."""
    if isinstance(const, types.CodeType):
        return code_text(const)
    if isinstance(const, frozenset):
        return f"frozenset({sorted(map(_const_text, const))})"
    if isinstance(const, tuple):
        return f"({', '.join(map(_const_text, const))},)"
    return repr(const)


def module_digest(module: types.ModuleType) -> str:
    """A module by the bytes of its file as it was imported (when labelwright first saw
    it: :func:`~labelwright.lfs.loaded_modules.loaded_sha`; a file edited since, not
    reloaded, is not the code that runs), else its version, else its name alone (a builtin
    module: it comes with Python)."""
    file = getattr(module, "__file__", None)
    if file:
        try:
            stat = os.stat(file)
        except OSError:
            pass
        else:
            return loaded_sha(module, file, file_sha256(file, file_state(stat)))
    version = getattr(module, "__version__", None)
    return f"version {version}" if isinstance(version, str) else f"python {sys.version}"
