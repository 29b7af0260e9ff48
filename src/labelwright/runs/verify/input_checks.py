"""``runs verify --inputs`` and ``--recompute`` (:mod:`~labelwright.runs.verify.runs`): the
project's inputs hashed now, the items whose text is not a run's, and a run's votes and
labels computed again from the inputs (:mod:`~labelwright.runs.verify.recompute`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.config import ProjectConfig
from labelwright.config.data_override import ran_on_frame
from labelwright.runs.verify.kept_project import kept_sources_gap

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.core import LabelingFunction
    from labelwright.review.decisions.ledger_digests import RowsChange
    from labelwright.runs.erase.records import ErasureLog
    from labelwright.runs.item_texts import TextChanges
    from labelwright.runs.verify.data import DataReads
    from labelwright.runs.verify.fresh import Fresh
    from labelwright.runs.verify.inputs import InputCheck, ProjectInputs
    from labelwright.runs.verify.recomputed import Recomputed


def _name_changed_items(check: InputCheck, run_dir: Path, manifest: dict[str, Any],
                        config: ProjectConfig, frame: pd.DataFrame | None,
                        reads: DataReads | None = None, erasures: ErasureLog | None = None
                        ) -> list[str] | None:
    """To a changed data file or DataFrame, the items whose text is not the run's, added
    or gone, read from the data now (:func:`~labelwright.runs.item_texts.texts_since`;
    ``reads``: the data files read already, each read once; ``erasures``: the runs
    folder's record of erasures, when read already). Returns the items the run labeled
    that the data no longer holds: [] when the data is the run's (compared and unchanged),
    None when that cannot be told (not compared, or the items not named)."""
    from dataclasses import replace

    from labelwright.runs.erase.records import erased_lines
    from labelwright.runs.item_texts import since_lines, texts_since
    from labelwright.runs.verify.data import DataReads
    from labelwright.runs.verify.gold_since import gold_changed_since, gold_line

    reads = reads or DataReads()  # the texts and the gold labels read once
    gone: list[str] | None = ([] if {"data file", "data parts", "DataFrame"}
                              & set(check.checked) else None)
    for k, change in enumerate(check.changes):
        if change.what in ("data file", "DataFrame"):
            gone = None
            if change.now is None:
                continue
            found = texts_since(run_dir, manifest, config, frame, reads)
            lines = since_lines(found)
            gold: list[str] | None = None
            if not isinstance(found, str):
                gone = list(found.removed)
                if found.removed:
                    lines += erased_lines(run_dir.parent, found.removed, log=erasures)
                gold = gold_changed_since(run_dir, manifest, config, frame, reads)
                lines += [gold_line(gold)] if gold != [] else []
            check.changes[k] = replace(change, items=tuple(lines))
            if change.what == "data file" and not isinstance(found, str) and gold == [] \
                    and _erased_alone(run_dir.parent, found, erasures,
                                      manifest.get("started_at")):
                check.erased.append(check.changes[k])
    parts_changed, removed = _name_part_items(check, run_dir, manifest, config, reads)
    check.changes = [c for c in check.changes if c not in check.erased]
    return removed if parts_changed else gone


def _name_part_items(check: InputCheck, run_dir: Path, manifest: dict[str, Any],
                     config: ProjectConfig, reads: DataReads | None
                     ) -> tuple[bool, list[str] | None]:
    """To each changed part of a dataset in many files, the items of that part whose text
    is not the run's, added or gone (the data read once for all of them): a changed part
    said only its two hashes, though the run keeps a text hash per item. Returns whether a
    part changed, and the items gone (None: not known)."""
    from dataclasses import replace

    from labelwright.runs.item_texts import since_lines, texts_since
    from labelwright.runs.manifest import project_path

    parts = [k for k, c in enumerate(check.changes) if c.what == "data part"]
    if not parts:
        return False, None
    found = texts_since(run_dir, manifest, config, None, reads)
    if not isinstance(found, str):  # named as the part changes name them
        found = replace(found, part={i: project_path(Path(p), config.root)
                                     for i, p in found.part.items()})
    for k in parts:
        change = check.changes[k]
        mine = found if isinstance(found, str) else found.of_part(change.key or change.name)
        told = isinstance(mine, str) or mine.part or mine.moved
        lines = since_lines(mine) if told else [
            "item texts: every item of this part the run labeled has its text and none was "
            "added or removed (the change is elsewhere: other columns, the rows' order)"]
        check.changes[k] = replace(change, items=tuple(lines))
    return True, None if isinstance(found, str) else list(found.removed)


def _gone_from(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
               reads: DataReads | None = None) -> list[str] | None:
    """The items the run labeled that the data ``config`` reads (the file the run read, as
    it is now) no longer holds; None when that cannot be told. ``runs verify --data``
    compares a run with the day's file kept elsewhere, which holds the items erased since:
    whether an erasure took place is told by the project's data, not by that file."""
    from labelwright.runs.item_texts import texts_since

    found = texts_since(run_dir, manifest, config, None, reads)
    return None if isinstance(found, str) else list(found.removed)


def _erased_alone(runs_dir: Path, found: TextChanges, erasures: ErasureLog | None,
                  started_at: Any) -> bool:
    """Whether the data's items differ from the run's only by items gone that an erasure
    in ``runs/ERASURES.jsonl`` made since the run started (``started_at``, its manifest's)
    names: no item added, none with another text. An erasure before the run is not why
    the run's items are gone (the item came back, and went again unrecorded)."""
    from labelwright.review.decisions.decision_times import parse_time
    from labelwright.runs.erase.records import ErasureLog

    if found.changed or found.added or not found.removed:
        return False
    started = parse_time(started_at)
    if started is None:  # every run records it: when the run was is not known
        return False
    # erased_at is recorded to the second: one in the second the run started is taken
    # as after it (erase refuses to run beside a run, and runs are often that quick)
    started = started.replace(microsecond=0)
    try:
        records = (erasures if erasures is not None else ErasureLog(runs_dir)).records()
    except Exception:  # noqa: BLE001 - an unreadable record accounts for nothing (said)
        return False
    erased = {item for e in records if (when := parse_time(e.erased_at)) is not None
              and when >= started for item in e.items}
    return all(item in erased for item in found.removed)


def _recompute(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
               inputs: InputCheck, ledger_problem: RowsChange | None, decisions: Sequence[Any],
               fresh: list[Fresh], frame: pd.DataFrame | None,
               lfs: Sequence[LabelingFunction] = (),
               glossaries: Sequence[Glossary] = ()) -> Recomputed:
    """:func:`~labelwright.runs.verify.recompute.recompute_run`, applying the project without
    caches once for every run it is asked for (only when its inputs are the run's), and
    again for a run that read another file (given with ``--data``) or a DataFrame
    (``frame``; refused without it)."""
    from labelwright.runs.verify.fresh import apply_fresh
    from labelwright.runs.verify.recompute import recompute_run
    from labelwright.runs.verify.recomputed import Recomputed

    if ran_on_frame(manifest) and frame is None:
        return Recomputed(refused=NO_FRAME, refused_short="the run read a DataFrame, none given")
    if inputs.erased:  # accounted for, but the data is not the run's
        return Recomputed(refused=ERASED_ROWS, refused_short="rows erased since the run")
    gap = kept_sources_gap(run_dir, manifest, inputs, config.root) if inputs else None
    if gap == "":  # the files it read edited since, each kept: rebuilt from its copies
        return _recompute_kept(run_dir, manifest, config, ledger_problem, decisions, frame,
                               lfs, glossaries)
    if fresh and fresh[0].dataset.source != str(config.data.path):
        fresh.clear()  # one at a time: each holds its dataset
    if not inputs and not fresh:
        fresh.append(apply_fresh(config, frame, lfs, glossaries))
    return recompute_run(run_dir, manifest, config, inputs, ledger_problem=ledger_problem,
                         decisions=decisions, fresh=fresh[0] if fresh else None,
                         kept_gap=gap or "")


def _recompute_kept(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                    ledger_problem: RowsChange | None, decisions: Sequence[Any],
                    frame: pd.DataFrame | None, lfs: Sequence[LabelingFunction],
                    glossaries: Sequence[Glossary]) -> Recomputed:
    """The run recomputed in its project rebuilt from its kept sources
    (:func:`~labelwright.runs.verify.kept_project.kept_project`), when that project's
    inputs are all the run's; else refused, naming what still differs."""
    from labelwright.errors import ConfigError
    from labelwright.models.project_modules import shared_by_content
    from labelwright.runs.verify.fresh import apply_fresh
    from labelwright.runs.verify.kept_project import kept_project
    from labelwright.runs.verify.recompute import recompute_run
    from labelwright.runs.verify.recomputed import Recomputed

    refused = ("the project's inputs are not the ones the run read (see inputs), and the "
               "project rebuilt from the run's kept sources")
    try:
        # each run's project is rebuilt in a folder of its own: a label model module kept
        # alike by several runs is imported once (for the first), not once per run
        with kept_project(run_dir, manifest, config, frame, lfs, glossaries) as kept, \
                shared_by_content():
            if kept.inputs:
                still = "; ".join([*map(str, kept.inputs.changes), *kept.inputs.problems])
                return Recomputed(refused_short="the project's inputs are not the run's",
                                  refused=f"{refused} ({kept.shown}/) still differs from "
                                          f"them ({still}): nothing recomputed")
            result = recompute_run(run_dir, manifest, kept.config, kept.inputs,
                                   ledger_problem=ledger_problem, decisions=decisions,
                                   fresh=apply_fresh(kept.config, frame, lfs, glossaries))
            result.from_sources = f"{kept.shown}/"
            return result
    except ConfigError as exc:  # the run's config, not one this labelwright reads
        return Recomputed(refused_short="the project's inputs are not the run's",
                          refused=f"{refused} cannot be read: {exc}: nothing recomputed")


#: why a run whose data lost erased rows is not recomputed from the data now
ERASED_ROWS = ("the data file lost the rows of items erased since the run (see inputs), so "
               "votes computed now would differ for that reason: nothing recomputed "
               "(`runs verify --recompute --data FILE` with the file as the run read it "
               "recomputes it)")

#: why a run that read a DataFrame is not recomputed without one
NO_FRAME = ("the run read a pandas DataFrame, not a file, and runs verify has no frame to "
            "apply the LFs to: nothing recomputed (from Python, labelwright.verify_runs(path, "
            "run, recompute=True, data=df) recomputes it from a frame you still have)")


def project_inputs(config: ProjectConfig, frame: pd.DataFrame | None,
                    lfs: Sequence[LabelingFunction],
                    glossaries: Sequence[Mapping[str, Any] | Glossary] = ()) -> ProjectInputs:
    """The project's inputs hashed now (:func:`~labelwright.runs.verify.inputs.project_inputs`),
    with ``frame`` (``data=``) for the runs that read a DataFrame and the session's ``lfs``
    and ``glossaries`` beside the project's."""
    from labelwright.runs.verify.inputs import (
        project_inputs,
        with_frame,
        with_session_glossaries,
        with_session_lfs,
    )

    inputs = with_session_lfs(with_frame(project_inputs(config), frame), lfs)
    return with_session_glossaries(inputs, glossaries, config.labels)
