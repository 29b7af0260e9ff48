"""Review ranking: signals, default and learned weights, top signals."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.ranking import (
    DEFAULT_WEIGHTS,
    MIN_REVIEWED,
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
    result = rank_queue(probs, votes, texts, seed=0)
    assert result.weights_source == "default" and result.weights == DEFAULT_WEIGHTS
    top = set(result.order()[: len(flipped)].tolist())
    assert len(top & set(flipped.tolist())) >= 0.8 * len(flipped)
    assert result.end_proba.shape == probs.shape
    reasons = result.top_signals()
    assert "end_model_disagrees" in reasons[flipped[0]]


def test_weights_learned_from_reviewed_items():
    y, texts, votes, probs, flipped = toy(n=200)
    gold = np.full(len(y), -1)
    gold[: MIN_REVIEWED + 20] = y[: MIN_REVIEWED + 20]
    if (probs.argmax(1) != y)[: MIN_REVIEWED + 20].sum() < 5:
        gold[flipped] = y[flipped]
    result = rank_queue(probs, votes, texts, seed=0, reviewed_gold=gold)
    assert result.weights_source == "reviewed"
    assert result.weights["end_model_disagrees"] > 0
    few = np.full(len(y), -1)
    few[:3] = y[:3]
    assert rank_queue(probs, votes, texts, seed=0, reviewed_gold=few).weights_source == "default"


def test_mismatched_lengths_are_named():
    y, texts, votes, probs, _ = toy(n=20)
    with pytest.raises(ValueError, match="same items"):
        rank_queue(probs, votes, texts[:-1], seed=0)
