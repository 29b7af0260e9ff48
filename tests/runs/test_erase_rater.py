"""``labelwright erase --rater``: a reviewer's names taken out of the review ledger for a
pseudonym, on record, with every run that read their decisions still verifying."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from kept_bytes import files_holding
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.decisions.rater_erasures import read_rater_erasures
from labelwright.runs.erase.raters import erase_rater_names
from labelwright.runs.erase.records import read_erasures
from review_csv import exported_sample, fill_review_csv, sample_reviewed_by

EMAIL = "dana.reviewer@example.com"


@pytest.fixture
def reviewed(make_project, cli, tmp_path):
    """A project whose random sample was reviewed by dana (named by email) and erin, imported, and
    read by a run; dana's file kept where it was imported from."""
    root = make_project(extra="random_sample = 10\n")
    run_project(root, report=False)
    sample_reviewed_by(root, cli, tmp_path, ((EMAIL, "billing"), ("erin", "technical")))
    run_project(root, report=False)
    return root


def _runs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "runs").iterdir() if p.is_dir())


def test_a_rater_is_renamed_on_record_and_every_run_still_verifies(reviewed, cli):
    root = reviewed
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason",
                    "request 7", "--dry-run", "-p", str(root))
    assert code == 0, out
    assert f"Would replace the rater '{EMAIL}' by 'erased-rater-1' in 1 decision" in out, out
    assert read_erasures(root / "runs") == []
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason",
                    "request 7", "-p", str(root))
    assert code == 0, out
    assert "Replaced the rater" in out and "not changed, and naming the rater:" in out, out
    assert "dana.reviewer.csv: a review file of the rater the ledger imported" in out, out
    # the run that read it: its reviews.json names the pseudonym now, on record
    assert "reviews.json: the rater's names (run file)" in out, out
    assert "reviews.json holds the rater's name" not in out, out
    assert files_holding(root / "runs", EMAIL) == []
    assert EMAIL.encode() not in (root / "reviews.sqlite").read_bytes()
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        raters = sorted(r for (r,) in conn.execute("SELECT reviewer FROM decisions"))
    assert raters == ["erased-rater-1", "erin"]
    (erasure,) = read_erasures(root / "runs")
    assert [(f.name, f.items) for f in erasure.files] == [("reviews.json", 0)]
    assert erasure.ledger == {"path": str(root / "reviews.sqlite"), "decisions": 1,
                              "rater": "erased-rater-1"}
    assert EMAIL not in (root / "runs" / "ERASURES.jsonl").read_text(encoding="utf-8")
    assert [e.reason for e in read_rater_erasures(root / "reviews.sqlite")] == ["request 7"]
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert "unchanged but for the raters' names erase took out (below)" in said, out
    assert "a rater renamed erased-rater-1 on" in said, out
    assert ("reviews.json: the rater's names replaced by erased-rater-1 on" in said
            and "rests on ERASURES.jsonl line 1" in said), out
    # the next run counts the pseudonym as the rater dana was
    run_project(root, report=False)
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0 and "erased-rater-1" in out and "dana" not in out, out
    # a hand edit after the erasure is still caught
    from ledger_rows import tamper

    tamper(root, "UPDATE decisions SET label = 'billing' WHERE reviewer = 'erin'")
    code, out = cli("runs", "verify", _runs(root)[1], "-p", str(root))
    assert code == 1, out


def test_a_name_no_decision_holds_is_refused_with_the_closest(reviewed):
    with pytest.raises(RunError, match=r"'erim'.*did you mean 'erin'.*nothing erased"):
        erase_rater_names(reviewed, ["erim"], reviewer="lead", reason="r")
    assert read_erasures(reviewed / "runs") == []


def test_a_config_that_names_the_rater_is_refused_until_it_names_the_pseudonym(reviewed):
    config = reviewed / "labelwright.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[review]\n", f'[review]\nadjudicators = ["{EMAIL}"]\n')
                      if "[review]\n" in text else
                      text + f'\n[review]\nadjudicators = ["{EMAIL}"]\n', encoding="utf-8")
    with pytest.raises(RunError, match=r"labelwright.toml:\d+ \(\[review\] adjudicators: "
                                       r"'dana.reviewer@example.com'\); put 'erased-rater-1'"):
        erase_rater_names(reviewed, [EMAIL], reviewer="lead", reason="r")
    assert read_erasures(reviewed / "runs") == []
    config.write_text(config.read_text(encoding="utf-8").replace(EMAIL, "erased-rater-1"),
                      encoding="utf-8")
    report = erase_rater_names(reviewed, [EMAIL], reviewer="lead", reason="r")
    assert report.written and report.decisions == 1
    assert files_holding(reviewed / "runs", EMAIL) == []


def test_a_pseudonym_that_is_a_raters_name_is_refused(reviewed):
    with pytest.raises(RunError, match=r"--pseudonym 'erin' is a rater's name"):
        erase_rater_names(reviewed, [EMAIL], reviewer="lead", reason="r", pseudonym="erin")


def test_rater_and_item_are_erased_apart(reviewed, cli):
    code, out = cli("erase", "--rater", EMAIL, "--item", "t1", "--reviewer", "lead",
                    "--reason", "r", "-p", str(reviewed))
    assert code == 2 and "--rater erases a rater, not items" in out, out
    code, out = cli("erase", "--item", "t1", "--pseudonym", "x", "--reviewer", "lead",
                    "--reason", "r", "-p", str(reviewed))
    assert code == 2 and "give --rater NAME too" in out, out


@pytest.mark.parametrize("block", [1, 3, 7, 12, 100])
def test_a_name_across_two_blocks_of_a_file_is_found(tmp_path, block):
    """A run's files are read a block at a time (its label files may be large): a name
    cut by a block's end is still found."""
    from labelwright.runs.erase.rater_files import _written_in

    path = tmp_path / "blob"
    path.write_bytes(b"x" * 10 + EMAIL.encode() + b"y" * 5)
    assert _written_in(path, [EMAIL], block=block)
    assert not _written_in(path, ["erin"], block=block)


def _reading_run(root: Path) -> Path:
    """The run that read both raters' decisions (the second)."""
    return root / "runs" / _runs(root)[1]


def test_a_reviews_json_edited_after_the_erasure_names_the_edited_record_alone(reviewed, cli):
    """After erase --rater the run's reviews.json still names the rater as the run read
    them, the ledger the pseudonym: an edit of another record was said with the erased
    rater's record beside it, as if the ledger no longer gave it."""
    import json

    root = reviewed
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0, out
    path = _reading_run(root) / "reviews.json"
    kept = path.read_text(encoding="utf-8")
    record = json.loads(kept)
    (item,) = {r["id"] for r in record["reviews"] if r["reviewer"] == "erin"}
    for review in record["reviews"]:
        if review["reviewer"] == "erin":
            review["label"] = "billing"
    path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    code, out = cli("runs", "verify", path.parent.name, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert (f"against the 2 ledger decisions the run read (unchanged): item {item!r} by "
            "erin: label 'billing' in it, 'technical' by the ledger") in said, out
    assert f"by {EMAIL}" not in said, out
    path.write_text(kept + "\n", encoding="utf-8")  # the same records, another layout
    code, out = cli("runs", "verify", path.parent.name, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1 and ("each of its records is what the 2 ledger decisions the run "
                          "read (unchanged) give") in said, out


def test_a_ledger_edit_after_the_erasure_names_the_edited_decision_alone(reviewed, cli):
    """The erased rater's decisions, renamed on record, are not named as changed beside a
    hand edit of another's."""
    from ledger_rows import tamper

    root = reviewed
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0, out
    tamper(root, "UPDATE decisions SET label = 'billing' WHERE reviewer = 'erin'")
    code, out = cli("runs", "verify", _reading_run(root).name, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert "by erin: 'technical' when the run read it, now 'billing'" in said, out
    assert f"by {EMAIL}" not in said and "renamed?" not in said, out
    (item,) = {d.item_id for d in read_decisions(root / "reviews.sqlite")}
    code, out = cli("explain", item, "-p", str(root), "--run", _reading_run(root).name)
    said = " ".join(out.split())
    assert "by erin: 'technical' when the run read it, now 'billing'" in said, out
    assert f"by {EMAIL}" not in said and "renamed?" not in said, out


def test_a_relabel_record_of_the_rater_is_renamed_too(reviewed, cli, tmp_path):
    """An import with --relabel records the rater and who imported in the ledger's
    relabels table: erase left the name there, and the correction then read as two names
    that disagree."""
    root = reviewed
    own = tmp_path / "dana-again.csv"
    fill_review_csv(tmp_path / "sample.csv", own, [0], "technical")
    own.write_text(own.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # not erin's
    code, out = cli("review", "import", str(own), "--reviewer", EMAIL, "--relabel",
                    "--independent", "-p", str(root))  # the same answers as erin's
    assert code == 0, out
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0, out
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        assert sorted(conn.execute("SELECT rater, reviewer FROM relabels")) == [
            ("erased-rater-1", "erased-rater-1")]
    assert EMAIL.encode() not in (root / "reviews.sqlite").read_bytes()
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out


def test_a_decision_table_that_names_the_rater_is_named(reviewed, cli, tmp_path):
    """A table `review decisions --out` wrote (recorded in runs/DECISION_TABLES.jsonl) has
    a rater column: erase left it holding the name without a word."""
    root = reviewed
    table = tmp_path / "decisions.csv"
    code, out = cli("review", "decisions", "--out", str(table), "-p", str(root))
    assert code == 0 and EMAIL in table.read_text(encoding="utf-8"), out
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    said = " ".join(out.split())
    assert code == 0, out
    assert (f"{table}: a decision table `review decisions` wrote holds the rater's name"
            in said), out


def test_whole_names_alone_are_replaced_in_reviews_json_and_the_report():
    """A name is replaced where the file names it as a rater (a ``reviewer`` or ``rater``
    JSON string, a ``<bdi>`` of the report's list of reviewers), never inside another word."""
    from labelwright.runs.erase.rater_files import renamed_text

    text = ('{"reviewer": "erin", "note": "offering erin", "rater": "\\u00e9rin", '
            '"label": "erin"}')
    new, n = renamed_text(text, {"erin", "\u00e9rin"}, "erased-rater-1", html=False)
    assert n == 2 and new == ('{"reviewer": "erased-rater-1", "note": "offering erin", '
                              '"rater": "erased-rater-1", "label": "erin"}')
    page = ('<section id="reviews"><h2>Reviews</h2><p>3 reviews of 2 items by <bdi>erin</bdi> '
            "(3), <bdi>erin &amp; co</bdi> (1); offering</p></section>")
    new, n = renamed_text(page, {"erin"}, "erased-rater-1", html=True)
    assert n == 1 and new == page.replace("<bdi>erin</bdi>", "<bdi>erased-rater-1</bdi>")


def test_a_rater_named_as_a_key_or_a_label_leaves_them_be():
    """A rater named ``label`` (a key of every review) or ``positive`` (a label the report
    shows in a ``<bdi>`` too) is renamed where a rater is named, and nowhere else: the
    file's keys and labels stay."""
    from labelwright.runs.erase.rater_files import renamed_text

    text = '{"reviews": [\n {"id": "a", "reviewer": "label", "label": "label"}]}'
    new, n = renamed_text(text, {"label"}, "erased-rater-1", html=False)
    assert n == 1 and json.loads(new) == {"reviews": [
        {"id": "a", "reviewer": "erased-rater-1", "label": "label"}]}
    page = ('<section id="lfs"><h2>LFs</h2><p><bdi>positive</bdi> (4)</p></section>'
            '<section id="reviews"><h2>Reviews</h2><p>4 reviews of 4 items by '
            "<bdi>positive</bdi> (4). The adjudicators (<bdi>div</bdi>) are left out</p>"
            "<p><bdi>positive</bdi> (4)</p><div>div</div></section>")
    new, n = renamed_text(page, {"positive", "div"}, "erased-rater-1", html=True)
    assert n == 2 and new == page.replace(
        "by <bdi>positive</bdi>", "by <bdi>erased-rater-1</bdi>").replace(
        "<bdi>div</bdi>", "<bdi>erased-rater-1</bdi>")


def test_a_report_naming_the_rater_names_the_pseudonym_and_the_run_verifies(reviewed, cli):
    root = reviewed
    code, out = cli("report", "-p", str(root))
    assert code == 0, out
    report = _reading_run(root) / "report.html"
    assert f"<bdi>{EMAIL}</bdi>" in report.read_text(encoding="utf-8")
    code, out = cli("erase", "--rater", EMAIL, "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0 and "report.html: the rater's names (report)" in out, out
    assert "<bdi>erased-rater-1</bdi>" in report.read_text(encoding="utf-8")
    assert files_holding(root / "runs", EMAIL) == []
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out


def test_an_archive_of_a_pruned_run_is_named_when_its_record_is_gone(tmp_path):
    """The archives of pruned runs were found through runs/PRUNED.jsonl alone: with the
    record deleted, one naming the rater went unsaid."""
    from labelwright.runs.erase.raters import pruned_archives

    archive = tmp_path / "runs" / "pruned" / "20261201-000000-000000"
    archive.mkdir(parents=True)
    (archive / "manifest.json").write_text(f'{{"adjudicators": ["{EMAIL}"]}}',
                                           encoding="utf-8")
    (line,) = pruned_archives(tmp_path / "runs", [EMAIL])
    assert line.startswith(f"{archive}: manifest.json of the archive of a pruned run holds")
    assert "runs/PRUNED.jsonl does not record this archive" in line, line


def test_a_rater_named_like_a_common_word_is_looked_for_where_files_name_raters(
        make_project, cli, tmp_path):
    """A rater named ``label``: every run file holds the word (a key of reviews.json, a
    column of labels.parquet, the LFs' code), and erase named each as still holding the
    rater's name. Only where a file names raters is looked at now: the report, which names
    its reviewers, is rewritten on record, and the run still verifies."""
    root = make_project(extra="random_sample = 10\n")
    run_project(root, report=False)
    sheet = exported_sample(root, cli, tmp_path)
    own = tmp_path / "sheet-one.csv"
    fill_review_csv(sheet, own, [0], "billing")
    code, out = cli("review", "import", str(own), "--reviewer", "label", "-p", str(root))
    assert code == 0, out
    run = run_project(root)
    assert "<bdi>label</bdi>" in (run.run_dir / "report.html").read_text(encoding="utf-8")
    code, out = cli("erase", "--rater", "label", "--reviewer", "lead", "--reason", "r",
                    "-p", str(root))
    assert code == 0, out
    assert "report.html: the rater's names (report)" in out, out
    assert "holds the rater's name" not in out and "hold the rater's name" not in out, out
    assert "the paths the ledger recorded" not in out, out
    report = (run.run_dir / "report.html").read_text(encoding="utf-8")
    assert "<bdi>label</bdi>" not in report and "<bdi>erased-rater-1</bdi>" in report
    # the report's new sha256 is on record (ERASURES.jsonl), so the run verifies
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 0, out
    assert "its report.html is as `labelwright erase` on " in out, out


def test_a_file_that_names_the_rater_as_a_rater_is_still_named(tmp_path):
    """Where files name raters: a JSON rater field, a config's adjudicators, a CSV's
    reviewer column, the report's reviewers; the same word elsewhere is no rater."""
    from labelwright.runs.erase.rater_files import holds_rater_name

    cases = {
        "a.json": ('{"reviews": {"adjudicators": ["label"]}}', True),
        "b.json": ('{"label": "billing", "labels": ["label"]}', False),
        "c.jsonl": ('{"reviewer": "x"}\n{"rater": "label"}\n', True),
        "d.toml": ('[review]\nsame_rater = {label = "dana"}\n', True),
        "e.toml": ('[labels]\nlabel = ["label"]\n', False),
        "f.csv": ("id,label,reviewer\nt1,label,dana\n", False),
        "g.csv": ("id,label,Reviewer\nt1,billing,label\n", True),
        "h.py": ("def label(item):\n    return 'label'\n", False),
        "i.html": ('<section id="reviews"><h2>Reviews</h2><p>by <bdi>label</bdi></p>', True),
        "j.html": ("<p>label</p>", False),
        "k.json": ('{"reviewer": "label', True),  # cut short: the name as written tells
    }
    for name, (text, named) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert holds_rater_name(tmp_path / name, ["label"]) is named, name


def test_a_decision_tables_importer_and_counted_as_columns_name_raters(tmp_path):
    """`review decisions` writes who imported a decision (``imported_by``: the ledger's
    reviewer, which erase renames) and the name it counted as (``counted_as``): a table
    that names the rater there alone still names them."""
    import pandas as pd

    from labelwright.runs.erase.rater_files import holds_rater_name

    for column in ("imported_by", "counted_as"):
        table = tmp_path / f"{column}.csv"
        table.write_text(f"item_id,rater,{column},label\nt1,label-studio:7,erin,billing\n",
                         encoding="utf-8")
        assert holds_rater_name(table, ["erin"]), column
        frame = tmp_path / f"{column}.parquet"
        pd.DataFrame({"item_id": ["t1"], "rater": ["label-studio:7"],
                      column: ["erin"]}).to_parquet(frame)
        assert holds_rater_name(frame, ["erin"]), column


def test_a_csv_with_a_field_longer_than_the_csv_modules_limit_is_searched_as_written(
        tmp_path):
    """A sheet with one text past the csv module's field limit (131,072 characters) is
    read as written, not a traceback that stops the erasure."""
    from labelwright.runs.erase.rater_files import holds_rater_name

    sheet = tmp_path / "review.csv"
    sheet.write_text("id,text,reviewer\nt1," + "offering " * 20_000 + ",erin\n",
                     encoding="utf-8")
    assert holds_rater_name(sheet, ["erin"])
