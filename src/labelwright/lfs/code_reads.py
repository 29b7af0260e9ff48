"""Which attributes an LF's code reads: its own function and the helpers of its module it
calls by name (``_lemmas(doc)``, and the helpers they call), read from their source."""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Collection
from typing import Any

from labelwright.lfs.core import _unwrapped

#: how many functions :func:`attributes_read` reads for one LF (itself and its helpers)
_MAX_FUNCTIONS = 20


def attributes_read(func: Callable[..., Any], names: Collection[str]) -> set[str]:
    """The attributes of ``names`` that the code of ``func`` or of a function of its own
    module that it calls by name reads (``x.pos_``), whatever object they are read of."""
    found: set[str] = set()
    todo: list[Any] = [func]
    seen: set[Any] = set()
    while todo and len(seen) < _MAX_FUNCTIONS:
        code, _ = _unwrapped(todo.pop())
        if code is None or code in seen:
            continue
        seen.add(code)
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(code)))
        except (OSError, TypeError, SyntaxError):
            continue
        globals_ = getattr(code, "__globals__", {})
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in names:
                found.add(node.attr)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                helper = globals_.get(node.func.id)
                if inspect.isfunction(helper) and helper.__module__ == code.__module__:
                    todo.append(helper)
    return found
