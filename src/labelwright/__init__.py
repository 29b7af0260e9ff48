"""labelwright: weak-supervision programmatic labeling.

Labeling functions and glossaries in; probabilistic labels, a review queue and a
record of what produced each label out.
"""

from labelwright.errors import LabelwrightError
from labelwright.item import GlossaryMatch, Item
from labelwright.lfs import ABSTAIN, LabelingFunction, labeling_function
from labelwright.project import (
    Project,
    RunResult,
    apply_project,
    check_project,
    load_project,
    run_project,
)

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
