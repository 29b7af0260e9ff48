"""The report's summary section: what the run read, how it labeled, and the settings it
ran with, as the manifest records them."""

from __future__ import annotations

from typing import Any

from labelwright.report import html
from labelwright.report.data import RunData


def _chosen(chosen: Any) -> list[tuple[str, Any]]:
    """auto's choice as rows: the model it fit with its settings, and why."""
    if not isinstance(chosen, dict):
        return []
    settings = ", ".join(f"{k}={v}" for k, v in sorted((chosen.get("params") or {}).items()))
    reason = chosen.get("reason")
    # runs before reasons named reviewed labels so called them gold rows
    why = "why" + (" (its gold rows are reviewed labels)" if "gold rows" in str(reason) else "")
    return [("chosen model", f"{chosen.get('model')}" + (f" ({settings})" if settings else "")),
            (why, reason)]


def _applied(record: Any) -> str | None:
    """How the run applied its LFs (the manifest's ``apply``) in one line; a run from before
    the manifest recorded more than the engine says only that."""
    if not isinstance(record, dict) or not record.get("engine"):
        return None
    engine, requested = str(record["engine"]), record.get("engine_requested")
    line = engine + (f" (chosen by {requested})" if requested and requested != engine else "")
    if record.get("cluster") == "LocalCluster":
        line += " on a LocalCluster"
    elif record.get("scheduler"):
        line += f" on the cluster at {record['scheduler']}"
    if "workers" in record:
        workers = record["workers"]
        line += (", the cluster's workers" if workers is None
                 else ", no engine started (every vote from the vote cache)" if workers == 0
                 else f", {workers} worker{'s' if workers != 1 else ''}")
    if "chunk_size" in record:
        line += f", chunks of {record['chunk_size']:,} items"
    return (line + _cache_use("vote cache", record.get("vote_cache"), "items read", "computed")
            + _cache_use("Doc cache", record.get("doc_cache"), "Docs read"))


def _cache_use(name: str, cache: Any, hits: str, misses: str | None = None) -> str:
    """``; vote cache: 120 items read, 80 computed`` (or ``off``); empty when not recorded."""
    if not isinstance(cache, dict):
        return ""
    if not cache.get("used"):
        return f"; {name} off"
    counts = [f"{cache.get('hits') or 0:,} {hits}"]
    if misses is not None:
        counts.append(f"{cache.get('misses') or 0:,} {misses}")
    return f"; {name}: {', '.join(counts)}"


def summary(data: RunData) -> str:
    m = data.manifest
    d, model, triage = m.get("data", {}), m.get("label_model", {}), m.get("triage", {})
    timings = m.get("timings_seconds") or {}
    params = ", ".join(f"{k}={v}" for k, v in sorted((model.get("params") or {}).items()))
    rows: list[tuple[str, Any]] = [
        ("data file", d.get("path")), ("rows", f"{d.get('rows', data.n_items):,}"),
        ("held-out gold rows (measure, never fit)", d.get("gold_rows")),
        ("data sha256", d.get("sha256")),
        ("labels", ", ".join(data.labels)),
        ("label model", f"{model.get('name')} ({model.get('class')}), tie-break "
                        f"{model.get('tie_break')}"),
        ("parameters", params),
        *_chosen(model.get("chosen")),
        ("seed", m.get("seed")),
        ("triage", f"threshold {triage.get('threshold')}, audit size {triage.get('audit_size')}, "
                   f"conflicts to review: {triage.get('review_conflicts')}"),
        ("started / finished", f"{m.get('started_at')} / {m.get('finished_at')}"),
        ("LFs applied with", _applied(m.get("apply"))),
        ("timings", ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())),
        ("packages", ", ".join(f"{k} {v if v is not None else '(not installed)'}"
                               for k, v in (m.get("packages") or {}).items())),
    ]
    dl = "".join(f"<dt>{html.esc(k)}</dt><dd>{html.esc(v)}</dd>" for k, v in rows)
    glossaries = html.table(
        ["glossary", "label", "mode", "terms", "file"],
        [[html.esc(g.get("name")), html.esc(g.get("label")), html.esc(g.get("mode")),
          g.get("terms"), html.esc(g.get("path"))] for g in m.get("glossaries", [])],
        numeric=[False, False, False, True, False])
    warnings = "".join(f'<p class="hint">{html.esc(w)}</p>'
                       for w in [*d.get("warnings", []), *data.notes])
    failures = "".join(f'<p class="hint bad">LF {html.esc(k)} raised on {v.get("count")} items '
                       f"(first: {html.esc(', '.join(v.get('item_ids', [])))})</p>"
                       for k, v in (m.get("failures") or {}).items())
    return f"<dl>{dl}</dl>{warnings}{failures}<h3>Glossaries</h3>{glossaries}"
