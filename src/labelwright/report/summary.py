"""The report's summary section: what the run read, how it labeled, the settings it ran
with, and its accuracy on held-out gold, as the manifest records them.

The accuracy is the run's own ``evaluation`` (the numbers ``labelwright run`` prints in
its "Accuracy on the gold part" table), never counted again from the labels: the page and
the terminal cannot disagree.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.caches import ranking_cache_text
from labelwright.config.schema import PER_LABEL
from labelwright.counts import counted
from labelwright.model_text import chosen_model, settings_text
from labelwright.models.class_prior import (
    LEARNED_BALANCE_NOTE,
    MIN_GOLD_FOR_BALANCE,
    VOTES_BALANCE_NOTE,
)
from labelwright.percent import percent
from labelwright.project.label_scores import f1_bounds, per_label_scores
from labelwright.report import html
from labelwright.report.data import RunData
from labelwright.report.times import time_rows
from labelwright.review.stats.agreement import wilson_interval
from labelwright.runs.ranking_weights import ranking_weights_text
from labelwright.triage.draw_records import gold_left_out_line, recorded_allocation

#: the rows of the accuracy table: evaluation key, and the name the terminal gives it
COMPARED = (("label_model", "label model"), ("majority_vote", "majority vote"))


def interval_text(successes: int, n: int) -> str:
    """The 95% Wilson interval of ``successes`` of ``n`` as the report writes one, as text
    (``50.9%–54.5%``; ``—`` without items): the interval the review rows show, from the
    same code (:func:`~labelwright.review.stats.agreement.wilson_interval`)."""
    if not n:
        return "—"
    return html.ci_text(*wilson_interval(int(successes), int(n)))


def interval(successes: int, n: int) -> str:
    """:func:`interval_text` as HTML."""
    return html.esc(interval_text(successes, n))


def f1_interval(right: int, gold_n: int, given_n: int) -> str:
    """A 95% interval of F1 = 2·right / (gold_n + given_n) as HTML
    (:func:`~labelwright.project.label_scores.f1_bounds`, as ``run``'s rare-labels line)."""
    bounds = f1_bounds(right, gold_n, given_n)
    return "—" if bounds is None else html.ci(*bounds)


def with_interval(successes: int, n: int) -> str:
    """``85.6% (83.4%–87.6%)`` as HTML: a share and its 95% Wilson interval."""
    return f"{html.pct(successes / n if n else None)} ({interval(successes, n)})"


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


def _ranked(record: Any) -> str | None:
    """Whether the review ranking was computed or read back from the ranking cache."""
    text = ranking_cache_text(record)
    return text.removeprefix("review ranking: ") if text else None


def _weights(record: Any) -> str | None:
    """Whether the ranking's weights were learned from the reviews, and the evidence."""
    text = ranking_weights_text(record)
    return text.removeprefix("ranking weights: ") if text else None


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


def summary(data: RunData, previous: tuple[str, Any] | None = None) -> str:
    """The Summary section; ``previous``: the run before and when it started
    (:func:`~labelwright.report.times.previous_start`), for how long before this one."""
    m = data.manifest
    d, model, triage = m.get("data", {}), m.get("label_model", {}), m.get("triage", {})
    timings = m.get("timings_seconds") or {}
    params = settings_text(model.get("params"))
    rows: list[tuple[str, Any]] = [
        ("data file", html.UserText(d.get("path")) if d.get("path") else None),
        ("rows", f"{d.get('rows', data.n_items):,}"),
        ("held-out gold items (measured, never fit)",
         _held_out(d.get("gold_rows"), m.get("evaluation") or {}, bool(m.get("reviews")))),
        ("data sha256", d.get("sha256")),
        ("labels", html.Markup(", ".join(html.user(label) for label in data.labels))),
        ("label model", f"{model.get('name')} ({model.get('class')}), tie-break "
                        f"{model.get('tie_break')}"),
        ("parameters", params),
        *_balance(model, data.labels, m.get("reviews")),
        *_chosen(model.get("chosen")),
        ("seed", m.get("seed")),
        ("triage", f"threshold {triage.get('threshold')}, audit size {triage.get('audit_size')}"
                   + (" shared alike per label" if recorded_allocation(triage) == PER_LABEL
                      else "") + ", "
                   f"conflicts to review: {_conflicts(triage.get('review_conflicts'))}"
                   + (f"; {left_out}" if (left_out := gold_left_out_line(triage)) else "")),
        *time_rows(m, previous),
        ("LFs applied with", _applied(m.get("apply"))),
        ("review ranking", _ranked(triage.get("ranking_cache"))),
        ("ranking weights", _weights(triage.get("ranking_weights_evidence"))),
        ("timings", ", ".join(f"{k} {v:.2f}s" for k, v in timings.items())),
        ("packages", ", ".join(f"{k} {v if v is not None else '(not installed)'}"
                               for k, v in (m.get("packages") or {}).items())),
    ]
    dl = "".join(f"<dt>{html.esc(k)}</dt><dd>{html.shown(v)}</dd>" for k, v in rows)
    glossaries = html.table(
        ["glossary", "label", "mode", "terms", "phrases", "file"],
        [[html.user(g.get("name")), html.user(g.get("label")), html.esc(g.get("mode")),
          g.get("terms"), g.get("phrases", "?"), html.user(g.get("path"))]
         for g in m.get("glossaries", [])],  # a run made before phrases were counted: ?
        numeric=[False, False, False, True, True, False])
    placed = data.failure_places  # the first items with the file and row they came from
    failures = "".join(f'<p class="hint bad">LF {html.user(k)} raised on '
                       f'{v.get("count") or 0:,} items (first: '
                       + ", ".join(html.user(placed.get(i, i)) for i in v.get("item_ids", []))
                       + ")</p>"
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


def _balance(model: dict[str, Any], labels: tuple[str, ...],
             reviews: dict[str, Any] | None) -> list[tuple[str, html.Markup]]:
    """The class balance the label model was fit with, as a row that says where it came
    from (none for a run from before the manifest recorded it)."""
    shares = model.get("class_balance")
    if not shares:
        return []
    shown = (", ".join(f"{html.user(label)} {html.pct(p)}" for label, p in zip(labels, shares))
             if len(shares) == len(labels)
             else html.esc(f"{', '.join(percent(p) for p in shares)} ({len(shares)} shares "
                           f"for {len(labels)} labels)"))
    return [("class balance",
             html.Markup(f"{shown} ({html.esc(balance_source(model, reviews))})"))]


def balance_source(model: dict[str, Any], reviews: dict[str, Any] | None) -> str:
    """Where the class balance of a manifest's ``label_model`` came from, in words: given,
    assumed equal, or an estimate and from what (the votes, the reviews of a random sample,
    reviewed labels that are no random sample, the model's EM). Read from what the manifest
    records of the fit (``class_balance_setting``, auto's ``gold_sample`` and choice, the
    reviews' count), as :mod:`labelwright.models.gold_use` decides it."""
    setting = model.get("class_balance_setting")
    if setting == "votes":
        return "estimated from the votes: [label_model] class_balance = \"votes\""
    if setting is not None:
        return "as [label_model] class_balance sets it: given, not estimated"
    if model.get("class_balance_from_votes"):
        return VOTES_BALANCE_NOTE
    chosen = model.get("chosen")
    params = {**(model.get("params") or {}),
              **((chosen.get("params") or {}) if isinstance(chosen, dict) else {})}
    if model.get("class_balance_learned") and params.get("learn_class_balance") is not True:
        return LEARNED_BALANCE_NOTE  # "auto": learned from LFs voting several labels
    shares = model.get("class_balance") or []
    reviewed = int((reviews or {}).get("items_with_gold") or 0)
    if shares and max(shares) - min(shares) < 1e-9:
        return ("assumed equal, not estimated" if reviewed else
                "assumed equal, not estimated: no reviewed labels to estimate it from")
    sample = model.get("gold_sample") or {}
    if sample.get("source") == "random sample" and sample.get("too_few"):
        return (f"estimated from {reviewed:,} reviewed labels, weighted to all items' vote "
                f"patterns: {int(sample.get('sampled_rows') or 0):,} from a random sample, too "
                "few to set it, and the others the queue's")
    if sample.get("source") == "random sample" and sample.get("representative"):
        others = int(sample.get("other_rows") or 0)
        short = ("; the sample is short of a label, so the votes' balance stands for each "
                 "label it does not show wrong" if sample.get("short") else "")
        return (f"estimated from {int(sample.get('sampled_rows') or 0):,} random-sample "
                f"reviews, weighted to all items' vote patterns{short}"
                + (f"; the {others:,} other reviewed items (the queue's) count as themselves"
                   if others else ""))
    if sample and not sample.get("representative"):
        return (f"estimated from {reviewed:,} reviewed labels that are no random sample, "
                "weighted to all items' vote patterns")
    if params.get("learn_class_balance") is True:
        return "estimated from the votes by the label model's fit (learn_class_balance)"
    if reviewed >= MIN_GOLD_FOR_BALANCE:
        return f"estimated from the mix of {reviewed:,} reviewed labels"
    return "estimated by the label model's fit"


def _accuracy(manifest: dict[str, Any]) -> str:
    """Label model and majority vote on the held-out gold, as ``labelwright run`` prints
    them: a label model below majority vote is plain to see."""
    evaluation = manifest.get("evaluation") or {}
    n_gold = evaluation.get("n_gold")
    if not n_gold:
        return ""
    name = (manifest.get("label_model") or {}).get("name")
    rows = []
    for key, title in COMPARED:
        result = evaluation.get(key)
        if not isinstance(result, dict):
            continue
        labeled = int(result.get("labeled") or 0)
        right, right_labeled = counts_right(result, n_gold)
        f1 = result.get("macro_f1")
        rows.append([html.esc(f"{title} ({name})" if key == "label_model" else title),
                     html.pct(result.get("accuracy")), interval(right, n_gold),
                     "—" if f1 is None else html.esc(f"{float(f1):.3f}"),
                     f"{labeled:,} / {n_gold:,}", html.pct(result.get("covered_accuracy")),
                     interval(right_labeled, labeled)])
    return (f"<h3>Accuracy on held-out gold ({n_gold:,} items)</h3>"
            + below_majority_note(evaluation)
            + html.table(["model", "accuracy", "95% interval", "macro-F1", "labeled",
                          "accuracy where labeled", "95% interval"], rows,
                         numeric=[False, *[True] * 6])
            + '<p class="muted">Accuracy counts a gold item left without a label (no LF voted) '
              "as wrong; accuracy where labeled is over the gold items that got a label. The "
              "intervals are 95% Wilson intervals, as the review rows have: how far the "
              "accuracy on all items may lie from the one on these gold items, if they are "
              "a random sample of them.</p>")


def below_majority(evaluation: dict[str, Any]) -> tuple[float, float] | None:
    """The label model's and majority vote's accuracy on held-out gold when the model's is
    below; None when not, or either is not recorded. The Summary's note and Next steps
    both ask this."""
    model, majority = evaluation.get("label_model"), evaluation.get("majority_vote")
    if not isinstance(model, dict) or not isinstance(majority, dict) \
            or model.get("accuracy") is None or majority.get("accuracy") is None:
        return None
    ours, theirs = float(model["accuracy"]), float(majority["accuracy"])
    return (ours, theirs) if ours < theirs else None


def below_majority_note(evaluation: dict[str, Any]) -> str:
    """A flag when the label model's accuracy on held-out gold is below majority vote's:
    the report had shown the two figures side by side and left the reader to notice (74.0%
    against 75.0%, macro-F1 0.787 against 0.809). Whether the two 95% intervals overlap is
    said as it is: overlapping, the gap is within what the sample of gold items alone can
    make, which does not show the two are equal either."""
    n_gold = int(evaluation.get("n_gold") or 0)
    if not n_gold or below_majority(evaluation) is None:
        return ""
    model, majority = evaluation["label_model"], evaluation["majority_vote"]
    ours = wilson_interval(counts_right(model, n_gold)[0], n_gold)
    theirs = wilson_interval(counts_right(majority, n_gold)[0], n_gold)
    f1_ours, f1_theirs = model.get("macro_f1"), majority.get("macro_f1")
    f1_text = (f", macro-F1 {float(f1_ours):.3f} against {float(f1_theirs):.3f}"
               if f1_ours is not None and f1_theirs is not None else "")
    span = f"{html.ci_text(*ours)} and {html.ci_text(*theirs)}"
    overlap = (f"The two 95% intervals ({span}) overlap: on {n_gold:,} gold items the gap "
               "is within what sampling alone can make, so these items do not show the "
               "label model is worse, nor that it is as good; more gold items would tell."
               if ours[0] <= theirs[1] and theirs[0] <= ours[1] else
               f"The two 95% intervals ({span}) do not overlap: the gap is more than the "
               "sample of gold items alone makes.")
    return (f'<p class="hint">The label model is below majority vote on held-out gold: '
            f"accuracy {percent(model['accuracy'])} against {percent(majority['accuracy'])}"
            f"{html.esc(f1_text)}. {html.esc(overlap)} Majority vote is the yardstick a "
            "label model should beat: see the LFs wrong most often under the LF table, or "
            "try another <code>[label_model] name</code>.</p>")


def counts_right(result: dict[str, Any], n_gold: int) -> tuple[int, int]:
    """(gold items right, of them labeled) of one model's ``evaluation`` entry: its shares
    times their counts, whole numbers by construction."""
    labeled = int(result.get("labeled") or 0)
    accuracy, covered = result.get("accuracy"), result.get("covered_accuracy")
    return (round(float(accuracy) * n_gold) if accuracy is not None else 0,
            round(float(covered) * labeled) if covered is not None else 0)


def per_label(data: RunData) -> str:
    """The label model on the held-out gold, per label: precision, recall and F1, and the
    confusion table (gold label by the label it gave). An item left without a label is a
    miss of its gold label, as it is wrong in the accuracy, so the table's diagonal over its
    total is the accuracy above."""
    confusion = data.confusion
    if confusion is None:
        return ""
    counts = confusion.to_numpy()
    rows = []
    for score in per_label_scores(confusion, data.labels).itertuples():
        tp, gold_k, given_k = int(score.correct), int(score.support), int(score.predicted)
        f1 = None if np.isnan(score.f1) else float(score.f1)
        rows.append([html.user(score.label), gold_k, given_k, tp, with_interval(tp, given_k),
                     with_interval(tp, gold_k),
                     f"{html.pct(f1)} ({f1_interval(tp, gold_k, given_k)})"])
    headers = ["gold / label", *map(html.UserText, data.labels), "(none)"]
    matrix = [[html.user(label), *(int(c) for c in counts[k])]
              for k, label in enumerate(data.labels)]
    return ("<h3>Per label, on the same held-out gold</h3>"
            + html.table(["label", "gold items", "labeled so", "right",
                          "precision (95% interval)", "recall (95% interval)",
                          "F1 (95% interval)"], rows, numeric=[False, *[True] * 6])
            + '<p class="muted">Precision: of the held-out items the label model gave this '
              "label, the share whose gold label it is; recall: of the held-out items with "
              "this gold label, the share it gave it (an item left without a label is "
              "missed). Precision and recall have 95% Wilson intervals; F1's is that of the "
              "share of the items with this gold label or this label that have both, carried "
              "over to F1 (F1 = 2J / (1 + J) for that share J). A label with few gold items "
              "has a wide interval.</p><h4>Gold label (rows) by the label model's label</h4>"
            + html.table(headers, matrix, numeric=[False, *[True] * (len(headers) - 1)],
                         turned=[False, *[True] * (len(headers) - 1)], scroll=True))


def _conflicts(review_conflicts: object) -> str:
    """``[triage] review_conflicts`` as the summary says it: True, False, or the confidence
    a conflict must be below to go to review."""
    if isinstance(review_conflicts, (int, float)) and not isinstance(review_conflicts, bool):
        return f"those below confidence {review_conflicts:g}"
    return str(review_conflicts)
