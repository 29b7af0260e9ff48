import numpy as np
import pandas as pd
import pytest

from labelwright.lfs.stats import coverage, label_distribution, lf_summary, vote_counts
from labelwright.matrix import LabelMatrix

LABELS = ("a", "b", "c")
#          lf0 lf1 lf2
VOTES = [[0, 0, -1],   # agree
         [0, 1, -1],   # conflict
         [-1, 1, 2],   # conflict
         [-1, -1, 2],  # alone
         [-1, -1, -1]]  # uncovered
GOLD = [0, 0, 2, -1, 1]


def matrix():
    votes = np.array(VOTES, dtype=np.int8)
    return LabelMatrix(votes, ["lf0", "lf1", "lf2"], [str(i) for i in range(5)], LABELS)


def test_vote_counts():
    assert vote_counts(np.array(VOTES, dtype=np.int8), 3).tolist() == [
        [2, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 0]]


def test_summary_values():
    table = lf_summary(matrix(), gold=np.array(GOLD), failures={"lf1": 3},
                       kinds=["python", "python", "glossary"])
    assert table["lf"].tolist() == ["lf0", "lf1", "lf2"]
    assert table["polarity"].tolist() == ["a", "a, b", "c"]
    assert table["coverage"].tolist() == pytest.approx([2 / 5, 3 / 5, 2 / 5])
    assert table["overlaps"].tolist() == pytest.approx([2 / 5, 3 / 5, 1 / 5])
    assert table["conflicts"].tolist() == pytest.approx([1 / 5, 2 / 5, 1 / 5])
    # gold: lf0 votes a on items 0 (gold a), 1 (gold a) -> 2 correct
    # lf1 votes a on 0 (a), b on 1 (a), b on 2 (c) -> 1 correct, 2 incorrect
    # lf2 votes c on 2 (c), c on 3 (no gold) -> 1 correct, 0 incorrect
    assert table["correct"].tolist() == [2, 1, 1]
    assert table["incorrect"].tolist() == [0, 2, 0]
    assert table["emp_accuracy"].tolist() == pytest.approx([1.0, 1 / 3, 1.0])
    assert table["failures"].tolist() == [0, 3, 0]
    assert table["kind"].tolist() == ["python", "python", "glossary"]


def test_mixed_polarity():
    votes = np.array([[0], [2], [-1]], dtype=np.int8)
    table = lf_summary(LabelMatrix(votes, ["x"], ["1", "2", "3"], LABELS))
    assert table["polarity"].tolist() == ["a, c"]
    assert "correct" not in table.columns and "failures" not in table.columns


def test_no_gold_means_no_accuracy_columns():
    table = lf_summary(matrix(), gold=np.full(5, -1))
    assert "emp_accuracy" not in table.columns


def test_accuracy_nan_when_lf_never_votes_on_gold():
    votes = np.array([[0, -1], [-1, 1]], dtype=np.int8)
    table = lf_summary(LabelMatrix(votes, ["x", "y"], ["1", "2"], LABELS),
                       gold=np.array([0, -1]))
    assert table["emp_accuracy"].iloc[0] == 1.0
    assert np.isnan(table["emp_accuracy"].iloc[1])


def test_coverage_and_distribution():
    assert coverage(matrix()) == pytest.approx(4 / 5)
    dist = label_distribution(LABELS, ["b", "a", None, "b"])
    assert dist.to_dict() == {"a": 1, "b": 2, "(none)": 1}
    assert list(dist.index) == ["a", "b", "(none)"]


def _gold_votes(specs):
    """A matrix of one LF per (right, wrong) pair in ``specs``, each voting 0 on its own
    items; gold is 0 on the right ones, 1 on the wrong ones."""
    n = sum(r + w for r, w in specs)
    votes = np.full((n, len(specs)), -1, dtype=np.int8)
    gold = np.full(n, -1)
    start = 0
    for j, (right, wrong) in enumerate(specs):
        votes[start:start + right + wrong, j] = 0
        gold[start:start + right + wrong] = [0] * right + [1] * wrong
        start += right + wrong
    names = [f"lf{j}" for j in range(len(specs))]
    return LabelMatrix(votes, names, [str(i) for i in range(n)], LABELS), gold


def test_misread_names_the_lfs_the_label_model_reads_far_from_their_gold_accuracy():
    """url_present read 22.1% learned accuracy where gold showed 91.7% (143/156), and
    nothing said the label model had it wrong."""
    from labelwright.lfs.stats import misread

    matrix, gold = _gold_votes([(36, 4), (36, 4), (985, 15), (0, 3), (30, 10)])
    learned = {"lf0": 0.30,   # 90% on 40 gold votes: far outside its interval
               "lf1": 0.85,   # inside 76%-97%
               "lf2": 0.995,  # outside 97.5%-99.2%, but a point from 98.5%: not a misread
               "lf3": 0.30,   # wrong on its 3 gold votes: inside 0%-71%
               "lf4": float("nan")}  # the model has no number for it
    said = misread(matrix, gold, learned, assumed={"lf0": 0.7})
    assert len(said) == 1
    assert said[0].startswith("the label model misreads 1 LF (learned acc. far from")
    assert "\n  'lf0' 30% learned, 90% on gold (36/40, 95% interval 76%\u201397%); it reads " \
        "some of its votes at its prior, 70%\n" in said[0]
    assert all(f"'lf{j}'" not in said[0] for j in range(1, 5))
    assert misread(matrix, gold, {"lf0": 0.9}) == []
    assert misread(matrix, np.full(len(gold), -1), learned) == []
    assert said[0].endswith("reviewing a random sample gives the model labels to fit on\n"
                            "  (`labelwright review export --sample`)")
    # with reviews of a random sample in the fit, that advice was followed already
    (sampled,) = misread(matrix, gold, learned, sampled=60)
    assert "review export --sample" not in sampled
    assert sampled.endswith("the model already fits on 60 reviewed random-sample items: more "
                            "of them, or an LF\n  that votes less where it is wrong, moves its "
                            "reading")
    # a model reused from another run fits on none of this run's reviews: it said "the
    # model already fits on 60 reviewed random-sample items" of a model fit without them
    (reused,) = misread(matrix, gold, learned, sampled=60, reused="reused from run r1")
    assert "already fits" not in reused and "review export --sample" not in reused
    assert reused.endswith("the label model was reused from run r1,\n  not fit on this run's "
                           "reviews: run without --label-model-from to fit one on them")


def test_an_lf_of_a_rare_label_is_checked_on_the_gold_votes_it_has():
    """address_regex was right on 19 of its 19 gold votes and read at 47.7%; the check
    needed 20 gold votes, so no LF of a rare label was ever checked. Noise still says
    nothing: 3 of 3 right read at 60% (the interval, 29%-100%, holds it), and one wrong
    vote of an LF read at 95% (0%-97.5%)."""
    from labelwright.lfs.stats import misread
    from labelwright.review.stats.agreement import exact_interval

    matrix, gold = _gold_votes([(19, 0), (3, 0), (0, 1)])
    matrix = LabelMatrix(matrix.votes, ["address_regex", "lf1", "lf2"], matrix.item_ids,
                         LABELS)
    (said,) = misread(matrix, gold, {"address_regex": 0.477, "lf1": 0.60, "lf2": 0.95})
    low, high = exact_interval(19, 19)
    assert said.splitlines()[1] == (f"  'address_regex' 48% learned, 100% on gold (19/19, 95% "
                                    f"interval {low:.0%}\u2013{high:.0%})")
    assert said.startswith("the label model misreads 1 LF ")
    assert misread(matrix, gold, {"lf1": 0.60, "lf2": 0.95}) == []
    # the same 3 of 3 read at 25%, far outside 29%-100%, is one
    (said,) = misread(matrix, gold, {"lf1": 0.25})
    assert "'lf1' 25% learned, 100% on gold (3/3" in said


def test_the_misread_warning_is_one_short_line_per_lf():
    """The warning was one line of 700 characters for two LFs, printed on every run: the
    LFs it named were buried in the criteria and the advice."""
    from labelwright.lfs.stats import misread

    matrix, gold = _gold_votes([(36, 4), (18, 7), (29, 11)])
    matrix = LabelMatrix(matrix.votes, ["lf0", "billing_glossary_on_paid_plan",
                                        "glossary:billing_terms"], matrix.item_ids, LABELS)
    (said,) = misread(matrix, gold, {"lf0": 0.88, "billing_glossary_on_paid_plan": 1.0,
                                     "glossary:billing_terms": 0.94})
    lines = said.splitlines()
    assert lines[1:3] == [
        "  'billing_glossary_on_paid_plan' 100% learned, 72% on gold (18/25, 95% interval "
        "51%\u201388%)",
        "  'glossary:billing_terms' 94% learned, 72% on gold (29/40, 95% interval "
        "56%\u201385%)"]
    assert lines[0].startswith("the label model misreads 2 LFs ")
    assert "labelwright review export --sample" in said  # the advice, once
    assert said.count("random sample") == 1
    assert max(map(len, lines)) <= 100


def test_read_accuracies_is_the_models_probability_of_each_vote_where_it_voted():
    from labelwright.runs.outputs import read_accuracies

    votes = np.array([[0, -1], [1, -1], [0, -1]], dtype=np.int8)
    probs = np.array([[0.9, 0.1, 0.0], [0.4, 0.6, 0.0], [0.5, 0.5, 0.0]])
    read = read_accuracies(votes, probs)
    assert read[0] == pytest.approx((0.9 + 0.6 + 0.5) / 3)
    assert np.isnan(read[1])  # never voted


def test_learned_accuracy_is_the_models_reading_not_its_parameter_under_equal_classes():
    """With 5 labels and no reviewed labels dawid_skene assumes equal classes: its per-LF
    accuracy, P(vote right | vote) under that balance, put an LF of the class holding 64% of
    the items at 32%, while the model gave that LF's label most of the probability on the
    items it voted on (and it is right 88% of the time). The LF table showed the 32%."""
    from labelwright.models import get_model
    from labelwright.runs.outputs import learned_table

    rng = np.random.default_rng(0)
    n, k = 6000, 5
    y = rng.choice(k, size=n, p=[0.64, 0.09, 0.12, 0.10, 0.05])

    def lf(label, hit, false):
        v = np.full(n, -1)
        v[(y == label) & (rng.random(n) < hit)] = label
        v[(y != label) & (rng.random(n) < false)] = label
        return v

    votes = np.stack([lf(0, 0.3, 0.05), lf(0, 0.25, 0.05), lf(1, 0.6, 0.01), lf(2, 0.5, 0.02),
                      lf(3, 0.5, 0.02), lf(4, 0.7, 0.01), lf(1, 0.4, 0.02), lf(2, 0.4, 0.03)],
                     axis=1)
    # equal classes asked for: with votes 3:1 apart the default takes their balance
    model = get_model("dawid_skene", cardinality=k, random_state=0, max_iter=300,
                      balance_from_votes=False).fit(votes)
    probs = model.predict_proba(votes)
    names = [f"lf{j}" for j in range(votes.shape[1])]
    table = learned_table(pd.DataFrame({"lf": names, "coverage": (votes >= 0).mean(axis=0)}),
                          model, votes, probs)
    voted = votes[:, 1] >= 0
    right = (votes[voted, 1] == y[voted]).mean()
    assert model.class_balance_.tolist() == pytest.approx([0.2] * 5)
    assert model.accuracies_[1] < 0.5 < table["learned_accuracy"][1] and right > 0.8
    # the mean probability of its label, 0, over the items it voted on
    assert table["learned_accuracy"][1] == pytest.approx(probs[voted, 0].mean(), abs=1e-6)
    # without the run's votes and probabilities: the model's own parameter, as before
    assert learned_table(table[["lf", "coverage"]], model)["learned_accuracy"].tolist() == \
        pytest.approx(model.accuracies_.tolist(), abs=1e-6)


def test_the_tables_columns_come_in_the_printed_order():
    """lf_summary.csv had kind after conflicts while the printed table (and the report) put
    it after the LF's name."""
    matrix, gold = _gold_votes([(3, 1), (2, 2)])
    table = lf_summary(matrix, gold=gold, kinds=["python", "glossary"], failures={})
    assert table.columns.tolist()[:6] == ["lf", "kind", "polarity", "coverage", "overlaps",
                                          "conflicts"]
    assert table["kind"].tolist() == ["python", "glossary"]
    assert lf_summary(matrix).columns.tolist()[:2] == ["lf", "polarity"]  # no kinds given


def test_gold_as_label_names_counts_as_indices():
    names = pd.Series(["a", "a", "c", None, "b"])  # a DataFrame's gold column
    by_name = lf_summary(matrix(), gold=names)
    by_index = lf_summary(matrix(), gold=np.array(GOLD))
    pd.testing.assert_frame_equal(by_name, by_index)
    # NaN for no gold, as a float column with a missing value holds indices
    as_floats = lf_summary(matrix(), gold=np.array([0, 0, 2, np.nan, 1]))
    pd.testing.assert_frame_equal(as_floats, by_index)


@pytest.mark.parametrize(("gold", "error", "message"), [
    (GOLD[:3], ValueError, r"gold has 3 values, the label matrix 5 items"),
    (["a", "a", "x", None, "b"], ValueError, r"gold\[2\] is 'x', not one of the labels "
                                              r"\('a', 'b', 'c'\)"),
    ([0, 0, 3, -1, 1], ValueError, r"gold\[2\] is 3, out of range: class indices are 0..2"),
    ([0, 0, 0.5, -1, 1], ValueError, r"gold\[2\] is 0.5"),
    ([True, False, True, False, True], TypeError, "booleans"),
    ([[0]] * 5, ValueError, "must be 1-D"),
])
def test_bad_gold_says_what_is_expected(gold, error, message):
    with pytest.raises(error, match=message):
        lf_summary(matrix(), gold=gold)


def test_bad_queue_is_named_as_queue():
    with pytest.raises(ValueError, match=r"queue has 2 values"):
        lf_summary(matrix(), queue=[0, 1])


def test_a_votes_array_is_not_a_matrix():
    with pytest.raises(TypeError, match=r"matrix must be a LabelMatrix, got numpy.ndarray"
                                        r".*LabelMatrix\(votes, lf_names, item_ids, labels\)"):
        lf_summary(np.array(VOTES, dtype=np.int8), gold=GOLD)


def test_gold_is_keyword_only():
    with pytest.raises(TypeError):
        lf_summary(matrix(), np.array(GOLD))  # type: ignore[misc]


def test_a_misread_warning_of_many_lfs_is_condensed_and_says_it_is_the_models_reading():
    """A 12-label run named 11 of its 18 LFs, a line each, read as 11 LFs to fix, while the
    LFs wrong most often on gold showed only in the table's incorrect column."""
    from labelwright.lfs.stats import MISREAD_SHOWN, misread

    specs = [(20, 20)] * (MISREAD_SHOWN + 3)
    matrix, gold = _gold_votes(specs)
    learned = {f"lf{j}": 0.95 for j in range(len(specs))}
    learned["lf5"] = 0.99  # the farthest from its 50% on gold
    (said,) = misread(matrix, gold, learned)
    lines = said.splitlines()
    assert lines[0].startswith(f"the label model misreads {len(specs)} LFs ")
    flat = " ".join(said.split())
    assert flat.count("learned,") == MISREAD_SHOWN - 1
    assert "farthest: 'lf5' 99% learned, 50% on gold (20/40);" in flat
    assert f"and {len(specs) - MISREAD_SHOWN + 1} more" in flat
    assert "the model's weight for their votes, not their rules" in flat
    assert max(map(len, lines)) <= 100
    (few,) = misread(matrix.columns(["lf0", "lf1"]), gold, learned)
    assert "farthest" not in few and few.count("learned,") == 2


def test_the_condensed_misread_line_puts_the_surest_misreads_first():
    """0 of 2 right read at 100% (its interval 0%-84%) came before 23 of 25 right read at
    30% (74%-99%): the larger gap, but the less sure misread."""
    from labelwright.lfs.stats import MISREAD_SHOWN, misread

    specs = [(0, 2), (23, 2)] + [(20, 20)] * MISREAD_SHOWN
    matrix, gold = _gold_votes(specs)
    learned = {"lf0": 1.0, "lf1": 0.30, **{f"lf{j}": 0.9 for j in range(2, len(specs))}}
    (said,) = misread(matrix, gold, learned)
    flat = " ".join(said.split())
    assert "farthest: 'lf1' 30% learned, 92% on gold (23/25);" in flat
    assert "'lf0'" not in flat  # 16 points outside its interval; the others 24 and 44


def test_misread_points_under_the_lf_table_only_when_an_lf_has_wrong_votes():
    """The advice said "the LFs wrong most often on gold are named under the LF table" when
    no LF had a wrong vote on gold, and nothing was named there."""
    from labelwright.lfs.stats import misread

    matrix, gold = _gold_votes([(40, 0)])
    (said,) = misread(matrix, gold, {"lf0": 0.30})
    assert "named under the LF table" not in said, said
    matrix, gold = _gold_votes([(40, 0), (3, 1)])
    (said,) = misread(matrix, gold, {"lf0": 0.30})
    assert "on gold are named under the LF table" in said, said
