"""Class priors from the votes, for projects with no reviewed labels: estimate and warning."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import get_model
from labelwright.models.class_prior import (
    balance_agrees,
    identifying_lfs,
    imbalance_warning,
    vote_share,
    votes_prior,
)
from labelwright.models.duplicate_lfs import copy_of
from labelwright.models.one_sided import several_sided
from page_text import unisolated


def noisy_votes(n: int, m: int, prior: list[float], seed: int = 4) -> tuple[np.ndarray,
                                                                           np.ndarray]:
    """LFs that vote both classes, right 75% of the time (else a random label)."""
    rng = np.random.default_rng(seed)
    y = rng.choice(len(prior), n, p=prior)
    vote = np.where(rng.random((n, m)) < 0.75, y[:, None], rng.integers(0, len(prior), (n, m)))
    return np.where(rng.random((n, m)) < 0.6, vote, -1), y


def test_vote_share_splits_ties_and_skips_uncovered_items():
    L = np.array([[0, 0, -1], [0, 1, -1], [1, -1, -1], [-1, -1, -1]])
    # majority: class 0, a 0/1 tie (half each), class 1; the uncovered row counts nowhere;
    # one pseudo-item per class
    np.testing.assert_allclose(vote_share(L, 2), [(1.5 + 1) / 5, (1.5 + 1) / 5])
    share = vote_share(np.array([[0], [0], [0], [1]]), 2)
    np.testing.assert_allclose(share, [4 / 6, 2 / 6])
    np.testing.assert_allclose(votes_prior(np.array([[0], [0], [0], [1]]), 2),
                               np.sqrt(share) / np.sqrt(share).sum())


def test_on_imbalanced_data_the_votes_prior_beats_equal_classes():
    """With 90% of one class, the default model's equal classes invent a minority class."""
    L, y = noisy_votes(3000, 6, [0.9, 0.1])
    covered = (L >= 0).any(axis=1)
    # equal classes: the default without its EM-learned balance (these LFs vote both
    # classes, so learn_class_balance="auto" learns it; see test_dawid_skene)
    equal = get_model("default", 2, learn_class_balance=False).fit(L).predict(L)
    estimated = get_model("default", 2).fit(L, class_balance=votes_prior(L, 2)).predict(L)
    majority = get_model("majority", 2, tie_break="first").fit(L).predict(L)
    acc = {name: float((p[covered] == y[covered]).mean()) for name, p in
           (("equal", equal), ("votes", estimated), ("majority", majority))}
    assert acc["equal"] < acc["majority"] - 0.1  # the failure this prior is for
    assert acc["votes"] > acc["equal"] + 0.1


def test_the_warning_fires_only_on_imbalanced_votes_under_equal_classes():
    L, _ = noisy_votes(3000, 6, [0.9, 0.1])
    message = imbalance_warning(L, ("ham", "spam"), np.array([0.5, 0.5]))
    assert message is not None
    said = " ".join(message.split())
    assert "majority vote splits the covered items: ham 8" in said
    assert 'class_balance (the shares you know, or "votes"' in said
    assert imbalance_warning(L, ("ham", "spam"), np.array([0.8, 0.2])) is None
    balanced, _ = noisy_votes(3000, 6, [0.5, 0.5])
    assert imbalance_warning(balanced, ("ham", "spam"), np.array([0.5, 0.5])) is None


def test_a_pasted_lf_counts_once_in_the_warning_the_votes_balance_and_the_model():
    """One LF pasted 4 times: the model's balance from the votes counted the group once,
    while the run's equal-classes warning and ``class_balance = "votes"`` counted each
    copy, so the pasted LF won every item it shares with another and the three disagreed."""
    L = np.full((600, 3), -1)
    L[:500, 0] = 0  # keyword LFs, one label each: the balance is not learned by EM
    L[300:540, 1] = 1  # votes with LF 0 on 200 items: a tie, unless its copies count
    L[540:570, 2] = 2
    pasted = np.hstack([L] + [L[:, [1]]] * 4)
    assert copy_of(pasted).tolist() == [0, 1, 2, 1, 1, 1, 1]
    labels, equal = ("a", "b", "c"), np.full(3, 1 / 3)
    message = imbalance_warning(pasted, labels, equal)
    assert message is not None and message == imbalance_warning(L, labels, equal)
    np.testing.assert_allclose(votes_prior(pasted, 3), votes_prior(L, 3))
    model = get_model("default", 3).fit(pasted)
    assert model.balance_from_votes_ and not model.balance_learned_
    np.testing.assert_allclose(model.class_balance_, votes_prior(L, 3))
    # counted, a copy changes the majority vote (200 ties become LF 1's): one that votes
    # on one more item is no exact copy, and does
    near = L[:, [1]].copy()
    near[-1] = 1
    assert not np.allclose(votes_prior(np.hstack([L, near]), 3), votes_prior(L, 3), atol=0.01)


@pytest.mark.parametrize(("value", "message"), [
    ('"guess"', "class_balance 'guess'; valid: \"votes\""),
    ("[0.5, 0.5]", "must list one number per label (a, b, c)"),
    ("[0.5, 0.6, -0.1]", "must be positive shares summing to 1"),
    ('["a", 1, 1]', "must list one number per label"),
    # the table by label name
    ("{ a = 0.2, b = 0.3 }", "must give a share to every label; missing: c"),
    ("{ a = 0.2, b = 0.3, cc = 0.5 }",
     "'cc' is not a label; did you mean 'c'? valid labels: a, b, c"),
    ("{ a = 0.2, b = 0.3, c = 0.6 }", "must be positive shares summing to 1; got {'a': 0.2"),
    ("{ a = 0.5, b = 0.5, c = 0 }", "must be positive shares summing to 1"),
    # rounded shares, as a notebook writes them: the sum said, and the way out
    ("{ a = 0.3333, b = 0.3333, c = 0.3333 }",
     "got {'a': 0.3333, 'b': 0.3333, 'c': 0.3333}, which sum to 0.9999 (1 within 1e-06 is "
     "needed: rounded shares"),
    ('{ a = 0.5, b = 0.25, c = "x" }', "must list one number per label"),
])
def test_a_class_balance_in_the_config_is_checked(tmp_path, value, message):
    import re

    from labelwright.config import load_config
    from labelwright.errors import ConfigError

    (tmp_path / "labelwright.toml").write_text(
        f'[project]\nlabels = ["a", "b", "c"]\n[data]\npath = "x.csv"\n'
        f"[label_model]\nclass_balance = {value}\n")
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(tmp_path)


def test_a_run_uses_the_configured_class_balance_and_records_it(make_project):
    import json

    from labelwright.project import run_project

    root = make_project(model="dawid_skene")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('tie_break = "first"',
                                             'tie_break = "first"\nclass_balance = [0.7, 0.3]'))
    result = run_project(root, report=False)
    np.testing.assert_allclose(result.model.class_balance_, [0.7, 0.3])
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["label_model"]["class_balance_setting"] == [0.7, 0.3]
    assert manifest["label_model"]["class_balance"] == [0.7, 0.3]
    toml.write_text(toml.read_text().replace("class_balance = [0.7, 0.3]",
                                             'class_balance = "votes"'))
    result = run_project(root, report=False)
    votes = result.applied.matrix.votes
    np.testing.assert_allclose(result.model.class_balance_, votes_prior(votes, 2))


def test_the_warning_leaves_out_labels_no_lf_votes_for_and_review_advice_after_reviews():
    L, _ = noisy_votes(3000, 6, [0.9, 0.1])  # votes for classes 0 and 1 only
    message = imbalance_warning(L, ("ham", "spam", "other"), np.full(3, 1 / 3), reviewed=30)
    assert message is not None and "(other: no LF votes for it)" in " ".join(message.split())
    assert "other 0%" not in message and "review a random sample" not in message
    # the voted labels are balanced: no warning, however the unvoted one would read (0%)
    assert imbalance_warning(np.array([[0], [1], [0], [1]]), ("a", "b", "c"),
                             np.full(3, 1 / 3)) is None


def test_majority_vote_gets_no_imbalance_warning(make_project):
    from labelwright.project import run_project

    rows = [{"id": f"t{i}", "text": "refund please" if i % 10 else "app crashes",
             "plan": "pro", "gold": ""} for i in range(60)]
    root = make_project(rows=rows, model="majority")
    assert not [w for w in run_project(root, report=False).warnings if "equal classes" in w]
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('name = "majority"', 'name = "dawid_skene"'))
    assert [w for w in run_project(root, report=False).warnings if "equal classes" in w]


def test_the_run_its_report_and_runs_diff_print_the_same_class_balance(make_project, cli):
    """run printed a share of 0.0885002 as 8.9%; the manifest kept it rounded to 0.0885,
    which the report and runs diff rounded again, to 8.8%."""
    from labelwright.runs.store import list_runs

    root = make_project(model="dawid_skene")
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace(
        'tie_break = "first"', 'tie_break = "first"\nclass_balance = [0.0885002, 0.9114998]'))
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    shown = "billing 8.9%, technical 91.1%"
    assert f"class balance {shown}" in out
    first, second = list_runs(root / "runs")
    page = unisolated((root / "runs" / second / "report.html").read_text(encoding="utf-8"))
    assert (f"<dd>{shown} (as [label_model] class_balance sets it: given, not estimated)</dd>"
            in page)
    code, out = cli("runs", "diff", first, second, "-p", str(root))
    assert code == 0, out
    assert f"class balance: billing 50.0%, technical 50.0% -> {shown}" in out


def test_the_warning_at_many_labels_is_short_lines():
    """With 16 labels the shares and the advice were one line of 700 characters."""
    rng = np.random.default_rng(0)
    labels = tuple(f"intent_{k:02d}_name" for k in range(16))
    share = np.r_[0.4, np.full(15, 0.6 / 15)]
    L = rng.choice(16, size=(4000, 1), p=share)
    message = imbalance_warning(L, labels, np.full(16, 1 / 16))
    assert message is not None
    lines = message.split("\n")
    assert len(lines) > 3 and max(map(len, lines)) <= 88
    said = " ".join(message.split())
    for label in labels:
        assert f"{label} " in said
    assert said.endswith("Shares from the votes follow the LFs' coverage, not only the classes")


def test_no_advice_to_review_a_sample_when_every_item_has_gold(make_project):
    """Every item with a gold label in the dataset: no random sample can be drawn (gold is
    held out of it), yet the warning advised reviewing one."""
    from labelwright.project import run_project

    rows = [{"id": f"t{i}", "text": "refund please" if i % 10 else "app crashes", "plan": "pro",
             "gold": "billing" if i % 10 else "technical"} for i in range(60)]
    root = make_project(rows=rows, model="dawid_skene")
    said = [" ".join(w.split()) for w in run_project(root, report=False).warnings
            if "equal classes" in w]
    assert len(said) == 1
    assert "review a random sample" not in said[0]
    assert "import >= 20 gold labels as reviews (`labelwright review import`" in said[0]
    assert "no random sample can be drawn" in said[0]
    rows[0]["gold"] = ""  # one item without gold: a sample can be drawn from it
    root = make_project(rows=rows, model="dawid_skene", extra="random_sample = 10\n")
    said = [" ".join(w.split()) for w in run_project(root, report=False).warnings
            if "equal classes" in w]
    assert len(said) == 1 and "or review a random sample (>= 20 reviewed labels" in said[0]
    # [triage] random_sample = 0 (the default) draws no sample: the advice pointed to one
    # that was not there; it now says to set one first
    root = make_project(rows=rows, model="dawid_skene", extra="random_sample = 0\n")
    said = [" ".join(w.split()) for w in run_project(root, report=False).warnings
            if "equal classes" in w]
    assert len(said) == 1 and "or review a random sample" not in said[0]
    assert ("or set [triage] random_sample = N (e.g. 100) in labelwright.toml, run again and "
            "review that random sample (>= 20 reviewed labels set the balance)") in said[0]


def test_a_class_balance_by_label_name_is_read_in_the_labels_order(tmp_path):
    """{ psy = 0.3, ... } was refused: "must list one number per label"."""
    from labelwright.config import load_config

    (tmp_path / "labelwright.toml").write_text(
        '[project]\nlabels = ["a", "b", "c"]\n[data]\npath = "x.csv"\n'
        "[label_model]\nclass_balance = { c = 0.5, a = 0.2, b = 0.3 }\n")
    assert load_config(tmp_path).label_model.class_balance == (0.2, 0.3, 0.5)


def test_a_run_records_a_class_balance_table_as_the_list(make_project):
    import json

    from labelwright.project import run_project

    root = make_project(model="dawid_skene")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace(
        'tie_break = "first"', 'tie_break = "first"\nclass_balance = { technical = 0.3, '
        'billing = 0.7 }'))
    result = run_project(root, report=False)
    np.testing.assert_allclose(result.model.class_balance_, [0.7, 0.3])
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["label_model"]["class_balance_setting"] == [0.7, 0.3]


def test_balance_agrees_compares_the_largest_classes():
    # LF 0 and 1 vote several classes, mostly class 2; LF 2 votes class 0 only
    L = np.array([[2, 2, 0], [2, 1, 0], [0, 2, 0], [2, -1, 0], [1, 2, -1]])
    lfs = several_sided(L)
    np.testing.assert_array_equal(lfs, [0, 1])
    assert identifying_lfs(L) is None  # two are too few
    votes = np.stack([(L == c).sum(axis=0) for c in range(3)], axis=1)  # (LF, class)
    assert balance_agrees(votes, lfs, np.array([0.2, 0.2, 0.6]))
    # the one-sided LF's many class-0 votes do not count
    assert not balance_agrees(votes, lfs, np.array([0.6, 0.2, 0.2]))
    three = np.column_stack([L, L[:, 0]])
    np.testing.assert_array_equal(identifying_lfs(three), [0, 1, 3])
    # ... but LF 3 is LF 0's exact copy: as the fit counts a group of copies once, so here
    assert identifying_lfs(three, copy_of(three)) is None
    other = np.column_stack([L, [1, 2, 2, -1, 1]])  # a third LF of its own
    np.testing.assert_array_equal(identifying_lfs(other, copy_of(other)), [0, 1, 3])
