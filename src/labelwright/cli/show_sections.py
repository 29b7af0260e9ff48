"""The sections of ``runs show``, in the order it says them: the data, the code that made
the run, the label model, the reviews and the results. Each is said through the ``say`` it
is given (a line, ``highlight`` as rich's), so :mod:`~labelwright.cli.runs` keeps the one
console and wraps every line the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.table import Table

from labelwright.caches import ranking_cache_text
from labelwright.cli.output import styled
from labelwright.cli.run_summary import (
    applied,
    choice_lines,
    data_settings,
    dirty,
    model_name,
    review_policy,
    reviewers,
    skipped_setting,
    triage_counts,
    vote_calibration_lines,
)
from labelwright.config.data_override import FRAME
from labelwright.counts import counted, number
from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
from labelwright.percent import percent
from labelwright.runs.label_model_record import reused_words
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import pipeline_text
from labelwright.runs.own_code import code_text
from labelwright.runs.ranking_weights import ranking_weights_text
from labelwright.runs.store import decision_count

if TYPE_CHECKING:
    from labelwright.config.schema import ProjectConfig

#: says one line of ``runs show``: ``say(line, highlight=...)``
Say = Callable[..., None]

#: a dataset's files ``runs show`` names (the others are counted)
PARTS_SHOWN = 10


def say_data(say: Say, m: dict[str, Any], config: ProjectConfig) -> None:
    """The dataset the run read: its file, rows and hash, settings, files, labels and
    columns."""
    data = m.get("data", {})
    given = f" (given with {data['path_from']})" if data.get("path_from") else ""
    given = " (no file)" if data.get("path_from") == FRAME else given
    say(f"  data: {data.get('path')}{given}  {counted(data.get('rows'), 'row')} "
        f"({number(data.get('gold_rows', 0))} gold)  sha256 {str(data.get('sha256'))[:12]}")
    skipped = data.get("skipped_rows")
    if isinstance(skipped, dict) and skipped.get("count"):  # rows no item was made of
        say(f"  left out as read: {counted(skipped['count'], 'row')} of the data "
            f"({skipped_setting(skipped)}), not among the rows above; each is listed in the "
            f"run's {skipped.get('file') or SKIPPED_ROWS_FILE}", highlight=False)
    say(f"  {data_settings(data)}", highlight=False)
    if data.get("parts"):  # a dataset in many files: each file, as runs verify names it
        from labelwright.data.part_files import common_base, shown_part

        parts = data["parts"]
        base = common_base([str(p.get("path")) for p in parts])
        say(f"  data parts: {counted(len(parts), 'file')}: " + "; ".join(
            f"{shown_part(str(p.get('path')), base)} ({counted(p.get('rows', 0), 'row')}"
            + (f", {number(p['skipped'])} skipped" if p.get("skipped") else "")
            + f", sha256 {str(p.get('sha256'))[:12]})" for p in parts[:PARTS_SHOWN])
            + (f"; and {number(len(parts) - PARTS_SHOWN)} more (the manifest's data.parts "
               "lists them all)" if len(parts) > PARTS_SHOWN else ""), highlight=False)
    labels = manifest_labels(m)
    if labels:
        say(f"  labels: {', '.join(labels)}"
            + ("" if list(labels) == list(config.labels) else
               f" (the project's now: {', '.join(config.labels)})"), highlight=False)
    if data.get("schema"):
        say("  columns: " + ", ".join(f"{c['name']} ({c['dtype']})" for c in data["schema"]))


def say_labelwright(say: Say, m: dict[str, Any]) -> None:
    """The commit the project was at, and which labelwright made the run: the version
    names no commit, the code hash does."""
    git = m.get("git")
    if git:
        say(f"  git: {git['commit'][:12]}" + (f" ({dirty(git)})" if git.get("dirty") else ""))
    version = (m.get("packages") or {}).get("labelwright") if isinstance(
        m.get("packages"), dict) else None
    say(f"  labelwright: {version or '?'}, code sha256 "
        f"{code_text(m.get('labelwright_code'))}", highlight=False)


def lf_table(m: dict[str, Any], copy_at: Callable[[str], str | None]) -> Table:
    """The run's labeling functions: name, kind, where (the run's kept copy of the file,
    ``copy_at(location)``, where it has one) and source hash."""
    lfs = Table(title="Labeling functions", title_justify="left")
    for header in ("LF", "kind", "location", "source sha256"):
        lfs.add_column(header)
    for lf in m.get("labeling_functions", []):
        copy = copy_at(str(lf.get("location", "")))
        lfs.add_row(lf["name"], lf.get("kind", ""),
                    f"{copy} (the run's copy)" if copy else lf.get("location", ""),
                    str(lf.get("source_sha256", ""))[:12])
    return lfs


def say_glossaries(say: Say, m: dict[str, Any]) -> None:
    """Each glossary's label, terms and hash, and what a glossary LF's hash is of."""
    for g in m.get("glossaries", []):
        say(f"  glossary {g['name']} -> {g.get('label')}: "
            f"{counted(g.get('terms', '?'), 'term')}, "
            f"sha256 {str(g.get('sha256'))[:12]}")
    if any(lf.get("kind") == "glossary" for lf in m.get("labeling_functions", [])):
        say("  (a glossary LF's source sha256 is of its file's sha256, the pipeline "
            "fingerprint and the matcher's hash, not the file's own: see README, "
            "\"Hash recipes\")", highlight=False)


def say_label_model(say: Say, m: dict[str, Any]) -> None:
    """The label model, how it was chosen and applied, the ranking's cache and weights,
    and the spaCy pipeline."""
    model = m.get("label_model", {})
    params = ", ".join(f"{k}={v}" for k, v in sorted(model.get("params", {}).items()))
    say(f"  label model: {model_name(m)}  seed {m.get('seed')}  {params}")
    reused = reused_words(model.get("from_run"))
    if reused:  # its numbers are that fit's, on that run's reviews
        say(f"  label model {reused}, not fit in this run", highlight=False)
    for line in choice_lines(model):
        say(f"  {line}", highlight=False)
    recorded = _calibration_record_line(m.get("calibration"), model.get("calibration"))
    if recorded:
        say(f"  {recorded}", highlight=False)
    how = applied(m.get("apply"))
    if how:
        say(f"  {how}", highlight=False)
    ranked = ranking_cache_text((m.get("triage") or {}).get("ranking_cache"))
    if ranked:
        say(f"  {ranked}", highlight=False)
    weights = ranking_weights_text((m.get("triage") or {}).get("ranking_weights_evidence"))
    if weights:
        say(f"  {weights}", highlight=False)
    pipeline = m.get("pipeline", {})
    say(f"  pipeline: {pipeline_text(pipeline)}, spaCy {pipeline.get('spacy')}",
        highlight=False)


def _calibration_record_line(record: Any, parameters: Any) -> str | None:
    """The manifest's ``calibration`` (:mod:`~labelwright.runs.calibration_record`, what
    ``runs verify`` checks) in a line, its method as recorded, then "no-vote shares" when
    the record says the items no LF voted on take them after it (a record written before
    it said so: when the parameters, ``label_model.calibration``, give them) and
    "confidence map" when one follows; None for a run without one."""
    from labelwright.runs.calibration_record import no_vote_shares

    if not isinstance(record, dict):
        return None
    shares = record["no_vote_shares"] if "no_vote_shares" in record \
        else no_vote_shares(parameters)
    method = " + ".join([str(record.get("method"))] + ["no-vote shares"] * bool(shares)
                        + ["confidence map"] * bool(record.get("confidence_map")))
    gold = record.get("gold")
    fit = (f"fit on {gold.get('items', 0):,} reviewed labels (sha256 "
           f"{str(gold.get('sha256'))[:12]})" if isinstance(gold, dict)
           else "fit on no reviewed labels in this run")
    return (f"calibration on record: {method}, parameters sha256 "
            f"{str(record.get('parameters_sha256'))[:12]}; {fit}")


def say_reviews(say: Say, reviews: dict[str, Any], run_dir: Path) -> None:
    """The review ledger the run read: its decisions and items, the policy, decisions read
    under renamed labels, not used or used with labels the runs lacked, and the raters."""
    sampled = reviews.get("items_from_random_sample")
    say(f"  review ledger: {counted(decision_count(reviews), 'decision')}, "
        f"{counted(reviews.get('items_with_gold', '?'), 'item')} with a reviewed "
        "label"
        + (f" ({sampled} from a random sample)" if sampled else "")
        + (f", {reviews['decisions_retired']} retired (review retire)"
           if reviews.get("decisions_retired") else "")
        + f", sha256 {str(reviews.get('ledger_sha256', reviews.get('sha256')))[:12]}")
    policy = review_policy(reviews)
    if policy:
        say(f"  {policy}", highlight=False)
    if reviews.get("decisions_renamed"):
        say("  read through [project] renamed: " + ", ".join(
            f"{old} as {reviews['renamed'].get(old, '?')} ({n} decision(s))"
            for old, n in reviews["decisions_renamed"].items()), highlight=False)
    if reviews.get("stale_labels"):
        say(f"  not used: {reviews['stale_decisions']} decision(s) with a label "
            "the run did not have (" + ", ".join(
                f"{label}: {n}" for label, n in reviews["stale_labels"].items())
            + f"), keeping {reviews.get('stale_items', '?')} item(s) unsettled",
            highlight=False)
    runs_then = reviews.get("runs_with_other_labels") or {}
    if reviews.get("decisions_without_labels"):
        say(f"  used: {reviews['decisions_without_labels']} decision(s) made "
            "from runs whose reviewers could not choose " + ", ".join(
                f"{label} ({n})" for label, n in
                reviews.get("labels_not_offered", {}).items())
            + "; the runs' labels: " + "; ".join(
                f"{run_id}: {', '.join(had) if isinstance(had, list) else had}"
                for run_id, had in runs_then.items()), highlight=False)
    if reviews.get("decisions_readded_labels"):
        say("  used: decision(s) for labels dropped and added back since their "
            "run: " + ", ".join(f"{label} ({n})" for label, n in
                                reviews["decisions_readded_labels"].items()),
            highlight=False)
    raters = reviewers(run_dir)
    if raters:
        say(f"  reviewers (the run's decisions): {raters}", highlight=False)


def say_scores(say: Say, m: dict[str, Any]) -> None:
    """Coverage, accuracy on gold and the votes' calibration."""
    accuracy = ((m.get("evaluation") or {}).get("label_model") or {}).get("accuracy")
    say(f"  coverage {percent(m.get('coverage'))}  accuracy on gold {percent(accuracy)}")
    for line in vote_calibration_lines(m.get("evaluation") or {}):
        say(f"  {line}", highlight=False)


def say_triage(say: Say, m: dict[str, Any], *, archived: bool) -> None:
    """The triage's counts, gold and copies left out, the LFs that raised and the outputs
    (``archived``: a pruned run's, gone with its folder)."""
    say(f"  triage: {triage_counts(m.get('triage', {}).get('counts', {}))}", highlight=False)
    from labelwright.copies import copies_line  # numpy, pandas: not at startup
    from labelwright.triage.draw_records import gold_left_out_line

    for said in (gold_left_out_line(m.get("triage") or {}), copies_line(m.get("triage") or {})):
        if said:
            say(f"  {said}", highlight=False)
    for name, failure in (m.get("failures") or {}).items():
        say(styled(f"  LF {name} raised on {counted(failure['count'], 'item')}", "red"))
    say(("  outputs (pruned with its folder): " if archived else "  outputs: ")
        + ", ".join(sorted(m.get("outputs", {}))))
