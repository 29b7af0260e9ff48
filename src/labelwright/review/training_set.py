"""The final dataset: a run's labels as a training set (Parquet, CSV, JSONL or spaCy).

One row per labelled item: ``id, text, label, probability, label_source, status`` (and
with ``probabilities``, ``prob_<label>`` for every label: the soft labels). ``status`` is
the run's triage status: ``accepted``, ``reviewed``, or ``review`` for a label still in
the review queue (a model label of low confidence, conflicting votes, an audit pick; a
copy's reviewed label waiting for a second opinion), which ``accepted_only`` leaves out;
``gold`` for a gold item kept with ``with_gold``. A reviewed label (``label_source ==
"review"``, or ``"copy"`` for an item that took the reviewed label of another item with
its text) is always kept, with probability 1; a model
label is kept when its probability is at least ``min_confidence``; items without a
label are left out, and so are the dataset's gold items no review covers: they are the
held-out set a run's and ``labelwright train``'s accuracy is measured on, and a model
trained on them would be scored on its own training data. ``with_gold`` keeps them with
their gold label (``label_source == "gold"``), for a final model trained on everything.
``spacy`` writes a ``DocBin`` whose docs carry ``doc.cats`` (1.0 for the label, 0.0 for
every other project label), ready for ``spacy train`` textcat.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.config import load_config
from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
from labelwright.errors import RunError, both_spellings
from labelwright.file_hashes import file_sha256
from labelwright.project.held_out import OWN_REVIEW, held_out_items
from labelwright.review.decisions.ledger import Decision, ledger_path
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.review.queue.cell_limit import MAY_BE_LONG, LongCell, long_cells
from labelwright.review.targets import (
    cannot_write,
    check_targets,
    check_unimported,
    is_exported_training_set,
    provenance_path,
    refuse_stdout,
)
from labelwright.runs.explain.checks import refuse_contradicting_rows
from labelwright.runs.exported import record_export
from labelwright.runs.label_set import run_label_set
from labelwright.runs.run_items import read_run_items
from labelwright.runs.store import (
    MANIFEST,
    atomic_write,
    atomic_write_text,
    decision_count,
    package_versions,
    read_manifest,
    resolve_run,
    run_labels,
)

if TYPE_CHECKING:
    from labelwright.review.decisions.retirements import Retirement

TRAINING_FORMATS = ("parquet", "csv", "jsonl", "spacy")
COLUMNS = ["id", "text", "label", "probability", "label_source", "status"]


def training_frame(labels_frame: pd.DataFrame, ids: Sequence[str], texts: Sequence[str], *,
                   min_confidence: float = 0.0, gold: Sequence[int] | np.ndarray | None = None,
                   labels: Sequence[str] = (), with_gold: bool = False,
                   probabilities: bool = False, accepted_only: bool = False) -> pd.DataFrame:
    """Join a run's labels to the texts and keep the rows that make the cut; how many were
    left out, and why, is in the result's ``attrs["left_out"]`` (``unlabelled``,
    ``below_min_confidence``, ``held_out_gold``, and with ``accepted_only``
    ``in_review_queue``). ``attrs["gold_differs"]``: the ids of reviewed items whose gold
    label is another (the review's label is the one kept).

    ``gold``: the dataset's gold label index per item of ``ids`` (-1: none), ``labels``
    their names; an item with one and no review is left out, or with ``with_gold`` kept
    with its gold label. ``probabilities``: add the run's ``prob_<label>`` columns (a
    reviewed or gold item's: 1 for its label, 0 for the others)."""
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in [0, 1], got {min_confidence}")
    text_of = dict(zip(ids, texts))
    frame = labels_frame.copy()
    frame["id"] = frame["id"].astype(str)
    missing = [i for i in frame["id"] if i not in text_of]
    if missing:
        raise RunError(f"{len(missing)} labelled item(s) are not in the dataset any more "
                       f"(first: {missing[:3]}); run `labelwright run` again")
    source = frame["label_source"] if "label_source" in frame else pd.Series("model", frame.index)
    review = source.isin(REVIEWED_SOURCES)  # a copy's reviewed label is as certain
    if "status" in frame:
        status = frame["status"].astype(object).where(frame["status"].notna(), None)
    elif accepted_only:
        raise RunError("the run's labels have no 'status' column (a run from before it was "
                       "written?); run `labelwright run` again")
    else:
        status = pd.Series(None, index=frame.index, dtype=object)
    # still in the queue: a model label, or a copy's reviewed label waiting for a second
    # reviewer (:mod:`~labelwright.review.feedback.second_opinions`), which --accepted-only leaves
    # out as unconfirmed
    queued = status.eq("review")
    gold_differs: list[str] = []
    label = frame["label"].astype("string")
    source = source.where(review, "model").astype(str)
    held_out = pd.Series(False, index=frame.index)
    if gold is not None:
        gold_of = dict(zip(ids, np.asarray(gold, dtype=np.int64).tolist()))
        index = frame["id"].map(gold_of).fillna(-1).astype(np.int64)
        # held out as the run scores it (one that took a copy's review too): the model
        # must not train on it
        held_out = pd.Series(held_out_items(index.to_numpy() >= 0,
                                            source.eq(OWN_REVIEW).to_numpy()), index=frame.index)
        names = np.array([*labels, ""], dtype=object)  # -1 reads ""
        differs = ~held_out & review & (index >= 0) & (label.fillna("").astype(str).to_numpy()
                                           != names[index.to_numpy()])
        gold_differs = frame["id"][differs.to_numpy()].tolist()
        if with_gold:
            label = label.where(~held_out, pd.Series(names[index.to_numpy()], index=frame.index
                                                     ).astype("string"))
            source = source.where(~held_out, "gold")
            status = status.where(~held_out, "gold")
            queued = queued & ~held_out
            review = review | held_out  # certain, as a review is
            held_out = pd.Series(False, index=frame.index)
    labelled = label.notna()
    confident = review | (frame["confidence"] >= min_confidence)
    keep = labelled & ~held_out & confident & ~(queued & accepted_only)
    out = pd.DataFrame({
        "id": frame["id"],
        "text": frame["id"].map(text_of),
        "label": label,
        "probability": frame["confidence"].where(~review, 1.0).astype(float),
        "label_source": source,
        "status": status,
    })
    if probabilities:
        for name in labels:
            column = f"prob_{name}"
            if column not in frame:
                raise RunError(f"the run's labels have no {column!r} column (a run from before "
                               "they were written?); run `labelwright run` again")
            out[column] = frame[column].astype(float).where(~review, (label == name).astype(float))
    kept = out[keep.to_numpy()].reset_index(drop=True)
    kept.attrs["left_out"] = {
        "unlabelled": int((~labelled & ~held_out).sum()),
        "below_min_confidence": int((labelled & ~held_out & ~confident).sum()),
        "held_out_gold": int(held_out.sum()),
        **({"in_review_queue": int((labelled & ~held_out & confident & queued).sum())}
           if accepted_only else {})}
    kept.attrs["gold_differs"] = gold_differs
    return kept


def write_training_set(frame: pd.DataFrame, path: Path, fmt: str, *,
                       labels: Sequence[str], lang: str = "en") -> None:
    if fmt not in TRAINING_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(TRAINING_FORMATS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        atomic_write(path, lambda p: frame.to_parquet(p, index=False))
    elif fmt == "csv":
        atomic_write(path, lambda p: frame.to_csv(p, index=False))
    elif fmt == "jsonl":
        def write_jsonl(p: Path) -> None:
            with open(p, "w", encoding="utf-8") as handle:
                for row in frame.to_dict(orient="records"):
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
        atomic_write(path, write_jsonl)
    else:
        import spacy
        from spacy.tokens import DocBin

        nlp = spacy.blank(lang)
        # a text past spaCy's 1,000,000 characters is only split into tokens here
        longest = max((len(t) for t in frame["text"].tolist()), default=0)
        nlp.max_length = max(nlp.max_length, longest + 1)
        docs = DocBin(store_user_data=True)  # the item id, in doc.user_data["id"]
        for doc, label, item_id in zip(nlp.pipe(frame["text"].tolist()),
                                       frame["label"].tolist(), frame["id"].tolist()):
            doc.cats = {name: float(name == label) for name in labels}
            doc.user_data["id"] = item_id
            docs.add(doc)
        atomic_write(path, lambda p: docs.to_disk(p))


SUFFIXES = {"parquet": ".parquet", "csv": ".csv", "jsonl": ".jsonl", "spacy": ".spacy"}


def training_long_cells(frame: pd.DataFrame) -> list[LongCell]:
    """The cells of ``frame`` written as CSV that are longer than an Excel cell holds
    (:mod:`~labelwright.review.queue.cell_limit`), by item id and column; only the text columns'
    long values are looked at."""
    rows: dict[int, list[tuple[str, object]]] = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype.kind in "biufcmM":  # numbers, times: never long
            continue
        lengths = values.map(lambda v: len(v) if isinstance(v, str) else 0)
        for k in np.flatnonzero(lengths.to_numpy() > MAY_BE_LONG).tolist():
            rows.setdefault(k, []).append((str(column), values.iat[k]))
    ids = frame["id"].tolist()
    return long_cells((str(ids[k]), cells) for k, cells in sorted(rows.items()))


def training_target(out: str | Path | None, fmt: str | None) -> tuple[Path, str]:
    """``(file, format)``: the format follows ``out``'s suffix, the file name ``fmt``
    (default ``training.parquet``); a format that contradicts the suffix is an error."""
    if fmt is not None and fmt not in TRAINING_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(TRAINING_FORMATS)}")
    if out is None:
        return Path("training" + SUFFIXES[fmt or "parquet"]), fmt or "parquet"
    out = Path(out)
    implied = {suffix: name for name, suffix in SUFFIXES.items()}.get(out.suffix.lower())
    if fmt is None and implied is None:
        folder = "" if out.suffix else (  # a folder: perhaps the bench's
            "; a folder of the run's votes for `labelwright bench wrench` is --format wrench "
            "(export_wrench from Python)")
        raise ValueError(f"{out}: cannot tell the format from the suffix; pass "
                         f"{both_spellings('--format', 'fmt=')}, one of "
                         f"{', '.join(TRAINING_FORMATS)}{folder}")
    if fmt is not None and implied is not None and implied != fmt:
        raise ValueError(f"{out}: the suffix says {implied}, "
                         f"{both_spellings('--format', 'fmt=')} says {fmt}; change one "
                         "(a file named for one format holding another misleads every reader)")
    return out, fmt or str(implied)


def export_training_set(project_root: str | Path, out: str | Path | None = None, *,
                        fmt: str | None = None, run: str | None = None,
                        min_confidence: float = 0.0, force: bool = False,
                        with_gold: bool = False, probabilities: bool = False,
                        accepted_only: bool = False, data: pd.DataFrame | None = None
                        ) -> pd.DataFrame:
    """Write the training set of ``run`` (default: the latest) to ``out`` (default:
    ``training.<format>`` in the project folder, as its other files: not wherever the
    caller's current folder is); returns it, with the file written in ``attrs["out"]``.
    ``with_gold``, ``probabilities`` and ``accepted_only``: as :func:`training_frame` takes
    them (held-out gold items are left out unless ``with_gold``; model labels still in the
    review queue are kept, with status ``review``, unless ``accepted_only``).

    ``out`` may not be a file the project reads or a run recorded (:func:`check_targets`),
    nor, unless ``force``, a file holding review decisions not imported yet, or one that
    cannot be read for them (:func:`check_unimported`): an earlier training set, as this
    function wrote it (its provenance says so), is replaced.

    ``data``: the pandas DataFrame of a run that read one (``run_project(path, data=df)``),
    given again for its texts; it must be that frame (its content hash)."""
    config = load_config(project_root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    refuse_stdout(out, "training set")
    target, fmt = training_target(out, fmt)
    out = config.root / target if out is None else target
    manifest = read_manifest(run_dir)
    # the data the run read: its --data file, or the DataFrame given again
    config, dataset = read_run_items(config, manifest, run_dir, "export", data)
    # the run's labels, whatever [project] labels says now (a label may be gone since)
    labels = run_label_set(config, manifest)
    check_targets([out, provenance_path(out)], config, what="training set")
    if not force and not is_exported_training_set(out):  # a review sheet filled in, say
        check_unimported(out, ledger_path(config.root), what="training set",
                         replaced="an earlier training set or another file")
    labels_frame = run_labels(run_dir, manifest)
    refuse_contradicting_rows(run_dir, labels_frame, so="no training set is written")
    frame = training_frame(labels_frame, dataset.ids, dataset.texts,
                           min_confidence=min_confidence, gold=dataset.gold, labels=labels,
                           with_gold=with_gold, probabilities=probabilities,
                           accepted_only=accepted_only)
    # the run's reviews are in its labels; decisions imported since are not (a new run
    # takes them): said by the command and kept in the provenance
    # and decisions retired (or brought back) since are still (not) in them: said too
    decisions = read_decisions(ledger_path(config.root))
    frame.attrs["skipped_rows"] = run_skipped_rows(run_dir, manifest, config.root)
    frame.attrs["ledger"] = {**ledger_since_run(config.root, manifest, now=len(decisions)),
                             **retired_since_run(config.root, manifest,
                                                 labels_frame["id"].astype(str).tolist(),
                                                 decisions=decisions)}
    try:
        write_training_set(frame, out, fmt, labels=labels, lang=config.nlp.lang)
        sha = file_sha256(out)
        write_provenance(out, run_dir, fmt=fmt, rows=len(frame), sha256=sha,
                         min_confidence=min_confidence, with_gold=with_gold,
                         accepted_only=accepted_only, data_sha256=dataset.sha256,
                         left_out=frame.attrs.get("left_out"), ledger=frame.attrs["ledger"],
                         gold_differs=frame.attrs["gold_differs"],
                         skipped_rows=frame.attrs["skipped_rows"])
    except OSError as exc:
        raise cannot_write(out, "training set", exc) from None
    # prune keeps the run while the file is in place unchanged
    record_export(config.runs_path, run_dir.name, out, sha, config.root, fmt=fmt)
    frame.attrs["out"] = out
    frame.attrs["long_cells"] = training_long_cells(frame) if fmt == "csv" else []
    return frame


def write_provenance(out: Path, run_dir: Path, *, fmt: str, rows: int, min_confidence: float,
                     data_sha256: str, sha256: str | None = None, with_gold: bool = False,
                     accepted_only: bool = False, left_out: dict[str, int] | None = None,
                     ledger: dict[str, int | None] | None = None,
                     gold_differs: Sequence[str] = (),
                     skipped_rows: dict[str, Any] | None = None) -> Path:
    """Beside an exported training set, where it came from: the run (its id and manifest
    hash), the data, the filter, the review ledger (decisions the run read, and in the
    ledger at export), and the exported file's own hash, so a model trained on the file
    can be traced to the run, and the run to every input (its manifest). ``sha256``: the
    file's, when the caller has it. ``skipped_rows``: the rows of the data the run left out
    (:func:`run_skipped_rows`), in no label of the run and so in no training set."""
    record = {
        "file": out.name, "sha256": sha256 or file_sha256(out), "format": fmt, "rows": rows,
        "run_id": run_dir.name, "manifest_sha256": file_sha256(run_dir / MANIFEST),
        "data_sha256": data_sha256,
        # a dataset in many files: each part the run read (path, sha256, rows), in reading
        # order, so a file's item can be traced to its part (see explain's "from:")
        **({"data_parts": parts} if (parts := _run_parts(run_dir)) else {}),
        "min_confidence": min_confidence,
        "with_gold": with_gold, "accepted_only": accepted_only, "left_out": left_out or {},
        # rows of the data file the run never read as items ([data] bad_rows or
        # duplicate_rows = "skip"): beside the items left out above, so that the file's
        # rows, these and the items left out add up to the data's rows
        **({"data_skipped_rows": skipped_rows} if skipped_rows else {}),
        "review_ledger": ledger or {},
        # reviewed items whose gold label is another: the review's label is in the file
        "reviewed_not_gold": list(gold_differs),
        "written_at": datetime.now(UTC).isoformat(), "labelwright": package_versions().get(
            "labelwright"),
    }
    path = provenance_path(out)
    atomic_write_text(path, json.dumps(record, indent=2) + "\n")
    return path


def _run_parts(run_dir: Path) -> list[dict[str, Any]]:
    """The parts of the dataset in many files the run read, as its manifest lists them
    ([] for one file or a DataFrame)."""
    parts = (read_manifest(run_dir).get("data") or {}).get("parts") or []
    return [{key: part[key] for key in ("path", "sha256", "rows", "skipped") if key in part}
            for part in parts if isinstance(part, dict)]


def run_skipped_rows(run_dir: Path, manifest: dict[str, Any], root: Path
                     ) -> dict[str, Any] | None:
    """The rows of the data file that the run left out under ``[data] bad_rows`` or
    ``duplicate_rows = "skip"``, as its manifest records them: ``{"count": n, "copies": k
    (of them, rows the same as an earlier one), "file": the run's skipped_rows.jsonl
    (relative to the project folder when inside it)}``; None when it left none out."""
    skipped = (manifest.get("data") or {}).get("skipped_rows")
    if not isinstance(skipped, dict) or not skipped.get("count"):
        return None
    listed = run_dir / str(skipped.get("file") or SKIPPED_ROWS_FILE)
    with contextlib.suppress(ValueError):
        listed = listed.relative_to(root)
    return {"count": int(skipped["count"]), "copies": int(skipped.get("copies") or 0),
            "file": listed.as_posix()}


def ledger_since_run(root: Path, manifest: dict[str, Any], *, now: int | None = None
                     ) -> dict[str, int | None]:
    """``{"decisions_in_run": the ledger's decisions the run read (None: not known),
    "decisions_now": the ledger's decisions now}``: more now means decisions were imported
    after the run, which its labels (and a training set exported from it) do not have.
    ``now``: the ledger's count, when the caller read the ledger already."""
    reviews = manifest.get("reviews") or {}
    read = decision_count(reviews) if reviews else 0
    return {"decisions_in_run": read if isinstance(read, int) else None,
            "decisions_now": len(read_decisions(ledger_path(root))) if now is None else now}


def retired_since_run(root: Path, manifest: dict[str, Any], item_ids: Collection[str],
                      now: int | None = None, *, records: Sequence[Retirement] | None = None,
                      decisions: Sequence[Decision] | None = None) -> dict[str, int]:
    """``retired_since_run``: the decisions the run used that the ledger has retired since
    (the run's labels, and a training set exported from them, still have them);
    ``unretired_since_run``: those the run left out as retired that were un-retired since.
    Only decisions the run used (or would have, but for the retirement) count
    (:func:`~labelwright.review.decisions.run_reading.decisions_used`; ``item_ids``: the run's
    items): one on an item the run does not have, or imported after it, changes nothing
    of its labels. ``now``: honour only the ledger's first ``now`` retirement records
    (None: all of them). ``records``: the ledger's retirement records, and ``decisions``
    its decisions, when read already."""
    from labelwright.review.decisions.retirements import changed_since, recorded
    from labelwright.review.decisions.run_reading import decisions_used

    in_run = recorded(manifest.get("reviews") or {})
    if now is not None and in_run == now:  # records are only appended: the same ones
        return {"retired_since_run": 0, "unretired_since_run": 0}
    path = ledger_path(root)
    retired, back = changed_since(path, in_run, now, records=records)
    if retired or back:  # the ledger's decisions are read only then
        read = read_decisions(path) if decisions is None else decisions
        used = decisions_used(read, manifest, item_ids)
        retired, back = retired & used, back & used
    return {"retired_since_run": len(retired), "unretired_since_run": len(back)}
