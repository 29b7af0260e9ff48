"""The report's History: this run and the runs before it in the same ``runs/`` folder, one
row each, newest first: when, items, labeled share, coverage, review decisions, accuracy
on held-out gold, and what changed since the run before it.

The report had no trend across runs: Changes compares with the previous run alone. Each
row is read from its run's manifest only (no labels or votes), so a folder of many runs
stays fast; a run whose manifest cannot be read is a row that says so, never left out.
What changed is named with the manifest comparisons ``runs diff`` makes
(:mod:`labelwright.runs.diff.manifest_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.percent import percent
from labelwright.report import html
from labelwright.report.times import readable_time

#: the earlier runs shown (the page says how many more there are)
HISTORY_RUNS = 10
#: the names a change lists before "and N more"
NAMES_SHOWN = 3


@dataclass(frozen=True)
class PastRun:
    """One run folder's row: its manifest, or why it cannot be read (``problem``)."""

    run_id: str
    manifest: dict[str, Any] | None
    problem: str | None = None


def past_runs(run_dir: Path, run_id: str, limit: int = HISTORY_RUNS
              ) -> tuple[list[PastRun], int]:
    """The runs before ``run_id`` next to ``run_dir``, newest first: up to ``limit`` + 1
    (the one past the limit names what changed in the oldest shown), and how many earlier
    runs are past ``limit``. Run folders without a manifest are runs too (a deleted
    manifest), read as such."""
    from labelwright.runs.run_folders import folders_without_manifest, list_runs

    parent = run_dir.parent
    names = sorted({*list_runs(parent), *folders_without_manifest(parent)}, reverse=True)
    earlier = [name for name in names if name < run_id]
    return [_read(parent / name) for name in earlier[:limit + 1]], max(0, len(earlier) - limit)


def _read(run_dir: Path) -> PastRun:
    from labelwright.runs.manifest import read_manifest

    try:
        return PastRun(run_dir.name, read_manifest(run_dir))
    except RunError as exc:
        return PastRun(run_dir.name, None, str(exc))


def what_changed(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """What the manifest of run ``b`` records as changed since run ``a``'s: LF code (the LFs,
    their modules and the LF folder's other files), glossaries, data, label model,
    config and labelwright itself. A section either manifest lacks is not compared."""
    from labelwright.runs.diff.manifest_changes import code_change, lf_changes, named_changes

    def both(key: str) -> bool:
        return key in a and key in b

    parts = []
    lf_code = []
    if both("labeling_functions"):
        lf_code.append(lf_changes(a["labeling_functions"], b["labeling_functions"]))
    for key in ("lf_modules", "lf_folder_files"):
        if both(key):
            lf_code.append(named_changes(a[key] or [], b[key] or [], "sha256"))
    if (text := _named("LF code", lf_code)) is not None:
        parts.append(text)
    if both("glossaries") and (text := _named("glossaries", [named_changes(
            a["glossaries"] or [], b["glossaries"] or [], "sha256")])) is not None:
        parts.append(text)
    data_a, data_b = a.get("data") or {}, b.get("data") or {}
    if data_a.get("sha256") and data_b.get("sha256") and data_a["sha256"] != data_b["sha256"]:
        parts.append(f"data ({_rows(data_a)} -> {_rows(data_b)} rows)")
    parts += _model(a.get("label_model"), b.get("label_model"))
    config_a, config_b = (a.get("config") or {}).get("sha256"), (b.get("config") or {}).get(
        "sha256")
    if config_a and config_b and config_a != config_b:
        parts.append("config file")
    if code_change(a, b) is not None:
        parts.append("labelwright")
    return parts


def _rows(data: dict[str, Any]) -> str:
    rows = data.get("rows")
    return f"{rows:,}" if isinstance(rows, int) else "?"


def _named(what: str, changes: list[Any]) -> str | None:
    """``LF code (edited: a, b; added: c)``: the names each kind of change lists, the
    first :data:`NAMES_SHOWN` of each; None when nothing changed."""
    kinds = []
    for kind in ("edited", "added", "removed"):
        names = [name for change in changes for name in getattr(change, kind)]
        if names:
            more = len(names) - NAMES_SHOWN
            kinds.append(f"{kind}: {', '.join(names[:NAMES_SHOWN])}"
                         + (f" and {more} more" if more > 0 else ""))
    return f"{what} ({'; '.join(kinds)})" if kinds else None


def _model(a: Any, b: Any) -> list[str]:
    """``label model (auto -> snorkel)``, or its settings changed, from the two records."""
    if not isinstance(a, dict) or not isinstance(b, dict):
        return []
    if a.get("name") != b.get("name"):
        return [f"label model ({a.get('name')} -> {b.get('name')})"]
    if (a.get("params") or {}) != (b.get("params") or {}):
        return [f"label model settings ({b.get('name')})"]
    return []


def _cells(run: PastRun, before: PastRun | None, this: bool) -> list[Any]:
    """One row: the run, when it started, its figures, and what changed since ``before``."""
    name = f"<code>{html.esc(run.run_id)}</code>" + (" (this run)" if this else "")
    m = run.manifest
    if m is None:
        return [name, "", "", "", "", "", "", html.esc(f"cannot be read: {run.problem}")]
    if (m.get("outcome") or {}).get("status") == "failed":
        name += " (failed)"
    rows = (m.get("data") or {}).get("rows")
    labeled = m.get("labeled")
    evaluation = m.get("evaluation") or {}
    accuracy = (evaluation.get("label_model") or {}).get("accuracy")
    reviews = m.get("reviews") or {}
    if before is None:
        changed = "—"
    elif before.manifest is None:
        changed = f"not known: run {before.run_id} cannot be read"
    else:
        changed = "; ".join(what_changed(before.manifest, m)) or "nothing recorded"
    return [name, html.esc(readable_time(m.get("started_at"))),
            rows if isinstance(rows, int) else "?",
            (percent(labeled / rows) if isinstance(labeled, int) and rows else "not recorded"),
            percent(m.get("coverage")),
            int(reviews.get("decisions") or 0),
            (f"{percent(accuracy)} of {int(evaluation.get('n_gold') or 0):,}"
             if accuracy is not None else "—"),
            html.esc(changed)]


def history_section(run_id: str, manifest: dict[str, Any], run_dir: Path, *,
                    limit: int = HISTORY_RUNS) -> str | None:
    """The History section's body: this run and up to ``limit`` runs before it; None for a
    project's first run (nothing to trend)."""
    earlier, left_out = past_runs(run_dir, run_id, limit)
    if not earlier:
        return None
    runs = [PastRun(run_id, manifest), *earlier]
    shown = runs[:limit + 1]
    rows = [_cells(run, runs[k + 1] if k + 1 < len(runs) else None, this=k == 0)
            for k, run in enumerate(shown)]
    more = (f'<p class="muted">{left_out:,} earlier run(s) are not shown: '
            "<code>labelwright runs list</code> lists every run.</p>" if left_out else "")
    return (html.table(["run", "started", "items", "labeled", "covered by an LF",
                        "review decisions", "accuracy on held-out gold",
                        "what changed since the run before"], rows,
                       numeric=[False, False, True, True, True, True, True, False])
            + '<p class="muted">Newest first, from each run\'s manifest. Labeled: items with '
              "a label, reviewed ones included (runs from before the manifest counted them: "
              "not recorded). Review decisions: those the run read from the review ledger. "
              "Accuracy: the label model's on the held-out gold items that run had, so a "
              "change in those items moves it too. What changed names what the manifests "
              "record; <code>labelwright runs diff A B</code> compares two runs in full.</p>"
            + more)
