"""Names that moved out of a module and still import from it, for modules the moved
names' new modules import (a plain re-export would be a circular import): the module's
``__getattr__`` loads a name's new module when the name is first asked for, and keeps the
name in the old module's namespace then, so later lookups (in per-row loops) cost nothing.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping


def moved_names(module: str, moved: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``module`` (its ``__name__``) giving each name of
    ``moved`` (name -> the module it moved to) from its new module; any other name is the
    AttributeError Python gives for a missing one."""

    def __getattr__(name: str) -> object:
        if name not in moved:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(moved[name]), name)
        setattr(sys.modules[module], name, value)  # resolved once: found there from now on
        return value

    return __getattr__
