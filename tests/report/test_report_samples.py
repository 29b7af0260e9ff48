"""The accuracy of an earlier run's labels says how many of its sample's items were
reviewed, and figures on a handful of reviews are set apart, not read as an audit."""

from __future__ import annotations

import json

from test_report_reviews import accuracy_rows, review
from test_report_summary import _tickets

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.reviews import review_stats
from labelwright.review.decisions import ledger
from labelwright.review.stats.run_accuracy import (
    FEW_REVIEWS,
    FEW_REVIEWS_TITLE,
    FEW_REVIEWS_WHY,
    LABEL_COLUMNS,
    accuracy_of_runs,
    audit_design,
    few_reviews_title,
    run_accuracy,
    sample_of,
)
from labelwright.review.stats.summary import review_stats as review_stats_of
from labelwright.runs.store import read_manifest, run_labels


def _project(make_project, *, audit: int, sample: int):
    root = make_project(rows=_tickets(120), gold=None, extra=f"random_sample = {sample}\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("audit_size = 1", f"audit_size = {audit}"))
    return root


def _sample(run):
    return [json.loads(line)["id"] for line in
            (run.run_dir / "sample.jsonl").read_text().splitlines()]


def _one_audit_item_reviewed(make_project):
    """A run whose audit of 8 items has one item reviewed through the queue (plus any the
    random sample drew too), and whose random sample is reviewed whole; then the next run.
    Returns the root, both runs and the first run's audit items and sample."""
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
    return root, first, run_project(root, report=False), audited, sample


def test_a_figure_on_one_incidental_review_is_set_apart_with_the_samples_size(make_project):
    """The report showed `audit sample: accepted labels | 0 / 1 | 0.0% | 0.0%–79.3%` for a
    run whose audit of 100 items had one item reviewed, because it headed a later run's
    queue: it read as an audit that found every label wrong."""
    root, first, second, audited, sample = _one_audit_item_reviewed(make_project)

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
    manifest = read_manifest(first.run_dir)  # its audit's design, as review stats reads it
    own = run_accuracy(first.run_id, run_labels(first.run_dir, manifest, LABEL_COLUMNS), gold,
                       sample_of(first.run_dir), design=audit_design(manifest))
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


def test_review_stats_counts_the_reviews_and_sets_few_apart_as_the_report_does(
        make_project):
    """`review stats RUN` printed `accepted-label accuracy from the audit sample: 0.500
    (1/2; ...)` for an audit of 8 items with 2 reviewed, as if it were the run's accuracy,
    where the report said `2 of 8 audit items` and set the figure apart."""
    import typer
    from typer.testing import CliRunner

    from labelwright.cli.review import review_app
    from labelwright.review.stats.summary import review_stats as ledger_stats

    root, first, second, _, sample = _one_audit_item_reviewed(make_project)
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    result = CliRunner().invoke(app, ["review", "stats", first.run_id, "--project",
                                      str(root)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    # under the ledger's count of reviewed items, the heading says whose count it is: the
    # audit's alone, as the random sample's figure (reviewed enough) stands above it
    main, apart = text.split(few_reviews_title({"audit"}))
    assert "under 30 reviewed items of its audit or random sample" in FEW_REVIEWS_TITLE
    assert ("Too few reviews to read as the run's accuracy: under 30 reviewed items of its "
            "audit accepted-label accuracy") in text
    own = ledger_stats(root, first.run_id)
    a, s = own.audit, own.sample
    assert (own.audit_items, own.sample_items) == (8, len(sample))
    assert 0 < a.reviewed < FEW_REVIEWS <= s.reviewed
    # the sample's figure where it was, with its count; the audit's set apart, with its own
    assert (f"label accuracy from the random sample (all labels of run {first.run_id}; an item "
            f"without a label, (none), counts as wrong): {100 * s.accuracy:.1f}% "
            f"({s.correct}/{s.reviewed}; "
            f"{len(sample)} of "
            f"{len(sample)} random-sample items reviewed; 95% interval") in main
    assert "accepted-label accuracy from the audit sample" not in main
    # beside it, the labels' own accuracy: the sample items without a label counted apart
    shown = first.labels.set_index("id")
    no_label = [i for i in sample if not isinstance(shown.loc[i, "label"], str)]
    labelled = own.sample_labelled
    assert no_label and labelled.reviewed == s.reviewed - len(no_label)
    assert labelled.correct == labelled.reviewed  # reviewed as the run labelled them
    assert (f"of them with a label: 100.0% ({labelled.correct}/{labelled.reviewed}; 95% "
            f"interval") in main and f"{len(no_label)} had no label" in main
    assert apart.startswith(f" accepted-label accuracy from the audit sample: "
                            f"{100 * a.accuracy:.1f}% "
                            f"({a.correct}/{a.reviewed}; {a.reviewed} of 8 audit items "
                            "reviewed; 95% interval")
    assert FEW_REVIEWS_WHY in apart
    # the counts the report of the next run gives that run, word for word
    reviewed = accuracy_rows(render_report(second.run_dir), reviewed=True)
    for which in ("audit sample", "random sample"):
        assert f"{reviewed[first.run_id, which]} reviewed;" in text


def test_review_stats_says_how_many_reviewed_sample_items_a_tie_left_out(make_project, cli):
    """`97.4% (38/39; 39 of 60 random-sample items reviewed)` when all 60 were reviewed and
    21 were ties no adjudicator settled: the figure left them out without a word, and read
    as 21 items not reviewed."""
    root = _project(make_project, audit=1, sample=12)
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")
    sample = _sample(first)
    label = {i: shown.loc[i, "label"] if isinstance(shown.loc[i, "label"], str) else "billing"
             for i in sample}
    flip = {"billing": "technical", "technical": "billing"}
    review(root, first, [(i, label[i]) for i in sample], sha="s", export="sample")
    tied = sample[:3]  # a second rater disagrees on three: 1-1 ties, no reviewed label
    ledger.append(ledger.ledger_path(root), [
        ledger.Decision(i, flip[label[i]], "bo", "", "", "now", "g.csv", "t", f"row {k}",
                        first.run_id, "csv", "sample") for k, i in enumerate(tied)],
        sha256="t", reviewer="bo", source_file="g.csv", fmt="csv", imported_at="now")
    stats = review_stats_of(root, first.run_id)
    assert stats.sample.reviewed == len(sample) - len(tied)
    assert stats.sample_left_out == {"tied, no adjudicator's decision": len(tied)}
    code, out = cli("review", "stats", first.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"{len(sample) - len(tied)} of {len(sample)} random-sample items reviewed and "
            f"settled; {len(tied)} more reviewed but left out, with no reviewed label "
            f"({len(tied)} tied, no adjudicator's decision)") in out
    # the report of the next run says the same beside its figure for the first run
    second = run_project(root, report=False)
    reviewed = accuracy_rows(render_report(second.run_dir), reviewed=True)
    assert reviewed[first.run_id, "random sample"] == (
        f"{len(sample) - len(tied)} of {len(sample)} random-sample items; {len(tied)} more "
        f"reviewed but left out, with no reviewed label ({len(tied)} not settled; "
        "review stats says why)")


def test_review_stats_puts_the_labelled_share_under_the_figure_it_belongs_to(make_project, cli):
    """`of them with a label: 96.2% (25/26 ...); 3 had no label` stood under the audit
    sample's heading while the random-sample figure it qualifies was set apart under "Too
    few reviews...": read there, it seemed to say the audit's labels were 96% right."""
    root = _project(make_project, audit=1, sample=12)
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")
    sample = _sample(first)
    no_label = [i for i in sample if not isinstance(shown.loc[i, "label"], str)]
    assert no_label, "the test needs sample items without a label"
    review(root, first, [(i, shown.loc[i, "label"] if isinstance(shown.loc[i, "label"], str)
                          else "billing") for i in sample], sha="s", export="sample")
    code, out = cli("review", "stats", first.run_id, "-p", str(root))
    assert code == 0, out
    text = " ".join(out.split())
    main, apart = text.split(few_reviews_title({"sample"}))
    assert "label accuracy from the random sample" not in main
    assert "of them with a label" not in main
    # set apart with its figure, right after it
    figure = apart.index("label accuracy from the random sample")
    labelled = apart.index("of them with a label")
    assert figure < labelled < apart.index(FEW_REVIEWS_WHY)
    assert f"{len(no_label)} had no label" in apart
