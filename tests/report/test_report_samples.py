"""The accuracy of an earlier run's labels says how many of its sample's items were
reviewed, and figures on a handful of reviews are set apart, not read as an audit."""

from __future__ import annotations

import json

from test_report_reviews import accuracy_rows, review
from test_report_summary import _tickets

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.reviews import review_stats
from labelwright.review.run_accuracy import (
    FEW_REVIEWS,
    LABEL_COLUMNS,
    accuracy_of_runs,
    run_accuracy,
    sample_of,
)
from labelwright.runs.store import read_manifest, run_labels


def _project(make_project, *, audit: int, sample: int):
    root = make_project(rows=_tickets(120), extra=f"random_sample = {sample}\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", f"audit_size = {audit}"))
    return root


def _sample(run):
    return [json.loads(line)["id"] for line in
            (run.run_dir / "sample.jsonl").read_text().splitlines()]


def test_a_figure_on_one_incidental_review_is_set_apart_with_the_samples_size(make_project):
    """The report showed `audit sample: accepted labels | 0 / 1 | 0.0% | 0.0%–79.3%` for a
    run whose audit of 100 items had one item reviewed, because it headed a later run's
    queue: it read as an audit that found every label wrong."""
    root = _project(make_project, audit=8, sample=FEW_REVIEWS + 2)
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")
    audited = shown.index[shown["reasons"].fillna("").str.contains("audit")].tolist()
    sample = _sample(first)
    assert len(audited) == 8 and len(sample) == FEW_REVIEWS + 2
    flip = {"billing": "technical", "technical": "billing"}
    incidental = next(i for i in audited if i not in sample)
    review(root, first, [(incidental, flip[shown.loc[incidental, "label"]])], sha="q")
    review(root, first, [(i, shown.loc[i, "label"] if isinstance(shown.loc[i, "label"], str)
                          else "billing") for i in sample], sha="s", export="sample")
    second = run_project(root, report=False)

    (figures,) = review_stats(second.run_dir).run_accuracy
    assert (figures.audit_items, figures.sample_items) == (8, FEW_REVIEWS + 2)
    assert figures.audit.reviewed == 1 + sum(1 for i in sample if i in audited)
    page = render_report(second.run_dir)
    reviewed = accuracy_rows(page, reviewed=True)
    assert reviewed[first.run_id, "audit sample"] == f"{figures.audit.reviewed} of 8 audit items"
    assert reviewed[first.run_id, "random sample"] == (
        f"{FEW_REVIEWS + 2} of {FEW_REVIEWS + 2} random-sample items")
    part = page.split("<h3>Accuracy of each run's labels")[1].split("<h3>")[0]
    main, apart = part.split("<h4>Too few reviews to read")
    assert "random sample: all labels" in main and "audit sample: accepted" not in main
    assert "audit sample: accepted labels" in apart
    assert f"fewer than {FEW_REVIEWS} reviewed items" in apart


def test_review_stats_and_the_report_count_the_samples_the_same(make_project):
    """The sizes come from the one function both use: from the run's whole labels (review
    stats RUN) and from its reviewed items and manifest (the report), the same figures."""
    root = _project(make_project, audit=5, sample=6)
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")["label"]
    audited = first.labels["id"][first.labels["reasons"].fillna("").str.contains("audit")]
    gold = {i: shown[i] if isinstance(shown[i], str) else "billing"
            for i in [*_sample(first), *audited]}  # both figures have reviews (NaN != NaN)
    own = run_accuracy(first.run_id, run_labels(first.run_dir, read_manifest(first.run_dir),
                                                LABEL_COLUMNS), gold, sample_of(first.run_dir))
    (theirs,), problems = accuracy_of_runs(first.run_dir.parent, [first.run_id], gold,
                                           refuse_edited=True)
    assert problems == {} and theirs == own
    assert (own.audit_items, own.sample_items) == (5, 6)
    # a manifest without the count: counted in the run's labels all the same
    path = first.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["triage"]["counts"]
    path.write_text(json.dumps(manifest))
    (again,), _ = accuracy_of_runs(first.run_dir.parent, [first.run_id], gold)
    assert again == own
