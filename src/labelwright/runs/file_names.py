"""The names of the files a run folder (``runs/<run_id>/``) holds, each spelled once here.

It imports nothing, so every module takes them from here, the report too (which loads
without spaCy, torch or scikit-learn). The manifest's name is
:data:`~labelwright.runs.manifest.MANIFEST`, the skipped rows' is
:data:`~labelwright.data.bad_rows.SKIPPED_ROWS_FILE`.
"""

from __future__ import annotations

LABELS_FILE = "labels.parquet"  # a run's labels
MATRIX_FILE = "label_matrix.parquet"  # a run's label matrix
LF_SUMMARY_FILE = "lf_summary.csv"  # one row per LF: coverage, overlaps, conflicts, ...
LABEL_MODEL_FILE = "label_model.json"  # the fitted label model, when it can be saved
REVIEWS_FILE = "reviews.json"  # the review decisions the run read
GLOSSARY_HITS_FILE = "glossary_hits.csv"  # hits per glossary term
PHRASE_HITS_FILE = "glossary_phrase_hits.csv"  # hits per phrase: a term and each synonym
#: every item each failed LF raised on (rows of the label matrix), when any LF raised
LF_FAILURES_FILE = "lf_failures.parquet"

#: the review queue, as a sheet and as records
QUEUE_CSV, QUEUE_JSONL = "review.csv", "review.jsonl"
#: the random sample, as a sheet and as records (when the run draws one)
SAMPLE_CSV, SAMPLE_JSONL = "sample.csv", "sample.jsonl"
#: the review files of a run, which a reviewer may fill in (``review_label``)
REVIEW_FILES = (QUEUE_CSV, QUEUE_JSONL, SAMPLE_CSV, SAMPLE_JSONL)

#: the run's report, written after the manifest (so not among its hashed outputs)
REPORT = "report.html"
#: what ``labelwright train`` writes into a run folder, later (so not among its outputs)
TRAIN_FILES = ("end_model.json", "end_model_labels.parquet")
