"""What ``labelwright run`` prints run after run, as an LF author edits and re-runs."""

from __future__ import annotations

from typer.testing import CliRunner


def _run(root) -> str:
    from labelwright.cli.app import app

    ran = CliRunner().invoke(app, ["run", "--no-report", "-p", str(root)])
    assert ran.exit_code == 0, ran.output
    return ran.output


def test_the_random_sample_is_explained_once_then_named_in_one_short_line(make_project):
    """Each run printed the same 330-character line on the random sample: an expert
    re-running 30 times a day read it 30 times, above what changed."""
    root = make_project(model="auto", gold=None, extra="random_sample = 5\n")
    first = _run(root).splitlines()
    said = [line for line in first if line.startswith("random sample:")]
    assert said == ["random sample: 5 items in sample.csv; review them with "
                    "`labelwright review export --sample`"]
    assert "estimate the accuracy of all labels" in " ".join(first)  # the first time only
    again = _run(root).splitlines()
    at = [k for k, line in enumerate(again) if line.startswith("random sample:")]
    assert len(at) == 1 and again[at[0]] == said[0]
    assert "estimate the accuracy" not in " ".join(again)
    assert not again[at[0] + 1].startswith("  ")  # nothing more of it
