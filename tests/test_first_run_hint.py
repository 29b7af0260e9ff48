"""A project's first run closes with what to look at next; later runs do not repeat it."""

from __future__ import annotations

from pathlib import Path

from labelwright.cli.first_run import first_run_lines, is_first_run

HEAD = "first run of this project; what to look at next:"


def test_the_first_run_says_what_to_look_at_next_and_the_second_does_not(cli, make_project):
    root = make_project()
    code, first = cli("run", "--project", str(root))
    assert code == 0
    assert HEAD in first
    # the data has gold: the hint points at the LFs wrong on it
    assert "the LFs with the most `incorrect` votes on gold: `labelwright analyze --lf " \
           "NAME`" in first
    assert "1. the report above, in a browser: its Next steps" in first
    assert "`labelwright explain ID`" in first and "`labelwright review export`" in first
    # the hint comes after the run's last lines, where the eye lands when it ends
    assert first.index(HEAD) > first.index("report: ")
    code, second = cli("run", "--project", str(root))
    assert code == 0
    assert HEAD not in second and "since run " in second


def test_without_gold_it_says_what_a_gold_column_adds(cli, make_project):
    code, output = cli("run", "--project", str(make_project(gold=None)))
    assert code == 0
    assert HEAD in output
    assert "a gold column in [data] (held-out labels) lets the LF table count" in output
    assert "votes on gold:" not in output


def test_quiet_leaves_it_out(cli, make_project):
    code, output = cli("run", "--quiet", "--project", str(make_project()))
    assert code == 0
    assert HEAD not in output


def test_a_staging_folder_or_a_file_is_no_earlier_run(tmp_path: Path):
    runs = tmp_path / "runs"
    this = runs / "20261207-100000-000001"
    this.mkdir(parents=True)
    (runs / ".20261207-100000-000000.partial").mkdir()
    (runs / ".20261207-100000-000000.partial" / "manifest.json").write_text("{}")
    (runs / "LATEST").write_text(this.name)
    (runs / "notes").mkdir()  # a folder without a manifest is no run
    assert is_first_run(this)
    assert first_run_lines(this, has_gold=False, report=False)[1].startswith(
        "  1. the LF table above")
    earlier = runs / "20261206-100000-000000"
    earlier.mkdir()
    (earlier / "manifest.json").write_text("{}")
    assert not is_first_run(this)
    assert first_run_lines(this, has_gold=True, report=True) == []
