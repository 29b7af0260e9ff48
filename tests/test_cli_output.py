"""What the CLI prints: usage errors as messages, users' text as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from labelwright.scaffold import init_project


@pytest.mark.parametrize(("args", "message"), [
    (["run", "--bogus"], "No such option: --bogus"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
    (["explain"], "Missing argument"),
    (["review", "import"], "Missing argument 'file'"),  # --reviewer is optional now
    (["review", "stats", "--policy", "Majority"], "'Majority'; valid: majority, adjudicate"),
    (["runs", "diff", "x", "--examples", "-1"], "--examples"),
    # these three exited 1, as if the project or the data were at fault
    (["run", "--engine", "bogus"], "'bogus'; valid: local, processes, dask"),
    (["bench", "wrench", ".", "--gold", "bogus"], "'bogus'; valid: none, valid"),
    (["bench", "wrench", ".", "-m", "bogus"], "unknown label model 'bogus'; available:"),
    (["bench", "wrench", ".", "--seed", "-1"], "--seed"),  # was a ValueError traceback
    # these exited 1; review export's --format xlsx exited 2
    (["review", "import", "f.csv", "-r", "ann", "--format", "xlsx"], "'xlsx'; valid: label-"),
    (["review", "import", "f.csv", "-r", " "], "a reviewer name is required"),
    (["init", ""], "an empty name"),
    # RUN was dropped without a word, and exit 0, when --all was given too
    (["runs", "verify", "nosuchrun", "--all"], "give one or the other"),
])
def test_a_usage_error_is_a_message_and_exit_code_2(cli, project, monkeypatch, args, message):
    monkeypatch.chdir(project)
    code, output = cli(*args)
    assert code == 2
    assert message in output and "Traceback" not in output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    init_project(root)
    with open(root / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        handle.write('r17,"I [/b] love it, [bold]LOVE[/bold] it",yes,\n')
    return root


def test_text_with_square_brackets_is_printed_as_written(cli, project):
    """Rich read '[/b]' in a text as a closing tag and crashed; '[bold]' vanished."""
    code, output = cli("check", "--project", str(project))
    assert code == 0, output
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 0, output
    code, output = cli("explain", "r17", "--project", str(project))
    assert code == 0, output
    assert "text: 'I [/b] love it, [bold]LOVE[/bold] it'" in output


def test_control_and_bidi_characters_from_data_do_not_reach_the_terminal(cli, project):
    """An escape sequence in a text or id went to the terminal as it was: it could hide
    text, erase the line before it or set the window title; U+202E reversed what followed."""
    with open(project / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        handle.write('r\x1b[8m18\u202e,"nice, really",yes,\n')
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 0, output
    code, output = cli("explain", "r\x1b[8m18\u202e", "--project", str(project))
    assert code == 0, output
    assert "\x1b" not in output and "\u202e" not in output
    # an id that does not print is shown quoted with its escapes: the ESC and the override
    # do not reach the terminal, and the id can be typed back
    assert "item 'r\\x1b[8m18\\u202e' in run" in output


def test_control_characters_in_table_cells_leave_the_borders_in_line():
    """A stand-in character for each took a column rich had not counted: the row's border
    moved right of the others."""
    import io

    from rich.table import Table

    from labelwright.cli.output import make_console

    table = Table("rater", "items")
    for name in ("ann\u202e", "eve\x1b[2J", "bob"):
        table.add_row(name, "100")
    out = io.StringIO()
    make_console(file=out, width=80).print(table)
    lines = out.getvalue().splitlines()
    assert len({len(line) for line in lines}) == 1
    assert "\x1b" not in out.getvalue() and "\u202e" not in out.getvalue()


def test_a_report_shows_bidi_overrides_from_data_as_a_replacement_character():
    from labelwright.report.html import esc

    assert esc("\u202eevil <b>") == "\ufffdevil &lt;b&gt;"
    assert esc("\u2067x\u2069 \u200f") == "\ufffdx\ufffd \u200f"  # marks stay


def test_config_errors_keep_the_table_name(cli, project):
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text().replace("threshold = ", "treshold = "))
    code, output = cli("check", "--project", str(project))
    assert code == 1
    assert "unknown key 'treshold' in [triage]; did you mean 'threshold'? valid keys:" in output


def test_an_lf_traceback_keeps_its_subscripts(cli, project):
    (project / "labeling_functions" / "broken.py").write_text(
        "from labelwright import labeling_function\n\nTABLE = {}\n\n\n"
        "@labeling_function()\ndef looks_up(item):\n    return TABLE[item.id]\n")
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 1, output  # it raised on every item: the run is written, and fails
    assert "return TABLE[item.id]" in output and "KeyError" in output


def test_progress_without_a_terminal_is_a_line_now_and_then():
    """A run logged to a file showed no progress at all until it ended (the bar needs a
    terminal): a million-row job gave no sign of life for minutes."""
    from labelwright.cli.progress import LogProgress

    now = [0.0]
    lines: list[str] = []
    progress = LogProgress(lines.append, interval=30.0, clock=lambda: now[0])
    progress("apply", 200_000, 1_000_000)  # the cache's share: done, not in the rate
    for _ in range(8):  # 100,000 items every 10 s
        now[0] += 10.0
        progress("apply", 100_000, 1_000_000)
    assert lines == [
        "apply: 500,000 / 1,000,000 items (50%), 10,000 items/s, about 50 s left",
        "apply: 800,000 / 1,000,000 items (80%), 10,000 items/s, about 20 s left",
        "apply: 1,000,000 items done in 1 min 20 s",
    ]
    # a step that ends within the interval writes nothing
    quiet: list[str] = []
    short = LogProgress(quiet.append, interval=30.0, clock=lambda: now[0])
    short("apply", 0, 10)
    now[0] += 5.0
    short("apply", 10, 10)
    short.stage("label model")
    assert quiet == []
    # a fast apply, then later steps that take long: lines once the run is past the
    # interval (they wrote none, and the outputs of a 300k-row run took a silent minute)
    now[0] += 40.0
    short.stage("review ranking")
    now[0] += 20.0
    short.stage("outputs")
    # each step's time on a line of its own, with its own name: "triage ... (review
    # ranking: 5s)" read as the triage's time
    assert quiet == ["label model: done in 40 s", "review ranking ...",
                     "review ranking: done in 20 s", "outputs ..."]
    # one chunk of slow LFs: no report until it ends, 52 s later; it said nothing at all
    slow: list[str] = []
    one = LogProgress(slow.append, interval=30.0, clock=lambda: now[0])
    one("apply", 0, 200)
    now[0] += 52.0
    one("apply", 200, 200)
    one.stage("label model")
    assert slow == ["apply: 200 items done in 52 s", "label model ..."]


def test_the_rate_in_a_log_leaves_the_engines_start_up_out():
    """A dask apply logged ``10,000 / 300,000 items (3%), 93 items/s, about 52 min left``
    and took 4 min 23 s: the cluster's start-up before the first chunk counted in the rate."""
    from labelwright.cli.progress import LogProgress

    now = [0.0]
    lines: list[str] = []
    progress = LogProgress(lines.append, interval=30.0, clock=lambda: now[0])
    progress("apply", 0, 300_000)  # the apply starts; the cluster starts
    now[0] += 100.0  # start-up, then the first chunk
    progress("apply", 10_000, 300_000)
    for _ in range(3):  # 10,000 items every 10 s from then on
        now[0] += 10.0
        progress("apply", 10_000, 300_000)
    assert lines == ["apply: 10,000 / 300,000 items (3%)",
                     "apply: 40,000 / 300,000 items (13%), 1,000 items/s, about 4 min 20 s left"]


def test_run_without_a_terminal_prints_the_progress_lines(cli, project, monkeypatch):
    import sys

    log_progress = sys.modules["labelwright.cli.progress"].LogProgress
    monkeypatch.setattr(log_progress, "__init__", _every_report(log_progress))
    with open(project / "labelwright.toml", "a", encoding="utf-8") as handle:
        handle.write("\n[apply]\nengine = \"local\"\nchunk_size = 4\n")
    code, output = cli("run", "--project", str(project), "--no-report", "--no-cache")
    assert code == 0, output
    # an uncached run reports its start (0 items) first, then the first chunk: the hour
    # each took (a dask cluster's start-up) is not in the rate
    assert ("apply: 4 / 17 items (24%) apply: 8 / 17 items (47%), 0.0 items/s, about 2 h 15 min "
            "left") in output
    assert "apply: 17 items done in 5 h" in output
    # the steps after the apply say when they start, with the time the one before took:
    # each is a key of the manifest's timings_seconds
    assert ("apply: storing votes and glossary hits in the vote cache ... apply: storing "
            "votes and glossary hits in the vote cache: done in 1 h reviews ... reviews: "
            "done in 1 h label model ...") in output
    assert "label model: done in 1 h copies and warnings ..." in output
    assert "copies and warnings: done in 1 h review ranking ..." in output
    # the ranking's end model, fold by fold (it said nothing for 14 minutes at 3M items)
    assert "review ranking: fold 2 of 5 done, about 3 h left" in output
    assert "review ranking: 5 folds done in 5 h" in output
    assert "review ranking: done in 7 h triage ..." in output
    assert "evaluation: done in 1 h outputs ..." in output
    assert "publish: manifest: done in 1 h publish: hashing outputs ..." in output


def test_a_cached_run_says_when_the_apply_stores_its_votes(cli, project, monkeypatch):
    """After the engine, the votes and hits go into the vote cache: a line of its own, not
    most of a minute of silence after ``apply: ... items done`` (1 million items)."""
    import sys

    log_progress = sys.modules["labelwright.cli.progress"].LogProgress
    monkeypatch.setattr(log_progress, "__init__", _every_report(log_progress))
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 0, output
    assert ("apply: 17 items done in 1 h apply: storing votes and glossary hits in the "
            "vote cache ... apply: storing votes and glossary hits in the vote cache: done "
            "in 1 h reviews ...") in output
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 0 and "storing votes" not in output  # all of them from the cache


def _every_report(cls):  # type: ignore[no-untyped-def]
    """``LogProgress.__init__`` with a clock that moves an hour per report and no interval."""
    original = cls.__init__
    clock = iter(range(0, 10**9, 3600))

    def init(self, write, **kwargs):  # type: ignore[no-untyped-def]
        original(self, write, interval=0.0, clock=lambda: float(next(clock)))

    return init


def test_on_a_terminal_each_later_step_gets_a_line_of_the_bar():
    import io
    import sys

    from rich.console import Console
    from rich.progress import Progress

    bar_progress = sys.modules["labelwright.cli.progress"].BarProgress
    with Progress(console=Console(file=io.StringIO(), force_terminal=True)) as bar:
        reporter = bar_progress(bar)
        reporter("apply", 4, 10)
        reporter("apply", 6, 10)
        reporter.stage("label model")
        reporter.stage("outputs")
        tasks = {t.description: (t.completed, t.total) for t in bar.tasks}
    assert tasks == {"apply": (10, 10), "label model": (1, 1), "outputs": (0, None)}


def test_tables_written_to_a_pipe_or_log_keep_their_numbers_whole(monkeypatch):
    """Without a terminal rich took 80 columns, and `runs list > log` showed "100.…"."""
    import io

    from rich.table import Table

    from labelwright.cli.output import make_console

    monkeypatch.delenv("COLUMNS", raising=False)
    table = Table()
    for i in range(8):  # as `runs list` makes its columns
        table.add_column(f"column number {i}", justify="right", no_wrap=True)
    table.add_row(*["100.0%"] * 8)
    out = io.StringIO()
    make_console(file=out).print(table)
    assert out.getvalue().count("100.0%") == 8 and "…" not in out.getvalue()
    monkeypatch.setenv("COLUMNS", "80")  # a width asked for is kept
    narrow = io.StringIO()
    make_console(file=narrow).print(table)
    assert max(map(len, narrow.getvalue().splitlines())) == 80


@pytest.mark.parametrize(("args", "words"), [
    (["review", "stats", "--help"], "[review] policy"),  # rich took "[review]" for markup
    (["review", "export", "--help"], "[triage]"),
    (["run", "--help"], "[apply] engine"),
])
def test_config_tables_named_in_help_are_shown(cli, args, words):
    code, output = cli(*args)
    assert code == 0 and words in output


def test_project_commands_written_to_a_pipe_keep_long_lf_names_whole(project):
    """check, analyze and run printed into a pipe at a fixed 160 columns (cutting an LF's
    name to "a_rather_long_…"), while the other commands kept the whole width."""
    import os
    import subprocess
    import sys

    name = "an_lf_whose_name_says_exactly_what_it_looks_for_in_the_text_of_a_review_" + "x" * 30
    (project / "labeling_functions" / "long.py").write_text(
        "from labelwright import ABSTAIN, labeling_function\n\n\n"
        f"@labeling_function(name={name!r})\n"
        "def long(item):\n    return 'positive' if 'love' in item.text else ABSTAIN\n")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    out = subprocess.run([sys.executable, "-m", "labelwright", "analyze", "-p", str(project)],
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert name in out.stdout


def test_the_review_queue_says_when_its_reasons_overlap(cli, project, monkeypatch):
    """'to review 9' above reasons adding up to 10 read as a miscount: an item with a
    conflict is often also of low confidence, and it counts under both."""
    with open(project / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        handle.write('r18,"I love it, I returned it anyway",no,\n')
    monkeypatch.chdir(project)
    code, output = cli("run", "--no-report")
    assert code == 0, output
    import csv

    (run,) = (project / "runs").glob("2*")
    with open(run / "review.csv", encoding="utf-8") as handle:
        several = sum(";" in row["reasons"] for row in csv.DictReader(handle))
    assert several >= 1  # (1 here: "1 items to review have" was printed)
    counted = "1 item to review has" if several == 1 else f"{several} items to review have"
    assert f"({counted} more than one reason, counted under each)" in output


def test_counts_of_one_and_empty_intervals_read_right(cli, make_project):
    """check said "(1 glossaries, 1 terms)", and review stats printed an interval with
    nothing reviewed as "—–—"."""
    root = make_project(glossaries={"money": "label: billing\nterms: [refund]\n"})
    code, output = cli("check", "-p", str(root))
    assert code == 0, output
    assert "ok: 3 labeling functions (1 glossary, 1 term, 1 phrase), 6 items" in output
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    code, output = cli("review", "stats", "-p", str(root))
    assert code == 0, output
    assert "accepted-label accuracy from the audit sample: — (0/0; 95% interval —)" in output
    assert "—–—" not in output


def test_check_and_the_report_count_phrases_beside_terms(cli, make_project, tmp_path):
    """check said "(1 glossary, 2 terms)" and the report's Glossaries table "terms 2" for a
    glossary that matches seven phrases: a term's synonyms were nowhere counted."""
    root = make_project(glossaries={"money": (
        "label: billing\nterms:\n  - term: refund\n    synonyms: [money back, reimbursement,"
        " chargeback]\n  - term: invoice\n    synonyms: [receipt, bill]\n")})
    code, output = cli("check", "-p", str(root))
    assert code == 0, output
    assert "ok: 3 labeling functions (1 glossary, 2 terms, 7 phrases), 6 items" in output
    code, output = cli("run", "-p", str(root))
    assert code == 0, output
    (run_dir,) = [d for d in (root / "runs").iterdir() if (d / "manifest.json").is_file()]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert [(g["terms"], g["phrases"]) for g in manifest["glossaries"]] == [(2, 7)]
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "<th>terms</th><th>phrases</th>" in page
    assert '<td class="n">2</td><td class="n">7</td>' in page
