"""The report's own SVG drawing: scales, ticks, colours, and plots whose shapes match the
numbers they show."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest

from labelwright.report import plots
from labelwright.report.svg import Scale, esc, num, ramp, tick_text, ticks
from page_text import unisolated

NS = "{http://www.w3.org/2000/svg}"


def _titled(svg: str, tag: str = "rect") -> dict[str, ElementTree.Element]:
    """Each shape with a hover title, by its title."""
    root = ElementTree.fromstring(svg)
    return {shape.find(f"{NS}title").text: shape  # type: ignore[union-attr]
            for shape in root.iter(f"{NS}{tag}") if shape.find(f"{NS}title") is not None}


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (0, 21.0, [0, 5, 10, 15, 20, 25]),
    (0, 1.0, [0, 0.2, 0.4, 0.6, 0.8, 1.0]),
    (0, 3.2, [0, 1, 2, 3, 4]),
    (0, 115, [0, 25, 50, 75, 100, 125]),
])
def test_ticks_are_round_and_reach_the_top(lo, hi, expected):
    assert ticks(lo, hi) == pytest.approx(expected)


def test_ticks_of_an_empty_range_still_make_an_axis():
    assert ticks(0.0, 0.0) == [0.0, 1.0]
    assert ticks(0.0, float("nan")) == [0.0, 1.0]


def test_tick_text_shows_the_decimals_the_step_needs():
    assert [tick_text(v, [0, 2.5]) for v in (0, 2.5, 10)] == ["0.0", "2.5", "10.0"]
    assert tick_text(20, [0, 5]) == "20" and tick_text(1500, [0, 500]) == "1,500"
    assert tick_text(0.4, [0, 0.2]) == "0.4"


def test_scale_maps_ends_and_middle_and_num_is_short():
    y = Scale(0.0, 100.0, 300.0, 100.0)  # an upward axis: data 0 at the bottom
    assert (y(0), y(50), y(100)) == (300.0, 200.0, 100.0)
    assert (num(1.0), num(2.345), num(-0.001)) == ("1", "2.35", "0")


def test_ramp_runs_from_first_to_last_stop():
    stops = ("#ffffff", "#808080", "#000000")
    assert ramp(stops, 0.0) == "#ffffff" and ramp(stops, 1.0) == "#000000"
    assert ramp(stops, 0.5) == "#808080" and ramp(stops, 2.0) == "#000000"


def test_coverage_bars_are_as_long_as_their_values():
    table = pd.DataFrame({"lf": ["a", "b <c>"], "coverage": [0.5, 0.25],
                          "overlaps": [0.2, 0.1], "conflicts": [0.0, 0.05]})
    shapes = _titled(plots.coverage(table))
    width = {title: float(shape.get("width")) for title, shape in shapes.items()}
    assert width["a: coverage 50.0%"] == pytest.approx(2 * width["b <c>: coverage 25.0%"],
                                                       abs=0.05)  # drawn to 0.01 px
    assert width["a: overlaps 20.0%"] == pytest.approx(2 * width["b <c>: overlaps 10.0%"],
                                                       abs=0.05)
    assert width["a: conflicts 0.0%"] == 0


def test_heatmap_cells_hold_the_pairs_agreement_and_conflicts():
    names = ["x", "y", "z"]
    co = np.array([[5, 4, 0], [4, 6, 2], [0, 2, 3]])
    agree = np.array([[5, 3, 0], [3, 6, 2], [0, 2, 3]])
    shapes = _titled(plots.heatmaps(names, co, agree, n_items=10))
    assert "x × y: 75%" in shapes and "y × z: 100%" in shapes  # agreement (left panel)
    assert "x × y: 10.0%" in shapes and "y × x: 10.0%" in shapes  # conflicts, % of all items
    assert not any(t.startswith(("x × x", "x × z", "z × x")) for t in shapes)  # no diagonal;
    # no agreement where nothing was co-voted, no cell for a pair without conflicts
    assert len(shapes) == 4 + 2
    assert shapes["y × z: 100%"].get("fill") == ramp(plots.GREENS, 1.0)
    assert shapes["x × y: 75%"].get("fill") == ramp(plots.GREENS, 0.75)
    assert shapes["x × y: 10.0%"].get("fill") == ramp(plots.REDS, 1.0)  # the largest conflict


def test_reliability_bars_and_points_sit_at_their_accuracy():
    table = pd.DataFrame({"bin_low": [0.5, 0.9], "bin_high": [0.6, 1.0], "items": [4, 10],
                          "confidence": [0.55, 0.95], "accuracy": [0.5, 1.0]})
    svg = plots.reliability(table, 0.05)
    bars = list(_titled(svg).values())
    heights = sorted(float(b.get("height")) for b in bars)
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.05)
    points = _titled(svg, "circle")
    assert set(points) == {"mean confidence 55.0%, accuracy 50.0%",
                           "mean confidence 95.0%, accuracy 100.0%"}
    assert "expected calibration error: 5.0%" in svg


def test_bars_write_counts_and_keep_order():
    svg = plots.bars({"first": 3, "second": 12}, "queue", "items")
    shapes = _titled(svg)
    assert list(shapes) == ["first: 3", "second: 12"]
    ys = [float(s.get("y")) for s in shapes.values()]
    assert ys[0] < ys[1]  # the first key on top
    assert float(shapes["second: 12"].get("width")) == pytest.approx(
        4 * float(shapes["first: 3"].get("width")), abs=0.05)  # drawn to 0.01 px
    assert re.search(r">12</text>", svg)


def test_confidence_panels_count_their_items():
    edges = np.linspace(0, 1, 11)
    hist = {"spam": np.array([0, 0, 0, 0, 0, 1, 0, 2, 0, 7]),
            "ham": np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 3])}
    svg = unisolated(plots.confidence(edges, hist, 0.7))
    assert esc("spam (10)") in svg and "ham (3)" in svg
    assert svg.index("spam (10)") < svg.index("ham (3)")  # the label with more items first
    assert "spam: 7 items at confidence 0.90–1.00" in svg
    assert 'stroke-dasharray="4 3"' in svg  # the threshold


def test_plots_of_nothing_still_draw():
    """An LF table whose shares are all missing warned of an all-NaN slice, and a label
    distribution without labels raised on an empty max()."""
    import warnings

    table = pd.DataFrame({"lf": ["a"], "coverage": [np.nan], "overlaps": [np.nan],
                          "conflicts": [np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        svg = plots.coverage(table)
    assert _titled(svg) == {}  # no bar for a missing share
    ElementTree.fromstring(plots.label_distribution({}, None))


def test_heatmap_panel_titles_do_not_run_into_each_other():
    """With a few LFs the panels were narrower than their titles, which overlapped."""
    from labelwright.report.svg import text_width

    co = np.full((3, 3), 4)
    svg = plots.heatmaps(["a", "b", "c"], co, co - 1, n_items=10)
    root = ElementTree.fromstring(svg)
    titles = [(float(t.get("x")), t.text) for t in root.iter(f"{NS}text")
              if t.get("font-weight") == "bold"]
    first = [t for t in titles if t[1].startswith(("agreement", "with the same"))]
    second = [t for t in titles if t[1].startswith(("conflicts", "where the two"))]
    assert first and second
    assert min(x for x, _ in second) > max(x + text_width(s) for x, s in first)


def test_wide_characters_are_an_em_wide():
    """Han, kana, Hangul and full-width forms are drawn about an em wide, not 0.6 em."""
    from labelwright.report.svg import text_width

    assert text_width("退款", 10) == pytest.approx(20)
    assert text_width("ab", 10) == pytest.approx(12)
    assert text_width("买了iPhone", 10) == pytest.approx(2 * 10 + 6 * 6)
    assert text_width("ｽﾏﾎ", 10) == pytest.approx(18)  # half-width katakana: narrow
    assert text_width(["한국", "ＡＢ"], 10) == pytest.approx(40)  # Hangul, full-width Latin


#: an LF named in Chinese, no character of it narrower than an em
WIDE_NAME = "商品问题优惠活动现货分期保修"


def _left_ends(svg: str, name: str) -> list[float]:
    """Where each ``text-anchor="end"`` text of ``name`` starts, were it drawn an em per
    character (at its font size)."""
    root = ElementTree.fromstring(svg)
    ends = [float(t.get("x")) - len(name) * float(t.get("font-size", 11))
            for t in root.iter(f"{NS}text")
            if "".join(t.itertext()) == name and t.get("text-anchor") == "end"]
    assert ends, name
    return ends


def test_a_chinese_lf_name_fits_left_of_the_coverage_bars():
    """It was cut off at the chart's left edge: its width was taken as 0.6 em a character."""
    table = pd.DataFrame({"lf": [WIDE_NAME, "b"], "coverage": [0.5, 0.25]})
    assert min(_left_ends(plots.coverage(table), WIDE_NAME)) >= 0


def test_a_chinese_lf_name_fits_left_of_the_heatmaps():
    """The row names ran into the agreement heatmap's first column."""
    co = np.full((3, 3), 4)
    svg = plots.heatmaps([WIDE_NAME, "b", "c"], co, co - 1, n_items=10)
    assert min(_left_ends(svg, WIDE_NAME)) >= 0


def test_heatmap_hover_titles_name_long_lfs_whole():
    """The cells' titles cut LF names as the axis does (22 characters), so a pair of long
    names could not be told apart on hover."""
    names = ["usage_question_about_feature_in_settings", "symptom_on_billing_or_login_page"]
    co = np.array([[4, 4], [4, 4]])
    shapes = _titled(plots.heatmaps(names, co, co - 1, n_items=10))
    assert f"{names[0]} × {names[1]}: 75%" in shapes
