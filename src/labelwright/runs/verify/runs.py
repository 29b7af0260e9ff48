"""Whether runs are as they were left: ``labelwright runs verify`` as data.

:func:`verify_runs` checks a project's runs and returns one :class:`RunCheck` per run: the
run's outputs against the hashes in its manifest, the review ledger's decisions the run read
against the digest it recorded, ``labelwright train``'s files against each other and the
run, with ``inputs``, the project's inputs now against those the run read, and with
``recompute`` the run's votes and labels computed again from them
(:mod:`~labelwright.runs.verify.recompute`). Each
problem is a :class:`Finding` (the file it is about, and what is wrong); the command prints
them and exits 1 when any run is not :attr:`~RunCheck.ok`. The inputs' comparison and the
recomputation are in :mod:`~labelwright.runs.verify.input_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config import ProjectConfig, load_config
from labelwright.config.data_override import ran_on_frame, run_data_config, with_frame
from labelwright.counts import counted, some_of
from labelwright.errors import RunError
from labelwright.runs.erase.records import (
    ERASED_DATA_NOTE,
    ERASURES_FILE,
    Erasure,
    ErasureLog,
    erasure_notes,
    held_in_data,
)
from labelwright.runs.file_names import LABELS_FILE, REPORT
from labelwright.runs.manifest import (
    SECTION_RECORDS,
    misnamed,
    missing_sections,
    other_project,
    project_path,
    project_record,
)
from labelwright.runs.manifest_chain import export_links, later_link
from labelwright.runs.pruned import read_pruned
from labelwright.runs.session_lfs import session_notes, with_session_notes
from labelwright.runs.sources import KeptSources, kept_copies, source_problems, with_copies
from labelwright.runs.store import (
    MANIFEST,
    RUN_ID,
    changed_output,
    decision_count,
    folders_without_manifest,
    list_runs,
    no_manifest,
    read_manifest,
    resolve_run,
    unhashed_files,
)
from labelwright.runs.verify.data import DataReads, given_data, given_data_config

# --inputs and --recompute, in their own module; NO_FRAME still imports from here
from labelwright.runs.verify.input_checks import NO_FRAME as NO_FRAME
from labelwright.runs.verify.input_checks import (
    _gone_from,
    _name_changed_items,
    _project_inputs,
    _recompute,
)

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.lfs.core import LabelingFunction
    from labelwright.review.decisions.retirements import Retirement
    from labelwright.runs.verify.inputs import InputCheck, ProjectInputs
    from labelwright.runs.verify.recompute import Fresh, Recomputed


@dataclass(frozen=True)
class Finding:
    """One thing about a run that is not as the run left it: ``file``, the file it is about
    as the command names it (an output of the run such as ``labels.parquet``,
    ``manifest.json``, ``end_model.json``, the review ledger's path, the run folder's path
    when its manifest is gone; "" when no one file), and ``message``, what is wrong."""

    file: str
    message: str
    #: the run whose folder is gone, for a finding about one (else "")
    run_id: str = field(default="", compare=False)

    def __str__(self) -> str:
        """The line ``runs verify`` prints: ``labels.parquet: changed since ...``."""
        return f"{self.file}: {self.message}" if self.file else self.message


@dataclass
class RunCheck:
    """What :func:`verify_runs` found in one run folder."""

    run_dir: Path
    #: whether its manifest could be read; when not, ``problems`` says why and nothing
    #: else was checked
    readable: bool = True
    problems: list[Finding] = field(default_factory=list)
    outputs_hashed: int = 0  # outputs whose hashes the manifest records
    sources_hashed: int = 0  # the run's kept sources (runs.sources), checked as outputs
    #: the manifest's figures found to be what the run's files give (coverage,
    #: evaluation, ...: :func:`~labelwright.runs.verify.manifest_claims.claim_groups`)
    claims_checked: list[str] = field(default_factory=list)
    #: the ledger decisions the run read, found unchanged or not (None: the run read no
    #: reviews, or did not record their digest, so none was checked)
    ledger_decisions: int | None = None
    #: the later run whose manifest recorded this one's sha256, found to be its sha256
    #: now ("": none recorded it: the latest run, or an older labelwright's)
    linked_by: str = ""
    #: the provenance files of training sets exported from it that recorded that sha256
    linked_exports: int = 0
    #: the reviewed rows of its labels.parquet re-derived from those decisions (None: not
    #: checked: the decisions changed, or the manifest does not say how the run read them)
    reviewed_rows: int | None = None
    #: the retirement records the run honoured, checked with the decisions (0: none)
    ledger_retirements: int = 0
    train_checked: list[str] = field(default_factory=list)  # train's files found to match
    notes: list[str] = field(default_factory=list)  # what cannot be checked, and why
    #: files in the folder the manifest has no hash for (review exports, ...): listed, not
    #: failed; empty when the manifest records no hashes (no file is known to be the run's)
    not_hashed: list[str] = field(default_factory=list)
    #: with ``inputs``: the project's inputs now against those the run read (None: not
    #: asked for, the manifest unreadable, or the run another project's: see ``inputs_note``)
    inputs: InputCheck | None = None
    inputs_note: str = ""
    #: with ``recompute``: the run's votes (and labels) computed again, against its files
    #: (None: not asked for, or not compared: see ``inputs_note``)
    recomputed: Recomputed | None = None

    @property
    def run_id(self) -> str:
        return self.run_dir.name

    @property
    def ok(self) -> bool:
        """No problem, (when compared) every input as the run read it, and (when
        recomputed) the votes and labels as the run wrote them."""
        return not self.problems and not self.inputs and not self.recomputed

    @property
    def failures(self) -> list[str]:
        """Every reason :attr:`ok` is False, a line each, as ``runs verify`` prints them:
        the problems (files), then each input that differs or could not be hashed
        (``inputs: ...``), then what the recompute found to differ (``recompute: ...``);
        empty when ok. A recompute difference is no problem of the run's files, so it is
        not among :attr:`problems`."""
        lines = [str(problem) for problem in self.problems]
        if self.inputs:
            lines += [f"inputs: {change}" for change in self.inputs.changes]
            lines += [f"inputs: {problem}" for problem in self.inputs.problems]
        if self.recomputed:
            from labelwright.runs.verify.recompute import recompute_lines

            lines += recompute_lines(self.recomputed)
        return lines


def verify_runs(project: str | Path = ".", run: str | None = None, *, every: bool = False,
                inputs: bool = False, recompute: bool = False,
                data: pd.DataFrame | str | Path | None = None,
                lfs: Sequence[LabelingFunction] = (),
                manifest_sha256: str | None = None) -> list[RunCheck]:
    """Check the run ``run`` (an id or unique prefix; default: the latest run), or with
    ``every`` each run folder (folders without a manifest too), of the project at
    ``project``, as ``labelwright runs verify [RUN] [--all] [--inputs]`` does; one
    :class:`RunCheck` per run, oldest first. Raises :class:`~labelwright.errors.RunError`
    when there is no run to check (a runs folder with none is no pass) or ``run`` names
    none, and ValueError for both ``run`` and ``every``. ``inputs`` imports the LFs to
    hash them, which runs their modules' code. ``recompute`` (which implies ``inputs``)
    applies the LFs again without the vote and Doc caches and refits the label model, for
    each run whose inputs are the project's now
    (:func:`~labelwright.runs.verify.recompute.recompute_run`). ``data``: the DataFrame a run
    given one (``run_project(path, data=df)``) read, to compare (and recompute) it with;
    without it such a run's data is not compared, and not recomputed; a path (``runs
    verify --data``, implying ``inputs``): the file in place of each run's own
    (:mod:`~labelwright.runs.verify.data`). ``lfs``: the LFs made in the Python session a
    run ran (``project.with_lfs(...)``), to compare by their source hash and apply with the
    project's; without them such LFs are named as not given back, and the run is not
    recomputed. ``manifest_sha256``: the sha256 of the run's ``manifest.json`` as kept
    elsewhere (``runs show`` prints it); another hash now is a problem (not with
    ``every``: ValueError)."""
    return list(iter_verify(project, run, every=every, inputs=inputs, recompute=recompute,
                            data=data, lfs=lfs, manifest_sha256=manifest_sha256))


def check_manifest_sha256(manifest_sha256: str | None, *, every: bool = False) -> None:
    """A ValueError when ``manifest_sha256`` (the sha256 a run's manifest should have, kept
    elsewhere) is not 64 hex digits, or is given for ``every`` run."""
    if every and manifest_sha256 is not None:
        raise ValueError("one manifest's sha256 and every run: name the run it is of (or "
                         "check many with `sha256sum -c`)")
    if manifest_sha256 is not None and not re.fullmatch(r"[0-9a-fA-F]{64}",
                                                        manifest_sha256.strip()):
        raise ValueError(f"manifest sha256 {manifest_sha256!r}: expected 64 hex digits, as "
                         "`runs show` prints it")


def iter_verify(project: str | Path = ".", run: str | None = None, *, every: bool = False,
                inputs: bool = False, recompute: bool = False,
                data: pd.DataFrame | str | Path | None = None,
                lfs: Sequence[LabelingFunction] = (),
                manifest_sha256: str | None = None) -> Iterator[RunCheck]:
    """:func:`verify_runs`, one run at a time, as each is checked (the command prints each
    run's lines before hashing the next)."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.retirements import read_retirements
    from labelwright.startup import spacy_for

    if every and run is not None:
        raise ValueError(f"a run ({run!r}) and every run: give one or the other")
    check_manifest_sha256(manifest_sha256, every=every)
    config = load_config(project)
    runs_dir = config.runs_path
    # every: each run folder, those without a manifest too (they are no finished run, and
    # passing over them in silence would hide a deleted manifest)
    run_dirs = ([runs_dir / r for r in sorted({*list_runs(runs_dir),
                                               *folders_without_manifest(runs_dir)})]
                if every else [resolve_run(runs_dir, run,
                                           project=config if run is None else None)])
    if not run_dirs:  # nothing checked is no pass: a mistyped [project] runs would be one
        missing = "" if runs_dir.is_dir() else " (no such folder: is [project] runs right?)"
        raise RunError(f"{runs_dir}: no finished runs to verify{missing}; run `labelwright "
                       "run` first")
    given, frame = given_data(config, data)  # a file given (--data) implies --inputs
    inputs = inputs or given is not None
    spacy_for(project)  # train's check and the LFs import spaCy: torch hidden if unneeded
    ledger = ledger_path(config.root)
    decisions = read_decisions(ledger)  # once: every run's check reads the same ledger
    records = read_retirements(ledger)  # and its retirement records
    current = _project_inputs(config, frame, lfs) if inputs or recompute else None  # once
    reads = DataReads()  # each data file hashed, and its texts read, once for every run
    fresh: list[Fresh] = []  # the project applied without caches: once, when first needed
    erasures = ErasureLog(runs_dir)  # runs/ERASURES.jsonl: read once, when first needed
    for run_dir in run_dirs:
        check = verify_run(run_dir, config, ledger=ledger, decisions=decisions,
                           records=records, inputs=current,
                           recompute=fresh if recompute else None, frame=frame,
                           data_file=given, reads=reads, erasures=erasures)
        if manifest_sha256 is not None and check.readable:
            anchored = manifest_anchor(run_dir, manifest_sha256)
            check.problems += anchored
            check.notes += [] if anchored else [
                f"{MANIFEST}: its sha256 is the one given with --manifest-sha256"]
        yield check


def verify_run(run_dir: Path, config: ProjectConfig, *, ledger: Path | None = None,
               decisions: Sequence[Any] | None = None,
               records: Sequence[Retirement] | None = None,
               inputs: ProjectInputs | None = None,
               recompute: list[Fresh] | None = None,
               frame: pd.DataFrame | None = None, data_file: Path | None = None,
               reads: DataReads | None = None, erasures: ErasureLog | None = None
               ) -> RunCheck:
    """Check the run in ``run_dir`` of the project ``config``: see :func:`verify_runs`.
    ``ledger``/``decisions``/``records``: the project's review ledger, its decisions and
    its retirement records, when read already; ``inputs``: the project's inputs hashed now,
    to compare with the run's; ``recompute`` (a list holding the project applied without
    caches, or empty, to be filled when first needed): recompute the run's votes and labels, as
    :func:`~labelwright.runs.verify.recompute.recompute_run` does; ``frame``: the DataFrame a run
    given one read (``inputs`` holds its hash); ``data_file``: the file in place of the
    run's (``--data``); ``reads``: the data files read already; ``erasures``: the runs
    folder's record of erasures, kept across runs."""
    from labelwright.end_model.train import check_train_outputs
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_digests import RowsChange, ledger_changes
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.retirements import (
        read_retirements,
        recorded,
        recorded_change,
        without_retired,
    )
    from labelwright.runs.verify.manifest_claims import claim_differences, claim_groups, file_claims
    from labelwright.runs.verify.retirements import named_record_changes
    from labelwright.runs.verify.reviewed_rows import reviewed_rows

    check = RunCheck(run_dir)
    try:
        if not (run_dir / MANIFEST).is_file():
            raise no_manifest(run_dir.parent, run_dir.name)
        manifest = read_manifest(run_dir)
    except RunError as exc:
        check.readable = False
        check.problems.append(_finding(str(exc), [str(run_dir / MANIFEST), str(run_dir)]))
        return check
    ledger = ledger if ledger is not None else ledger_path(config.root)
    decisions = list(decisions) if decisions is not None else read_decisions(ledger)
    records = records if records is not None else read_retirements(ledger)
    erasures = erasures if erasures is not None else ErasureLog(run_dir.parent)
    check.problems += _output_problems(run_dir, manifest, erasures)
    check.problems += _missing_sections(manifest)
    # the manifest's figures (coverage, evaluation, triage counts, the label model chosen)
    # against the files whose hashes matched: runs list and show print the manifest's
    derived = file_claims(run_dir, manifest, [f.file for f in check.problems])
    check.problems += [Finding(MANIFEST, f"{line}: the manifest was edited since the run")
                       for line in claim_differences(manifest, derived)]
    check.claims_checked = claim_groups(derived)
    check.problems += _contradicting_rows(run_dir, [f.file for f in check.problems])
    copies = kept_copies(manifest)
    check.problems += [_finding(problem, list(copies))
                       for problem in source_problems(run_dir, manifest)]
    check.sources_hashed = len(copies)
    check.problems += [_finding(problem, [MANIFEST])
                       for problem in (misnamed(run_dir, manifest), other_project(
                           run_dir, manifest, project_record(config))) if problem]
    link = later_link(run_dir)  # the sha256 of this manifest the run after it recorded
    check.linked_by = link.later if link is not None and link.problem is None else ""
    exported = export_links(run_dir, config.root)  # ... and each export's provenance
    check.linked_exports = sum(e.problem is None for e in exported)
    check.problems += [Finding(MANIFEST, str(each.problem))
                       for each in [link, *exported] if each and each.problem]
    reviews = manifest.get("reviews") or {}
    read = decision_count(reviews) if reviews else None
    digest = reviews.get("ledger_sha256")
    change = None
    if isinstance(read, int) and isinstance(digest, str):
        check.ledger_decisions = read
        change = ledger_changes(ledger, read, digest, decisions=decisions,
                                erased_at=ledger_erasures(erasures))
        if change and change.count_edited:  # the count edited, not the ledger
            check.problems.append(_finding(change.message, [MANIFEST]))
        elif change:
            message = change.message
            if ledger.exists() and len(decisions) >= read:
                message += _changed_decisions(run_dir, manifest, decisions[:read])
            check.problems.append(_finding(message, [str(ledger)]))
    # the retirements the run honoured, and which records changed since
    records_change = recorded_change(ledger, reviews, records=records)
    withdrawn = None
    if records_change is not None:
        withdrawn = records_change.message + (named_record_changes(run_dir, records)
                                              if records_change.in_ledger else "")
    check.ledger_retirements = recorded(reviews)
    check.problems += [_finding(withdrawn, [str(ledger)])] if withdrawn else []
    change = change or (RowsChange(withdrawn) if withdrawn else None)
    # the decisions the run used: one it read but had retired left no mark on it, so
    # the run its export came from may go (rows deleted on request take their run along)
    used = (without_retired(decisions[:read], records[:check.ledger_retirements])
            if isinstance(read, int) and ledger.exists() else [])
    # each reviewed row from the decisions it read; with recompute, once the refit has
    # settled them (not settled twice), its problem in this place all the same
    rows_at = len(check.problems)
    check_rows = change is None and check.ledger_decisions is not None and LABELS_FILE \
        not in [f.file for f in check.problems]
    gone = gone_runs(run_dir, manifest, used, ledger)
    pruned = read_pruned(run_dir.parent)  # pruned by `runs prune`: said, not a problem
    check.problems += [f for f in gone if f.run_id not in pruned]
    trained = check_train_outputs(run_dir, manifest, ledger, decisions, records,
                                  erased_at=ledger_erasures(erasures))
    check.problems += [_finding(problem, [*trained_files(run_dir), str(ledger)])
                       for problem in trained.problems]
    check.train_checked, check.notes = list(trained.checked), list(trained.notes)
    check.notes += [str(f) for f in gone if f.run_id in pruned]
    # the notes on files `erase` changed go here, once --inputs has told which erasures
    # name items the data still holds (no erasure took place)
    erasures_at, changed = len(check.notes), [f.file for f in check.problems]
    not_erasures: list[int] = []
    # LFs made in the session: in no project file, so said whether or not --inputs
    check.notes += [f"LF {name}: {note}" for name, note in
                    session_notes(manifest, project_path(run_dir, config.root)).items()]
    check.outputs_hashed = len(manifest.get("outputs") or {})
    if check.outputs_hashed:  # with no hashes recorded, no file is known to be the run's
        # the report is built from the manifest, after the hashes: never one of them
        check.not_hashed = [REPORT] if (run_dir / REPORT).is_file() else []
        check.not_hashed += [name for name in unhashed_files(run_dir, manifest)
                             if name not in trained.checked
                             and name not in copies]
    if inputs is not None:
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
        else:
            from labelwright.runs.verify.inputs import input_changes, with_data

            check.inputs = input_changes(manifest, with_data(inputs, config.data, reads),
                                         config)
            erased_gone = _name_changed_items(check.inputs, run_dir, manifest, config,
                                              frame if on_frame else None, reads, erasures)
            if own is not config:  # the file given holds the run's items, erased ones too
                erased_gone = _gone_from(run_dir, manifest, own, reads)
            still = ([] if erased_gone is None  # cannot be told: nothing is said
                     else held_in_data(run_dir, erased_gone, erasures))
            check.problems += _erased_but_held(still)
            not_erasures = [erasure.line for erasure, _ in still]
            with_copies(check.inputs, KeptSources(run_dir, manifest, config.root), manifest,
                        config)
            with_session_notes(check.inputs, manifest,
                               project_path(run_dir, config.root),
                               [lf.name for lf in inputs.session_lfs])
            if recompute is not None:
                check.recomputed = _recompute(run_dir, manifest, config, check.inputs,
                                              change, decisions, recompute,
                                              frame if on_frame else None,
                                              inputs.session_lfs)
    if check_rows:
        check.reviewed_rows, wrong = reviewed_rows(
            run_dir, manifest, config.root, used, config.review.adjudicators,
            settled=check.recomputed.settled if check.recomputed is not None else None)
        check.problems[rows_at:rows_at] = [_finding(wrong, [LABELS_FILE])] if wrong else []
        changed += [LABELS_FILE] if wrong else []
    erased = erasure_notes(run_dir, manifest, erasures, changed=changed,
                           not_erasures=not_erasures)
    if data_file is not None and check.inputs is not None and _given_is_runs(check.inputs):
        erased = [GIVEN_ERASED_NOTE if note == ERASED_DATA_NOTE else note for note in erased]
    check.notes[erasures_at:erasures_at] = erased
    return check


#: the note on a run whose data held items erased since, compared with the day's file
#: given with ``--data``: which still holds them
GIVEN_ERASED_NOTE = ("the run's data held items erased since: their rows are gone from the "
                     "project's data, and the file given with --data still holds them, "
                     "texts and all (the inputs below are compared with it)")


def _given_is_runs(inputs: InputCheck) -> bool:
    """Whether the data file given with ``--data`` was found to be the data the run read."""
    return ("data file" in inputs.checked
            and not any(change.what == "data file" for change in inputs.changes))


def _erased_but_held(held: list[tuple[Erasure, list[str]]]) -> list[Finding]:
    """A problem for each line of ``runs/ERASURES.jsonl`` naming items the run labeled that
    the data still holds (``held``: :func:`~labelwright.runs.erase.records.held_in_data`, each
    with those items): ``erase`` refuses such items, so the line is no erasure it made,
    and cannot vouch for the run's files."""
    return [Finding(ERASURES_FILE, f"line {erasure.line}, the erasure of "
                    f"{erasure.erased_at[:10]} by {erasure.reviewer} ({erasure.reason}), "
                    f"names {counted(len(items), 'item')} the data still holds "
                    f"({some_of([repr(i) for i in items])}), which `labelwright erase` "
                    "refuses: no such erasure took place (the line was written by hand, or "
                    "their rows were added back to the data since)")
            for erasure, items in held]


def _contradicting_rows(run_dir: Path, changed: Sequence[str]) -> list[Finding]:
    """A problem naming the rows of the run's ``labels.parquet`` that contradict themselves
    (:func:`~labelwright.runs.explain.checks.contradicting_rows`, as ``explain`` tells
    them), when its hash matched (``changed``: the files found changed, said already): a
    label edited by hand with the file's new hash written into the manifest."""
    from labelwright.runs.explain.checks import (
        contradicting_rows_line,
        labels_file_contradictions,
    )

    if LABELS_FILE in changed or not (run_dir / LABELS_FILE).is_file():
        return []
    try:
        found = labels_file_contradictions(run_dir / LABELS_FILE)
    except RunError as exc:
        return [_finding(str(exc), [str(run_dir / LABELS_FILE)])]
    return [Finding(LABELS_FILE, contradicting_rows_line(found))] if found else []


def manifest_anchor(run_dir: Path, expected: str) -> list[Finding]:
    """The run's ``manifest.json`` against the sha256 kept elsewhere (``expected``): the
    manifest holds every other hash, so only a hash of it kept out of the run folder tells
    a manifest rewritten with its outputs' new hashes. [] when it matches."""
    from labelwright.runs.store import file_sha256

    given = expected.strip().lower()
    now = file_sha256(run_dir / MANIFEST)
    if now == given:
        return []
    return [Finding(MANIFEST, f"sha256 {now}, not the {given} given with --manifest-sha256: "
                              "the manifest was edited or replaced since that hash was taken "
                              "(the checks above read their hashes from it)")]


#: changed decisions a ledger problem names
SHOWN_DECISIONS = 5


def _changed_decisions(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any]) -> str:
    """Which decisions changed, as far as the run's ``reviews.json`` (each rater's latest
    decision per item, as the run used them) tells
    (:func:`~labelwright.runs.changed_decisions.changed_decisions`, which ``explain`` asks
    too). "" without a ``reviews.json``; a remark when it names none (the change is in a
    decision that was no rater's latest, or in another field than the label)."""
    from labelwright.runs.changed_decisions import changed_decisions

    changed = changed_decisions(run_dir, manifest, read)
    if changed is None:
        return ""
    if not changed:
        return ("; the run's reviews.json (each rater's latest decision per item) still "
                "matches them: the change is in an earlier decision or another field")
    return "; by the run's reviews.json: " + some_of([str(c) for c in changed],
                                                      SHOWN_DECISIONS)


def gone_runs(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any],
              ledger: Path) -> list[Finding]:
    """Runs this run builds on whose folders are gone from the runs folder: the runs the
    review decisions it used (``read``: those it read, the retired ones aside) were exported
    from, and the runs its manifest
    names (``reviews.random_samples``, ``reviews.set_aside_other_text``), those named like
    a run id. Deleting one leaves its review files and random sample unaccounted for, and
    nothing else says so. Each finding's ``run_id`` is the run gone; one ``runs prune``
    removed (:func:`~labelwright.runs.pruned.read_pruned`) is said to be pruned, when and
    by what, and :func:`verify_run` makes it a note, not a problem."""
    runs_dir = run_dir.parent
    pruned = read_pruned(runs_dir)

    def where(run_id: str) -> str:
        record = pruned.get(run_id)
        return (f"whose folder {runs_dir / run_id} is gone" if record is None
                else f"which was {record.describe()}")

    def gone(run_id: Any) -> bool:
        # a name not like a run id (a file reviewed outside any run) has no folder to check
        return (isinstance(run_id, str) and bool(RUN_ID.fullmatch(run_id))
                and not (runs_dir / run_id).is_dir())
    findings = []
    exported: dict[str, int] = {}
    for decision in read:
        if gone(decision.run_id):
            exported[decision.run_id] = exported.get(decision.run_id, 0) + 1
    for run_id, n in sorted(exported.items()):
        findings.append(Finding(str(ledger), f"{counted(n, 'decision')} of the {len(read)} "
                                f"the run used {'was' if n == 1 else 'were'} exported from "
                                f"run {run_id}, {where(run_id)}", run_id))
    reviews = manifest.get("reviews") or {}
    for key in ("random_samples", "set_aside_other_text"):
        named = sorted({str(r["run_id"]) for r in reviews.get(key) or []
                        if isinstance(r, dict) and gone(r.get("run_id"))})
        findings += [Finding(MANIFEST, f"reviews.{key} names run {run_id}, {where(run_id)}",
                             run_id) for run_id in named]
    return findings


def ledger_erasures(erasures: ErasureLog) -> set[str] | None:
    """When each erasure in ``runs/ERASURES.jsonl`` that took notes out of the ledger was
    made: a ``note_erasures`` row of the ledger without one vouches for no change; None when
    the record cannot be read (said on its own)."""
    try:
        return {e.erased_at for e in erasures.records() if e.ledger}
    except RunError:
        return None


def _output_problems(run_dir: Path, manifest: dict[str, Any], erasures: ErasureLog
                     ) -> list[Finding]:
    """Each output edited or missing since the run wrote it (as
    :func:`~labelwright.runs.store.changed_outputs`; ``erasures``: the record of erasures
    that account for a change), by the output's name."""
    recorded: dict[str, str] = manifest.get("outputs") or {}
    if not recorded:  # every run records its outputs' hashes: nothing can be vouched for
        return [Finding(MANIFEST, "records no output hashes (a run always writes them: the "
                                  "manifest was edited), so no output can be checked")]
    return [_finding(problem, [name]) for name in sorted(recorded)
            if (problem := changed_output(run_dir, manifest, name, erasures)) is not None]


def _missing_sections(manifest: dict[str, Any]) -> list[Finding]:
    """A finding per section the run's labelwright always recorded that its manifest lacks
    (:func:`~labelwright.runs.manifest.missing_sections`): each read as a run without it
    verified ok, and without ``reviews`` the ledger was not checked at all."""
    return [Finding(MANIFEST, f"{section} is missing, which every run records "
                              f"({SECTION_RECORDS[section]}): the manifest was edited since "
                              "the run, and what it recorded there cannot be checked")
            for section in missing_sections(manifest)]


def trained_files(run_dir: Path) -> list[str]:
    """The names ``labelwright train``'s checks give their problems under: its two files,
    and the model file's path (a model that cannot be read is named by its path)."""
    from labelwright.end_model.train import LABELS_FILE, MODEL_FILE

    return [MODEL_FILE, LABELS_FILE, str(run_dir / MODEL_FILE)]


def _finding(line: str, files: Sequence[str]) -> Finding:
    """A problem line ``<file>: <message>`` as a :class:`Finding`, for the first of
    ``files`` it starts with (checked, not guessed: a line naming none keeps its whole text
    as the message, with no file)."""
    for name in sorted(files, key=len, reverse=True):  # the longest: a path before its folder
        if line.startswith(f"{name}: "):
            return Finding(name, line[len(name) + 2:])
    return Finding("", line)
