"""The reviewed labels a run takes from the ledger, and what it says of the reviews it cannot
use."""

from typing import Any


def __getattr__(name: str) -> Any:
    """``labelwright.review.feedback.reviewed_labels`` and the module's other names, as
    before it was a folder: they live in :mod:`~labelwright.review.feedback.gold`."""
    if not name.startswith("__"):
        import importlib

        gold = importlib.import_module("labelwright.review.feedback.gold")
        if hasattr(gold, name):
            return getattr(gold, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
