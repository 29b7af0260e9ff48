"""``runs list`` and ``runs show`` at narrow widths (CI images often export COLUMNS=80):
every value whole, the table turned into one block per row where it would not fit."""

from __future__ import annotations

import importlib
import json

import pytest

from labelwright.percent import percent
from labelwright.runs.diff.manifest_changes import gold_items
from labelwright.runs.store import list_runs


@pytest.fixture
def at_width(monkeypatch):
    """Set the width of the ``runs`` commands' console (after the ``cli`` fixture's)."""
    module = importlib.import_module("labelwright.cli.runs")

    def set_width(width: int) -> None:
        monkeypatch.setattr(module.console, "_width", width)

    return set_width


@pytest.mark.parametrize("width", [40, 80, 200])
def test_runs_list_and_show_cut_no_value(make_project, cli, at_width, width):
    """W41: at COLUMNS=80 `runs list` showed `2229…`, `(557…`, `cove…`; at 40 every row was
    `│ 20261205-… │ │ │ │ │ │ │ │`, the numbers all dropped."""
    root = make_project()
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    run_id = list_runs(root / "runs")[-1]
    m = json.loads((root / "runs" / run_id / "manifest.json").read_text(encoding="utf-8"))
    accuracy = m["evaluation"]["label_model"]["accuracy"]
    at_width(width)
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0, out
    assert "…" not in out
    for value in (run_id, "accuracy (gold items)", "reviewed items", "coverage",
                  f"{percent(accuracy)} ({gold_items(m)})", percent(m["coverage"]),
                  str(m["data"]["rows"]), m["label_model"]["name"]):
        assert value in out, (width, value)
    assert ("┃ run" in out) == (width == 200)  # a table where it fits, blocks else
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert "…" not in out
    # a path or a time wider than the console keeps a line of its own, whole (rich folded
    # `runs/20261205-213445` and `-034542` over two lines)
    for value in (str(root / "runs" / run_id), m["started_at"], m["finished_at"],
                  m["data"]["path"]):
        assert value in out, (width, value)
    for lf in m["labeling_functions"]:
        for value in (lf["name"], lf["kind"], lf["location"], lf["source_sha256"][:12]):
            assert value in out, (width, value)


def test_whole_words_wraps_between_words_and_keeps_styles():
    from rich.text import Text

    from labelwright.cli.narrow import whole_words

    line = Text.assemble(("run 20261205-213445-034542", "bold"), "  /a/long/path/to/runs/x")
    wrapped = whole_words(line, 20)
    assert wrapped.plain == "run\n    20261205-213445-034542\n    /a/long/path/to/runs/x"
    assert wrapped.spans and all(span.style == "bold" for span in wrapped.spans)
    assert whole_words("short", 20).plain == "short"
