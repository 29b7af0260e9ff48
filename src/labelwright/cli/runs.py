"""Commands: ``runs list | show | verify | diff | prune`` (``runs verify``, ``runs diff`` and
``runs prune`` are in :mod:`~labelwright.cli.runs_verify`, :mod:`~labelwright.cli.runs_diff`
and :mod:`~labelwright.cli.runs_prune`; the sections ``runs show`` says are in
:mod:`~labelwright.cli.show_sections`; ``explain ITEM_ID``, in
:mod:`~labelwright.cli.explain`, is importable from here too)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table
from rich.text import Text

from labelwright.cli.explain import explain as explain
from labelwright.cli.narrow import FittedTable, whole_words
from labelwright.cli.options import OnceGroup, ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, warning
from labelwright.cli.run_summary import label_calibration_lines
from labelwright.cli.runs_diff import diff
from labelwright.cli.runs_prune import prune
from labelwright.cli.runs_verify import verify
from labelwright.cli.show_sections import PARTS_SHOWN as PARTS_SHOWN
from labelwright.cli.show_sections import (
    lf_table,
    say_data,
    say_glossaries,
    say_label_model,
    say_labelwright,
    say_reviews,
    say_scores,
    say_triage,
)
from labelwright.counts import counted
from labelwright.errors import RunError
from labelwright.percent import percent
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import decision_count

if TYPE_CHECKING:
    from labelwright.config.schema import ProjectConfig
    from labelwright.runs.pruned import PrunedRun

runs_app = typer.Typer(cls=OnceGroup, help="List, show, verify, compare and prune runs.",
                       no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)  # warnings, as run and check give them


@runs_app.command("list")
def list_command(project: ProjectDir = Path(".")) -> None:
    """Every finished run, oldest first (run ids sort by time): rows, LFs, model, coverage,
    accuracy on gold, review counts, and which labelwright made it (its code hash: every
    version says 0.1.0)."""
    from labelwright.config import load_config
    from labelwright.runs.manifest_chain import chain_gaps
    from labelwright.runs.store import list_runs

    config = load_config(project)
    runs_dir = config.runs_path
    runs = list_runs(runs_dir)
    _say_not_listed(runs_dir)
    # each manifest read once: the chain's gaps and the table both read them
    manifests, unreadable = _read_manifests(runs_dir, runs)
    for gap in chain_gaps(runs_dir, manifests):  # a run deleted by hand leaves no row
        warning(err, f"{runs_dir}: {gap}")
    _say_pruned(runs_dir)
    if not runs:
        console.print(f"no runs in {runs_dir}; run `labelwright run` first")
        return
    table, failed, labels_of = _runs_table(config, manifests, unreadable)
    console.print(FittedTable(table))  # a row per block where it would not fit: no cut value
    _say_list_notes(config, failed, labels_of)


def _say_not_listed(runs_dir: Path) -> None:
    """What is in ``runs_dir`` that ``runs list`` does not list: runs being written, and
    folders without a manifest or not named like a run."""
    from labelwright.runs.staging import staging_lines
    from labelwright.runs.store import folders_without_manifest, foreign_runs

    for line in staging_lines(runs_dir):  # not runs (yet), but they take room and time
        console.print(f"(not listed: {line})", highlight=False)
    for name in folders_without_manifest(runs_dir):
        warning(err, f"{runs_dir / name}: no manifest.json, so it is not listed (a "
                         "finished run always has one: was it deleted?)")
    for name in foreign_runs(runs_dir):
        warning(err, f"{runs_dir / name}: holds a manifest.json but is not named like a "
                         "run id (YYYYMMDD-HHMMSS-ffffff), so it is not a run labelwright "
                         "lists or reads (a copied or renamed run?)")


def _read_manifests(runs_dir: Path, runs: list[str]
                    ) -> tuple[dict[str, dict[str, Any] | None], dict[str, RunError]]:
    """Each run's manifest (None where it cannot be read), and why each such one cannot."""
    from labelwright.runs.store import read_manifest

    manifests: dict[str, dict[str, Any] | None] = {}
    unreadable: dict[str, RunError] = {}
    for run_id in runs:
        try:
            manifests[run_id] = read_manifest(runs_dir / run_id)
        except RunError as exc:
            manifests[run_id], unreadable[run_id] = None, exc
    return manifests, unreadable


def _say_pruned(runs_dir: Path) -> None:
    """How many runs ``runs prune`` removed, and when the last."""
    from labelwright.runs.pruned import read_pruned

    pruned = read_pruned(runs_dir)
    if pruned:
        console.print(f"({counted(len(pruned), 'run')} pruned by `runs prune`, the last on "
                      f"{max(r.pruned_at for r in pruned.values())[:10]}: "
                      f"{runs_dir / 'PRUNED.jsonl'})", highlight=False)


def _runs_table(config: ProjectConfig, manifests: dict[str, dict[str, Any] | None],
                unreadable: dict[str, RunError]
                ) -> tuple[Table, dict[str, str], dict[str, tuple[str, ...]]]:
    """The table of ``runs list``, a row per run (a warning for each manifest that cannot
    be read, or is misnamed or another project's), the failed runs and why, and each
    run's labels."""
    from labelwright.runs.diff.manifest_changes import gold_items
    from labelwright.runs.outcome import failed as failed_outcome
    from labelwright.runs.outcome import failure_text
    from labelwright.runs.store import misnamed, other_project, project_record

    runs_dir = config.runs_path
    table = Table(title=f"Runs in {runs_dir}", title_justify="left")
    failed: dict[str, str] = {}  # run id -> why it failed (runs.outcome)
    labels_of: dict[str, tuple[str, ...]] = {}  # each run's labels, to name those not the project's
    for header in ("run", "rows", "LFs", "model", "coverage", "accuracy (gold items)",
                   "to review", "reviewed items", "labelwright"):
        table.add_column(header, justify="left" if header in ("run", "model", "labelwright")
                         else "right",
                         no_wrap=header == "run")
    for run_id, m in manifests.items():
        if m is None:  # one unreadable manifest does not hide the other runs
            warning(err, unreadable[run_id])
            table.add_row(run_id, *["?"] * 8)
            continue
        for problem in (misnamed(runs_dir / run_id, m),
                        other_project(runs_dir / run_id, m, project_record(config))):
            if problem:
                warning(err, f"{runs_dir / run_id}: {problem}")
        labels_of[run_id] = manifest_labels(m) or ()
        if failed_outcome(m):
            failed[run_id] = failure_text(m["outcome"])
        counts = m.get("triage", {}).get("counts", {})
        accuracy = ((m.get("evaluation") or {}).get("label_model") or {}).get("accuracy")
        reviews = m.get("reviews")
        table.add_row(
            run_id, str(m.get("data", {}).get("rows", "?")),
            str(len(m.get("labeling_functions", []))), str(m.get("label_model", {}).get("name")),
            percent(m.get("coverage")),
            # reviewed items leave a run's gold: runs' accuracies may cover different items
            percent(accuracy) + (f" ({gold_items(m)})" if accuracy is not None else ""),
            str(counts.get("review", "?")),
            str(reviews.get("items_with_gold", decision_count(reviews))) if reviews else "—",
            made_by(m.get("labelwright_code")),
        )
    return table, failed, labels_of


def _say_list_notes(config: ProjectConfig, failed: dict[str, str],
                    labels_of: dict[str, tuple[str, ...]]) -> None:
    """What the table's last column means, the failed runs, and the runs made with other
    labels than the project's now."""
    from labelwright.runs.own_code import labelwright_code

    console.print(f"labelwright: the code hash of the labelwright that made the run (this "
                  f"one's {labelwright_code()['sha256'][:12]}: `labelwright --version`; —: an "
                  "older labelwright, which recorded none)", highlight=False)
    if failed:
        console.print("failed runs, written but not taken for the latest run (runs/LATEST, "
                      "export, train, review export): "
                      + "; ".join(f"{run_id}: {why}" for run_id, why in failed.items()),
                      highlight=False)
    other = {run_id: labels for run_id, labels in labels_of.items()
             if labels and list(labels) != list(config.labels)}
    if other:
        console.print(f"runs made with other labels than the project's now "
                      f"({', '.join(config.labels)}): " + "; ".join(
                          f"{run_id}: {', '.join(labels)}" for run_id, labels in other.items()),
                      highlight=False)


def made_by(record: object) -> str:
    """A manifest's ``labelwright_code`` in ``runs list``: its sha256's first 12 hex
    digits, or — for a run of an older labelwright, which recorded none."""
    from labelwright.runs.own_code import code_text

    return code_text(record, missing="—")


def _say(line: str | Text, *, highlight: bool = True) -> None:
    """A line of ``runs show``, wrapped between words: a path or a time wider than the
    console is kept whole on a line of its own, where rich folded it over two."""
    text = console.render_str(line, highlight=highlight) if isinstance(line, str) else line
    console.print(whole_words(text, console.width), soft_wrap=True)


@runs_app.command("show")
def show(run: Run = None, project: ProjectDir = Path("."), run_option: RunOption = None) -> None:
    """A run's manifest, summarised: inputs, model, results, outputs."""
    run = either_run(run, run_option, project)
    from labelwright.config import load_config
    from labelwright.runs.pruned import named_archive
    from labelwright.runs.sources import KeptSources, moved_lf_files
    from labelwright.runs.store import other_project, project_record, read_manifest, resolve_run

    config = load_config(project)
    # a run `runs prune --keep-manifests` removed: its archived manifest, said to be one
    archived = named_archive(config.runs_path, run) if run is not None else None
    # the latest run is the one other commands take; a run named is shown whatever it is
    run_dir = (config.runs_path / archived.archive if archived is not None
               else resolve_run(config.runs_path, run, project=config if run is None else None))
    m = read_manifest(run_dir)
    foreign = other_project(run_dir, m, project_record(config))
    if foreign:
        warning(err, f"{run_dir}: {foreign}")
    _say(Text.assemble((f"run {m.get('run_id')}", "bold"), f"  {run_dir}"))
    _say_manifest(config, run_dir, m, archived)
    say_data(_say, m, config)
    say_labelwright(_say, m)
    kept = KeptSources(run_dir, m, config.root)
    console.print(FittedTable(lf_table(m, kept.copy_at)))
    for line in moved_lf_files(kept, m):
        _say(f"  {line}", highlight=False)
    say_glossaries(_say, m)
    say_label_model(_say, m)
    if m.get("reviews"):
        say_reviews(_say, m["reviews"], run_dir)
    say_scores(_say, m)
    if archived is None:  # a pruned run's labels went with its folder
        flagged, unread = label_calibration_lines(run_dir, m)
        for line in flagged:
            _say(f"  {line}", highlight=False)
        if unread:
            warning(err, unread)
    say_triage(_say, m, archived=archived is not None)


def _say_manifest(config: ProjectConfig, run_dir: Path, m: dict[str, Any],
                  archived: PrunedRun | None) -> None:
    """Where a pruned run's manifest was kept (a warning when it is not the one pruned),
    when the run started and finished, and the manifest's own hash."""
    from labelwright.file_hashes import file_sha256
    from labelwright.runs.pruned import pruned_words
    from labelwright.runs.store import MANIFEST

    if archived is not None:
        _say(f"  {pruned_words(config.runs_path, archived)}", highlight=False)
        if file_sha256(run_dir / MANIFEST) != archived.manifest_sha256:
            warning(err, f"{run_dir / MANIFEST}: not the manifest pruned (its sha256 is not "
                    f"the one runs/PRUNED.jsonl recorded): `labelwright runs verify "
                    f"{archived.run_id}` says more")
    _say(f"  started {m.get('started_at')}  finished {m.get('finished_at')}")
    # the manifest holds every other hash, but none of its own: this one, kept where the
    # run folder's writers cannot reach, is what vouches for the manifest itself
    _say(f"  manifest sha256 {file_sha256(run_dir / MANIFEST)} (keep it elsewhere: `runs "
         "verify RUN --manifest-sha256 SHA` checks the manifest against it)", highlight=False)


runs_app.command("verify")(verify)
runs_app.command("diff")(diff)
runs_app.command("prune")(prune)
