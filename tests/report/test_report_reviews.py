"""The report once reviews exist: reviews against what reviewers saw, the model's own
confidence, the reviewed items counted, and the review-queue examples."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from report_runs import make_run

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.report import REPORT, render_report, write_report
from labelwright.report.data import load_run
from labelwright.report.reviews import review_stats
from labelwright.review.decisions import ledger
from page_text import unisolated


def review(root, run, rows, *, sha, export="queue"):
    decisions = [ledger.Decision(item, label, "ana", "", "", "now", "f.csv", sha, f"row {k}",
                                 run.run_id, "csv", export) for k, (item, label) in
                 enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256=sha, reviewer="ana",
                  source_file="f.csv", fmt="csv", imported_at="now")


def test_reviews_are_compared_with_the_labels_the_reviewers_saw(make_project):
    """Compared with the new run's labels, which hold the reviews themselves, every review
    looked right (the report said 97% where 70% was true)."""
    root = make_project(extra="random_sample = 3\n")
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")
    labelled = shown[shown["label"].notna()].index.tolist()
    flip = {"billing": "technical", "technical": "billing"}
    wrong, right = labelled[:2], labelled[2:4]
    review(root, first, [(i, flip[shown.loc[i, "label"]]) for i in wrong]
           + [(i, shown.loc[i, "label"]) for i in right], sha="s1")
    second = run_project(root, report=False)
    stats = review_stats(second.run_dir)
    assert stats is not None and stats.model_agreement["all"] == (2, 4)
    page = render_report(second.run_dir)
    assert "every decision above together" in page and "2 / 4" in page

    data = load_run(second.run_dir)
    reviewed = (second.labels["label_source"] == "review").to_numpy()
    assert data.n_reviewed == int(reviewed.sum()) == 4
    counted = sum(int(h.sum()) for h in data.confidence_hist.values())
    assert counted == int((second.labels["label"].notna().to_numpy() & ~reviewed).sum())
    assert data.reliability is None or int(data.reliability["items"].sum()) == int(
        (second.labels["gold"].notna() & second.labels["label"].notna()).to_numpy()[~reviewed]
        .sum())
    queue = page.split('<section id="queue">')[1].split("</section>")[0]
    assert "reviewed (label from review)" in queue and "<td class=\"n\">4</td>" in queue


def sample_of(run):
    return [json.loads(line)["id"] for line in
            (run.run_dir / "sample.jsonl").read_text().splitlines()]


def accuracy_rows(page, *, reviewed=False):
    """``{(run id, sample): "right / reviewed"}`` of the report's accuracy tables (with
    ``reviewed``, the "reviewed" cell instead: ``3 of 100 audit items``)."""
    part = page.split("<h3>Accuracy of each run's labels")[1].split("<h3>")[0]
    return {(run, what.split(":")[0]): shown if reviewed else figure
            for run, what, shown, figure in re.findall(
                r"<tr><td><code>([^<]*)</code></td><td>([^<]*)</td><td class=\"n\">([^<]*)"
                r"</td><td class=\"n\">([^<]*)</td>", part)}


def test_the_random_sample_row_is_review_stats_figure_with_unlabelled_items_wrong(
        make_project):
    """review stats said 0.825 (33/40) of the random sample of a run, counting the 6 items
    the run gave no label as wrong; the next run's report said 33 / 34, leaving them out."""
    from labelwright.review.stats.summary import review_stats as ledger_stats

    root = make_project(gold=None, extra="random_sample = 6\n")
    first = run_project(root, report=False)
    sample = sample_of(first)
    shown = first.labels.set_index("id")["label"]
    assert any(pd.isna(shown[i]) for i in sample), "the test needs an unlabelled sample item"
    review(root, first, [(i, shown[i] if pd.notna(shown[i]) else "billing") for i in sample],
           sha="s2", export="sample")
    second = run_project(root, report=False)

    figures = review_stats(second.run_dir).run_accuracy
    own = ledger_stats(root, first.run_id)
    assert [(r.run_id, r.sample, r.audit) for r in figures] == [
        (first.run_id, own.sample, own.audit)]
    labelled = sum(1 for i in sample if pd.notna(shown[i]))
    assert (own.sample.correct, own.sample.reviewed) == (labelled, len(sample))
    rows = accuracy_rows(render_report(second.run_dir))
    assert rows[first.run_id, "random sample"] == f"{labelled} / {len(sample)}"


def test_each_runs_samples_are_measured_apart_as_review_stats_of_that_run(make_project):
    """The report pooled several runs' samples and counted per decision ("153 / 194") where
    review stats of each run gave 65.2%, 71.3% and 73.6%; the audit row likewise."""
    from labelwright.review.stats.summary import review_stats as ledger_stats

    root = make_project(gold=None, extra="random_sample = 3\n")
    flip = {"billing": "technical", "technical": "billing"}
    runs = []
    for k in range(2):
        run = run_project(root, report=False)
        runs.append(run)
        shown = run.labels.set_index("id")
        audited = shown.index[shown["reasons"].fillna("").str.contains("audit")].tolist()
        assert audited, "the test needs an audit item"
        # wrong on the first sample item of each run: the two runs' figures differ
        review(root, run, [(i, flip.get(shown.loc[i, "label"], "billing") if j == k else
                            shown.loc[i, "label"] if pd.notna(shown.loc[i, "label"]) else
                            "technical") for j, i in enumerate(sample_of(run))],
               sha=f"sample{k}", export="sample")
        review(root, run, [(i, shown.loc[i, "label"]) for i in audited
                           if i not in sample_of(run)], sha=f"audit{k}")
    third = run_project(root, report=False)

    figures = {r.run_id: r for r in review_stats(third.run_dir).run_accuracy}
    rows = accuracy_rows(render_report(third.run_dir))
    assert set(figures) == {run.run_id for run in runs}
    for run in runs:
        own = ledger_stats(root, run.run_id)
        assert own.sample.reviewed and own.audit.reviewed
        assert (figures[run.run_id].sample, figures[run.run_id].audit) == (own.sample, own.audit)
        assert rows[run.run_id, "random sample"] == f"{own.sample.correct} / {own.sample.reviewed}"
        assert rows[run.run_id, "audit sample"] == f"{own.audit.correct} / {own.audit.reviewed}"


def test_a_sample_item_reviewed_through_the_queue_counts_in_the_sample(make_project, cli):
    """A random sample item reviewed through the queue (it was in both) was left out of the
    sample's accuracy, while the run's warning counted it reviewed ("94 of 100 reviewed"
    beside "89 reviewed"); it was drawn at random all the same, and the queue's items are the
    hard ones: leaving them out flattered the labels."""
    from labelwright.review.stats.summary import review_stats as ledger_stats

    root = make_project(extra="random_sample = 6\n")
    first = run_project(root, report=False)
    queue = {json.loads(line)["id"] for line in
             (first.run_dir / "review.jsonl").read_text().splitlines()}
    sample = sample_of(first)
    both = [i for i in sample if i in queue]
    assert both, "the test needs an item in the queue and the sample"
    review(root, first, [(i, "billing") for i in sample if i not in both], sha="s",
           export="sample")
    review(root, first, [(both[0], "billing")], sha="q")  # through the queue
    second = run_project(root, report=False)

    own = ledger_stats(root, first.run_id).sample
    assert own.reviewed == len(sample) - len(both) + 1
    assert review_stats(second.run_dir).run_accuracy[0].sample == own
    code, said = cli("review", "stats", "--project", str(root))
    assert code == 0
    assert f"the random sample of run {first.run_id} has {own.reviewed} reviewed" in said


def test_a_run_whose_labels_were_edited_gets_no_accuracy_figures_but_a_note(make_project):
    """review stats refuses a run whose labels.parquet was edited since; the report shows
    no figure of it either, and says why."""
    root = make_project(extra="random_sample = 6\n")
    first = run_project(root, report=False)
    review(root, first, [(i, "billing") for i in sample_of(first)], sha="s", export="sample")
    second = run_project(root, report=False)
    edited = first.labels.copy()
    edited.loc[edited["label"].isna(), "label"] = "billing"  # the unlabelled items "right"
    edited.to_parquet(first.run_dir / "labels.parquet", index=False)
    stats = review_stats(second.run_dir)
    assert stats.run_accuracy == []
    (note,) = stats.accuracy_notes
    assert note.startswith(f"no accuracy figures for run {first.run_id}: {first.run_dir}: "
                           "labels.parquet: changed since the run wrote it")
    assert "no accuracy figures for run" in render_report(second.run_dir)


def test_a_reviews_json_the_run_did_not_write_is_not_shown_as_its_reviews(tmp_path):
    """A reviews.json put by hand into a run that read no reviews (the manifest has no hash
    for it) was rendered as that run's reviews."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000", n=50, examples=False)
    (run_dir / "reviews.json").write_text(json.dumps({"reviews": [
        {"id": "item-0000001", "reviewer": "auditor", "label": "positive"}]}))
    with pytest.raises(RunError, match=r"reviews\.json: the manifest has no hash for it"):
        review_stats(run_dir)
    write_report(run_dir)
    section = (run_dir / REPORT).read_text().split('<section id="reviews">')[1]
    section = section.split("</section>")[0]
    assert "Reviews not shown" in section and "reviews.json: the manifest has no hash" in section
    assert "auditor" not in section and "every decision" not in section


def test_glossary_hits_sort_as_numbers_and_low_confidence_examples_by_confidence(shared_pair):
    page = render_report(shared_pair[1])
    hits = page.split("<h3>Hits per term</h3>")[1].split("</table>")[0]
    cells = re.findall(r'<td class="n" data-v="(\d+)">', hits)
    assert cells, "hit counts carry a numeric sort key"
    data = load_run(shared_pair[1])
    confidence = [float(r["confidence"]) for r in data.low_confidence_examples]
    assert confidence == sorted(confidence)
    queue = [json.loads(line) for line in
             (shared_pair[1] / "review.jsonl").read_text().splitlines()]
    low = sorted(float(r["confidence"]) for r in queue if "low_confidence" in r["reasons"])
    np.testing.assert_allclose(confidence, low[:len(confidence)])


def test_a_project_without_glossaries_says_so(make_project):
    """It said 'No term matched.' and then 'Every term matched at least once.'"""
    root = make_project()  # no glossaries
    page = render_report(run_project(root, report=False).run_dir)
    section = page.split('<section id="glossaries">')[1].split("</section>")[0]
    assert "This project has no glossaries." in section
    assert "Every term matched" not in section


def test_changes_name_flips_to_reviewed_labels_and_items_added(make_project):
    root = make_project()
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")["label"]
    item = shown[shown.notna()].index[0]
    flip = {"billing": "technical", "technical": "billing"}
    review(root, first, [(item, flip[shown[item]])], sha="s3")
    data = root / "data" / "items.csv"
    data.write_text(data.read_text() + "t99,a brand new ticket,pro,\n")
    second = run_project(root, report=False)
    from labelwright.runs.diff.compare import diff_runs

    d = diff_runs(first.run_dir, second.run_dir)
    assert d.flipped_by_review == 1 and d.only_b == 1
    page = render_report(second.run_dir)
    changes = page.split('<section id="changes">')[1].split("</section>")[0]
    assert "1 of them to a reviewed label" in changes
    assert "0 items only in the previous run, 1 only in this one" in changes
    assert "coverage" in changes


def test_long_tables_and_plots_are_capped_with_a_note(shared_pair, monkeypatch):
    """A project with hundreds of LFs and a 20,000-term glossary made a 2.7 MB page."""
    import labelwright.report as report

    monkeypatch.setattr(report, "HITS_ROWS", 2)
    monkeypatch.setattr(report, "COVERAGE_LFS", 3)
    page = render_report(shared_pair[1])
    hits = page.split("<h3>Hits per term</h3>")[1].split("</table>")[0]
    assert "The 2 terms with the most hits of 4" in hits and hits.count("<tr>") == 3
    # under its own heading, not the heatmaps'
    coverage = page.split("<h3>Coverage per LF</h3>")[1].split("<h3>")[0]
    assert "The coverage plot shows the 3 LFs that cover the most items of 5" in coverage


def test_the_summary_shows_autos_choice_readably(make_project):
    root = make_project(model="auto")
    page = render_report(run_project(root, report=False).run_dir)
    summary = page.split('<section id="summary">')[1].split("</section>")[0]
    assert "<dt>chosen model</dt><dd>dawid_skene (abstain=fit_only" in summary
    assert ("<dt>why</dt><dd>no reviewed labels yet (need &gt;= 20 and &gt;= 5 per class): "
            "using the default model</dd>") in summary
    assert "{&#x27;model&#x27;" not in summary


def test_labels_beyond_the_confidence_panels_are_mentioned(shared_pair, monkeypatch):
    from labelwright.report import plots

    monkeypatch.setattr(plots, "MAX_PANELS", 1)
    page = render_report(shared_pair[1])
    assert ("The 1 labels with the most items of 3 have a panel; the others (items the "
            "label model gave them): ") in page


def test_reviews_whose_run_is_gone_or_unreadable_are_left_out_not_counted_right(make_project):
    """With the run they were exported from deleted, reviews were compared with the new
    run's labels, which are the reviews: 100% agreement."""
    import shutil

    root = make_project()
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")["label"]
    items = shown[shown.notna()].index[:3].tolist()
    flip = {"billing": "technical", "technical": "billing"}
    review(root, first, [(i, flip[shown[i]]) for i in items], sha="s4")
    second = run_project(root, report=False)
    (first.run_dir / "labels.parquet").write_text("not parquet")
    stats = review_stats(second.run_dir)
    assert stats.left_out == 3 and stats.model_agreement["all"] == (0, 0)
    assert "cannot read the labels" in stats.notes[0]
    assert "not compared" in render_report(second.run_dir)
    shutil.rmtree(first.run_dir)
    stats = review_stats(second.run_dir)
    assert stats.left_out == 3 and f"its folder {first.run_dir} is gone" in stats.notes[0]


def test_reviews_of_items_their_run_gave_no_label_are_left_out_as_review_stats_does(
        make_project):
    """The report counted a review of an item its run gave no label as a disagreement
    ("uncovered 0 / 112", every review 52% where review stats, leaving them out, had 84%),
    and said every reviewer saw the label, blind ones too."""
    from labelwright.review.stats.summary import review_stats as ledger_stats

    root = make_project(gold=None, extra="random_sample = 6\n")
    first = run_project(root, report=False)
    shown = first.labels.set_index("id")["label"]
    unlabelled = shown[shown.isna()].index.tolist()
    labelled = shown[shown.notna()].index.tolist()
    assert unlabelled and len(labelled) >= 3, "the test needs both kinds of item"
    flip = {"billing": "technical", "technical": "billing"}
    sample = {json.loads(line)["id"] for line in
              (first.run_dir / "sample.jsonl").read_text().splitlines()}
    queue = [json.loads(line)["id"] for line in
             (first.run_dir / "review.jsonl").read_text().splitlines()]

    def decision(item, label, rater, export, blind):
        return ledger.Decision(item, label, rater, "", "", "now", "f.csv", "s", f"row {item}",
                               first.run_id, "csv", export, blind)

    blind = [decision(i, flip[shown[i]] if i == labelled[0] else shown[i], "ana", "sample",
                      True) for i in labelled if i in sample]
    blind += [decision(i, "billing", "ana", "sample", True) for i in unlabelled]
    seen = [decision(i, "technical" if i in unlabelled else flip[shown[i]], "bo", "queue",
                     False) for i in queue]
    ledger.append(ledger.ledger_path(root), blind + seen, sha256="s", reviewer="ana",
                  source_file="f.csv", fmt="csv", imported_at="now")
    second = run_project(root, report=False)

    stats = review_stats(second.run_dir)
    counted = ledger_stats(root, second.run_id).anchoring
    left = counted.unlabelled
    assert left == len(unlabelled) + sum(1 for i in queue if i in unlabelled) > 0
    agreed = sum(g.agreed for g in counted.groups)
    decided = sum(g.decisions for g in counted.groups)
    assert stats.model_agreement["all"] == (agreed, decided) == (
        len([d for d in blind if d.item_id in labelled]) - 1, len(blind + seen) - left)
    assert stats.left_out == left and "uncovered" not in stats.model_agreement
    assert f"left out: {left} review(s) of items their run gave no label" in stats.notes[0]
    for g in counted.groups:  # the blind and shown rows are review stats' groups
        name = "random sample" if g.export == "sample" else "queue"
        seen_as = "blind" if g.blind else "shown the label"
        assert stats.model_agreement[f"{name}, {seen_as}"] == (g.agreed, g.decisions)
    page = render_report(second.run_dir)
    assert "the label the reviewer saw" not in page
    assert "random sample, blind" in page and "queue, shown the label" in page


def test_adjudicators_are_left_out_of_the_agreement_between_reviewers(make_project):
    """The lead's settlements were counted as reviewer pairs: the figure moved with every
    disagreement settled (up or down, depending on whom the lead sided with), as review
    stats' Fleiss' kappa did. The run's manifest names its adjudicators."""
    root = make_project(extra='\n[review]\nadjudicators = ["lead"]\n')
    first = run_project(root, report=False)
    items = first.labels["id"].tolist()[:4]
    flip = {"billing": "technical", "technical": "billing"}
    ana = {i: "billing" for i in items}
    bo = {**ana, items[0]: "technical"}  # one disagreement, of four items

    def rate(rater, labels, sha):
        ledger.append(ledger.ledger_path(root), [
            ledger.Decision(i, label, rater, "", "", "now", "f.csv", sha, f"row {k}",
                            first.run_id, "csv", "queue")
            for k, (i, label) in enumerate(labels.items())], sha256=sha, reviewer=rater,
            source_file="f.csv", fmt="csv", imported_at="now")

    rate("ana", ana, "s1")
    rate("bo", bo, "s2")
    before = review_stats(run_project(root, report=False).run_dir)
    rate("lead", {items[0]: flip[bo[items[0]]]}, "s3")  # sides with ana
    second = run_project(root, report=False)
    after = review_stats(second.run_dir)
    assert (after.pair_agreement, after.multi_reviewed) == (
        before.pair_agreement, before.multi_reviewed) == (3 / 4, 4)
    assert before.adjudicators == [] and after.adjudicators == ["lead"]
    assert after.reviewers["lead"] == 1  # still listed, with its review
    page = unisolated(render_report(second.run_dir))
    assert "4 items have two or more reviewers besides the adjudicators" in page
    assert "The adjudicators (lead) are left out of these figures" in page
    # agreement beyond chance beside the share, the lead left out of it too: ana's four
    # billing against bo's one technical; alpha 1 - 2/2 = 0 (chance agreement is 7/8 of
    # the ratings being billing); Fleiss (0.75 - 50/64) / (1 - 50/64) = -1/7
    assert after.alpha == pytest.approx(0.0) and before.alpha == pytest.approx(0.0)
    assert after.fleiss == pytest.approx(-1 / 7) and after.fleiss_items == 4
    # 4 items are under the 30 the accuracy table needs: plain, not bold, with a caveat
    assert (f"Krippendorff's alpha (nominal) {after.alpha:.3f}; Fleiss' kappa "
            "-0.143 (4 items with the most common number of reviewers)") in page
    assert "pairwise reviewer agreement: 75.0%;" in page
    assert "Too few items: 4 with two or more reviewers, under the 30" in page


def test_agreement_is_a_bold_headline_only_from_30_items_with_two_reviewers():
    """alpha 0.000 and kappa -0.333 from 2 items were shown bold as headlines."""
    from types import SimpleNamespace

    from labelwright.report.review_section import _few_items_caveat, _headline

    few, enough = SimpleNamespace(multi_reviewed=29), SimpleNamespace(multi_reviewed=30)
    assert _headline(few, "0.000") == "0.000"
    assert "Too few items: 29 with two or more reviewers" in _few_items_caveat(few)
    assert _headline(enough, "0.812") == "<b>0.812</b>"
    assert _few_items_caveat(enough) == ""
