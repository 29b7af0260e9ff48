"""What :func:`~labelwright.runs.diff.compare.diff_runs` found, in lines: the changed inputs (LFs,
glossaries, data, config, model, reviews, pipeline, packages) and their effect on the
labels, as ``runs diff`` prints them and the report shows them."""

from __future__ import annotations

from typing import Any

from labelwright.counts import counted, some_of
from labelwright.percent import percent
from labelwright.runs.diff.glossary_edits import glossary_edit_lines, settings_text
from labelwright.runs.diff.gold_flips import drop_advice, gold_cause_text, gold_causes
from labelwright.runs.diff.item_places import moved_lines
from labelwright.runs.diff.label_effects import ReviewChanges
from labelwright.runs.diff.label_f1_moves import F1_MOVE, f1_move_text
from labelwright.runs.diff.lf_stats import largest_moves, lf_stat_lines
from labelwright.runs.diff.result import Changes, RunDiff
from labelwright.runs.diff.review_ledger import (  # SETTLEMENTS: runs.diff_lines' name
    SETTLEMENTS,  # noqa: F401
    ledger_lines,
    settlement_lines,
)
from labelwright.runs.diff.review_settings import review_setting_lines
from labelwright.runs.item_texts import no_hashes_note, text_change_line
from labelwright.runs.manifest import pipeline_text


def _config_file(config: dict[str, Any] | None) -> str:
    return f"{config['path']} sha256 {str(config['sha256'])[:12]}" if config \
        else "none (config from Python)"


def _model(d: RunDiff) -> str:
    assert d.model is not None
    a, b = d.model["a"], d.model["b"]
    chosen = chosen_vs_named(a, b)
    if chosen is not None:
        return chosen
    # another model has other params: only those both have compare (tie_break, ...)
    keys = set(a["params"]) | set(b["params"]) if a.get("class") == b.get("class") \
        else set(a["params"]) & set(b["params"])
    changed = sorted(k for k in keys if a["params"].get(k) != b["params"].get(k))
    params = ", ".join(f"{k} {a['params'].get(k)} -> {b['params'].get(k)}" for k in changed)
    if not changed and a["name"] == b["name"] and a["seed"] == b["seed"]:
        # the same model and settings, recorded otherwise: another labelwright records a
        # setting the other did not (None where it is), or names the model's class otherwise
        only = sorted(set(a["params"]) ^ set(b["params"]))
        what = ", ".join([*(f"{k} recorded by one run only" for k in only),
                          *([f"class {a.get('class')} -> {b.get('class')}"]
                            if a.get("class") != b.get("class") else [])])
        return (f"label model: {a['name']}, the same settings recorded otherwise ("
                f"{what or 'its record'}: runs of different labelwright versions)")
    return (f"label model: {a['name']} -> {b['name']}"
            + (f"; params changed: {params}" if changed else "")
            + (f"; seed {a['seed']} -> {b['seed']}" if a["seed"] != b["seed"] else ""))


def chosen_vs_named(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """``label model: auto -> dawid_skene (auto chose dawid_skene); settings changed from
    the model auto chose: prior_strength 10.0 -> 20.0`` when one run ran ``auto`` and the
    other named a model (:func:`~labelwright.runs.diff.settings.model_change` gave auto's
    spec its ``chosen``): the model that made the labels is compared with the named one,
    setting by setting, when it is that model; None when neither spec carries a choice."""
    from labelwright.models.registry import DEFAULT_MODEL

    if "chosen" not in a and "chosen" not in b:
        return None
    auto, named = (a, b) if "chosen" in a else (b, a)
    chosen = auto["chosen"]
    head = f"label model: {a['name']} -> {b['name']} (auto chose {chosen['model']})"
    seed = f"; seed {a['seed']} -> {b['seed']}" if a["seed"] != b["seed"] else ""
    if chosen["model"] not in (named["name"], DEFAULT_MODEL if named["name"] == "default"
                               else None):
        return head + seed  # another model: its settings are not the named one's
    # [label_model] class_balance is a setting of the run, auto's or the named model's
    own = {k: v for k, v in auto["params"].items() if k == "class_balance"}
    before, after = (({**chosen["params"], **own}, named["params"]) if auto is a
                     else (named["params"], {**chosen["params"], **own}))
    keys = set(before) & set(after) if not chosen["all"] else set(before) | set(after)
    changed = sorted(k for k in keys if before.get(k) != after.get(k))
    text = ", ".join(f"{k} {before.get(k)} -> {after.get(k)}" for k in changed)
    if not chosen["all"]:  # an earlier labelwright's auto run: only what auto set
        recorded = ", ".join(sorted(chosen["params"])) or "none"
        return (head + f"; of the settings of the model auto chose the auto run recorded "
                f"({recorded}; an earlier labelwright recorded no others), "
                + (f"changed: {text}" if changed else "none changed") + seed)
    way = "from" if auto is a else "to"
    return (head + (f"; settings changed {way} the model auto chose: {text}" if changed
                    else "; the same settings as the model auto chose") + seed)


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


#: what tells a rename, by what is renamed (:mod:`labelwright.runs.diff.renames`)
RENAMED = {"LFs": "the same votes on every item", "glossaries": "the same file"}


def _named_changes(what: str, changes: Changes) -> list[str]:
    """``LFs added: a, b``, ``... removed``, ``... edited`` and ``LFs renamed (the same
    votes on every item): old -> new``, those with names."""
    lines = [f"{what} {verb}: {', '.join(names)}" for verb, names in (
        ("added", changes.added), ("removed", changes.removed), ("edited", changes.edited))
        if names]
    if changes.renamed:
        lines.append(f"{what} renamed ({RENAMED.get(what, 'the same')}): "
                     + ", ".join(f"{old} -> {new}" for old, new in changes.renamed))
    return lines


def missing_section_warnings(d: RunDiff) -> list[str]:
    """A warning per section a run's manifest lacks that every run records: it was not
    compared, so the diff says nothing of it, rather than every LF added or the data
    changed."""
    return [f"{section} is missing from the manifest of run {' and '.join(runs)}, which "
            f"every run records: not compared (the manifest was edited; `labelwright runs "
            "verify` checks it)" for section, runs in d.missing_sections.items()]


def input_changes(d: RunDiff) -> list[str]:
    """One line per changed input, for ``runs diff`` and the report ([] when none)."""
    lines = [line for what, changes in (("LFs", d.lfs), ("LF modules", d.lf_modules),
                                        ("glossaries", d.glossaries),
                                        ("LF folder files", d.lf_files))
             for line in _named_changes(what, changes)]
    lines += glossary_edit_lines(d.glossary_edits)
    if d.data:
        a, b = d.data["a"], d.data["b"]
        def data(d: dict[str, Any]) -> str:
            where = f"{d['path']} " if a.get("path") != b.get("path") else ""
            return f"{where}{counted(d['rows'], 'row')} sha256 {str(d['sha256'])[:12]}"
        lines.append(f"data: {data(a)} -> {data(b)}")
    if d.config:
        lines.append(f"config: {_config_file(d.config['a'])} -> {_config_file(d.config['b'])}")
    if d.settings:
        lines.append("settings: " + "; ".join(f"{name} {a} -> {b}"
                                              for name, (a, b) in d.settings.items()))
    if d.model:
        lines.append(_model(d))
    if d.choice:
        a, b = d.choice["a"] or {}, d.choice["b"] or {}
        lines.append("auto chose: " + "; ".join(
            f"{key} {a.get(key)} -> {b.get(key)}" for key in ("model", "params", "calibration",
                                                            "labels_from")
            if a.get(key) != b.get(key)))
    if d.class_balance:
        def shares(balance: dict[str, float]) -> str:
            return ", ".join(f"{label} {percent(share)}" for label, share in balance.items())
        lines.append(f"class balance: {shares(d.class_balance['a'])} -> "
                     f"{shares(d.class_balance['b'])}")
    if d.reviews:
        lines += ledger_lines(d.reviews["a"], d.reviews["b"])
    lines += review_setting_lines(d.review_settings, config_same=d.config_same)
    if d.reviews:
        lines += settlement_lines(d.reviews["a"], d.reviews["b"])
    if d.pipeline:
        lines.append(f"spaCy pipeline: {pipeline_text(d.pipeline['a'])} -> "
                     f"{pipeline_text(d.pipeline['b'])}")
    if d.packages:
        lines.append("packages: " + ", ".join(f"{name} {a or '(absent)'} -> {b or '(absent)'}"
                                              for name, (a, b) in d.packages.items()))
    if d.labelwright_code:
        lines.append(f"labelwright code: {d.labelwright_code[0]} -> {d.labelwright_code[1]}")
    return lines
