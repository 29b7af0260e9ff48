"""`train` prints every label's F1, the end model's beside the label model's (the weakest
and rarest lines name a few labels, and a label the LFs seldom cover may be neither), and
the labels it gave the items the run left without one."""

from __future__ import annotations

import pandas as pd

from labelwright.cli.train import PER_LABEL_SHOWN, fills_line, per_label_line


def _scores(f1s, support):
    labels = ["Psy", "Katy Perry", "Shakira – Waka Waka"][:len(f1s)]
    return pd.DataFrame({"label": labels, "support": support, "f1": f1s})


def test_every_label_in_the_runs_order_end_model_then_label_model():
    per_label = {"end_model": _scores([0.49, 0.53, float("nan")], [104, 84, 0]),
                 "label_model": _scores([0.37, 0.44, float("nan")], [104, 84, 0])}
    assert per_label_line(per_label) == (
        "  F1 per label (end model / label model; held-out gold items): Psy 0.49 / 0.37 "
        "(104), Katy Perry 0.53 / 0.44 (84), Shakira – Waka Waka — / — (0)")


def test_nothing_without_both_tables_or_with_many_labels():
    assert per_label_line({}) is None
    assert per_label_line({"end_model": _scores([0.5], [3])}) is None
    many = pd.DataFrame({"label": [f"l{k}" for k in range(PER_LABEL_SHOWN + 1)],
                         "support": 1, "f1": 0.5})
    assert per_label_line({"end_model": many, "label_model": many}) is None


def test_the_fills_by_label_every_label_said(tmp_path):
    path = tmp_path / "end_model_labels.parquet"
    pd.DataFrame({"label": ["Psy", "Psy", "LMFAO", "Psy", None],
                  "label_source": ["end_model", "end_model", "end_model", "model",
                                   "none"]}).to_parquet(path)
    assert fills_line(path, ["Psy", "Katy Perry", "LMFAO"]) == (
        "  the end model's labels of them (label_source end_model): Psy 2, Katy Perry 0, "
        "LMFAO 1")
    pd.DataFrame({"label": ["Psy"], "label_source": ["model"]}).to_parquet(path)
    assert fills_line(path, ["Psy"]) is None
