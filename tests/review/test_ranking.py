"""Review ranking: signals, default and learned weights, top signals."""

from __future__ import annotations

import numpy as np
import pytest

import labelwright.review.ranking.rank as ranking
from labelwright.end_model.out_of_fold import text_folds
from labelwright.errors import ConfigError
from labelwright.review.ranking.rank import (
    CV_TIE,
    DEFAULT_WEIGHTS,
    MIN_REVIEWED,
    WEIGHTS_SURE,
    RankResult,
    cleanlab_issues,
    cleanlab_signal,
    default_weights,
    rank_queue,
    uncertainty_signals,
    vote_signals,
)


def toy(n: int = 120, seed: int = 0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    words = np.array(["refund", "broken", "late"]), np.array(["great", "love", "fast"])
    texts = [" ".join(rng.choice(words[c], 3)) + f" item{i}" for i, c in enumerate(y)]
    votes = np.where(rng.random((n, 3)) < 0.85, y[:, None], 1 - y[:, None])
    probs = np.column_stack([1 - 0.9 * y, 0.1 + 0.8 * y]).astype(float)
    flipped = rng.choice(n, n // 10, replace=False)  # label model wrong on these
    probs[flipped] = probs[flipped][:, ::-1]
    return y, texts, votes, probs, flipped


def test_uncertainty_and_vote_signals():
    s = uncertainty_signals(np.array([[1.0, 0.0], [0.5, 0.5]]))
    assert s["uncertainty"].tolist() == [0.0, 1.0]
    assert s["small_margin"].tolist() == [0.0, 1.0]
    assert s["entropy"] == pytest.approx([0.0, 1.0])
    v = vote_signals(np.array([[-1, -1, -1], [0, 0, 1], [1, -1, 1]]), 2)
    assert v["no_vote"].tolist() == [1.0, 0.0, 0.0]
    assert v["conflict"] == pytest.approx([0.0, 1 / 3, 0.0])


def test_end_model_disagreement_finds_flipped_labels():
    y, texts, votes, probs, flipped = toy()
    result = rank_queue(probs, votes, texts, seed=0, cleanlab=False)
    assert result.weights_source == "default" and "cleanlab" not in result.signals
    # without the cleanlab signal its weight goes to the end model's disagreement
    assert "cleanlab" not in result.weights
    assert result.weights["end_model_disagrees"] == pytest.approx(
        DEFAULT_WEIGHTS["end_model_disagrees"] + DEFAULT_WEIGHTS["cleanlab"])
    assert sum(result.weights.values()) == pytest.approx(1.0)
    top = set(result.order()[: len(flipped)].tolist())
    assert len(top & set(flipped.tolist())) >= 0.8 * len(flipped)
    assert result.end_proba.shape == probs.shape
    reasons = result.top_signals()
    assert "end_model_disagrees" in reasons[flipped[0]]


def test_items_without_a_label_are_not_scored_on_a_coin_flip():
    """A run passed the tie-break's random label of items no LF voted on: the signals
    exported for them judged a label the reviewer never sees, and their order in the queue
    came from the coin flip. Label -1 scores the end model's own most likely class."""
    y, texts, votes, probs, _ = toy()
    votes[:20] = -1  # no LF voted
    probs[:20] = 0.5
    given = np.where((votes >= 0).any(axis=1), probs.argmax(axis=1), -1)
    result = rank_queue(probs, votes, texts, seed=0, label=given, cleanlab=True)
    own = result.end_proba.argmax(axis=1)
    np.testing.assert_allclose(result.signals["end_model_disagrees"][:20],
                               1 - result.end_proba[:20].max(axis=1))
    np.testing.assert_allclose(result.signals["cleanlab"][:20],
                               cleanlab_signal(result.end_proba, np.where(
                                   given >= 0, given, result.end_proba.argmax(axis=1)))[:20])
    # what two coin flips did: the same items, scored differently
    flips = [rank_queue(probs, votes, texts, seed=0, cleanlab=True, end_proba=result.end_proba,
                        label=np.where(given >= 0, given, (own + f) % 2)) for f in (0, 1)]
    assert not np.array_equal(flips[0].score[:20], flips[1].score[:20])
    np.testing.assert_array_equal(flips[0].score[:20], result.score[:20])


def test_a_run_ranks_items_no_lf_voted_on_as_unlabelled(make_project, monkeypatch):
    """The run gave rank_queue the tie-break's coin flip for items no LF voted on."""
    from labelwright.project import run_project
    from labelwright.review.ranking import cache as project_module  # the run ranks through it

    seen = {}

    def spy(probs, votes, texts, **kwargs):
        seen["label"], seen["votes"] = kwargs["label"], np.asarray(votes)
        return rank_queue(probs, votes, texts, **kwargs)

    monkeypatch.setattr(project_module, "rank_queue", spy)
    root = make_project(extra="ranking = \"combined\"\n")
    run_project(root, report=False)
    uncovered = ~(seen["votes"] >= 0).any(axis=1)
    assert uncovered.any() and (~uncovered).any()
    assert (seen["label"][uncovered] == -1).all() and (seen["label"][~uncovered] >= 0).all()


def test_weights_learned_from_reviewed_items():
    y, texts, votes, probs, flipped = toy(n=200)
    gold = np.full(len(y), -1)
    gold[: MIN_REVIEWED + 20] = y[: MIN_REVIEWED + 20]
    if (probs.argmax(1) != y)[: MIN_REVIEWED + 20].sum() < 5:
        gold[flipped] = y[flipped]
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold)
    assert set(result.weights_cv) == {"default", "reviewed", "bootstrap_wins"}
    # here the defaults already rank the reviewed items perfectly; learned weights that do
    # no better (equal up to rounding) are not used
    assert result.weights_cv["default"] == pytest.approx(1.0)
    assert result.weights_cv["reviewed"] <= result.weights_cv["default"] + CV_TIE
    assert result.weights_source == "default"
    few = np.full(len(y), -1)
    few[:3] = y[:3]
    assert rank_queue(probs, votes, texts, seed=0, reviewed_gold=few).weights_source == "default"


def test_mismatched_lengths_are_named():
    y, texts, votes, probs, _ = toy(n=20)
    with pytest.raises(ValueError, match="same items"):
        rank_queue(probs, votes, texts[:-1], seed=0)


def test_learned_weights_replace_defaults_only_when_better_in_cross_validation():
    # the label model is wrong exactly where LFs conflict, which the default weights
    # (mostly end-model disagreement) barely use: learned weights must win here
    texts, votes, _, _, label, probs, gold, wrong = reviewed_after_refit()
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=label,
                        cleanlab=False)
    assert result.weights_source == "reviewed"
    assert result.weights_cv["reviewed"] > result.weights_cv["default"]
    assert result.weights_cv["bootstrap_wins"] >= WEIGHTS_SURE
    assert result.weights["conflict"] > 0
    top = result.order()[: wrong.sum()]
    assert wrong[top].mean() > 0.9


def test_cleanlab_signal_is_computed_and_shown_on_exported_items():
    pytest.importorskip("cleanlab")
    y, texts, votes, probs, flipped = toy()
    result = rank_queue(probs, votes, texts, seed=0)  # default: used when installed
    assert "cleanlab" in result.signals and result.weights == DEFAULT_WEIGHTS
    signal = result.signals["cleanlab"]
    assert signal.shape == (len(y),) and ((0 <= signal) & (signal <= 1)).all()
    # the flipped labels are the ones cleanlab scores as low quality
    assert signal[flipped].mean() > signal[np.setdiff1d(np.arange(len(y)), flipped)].mean() + 0.3
    shown = result.top_signals()
    assert sum("cleanlab" in shown[i] for i in flipped) >= 0.8 * len(flipped)
    # shown where cleanlab's own verdict flags the item, not by a cut on the value
    flagged = cleanlab_issues(result.end_proba, probs.argmax(axis=1))
    np.testing.assert_array_equal(result.flags["cleanlab"], flagged)
    assert all(("cleanlab" in row) == flagged[i] for i, row in enumerate(shown))
    # the combined score is the weighted sum of the signals, cleanlab included
    expected = sum(w * result.signals[s] for s, w in DEFAULT_WEIGHTS.items())
    np.testing.assert_allclose(result.score, expected)


def test_missing_cleanlab_gives_the_install_hint(monkeypatch, caplog):
    import builtins

    real_import = builtins.__import__

    def no_cleanlab(name, *args, **kwargs):
        if name.startswith("cleanlab"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cleanlab)
    y, texts, votes, probs, _ = toy(n=40)
    with pytest.raises(ConfigError, match=r"pip install 'labelwright\[cleanlab\]'"):
        rank_queue(probs, votes, texts, seed=0, cleanlab=True)
    with pytest.raises(ConfigError, match="cleanlab"):
        cleanlab_signal(probs, probs.argmax(axis=1))
    assert not ranking.cleanlab_available()
    with caplog.at_level("INFO", logger="labelwright.review.ranking"):
        result = rank_queue(probs, votes, texts, seed=0)  # default: left out, not an error
    assert "cleanlab" not in result.signals
    assert "pip install 'labelwright[cleanlab]'" in caplog.text


def test_learned_weights_that_win_only_by_noise_keep_the_defaults(monkeypatch):
    """Learned weights a hair above the defaults in CV are not sure to be better: with a
    dozen wrong labels among the reviewed items, that needs most bootstrap resamples too."""
    from labelwright.review.ranking.weights import _bootstrap_wins

    rng = np.random.default_rng(0)
    y = (rng.random(150) < 0.08).astype(int)
    default = rng.random(150) + 0.3 * y
    near = default + rng.normal(0, 0.05, 150)  # about as good, sometimes a hair better
    share = _bootstrap_wins(near, default, y, seed=0)
    assert 0.05 < share < WEIGHTS_SURE
    assert _bootstrap_wins(default + 2.0 * y, default, y, seed=0) > WEIGHTS_SURE

    # rank_queue keeps its default weights when the CV win is not sure
    y2, texts, votes, probs, _ = toy(n=200)
    gold = np.full(len(y2), -1)
    gold[:80] = y2[:80]
    real = ranking.learn_weights

    def unsure(*args, **kwargs):
        weights, model, cv = real(*args, **kwargs)
        return weights, model, {"default": 0.40, "reviewed": 0.41, "bootstrap_wins": share}

    monkeypatch.setattr(ranking, "learn_weights", unsure)
    kept = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold)
    assert kept.weights_source == "default"
    monkeypatch.setattr(ranking, "learn_weights", lambda *a, **k: (
        lambda w, m, cv: (w, m, {**cv, "default": 0.40, "reviewed": 0.41,
                                 "bootstrap_wins": 0.99}))(*real(*a, **k)))
    assert rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold).weights_source \
        == "reviewed"


def test_top_signals_keep_a_qualifying_signal_behind_a_weaker_larger_contribution():
    """Signals below the threshold drop out before the cut to ``limit``: end-model
    disagreement 0.40 (the largest weight x value, but below 0.5) and uncertainty 0.30
    must not hide conflict 0.5."""
    signals = {"uncertainty": [0.30, 0.9], "small_margin": [0.0, 0.0], "entropy": [0.0, 0.0],
               "no_vote": [0.0, 0.0], "conflict": [0.50, 0.6],
               "end_model_disagrees": [0.40, 0.7]}
    result = RankResult(score=np.zeros(2), weights=default_weights(list(signals)),
                        signals={s: np.array(v) for s, v in signals.items()})
    assert result.top_signals() == [("conflict",), ("end_model_disagrees", "uncertainty")]
    assert result.top_signals(limit=3)[1] == ("end_model_disagrees", "uncertainty", "conflict")


def test_items_no_end_model_scored_have_no_end_model_signals():
    """With fewer than 2 items to learn from (no LF voted on anything) the end model's
    placeholder 1/k made end_model_disagrees 1 - 1/k on every item, shown as a reason."""
    pytest.importorskip("cleanlab")
    texts = ["refund my invoice", "app crashes on login", "how do i export", "add dark mode",
             "reset my password", "charged twice"]
    votes = -np.ones((len(texts), 2), int)
    probs = np.full((len(texts), 3), 1 / 3)
    result = rank_queue(probs, votes, texts, seed=0, label=-np.ones(len(texts), int),
                        cleanlab=True)
    assert all("end_model_disagrees" not in row for row in result.top_signals())
    assert not result.signals["end_model_disagrees"].any()
    assert not result.signals["cleanlab"].any()
    np.testing.assert_allclose(result.score, 0.1 * result.signals["uncertainty"])
    assert not result.end_scored.any()


def test_a_fold_without_training_items_leaves_its_rows_unscored():
    """Only the rows a fold's model scored carry end-model signals; the scored rows' cleanlab
    values come from the scored rows alone."""
    pytest.importorskip("cleanlab")
    y, texts, votes, probs, _ = toy(n=40)
    fold = np.flatnonzero(text_folds(texts, 5, 0) == 0)  # the items of one text in one fold
    votes = np.where(np.isin(np.arange(40), fold)[:, None], votes, -1)  # one fold covered
    result = rank_queue(probs, votes, texts, seed=0, cleanlab=True)
    unscored = np.isin(np.arange(40), fold)
    assert not result.signals["end_model_disagrees"][unscored].any()
    assert result.signals["end_model_disagrees"][~unscored].any()
    np.testing.assert_array_equal(result.end_scored, ~unscored)
    assert not result.signals["cleanlab"][unscored].any()
    np.testing.assert_allclose(
        result.signals["cleanlab"][~unscored],
        cleanlab_signal(result.end_proba[~unscored], probs.argmax(axis=1)[~unscored]))
    # precomputed probabilities: the caller says which rows were scored
    again = rank_queue(probs, votes, texts, seed=0, cleanlab=True, end_proba=result.end_proba,
                       end_scored=result.end_scored)
    np.testing.assert_array_equal(again.score, result.score)
    with pytest.raises(ValueError, match=r"end_scored must have one entry per item \(40\)"):
        rank_queue(probs, votes, texts, seed=0, end_proba=result.end_proba,
                   end_scored=result.end_scored[:3])


def test_cleanlab_is_shown_where_cleanlab_flags_the_item_not_below_a_fixed_value():
    """With 12 classes, 2 of which the end model is unsure of, the class adjustment put every
    item's cleanlab value at 0.65: 'cleanlab' was shown on all 300 items the end model
    confirms at 0.95. Shown now where cleanlab's find_label_issues flags the item."""
    pytest.importorskip("cleanlab")
    k, per = 12, 30
    label = np.repeat(np.arange(k), per)
    end = np.full((len(label), k), 0.05 / (k - 1))
    end[np.arange(len(label)), label] = 0.95  # the end model confirms the labels ...
    end[label >= 10] = 1.0 / k  # ... but of two classes it is unsure
    wrong = np.arange(0, 10 * per, per)  # one item per sure class, confidently another class
    end[wrong] = np.roll(end[wrong], 1, axis=1)
    votes = label[:, None]
    result = rank_queue(np.eye(k)[label], votes, [""] * len(label), seed=0, cleanlab=True,
                        end_proba=end)
    confirmed = np.setdiff1d(np.flatnonzero(label < 10), wrong)
    assert (result.signals["cleanlab"][confirmed] > 0.5).all()  # the value is unchanged
    shown = result.top_signals()
    assert not any("cleanlab" in shown[i] for i in confirmed)
    assert all("cleanlab" in shown[i] for i in wrong)


def test_cleanlab_flags_nothing_among_labels_of_one_class(recwarn):
    pytest.importorskip("cleanlab")
    end = np.random.default_rng(0).dirichlet([1.0, 1.0, 1.0], 10)
    assert not cleanlab_issues(end, np.full(10, 2)).any()
    # a class of one item: cleanlab keeps it and says so; that is no news to a reviewer
    assert cleanlab_issues(end, np.array([0] * 9 + [1])).dtype == bool
    assert not [w for w in recwarn if "cleanlab" in str(w.filename)]


def reviewed_after_refit():
    """A label model wrong (before review) exactly where its LFs conflict, on 20% of 300
    items; 150 reviewed, and a re-fit that learned those reviews: its labels now are right
    on every reviewed item, wrong elsewhere as before."""
    rng = np.random.default_rng(3)
    n = 300
    y = rng.integers(0, 2, n)
    texts = [f"word{rng.integers(0, 50)} word{rng.integers(0, 50)}" for _ in range(n)]
    wrong = rng.random(n) < 0.2
    before = np.where(wrong, 1 - y, y)
    votes = np.column_stack([before, before, np.where(wrong, y, before)])
    shown_probs = np.where(before[:, None] == np.arange(2), 0.8, 0.2)
    gold = np.full(n, -1)
    gold[:150] = y[:150]
    now = np.where(gold >= 0, gold, before)
    probs = np.where(now[:, None] == np.arange(2), 0.8, 0.2)
    return texts, votes, probs, now, before, shown_probs, gold, wrong


def test_weights_learn_from_the_labels_before_review_not_the_refit_labels():
    texts, votes, probs, now, before, shown_probs, gold, wrong = reviewed_after_refit()
    refit = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                       cleanlab=False)
    # judged on the re-fit labels, no reviewed label is wrong: nothing to learn from
    assert refit.weights_source == "default"
    assert refit.weights_evidence["wrong_before_review"] == 0
    assert refit.weights_evidence["reason"] == "one-sided"
    shown = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                       shown_label=before, shown_probs=shown_probs, cleanlab=False)
    evidence = shown.weights_evidence
    assert evidence["wrong_before_review"] == int(wrong[:150].sum())
    assert evidence["learned_from"] == evidence["reviewed_items"] == 150
    assert shown.weights_source == "reviewed" and evidence["reason"] == "learned"
    assert shown.weights["conflict"] > 0
    assert evidence["cv_average_precision"]["learned"] \
        > evidence["cv_average_precision"]["default"]
    unreviewed = np.flatnonzero(gold < 0)
    top = unreviewed[np.argsort(-shown.score[unreviewed], kind="stable")]
    assert wrong[top[: wrong[unreviewed].sum()]].mean() > 0.9


def test_reviewed_items_without_a_known_earlier_label_are_left_out_of_the_learning():
    texts, votes, probs, now, before, shown_probs, gold, _ = reviewed_after_refit()
    unknown = np.where(np.arange(len(gold)) < 130, before, -2)  # 20 reviewed: run gone
    shown_probs[unknown == -2] = np.nan
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                        shown_label=unknown, shown_probs=shown_probs, cleanlab=False)
    assert result.weights_evidence["reviewed_items"] == 150
    assert result.weights_evidence["learned_from"] == 130
    few = np.where(np.arange(len(gold)) < MIN_REVIEWED - 1, before, -2)
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                        shown_label=few, shown_probs=np.where(few[:, None] >= 0, shown_probs,
                                                              np.nan), cleanlab=False)
    assert result.weights_source == "default"
    assert result.weights_evidence["reason"] == "too few"


def test_reviewed_items_none_of_them_usable_are_too_few_not_no_reviews():
    """150 reviewed items whose runs are all gone: the defaults, because none of them can be
    learned from, not because nothing was reviewed."""
    texts, votes, probs, now, _, _, gold, _ = reviewed_after_refit()
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                        shown_label=np.full(len(gold), -2),
                        shown_probs=np.full(probs.shape, np.nan), cleanlab=False)
    evidence = result.weights_evidence
    assert evidence["reason"] == "too few"
    assert (evidence["reviewed_items"], evidence["learned_from"]) == (150, 0)


def test_an_earlier_label_without_its_probabilities_is_refused():
    texts, votes, probs, now, before, shown_probs, gold, _ = reviewed_after_refit()
    shown_probs[5] = np.nan
    with pytest.raises(ValueError, match="shown_probs is NaN"):
        rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold, label=now,
                   shown_label=before, shown_probs=shown_probs, cleanlab=False)


def test_a_ranking_without_reviews_says_so():
    y, texts, votes, probs, _ = toy(n=40)
    evidence = rank_queue(probs, votes, texts, seed=0, cleanlab=False).weights_evidence
    assert evidence["source"] == "default" and evidence["reason"] == "no reviews"
    assert evidence["learned_from"] == 0 and evidence["cv_average_precision"] is None


def test_the_weights_learn_from_the_votes_the_reviewed_items_were_exported_with():
    """LFs fixed since the export agree on every reviewed item now: judged by the votes now,
    conflict tells nothing of the labels that were wrong; by the votes then, it does."""
    texts, votes, probs, now, before, shown_probs, gold, _ = reviewed_after_refit()
    fixed = votes.copy()
    fixed[gold >= 0] = gold[gold >= 0, None]
    then = {name: np.where(gold >= 0, values, np.nan)
            for name, values in vote_signals(votes, 2).items()}
    kwargs = dict(seed=0, reviewed_gold=gold, label=now, shown_label=before,
                  shown_probs=shown_probs, cleanlab=False)
    by_now = rank_queue(probs, fixed, texts, **kwargs)
    assert by_now.weights_evidence["reason"] != "learned"
    by_then = rank_queue(probs, fixed, texts, shown_votes=then, **kwargs)
    assert by_then.weights_evidence["reason"] == "learned"
    assert by_then.weights["conflict"] > 0
