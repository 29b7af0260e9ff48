"""A random sample of all items for review: drawn by the run, exported like the queue."""

from __future__ import annotations

import json

import numpy as np
import typer
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.project import run_project
from labelwright.triage.draws import RANDOM_SAMPLE, random_sample
from review_csv import fill_review_csv


def test_the_draw_is_seeded_skips_reviewed_items_and_fits_small_sets():
    a = random_sample(100, 10, seed=3)
    np.testing.assert_array_equal(a, random_sample(100, 10, seed=3))
    assert len(set(a.tolist())) == 10 and not np.array_equal(a, random_sample(100, 10, seed=4))
    reviewed = np.zeros(100, dtype=bool)
    reviewed[:90] = True
    b = random_sample(100, 10, seed=3, reviewed=reviewed)
    assert sorted(b.tolist()) == list(range(90, 100))
    assert random_sample(100, 0, seed=3).size == 0
    assert len(random_sample(5, 10, seed=3)) == 5


def _export(root, *args):
    app = typer.Typer()
    app.add_typer(review_app, name="review")
    return CliRunner().invoke(app, ["review", "export", *args, "--project", str(root)])


def test_a_run_writes_its_random_sample_and_export_sample_exports_it(make_project, tmp_path):
    root = make_project(gold=None, extra="random_sample = 5\n")
    result = run_project(root, report=False)
    records = [json.loads(line) for line in
               (result.run_dir / "sample.jsonl").read_text().splitlines()]
    assert len(records) == 5 and len({r["id"] for r in records}) == 5
    assert all(r["reasons"] == [RANDOM_SAMPLE] for r in records)
    assert [r["rank"] for r in records] == [1, 2, 3, 4, 5]
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["triage"]["random_sample"] == 5
    assert {"sample.csv", "sample.jsonl"} <= set(manifest["outputs"])
    out = tmp_path / "sample.csv"
    exported = _export(root, "--sample", "--out", str(out))
    assert exported.exit_code == 0, exported.output
    assert "5 of 5 randomly sampled items" in " ".join(exported.output.split())
    assert sorted(line.split(",")[0] for line in out.read_text().splitlines()[1:]) == \
        sorted(r["id"] for r in records)


def test_exporting_a_sample_the_run_did_not_draw_says_how_to_get_one(make_project):
    root = make_project()
    run_project(root, report=False)
    exported = _export(root, "--sample")
    assert exported.exit_code != 0
    message = " ".join(exported.output.split()) + str(exported.exception)
    assert "random_sample" in message and "labelwright.toml" in message


def test_labelwright_run_says_where_the_sample_is(make_project):
    from labelwright.cli.app import app

    root = make_project(gold=None, extra="random_sample = 5\n")
    ran = CliRunner().invoke(app, ["run", "--no-report", "-p", str(root)])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert "random sample: 5 items in sample.csv" in said
    assert "auto also chooses" not in said  # the project's model is majority vote
    quiet = CliRunner().invoke(app, ["run", "--no-report", "-p", str(make_project(
        root=root.parent / "no-sample"))])
    assert "random sample" not in quiet.output
    auto = make_project(root=root.parent / "auto", model="auto", extra="random_sample = 5\n")
    said = " ".join(CliRunner().invoke(app, ["run", "--no-report", "-p", str(auto)])
                    .output.split())
    assert "once the reviewed ones hold >= 5 of every label (>= 20 in all), auto also " \
           "chooses and calibrates" in said


def test_a_sample_reviewed_with_gaps_is_reported(make_project, tmp_path):
    """Reviewing a sample in its order keeps it random; a gap before the last reviewed item
    may be a hard item skipped, and the next run says so and records it."""

    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None, extra="random_sample = 5\n")
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "sample.csv", sample=True)[0]

    def review(positions, name):
        fill_review_csv(exported, tmp_path / name, positions, "billing")
        import_file(root, tmp_path / name, reviewer="ana")
        return run_project(root, report=False)

    def sample_warnings(result):  # (every item is reviewed "billing")
        return [w for w in result.warnings if "random sample" in w]

    assert sample_warnings(review((0, 1), "first.csv")) == []  # the first two, in order: fine
    result = review((3,), "then.csv")  # the third item (k = 2) skipped
    after = sample_warnings(result)
    assert len(after) == 1
    assert f"the random sample of run {run_dir.name} has 1 unreviewed item(s) before its " \
           "last reviewed one (3 of 5 reviewed)" in after[0]
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["reviews"]["random_samples"] == [
        {"run_id": run_dir.name, "drawn": 5, "reviewed": 3, "skipped": 1}]


def test_a_sample_item_reviewed_through_the_queue_is_no_gap(make_project, tmp_path):
    """Items 1-2 of a sample reviewed from it, item 5 from the review queue: the sample's
    reviewers stopped after item 2, so nothing was skipped (it had said 2 skipped)."""

    from labelwright.review.decisions import ledger
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run

    root = make_project(gold=None, extra="random_sample = 5\n")
    run_dir = run_project(root, report=False).run_dir
    exported = export_run(run_dir, "csv", tmp_path / "sample.csv", sample=True)[0]
    rows = fill_review_csv(exported, tmp_path / "first.csv", (0, 1), "billing")
    import_file(root, tmp_path / "first.csv", reviewer="ana")
    queue = ledger.Decision(rows[4]["id"], "technical", "importer", "bo", "", "now", "q.csv",
                            "s9", "row 1", run_dir.name, "csv", "queue")
    ledger.append(ledger.ledger_path(root), [queue], sha256="s9", reviewer="importer",
                  source_file="q.csv", fmt="csv", imported_at="now")
    after = run_project(root, report=False)
    assert not [w for w in after.warnings if "unreviewed item(s)" in w]
    manifest = json.loads((after.run_dir / "manifest.json").read_text())
    assert manifest["reviews"]["random_samples"] == [
        {"run_id": run_dir.name, "drawn": 5, "reviewed": 3, "skipped": 0}]


def test_a_sample_not_drawn_because_every_item_was_reviewed_says_so(make_project):
    """With random_sample set, it told the user to set random_sample."""
    from review_csv import review_items
    from ticket_data import TICKETS

    root = make_project(extra="random_sample = 5\n")
    review_items(root, {row["id"]: "billing" for row in TICKETS})
    run_project(root, report=False)
    exported = _export(root, "--sample")
    assert exported.exit_code != 0
    message = " ".join((exported.output + str(exported.exception)).split())
    assert "random_sample = 5: every item had a review already" in message


def test_a_sample_not_drawn_because_every_item_has_gold_says_so(make_project):
    """A dataset whose every row has a gold label drew no sample (gold is held out of the
    draws), the run said nothing of it, and export --sample said every item had a review,
    though none had."""
    from typer.testing import CliRunner as Runner

    from labelwright.cli.app import app
    from ticket_data import TICKETS

    rows = [{**row, "gold": row["gold"] or "billing"} for row in TICKETS]
    root = make_project(rows=rows, extra="random_sample = 5\n")
    ran = Runner().invoke(app, ["run", "--project", str(root), "--no-report"])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert "warning: random sample: none drawn ([triage] random_sample = 5): every item has " \
        f"a gold label in the dataset ({len(rows)}, held out to measure the run)" in said
    # --quiet keeps it: a warning, not a line of the summary it leaves out
    ran = Runner().invoke(app, ["run", "--project", str(root), "--no-report", "--quiet"])
    assert ran.exit_code == 0, ran.output
    said = " ".join(ran.output.split())
    assert "warning: random sample: none drawn ([triage] random_sample = 5)" in said, said
    assert "Review queue" not in said
    exported = _export(root, "--sample")
    assert exported.exit_code != 0
    message = " ".join((exported.output + str(exported.exception)).split())
    assert f"random_sample = 5: every item has a gold label in the dataset ({len(rows)}" in \
        message and "every item had a review" not in message


def test_the_misread_advice_names_no_sample_when_none_can_be_drawn():
    """Every item with held-out gold: the run advised `review export --sample`, which then
    failed (no sample can be drawn)."""
    from labelwright.lfs.stats import misread
    from labelwright.matrix import LabelMatrix

    votes = np.array([[0, 1]] * 30 + [[1, 1]] * 30)
    gold = np.array([0] * 30 + [1] * 30)
    matrix = LabelMatrix(votes=votes, lf_names=["a", "b"], item_ids=[str(i) for i in range(60)],
                         labels=("x", "y"))
    learned = {"a": 1.0, "b": 1.0}  # b is right on half its votes
    (can,) = misread(matrix, gold, learned)
    (cannot,) = misread(matrix, gold, learned, can_sample=False)
    assert "'b' 100% learned, 50% on gold" in can and "review export --sample" in can
    assert "review export --sample" not in cannot
    assert "no random\n  sample can be drawn" in cannot and "review import" in cannot


def test_the_misread_advice_says_to_set_random_sample_when_the_project_draws_none():
    """With [triage] random_sample = 0 (init's template) the advice named `review export
    --sample`, which then failed: "this run drew no random sample; set [triage]
    random_sample = N"."""
    from labelwright.lfs.stats import misread
    from labelwright.matrix import LabelMatrix

    votes = np.array([[0, 1]] * 30 + [[1, 1]] * 30)
    gold = np.array([0] * 30 + [1] * 30)
    matrix = LabelMatrix(votes=votes, lf_names=["a", "b"], item_ids=[str(i) for i in range(60)],
                         labels=("x", "y"))
    (said,) = misread(matrix, gold, {"a": 1.0, "b": 1.0}, random_sample=0)
    flat = " ".join(said.split())
    assert "set [triage] random_sample = N (e.g. 100) in labelwright.toml" in flat
    assert flat.index("random_sample = N") < flat.index("labelwright run") \
        < flat.index("review export --sample")
    (drawn,) = misread(matrix, gold, {"a": 1.0, "b": 1.0}, random_sample=50)
    assert "random_sample = N" not in drawn and "review export --sample" in drawn


def test_a_blind_export_holds_the_text_alone_and_its_reviews_come_back_as_the_samples(
        make_project, tmp_path):
    """Every export showed the suggestion (pre-selected in Label Studio, Prodigy and
    Argilla), the LF votes and the glossary terms; reviewers who see a suggestion lean to
    it, so reviews of the random sample over-stated the labels' accuracy."""
    import xml.etree.ElementTree as ET

    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import SAID, export_run

    root = make_project(gold=None, extra="random_sample = 4\n")
    run_dir = run_project(root, report=False).run_dir
    drawn = [json.loads(line) for line in (run_dir / "sample.jsonl").read_text().splitlines()]
    said = {str(r[key]) for r in drawn for key in ("suggested_label", "confidence")} - {"None"}
    assert said  # there is a suggestion to leave out
    for fmt, name in [("csv", "s.csv"), ("jsonl", "s.jsonl"), ("label-studio", "s.json"),
                      ("prodigy", "p.jsonl"), ("doccano", "d.jsonl"), ("argilla", "a.jsonl")]:
        written = export_run(run_dir, fmt, tmp_path / name, sample=True, blind=True)
        tasks = written[0].read_text(encoding="utf-8")
        for r in drawn:
            assert r["id"] in tasks and json.dumps(r["text"])[1:-1] in tasks, fmt
        if fmt != "csv":  # JSON keys (the CSV's header is checked below)
            assert not [key for key in SAID if f'"{key}"' in tasks], fmt
            # nor how many items share the text: a text posted fifty times hints at its label
            assert '"copies"' not in tasks and '"lw_copies"' not in tasks, fmt
        if fmt == "label-studio":
            config = ET.parse(written[1]).getroot()
            # the text (its <Style> sets only the direction of its lines), the choices and the
            # note box (no suggestion in it)
            assert [child.tag for child in config] == ["Style", "Text", "Choices", "TextArea"]
            assert all("predictions" not in task for task in json.loads(tasks))
        if fmt == "prodigy":
            assert all("accept" not in json.loads(line) for line in tasks.splitlines())
        if fmt == "argilla":
            settings = json.loads(written[1].read_text())
            # the ids alone
            assert {m["name"] for m in settings["metadata"]} == {
                "lw_id", "lw_run_id", "lw_project", "lw_export"}
            assert all("label" not in json.loads(line) for line in tasks.splitlines())
    # a tool holding both exports of an item holds two tasks, not one the other replaces
    export_run(run_dir, "prodigy", tmp_path / "shown.jsonl", sample=True)
    export_run(run_dir, "argilla", tmp_path / "shown-a.jsonl", sample=True)
    for shown, blind, key in (("shown.jsonl", "p.jsonl", "_input_hash"),
                              ("shown-a.jsonl", "a.jsonl", "id")):
        ids = [{json.loads(line)[key] for line in (tmp_path / name).read_text().splitlines()}
               for name in (shown, blind)]
        assert not ids[0] & ids[1] and len(ids[1]) == 4
    default = export_run(run_dir, "csv", sample=True, blind=True)[0]  # beside the shown one
    assert default.name == "sample-blind-csv.csv"
    assert export_run(run_dir, "csv", sample=True)[0].name == "sample-csv.csv"
    sheet = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    assert sheet[0] == "id,run_id,project,rank,text,review_label,note,blind,export"
    fill_review_csv(tmp_path / "s.csv", tmp_path / "done.csv", None, "billing")
    report = import_file(root, tmp_path / "done.csv", reviewer="ana")
    assert report.added == 4
    records = [{**json.loads(line), "review_label": "billing"}
               for line in (tmp_path / "s.jsonl").read_text().splitlines()]
    (tmp_path / "done.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    assert import_file(root, tmp_path / "done.jsonl", reviewer="bo").added == 4  # format guessed
    manifest = json.loads((run_project(root, report=False).run_dir / "manifest.json")
                          .read_text())
    assert manifest["reviews"]["random_samples"] == [
        {"run_id": run_dir.name, "drawn": 4, "reviewed": 4, "skipped": 0}]


def test_labelwright_run_says_how_many_gold_items_the_draws_left_out(make_project):
    from labelwright.cli.app import app
    from ticket_data import many_tickets

    rows = [row if i % 4 == 0 else {**row, "gold": ""}
            for i, row in enumerate(many_tickets(40))]
    root = make_project(rows=rows, extra="random_sample = 5\n")
    ran = CliRunner().invoke(app, ["run", "--no-report", "-p", str(root)])
    assert ran.exit_code == 0, ran.output
    run = run_project(root, report=False)  # the same draws, to count what they left out
    accepted = run.labels["status"].eq("accepted") | run.labels["reasons"].eq("audit")
    audit = int((accepted & run.labels["gold"].notna()).sum())
    assert audit > 0
    assert (f"gold items (held out) left out of the draws: {audit} from the audit, 10 from "
            "the random sample") in " ".join(ran.output.split())
    without = make_project(root=root.parent / "no-gold", gold=None, extra="random_sample = 5\n")
    quiet = CliRunner().invoke(app, ["run", "--no-report", "-p", str(without)])
    assert quiet.exit_code == 0 and "left out of the draws" not in quiet.output
