"""Where one item's label came from: its text, every vote, the glossary terms, the review.

>>> exp = explain_item("path/to/project", "t42")            # doctest: +SKIP
>>> exp.label, exp.label_source, [v.lf for v in exp.votes if v.vote is not None]

Votes, probabilities and the label are read from the run (its ``label_matrix.parquet``,
``labels.parquet`` and ``manifest.json``), so they are what the run produced even if the
project changed since (the label model's own view of a reviewed item:
:mod:`~labelwright.runs.explain.model`); the review decisions are the ledger's, as
:mod:`~labelwright.runs.explain.reviews` marks and settles them; the text, the fields and
the glossary matches are recomputed from the project's current dataset, glossaries and
pipeline, with a warning where those differ from the ones the run recorded
(:mod:`~labelwright.runs.explain.text`). :class:`Explanation` holds the lot
(:mod:`~labelwright.runs.explain.explanation`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.apply.cache_keys import lf_module_files
from labelwright.apply.item_fields import missing_as_none
from labelwright.config import load_config
from labelwright.data.ids import id_value
from labelwright.errors import RunError
from labelwright.errors import UnknownItemError as UnknownItemError
from labelwright.runs.erase.records import Erasure, erased_items
from labelwright.runs.explain.checks import module_changes, row_contradictions
from labelwright.runs.explain.explanation import DecisionsFor as DecisionsFor
from labelwright.runs.explain.explanation import Explanation as Explanation
from labelwright.runs.explain.explanation import Vote as Vote
from labelwright.runs.explain.label import end_model_label, label_notes
from labelwright.runs.explain.lookup import MAX_SUGGESTIONS as MAX_SUGGESTIONS
from labelwright.runs.explain.lookup import close_ids as close_ids
from labelwright.runs.explain.lookup import item_row, matrix_row, run_file
from labelwright.runs.explain.model import model_view
from labelwright.runs.explain.queue_place import queue_place
from labelwright.runs.explain.reviews import item_decisions, settle_item
from labelwright.runs.explain.reviews import ledger_decisions as ledger_decisions
from labelwright.runs.explain.text import recompute_text
from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE
from labelwright.runs.label_model_record import reused_words
from labelwright.runs.label_set import run_label_set
from labelwright.runs.lf_failures import failed_here
from labelwright.runs.manifest import project_path
from labelwright.runs.session_lfs import session_notes
from labelwright.runs.sources import KeptSources
from labelwright.runs.store import changed_output, read_manifest, resolve_run

if TYPE_CHECKING:
    import pandas as pd


def explain_item(
    root: str | Path,
    item_id: str | int,
    run: str | None = None,
    *,
    decisions_for: DecisionsFor | None = None,
    data: pd.DataFrame | None = None,
) -> Explanation:
    """Explain the label of ``item_id`` in ``run`` (default: the latest run).

    ``decisions_for`` returns the review decisions of an item; by default the project's
    review ledger is read when it exists (see :func:`ledger_decisions`). ``data``: the
    pandas DataFrame a run on one read (``run_project(path, data=df)``), given again for
    the item's text and fields; without it they come from the project's data file, with a
    warning. Ids are text (an id given as a number is the text of that number, as
    ``result.frame`` matches them).
    """
    item_id = id_value(item_id, "explain_item", "item_id")
    config = load_config(root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    manifest = read_manifest(run_dir)
    labels = run_label_set(config, manifest)
    warnings: list[str] = []

    labels_path = run_file(run_dir, LABELS_FILE, "labels")
    edited = [problem for name in (LABELS_FILE, MATRIX_FILE)
              if (problem := changed_output(run_dir, manifest, name)) is not None
              and (run_dir / name).is_file()]  # a missing one: error below
    warnings += [f"{run_dir / problem}: what it says below may not be the run's; "
                 "`labelwright runs verify` checks every file" for problem in edited]
    # an LF whose module changed since is shown in the run's copy (runs before it: as then)
    kept = KeptSources(run_dir, manifest, config.root)
    if "lf_modules" in manifest:
        recorded_modules = {m["name"]: m["sha256"] for m in manifest["lf_modules"]}
        moved = module_changes(recorded_modules, lf_module_files(config.lf_path))
        if moved:
            warnings.append(f"LF modules changed since run {manifest.get('run_id')}: "
                            f"{moved}; the votes shown are the run's"
                            + (f", and the code of an LF in a changed module is in the "
                               f"run's copy ({kept.folder()})" if kept else ""))
    try:
        row, index = item_row(labels_path, item_id)
    except UnknownItemError as exc:
        raise _erased_since(item_id, run_dir) or _edited_since(exc, run_dir, edited) from None
    warnings += row_contradictions(row, labels_path)

    try:
        matrix = matrix_row(run_dir, index, item_id)
    except RunError as exc:
        raise _edited_since(exc, run_dir, edited) from None
    lf_info = {lf["name"]: lf for lf in manifest.get("labeling_functions", [])}
    # LFs made in the session: where their code is, as no project file holds it
    session = session_notes(manifest, project_path(run_dir, config.root))
    raised = _raised_here(run_dir, manifest, index, warnings)
    votes = []
    for name, code in matrix.items():
        if name == "id":
            continue
        info = lf_info.get(name, {})
        vote = labels[code] if code is not None and 0 <= code < len(labels) else None
        failure = (manifest.get("failures") or {}).get(name) or {}
        listed = failure.get("item_ids") or []
        failed = (False if vote is not None or not failure else raised[name] if name in raised
                  else True if item_id in listed
                  else None if failure.get("count", 0) > len(listed) else False)
        where = kept.shown(info.get("location", "?")) + (
            f" (made at {kept.shown(info['made_at'])})" if info.get("made_at") else "") + (
            f" ({session[name]})" if name in session else "")
        votes.append(Vote(name, info.get("kind", "?"), where, vote, failed,
                          int(failure.get("count", 0))))
    warnings += [f"{copy}: missing or changed since the run wrote it, so the LFs in it are "
                 "shown where the run recorded them, which its project file may no longer "
                 "hold; `labelwright runs verify` checks every file"
                 for copy in sorted(kept.broken)]

    erasure = erased_items(run_dir.parent).get(item_id)
    if erasure is not None:  # its row deleted and its texts taken out: nothing to show
        warnings.append(f"item {item_id!r}: its text was {erasure.describe()} "
                        "(`labelwright erase`); its votes, labels and reviews are the run's")
    text, fields, matches = (recompute_text(config, manifest, run_dir, item_id, warnings,
                                            kept, data) if erasure is None else (None, {}, []))

    reader, decisions = item_decisions(config, manifest, item_id, decisions_for, warnings,
                                       run_dir)

    # the label is the run's own (its review policy already applied); decisions imported
    # after the run are listed, but only a new run can use them
    label, source = missing_as_none(row.get("label")), str(row.get("label_source", "model"))
    probabilities, model_label = model_view(row, labels, source, run_dir, manifest, matrix,
                                            warnings)
    copied = missing_as_none(row.get("copy_of")) if source == "copy" else None
    copy_of = None if copied is None else str(copied)
    reviews = settle_item(decisions, reader, item_id, config=config, manifest=manifest,
                          run_dir=run_dir, labels=labels, source=source, copy_of=copy_of,
                          warnings=warnings)

    return Explanation(
        item_id=item_id,
        run_id=manifest.get("run_id", run_dir.name),
        run_dir=run_dir,
        text=text,
        fields=fields,
        votes=votes,
        matches=matches,
        probabilities=probabilities,
        model=str(manifest.get("label_model", {}).get("class")
                  or manifest.get("label_model", {}).get("name", "?")),
        label=label,
        confidence=float(row.get("confidence", float("nan"))),
        status=str(row.get("status", "")),
        reasons=[r for r in str(missing_as_none(row.get("reasons")) or "").split(";") if r],
        label_source=source,
        model_label=model_label,
        gold=missing_as_none(row.get("gold")),
        decisions=decisions,
        warnings=warnings,
        settlement=reviews.settlement,
        review_policy=reviews.policy,
        adjudicators=reviews.adjudicators,
        policy_recorded=reviews.recorded,
        label_notes=label_notes(label, source, probabilities, [v.vote for v in votes],
                                manifest.get("label_model") or {}),
        end_model=end_model_label(run_dir, item_id),
        copy_of=copy_of,
        copy_reviewers=reviews.copy_reviewers,
        queue=queue_place(run_dir, row, manifest, item_id),
        chosen=(manifest.get("label_model") or {}).get("chosen"),
        model_reused=reused_words((manifest.get("label_model") or {}).get("from_run")),
        origin=_origin(run_dir, manifest, index, config.root),
    )


def _origin(run_dir: Path, manifest: dict[str, Any], index: int, root: Path) -> str | None:
    """Where the item at ``index`` came from, its file named as the project names files."""
    from dataclasses import replace

    from labelwright.runs.item_origin import item_origin

    found = item_origin(run_dir, manifest, index)
    return None if found is None else str(replace(found, file=project_path(Path(found.file),
                                                                            root)))


def _raised_here(run_dir: Path, manifest: dict[str, Any], index: int,
                 warnings: list[str]) -> dict[str, bool]:
    """Per LF the run lists every failure of (:mod:`labelwright.runs.lf_failures`), whether
    it raised on the item at ``index``; {} with a warning when that file cannot be used (the
    votes then say "abstain, or failed" as for a run without it)."""
    try:
        return failed_here(run_dir, manifest, index)
    except RunError as exc:
        warnings.append(f"{exc}: which LFs raised on the item is known only for the first "
                        "items each raised on; `labelwright runs verify` checks every file")
        return {}


def _edited_since(exc: RunError, run_dir: Path, edited: list[str]) -> RunError:
    """``exc`` (an item the run's files do not hold, or hold at other rows) with the run's
    files that changed since the run wrote them named, when any did: "no item with id
    'm00042'" of a labels.parquet a row was deleted from said that the run never labeled
    the item, where the run's own file had been edited."""
    if not edited:
        return exc
    return type(exc)(f"{exc}; but {'; '.join(str(run_dir / p) for p in edited)}: the run's "
                     "files were edited since, so this does not say what the run labeled; "
                     "`labelwright runs verify` checks every file")


def _erased_since(item_id: str, run_dir: Path) -> UnknownItemError | None:
    """The error for an item a run does not hold because ``labelwright erase`` erased it
    (deleted from the data, its texts erased), naming the erasure and the runs that held
    it; None when no erasure names it. "did you mean 'CL-00791'?" sent an auditor asking
    about an erased contract to other contracts."""
    from labelwright.runs.erase.records import erased_items

    erasure = erased_items(run_dir.parent).get(item_id)
    if erasure is None:
        return None
    held, pruned = runs_holding(run_dir.parent, item_id, erasure)
    held = [r for r in held if r != run_dir.name]
    where = (f"; runs that held it: {', '.join(held)} (`labelwright explain {item_id} "
             "--run RUN` shows its votes, labels and reviews there)" if held else
             "; no run that held it is left")
    if pruned:
        where += f"; pruned since, so not shown: {', '.join(pruned)}"
    return UnknownItemError(f"{run_dir}: no item with id {item_id!r}: it was deleted from "
                            f"the data and its texts {erasure.describe()}{where}")


def runs_holding(runs_dir: Path, item_id: str, erasure: Erasure) -> tuple[list[str], list[str]]:
    """The runs whose labels hold ``item_id`` (their ``labels.parquet``'s ``id`` column
    alone), and the runs the erasure changed files of that were pruned since (their labels
    are gone; they may have held it)."""
    from labelwright.errors import RunError
    from labelwright.runs.erase.records import run_item_ids
    from labelwright.runs.pruned import read_pruned
    from labelwright.runs.run_folders import list_runs

    runs = list_runs(runs_dir) if runs_dir.is_dir() else []
    held = [r for r in runs if item_id in run_item_ids(runs_dir / r)]
    try:
        gone = read_pruned(runs_dir)
    except RunError:  # `runs verify` names the bad line; the runs that held it still said
        gone = {}
    pruned = sorted({f.run_id for f in erasure.files if f.run_id in gone
                     and f.run_id not in runs})
    return held, pruned
