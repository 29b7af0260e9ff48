"""The human review loop: rank and export the review queue, import decisions, feed them
back, and export the final training set.

Submodules: :mod:`~labelwright.review.ranking` (items most likely wrong first),
:mod:`~labelwright.review.export` (queue records, CSV/JSONL, run exports),
:mod:`~labelwright.review.tools` (Label Studio, Prodigy, doccano, Argilla formats),
:mod:`~labelwright.review.importing` (read and check each tool's export),
:mod:`~labelwright.review.ledger` (append-only SQLite ledger),
:mod:`~labelwright.review.feedback` (gold labels for the next run),
:mod:`~labelwright.review.agreement` (kappas, alpha, accuracy intervals),
:mod:`~labelwright.review.budget` (cut the queue to a review budget),
:mod:`~labelwright.review.training_set` (a run's labels, with the reviews, as a training set).
"""

from labelwright.review.export import EXPORT_FORMATS, export_run, review_records, write_review

__all__ = ["EXPORT_FORMATS", "export_run", "review_records", "write_review"]
