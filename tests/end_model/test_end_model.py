"""End model: soft-label training, JSON save/load, out-of-fold scores."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.model_selection import KFold

from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import out_of_fold_proba, score_out_of_fold, text_folds

TEXTS = ["refund now broken", "broken again refund", "late and broken", "love it great",
         "great fast love", "fast great service"] * 5
PROBS = np.array([[0.9, 0.1]] * 3 + [[0.2, 0.8]] * 3 * 1, dtype=float)
PROBS = np.vstack([PROBS] * 5)


def splits(texts, seed, n_splits=5):
    """``(fit_idx, score_idx)`` per fold, as the out-of-fold models split the items (the
    items of one text in one fold: :func:`text_folds`)."""
    folds = text_folds(texts, n_splits, seed)
    return [(np.flatnonzero(folds != f), np.flatnonzero(folds == f)) for f in range(n_splits)]


def test_fit_predict_and_json_round_trip(tmp_path):
    model = EndModel(["neg", "pos"]).fit(TEXTS, PROBS)
    assert model.predict(["broken refund", "great love"]).tolist() == [0, 1]
    path = model.save(tmp_path / "m.json")
    doc = json.loads(path.read_text())
    assert doc["format"] == "labelwright.end_model" and "idf" in doc["tfidf"]
    loaded = EndModel.load(path)
    assert np.allclose(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_a_model_of_single_characters_loads_as_it_was_saved(tmp_path):
    """With no word of two letters in the training texts the model falls back to single
    characters, but was saved with the word settings: the loaded model read no feature of
    any text and predicted the class prior everywhere."""
    texts = ["\U0001f600 a", "\U0001f621 b", "\U0001f600 a a", "\U0001f621 b b"] * 3
    probs = np.array([[0.1, 0.9], [0.9, 0.1]] * 6)
    model = EndModel(["neg", "pos"]).fit(texts, probs)
    assert model.tfidf_["analyzer"] == "char"
    path = model.save(tmp_path / "m.json")
    loaded = EndModel.load(path)
    assert loaded.tfidf_ == model.tfidf_ and loaded.ngram_range == (1, 2)
    probe = ["\U0001f600", "\U0001f621 b"]
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe))
    assert loaded.predict(probe).tolist() == [1, 0]
    doc = json.loads(path.read_text())
    assert doc["version"] == 4  # readers of version 1 would take it for a word model
    del doc["tfidf"]["analyzer"], doc["params"]["ngram_range"]  # a document of before
    doc["version"] = 1
    older = EndModel.from_dict(doc)
    assert older.tfidf_["analyzer"] == "word" and older.ngram_range == (1, 1)
    doc["version"] = 5
    with pytest.raises(ValueError, match="end model version 5; this labelwright reads "
                                         "versions 1, 2, 3, 4"):
        EndModel.from_dict(doc, source="m.json")
    doc["version"] = 2
    doc["tfidf"]["analyzer"] = "bytes"
    with pytest.raises(ValueError, match="analyzer 'bytes'; valid: word, char"):
        EndModel.from_dict(doc, source="m.json")


def test_load_rejects_other_formats(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps({"format": "something"}))
    with pytest.raises(ValueError, match="not a labelwright end model"):
        EndModel.load(tmp_path / "x.json")


def test_out_of_fold_skips_masked_items():
    mask = np.ones(len(TEXTS), bool)
    mask[:] = False
    out = out_of_fold_proba(TEXTS, PROBS, ["neg", "pos"], train_mask=mask)
    assert np.allclose(out, 0.5)  # nothing to learn from: uniform
    out = out_of_fold_proba(TEXTS, PROBS, ["neg", "pos"])
    assert (out.argmax(1) == PROBS.argmax(1)).mean() > 0.9


def test_out_of_fold_says_which_rows_a_model_scored():
    """Rows no fold's model could score hold a uniform placeholder that looks like an end
    model's doubt; ``scored`` tells them apart."""
    texts = [f"{text} n{i}" for i, text in enumerate(TEXTS)]  # no copies: folds of items
    nothing = score_out_of_fold(texts, PROBS, ["neg", "pos"],
                                train_mask=np.zeros(len(texts), bool))
    assert np.allclose(nothing.proba, 0.5) and not nothing.scored.any()
    everything = score_out_of_fold(texts, PROBS, ["neg", "pos"], seed=1)
    assert everything.scored.all()
    np.testing.assert_array_equal(everything.proba,
                                  out_of_fold_proba(texts, PROBS, ["neg", "pos"], seed=1))
    # the only trainable items are in one fold: that fold has nothing to learn from
    fold = splits(texts, 1)[0][1]
    mask = np.zeros(len(texts), bool)
    mask[fold] = True
    some = score_out_of_fold(texts, PROBS, ["neg", "pos"], train_mask=mask, seed=1)
    np.testing.assert_array_equal(some.scored, ~mask)
    # two trainable items in two folds: each would be scored by a model of the other alone,
    # which knows one label and says it with confidence
    folds = [score for _, score in splits(texts, 1)]
    two = np.zeros(len(texts), bool)
    two[[folds[0][0], folds[1][0]]] = True
    scored = score_out_of_fold(texts, PROBS, ["neg", "pos"], train_mask=two, seed=1).scored
    np.testing.assert_array_equal(scored, ~np.isin(np.arange(len(texts)),
                                                   np.concatenate(folds[:2])))
    assert np.allclose(some.proba[fold], 0.5)


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_out_of_fold_matches_a_model_fit_on_the_other_folds(monkeypatch, features):
    """Tokenising once must give what separate end models (own vocabulary and idf per fold)
    give; each item is scored by a model that never saw it."""
    import labelwright.end_model.logistic as logistic

    # both fits run to a tight tolerance, so what is compared is their features
    monkeypatch.setattr(logistic, "MULTINOMIAL_TOL", 1e-8)
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(rng.choice(words, 6)) for _ in range(200)]
    probs = rng.dirichlet([1.0, 1.0, 1.0], 200)
    mask = rng.random(200) < 0.8
    out = out_of_fold_proba(texts, probs, ["a", "b", "c"], train_mask=mask, seed=3,
                            features=features)
    expected = np.zeros_like(out)
    for fit_idx, score_idx in KFold(5, shuffle=True, random_state=3).split(np.zeros(200)):
        fit_idx = fit_idx[mask[fit_idx]]
        model = EndModel(["a", "b", "c"], features=features).fit([texts[i] for i in fit_idx],
                                                                  probs[fit_idx])
        assert (model.chars_ is not None) == (features == "words+chars")
        expected[score_idx] = model.predict_proba([texts[i] for i in score_idx])
    np.testing.assert_allclose(out, expected, atol=1e-4)  # float32 features round apart
    # the held-out item's own label does not matter: change it, its score stays exactly
    # (every fold's fit starts from zero, none from a fit that saw the item)
    changed = probs.copy()
    changed[0] = [1.0, 0.0, 0.0] if probs[0].argmax() != 0 else [0.0, 1.0, 0.0]
    again = out_of_fold_proba(texts, changed, ["a", "b", "c"], train_mask=mask, seed=3,
                              features=features)
    np.testing.assert_array_equal(again[0], out[0])
    assert not np.allclose(again, out)  # the change did reach the other folds' models


def random_texts(rng: np.random.Generator, n: int) -> list[str]:
    words = [f"w{i}" for i in range(30)]
    return [" ".join(rng.choice(words, 5)) for _ in range(n)]


def record_fold_fits(monkeypatch) -> list[np.ndarray]:
    """The items each out-of-fold model learns from, in fold order, as they are fit."""
    import labelwright.end_model.out_of_fold as end_model

    fitted: list[np.ndarray] = []
    fit_terms = end_model.fit_terms

    def recording(blocks, fit_idx, **kwargs):
        fitted.append(fit_idx)
        return fit_terms(blocks, fit_idx, **kwargs)

    monkeypatch.setattr(end_model, "fit_terms", recording)
    return fitted


def test_out_of_fold_models_learn_from_at_most_max_fit_rows(monkeypatch):
    rng = np.random.default_rng(1)
    texts = random_texts(rng, 300)
    probs = rng.dirichlet([1.0, 1.0], 300)
    fitted = record_fold_fits(monkeypatch)
    # one fit_terms per fold
    capped = out_of_fold_proba(texts, probs, ["a", "b"], seed=2, max_fit_rows=50,
                               features="words")
    sizes = [len(f) for f in fitted]
    assert sizes == [50] * 5  # 240 training items per fold, sampled down to 50
    fitted.clear()
    out_of_fold_proba(texts, probs, ["a", "b"], seed=2, max_fit_rows=None, features="words")
    sizes = [len(f) for f in fitted]
    assert sizes == [240] * 5
    # still out of fold: an item's own label does not move its score
    changed = probs.copy()
    changed[7] = changed[7][::-1]
    again = out_of_fold_proba(texts, changed, ["a", "b"], seed=2, max_fit_rows=50,
                              features="words")
    np.testing.assert_array_equal(again[7], capped[7])


def test_capped_out_of_fold_models_keep_every_kept_item(monkeypatch):
    # reviewed labels are passed as keep: a sample of the other items, never of them
    rng = np.random.default_rng(4)
    texts = random_texts(rng, 400)
    probs = rng.dirichlet([1.0, 1.0], 400)
    keep = np.zeros(400, dtype=bool)
    keep[::5] = True  # 80 kept items, ~64 in each fold's training items
    fitted = record_fold_fits(monkeypatch)
    out_of_fold_proba(texts, probs, ["a", "b"], seed=1, max_fit_rows=100, keep=keep,
                      features="words")
    folds = KFold(5, shuffle=True, random_state=1).split(np.zeros(400))
    for fit_idx, (train_idx, _) in zip(fitted, folds):
        assert len(fit_idx) == 100
        assert set(train_idx[keep[train_idx]]) <= set(fit_idx)
    with pytest.raises(ValueError, match="max_fit_rows must be >= 1"):
        out_of_fold_proba(texts, probs, ["a", "b"], max_fit_rows=0)


def test_out_of_fold_threads_do_not_change_the_scores(monkeypatch):
    import labelwright.end_model.out_of_fold as end_model

    monkeypatch.setattr(end_model, "default_workers", lambda: 4)  # 3 threads on any machine
    rng = np.random.default_rng(5)
    texts = random_texts(rng, 300)
    probs = rng.dirichlet([1.0, 1.0, 1.0], 300)
    one = out_of_fold_proba(texts, probs, ["a", "b", "c"], seed=4, max_fit_rows=150, workers=1)
    many = out_of_fold_proba(texts, probs, ["a", "b", "c"], seed=4, max_fit_rows=150,
                             workers=3)
    np.testing.assert_array_equal(one, many)
    with pytest.raises(ValueError, match="workers must be >= 1"):
        out_of_fold_proba(texts, probs, ["a", "b", "c"], workers=0)


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_scoring_a_fold_a_block_of_rows_at_a_time_changes_no_score(monkeypatch, features):
    """A fold scores its items :data:`SCORE_ROWS` at a time (to hold less at once): each
    row's features and probabilities are its own, so blocks of 7 rows (a last one shorter)
    give the very numbers all the fold's rows at once give."""
    import labelwright.end_model.out_of_fold as end_model

    rng = np.random.default_rng(8)
    texts = random_texts(rng, 240)
    probs = rng.dirichlet([1.0, 1.0, 1.0], 240)
    whole = out_of_fold_proba(texts, probs, ["a", "b", "c"], seed=1, features=features)
    monkeypatch.setattr(end_model, "SCORE_ROWS", 7)
    blocks = out_of_fold_proba(texts, probs, ["a", "b", "c"], seed=1, features=features)
    assert whole.tobytes() == blocks.tobytes()
    assert not np.allclose(whole, 1 / 3)  # the folds' models scored the items


def test_past_reg_items_the_penalty_grows_with_the_items(monkeypatch):
    """C holds for up to REG_ITEMS items; 200 items with REG_ITEMS = 50 fit as C / 4."""
    import labelwright.end_model.logistic as logistic

    rng = np.random.default_rng(6)
    texts = random_texts(rng, 200)
    probs = rng.dirichlet([1.0, 1.0], 200)
    monkeypatch.setattr(logistic, "REG_ITEMS", 50)
    scaled = EndModel(["a", "b"], C=4.0).fit(texts, probs)
    monkeypatch.setattr(logistic, "REG_ITEMS", 10_000)
    quarter = EndModel(["a", "b"], C=1.0).fit(texts, probs)
    full = EndModel(["a", "b"], C=4.0).fit(texts, probs)
    np.testing.assert_allclose(scaled.coef_, quarter.coef_, atol=1e-6)
    assert np.abs(full.coef_).max() > 1.5 * np.abs(scaled.coef_).max()


def test_texts_in_a_pandas_series_pair_with_their_labels_by_position():
    """fit read texts[i] by index label: a shuffled Series paired texts with other items'
    labels, and a filtered one raised KeyError."""
    import pandas as pd

    shuffled = pd.Series(TEXTS, index=np.random.default_rng(0).permutation(len(TEXTS)))
    from_series = EndModel(["neg", "pos"]).fit(shuffled, PROBS)
    from_list = EndModel(["neg", "pos"]).fit(TEXTS, PROBS)
    probe = ["broken refund", "great love"]
    np.testing.assert_allclose(from_series.predict_proba(probe), from_list.predict_proba(probe))
    filtered = pd.Series(TEXTS).iloc[1:]
    assert EndModel(["neg", "pos"]).fit(filtered, PROBS[1:]).predict(probe).tolist() == [0, 1]


@pytest.mark.parametrize("tamper, expected", [
    (lambda d: d["logistic"].update(coef=d["logistic"]["coef"][:1]),
     r"logistic.coef must be 2 labels x \d+ terms"),
    (lambda d: d.update(labels=["neg", "pos", "other"]), r"must be 3 labels x"),
    (lambda d: d.update(labels=["neg"]), r"labels must list two or more distinct names"),
    (lambda d: d["logistic"].update(intercept=[0.0]), r"logistic.intercept 2 values"),
    (lambda d: d["logistic"]["coef"][0].__setitem__(0, None), r"logistic.coef holds values "
                                                              r"that are not finite"),
    (lambda d: d.pop("logistic"), r"not a readable end model document: missing field "
                                  r"'logistic'"),
    (lambda d: d["params"].update(colour="red"), r"unexpected keyword argument 'colour'"),
    (lambda d: d["tfidf"]["vocabulary"].update(zzz=10**6), r"tfidf.vocabulary must number"),
    # loaded, then failed at predict, or predicted with no features at all
    (lambda d: d["tfidf"].update(token_pattern="("), r"token_pattern '\(' is not a regular"),
    (lambda d: d["tfidf"].update(ngram_range="ab"), r"ngram_range must be \[lowest, highest\]"),
    (lambda d: d["tfidf"].update(ngram_range=[2, 1]), r"ngram_range must be"),
    (lambda d: d.update(chars={}, version=2), r"a version 2 document with character grams"),
])
def test_a_tampered_model_document_is_refused_naming_the_file(tmp_path, tamper, expected):
    """It loaded: one label with two coefficient rows predicted a class index that does not
    exist, a null coefficient gave NaN probabilities, a missing field was a bare KeyError."""
    doc = EndModel(["neg", "pos"], features="words").fit(TEXTS, PROBS).to_dict()
    tamper(doc)
    (tmp_path / "m.json").write_text(json.dumps(doc))
    with pytest.raises(ValueError, match=r"m.json: " + ".*" + expected):
        EndModel.load(tmp_path / "m.json")


@pytest.mark.parametrize("text, expected", [
    ('{"format": "labelwright.end', r"m.json: not JSON"),
    ("[1, 2]", r"m.json: not a labelwright end model \(format 'list'"),
])
def test_a_file_that_is_no_model_document_is_refused_naming_it(tmp_path, text, expected):
    (tmp_path / "m.json").write_text(text)
    with pytest.raises(ValueError, match=expected):
        EndModel.load(tmp_path / "m.json")


def test_character_grams_are_saved_and_read_back(tmp_path):
    """A model with character grams, and one without, are format version 4 (version 3
    added character grams, version 4 ``reads``)."""
    model = EndModel(["neg", "pos"], features="words+chars").fit(TEXTS, PROBS)
    assert model.chars_ is not None and model.chars_["analyzer"] == "char_wb"
    probe = ["brokn refnd", "greatt lovee", "\u0416\u0416"]  # typos: only character grams read
    loaded = EndModel.load(model.save(tmp_path / "m.json"))
    doc = json.loads((tmp_path / "m.json").read_text())
    assert doc["version"] == 4 and doc["params"]["features"] == "words+chars"
    np.testing.assert_allclose(loaded.predict_proba(probe), model.predict_proba(probe))
    assert model.predict(probe[:2]).tolist() == [0, 1]
    assert np.diff(model.transform(probe).indptr).tolist()[2] == 0  # nothing it knows
    words = EndModel(["neg", "pos"], features="words").fit(TEXTS, PROBS)
    doc = json.loads(words.save(tmp_path / "w.json").read_text())
    assert doc["version"] == 4 and "chars" not in doc and "features" not in doc["params"]
    assert np.diff(words.transform(probe).indptr).tolist() == [0, 0, 0]
    doc = json.loads((tmp_path / "m.json").read_text())
    doc["chars"]["ngram_range"] = [1, 3]
    with pytest.raises(ValueError, match="m.json: chars settings"):
        EndModel.from_dict(doc, source="m.json")
    with pytest.raises(ValueError, match="features 'chars'; valid: auto, words, words\\+chars"):
        EndModel(["neg", "pos"], features="chars")


def test_auto_takes_character_grams_up_to_a_budget_of_characters(monkeypatch):
    import labelwright.end_model.features as features

    assert EndModel(["neg", "pos"]).fit(TEXTS, PROBS).chars_ is not None
    monkeypatch.setattr(features, "CHAR_BUDGET", sum(map(len, TEXTS)) - 1)
    assert EndModel(["neg", "pos"]).fit(TEXTS, PROBS).chars_ is None
    assert EndModel(["neg", "pos"], features="words+chars").fit(TEXTS, PROBS).chars_ is not None


def test_the_character_budget_shrinks_with_more_than_two_classes(monkeypatch):
    """A fit of more than two classes costs about (classes - 1) times a two-class fit per
    text (a weight vector per class). It was 5 x (classes - 1) while scikit-learn fit them
    on the items repeated once per class: the budgets were 500,000 and 250,000 characters
    for 3 and 5 labels, where the README now says 2.5M and 1.25M."""
    import labelwright.end_model.features as end_model
    from labelwright.end_model.features import char_budget

    assert char_budget(2) == end_model.CHAR_BUDGET
    assert (char_budget(3), char_budget(5)) == (2_500_000, 1_250_000)
    assert char_budget(3) == end_model.CHAR_BUDGET // (2 * end_model.MULTICLASS_COST)
    assert char_budget(5) < char_budget(3) < char_budget(2)
    size = sum(map(len, TEXTS))
    monkeypatch.setattr(end_model, "CHAR_BUDGET", size * end_model.MULTICLASS_COST * 2)
    three = np.hstack([PROBS, np.zeros((len(TEXTS), 1))])
    assert EndModel(["neg", "pos", "other"]).fit(TEXTS, three).chars_ is not None  # at it
    four = np.hstack([three, np.zeros((len(TEXTS), 1))])
    assert EndModel(["neg", "pos", "other", "more"]).fit(TEXTS, four).chars_ is None
    assert EndModel(["neg", "pos"]).fit(TEXTS, PROBS).chars_ is not None
    texts, probs, labels = TEXTS * 10, np.vstack([three] * 10), ["neg", "pos", "other"]
    words, both = (out_of_fold_proba(texts, probs, labels, features=features)
                   for features in ("words", "words+chars"))
    assert not np.allclose(words, both)
    for budget, expected in ((size * 10, both), (size * 10 - 1, words)):  # the ranking's too
        monkeypatch.setattr(end_model, "CHAR_BUDGET", budget * end_model.MULTICLASS_COST * 2)
        np.testing.assert_allclose(out_of_fold_proba(texts, probs, labels), expected)


def test_out_of_fold_on_emoji_matches_models_that_do_not_read_spaces(monkeypatch):
    """The ranking's folds counted the space as a character where EndModel does not: their
    scores differed by up to 0.04, and texts of spaces got a score other than the prior."""
    import labelwright.end_model.logistic as end_model

    monkeypatch.setattr(end_model, "FIT_TOL", 1e-8)
    rng = np.random.default_rng(2)
    faces = ["\U0001f600", "\U0001f621", "\u2764", "\U0001f44d", "\U0001f622"]
    texts = [" ".join(rng.choice(faces, 3)) for _ in range(60)] + ["   "] * 5
    probs = rng.dirichlet([1.0, 1.0], len(texts))
    out = out_of_fold_proba(texts, probs, ["a", "b"], seed=1)
    for fit_idx, score_idx in splits(texts, 1):
        model = EndModel(["a", "b"]).fit([texts[i] for i in fit_idx], probs[fit_idx])
        assert model.tfidf_["analyzer"] == "char"
        np.testing.assert_allclose(out[score_idx],
                                   model.predict_proba([texts[i] for i in score_idx]),
                                   atol=1e-4)


@pytest.mark.parametrize("features", ["auto", "words"])
def test_a_fold_whose_training_texts_hold_no_term_scores_the_class_shares(features):
    """Labelled texts that are blank (LFs may vote from other columns) or only emoji under
    ``words`` left a fold with no feature at all, and the solver's error ended the run."""
    texts = ([""] * 9 + ["\U0001f600"] * 3 + ["refund please"]
             + [f"some words {i}" for i in range(10)])
    probs = np.zeros((len(texts), 2))
    probs[:13:2, 0] = 1
    probs[1:13:2, 1] = 1
    labelled = np.arange(13)
    # character grams read the emoji; words do not
    termless = {"", "\U0001f600"} if features == "words" else {""}
    for seed in range(4):
        out = out_of_fold_proba(texts, probs, ["a", "b"], seed=seed, workers=1,
                                features=features)
        assert np.allclose(out.sum(axis=1), 1)
        for fit_idx, score_idx in splits(texts, seed):
            fit = np.intersect1d(fit_idx, labelled)
            if all(texts[i] in termless for i in fit):
                shares = probs[fit].sum(axis=0) / fit.size  # what a textless model knows
                np.testing.assert_allclose(out[score_idx], np.tile(shares, (score_idx.size, 1)),
                                           atol=1e-9)


def test_words_in_no_two_texts_still_give_words_and_character_grams():
    """min_df = 2 removed every word of 60 texts whose words are all different; that was
    taken for texts without words and the model fell back to single characters."""
    texts = [f"alpha{i}x beta{i}y" for i in range(60)]
    probs = np.array([[0.9, 0.1], [0.1, 0.9]] * 30)
    model = EndModel(["a", "b"], features="words+chars").fit(texts, probs)
    assert model.tfidf_["analyzer"] == "word" and model.chars_ is not None
    assert len(model.vocabulary_) > 0


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_no_texts_give_no_rows(tmp_path, features):
    """scikit-learn's vectorizers refuse an empty batch; predicting nothing is no error."""
    model = EndModel(["neg", "pos"], features=features).fit(TEXTS, PROBS)
    for m in (model, EndModel.load(model.save(tmp_path / "m.json"))):
        assert m.predict_proba([]).shape == (0, 2)
        assert m.predict([]).tolist() == []
        assert m.transform([]).shape == (0, m.transform(["love"]).shape[1])


@pytest.mark.parametrize("features", ["words", "words+chars"])
@pytest.mark.parametrize("texts", [TEXTS + ["broken", "unseen words only", ""],
                                   ["a", "b c", " ", "!", "?? !", "", "x", "a b"] * 4],
                         ids=["words", "single characters"])
def test_fit_transform_gives_what_fit_then_transform_gives(texts, features):
    """``train`` reads each text once: the items trained on keep the features fit on.
    They must be the features ``transform`` gives, to the last bit and in the same column
    order, or a prediction would move with how an item's features were made."""
    rng = np.random.default_rng(0)
    probs = rng.dirichlet([1, 1], len(texts))
    probs[rng.random(len(texts)) < 0.3] = 0  # no label: features from transform
    probs[0] = probs[-1] = 0
    joint = EndModel(["neg", "pos"], features=features)
    X = joint.fit_transform(texts, probs)
    alone = EndModel(["neg", "pos"], features=features).fit(texts, probs)
    Y = alone.transform(texts)
    assert X.shape == Y.shape == (len(texts), alone.coef_.shape[1])
    assert X.has_sorted_indices and X.dtype == Y.dtype
    np.testing.assert_array_equal(X.indptr, Y.indptr)
    np.testing.assert_array_equal(X.indices, Y.indices)
    np.testing.assert_array_equal(X.data, Y.data)
    np.testing.assert_array_equal(joint.coef_, alone.coef_)
    np.testing.assert_array_equal(joint.predict_proba_features(X), alone.predict_proba(texts))


def test_copies_of_an_items_text_are_never_among_what_its_model_learns_from():
    """A reposted text's copies fell in other folds, so a model that learned a copy's weak
    label (the same text, the same votes) scored the item: the end model "agreed" with the
    weak label of every duplicated text, and its errors were hidden from the ranking."""
    from labelwright.end_model.out_of_fold import text_folds

    rng = np.random.default_rng(1)
    base = [f"tok{i} said so" for i in range(200)]
    texts = [base[i] + ("  " if k else "") for i in range(200) for k in range(2)]  # twins
    folds = text_folds(texts, 5, seed=0)
    assert (folds[0::2] == folds[1::2]).all()  # each text's items in one fold
    unique = [f"w{i} x" for i in range(50)]
    np.testing.assert_array_equal(  # without copies: a shuffled k-fold split
        text_folds(unique, 5, seed=3),
        np.concatenate([np.full(len(s), f) for f, (_, s) in enumerate(
            KFold(5, shuffle=True, random_state=3).split(np.zeros(50)))])[
            np.argsort(np.concatenate([s for _, s in KFold(5, shuffle=True, random_state=3)
                                      .split(np.zeros(50))]))])
    # weak labels at random per text: only a leak lets the model "predict" them
    label = rng.integers(0, 2, 200).repeat(2)
    probs = np.eye(2)[label]
    out = out_of_fold_proba(texts, probs, ["a", "b"], seed=0, features="words")
    agree = (out.argmax(axis=1) == label).mean()
    assert agree < 0.65, agree  # chance, not memory (the leak gave ~0.9)


def fitted_model() -> EndModel:
    texts = ["refund my money", "the app crashes", "money back please", "crash on start"] * 5
    probs = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]] * 5)
    return EndModel(["refund", "crash"]).fit(texts, probs)


@pytest.mark.parametrize("method", ["predict", "predict_proba", "transform"])
def test_one_bare_string_is_refused_not_read_per_character(method):
    model = fitted_model()
    with pytest.raises(TypeError, match=r"texts must be a list of texts, got one str .*"
                                        r"pass \[text\]"):
        getattr(model, method)("refund my money")
    assert getattr(model, method)(["refund my money"]).shape[0] == 1


def test_fit_refuses_one_bare_string():
    with pytest.raises(TypeError, match="got one str"):
        EndModel(["a", "b"]).fit("ab", np.eye(2))


def test_a_missing_text_reads_as_an_empty_one():
    import pandas as pd

    model = fitted_model()
    expected = model.predict_proba(["", "the app crashes", ""])
    for missing in (None, float("nan"), pd.NA):
        np.testing.assert_array_equal(
            model.predict_proba([missing, "the app crashes", missing]), expected)
    series = pd.Series([None, "the app crashes", np.nan], index=[7, 8, 9])
    np.testing.assert_array_equal(model.predict(series), expected.argmax(axis=1))


@pytest.mark.parametrize(("value", "advice"), [
    (12345, r"texts\[1\] is 12345 \(type int\); a text must be a string, or missing"),
    (b"refund", r"texts\[1\] is b'refund' \(type bytes\).*decode it first: "
                r"text.decode\('utf-8'\).*df\[column\].str.decode\('utf-8'\)"),
])
def test_a_value_that_is_no_text_is_named_by_its_position(value, advice):
    model = fitted_model()
    with pytest.raises(TypeError, match=advice):
        model.predict(["refund", value])
    with pytest.raises(TypeError, match=advice):
        EndModel(["a", "b"]).fit(["refund", value], np.eye(2))


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_readable_says_which_texts_the_model_knows_a_feature_of(tmp_path, features):
    """A text with no word (or gram) the model learned gets the class prior from
    predict_proba, which looks like a prediction; ``readable`` says which texts are so,
    as ``train`` leaves them unlabeled."""
    model = EndModel(["neg", "pos"], features=features).fit(TEXTS, PROBS)
    texts = ["", "zzzz qqqq", "   ", "broken refund", "great love"]
    mask = model.readable(texts)
    assert mask.dtype == bool and mask.tolist() == [False, False, False, True, True]
    prior = model.predict_proba([""])[0]
    unread = model.predict_proba(texts)[~mask]
    assert np.allclose(unread, prior)  # what an unreadable text gets: the same row always
    assert model.readable_features(model.transform(texts)).tolist() == mask.tolist()
    loaded = EndModel.load(model.save(tmp_path / "m.json"))
    assert loaded.readable(texts).tolist() == mask.tolist()
    assert model.readable([]).shape == (0,)


def test_predict_frame_names_the_labels_and_keeps_a_series_index():
    """A notebook user got class indices from predict and lined them up with her frame
    by hand; predict_frame gives names and her frame's index."""
    import pandas as pd

    model = EndModel(["billing", "technical"]).fit(TEXTS, PROBS)
    texts = pd.Series(["broken refund", "love it", "zzzz"], index=[101, 7, 55])
    frame = model.predict_frame(texts)
    assert list(frame.columns) == ["billing", "technical", "label", "confidence", "readable"]
    assert list(frame.index) == [101, 7, 55]
    np.testing.assert_array_equal(frame[["billing", "technical"]].to_numpy(),
                                  model.predict_proba(texts))
    names = np.array(model.labels)[model.predict(texts)]
    assert frame["label"].tolist() == names.tolist()
    np.testing.assert_allclose(frame["confidence"], model.predict_proba(texts).max(axis=1))
    assert frame["readable"].tolist() == model.readable(texts).tolist()
    assert list(model.predict_frame(list(texts)).index) == [0, 1, 2]
    assert model.predict_frame([]).shape == (0, 5)


def test_predict_frame_reads_the_texts_and_computes_the_probabilities_once(monkeypatch):
    """The texts turned into features once and the probabilities computed once, for the
    labels, the confidences and the readable column alike."""
    model = EndModel(["billing", "technical"]).fit(TEXTS, PROBS)
    calls = {"transform": 0, "probs": 0}
    transform, probs = EndModel.transform, EndModel.predict_proba_features

    def counted_transform(self, texts):  # type: ignore[no-untyped-def]
        calls["transform"] += 1
        return transform(self, texts)

    def counted_probs(self, X):  # type: ignore[no-untyped-def]
        calls["probs"] += 1
        return probs(self, X)

    monkeypatch.setattr(EndModel, "transform", counted_transform)
    monkeypatch.setattr(EndModel, "predict_proba_features", counted_probs)
    model.predict_frame(["broken refund", "love it"])
    assert calls == {"transform": 1, "probs": 1}
