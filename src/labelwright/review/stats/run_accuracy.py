"""How accurate a run's labels are, measured on the reviewed items of its own samples.

Each run draws two samples that reviews can measure it with: the audit sample of its
accepted labels (queue reason ``audit``), and its random sample of all items
(``sample.jsonl``, exported with ``review export --sample``). ``labelwright review stats
RUN`` prints both figures, and the report of a later run shows them for every earlier run
its reviews cover: both call :func:`run_accuracy` with the same reviewed labels, so the two
say the same of the same reviews.

An item of the random sample the run left without a label counts as wrong: the figure
estimates the accuracy of every label the run gave, and an item with none is not right.

The audit's reviewed items also give each predicted label's precision
(:attr:`RunAccuracy.audit_per_label`); where the run shared its audit alike per label
(``[triage] audit_allocation = "per_label"``), the audit figure is weighted back by each
label's accepted items (:mod:`labelwright.review.stats.audit_estimate`), from the strata the
run's manifest records.

Each figure comes with the size of its sample (``audit_items``, ``sample_items``): a
sample of 100 items of which 1 was reviewed -- it headed a later run's queue, and was
reviewed there -- gives a figure of one review, not an audit (:func:`few_reviews`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from labelwright.config.schema import PER_LABEL
from labelwright.errors import RunError
from labelwright.review.queue.run_queue import sample_ids
from labelwright.review.stats.agreement import AuditAccuracy, audit_accuracy
from labelwright.review.stats.audit_estimate import (
    LabelPrecision,
    StratifiedAccuracy,
    per_label,
    stratified_accuracy,
)
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.label_set import manifest_labels, renames_in_run
from labelwright.runs.store import changed_output, read_labels_table, read_manifest
from labelwright.triage.draw_records import recorded_allocation

#: the columns of a run's ``labels.parquet`` :func:`run_accuracy` reads
LABEL_COLUMNS = ["id", "label", "label_source", "reasons"]

#: a figure from fewer reviewed items than this is not read as the run's accuracy: its 95%
#: interval spans 30 points or more, and so few items of a sample were often reviewed for
#: another reason (they headed a later run's queue), not as its sample
FEW_REVIEWS = 30
def few_reviews_title(samples: Collection[str] = ("audit", "sample")) -> str:
    """The heading figures on fewer than :data:`FEW_REVIEWS` reviewed items are set apart
    under, naming the samples (``audit``, ``sample``) whose figures it holds: under "of its
    audit or random sample", a random-sample figure on 142 reviews printed just above read
    as unmeasured too."""
    named = {"audit": "audit", "sample": "random sample"}
    which = " or ".join(named[s] for s in ("audit", "sample") if s in samples)
    return (f"Too few reviews to read as the run's accuracy: under {FEW_REVIEWS} reviewed "
            f"items of its {which or 'audit or random sample'}")


#: the heading figures on fewer than :data:`FEW_REVIEWS` reviewed items are set apart under
#: (both samples: the report's, which sets the figures of many runs apart)
FEW_REVIEWS_TITLE = few_reviews_title()
#: why they are set apart, as the report and ``review stats`` say it
FEW_REVIEWS_WHY = (f"With fewer than {FEW_REVIEWS} reviewed items a figure is not the run's "
                   "accuracy: its interval spans much of 0–100%. So few reviewed items of a "
                   "sample were often reviewed for another reason (they headed a later run's "
                   "queue), not as its sample; review the sample to measure the run.")
#: why a reviewed item is left out where only the run's labels say which items have a
#: reviewed label (the report): not which of ``review stats``' reasons (tied, awaiting an
#: adjudicator, or not settled otherwise: a label the project no longer has), which the
#: report cannot tell apart, so it says none of them
NO_REVIEWED_LABEL = "not settled; review stats says why"
#: what the items of each of a run's samples are called where a figure counts them
SAMPLE_ITEMS = {"audit": "audit items", "sample": "random-sample items"}


@dataclass(frozen=True)
class RunAccuracy:
    """A run's two accuracy figures from reviewed items of its own samples."""

    run_id: str
    #: accepted labels, from the reviewed items of the run's audit sample
    audit: AuditAccuracy
    #: every label (an item without one counts as wrong), from the reviewed items of the
    #: run's random sample
    sample: AuditAccuracy
    #: the items of the run's audit sample, reviewed or not (None: not known)
    audit_items: int | None = None
    #: the items of the run's random sample, reviewed or not
    sample_items: int | None = None
    #: :attr:`sample` on the reviewed items the run gave a label: the labels' accuracy
    #: apart from their coverage (``sample`` is the two together)
    sample_labelled: AuditAccuracy | None = None
    #: items of each sample reviewed but with no reviewed label (the raters tied, or wait
    #: for an adjudicator), per why: left out of the figure, which has nothing to compare
    #: them with; said beside it, or "39 of 60 reviewed" read as 21 items not reviewed
    audit_left_out: dict[str, int] = field(default_factory=dict)
    sample_left_out: dict[str, int] = field(default_factory=dict)
    #: per predicted label, the precision of the accepted labels from the reviewed audit
    #: items (:mod:`~labelwright.review.stats.audit_estimate`)
    audit_per_label: list[LabelPrecision] = field(default_factory=list)
    #: how the run shared its audit across labels (``triage.audit_allocation``); under
    #: ``per_label``, :attr:`audit` is weighted by label and :attr:`audit_weighted` says more
    audit_allocation: str = "proportional"
    audit_weighted: StratifiedAccuracy | None = None


def few_reviews(figure: AuditAccuracy) -> bool:
    """Whether ``figure`` rests on reviewed items, but fewer than :data:`FEW_REVIEWS`."""
    return 0 < figure.reviewed < FEW_REVIEWS


def reviewed_of(figure: AuditAccuracy, size: int | None, sample: str) -> str:
    """How many of the items of a run's ``sample`` (``audit`` or ``sample``, of ``size``
    items: None when not known) ``figure`` rests on: ``3 of 100 audit items``."""
    of = f" of {size:,}" if size is not None else ""
    return f"{figure.reviewed:,}{of} {SAMPLE_ITEMS[sample]}"


def left_out_text(left_out: Mapping[str, int]) -> str:
    """``; 21 more reviewed but left out, with no reviewed label (21 tied, ...)``: the items
    of a sample reviewed but not settled, which the figure beside it leaves out ("" when
    none)."""
    total = sum(left_out.values())
    if not total:
        return ""
    why = ", ".join(f"{n:,} {reason}" for reason, n in left_out.items())
    return f"; {total:,} more reviewed but left out, with no reviewed label ({why})"


def _left_out(ids: Iterable[str], unsettled: Mapping[str, str]) -> dict[str, int]:
    """Of ``ids``, how many are ``unsettled`` (item -> why), per why."""
    counts: dict[str, int] = {}
    for item_id in ids:
        if item_id in unsettled:
            counts[unsettled[item_id]] = counts.get(unsettled[item_id], 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(frozen=True)
class AuditDesign:
    """How a run drew its audit sample, as its manifest records it: how many items, how
    shared across labels, and per label the accepted items and how many were drawn."""

    items: int | None = None
    allocation: str = "proportional"
    strata: dict[str, dict[str, int]] = field(default_factory=dict)


def audit_design(manifest: Mapping[str, object]) -> AuditDesign:
    """:class:`AuditDesign` from a run's manifest (runs from before the record: shared in
    proportion, strata not known; the size from ``triage.counts``, None without it). The
    strata in the run's label order (the manifest stores its keys sorted by name), as
    every other per-label table has them."""
    record = manifest.get("triage")
    record = record if isinstance(record, dict) else {}
    counts = record.get("counts") or {}
    strata = record.get("audit_strata")
    order = {name: k for k, name in enumerate(manifest_labels(manifest) or ())}
    kept = sorted(((str(k), dict(v)) for k, v in strata.items() if isinstance(v, dict)),
                  key=lambda pair: order.get(pair[0], len(order))) \
        if isinstance(strata, dict) else []
    if isinstance(strata, dict):  # a label the record leaves out had no accepted item
        listed = dict(kept)
        kept = [(name, listed.get(name, {"accepted": 0, "audited": 0})) for name in order] \
            + [(name, v) for name, v in kept if name not in order]
    return AuditDesign(
        items=int(counts["audit"]) if isinstance(counts.get("audit"), int) else None,
        allocation=recorded_allocation(record), strata=dict(kept))


def run_accuracy(run_id: str, labels: pd.DataFrame, gold: Mapping[str, str],
                 sampled: Collection[str], *, audit_items: int | None = None,
                 unsettled: Mapping[str, str] | None = None,
                 design: AuditDesign | None = None) -> RunAccuracy:
    """The accuracy of run ``run_id``'s ``labels`` (its ``labels.parquet``, with
    :data:`LABEL_COLUMNS`) against ``gold`` (item id -> reviewed label).

    ``sampled``: the items of that run's random sample (:func:`sample_of`). An item the
    run itself took from a review (label source ``review``) carries no prediction of the
    run's, so it counts in neither figure. Only the reviewed items are looked at: a run
    may hold millions. ``audit_items``: the size of the run's audit sample (its manifest's
    ``triage.counts``); by default counted in ``labels``, which then hold every item.
    ``unsettled``: reviewed items with no reviewed label (item id -> why: ``tied``, ...),
    counted per sample as left out (:attr:`RunAccuracy.sample_left_out`). ``design``: how
    the run drew its audit (:func:`audit_design`): per label, its precision; under
    ``per_label``, the audit figure weighted by label (:func:`stratified_accuracy`)."""
    design = design or AuditDesign()
    if audit_items is None:
        audit_items = design.items
    if audit_items is None and "reasons" in labels:
        audit_items = int(_audited(labels).sum())
    ids = labels["id"].astype(str)
    frame = labels[ids.isin(gold.keys()).to_numpy()]
    ids = frame["id"].astype(str)
    from_review = (frame["label_source"] == "review").to_numpy() \
        if "label_source" in frame else np.zeros(len(frame), dtype=bool)
    names = sorted(set(gold.values()))
    index = {name: k for k, name in enumerate(names)}
    labelled = np.array([isinstance(v, str) for v in frame["label"]], dtype=bool)
    # a label that is no reviewed label (or no label) can never be right: -1
    predicted = np.array([index.get(v, -1) if has else -1
                          for v, has in zip(frame["label"], labelled)], dtype=np.int64)
    predicted[from_review] = -1
    reviewed = np.array([index[gold[i]] for i in ids], dtype=np.int64)
    audited = _audited(frame) if "reasons" in frame else np.zeros(len(frame), dtype=bool)
    in_sample = set(sampled)  # once: a run's sample may hold thousands of items
    drawn = ids.isin(in_sample).to_numpy() & ~from_review
    left: dict[str, dict[str, int]] = {"audit": {}, "sample": {}}
    if unsettled:
        rows = labels[labels["id"].astype(str).isin(unsettled.keys()).to_numpy()]
        rows_ids = rows["id"].astype(str)
        left["sample"] = _left_out([i for i in rows_ids if i in in_sample], unsettled)
        if "reasons" in rows:
            left["audit"] = _left_out(rows_ids[_audited(rows)], unsettled)
    judged = audited & ~from_review & labelled
    precisions = per_label([str(v) for v in frame["label"][judged]],
                           (predicted == reviewed)[judged].tolist(), design.strata)
    audit = audit_accuracy(predicted, reviewed, audited)
    weighted = stratified_accuracy(precisions) if design.allocation == PER_LABEL else None
    return RunAccuracy(run_id=run_id,
                       audit=weighted.as_audit_accuracy() if weighted is not None else audit,
                       sample=audit_accuracy(predicted, reviewed, drawn),
                       audit_items=audit_items, sample_items=len(in_sample),
                       sample_labelled=audit_accuracy(predicted, reviewed, drawn & labelled),
                       audit_left_out=left["audit"], sample_left_out=left["sample"],
                       audit_per_label=precisions, audit_allocation=design.allocation,
                       audit_weighted=weighted)


def _audited(frame: pd.DataFrame) -> np.ndarray:
    """Which rows of ``frame`` (with ``reasons``) are in the audit sample."""
    return frame["reasons"].fillna("").astype(str).str.split(";").map(
        lambda reasons: "audit" in reasons).to_numpy(dtype=bool)


def sample_of(run_dir: Path) -> set[str]:
    """The items of a run's random sample (``sample.jsonl``; none when it drew none). Every
    one of them with a reviewed label counts, whichever export it was reviewed through: it
    was drawn at random all the same, and leaving out the ones reviewed through the queue
    (the hard ones) would flatter the labels."""
    return set(sample_ids(Path(run_dir)) or ())


def labels_of(run_dir: Path, ids: Collection[str]) -> pd.DataFrame:
    """The rows of the items ``ids`` in a run's ``labels.parquet`` (:data:`LABEL_COLUMNS`):
    only the reviewed items become Python objects. A :class:`~labelwright.errors.RunError`
    when the labels cannot be read."""
    table = read_labels_table(Path(run_dir) / LABELS_FILE, LABEL_COLUMNS)
    wanted = pa.array(sorted(ids), pa.string())
    try:
        keep = pc.is_in(table.column("id").cast(pa.string()), value_set=wanted)
    except (KeyError, pa.ArrowException) as exc:  # no id column, ids that are no text
        raise RunError(f"{Path(run_dir) / LABELS_FILE}: cannot read the labels: {exc}") from None
    return table.filter(keep).to_pandas()


def in_run_names(gold: Mapping[str, str], run_labels: Collection[str],
                 renamed: Mapping[str, str]) -> dict[str, str]:
    """``gold`` (item id -> reviewed label, under the project's current names) with each
    label renamed since a run under the name that run gave it: ``run_labels``, the run's
    labels; ``renamed``, old name -> current label (``[project] renamed``). A run's labels
    are compared with the reviewed labels by name, so after a rename the run's old name is
    the reviewed label's too (the reverse of how a run's classes are read now,
    :func:`~labelwright.runs.label_set.run_reading_labels`)."""
    back = {new: old for old, new in renames_in_run(run_labels, renamed).items()}
    return {item_id: back.get(label, label) for item_id, label in gold.items()}


def accuracy_of_runs(runs_dir: Path, run_ids: Iterable[str], gold: Mapping[str, str], *,
                     refuse_edited: bool = False, renamed: Mapping[str, str] | None = None,
                     unsettled: Mapping[str, str] | None = None
                     ) -> tuple[list[RunAccuracy], dict[str, str]]:
    """:func:`run_accuracy` of each run of ``run_ids`` (newest first), and why each run
    left out was (run id -> the problem: labels or sample that cannot be read, or with
    ``refuse_edited`` labels edited since their run wrote them). ``renamed``: old label name
    -> the name ``gold`` gives it (``[project] renamed``): a run made before the rename is
    measured with its own name for the label (:func:`in_run_names`). ``unsettled``: the
    reviewed items with no reviewed label, as :func:`run_accuracy` takes them."""
    figures, problems = [], {}
    for run_id in sorted(set(run_ids), reverse=True):
        run_dir = runs_dir / run_id
        theirs = gold
        try:
            if refuse_edited or renamed:
                manifest = read_manifest(run_dir)
                if renamed:
                    theirs = in_run_names(gold, manifest_labels(manifest) or (), renamed)
                problem = changed_output(run_dir, manifest, LABELS_FILE) if refuse_edited \
                    else None
                if problem is not None:
                    raise RunError(f"{run_dir}: {problem}")
            frame = labels_of(run_dir, {*gold.keys(), *(unsettled or {}).keys()})
            drawn = sample_of(run_dir)
        except RunError as exc:
            problems[run_id] = str(exc)
            continue
        design = _design(run_dir)
        figures.append(run_accuracy(run_id, frame, theirs, drawn, unsettled=unsettled,
                                    audit_items=_audit_size(run_dir, design), design=design))
    return figures, problems


def _design(run_dir: Path) -> AuditDesign:
    """:func:`audit_design` of a run (one from before the record, or whose manifest cannot
    be read: shared in proportion, size and strata not known)."""
    try:
        return audit_design(read_manifest(run_dir))
    except RunError:
        return AuditDesign()


def _audit_size(run_dir: Path, design: AuditDesign) -> int | None:
    """The items of a run's audit sample, as its manifest counts them (``triage.counts``,
    in ``design``), or counted in its labels where the manifest does not (None if they
    cannot be read: :func:`labels_of` read only the reviewed items)."""
    if design.items is not None:
        return design.items
    try:
        reasons = read_labels_table(Path(run_dir) / LABELS_FILE, ["reasons"]).to_pandas()
    except RunError:
        return None
    return int(_audited(reasons).sum()) if "reasons" in reasons else None
