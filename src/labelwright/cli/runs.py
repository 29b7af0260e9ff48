"""Commands: ``runs list | show | verify | diff | prune`` and ``explain ITEM_ID``
(``runs prune`` is in :mod:`labelwright.cli.runs_prune`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labelwright.cli.options import ProjectDir
from labelwright.cli.output import make_console, styled, warning
from labelwright.cli.run_summary import (
    applied,
    choice_lines,
    data_settings,
    dirty,
    model_name,
    review_policy,
    reviewers,
    triage_counts,
)
from labelwright.cli.runs_prune import prune
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.runs.manifest import chosen_model, pipeline_text
from labelwright.runs.store import TRAIN_FILES, decision_count
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.runs.inputs import InputCheck
    from labelwright.runs.verify import RunCheck

runs_app = typer.Typer(help="List, show, verify, compare and prune runs.",
                       no_args_is_help=True)
console = make_console()
err = make_console(stderr=True)  # warnings, as run and check give them

RunOption = Annotated[
    str | None, typer.Option("--run", "-r", help="Run id or unique prefix (default: latest).")
]


def _pct(value: Any) -> str:
    return percent(value)


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:+.1f} pts"






@runs_app.command("list")
def list_command(project: ProjectDir = Path(".")) -> None:
    """Every finished run, oldest first (run ids sort by time): rows, LFs, model, coverage,
    accuracy on gold, review counts."""
    from labelwright.config import load_config
    from labelwright.errors import RunError
    from labelwright.runs.diff import gold_items
    from labelwright.runs.pruned import read_pruned
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
    for name in folders_without_manifest(runs_dir):
        warning(err, f"{runs_dir / name}: no manifest.json, so it is not listed (a "
                         "finished run always has one: was it deleted?)")
    for name in foreign_runs(runs_dir):
        warning(err, f"{runs_dir / name}: holds a manifest.json but is not named like a "
                         "run id (YYYYMMDD-HHMMSS-ffffff), so it is not a run labelwright "
                         "lists or reads (a copied or renamed run?)")
    pruned = read_pruned(runs_dir)
    if pruned:
        console.print(f"({counted(len(pruned), 'run')} pruned by `runs prune`, the last on "
                      f"{max(r.pruned_at for r in pruned.values())[:10]}: "
                      f"{runs_dir / 'PRUNED.jsonl'})", highlight=False)
    if not runs:
        console.print(f"no runs in {runs_dir}; run `labelwright run` first")
        return
    table = Table(title=f"Runs in {runs_dir}", title_justify="left")
    labels_of: dict[str, list[str]] = {}  # each run's labels, to name those not the project's
    for header in ("run", "rows", "LFs", "model", "coverage", "accuracy (gold items)",
                   "to review", "reviewed items"):
        table.add_column(header, justify="left" if header in ("run", "model") else "right",
                         no_wrap=header == "run")
    for run_id in runs:
        try:
            m = read_manifest(runs_dir / run_id)
        except RunError as exc:  # one unreadable manifest does not hide the other runs
            warning(err, exc)
            table.add_row(run_id, *["?"] * 7)
            continue
        for problem in (misnamed(runs_dir / run_id, m),
                        other_project(runs_dir / run_id, m, project_record(config))):
            if problem:
                warning(err, f"{runs_dir / run_id}: {problem}")
        labels_of[run_id] = (m.get("project") or {}).get("labels") or []
        counts = m.get("triage", {}).get("counts", {})
        accuracy = ((m.get("evaluation") or {}).get("label_model") or {}).get("accuracy")
        reviews = m.get("reviews")
        table.add_row(
            run_id, str(m.get("data", {}).get("rows", "?")),
            str(len(m.get("labeling_functions", []))), str(m.get("label_model", {}).get("name")),
            _pct(m.get("coverage")),
            # reviewed items leave a run's gold: runs' accuracies may cover different items
            _pct(accuracy) + (f" ({gold_items(m)})" if accuracy is not None else ""),
            str(counts.get("review", "?")),
            str(reviews.get("items_with_gold", decision_count(reviews))) if reviews else "—",
        )
    console.print(table)
    other = {run_id: labels for run_id, labels in labels_of.items()
             if labels and list(labels) != list(config.labels)}
    if other:
        console.print(f"runs made with other labels than the project's now "
                      f"({', '.join(config.labels)}): " + "; ".join(
                          f"{run_id}: {', '.join(labels)}" for run_id, labels in other.items()),
                      highlight=False)


@runs_app.command("show")
def show(run: Annotated[str | None, typer.Argument(help="Run id or prefix (default: latest).")]
         = None, project: ProjectDir = Path(".")) -> None:
    """A run's manifest, summarised: inputs, model, results, outputs."""
    from labelwright.config import load_config
    from labelwright.runs.store import other_project, project_record, read_manifest, resolve_run

    config = load_config(project)
    # the latest run is the one other commands take; a run named is shown whatever it is
    run_dir = resolve_run(config.runs_path, run, project=config if run is None else None)
    m = read_manifest(run_dir)
    foreign = other_project(run_dir, m, project_record(config))
    if foreign:
        warning(err, f"{run_dir}: {foreign}")
    data = m.get("data", {})
    git = m.get("git")
    console.print(Text.assemble((f"run {m.get('run_id')}", "bold"), f"  {run_dir}"))
    console.print(f"  started {m.get('started_at')}  finished {m.get('finished_at')}")
    given = f" (given with {data['path_from']})" if data.get("path_from") else ""
    console.print(f"  data: {data.get('path')}{given}  {counted(data.get('rows'), 'row')} "
                  f"({data.get('gold_rows', 0)} gold)  sha256 {str(data.get('sha256'))[:12]}")
    console.print(f"  {data_settings(data)}", highlight=False)
    labels = (m.get("project") or {}).get("labels")
    if labels:
        console.print(f"  labels: {', '.join(labels)}"
                      + ("" if list(labels) == list(config.labels) else
                         f" (the project's now: {', '.join(config.labels)})"), highlight=False)
    if data.get("schema"):
        console.print("  columns: " + ", ".join(f"{c['name']} ({c['dtype']})"
                                                for c in data["schema"]))
    if git:
        console.print(f"  git: {git['commit'][:12]}" + (f" ({dirty(git)})" if git.get("dirty")
                                                         else ""))
    lfs = Table(title="Labeling functions", title_justify="left")
    for header in ("LF", "kind", "location", "source sha256"):
        lfs.add_column(header)
    for lf in m.get("labeling_functions", []):
        lfs.add_row(lf["name"], lf.get("kind", ""), lf.get("location", ""),
                    str(lf.get("source_sha256", ""))[:12])
    console.print(lfs)
    for g in m.get("glossaries", []):
        console.print(f"  glossary {g['name']} -> {g.get('label')}: "
                      f"{counted(g.get('terms', '?'), 'term')}, "
                      f"sha256 {str(g.get('sha256'))[:12]}")
    if any(lf.get("kind") == "glossary" for lf in m.get("labeling_functions", [])):
        console.print("  (a glossary LF's source sha256 is of its file's sha256, the pipeline "
                      "fingerprint and the matcher's hash, not the file's own: see README, "
                      "\"Hash recipes\")", highlight=False)
    model = m.get("label_model", {})
    params = ", ".join(f"{k}={v}" for k, v in sorted(model.get("params", {}).items()))
    console.print(f"  label model: {model_name(m)}  seed {m.get('seed')}  {params}")
    for line in choice_lines(model):
        console.print(f"  {line}", highlight=False)
    how = applied(m.get("apply"))
    if how:
        console.print(f"  {how}", highlight=False)
    pipeline = m.get("pipeline", {})
    console.print(f"  pipeline: {pipeline_text(pipeline)}, spaCy {pipeline.get('spacy')}",
                  highlight=False)
    reviews = m.get("reviews")
    if reviews:
        sampled = reviews.get("items_from_random_sample")
        console.print(f"  review ledger: {counted(decision_count(reviews), 'decision')}, "
                      f"{counted(reviews.get('items_with_gold', '?'), 'item')} with a reviewed "
                      "label"
                      + (f" ({sampled} from a random sample)" if sampled else "")
                      + f", sha256 {str(reviews.get('ledger_sha256', reviews.get('sha256')))[:12]}")
        policy = review_policy(reviews)
        if policy:
            console.print(f"  {policy}", highlight=False)
        if reviews.get("decisions_renamed"):
            console.print("  read through [project] renamed: " + ", ".join(
                f"{old} as {reviews['renamed'].get(old, '?')} ({n} decision(s))"
                for old, n in reviews["decisions_renamed"].items()), highlight=False)
        if reviews.get("stale_labels"):
            console.print(f"  not used: {reviews['stale_decisions']} decision(s) with a label "
                          "the run did not have (" + ", ".join(
                              f"{label}: {n}" for label, n in reviews["stale_labels"].items())
                          + f"), keeping {reviews.get('stale_items', '?')} item(s) unsettled",
                          highlight=False)
        runs_then = reviews.get("runs_with_other_labels") or {}
        if reviews.get("decisions_without_labels"):
            console.print(f"  used: {reviews['decisions_without_labels']} decision(s) made "
                          "from runs whose reviewers could not choose " + ", ".join(
                              f"{label} ({n})" for label, n in
                              reviews.get("labels_not_offered", {}).items())
                          + "; the runs' labels: " + "; ".join(
                              f"{run_id}: {', '.join(had) if isinstance(had, list) else had}"
                              for run_id, had in runs_then.items()), highlight=False)
        if reviews.get("decisions_readded_labels"):
            console.print("  used: decision(s) for labels dropped and added back since their "
                          "run: " + ", ".join(f"{label} ({n})" for label, n in
                                              reviews["decisions_readded_labels"].items()),
                          highlight=False)
        raters = reviewers(run_dir)
        if raters:
            console.print(f"  reviewers (the run's decisions): {raters}", highlight=False)
    accuracy = ((m.get("evaluation") or {}).get("label_model") or {}).get("accuracy")
    console.print(f"  coverage {_pct(m.get('coverage'))}  accuracy on gold {_pct(accuracy)}")
    console.print(f"  triage: {triage_counts(m.get('triage', {}).get('counts', {}))}",
                  highlight=False)
    from labelwright.copies import copies_line  # numpy, pandas: not at startup
    from labelwright.triage import gold_left_out_line

    for said in (gold_left_out_line(m.get("triage") or {}), copies_line(m.get("triage") or {})):
        if said:
            console.print(f"  {said}", highlight=False)
    for name, failure in (m.get("failures") or {}).items():
        console.print(styled(f"  LF {name} raised on {counted(failure['count'], 'item')}",
                             "red"))
    console.print("  outputs: " + ", ".join(sorted(m.get("outputs", {}))))














@runs_app.command("verify")
def verify(run: Annotated[str | None, typer.Argument(help="Run id or prefix (default: latest).")]
           = None, project: ProjectDir = Path("."),
           every: Annotated[bool, typer.Option("--all", help="Verify every run.")] = False,
           inputs: Annotated[bool, typer.Option(
               "--inputs", help="Also hash the project's inputs now (data file, config, LFs, "
               "LF modules and folder files, glossaries) and name each that differs from what "
               "the run read.")] = False,
           recompute: Annotated[bool, typer.Option(
               "--recompute", help="With the inputs as the run read them (as --inputs "
               "checks), apply the LFs again without the vote and Doc caches and refit the "
               "label model; name each LF whose votes differ from the run's label matrix, "
               "and each label column that differs.")] = False,
           ) -> None:
    """Check that a run's files and the reviews it read are as the run left them: every
    output against the hash in its manifest, and the review ledger's decisions the run read
    against the ledger digest it recorded; with --inputs, also that the project's inputs
    are still the ones the run read; with --recompute, also that its votes and labels are
    what its LFs and label model give again. Exits 1 when anything differs."""
    from labelwright.runs.verify import iter_verify

    if every and run is not None:
        raise typer.BadParameter(f"a run ({run!r}) and --all: give one or the other",
                                 param_hint="--all")
    failed = 0
    for check in iter_verify(project, run, every=every, inputs=inputs, recompute=recompute):
        _print_check(check)
        failed += not check.ok
    if failed:
        raise typer.Exit(1)


def _print_check(check: RunCheck) -> None:
    """A run's lines of ``runs verify``: ok or its problems, notes, files not hashed and,
    with --inputs, how the project's inputs now differ from those the run read."""
    if check.problems:
        console.print(styled(f"{check.run_id}: {len(check.problems)} problem(s)", "red"))
        for problem in check.problems:
            console.print(f"  {problem}", highlight=False)
    else:
        hashed = check.outputs_hashed
        found = (f"{counted(hashed, 'output')} "
                 f"{'matches its hash' if hashed == 1 else 'match their hashes'}"
                 + (f"; its {counted(check.sources_hashed, 'kept source')} "
                    + ("matches" if check.sources_hashed == 1 else "match")
                    if check.sources_hashed else "")
                 + (f"; the {check.ledger_decisions} ledger decisions it read are "
                    "unchanged" if check.ledger_decisions is not None else "")
                 + ("; train's end model and its labels belong together"
                    if check.train_checked else ""))
        if check.ok:
            console.print(f"{check.run_id}: ok ({found})", highlight=False)
        else:  # its files are fine, the inputs or the recomputed votes and labels are not
            console.print(styled(f"{check.run_id}: differs (below); its files are as the run "
                                 f"wrote them ({found})", "red"), highlight=False)
    for note in check.notes:
        console.print(f"  {note}", highlight=False)
    trained = [name for name in check.not_hashed if name in TRAIN_FILES]
    added = [name for name in check.not_hashed
             if name != "report.html" and name not in TRAIN_FILES]
    if "report.html" in check.not_hashed:
        console.print("  not hashed: report.html (built from the manifest after the outputs "
                      "were hashed; `labelwright report` rebuilds it)", highlight=False)
    if trained:
        console.print(f"  not hashed: {', '.join(trained)} (the files `labelwright "
                      "train` writes after a run; not checked against the run here: see the "
                      "lines above)", highlight=False)
    if added:
        console.print(f"  not hashed (added after the run: review exports, or by "
                      f"hand): {', '.join(added)}", highlight=False)
    if check.inputs_note:
        console.print(f"  inputs: {check.inputs_note}")
    elif check.inputs is not None:
        _print_input_changes(check.inputs)
    if check.recomputed is not None:
        from labelwright.runs.recompute import recompute_lines

        for line in recompute_lines(check.recomputed):
            console.print(styled(f"  {line}", "red") if check.recomputed else f"  {line}",
                          highlight=False)


def _print_input_changes(check: InputCheck) -> None:
    """Print how the project's inputs now differ from those the run read."""
    for note in check.notes:
        console.print(f"  inputs: {note}", highlight=False)
    if not check:
        console.print("  inputs: as the run read them ("
                      + (", ".join(check.checked) or "none recorded") + ")", highlight=False)
        return
    differ = len(check.changes)
    console.print(styled(f"  inputs: {counted(differ, 'differs', 'differ')} from what the run "
                         "read" if differ else "  inputs: cannot all be compared", "red"))
    for line in [*map(str, check.changes), *check.problems]:
        console.print(f"    {line}", highlight=False)


@runs_app.command("diff")
def diff(
    run_a: Annotated[str, typer.Argument(help="The earlier run (id or prefix).")],
    run_b: Annotated[str | None, typer.Argument(help="The later run (default: latest).")] = None,
    project: ProjectDir = Path("."),
    examples: Annotated[int, typer.Option(help="Flipped items to show.", min=0)] = 10,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit 1 when the runs' labels or votes differ, 0 when not "
        "(as git diff --exit-code).")] = False,
) -> None:
    """What changed between two runs (LFs, glossaries, data, config, model, reviews, spaCy
    pipeline, packages) and its effect."""
    from labelwright.config import load_config
    from labelwright.runs.diff import diff_runs
    from labelwright.runs.diff_lines import (
        common_gold_line,
        effect_lines,
        gold_items_note,
        input_changes,
    )
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    d = diff_runs(resolve_run(config.runs_path, run_a, project=config),
                  resolve_run(config.runs_path, run_b, project=config), max_examples=examples)
    console.print(styled(f"{d.run_a} -> {d.run_b}", "bold"))
    for line in input_changes(d) or ["inputs: unchanged"]:
        console.print(f"  {line}", highlight=False)
    console.print(f"  items compared: {d.compared}"
                  + (f" ({d.only_a} only in {d.run_a}, {d.only_b} only in {d.run_b})"
                     if d.only_a or d.only_b else ""))
    console.print(f"  labels flipped: {d.flipped}"
                  + (f" ({d.flipped_by_review} to a reviewed label)" if d.flipped_by_review
                     else ""))
    if d.renamed_flips:
        console.print(f"  of which {d.renamed_flips} only renamed: "
                      + ", ".join(f"{old} -> {new}" for old, new in d.label_renames.items())
                      + f" is one label under its new name ([project] renamed of {d.run_b})",
                      highlight=False)
    for line in effect_lines(d):
        console.print(f"  {line}", highlight=False)
    console.print(f"  coverage: {_pct(d.coverage[0])} -> {_pct(d.coverage[1])} "
                  f"({_delta(d.coverage_delta)})")
    if d.accuracy != (None, None):
        # over other items the manifests' change is no change: the next line gives it
        common = common_gold_line(d)
        note = gold_items_note(d)
        tail = note.lstrip() if common else f"({_delta(d.accuracy_delta)}){note}"
        console.print(f"  accuracy on gold: {_pct(d.accuracy[0])} -> {_pct(d.accuracy[1])} "
                      + tail)
        if common:
            console.print(f"  {common}", highlight=False)
    if d.transitions:
        table = Table(title="Flips", title_justify="left")
        for header in ("from", "to", "items"):
            table.add_column(header, justify="right" if header == "items" else "left")
        for (src, dst), n in d.transitions.items():
            table.add_row(src, dst, str(n))
        console.print(table)
    if d.examples:  # --examples 0 asks for none
        shown = Table(title=f"First {len(d.examples)} flipped items", title_justify="left")
        for header in ("id", "from", "to", "confidence"):
            shown.add_column(header)
        for ex in d.examples:
            shown.add_row(str(ex["id"]), ex["from"], ex["to"],
                          f"{ex['confidence_a']:.2f} -> {ex['confidence_b']:.2f}")
        console.print(shown)
    if exit_code and d.labels_or_votes_differ:
        raise typer.Exit(1)


runs_app.command("prune")(prune)


#: characters of an item's text ``explain`` prints unless asked for all of it
EXPLAIN_TEXT_CHARS = 2000


def explain(
    item_id: Annotated[str, typer.Argument(help="The item's id.")],
    run: RunOption = None,
    full_text: Annotated[bool, typer.Option(
        "--full-text", help=f"Print the whole text (default: its first {EXPLAIN_TEXT_CHARS:,} "
        "characters).")] = False,
    project: ProjectDir = Path("."),
) -> None:
    """Where an item's label came from: text, votes, glossary terms, probabilities, reviews."""
    import_spacy(project)
    from labelwright.runs.explain import explain_item

    e = explain_item(project, item_id, run)
    console.print(Text.assemble((f"item {e.item_id}", "bold"), f" in run {e.run_id}"))
    for message in e.warnings:
        warning(err, message)
    if e.text is not None:
        cut = not full_text and len(e.text) > EXPLAIN_TEXT_CHARS
        text = e.text[:EXPLAIN_TEXT_CHARS] if cut else e.text
        console.print(f"  text: {text!r}" + (f" ... (the first {EXPLAIN_TEXT_CHARS:,} of "
                                              f"{len(e.text):,} characters; --full-text "
                                              "prints them all)" if cut else ""),
                      highlight=False)
    for key, value in e.fields.items():  # as the LFs get them: 'nan' text, None a gap
        console.print(f"  {key}: {value!r}", highlight=False)
    votes = Table(title="Votes", title_justify="left")
    for header in ("LF", "kind", "vote", "location"):
        votes.add_column(header)
    for v in e.votes:
        shown = (v.vote if v.vote is not None else styled("failed (raised)", "red") if v.failed
                 else styled("abstain (or failed: the run lists only some of this LF's "
                             "failures)", "dim") if v.failed is None
                 else styled("abstain", "dim"))
        votes.add_row(v.lf, v.kind, shown, v.location)
    console.print(votes)
    if e.matches:
        console.print("Glossary terms matched:")
        for m in e.matches:
            state = styled(f" (cancelled by {m.excluded_by!r})" if m.excluded_by else "", "dim")
            note = f" — {m.note}" if m.note else ""
            console.print(Text.assemble(
                f"  {m.glossary}: {m.text!r} (term {m.term!r}) -> {m.label}", state, note),
                highlight=False)
    else:
        console.print("Glossary terms matched: none")
    probs = ", ".join(f"{label} {p:.3f}" for label, p in e.probabilities.items())
    console.print(f"Label model ({e.model}): "
                  + (probs or f"{e.model_label or '(no label)'} (probabilities not available)"))
    if e.chosen:
        console.print(f"  auto chose {chosen_model(e.chosen)}: {e.chosen.get('reason', '?')}",
                      highlight=False)
    for d in e.decisions:
        imported = (f" (counted as {d['counted_as']})" if d.get("counted_as") else "") + (
            f" (imported by {d['imported_by']})" if d.get("imported_by") else "")
        seen = d.get("blind")  # None: not recorded
        blind = "" if seen is None else ", blind" if seen else ", the run's label shown"
        console.print(f"Review: {d.get('label')} by {d.get('reviewer', '?')}{imported} at "
                      f"{d.get('decided_at', '?')}{blind} from {d.get('source', '?')}"
                      + (" (imported after this run)" if d.get("after_run") else "")
                      + (" (made on another text: not used)" if d.get("other_text") else ""),
                      highlight=False)
    if e.settlement is not None:
        judges = ", ".join(e.adjudicators) or "none"
        console.print(f"Reviews settled: {e.settlement.describe()} ([review] policy "
                      f"{e.review_policy}, adjudicators {judges}"
                      + ("" if e.policy_recorded else
                         ": the project's now, the run did not record its own") + ")",
                      highlight=False)
    label = e.label if e.label is not None else "(no label)"
    reasons = f"; review queue: {', '.join(e.reasons)}" if e.reasons else ""
    console.print(Text.assemble(
        (f"Final label: {label}", "bold"),
        f" (source: {e.label_source}, confidence {e.confidence:.2f}, {e.status}{reasons})"
        + (f"; gold: {e.gold}" if e.gold else "")))
    if e.copy_of is not None:
        by = f" by {', '.join(e.copy_reviewers)}" if e.copy_reviewers else ""
        console.print(f"  its label came from the review of item {e.copy_of!r}{by}, which has "
                      "the same text ([review] copies = \"one\")", highlight=False)
    for note in e.label_notes:
        console.print(f"  note: {note}", highlight=False)
    if e.end_model is not None:
        trained = e.end_model
        what = {"end_model": "the end model's: the run left the item without a label",
                "review": "the reviewed label", "model": "the run's label, trained on",
                "none": "none: the end model cannot read the text"
                }.get(str(trained["label_source"]), str(trained["label_source"]))
        own = trained["own_label"]
        console.print(f"End model (labelwright train on this run): its label "
                      f"{own or '(none)'}"
                      + (f", confidence {trained['own_confidence']:.2f}" if own else "")
                      + f"; end_model_labels.parquet has {trained['label'] or '(no label)'} "
                      f"({what})", highlight=False)
