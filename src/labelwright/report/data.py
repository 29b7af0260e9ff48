"""Aggregates of one run folder for the report: small numbers, never the full data.

Reads only files inside the run folder (``manifest.json``, ``labels.parquet``,
``label_matrix.parquet``, ``lf_summary.csv``, ``review.jsonl``, and when present
``glossary_hits.csv``), so it works on a staged ``runs/.<run_id>.partial/`` folder too.
A run writing its own report hands over the labels table and label matrix it has just
written (:class:`HeldOutputs`) rather than have them read back while it holds them.
Everything kept is bounded by the number of LFs, labels, terms or by ``EXAMPLES``,
so the report of a 1M-item run is as small as that of a 100-item run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.matrix import LabelMatrix
from labelwright.models.reliability import bin_index
from labelwright.models.vote_calibration import calibration_by_votes, vote_patterns
from labelwright.project.held_out import held_out_rows
from labelwright.project.label_calibration import class_reliability_table as class_reliability_table
from labelwright.project.label_calibration import judged_gold, label_calibration
from labelwright.project.label_calibration import with_review_cost as with_review_cost
from labelwright.project.label_coverage import items_voted_per_label
from labelwright.project.label_scores import gold_confusion
from labelwright.report.failure_places import failure_places
from labelwright.report.item_rows import rows_of
from labelwright.report.phrase_hits import PHRASE_HITS_COLUMNS
from labelwright.report.queue_examples import TEXT_CHARS as TEXT_CHARS
from labelwright.report.queue_examples import queue_examples
from labelwright.report.ties import mark_ties
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.file_names import (
    GLOSSARY_HITS_FILE,
    LABELS_FILE,
    LF_SUMMARY_FILE,
    MATRIX_FILE,
    PHRASE_HITS_FILE,
    QUEUE_JSONL,
)
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.learned_columns import LEARNED_COLUMNS, with_learned
from labelwright.runs.store import changed_output, read_labels_table, read_manifest

EXAMPLES = 20  # examples kept per kind (conflicts, low confidence, flips)
CONFIDENCE_BINS = 20
RELIABILITY_BINS = 10
NONE = NO_LABEL
GLOSSARY_HITS_COLUMNS = ("glossary", "term", "label", "hits", "cancelled")
#: the columns of ``labels.parquet`` the report reads
LABELS_COLUMNS = ("id", "label", "confidence", "status", "reasons", "gold", "label_source",
                  "model_label", "model_confidence")


class HeldOutputs(NamedTuple):
    """A run's ``labels.parquet`` frame and label matrix as the run that has just written
    them holds them: its report reads them from here, not back from the files (at a
    million items, reading them back while the run's result is held was its peak: every
    id a string once more, some 290 bytes an item). The report is the same either way."""

    labels: pd.DataFrame
    matrix: LabelMatrix


@dataclass
class RunData:
    run_dir: Path
    manifest: dict[str, Any]
    labels: tuple[str, ...]
    n_items: int
    lf_names: list[str]  # label matrix column order
    lf_table: pd.DataFrame
    co_votes: np.ndarray  # (m, m) items where both LFs voted
    agreements: np.ndarray  # (m, m) items where both voted the same label
    predicted: dict[str, int]  # label (or "(none)") -> items
    #: held-out gold items (a gold label and no reviewed label: the items the accuracy is
    #: over) per gold label; None without held-out gold
    gold: dict[str, int] | None
    statuses: dict[str, int]
    reasons: dict[str, int]
    confidence_edges: np.ndarray
    confidence_hist: dict[str, np.ndarray]  # predicted label -> counts per bin
    reliability: pd.DataFrame | None  # bin_low, bin_high, items, confidence, accuracy
    glossary_hits: pd.DataFrame | None
    conflict_examples: list[dict[str, Any]] = field(default_factory=list)
    low_confidence_examples: list[dict[str, Any]] = field(default_factory=list)
    #: hits per phrase (glossary_phrase_hits.csv); None for a run made before they were
    phrase_hits: pd.DataFrame | None = None
    n_reviewed: int = 0  # items whose label is a review's (not in the confidence plots)
    #: held-out gold items: gold label (rows) x the label model's label (columns, and
    #: "(none)" for items left without one); None without held-out gold
    confusion: pd.DataFrame | None = None
    #: the same held-out gold items per label the label model gave them ("(none)": none)
    gold_given: dict[str, int] | None = None
    notes: list[str] = field(default_factory=list)  # files missing or unreadable
    #: how the examples' tie-breaks were told, when not from the run's label model
    tie_note: str | None = None
    #: the reliability per label the label model gave, on the same gold items as
    #: ``reliability`` (:func:`class_reliability_table`); None without them
    class_reliability: pd.DataFrame | None = None
    #: the same gold items' calibration per vote pattern (agreeing votes, a split, one vote:
    #: :func:`~labelwright.models.vote_calibration.calibration_by_votes`), as the manifest records
    #: it (:func:`recorded_vote_calibration`; told here for an older run); None without them
    vote_calibration: dict[str, dict[str, Any]] | None = None
    #: the first items each LF raised on (the manifest's ``failures.<lf>.item_ids``) with
    #: the file, row and part they came from (:func:`failure_places`): {} without failures
    failure_places: dict[str, str] = field(default_factory=dict)
    #: items with at least one reason, and with two or more (the reasons' counts add up
    #: past the items they are on): (0, 0) where not told
    items_by_reasons: tuple[int, int] = (0, 0)
    #: per label, the items with at least one vote for it (the label's coverage, as
    #: ``run`` prints it: :func:`~labelwright.project.label_coverage.items_voted_per_label`)
    voted: dict[str, int] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return str(self.manifest.get("run_id") or self.run_dir.name)

    @property
    def conflicts(self) -> np.ndarray:
        return self.co_votes - self.agreements


def pairwise_votes(votes: np.ndarray, n_labels: int) -> tuple[np.ndarray, np.ndarray]:
    """(co_votes, agreements): per LF pair, items both voted on, and those with the same vote."""
    co = _pair_counts(votes >= 0)
    agree = np.zeros_like(co)
    for k in range(n_labels):
        agree += _pair_counts(votes == k)
    return co, agree


def _pair_counts(mask: np.ndarray) -> np.ndarray:
    """Per pair of columns of the boolean (items x LFs) ``mask``, the items true in both:
    exact integers from bit-packed columns (a float32 product of the 0/1 matrices, as
    before, took seconds on 300k items x 28 LFs, and rounds past 2**24 items)."""
    columns = np.ascontiguousarray(np.packbits(mask, axis=0).T)  # (LFs, items / 8) bytes
    out = np.empty((columns.shape[0], columns.shape[0]), dtype=np.int64)
    bit_count = getattr(np, "bitwise_count", None)  # numpy >= 2.0
    for j, column in enumerate(columns):
        both = column & columns
        out[j] = (bit_count(both) if bit_count is not None else _BITS[both]).sum(
            axis=1, dtype=np.int64)
    return out


#: the number of set bits of each byte value (numpy before 2.0 has no bitwise_count)
_BITS = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


def reliability_table(confidence: np.ndarray, correct: np.ndarray,
                      bins: int = RELIABILITY_BINS) -> pd.DataFrame:
    """Mean confidence and accuracy per confidence bin (only bins that hold items)."""
    edges = np.arange(bins + 1) / bins
    which = bin_index(confidence, bins)
    rows = []
    for b in range(bins):
        mask = which == b
        if mask.any():
            rows.append({"bin_low": edges[b], "bin_high": edges[b + 1], "items": int(mask.sum()),
                         "confidence": float(confidence[mask].mean()),
                         "accuracy": float(correct[mask].mean())})
    return pd.DataFrame(rows, columns=["bin_low", "bin_high", "items", "confidence", "accuracy"])


def recorded_vote_calibration(manifest: dict[str, Any]) -> dict[str, dict[str, Any]] | None:
    """The calibration per vote pattern the run recorded (``evaluation.calibration_by_votes``,
    as :func:`~labelwright.project.evaluation.evaluate` told it and ``runs verify`` tells it
    again), so the report shows the run's numbers rather than a third telling of them; None
    for a run from before the manifest recorded them."""
    evaluation = manifest.get("evaluation")
    groups = evaluation.get("calibration_by_votes") if isinstance(evaluation, dict) else None
    return groups if isinstance(groups, dict) else None


def _vote_calibration(frame: pd.DataFrame, matrix: LabelMatrix, labels: tuple[str, ...],
                      judged: np.ndarray, confidence: np.ndarray, correct: np.ndarray,
                      notes: list[str]) -> dict[str, dict[str, Any]] | None:
    """:func:`~labelwright.models.vote_calibration.calibration_by_votes` of the gold items
    ``judged`` (rows of ``frame``), their votes found in ``matrix`` by item id; None, with
    a note, when some of them are not in it."""
    if "id" not in frame.columns:
        notes.append(f"{LABELS_FILE} has no id column: no calibration per vote pattern")
        return None
    ids = frame["id"].astype(str).to_numpy()[judged]
    rows = rows_of(matrix.item_ids, ids.tolist())
    if (rows < 0).any():
        notes.append(f"{int((rows < 0).sum())} gold item(s) of {LABELS_FILE} are not in "
                     f"{MATRIX_FILE} (first: {ids[rows < 0][0]!r}): no calibration per vote "
                     "pattern")
        return None
    patterns = vote_patterns(matrix.votes[rows], len(labels))
    return calibration_by_votes(patterns, confidence[judged], correct)


def expected_calibration_error(table: pd.DataFrame) -> float:
    if table.empty:
        return float("nan")
    weights = table["items"] / table["items"].sum()
    return float((weights * (table["accuracy"] - table["confidence"]).abs()).sum())


def _counts(values: pd.Series, order: tuple[str, ...]) -> dict[str, int]:
    counts = values.fillna(NONE).astype(str).value_counts()
    out = {label: int(counts.get(label, 0)) for label in order}
    out.update({k: int(v) for k, v in counts.items() if k not in out and k != NONE})
    if NONE in counts.index:
        out[NONE] = int(counts[NONE])
    return out


def _lf_table(run_dir: Path, manifest: dict[str, Any], notes: list[str]) -> pd.DataFrame:
    path = run_dir / LF_SUMMARY_FILE
    try:
        # names and labels are text, even where they look like numbers ("007", "1")
        text = {"lf": str, "polarity": str, "kind": str}
        table = pd.read_csv(path, keep_default_na=False, na_values=[""], dtype=text)
        for column in set(text) & set(table.columns):
            table[column] = table[column].fillna("")
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        notes.append(f"{path.name} could not be read ({exc}); the LF table is empty")
        return pd.DataFrame({"lf": [lf["name"] for lf in manifest.get("labeling_functions", [])]})
    if set(LEARNED_COLUMNS.values()) & set(table.columns):
        return table  # written by the run
    # a run from before lf_summary.csv held them: from its manifest
    return with_learned(table, manifest.get("label_model") or {})


def _hits_table(run_dir: Path, name: str, columns: Sequence[str], what: str,
                text_columns: tuple[str, ...], notes: list[str]) -> pd.DataFrame | None:
    """A run's glossary hits per term (``glossary_hits.csv``) or per phrase
    (``glossary_phrase_hits.csv``): None for a run without the file (made before it was
    written), or with a note when it lacks ``columns``."""
    path = run_dir / name
    if not path.is_file():
        return None
    hits = pd.read_csv(path, keep_default_na=False, dtype=dict.fromkeys(text_columns, str))
    missing = [c for c in columns if c not in hits.columns]
    if missing:
        notes.append(f"{path.name} lacks the columns {', '.join(missing)}; {what} skipped")
        return None
    return hits


def _glossary_hits(run_dir: Path, notes: list[str]) -> pd.DataFrame | None:
    return _hits_table(run_dir, GLOSSARY_HITS_FILE, GLOSSARY_HITS_COLUMNS, "glossary hits",
                       ("term", "glossary", "label"), notes)


def _phrase_hits(run_dir: Path, notes: list[str]) -> pd.DataFrame | None:
    return _hits_table(run_dir, PHRASE_HITS_FILE, PHRASE_HITS_COLUMNS, "phrase hits",
                       ("glossary", "term", "phrase", "label"), notes)


def load_run(run_dir: Path, *, examples: int = EXAMPLES,
             held: HeldOutputs | None = None) -> RunData:
    """Read a run folder into the aggregates the report shows. ``held``: its labels table
    and label matrix as the run that wrote them holds them (else read from its files)."""
    manifest = read_manifest(run_dir)
    notes: list[str] = []
    labels = manifest_labels(manifest) or ()
    if held is not None:
        frame, matrix = held.labels, held.matrix
    else:
        frame = read_labels_table(run_dir / LABELS_FILE, list(LABELS_COLUMNS)).to_pandas()
        matrix = LabelMatrix.read_parquet(run_dir / MATRIX_FILE)
    labels = labels or matrix.labels
    co, agree = pairwise_votes(matrix.votes, len(labels))
    predicted = frame["label"]
    # a reviewed item's label and confidence (1.0) are the reviewers', not the model's: the
    # confidence plots and the calibration are the model's own, on the items it labeled
    # (an item that took its copy's reviewed label too)
    reviewed = frame["label_source"].astype(str).isin(REVIEWED_SOURCES).to_numpy() \
        if "label_source" in frame.columns else np.zeros(len(frame), dtype=bool)
    edges = np.arange(CONFIDENCE_BINS + 1) / CONFIDENCE_BINS
    confidence = frame["confidence"].to_numpy(dtype=float)
    hist = {label: np.bincount(bin_index(
        confidence[(predicted == label).fillna(False).to_numpy(dtype=bool) & ~reviewed],
        CONFIDENCE_BINS), minlength=CONFIDENCE_BINS) for label in labels}
    gold = gold_given = reliability = confusion = by_label = by_votes = None
    if "gold" in frame.columns and frame["gold"].notna().any():
        # held-out gold measures the label model's own labels, as the run's accuracy does
        judged_parts = judged_gold(frame)  # compared once: the tables below all read it
        model_label, model_confidence, judged, correct = judged_parts
        confusion = gold_confusion(model_label, frame["gold"], labels, held_out_rows(frame))
        if confusion is not None:  # the held-out items, as the accuracy counts them
            gold = {str(k): int(v) for k, v in confusion.sum(axis=1).items()}
            gold_given = {str(k): int(v) for k, v in confusion.sum(axis=0).items()}
        reliability = reliability_table(model_confidence[judged], correct)
        by_label = label_calibration(frame, labels, gold=judged_parts)
        by_votes = recorded_vote_calibration(manifest)
        if by_votes is None:  # a run from before its manifest recorded them
            by_votes = _vote_calibration(frame, matrix, labels, judged, model_confidence,
                                         correct, notes)
    reasons, with_reasons = _reason_counts(frame["reasons"])
    conflict_examples, low_examples = queue_examples(run_dir, examples)
    tie_note = mark_ties(run_dir, manifest, matrix, conflict_examples + low_examples)
    queue_changed = (changed_output(run_dir, manifest, QUEUE_JSONL)
                     if QUEUE_JSONL in (manifest.get("outputs") or {}) else None)
    if queue_changed and (conflict_examples or low_examples):
        notes.append(f"{queue_changed}: the examples are read from it as it is now (a "
                     "reviewer may have filled in review_label, or more)")
    return RunData(
        run_dir=run_dir, manifest=manifest, labels=labels, n_items=len(frame),
        lf_names=matrix.lf_names,
        lf_table=_lf_table(run_dir, manifest, notes), co_votes=co, agreements=agree,
        predicted=_counts(predicted, labels), gold=gold,
        statuses={str(k): int(v) for k, v in frame["status"].value_counts().items()},
        n_reviewed=int(reviewed.sum()), confusion=confusion, gold_given=gold_given,
        reasons=reasons, items_by_reasons=with_reasons, confidence_edges=edges,
        confidence_hist=hist, reliability=reliability,
        glossary_hits=_glossary_hits(run_dir, notes), conflict_examples=conflict_examples,
        phrase_hits=_phrase_hits(run_dir, notes),
        low_confidence_examples=low_examples, notes=notes, tie_note=tie_note,
        class_reliability=by_label, vote_calibration=by_votes,
        failure_places=failure_places(run_dir, manifest,
                                      lambda: frame["id"].astype(str).tolist()),
        voted=dict(zip(labels, items_voted_per_label(matrix.votes, len(labels)).tolist())),
    )


def _reason_counts(column: pd.Series) -> tuple[dict[str, int], tuple[int, int]]:
    """Items per queue reason (``conflict;uncovered`` counts for both), and how many items
    have one reason or more and two or more."""
    reasons: dict[str, int] = {}
    some = several = 0
    for value, n in column.fillna("").value_counts().items():
        found = [reason for reason in str(value).split(";") if reason]
        for reason in found:
            reasons[reason] = reasons.get(reason, 0) + int(n)
        some += int(n) if found else 0
        several += int(n) if len(found) > 1 else 0
    return reasons, (some, several)
