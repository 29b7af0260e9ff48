"""labelwright: weak-supervision programmatic labeling.

Labeling functions and glossaries in; probabilistic labels, a review queue and a
record of what produced each label out.
"""

from typing import TYPE_CHECKING, Any

from labelwright.errors import LabelwrightError
from labelwright.lfs.core import ABSTAIN, LabelingFunction, labeling_function

if TYPE_CHECKING:
    from labelwright.check import check_project
    from labelwright.lfs.item import GlossaryMatch, Item
    from labelwright.project import (
        Project,
        RunResult,
        apply_project,
        load_project,
        run_project,
    )

# spaCy and pandas load only when something needs them, so `labelwright --help` is quick.
_LAZY = {
    "GlossaryMatch": "labelwright.lfs.item",
    "Item": "labelwright.lfs.item",
    **{name: "labelwright.project" for name in (
        "Project", "RunResult", "apply_project", "load_project", "run_project")},
    "check_project": "labelwright.check",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'labelwright' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "ABSTAIN",
    "GlossaryMatch",
    "Item",
    "LabelingFunction",
    "LabelwrightError",
    "Project",
    "RunResult",
    "apply_project",
    "check_project",
    "labeling_function",
    "load_project",
    "run_project",
]
