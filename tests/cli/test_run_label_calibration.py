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


_LOW, _HIGH = wilson_interval(40, 40)
#: what ``run`` (and ``runs show``) says of technical items with two votes for it and one
#: for billing, all right by their gold
UNDERCONFIDENT_TECHNICAL = (
    f"calibration on held-out gold: technical under-confident, 66.7% confident, 100.0% "
    f"right (95% interval {100 * _LOW:.1f}%–{100 * _HIGH:.1f}%; 40 items): right more often "
    "than its confidence says; 40 items labeled technical in review for low confidence, 40 "
    "of its 40 gold items sent there are right")


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
    assert UNDERCONFIDENT_TECHNICAL in " ".join(err.split())
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


def test_runs_show_says_the_calibration_per_label_run_said(make_project, monkeypatch, capsys):
    """``runs show`` said the calibration per vote pattern the manifest holds, but not the
    per-label lines ``run`` printed: it reads them from the run's labels.parquet. A run
    without held-out gold, or whose labels file is gone, is shown without them."""
    root = make_project(rows=_rows("crash error on my invoice"), lfs={"tickets": LFS})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    assert UNDERCONFIDENT_TECHNICAL in " ".join(err.split())
    run_id = json.loads(out)["run_id"]
    code, shown, err = run_cli(monkeypatch, capsys, "runs", "show", run_id, "-p", str(root))
    assert code == 0, err
    shown = " ".join(shown.split())
    assert UNDERCONFIDENT_TECHNICAL in shown
    assert "calibration on held-out gold: billing" not in shown
    # an older run: its labels file without the label model's own columns (model_label,
    # model_confidence), read as such a run's report reads it
    import pandas as pd

    labels = root / "runs" / run_id / "labels.parquet"
    frame = pd.read_parquet(labels)
    manifest_path = root / "runs" / run_id / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    labels.unlink()
    code, shown, err = run_cli(monkeypatch, capsys, "runs", "show", run_id, "-p", str(root))
    assert code == 0, err
    assert "calibration on held-out gold: technical" not in shown
    assert "labels.parquet: missing" in " ".join(err.split())
    frame.drop(columns=["model_label", "model_confidence"]).to_parquet(labels, index=False)
    from labelwright.file_hashes import file_sha256

    manifest["outputs"]["labels.parquet"] = file_sha256(labels)
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    code, shown, err = run_cli(monkeypatch, capsys, "runs", "show", run_id, "-p", str(root))
    assert code == 0, err
    assert "calibration on held-out gold: technical under-confident" in " ".join(shown.split())


def test_runs_show_of_a_run_without_gold_says_no_calibration(make_project, monkeypatch,
                                                             capsys):
    root = make_project(rows=_rows("crash error on my invoice"), lfs={"tickets": LFS},
                        gold=None)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    code, shown, err = run_cli(monkeypatch, capsys, "runs", "show", "-p", str(root))
    assert code == 0, err
    assert "calibration on held-out gold" not in shown + err
