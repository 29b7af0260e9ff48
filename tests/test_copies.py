"""Copies: items whose text is the same once normalised (labelwright.copies)."""

import numpy as np
import pytest

from labelwright.copies import (
    ALL,
    ONE,
    find_copies,
    one_per_text,
    queue_one_per_text,
    recorded_copies,
    same_text_key,
)
from labelwright.triage.core import Triage


def test_texts_are_copies_after_nfc_and_whitespace_but_not_case():
    texts = ["Café  ok", "Cafe\u0301 ok\n", "café ok", " ", None, "other"]
    copies = find_copies(texts)
    assert copies.group[0] == copies.group[1]  # NFC and whitespace runs
    assert copies.group[2] != copies.group[0]  # case kept
    assert copies.group[3] == copies.group[4] == -1  # blank or missing: nobody's copy
    assert copies.others().tolist() == [1, 1, 0, 0, 0, 0]
    assert (copies.texts_with_copies, copies.items_with_copies) == (1, 2)
    assert same_text_key("  a\tb  ") == "a b"
    assert same_text_key("   ") is None
    # zero-width characters, as review import ignores them: 'Awesome\ufeff' and
    # 'Awesome \ufeff' were two texts beside 'Awesome' (walkthrough, UCI YouTube)
    assert same_text_key("Awesome\ufeff") == same_text_key("Awesome \ufeff") == "Awesome"
    assert same_text_key("\u200b") is None


def test_one_per_text_keeps_the_first_of_each_text_in_queue_order_and_the_kept_ones():
    copies = find_copies(["x", "y", "x", "x", "y", "z"])
    order = np.array([3, 4, 0, 1, 2, 5])
    assert one_per_text(order, copies).tolist() == [3, 4, 5]
    keep = np.zeros(6, dtype=bool)
    keep[2] = True  # an audit pick stays, whatever its text
    assert one_per_text(order, copies, keep=keep).tolist() == [3, 4, 2, 5]


def test_the_queue_keeps_every_audit_item_and_counts_what_it_left_out():
    copies = find_copies(["spam", "spam", "spam", "spam"])
    tri = Triage(label=np.zeros(4, dtype=np.int64), confidence=np.ones(4),
                 status=np.array(["review"] * 4),
                 reasons=[("conflict",), ("conflict",), ("audit",), ("audit",)],
                 order=np.array([1, 0, 2, 3]))
    cut, left_out = queue_one_per_text(tri, copies)
    assert cut.order.tolist() == [1, 2, 3]
    assert left_out == 1


def test_the_queue_keeps_every_disputed_item_whatever_its_text():
    """Two disputed items sharing "first post! hi all" were exported as one: the
    adjudicator settled p02057 and found p40878 still disputed a run later."""
    copies = find_copies(["first post! hi all"] * 3)
    tri = Triage(label=np.zeros(3, dtype=np.int64), confidence=np.ones(3),
                 status=np.array(["review"] * 3),
                 reasons=[("disputed",), ("disputed", "conflict"), ("conflict",)],
                 order=np.array([0, 1, 2]))
    cut, left_out = queue_one_per_text(tri, copies)
    assert cut.order.tolist() == [0, 1]
    assert left_out == 1


@pytest.mark.parametrize(("record", "setting"), [
    (None, ALL), ({}, ALL), ({"copies": {"setting": "one"}}, ONE),
    ({"copies": {"setting": "all"}}, ALL), ({"copies": "weird"}, ALL)])
def test_a_run_without_the_record_queued_every_item(record, setting):
    assert recorded_copies(record) == setting


def test_texts_differing_only_in_direction_marks_are_copies():
    """Chat apps wrap right-to-left text in marks a reader never sees (RLM, the Arabic
    letter mark, isolates, embeddings): the same message pasted twice was two texts."""
    texts = ["بطاقتي لا تعمل", "\u200fبطاقتي لا تعمل\u200f", "\u2067بطاقتي\u2069 لا تعمل",
             "\u202bبطاقتي لا تعمل\u202c", "\u061cبطاقتي لا\u200e تعمل", "بطاقتي تعمل"]
    copies = find_copies(texts)
    assert len(set(copies.group[:5].tolist())) == 1
    assert copies.group[5] != copies.group[0]
    assert same_text_key("\u200f\u2067\u2069") is None
