"""``review stats`` lists Cohen's kappa for the pairs of raters that share items, and counts
the others: with raters in small groups most pairs never met, and a row each (45 rows, 40
of them ``0 | —``) buried the few that say something."""

from __future__ import annotations

from test_stats import add, stats_text


def test_only_pairs_that_share_items_are_listed(reviewed_project):
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "alice", {"t1": "billing", "t2": "technical", "t3": "billing"}, sha="a")
    add(root, run_id, "bob", {"t1": "billing", "t2": "billing", "t3": "billing"}, sha="b")
    add(root, run_id, "carol", {"t4": "technical", "t5": "billing"}, sha="c")
    add(root, run_id, "dave", {"t4": "technical", "t5": "technical"}, sha="d")
    text = stats_text(root, run_id)
    table = text[text.index("Cohen's kappa per pair"):text.index("Fleiss' kappa:")]
    assert "│ alice │ bob │ 3 │" in table and "│ carol │ dave │ 2 │" in table
    for pair in ("│ alice │ carol │", "│ alice │ dave │", "│ bob │ carol │", "│ bob │ dave │"):
        assert pair not in table
    assert "4 other pairs of raters share no item (no kappa; not shown)" in table


def test_a_pair_who_used_one_label_throughout_has_no_kappa(reviewed_project):
    """Kappa is (p_o - p_e) / (1 - p_e); with one label on every shared item p_e = 1 and it
    is 0/0: shown as undefined, not as a perfect 1.000; with one rater on one label, p_e =
    p_o and it is 0 by construction: undefined too, beside the share they agreed on."""
    root, run_id = reviewed_project.root, reviewed_project.run_id
    add(root, run_id, "alice", {"t1": "billing", "t2": "billing", "t3": "billing"}, sha="a")
    add(root, run_id, "bob", {"t1": "billing", "t2": "billing", "t3": "billing"}, sha="b")
    add(root, run_id, "carol", {"t1": "billing", "t2": "technical"}, sha="c")
    add(root, run_id, "dave", {"t1": "billing", "t2": "technical", "t3": "technical"},
        sha="d")
    text = stats_text(root, run_id)
    table = text[text.index("Cohen's kappa per pair"):text.index("Fleiss' kappa:")]
    assert "│ alice │ bob │ 3 │ n/a (one label) │ — │ 100.0% │" in table
    # carol used two labels, alice one: kappa would be 0 whatever carol did
    assert "│ alice │ carol │ 2 │ n/a (one label) │ — │ 50.0% │" in table
    assert "│ carol │ dave │ 2 │ 1.000 │" in table  # both used two labels: a kappa
    assert "0.000" not in table
    assert "items decided per rater: alice 3, bob 3, carol 2, dave 3" in text
