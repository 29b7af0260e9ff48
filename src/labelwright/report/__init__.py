"""The quality report of a run: ``runs/<run_id>/report.html``, one self-contained page.

    from labelwright.report import write_report
    write_report(Path("runs/20261128-031957-123456"))

It reads only the run folder (the previous run next to it, and the manifests of the runs
before for its History), so it can be rebuilt
at any time with ``labelwright report``. Its plots are inline SVG that labelwright draws
itself (:mod:`labelwright.report.plots`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.errors import RunError
from labelwright.report import html, plots
from labelwright.report.calibration import calibration_note, class_calibration, vote_calibration
from labelwright.report.changes import changes_section, compare_runs
from labelwright.report.comparison_warnings import (
    ComparisonWarnings,
    comparison_warnings,
    same_but_when_made,
)
from labelwright.report.comparison_warnings import now as comparison_now
from labelwright.report.data import HeldOutputs, RunData, expected_calibration_error, load_run
from labelwright.report.example_items import examples_table
from labelwright.report.header import header
from labelwright.report.history import history_section
from labelwright.report.lf_section import lf_table
from labelwright.report.next_steps import next_steps
from labelwright.report.phrase_hits import phrases_without_hits
from labelwright.report.queue_section import (  # noqa: F401  (still importable from here)
    REASON_NAMES,
    queue_section,
    reason_name,
)
from labelwright.report.review_section import reviews_section
from labelwright.report.reviews import review_stats
from labelwright.report.summary import summary
from labelwright.report.terms import terms_section
from labelwright.report.times import previous_start
from labelwright.runs.diff.result import RunDiff
from labelwright.runs.file_names import GLOSSARY_HITS_FILE, REPORT, REVIEW_FILES

TOP_TERMS = 20
UNMATCHED_SHOWN = 200
HITS_ROWS = 500  # rows of the hits-per-term table (glossary_hits.csv has them all)
COVERAGE_LFS = 60  # LFs in the coverage plot (the LF table lists every one)

__all__ = ["REASON_NAMES", "REPORT", "rebuild_report", "reason_name", "render_report",
           "write_report"]


#: what changed since the previous run, as a report shows it: the comparison, or None with
#: why there is none to show (None, None: there is no previous run)
Changes = tuple[RunDiff | None, str | None]


def report_changes(run_dir: Path, manifest: dict[str, Any]) -> Changes:
    """The changes since the run before ``run_dir`` (:func:`compare_runs`); a previous run
    that cannot be compared gives the reason instead: this run's report still stands."""
    try:
        return compare_runs(run_dir, manifest), None
    except RunError as exc:
        return None, str(exc)


def write_report(run_dir: str | os.PathLike[str], *, out: str | os.PathLike[str] | None = None,
                 check: bool = True, changes: Changes | None = None,
                 held: HeldOutputs | None = None) -> Path:
    """Write the report of the run in ``run_dir`` to ``out`` (default ``run_dir/report.html``).

    With ``check`` (the default; a run writing its own report skips it), a run whose outputs
    are not as it wrote them (the manifest's hashes) is a :class:`RunError`: the report
    would show edited labels or reviews as the run's. An ``out`` elsewhere is refused where
    a review export is (the dataset, a file a run wrote, ...: :func:`check_targets`).
    ``changes``: :func:`report_changes` of the run, when made already. ``held``: its labels
    table and label matrix as the run writing them holds them (:class:`~labelwright.report.
    data.HeldOutputs`), not read back from its files."""
    from labelwright.review.targets import check_targets, run_project_config
    from labelwright.runs.store import atomic_write_text

    # absolute: a rebuild is recorded beside the run folder, under its name ("." has none)
    run_dir, out = Path(os.path.abspath(run_dir)), None if out is None else Path(out)
    if check:
        _check_outputs(run_dir)
    if out is not None and Path(out).resolve() != (run_dir / REPORT).resolve():
        check_targets([Path(out)], run_project_config(run_dir), what="report", into_runs=True,
                      run_dir=run_dir)
    own = out is None or Path(out).resolve() == (run_dir / REPORT).resolve()
    out = out or run_dir / REPORT
    page = render_report(run_dir, changes=changes, held=held)
    if check and own:  # a run's report written again: on record, as `labelwright report`
        from labelwright.runs.report_record import record_rebuilt_report

        record_rebuilt_report(run_dir, page)
    atomic_write_text(out, page)
    return out


def rebuild_report(run_dir: str | os.PathLike[str]) -> tuple[Path, Path | None]:
    """``labelwright report``: the run's ``report.html`` written again, as
    :func:`write_report` writes it, with the report that was there kept as it was in
    ``replaced/<UTC time>/`` of the run folder (:func:`~labelwright.runs.replaced.
    keep_replaced`): a report an older labelwright built says what that one said. Returns
    the report and that folder (None when there was no report to keep, or the old one
    differed only by the time it says it was made: :func:`~labelwright.report.
    comparison_warnings.same_but_when_made`). The page is made before the old one is
    moved, so a run that cannot be reported keeps its report."""
    from labelwright.runs.replaced import write_replacing
    from labelwright.runs.report_record import record_rebuilt_report
    from labelwright.runs.store import atomic_write_text

    run_dir = Path(os.path.abspath(run_dir))  # recorded under its name: see write_report
    _check_outputs(run_dir)
    page = render_report(run_dir)
    record_rebuilt_report(run_dir, page)  # runs verify takes the new page as the run's
    kept = write_replacing(run_dir, [REPORT],
                           lambda: atomic_write_text(run_dir / REPORT, page),
                           same=same_but_when_made)
    return run_dir / REPORT, kept


def _check_outputs(run_dir: Path) -> None:
    """A :class:`RunError` when the files a report is made from are not as the run wrote
    them (the review queue and sample files are for reviewers to fill in, review_label, so
    they may differ from the run's)."""
    from labelwright.runs.store import changed_outputs, read_manifest

    problems = changed_outputs(run_dir, read_manifest(run_dir), skip=REVIEW_FILES)
    if problems:
        raise RunError(f"{run_dir}: not as the run left it, so no report is made from it: "
                       f"{'; '.join(problems)} (`labelwright runs verify` checks a run; "
                       "`labelwright run` makes a new one)")


def render_report(run_dir: Path, *, changes: Changes | None = None,
                  held: HeldOutputs | None = None) -> str:
    """The report page of the run in ``run_dir``, as HTML text (``changes``: its
    :func:`report_changes`, when made already; ``held``: as for :func:`write_report`)."""
    data = load_run(run_dir, held=held)
    built_at = None if changes is not None else comparison_now()  # None: made with the run
    since, problem = changes if changes is not None else report_changes(run_dir, data.manifest)
    try:
        reviews, reviews_problem = review_stats(run_dir, data.manifest), None
    except RunError as exc:  # not the run's reviews: the rest of the report still stands
        reviews, reviews_problem = None, str(exc)
    m = data.manifest
    project = m.get("project", {}).get("name", "")
    sections = [
        *_warnings(data, comparison_warnings(data.manifest, since, problem,
                                             built_at=built_at)),
        *_next_steps(data),
        ("summary", "Summary",
         summary(data, previous_start(run_dir, m, since.run_a if since else None))),
        ("lfs", "Labeling functions", _lfs(data)),
        ("labels", "Labels", _labels(data)),
        ("queue", "Review queue", queue_section(data)),
        ("glossaries", "Glossaries", _glossaries(data)),
        ("examples", "Examples", _examples(data)),
    ]
    if reviews is not None or reviews_problem is not None:
        sections.append(("reviews", "Reviews", reviews_section(reviews, reviews_problem)))
    sections.append(("changes", "Changes", changes_section(since, problem)))
    trend = history_section(data.run_id, m, run_dir)
    if trend is not None:
        sections.append(("history", "History", trend))
    sections.append(("terms", "Terms used", terms_section()))
    return html.page(
        f"labelwright report · {project} · {data.run_id}",
        header(data, project, since),
        [(anchor, title) for anchor, title, _ in sections],
        [body if body.startswith("<section") else html.section(anchor, title, body)
         for anchor, title, body in sections],
    )


def _warnings(data: RunData, recorded: ComparisonWarnings) -> list[tuple[str, str, str]]:
    """The warnings ``labelwright run`` printed (the manifest's ``run_warnings``), the
    comparison's with the previous run as true now (``recorded``: :func:`~labelwright.report.
    comparison_warnings.comparison_warnings`), the data reader's (``data.warnings``) and the
    report's own notes (files missing or unreadable), as the first section, so no one reads
    the figures without them. A run from before the manifest recorded ``run_warnings`` says
    so: its warnings are not on the page."""
    m = data.manifest
    run, read = m.get("run_warnings"), (m.get("data") or {}).get("warnings") or []
    hints = [*recorded.others, *recorded.shown, *(f"reading the data: {w}" for w in read),
             *(f"this report: {note}" for note in data.notes)]
    parts = [f'<p class="hint">{html.esc(w)}</p>' for w in hints]
    if recorded.dropped:
        parts.append(f'<p class="muted">{html.esc(recorded.dropped)}</p>')
    if run is None:
        parts.append('<p class="muted">This run\'s manifest does not record the warnings '
                     "<code>labelwright run</code> printed about it (runs from before it did "
                     "recorded only the data reader's): any it printed are not on this "
                     "page.</p>")
    if not parts:
        return []
    title = f"Warnings ({len(hints)})" if hints else "Warnings"
    return [("warnings", title, "".join(parts))]


def _next_steps(data: RunData) -> list[tuple[str, str, str]]:
    """"Next steps" after the warnings: what the run found to act on
    (:func:`~labelwright.report.next_steps.next_steps`); none, no section."""
    steps = next_steps(data)
    if not steps:
        return []
    return [("next", "Next steps", "<ol>" + "".join(f"<li>{s}</li>" for s in steps)
             + "</ol>")]


def _lfs(data: RunData) -> str:
    heatmap_note = coverage_note = ""
    if len(data.lf_names) > plots.MAX_HEATMAP_LFS:
        heatmap_note = (f'<p class="muted">The heatmaps show the {plots.MAX_HEATMAP_LFS} LFs '
                        "with the most conflicts.</p>")
    shown = data.lf_table
    if len(shown) > COVERAGE_LFS and "coverage" in shown:
        shown = shown.nlargest(COVERAGE_LFS, "coverage")
        coverage_note = (f'<p class="muted">The coverage plot shows the {COVERAGE_LFS} LFs '
                         f"that cover the most items of {len(data.lf_table):,}; the table "
                         "lists every one.</p>")
    return (lf_table(data) + "<h3>Coverage per LF</h3>" + coverage_note
            + plots.coverage(shown)
            + "<h3>LF × LF agreement and conflicts</h3>" + heatmap_note
            + plots.heatmaps(data.lf_names, data.co_votes, data.agreements, data.n_items))


def _panels_note(hist: dict[str, Any]) -> str:
    """Past :data:`~labelwright.report.plots.MAX_PANELS` labels, which labels have no
    confidence panel, by name with their items: the rarest, which a user may most want."""
    if len(hist) <= plots.MAX_PANELS:
        return ""
    ranked = sorted(hist, key=lambda k: -int(hist[k].sum()))
    rest = ", ".join(f"{html.user(label)} ({int(hist[label].sum()):,})"
                     for label in ranked[plots.MAX_PANELS:])
    return (f'<p class="muted">The {plots.MAX_PANELS} labels with the most items of '
            f"{len(hist)} have a panel; the others (items the label model gave them): "
            f"{rest}.</p>")


def _labels(data: RunData) -> str:
    threshold = (data.manifest.get("triage") or {}).get("threshold")
    parts = [*_label_table(data),
             "<h3>Label distribution</h3>",
             plots.label_distribution(data.predicted, data.gold, data.gold_given),
             "<h3>Confidence per predicted label</h3>",
             _panels_note(data.confidence_hist),
             plots.confidence(data.confidence_edges, data.confidence_hist, threshold),
             "<h3>Reliability diagram (calibration on gold items)</h3>",
             calibration_note(data)]
    if data.n_reviewed:
        parts.insert(4, f'<p class="muted">{data.n_reviewed:,} items carry a reviewed label '
                        "(confidence 1 by definition): they are counted in the table above "
                        "but not in the confidence plots or the calibration, which show the "
                        "label model's own labels.</p>")
    if data.reliability is not None and not data.reliability.empty:
        ece = expected_calibration_error(data.reliability)
        parts.append(plots.reliability(data.reliability, ece))
    parts.append(vote_calibration(data.vote_calibration))
    parts.append(class_calibration(data.class_reliability))
    return "".join(parts)


def _label_table(data: RunData) -> list[str]:
    """Labels over all items, and beside them, over the held-out gold items alone, the gold
    labels and the label model's: shares of the same items, so the two compare."""
    gold, given = data.gold, data.gold_given
    total = sum(gold.values()) if gold else 0

    def share(counts: dict[str, int] | None, label: str) -> str:
        if counts is None or label not in counts:
            return ""
        return f"{html.pct(counts[label] / total if total else None)} ({counts[label]:,})"

    def voted(label: str) -> str:  # "(none)" has no votes to count
        n = data.voted.get(label)
        return "" if n is None else \
            f"{html.pct(n / data.n_items if data.n_items else None)} ({n:,})"

    names = list(data.predicted) + [k for k in (given or {}) if k not in data.predicted]
    rows = [[html.user(k), data.predicted.get(k, 0),
             html.pct(data.predicted.get(k, 0) / data.n_items if data.n_items else None),
             voted(k), share(gold, k), share(given, k)] for k in names]
    headers = ["label", f"items ({data.n_items:,})", "share of all items",
               "items with a vote for it"]
    coverage = ("Items with a vote for it: the label's coverage, the items at least one LF "
                "voted it on (an item with votes for two labels counts under both), as "
                "<code>labelwright run</code> prints it: a label the LFs seldom vote for is "
                "one the label model can seldom give.")
    if gold is None:
        return [html.table(headers, [r[:4] for r in rows], numeric=[False, True, True, True]),
                f'<p class="muted">{coverage} No held-out gold items: no gold column to '
                "compare with.</p>"]
    left_out = int((data.manifest.get("evaluation") or {}).get("reviewed_left_out") or 0)
    why = (f" (gold rows without a reviewed label: the {left_out:,} with one are left out, "
           "the label model was fit on them)" if left_out else "")
    return [html.table([*headers, "held-out gold: gold label", "held-out gold: label model"],
                       rows, numeric=[False, True, True, True, True, True]),
            f'<p class="muted">The first columns count all {data.n_items:,} items, reviewed '
            f"labels included. {coverage} The two gold columns are over the same {total:,} "
            f"held-out gold items as the accuracy in the Summary{why}: the share with each "
            "gold label, and the share the label model gave each label, so the two compare "
            "item for item "
            "(an item it left without a label is under (none)).</p>"]


def _glossaries(data: RunData) -> str:
    hits = data.glossary_hits
    if hits is None:
        return (f'<p class="muted">This run has no <code>{GLOSSARY_HITS_FILE}</code>: hits per '
                "term were not recorded.</p>")
    if hits.empty:
        return '<p class="muted">This project has no glossaries.</p>'

    ordered = hits.sort_values(["hits", "term"], ascending=[False, True], kind="stable")
    top = ordered[ordered["hits"] > 0].head(TOP_TERMS)
    counts = {f"{r.term} [{r.glossary}]": int(r.hits) for r in top.itertuples()}
    names = [(html.UserText(r.term), " [", html.UserText(r.glossary), "]")
             for r in top.itertuples()]  # drawn so: each name isolated
    rows = [[html.user(r.glossary), html.user(r.term), html.user(r.label),
             (f"{int(r.hits):,}", int(r.hits)), (f"{int(r.cancelled):,}", int(r.cancelled))]
            for r in ordered.head(HITS_ROWS).itertuples()]  # (shown, key): sorted as numbers
    cut = (f'<p class="muted">The {HITS_ROWS:,} terms with the most hits of {len(ordered):,}; '
           f"every term is in {GLOSSARY_HITS_FILE}.</p>" if len(ordered) > HITS_ROWS else "")
    return (f"<h3>Top {TOP_TERMS} terms</h3>"
            + (plots.bars(counts, "terms", "matches", "#55A868", shown=names)
               if counts else '<p class="muted">No term matched.</p>')
            + _terms_without_hits(ordered) + phrases_without_hits(data.phrase_hits)
            + "<h3>Hits per term</h3>" + cut
            + html.table(["glossary", "term", "label", "hits", "cancelled"], rows, sortable=True,
                         numeric=[False, False, False, True, True]))


def _terms_without_hits(ordered: pd.DataFrame) -> str:
    """Terms with no hit, in two lists: those that never matched, and those that matched
    but were cancelled by an exclusion every time (listed as never matched, they sent the
    reader looking for a typo in a term that does occur)."""
    unhit = ordered[ordered["hits"] == 0]
    never = unhit[unhit["cancelled"] == 0]
    cancelled = unhit[unhit["cancelled"] > 0].sort_values(
        ["cancelled", "term"], ascending=[False, True], kind="stable")

    def with_count(term_n: tuple[str, int]) -> str:  # a term and the items it missed
        term, n = term_n
        return f"{html.user(term)} ({int(n):,} item{'' if n == 1 else 's'})"

    out = (f"<h3>Terms that never matched ({len(never):,})</h3>"
           + (f"<p>{html.chips(never['term'].tolist(), UNMATCHED_SHOWN, render=html.user)}</p>"
              if len(never) else '<p class="muted">Every term matched at least once.</p>'))
    if len(cancelled):
        pairs = list(zip(cancelled["term"], cancelled["cancelled"]))
        out += (f"<h3>Terms that matched, always cancelled by an exclusion "
                f"({len(cancelled):,})</h3>"
                f"<p>{html.chips(pairs, UNMATCHED_SHOWN, render=with_count)}</p>")
    return out


def _examples(data: RunData) -> str:
    tie_break = (data.manifest.get("label_model") or {}).get("tie_break")
    note = f'<p class="muted">{html.esc(data.tie_note)}.</p>' if data.tie_note else ""
    return (note + "<h3>Conflicts (LFs voted for different labels)</h3>"
            + examples_table(data.conflict_examples, tie_break)
            + "<h3>Low confidence (least confident first)</h3>"
            + examples_table(data.low_confidence_examples, tie_break))
