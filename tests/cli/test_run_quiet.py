"""``run --quiet``: a CI job or nightly run wants warnings, errors and the one line that
names the run, not the tables and samples a person reads."""

from __future__ import annotations

from cli_streams import BROKEN, run_cli

SOMETIMES = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def on_crash(item):
    if "crash" in item.text:
        raise ValueError("no crash rule yet")
    return "billing" if "refund" in item.text.lower() else ABSTAIN
'''

def test_quiet_prints_the_runs_line_and_what_needs_a_look(make_project, monkeypatch, capsys):
    from ticket_data import TICKET_LFS

    root = make_project(lfs={"tickets": TICKET_LFS, "sometimes": SOMETIMES})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report")
    assert code == 0, err
    assert "Label model" in out and "Review queue" in out  # the default is unchanged
    # the run's line, then (a first run only) what to look at next
    lines = out.rstrip().splitlines()
    assert lines[lines.index("first run of this project; what to look at next:") - 1] \
        .startswith("run ")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                          "--quiet")
    assert code == 0, err
    [line] = out.splitlines()
    assert line.startswith("run ") and f" written to {root / 'runs'}" in line, out
    assert "LF 'on_crash' raised on 2 items" in err, err  # an LF's failure is still said
    assert "Label model" not in out + err and "Review queue" not in out + err


def test_quiet_keeps_a_failed_runs_error(make_project, monkeypatch, capsys):
    root = make_project(lfs={"broken": BROKEN})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "-q")
    assert code == 1
    [line] = out.splitlines()
    assert line.startswith("run "), out
    assert "error: " in err and "(exit 1)" in err, err
    assert "Label model" not in out + err
