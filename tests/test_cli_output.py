"""What the CLI prints: usage errors as messages, users' text as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelwright.scaffold import init_project


@pytest.mark.parametrize(("args", "message"), [
    (["run", "--bogus"], "No such option: --bogus"),
    (["nosuchcommand"], "No such command 'nosuchcommand'"),
    (["explain"], "Missing argument"),
    (["review", "import", "f.csv"], "Missing option '--reviewer'"),
    (["review", "stats", "--policy", "Majority"], "'Majority'; valid: majority, adjudicate"),
    (["runs", "diff", "x", "--examples", "-1"], "--examples"),
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


def test_config_errors_keep_the_table_name(cli, project):
    toml = project / "labelwright.toml"
    toml.write_text(toml.read_text().replace("threshold = ", "treshold = "))
    code, output = cli("check", "--project", str(project))
    assert code == 1
    assert "unknown key 'treshold' in [triage]; valid keys:" in output


def test_an_lf_traceback_keeps_its_subscripts(cli, project):
    (project / "labeling_functions" / "broken.py").write_text(
        "from labelwright import labeling_function\n\nTABLE = {}\n\n\n"
        "@labeling_function()\ndef looks_up(item):\n    return TABLE[item.id]\n")
    code, output = cli("run", "--project", str(project), "--no-report")
    assert code == 0, output
    assert "return TABLE[item.id]" in output and "KeyError" in output
