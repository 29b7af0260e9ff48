"""``--data PATH``: a command reads another dataset file in place of ``[data] path`` for
one invocation (a nightly job points a fixed project at today's file), the run's manifest
says so, and the commands that check a run against its data read the file it read."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.runs.verify.runs import verify_runs
from review_csv import fill_review_csv
from ticket_data import TICKETS

# today's items: other ids, the first two without gold (an end model needs some to train on)
TODAY = [{**row, "id": f"d{k}", "gold": row["gold"] if k > 1 else ""}
         for k, row in enumerate(TICKETS[:5])]


def _today(folder):
    """Today's file, in a folder of its own outside the project."""
    folder.mkdir(exist_ok=True)
    path = folder / "today.csv"
    # (not conftest's write_csv: `from conftest import` finds whichever conftest module
    # pytest imported first, tests/review's when that folder is collected first)
    pd.DataFrame(TODAY).to_csv(path, index=False)
    return path


def _manifest(run_dir):
    return json.loads((run_dir / "manifest.json").read_text())


def test_run_reads_the_file_given_relative_to_the_current_folder(make_project, cli, tmp_path,
                                                                 monkeypatch):
    root = make_project()
    config = (root / "labelwright.toml").read_text()
    path = _today(tmp_path / "drop")
    monkeypatch.chdir(tmp_path / "drop")
    code, out = cli("run", "-p", str(root), "--no-report", "--data", "today.csv")
    assert code == 0, out
    assert f"of {len(TODAY)} items" in out
    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    data = _manifest(run_dir)["data"]
    assert data["path"] == str(path) and data["path_from"] == "--data"
    assert data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["rows"] == len(TODAY)
    assert (root / "labelwright.toml").read_text() == config  # the config is left as it was
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and f"data: {path} (given with --data)" in out, out

    code, out = cli("run", "-p", str(root), "--no-report")  # without it: [data] path
    assert code == 0, out
    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    assert "path_from" not in _manifest(run_dir)["data"]
    assert f"of {len(TICKETS)} items" in out


def test_a_missing_file_is_an_error_naming_the_path_and_the_folder(make_project, cli,
                                                                   tmp_path, monkeypatch):
    root = make_project()
    monkeypatch.chdir(tmp_path)
    for command in ("run", "analyze", "check"):
        code, out = cli(command, "-p", str(root), "--data", "data/today.csv")
        assert code == 1, (command, out)
        assert (f"--data data/today.csv: dataset file not found "
                f"({tmp_path / 'data' / 'today.csv'}, relative to the current folder "
                f"{tmp_path})") in out, (command, out)
    assert not (root / "runs").exists() or not list((root / "runs").glob("2*"))


def test_the_path_given_is_tidied_as_data_path_is(make_project, cli, tmp_path, monkeypatch):
    """--data was made absolute by dropping every "name/.." as text, so "link/../today.csv"
    named the file beside the link, not beside where it points (as [data] path, and the
    shell, take it): the file not found, or another one read."""
    root = make_project()
    _today(tmp_path / "drop")
    (tmp_path / "drop" / "inner").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "drop" / "inner")
    monkeypatch.chdir(tmp_path)
    code, out = cli("run", "-p", str(root), "--no-report", "--data", "./link/../today.csv")
    assert code == 0 and f"of {len(TODAY)} items" in out, out
    run_dir = root / "runs" / (root / "runs" / "LATEST").read_text().strip()
    # named as [data] path = "link/../today.csv" would name it: the "." gone, the ".." kept
    assert _manifest(run_dir)["data"]["path"] == str(tmp_path / "link" / ".." / "today.csv")
    code, out = cli("check", "-p", str(root), "--data", "drop/x/../nothing.csv")
    assert code == 1 and f"({tmp_path / 'drop' / 'nothing.csv'}, relative to" in out, out


def test_analyze_and_check_read_the_given_file(make_project, cli, tmp_path):
    root = make_project()
    path = _today(tmp_path / "drop")
    code, out = cli("analyze", "-p", str(root), "--data", str(path))
    assert code == 0 and f"of {len(TODAY)} items" in out, out
    code, out = cli("check", "-p", str(root), "--data", str(path))
    assert code == 0 and f"{len(TODAY)} items" in out, out
    for command in ("run", "analyze", "check"):  # --help says where PATH is taken from
        code, out = cli(command, "--help")
        said = " ".join(out.replace("│", " ").split())  # the text without its box
        assert code == 0 and "in place of [data] path" in said, said
        assert "relative to the current folder" in said, said


def test_verify_recompute_train_and_explain_read_the_runs_file(make_project, cli, tmp_path):
    """The run read today's file, [data] path names another: verify compares and recomputes
    with the run's file, train trains on it, explain shows its texts, export and review
    stats pair its labels with them."""
    root = make_project()
    path = _today(tmp_path / "drop")
    result = run_project(root, data=path)
    [check] = verify_runs(root, recompute=True)
    assert check.ok, (check.inputs, check.recomputed)
    assert check.recomputed is not None and check.recomputed.items == len(TODAY)

    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    code, out = cli("explain", "-p", str(root), "d1")
    assert code == 0 and TODAY[1]["text"] in out and "warning" not in out, out
    code, out = cli("export", "-p", str(root), "--out", str(tmp_path / "training.csv"))
    assert code == 0, out
    exported = [str(i) for i in pd.read_csv(tmp_path / "training.csv")["id"]]
    assert exported and set(exported) <= {r["id"] for r in TODAY if not r["gold"]}
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out

    path.write_text(path.read_text().replace("app crashes", "app stalls"))  # changed since
    [check] = verify_runs(root, inputs=True)
    assert not check.ok and check.inputs is not None
    [change] = check.inputs.changes
    assert change.what == "data file" and "(given to the run with --data)" in change.name
    assert change.then == result.dataset.sha256


def test_review_import_checks_decisions_against_the_given_file(make_project, cli, tmp_path):
    """Decisions on a --data run's queue name its items: checked against [data] path they
    are unknown ids, against the file given with --data they are imported."""
    root = make_project()
    path = _today(tmp_path / "drop")
    run_project(root, data=path)
    sheet = tmp_path / "queue.csv"
    code, out = cli("review", "export", "-p", str(root), "--out", str(sheet))
    assert code == 0, out
    filled = fill_review_csv(sheet, tmp_path / "filled.csv", None, "billing")
    code, out = cli("review", "import", str(tmp_path / "filled.csv"), "-r", "ana", "-p",
                    str(root))
    assert code == 1 and "not in the data this import reads" in out, out
    # the manifest records that the run read another file: it is named, not "deleted"
    run_id = (root / "runs" / "LATEST").read_text().strip()
    assert (f"run {run_id} read {path} (--data): pass --data {path}") in out
    assert "deleted from the data since" not in out
    code, out = cli("review", "import", str(tmp_path / "filled.csv"), "-r", "ana", "-p",
                    str(root), "--data", str(path))
    assert code == 0, out
    imported = ledger.read_decisions(ledger.ledger_path(root))
    assert sorted(d.item_id for d in imported) == sorted(row["id"] for row in filled)


def test_a_run_on_another_file_does_not_suggest_retiring_the_projects_reviews(make_project,
                                                                               tmp_path):
    """A run with --data warned that 484 reviewed items were "not in data/batch2.csv any
    more" and that `review retire --missing` retires their decisions: following it would
    have retired the valid decisions on the project's own data file."""
    from ledger_rows import import_rows

    root = make_project()
    first = run_project(root, report=False)
    import_rows(root, [("t1", "billing", "ana"), ("t2", "technical", "ana")], sha="s1",
                run_id=first.run_id)
    on_today = run_project(root, data=_today(tmp_path / "drop"), report=False)
    said = [w for w in on_today.warnings if "reviewed item(s)" in w]
    assert len(said) == 1, on_today.warnings
    assert said[0].startswith("2 reviewed item(s) are not in ")
    assert "which this run read in place of [data] path" in said[0]
    assert "keep their decisions" in said[0] and "any more" not in said[0]
    # on the project's own file, an item gone is still one to retire, when meant
    rows = (root / "data" / "items.csv").read_text().splitlines()
    (root / "data" / "items.csv").write_text("\n".join(r for r in rows
                                                       if not r.startswith("t1,")) + "\n")
    gone = [w for w in run_project(root, report=False).warnings if "reviewed item(s)" in w]
    assert len(gone) == 1 and "`labelwright review retire --missing` retires" in gone[0]


@pytest.mark.parametrize("given", ["data/*.csv", "data", "parts"])
def test_data_naming_many_files_reads_them_as_data_path_does(make_project, cli, given):
    """--data 'data/*.csv' or a folder said "combine the parts into one file"; now each is
    read as [data] path reads it: every file, in name order, each in the manifest."""
    root = make_project()
    (root / "parts").mkdir()
    (root / "parts" / "items.csv").write_text(
        (root / "data" / "items.csv").read_text())
    code, out = cli("run", "-p", str(root), "--data", str(root / given), "--no-report")
    assert code == 0, out
    (run_dir,) = (root / "runs").glob("2*")
    data = _manifest(run_dir)["data"]
    assert data["path"] == str(root / given) and data["path_from"] == "--data"
    shown = "parts/items.csv" if given == "parts" else "data/items.csv"
    assert [p["path"] for p in data["parts"]] == [str(root / shown)]
    assert data["rows"] == len(TICKETS)


def test_data_naming_a_folder_without_data_says_so(make_project, cli):
    root = make_project()
    (root / "data" / "empty").mkdir()
    code, out = cli("check", "-p", str(root), "--data", str(root / "data" / "empty"))
    assert code == 1, out
    assert "the folder holds no dataset file" in " ".join(out.split()), out
