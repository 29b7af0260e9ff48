"""Commands: ``runs list | show | verify | diff | prune`` (``runs verify``, ``runs diff`` and
``runs prune`` are in :mod:`~labelwright.cli.runs_verify`, :mod:`~labelwright.cli.runs_diff`
and :mod:`~labelwright.cli.runs_prune`; ``explain ITEM_ID``, in
:mod:`~labelwright.cli.explain`, is importable from here too)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from labelwright.caches import ranking_cache_text
from labelwright.cli.explain import explain as explain
from labelwright.cli.narrow import FittedTable, whole_words
from labelwright.cli.options import OnceGroup, ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, styled, warning
from labelwright.cli.run_summary import (
    applied,
    choice_lines,
    data_settings,
    dirty,
    label_calibration_lines,
    model_name,
    review_policy,
    reviewers,
    triage_counts,
    vote_calibration_lines,
)
from labelwright.cli.runs_diff import diff
from labelwright.cli.runs_prune import prune
from labelwright.cli.runs_verify import verify
from labelwright.config.data_override import FRAME
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.runs.label_model_record import reused_words
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import pipeline_text
from labelwright.runs.own_code import code_text
from labelwright.runs.ranking_weights import ranking_weights_text
from labelwright.runs.store import decision_count

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
    from labelwright.errors import RunError
    from labelwright.runs.diff.manifest_changes import gold_items
    from labelwright.runs.manifest_chain import chain_gaps
    from labelwright.runs.outcome import failed as failed_outcome
    from labelwright.runs.outcome import failure_text
    from labelwright.runs.own_code import labelwright_code
    from labelwright.runs.pruned import read_pruned
    from labelwright.runs.staging import staging_lines
    from labelwright.runs.store import (
        folders_without_manifest,
        foreign_runs,
        list_runs,
        misnamed,
        other_project,
        project_record,
        read_manifest,
    )

    config = load_config(project)
    runs_dir = config.runs_path
    runs = list_runs(runs_dir)
    for line in staging_lines(runs_dir):  # not runs (yet), but they take room and time
        console.print(f"(not listed: {line})", highlight=False)
    for name in folders_without_manifest(runs_dir):
        warning(err, f"{runs_dir / name}: no manifest.json, so it is not listed (a "
                         "finished run always has one: was it deleted?)")
    for name in foreign_runs(runs_dir):
        warning(err, f"{runs_dir / name}: holds a manifest.json but is not named like a "
                         "run id (YYYYMMDD-HHMMSS-ffffff), so it is not a run labelwright "
                         "lists or reads (a copied or renamed run?)")
    # each manifest read once: the chain's gaps and the table both read them
    manifests: dict[str, dict[str, Any] | None] = {}
    unreadable: dict[str, RunError] = {}
    for run_id in runs:
        try:
            manifests[run_id] = read_manifest(runs_dir / run_id)
        except RunError as exc:
            manifests[run_id], unreadable[run_id] = None, exc
    for gap in chain_gaps(runs_dir, manifests):  # a run deleted by hand leaves no row
        warning(err, f"{runs_dir}: {gap}")
    pruned = read_pruned(runs_dir)
    if pruned:
        console.print(f"({counted(len(pruned), 'run')} pruned by `runs prune`, the last on "
                      f"{max(r.pruned_at for r in pruned.values())[:10]}: "
                      f"{runs_dir / 'PRUNED.jsonl'})", highlight=False)
    if not runs:
        console.print(f"no runs in {runs_dir}; run `labelwright run` first")
        return
    table = Table(title=f"Runs in {runs_dir}", title_justify="left")
    failed: dict[str, str] = {}  # run id -> why it failed (runs.outcome)
    labels_of: dict[str, tuple[str, ...]] = {}  # each run's labels, to name those not the project's
    for header in ("run", "rows", "LFs", "model", "coverage", "accuracy (gold items)",
                   "to review", "reviewed items", "labelwright"):
        table.add_column(header, justify="left" if header in ("run", "model", "labelwright")
                         else "right",
                         no_wrap=header == "run")
    for run_id in runs:
        m = manifests[run_id]
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
    console.print(FittedTable(table))  # a row per block where it would not fit: no cut value
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


#: a dataset's files ``runs show`` names (the others are counted)
PARTS_SHOWN = 10


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
    from labelwright.file_hashes import file_sha256
    from labelwright.runs.pruned import named_archive, pruned_words
    from labelwright.runs.sources import KeptSources, moved_lf_files
    from labelwright.runs.store import (
        MANIFEST,
        other_project,
        project_record,
        read_manifest,
        resolve_run,
    )

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
    data = m.get("data", {})
    git = m.get("git")
    _say(Text.assemble((f"run {m.get('run_id')}", "bold"), f"  {run_dir}"))
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
    given = f" (given with {data['path_from']})" if data.get("path_from") else ""
    given = " (no file)" if data.get("path_from") == FRAME else given
    _say(f"  data: {data.get('path')}{given}  {counted(data.get('rows'), 'row')} "
         f"({data.get('gold_rows', 0)} gold)  sha256 {str(data.get('sha256'))[:12]}")
    _say(f"  {data_settings(data)}", highlight=False)
    if data.get("parts"):  # a dataset in many files: each file, as runs verify names it
        from labelwright.data.part_files import common_base, shown_part

        parts = data["parts"]
        base = common_base([str(p.get("path")) for p in parts])
        _say(f"  data parts: {counted(len(parts), 'file')}: " + "; ".join(
            f"{shown_part(str(p.get('path')), base)} ({counted(p.get('rows', 0), 'row')}, sha256 "
            f"{str(p.get('sha256'))[:12]})" for p in parts[:PARTS_SHOWN])
            + (f"; and {len(parts) - PARTS_SHOWN} more (the manifest's data.parts lists "
               "them all)" if len(parts) > PARTS_SHOWN else ""), highlight=False)
    labels = manifest_labels(m)
    if labels:
        _say(f"  labels: {', '.join(labels)}"
             + ("" if list(labels) == list(config.labels) else
                f" (the project's now: {', '.join(config.labels)})"), highlight=False)
    if data.get("schema"):
        _say("  columns: " + ", ".join(f"{c['name']} ({c['dtype']})"
                                       for c in data["schema"]))
    if git:
        _say(f"  git: {git['commit'][:12]}" + (f" ({dirty(git)})" if git.get("dirty")
                                                else ""))
    # which labelwright made it: the version names no commit, the code hash does
    version = (m.get("packages") or {}).get("labelwright") if isinstance(
        m.get("packages"), dict) else None
    _say(f"  labelwright: {version or '?'}, code sha256 "
         f"{code_text(m.get('labelwright_code'))}", highlight=False)
    lfs = Table(title="Labeling functions", title_justify="left")
    for header in ("LF", "kind", "location", "source sha256"):
        lfs.add_column(header)
    kept = KeptSources(run_dir, m, config.root)
    for lf in m.get("labeling_functions", []):
        copy = kept.copy_at(str(lf.get("location", "")))
        lfs.add_row(lf["name"], lf.get("kind", ""),
                    f"{copy} (the run's copy)" if copy else lf.get("location", ""),
                    str(lf.get("source_sha256", ""))[:12])
    console.print(FittedTable(lfs))
    for line in moved_lf_files(kept, m):
        _say(f"  {line}", highlight=False)
    for g in m.get("glossaries", []):
        _say(f"  glossary {g['name']} -> {g.get('label')}: "
             f"{counted(g.get('terms', '?'), 'term')}, "
             f"sha256 {str(g.get('sha256'))[:12]}")
    if any(lf.get("kind") == "glossary" for lf in m.get("labeling_functions", [])):
        _say("  (a glossary LF's source sha256 is of its file's sha256, the pipeline "
             "fingerprint and the matcher's hash, not the file's own: see README, "
             "\"Hash recipes\")", highlight=False)
    model = m.get("label_model", {})
    params = ", ".join(f"{k}={v}" for k, v in sorted(model.get("params", {}).items()))
    _say(f"  label model: {model_name(m)}  seed {m.get('seed')}  {params}")
    reused = reused_words(model.get("from_run"))
    if reused:  # its numbers are that fit's, on that run's reviews
        _say(f"  label model {reused}, not fit in this run", highlight=False)
    for line in choice_lines(model):
        _say(f"  {line}", highlight=False)
    how = applied(m.get("apply"))
    if how:
        _say(f"  {how}", highlight=False)
    ranked = ranking_cache_text((m.get("triage") or {}).get("ranking_cache"))
    if ranked:
        _say(f"  {ranked}", highlight=False)
    weights = ranking_weights_text((m.get("triage") or {}).get("ranking_weights_evidence"))
    if weights:
        _say(f"  {weights}", highlight=False)
    pipeline = m.get("pipeline", {})
    _say(f"  pipeline: {pipeline_text(pipeline)}, spaCy {pipeline.get('spacy')}",
         highlight=False)
    reviews = m.get("reviews")
    if reviews:
        sampled = reviews.get("items_from_random_sample")
        _say(f"  review ledger: {counted(decision_count(reviews), 'decision')}, "
             f"{counted(reviews.get('items_with_gold', '?'), 'item')} with a reviewed "
             "label"
             + (f" ({sampled} from a random sample)" if sampled else "")
             + (f", {reviews['decisions_retired']} retired (review retire)"
                if reviews.get("decisions_retired") else "")
             + f", sha256 {str(reviews.get('ledger_sha256', reviews.get('sha256')))[:12]}")
        policy = review_policy(reviews)
        if policy:
            _say(f"  {policy}", highlight=False)
        if reviews.get("decisions_renamed"):
            _say("  read through [project] renamed: " + ", ".join(
                f"{old} as {reviews['renamed'].get(old, '?')} ({n} decision(s))"
                for old, n in reviews["decisions_renamed"].items()), highlight=False)
        if reviews.get("stale_labels"):
            _say(f"  not used: {reviews['stale_decisions']} decision(s) with a label "
                 "the run did not have (" + ", ".join(
                     f"{label}: {n}" for label, n in reviews["stale_labels"].items())
                 + f"), keeping {reviews.get('stale_items', '?')} item(s) unsettled",
                 highlight=False)
        runs_then = reviews.get("runs_with_other_labels") or {}
        if reviews.get("decisions_without_labels"):
            _say(f"  used: {reviews['decisions_without_labels']} decision(s) made "
                 "from runs whose reviewers could not choose " + ", ".join(
                     f"{label} ({n})" for label, n in
                     reviews.get("labels_not_offered", {}).items())
                 + "; the runs' labels: " + "; ".join(
                     f"{run_id}: {', '.join(had) if isinstance(had, list) else had}"
                     for run_id, had in runs_then.items()), highlight=False)
        if reviews.get("decisions_readded_labels"):
            _say("  used: decision(s) for labels dropped and added back since their "
                 "run: " + ", ".join(f"{label} ({n})" for label, n in
                                     reviews["decisions_readded_labels"].items()),
                 highlight=False)
        raters = reviewers(run_dir)
        if raters:
            _say(f"  reviewers (the run's decisions): {raters}", highlight=False)
    accuracy = ((m.get("evaluation") or {}).get("label_model") or {}).get("accuracy")
    _say(f"  coverage {percent(m.get('coverage'))}  accuracy on gold {percent(accuracy)}")
    for line in vote_calibration_lines(m.get("evaluation") or {}):
        _say(f"  {line}", highlight=False)
    if archived is None:  # a pruned run's labels went with its folder
        flagged, unread = label_calibration_lines(run_dir, m)
        for line in flagged:
            _say(f"  {line}", highlight=False)
        if unread:
            warning(err, unread)
    _say(f"  triage: {triage_counts(m.get('triage', {}).get('counts', {}))}",
         highlight=False)
    from labelwright.copies import copies_line  # numpy, pandas: not at startup
    from labelwright.triage.draw_records import gold_left_out_line

    for said in (gold_left_out_line(m.get("triage") or {}), copies_line(m.get("triage") or {})):
        if said:
            _say(f"  {said}", highlight=False)
    for name, failure in (m.get("failures") or {}).items():
        _say(styled(f"  LF {name} raised on {counted(failure['count'], 'item')}",
                    "red"))
    _say(("  outputs (pruned with its folder): " if archived is not None else "  outputs: ")
         + ", ".join(sorted(m.get("outputs", {}))))


runs_app.command("verify")(verify)
runs_app.command("diff")(diff)
runs_app.command("prune")(prune)
