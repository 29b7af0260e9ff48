"""``explain`` on a label that is not the most probable class, a label no LF voted for,
and the label ``labelwright train`` gave the item."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.explain.label import label_notes


def test_a_label_off_the_top_says_what_chose_it():
    """An auditor read 'fraud 0.287 ... other 0.447' and 'Final label: fraud' with no word
    on why."""
    probs = {"fraud": 0.287, "other": 0.447, "card": 0.266}
    (note,) = label_notes("fraud", "model", probs, ["fraud", None],
                          {"labels_from": "model", "decision_weights": [1.0, 1.0, 1.0]})
    assert note.startswith("the label is not the most probable class (other 0.447, fraud "
                           "0.287): auto's labels are its chosen model's own, while the "
                           "probabilities shown are calibrated")
    (weighed,) = label_notes("fraud", "model", probs, ["fraud"],
                             {"labels_from": "calibrated", "decision_weights": [2.0, 1.0, 1.0]})
    assert "per-class decision weights tuned on the reviewed labels (2, 1, 1)" in weighed
    # the most probable label, a reviewed label: nothing to say (a tie: see below)
    assert label_notes("other", "model", probs, ["other"], {}) == []
    assert label_notes("fraud", "review", probs, [None], {}) == []


def test_a_tie_says_which_labels_tied_and_the_tie_break():
    """Three 1-1-1 votes: 'psy 0.333, katyperry 0.333, lmfao 0.333' and 'Final label:
    lmfao', with no word that tie_break = "random" chose among three."""
    third = 1 / 3
    probs = {"psy": third, "katyperry": third, "lmfao": third, "eminem": 0.0}
    votes = ["psy", "katyperry", "lmfao"]
    (note,) = label_notes("lmfao", "model", probs, votes, {"tie_break": "random"})
    assert note == ("a tie: psy, katyperry and lmfao are equally probable (0.333 each); the "
                    "label model's tie-break ([label_model] tie_break = 'random') picks one of "
                    "them by a hash of the item's id (the same pick on every run), so the "
                    "label is lmfao")
    # tie_break = "abstain": no label, on an item with votes
    (none,) = label_notes(None, "none", probs, votes, {"tie_break": "abstain"})
    assert none.startswith("a tie: psy, katyperry and lmfao") and "gives none of them, so " \
        "the item has no label" in none
    two = label_notes("fraud", "model", {"fraud": 0.5, "other": 0.5 - 1e-7}, ["fraud", "other"],
                      {"tie_break": "first"})
    assert two == ["a tie: fraud and other are equally probable (0.500 each); the label "
                   "model's tie-break ([label_model] tie_break = 'first') takes the first of "
                   "them in [project] labels order, so the label is fraud"]
    # no tie as predict sees one, or labels not decided on these probabilities: no word
    assert label_notes("fraud", "model", {"fraud": 0.5, "other": 0.49}, ["fraud"], {}) == []
    calibrated = {"labels_from": "model", "calibration": {"method": "class_bias"}}
    assert not [n for n in label_notes("lmfao", "model", probs, votes, calibrated)
                if n.startswith("a tie")]
    assert label_notes("psy", "review", probs, votes, {"tie_break": "random"}) == []
    assert label_notes(None, "none", probs, [None, None], {"tie_break": "random"}) == []


def test_explain_says_a_tie_chose_the_label(make_project, cli):
    rows = [{"id": "x1", "text": "alpha beta gamma", "gold": ""},
            {"id": "x2", "text": "alpha", "gold": ""}, {"id": "x3", "text": "beta", "gold": ""}]
    lfs = {"three": """
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_a(item):
    return "a" if "alpha" in item.text else ABSTAIN


@labeling_function()
def says_b(item):
    return "b" if "beta" in item.text else ABSTAIN


@labeling_function()
def says_c(item):
    return "c" if "gamma" in item.text else ABSTAIN
"""}
    root = make_project(labels=("a", "b", "c"), rows=rows, lfs=lfs, gold=None)
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('tie_break = "first"', 'tie_break = "random"'))
    run = run_project(root, report=False)
    label = run.labels.set_index("id").loc["x1", "label"]
    code, out = cli("explain", "x1", "-p", str(root))
    assert code == 0, out
    said = " ".join(out.split())
    assert ("note: a tie: a, b and c are equally probable (0.333 each); the label model's "
            "tie-break ([label_model] tie_break = 'random') picks one of them by a hash of "
            f"the item's id (the same pick on every run), so the label is {label}") in said, said
    code, out = cli("explain", "x2", "-p", str(root))
    assert code == 0 and "a tie" not in out


def test_a_label_no_lf_voted_for_is_named():
    """17 items voted loan and fees got the label other at 0.98 and were all wrong; nothing
    said no rule named it."""
    probs = {"loan": 0.012, "fees": 0.006, "other": 0.982}
    (note,) = label_notes("other", "model", probs, ["loan", None, "fees"], {})
    assert note.startswith("no LF voted for other (the votes: fees, loan): the label model "
                           "reads this combination of votes as most likely on an item labeled "
                           "other, from")
    # the label is named after "labeled", never after an article: "a other", "a uncovered"
    for label in ("other", "uncovered", "billing"):
        (said,) = label_notes(label, "model", {"a": 0.1, label: 0.9}, ["a"], {})
        assert f"an item labeled {label}," in said and f" a {label} " not in said
    assert label_notes(None, "none", {}, [None, None], {}) == []  # uncovered: no label


def test_explain_shows_the_end_models_label(make_project, cli):
    """After `labelwright train`, explain said 'Final label: (no label)' for an item the
    end model had labelled, and showed nothing of the end model."""
    root = make_project(gold=None)  # train holds gold items out: here it trains on all
    run = run_project(root, report=False)
    code, out = cli("explain", "t5", "-p", str(root))
    assert code == 0 and "End model" not in out  # no train yet
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    import pandas as pd

    trained = pd.read_parquet(run.run_dir / "end_model_labels.parquet").set_index("id")
    code, out = cli("explain", "t5", "-p", str(root))
    assert code == 0, out
    row = trained.loc["t5"]
    own = row["end_model_label"]
    assert f"End model (labelwright train on this run): its label {own}" in out
    assert f"end_model_labels.parquet has {row['label']}" in out
    assert row["label_source"] in ("end_model", "none")  # no LF voted on t5
    code, out = cli("explain", "t1", "-p", str(root))
    assert "has billing (the run's label, trained on)" in out


def test_an_older_trains_labels_give_the_end_models_label_marked_derived(make_project, cli):
    """An older `train` wrote no end_model_label column (its prob_ columns held the end
    model's probabilities on every row): explain said "its label (none)"."""
    import pandas as pd

    from labelwright.runs.explain.label import end_model_label

    root = make_project(gold=None)
    run = run_project(root, report=False)
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    path = run.run_dir / "end_model_labels.parquet"
    frame = pd.read_parquet(path).drop(columns=["end_model_label", "end_model_confidence"])
    frame["prob_billing"], frame["prob_technical"] = 0.3, 0.7  # the end model's, as then
    frame.to_parquet(path, index=False)
    row = end_model_label(run.run_dir, "t1")
    assert (row["own_label"], row["own_confidence"], row["derived"]) == ("technical", 0.7, True)
    code, out = cli("explain", "t1", "-p", str(root))
    assert code == 0, out
    assert ("End model (labelwright train on this run): its label not recorded (an older "
            "`labelwright train` wrote no end_model_label); its probabilities give technical, "
            "confidence 0.70 (derived from the file's prob_ columns") in out
    assert "its label (none)" not in out
