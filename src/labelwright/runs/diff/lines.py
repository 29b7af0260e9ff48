"""What :func:`~labelwright.runs.diff.compare.diff_runs` found, in lines: the effect of the
changed inputs on the labels, as ``runs diff`` prints them and the report shows them. The
changed inputs themselves (LFs, glossaries, data, config, model, reviews, pipeline,
packages) are said by :mod:`~labelwright.runs.diff.input_lines`, and import from here too."""

from __future__ import annotations

from labelwright.counts import counted, some_of
from labelwright.percent import percent
from labelwright.runs.diff.glossary_edits import settings_text
from labelwright.runs.diff.gold_flips import drop_advice, gold_cause_text, gold_causes
from labelwright.runs.diff.input_lines import RENAMED as RENAMED
from labelwright.runs.diff.input_lines import chosen_vs_named as chosen_vs_named
from labelwright.runs.diff.input_lines import input_changes as input_changes
from labelwright.runs.diff.input_lines import missing_section_warnings as missing_section_warnings
from labelwright.runs.diff.item_places import moved_lines
from labelwright.runs.diff.label_effects import ReviewChanges
from labelwright.runs.diff.label_f1_moves import F1_MOVE, f1_move_text
from labelwright.runs.diff.lf_stats import largest_moves, lf_stat_lines
from labelwright.runs.diff.result import RunDiff
from labelwright.runs.diff.review_ledger import SETTLEMENTS  # noqa: F401 (runs.diff_lines' name)
from labelwright.runs.item_texts import no_hashes_note, text_change_line


def gold_items_note(d: RunDiff) -> str:
    """" (over N -> M gold items: not the same items)" when the two runs' accuracies are over
    different gold items (reviewed items are left out of a run's accuracy), so their change
    compares different items; else ""."""
    if not d.held_out_differ:
        return ""
    n_a, n_b = d.gold_items
    return f" (over {n_a} -> {n_b} gold items: not the same items)"


def common_gold_line(d: RunDiff) -> str | None:
    """Both runs' accuracy on the gold items held out in both, when their own accuracies
    are over different items (:attr:`RunDiff.held_out_differ`); None otherwise."""
    common = d.common_gold
    if common is None or not common.differ or d.accuracy == (None, None):
        return None
    if not common.items:
        return ("accuracy on the gold items held out in both runs: none is (every gold item "
                "one run held out has a reviewed label in the other), so the runs' accuracies "
                "do not compare")
    a, b = common.accuracy
    return (f"accuracy on the {counted(common.items, 'gold item')} held out in both runs: "
            f"{percent(a)} -> {percent(b)} ({100 * (common.delta or 0.0):+.1f} pts)")


def since_line(d: RunDiff, flips_shown: int = 3) -> str:
    """What ``labelwright run`` says changed since the previous run, in one line: the
    labels flipped (the commonest flips) and why, the items added and gone, the items whose
    text changed, the LFs and glossaries added, removed or edited, the LF modules edited
    (a helper module an LF imports changes no LF's own source), coverage and accuracy on
    gold, and the failed runs stepped over; ``runs diff`` has the rest."""
    flips = ", ".join(f"{a} -> {b} {n:,}" for (a, b), n in
                      list(d.transitions.items())[:flips_shown])
    parts = [f"{counted(d.flipped, 'label')} flipped" + (f" ({flips}"
                                                         + (", ..." if len(d.transitions)
                                                            > flips_shown else "") + ")"
                                                         if flips else "")]
    causes = cause_line(d)  # why, as runs diff counts it: reviews and the model flip many
    if causes:
        parts.append(causes)
    if d.only_b or d.only_a:
        parts.append(f"items added {d.only_b:,}, gone {d.only_a:,}"
                     + (f" ({len(d.erased_only_a):,} of them erased: `labelwright erase`)"
                        if d.erased_only_a else ""))
    if d.text_changed:
        parts.append(f"{counted(d.text_changed, 'item text')} changed")
    if d.gold_changed[0]:
        parts.append(f"{counted(d.gold_changed[0], 'gold label')} changed in the data")
    parts += [f"{what} {verb}: {some_of(names)}"
              for what, changes in (("LFs", d.lfs), ("glossaries", d.glossaries))
              for verb, names in (("added", changes.added), ("removed", changes.removed),
                                  ("edited", _with_settings(changes.edited, d)
                                   if what == "glossaries" else changes.edited)) if names]
    if d.lf_modules.edited:  # a helper module of no LF (imported by one) is named here alone
        parts.append(f"LF modules edited: {some_of(d.lf_modules.edited)}")
    moved = largest_moves(d.lf_stats)
    if moved:
        parts.append(f"LF numbers moved most: {moved}")
    if d.missing_sections:  # not compared: no LF added nor data changed is claimed
        parts.append(f"not compared: {', '.join(d.missing_sections)} (missing from a "
                     "manifest)")
    parts.append(f"coverage {percent(d.coverage[0])} -> {percent(d.coverage[1])}")
    if d.accuracy != (None, None):
        parts.append(f"accuracy on gold {percent(d.accuracy[0])} -> {percent(d.accuracy[1])}"
                     + (" (over other gold items)" if d.held_out_differ else "")
                     + gold_moves_text(d))
    if d.label_f1:
        parts.append(f"label F1 moved most: {f1_move_text(d.label_f1, F1_SHOWN)}")
    return (f"since run {d.run_a}{failed_between_text(d)}: {'; '.join(parts)} (`labelwright "
            "runs diff` shows what else changed)")


def code_line(d: RunDiff) -> str | None:
    """The line after :func:`since_line` when another labelwright made run b than run a
    (:func:`~labelwright.runs.diff.manifest_changes.code_changed_text`); None when the same
    one made both. The since line's flip causes blame the label model for flips the
    upgrade made, and only ``runs diff`` named the code."""
    from labelwright.runs.diff.manifest_changes import code_changed_text

    return code_changed_text(d.run_a, d.labelwright_code) if d.labelwright_code else None


def _with_settings(names: list[str], d: RunDiff) -> list[str]:
    """Edited glossaries' names, each followed by the settings that changed, as
    ``precio (mode lemma -> lowercase)``: an edit of a setting alone was only named."""
    edits = d.glossary_edits
    return [f"{name} ({settings_text(edits[name])})" if name in edits
            and edits[name].settings else name for name in names]


#: labels whose F1 move the since-run line names (``runs diff`` names all)
F1_SHOWN = 3


def gold_moves_text(d: RunDiff) -> str:
    """`` (gold items: 3 now right, 2 now wrong)`` after the accuracy: the two ways gold
    items moved, which the accuracy nets out ("" when none did)."""
    gold = d.gold_flips
    if not (gold.items or gold.gained):
        return ""
    return f" (gold items: {gold.gained:,} now right, {gold.items:,} now wrong)"


def failed_between_text(d: RunDiff) -> str:
    """`` (failed run <id> not compared)`` after run a's id for the failed runs stepped
    over to reach it, "" for none: else the changes read as made since the failed run."""
    if not d.failed_between:
        return ""
    return (f" (failed run{'s' if len(d.failed_between) > 1 else ''} "
            f"{some_of(d.failed_between)} not compared)")


#: a fall in accuracy on the same held-out gold items larger than this (a share) since the
#: previous run is a warning of its own, not only a number on the "since run" line
ACCURACY_DROP = 0.01


def accuracy_drop_warning(d: RunDiff) -> str | None:
    """A warning when accuracy on gold fell by more than :data:`ACCURACY_DROP` since run
    ``d.run_a``, over the gold items held out in both runs (reviewed items leave a run's
    held-out gold), naming what changed: reviews imported, the model, auto's choice of model,
    class balance or calibration, LFs, data, settings (:func:`input_changes`). None when it
    did not fall that far, or the runs' accuracies cannot be compared. A fall of 2 points
    on 2,000 gold items had been one number on the "since run" line (reviews in, auto's
    class balance and confidence map from them, 23,000 labels flipped the wrong way)."""
    delta = d.gold_delta
    if delta is None or delta >= -ACCURACY_DROP:
        return None
    a, b = (d.common_gold.accuracy if d.held_out_differ and d.common_gold is not None
            else d.accuracy)
    over = (f"the {counted(d.common_gold.items, 'gold item')} held out in both runs"
            if d.held_out_differ and d.common_gold is not None else "the same gold items")
    changed = input_changes(d)
    causes = cause_line(d)
    return (f"since run {d.run_a}: accuracy on held-out gold {percent(a)} -> {percent(b)} "
            f"({100 * delta:+.1f} pts, over {over}); "
            + (f"what changed: {'; '.join(changed)}" if changed
               else "no input recorded as changed")
            + (f"; {counted(d.flipped, 'label')} flipped ({causes})" if causes else "")
            + gold_cause_text(d)
            + ". `labelwright runs diff` compares the two runs; " + drop_advice(d))


def cause_line(d: RunDiff) -> str | None:
    """``flipped because: text changed 2, votes changed (same text) 1``: why the labels
    flipped (:mod:`labelwright.runs.diff.flip_causes`); None when none did."""
    if not d.flip_causes:
        return None
    def tied(cause: str) -> str:  # coin flips among them: not what an edit decided
        n = d.near_tie_causes.get(cause, 0)
        return f" ({n:,} near ties)" if n else ""
    return "flipped because: " + ", ".join(f"{cause} {n:,}{tied(cause)}"
                                           for cause, n in d.flip_causes.items())


def effect_lines(d: RunDiff) -> list[str]:
    """Effects beyond flipped labels, for ``runs diff`` and the report: triage status moves,
    the first items present in one run only, the first whose text changed (or that a run
    recorded no text hashes), those of the same text moved to another data part or order
    (:func:`~labelwright.runs.diff.item_places.moved_lines`), how many reviewed labels are
    not the label model's own in each run, and on how many items the vote of each LF whose
    source changed moved ([] when none)."""
    lines = []
    if d.status_moves:
        lines.append(f"status changed: {counted(sum(d.status_moves.values()), 'item')} ("
                     + ", ".join(f"{a} -> {b} {n}" for (a, b), n in d.status_moves.items())
                     + ")")
    for ids, total, where in ((d.ids_only_a, d.only_a, d.run_a), (d.ids_only_b, d.only_b,
                                                                   d.run_b)):
        if ids:
            lines.append(f"only in {where}: {some_of(ids, len(ids), total=total)}")
    if d.no_text_hashes:
        lines.append(no_hashes_note(d.no_text_hashes))
    elif d.text_changed:
        lines.append(text_change_line(d.text_changed, d.ids_text_changed))
    if d.gold_changed[0]:
        count, ids = d.gold_changed
        lines.append(f"items whose gold label changed in the data: {count} "
                     f"({some_of(ids, len(ids), total=count)})")
    lines += moved_lines(d.item_places)
    lines += _review_change_lines(d.review_changes)
    if d.gold_flips.items or d.gold_flips.gained:  # both ways: a fix can break others
        lines.append(f"gold items right before and wrong now: {d.gold_flips.items}"
                     + (f" ({gold_causes(d)}; an item counts for each LF whose vote on it "
                        "moved)" if d.gold_flips.items else ""))
        lines.append(f"gold items wrong before and right now: {d.gold_flips.gained}")
    if d.label_f1:
        lines.append(f"label F1 moved (by {F1_MOVE} or more, labels with held-out gold in "
                     f"both runs{'; over other gold items' if d.held_out_differ else ''}): "
                     + f1_move_text(d.label_f1))
    lines += lf_stat_lines(d.lf_stats)
    if d.lf_votes.problem:
        lines.append(f"LF votes: not compared ({d.lf_votes.problem})")
    else:
        lines += vote_lines(d)
    if d.failures:
        lines.append("LFs that raised (items): " + ", ".join(
            f"{lf} {a} -> {b}" for lf, (a, b) in d.failures.items()))
    return lines


def vote_lines(d: RunDiff) -> list[str]:
    """On how many items each LF's vote changed: LFs whose source (or glossary) changed,
    then LFs whose own source did not, whose votes moved for another reason (their
    module's other code, an LF folder file, the data, the pipeline), named with what of
    those changed ([] when no LF's votes changed and no LF was edited)."""
    edited = {*d.lfs.edited, *(f"glossary:{name}" for name in d.glossaries.edited)}
    def shown(names: list[str]) -> str:
        return ", ".join(f"{lf} on {counted(d.lf_votes.changed[lf], 'item')}" for lf in names)
    own = [lf for lf in d.lf_votes.changed if lf in edited]
    other = [lf for lf in d.lf_votes.changed if lf not in edited]
    lines = [f"LF votes changed (LFs whose source changed): {shown(own)}"] if own else []
    if other:
        causes = [f"{what} {', '.join(names)}" for what, names in (
            ("LF modules edited:", d.lf_modules.edited),
            ("LF folder files changed:", [*d.lf_files.added, *d.lf_files.edited,
                                          *d.lf_files.removed]))
            if names] + (["the data"] if d.data else []) + (
            ["the spaCy pipeline"] if d.pipeline else []) + (
            ["labelwright's code"] if d.labelwright_code else [])
        lines.append("LF votes changed (LFs whose own source did not change"
                     + (f"; changed since: {'; '.join(causes)}" if causes else "")
                     + f"): {shown(other)}")
    return lines


def _review_change_lines(changes: tuple[ReviewChanges | None, ReviewChanges | None]
                         ) -> list[str]:
    """``reviewed labels other than the label model's own: 12 -> 40 (...)`` (once "labels a
    review changed", which read as a count of corrections): in each run, the reviewed labels
    that are not the label model's own, and the reviewed items the model left without a label ([]
    when neither run has such a label; ``?`` for a run that does not keep the model's
    label)."""
    if not any(c and (c.changed or c.filled) for c in changes):
        return []
    def shown(attribute: str) -> str:
        return " -> ".join("?" if c is None else str(getattr(c, attribute)) for c in changes)
    return [f"reviewed labels other than the label model's own: {shown('changed')} (this "
            f"run's label model, fit with the reviews, gives another label there; "
            f"{shown('filled')} more reviewed items the label model left without a label; "
            "not how many labels reviewers changed, which `labelwright review stats` counts)"]
