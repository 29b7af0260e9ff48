""""Model label confirmed by reviewers": the random sample and the audit have rows of their
own beside the queue's hard items, and the page says what is counted."""

from __future__ import annotations

import json
import re

from test_report_summary import _tickets

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.reviews import review_stats
from labelwright.review.decisions import ledger

FLIP = {"billing": "technical", "technical": "billing"}


def _rate(root, run_id, rater, labels, export, sha):
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision(i, label, rater, "", "", "now", "f.csv", sha, f"row {k}", run_id,
                        "csv", export) for k, (i, label) in enumerate(labels.items())],
        sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv", imported_at="now")


def _table(page):
    part = page.split("<h3>Model label confirmed by reviewers</h3>")[1].split("</table>")[0]
    return dict(re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>", part))


def test_samples_audit_queue_and_adjudicators_have_rows_of_their_own(make_project):
    """`every review | 1,092 / 3,517 | 31.0%` lumped queue, random sample, audit and the
    adjudicator's decisions with both raters of each item, and read as "the model is right
    31% of the time"."""
    root = make_project(rows=_tickets(120), gold=None, extra='random_sample = 12\n\n[review]\n'
                                                  'adjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    shown = labels["label"]
    reasons = labels["reasons"].fillna("")
    sample = [json.loads(line)["id"] for line in
              (first.run_dir / "sample.jsonl").read_text().splitlines()]
    sample = [i for i in sample if isinstance(shown[i], str)]
    audited = [i for i in reasons.index[reasons.str.contains("audit")] if i not in sample]
    hard = [i for i in reasons.index[reasons.str.contains("conflict")]
            if i not in sample and i not in audited][:6]
    assert sample and audited and len(hard) == 6
    # the sample: right but one; the audit: right; the queue's hard items: ana flips them
    # all, bo the first four; the lead settles the two they disagree on
    _rate(root, first.run_id, "ana", {i: FLIP[shown[i]] if k == 0 else shown[i]
                                      for k, i in enumerate(sample)}, "sample", "s1")
    _rate(root, first.run_id, "ana", {i: shown[i] for i in audited}, "queue", "s2")
    _rate(root, first.run_id, "ana", {i: FLIP[shown[i]] for i in hard}, "queue", "s3")
    _rate(root, first.run_id, "bo", {i: FLIP[shown[i]] if k < 4 else shown[i]
                                     for k, i in enumerate(hard)}, "queue", "s4")
    _rate(root, first.run_id, "lead", {i: shown[i] for i in hard[4:]}, "queue", "s5")
    second = run_project(root, report=False)

    stats = review_stats(second.run_dir)
    rows = stats.model_agreement
    assert rows["random sample"] == (len(sample) - 1, len(sample))
    assert rows["audit"] == (len(audited), len(audited))
    assert rows["queue"] == (2 + 2, 6 + 6 + 2)  # bo's two, the lead's two
    # the queue's rows per reason hold the queue's decisions (sample items have reasons too)
    assert rows["conflict"] == rows["queue"]
    assert rows["adjudicators"] == (2, 2)
    assert rows["all"] == (len(sample) - 1 + len(audited) + 4,
                           len(sample) + len(audited) + 14)

    table = _table(render_report(second.run_dir))
    names = list(table)
    assert names[:3] == ["random sample (drawn at random from all items)",
                         "audit sample (drawn at random from the accepted labels)",
                         "review queue: the hard items, likely wrong (every reason but the "
                         "audit)"]
    assert "queue: conflict" in names
    assert names[-2:] == ["adjudicators&#x27; decisions (only where raters disagreed)",
                          "every decision above together (queue, samples, both raters, "
                          "adjudicators)"]
    assert table[names[0]] == f"{len(sample) - 1} / {len(sample)}"
    page = render_report(second.run_dir)
    assert "Counted per decision, not per item: an item two raters reviewed counts twice" in page
    assert "These shares are not how often the labels are right." in page
