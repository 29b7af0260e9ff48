"""The human review loop: rank and export the review queue, import decisions, feed them
back, and export the final training set.

Submodules: :mod:`~labelwright.review.ranking` (items most likely wrong first: its signals in
:mod:`~labelwright.review.ranking_signals`, its weights in
:mod:`~labelwright.review.ranking_weights`, kept by :mod:`~labelwright.review.rank_cache`),
:mod:`~labelwright.review.export` (queue records, JSONL, run exports),
:mod:`~labelwright.review.csv_sheet` (the CSV sheet, its cells escaped from formulas),
:mod:`~labelwright.review.run_queue` (a run's queue and random sample files, read back),
:mod:`~labelwright.review.tools` (Label Studio, Prodigy, doccano, Argilla formats),
:mod:`~labelwright.review.importing` (read and check each tool's export: the rows in
:mod:`~labelwright.review.import_rows`, what goes into the ledger in
:mod:`~labelwright.review.import_to_ledger`),
:mod:`~labelwright.review.ledger` (append-only SQLite ledger; read by
:mod:`~labelwright.review.ledger_reading`, hashed by :mod:`~labelwright.review.ledger_digests`),
:mod:`~labelwright.review.retirements` and :mod:`~labelwright.review.retire` (decisions
withdrawn, append-only),
:mod:`~labelwright.review.feedback` (gold labels for the next run; what it cannot use in
:mod:`~labelwright.review.feedback_warnings`),
:mod:`~labelwright.review.agreement` (kappas, alpha, accuracy intervals),
:mod:`~labelwright.review.budget` (cut the queue to a review budget),
:mod:`~labelwright.review.training_set` (a run's labels, with the reviews, as a training set).

The review loop's functions, one per command (README, "Python API"):
:func:`export_run` (``review export``), :func:`import_file` (``review import``),
:func:`retire_decisions` (``review retire``), :func:`review_stats` (``review stats``)
and :func:`export_training_set` (``export``); the ledger's decisions as a DataFrame:
:func:`review_decisions`.
"""

from typing import TYPE_CHECKING, Any

from labelwright.review.export import EXPORT_FORMATS, export_run, review_records, write_review

if TYPE_CHECKING:
    from labelwright.review.decisions_frame import review_decisions
    from labelwright.review.importing import IMPORT_FORMATS, ImportReport, import_file
    from labelwright.review.retire import RetireReport, retire_decisions
    from labelwright.review.stats import ReviewStats, review_stats
    from labelwright.review.training_set import export_training_set

#: loaded when first used: importing one submodule of the package runs this file
_LAZY = {
    "IMPORT_FORMATS": "labelwright.review.importing",
    "ImportReport": "labelwright.review.importing",
    "import_file": "labelwright.review.importing",
    "RetireReport": "labelwright.review.retire",
    "retire_decisions": "labelwright.review.retire",
    "ReviewStats": "labelwright.review.stats",
    "review_stats": "labelwright.review.stats",
    "export_training_set": "labelwright.review.training_set",
    "review_decisions": "labelwright.review.decisions_frame",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'labelwright.review' has no attribute {name!r}")


__all__ = ["EXPORT_FORMATS", "IMPORT_FORMATS", "ImportReport", "RetireReport", "ReviewStats",
           "export_run", "export_training_set", "import_file", "retire_decisions",
           "review_decisions", "review_records", "review_stats", "write_review"]
