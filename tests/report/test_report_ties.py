"""An example whose label came from a tie-break is marked so, not shown as a suggestion."""

from __future__ import annotations

import json

from test_report_summary import _tickets

from labelwright.project import run_project
from labelwright.report import render_report
from labelwright.report.data import load_run


def _random_ties(make_project):
    """A run whose label model breaks ties at random: every tenth ticket gets one vote for
    billing and one for technical."""
    root = make_project(rows=_tickets(200))
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('tie_break = "first"', 'tie_break = "random"'))
    return run_project(root, report=False)


def _tied(record):
    return set(record["votes"].values()) == {"billing", "technical"}


def test_labels_from_a_random_tie_break_are_marked(make_project):
    """Identical vote patterns were suggested as billing on most items and technical on
    another, each with the same confidence, as if the model preferred them."""
    result = _random_ties(make_project)
    data = load_run(result.run_dir)
    examples = data.conflict_examples + data.low_confidence_examples
    tied = [r for r in examples if _tied(r)]
    assert len({r["suggested_label"] for r in tied}) == 2, "the test needs both coin sides"
    assert all(r["tie_break"] == _tied(r) for r in examples)
    assert data.tie_note is None
    section = render_report(result.run_dir).split('<section id="examples">')[1]
    section = section.split("</section>")[0]
    conflicts = section.split("<h3>Low confidence")[0]
    shown = sum(1 for r in data.conflict_examples if r["tie_break"])
    assert (f"{shown} of these {len(data.conflict_examples)} labels came from a tie-break"
            in conflicts)
    assert "<code>[label_model] tie_break = random</code> picked one at random" in conflicts
    assert conflicts.count('class="chip tie"') == shown


def test_the_run_s_model_tells_a_tie_the_probabilities_shown_hide(make_project):
    """Calibrated probabilities can set the tied labels apart (the label is decided on the
    model's own): the run's label model is asked, not the probabilities shown. Without it,
    the page says its marks come from the probabilities."""
    result = _random_ties(make_project)
    queue = result.run_dir / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text().splitlines()]
    for r in records:  # as a calibration would show them: the suggested label ahead
        if _tied(r):
            other = next(k for k in r["probabilities"] if k != r["suggested_label"])
            r["probabilities"] = {r["suggested_label"]: 0.55, other: 0.45}
    queue.write_text("".join(json.dumps(r) + "\n" for r in records))
    data = load_run(result.run_dir)
    assert any(r["tie_break"] for r in data.conflict_examples)
    assert all(r["tie_break"] == _tied(r) for r in data.conflict_examples)

    (result.run_dir / "label_model.json").unlink()
    data = load_run(result.run_dir)
    assert not any(r["tie_break"] for r in data.conflict_examples)
    assert data.tie_note.startswith("label_model.json could not be used to tell the "
                                    "examples' tie-breaks (")
    examples = render_report(result.run_dir).split('<section id="examples">')[1]
    assert "told from the probabilities shown" in examples.split("</section>")[0]


def test_the_tie_note_says_what_the_tie_break_does():
    """Under tie_break = "first" identical votes get the same label, yet the note said
    they "may show different labels"."""
    from labelwright.report.html import examples_table

    records = [{"id": "a", "text": "t", "suggested_label": "x", "confidence": 0.5,
                "tie_break": True}]
    first = examples_table(records, "first")
    assert "the first of the tied labels in [project] labels order" in first
    assert "may show different labels" not in first
    assert "at random, item by item, so items with the same votes may show different " \
           "labels" in examples_table(records, "random")


def test_an_older_runs_learned_accuracy_is_called_the_models_parameter():
    """Runs before run_warnings wrote the model's per-LF parameter as learned_accuracy; the
    page described it as the share of votes the model takes to be right (28% vs 70% in one
    project)."""
    from types import SimpleNamespace

    import pandas as pd

    from labelwright.report.html import lf_table

    frame = pd.DataFrame({"lf": ["a"], "coverage": [0.5], "learned_accuracy": [0.28]})
    old = lf_table(SimpleNamespace(lf_table=frame, manifest={"run_id": "r"}))
    new = lf_table(SimpleNamespace(lf_table=frame, manifest={"run_id": "r", "run_warnings": []}))
    assert "the label model's own per-LF accuracy parameter, as an older labelwright" in old
    assert "older labelwright" not in new
    assert "the share of an LF's votes the label model takes to be right" in new
