"""``run`` says which labels are off their confidence on held-out gold, as the report's
calibration per label flags them: a label right on 92.3% of its gold items at a mean
confidence of 71.4% sent 63 right items to review, and only the HTML report said so."""

from __future__ import annotations

import json

from cli_streams import run_cli
from labelwright.review.stats.agreement import wilson_interval

#: one LF for billing, two for technical; "crash" items also say "invoice"
LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def invoice(item):
    return "billing" if "invoice" in item.text else ABSTAIN


@labeling_function()
def crash(item):
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def error(item):
    return "technical" if "error" in item.text else ABSTAIN
'''


def _rows(technical_text: str) -> list[dict[str, str]]:
    """40 billing items (one vote, right) and 40 technical ones with ``technical_text``,
    all right by their gold."""
    return ([{"id": f"b{i}", "text": "my invoice is wrong", "gold": "billing"}
             for i in range(40)]
            + [{"id": f"t{i}", "text": technical_text, "gold": "technical"} for i in range(40)])


def test_an_underconfident_label_is_said_and_in_the_json(make_project, monkeypatch, capsys):
    """Technical items have two votes for it and one for billing: majority vote gives them
    2/3, yet all 40 are right (the interval 91.2%-100% lies wholly above 66.7%), and the
    0.7 threshold sends every one to review."""
    root = make_project(rows=_rows("crash error on my invoice"), lfs={"tickets": LFS})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    low, high = wilson_interval(40, 40)
    assert (f"calibration on held-out gold: technical under-confident, 66.7% confident, "
            f"100.0% right (95% interval {100 * low:.1f}%–{100 * high:.1f}%; 40 items): "
            "right more often than its confidence says; 40 items labeled technical in "
            "review for low confidence, 40 of its 40 gold items sent there are right") \
        in " ".join(err.split())
    assert "calibration on held-out gold: billing" not in err
    (flag,) = json.loads(out)["miscalibrated_labels"]
    assert flag["label"] == "technical" and flag["direction"] == "under"
    assert flag["items"] == 40 and flag["accuracy"] == 1.0
    assert abs(flag["confidence"] - 2 / 3) < 1e-9
    assert flag["interval"] == [low, high]
    assert (flag["low_confidence"], flag["gold_low_confidence"],
            flag["gold_low_confidence_right"]) == (40, 40, 40)


def test_a_calibrated_run_says_none(make_project, monkeypatch, capsys):
    """Technical items with two agreeing votes: confidence 1, all right; nothing flagged."""
    root = make_project(rows=_rows("crash error"), lfs={"tickets": LFS})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    assert "calibration on held-out gold:" not in err
    assert json.loads(out)["miscalibrated_labels"] == []


def test_no_field_without_gold(make_project, monkeypatch, capsys):
    root = make_project(rows=_rows("crash error on my invoice"), lfs={"tickets": LFS},
                        gold=None)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    assert json.loads(out)["miscalibrated_labels"] is None
    assert "calibration on held-out gold:" not in err
