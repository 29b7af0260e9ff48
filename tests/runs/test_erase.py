"""``labelwright erase``: the texts of items deleted from the data taken out of the runs,
review exports and caches, with every run still verifying and the erasure on record."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from kept_bytes import files_holding
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from labelwright.runs.erase.records import ERASURES_FILE, MARKER, read_erasures
from ticket_data import BILLING_GLOSSARY, TICKETS

SECRET = "Zelda Quixote"
BAD_ROW = "t9,Call Yolanda Brightwater back,pro,billing,one value too many\n"
ROWS = [*TICKETS, {"id": "t7", "text": f"My name is {SECRET} and I was charged twice",
                   "plan": "pro", "gold": ""}]


def _hashes(*roots: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for root in roots for p in sorted(root.rglob("*")) if p.is_file()}


def _delete_rows(root: Path, *ids: str) -> None:
    path = root / "data" / "items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if line.split(",")[0] not in ids),
                    encoding="utf-8")


@pytest.fixture
def kept(make_project, cli, tmp_path):
    """A project with two runs, the random sample exported as CSV and for Label Studio
    outside the project, a bad row skipped, and caches; then t7 and the bad row t9
    deleted from the data. Returns (project, exports folder, a reviewer's filled-in copy
    of the CSV export made before the erasure)."""
    root = make_project(rows=ROWS, glossaries={"billing_terms": BILLING_GLOSSARY},
                        extra="random_sample = 10\n")
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[data]\n", '[data]\nbad_rows = "skip"\n'), encoding="utf-8")
    with open(root / "data" / "items.csv", "a", encoding="utf-8") as handle:
        handle.write(BAD_ROW)
    run_project(root)
    run_project(root)
    exports = tmp_path / "exports"
    exports.mkdir()
    for fmt, name in (("csv", "sample.csv"), ("label-studio", "sample.json"),
                      ("prodigy", "prodigy.jsonl")):
        code, out = cli("review", "export", "--sample", "--format", fmt, "--out",
                        str(exports / name), "-p", str(root))
        assert code == 0, out
    with open(exports / "sample.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["id"] == "t7" for r in rows) and any(r["id"] == "t5" for r in rows)
    for row in rows:  # the reviewer's copy: t5 decided, t7 left open
        row["review_label"] = "billing" if row["id"] == "t5" else ""
    copy = tmp_path / "reviewed.csv"
    with open(copy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert files_holding(root, SECRET) and files_holding(root, "Yolanda")
    assert any(".labelwright" in f for f in files_holding(root, "Quixote"))  # the Doc cache
    _delete_rows(root, "t7", "t9")
    return root, exports, copy


def test_erase_takes_the_texts_out_and_every_run_still_verifies(kept, cli):
    root, exports, copy = kept
    before = _hashes(root, exports)
    code, out = cli("erase", "--item", "t7", "--item", "t9", "--reviewer", "dana",
                    "--reason", "erasure request 42", "--dry-run", "-p", str(root))
    assert code == 0, out
    assert "Would erase the texts of 2 items" in out and "sample.jsonl: 1 item" in out
    assert "skipped_rows.jsonl: 1 item" in out and "sample.json: 1 item" in out
    assert _hashes(root, exports) == before  # the dry run wrote nothing

    code, out = cli("erase", "--item", "t7", "--item", "t9", "--reviewer", "dana",
                    "--reason", "erasure request 42", "-p", str(root))
    assert code == 0, out
    for text in (SECRET, "Quixote", "Yolanda Brightwater"):
        assert files_holding(root, text) == [], text
        assert files_holding(exports, text) == [], text
    # the rows stay, marked: the files parse and keep their order
    runs = sorted(p for p in (root / "runs").iterdir() if p.is_dir())
    records = [json.loads(line) for line in
               (runs[0] / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    t7 = next(r for r in records if r["id"] == "t7")
    assert t7["text"] == MARKER and t7["fields"] == {"plan": MARKER}
    assert t7["suggested_label"] is not None or "suggested_label" in t7
    skipped = json.loads((runs[0] / "skipped_rows.jsonl").read_text(encoding="utf-8"))
    assert skipped["raw"] == MARKER and skipped["row"] == 8
    # on record, without the texts
    log = (root / "runs" / ERASURES_FILE).read_text(encoding="utf-8")
    assert "Quixote" not in log and "Yolanda" not in log
    (erasure,) = read_erasures(root / "runs")
    assert erasure.items == ("t7", "t9") and erasure.reviewer == "dana"
    named = {(f.run_id, f.name) for f in erasure.files}
    assert {(runs[0].name, "sample.jsonl"), (runs[1].name, "skipped_rows.jsonl")} <= named
    assert all(f.sha256_after is None for f in erasure.files if ".labelwright" in f.path)

    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    assert "item texts erased on" in out and "by dana (erasure request 42)" in out

    code, out = cli("explain", "t7", "--run", runs[1].name, "-p", str(root))
    assert code == 0, out
    assert "its text was erased on" in out and "dana (erasure request 42)" in out

    # twice: nothing left to change, nothing recorded
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "again",
                    "-p", str(root))
    assert code == 0 and "nothing to erase" in out, out
    assert len(read_erasures(root / "runs")) == 1

    # a reviewed copy made before the erasure still imports, as does the erased export
    code, out = cli("review", "import", str(copy), "--reviewer", "erin", "-p", str(root))
    assert code == 0, out
    with open(exports / "sample.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["text"] for r in rows if r["id"] == "t7"] == [MARKER]
    for row in rows:  # filled in after the erasure
        row["review_label"] = "technical" if row["id"] == "t5" else ""
    with open(exports / "sample.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out = cli("review", "import", str(exports / "sample.csv"), "--reviewer", "fay",
                    "-p", str(root))
    assert code == 0 and "1 decision(s) added" in out, out

    # a hand edit of an erased file is still a change
    path = runs[0] / "sample.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out = cli("runs", "verify", runs[0].name, "-p", str(root))
    assert code == 1 and "sample.jsonl: changed since the run wrote it" in out, out


def test_the_next_run_gives_the_labels_of_a_run_without_caches(kept):
    root, _, _ = kept
    report = erase_items(root, ["t7", "t9"], reviewer="dana", reason="request")
    assert report.written and report.cache_entries  # Docs, matches, term counts, ranking
    after = run_project(root, report=False)
    fresh = run_project(root, report=False, cache=False)
    pd.testing.assert_frame_equal(pd.read_parquet(after.run_dir / "labels.parquet"),
                                  pd.read_parquet(fresh.run_dir / "labels.parquet"))


def test_an_item_the_data_still_holds_is_refused(kept):
    root, exports, _ = kept
    before = _hashes(root, exports)
    with pytest.raises(RunError, match=r"'t1'; remove its row from .*items.csv first"):
        erase_items(root, ["t7", "t1"], reviewer="dana", reason="request")
    with pytest.raises(RunError, match=r"'t77' \(did you mean 't7'"):
        erase_items(root, ["t7", "t77"], reviewer="dana", reason="request")
    assert _hashes(root, exports) == before


def test_gone_erases_every_item_the_runs_hold_and_the_data_does_not(kept):
    root, _, _ = kept
    report = erase_items(root, reviewer="dana", reason="request", gone=True, dry_run=True)
    assert report.items == ["t7"] and not report.written
    assert not (root / "runs" / ERASURES_FILE).exists()


def test_gone_leaves_out_what_an_erasure_took_out_before(kept, cli):
    """A second `erase --gone` erased t7 again and counted it among the items erased."""
    root, _, _ = kept
    assert erase_items(root, reviewer="dana", reason="request", gone=True).written
    with pytest.raises(RunError, match=r"--gone: every item the runs hold is still in .*, "
                       r"but for 1 item erased before \(t7; --item ID erases one again\); "
                       "nothing to erase"):
        erase_items(root, reviewer="dana", reason="again", gone=True, dry_run=True)
    _delete_rows(root, "t1")
    report = erase_items(root, reviewer="dana", reason="again", gone=True, dry_run=True)
    assert report.items == ["t1"] and report.erased_before == ["t7"]
    code, out = cli("erase", "--gone", "--reviewer", "dana", "--reason", "again",
                    "--dry-run", "-p", str(root))
    assert code == 0, out
    assert "--gone left out 1 item erased before (t7); --item ID erases one again" in out, out


def test_erase_waits_for_a_run_being_written(kept):
    """A run started before the rows were deleted may hold them: erasing now would miss
    its files."""
    import os
    import socket

    root, _, _ = kept
    staging = root / "runs" / ".20991231-000000-000000.partial"
    staging.mkdir()
    (staging / ".owner").write_text(f"{socket.gethostname()}\n{os.getpid()}\n")
    with pytest.raises(RunError, match=r"a run is being written now .*nothing erased"):
        erase_items(root, ["t7"], reviewer="dana", reason="request")
    assert not (root / "runs" / ERASURES_FILE).exists()
    assert erase_items(root, ["t7"], reviewer="dana", reason="request", dry_run=True).changes


def test_a_decision_on_an_erased_item_names_the_erasure(kept, cli):
    """A reviewer's copy deciding the erased item was told only that the item was unknown
    ("deleted from the data since?"), though the project's record says it was erased."""
    root, exports, copy = kept
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason",
                    "erasure request 42", "-p", str(root))
    assert code == 0, out
    with open(copy, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["review_label"] = "billing" if row["id"] in ("t5", "t7") else ""
    with open(copy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (erasure,) = read_erasures(root / "runs")
    code, out = cli("review", "import", str(copy), "--reviewer", "erin", "-p", str(root))
    assert code == 1, out
    assert (f"item 't7' is no longer in the project dataset: its text was erased on "
            f"{erasure.erased_at[:10]} by dana (erasure request 42); its decision cannot be "
            "imported (--skip-bad-rows imports the file's other rows)") in out, out
    code, out = cli("review", "import", str(copy), "--reviewer", "erin", "--skip-bad-rows",
                    "-p", str(root))
    assert code == 0 and "1 decision(s) added" in out, out


def test_an_erased_csv_keeps_its_line_ends_and_other_rows_bytes(kept, cli):
    """The files were read with read_text, which turned every CSV row's \\r\\n into \\n:
    each row changed, not only the erased item's."""
    root, exports, copy = kept
    path = exports / "sample.csv"
    before = path.read_bytes()
    assert b"\r\n" in before
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "request",
                    "-p", str(root))
    assert code == 0, out
    after = path.read_bytes()
    rows_before, rows_after = before.split(b"\r\n"), after.split(b"\r\n")
    assert len(rows_before) == len(rows_after)
    changed = [a for a, b in zip(rows_before, rows_after) if a != b]
    assert len(changed) == 1 and changed[0].startswith(b"t7,")


def _opened(monkeypatch) -> list[Path]:
    """The run review files (``runs/*/review.jsonl``, ``sample.jsonl``) opened from now on,
    one entry per open."""
    import builtins
    import io

    opened: list[Path] = []
    real = io.open

    def counting(file, *args, **kwargs):
        if isinstance(file, str | Path) and Path(file).name in ("review.jsonl", "sample.jsonl") \
                and Path(file).parent.parent.name == "runs":
            opened.append(Path(file))
        return real(file, *args, **kwargs)
    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(builtins, "open", counting)
    return opened


def test_erase_reads_each_run_queue_and_sample_once(kept, monkeypatch):
    """The texts the report shows are taken from the run's review.jsonl and sample.jsonl
    as those are erased; they were parsed a second time for them."""
    root, _, _ = kept
    runs = sorted(p for p in (root / "runs").iterdir() if p.is_dir())
    page = runs[0] / "report.html"  # a report showing the item's text, as an example's is
    shown = f"<td>{ROWS[-1]['text']}</td>"
    page.write_text(page.read_text(encoding="utf-8") + shown, encoding="utf-8")
    opened = _opened(monkeypatch)
    report = erase_items(root, ["t7"], reviewer="dana", reason="request", dry_run=True)
    assert {p.parent for p in opened} == set(runs)
    assert sorted(opened) == sorted(set(opened)), opened  # each once
    (change,) = [c for c in report.changes if c.kind == "report"]
    assert change.path == page and change.new is not None
    assert f"<td>{MARKER}</td>".encode() in change.new and SECRET.encode() not in change.new


def test_a_run_queue_whose_first_line_is_damaged_is_still_erased(kept):
    """A run writes its sample as JSON lines: a damaged first line made the file pass for
    a CSV, and the erased item's text stayed in it (the report's was replaced)."""
    root, _, _ = kept
    runs = sorted(p for p in (root / "runs").iterdir() if p.is_dir())
    path = runs[0] / "sample.jsonl"
    path.write_text("not a record\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    report = erase_items(root, ["t7"], reviewer="dana", reason="request")
    assert SECRET not in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("not a record\n")
    assert (runs[0] / "sample.jsonl") in {c.path for c in report.changes}
    assert files_holding(runs[0], SECRET) == []


def test_verify_reads_the_record_of_erasures_once(kept, monkeypatch):
    """``runs verify --all`` read runs/ERASURES.jsonl once per run, and again for each
    output an erasure changed."""
    import labelwright
    from labelwright.runs.erase import records as erasures

    root, _, _ = kept
    erase_items(root, ["t7", "t9"], reviewer="dana", reason="request")
    reads = []
    real = erasures.read_erasures
    monkeypatch.setattr(erasures, "read_erasures", lambda runs_dir: reads.append(runs_dir)
                        or real(runs_dir))
    checks = labelwright.verify_runs(root, every=True)
    assert len(checks) == 2 and all(c.ok for c in checks), [c.problems for c in checks]
    assert all(any("item texts erased on" in n for n in c.notes) for c in checks)
    assert len(reads) == 1


def test_a_record_of_erasures_that_cannot_be_read_is_said_for_every_run(kept):
    """Read once, it still stops the check of an output only it could vouch for, and is a
    note of each run otherwise."""
    import labelwright

    root, _, _ = kept
    with open(root / "runs" / ERASURES_FILE, "w", encoding="utf-8") as handle:
        handle.write("not a record\n")
    checks = labelwright.verify_runs(root, every=True)
    assert [c.ok for c in checks] == [True, True]
    assert all(any(f"{ERASURES_FILE}:1: not a record of an erasure" in n for n in c.notes)
               for c in checks)
    (root / "runs" / ERASURES_FILE).unlink()
    erase_items(root, ["t7"], reviewer="dana", reason="request")
    with open(root / "runs" / ERASURES_FILE, "a", encoding="utf-8") as handle:
        handle.write("not a record\n")
    with pytest.raises(RunError, match=f"{ERASURES_FILE}:2: not a record of an erasure"):
        labelwright.verify_runs(root, every=True)


def test_only_the_erased_items_records_change_in_a_runs_queue_and_sample(kept):
    """Each other line keeps its bytes; the item's keeps every value but its own data."""
    root, _, _ = kept
    runs = sorted(p for p in (root / "runs").iterdir() if p.is_dir())
    files = [run / name for run in runs for name in ("review.jsonl", "sample.jsonl")]
    before = {path: path.read_bytes().splitlines(keepends=True) for path in files}
    erase_items(root, ["t7"], reviewer="dana", reason="request")
    erased = 0
    for path, lines in before.items():
        after = path.read_bytes().splitlines(keepends=True)
        assert len(after) == len(lines)
        for old, new in zip(lines, after):
            if json.loads(old)["id"] != "t7":
                assert new == old
                continue
            erased += 1
            was, now = json.loads(old), json.loads(new)
            assert now["text"] == MARKER and now["fields"] == {"plan": MARKER}
            assert {k: v for k, v in now.items() if k not in ("text", "fields",
                                                              "glossary_matches")} \
                == {k: v for k, v in was.items() if k not in ("text", "fields",
                                                              "glossary_matches")}
            assert len(now["glossary_matches"]) == len(was["glossary_matches"])
    assert erased >= len(runs)


def test_a_run_whose_queue_an_erasure_changed_still_exports_without_the_erased_items(kept,
                                                                                   cli):
    """`runs verify` passed after an erasure, but `review export` of the run refused its
    queue and sample as "changed since the run wrote it" without a word of the erasure."""
    root, exports, _ = kept
    runs = sorted(p for p in (root / "runs").iterdir() if p.is_dir())
    before = [json.loads(line)["id"] for line in
              (runs[1] / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    assert "t7" in before
    erase_items(root, ["t7", "t9"], reviewer="dana", reason="request")
    code, out = cli("review", "export", "--sample", "--format", "jsonl", "--out",
                    str(exports / "after.jsonl"), "-r", runs[1].name, "-p", str(root))
    assert code == 0, out
    assert "left out 1 item erased since the run" in out, out
    after = [json.loads(line)["id"] for line in
             (exports / "after.jsonl").read_text(encoding="utf-8").splitlines()]
    assert after == [i for i in before if i != "t7"]
    assert files_holding(exports, SECRET) == []
    # any other change is still refused
    path = runs[1] / "sample.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code, out = cli("review", "export", "--sample", "--format", "jsonl", "--out",
                    str(exports / "again.jsonl"), "-r", runs[1].name, "-p", str(root))
    assert code == 1 and "it is not the queue the run wrote" in out, out


def test_explain_of_an_erased_item_in_a_later_run_says_it_was_erased(kept, cli):
    """An auditor asked a run made after the erasure where an erased contract's label came
    from and was offered other contracts ("did you mean 't1'?")."""
    root, _, _ = kept
    runs = sorted(p.name for p in (root / "runs").iterdir() if p.is_dir())
    erase_items(root, ["t7", "t9"], reviewer="dana", reason="request 42")
    run_project(root)
    code, out = cli("explain", "t7", "-p", str(root))
    assert code == 1, out
    said = " ".join(out.split())
    assert "no item with id 't7': it was deleted from the data and its texts erased on" in said
    assert "by dana (request 42)" in said and "did you mean" not in said
    assert all(run in said for run in runs)  # the runs that held it, to explain it there
    code, out = cli("explain", "t7", "--run", runs[-1], "-p", str(root))
    assert code == 0 and "its text was erased on" in out, out


def _noted_review(root: Path, copy: Path, cli, raters: tuple[str, ...] = ("erin",)) -> None:
    """t7 put back in the data, decided in the reviewer's copy with a note naming its
    writer (t5 with a note that names no one), imported (a copy for each of ``raters``,
    each its own note), and read by a run; then t7 deleted again."""
    with open(root / "data" / "items.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(root / "data" / "items.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header).writerow(
            {k: v for k, v in ROWS[-1].items() if k in header})
    with open(copy, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for rater in raters:
        for row in rows:
            row["review_label"] = ("billing" if row["id"] == "t7" or rater == raters[0]
                                   else "technical") if row["id"] in ("t5", "t7") else ""
            row["note"] = {"t5": "routine", "t7": f"{SECRET} phoned in"
                           + ("" if rater == raters[0] else f", says {rater}")
                           }.get(row["id"], "")
        own = copy if rater == raters[0] else copy.with_name(f"{rater}.csv")
        with open(own, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        code, out = cli("review", "import", str(own), "--reviewer", rater, "-p", str(root))
        assert code == 0, out
    run_project(root, report=False)
    _delete_rows(root, "t7")


def test_a_raters_note_on_an_erased_item_is_erased_in_the_ledger_and_runs_verify(kept, cli):
    """erase took the texts out but kept the notes: in review files and in the ledger,
    whose `explain` printed "note: 'Zelda Quixote phoned in'" after the erasure."""
    import sqlite3

    from labelwright.review.decisions.note_erasures import read_note_erasures
    from ledger_rows import tamper

    root, exports, copy = kept
    _noted_review(root, copy, cli)
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "request 42",
                    "--dry-run", "-p", str(root))
    assert code == 0, out
    assert "the raters' notes on 1 decision (review ledger; would be recorded" in out, out
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "request 42",
                    "-p", str(root))
    assert code == 0, out
    assert files_holding(root, SECRET) == []  # reviews.sqlite's bytes too
    with sqlite3.connect(root / "reviews.sqlite") as conn:
        notes = dict(conn.execute("SELECT item_id, note FROM decisions"))
    assert notes == {"t5": "routine", "t7": MARKER}
    (erased,) = read_note_erasures(root / "reviews.sqlite")
    assert erased.items == ("t7",) and erased.reviewer == "dana" and len(erased.decisions) == 1
    (erasure,) = read_erasures(root / "runs")
    assert erasure.ledger == {"path": str(root / "reviews.sqlite"), "decisions": 1}
    # the runs that read the decision still verify, and say so; explain shows no note
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert "reviews.sqlite: the raters' notes of 1 decision on the erased items erased on" \
        in said, out
    assert "decisions it read are unchanged but for the notes erase took out (below)" in said
    code, out = cli("explain", "t7", "--run", _runs(root)[-1], "-p", str(root))
    assert code == 0 and "note: '[erased]'" in out and "phoned" not in out, out
    # a hand edit of the ledger after the erasure is still caught
    tamper(root, "UPDATE decisions SET label = 'technical' WHERE item_id = 't5'")
    code, out = cli("runs", "verify", _runs(root)[-1], "-p", str(root))
    assert code == 1 and "are not the ones it read" in out, out


def _runs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "runs").iterdir() if p.is_dir())


def test_a_note_in_a_review_export_is_erased(kept):
    """The walk over a review file's record erased `text` and `glossary_terms` and kept the
    `note` column a reviewer filled in."""
    root, exports, _ = kept
    path = exports / "sample.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["note"] = f"{SECRET} again" if row["id"] == "t7" else "fine"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    erase_items(root, ["t7"], reviewer="dana", reason="request")
    with open(path, encoding="utf-8", newline="") as handle:
        notes = {r["id"]: r["note"] for r in csv.DictReader(handle)}
    assert notes["t7"] == MARKER and {n for i, n in notes.items() if i != "t7"} == {"fine"}


def test_a_decision_table_written_by_review_decisions_is_recorded_and_erased(kept, cli,
                                                                             tmp_path):
    """`review decisions --out` writes each decision's note; erase did not know the file,
    and the note naming the person stayed in it."""
    from labelwright.runs.decision_tables import read_decision_tables

    root, _, copy = kept
    _noted_review(root, copy, cli, raters=("erin", "fay"))
    inside, outside = root / "review" / "audit.csv", tmp_path / "audit.csv"
    for out in (inside, outside):
        code, text = cli("review", "decisions", "--out", str(out), "-p", str(root))
        assert code == 0, text
    assert [t.file for t in read_decision_tables(root / "runs")] == [
        "review/audit.csv", str(outside.resolve())]
    assert SECRET in inside.read_text(encoding="utf-8")
    gone = tmp_path / "gone.csv"
    code, text = cli("review", "decisions", "--out", str(gone), "-p", str(root))
    gone.unlink()
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "request",
                    "-p", str(root))
    assert code == 0, out
    assert f"{inside}: 1 item (decision table)" in out, out  # items, not rows
    assert f"{outside}: 1 item (decision table outside the project)" in out, out
    assert f"{gone}: a decision table `review decisions` wrote" in out, out
    for table in (inside, outside):
        with open(table, encoding="utf-8", newline="") as handle:
            notes = [(r["item_id"], r["note"]) for r in csv.DictReader(handle)]
        assert sorted(notes) == [("t5", "routine")] * 2 + [("t7", MARKER)] * 2


def test_verify_inputs_takes_a_data_file_changed_by_a_recorded_erasure_alone(kept, cli):
    """`runs verify --all --inputs` exited 1 ("differs") for ever after an erasure, though
    the only change of the run's inputs was the erasure on record."""
    root, _, _ = kept
    erase_items(root, ["t7", "t9"], reviewer="dana", reason="request 42")
    code, out = cli("runs", "verify", "--all", "--inputs", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert "the recorded erasure accounts for it (not a difference)" in said, out
    assert "items gone since the run: 1 (t7)" in said and "by dana (request 42)" in said
    assert "as the run read them (data file" in said and "but for the erasure above" in said
    code, out = cli("runs", "verify", _runs(root)[0], "--inputs", "--recompute",
                    "-p", str(root))
    # asked to recompute, it cannot from these data: said, not recomputed (exit 3)
    assert code == 3 and "lost the rows of items erased since the run" in out, out
    # any other change of the data is still one
    path = root / "data" / "items.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("t1,", "t1,Edited ", 1),
                    encoding="utf-8")
    code, out = cli("runs", "verify", "--all", "--inputs", "-p", str(root))
    assert code == 1 and "accounts for it" not in out, out


def test_the_run_after_an_erasure_says_the_reviewed_items_were_erased(kept, cli):
    """It warned that the reviewed items were "not in the data any more" and suggested
    `review retire --missing`, as for rows deleted by mistake, with no word of the
    erasure on record."""
    root, _, copy = kept
    _noted_review(root, copy, cli)
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    result = run_project(root, report=False)
    (line,) = [w for w in result.warnings if "'t7'" in w]
    assert line.startswith("1 reviewed item(s) were erased (`labelwright erase`, "
                           "runs/ERASURES.jsonl: 't7' erased on "), line
    assert "by dana (request 42)" in line and "nothing to do" in line
    assert "if they were deleted on purpose" not in line


def test_an_item_only_the_ledger_still_notes_is_erased(kept, cli):
    """Once its runs and exports are gone, an erased item's id was refused as unknown,
    though the ledger still held a rater's note on it."""
    import shutil

    root, exports, copy = kept
    _noted_review(root, copy, cli)
    for run in _runs(root):
        shutil.rmtree(root / "runs" / run)
    (root / "runs" / "REVIEW_EXPORTS.jsonl").unlink()
    report = erase_items(root, ["t7"], reviewer="dana", reason="request")
    assert report.written and report.ledger_notes == 1 and not report.files


def test_an_erasure_before_a_run_does_not_account_for_its_items_gone(kept, cli):
    """t7 erased, put back in the data and labeled by a later run, then deleted with no
    erasure: `runs verify --inputs` took the first erasure for why that run's t7 was gone."""
    root, _, _ = kept
    erase_items(root, ["t7", "t9"], reviewer="dana", reason="request 42")
    # made a day before (erased_at is to the second, and a run here may start within it)
    record = root / "runs" / ERASURES_FILE
    line = json.loads(record.read_text(encoding="utf-8"))
    line["erased_at"] = "2026-01-01T00:00:00+00:00"
    record.write_text(json.dumps(line) + "\n", encoding="utf-8")
    with open(root / "data" / "items.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with open(root / "data" / "items.csv", "a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=header).writerow(
            {k: v for k, v in ROWS[-1].items() if k in header})
    run_project(root, report=False)
    _delete_rows(root, "t7")
    code, out = cli("runs", "verify", _runs(root)[-1], "--inputs", "-p", str(root))
    assert code == 1 and "accounts for it" not in out, out
    assert "items gone since the run: 1 (t7)" in " ".join(out.split()), out
