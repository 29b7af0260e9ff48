"""explain_item: votes, glossary matches, probabilities, reviews and the final label."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime

import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.runs import explain
from labelwright.errors import LabelwrightError, RunError
from labelwright.project import run_project
from labelwright.runs.explain.item import UnknownItemError, close_ids, explain_item
from labelwright.scaffold import init_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("explainproj")
    init_project(root)
    result = run_project(root)
    return root, result


def test_explain_reads_votes_probabilities_and_label_from_the_run(project):
    root, result = project
    e = explain_item(root, "r02")
    assert e.run_id == result.run_id and e.item_id == "r02"
    assert e.text == "Broke after two days. Returned it."
    assert e.fields == {"verified": "yes"}
    votes = {v.lf: v for v in e.votes}
    assert list(votes) == result.applied.matrix.lf_names
    row = result.applied.matrix.item_ids.index("r02")
    for j, name in enumerate(result.applied.matrix.lf_names):
        code = result.applied.matrix.votes[row, j]
        assert votes[name].vote == (None if code < 0 else result.project.labels[code])
    assert votes["returned_it"].vote == "negative"
    assert votes["returned_it"].location.endswith("reviews.py:20")
    assert votes["returned_it"].kind == "python"
    assert sum(e.probabilities.values()) == pytest.approx(1.0)
    assert e.probabilities["negative"] == pytest.approx(result.probs[row, 0])
    assert (e.label, e.label_source, e.model_label) == ("negative", "model", "negative")
    assert e.gold == "negative" and e.decisions == [] and e.warnings == []


def test_explain_recomputes_glossary_matches(project):
    root, _ = project
    e = explain_item(root, "r02")
    assert [(m.glossary, m.term, m.text) for m in e.matches] == [("complaints", "break", "Broke")]


def test_explain_uncovered_item_has_no_label(project):
    root, result = project
    uncovered = result.labels.loc[result.labels["label"].isna(), "id"].iloc[0]
    e = explain_item(root, uncovered)
    assert e.label is None and e.label_source == "none"
    assert all(v.vote is None for v in e.votes) and "uncovered" in e.reasons


def decide(root, item_id, label, rater, sha, run_id):
    """One rater's decision on one item, appended to the project's ledger now, as if
    imported from its own file (``sha``) of ``run_id``'s queue."""
    from labelwright.review.decisions import ledger

    now = datetime.now(UTC).isoformat()
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        item_id, label, rater, "", now, now, "f.csv", sha, "line 2", run_id, "csv", "queue")],
        sha256=sha, reviewer=rater, source_file="f.csv", fmt="csv", imported_at=now)


def test_the_label_is_the_runs_and_later_reviews_are_marked(tmp_path):
    """explain showed the newest decision of any rater as the final label, whatever the run
    did: with two raters against one it named the minority label, and on a run made before
    any review it named a label that run never gave."""

    root = tmp_path / "proj"
    init_project(root)
    before = run_project(root, report=False)
    given = [("ana", "positive", "s1"), ("ben", "positive", "s2"), ("cy", "negative", "s3")]
    for rater, label, sha in given:  # cy's is the newest decision, in the minority
        decide(root, "r02", label, rater, sha, before.run_id)
    after = run_project(root, report=False)
    e = explain_item(root, "r02", after.run_id)
    assert (e.label, e.label_source, e.model_label) == ("positive", "review", "negative")
    assert [d["reviewer"] for d in e.decisions] == ["ana", "ben", "cy"]
    assert not any(d["after_run"] for d in e.decisions) and e.warnings == []
    e = explain_item(root, "r02", before.run_id)
    assert (e.label, e.label_source, e.model_label) == ("negative", "model", "negative")
    assert all(d["after_run"] for d in e.decisions)
    assert any("3 review decision(s) on this item were imported after run" in w
               for w in e.warnings)


def test_unknown_item_lists_close_ids(project):
    root, _ = project
    with pytest.raises(UnknownItemError, match=r"no item with id 'r2x'.*'r02'"):
        explain_item(root, "r2x")


def test_close_ids():
    assert close_ids("t12", ["t1", "t12a", "x", "t21"])[0] == "t12a"
    assert close_ids("zzz", ["a", "b"]) == []
    ids = [f"CL-{i:05d}" for i in range(810)]  # "CL-46" found "CL-00746" and 4 more
    assert close_ids("CL-46", ids)[0] == "CL-00046"
    assert close_ids("cl-00046", ids)[0] == "CL-00046"
    assert close_ids("CL-046", ["CL-460", "CL-46"])[0] == "CL-46"
    assert close_ids("46", ids)[0] == "CL-00046"
    assert close_ids("46", ["v2-46", "t46"])[0] == "t46"  # two numbers: not that one


def test_explain_warns_when_the_dataset_changed(project, tmp_path):
    root, _ = project
    data = root / "data" / "reviews.csv"
    original = data.read_bytes()
    try:
        data.write_bytes(original.replace(b"Broke after two days", b"Broke after one day"))
        e = explain_item(root, "r02")
        assert any("changed since run" in w for w in e.warnings)
        assert e.text.startswith("Broke after one day")
    finally:
        data.write_bytes(original)


@contextlib.contextmanager
def edited_config(root, old, new):
    """``labelwright.toml`` with ``old`` replaced by ``new`` while the block runs."""
    config = root / "labelwright.toml"
    original = config.read_text()
    assert old in original
    try:
        config.write_text(original.replace(old, new))
        yield
    finally:
        config.write_text(original)


def test_explain_warns_when_the_text_column_changed(project):
    """The same data file read through another text column gave a text the run never saw,
    without a word: the data sha was all explain compared (export refuses the same)."""
    root, result = project
    with edited_config(root, 'text_column = "text"', 'text_column = "verified"'):
        e = explain_item(root, "r02")
    assert e.text == "yes"
    assert any(f"run {result.run_id} read its ids and texts from the columns 'id' and 'text'"
               in w and "now names 'id' and 'verified'" in w for w in e.warnings), e.warnings
    assert explain_item(root, "r02").warnings == []


def test_explain_warns_when_the_pipeline_changed(project):
    """Glossary matches recomputed with another pipeline than the run's (here without
    lemmas) contradicted the glossary LF's vote, without a word."""
    root, result = project
    with edited_config(root, 'lang = "en"', 'lang = "en"\nlemmatizer = false'):
        e = explain_item(root, "r02")
    assert e.matches == []  # 'Broke' no longer matches the term 'break'
    assert any(f"the spaCy pipeline changed since run {result.run_id}" in w
               for w in e.warnings), e.warnings
    assert explain_item(root, "r02").warnings == []


def test_explain_cli(project):
    root, result = project
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    out = CliRunner().invoke(app, ["explain", "r02", "-p", str(root), "--run", result.run_id],
                             env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    for expected in ("Broke after two days", "returned_it", "reviews.py:20", "complaints",
                     "'Broke'", "negative 0.", "Final label: negative (source: model"):
        assert expected in out.output


def test_explain_cli_cuts_a_long_text_unless_asked(project, monkeypatch):
    """A 173,000-character text was printed whole, burying the votes."""
    import labelwright.cli.explain as explain_cli

    root, result = project
    monkeypatch.setattr(explain_cli, "EXPLAIN_TEXT_CHARS", 10)
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    text = explain_item(root, "r02", result.run_id).text
    args = ["explain", "r02", "-p", str(root), "--run", result.run_id]
    cut = CliRunner().invoke(app, args, env={"COLUMNS": "250"})
    assert cut.exit_code == 0, cut.output
    assert (f"text: {text[:10]!r} ... (the first 10 of {len(text)} characters; --full-text "
            "prints them all)") in cut.output
    whole = CliRunner().invoke(app, [*args, "--full-text"], env={"COLUMNS": "250"})
    assert f"text: {text!r}" in whole.output and "--full-text" not in whole.output


def test_a_dispute_is_read_by_decision_time_as_the_run_reads_it(tmp_path):
    """ana decided "negative", then an older export of hers ("positive") was imported, then
    ben's "positive". The run takes each rater's latest decision by decision time (ana:
    negative against ben: positive, a dispute); explain took ana's last imported one and
    saw no dispute."""
    from labelwright.review.decisions import ledger

    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    for k, (rater, label, when) in enumerate((("ana", "negative", "2026-12-02T10:00:00+00:00"),
                                              ("ana", "positive", "2026-12-01T10:00:00+00:00"),
                                              ("ben", "positive", "2026-12-02T11:00:00+00:00"))):
        ledger.append(ledger.ledger_path(root), [ledger.Decision(
            "r02", label, rater, "", when, f"2026-12-03T0{k}:00:00+00:00", "f.csv", f"s{k}",
            "line 2", first.run_id, "csv", "queue")], sha256=f"s{k}", reviewer=rater,
            source_file="f.csv", fmt="csv", imported_at=f"2026-12-03T0{k}:00:00+00:00")
    run = run_project(root, report=False)
    e = explain_item(root, "r02", run.run_id)
    assert e.label_source == "model"
    assert any("the reviewers disagree on this item (ana: negative, ben: positive)" in w
               for w in e.warnings), e.warnings


def test_explain_names_who_imported_a_tools_rater_and_whether_they_saw_the_label(tmp_path):
    """A Label Studio decision showed as by 'label-studio:3' with no word of carol, who
    imported it, nor of whether it was made blind."""
    from labelwright.review.decisions import ledger

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    for k, (reviewer, annotator, blind) in enumerate((("carol", "label-studio:3", True),
                                                       ("dan", "", False))):
        ledger.append(ledger.ledger_path(root), [ledger.Decision(
            "r02", "negative", reviewer, annotator, "", f"2026-12-03T0{k}:00:00+00:00",
            "f.json", f"s{k}", "1", run.run_id, "label-studio", "queue", blind=blind)],
            sha256=f"s{k}", reviewer=reviewer, source_file="f.json", fmt="label-studio",
            imported_at=f"2026-12-03T0{k}:00:00+00:00")
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    out = CliRunner().invoke(app, ["explain", "r02", "-p", str(root)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    # the file gave no decision time: the import's is said to be one
    assert "Review: negative by label-studio:3 (imported by carol) imported at " \
        "2026-12-03T00:00:00+00:00 (its file gave no decision time), blind from f.json " \
        "(row 1, sha256 s0)" in " ".join(out.output.split())
    assert "Review: negative by dan imported at 2026-12-03T01:00:00+00:00 (its file gave " \
        "no decision time), the run's label shown" in " ".join(out.output.split())


def test_explain_gives_the_decision_time_the_file_gave_and_its_line(tmp_path, cli):
    from labelwright.review.decisions import ledger

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        "r02", "negative", "ana", "", "2026-12-01T09:00:00+00:00",
        "2026-12-03T00:00:00+00:00", "done.csv", "s0", "line 2", run.run_id, "csv",
        "queue")], sha256="s0", reviewer="ana", source_file="done.csv", fmt="csv",
        imported_at="2026-12-03T00:00:00+00:00")
    code, out = cli("explain", "r02", "-p", str(root))
    assert code == 0, out
    assert ("Review: negative by ana at 2026-12-01T09:00:00+00:00 from done.csv (line 2, "
            "sha256 s0)") in out, out


def _rated_run(tmp_path, ana, ben):
    """A new project whose item r02 ana and ben labelled ``ana`` and ``ben`` from its first
    run, and the run made after those decisions."""
    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    for rater, label in (("ana", ana), ("ben", ben)):
        decide(root, "r02", label, rater, rater, first.run_id)
    return root, run_project(root, report=False)


def test_explain_warns_of_edited_run_files_changed_lf_modules_and_disputes(tmp_path):
    """A label edited into labels.parquet was shown as the run's; an LF module edited since
    the run, or two reviewers who disagree (so no reviewed label), went unsaid."""
    import pandas as pd

    root, run = _rated_run(tmp_path, "positive", "negative")
    e = explain_item(root, "r02", run.run_id)
    assert e.label_source == "model"
    assert any("the reviewers disagree on this item (ana: positive, ben: negative)" in w
               for w in e.warnings)
    module = next((root / "labeling_functions").glob("*.py"))
    module.write_text(module.read_text() + "\nEXTRA = 1\n")
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    frame.loc[frame["id"] == "r02", "label"] = "positive"
    frame.to_parquet(path, index=False)
    e = explain_item(root, "r02", run.run_id)
    assert any(f"LF modules changed since run {run.run_id}: edited {module.name}" in w
               for w in e.warnings)
    assert any("labels.parquet: changed since the run wrote it" in w for w in e.warnings)
    # a missing output is an error that names it, not a FileNotFoundError traceback
    (run.run_dir / "label_matrix.parquet").unlink()
    with pytest.raises(LabelwrightError, match=r"label_matrix\.parquet: missing"):
        explain_item(root, "r02", run.run_id)


def test_a_failed_lf_is_shown_as_failed_not_as_an_abstain(make_project, cli):
    lfs = {"flaky": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def fourth_word(item):
    return "billing" if item.text.split()[3] == "invoice" else ABSTAIN
'''}
    rows = [{"id": "a1", "text": "too short", "plan": "pro", "gold": ""},
            {"id": "a2", "text": "where is my refund please", "plan": "pro", "gold": ""}]
    root = make_project(rows=rows, lfs=lfs)
    run_project(root, report=False)
    (vote,) = explain_item(root, "a1").votes
    assert vote.vote is None and vote.failed is True
    code, out = cli("explain", "a1", "-p", str(root))
    assert code == 0 and "failed (raised)" in out
    (vote,) = explain_item(root, "a2").votes
    assert vote.vote is None and vote.failed is False


def test_a_reviewed_items_probabilities_are_the_reviews_and_explain_shows_the_models(tmp_path):
    """A reviewed row kept the label model's probabilities beside the reviewer's label and
    confidence 1: training on the soft labels learned the model's guess, not the review."""
    import numpy as np
    import pandas as pd

    from review_csv import review_items

    root = tmp_path / "proj"
    init_project(root)
    before = run_project(root, report=False)
    model_says = before.labels.set_index("id")["label"]
    flipped = {"r02": "positive" if model_says["r02"] == "negative" else "negative",
               "r05": str(model_says["r05"])}
    review_items(root, flipped, run_id=before.run_id)
    after = run_project(root, report=False)
    frame = pd.read_parquet(after.run_dir / "labels.parquet").set_index("id")
    labels = after.project.labels
    columns = [f"prob_{lab}" for lab in labels]
    for item, label in flipped.items():
        row = frame.loc[item]
        assert (row["label"], row["label_source"], row["confidence"]) == (label, "review", 1.0)
        assert row[columns].tolist() == [float(lab == label) for lab in labels]
    model = frame.index.isin(list(flipped))
    # the model's own view stays: its label everywhere, its probabilities off reviewed rows
    k = after.dataset.ids.index("r02")
    assert frame.loc["r02", "model_label"] == model_says["r02"] != frame.loc["r02", "label"]
    np.testing.assert_array_equal(frame.loc[~model, columns].to_numpy(),
                                  after.probs[~model])
    assert (frame.loc[~model, "model_label"].fillna("") == frame.loc[~model, "label"]
            .fillna("")).all()

    e = explain_item(root, "r02", after.run_id)
    assert (e.label, e.label_source, e.model_label) == (flipped["r02"], "review",
                                                         model_says["r02"])
    np.testing.assert_allclose(list(e.probabilities.values()), after.probs[k])
    assert e.warnings == []
    # an edited model (here only its layout) is read, but not passed off as the run's
    path = after.run_dir / "label_model.json"
    path.write_text(path.read_text() + "\n")
    e = explain_item(root, "r02", after.run_id)
    np.testing.assert_allclose(list(e.probabilities.values()), after.probs[k])
    assert any("label_model.json: changed since the run wrote it" in w
               for w in e.warnings), e.warnings
    path.unlink()
    e = explain_item(root, "r02", after.run_id)
    assert e.probabilities == {} and e.model_label == model_says["r02"]
    assert any("label_model.json is missing" in w for w in e.warnings)


def test_an_id_in_other_unicode_code_points_is_spelt_out(make_project):
    """`explain <an id typed decomposed>` said "no item with id 'ünï'; did you mean
    'ünï'?": the two look alike, and nothing said how they differ."""
    import unicodedata

    composed = "\u00fcn\u00ef_1"
    rows = [{"id": composed, "text": "my invoice is wrong", "plan": "pro", "gold": ""},
            {"id": "b2", "text": "the app crashes", "plan": "pro", "gold": ""}]
    root = make_project(rows=rows)
    run_project(root, report=False)
    decomposed = unicodedata.normalize("NFD", composed)
    with pytest.raises(UnknownItemError) as raised:
        explain_item(root, decomposed)
    assert (f"did you mean {composed!r} (the same letters in other Unicode code points: "
            f"{ascii(composed)}, not {ascii(decomposed)})?") in str(raised.value)
    with pytest.raises(UnknownItemError, match=r"did you mean 'b2'\?$"):  # others as they were
        explain_item(root, "b3")


def test_a_missing_labels_file_is_said_to_be_missing(project, tmp_path):
    """With labels.parquet deleted, explain said "cannot read the labels: <its path>"."""
    import shutil

    root, result = project
    copy = tmp_path / "proj"
    shutil.copytree(root, copy)
    (copy / "runs" / result.run_id / "labels.parquet").unlink()
    with pytest.raises(LabelwrightError, match=r"labels\.parquet: missing \(deleted or moved "
                       r"since the run wrote it\), so the run's labels cannot be shown"):
        explain_item(copy, "r02")


def test_explain_shows_fields_as_the_lfs_get_them(make_project, cli):
    """An empty CSV cell was shown as `plan: nan`, which the LF gets as None, and looked
    like a cell holding the text "nan"."""
    rows = [{"id": "a1", "text": "my invoice is wrong", "plan": "", "gold": ""},
            {"id": "a2", "text": "the app crashes", "plan": "nan", "gold": ""},
            {"id": "a3", "text": "refund please", "plan": "None", "gold": ""}]
    root = make_project(rows=rows)
    run_project(root, report=False)
    assert [explain_item(root, i).fields["plan"] for i in ("a1", "a2", "a3")] \
        == [None, "nan", "None"]
    for item_id, shown in (("a1", "plan: None"), ("a2", "plan: 'nan'"), ("a3", "plan: 'None'")):
        code, out = cli("explain", item_id, "-p", str(root))
        assert code == 0 and shown in out, out


def test_explain_warns_when_the_ledger_no_longer_holds_the_decisions_the_run_read(tmp_path):
    """A decision edited in the ledger (its no-update trigger dropped) was listed as the
    run's reviews beside a final label it contradicted, with no warning; runs verify says
    the ledger changed, and explain now says it too."""
    import json
    import sqlite3

    from labelwright.review.decisions import ledger

    root, run = _rated_run(tmp_path, "positive", "positive")
    assert explain_item(root, "r02", run.run_id).warnings == []
    path = ledger.ledger_path(root)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("drop trigger decisions_no_update")
        conn.execute("update decisions set label = 'negative' where seq = 1")
    conn.close()
    e = explain_item(root, "r02", run.run_id)
    assert [d["label"] for d in e.decisions] == ["negative", "positive"]
    assert e.label == "positive"
    digest = json.loads((run.run_dir / "manifest.json").read_text())["reviews"]["ledger_sha256"]
    change = ledger.ledger_changes(path, 2, digest)
    expected = change.message if change else None
    assert expected is not None
    # the item's own decision that changed is named, as runs verify names it
    assert e.warnings == [f"{expected}; by the run's reviews.json: item 'r02' by ana: "
                          "'positive' when the run read it, now 'negative': the reviews and "
                          "how they settle below are the ledger's now, not those run "
                          f"{run.run_id} read and labeled this item from; `labelwright runs "
                          "verify` checks every file"]
    path.unlink()  # no ledger at all: the decisions the run read are gone
    (gone,) = explain_item(root, "r02", run.run_id).warnings
    assert "reviews.sqlite: missing; the run read 2 decisions from it" in gone


def test_explain_names_the_data_file_the_run_read_not_the_one_data_names_now(tmp_path):
    """With [data] path moved to an edited copy, explain said "reviews_v2.csv changed since
    run X" and that the run read its columns "of .../reviews_v2.csv": a file the run never
    read. The file the run read is the one its manifest records."""
    import shutil

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    read, copy = root / "data" / "reviews.csv", root / "data" / "reviews_v2.csv"
    shutil.copy(read, copy)
    with edited_config(root, 'path = "data/reviews.csv"', 'path = "data/reviews_v2.csv"'):
        (same,) = explain_item(root, "r02").warnings  # the same bytes: the texts are the run's
        assert same == (f"run {run.run_id} read its items from {read}; [data] path now names "
                        f"{copy}, which holds the same data (sha256 {run.dataset.sha256[:12]})")
        copy.write_text(copy.read_text() + "r99,one more,no,\n")
        with edited_config(root, 'text_column = "text"', 'text_column = "verified"'):
            warnings = explain_item(root, "r02").warnings
    assert len(warnings) == 3, warnings
    assert warnings[0].startswith(f"run {run.run_id} read its items from {read} (sha256 "
                                  f"{run.dataset.sha256[:12]}); [data] path now names {copy}, "
                                  "which holds other data")
    assert warnings[1].startswith(f"run {run.run_id} read its ids and texts from the columns "
                                  f"'id' and 'text' of {read}; [data] now names 'id' and "
                                  f"'verified' of {copy}:")
    # the item's text is now its 'verified' column: not the text the run labelled
    assert warnings[2].startswith(f"item 'r02' has another text in {copy} now than run "
                                  f"{run.run_id} labelled (its text hash differs)")
    assert not any(f"{copy} changed since run" in w for w in warnings)


def test_a_moved_project_reads_its_data_where_it_was_and_another_projects_run_does_not(
        tmp_path):
    """A project moved to another folder (its manifests record the old one) reads the same
    file, at the same place in it; a run folder copied from another project read that
    project's file, even at the same place in its own folder, and is refused."""
    import shutil

    first = tmp_path / "first"
    init_project(first)
    run = run_project(first, report=False)
    moved = tmp_path / "moved"
    shutil.move(first, moved)
    assert explain_item(moved, "r02").warnings == []
    data = moved / "data" / "reviews.csv"
    data.write_text(data.read_text().replace("Broke after two days", "Broke after a day"))
    changed, this_item = explain_item(moved, "r02").warnings
    assert changed.startswith(f"{data} changed since run {run.run_id}")
    assert this_item.startswith(f"item 'r02' has another text in {data} now than run "
                                f"{run.run_id} labelled")

    other = tmp_path / "other"
    init_project(other)
    data = other / "data" / "reviews.csv"
    data.write_text(data.read_text().replace("Broke after two days", "Broke at once"))
    # another project's run is not explained against this project's data at all: refused
    with edited_config(other, 'name = "product-reviews"', 'name = "other-reviews"'):
        shutil.copytree(moved / "runs" / run.run_id, other / "runs" / run.run_id)
        with pytest.raises(RunError, match="made by project 'product-reviews'"):
            explain_item(other, "r02", run.run_id)


def test_a_manifest_that_records_its_decisions_as_count_is_read_as_verify_reads_it(tmp_path):
    """Manifests written before the review loop recorded its own fields name the ledger
    decisions a run read ``count``: explain read only ``decisions``, so took the run to have
    read none and marked every decision as imported after it."""
    import json

    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    decide(root, "r02", "positive", "ana", "ana", first.run_id)
    run = run_project(root, report=False)
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["reviews"]["count"] = manifest["reviews"].pop("decisions")
    path.write_text(json.dumps(manifest))
    e = explain_item(root, "r02", run.run_id)
    assert [d["after_run"] for d in e.decisions] == [False] and e.warnings == []


def test_explain_says_how_the_reviews_settled_and_which_model_auto_chose(tmp_path, cli):
    """explain listed the decisions and the final label, not how the run's review policy
    got from one to the other (a majority, a tie an adjudicator settled), nor which model
    auto had chosen: its "Label model" line named AutoLabelModel and nothing more."""
    from labelwright.runs.store import read_manifest

    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    for item, given in (("r02", (("ana", "positive"), ("ben", "negative"),
                                 ("lead", "negative"))),
                        ("r05", (("ana", "positive"), ("ben", "positive"),
                                 ("cy", "negative")))):
        for rater, label in given:
            decide(root, item, label, rater, f"{item}-{rater}", first.run_id)
    toml = root / "labelwright.toml"
    plain = toml.read_text()
    toml.write_text(plain + '\n[review]\nadjudicators = ["lead"]\n')
    run = run_project(root, report=False)
    toml.write_text(plain)  # the run's policy counts, not the project's now
    e = explain_item(root, "r02", run.run_id)
    assert (e.label, e.label_source) == ("negative", "review")
    assert e.settlement.describe() == ("a 1-1 tie of the raters (ana: positive; ben: "
                                       "negative) settled by adjudicator lead")
    assert (e.review_policy, e.adjudicators, e.policy_recorded) == ("majority", ["lead"], True)
    chosen = read_manifest(run.run_dir)["label_model"]["chosen"]
    assert e.chosen == chosen and chosen["model"] == "dawid_skene"
    code, out = cli("explain", "r05", "-p", str(root), "--run", run.run_id)
    assert code == 0, out
    assert ("Reviews settled: a 2-1 majority of 3 raters (ana, ben: positive; cy: negative) "
            "([review] policy majority, adjudicators lead)") in out
    assert "auto chose dawid_skene (abstain=fit_only, " in out and chosen["reason"] in out
    # an item nobody reviewed has no settlement to tell
    assert explain_item(root, "r03", run.run_id).settlement is None
    # a run from before the policy was recorded: the project's now, and it says so
    manifest_path = run.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    for key in ("policy", "adjudicators"):
        del manifest["reviews"][key]
    manifest_path.write_text(json.dumps(manifest))
    e = explain_item(root, "r02", run.run_id)
    assert (e.adjudicators, e.policy_recorded) == ([], False)
    assert e.settlement.describe() == "a 2-1 majority of 3 raters (ben, lead: negative; ana: " \
        "positive)"
    code, out = cli("explain", "r02", "-p", str(root), "--run", run.run_id)
    assert ("([review] policy majority, adjudicators none: the project's now, the run did not "
            "record its own)") in out


def test_explain_shows_the_text_the_run_labelled_when_the_data_changed(tmp_path):
    """With the data edited (or an item gone) since the run, explain showed the text the
    data has now beside the run's votes and label, which were made on another text. An
    item the run exported for review keeps the text the run read; another item can only
    show the data's."""
    import json

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    exported = {json.loads(line)["id"]: json.loads(line)["text"]
                for line in (run.run_dir / "review.jsonl").read_text().splitlines()}
    assert "r03" in exported and "r02" not in exported
    data = root / "data" / "reviews.csv"
    data.write_text(data.read_text()
                    .replace("Not great, not terrible. 3/5", "Great, truly. 5/5")
                    .replace("Broke after two days", "Broke after one day"))
    e = explain_item(root, "r03", run.run_id)
    assert e.text == exported["r03"] == "Not great, not terrible. 3/5"
    assert e.fields == {"verified": "no"}
    assert any(f"item 'r03' has another text in {data} now: the text shown is the one run "
               f"{run.run_id} labelled" in w for w in e.warnings), e.warnings
    assert any(f"{data} changed since run {run.run_id}; the text shown is the one the run "
               "exported for review" in w for w in e.warnings), e.warnings
    other = explain_item(root, "r02", run.run_id)  # not exported: the data's text, said so
    assert other.text.startswith("Broke after one day")
    assert any("the text and glossary matches shown are from the current file" in w
               for w in other.warnings)
    # ... of this item too: the run's text hash says its text is not the one it labelled
    assert any(f"item 'r02' has another text in {data} now than run {run.run_id} labelled "
               "(its text hash differs), and no file of the run keeps the text it saw"
               in w and "the text shown is today's and the glossary matches are recomputed "
               "on it" in w for w in other.warnings), other.warnings
    same = explain_item(root, "r01", run.run_id)  # its text is the run's: no such word
    assert not any("has another text" in w for w in same.warnings), same.warnings

    data.write_text("\n".join(line for line in data.read_text().splitlines()
                              if not line.startswith("r03,")) + "\n")
    gone = explain_item(root, "r03", run.run_id)
    assert gone.text == "Not great, not terrible. 3/5" and gone.fields == {}
    assert any(f"item 'r03' is not in {data} now: the text shown is the one run "
               f"{run.run_id} labelled" in w for w in gone.warnings), gone.warnings


def test_explain_finds_glossary_matches_with_the_runs_copies(tmp_path):
    """A glossary edited after a run: the votes shown were the run's, but the terms matched
    were recomputed from the current glossary, which no longer has the term that voted."""
    root = tmp_path / "proj"
    init_project(root)
    result = run_project(root, report=False)
    glossary = root / "glossaries" / "complaints.yaml"
    glossary.write_text(glossary.read_text().replace("term: break\n    synonyms: [broken, crack]",
                                                     "term: shatter"))
    e = explain_item(root, "r02", run=result.run_id)
    assert [(m.glossary, m.term, m.text) for m in e.matches] == [("complaints", "break", "Broke")]
    assert any(f"glossaries changed since run {result.run_id}; matches are found with the "
               f"run's copies of them (runs/{result.run_id}/sources/)" in w
               for w in e.warnings), e.warnings
    (result.run_dir / "sources" / "glossaries" / "complaints.yaml").unlink()
    e = explain_item(root, "r02", run=result.run_id)
    assert e.matches == []  # the current glossary: 'shatter' is not in the text
    assert any("matches are recomputed with the current glossaries (the run kept no intact "
               "copy of them)" in w for w in e.warnings), e.warnings


def test_explain_of_a_run_that_read_no_glossaries_finds_no_matches(tmp_path):
    """A run made before the project had glossaries: explain listed terms of glossaries
    added since as matched, beside votes in which no glossary took part."""
    import shutil

    root = tmp_path / "proj"
    init_project(root)
    kept = tmp_path / "glossaries"
    shutil.move(root / "glossaries", kept)
    (root / "glossaries").mkdir()
    result = run_project(root, report=False)
    shutil.rmtree(root / "glossaries")
    shutil.move(kept, root / "glossaries")
    e = explain_item(root, "r02", run=result.run_id)
    assert e.matches == []
    assert any(f"run {result.run_id} read no glossaries" in w for w in e.warnings), e.warnings


def test_explain_cli_prints_each_distinct_glossary_match_once_with_its_count(
        make_project, monkeypatch):
    """A 200,000-character text printed 26,667 lines of one match (1.3 MB, 13 s)."""
    import labelwright.cli.explain as explain_cli
    from ticket_data import BILLING_GLOSSARY, TICKETS

    rows = [dict(row) for row in TICKETS]
    rows[0]["text"] = "a charge. " * 300 + "the invoice, an overcharge"
    rows[1]["id"] = " t2 "  # an id with spaces: shown quoted
    root = make_project(rows=rows, glossaries={"money": BILLING_GLOSSARY})
    result = run_project(root, report=False)
    matches = explain_item(root, "t1", result.run_id).matches
    assert sum(m.text == "charge" for m in matches) == 300
    monkeypatch.setattr(explain_cli, "EXPLAIN_MATCH_LINES", 2)
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    out = CliRunner().invoke(app, ["explain", "t1", "-p", str(root)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    lines = [line for line in out.output.splitlines() if "(term " in line]
    assert len(lines) == 2, out.output
    assert "money: 'charge' (term 'charge') -> billing x300" in lines[0]
    distinct = {(m.glossary, m.text, m.term) for m in matches}
    assert (f"... and {len(distinct) - 2} more distinct matches ({len(matches) - 301} in all"
            in out.output)
    quoted = CliRunner().invoke(app, ["explain", " t2 ", "-p", str(root)],
                                env={"COLUMNS": "250"})
    assert "item ' t2 ' in run" in quoted.output, quoted.output


def _as_before_failures_were_kept(run_dir) -> None:
    """The run as one from before runs kept every item an LF raised on: the manifest's
    first ids alone."""
    from labelwright.runs.file_names import LF_FAILURES_FILE

    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    for record in manifest["failures"].values():
        record.pop("rows_in", None)
    manifest["outputs"].pop(LF_FAILURES_FILE)
    path.write_text(json.dumps(manifest))
    (run_dir / LF_FAILURES_FILE).unlink()


def test_explain_says_on_how_many_items_an_lf_raised_when_the_item_is_not_listed(
        make_project):
    """An LF that raised on 1,477 of 1,500 items showed as 'abstain (or failed: the run
    lists only some of this LF's failures)', which did not tell it was broken. (A run
    made before runs kept every failure: a newer one says exactly, test_explain_failures.)"""
    from ticket_data import TICKET_LFS

    root = make_project(lfs={"tickets": TICKET_LFS + '''

@labeling_function()
def always_raises(item):
    return {}["no such key"]
'''})
    # raising on every item, the run failed: not the latest run, so it is named
    run_id = run_project(root, report=False).run_id
    _as_before_failures_were_kept(root / "runs" / run_id)
    e = explain_item(root, "t6", run=run_id)
    (vote,) = [v for v in e.votes if v.lf == "always_raises"]
    assert vote.failed is None and vote.failures == 6  # the run lists the first 5 ids
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    out = CliRunner().invoke(app, ["explain", "t6", "-r", run_id, "-p", str(root)],
                             env={"COLUMNS": "300"})
    assert ("abstain, or failed: the LF raised on 6 items of the run, which lists only some "
            "of them") in out.output, out.output


def test_explain_cli_tables_the_votes_and_names_the_abstains(project):
    """With 42 LFs an item's Votes table was 41 abstain rows and one vote, and its 16
    probabilities came in label order: the table has the LFs that voted, one line says
    how many abstained and which, and the probabilities run from the most likely down."""
    root, result = project
    app = typer.Typer()
    app.command()(explain)
    app.command("noop")(lambda: None)
    import pandas as pd

    frame = pd.read_parquet(result.run_dir / "labels.parquet")
    # an item labelled other than the first label: its probabilities' order is not the labels'
    item = str(frame.loc[frame["label"].notna() & frame["label"].ne(result.project.labels[0]),
                         "id"].iloc[0])
    e = explain_item(root, item, result.run_id)
    voted = [v.lf for v in e.votes if v.vote is not None]
    abstained = [v.lf for v in e.votes if v.vote is None]
    assert voted and abstained
    out = CliRunner().invoke(app, ["explain", item, "-p", str(root), "--run", result.run_id],
                             env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    table = out.output.split("Votes", 1)[1].split("Abstained", 1)[0]
    assert all(lf in table for lf in voted) and "abstain" not in table
    assert not any(lf in table for lf in abstained if not any(lf in v for v in voted))
    n = len(abstained)
    assert (f"Abstained: {n} LF{'s' if n > 1 else ''} ({', '.join(abstained)})"
            in " ".join(out.output.split()))
    ranked = sorted(e.probabilities.items(), key=lambda pair: -pair[1])
    assert ranked != list(e.probabilities.items())  # the label order is another
    shown = ", ".join(f"{label} {p:.3f}" for label, p in ranked)
    assert f"Label model ({e.model}): {shown}" in " ".join(out.output.split())


def test_an_id_given_as_a_number_is_its_text(make_project):
    """explain_item(root, 110024) (or an id from df.index, a numpy integer) failed with
    'labels.parquet: cannot read the labels: Expected bytes, got a 'int' object', blaming
    the run's file; ids are text, as the CLI reads them."""
    import numpy as np

    from labelwright.errors import DataError

    rows = [{"id": str(100 + k), "text": text, "plan": "pro", "gold": ""}
            for k, text in enumerate(["refund my invoice", "the app crashes", "charged twice"])]
    root = make_project(rows=rows, gold=None)
    run_project(root, report=False)
    for given in (101, np.int64(101), 101.0):
        e = explain_item(root, given)
        assert (e.item_id, e.text) == ("101", "the app crashes")
    with pytest.raises(DataError, match="an id must be a string or a number"):
        explain_item(root, True)


def test_an_explanation_shows_as_one_line(project):
    """A notebook showed the dataclass's repr: every vote, match and note, several KB."""
    root, _ = project
    e = explain_item(root, "r02")
    shown = repr(e)
    assert "\n" not in shown and len(shown) < 300
    voted = sum(v.vote is not None for v in e.votes)
    assert shown.startswith(f"Explanation(item_id='r02', run_id={e.run_id!r}, label="
                            f"'negative' (model, {e.confidence:.2f}), votes={voted} of "
                            f"{len(e.votes)} LFs, matches={len(e.matches)}")
