import numpy as np
import pytest

from labelwright.triage.core import triage
from labelwright.triage.draws import stratified_sample

#   votes of 2 LFs, 2 labels
VOTES = np.array([
    [0, 0],    # 0 agree a, confident
    [0, 1],    # 1 conflict
    [-1, -1],  # 2 uncovered
    [1, -1],   # 3 single vote, low confidence
    [1, 1],    # 4 confident b
], dtype=np.int8)
PROBS = np.array([[0.95, 0.05], [0.5, 0.5], [0.5, 0.5], [0.4, 0.6], [0.1, 0.9]])
PRED = np.array([0, 0, -1, 1, 1])


def run(**kw):
    options = {"threshold": 0.7, "audit_size": 0, "seed": 0}
    options.update(kw)
    return triage(PROBS, VOTES, PRED, **options)


def test_reasons_and_status():
    t = run()
    assert t.label.tolist() == [0, 0, -1, 1, 1]
    assert t.confidence.tolist() == [0.95, 0.5, 0.0, 0.6, 0.9]
    assert t.reasons == [(), ("conflict", "low_confidence"), ("uncovered",),
                         ("low_confidence",), ()]
    assert t.status.tolist() == ["accepted", "review", "review", "review", "accepted"]
    assert t.counts() == {"accepted": 2, "review": 3, "reviewed": 0, "disputed": 0,
                          "copies_disagree": 0, "stale": 0, "second_opinion": 0,
                          "conflict": 1, "low_confidence": 2, "against_votes": 0,
                          "unread": 0, "uncovered": 1, "audit": 0}


def test_a_label_no_lf_voted_for_goes_to_review_however_sure_the_model_is():
    """A pharma spam post with one spam vote was labelled ok at 0.73 (the class prior won)
    and accepted: nothing but the label model stood behind a label every vote was against."""
    votes = np.array([[1, -1], [1, -1], [-1, -1], [0, 1]], dtype=np.int8)
    probs = np.array([[0.73, 0.27], [0.2, 0.8], [0.9, 0.1], [0.95, 0.05]])
    predicted = np.array([0, 1, 0, 0])
    t = triage(probs, votes, predicted, threshold=0.7, audit_size=0, seed=0)
    assert t.reasons[0] == ("against_votes",) and t.status[0] == "review"
    assert t.reasons[1] == ()  # its label is the one its LF voted for
    assert t.reasons[2] == ("uncovered",)  # no LF voted: uncovered, not against the votes
    assert t.reasons[3] == ("conflict",)  # an LF voted for its label
    assert t.counts()["against_votes"] == 1
    # it ranks with the conflicts and low confidences, before the uncovered items
    assert t.order.tolist().index(0) < t.order.tolist().index(2)
    # runs from before the reason are triaged again without it
    old = triage(probs, votes, predicted, threshold=0.7, audit_size=0, seed=0,
                 review_against_votes=False)
    assert old.reasons[0] == () and old.status[0] == "accepted"


def test_disputed_items_go_to_review_first_and_leave_the_audit_sample():
    """An item whose reviewers disagree (no reviewed label yet) had been accepted like any
    confident one, so the adjudicator found it nowhere in the queue."""
    disputed = np.array([False, False, False, False, True])
    t = run(disputed=disputed, audit_size=5)
    assert t.reasons[4] == ("disputed",) and t.status[4] == "review"
    assert t.order[0] == 4
    assert t.counts()["disputed"] == 1
    # the audit sample checks accepted labels: the disputed item is not one any more
    assert [i for i in t.order if "audit" in t.reasons[i]] == [0]
    with pytest.raises(ValueError, match="disputed must have one entry per item"):
        run(disputed=disputed[:3])


def test_queue_order_least_confident_first_then_uncovered_then_audit():
    t = run(audit_size=1)
    # tier 0: conflict (0.5) before low confidence (0.6); tier 1: uncovered; tier 2: audit
    assert t.order.tolist()[:3] == [1, 3, 2]
    assert len(t.order) == 4
    assert t.reasons[t.order[3]] == ("audit",)


def test_conflicts_not_reviewed_when_disabled():
    probs = PROBS.copy()
    probs[1] = [0.9, 0.1]
    t = triage(probs, VOTES, PRED, threshold=0.7, audit_size=0, seed=0, review_conflicts=False)
    assert t.reasons[1] == ()
    assert t.status[1] == "accepted"


def test_conflicts_below_a_confidence_go_to_review_and_confident_ones_are_accepted():
    """At a million product reviews every item with any conflict was queued (185,744 of
    them, most labelled right at high confidence): a number reviews only the conflicts
    the model is less sure of than it."""
    probs = PROBS.copy()
    probs[1] = [0.9, 0.1]
    votes = np.vstack([VOTES, [[1, 0]]])
    probs = np.vstack([probs, [[0.2, 0.8]]])
    pred = np.append(PRED, 1)
    t = triage(probs, votes, pred, threshold=0.7, audit_size=0, seed=0,
               review_conflicts=0.85)
    assert t.reasons[1] == () and t.status[1] == "accepted"   # 0.9: above 0.85
    assert t.reasons[5] == ("conflict",) and t.status[5] == "review"   # 0.8: below
    # the bound compares as the threshold does: a confidence rounded just under it is at it
    at = triage(probs, votes, pred, threshold=0.7, audit_size=0, seed=0,
                review_conflicts=0.8000000000000002)
    assert at.reasons[5] == ()


def test_tie_left_without_label_goes_to_review():
    pred = PRED.copy()
    pred[1] = -1
    t = triage(PROBS, VOTES, pred, threshold=0.7, audit_size=0, seed=0, review_conflicts=False)
    assert t.label[1] == -1 and t.confidence[1] == 0.0
    assert t.reasons[1] == ("low_confidence",)


def big_case(n=200, seed=1):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n)
    votes = np.stack([labels, labels], axis=1).astype(np.int8)
    votes[:20] = -1  # uncovered
    probs = np.full((n, 3), 0.025)
    probs[np.arange(n), labels] = 0.95
    return probs, votes, labels


def test_audit_sample_seeded_stratified_and_only_from_accepted():
    probs, votes, labels = big_case()
    a = triage(probs, votes, labels, threshold=0.7, audit_size=30, seed=5)
    b = triage(probs, votes, labels, threshold=0.7, audit_size=30, seed=5)
    c = triage(probs, votes, labels, threshold=0.7, audit_size=30, seed=6)
    audited = [i for i, r in enumerate(a.reasons) if "audit" in r]
    assert len(audited) == 30
    assert audited == [i for i, r in enumerate(b.reasons) if "audit" in r]
    assert audited != [i for i, r in enumerate(c.reasons) if "audit" in r]
    assert all(i >= 20 for i in audited)  # never an uncovered (review) item
    assert all(a.reasons[i] == ("audit",) for i in audited)
    per_label = np.bincount(labels[audited], minlength=3)
    share = np.bincount(labels[20:], minlength=3) / 180 * 30
    assert np.all(np.abs(per_label - share) <= 1.5)


def test_stratified_sample_gives_each_group_one():
    groups = np.array([0] * 50 + [1] * 2 + [2] * 1)
    picked = stratified_sample(groups, np.arange(53), 5, np.random.default_rng(0))
    assert len(picked) == 5 and len(set(picked.tolist())) == 5
    assert set(groups[picked].tolist()) == {0, 1, 2}
    assert picked.tolist() == sorted(picked.tolist())


def test_stratified_sample_shares_leftover_slots_by_largest_remainder():
    """Every slot the floors left went to the largest group: [300, 99, 99, 99] with 10 slots
    gave [7, 1, 1, 1] where the shares are [5.0, 1.7, 1.7, 1.7]."""
    groups = np.repeat([0, 1, 2, 3], [300, 99, 99, 99])
    picked = stratified_sample(groups, np.arange(len(groups)), 10, np.random.default_rng(0))
    assert np.bincount(groups[picked]).tolist() == [5, 2, 2, 1]
    rng = np.random.default_rng(1)
    for _ in range(50):  # every group within one slot of its share, once each has its one
        sizes = rng.integers(20, 300, rng.integers(2, 6))
        groups = np.repeat(np.arange(len(sizes)), sizes)
        size = int(rng.integers(len(sizes), 60))
        counts = np.bincount(groups[stratified_sample(groups, np.arange(len(groups)), size,
                                                      rng)], minlength=len(sizes))
        assert counts.sum() == size
        assert np.all(np.abs(counts - size * sizes / sizes.sum()) < 1 + 1e-9)


def test_stratified_sample_edges():
    rng = np.random.default_rng(0)
    groups = np.array([0, 1, 1])
    assert stratified_sample(groups, np.arange(3), 0, rng).tolist() == []
    assert stratified_sample(groups, np.array([], dtype=int), 5, rng).tolist() == []
    assert stratified_sample(groups, np.arange(3), 10, rng).tolist() == [0, 1, 2]
    more_groups = stratified_sample(np.array([0, 1, 2, 3]), np.arange(4), 2, rng)
    assert len(more_groups) == 2


def test_reviewed_items_are_left_out_of_the_audit_sample():
    n = 40
    probs = np.tile([0.95, 0.05], (n, 1))
    votes = np.zeros((n, 2), dtype=np.int8)
    predicted = np.zeros(n, dtype=np.int64)
    reviewed = np.zeros(n, dtype=bool)
    reviewed[:30] = True
    t = triage(probs, votes, predicted, threshold=0.7, audit_size=5, seed=0, reviewed=reviewed)
    audited = [i for i, r in enumerate(t.reasons) if "audit" in r]
    assert len(audited) == 5
    assert all(i >= 30 for i in audited)


@pytest.mark.parametrize(("change", "message"), [
    (dict(threshold=float("nan")), "threshold must be a number from 0 to 1, got nan"),
    (dict(probs=np.full((4, 2), np.nan)), "probs hold NaN"),
    (dict(votes=np.array([[0], [1], [-3], [0]])), r"votes must be -1 \(abstain\) or 0..1"),
    (dict(votes=np.zeros((4, 1))), "votes must be an integer matrix"),
    (dict(predicted=np.array([0, 1])), "predicted must hold one class index"),
    (dict(score=np.zeros(2)), r"score must have one entry per item \(4\)"),
])
def test_inputs_that_do_not_fit_are_named(change, message):
    """A NaN threshold flagged nothing as low-confidence; NaN probabilities were accepted;
    wrong shapes failed inside numpy."""
    args = dict(probs=np.array([[0.9, 0.1], [0.2, 0.8], [0.5, 0.5], [0.6, 0.4]]),
                votes=np.array([[0], [1], [-1], [0]]), predicted=np.array([0, 1, 0, 0]),
                threshold=0.7)
    args.update(change)
    with pytest.raises(ValueError, match=message):
        triage(args.pop("probs"), args.pop("votes"), args.pop("predicted"), audit_size=0,
               seed=0, **args)


def test_a_sample_smaller_than_the_groups_goes_to_the_largest_shares():
    """With fewer slots than labels every label got one, then the first labels lost theirs:
    the label holding 98% of the accepted items was never audited."""
    rng = np.random.default_rng(0)
    groups = np.repeat([0, 1, 2, 3, 4], [2, 2, 1000, 2, 2])
    picked = stratified_sample(groups, np.arange(len(groups)), 4, rng)
    assert np.bincount(groups[picked], minlength=5).tolist() == [0, 0, 4, 0, 0]
    groups = np.repeat([0, 1, 2], [10, 300, 200])
    picked = stratified_sample(groups, np.arange(len(groups)), 2, rng)
    assert np.bincount(groups[picked], minlength=3).tolist() == [0, 1, 1]
    picked = stratified_sample(np.repeat([0, 1], [5, 95]), np.arange(100), 1, rng)
    assert picked.tolist()[0] >= 5


def test_a_confidence_at_the_threshold_but_for_rounding_is_not_low():
    """A lone vote the model cannot judge gets the prior accuracy, 0.7, computed as
    0.6999999999999998: it went to review as low_confidence at threshold 0.7 while the
    queue showed its confidence as 0.7."""
    at = 1 - 0.3 * (1 + 1e-15)  # 0.7 as arithmetic leaves it
    assert at < 0.7
    probs = np.array([[at, 1 - at], [0.6999, 0.3001]])
    votes = np.array([[0, -1], [0, -1]], dtype=np.int8)
    t = triage(probs, votes, np.array([0, 0]), threshold=0.7, audit_size=0, seed=0)
    assert t.reasons == [(), ("low_confidence",)]


def test_with_ids_the_audit_and_random_sample_do_not_depend_on_the_rows_order():
    """A dataset sorted otherwise drew another audit sample (19 of the example's 25 items)
    and another random sample: the draws went by row position."""
    from labelwright.triage.draws import random_sample

    rng = np.random.default_rng(4)
    n, k = 400, 3
    probs = rng.dirichlet(np.ones(k), size=n)
    votes = np.where(rng.random((n, 4)) < 0.5, rng.integers(0, k, (n, 4)), -1)
    predicted = probs.argmax(axis=1)
    ids = np.array([f"item-{i}" for i in range(n)])
    order = rng.permutation(n)

    def drawn(rows):
        tri = triage(probs[rows], votes[rows], predicted[rows], threshold=0.5, audit_size=12,
                     seed=3, ids=list(ids[rows]))
        audit = {ids[rows][i] for i, r in enumerate(tri.reasons) if "audit" in r}
        sample = [ids[rows][i] for i in random_sample(n, 30, seed=3, ids=list(ids[rows]))]
        return audit, sample

    audit, sample = drawn(np.arange(n))
    shuffled_audit, shuffled_sample = drawn(order)
    assert len(audit) == 12 and audit == shuffled_audit
    assert len(sample) == 30 and sample == shuffled_sample  # the same items, in one order
    # another seed draws others; the two draws are independent streams
    other = triage(probs, votes, predicted, threshold=0.5, audit_size=12, seed=4,
                   ids=list(ids))
    assert {ids[i] for i, r in enumerate(other.reasons) if "audit" in r} != audit
    # by position (no ids) the shuffle moved them: what a run did before
    by_row = triage(probs[order], votes[order], predicted[order], threshold=0.5,
                    audit_size=12, seed=3)
    assert {ids[order][i] for i, r in enumerate(by_row.reasons) if "audit" in r} != audit


def test_tie_breaks_by_id_numbers_keep_each_items_label_whatever_its_row():
    from labelwright.models.ties import break_ties, id_numbers

    ids = [f"t{i}" for i in range(300)]
    probs = np.full((300, 3), 1 / 3)  # every row a three-way tie
    labels = break_ties(probs, "random", 0, row_ids=id_numbers(ids))
    assert len(set(labels.tolist())) == 3  # still a coin flip across classes
    order = np.random.default_rng(1).permutation(300)
    again = break_ties(probs[order], "random", 0, row_ids=id_numbers([ids[i] for i in order]))
    assert (again == labels[order]).all()
    assert (id_numbers(ids) >= 0).all() and id_numbers(["t1"])[0] == id_numbers(ids)[1]


def test_items_with_a_gold_label_are_left_out_of_the_audit_and_random_sample():
    """Both draws took items whose gold label the dataset holds (26 of a user's 100 sample
    items): reviews of known labels, and each reviewed one left the held-out set."""
    from labelwright.triage.draw_records import gold_left_out
    from labelwright.triage.draws import random_sample

    rng = np.random.default_rng(7)
    n, k = 300, 3
    probs = rng.dirichlet(np.full(k, 0.3), size=n)
    votes = np.where(rng.random((n, 3)) < 0.6, probs.argmax(axis=1)[:, None], -1)
    predicted = probs.argmax(axis=1)
    ids = [f"item-{i}" for i in range(n)]
    gold = rng.random(n) < 0.5
    reviewed = np.zeros(n, dtype=bool)
    reviewed[rng.choice(n, 20, replace=False)] = True
    options = dict(threshold=0.5, audit_size=12, seed=3, reviewed=reviewed, ids=ids)
    before = triage(probs, votes, predicted, **options)
    after = triage(probs, votes, predicted, **options, gold=gold)
    audited = np.array(["audit" in r for r in after.reasons])
    assert audited.sum() == 12 and not (audited & (gold | reviewed)).any()
    assert (np.array(["audit" in r for r in before.reasons]) & gold).any()  # it drew some
    # the queue's other reasons keep gold items: only the audit changes
    assert [tuple(x for x in r if x != "audit") for r in after.reasons] \
        == [tuple(x for x in r if x != "audit") for r in before.reasons]
    # the random sample: the items it drew before, gold ones out, in their order, then more
    everything = random_sample(n, n, seed=3, reviewed=reviewed, ids=ids)
    sample = random_sample(n, 40, seed=3, reviewed=reviewed, ids=ids, gold=gold)
    assert sample.tolist() == [i for i in everything if not gold[i]][:40]
    short = random_sample(n, n, seed=3, reviewed=reviewed, ids=ids, gold=gold)
    assert len(short) == (~gold & ~reviewed).sum()  # a short pool: all it has
    pool = np.array([s == "accepted" or r == ("audit",)
                     for s, r in zip(after.status, after.reasons)]) & ~reviewed
    assert gold_left_out(after, gold, reviewed, audit_size=12, sample_size=40) == {
        "audit": int((pool & gold).sum()), "random_sample": int((gold & ~reviewed).sum())}
    assert gold_left_out(after, gold, reviewed, audit_size=0, sample_size=0) == {
        "audit": 0, "random_sample": 0}
    with pytest.raises(ValueError, match=r"gold must have one entry per item \(300\)"):
        random_sample(n, 5, seed=3, gold=gold[:10])


def test_the_audit_estimates_accuracy_over_items_when_one_text_is_held_many_times():
    """The audit drew one item per text, so a text 300 of 1,000 items hold counted as one
    item: with the model wrong on that text alone, the audits read about 99% right where 70%
    of the labels are."""
    from labelwright.review.feedback.copy_reviews import use_copies

    texts = ["spam spam"] * 300 + [f"text {i}" for i in range(700)]
    ids = [f"i{i}" for i in range(len(texts))]
    wrong = np.array([t == "spam spam" for t in texts])
    none = np.full(len(texts), -1)
    copies = use_copies("one", texts, none, [[] for _ in texts], ids, ["a", "b"])
    votes = np.zeros((len(texts), 2), dtype=np.int8)
    probs = np.tile([0.99, 0.01], (len(texts), 1))
    estimates = []
    for seed in range(40):
        tri = triage(probs, votes, np.zeros(len(texts), dtype=np.int64), threshold=0.7,
                     audit_size=50, seed=seed, ids=ids, texts=copies.texts)
        audited = np.array(["audit" in r for r in tri.reasons])
        assert audited.sum() == 50
        estimates.append(1 - wrong[audited].mean())
    # 40 audits of 50: the mean's standard error is about 1 point
    assert abs(np.mean(estimates) - (1 - wrong.mean())) < 0.04, np.mean(estimates)


def test_items_only_unread_votes_speak_for_go_to_review_as_unread():
    from labelwright.triage.reasons import unread_items

    # LF 1's vote for b is unread (held at the prior, few reviews); LF 0's votes are read
    unread = np.array([[False, False], [False, True]])
    votes = np.array([[-1, 1], [1, 1], [0, 0], [-1, -1], [-1, 1]], dtype=np.int8)
    mask = unread_items(votes, unread)
    assert mask.tolist() == [True, False, False, False, True]  # one read vote is enough
    assert unread_items(votes, None) is None
    assert unread_items(votes, np.zeros((2, 2), dtype=bool)) is None
    # confident at the prior, yet sent to review, with the other doubtful items and before
    # the uncovered ones
    probs = np.array([[0.3, 0.7], [0.02, 0.98], [0.95, 0.05], [0.5, 0.5], [0.29, 0.71]])
    t = triage(probs, votes, np.array([1, 1, 0, -1, 1]), threshold=0.7, audit_size=0,
               seed=0, unread=mask)
    assert t.reasons == [("unread",), (), (), ("uncovered",), ("unread",)]
    assert t.status.tolist() == ["review", "accepted", "accepted", "review", "review"]
    assert t.order.tolist() == [0, 4, 3]  # least confident first within the tier
    assert t.counts()["unread"] == 2
    # an item with no label (the tie-break left none) is low confidence, not unread
    tied = triage(probs, votes, np.array([-1, 1, 0, -1, 1]), threshold=0.7, audit_size=0,
                  seed=0, unread=mask)
    assert tied.reasons[0] == ("low_confidence",)


def test_votes_for_a_label_the_balance_alone_makes_sure_are_not_unread():
    """A held vote is read at no less than chance, so an item only held votes for a label
    speak for has at least that label's class balance: where the balance alone reaches the
    threshold, the item's acceptance does not rest on the prior's assumed accuracy, and it
    is not unread. A label below the threshold (or not more than half) stays unread."""
    from labelwright.triage.reasons import sure_by_balance, unread_items

    assert sure_by_balance(np.array([0.75, 0.25]), 0.7).tolist() == [True, False]
    assert sure_by_balance(np.array([0.69, 0.31]), 0.7).tolist() == [False, False]
    assert sure_by_balance(np.array([0.45, 0.3, 0.25]), 0.4).tolist() == [False] * 3
    assert sure_by_balance(None, 0.7) is None
    unread = np.array([[True, False], [True, True]])  # LF 0's a, LF 1's a and b held
    votes = np.array([[0, -1], [-1, 1], [-1, 0], [0, 0], [1, -1]], dtype=np.int8)
    assert unread_items(votes, unread).tolist() == [True, True, True, True, False]
    sure = sure_by_balance(np.array([0.8, 0.2]), 0.7)
    # held votes for a and b: the b vote may take the item below a's balance: it stays
    votes = np.vstack([votes, [[0, 1]]]).astype(np.int8)
    assert unread_items(votes, unread, sure).tolist() == [
        False, True, False, False, False, True]


def test_item_reasons_are_each_items_flags_in_reason_order_one_tuple_per_combination():
    from labelwright.triage.reasons import REASONS, item_reasons, statuses

    rng = np.random.default_rng(3)
    flags = {reason: rng.random(500) < 0.2 for reason in REASONS}
    reasons = item_reasons(flags, 500)
    assert reasons == [tuple(r for r in REASONS if flags[r][i]) for i in range(500)]
    assert len({id(r) for r in reasons}) == len(set(reasons))  # one tuple per combination
    to_review = rng.random(500) < 0.5
    assert statuses(to_review).tolist() == ["review" if x else "accepted" for x in to_review]


def test_with_ids_the_queue_order_does_not_depend_on_the_rows_order():
    """A shuffled frame gave every item the same label (probabilities within 1e-15) but
    another queue head: ties, and float noise that split them, went by row position."""
    rng = np.random.default_rng(7)
    n, k = 300, 3
    # few distinct vote patterns: many items share a confidence exactly
    patterns = np.array([[0, -1, -1], [0, 1, -1], [1, 2, 2], [-1, -1, 2], [0, 0, 1]])
    votes = patterns[rng.integers(0, len(patterns), n)]
    base = {tuple(p): rng.dirichlet(np.ones(k)) for p in patterns.tolist()}
    probs = np.array([base[tuple(v)] for v in votes.tolist()])
    predicted = probs.argmax(axis=1)
    ids = np.array([f"chat-{i}" for i in range(n)])
    rows = rng.permutation(n)
    # the shuffled fit's float noise: the same probabilities but for the last bits
    noisy = probs[rows] * (1 + rng.choice([-1, 0, 1], size=(n, 1)) * 4e-16)
    score = rng.choice([0.25, 0.5, 0.75], size=n)  # a ranking's scores, tied too

    def queue_ids(p, rows, score=None):
        tri = triage(p, votes[rows], predicted[rows], threshold=0.9, audit_size=5, seed=3,
                     ids=list(ids[rows]), score=None if score is None else score[rows])
        return ids[rows][tri.order].tolist()

    first = queue_ids(probs, np.arange(n))
    assert len(first) > 100 and queue_ids(noisy, rows) == first
    assert queue_ids(probs, np.arange(n), score) == queue_ids(noisy, rows, score)
    # least confident first still: the tie-break reorders only items ranked alike
    tri = triage(probs, votes, predicted, threshold=0.9, audit_size=5, seed=3, ids=list(ids))
    shown = tri.confidence[tri.order][:100]
    assert (np.diff(shown) >= 0).all()


def test_the_manifest_records_how_the_queue_broke_ties_and_older_runs_go_by_row():
    """Runs drew their samples by id before they broke the queue's ties by id, and the
    manifest said only the first: a recompute of such a run hashed its ties all the same."""
    from labelwright.triage.draw_records import DRAWS_BY_ID, DRAWS_BY_ROW, recorded_tie_order

    n = 60
    probs = np.tile([0.6, 0.4], (n, 1))  # every item ranked alike
    votes = np.zeros((n, 1), dtype=np.int64)
    predicted = np.zeros(n, dtype=np.int64)
    ids = [f"item-{i}" for i in range(n)]
    hashed = triage(probs, votes, predicted, threshold=0.9, audit_size=0, seed=3, ids=ids)
    by_row = triage(probs, votes, predicted, threshold=0.9, audit_size=0, seed=3, ids=ids,
                    ties_by_id=False)
    assert by_row.order.tolist() == list(range(n))
    assert sorted(hashed.order.tolist()) == list(range(n)) != hashed.order.tolist()
    assert recorded_tie_order({"draws": DRAWS_BY_ID, "queue_ties": DRAWS_BY_ID}) == DRAWS_BY_ID
    assert recorded_tie_order({"draws": DRAWS_BY_ID}) == DRAWS_BY_ROW
    assert recorded_tie_order(None) == DRAWS_BY_ROW
