"""``check`` and ``analyze`` write no run, so their warning on the rows ``bad_rows`` and
``duplicate_rows = "skip"`` leave out says which command lists each (``labelwright run``,
in its run folder's skipped_rows.jsonl) and names the first of them itself; the run's
own warning says the same."""

from __future__ import annotations

import json

import pytest

from labelwright.project import run_project
from raw_data_project import project_with_data

HEADER = "id,text,gold\n"
ROWS = ["t1,please refund my order,billing\n", "t2,the app crashes,technical\n",
        "t3,charged twice,billing\n"]
WHERE = "each is listed in the skipped_rows.jsonl `labelwright run` writes in its run folder"


@pytest.mark.parametrize("command", ["check", "analyze"])
def test_a_command_that_writes_no_run_says_where_the_bad_rows_are_listed(
        make_project, cli, command):
    data = HEADER + ROWS[0] + "t9,one,two,three\n" + "".join(ROWS[1:])
    root = project_with_data(make_project, data, 'bad_rows = "skip"')
    code, out = cli(command, "-p", str(root))
    assert code == 0, out
    assert "1 bad row skipped" in out
    assert f"{WHERE}: line 3, row 2: malformed CSV: 4 values where the header has 3" in out
    assert "the run's skipped_rows.jsonl" not in out  # check and analyze make no run
    assert not (root / "runs").exists() or not any((root / "runs").iterdir())


def test_copies_left_out_are_said_the_same_way(make_project, cli):
    data = HEADER + "".join(ROWS) + ROWS[1]
    root = project_with_data(make_project, data, 'duplicate_rows = "skip"')
    code, out = cli("check", "-p", str(root))
    assert code == 0, out
    assert f"{WHERE}: line 5, row 4: a copy of row 2 (line 3)" in out


def test_the_run_lists_them_where_its_warning_says(make_project):
    data = HEADER + ROWS[0] + "t9,one,two,three\n" + "".join(ROWS[1:])
    result = run_project(project_with_data(make_project, data, 'bad_rows = "skip"'))
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    warning = next(w for w in manifest["data"]["warnings"] if "bad row skipped" in w)
    assert WHERE in warning
    listed = [json.loads(line) for line in
              (result.run_dir / "skipped_rows.jsonl").read_text().splitlines()]
    assert [(r["line"], r["row"]) for r in listed] == [(3, 2)]
