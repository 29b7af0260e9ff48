"""A label model registered from outside labelwright is saved with every attribute its fit
set whose name ends in ``_``: it had been saved with ``n_lfs_`` and ``class_balance_``
only, without a word, and loading it failed in its own ``_predict_proba``
(``AttributeError: acc_``), also for a run's ``label_model.json``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from labelwright.models import LabelModel, WeightedMajorityVote, get_model, load_model
from labelwright.models.model_output import ModelContractError
from labelwright.models.registry import _REGISTRY, register
from labelwright.models.saved_attributes import RUN_ATTRIBUTES, unlisted

L = np.array([[0, 1, -1], [2, 2, 1], [-1, -1, -1], [1, 0, 0], [2, -1, 2]] * 8)


class AccuracyVote(LabelModel):
    """Each LF's agreement with the majority vote as its weight; lists no learned field."""

    name = "test_accuracy_vote"

    def _fit(self, L, y_dev, class_balance, rng):
        k = self.cardinality
        self.class_balance_ = np.full(k, 1 / k)
        counts = np.stack([(L == c).sum(axis=1) for c in range(k)], axis=1)
        top = counts.argmax(axis=1)
        voted = L >= 0
        self.acc_ = ((L == top[:, None]) & voted).sum(axis=0) / np.maximum(voted.sum(axis=0), 1)
        self.votes_seen_ = int(voted.sum())  # a Python int
        self.rounds_ = np.int64(1)  # a numpy scalar
        self.notes_ = {"source": "majority", "per_class": [1, 2.5, None]}
        self._cache = "not learned"  # private: not saved

    def _predict_proba(self, L):
        scores = np.tile(np.log(self.class_balance_), (len(L), 1))
        for c in range(self.cardinality):
            scores[:, c] += ((L == c) * np.log1p(self.acc_ * self.rounds_)).sum(axis=1)
        return np.exp(scores - scores.max(axis=1, keepdims=True))


class WithExtra(WeightedMajorityVote):
    """A user's subclass of a built-in model that learns one more thing."""

    name = "test_weighted_with_extra"

    def _fit(self, L, y_dev, class_balance, rng):
        super()._fit(L, y_dev, class_balance, rng)
        self.boost_ = np.linspace(1.0, 2.0, L.shape[1])

    def _predict_proba(self, L):
        saved = self.weights_
        self.weights_ = saved * self.boost_
        try:
            return super()._predict_proba(L)
        finally:
            self.weights_ = saved


class Holder(LabelModel):
    """Keeps a fitted built-in model and predicts with it."""

    name = "test_holder"

    def _fit(self, L, y_dev, class_balance, rng):
        self.inner_ = get_model("weighted_majority", self.cardinality).fit(L)
        self.class_balance_ = self.inner_.class_balance_

    def _predict_proba(self, L):
        return self.inner_.predict_proba(L)


@pytest.fixture(autouse=True)
def registered():
    classes = (AccuracyVote, WithExtra, Holder)
    for cls in classes:
        register(cls.name, cls)
    yield
    for cls in classes:
        _REGISTRY.pop(cls.name, None)


@pytest.mark.parametrize("cls", [AccuracyVote, WithExtra, Holder])
def test_a_saved_custom_model_loads_and_predicts_as_it_did(tmp_path, cls):
    model = cls(3).fit(L)
    path = tmp_path / "model.json"
    model.save(path)
    loaded = load_model(path)
    assert type(loaded) is cls
    np.testing.assert_array_equal(loaded.predict_proba(L), model.predict_proba(L))


def test_the_document_holds_every_fitted_attribute_in_the_documented_form(tmp_path):
    model = AccuracyVote(3).fit(L)
    model.save(tmp_path / "model.json")
    learned = json.loads((tmp_path / "model.json").read_text())["learned"]
    assert sorted(learned) == ["acc_", "class_balance_", "n_lfs_", "notes_", "rounds_",
                               "votes_seen_"]
    assert learned["acc_"] == {"dtype": "float64", "shape": [3], "data": model.acc_.tolist()}
    assert learned["votes_seen_"] == model.votes_seen_ and learned["rounds_"] == 1
    assert learned["notes_"] == {"source": "majority", "per_class": [1, 2.5, None]}
    loaded = load_model(tmp_path / "model.json")
    assert loaded.notes_ == model.notes_ and loaded.votes_seen_ == model.votes_seen_
    assert not hasattr(loaded, "_cache")


def test_attributes_a_run_sets_are_not_saved(tmp_path):
    model = AccuracyVote(3).fit(L)
    for name in RUN_ATTRIBUTES:
        setattr(model, name, "set by a run")
    assert unlisted(model) == ["acc_", "notes_", "rounds_", "votes_seen_"]
    model.save(tmp_path / "model.json")
    learned = json.loads((tmp_path / "model.json").read_text())["learned"]
    assert not set(RUN_ATTRIBUTES) & set(learned)


@pytest.mark.parametrize(("value", "says"), [
    ({1, 2}, "holds a builtins.set"),
    (np.array(["a", "b"]), "holds a numpy array of dtype <U1"),
    ([np.zeros(2), np.ones(2)], "holds a numpy array inside a list or dict"),
    ({0: 0.5}, "holds a dict with a int key 0"),
    (lambda x: x, "holds a builtins.function"),
])
def test_an_attribute_json_cannot_hold_is_refused_at_save_naming_it(tmp_path, value, says):
    model = AccuracyVote(3).fit(L)
    model.odd_ = value
    path = tmp_path / "model.json"
    with pytest.raises(ModelContractError,
                       match=rf"^label model 'test_accuracy_vote' \([\w.]*AccuracyVote\): not "
                             rf"saved: fitted attribute odd_ {says}.*store it as one of those"):
        model.save(path)
    assert not path.exists()


def test_a_listed_attribute_the_fit_did_not_set_is_named(tmp_path):
    class Forgets(AccuracyVote):
        learned_attributes = ("class_balance_", "acc_", "weights_")

    with pytest.raises(ModelContractError, match=r"its fit did not set weights_, which "
                                                 r"Forgets.learned_attributes lists"):
        Forgets(3).fit(L).save(tmp_path / "model.json")


@pytest.mark.parametrize(("name", "value"), [
    ("predict_proba", 0), ("_private_", 1), ("fit", 1), ("acc", 1)])
def test_a_document_field_that_is_no_learned_name_is_refused(tmp_path, name, value):
    path = tmp_path / "model.json"
    AccuracyVote(3).fit(L).save(path)
    doc = json.loads(path.read_text())
    doc["learned"][name] = value
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=rf"unknown learned field\(s\) {name}; "
                                         r"test_accuracy_vote has .* \(and any other name "
                                         r"ending in _ that is no method"):
        load_model(path)


def test_a_saved_attribute_with_nan_is_refused_on_load(tmp_path):
    path = tmp_path / "model.json"
    AccuracyVote(3).fit(L).save(path)
    doc = json.loads(path.read_text())
    doc["learned"]["acc_"]["data"][1] = float("nan")
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match="learned field acc_ holds NaN or infinite numbers"):
        load_model(path)


@pytest.mark.parametrize("gold", [False, True])
@pytest.mark.parametrize("name", ["majority", "weighted_majority", "triplet", "dawid_skene",
                                  "snorkel", "auto"])
def test_built_in_models_list_every_attribute_their_fit_sets(name, gold):
    """Their documents hold the listed fields only (files saved before stay readable, and
    a file of theirs with another field is refused), so their fits may set no other;
    ``auto`` saves its ``model_`` itself, nested."""
    rng = np.random.default_rng(1)
    votes = rng.integers(-1, 3, size=(300, 5))
    y_dev = np.where(rng.random(300) < 0.3, rng.integers(0, 3, 300), -1) if gold else None
    model = get_model(name, 3).fit(votes, y_dev=y_dev)
    fitted = {a for a in vars(model) if a.endswith("_") and not a.startswith("_")}
    listed = {"n_lfs_", *model.learned_attributes, *RUN_ATTRIBUTES}
    assert fitted - listed <= ({"model_"} if name == "auto" else set())
    assert unlisted(model) == []


def test_a_file_without_an_attribute_predict_proba_reads_names_it(tmp_path):
    """Files saved before every fitted attribute was saved lack acc_: loading one failed
    with an AttributeError inside the model's own _predict_proba."""
    path = tmp_path / "model.json"
    AccuracyVote(3).fit(L).save(path)
    doc = json.loads(path.read_text())
    for name in ("acc_", "notes_", "rounds_", "votes_seen_"):
        del doc["learned"][name]
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=r"model\.json: label model document: learned field "
                                         r"(acc_|rounds_) missing \(AccuracyVote\._predict_proba "
                                         r"reads it; .* fit and save the model again\)"):
        load_model(path)


def test_a_class_level_default_is_saved_with_the_fits_value(tmp_path):
    """A default written on the class (``scale_ = 1.0``) and set by the fit: the fit's
    value is the model's; loaded with the class's, it would predict otherwise."""
    class Scaled(AccuracyVote):
        scale_ = 1.0

        def _fit(self, L, y_dev, class_balance, rng):
            super()._fit(L, y_dev, class_balance, rng)
            self.scale_ = 3.0

        def _predict_proba(self, L):
            return super()._predict_proba(L) ** self.scale_

    register(Scaled.name, Scaled)
    model = Scaled(3).fit(L)
    model.save(tmp_path / "model.json")
    assert json.loads((tmp_path / "model.json").read_text())["learned"]["scale_"] == 3.0
    loaded = load_model(tmp_path / "model.json")
    np.testing.assert_array_equal(loaded.predict_proba(L), model.predict_proba(L))


def test_a_broken_nested_model_is_named_by_its_field(tmp_path):
    path = tmp_path / "model.json"
    Holder(3).fit(L).save(path)
    doc = json.loads(path.read_text())
    assert doc["learned"]["inner_"]["model"] == "weighted_majority"
    doc["learned"]["inner_"]["model"] = "weighted_majorty"
    path.write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=r"model\.json: label model document: learned field "
                                         r"inner_: its nested model: unknown label model "
                                         r"'weighted_majorty'"):
        load_model(path)
