"""An :class:`~labelwright.runs.explain.explanation.Explanation` in words: where one item's
label came from, line by line, as ``labelwright explain`` prints it (the command prints
these lines, with its tables and colours; ``print(explain_item(...))`` gives them as text,
to show a colleague from a notebook)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from labelwright.counts import counted
from labelwright.model_text import chosen_model

if TYPE_CHECKING:
    from labelwright.lfs.item import GlossaryMatch
    from labelwright.runs.explain.explanation import Explanation, Vote

#: characters of an item's text shown unless asked for all of it
TEXT_CHARS = 2000
#: distinct glossary matches shown (a long text can match a term thousands of times: each
#: distinct match is shown once, with how often it occurs)
MATCH_LINES = 40


def decided_words(decision: dict[str, Any]) -> str:
    """``at <time>`` for a decision whose file said when it was made; ``imported at <time>
    (its file gave no decision time)`` when it did not (the ledger's ``decided_at`` is empty,
    and the decision is placed at its import): the import time had read as the time the
    rater decided."""
    if "decided_in_file" in decision and not decision["decided_in_file"]:
        return (f"imported at {decision.get('imported_at', '?')} (its file gave no decision "
                "time)")
    return f"at {decision.get('decided_at', '?')}"


def probabilities_text(probabilities: dict[str, float]) -> str:
    """The label model's probabilities, most likely first (labels alike in label order):
    ``explain_item(...).probabilities`` keeps the project's label order."""
    ranked = sorted(probabilities.items(), key=lambda pair: -pair[1])
    return ", ".join(f"{label} {p:.3f}" for label, p in ranked)


def text_lines(e: Explanation, text_chars: int | None, more: str) -> list[str]:
    """The item's text (its first ``text_chars`` characters; None: all, ``more`` saying how
    to see the rest), the file and row it came from, and its fields as the LFs got them."""
    lines = []
    if e.text is not None:
        cut = text_chars is not None and len(e.text) > text_chars
        text = e.text[:text_chars] if cut else e.text
        lines.append(f"  text: {text!r}" + (f" ... (the first {text_chars:,} of "
                                            f"{len(e.text):,} characters; {more})"
                                            if cut else ""))
    if e.origin:  # which file and row of the data, as the run read it
        lines.append(f"  from: {e.origin}")
    # as the LFs get them: 'nan' text, None a gap
    return lines + [f"  {key}: {value!r}" for key, value in e.fields.items()]


def match_lines(matches: Sequence[GlossaryMatch], limit: int) -> list[tuple[str, str, str]]:
    """One ``(match, cancelled, note)`` per distinct match (glossary, what was said, label),
    in the order of their first occurrence, with a count where it occurs more than once;
    at most ``limit`` of them, then a line of how many more."""
    seen = Counter((m.glossary, m.said, m.label, m.excluded_by, m.note) for m in matches)
    lines = []
    for k, ((glossary, said, label, excluded_by, note), count) in enumerate(seen.items()):
        if k == limit:
            rest = list(seen.values())[k:]
            lines.append((f"  ... and {len(rest):,} more distinct matches ({sum(rest):,} in "
                          f"all; Python: explain_item(...).matches lists each)", "", ""))
            break
        times = f" x{count:,}" if count > 1 else ""
        lines.append((f"  {glossary}: {said} -> {label}{times}",
                      f" (cancelled by {excluded_by!r})" if excluded_by else "",
                      f" — {note}" if note else ""))
    return lines


def model_lines(e: Explanation) -> list[str]:
    """The label model's probabilities, and what ``auto`` chose (and whether another run
    fit it)."""
    probs = probabilities_text(e.probabilities)
    lines = [f"Label model ({e.model}): "
             + (probs or f"{e.model_label or '(no label)'} (probabilities not available)")]
    if e.model_reused:  # not fit in this run: what it chose was the fitting run's reason
        lines.append(f"  {e.model_reused}, not fit in this run")
    if e.chosen:
        when = " when that run fit it" if e.model_reused else ""
        lines.append(f"  auto chose {chosen_model(e.chosen)}{when}: "
                     f"{e.chosen.get('reason', '?')}")
    return lines


def decision_lines(d: dict[str, Any]) -> list[str]:
    """One review decision: its label, rater, time, file and row, and why it is not used
    when it is not; then its retirements, when there were several."""
    imported = (f" (counted as {d['counted_as']})" if d.get("counted_as") else "") + (
        f" (imported by {d['imported_by']})" if d.get("imported_by") else "")
    seen = d.get("blind")  # None: not recorded
    blind = "" if seen is None else ", blind" if seen else ", the run's label shown"
    shown = (f", on a cut text (its reviewer saw the first {d['cut']}: a spreadsheet "
             "cut the cell)" if d.get("cut") else "")
    lines = [f"Review: {d.get('label')} by {d.get('reviewer', '?')}{imported} "
             f"{decided_words(d)}{blind}{shown} from {d.get('source', '?')}"
             + (" (imported after this run)" if d.get("after_run") else "")
             + (" (made on another text: not used)" if d.get("other_text") else "")
             + (f" ({d['retired']}: not used)" if d.get("retired") else "")
             + (f" ({d['retired_since']}, after this run)" if d.get("retired_since") else "")
             # the rater's own words, quoted: where they end stays plain
             + (f"; note: {d['note']!r}" if d.get("note") else "")]
    history = d.get("retirement_history") or []
    if len(history) > 1:  # the last record alone hid a retirement undone in between
        lines.append(f"  retirements: {'; '.join(history)}")
    return lines


def settled_line(e: Explanation) -> str | None:
    """How the decisions the run read settle, under which policy (None: none read)."""
    if e.settlement is None:
        return None
    judges = ", ".join(e.adjudicators) or "none"
    return (f"Reviews settled: {e.settlement.describe()} ([review] policy {e.review_policy}, "
            f"adjudicators {judges}"
            + ("" if e.policy_recorded else ": the project's now, the run did not record its own")
            + ")")


def final_label(e: Explanation) -> tuple[str, str]:
    """``("Final label: X", " (source: ..., confidence ..., status...)")``: the command
    prints the first part in bold."""
    label = e.label if e.label is not None else "(no label)"
    reasons = f"; review queue: {', '.join(e.reasons)}" if e.reasons else ""
    return (f"Final label: {label}",
            f" (source: {e.label_source}, confidence {e.confidence:.2f}, {e.status}{reasons})"
            + (f"; gold: {e.gold}" if e.gold else ""))


def after_label_lines(e: Explanation) -> list[str]:
    """Under the final label: the item's place in the review queue and why, the reviewed
    item a copy took its label from, the label's notes and the end model's label."""
    lines = []
    if e.queue is not None:  # where it sits in the queue, and what put it there
        lines.append(f"  review queue: {e.queue.describe()}")
        if e.queue.why:
            lines.append(f"  why here: {e.queue.why}")
    if e.copy_of is not None:
        by = f" by {', '.join(e.copy_reviewers)}" if e.copy_reviewers else ""
        lines.append(f"  its label came from the review of item {e.copy_of!r}{by}, which has "
                     "the same text ([review] copies = \"one\")")
        if "second_opinion" in e.reasons:
            lines.append("  it waits for a second reviewer: that decision is the only one on "
                         "the text and goes against the label model and every LF vote on "
                         f"{e.copy_of!r} (`labelwright review export --reason "
                         "second_opinion`)")
    lines.extend(f"  note: {note}" for note in e.label_notes)
    if e.end_model is not None:
        lines.append(end_model_line(e.end_model))
    return lines


def end_model_line(trained: dict[str, Any]) -> str:
    """The end model's own label of the item, and the label ``end_model_labels.parquet``
    gives it, with where that came from."""
    what = {"end_model": "the end model's: the run left the item without a label",
            "review": "the reviewed label", "model": "the run's label, trained on",
            "none": "none: the end model cannot read the text",
            "below_min_confidence": "none: the end model's confidence is below the "
                                    "floor `train --min-confidence` was given"
            }.get(str(trained["label_source"]), str(trained["label_source"]))
    own = trained["own_label"]
    derived = trained.get("derived")
    return ("End model (labelwright train on this run): "
            + ("its label not recorded (an older `labelwright train` wrote no "
               "end_model_label); its probabilities give " if derived else "its label ")
            + f"{own or '(none)'}"
            + (f", confidence {trained['own_confidence']:.2f}" if own else "")
            + (" (derived from the file's prob_ columns, the end model's on every "
               "item as that train wrote them)" if derived else "")
            + f"; end_model_labels.parquet has {trained['label'] or '(no label)'} ({what})")


def vote_lines(votes: Sequence[Vote]) -> list[str]:
    """The LFs that voted (or raised), one line each, then those that abstained."""
    cast = [v for v in votes if not (v.vote is None and v.failed is False)]
    abstained = [v.lf for v in votes if v.vote is None and v.failed is False]
    lines = [f"Votes: {len(cast) if cast else 'none'}"
             + (f" of {len(votes)} LFs" if cast else " (no LF voted)")]
    for v in cast:
        lines.append(f"  {v.lf} -> {vote_text(v)}  ({v.kind}, {v.location})")
    if abstained:
        lines.append(f"Abstained: {counted(len(abstained), 'LF')} ({', '.join(abstained)})")
    return lines


def vote_text(v: Vote) -> str:
    """A vote's label, or that the LF raised on the item, or may have (a run from before
    runs kept every failure lists only some)."""
    if v.vote is not None:
        return v.vote
    return "failed (raised)" if v.failed else (
        f"abstain, or failed: the LF raised on {v.failures:,} items of the run, which lists "
        "only some of them")


def explanation_text(e: Explanation, *, text_chars: int | None = TEXT_CHARS) -> str:
    """The whole story of ``e`` as ``labelwright explain`` tells it, in plain lines: the
    item and run, warnings, text and fields, votes, glossary matches, the label model,
    reviews, the final label and the end model's (``text_chars``: None for the whole
    text)."""
    lines = [f"item {e.item_id} in run {e.run_id}"]
    lines += [f"warning: {message}" for message in e.warnings]
    lines += text_lines(e, text_chars, "describe(text_chars=None) shows them all")
    lines += vote_lines(e.votes)
    matched = match_lines(e.matches, MATCH_LINES)
    lines += ["Glossary terms matched:" if matched else "Glossary terms matched: none"]
    lines += ["".join(parts) for parts in matched]
    lines += model_lines(e)
    for decision in e.decisions:
        lines += decision_lines(decision)
    settled = settled_line(e)
    lines += [settled] if settled else []
    lines += ["".join(final_label(e))]
    lines += after_label_lines(e)
    return "\n".join(lines)
