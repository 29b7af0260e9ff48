"""Whether runs are as they were left: ``labelwright runs verify`` as data.

:func:`verify_runs` checks a project's runs and returns one :class:`RunCheck` per run: the
run's outputs against the hashes in its manifest, the review ledger's decisions the run read
against the digest it recorded, ``labelwright train``'s files against each other and the
run, with ``inputs``, the project's inputs now against those the run read, and with
``recompute`` the run's votes and labels computed again from them
(:mod:`~labelwright.runs.verify.recompute`). Each
problem is a :class:`Finding` (the file it is about, and what is wrong); the command prints
them and exits 1 when any run is not :attr:`~RunCheck.ok` (both in
:mod:`~labelwright.runs.verify.run_check`). This module picks the runs and reads what they
share once; each run is checked by :func:`~labelwright.runs.verify.one_run.verify_run`. The
checks of the run's own files are in
:mod:`~labelwright.runs.verify.run_files`, those of the review ledger beside it in
:mod:`~labelwright.runs.verify.ledger_checks`, the inputs' comparison and the
recomputation in :mod:`~labelwright.runs.verify.input_checks`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config import load_config
from labelwright.errors import RunError
from labelwright.runs.erase.records import ErasureLog

# read with the record of erasures; the earlier path still imports it
from labelwright.runs.erase.records import ledger_erasures as ledger_erasures
from labelwright.runs.manifest_chain import ManifestReads, latest_gap
from labelwright.runs.run_folders import LATEST_FILE
from labelwright.runs.store import (
    MANIFEST,
    folders_without_manifest,
    list_runs,
    resolve_run,
)
from labelwright.runs.verify.data import DataReads, given_data

# --inputs and --recompute, in their own module; NO_FRAME still imports from here
from labelwright.runs.verify.input_checks import NO_FRAME as NO_FRAME
from labelwright.runs.verify.input_checks import project_inputs

# one run's checks, in their own module; the earlier path still imports them
from labelwright.runs.verify.one_run import GIVEN_ERASED_NOTE as GIVEN_ERASED_NOTE
from labelwright.runs.verify.one_run import verify_run as verify_run

# a run's checks as data, in their own module; the earlier path still imports them
from labelwright.runs.verify.run_check import Finding as Finding
from labelwright.runs.verify.run_check import RunCheck as RunCheck
from labelwright.runs.verify.run_files import manifest_anchor

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.core import LabelingFunction
    from labelwright.runs.verify.fresh import Fresh


def verify_runs(project: str | Path = ".", run: str | None = None, *, every: bool = False,
                inputs: bool = False, recompute: bool = False,
                data: pd.DataFrame | str | Path | None = None,
                lfs: Sequence[LabelingFunction] = (),
                glossaries: Sequence[Mapping[str, Any] | Glossary] = (),
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
    recomputed. ``glossaries``: the glossaries made in the session
    (``project.with_glossaries(...)``: dicts or :class:`~labelwright.glossaries.core.
    Glossary`), likewise compared by their sha256 and matched with the project's (a name a
    glossary file has is a ValueError); without them the run is not recomputed either.
    ``manifest_sha256``: the sha256 of the run's ``manifest.json`` as kept
    elsewhere (``runs show`` prints it); another hash now is a problem (not with
    ``every``: ValueError)."""
    return list(iter_verify(project, run, every=every, inputs=inputs, recompute=recompute,
                            data=data, lfs=lfs, glossaries=glossaries,
                            manifest_sha256=manifest_sha256))


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
                glossaries: Sequence[Mapping[str, Any] | Glossary] = (),
                manifest_sha256: str | None = None) -> Iterator[RunCheck]:
    """:func:`verify_runs`, one run at a time, as each is checked (the command prints each
    run's lines before hashing the next)."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.retirements import read_retirements
    from labelwright.runs.pruned import archived_runs, named_archive
    from labelwright.runs.verify.archives import archive_check
    from labelwright.startup import spacy_for

    if every and run is not None:
        raise ValueError(f"a run ({run!r}) and every run: give one or the other")
    check_manifest_sha256(manifest_sha256, every=every)
    config = load_config(project)
    runs_dir = config.runs_path
    archived = named_archive(runs_dir, run) if run is not None else None
    if archived is not None:  # pruned, its manifest and sources kept
        yield archive_check(runs_dir, archived)
        return
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
    current = (project_inputs(config, frame, lfs, glossaries)  # hashed once
               if inputs or recompute else None)
    reads = DataReads()  # each data file hashed, and its texts read, once for every run
    fresh: list[Fresh] = []  # the project applied without caches: once, when first needed
    erasures = ErasureLog(runs_dir)  # runs/ERASURES.jsonl: read once, when first needed
    # every: the archives of pruned runs (their manifest and sources), links of the chain,
    # in their place among the runs
    archives = {r.run_id: r for r in archived_runs(runs_dir)} if every else {}
    # every: each manifest read once, the next run's link to a run checked from the same read
    manifests = ManifestReads(runs_dir) if every else None
    named_gone: set[str] = set()  # the runs gone by hand a check named: told once
    for run_dir in run_dirs:
        for run_id in [r for r in sorted(archives) if r < run_dir.name]:
            yield archive_check(runs_dir, archives.pop(run_id))
        check = verify_run(run_dir, config, ledger=ledger, decisions=decisions,
                           records=records, inputs=current,
                           recompute=fresh if recompute else None, frame=frame,
                           data_file=given, reads=reads, erasures=erasures,
                           manifests=manifests)
        if manifest_sha256 is not None and check.readable:
            anchored = manifest_anchor(run_dir, manifest_sha256)
            check.problems += anchored
            check.notes += [] if anchored else [
                f"{MANIFEST}: its sha256 is the one given with --manifest-sha256"]
        named_gone.update(f.run_id for f in check.problems if f.run_id)
        yield check
    for run_id in sorted(archives):  # archives newer than every run folder left
        yield archive_check(runs_dir, archives[run_id])
    if every or run is None:  # the latest run gone by hand: no folder left to check
        gone = latest_check(runs_dir)
        if gone is not None:
            named_gone.add(gone.run_dir.name)
            yield gone
    if every:  # runs gone by hand that only the records of rewritten files still name
        from labelwright.runs.verify.recorded_runs import recorded_gone

        yield from recorded_gone(runs_dir, erasures, named_gone)


def latest_check(runs_dir: Path) -> RunCheck | None:
    """A check of the run ``runs/LATEST`` names, when its folder is gone and was not
    pruned (:func:`~labelwright.runs.manifest_chain.latest_gap`): its one problem says so.
    Without it, deleting the latest run left a runs folder whose newest run verifies ok."""
    gap = latest_gap(runs_dir)
    if gap is None:
        return None
    return RunCheck(runs_dir / gap.run_id, readable=False,
                    problems=[Finding(f"runs/{LATEST_FILE}", str(gap), gap.run_id)])
