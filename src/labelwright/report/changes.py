"""What changed since the previous run in the same ``runs/`` folder, and the report's
section saying it.

The comparison is ``runs diff``'s (:func:`labelwright.runs.diff.compare.diff_runs`): every input the
manifests record, and the labels joined on item id, from the previous run
(:func:`~labelwright.runs.run_folders.run_before`: for a run still being written, the
newest finished one before it that did not fail).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.report import html
from labelwright.report.data import EXAMPLES
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.flip_causes import flip_because
from labelwright.runs.diff.input_lines import input_changes, missing_section_warnings
from labelwright.runs.diff.lines import (
    cause_line,
    common_gold_line,
    effect_lines,
    failed_between_text,
    gold_items_note,
)
from labelwright.runs.diff.result import RunDiff
from labelwright.runs.run_folders import earlier_failed_text, failed_between, run_before
from labelwright.runs.store import other_project, read_manifest


def compare_runs(run_dir: Path, manifest: dict[str, Any], *,
                 examples: int = EXAMPLES) -> RunDiff | None:
    """Changes from the previous run to this one, or None when there is no previous run;
    a :class:`RunError` when that run was made by another project (copied in: the changes
    from it are no one's), or when every run before this one failed (it is no first run,
    and the user saw those fail: :func:`earlier_failed_text` says so)."""
    run_id = str(manifest.get("run_id") or run_dir.name)
    previous = run_before(run_dir, run_id)
    if previous is None:
        failed = earlier_failed_text(run_dir.parent, run_id)
        if failed is not None:
            raise RunError(failed)
        return None
    try:
        problem = other_project(previous, read_manifest(previous), manifest.get("project"))
        if problem is None:
            d = diff_runs(previous, run_dir, max_examples=examples, manifest_b=manifest)
            d.failed_between = failed_between(run_dir.parent, previous.name, run_id)
            return d
    except RunError as exc:  # its manifest or labels cannot be read: named by run
        raise RunError(f"run {previous.name}, the run before this one: {exc}") from None
    raise RunError(f"{previous}, the run before this one: {problem}")


def changes_section(changes: RunDiff | None, problem: str | None = None) -> str:
    if problem is not None:
        return html.section("changes", "Changes since the previous run",
                            f'<p class="hint">Cannot compare with the previous run: '
                            f"{html.esc(problem)}</p>")
    if changes is None:
        return html.section("changes", "Changes since the previous run",
                            '<p class="muted">This is the first run in this runs/ folder.</p>')
    inputs = [*missing_section_warnings(changes), *input_changes(changes)]
    input_part = ("<ul>" + "".join(f"<li>{html.esc(line)}</li>" for line in inputs) + "</ul>"
                  if inputs else '<p class="muted">No input changed: LFs, glossaries, data, '
                                 'config, label model, reviews, spaCy pipeline, packages and '
                                 "labelwright's code are as they were.</p>")
    share = changes.flipped / changes.compared if changes.compared else None
    flips = (f"<p>{changes.flipped:,} of {changes.compared:,} items present in both runs "
             f"changed label ({html.pct(share)})"
             + (f", {changes.flipped_by_review:,} of them to a reviewed label"
                if changes.flipped_by_review else "")
             + (f"; {changes.only_a:,} items only in the previous run, {changes.only_b:,} "
                "only in this one" if changes.only_a or changes.only_b else "") + ".</p>")
    moves = [f"{what} {html.pct(a)} &rarr; {html.pct(b)}" for what, (a, b) in
             (("coverage", changes.coverage), ("accuracy on gold", changes.accuracy))
             if a is not None and b is not None]
    if moves:
        flips += f"<p>{'; '.join(moves)}{html.esc(gold_items_note(changes))}.</p>"
    common = common_gold_line(changes)
    if common:  # the change over the same items, when the runs' own are over others
        flips += f"<p>{html.esc(common[0].upper() + common[1:])}.</p>"
    causes = cause_line(changes)
    flips += f"<p>{html.esc(causes[0].upper() + causes[1:])}.</p>" if causes else ""
    flips += "".join(f"<p>{html.esc(line)}.</p>" for line in effect_lines(changes))
    parts = [f"<p>Compared with run <code>{html.esc(changes.run_a)}</code>"
             f"{html.esc(failed_between_text(changes))}.</p>",
             "<h3>Inputs</h3>", input_part, "<h3>Labels flipped</h3>", flips]
    if changes.transitions:
        parts.append(html.table(["previous label", "current label", "items"],
                           [[html.user(a), html.user(b), n] for (a, b), n in
                            list(changes.transitions.items())[:30]],
                           numeric=[False, False, True]))
        parts.append("<h3>Examples</h3>")
        parts.append(html.table(["id", "previous", "current", "confidence before", "confidence now",
                            "because"],
                           [[html.user(e["id"]), html.user(e["from"]), html.user(e["to"]),
                             html.pct(e["confidence_a"]), html.pct(e["confidence_b"]),
                             html.esc(flip_because(e))]
                            for e in changes.examples]))
    return html.section("changes", "Changes since the previous run", *parts)
