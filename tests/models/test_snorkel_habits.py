"""Snorkel's call habits on a label model (settings in fit, seed, Y_dev, tie_break_policy)
fail as before, a TypeError or ValueError, with what they mean here."""

import numpy as np
import pytest

from labelwright.models import get_model
from labelwright.models.auto import AutoLabelModel
from labelwright.models.majority import MajorityVote

L = np.array([[0, 1, -1], [1, 1, 0], [0, -1, 0], [1, 0, 1]] * 5)


def refused(call, error=TypeError):
    with pytest.raises(error) as caught:
        call()
    return str(caught.value)


def test_settings_given_to_fit_name_the_constructor_with_the_values_given():
    model = get_model("snorkel")
    said = refused(lambda: model.fit(L, n_epochs=500, seed=123))
    assert said.startswith("SnorkelLabelModel.fit() got unexpected keyword arguments "
                           "'n_epochs', 'seed': ")
    assert "get_model('snorkel', n_epochs=500, random_state=123)" in said
    assert "model.set_params(n_epochs=500, random_state=123) before fit()" in said
    assert "snorkel's seed is random_state here" in said
    assert said.endswith("fit() takes L, y_dev, class_balance")
    assert not hasattr(model, "n_lfs_")  # refused before any fit
    # snorkel's options without a counterpart are named as such; one alone reads singular
    said = refused(lambda: model.fit(L, log_freq=10))
    assert said.startswith("SnorkelLabelModel.fit() got an unexpected keyword argument "
                           "'log_freq': snorkel's log_freq has no counterpart here")


def test_snorkels_y_dev_spelling_asks_for_y_dev_and_says_how_it_differs():
    said = refused(lambda: get_model("majority").fit(L, Y_dev=np.zeros(3, int)))
    assert "did you mean 'y_dev'? It holds a class index for each row of L, -1 where " \
           "there is none" in said
    model = get_model("majority").fit(L, y_dev=np.full(len(L), -1))  # the right call works
    assert model.n_lfs_ == 3


def test_a_setting_of_the_snorkel_model_given_to_another_says_whose_it_is():
    said = refused(lambda: get_model("majority").fit(L, n_epochs=5))
    assert "n_epochs is a setting of the 'snorkel' label model, not of 'majority': " \
           "get_model('snorkel', n_epochs=5)" in said


def test_tie_break_policy_and_return_probs_in_predict():
    model = get_model("majority").fit(L)
    said = refused(lambda: model.predict(L, tie_break_policy="abstain"))
    assert "model.set_params(tie_break='abstain') before predict()" in said
    assert "get_model('majority', tie_break='abstain')" in said
    assert "snorkel's default is 'abstain', labelwright's 'random'" in said
    # snorkel's true-random is random at its nearest; the example is a call that works
    said = refused(lambda: model.predict(L, tie_break_policy="true-random"))
    assert "set_params(tie_break='random')" in said
    said = refused(lambda: model.predict(L, return_probs=True))
    assert "predict_proba(L) gives the probabilistic labels" in said
    assert said.endswith("predict() takes L, row_ids")
    assert model.set_params(tie_break="abstain").predict(L).shape == (len(L),)


def test_overrides_get_the_hints_too():
    """auto overrides fit and predict; a model registered from outside may too."""
    said = refused(lambda: AutoLabelModel().fit(L, seed=1))
    assert said.startswith("AutoLabelModel.fit() got an unexpected keyword argument 'seed'")
    assert "get_model('auto', random_state=1)" in said

    class Mine(MajorityVote):
        def predict(self, L, *, row_ids=None):
            return super().predict(L, row_ids=row_ids)

    model = Mine().fit(L)
    assert "Mine.predict() got" in refused(lambda: model.predict(L, tie_break_policy="first"))
    assert model.predict(L).tolist() == MajorityVote().fit(L).predict(L).tolist()


def test_get_model_and_set_params_say_seed_is_random_state():
    said = refused(lambda: get_model("snorkel", n_epochs=500, seed=123))
    assert said.startswith("label model 'snorkel' has no setting 'seed'; snorkel's seed is "
                           "random_state here; valid: cardinality, random_state, ")
    said = refused(lambda: get_model("snorkel", log_freq=1, seed=123))
    assert said.startswith("label model 'snorkel' has no settings 'log_freq', 'seed'")
    said = refused(lambda: get_model("majority").set_params(tie_break_policy="abstain"),
                   ValueError)
    assert "snorkel's tie_break_policy is tie_break here; valid: " in said
