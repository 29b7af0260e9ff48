"""The report's summary section: what the run read, how it labeled, the settings it ran
with, and its accuracy on held-out gold, as the manifest records them.

The accuracy is the run's own ``evaluation`` (the numbers ``labelwright run`` prints in
its "Accuracy on the gold part" table), never counted again from the labels: the page and
the terminal cannot disagree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.report import html
from labelwright.report.data import RunData
from labelwright.runs.manifest import chosen_model, settings_text

#: the rows of the accuracy table: evaluation key, and the name the terminal gives it
COMPARED = (("label_model", "label model"), ("majority_vote", "majority vote"))


def _chosen(chosen: Any) -> list[tuple[str, Any]]:
    """auto's choice as rows: the model it fit with its settings, and why."""
    if not isinstance(chosen, dict):
        return []
    reason = chosen.get("reason")
    # runs before reasons named reviewed labels so called them gold rows
    why = "why" + (" (its gold rows are reviewed labels)" if "gold rows" in str(reason) else "")
    return [("chosen model", chosen_model(chosen)),
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
                 else f", {counted(workers, 'worker')}")
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
    params = settings_text(model.get("params"))
    rows: list[tuple[str, Any]] = [
        ("data file", d.get("path")), ("rows", f"{d.get('rows', data.n_items):,}"),
        ("held-out gold items (measured, never fit)",
         _held_out(d.get("gold_rows"), m.get("evaluation") or {}, bool(m.get("reviews")))),
        ("data sha256", d.get("sha256")),
        ("labels", ", ".join(data.labels)),
        ("label model", f"{model.get('name')} ({model.get('class')}), tie-break "
                        f"{model.get('tie_break')}"),
        ("parameters", params),
        *_balance(model, data.labels),
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
    failures = "".join(f'<p class="hint bad">LF {html.esc(k)} raised on '
                       f'{v.get("count") or 0:,} items '
                       f"(first: {html.esc(', '.join(v.get('item_ids', [])))})</p>"
                       for k, v in (m.get("failures") or {}).items())
    accuracy = _accuracy(m) + per_label(data)
    settings = "<h3>Data, label model and settings</h3>" if accuracy else ""
    return (f"{accuracy}{settings}<dl>{dl}</dl>{failures}"
            f"<h3>Glossaries</h3>{glossaries}")


def _held_out(gold_rows: int | None, evaluation: dict[str, Any], reviewed: bool) -> str | None:
    """The gold items the accuracy is measured on (``evaluation``'s count): the data's gold
    rows less those with a reviewed label, which the label model was fit on."""
    if evaluation.get("n_gold") is not None:
        n_gold, left_out = evaluation["n_gold"], evaluation.get("reviewed_left_out") or 0
        if not left_out:
            return f"{n_gold:,}"
        return (f"{n_gold:,} of {n_gold + left_out:,} gold rows: the {left_out:,} with a "
                "reviewed label are left out, the label model was fit on those labels")
    if gold_rows is None:
        return None  # a run from before the manifest recorded it
    if not gold_rows:
        return "none: the data has no gold labels"
    if reviewed:  # evaluation is empty when every gold row was reviewed
        return (f"none of {gold_rows:,} gold rows: each has a reviewed label, which the "
                "label model was fit on")
    return f"none of {gold_rows:,} gold rows: the run recorded no accuracy"


def _balance(model: dict[str, Any], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """The class balance the label model was fit with, as a row (none for a run from before
    the manifest recorded it)."""
    shares = model.get("class_balance")
    if not shares:
        return []
    shown = (", ".join(f"{label} {percent(p)}" for label, p in zip(labels, shares))
             if len(shares) == len(labels)
             else f"{', '.join(percent(p) for p in shares)} ({len(shares)} shares for "
                  f"{len(labels)} labels)")
    setting = model.get("class_balance_setting")
    if setting == "votes":
        shown += " (estimated from the votes: [label_model] class_balance = \"votes\")"
    elif setting is not None:
        shown += " (as [label_model] class_balance sets it)"
    return [("class balance", shown)]


def _accuracy(manifest: dict[str, Any]) -> str:
    """Label model and majority vote on the held-out gold, as ``labelwright run`` prints
    them: a label model below majority vote is plain to see."""
    evaluation = manifest.get("evaluation") or {}
    n_gold = evaluation.get("n_gold")
    if not n_gold:
        return ""
    name = (manifest.get("label_model") or {}).get("name")
    rows = [[html.esc(f"{title} ({name})" if key == "label_model" else title),
             html.pct(result.get("accuracy")), f"{result.get('labeled', 0):,} / {n_gold:,}",
             html.pct(result.get("covered_accuracy"))]
            for key, title in COMPARED if isinstance(result := evaluation.get(key), dict)]
    return (f"<h3>Accuracy on held-out gold ({n_gold:,} items)</h3>"
            + html.table(["model", "accuracy", "labeled", "accuracy where labeled"], rows,
                         numeric=[False, True, True, True])
            + '<p class="muted">Accuracy counts a gold item left without a label (no LF voted) '
              "as wrong; accuracy where labeled is over the gold items that got a label.</p>")


def per_label(data: RunData) -> str:
    """The label model on the held-out gold, per label: precision, recall and F1, and the
    confusion table (gold label by the label it gave). An item left without a label is a
    miss of its gold label, as it is wrong in the accuracy, so the table's diagonal over its
    total is the accuracy above."""
    confusion = data.confusion
    if confusion is None:
        return ""
    counts = confusion.to_numpy()
    right = np.diag(counts[:, :len(data.labels)])
    gold_n, given_n = counts.sum(axis=1), counts[:, :len(data.labels)].sum(axis=0)
    rows = []
    for k, label in enumerate(data.labels):
        precision = right[k] / given_n[k] if given_n[k] else None
        recall = right[k] / gold_n[k] if gold_n[k] else None
        f1 = (2 * right[k] / (gold_n[k] + given_n[k])) if gold_n[k] + given_n[k] else None
        rows.append([html.esc(label), int(gold_n[k]), int(given_n[k]), int(right[k]),
                     html.pct(precision), html.pct(recall), html.pct(f1)])
    headers = ["gold / label", *data.labels, "(none)"]
    matrix = [[html.esc(label), *(int(c) for c in counts[k])]
              for k, label in enumerate(data.labels)]
    return ("<h3>Per label, on the same held-out gold</h3>"
            + html.table(["label", "gold items", "labeled so", "right", "precision", "recall",
                          "F1"], rows, numeric=[False, *[True] * 6])
            + '<p class="muted">Precision: of the held-out items the label model gave this '
              "label, the share whose gold label it is; recall: of the held-out items with "
              "this gold label, the share it gave it (an item left without a label is "
              "missed).</p><h4>Gold label (rows) by the label model's label</h4>"
            + html.table(headers, matrix, numeric=[False, *[True] * (len(headers) - 1)]))
