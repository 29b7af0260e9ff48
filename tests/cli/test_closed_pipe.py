"""A reader that closes the output early (`labelwright run | head -1`): every command exits
141, as a shell reports a program the closed pipe ended, with no traceback and no word on
stderr; what it wrote to files stays written."""

from __future__ import annotations

import os
import subprocess
import sys

from labelwright.runs.store import list_runs


def _into_closed_pipe(*args: str) -> subprocess.CompletedProcess[str]:
    """``labelwright ARGS`` writing into a pipe whose reader is gone before the command
    starts, so its first line of output meets the closed pipe (a reader that stops after a
    line meets the command's later lines the same way, when it has more than a pipe
    holds)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "labelwright", *args], stdout=write,
                              stderr=subprocess.PIPE, text=True, timeout=300,
                              env={**os.environ, "COLUMNS": "120"})
    finally:
        os.close(write)


def test_run_into_a_closed_pipe_exits_141_and_keeps_the_run(make_project):
    """W41: exit 1 and an empty stderr, though the run was written and LATEST updated: a
    script could not tell it from a failed run."""
    root = make_project()
    done = _into_closed_pipe("run", "-p", str(root), "--no-report")
    assert done.returncode == 141, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    runs = list_runs(root / "runs")
    assert len(runs) == 1
    assert (root / "runs" / "LATEST").read_text().strip() == runs[0]


def test_every_command_into_a_closed_pipe_exits_141_without_a_word(make_project):
    """--help is printed by click before any command runs; the others print from the
    command. The project's audit covers its labels, so that check has no warning to give
    before the pipe is written to."""
    root = make_project()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text("utf-8").replace("audit_size = 1", "audit_size = 2"), "utf-8")
    subprocess.run([sys.executable, "-m", "labelwright", "run", "-p", str(root),
                    "--no-report"], capture_output=True, check=True, timeout=300)
    for args in (["--help"], ["runs", "list", "-p", str(root)],
                 ["runs", "show", "-p", str(root)], ["check", "-p", str(root)]):
        done = _into_closed_pipe(*args)
        assert (done.returncode, done.stderr) == (141, ""), args


def test_a_closed_pipe_is_told_from_other_exits():
    """Only a write to a closed pipe is 141: click's exit 1 for it carries the
    BrokenPipeError it was raised in, another exit does not."""
    from labelwright.cli.entry import _closed_pipe

    try:
        try:
            raise BrokenPipeError(32, "Broken pipe")
        except OSError:
            sys.exit(1)
    except SystemExit as exc:
        assert _closed_pipe(exc)
    assert not _closed_pipe(SystemExit(1))
