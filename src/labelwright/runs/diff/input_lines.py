"""The inputs that changed between two runs, in lines: LFs, their modules and files,
glossaries, data, config, settings, the label model and auto's choice, class balance,
reviews, pipeline, packages and labelwright's code, as ``runs diff`` prints them and the
report shows them.

Apart from :mod:`~labelwright.runs.diff.lines`, which says the effect of those changes on
the labels."""

from __future__ import annotations

from typing import Any

from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.runs.diff.glossary_edits import glossary_edit_lines
from labelwright.runs.diff.result import Changes, RunDiff
from labelwright.runs.diff.review_ledger import ledger_lines, settlement_lines
from labelwright.runs.diff.review_settings import review_setting_lines
from labelwright.runs.manifest import pipeline_text

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
        lines.append(model_line(d))
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


def _config_file(config: dict[str, Any] | None) -> str:
    return f"{config['path']} sha256 {str(config['sha256'])[:12]}" if config \
        else "none (config from Python)"


def model_line(d: RunDiff) -> str:
    """``label model: a -> b; params changed: ...; seed 1 -> 2`` for a changed model (or
    auto's choice against a named model: :func:`chosen_vs_named`)."""
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
