"""``runs show``'s lines: a run's manifest in words (how its data was read, its git state,
the label model ``auto`` chose, its reviewers and review policy, how its LFs were applied,
its triage counts); and ``run``'s line on the random sample it drew."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.counts import counted, number, some_of
from labelwright.model_text import chosen_model
from labelwright.runs.file_names import REVIEWS_FILE, SAMPLE_CSV


def model_name(manifest: dict[str, Any]) -> str:
    model = manifest.get("label_model", {})
    name, cls = model.get("name", "?"), model.get("class")
    return f"{name} ({cls})" if cls and cls.lower().replace("_", "") != name.replace("_", "") \
        else str(name)


def dirty(git: dict[str, Any]) -> str:
    """``dirty`` and, as the manifest names them, the files it was dirty with (runs from
    before it named them say ``dirty`` alone)."""
    files = git.get("changed_files")
    if not isinstance(files, list) or not files:
        return "dirty"
    return "dirty: " + some_of(files, len(files), total=git.get("changed") or len(files))


def reviewers(run_dir: Path) -> str:
    """Each rater whose decisions the run read and how many, from its ``reviews.json``
    (``ana (40), ben (38)``); "" without one or when it cannot be read."""
    import json
    from collections import Counter

    try:
        records = json.loads((run_dir / REVIEWS_FILE).read_text(encoding="utf-8"))["reviews"]
        raters = Counter(str(r["reviewer"]) for r in records)
    except (OSError, ValueError, KeyError, TypeError):
        return ""
    return ", ".join(f"{name} ({n:,})" for name, n in sorted(raters.items()))


def applied(record: Any) -> str:
    """How the run applied its LFs, as its manifest's ``apply`` records it: the engine, and
    how many items' votes the vote cache gave back and how many Docs the Doc cache did
    ("" for a run from before it was recorded)."""
    if not isinstance(record, dict):
        return ""
    votes, docs = record.get("vote_cache") or {}, record.get("doc_cache") or {}
    line = f"apply: engine {record.get('engine', '?')}, vote cache "
    if votes.get("used"):
        hits, misses = votes.get("hits", 0), votes.get("misses", 0)
        line += (f"used ({counted(hits, 'item')} read back whole, {misses:,} with an LF "
                 "computed)")
    else:
        line += "not used"
    if docs.get("used"):
        line += f", Doc cache used ({docs.get('hits', 0):,} Docs read back)"
    return line


def choice_lines(model: dict[str, Any]) -> list[str]:
    """What ``auto`` chose and why, as a run's manifest records it: the model and its
    settings, the reason, the calibration and which probabilities give the labels, and each
    candidate's cross-validated score ([] for another model)."""
    from labelwright.models.calibration_document import (
        describe_calibration,
        saved_no_vote_shares,
    )

    chosen = model.get("chosen")
    if not isinstance(chosen, dict):
        return []
    from labelwright.runs.label_model_record import reused_words

    # a reused model's choice is the fitting run's, on that run's reviews
    when = " (when the run that fit it chose)" if reused_words(model.get("from_run")) else ""
    lines = [f"auto chose{when}: {chosen_model(chosen)}: {chosen.get('reason', '?')}"]
    calibration = model.get("calibration")
    if isinstance(calibration, dict) and calibration.get("method"):
        mapped = calibration.get("confidence_map") is not None
        decide = {"model": "the model's own", "calibrated": "the calibrated"}
        said = describe_calibration(calibration["method"], mapped,
                                    no_vote_shares=saved_no_vote_shares(calibration))
        lines.append(f"calibration: {said}; "
                     f"labels from {decide.get(str(model.get('labels_from')), '?')} probabilities")
    scores = model.get("cv_scores")
    if scores:
        params = model.get("params") or {}
        lines.append(f"cross-validated {params.get('scoring', '?')} of each candidate (mean "
                     f"over {params.get('n_splits', '?')} folds):")
        lines += [f"  {chosen_model(record)}: {record.get('score', float('nan')):.4f}"
                  for record in scores]
    return lines


def vote_calibration_lines(evaluation: dict[str, Any]) -> list[str]:
    """``runs show``'s lines on the calibration of held-out gold per vote
    pattern (the manifest's ``evaluation.calibration_by_votes``): a row per pattern with its
    items, mean confidence and accuracy with its 95% Wilson interval, marked where the
    interval lies wholly below the confidence (over-confident) or above it, as the run
    recorded them; [] for a run without them. One ECE over all items hid a split right
    58% of the time at a mean confidence of 0.926."""
    from labelwright.models.vote_calibration import GAP_WORDS, VOTE_PATTERN_WORDS
    from labelwright.percent import percent

    groups = evaluation.get("calibration_by_votes")
    if not isinstance(groups, dict) or not groups:
        return []
    words = {str(p): VOTE_PATTERN_WORDS.get(str(p), str(p)) for p in groups}
    width = max(map(len, words.values()))
    lines = ["calibration on held-out gold by vote pattern (mean confidence; accuracy, 95% "
             "interval):"]
    for pattern, g in groups.items():
        n, right, confidence = int(g["items"]), int(g["correct"]), float(g["confidence"])
        low, high, gap = g.get("ci_low"), g.get("ci_high"), g.get("gap")
        mark = f"  {GAP_WORDS[gap]}" if gap in GAP_WORDS else ""
        lines.append(f"  {words[str(pattern)]:<{width}}  "
                     f"{counted(n, 'item'):>11}  {percent(confidence):>6} confident  "
                     f"{percent(right / n):>6} right ({percent(low)}\u2013{percent(high)})"
                     + mark)
    return lines


#: the columns of ``labels.parquet`` the calibration per label reads
#: (:func:`~labelwright.project.label_calibration.label_calibration`)
_CALIBRATION_COLUMNS = ["label", "confidence", "model_label", "model_confidence", "gold",
                        "label_source", "reasons"]


def label_calibration_lines(run_dir: Path, manifest: dict[str, Any]) -> tuple[list[str],
                                                                               str | None]:
    """``runs show``'s lines on the labels whose calibration on held-out gold is off either
    way, as ``run`` printed them (:func:`~labelwright.project.label_calibration.
    miscalibrated_lines`, told again from the run's ``labels.parquet``, as the report
    tells its table), and why they could not be told (the labels file missing or changed
    since the run), else None. ``[], None`` for a run without held-out gold (its
    manifest's ``evaluation`` names no label model accuracy) or with no label off."""
    if not ((manifest.get("evaluation") or {}).get("label_model")):
        return [], None
    from labelwright.errors import RunError
    from labelwright.project.label_calibration import label_calibration, miscalibrated_lines
    from labelwright.runs.label_set import manifest_labels
    from labelwright.runs.store import run_labels

    try:
        frame = run_labels(run_dir, manifest, _CALIBRATION_COLUMNS)
    except RunError as exc:
        return [], f"{exc} (the calibration per label is told from it)"
    labels = tuple(manifest_labels(manifest) or ())
    if "reasons" not in frame.columns or not labels:
        return [], None
    return miscalibrated_lines(label_calibration(frame, labels)), None


def review_policy(reviews: dict[str, Any]) -> str:
    """The run's ``[review] policy`` and adjudicators, and how the reviews settled under
    them: ``review policy: majority, adjudicators: lead (45 items with disagreeing raters,
    36 tied; 26 settled by an adjudicator; ...)``; "" for a run from before the manifest
    recorded the policy."""
    if "policy" not in reviews:
        return ""
    def count(key: str) -> int | None:
        n = reviews.get(key)
        return n if isinstance(n, int) else None

    parts = []
    if count("disagreements") is not None:
        parts.append(f"{counted(count('disagreements'), 'item')} with disagreeing raters"
                     + (f", {count('ties')} tied" if count("ties") is not None else ""))
    parts += [f"{n} {words}" for key, words in (
        ("disagreements_adjudicated", "settled by an adjudicator"),
        ("overruled_by_adjudicators", "where an adjudicator overruled agreeing raters"),
        ("adjudicators_disagree", "whose adjudicators disagree"))
        if (n := count(key)) is not None]
    judges = ", ".join(reviews.get("adjudicators") or []) or "none"
    tied = ", ".join(f"{name} = {one}" for name, one in (reviews.get("same_rater") or {}).items())
    return (f"review policy: {reviews['policy']}, adjudicators: {judges}"
            + (f", same rater: {tied}" if tied else "")
            + (f" ({'; '.join(parts)})" if parts else ""))


def triage_counts(counts: dict[str, int]) -> str:
    """A run's triage counts in the words ``labelwright run`` prints them with: ``12
    accepted, 8 to review (4 audit, 4 uncovered)``; an item to review for two reasons is
    counted under each. Reasons no item had are left out; a count this version does not
    know is shown by its name."""
    from labelwright.triage.reasons import ACCEPTED, REASONS, REVIEW, REVIEWED

    if not counts:
        return "not recorded"
    reasons = [f"{counts[r]} {r}" for r in REASONS if counts.get(r)]
    parts = [f"{counts[ACCEPTED]} accepted" if ACCEPTED in counts else "",
             f"{counts[REVIEWED]} reviewed (label from review)" if counts.get(REVIEWED) else "",
             f"{counts[REVIEW]} to review" + (f" ({', '.join(reasons)})" if reasons else "")
             if REVIEW in counts else ""]
    known = {ACCEPTED, REVIEW, REVIEWED, *REASONS}
    parts += [f"{n} {name}" for name, n in counts.items() if name not in known]
    return ", ".join(part for part in parts if part)


def skipped_setting(skipped: dict[str, Any]) -> str:
    """The setting that left out the rows a manifest's ``data.skipped_rows`` counts: bad
    rows, copies of an earlier row, or both."""
    count, copies = skipped.get("count"), skipped.get("copies") or 0
    if copies and copies == count:
        return '[data] duplicate_rows = "skip": copies of an earlier row'
    if copies:
        return (f'[data] bad_rows = "skip", and {number(copies)} copies of an earlier row '
                'under duplicate_rows = "skip"')
    return '[data] bad_rows = "skip"'


def data_settings(data: dict[str, Any]) -> str:
    """How the run read its data file, and so what its sha256 is of: the file alone (what
    ``sha256sum`` gives), or the file and ``[data] quoting`` and ``columns`` when they read
    its bytes as other items (:func:`~labelwright.data.data_hash.hash_covers_settings`). A
    run records them when either is not the default."""
    from labelwright.config.data_override import FRAME
    from labelwright.data.data_hash import hash_covers_settings

    if data.get("path_from") == FRAME:  # no file: a frame given to run_project(data=df)
        shape = (data.get("frame") or {}).get("shape") or ["?", "?"]
        return (f"data: a pandas DataFrame of {shape[0]} rows x {shape[1]} columns given to "
                "run_project(data=df); sha256 is of its content (README, \"Hash recipes\")")
    if data.get("parts"):  # a dataset in many files
        return (f"data in {len(data['parts'])} files: sha256 is one digest of each file's "
                "name (in the dataset's folder) and sha256, in reading order (README, "
                "\"Hash recipes\"); each file's is listed under data parts")
    if "quoting" not in data and data.get("columns") is None:
        return ("data read with [data] quoting and columns as default: sha256 is the file's "
                "own, as sha256sum gives it")
    quoting, columns = str(data.get("quoting", "auto")), data.get("columns")
    delimiter = data.get("delimiter")
    shown = f"quoting {quoting}, columns " + (
        "from the header row" if columns is None else ", ".join(map(str, columns))) + (
        f", delimiter {delimiter!r}" if delimiter is not None else "")
    if hash_covers_settings(quoting, columns, delimiter):
        return (f"data read with {shown}: sha256 is of the file and these settings, not the "
                "file's own (the same bytes read otherwise are other items)")
    return f"data read with {shown}: sha256 is the file's own, as sha256sum gives it"


def sample_lines(run_dir: Path, drawn: int, model: str) -> list[str]:
    """``run``'s lines on the random sample it drew (``drawn`` items, run folder
    ``run_dir``, label model ``model``): where it is and the command that exports it; on
    the project's first run with a sample also what its reviews are for (the README says
    it too: re-run 30 times a day, it was 330 characters read each time)."""
    from labelwright.runs.store import list_runs

    lines = [f"random sample: {counted(drawn, 'item')} in {SAMPLE_CSV}; review them with "
             "`labelwright review export --sample`"]
    runs = run_dir.parent
    if any((runs / name / SAMPLE_CSV).is_file() for name in list_runs(runs)
           if name != run_dir.name):
        return lines
    lines.append("  reviews of them estimate the accuracy of all labels (`review stats`)")
    if model == "auto":
        lines.append("  once the reviewed ones hold >= 5 of every label (>= 20 in all), auto "
                     "also chooses\n  and calibrates the label model on them")
    return lines


def queue_labels_line(label: Any, status: Any, labels: Any, reasons: Any = None,
                      order: Any = None) -> str | None:
    """``run``'s line under the Review queue table: the items to review by the label the
    run suggests (``label``: class index per item, -1 none; ``status``: the triage status
    per item), every label in the run's order, 0 too, so a label the queue misses shows
    (:func:`~labelwright.review.queue.label_mix.label_counts_said`, as an export's line
    says them; a queue of items without a suggested label alone says ``(none) N``).
    ``reasons``: each item's triage reasons; with them, the labels queued by the audit
    alone are named (:func:`audit_only_said`). ``order``: the queue's items (one per text
    under ``[review] copies = "one"``); where copies make them fewer than the items to
    review, a label's count says how many the queue holds too (``factura 817 (473 in the
    queue)``), the numbers review.jsonl and an export give. None when nothing is to be
    reviewed."""
    import numpy as np

    from labelwright.review.queue.label_mix import label_counts_said
    from labelwright.triage.reasons import REVIEW

    def by_label(given: Any) -> tuple[dict[str, int], int]:
        """``given``'s items counted per label, and those without one."""
        counts = np.bincount(given[given >= 0], minlength=len(labels))
        return dict(zip(labels, counts.tolist())), int((given < 0).sum())

    queued = np.asarray(status) == REVIEW
    if not queued.any():
        return None
    counts, without = by_label(np.asarray(label)[queued])
    held: dict[str, int] | None = None
    held_without = None
    if order is not None and len(order) != int(queued.sum()):
        rows = np.asarray(order, dtype=np.int64)
        held, held_without = by_label(np.asarray(label)[rows[queued[rows]]])
    only_audit = audit_only_said(label, status, labels, reasons)
    return ("to review by suggested label: "
            + label_counts_said(counts, without, held, held_without)
            + ("; the queue (review.jsonl, `review export`) holds one item per text "
               "(copies: below)" if held is not None else "")
            + ("; `review export --spread` takes them in turns over the labels (the end "
               "model's label for those without one)" if without else "")
            + (f"; {only_audit}" if only_audit else ""))


def audit_only_said(label: Any, status: Any, labels: Any, reasons: Any) -> str | None:
    """The labels whose items to review are all queued by the audit alone (confident
    labels, checked at random), while the queue holds items of earlier tiers: the
    queue puts the audit last, and ``review export --spread`` takes turns over the labels
    within each tier, so a budget that ends before the audit holds none of them, though
    the line counts their items: ``billing, roaming: queued by the audit alone (400
    items), which the queue puts last: `review export --spread` takes turns within each
    tier, so a budget short of the audit exports none of them; `--label billing` or
    `--reason audit` does``. None without
    ``reasons``, or when no label is queued so."""
    import numpy as np

    from labelwright.counts import some_of
    from labelwright.triage.reasons import REVIEW

    if reasons is None:
        return None
    queued = np.flatnonzero(np.asarray(status) == REVIEW)
    given = np.asarray(label)
    audit_only = np.array([tuple(reasons[k]) == ("audit",) for k in queued.tolist()],
                          dtype=bool)
    if audit_only.all():  # nothing comes before the audit
        return None
    earlier = set(given[queued[~audit_only]].tolist())
    by_audit = given[queued[audit_only]]
    in_audit = np.bincount(by_audit[by_audit >= 0], minlength=len(labels))
    only = [k for k in range(len(labels)) if in_audit[k] and k not in earlier]
    if not only:
        return None
    names = [labels[k] for k in only]
    n = int(in_audit[only].sum())
    return (f"{some_of(names, 5)}: queued by the audit alone ({n:,} items), which the "
            "queue puts last: `review export --spread` takes turns within each tier, so a "
            f"budget short of the audit exports none of them; `--label {names[0]}` or "
            "`--reason audit` does")
