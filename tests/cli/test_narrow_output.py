"""Terminal output at many labels and on narrow consoles: every column kept, labels whole,
lists wrapped to the console, no line padded with spaces."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from labelwright.cli.output import make_console, warning
from labelwright.cli.tables import BALANCE_WIDTH, lf_table, model_comparison_table, model_table
from labelwright.models import get_model

LABELS = ("claim_new", "claim_status", "claim_dispute", "policy_cancel",
          "policy_change_address", "policy_add_driver", "billing_payment_failed",
          "billing_refund", "billing_invoice_copy", "quote_request", "roadside_assistance",
          "document_request", "complaint", "fraud_report", "login_problem", "other")


def _printed(renderable: object, width: int) -> str:
    out = io.StringIO()
    make_console(width=width, file=out).print(renderable)
    return out.getvalue()


def _summary() -> pd.DataFrame:
    n = len(LABELS)
    return pd.DataFrame({
        "lf": [f"glossary:{label}_terms" for label in LABELS], "kind": ["glossary"] * n,
        "polarity": list(LABELS), "coverage": np.linspace(0.01, 0.2, n),
        "overlaps": [0.05] * n, "conflicts": [0.02] * n, "correct": [40] * n,
        "incorrect": [3] * n, "emp_accuracy": [40 / 43] * n, "queue_correct": [1] * n,
        "queue_incorrect": [3] * n, "queue_accuracy": [0.25] * n,
        "learned_accuracy": [0.9] * n, "failures": [0] * (n - 1) + [2]})


def test_a_narrow_lf_table_keeps_every_column_and_whole_labels():
    """At 110 columns rich cut the polarity to 'claim_…' (claim_new, claim_status and
    claim_dispute alike) and cropped emp. acc. and failures off."""
    text = _printed(lf_table(_summary()), 110)
    assert "…" not in text
    assert all(len(line) <= 110 for line in text.splitlines())
    for label in LABELS:
        assert f"polarity {label}\n" in text and f"glossary:{label}_terms" in text
    rows = text.split("correct / incorrect / emp. acc.:")[0]  # the caption follows them
    for header in ("coverage", "overlaps", "conflicts", "correct", "incorrect", "emp. acc.",
                   "queue acc.", "learned acc.", "failures"):
        assert rows.count(f" {header} ") == len(LABELS), header
    assert "failures 2" in text and "queue acc. 25.0% (1/4)" in text
    wide = _printed(lf_table(_summary()), 300)  # it fits: the table, as before
    assert "┃ polarity" in wide and "emp. acc." in wide and "polarity claim_new" not in wide


def test_an_lf_voting_many_labels_shows_their_count():
    """A law firm's LF voting all 14 labels made the piped table about 430 columns wide,
    and every LF fell back to a block per LF in a 120-column terminal."""
    summary = _summary().iloc[:3].copy()
    summary["polarity"] = [", ".join(LABELS), ", ".join(LABELS[:5]), "claim_new, complaint"]
    text = _printed(lf_table(summary, labels=LABELS), 200)
    assert "16 labels (all)" in text and "5 of 16 labels" in text, text
    assert "claim_new, complaint" in text and "roadside_assistance" not in text
    assert "┃ polarity" in text  # the table, not blocks
    # without the project's labels, and for labels that hold ", ", as written
    assert "roadside_assistance" in _printed(lf_table(summary), 2000)
    odd = summary.iloc[:1].assign(polarity=["a, b, c, d, e"])
    assert "a, b, c, d, e" in _printed(lf_table(odd, labels=["a, b", "c", "d", "e"]), 300)


def test_the_class_balance_of_many_labels_is_wrapped_and_rows_are_not_padded():
    """A 16-label class balance was one 700-column line, and every parameter row of the
    label model's block was padded with spaces to it."""
    rng = np.random.default_rng(0)
    model = get_model("dawid_skene", cardinality=len(LABELS)).fit(
        rng.integers(-1, len(LABELS), size=(200, 6)))
    for width in (1000, 70):
        text = _printed(model_table(model, LABELS, width), width)
        lines = text.splitlines()
        assert all(len(line) <= min(width, BALANCE_WIDTH) for line in lines), width
        assert not any(line.endswith(" ") for line in lines)
        assert all(f"{label} 6.2%" in text for label in LABELS)
        assert len([line for line in lines if "%" in line]) > 1


def test_a_long_warning_is_wrapped_between_words():
    shares = ", ".join(f"{label} {k}%" for k, label in enumerate(LABELS))
    path = "/data/" + "x" * 90 + ".csv"
    out = io.StringIO()
    warning(make_console(width=80, file=out), f"the majority vote splits {shares}; see {path}")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("warning: the majority vote") and len(lines) > 5
    assert all(len(line) <= 80 for line in lines if path not in line)
    assert f"  {path}" in lines  # a word wider than the console: whole, on its own line
    assert " ".join(out.getvalue().split()) == f"warning: the majority vote splits {shares}; " \
        f"see {path}"


def test_the_model_comparison_title_is_not_folded_to_the_tables_width():
    frame = pd.DataFrame({"model": ["dawid_skene", "majority"], "accuracy": [0.86, 0.87],
                          "macro_f1": [0.81, 0.80],
                          "covered_accuracy": [0.92, 0.93], "labelled": [2985, 2985],
                          "fit_seconds": [0.1, 0.01], "gold_items": [291, 291]})
    text = _printed(model_comparison_table(frame, "dawid_skene"), 160)
    assert ("Label models on 291 held-out gold items (fit as run fits its own; nothing "
            "written)\n") in text


def test_the_accuracy_title_is_not_folded_to_the_tables_width():
    from labelwright.cli.tables import evaluation_table

    scores = {"accuracy": 0.77, "macro_f1": 0.83, "labeled": 177, "covered_accuracy": 0.87}
    evaluation = {"n_gold": 200, "reviewed_left_out": 12, "label_model": scores,
                  "majority_vote": scores}
    text = _printed(evaluation_table(evaluation, "auto"), 160)
    assert ("Accuracy on the gold part (200 items; 12 reviewed gold items left out: the label "
            "model was fit on their reviewed labels)\n") in text


def test_a_narrow_table_is_printed_from_its_own_headers_and_cells():
    from rich.table import Table
    from rich.text import Text

    from labelwright.cli.narrow import FittedTable

    table = Table(title="LFs")
    for header in ("LF", "kind", "coverage", "failures"):
        table.add_column(header)
    table.add_row("refund_words", "python", "12.5%", "0")
    table.add_row("glossary:billing", "glossary", "3.0%", Text("2", style="red"))
    assert _printed(FittedTable(table, lead=2), 30) == (
        "LFs\nrefund_words  kind python\n    coverage 12.5%\n    failures 0\n"
        "glossary:billing  kind\nglossary\n    coverage 3.0%   failures 2\n")


def test_the_calibration_per_vote_pattern_keeps_every_figure_whole_when_narrow():
    """At 80 columns rich cut the flag to 'over-confid…' and, at 60, the votes column away."""
    from labelwright.cli.tables import vote_calibration_table
    from labelwright.models.vote_calibration import calibration_by_votes

    groups = calibration_by_votes(np.array(["agree"] * 400 + ["split"] * 50),
                                  np.array([0.95] * 400 + [0.926] * 50),
                                  np.array([True] * 380 + [False] * 20 + [True] * 29
                                           + [False] * 21))
    table = vote_calibration_table({"calibration_by_votes": groups})
    wide = _printed(table, 160)
    assert "│ votes split, top labels tied │    50 │      92.6% │" in wide
    for width in (80, 60):
        text = _printed(table, width)
        assert "…" not in text and max(map(len, text.splitlines())) <= width
        assert "votes split, top labels tied\n    items 50   confidence 92.6%" in text
        assert "58.0% (" in text and "flag over-confident" in text and "flag \u2014" in text
    assert vote_calibration_table({}) is None
