"""The warnings of run and analyze for duplicate LFs: the groups named with what the
label model does, near-copies named, nothing said of LFs that differ."""

import numpy as np
import pytest

from labelwright.models import registry
from labelwright.models.dawid_skene import DawidSkene
from labelwright.models.duplicate_warnings import (
    configured_words,
    duplicate_lf_warnings,
    model_words,
    tried_copy_warnings,
    tried_nested_warnings,
)
from labelwright.models.registry import default_model


def noisy_lfs(n=1500, m=5, k=3, seed=0):
    """Votes of ``m`` LFs (accuracies 0.9-0.6, coverage 40%) on ``n`` items of ``k``
    classes."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    L = np.full((n, m), -1, dtype=np.int64)
    for j, acc in enumerate(np.linspace(0.9, 0.6, m)):
        on = rng.random(n) < 0.4
        right = rng.random(n) < acc
        L[on, j] = np.where(right[on], y[on], rng.integers(0, k, int(on.sum())))
    return L


NAMES = ["balance_regex", "fee_regex", "late", "spam", "other", "balance_regex_copy",
         "glossary:fees"]


def test_the_warning_names_each_group_and_what_the_model_does():
    L = noisy_lfs(k=3, seed=1)
    Lc = np.hstack([L, L[:, [0]], L[:, [1]]])
    words, once = model_words(default_model(3).fit(Lc))
    assert (words, once) == ("dawid_skene", True)
    assert model_words(default_model(3).fit(L)) == ("dawid_skene", True)  # found none
    (said,) = duplicate_lf_warnings(Lc, NAMES, 3, model=words, once=once)
    votes0, votes1 = int((L[:, 0] >= 0).sum()), int((L[:, 1] >= 0).sum())
    assert said.startswith(
        f"LFs balance_regex and balance_regex_copy vote the same on every item ({votes0} "
        f"items voted on); LFs fee_regex and glossary:fees vote the same on every item "
        f"({votes1} items voted on): the label model (dawid_skene) counts each group once")
    (majority,) = duplicate_lf_warnings(Lc, NAMES, 3, model="majority", once=False)
    assert "counts every vote" in majority
    (snorkel,) = duplicate_lf_warnings(Lc, NAMES, 3, model="snorkel", once=False)
    assert "takes them as independent LFs" in snorkel
    (auto,) = duplicate_lf_warnings(Lc, NAMES, 3, model="auto", once=None)
    assert "when it picks dawid_skene" in auto
    assert duplicate_lf_warnings(L, NAMES[:5], 3, model="dawid_skene", once=True) == []


class ProjectDawidSkene(DawidSkene):
    """A project's own Dawid-Skene, registered under a name of its own."""


def test_a_configured_model_counts_copies_once_when_it_learns_copy_of(monkeypatch):
    """Before a fit (analyze), whether copies count once was read from a list of names, so
    a subclass of dawid_skene registered under another name was said to count each copy."""
    assert configured_words("default") == ("default (dawid_skene)", True)
    assert configured_words("dawid_skene") == ("dawid_skene", True)
    assert configured_words("auto") == ("auto", None)
    for name in ("majority", "weighted_majority", "snorkel", "triplet"):
        assert configured_words(name) == (name, False)
    monkeypatch.setitem(registry._REGISTRY, "clause_model", ProjectDawidSkene)
    assert configured_words("clause_model") == ("clause_model (dawid_skene)", True)


def test_the_warning_names_near_copies_and_says_they_count_apart():
    L = noisy_lfs(n=1000, k=3, seed=2)
    near = L[:, 3].copy()
    near[np.flatnonzero(near >= 0)[:4]] = -1
    said = duplicate_lf_warnings(np.hstack([L, near[:, None]]), NAMES[:6], 3,
                                 model="dawid_skene", once=True)
    assert len(said) == 1
    assert said[0].startswith("1 pair of LFs vote the same on at least 95% of the items "
                              "either votes on (near-copies): spam and balance_regex_copy (")
    assert "counts them as separate LFs" in said[0]


def test_check_names_copies_only_on_five_votes_or_more():
    L = np.full((50, 4), -1)
    L[:6, 0] = L[:6, 1] = 1
    L[10:14, 2] = L[10:14, 3] = 0  # 4 votes each: two rare LFs may agree by chance
    (said,) = tried_copy_warnings(L, ["a", "b", "c", "d"], "the 50 items tried")
    assert said.startswith("LFs a and b (6 voted on) vote the same on the 50 items tried: ")


@pytest.mark.parametrize(("model", "does"), [
    ("auto", "the label model (auto) counts each group once when it picks dawid_skene"),
    ("snorkel", "the label model (snorkel) takes them as independent LFs"),
    ("dawid_skene", "the label model (dawid_skene) counts each group once"),
])
def test_check_says_what_the_projects_own_label_model_does_with_copies(model, does):
    """check said "the default label model (dawid_skene) counts a group of copies once" in
    a project whose label model is snorkel, which counts each copy."""
    L = np.full((50, 2), -1)
    L[:6, 0] = L[:6, 1] = 1
    (said,) = tried_copy_warnings(L, ["a", "b"], "the 50 items tried", model=model)
    assert f"A run compares them on every item, and {does}" in said, said


def test_the_nested_warning_writes_every_count_one_way():
    """"1,302 of its 1302 votes": the vote count lacked the thousands separator the other
    counts have."""
    from labelwright.models.duplicate_warnings import nested_warning
    from labelwright.models.nested_lfs import Nested

    said = nested_warning([Nested(1, 0, 1302, 1302, 4810)], ["broad", "inner"])
    assert "inner inside broad (1,302 of its 1,302 votes on items where broad votes the " \
        "same label; broad votes on 4,810)" in said, said
    one = nested_warning([Nested(1, 0, 1, 1, 4810)], ["broad", "inner"])
    assert "(1 of its 1 vote on items" in one, one


def test_the_copies_warning_writes_its_item_count_with_a_separator():
    from labelwright.models.duplicate_warnings import duplicate_lf_warnings

    column = np.tile([0, 1, -1], 500)  # 1,000 votes over 1,500 items
    said = duplicate_lf_warnings(np.stack([column, column], axis=1), ["a", "b"], 2,
                                 model="majority", once=False)
    assert any("(1,000 items voted on)" in line for line in said), said


def test_check_names_nested_lfs_from_five_votes_as_the_samples():
    L = np.full((50, 3), -1)
    L[:30, 0] = 1
    L[:6, 1] = 1  # 6 votes, all where LF 0 votes the same
    L[40:44, 2] = 0  # 4 votes: too few to say
    L[40:44, 0] = 0
    (said,) = tried_nested_warnings(L, ["broad", "inner", "rare"], 2, "the 50 items tried")
    assert said.startswith("on the 50 items tried (a sample: a run checks every item): 1 LF "
                           "votes only where another LF votes the same label")
    assert "inner inside broad (6 of its 6 votes" in said and "rare inside" not in said
    L[5, 1] = 0  # one vote of the 6 against: 83% inside
    assert tried_nested_warnings(L, ["broad", "inner", "rare"], 2, "the 50 items tried") == []
