"""Command: ``explain ITEM_ID`` (registered on the app in :mod:`labelwright.cli.app`): where
an item's label came from, as :func:`~labelwright.runs.explain.item.explain_item` tells it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labelwright.cli.options import ProjectDir, RunOption
from labelwright.cli.output import make_console, styled, warning
from labelwright.counts import counted
from labelwright.model_text import chosen_model
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.lfs.item import GlossaryMatch
    from labelwright.runs.explain.against import ItemBeside
    from labelwright.runs.explain.explanation import Vote

console = make_console()
err = make_console(stderr=True)  # warnings, as run and check give them


#: characters of an item's text ``explain`` prints unless asked for all of it
EXPLAIN_TEXT_CHARS = 2000


#: distinct glossary matches ``explain`` prints (a long text can match a term thousands of
#: times: each distinct match is printed once, with how often it occurs)
EXPLAIN_MATCH_LINES = 40


def decided_words(decision: dict[str, Any]) -> str:
    """``at <time>`` for a decision whose file said when it was made; ``imported at <time>
    (its file gave no decision time)`` when it did not (the ledger's ``decided_at`` is empty,
    and the decision is placed at its import): the import time had read as the time the
    rater decided."""
    if "decided_in_file" in decision and not decision["decided_in_file"]:
        return (f"imported at {decision.get('imported_at', '?')} (its file gave no decision "
                "time)")
    return f"at {decision.get('decided_at', '?')}"


def _print_matches(matches: Sequence[GlossaryMatch]) -> None:
    """One line per distinct match (glossary, words, term, label, what cancelled it), in
    the order of their first occurrence, with a count where it occurs more than once; at
    most :data:`EXPLAIN_MATCH_LINES` of them, then how many more."""
    seen = Counter((m.glossary, m.said, m.label, m.excluded_by, m.note) for m in matches)
    for k, ((glossary, said, label, excluded_by, note), count) in enumerate(seen.items()):
        if k == EXPLAIN_MATCH_LINES:
            rest = list(seen.values())[k:]
            console.print(f"  ... and {len(rest):,} more distinct matches ({sum(rest):,} in "
                          f"all; Python: explain_item(...).matches lists each)",
                          highlight=False)
            break
        state = styled(f" (cancelled by {excluded_by!r})" if excluded_by else "", "dim")
        times = f" x{count:,}" if count > 1 else ""
        console.print(Text.assemble(
            f"  {glossary}: {said} -> {label}{times}", state,
            f" — {note}" if note else ""), highlight=False)


def _print_votes(votes: Sequence[Vote]) -> None:
    """The LFs that voted (or raised) in a table, then how many abstained and which: with
    dozens of LFs an item's table was mostly abstains, hiding the few votes."""
    table = Table(title="Votes", title_justify="left")
    for header in ("LF", "kind", "vote", "location"):
        table.add_column(header)
    abstained = []
    for v in votes:
        if v.vote is None and v.failed is False:
            abstained.append(v.lf)
            continue
        shown = (v.vote if v.vote is not None else styled("failed (raised)", "red") if v.failed
                 else styled(f"abstain, or failed: the LF raised on {v.failures:,} items "
                             "of the run, which lists only some of them", "dim"))
        table.add_row(v.lf, v.kind, shown, v.location)
    if table.row_count:
        console.print(table)
    else:
        console.print("Votes: none (no LF voted)")
    if abstained:
        console.print(Text.assemble(
            "Abstained: ", (f"{counted(len(abstained), 'LF')}", "bold"), " (",
            ", ".join(abstained), ")"), highlight=False)


def _explain_archived(project: Path, item_id: str, run: str) -> bool:
    """Print what the archive of a run pruned with ``--keep-manifests`` tells of the item
    (:mod:`~labelwright.runs.explain.archived`), when ``run`` names one; whether it did."""
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.runs.explain.archived import archived_lines
    from labelwright.runs.pruned import named_archive

    config = load_config(project)
    record = named_archive(config.runs_path, run)
    if record is None:
        return False
    for line in archived_lines(config.runs_path, record, item_id, ledger_path(config.root),
                               config.root):
        console.print(line, highlight=False)
    return True


def probabilities_text(probabilities: dict[str, float]) -> str:
    """The label model's probabilities, most likely first (labels alike in label order):
    ``explain_item(...).probabilities`` keeps the project's label order."""
    ranked = sorted(probabilities.items(), key=lambda pair: -pair[1])
    return ", ".join(f"{label} {p:.3f}" for label, p in ranked)


def explain(
    item_id: Annotated[str, typer.Argument(help="The item's id.")],
    run: RunOption = None,
    full_text: Annotated[bool, typer.Option(
        "--full-text", help=f"Print the whole text (default: its first {EXPLAIN_TEXT_CHARS:,} "
        "characters).")] = False,
    against: Annotated[str | None, typer.Option(
        "--against", help="Another run (id, unique prefix or folder path) to set the item "
        "beside: label, probabilities and votes in each, and why the label moved, as `runs "
        "diff AGAINST RUN` names it.")] = None,
    project: ProjectDir = Path("."),
) -> None:
    """Where an item's label came from: text, votes, glossary terms, probabilities, reviews."""
    import_spacy(project)
    from labelwright.runs.explain.item import explain_item

    if run is not None and against is None and _explain_archived(project, item_id, run):
        return
    other = _against_run(project, against) if against is not None else None
    e = explain_item(project, item_id, run)
    shown_id = e.item_id if e.item_id.isprintable() and e.item_id == e.item_id.strip() \
        else repr(e.item_id)  # " 55 " is not 55
    console.print(Text.assemble((f"item {shown_id}", "bold"), f" in run {e.run_id}"))
    for message in e.warnings:
        warning(err, message)
    if e.text is not None:
        cut = not full_text and len(e.text) > EXPLAIN_TEXT_CHARS
        text = e.text[:EXPLAIN_TEXT_CHARS] if cut else e.text
        console.print(f"  text: {text!r}" + (f" ... (the first {EXPLAIN_TEXT_CHARS:,} of "
                                              f"{len(e.text):,} characters; --full-text "
                                              "prints them all)" if cut else ""),
                      highlight=False)
    if e.origin:  # which file and row of the data, as the run read it
        console.print(f"  from: {e.origin}", highlight=False)
    for key, value in e.fields.items():  # as the LFs get them: 'nan' text, None a gap
        console.print(f"  {key}: {value!r}", highlight=False)
    _print_votes(e.votes)
    if e.matches:
        console.print("Glossary terms matched:")
        _print_matches(e.matches)
    else:
        console.print("Glossary terms matched: none")
    probs = probabilities_text(e.probabilities)
    console.print(f"Label model ({e.model}): "
                  + (probs or f"{e.model_label or '(no label)'} (probabilities not available)"))
    if e.model_reused:  # not fit in this run: what it chose was the fitting run's reason
        console.print(f"  {e.model_reused}, not fit in this run", highlight=False)
    if e.chosen:
        when = " when that run fit it" if e.model_reused else ""
        console.print(f"  auto chose {chosen_model(e.chosen)}{when}: "
                      f"{e.chosen.get('reason', '?')}", highlight=False)
    for d in e.decisions:
        imported = (f" (counted as {d['counted_as']})" if d.get("counted_as") else "") + (
            f" (imported by {d['imported_by']})" if d.get("imported_by") else "")
        seen = d.get("blind")  # None: not recorded
        blind = "" if seen is None else ", blind" if seen else ", the run's label shown"
        shown = (f", on a cut text (its reviewer saw the first {d['cut']}: a spreadsheet "
                 "cut the cell)" if d.get("cut") else "")
        console.print(f"Review: {d.get('label')} by {d.get('reviewer', '?')}{imported} "
                      f"{decided_words(d)}{blind}{shown} from {d.get('source', '?')}"
                      + (" (imported after this run)" if d.get("after_run") else "")
                      + (" (made on another text: not used)" if d.get("other_text") else "")
                      + (f" ({d['retired']}: not used)" if d.get("retired") else "")
                      + (f" ({d['retired_since']}, after this run)" if d.get("retired_since")
                         else "")
                      # the rater's own words, quoted: where they end stays plain
                      + (f"; note: {d['note']!r}" if d.get("note") else ""),
                      highlight=False)
        history = d.get("retirement_history") or []
        if len(history) > 1:  # the last record alone hid a retirement undone in between
            console.print(f"  retirements: {'; '.join(history)}", highlight=False)
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
    if e.queue is not None:  # where it sits in the queue, and what put it there
        console.print(f"  review queue: {e.queue.describe()}", highlight=False)
        if e.queue.why:
            console.print(f"  why here: {e.queue.why}", highlight=False)
    if e.copy_of is not None:
        by = f" by {', '.join(e.copy_reviewers)}" if e.copy_reviewers else ""
        console.print(f"  its label came from the review of item {e.copy_of!r}{by}, which has "
                      "the same text ([review] copies = \"one\")", highlight=False)
        if "second_opinion" in e.reasons:
            console.print("  it waits for a second reviewer: that decision is the only one on "
                          "the text and goes against the label model and every LF vote on "
                          f"{e.copy_of!r} (`labelwright review export --reason "
                          "second_opinion`)", highlight=False)
    for note in e.label_notes:
        console.print(f"  note: {note}", highlight=False)
    if e.end_model is not None:
        trained = e.end_model
        what = {"end_model": "the end model's: the run left the item without a label",
                "review": "the reviewed label", "model": "the run's label, trained on",
                "none": "none: the end model cannot read the text",
                "below_min_confidence": "none: the end model's confidence is below the "
                                        "floor `train --min-confidence` was given"
                }.get(str(trained["label_source"]), str(trained["label_source"]))
        own = trained["own_label"]
        derived = trained.get("derived")
        console.print("End model (labelwright train on this run): "
                      + ("its label not recorded (an older `labelwright train` wrote no "
                         "end_model_label); its probabilities give " if derived
                         else "its label ")
                      + f"{own or '(none)'}"
                      + (f", confidence {trained['own_confidence']:.2f}" if own else "")
                      + (" (derived from the file's prob_ columns, the end model's on every "
                         "item as that train wrote them)" if derived else "")
                      + f"; end_model_labels.parquet has {trained['label'] or '(no label)'} "
                      f"({what})", highlight=False)
    if other is not None:
        from labelwright.runs.explain.against import item_beside

        print_beside(item_beside(e.item_id, other, e.run_dir))


def _against_run(project: Path, against: str) -> Path:
    """The run folder ``--against`` names, resolved before the item is explained: a run
    id that matches none is said first."""
    from labelwright.config import load_config
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    return resolve_run(config.runs_path, against, project=config)


def print_beside(beside: ItemBeside) -> None:
    """The item in the two runs, side by side: label, source, confidence, probabilities,
    the votes that changed, and the cause of the move as ``runs diff`` names it."""
    from labelwright.runs.diff.flip_causes import vote_move_text
    from labelwright.runs.diff.near_ties import near_tie_text
    from labelwright.runs.explain.against import SAME_LABEL

    b = beside.b
    if beside.a is None:
        console.print(f"Against: run {b.run_id} only; the other run does not hold item "
                      f"{beside.item_id!r}", highlight=False)
        return
    a = beside.a
    table = Table(title=f"Item {beside.item_id} in runs {a.run_id} -> {b.run_id}",
                  title_justify="left")
    for header in ("", a.run_id, b.run_id):
        table.add_column(header)
    table.add_row("label", a.label or "(no label)", b.label or "(no label)")
    table.add_row("source", a.label_source, b.label_source)
    table.add_row("confidence", f"{a.confidence:.2f}", f"{b.confidence:.2f}")
    for label in dict.fromkeys([*a.probabilities, *b.probabilities]):
        table.add_row(f"p({label})", *(f"{side.probabilities[label]:.3f}"
                                       if label in side.probabilities else "—"
                                       for side in (a, b)))
    for lf, then, now in beside.votes:
        table.add_row(f"vote of {lf}", then, now)
    console.print(table)
    if not beside.votes:
        console.print("  votes: the same in both runs", highlight=False)
    if beside.cause == SAME_LABEL:
        console.print(f"  {SAME_LABEL}" + (f"; votes changed: {vote_move_text(beside.votes)}"
                                           if beside.votes else ""), highlight=False)
    else:
        console.print(f"  flipped because: {beside.cause}"
                      + (f" (a near tie: {near_tie_text().split(': ', 1)[1]})"
                         if beside.near_tie else ""), highlight=False)
    if beside.upgraded:
        console.print(f"  {beside.upgraded}", highlight=False)
