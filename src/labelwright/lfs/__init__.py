"""Labeling functions: how rule writers declare them, how a project's are found, what they
receive, and how they did.

:mod:`~labelwright.lfs.core` (the decorator, :class:`LabelingFunction`, source hashes),
:mod:`~labelwright.lfs.discovery` (a project's LFs from its LF folder),
:mod:`~labelwright.lfs.item` (the :class:`~labelwright.lfs.item.Item` an LF receives),
:mod:`~labelwright.lfs.stats` (coverage, overlaps, conflicts, accuracy on a label matrix).
"""

from typing import Any

from labelwright.lfs.core import (
    ABSTAIN,
    LabelingFunction,
    from_snorkel,
    labeling_function,
    lf_source_hash,
    stable_text,
)

__all__ = ["ABSTAIN", "LabelingFunction", "discover", "from_snorkel", "labeling_function",
           "lf_source_hash", "stable_text"]


def __getattr__(name: str) -> Any:
    """``labelwright.lfs.discover`` stays importable (it imports every LF module, so it loads
    only when asked for)."""
    if name == "discover":
        from labelwright.lfs.discovery import discover

        return discover
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
