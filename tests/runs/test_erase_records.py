"""``labelwright erase`` and the records it reads and writes: review exports found in a
moved or cloned project, records that vouch only for the files erase rewrites, the runs
that held an erased item named, and what the erasure leaves named only where it holds the
items."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kept_bytes import files_holding
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from labelwright.runs.erase.kept import training_set_holds
from labelwright.runs.erase.records import ERASURES_FILE, read_erasures
from labelwright.runs.recorded_paths import RecordedPaths
from labelwright.runs.review_exports import REVIEW_EXPORTS_FILE, awaiting_import
from ticket_data import TICKETS

SECRET = "Zelda Quixote"
ROWS = [*TICKETS, {"id": "t7", "text": f"My name is {SECRET} and I was charged twice",
                   "plan": "pro", "gold": ""}]


def _delete_rows(root: Path, *ids: str) -> None:
    path = root / "data" / "items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(line for line in lines if line.split(",")[0] not in ids),
                    encoding="utf-8")


def _hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _runs(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "runs").iterdir() if p.is_dir())


@pytest.fixture
def exported(make_project, cli, tmp_path):
    """A project with one run whose sample (holding t7) is exported into the project
    (review/sample.csv), into the run folder (the default path) and outside it."""
    root = make_project(rows=ROWS, extra="random_sample = 10\n")
    run_project(root)
    outside = tmp_path / "shared" / "erin.jsonl"
    for out in (["--out", str(root / "review" / "sample.csv")], [],
                ["--format", "jsonl", "--out", str(outside)]):
        code, text = cli("review", "export", "--sample", *out, "-p", str(root))
        assert code == 0, text
    (run_id,) = _runs(root)
    assert (root / "runs" / run_id / "sample-csv.csv").is_file()
    assert len(files_holding(root / "review", SECRET)) == 1
    assert files_holding(outside.parent, SECRET)
    return root, outside


def _move(root: Path, to: Path, *, clone_back: bool) -> Path:
    """``root`` moved to ``to``; with ``clone_back``, a copy left where it was (another
    project now, whose files an erasure in the moved one must not touch)."""
    shutil.move(root, to)
    if clone_back:
        shutil.copytree(to, root)
    return to


def test_a_moved_project_erases_its_own_review_exports(exported, tmp_path, cli):
    """The record held absolute paths: after a move, erase missed the project's own
    exports (the text stayed in review/sample.csv and in the run's sample-csv.csv) and
    rewrote the ones at the old place, another copy's."""
    root, outside = exported
    moved = _move(root, tmp_path / "moved", clone_back=True)
    other = _hashes(root)
    _delete_rows(moved, "t7")
    code, out = cli("erase", "--item", "t7", "--reviewer", "dana", "--reason", "request 42",
                    "-p", str(moved))
    assert code == 0, out
    assert files_holding(moved, SECRET) == [], out
    assert _hashes(root) == other  # the copy left at the old place is untouched
    assert f"{outside}: 1 item (review export outside the project)" in out
    assert files_holding(outside.parent, SECRET) == []  # written there with --out: erased there


def test_old_records_with_absolute_paths_are_mapped_to_where_the_project_is(exported,
                                                                           tmp_path):
    """Records written before paths were relative name the project's files by the folder
    it was in then (each run's manifest records it); one not found is said."""
    root, _ = exported
    record = root / "runs" / REVIEW_EXPORTS_FILE
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if not Path(line["file"]).is_absolute():
            line["file"] = str((root / line["file"]).resolve())
    lines.append({**lines[0], "file": str((root / "review" / "gone.csv").resolve())})
    record.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    moved = _move(root, tmp_path / "moved", clone_back=True)
    other = _hashes(root)
    _delete_rows(moved, "t7")
    report = erase_items(moved, ["t7"], reviewer="dana", reason="request 42")
    assert files_holding(moved, SECRET) == []
    assert _hashes(root) == other
    (line,) = report.not_found
    assert line.startswith(f"{moved / 'review' / 'gone.csv'}: a review file exported from run")
    assert "is not there" in line


def test_new_records_name_files_inside_the_project_relative_to_it(exported):
    root, outside = exported
    files = [json.loads(line)["file"] for line in
             (root / "runs" / REVIEW_EXPORTS_FILE).read_text(encoding="utf-8").splitlines()]
    (run_id,) = _runs(root)
    assert files == ["review/sample.csv", f"runs/{run_id}/sample-csv.csv",
                     str(outside.resolve())]


def test_prune_keeps_a_moved_projects_run_whose_export_awaits_import(exported, tmp_path):
    root, _ = exported
    moved = _move(root, tmp_path / "moved", clone_back=False)
    (run_id,) = _runs(moved)
    waiting = awaiting_import(RecordedPaths(moved, moved / "runs"), set())
    assert str(moved / "review" / "sample.csv") in waiting[run_id]


# -- records that vouch only for what erase rewrites ------------------------------------

@pytest.fixture
def erased(make_project):
    """A project with one run, t7 deleted from the data and erased."""
    root = make_project(rows=ROWS, extra="random_sample = 10\n")
    run_project(root)
    _delete_rows(root, "t7")
    assert erase_items(root, ["t7"], reviewer="dana", reason="request 42").written
    return root


def _append_record(root: Path, run_id: str, name: str, items: list[str],
                   before: str, after: str) -> None:
    record = {"erased_at": "2026-12-06T03:00:00+00:00", "reviewer": "x", "reason": "y",
              "command": "labelwright erase", "items": items,
              "files": [{"path": str(root / "runs" / run_id / name), "run_id": run_id,
                         "name": name, "items": len(items), "sha256_before": before,
                         "sha256_after": after}]}
    with open(root / "runs" / ERASURES_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def test_a_record_naming_the_labels_does_not_vouch_for_an_edit(erased, cli):
    """One appended line made a hand-edited labels.parquet pass `runs verify` and go into
    a training set: erase never changes the labels (they hold no text)."""
    root = erased
    (run_id,) = _runs(root)
    path = root / "runs" / run_id / "labels.parquet"
    manifest = json.loads((root / "runs" / run_id / "manifest.json").read_text("utf-8"))
    frame = pd.read_parquet(path)
    frame.loc[0, "label"] = "technical" if frame.loc[0, "label"] != "technical" else "billing"
    frame.to_parquet(path, index=False)
    _append_record(root, run_id, "labels.parquet", ["t7"], manifest["outputs"]["labels.parquet"],
                   hashlib.sha256(path.read_bytes()).hexdigest())
    code, out = cli("runs", "verify", run_id, "-p", str(root))
    assert code == 1 and "labels.parquet: changed since the run wrote it" in out, out
    assert "names labels.parquet of the run, a file erase never changes" in out, out


def test_a_record_for_items_the_run_did_not_label_does_not_vouch(erased, cli):
    root = erased
    (run_id,) = _runs(root)
    path = root / "runs" / run_id / "review.csv"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _append_record(root, run_id, "review.csv", ["nobody"], before,
                   hashlib.sha256(path.read_bytes()).hexdigest())
    code, out = cli("runs", "verify", run_id, "-p", str(root))
    assert code == 1 and "review.csv: changed since the run wrote it" in out, out
    assert "names review.csv of the run, for items the run did not label" in out, out


# -- the runs that held an erased item --------------------------------------------------

def _labeled_not_shown(run_dir: Path) -> str:
    """An item the run labeled that its queue and sample do not hold (no file of the run
    holds its text)."""
    labeled = [str(i) for i in pd.read_parquet(run_dir / "labels.parquet")["id"]]
    shown = {json.loads(line)["id"] for name in ("review.jsonl", "sample.jsonl")
             if (run_dir / name).is_file()
             for line in (run_dir / name).read_text(encoding="utf-8").splitlines()}
    left = [i for i in labeled if i not in shown]
    assert left, "every item is queued: the test needs one that is not"
    return left[0]


def test_the_runs_that_held_an_erased_item_are_named_though_no_file_of_theirs_changed(
        make_project, cli):
    """explain named only the runs whose files erase rewrote, and runs verify said nothing
    of the erasure for a run that labeled the item."""
    root = make_project(rows=ROWS)
    first = run_project(root, report=False).run_dir
    item = _labeled_not_shown(first)
    _delete_rows(root, item)
    report = erase_items(root, [item], reviewer="dana", reason="request 42")
    assert report.written and report.runs == [first.name]
    (erasure,) = read_erasures(root / "runs")
    assert first.name not in {f.run_id for f in erasure.files}  # no file of it changed
    run_project(root, report=False)
    code, out = cli("explain", item, "-p", str(root))
    assert code == 1 and f"runs that held it: {first.name}" in out, out
    code, out = cli("runs", "verify", first.name, "-p", str(root))
    assert code == 0, out
    assert (f"no file of the run held their texts; the run labeled 1 item of them "
            f"({item!r})") in out, out
    code, out = cli("runs", "verify", first.name, "--inputs", "-p", str(root))
    assert f"of those gone, 1 item ({item}): deleted from the data and their texts erased " \
           "on" in out, out


# -- what the erasure leaves, named where it holds the items ----------------------------

def test_a_training_set_is_named_only_when_it_holds_the_items(make_project, cli):
    """erase said a training set "holds the erased items' texts" of an item it left out
    (no label, so not exported)."""
    root = make_project(rows=ROWS)
    run_project(root, report=False)
    assert cli("export", "--with-gold", "-p", str(root))[0] == 0
    training = root / "training.parquet"
    ids = set(pd.read_parquet(training, columns=["id"])["id"])
    assert "t7" not in ids and "t1" in ids  # t7: no LF votes, no label, no gold
    assert training_set_holds(training, ["t7", "t1"]) == ["t1"]
    _delete_rows(root, "t7", "t1")
    report = erase_items(root, ["t7"], reviewer="dana", reason="r", dry_run=True)
    assert not any("training set" in line for line in report.kept_elsewhere), report
    report = erase_items(root, ["t1"], reviewer="dana", reason="r", dry_run=True)
    (line,) = [line for line in report.kept_elsewhere if "training set" in line]
    assert line.startswith(f"{training.resolve()}: the training set exported from run")
    assert "holds the texts of 1 item ('t1')" in line


def test_a_wrench_folders_split_files_are_named_by_the_items_they_hold(make_project, cli):
    """export --format wrench was not recorded, so erase said nothing of a WRENCH folder
    whose train.json still held an erased item's text while it reported the erasure done."""
    root = make_project(rows=ROWS)
    run_project(root, report=False)
    folder = root / "w"
    code, text = cli("export", "--format", "wrench", "--out", str(folder), "-p", str(root))
    assert code == 0, text
    where = {item: name for name in ("train.json", "valid.json", "test.json")
             if (folder / name).is_file()
             for item in json.loads((folder / name).read_text(encoding="utf-8"))}
    assert where["t7"] == "train.json" and where["t1"] != "train.json"  # t1 has gold
    assert training_set_holds(folder / where["t1"], ["t1", "t7"], fmt="wrench") == ["t1"]
    _delete_rows(root, "t7", "t1")
    report = erase_items(root, ["t7", "t1"], reviewer="dana", reason="request 42")
    assert report.written
    lines = sorted(line for line in report.kept_elsewhere if "WRENCH file" in line)
    named = {Path(line.split(": ")[0]).name: line for line in lines}
    assert sorted(named) == sorted({where["t7"], where["t1"]}), lines  # label.json: not
    assert "holds the texts of 1 item ('t7')" in named["train.json"]
    assert "holds the texts of 1 item ('t1')" in named[where["t1"]]
    assert named["train.json"].startswith(f"{(folder / 'train.json').resolve()}: the WRENCH "
                                          "file exported from run ")
    assert SECRET in (folder / "train.json").read_text(encoding="utf-8")  # left, and said
    # edited since (laid out again): no longer the run's export, but still holding the text
    train = folder / "train.json"
    train.write_text(json.dumps(json.loads(train.read_text(encoding="utf-8")), indent=1),
                     encoding="utf-8")
    report = erase_items(root, ["t7"], reviewer="dana", reason="request 42", dry_run=True)
    (line,) = [line for line in report.kept_elsewhere if "WRENCH file" in line]
    assert line.startswith(f"{train.resolve()}: the WRENCH file exported from run ")
    assert "(changed since) holds the texts of 1 item ('t7')" in line


def test_a_reviewers_imported_file_holding_the_text_is_named(exported, cli, tmp_path):
    """The ledger records each imported file (path and sha256); erase named none of them,
    though a reviewer's filled-in copy holds the erased item's text."""
    root, _ = exported
    with open(root / "review" / "sample.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["id"] for r in rows} > {"t7"}
    decided = next(r for r in rows if r["id"] != "t7")
    decided["review_label"] = "billing"
    copy = tmp_path / "alice.csv"
    with open(copy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out = cli("review", "import", str(copy), "--reviewer", "alice", "-p", str(root))
    assert code == 0 and "1 decision(s) added" in out, out
    _delete_rows(root, "t7")
    report = erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    (line,) = [line for line in report.kept_elsewhere if "reviewer's file" in line]
    assert line.startswith(f"{copy.resolve()}: a reviewer's file the review ledger imported "
                           "(from alice on ")
    assert SECRET in copy.read_text(encoding="utf-8")  # left as it is, and said


def test_a_reviewers_file_whose_raters_are_in_its_column_names_them(exported, cli, tmp_path):
    """Imported without --reviewer, the ledger records no importer: the line said
    "(from  on <date>)"; it names the raters the file's reviewer column gives."""
    root, _ = exported
    with open(root / "review" / "sample.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    decided = rows[:2]
    assert "t7" in {r["id"] for r in rows}
    for row, rater in zip(decided, ("lee", "kim"), strict=True):
        row["review_label"], row["reviewer"] = "billing", rater
    copy = tmp_path / "team.csv"
    with open(copy, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(decided[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, out = cli("review", "import", str(copy), "-p", str(root))
    assert code == 0 and "2 decision(s) added" in out, out
    _delete_rows(root, "t7")
    report = erase_items(root, ["t7"], reviewer="dana", reason="request 42", dry_run=True)
    (line,) = [line for line in report.kept_elsewhere if "reviewer's file" in line]
    assert "(from the raters the file names (kim, lee) on " in line, line


def test_explain_says_which_runs_that_held_an_erased_item_were_pruned(make_project, cli):
    """The runs named were those whose files erase rewrote, pruned ones among them, which
    `explain --run` cannot show."""
    import labelwright

    root = make_project(rows=ROWS)
    first = run_project(root, report=False).run_dir
    _delete_rows(root, "t7")
    assert erase_items(root, ["t7"], reviewer="dana", reason="request 42").written
    run_project(root, report=False)
    assert [r.run_id for r in labelwright.prune_runs(root, keep=1).removed] == [first.name]
    code, out = cli("explain", "t7", "-p", str(root))
    assert code == 1, out
    assert f"no run that held it is left; pruned since, so not shown: {first.name}" in out, out


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_a_data_file_tracked_by_git_is_named(make_project):
    """Its earlier commits hold the deleted rows, which no erasure reaches."""
    import subprocess

    root = make_project(rows=ROWS)
    run_project(root, report=False)
    data = root / "data" / "items.csv"
    _delete_rows(root, "t7")
    assert not [line for line in erase_items(root, ["t7"], reviewer="dana", reason="r",
                                             dry_run=True).kept_elsewhere if "git" in line]
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "data/items.csv"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], cwd=root, check=True)
    report = erase_items(root, ["t7"], reviewer="dana", reason="r", dry_run=True)
    (line,) = [line for line in report.kept_elsewhere if "git" in line]
    assert line.startswith(f"{data}: tracked by git, so its earlier commits still hold")


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_each_rewritten_file_tracked_by_git_is_named(make_project):
    """Only the data file was named: a run's queue committed with the project keeps the
    item's text in its history just the same."""
    import subprocess

    root = make_project(rows=ROWS)
    run_dir = run_project(root, report=False).run_dir
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "runs"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "runs"], cwd=root, check=True)
    _delete_rows(root, "t7")
    report = erase_items(root, ["t7"], reviewer="dana", reason="r", dry_run=True)
    changed = {c.path for c in report.files}
    assert run_dir / "review.jsonl" in changed
    named = {line.split(": tracked by git")[0] for line in report.kept_elsewhere
             if ": tracked by git, so its earlier commits still hold the erased" in line}
    assert named == {str(p) for p in changed if p.is_relative_to(root / "runs")}


def test_a_moved_project_names_its_own_training_set(make_project, cli, tmp_path):
    """erase in a moved project named the training set left where the project was (another
    copy's) as holding the items' words, and not its own."""
    root = make_project(rows=ROWS)
    run_project(root, report=False)
    assert cli("export", "--with-gold", "-p", str(root))[0] == 0
    moved = _move(root, tmp_path / "moved", clone_back=True)
    _delete_rows(moved, "t1")
    report = erase_items(moved, ["t1"], reviewer="dana", reason="r", dry_run=True)
    (line,) = [line for line in report.kept_elsewhere if "training set" in line]
    assert line.startswith(f"{(moved / 'training.parquet').resolve()}: the training set")


# -- a record vouches only for what the files and the data bear out ---------------------

def _edit_review_row(path: Path, item: str, *, label: str | None = None,
                     text: str | None = None) -> None:
    """The row of ``item`` in a run's review.csv with its suggested label or text set."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["id"] == item:
            row["suggested_label"] = label if label is not None else row["suggested_label"]
            row["text"] = text if text is not None else row["text"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _queued_other_than(path: Path, erased: str) -> tuple[str, str]:
    """An item of review.csv other than ``erased``, and a label it does not suggest."""
    with open(path, encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["id"] != erased)
    return row["id"], "technical" if row["suggested_label"] != "technical" else "billing"


def test_a_hand_written_record_does_not_launder_an_edit_of_the_queue(erased, cli):
    """A line appended to runs/ERASURES.jsonl, for an item still in the data whose text no
    one erased, made an edited review.csv pass `runs verify --inputs` (with the manifest's
    sha256 anchored too), saying its texts were erased and the rest was as the run
    wrote it."""
    root = erased
    (run_id,) = _runs(root)
    path = root / "runs" / run_id / "review.csv"
    manifest_path = root / "runs" / run_id / "manifest.json"
    before = json.loads(manifest_path.read_text("utf-8"))["outputs"]["review.csv"]
    item, label = _queued_other_than(path, "t7")
    _edit_review_row(path, item, label=label)
    _append_record(root, run_id, "review.csv", [item], before,
                   hashlib.sha256(path.read_bytes()).hexdigest())
    anchor = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    code, out = cli("runs", "verify", run_id, "--manifest-sha256", anchor, "-p", str(root))
    assert code == 1, out
    assert "review.csv: changed since the run wrote it" in out, out
    assert (f"{ERASURES_FILE} line 2 (erased on 2026-12-06 by x (y)) leads to this hash, "
            f"but its records of 1 item ({item!r}) still hold their texts") in out, out
    assert "review.csv (1 item)" not in out, out  # the erasure of t7 did not change it

    # its text marked as erased too: the files cannot tell, the data can
    _edit_review_row(path, item, text="[erased]")
    lines = (root / "runs" / ERASURES_FILE).read_text("utf-8").splitlines()
    (root / "runs" / ERASURES_FILE).write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    _append_record(root, run_id, "review.csv", [item], before,
                   hashlib.sha256(path.read_bytes()).hexdigest())
    code, out = cli("runs", "verify", run_id, "-p", str(root))
    assert code == 0, out  # what verify cannot check without the data: the note says so
    assert "review.csv (1 item): item texts erased on 2026-12-06 by x (y)" in out, out
    assert f"rests on {ERASURES_FILE} line 2 (keep the record as you keep the manifests)" \
        in out, out
    code, out = cli("runs", "verify", run_id, "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"{ERASURES_FILE}: line 2, the erasure of 2026-12-06 by x (y), names 1 item the "
            f"data still holds ({item!r}), which `labelwright erase` refuses") in out, out
    # line 1's erasure of t7 took place (t7 is gone from the data): the note stays for it
    assert "the run's data held items erased since: the record says their rows were " \
        "deleted" in out, out


def test_a_hand_written_record_alone_says_no_rows_were_deleted(make_project, cli):
    """`runs verify --inputs` on a run whose only erasure record was written by hand, for
    an item the data still holds, said the record had the run's rows deleted."""
    root = make_project(rows=ROWS, extra="random_sample = 10\n")
    run_project(root)
    (run_id,) = _runs(root)
    path = root / "runs" / run_id / "review.csv"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    item, _ = _queued_other_than(path, "t7")
    _edit_review_row(path, item, text="[erased]")
    _append_record(root, run_id, "review.csv", [item], before,
                   hashlib.sha256(path.read_bytes()).hexdigest())
    code, out = cli("runs", "verify", run_id, "-p", str(root))
    assert code == 0 and "the record says their rows were deleted" in out, out  # not told
    code, out = cli("runs", "verify", run_id, "--inputs", "-p", str(root))
    assert code == 1, out
    assert (f"{ERASURES_FILE}: line 1, the erasure of 2026-12-06 by x (y), names 1 item the "
            f"data still holds ({item!r})") in out, out
    assert "the record says their rows were deleted" not in out, out


def test_a_file_edited_after_a_real_erasure_is_not_said_to_be_as_the_run_wrote_it(erased,
                                                                                  cli):
    """After an erasure, a hand edit of review.csv failed, and the erasure's line still
    said of it `the rest of each file is as the run wrote it`."""
    root = erased
    (run_id,) = _runs(root)
    path = root / "runs" / run_id / "review.csv"
    item, label = _queued_other_than(path, "t7")
    _edit_review_row(path, item, label=label)
    code, out = cli("runs", "verify", run_id, "-p", str(root))
    assert code == 1 and "review.csv: changed since the run wrote it" in out, out
    assert "review.csv (1 item)" not in out and "sample.csv (1 item)" in out, out
    assert (f"{ERASURES_FILE} line 1 (erased on " in out
            and "took it to sha256" in out and "and it changed since" in out), out
    code, out = cli("runs", "verify", run_id, "--inputs", "-p", str(root))
    assert f"{ERASURES_FILE}: line" not in out, out  # t7 is gone from the data


def _folder_project(make_project) -> Path:
    """A project whose [data] path is a folder of three Parquet parts of ROWS."""
    root = make_project(rows=ROWS)
    frame = pd.read_csv(root / "data" / "items.csv", dtype=str, keep_default_na=False)
    (root / "data" / "items.csv").unlink()
    parts = root / "data" / "parts"
    parts.mkdir()
    for k, start in enumerate(range(0, len(frame), 3)):
        frame[start:start + 3].to_parquet(parts / f"part-{k:05d}.parquet", index=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"',
                                                 'path = "data/parts"'))
    return root


def test_an_item_still_in_a_folder_of_parts_names_its_part_and_row(make_project):
    """The error said 'remove its row from data/parts': which of 40 files?"""
    root = _folder_project(make_project)
    run_project(root, report=False)
    with pytest.raises(RunError, match=r"'t7'; remove its row from .*parts/part-00002\.parquet "
                                       r"\(row 1\) first"):
        erase_items(root, ["t7"], reviewer="dana", reason="r", dry_run=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")
def test_parts_of_a_folder_tracked_by_git_are_named(make_project):
    """A folder of parts in git was never said: only a data file tracked by git was."""
    import subprocess

    root = _folder_project(make_project)
    run_project(root, report=False)
    part = root / "data" / "parts" / "part-00002.parquet"
    pd.read_parquet(part).iloc[1:].to_parquet(part, index=False)  # t7 deleted
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "data/parts"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "data"], cwd=root, check=True)
    report = erase_items(root, ["t7"], reviewer="dana", reason="r", dry_run=True)
    said = [line for line in report.kept_elsewhere if "git" in line and "parts" in line]
    assert said == [f"{root / 'data' / 'parts'}: 3 of its files (part-00000.parquet, "
                    "part-00001.parquet, part-00002.parquet) are tracked by git, so their "
                    "earlier commits still hold the deleted rows; erase does not rewrite a "
                    "repository's history (nor its clones')"]
