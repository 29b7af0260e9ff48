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


def test_the_fills_by_label_every_label_said():
    assert fills_line({"Psy": 2, "LMFAO": 1}, ["Psy", "Katy Perry", "LMFAO"]) == (
        "  the end model's labels of them (label_source end_model): Psy 2, Katy Perry 0, "
        "LMFAO 1")
    assert fills_line({}, ["Psy"]) is None


def test_train_counts_its_fills_without_reading_its_labels_back(tmp_path, monkeypatch):
    """train's fills line read end_model_labels.parquet again, just written, though
    train_run had every label in hand; the counts are those of the file all the same."""
    from typer.testing import CliRunner

    import labelwright.cli.train as cli_train
    from labelwright.cli.app import app
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    with open(tmp_path / "p" / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        # no LF votes on these, but their words are in texts the LFs labeled
        handle.write('u1,"the handle of the charger",yes,\nu2,"bought for my dad",yes,\n')
    run = run_project(tmp_path / "p", report=False)
    result = train_run(tmp_path / "p")
    written = pd.read_parquet(result.labels_path)
    filled = written.loc[written["label_source"] == "end_model", "label"].value_counts()
    assert result.fills == {str(k): int(v) for k, v in filled.items()} and result.fills
    read: list[str] = []
    original = pd.read_parquet

    def recorded(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(pd, "read_parquet", recorded)
    assert cli_train.fills_line(result.fills, result.labels)
    out = CliRunner().invoke(app, ["train", "--project", str(tmp_path / "p")])
    assert out.exit_code == 0, out.output
    assert not [path for path in read if path.endswith("end_model_labels.parquet")
                and run.run_id in path]
    # the line the command printed counts the labels of the file it wrote
    again = original(result.labels_path)
    counts = again.loc[again["label_source"] == "end_model", "label"].value_counts()
    line = fills_line({str(k): int(v) for k, v in counts.items()}, result.labels)
    assert line and line in out.stdout.splitlines(), out.stdout
