"""The human review loop: rank and export the review queue, import decisions, feed them
back, and export the final training set.

A folder per part of the loop: :mod:`~labelwright.review.ranking` (the queue's order:
items most likely wrong first), :mod:`~labelwright.review.queue` (``review export``: the queue
as a CSV sheet, JSONL or a tool's format), :mod:`~labelwright.review.imports` (``review
import``: a file of decisions read, checked and added), :mod:`~labelwright.review.decisions`
(the append-only ledger, its raters, and the decisions withdrawn by ``review retire``),
:mod:`~labelwright.review.feedback` (the reviewed labels a run takes, and what it says of the
reviews it cannot use) and :mod:`~labelwright.review.stats` (``review stats``: agreement,
accuracy, anchoring). Beside them: :mod:`~labelwright.review.training_set` (a run's labels,
with the reviews, as a training set), :mod:`~labelwright.review.wrench_export` (its votes as a
WRENCH folder) and :mod:`~labelwright.review.targets` (where either export may write);
``export.py`` and ``rank_cache.py`` are earlier import paths (README names them).

The review loop's functions, one per command (README, "Python API"):
:func:`export_run` (``review export``), :func:`import_file` (``review import``),
:func:`retire_decisions` (``review retire``), :func:`review_stats` (``review stats``)
and :func:`export_training_set` (``export``); the ledger's decisions as a DataFrame:
:func:`review_decisions`.
"""

from typing import TYPE_CHECKING, Any

from labelwright.review.queue.export import export_run
from labelwright.review.queue.formats import EXPORT_FORMATS, write_review
from labelwright.review.queue.records import review_records

if TYPE_CHECKING:
    from labelwright.review.decisions.frame import review_decisions
    from labelwright.review.decisions.retire import RetireReport, retire_decisions
    from labelwright.review.imports.file import import_file
    from labelwright.review.imports.records import IMPORT_FORMATS
    from labelwright.review.imports.report import ImportReport
    from labelwright.review.stats.figures import ReviewStats
    from labelwright.review.stats.summary import review_stats
    from labelwright.review.training_set import export_training_set

#: loaded when first used: importing one submodule of the package runs this file
_LAZY = {
    "IMPORT_FORMATS": "labelwright.review.imports.file",
    "ImportReport": "labelwright.review.imports.file",
    "import_file": "labelwright.review.imports.file",
    "RetireReport": "labelwright.review.decisions.retire",
    "retire_decisions": "labelwright.review.decisions.retire",
    "ReviewStats": "labelwright.review.stats.figures",
    "review_stats": "labelwright.review.stats.summary",
    "export_training_set": "labelwright.review.training_set",
    "review_decisions": "labelwright.review.decisions.frame",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'labelwright.review' has no attribute {name!r}")


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "ImportReport", "RetireReport", "ReviewStats",
           "export_run", "export_training_set", "import_file", "retire_decisions",
           "review_decisions", "review_records", "review_stats", "write_review"]
