"""Every command that reads one run takes it as its argument or with --run / -r: a user
typing `labelwright export --run ID` (as train and explain take it) was told there is no
such option."""

import json

from labelwright.project import run_project


def _two_runs(make_project):
    root = make_project(gold=None)
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    return root, first, second


def _export_run(out):
    provenance = out.with_name(out.name + ".provenance.json")
    return json.loads(provenance.read_text(encoding="utf-8"))["run_id"]


def test_export_takes_the_run_as_argument_or_option(make_project, cli, tmp_path):
    root, first, second = _two_runs(make_project)
    for args, name in ((["--run", first.run_id], "a.jsonl"), (["-r", first.run_id], "b.jsonl"),
                       ([first.run_id], "c.jsonl"), ([first.run_id, "--run", first.run_id],
                                                      "d.jsonl")):
        out = tmp_path / name
        code, said = cli("export", *args, "--out", str(out), "-p", str(root))
        assert code == 0, said
        assert _export_run(out) == first.run_id
    code, said = cli("export", "--out", str(tmp_path / "e.jsonl"), "-p", str(root))
    assert code == 0 and _export_run(tmp_path / "e.jsonl") == second.run_id, said


def test_a_run_given_twice_as_two_runs_is_an_error(make_project, cli, tmp_path):
    root, first, second = _two_runs(make_project)
    code, said = cli("export", first.run_id, "--run", second.run_id, "--out",
                     str(tmp_path / "x.jsonl"), "-p", str(root))
    assert code == 2
    assert (f"the run is given twice, as {first.run_id!r} and as --run {second.run_id!r}: "
            "give one") in said
    assert not (tmp_path / "x.jsonl").exists()


def test_review_export_stats_report_and_train_take_either(make_project, cli, tmp_path):
    root, first, second = _two_runs(make_project)
    out = tmp_path / "queue.csv"
    code, said = cli("review", "export", "-r", first.run_id, "--out", str(out), "-p", str(root))
    assert code == 0, said
    assert first.run_id in out.read_text(encoding="utf-8")
    assert second.run_id not in out.read_text(encoding="utf-8")
    code, said = cli("review", "stats", "--run", first.run_id, "-p", str(root))
    assert code == 0 and f"of run {first.run_id}" in said, said
    code, said = cli("report", "--run", first.run_id, "-p", str(root))
    assert code == 0 and (first.run_dir / "report.html").exists(), said
    assert not (second.run_dir / "report.html").exists()
    code, said = cli("train", first.run_id, "-p", str(root))
    assert code == 0, said
    assert (first.run_dir / "end_model.json").exists()
    assert not (second.run_dir / "end_model.json").exists()


def test_runs_show_takes_either(make_project, cli):
    root, first, second = _two_runs(make_project)
    for args in (["--run", first.run_id], ["-r", first.run_id], [first.run_id]):
        code, said = cli("runs", "show", *args, "-p", str(root))
        assert code == 0, said
        assert f"run {first.run_id}" in said and f"run {second.run_id}" not in said
    code, said = cli("runs", "show", first.run_id, "-r", second.run_id, "-p", str(root))
    assert code == 2 and "the run is given twice" in said


def test_runs_verify_takes_either(make_project, cli):
    root, first, second = _two_runs(make_project)
    for args in (["--run", first.run_id], ["-r", first.run_id], [first.run_id]):
        code, said = cli("runs", "verify", *args, "-p", str(root))
        assert code == 0, said
        # the second run is not verified (the first's line may name it: its manifest
        # records the first's sha256)
        assert f"{first.run_id}: ok" in said and f"{second.run_id}:" not in said, said
    code, said = cli("runs", "verify", "-r", first.run_id, "--all", "-p", str(root))
    assert code == 2 and "--all" in said


def test_a_run_folder_path_is_taken_wherever_a_run_is(make_project, cli, monkeypatch):
    """``runs verify runs/<id>``, ``explain -r runs/<id>``, ``runs show runs/<id>`` said "no
    run matching 'runs/<id>'" (a shell completes the folder's path, not its id)."""
    root, first, second = _two_runs(make_project)
    monkeypatch.chdir(root)
    path = f"runs/{first.run_id}/"
    for args in (["runs", "show", path], ["runs", "verify", path], ["explain", "t1", "-r", path],
                 ["runs", "diff", path, str(second.run_dir)]):
        code, said = cli(*args)
        assert code == 0, (args, said)
        assert first.run_id in said and "no run matching" not in said, args


def test_one_run_named_both_ways_is_that_run(make_project, cli, tmp_path, monkeypatch):
    """``runs show runs/<id> -r <id>`` was refused as "the run is given twice": the strings
    were compared, not the runs they name."""
    root, first, second = _two_runs(make_project)
    monkeypatch.chdir(root)
    path, prefix = f"runs/{first.run_id}/", first.run_id[:-2]
    for args in (["runs", "show", path, "-r", first.run_id],
                 ["runs", "verify", first.run_id, "--run", path]):
        code, said = cli(*args)
        assert code == 0 and "given twice" not in said, (args, said)
        assert first.run_id in said and f"{second.run_id}:" not in said, (args, said)
    out = tmp_path / "one.jsonl"
    code, said = cli("export", prefix, "--run", str(first.run_dir), "--out", str(out))
    assert code == 0 and _export_run(out) == first.run_id, said
    # two runs, and a run beside one that names none, are still refused
    for run in (second.run_id, "no-such-run"):
        code, said = cli("runs", "show", path, "-r", run)
        assert code == 2 and "the run is given twice" in said, said
