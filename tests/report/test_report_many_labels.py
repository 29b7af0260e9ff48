"""The report at many labels: a confidence panel per label, and a confusion table that
stays inside its section."""

from __future__ import annotations

import re

import numpy as np
from report_runs import make_run

from labelwright.report import _panels_note, plots
from labelwright.report.data import load_run
from labelwright.report.summary import per_label

LABELS = ("claim_new", "claim_status", "claim_dispute", "policy_cancel",
          "policy_change_address", "policy_add_driver", "billing_payment_failed",
          "billing_refund", "billing_invoice_copy", "quote_request", "roadside_assistance",
          "document_request", "complaint", "fraud_report", "login_problem", "other")


def _hist(n_labels: int) -> dict[str, np.ndarray]:
    names = [*LABELS, *(f"extra_{k}" for k in range(n_labels - len(LABELS)))][:n_labels]
    return {label: np.full(20, 300 - 10 * k) for k, label in enumerate(names)}


def _panel_titles(svg: str) -> list[str]:
    return re.findall(r'<tspan unicode-bidi="plaintext">([a-z_0-9]+)</tspan> \([0-9,]+\)</text>',
                      svg)


def test_every_label_of_sixteen_has_a_confidence_panel():
    """At 16 labels the 12 with the most items had a panel: the 4 rarest (claim_dispute,
    billing_refund, roadside_assistance, fraud_report here), the ones watched, had none."""
    hist = _hist(len(LABELS))
    assert sorted(_panel_titles(plots.confidence(np.linspace(0, 1, 21), hist, 0.7))) \
        == sorted(LABELS)
    assert _panels_note(hist) == ""


def test_past_the_limit_the_labels_without_a_panel_are_named():
    hist = _hist(plots.MAX_PANELS + 3)
    shown = _panel_titles(plots.confidence(np.linspace(0, 1, 21), hist, 0.7))
    rest = [label for label in hist if label not in shown]
    assert len(shown) == plots.MAX_PANELS and len(rest) == 3
    note = _panels_note(hist)
    assert all(f"<bdi>{label}</bdi> ({int(hist[label].sum()):,})" in note for label in rest)


def test_the_confusion_table_scrolls_in_its_section_with_turned_headers(tmp_path):
    """16 labels by 17 columns widened the whole page past the window (a horizontal
    scrollbar for the page): the table scrolls inside its own box, its label headers
    written upwards and named in full in their titles."""
    data = load_run(make_run(tmp_path / "runs", "r1", n=300))
    page = per_label(data)
    matrix = page.split("Gold label (rows) by the label model's label</h4>")[1]
    assert matrix.startswith('<div class="scroll"><table>') and matrix.endswith("</div>")
    for label in data.labels:  # a label is the user's: isolated in its own direction
        assert f'<th class="turn" title="{label}"><span><bdi>{label}</bdi></span></th>' in matrix
    assert '<th class="turn" title="(none)"><span>(none)</span></th>' in matrix
