"""snorkel wrapper: same probabilities as snorkel, no leaked global seeds, < 3 LFs."""

from __future__ import annotations

import random

import numpy as np

from labelwright.models import SnorkelLabelModel
from labelwright.models.synthetic import make_label_matrix


def test_probabilities_match_snorkel():
    from snorkel.labeling.model import LabelModel

    L, _ = make_label_matrix(2000, np.linspace(0.6, 0.9, 6), cardinality=3, random_state=0)
    L = L.astype(np.int64)
    ours = SnorkelLabelModel(3, n_epochs=50, random_state=7).fit(L)
    theirs = LabelModel(cardinality=3, verbose=False)
    theirs.fit(L, n_epochs=50, seed=7, progress_bar=False)
    np.testing.assert_allclose(ours.predict_proba(L), theirs.predict_proba(L), atol=1e-6)


def test_global_rng_states_are_restored():
    import torch

    L, _ = make_label_matrix(500, np.full(4, 0.8), random_state=0)
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    before = (random.random(), np.random.random(), torch.rand(1).item())
    random.seed(1)
    np.random.seed(1)
    torch.manual_seed(1)
    SnorkelLabelModel(2, n_epochs=5, random_state=123).fit(L)
    after = (random.random(), np.random.random(), torch.rand(1).item())
    assert before == after


def test_fewer_than_three_lfs_falls_back_to_majority(caplog):
    L = np.array([[0, 0], [1, -1], [1, 0], [-1, -1]])
    model = SnorkelLabelModel(2).fit(L)
    assert model.fallback_ == "majority"
    assert "needs >= 3 LFs" in caplog.text
    np.testing.assert_allclose(model.predict_proba(L), [[1, 0], [0, 1], [0.5, 0.5], [0.5, 0.5]])


def test_snorkel_trains_in_one_torch_thread_and_restores_the_count(monkeypatch):
    """Its training steps are too small to split among threads: with one per core, each
    step waited on every core whenever another job held one."""
    import torch
    from snorkel.labeling.model import LabelModel

    seen = []
    fit = LabelModel.fit

    def spy(self, *args, **kwargs):
        seen.append(torch.get_num_threads())
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(LabelModel, "fit", spy)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        L, _ = make_label_matrix(500, np.linspace(0.6, 0.9, 5), random_state=0)
        SnorkelLabelModel(2, n_epochs=5, random_state=0).fit(L.astype(np.int64))
        assert seen == [1]
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
