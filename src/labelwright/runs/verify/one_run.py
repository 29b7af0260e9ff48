"""One run's checks of ``labelwright runs verify``: :func:`verify_run` checks a run folder's
outputs, kept sources, manifest, the review ledger it read and ``train``'s files, and with
the project's inputs hashed now (``--inputs``) and ``--recompute``, those too, into a
:class:`~labelwright.runs.verify.run_check.RunCheck`.
:func:`~labelwright.runs.verify.runs.iter_verify` picks the runs and reads what they share
(the ledger, the inputs) once, and calls it for each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config import ProjectConfig
from labelwright.config.data_override import ran_on_frame, run_data_config, with_frame
from labelwright.errors import RunError
from labelwright.runs.erase.records import ErasureLog
from labelwright.runs.erase.run_accounts import (
    ERASED_DATA_NOTE,
    erasure_notes,
    held_in_data,
)
from labelwright.runs.file_names import LABELS_FILE, REPORT
from labelwright.runs.manifest import (
    misnamed,
    other_project,
    project_path,
    project_record,
    read_hashed_manifest,
)
from labelwright.runs.manifest_chain import (
    ManifestReads,
    export_links,
    later_link,
    missing_previous,
)
from labelwright.runs.session_lfs import session_notes, with_session_notes
from labelwright.runs.sources import KeptSources, kept_copies, source_problems, with_copies
from labelwright.runs.store import (
    MANIFEST,
    no_manifest,
    unhashed_files,
)
from labelwright.runs.verify.data import DataReads, given_data_config
from labelwright.runs.verify.input_checks import (
    _gone_from,
    _name_changed_items,
    _recompute,
)
from labelwright.runs.verify.run_check import Finding, RunCheck, finding_of
from labelwright.runs.verify.run_files import (
    calibration_record_deleted,
    contradicting_rows,
    erased_but_held,
    missing_section_findings,
    output_problems,
)
from labelwright.runs.verify.run_ledger import LedgerState, check_ledger, check_trained

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.review.decisions.retirements import Retirement
    from labelwright.runs.verify.fresh import Fresh
    from labelwright.runs.verify.inputs import InputCheck, ProjectInputs


def verify_run(run_dir: Path, config: ProjectConfig, *, ledger: Path | None = None,
               decisions: Sequence[Any] | None = None,
               records: Sequence[Retirement] | None = None,
               inputs: ProjectInputs | None = None,
               recompute: list[Fresh] | None = None,
               frame: pd.DataFrame | None = None, data_file: Path | None = None,
               reads: DataReads | None = None, erasures: ErasureLog | None = None,
               manifests: ManifestReads | None = None) -> RunCheck:
    """Check the run in ``run_dir`` of the project ``config``: see
    :func:`~labelwright.runs.verify.runs.verify_runs`.
    ``ledger``/``decisions``/``records``: the project's review ledger, its decisions and
    its retirement records, when read already; ``inputs``: the project's inputs hashed now,
    to compare with the run's; ``recompute`` (a list holding the project applied without
    caches, or empty, to be filled when first needed): recompute the run's votes and labels, as
    :func:`~labelwright.runs.verify.recompute.recompute_run` does; ``frame``: the DataFrame a run
    given one read (``inputs`` holds its hash); ``data_file``: the file in place of the
    run's (``--data``); ``reads``: the data files read already; ``erasures``: the runs
    folder's record of erasures, kept across runs; ``manifests``: the runs folder's
    manifests, each read once across runs (the next run's is read for the link it keeps to
    this one, then taken by its own check).

    The steps, in order: the manifest read (:func:`_read_manifest`), the run's files
    against it (:func:`_check_files`), the links kept to it (:func:`_check_links`), the
    review ledger it read and ``train``'s files and the runs gone (:mod:`~labelwright.runs.
    verify.run_ledger`), the inputs now and the recompute (:func:`_check_inputs`), the
    reviewed rows (:func:`_check_reviewed_rows`) and the erasures' notes."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.retirements import read_retirements

    check = RunCheck(run_dir)
    read = _read_manifest(check, run_dir, manifests)
    if read is None:
        return check
    manifest, sha256 = read
    path = ledger if ledger is not None else ledger_path(config.root)
    state = LedgerState(path, list(decisions) if decisions is not None
                         else read_decisions(path),
                         records if records is not None else read_retirements(path))
    erasures = erasures if erasures is not None else ErasureLog(run_dir.parent)
    copies = _check_files(check, run_dir, manifest, config, erasures)
    _check_links(check, run_dir, manifest, config, manifests, sha256)
    check_ledger(check, run_dir, manifest, state, erasures)
    # each reviewed row from the decisions it read; with recompute, once the refit has
    # settled them (not settled twice), its problem in this place all the same
    rows_at = len(check.problems)
    check_rows = state.change is None and check.ledger_decisions is not None and LABELS_FILE \
        not in [f.file for f in check.problems]
    check_trained(check, run_dir, manifest, state, erasures)
    _pruned_previous(check, run_dir, manifest)  # after the notes check_trained sets
    # the notes on files `erase` changed go here, once --inputs has told which erasures
    # name items the data still holds (no erasure took place)
    erasures_at, changed = len(check.notes), [f.file for f in check.problems]
    _session_and_unhashed(check, run_dir, manifest, config, copies)
    _check_report(check, run_dir, manifest, erasures)
    not_erasures: list[int] = []
    if inputs is not None:
        config, not_erasures = _check_inputs(check, run_dir, manifest, config, inputs,
                                             state, recompute, frame, data_file, reads,
                                             erasures)
    if check_rows:
        changed += _check_reviewed_rows(check, run_dir, manifest, config, state, rows_at)
    erased = erasure_notes(run_dir, manifest, erasures, changed=changed,
                           not_erasures=not_erasures)
    if data_file is not None and check.inputs is not None and _given_is_runs(check.inputs):
        erased = [GIVEN_ERASED_NOTE if note == ERASED_DATA_NOTE else note for note in erased]
    check.notes[erasures_at:erasures_at] = erased
    return check


def _read_manifest(check: RunCheck, run_dir: Path, manifests: ManifestReads | None
                   ) -> tuple[dict[str, Any], str] | None:
    """The run's manifest and the sha256 of its bytes; None, the check told it is not
    readable and why, when it is missing or cannot be read."""
    try:
        if not (run_dir / MANIFEST).is_file():
            raise no_manifest(run_dir.parent, run_dir.name)
        # read once: the links a later run and each export keep are checked against the
        # sha256 of these bytes (hashed again, the file was read three times)
        if manifests is not None:
            return manifests.take(run_dir.name), manifests.sha256[run_dir.name]
        return read_hashed_manifest(run_dir)
    except RunError as exc:
        check.readable = False
        check.problems.append(finding_of(str(exc), [str(run_dir / MANIFEST), str(run_dir)]))
        return None


def _check_files(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                 config: ProjectConfig, erasures: ErasureLog) -> dict[str, Any]:
    """The run's outputs, the manifest's figures and its kept sources against the
    manifest, and the manifest against itself and the project; returns the kept copies."""
    from labelwright.runs.verify.claim_values import claim_differences, claim_groups
    from labelwright.runs.verify.manifest_claims import file_claims
    from labelwright.runs.verify.manifest_self import self_contradictions

    check.problems += output_problems(run_dir, manifest, erasures)
    check.problems += missing_section_findings(manifest)
    check.problems += calibration_record_deleted(run_dir, manifest,
                                                 [f.file for f in check.problems])
    # the manifest's figures (coverage, evaluation, triage counts, the label model chosen)
    # against the files whose hashes matched: runs list and show print the manifest's
    derived = file_claims(run_dir, manifest, [f.file for f in check.problems])
    check.problems += [Finding(MANIFEST, f"{line}: the manifest was edited since the run")
                       for line in claim_differences(manifest, derived)]
    check.claims_checked = claim_groups(derived)
    check.problems += contradicting_rows(run_dir, [f.file for f in check.problems])
    copies = kept_copies(manifest)
    sources = [finding_of(problem, list(copies)) for problem in source_problems(run_dir, manifest)]
    check.problems += sources
    check.sources_hashed = len(copies)
    # each copy hashed once: those found intact above are not hashed again
    check.problems += [Finding(MANIFEST, line) for line in self_contradictions(
        run_dir, manifest, changed=[f.file for f in sources])]
    check.problems += [finding_of(problem, [MANIFEST])
                       for problem in (misnamed(run_dir, manifest), other_project(
                           run_dir, manifest, project_record(config))) if problem]
    return copies


def _check_links(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                 config: ProjectConfig, manifests: ManifestReads | None, sha256: str) -> None:
    """The sha256 of this manifest that the run after it and each export recorded, and the
    run before it, by the link this one keeps."""
    # the sha256 of this manifest the run after it recorded ...
    link = later_link(run_dir, manifests, now=sha256)
    check.linked_by = link.later if link is not None and link.problem is None else ""
    exported = export_links(run_dir, config.root, now=sha256)  # ... and each export's
    check.linked_exports = sum(e.problem is None for e in exported)
    check.problems += [Finding(MANIFEST, str(each.problem))
                       for each in [link, *exported] if each and each.problem]
    gap = missing_previous(run_dir, manifest)  # the chain read backward: a run gone
    check.problems += [Finding(MANIFEST, gap.own_line(), gap.run_id)] if gap else []


def _pruned_previous(check: RunCheck, run_dir: Path, manifest: dict[str, Any]) -> None:
    """The run before this one, when ``runs prune`` removed it: a note saying so, and a
    problem when ``runs/PRUNED.jsonl`` records its manifest's sha256 other than this
    manifest's ``previous_run`` does (the two were written from one manifest: an edit of
    the record, which nothing else tells, had the chain pass through the pruned run)."""
    from labelwright.errors import RunError
    from labelwright.runs.pruned import PRUNED_FILE, read_pruned

    link = manifest.get("previous_run")
    named = link.get("run_id") if isinstance(link, dict) else None
    if not isinstance(named, str) or (run_dir.parent / named).is_dir():
        return
    try:
        record = read_pruned(run_dir.parent).get(named)
    except RunError:  # said by the check of the runs folder's records
        return
    if record is None:
        return
    recorded = link.get("manifest_sha256") if isinstance(link, dict) else None
    if isinstance(recorded, str) and record.manifest_sha256 != recorded:
        check.problems.append(Finding(
            str(run_dir.parent / PRUNED_FILE),
            f"the record of run {named} ({record.describe()}) gives its manifest's sha256 "
            f"as {record.manifest_sha256[:12]}, but this run's manifest recorded "
            f"{recorded[:12]} of it (previous_run): the record was edited since, or the "
            "pruned run's manifest was before it was pruned", named))
    else:
        check.notes.append(f"{MANIFEST}: previous_run names run {named}, "
                           f"{record.describe()} ({PRUNED_FILE} records the manifest's "
                           "sha256 this one recorded)")


def _session_and_unhashed(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                          config: ProjectConfig, copies: dict[str, Any]) -> None:
    """The notes on LFs made in the session, and the files of the run folder no hash
    covers (the report, files added since)."""
    # LFs made in the session: in no project file, so said whether or not --inputs
    check.notes += [f"LF {name}: {note}" for name, note in
                    session_notes(manifest, project_path(run_dir, config.root)).items()]
    check.outputs_hashed = len(manifest.get("outputs") or {})
    if check.outputs_hashed:  # with no hashes recorded, no file is known to be the run's
        # the report is built from the manifest, after the hashes: never one of them
        check.not_hashed = [REPORT] if (run_dir / REPORT).is_file() else []
        check.not_hashed += [name for name in unhashed_files(run_dir, manifest)
                             if name not in check.train_checked
                             and name not in copies]


def _check_report(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                  erasures: ErasureLog) -> None:
    """The run's ``report.html`` against the sha256 its manifest records and the rewrites
    of it on record (:func:`~labelwright.runs.report_record.report_check`); a run from
    before the record keeps it listed as not hashed."""
    from labelwright.runs.report_record import (
        ReportStep,
        erased_steps,
        rebuilt_steps,
        report_check,
    )

    steps: list[ReportStep] = []
    unread: list[str] = []
    for read in (lambda: rebuilt_steps(run_dir.parent, run_dir.name),
                 lambda: erased_steps(erasures.records(), run_dir.name)):
        try:
            steps += read()
        except RunError as exc:  # a record that cannot be read vouches for nothing
            unread.append(str(exc))
    found = report_check(run_dir, manifest, steps)
    if found is None:
        return
    check.not_hashed = [name for name in check.not_hashed if name != REPORT]
    if found.problem:  # a record that could not be read may have vouched for it
        check.problems.append(Finding(REPORT, found.problem + "".join(
            f"; a record that cannot be read may hold the line: {why}" for why in unread)))
    check.report = found.how


def _check_inputs(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                  config: ProjectConfig, inputs: ProjectInputs, state: LedgerState,
                  recompute: list[Fresh] | None, frame: pd.DataFrame | None,
                  data_file: Path | None, reads: DataReads | None, erasures: ErasureLog
                  ) -> tuple[ProjectConfig, list[int]]:
    """The project's inputs now against the run's (``--inputs``), the erased items the
    data still holds, and with ``recompute`` the run computed again. Returns the config
    the run is compared by (its data: the file it read, or ``--data``'s) and the lines of
    the erasures that name items the data still holds."""
    # a run given its file with --data is checked against that file, not [data] path
    config = run_data_config(config, manifest)
    on_frame = ran_on_frame(manifest)
    config = with_frame(config) if on_frame else config
    own = config  # the data the run read, as it is now: where erased items are gone
    if data_file is not None and not on_frame:  # runs verify --data
        config = given_data_config(config, manifest, data_file)
    if other_project(run_dir, manifest, project_record(config)):
        # its inputs are not this project's (a problem above says so already)
        check.inputs_note = "not compared (the run is another project's)"
        return config, []
    from labelwright.runs.verify.inputs import input_changes, with_data

    check.inputs = input_changes(manifest, with_data(inputs, config.data, reads), config)
    erased_gone = _name_changed_items(check.inputs, run_dir, manifest, config,
                                      frame if on_frame else None, reads, erasures)
    if own is not config:  # the file given holds the run's items, erased ones too
        erased_gone = _gone_from(run_dir, manifest, own, reads)
    still = ([] if erased_gone is None  # cannot be told: nothing is said
             else held_in_data(run_dir, erased_gone, erasures))
    check.problems += erased_but_held(still)
    with_copies(check.inputs, KeptSources(run_dir, manifest, config.root), manifest, config)
    with_session_notes(check.inputs, manifest, project_path(run_dir, config.root),
                       [lf.name for lf in inputs.session_lfs])
    if recompute is not None:
        check.recomputed = _recompute(run_dir, manifest, config, check.inputs, state.change,
                                      state.decisions, recompute,
                                      frame if on_frame else None, inputs.session_lfs,
                                      inputs.session_glossaries)
    return config, [erasure.line for erasure, _ in still]


def _check_reviewed_rows(check: RunCheck, run_dir: Path, manifest: dict[str, Any],
                         config: ProjectConfig, state: LedgerState, rows_at: int
                         ) -> list[str]:
    """Each reviewed row of ``labels.parquet`` from the decisions the run used, its
    problem put at ``rows_at`` (where the ledger's checks end); returns the files it
    found changed."""
    from labelwright.runs.verify.reviewed_rows import reviewed_rows

    check.reviewed_rows, wrong = reviewed_rows(
        run_dir, manifest, config.root, state.used, config.review.adjudicators,
        settled=check.recomputed.settled if check.recomputed is not None else None)
    check.problems[rows_at:rows_at] = [finding_of(wrong, [LABELS_FILE])] if wrong else []
    return [LABELS_FILE] if wrong else []


#: the note on a run whose data held items erased since, compared with the day's file
#: given with ``--data``: which still holds them
GIVEN_ERASED_NOTE = ("the run's data held items erased since: their rows are gone from the "
                     "project's data, and the file given with --data still holds them, "
                     "texts and all (the inputs below are compared with it)")


def _given_is_runs(inputs: InputCheck) -> bool:
    """Whether the data file given with ``--data`` was found to be the data the run read."""
    return ("data file" in inputs.checked
            and not any(change.what == "data file" for change in inputs.changes))


