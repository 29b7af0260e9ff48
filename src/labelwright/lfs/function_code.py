"""The code a callable runs: through ``functools.partial``, ``functools.wraps`` and callable
objects to the function underneath (:func:`unwrapped`), its source (:func:`source_text`) and
where it is (:func:`code_location`). An LF's hash, its location and the checks that read its
code all start from the same function, so they agree on what the LF is."""

from __future__ import annotations

import functools
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

#: how many layers of partials, wrappers and callable objects are followed
MAX_UNWRAP = 10


def unwrapped(func: Any) -> tuple[Any, list[Any]]:
    """The function whose code ``func`` runs -- through ``functools.partial``,
    ``functools.wraps`` and callable objects (their class's ``__call__``), or None if no
    Python code -- and what the way there binds: partials' arguments, callable objects'
    attributes."""
    bound: list[Any] = []
    for _ in range(MAX_UNWRAP):
        if getattr(func, "__code__", None) is not None:
            return func, bound
        if isinstance(func, functools.partial):
            bound += [func.args, func.keywords]
            func = func.func
        elif (wrapped := getattr(func, "__wrapped__", None)) is not None:
            func = wrapped
        elif getattr(type(func).__call__, "__code__", None) is not None:
            bound.append(getattr(func, "__dict__", {}))
            func = type(func).__call__
        else:
            break
    return None, bound


def source_of(func: Callable[..., Any]) -> str:
    """The source of the code ``func`` runs (see :func:`unwrapped`)."""
    code, _ = unwrapped(func)
    if code is None:
        return ""
    text = source_text(func)
    if text is not None:
        return text
    # no source (code made with exec()): what it compiled to, constants and names with
    # the bytecode (the bytecode alone is the same for `< 2` and `< 100`)
    from labelwright.lfs.code_texts import compiled_text

    return compiled_text(code.__code__)


def source_text(func: Callable[..., Any]) -> str | None:
    """The source of the code ``func`` runs, as an LF's hash reads it (dedented); None when
    there is none to read (no Python code, code made by ``exec``, a file gone)."""
    code, _ = unwrapped(func)
    if code is None:
        return None
    try:
        return textwrap.dedent(inspect.getsource(code))
    except (OSError, TypeError):
        return None


def code_location(func: Callable[..., Any]) -> tuple[str, int]:
    """Where the code of ``func`` is: through ``functools.partial``, ``functools.wraps``
    and callable objects (their class's ``__call__``); ``("<unknown>", 0)`` if nowhere. A
    function wrapped with ``functools.wraps`` is where the wrapped one is, not the
    wrapper (every LF a decorator wraps would share the decorator's line)."""
    for _ in range(MAX_UNWRAP):
        wrapped = getattr(func, "__wrapped__", None)
        if wrapped is None:
            break
        func = wrapped
    code, _ = unwrapped(func)
    if code is None:
        return "<unknown>", 0
    return code.__code__.co_filename, code.__code__.co_firstlineno


def class_source(cls: type) -> str:
    """The source of ``cls`` (a snorkel LF subclass's, hashed with its function), or its
    qualified name when the source cannot be read."""
    try:
        return inspect.getsource(cls)
    except (OSError, TypeError):
        return f"{cls.__module__}.{cls.__qualname__}"
