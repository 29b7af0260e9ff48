"""Short reprs for results that hold a dataset's worth of data (texts, votes,
probabilities): a notebook cell that shows one prints what it is in a line, not every
array it holds, which for a large dataset is megabytes of text and a hung cell."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any


class ShortRepr:
    """``Name(key=value, ...)`` from :meth:`summary`, and the same as an HTML table for
    Jupyter. A dataclass using it is declared with ``repr=False``, so that its generated
    repr does not replace this one."""

    def summary(self) -> dict[str, object]:
        """What the repr shows: a few counts and names, never the data itself."""
        raise NotImplementedError

    def _shown(self) -> dict[str, Any]:
        return {key: str(value) if isinstance(value, Path) else value
                for key, value in self.summary().items()}

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={value!r}" for key, value in self._shown().items())
        return f"{type(self).__name__}({shown})"

    def _repr_html_(self) -> str:
        rows = "".join(f"<tr><th style='text-align:left'>{html.escape(key)}</th>"
                       f"<td style='text-align:left'>{html.escape(str(value))}</td></tr>"
                       for key, value in self._shown().items())
        return (f"<table><caption style='text-align:left'><b>{type(self).__name__}</b>"
                f"</caption>{rows}</table>")


def type_name(value: Any) -> str:
    """``list``, ``pyarrow.lib.Table``: the type of ``value`` as its module names it
    (builtins plain), as messages name a value of the wrong kind."""
    kind = type(value)
    return kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")
