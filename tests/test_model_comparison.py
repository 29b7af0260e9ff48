"""``labelwright analyze --model``: label models side by side on a project's held-out gold,
fit as a run fits its own."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright.matrix import LabelMatrix
from labelwright.models.configured import fit_label_model
from labelwright.project import apply_project, load_project, project_reviews, run_project
from labelwright.project.model_comparison import check_model_names, compare_label_models
from model_modules import MODEL_MODULE, forget_registered


def test_each_model_scores_as_a_run_with_it_would(make_project):
    """A user comparing models had to rewrite [label_model] name in a loop and run each."""
    root = make_project(model="dawid_skene")
    loaded = load_project(root)
    dataset, applied = apply_project(loaded)
    frame = compare_label_models(loaded.config, dataset, applied.matrix.votes,
                                 project_reviews(loaded.config, dataset),
                                 ["dawid_skene", "snorkel"])
    assert frame["model"].tolist() == ["dawid_skene", "snorkel", "majority"]
    run = run_project(root, report=False)
    own = frame.set_index("model").loc["dawid_skene"]
    assert own["accuracy"] == pytest.approx(run.evaluation["label_model"]["accuracy"])
    assert own["covered_accuracy"] == pytest.approx(
        run.evaluation["label_model"]["covered_accuracy"])
    majority = frame.set_index("model").loc["majority"]
    assert majority["accuracy"] == pytest.approx(run.evaluation["majority_vote"]["accuracy"])
    assert (frame["gold_items"] == run.evaluation["n_gold"]).all()
    assert (frame["labelled"] == int((applied.matrix.votes >= 0).any(axis=1).sum())).all()


def test_the_label_matrix_is_taken_as_its_votes(make_project):
    """compare_label_models and fit_label_model take applied.matrix as a model's fit does."""
    loaded = load_project(make_project(model="dawid_skene"))
    dataset, applied = apply_project(loaded)
    reviewed = project_reviews(loaded.config, dataset)
    on_matrix, on_votes = (compare_label_models(loaded.config, dataset, votes, reviewed,
                                                ["dawid_skene"]).drop(columns="fit_seconds")
                           for votes in (applied.matrix, applied.matrix.votes))
    pd.testing.assert_frame_equal(on_matrix, on_votes)
    fitted = fit_label_model(loaded.config, applied.matrix)
    assert (fitted.predict_proba(applied.matrix)
            == fit_label_model(loaded.config, applied.matrix.votes).predict_proba(
                applied.matrix.votes)).all()


def test_no_reviews_is_none_and_a_project_for_its_config_says_so(make_project):
    """A notebook without reviews passed None and got "AttributeError: 'NoneType' object
    has no attribute 'n_gold'"; a project with no ledger is the same table as None."""
    loaded = load_project(make_project(model="dawid_skene"))
    dataset, applied = apply_project(loaded)
    reviewed = project_reviews(loaded.config, dataset)
    assert reviewed.n_gold == 0
    without, with_ledger = (compare_label_models(loaded.config, dataset, applied.matrix, r,
                                                 ["dawid_skene"]).drop(columns="fit_seconds")
                            for r in (None, reviewed))
    pd.testing.assert_frame_equal(without, with_ledger)
    with pytest.raises(TypeError, match=r"config must be a ProjectConfig, got Project: pass "
                                        r"project.config"):
        compare_label_models(loaded, dataset, applied.matrix, None, ["dawid_skene"])


def test_the_cli_prints_the_table_and_refuses_an_unknown_model(make_project, cli):
    root = make_project()
    code, out = cli("analyze", "--model", "dawid_skene", "-p", str(root))
    assert code == 0, out
    assert "Label models on 5 held-out gold items" in out
    assert "dawid_skene" in out and "majority (the config's)" in out
    code, out = cli("analyze", "--model", "dawid_skeen", "-p", str(root))
    assert code == 2
    assert "unknown label model 'dawid_skeen'; did you mean 'dawid_skene'? available:" in out
    assert not (root / "runs").exists() or not list((root / "runs").glob("2*"))
    with pytest.raises(ValueError, match="available: "):
        check_model_names(["nope"])
    assert check_model_names(["snorkel", "majority", "snorkel"]) == ["snorkel", "majority"]


def test_macro_f1_beside_accuracy_and_the_weakest_labels_named(make_project, cli):
    """auto chooses by macro-F1, but run and analyze --model said accuracy only: with rare
    labels a model can be accurate and miss them all. Both show macro-F1, and with more
    than 2 labels name the weakest labels with their gold items."""
    from sklearn.metrics import f1_score

    from ticket_data import TICKET_LFS

    labels = ("billing", "technical", "account")
    root = make_project(labels=labels, lfs={"tickets": TICKET_LFS})
    run = run_project(root, report=False)
    scores = run.evaluation["label_model"]
    frame = run.labels.set_index("id")
    data = pd.read_csv(root / "data" / "items.csv", dtype=str).set_index("id")
    gold = data["gold"].dropna()
    given = frame.loc[gold.index, "model_label"].fillna("")
    present = sorted(set(gold) | set(given) - {""})
    assert scores["macro_f1"] == pytest.approx(
        f1_score(gold, given, labels=present, average="macro"))
    assert scores["support_by_label"] == [int((gold == name).sum()) for name in labels]
    from labelwright.project.label_f1 import weakest_labels

    line = weakest_labels(scores, labels)
    assert line is not None and line.startswith("weakest labels: ")
    assert weakest_labels(scores, labels[:2]) is None  # 2 labels: the macro-F1 says it
    code, out = cli("run", "--project", str(root), "--no-report")
    assert code == 0, out
    assert "macro-F1" in out and f"{scores['macro_f1']:.3f}" in out
    assert f"label model's {line}" in " ".join(out.split())
    code, out = cli("analyze", "--model", "dawid_skene", "-p", str(root))
    assert code == 0, out
    assert "macro-F1" in out and "dawid_skene: weakest labels: " in " ".join(out.split())


def test_votes_of_more_labels_than_the_configs_are_refused(make_project):
    """A LabelMatrix of 3 labels was fit as 2 labels' without a word (its votes only said
    0 and 1): each model's own fit checks a matrix's labels, these two read its votes."""
    loaded = load_project(make_project())
    dataset, applied = apply_project(loaded)
    assert len(loaded.config.labels) == 2
    three = LabelMatrix(applied.matrix.votes, applied.matrix.lf_names, applied.matrix.item_ids,
                        (*loaded.config.labels, "other"))
    reviewed = project_reviews(loaded.config, dataset)
    votes = applied.matrix.votes.copy()
    votes[0, 0] = 2
    for given, says in ((three, "the label matrix has 3 labels"),
                        (votes, "value 2 at row 0, column 0 is out of range")):
        with pytest.raises(ValueError, match=says):
            fit_label_model(loaded.config, given)
        with pytest.raises(ValueError, match=says):
            compare_label_models(loaded.config, dataset, given, reviewed, ["majority"])


FRAUD_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def charged_thanks(item):
    return "fraud" if "thanks" in item.text.lower() else ABSTAIN
'''


def test_a_label_without_gold_is_said_unmeasured(make_project, cli):
    """The weakest labels were ranked among the labels with gold alone: a rare label
    nobody reviewed (here `fraud`, given to one item, no gold item of it) was left out of
    analyze --model's line with no word, as if it had scored well."""
    from ticket_data import TICKET_LFS

    labels = ("billing", "technical", "fraud")
    root = make_project(labels=labels, lfs={"tickets": TICKET_LFS, "fraud": FRAUD_LF})
    loaded = load_project(root)
    dataset, applied = apply_project(loaded)
    frame = compare_label_models(loaded.config, dataset, applied.matrix.votes,
                                 project_reviews(loaded.config, dataset), ["dawid_skene"])
    majority = frame.set_index("model").loc["majority", "weakest"]
    assert majority.startswith("weakest labels: "), majority
    assert majority.endswith("; no gold: fraud (1 given)"), majority
    assert "fraud F1" not in majority
    code, out = cli("analyze", "--model", "dawid_skene", "-p", str(root))
    assert code == 0, out
    assert "no gold: fraud (" in " ".join(out.split()), out


def test_the_cli_compares_a_models_class_and_settings_as_bench_takes_them(make_project, cli):
    """analyze --model my_models:AgreeVote was refused as an unknown model, even when the
    config named it (the names were checked before the project's module was imported), and
    the config's own model of a module was left out of the table."""
    module = "lw_comparison_models"
    root = make_project(model=f"{module}:AccuracyVote")
    (root / f"{module}.py").write_text(MODEL_MODULE.format(name=f"{module}_vote"),
                                       encoding="utf-8")
    try:
        code, out = cli("analyze", "--model", "dawid_skene(prior_strength=5)",
                        "-p", str(root))
        assert code == 0, out
        table = out[out.index("Label models on"):]
        assert f"{module}:AccuracyVote (the config's)" in table
        assert "dawid_skene(prior_strength=5)" in table and "majority" in table
        code, out = cli("analyze", "--model", f"{module}:AccuracyVote", "-p", str(root))
        assert code == 0, out
        assert out.count(f"{module}:AccuracyVote") >= 1 and "unknown label model" not in out
        code, out = cli("analyze", "--model", "dawid_skene(prior_strenght=5)", "-p", str(root))
        assert code == 2 and "prior_strength" in out, out
    finally:
        forget_registered(module)


def test_each_em_line_of_a_comparison_names_the_model_and_the_fit(make_project, caplog):
    """Comparing auto with a dawid_skene cut short logged "the label model (dawid_skene)
    stopped EM at max_iter" twice, the same words for two fits: each now names its row of
    the comparison, and auto's its refit of the model it chose."""
    import logging

    root = make_project(model="dawid_skene")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'name = "dawid_skene"', 'name = "dawid_skene"\nmax_iter = 1'), encoding="utf-8")
    loaded = load_project(root)
    dataset, applied = apply_project(loaded)
    with caplog.at_level(logging.WARNING, logger="labelwright.models"):
        compare_label_models(loaded.config, dataset, applied.matrix, None,
                             ["auto(max_iter=1)"])
    said = [r.getMessage() for r in caplog.records if "stopped EM at max_iter" in r.getMessage()]
    assert len(said) == 2, said
    auto, own = said
    assert auto.startswith("label model comparison, model 'auto(max_iter=1)'; auto's "
                           "dawid_skene, fit on all items: the label model (dawid_skene) "
                           "stopped EM"), auto
    assert own.startswith("label model comparison, model 'dawid_skene': the label model "
                          "(dawid_skene) stopped EM")
