"""Shares as the terminal and the report show them."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd

from labelwright.cli.tables import lf_table
from labelwright.percent import percent
from labelwright.report.html import lf_table as html_lf_table


def test_shares_near_zero_and_one_do_not_round_to_them():
    """An LF voting on 1 of 2,500 items showed 0.0%, like one that never votes; 2,499 of
    2,500 items showed 100.0%."""
    assert percent(1 / 2500) == "<0.1%" and percent(0.0) == "0.0%"
    assert percent(2499 / 2500) == ">99.9%" and percent(1.0) == "100.0%"
    assert percent(0.0005) == "0.1%" and percent(0.99949) == "99.9%" and percent(0.5) == "50.0%"
    assert percent(0.00004, 2) == "<0.01%" and percent(0.99996, 2) == ">99.99%"
    assert percent(None) == percent(math.nan) == "—"


def test_the_lf_tables_use_it_and_a_weight_an_lf_never_earned_is_a_dash():
    """The report showed `nan` as the learned weight of an LF that never votes."""
    from rich.console import Console

    summary = pd.DataFrame({"lf": ["rare", "never"], "kind": ["python"] * 2,
                            "polarity": ["a", ""], "coverage": [1 / 2500, 0.0],
                            "overlaps": [0.0, 0.0], "conflicts": [0.0, 0.0],
                            "learned_weight": [0.5, math.nan], "failures": [0, 0]})
    console = Console(width=200, record=True)
    console.print(lf_table(summary))
    text = console.export_text()
    assert "<0.1%" in text and "0.0%" in text
    page = html_lf_table(SimpleNamespace(lf_table=summary, labels=("a",)))
    assert "nan" not in page.lower().replace('"nan"', "")
    assert "&lt;0.1%" in page
