"""Fixing calibration: temperature scaling and the Calibrator's choice of method."""

from __future__ import annotations

import numpy as np
import pytest

from labelwright.models import TemperatureScaler, ece
from labelwright.models.calibration import Calibrator
from labelwright.models.metrics import log_loss
from labelwright.models.synthetic import two_level_probs
from labelwright.models.ties import TIE_BREAKS, break_ties


def test_temperature_scaling_fixes_overconfidence():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 5000)
    right = rng.random(5000) < 0.7  # 70% right, but claims 99%
    pred = np.where(right, y, 1 - y)
    probs = np.where(pred[:, None] == np.arange(2), 0.99, 0.01)
    scaler = TemperatureScaler().fit(probs, y)
    fixed = scaler.transform(probs)
    assert scaler.temperature_ > 1
    assert ece(fixed, y) < 0.02 < ece(probs, y)
    assert log_loss(y, fixed) < log_loss(y, probs)
    np.testing.assert_array_equal(fixed.argmax(axis=1), probs.argmax(axis=1))


def _balanced_truth(n: int, seed: int):
    """Probabilities that are right as often as they claim (calibrated already)."""
    rng = np.random.default_rng(seed)
    p1 = rng.uniform(0.05, 0.95, n)
    y = (rng.random(n) < p1).astype(int)
    return np.column_stack([1 - p1, p1]), y


def test_calibrator_keeps_identity_when_nothing_beats_it():
    probs, y = _balanced_truth(400, 0)
    cal = Calibrator(bins=False).fit(probs, y)
    assert cal.method_ == "identity" and cal.confidence_map_ is None
    assert not cal.learned_anything and cal.describe() == "identity"
    assert set(cal.cv_log_loss_) == {"identity", "temperature", "class_bias"}  # no covered=
    np.testing.assert_allclose(cal.transform(probs), probs)
    # on probabilities that are right already, a map learned from 400 rows gains nothing
    # worth its noise: cross-validation turns it down
    tried = Calibrator().fit(probs, y)
    assert tried.method_ == "identity" and tried.confidence_map_ is None
    assert tried.cv_log_loss_["confidence_map"] \
        > tried.cv_log_loss_["identity"] - tried.min_gain
    np.testing.assert_allclose(tried.transform(probs), probs)


def test_calibrator_fixes_a_wrong_class_balance():
    # the model says 50/50 on every item, but 85% of them are class 0
    rng = np.random.default_rng(1)
    y = (rng.random(600) < 0.15).astype(int)
    probs = np.full((600, 2), 0.5)
    probs[:100] = np.where(y[:100, None] == np.arange(2), 0.9, 0.1)  # some informative rows
    cal = Calibrator().fit(probs, y)
    assert cal.method_ == "class_bias"
    assert cal.class_bias_[0] > cal.class_bias_[1]
    assert ece(cal.transform(probs), y) < 0.05 < ece(probs, y)


def test_coverage_calibration_learns_uncovered_items_separately():
    # covered items: calibrated already (p1 right as often as it says), classes balanced;
    # uncovered items: uniform probabilities, but 90% of them are class 1
    rng = np.random.default_rng(2)
    n = 800
    covered = rng.random(n) < 0.5
    p1 = rng.uniform(0.05, 0.95, n)
    y = np.where(covered, rng.random(n) < p1, rng.random(n) < 0.9).astype(int)
    probs = np.where(covered[:, None], np.column_stack([1 - p1, p1]), 0.5)
    cal = Calibrator().fit(probs, y, covered=covered)
    assert cal.method_ == "coverage"
    assert cal.cv_log_loss_["coverage"] < cal.cv_log_loss_["class_bias"]
    fixed = cal.transform(probs, covered=covered)
    assert fixed[~covered, 1].mean() == pytest.approx(0.9, abs=0.05)
    # covered items keep their probabilities closer than one class bias for all items does
    shift = np.abs(fixed[covered, 1] - p1[covered]).mean()
    one_bias = Calibrator(methods=("class_bias",), no_vote_shares=False).fit(
        probs, y, covered=covered)
    assert one_bias.method_ == "class_bias"
    one_shift = np.abs(one_bias.transform(probs)[covered, 1] - p1[covered]).mean()
    assert shift < 0.1 < one_shift
    assert ece(fixed, y) < ece(probs, y)
    with pytest.raises(ValueError, match="covered="):
        cal.transform(probs)


def test_the_order_methods_are_given_in_does_not_change_the_choice():
    """Candidates were tried in the order given, each against the one chosen so far, so
    ``methods=("class_bias", "temperature")`` kept class_bias where temperature did as well
    (cross-validated log loss 0.5647 against 0.5646): a simpler method had to beat a more
    complex one by ``min_gain``. They are now tried simplest first whatever the order."""
    rng = np.random.default_rng(1)
    p1 = rng.uniform(0.05, 0.95, 800)
    y = (rng.random(800) < p1).astype(int)
    probs = np.column_stack([1 - p1, p1]) ** 3  # over-confident: a temperature fixes it
    probs /= probs.sum(axis=1, keepdims=True)
    chosen = [Calibrator(methods=methods, bins=False, argmax_moves="allowed").fit(probs, y)
              for methods in (("temperature", "class_bias"), ("class_bias", "temperature"))]
    assert [cal.method_ for cal in chosen] == ["temperature", "temperature"]


def test_calibrator_needs_enough_gold_and_checks_inputs():
    probs, y = _balanced_truth(20, 3)
    few = Calibrator(min_gold=30).fit(probs, y)
    assert few.method_ == "identity" and few.confidence_map_ is None
    np.testing.assert_allclose(few.transform(probs), probs)
    with pytest.raises(ValueError, match="one gold class per row"):
        Calibrator().fit(probs, y[:-1])
    with pytest.raises(ValueError, match="class indices 0..1"):
        Calibrator().fit(probs, np.full(20, 2))
    with pytest.raises(ValueError, match="unknown calibration method 'isotonic'"):
        Calibrator(methods=("isotonic",)).fit(*_balanced_truth(100, 4))
    with pytest.raises(RuntimeError, match="not fitted"):
        Calibrator().transform(probs)
    # votes of a class the probabilities do not have (a label matrix of another label set)
    votes = np.where(np.arange(20)[:, None] % 2 == 0, y[:, None], -1)
    votes[5, 0] = 2
    with pytest.raises(ValueError, match=r"votes must hold class indices 0..1 or -1 \(abstain\); "
                                         r"got 2 at row 5, LF 0"):
        Calibrator().fit(probs, y, votes=votes)


def test_a_class_without_gold_keeps_its_probabilities_from_per_class_biases():
    """Gold for classes 0 and 1 only: a per-class bias would push class 2 to nothing."""
    rng = np.random.default_rng(7)
    n, k = 600, 3
    y = rng.integers(0, k, n)
    logits = rng.normal(0, 1, (n, k))
    logits[np.arange(n), y] += 2.5
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    gold = y < 2
    cal = Calibrator(random_state=0).fit(probs[gold], y[gold])
    assert cal.method_ in ("identity", "temperature")
    assert "class_bias" not in cal.cv_log_loss_
    out = cal.transform(probs)
    assert (out[y == 2].argmax(axis=1) == 2).mean() > 0.5  # class 2 is still predicted


def test_the_confidence_map_fixes_what_a_scaling_cannot():
    probs, y = two_level_probs(1000, 0)
    test_probs, test_y = two_level_probs(5000, 99)
    scaled = Calibrator(bins=False).fit(probs, y)
    mapped = Calibrator().fit(probs, y)
    assert mapped.method_ == scaled.method_ and mapped.confidence_map_ is not None
    assert mapped.cv_log_loss_["confidence_map"] < mapped.cv_log_loss_[mapped.method_]
    assert mapped.describe() == f"{mapped.method_} + confidence map"
    assert ece(mapped.transform(test_probs), test_y) < ece(scaled.transform(test_probs),
                                                           test_y) / 2
    # the 0.999 step (~700 rows, 85% right) moves to what its rows show, but not to 100%
    top_step = mapped.confidence_map_.calibrated_.max()
    assert 0.8 < top_step < 0.9
    out = mapped.transform(test_probs)
    for policy in TIE_BREAKS:  # labels, ties included, are the scaling's
        np.testing.assert_array_equal(break_ties(out, policy),
                                      break_ties(scaled.transform(test_probs), policy))
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_the_confidence_map_is_saved_and_read_back():
    probs, y = two_level_probs(1000, 0)
    cal = Calibrator().fit(probs, y)
    doc = cal.to_dict()
    assert doc["confidence_map"] is not None
    read = Calibrator.from_dict(doc)
    np.testing.assert_allclose(read.transform(probs), cal.transform(probs))
    # what the cross-validation showed is not saved: read back, it is empty, not missing
    assert (read.cv_probs_, read.cv_log_loss_, read.accuracy_wins_) == (None, {}, {})
    # documents written before the map existed: the scaling alone
    del doc["confidence_map"]
    older = Calibrator.from_dict(doc)
    assert older.confidence_map_ is None
    np.testing.assert_allclose(older.transform(probs),
                               Calibrator(bins=False).fit(probs, y).transform(probs))


def test_the_calibrator_fits_with_blas_in_one_thread(monkeypatch):
    """Hundreds of small optimizer steps: BLAS threads only made each wait on every core."""
    from threadpoolctl import threadpool_info

    from labelwright.models import calibration_methods

    def blas_threads():
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    seen = []
    fit = calibration_methods.Scaling.fit

    def spy(self, *args, **kwargs):
        seen.append(blas_threads())
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(calibration_methods.Scaling, "fit", spy)
    before = blas_threads()
    probs, y = _balanced_truth(200, 0)
    Calibrator(bins=False).fit(probs, y)
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == before


def _sure_one_votes_and_confident_conflicts(n: int, seed: int):
    """Probabilities of 3 classes with the shape a label model gives when LFs overlap: 70%
    of items have one vote, 0.75 on its class and always right (under-confident); 30% have
    votes that conflict, 0.97 on class 0 and right half the time (class 2 otherwise:
    over-confident). Returns the probabilities, the gold classes and the label matrix (two
    LFs for class 0 and one for class 2 on the conflicts; one LF per class elsewhere)."""
    rng = np.random.default_rng(seed)
    k = 3
    conflict = rng.random(n) < 0.3
    top = np.where(conflict, 0, rng.integers(0, k, n))
    y = np.where(conflict, np.where(rng.random(n) < 0.5, 2, 0), top)
    p_top = np.where(conflict, 0.97, 0.75)
    probs = np.repeat(((1 - p_top) / (k - 1))[:, None], k, axis=1)
    probs[np.arange(n), top] = p_top
    votes = np.full((n, 5), -1)
    votes[~conflict, top[~conflict]] = top[~conflict]
    votes[conflict, 0], votes[conflict, 3], votes[conflict, 2] = 0, 0, 2
    return probs, y, votes


def test_a_calibration_that_moves_top_classes_must_be_more_accurate_too():
    """Per-class biases fit for log loss pay for the confident conflicts by moving the top
    class of items that were right (a 4-label project's default model: 12.5% of its labels
    moved, held-out accuracy 0.91 -> 0.83-0.86). The cross-validation scored log loss only;
    a method that moves a top class is now kept only if its out-of-fold top classes are
    also right more often, in >= 95% of bootstrap resamples of the gold rows."""
    probs, y, _ = _sure_one_votes_and_confident_conflicts(300, 1)
    test_probs, test_y, _ = _sure_one_votes_and_confident_conflicts(5000, 101)
    raw_accuracy = (test_probs.argmax(axis=1) == test_y).mean()
    cal = Calibrator(random_state=0).fit(probs, y)
    assert cal.cv_log_loss_["class_bias"] < cal.cv_log_loss_["temperature"] - cal.min_gain
    assert cal.keeps_argmax
    assert (cal.transform(test_probs).argmax(axis=1) == test_y).mean() == raw_accuracy
    # the earlier choice, by log loss alone, on request
    loose = Calibrator(random_state=0, argmax_moves="allowed").fit(probs, y)
    assert loose.method_ == "class_bias"
    assert (loose.transform(test_probs).argmax(axis=1) == test_y).mean() < raw_accuracy - 0.1
    with pytest.raises(ValueError, match="argmax_moves 'sometimes'; valid: "):
        Calibrator(argmax_moves="sometimes").fit(probs, y)


def test_a_temperature_per_vote_pattern_fixes_a_model_sure_of_conflicts_and_unsure_of_the_rest():
    """One temperature fit by log loss softens every item to pay less for the confident
    conflicts, so a model under-confident on most items (one vote, always right) became
    less confident still (a 4-label project's auto: temperature 1.73, held-out ECE 0.150
    -> 0.152, mean confidence 0.75 against 0.89 accuracy). Given the votes, the Calibrator
    fits one temperature per vote pattern: sharper where one LF voted, softer where LFs
    conflict; no item's top class moves."""
    probs, y, votes = _sure_one_votes_and_confident_conflicts(300, 1)
    test_probs, test_y, test_votes = _sure_one_votes_and_confident_conflicts(5000, 101)
    before = ece(test_probs, test_y)
    one = Calibrator(random_state=0).fit(probs, y)
    assert one.temperature_ > 1 and ece(one.transform(test_probs), test_y) > before - 0.02
    cal = Calibrator(random_state=0).fit(probs, y, votes=votes)
    assert cal.method_ == "vote_pattern" and cal.keeps_argmax
    temps = cal.pattern_temperatures_
    assert temps["one_vote"] < 1 < temps["conflict"]
    fixed = cal.transform(test_probs, votes=test_votes)
    np.testing.assert_array_equal(fixed.argmax(axis=1), test_probs.argmax(axis=1))
    assert ece(fixed, test_y) < 0.05 < before
    assert log_loss(test_y, fixed) < log_loss(test_y, one.transform(test_probs))
    # saved and read back; the votes are needed to apply it
    again = Calibrator.from_dict(cal.to_dict())
    np.testing.assert_allclose(again.transform(test_probs, votes=test_votes), fixed)
    with pytest.raises(ValueError, match="pass votes="):
        again.transform(test_probs)
    with pytest.raises(ValueError, match="votes must be the label matrix's rows of the 5000"):
        cal.transform(test_probs, votes=test_votes[:10])
    doc = cal.to_dict()
    del doc["pattern_temperatures"]["split"]
    with pytest.raises(ValueError, match="one per vote pattern"):
        Calibrator.from_dict(doc)


def test_a_temperature_per_vote_pattern_must_gain_min_gain_once_per_pattern():
    """Five temperatures must lower the cross-validated log loss five times as much as one:
    with a gain once asked of them, ``vote_pattern`` was chosen on 2 of 16 sets whose label
    model was right as often as it said, and cost a point of test ECE on each."""
    probs, y, votes = _sure_one_votes_and_confident_conflicts(300, 1)
    methods = ("identity", "temperature", "vote_pattern")
    cv = Calibrator(methods=methods, bins=False).fit(probs, y, votes=votes).cv_log_loss_
    gain = min(cv["identity"], cv["temperature"]) - cv["vote_pattern"]
    assert gain > 0
    # the same folds and scores: only the gain asked changes
    chosen = {share: Calibrator(methods=methods, bins=False, min_gain=gain / share
                                ).fit(probs, y, votes=votes).method_ for share in (3, 6)}
    assert chosen[6] == "vote_pattern" and chosen[3] != "vote_pattern"


def _imbalanced_with_uncovered_at_an_even_prior(n: int, seed: int
                                                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A spam-filter-like set: 14% class 1, three LFs that vote on class-1 items more often,
    and a label model that assumes an even class balance, so the ~10% of items no LF voted
    on (almost all class 0) sit at 0.5 / 0.5."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.14).astype(np.int64)
    votes = np.full((n, 3), -1)
    for j in range(3):
        on = rng.random(n) < np.where(y == 1, 0.8, 0.5)
        right = rng.random(n) < 0.85
        votes[on, j] = np.where(right[on], y[on], 1 - y[on])
    score = ((votes == 1).sum(axis=1) - (votes == 0).sum(axis=1)) * np.log(0.85 / 0.15)
    p1 = 1 / (1 + np.exp(-score))
    return np.c_[1 - p1, p1], y, votes


def test_a_bias_for_the_items_with_no_vote_alone_moves_no_covered_item():
    """On a set of 13.6% spam with a label model at an even class balance (UCI SMS), the
    per-class biases that fix the balance also move top classes that were right, and the
    guard refuses them; the temperature left in their place softened the items whose votes
    agree and doubled the test ECE (1.4 -> 8.9 points). The items no LF voted on carry the
    error: ``no_vote_bias`` gives them the gold class shares of such items (shrunk toward
    the model's own) and scales the covered items by vote pattern, so no covered item's
    top class can move. The covered items' temperatures are per vote pattern and top class:
    there, the one-vote items whose top class was spam were 0.99 confident and 50-70%
    right, the others 0.87-0.89 confident and 98% right."""
    probs, y, votes = _imbalanced_with_uncovered_at_an_even_prior(500, 1)
    test_probs, test_y, test_votes = _imbalanced_with_uncovered_at_an_even_prior(5000, 2)
    before = ece(test_probs, test_y)
    cal = Calibrator(random_state=0, argmax_moves="never").fit(probs, y, votes=votes)
    assert cal.method_ == "no_vote_bias"
    fixed = cal.transform(test_probs, votes=test_votes)
    covered = (test_votes >= 0).any(axis=1)
    np.testing.assert_array_equal(fixed[covered].argmax(axis=1),
                                  test_probs[covered].argmax(axis=1))
    # the uncovered items' class 1 share is under 1%: they now say so, within the shrinkage
    assert (fixed[~covered, 1] < 0.05).all()
    # one-vote items whose top class is 1 are right far less often than the others: they get
    # their own temperature, softer; the ties at 0.5 of a split vote stay ties, and part
    # of the error with them
    temps = cal.pattern_temperatures_
    assert temps["one_vote/1"] > 1.5 * temps["one_vote/0"]
    # the items with no vote take the shares, so no temperature is kept for them
    assert set(temps) == {f"{p}/{c}" for p in ("agree", "conflict", "split", "one_vote")
                          for c in (0, 1)}
    assert ece(fixed, test_y) < before - 0.02
    assert log_loss(test_y, fixed) < log_loss(test_y, test_probs) - 0.1
    without = Calibrator(random_state=0, argmax_moves="never",
                         methods=("identity", "temperature", "vote_pattern")
                         ).fit(probs, y, votes=votes)
    assert ece(without.transform(test_probs, votes=test_votes), test_y) > before - 0.01
    # saved and read back; the votes are needed to apply it
    again = Calibrator.from_dict(cal.to_dict())
    np.testing.assert_allclose(again.transform(test_probs, votes=test_votes), fixed)
    with pytest.raises(ValueError, match="pass votes="):
        again.transform(test_probs)
    # a document saved before this method existed has no "no_vote_probs" and still loads
    old = Calibrator(random_state=0).fit(probs, y, votes=votes).to_dict()
    del old["no_vote_probs"]
    assert Calibrator.from_dict(old).method_ == old["method"]
    # a document saved when it also kept a temperature per top class for the items with no
    # vote (never applied to them) reads back to the same probabilities, without those
    doc = cal.to_dict()
    doc["pattern_temperatures"].update({"no_vote/0": 19.0, "no_vote/1": 0.06})
    older = Calibrator.from_dict(doc)
    assert older.pattern_temperatures_ == temps
    np.testing.assert_array_equal(older.transform(test_probs, votes=test_votes), fixed)
    doc["no_vote_probs"] = [1.0]
    with pytest.raises(ValueError, match="'no_vote_probs' must be 2 probabilities"):
        Calibrator.from_dict(doc)


def _uncovered_mostly_class_0(seed: int, n: int = 300, uncovered_p0: float = 0.52):
    """Covered rows calibrated already; rows no LF voted on at ``uncovered_p0`` for class 0
    (a label model's class balance), 85% of them class 0."""
    rng = np.random.default_rng(seed)
    covered = rng.random(n) < 0.8
    p1 = rng.uniform(0.02, 0.98, n)
    y = np.where(covered, rng.random(n) < p1, rng.random(n) < 0.15).astype(int)
    probs = np.where(covered[:, None], np.column_stack([1 - p1, p1]),
                     [uncovered_p0, 1 - uncovered_p0])
    return probs, y, covered


def test_no_vote_shares_follow_the_gold_rows_without_votes_after_any_scaling():
    """The scalings an argmax-keeping choice is left with cannot move the rows no LF voted
    on off the class balance (UCI YouTube: 43 such test items at 0.51, 77% of them ham, half
    of a 6.96-point ECE); the no-vote shares give them their gold rows' mix and keep their
    top class."""
    probs, y, covered = _uncovered_mostly_class_0(3)
    cal = Calibrator(methods=("identity", "temperature", "vote_pattern")).fit(
        probs, y, covered=covered)
    assert cal.no_vote_shares_ and cal.keeps_argmax and cal.learned_anything
    assert cal.cv_log_loss_["no_vote_shares"] < cal.cv_log_loss_[cal.method_] - 0.01
    fixed = cal.transform(probs, covered=covered)
    assert fixed[~covered, 0] == pytest.approx(np.full((~covered).sum(), 0.85), abs=0.08)
    assert np.array_equal(fixed.argmax(axis=1), probs.argmax(axis=1))
    assert ece(fixed[~covered], y[~covered]) < ece(probs[~covered], y[~covered])
    assert "no-vote shares" in cal.describe()
    again = Calibrator.from_dict(cal.to_dict())
    np.testing.assert_allclose(again.transform(probs, covered=covered), fixed)
    with pytest.raises(ValueError, match="covered="):
        cal.transform(probs)
    # without the step, or without knowing which rows had no vote, the rows stay as they are
    for off in (Calibrator(no_vote_shares=False).fit(probs, y, covered=covered),
                Calibrator().fit(probs, y)):
        assert not off.no_vote_shares_
        assert "no_vote_shares" not in off.cv_log_loss_


def test_no_vote_shares_that_move_a_top_class_wait_for_argmax_moves():
    """Uncovered rows tied at 0.5: shares would put a class on top of every one of them,
    which an argmax-keeping choice must refuse (the labels stay the model's) and
    ``argmax_moves="allowed"`` takes."""
    probs, y, covered = _uncovered_mostly_class_0(4, uncovered_p0=0.5)
    keeping = Calibrator(methods=("identity", "temperature")).fit(probs, y, covered=covered)
    assert not keeping.no_vote_shares_ and keeping.keeps_argmax
    # The same scalings with moves allowed: coverage and no_vote_bias, which would take the
    # uncovered rows' shares themselves, are not among them, so the step must add them.
    moving = Calibrator(methods=("identity", "temperature"), argmax_moves="allowed").fit(
        probs, y, covered=covered)
    assert moving.method_ in ("identity", "temperature")
    assert moving.no_vote_shares_ and not moving.keeps_argmax
