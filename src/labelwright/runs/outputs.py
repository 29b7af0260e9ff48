"""What a run writes: the labels table, every output file, the manifest and the report.

:func:`labelwright.project.run_project` computes; this module puts the results on disk
through a :class:`~labelwright.runs.run_writer.RunWriter`, so a run appears only when complete.
:func:`write_outputs` reads top-down: the tables, the reviews taken, the rows skipped, the
glossary hits, the review files, then the manifest (made by
:mod:`~labelwright.runs.manifest_record`), the sources kept, and the run published.
What the manifest records of the label model is :mod:`~labelwright.runs.label_model_record`;
the model's per-LF numbers for the LF table (:func:`learned_table`, still importable from
here) are :mod:`~labelwright.runs.learned_columns`; the comparison with the previous run and
the report, made as the run is published, :mod:`~labelwright.runs.publish_report`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply import ApplyResult
from labelwright.apply.cache_keys import is_lf_module, lf_folder_files, lf_module_files
from labelwright.data.bad_rows import SKIPPED_ROWS_FILE, skipped_rows_jsonl
from labelwright.data.dataset import Dataset
from labelwright.data.row_copies import is_copy
from labelwright.project.since_previous import RUN_WARNINGS_HOLD_COMPARISON, item_changes
from labelwright.review import review_records
from labelwright.review.decisions.retirements import STORED
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES, CopyUse
from labelwright.review.feedback.gold import ReviewedLabels
from labelwright.review.feedback.reviews_record import reviewed_decisions
from labelwright.review.queue.files import (
    MakeRecords,
    record_blocks,
    tail_blocks,
    write_review_files,
)
from labelwright.review.ranking.rank import RankResult
from labelwright.runs.end_model_verdicts import end_model_verdicts
from labelwright.runs.file_names import (
    GLOSSARY_HITS_FILE,
    LABEL_MODEL_FILE,
    LABELS_FILE,
    LF_FAILURES_FILE,
    LF_SUMMARY_FILE,
    MATRIX_FILE,
    PHRASE_HITS_FILE,
    QUEUE_CSV,
    QUEUE_JSONL,
    REVIEWS_FILE,
    SAMPLE_CSV,
    SAMPLE_JSONL,
)
from labelwright.runs.item_texts import TEXT_HASH, text_hashes
from labelwright.runs.learned_columns import (  # noqa: F401  (still importable from here)
    assumed_accuracies,
    learned_table,
    read_accuracies,
)
from labelwright.runs.lf_failures import write_failed_rows
from labelwright.runs.lf_records import with_lf_locations  # noqa: F401  (still importable)
from labelwright.runs.manifest_record import manifest_record
from labelwright.runs.publish_report import compare_with_previous, write_staged_report
from labelwright.runs.queue_files import QUEUE_RANK, queue_files_record, queue_ranks, written_queue
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.session_glossaries import keep_session_glossaries, session_glossaries
from labelwright.runs.session_lfs import SessionLF, keep_session_code
from labelwright.runs.sources import keep_sources, run_sources
from labelwright.triage.core import Triage
from labelwright.triage.draws import RANDOM_SAMPLE, random_sample
from labelwright.warning_kinds import warning_kind

if TYPE_CHECKING:
    from labelwright.config.schema import DataConfig, ProjectConfig
    from labelwright.matrix import LabelMatrix
    from labelwright.project.load import Project
    from labelwright.project.steps import Steps
    from labelwright.runs.diff.result import RunDiff


def labels_frame(dataset: Dataset, labels: tuple[str, ...], tri: Triage,
                  probs: np.ndarray, label_source: np.ndarray,
                  model_triage: Triage | None = None, *,
                  copy_of: Sequence[str | None] | None = None) -> pd.DataFrame:
    """The run's ``labels.parquet``. ``tri``: the final triage (reviewed labels over the
    model's); ``model_triage``: the label model's own (default: ``tri``).

    ``prob_<label>`` are the probabilities behind ``label``: the label model's, and on a
    reviewed item all on the reviewed label, as its confidence 1 says, so that nobody
    training on the soft labels learns the model's guess over the reviewer's decision.
    ``model_label`` and ``model_confidence`` keep the label model's own view of every item.
    ``copy_of``: per item, the reviewed item whose label it took as a copy of its text
    (label source ``copy``; :mod:`labelwright.review.feedback.copy_reviews`), as the ``copy_of``
    column, written when any item took one. ``text_hash``: each item's text as the LFs
    saw it, hashed (:mod:`labelwright.runs.item_texts`), so that a later run or the data
    now can name the items whose text changed. ``queue_rank``: each queued item's place in
    the review queue (:mod:`labelwright.runs.queue_files`), whole even when the review
    files hold only its head.
    """
    own = tri if model_triage is None else model_triage
    def names(codes: np.ndarray) -> pd.arrays.StringArray:
        return pd.array([labels[k] if k >= 0 else None for k in codes], dtype="string")
    frame = pd.DataFrame({"id": dataset.ids, "label": names(tri.label),
                          "confidence": tri.confidence})
    reviewed = np.isin(label_source, REVIEWED_SOURCES)
    final = probs.copy()
    final[reviewed] = np.eye(len(labels))[tri.label[reviewed]]
    for k, label in enumerate(labels):
        frame[f"prob_{label}"] = final[:, k]
    if dataset.n_gold:
        frame["gold"] = names(dataset.gold)
    frame["status"] = tri.status
    frame["reasons"] = [";".join(r) for r in tri.reasons]
    frame["label_source"] = label_source
    if copy_of is not None and any(c is not None for c in copy_of):
        frame["copy_of"] = pd.array(list(copy_of), dtype="string")
    frame["model_label"] = names(own.label)
    frame["model_confidence"] = own.confidence
    frame[TEXT_HASH] = text_hashes(dataset.texts)  # which text each label is of
    frame[QUEUE_RANK] = queue_ranks(len(frame), tri.order)
    return frame


def lf_folder_record(project: Project) -> tuple[dict[str, str], dict[str, str]]:
    """(LF modules, other files of the LF folder) with their sha256, as the LFs were
    imported from them (the applier checked that the folder stayed so while they ran);
    read now for a project loaded without that record."""
    config = project.config
    if project.lf_state is None:
        return (lf_module_files(config.lf_path),
                lf_folder_files(config.lf_path, config.lf_folder_ignore))
    modules: dict[str, str] = {}
    others: dict[str, str] = {}
    for name, sha in project.lf_state.items():
        path = Path(name)
        (modules if len(path.parts) == 1 and is_lf_module(path) else others)[name] = sha
    return modules, others


def write_outputs(writer: RunWriter, project: Project, dataset: Dataset, applied: ApplyResult,
                   lf_table: pd.DataFrame, labels_frame: pd.DataFrame, probs: np.ndarray,
                   tri: Triage, model: Any, evaluation: dict[str, Any],
                   steps: Steps, reviewed: ReviewedLabels, ranked: RankResult | None, *,
                   copies: CopyUse,
                   report: bool = True, how_applied: Mapping[str, Any] | None = None,
                   run_warnings: Sequence[str] = (),
                   session: Sequence[SessionLF] = (),
                   ranking_cache: Mapping[str, Any] | None = None,
                   outcome: Mapping[str, Any] | None = None,
                   model_from: Mapping[str, str] | None = None,
                   model_name: str | None = None, model_file: bytes | None = None
                   ) -> tuple[Path, tuple[tuple[RunDiff | None, str | None], list[str]]]:
    """Write the run's files, then its manifest, and publish the run: its folder, what
    changed since the previous run (the report's comparison, made with or without
    ``report``) and why the previous run could not be compared (None: it was, or there is
    none), and the warnings that comparison brings (in the manifest's ``run_warnings`` too).

    ``steps``: the run's steps, under way at ``outputs`` (the files, up to the manifest);
    this adds ``manifest`` (the manifest's record: git state, packages, the LF sources kept)
    and ``hash`` (the outputs' hashes), and the manifest records every step's seconds up
    to its ``finished_at``. The diff against the previous run comes after that, before the
    manifest is written, and the report after it (``publish: ...`` steps shown, timed by
    the caller only).
    ``how_applied`` adds to the manifest's ``apply`` section
    (:func:`~labelwright.runs.apply_record.apply_record`). ``run_warnings``: the warnings
    ``labelwright run`` prints about the run (reviews, LFs, the label model's class balance),
    recorded as the manifest's ``run_warnings`` so the report shows them; the data reader's
    own are ``data.warnings``. ``copies``: what the run did with items of one text: each
    record says how many other items share its text (``copies``), and the manifest records
    the counts. ``session``: the project's LFs its LF folder does not hold
    (:func:`~labelwright.runs.session_lfs.session_lfs`), whose code the run keeps.
    ``ranking_cache``: what the ranking cache did
    (:meth:`~labelwright.review.ranking.cache.RankCacheUse.record`; None: no ranking).
    ``outcome``: how the run ended (:func:`~labelwright.runs.outcome.run_outcome`), the
    manifest's ``outcome``; a failed run is published but not made ``runs/LATEST``.
    ``model_from``: the run whose fitted label model this run reused, and its file's sha256
    (:mod:`labelwright.project.reused_model`), the manifest's ``label_model.from_run``.
    ``model_name``: the reused model's own name (that run's ``label_model.name``), the
    manifest's ``label_model.name``, with ``[label_model] name`` kept as ``configured_name``
    (None: the config's name, the model fit). ``model_file``: the reused model's
    ``label_model.json`` as read, kept byte for byte as the run's own (None: the model is
    saved), so its sha256 is ``model_from``'s whatever this version's save writes.
    """
    config = project.config
    known = copies.known(reviewed.gold)
    _write_tables(writer, applied, lf_table, labels_frame, model, model_file)
    if reviewed.count:
        _write_reviews(writer, reviewed, dataset.ids)
    data_skipped = _write_skipped_rows(writer, dataset, config.data)
    _write_hits(writer, applied)
    queue_files = _write_review_files(writer, config, dataset, applied, probs, tri, ranked,
                                      copies, known)
    steps.start("manifest", "publish: manifest")
    manifest = manifest_record(
        writer.run_id, steps.started_at, project, dataset, applied, labels_frame, tri, model,
        evaluation, reviewed, ranked, copies=copies, known=known, data_skipped=data_skipped,
        queue_files=queue_files, lf_files=lf_folder_record(project), session=session,
        how_applied=how_applied, run_warnings=run_warnings, ranking_cache=ranking_cache,
        outcome=outcome, model_from=model_from, model_name=model_name)
    _keep_sources(writer, project, session, manifest)
    return _publish(writer, manifest, steps, (labels_frame, applied.matrix), report=report)


def _write_tables(writer: RunWriter, applied: ApplyResult, lf_table: pd.DataFrame,
                  labels_frame: pd.DataFrame, model: Any, model_file: bytes | None) -> None:
    """The run's tables: the labels, the label matrix, every item each LF raised on (when
    one did), the LF summary, and the label model (as read when it was reused, else saved,
    when it can be)."""
    writer.write(LABELS_FILE, lambda p: labels_frame.to_parquet(p, index=False))
    writer.write(MATRIX_FILE, applied.matrix.write_parquet)
    if applied.failed_rows:  # every item each LF raised on: explain tells failed from abstain
        writer.write(LF_FAILURES_FILE, partial(write_failed_rows, failed_rows=applied.failed_rows))
    writer.write(LF_SUMMARY_FILE, lambda p: lf_table.to_csv(p, index=False))
    if model_file is not None:  # a reused model: the file it was read from, as it was
        writer.write(LABEL_MODEL_FILE, lambda path: path.write_bytes(model_file))
    elif hasattr(model, "save"):  # the fitted state: the run's probabilities without a refit
        writer.write(LABEL_MODEL_FILE, model.save)


def _write_reviews(writer: RunWriter, reviewed: ReviewedLabels, ids: Sequence[str]) -> None:
    """``reviews.json``: the review decisions the run took, and the retirement records it
    honoured."""
    decisions = reviewed_decisions(reviewed.decisions, set(ids))
    written: dict[str, Any] = {"reviews": decisions}
    if reviewed.retired.read:  # the records honoured: runs verify names an edited one
        written["retirements"] = [{name: getattr(r, name) for name in STORED}
                                  for r in reviewed.retired.read]
    writer.write_text(REVIEWS_FILE, json.dumps(written, indent=1))


def _write_skipped_rows(writer: RunWriter, dataset: Dataset,
                        data: DataConfig) -> dict[str, Any]:
    """The rows ``[data] bad_rows`` or ``duplicate_rows = "skip"`` left out, listed in their
    file (written when there are none too: scripts look); what the manifest's ``data``
    section says of them: the settings, how many, the file and its sha256 (empty: neither
    setting skips)."""
    skipping = {name: "skip" for name in ("bad_rows", "duplicate_rows")
                if getattr(data, name) == "skip"}
    if not skipping:
        return {}
    text = skipped_rows_jsonl(dataset.skipped_rows)
    writer.write_text(SKIPPED_ROWS_FILE, text)
    skipped = {"count": len(dataset.skipped_rows), "file": SKIPPED_ROWS_FILE,
               "sha256": hashlib.sha256(text.encode()).hexdigest()}
    if "duplicate_rows" in skipping:  # of them, the copies of an earlier row
        skipped["copies"] = sum(map(is_copy, dataset.skipped_rows))
    return {**skipping, "skipped_rows": skipped}


def _write_hits(writer: RunWriter, applied: ApplyResult) -> None:
    """The glossaries' hits per term, and per phrase (the term and each synonym)."""
    hits = applied.term_hits  # aggregated on every engine; items are not matched again
    writer.write(GLOSSARY_HITS_FILE, lambda p: hits.to_csv(p, index=False))
    phrase_hits = applied.phrase_hits  # the same per phrase: the term and each synonym
    writer.write(PHRASE_HITS_FILE, lambda p: phrase_hits.to_csv(p, index=False))


def _write_review_files(writer: RunWriter, config: ProjectConfig, dataset: Dataset,
                        applied: ApplyResult, probs: np.ndarray, tri: Triage,
                        ranked: RankResult | None, copies: CopyUse,
                        known: np.ndarray) -> dict[str, Any]:
    """``review.csv`` / ``.jsonl``, the queue (its first ``[review] queue_limit`` items and
    the audit items past them), and ``sample.csv`` / ``.jsonl``, the random sample (when it
    draws any item); gives the manifest's ``triage.queue_files``: how much of the queue the
    review files hold."""
    make = partial(
        review_records, run_id=writer.run_id, ids=dataset.ids, texts=dataset.texts,
        labels=config.labels, predicted=tri.label, probs=probs, confidence=tri.confidence,
        votes=applied.matrix.votes, lf_names=applied.matrix.lf_names, fields=dataset.fields,
        project=config.name, copies=copies.copies.others(),
        signal_values=ranked.signals if ranked is not None else None,
        end_model=end_model_verdicts(ranked))
    limit = config.review.queue_limit
    head, audit_after = written_queue(tri.order, tri.reasons, limit)
    queue = partial(make, reasons=tri.reasons, export="queue",
                    signals=ranked.top_signals() if ranked is not None else None)
    _write_records(writer, (QUEUE_CSV, QUEUE_JSONL), queue, head, config, applied, tri,
                   after=audit_after)
    sample = random_sample(len(dataset.ids), config.triage.random_sample, config.seed,
                           reviewed=known >= 0, ids=dataset.ids,
                           gold=dataset.gold >= 0)
    if sample.size:
        drawn = partial(make, reasons={int(i): (RANDOM_SAMPLE,) for i in sample},
                        export="sample", signals=None)
        _write_records(writer, (SAMPLE_CSV, SAMPLE_JSONL), drawn, sample, config, applied, tri)
    return queue_files_record(len(tri.order), len(head), len(audit_after), limit,
                              config.review.queue_limit_from)


def _write_records(writer: RunWriter, names: tuple[str, str], make: MakeRecords,
                   order: np.ndarray, config: ProjectConfig, applied: ApplyResult,
                   tri: Triage, *, after: np.ndarray | None = None) -> None:
    """The review records of the items in ``order`` (the queue's or the random sample's),
    made by ``make`` and written to ``names`` (a CSV and a JSONL file) a block of items at a
    time (:mod:`~labelwright.review.queue.files`): a queue of a million items held whole
    cost gigabytes. ``after``: items past ``order`` in the queue (the audit past a limit),
    each with its own rank."""
    def blocks() -> Iterator[list[dict[str, Any]]]:
        """The records, made as they are written: ``order``'s, then ``after``'s."""
        yield from record_blocks(order, applied.matches, make)
        if after is not None and after.size:
            yield from tail_blocks(after, tri.order, applied.matches, make)

    writer.write_all(list(names), lambda csv, jsonl: write_review_files(
        csv, jsonl, blocks(), labels=config.labels, lf_names=applied.matrix.lf_names,
        show=config.review.show_fields))


def _keep_sources(writer: RunWriter, project: Project, session: Sequence[SessionLF],
                  manifest: dict[str, Any]) -> None:
    """Keep in the run the sources it was made from (the config, the LF folder, the
    glossaries, and the code and glossaries of LFs the LF folder does not hold), recorded as
    the manifest's ``sources``: the files kept and those not."""
    config = project.config
    manifest["sources"] = sources = keep_sources(writer, run_sources(project, manifest))
    kept, left = keep_session_code(writer, session, config.root)
    kept += keep_session_glossaries(writer, session_glossaries(project.glossaries))
    sources["files"] += kept
    sources["not_kept"] += left


def _publish(writer: RunWriter, manifest: dict[str, Any], steps: Steps,
             shown: tuple[pd.DataFrame, LabelMatrix], *, report: bool
             ) -> tuple[Path, tuple[tuple[RunDiff | None, str | None], list[str]]]:
    """Hash the outputs, compare the run with the previous one, write the manifest and
    (``report``) the report, and move the run into place: its folder, and the comparison
    with the warnings it brings. ``shown``: the labels and the label matrix, which the
    report reads as written from here, not back from the files."""
    # what changed since the last run, or why it could not be compared, and its warnings
    since: list[tuple[tuple[RunDiff | None, str | None], list[str]]] = []

    def finish(hashed: dict[str, Any]) -> None:
        """The run's end, once its outputs are hashed: the steps' seconds add up to it.
        The comparison with the previous run is made here, with or without a report, so the
        warnings it brings (accuracy on held-out gold fallen, a run that could not be
        compared) are in the manifest's ``run_warnings`` too, and the report's Warnings."""
        hashed["finished_at"] = steps.stop().isoformat()
        hashed["timings_seconds"] = dict(steps.seconds)
        since.append(compare_with_previous(writer.staging, hashed, steps.stage))
        hashed["run_warnings"] = [*hashed["run_warnings"], *since[0][1]]
        hashed["run_warning_kinds"] = [*hashed["run_warning_kinds"],
                                       *map(warning_kind, since[0][1])]
        hashed.update(item_changes(since[0][0][0]))  # None each: no run compared with
        hashed[RUN_WARNINGS_HOLD_COMPARISON] = True  # runs without it may lack them

    steps.start("hash", "publish: hashing outputs")
    run_dir = writer.publish(manifest, before_write=finish, before_rename=(
        lambda staging: write_staged_report(staging, steps.stage, since[0][0], shown))
        if report else None)
    return run_dir, since[0]  # publish calls finish before it writes the manifest


