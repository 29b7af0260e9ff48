"""Which globals and module attributes a function's code reads, found in its bytecode:
what :mod:`labelwright.lfs.session_globals` puts in an LF's cache key, and what
:mod:`labelwright.lfs.code_digests` follows when it digests a function of the user's."""

from __future__ import annotations

import builtins
import dis
import os
import sys
import types
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from labelwright.lfs.loaded_modules import is_user_file, is_user_module

#: the opcodes through which code reads a global (``LOAD_NAME``: a class body's)
_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME"})
#: the opcodes through which code reads an attribute (``mylfs.WORDS``, ``mylfs.found(...)``)
_ATTRS = frozenset({"LOAD_ATTR", "LOAD_METHOD"})


def follows(func: Any) -> bool:
    """Whether the key follows what ``func`` reads: the user's code (written in the
    session, or in a file that is not Python's library's, an installed package's or
    labelwright's), whose module state the process can change; other code counts by its
    module."""
    if func.__code__.co_filename.startswith("<frozen "):  # Python's own (``os.path``)
        return False
    return is_session_code(func) or is_user_file(func.__code__.co_filename)


def _module_file(func: Any) -> str | None:
    """The file of the module whose globals ``func`` reads (None: a session's)."""
    file = func.__globals__.get("__file__")
    return file if isinstance(file, str) and not is_session_code(func) else None


def is_session_code(func: Any) -> bool:
    """Whether a function's globals were set by the session rather than by a module file:
    its module is ``__main__`` (a notebook, a script), or its code's file cannot be read
    (``<string>``, ``exec()``, a cell whose file is gone)."""
    if getattr(func, "__globals__", {}).get("__name__") == "__main__":
        return True
    return not _readable(func.__code__.co_filename)


def _readable(file: str) -> bool:
    return not file.startswith("<") and os.path.isfile(file)


def global_reads(func: Any) -> Iterator[tuple[str, Any, str | None]]:
    """``(name, value, owner)`` of each global ``func``'s code loads
    (:func:`loaded_globals`), then of each attribute it reads of a module of the user's
    (``mylfs.WORDS``: its value now, whatever module holds it; ``owner``: the file of the
    module the value belongs to)."""
    own = _module_file(func)
    for name, value in loaded_globals(func):
        yield name, value, own
    seen: set[str] = set()
    for chain in sorted(global_attributes(func.__code__)):
        read = _attribute_read(func.__globals__.get(chain[0]), chain)
        if read is not None and read[0] not in seen and "." in read[0]:
            seen.add(read[0])
            yield read
    # ``import bankrules`` in the function's body, then ``bankrules.WORDS``: once imported
    # (before, the module holds what its code will make when the LF imports it)
    for chain in sorted(imported_attributes(func.__code__)):
        if chain[0] not in sys.modules:
            continue
        read = _attribute_read(sys.modules[chain[0]], chain)
        if read is not None and read[0] not in seen:
            seen.add(read[0])
            yield read


def _attribute_read(root: Any, chain: tuple[str, ...]) -> tuple[str, Any, str | None] | None:
    """``(name, value, owner)`` of the attribute chain ``chain`` read from ``root``,
    followed through modules of the user's only (``mylfs.WORDS``; of ``json.dumps``:
    ``json``, digested by its module)."""
    value = owner = root
    depth = 1
    while (depth < len(chain) and isinstance(value, types.ModuleType)
           and is_user_module(value)):
        owner = value
        value = getattr(value, chain[depth], _UNBOUND)
        depth += 1
    return ".".join(chain[:depth]), value, getattr(owner, "__file__", None)


def loaded_globals(func: Any) -> Iterator[tuple[str, Any]]:
    """``(name, value)`` of each global ``func``'s code loads, sorted by name: found in
    its globals (builtins are not), or ``<unbound>`` (a NameError when it runs)."""
    found = func.__globals__
    for name in sorted(global_names(func.__code__)):
        if name in found:
            yield name, found[name]
        elif not hasattr(builtins, name):
            yield name, _UNBOUND


class _Unbound:
    def __repr__(self) -> str:
        return "<unbound>"


_UNBOUND = _Unbound()


@lru_cache(maxsize=4096)
def global_names(code: types.CodeType) -> frozenset[str]:
    """The names ``code`` and the code objects nested in it (lambdas, inner functions,
    comprehensions, classes) load as globals."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in _LOADS}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return frozenset(str(n) for n in names)


@lru_cache(maxsize=4096)
def global_attributes(code: types.CodeType) -> frozenset[tuple[str, ...]]:
    """The attribute chains ``code`` and the code objects nested in it read from globals:
    ``("mylfs", "WORDS")`` of ``mylfs.WORDS``."""
    chains = set()
    instructions = list(dis.get_instructions(code))
    for k, instruction in enumerate(instructions):
        if instruction.opname not in _LOADS:
            continue
        chain = [str(instruction.argval)]
        for after in instructions[k + 1:]:
            if after.opname not in _ATTRS:
                break
            chain.append(str(after.argval))
        if len(chain) > 1:
            chains.add(tuple(chain))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            chains |= global_attributes(const)
    return frozenset(chains)


#: the opcodes through which a function reads and sets its own variables
_FAST_LOADS = frozenset({"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF"})
_FAST_STORES = frozenset({"STORE_FAST", "STORE_DEREF"})


@lru_cache(maxsize=4096)
def imported_attributes(code: types.CodeType) -> frozenset[tuple[str, ...]]:
    """What ``code`` and the code objects nested in it read of modules they import in
    their body: ``("bankrules", "WORDS")`` of ``import bankrules`` then
    ``bankrules.WORDS``, or of ``from bankrules import WORDS`` then ``WORDS`` (the module's
    name in ``sys.modules``, then the attributes read)."""
    roots = _imported_roots(code)
    chains = set()
    instructions = list(dis.get_instructions(code))
    for k, instruction in enumerate(instructions):
        if instruction.opname not in _FAST_LOADS or instruction.argval not in roots:
            continue
        chain = list(roots[str(instruction.argval)])
        for after in instructions[k + 1:]:
            if after.opname not in _ATTRS:
                break
            chain.append(str(after.argval))
        chains.add(tuple(chain))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            chains |= imported_attributes(const)
    return frozenset(chains)


def _imported_roots(code: types.CodeType) -> dict[str, tuple[str, ...]]:
    """The variables ``code`` stores an import in, each as the module's name and the
    attribute imported: ``import os.path`` stores ``("os",)`` in ``os``, ``import a.b as
    c`` ``("a.b",)`` in ``c``, ``from a import b`` ``("a", "b")`` in ``b``."""
    roots: dict[str, tuple[str, ...]] = {}
    module, names_from = "", False
    pending: tuple[str, ...] | None = None
    before = None
    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME":
            module = str(instruction.argval)
            names_from = before is not None and before.argval is not None  # a fromlist
            pending = (module.partition(".")[0],)
        elif instruction.opname == "IMPORT_FROM" and module:
            pending = (module, str(instruction.argval)) if names_from else (module,)
        elif instruction.opname in _FAST_STORES and pending is not None:
            roots[str(instruction.argval)] = pending
            pending = None
        else:
            pending = None
        before = instruction
    return roots


def _has_contents(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True
