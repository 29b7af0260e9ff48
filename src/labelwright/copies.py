"""Copies: items whose text is the same once normalised (:func:`same_text_key`).

A reviewer's decision is about a text; a dataset often holds one text many times (a spam
comment posted again and again, a canned reply). With ``[review] copies = "one"`` (the
default) a run queues one item per text (the one triage ranks first) and gives a reviewed
text's label to its copies at the next run (:mod:`labelwright.review.feedback.copy_reviews`);
``"all"`` queues every item and carries nothing, as runs did before copies were found.

Texts are compared after Unicode NFC, without invisible characters (zero-width ones and
the direction marks of right-to-left text), and with runs of
whitespace made one space and the ends stripped, as ``review import`` compares texts; case
is kept (an LF may read case: "FREE MONEY" and "free money" can get other votes, and a
reviewer may read them otherwise too). An item without text (missing or
only whitespace) is nobody's copy. Grouping hashes the texts as written
(:func:`pandas.factorize`), normalises each distinct one once and hashes those forms, so
1M items take about two seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config.schema import COPIES_SETTINGS
from labelwright.text_form import text_form
from labelwright.triage.core import Triage

ONE, ALL = COPIES_SETTINGS


def same_text_key(text: str | None) -> str | None:
    """The form two texts must share to be copies: NFC, invisible characters removed,
    whitespace runs made one space, ends stripped, case kept
    (:func:`~labelwright.text_form.text_form`); None for a missing or blank text
    (nobody's copy)."""
    if not isinstance(text, str):
        return None
    key = text_form(text)  # as review import compares a row's text: one reading, one text
    return key or None


@dataclass(frozen=True)
class Copies:
    """Which items share a text: ``group`` per item (-1: no text, no copies), ``size``
    per group (how many items hold that text) and ``keys``, each group's
    :func:`same_text_key` (empty when not kept)."""

    group: np.ndarray
    size: np.ndarray
    keys: tuple[str, ...] = ()

    def others(self) -> np.ndarray:
        """Per item, how many other items share its text (0 for most)."""
        out = np.zeros(len(self.group), dtype=np.int64)
        has = self.group >= 0
        out[has] = self.size[self.group[has]] - 1
        return out

    @property
    def texts_with_copies(self) -> int:
        """How many texts more than one item holds."""
        return int((self.size > 1).sum())

    @property
    def items_with_copies(self) -> int:
        """How many items share their text with another item."""
        return int(self.size[self.size > 1].sum())


def find_copies(texts: Sequence[str | None]) -> Copies:
    """Group ``texts`` (one per item) by :func:`same_text_key`."""
    # each distinct text's key once: items often share a text as written. The groups come
    # in the order of their first item, as factorizing every item's key gives them
    values = np.empty(len(texts), dtype=object)
    values[:] = list(texts)
    written, distinct = pd.factorize(values, use_na_sentinel=True)
    keys = np.empty(len(distinct), dtype=object)
    keys[:] = [same_text_key(text) for text in distinct]
    key_group, uniques = pd.factorize(keys, use_na_sentinel=True)
    group = np.full(len(texts), -1, dtype=np.int64)
    has = written >= 0
    group[has] = key_group[written[has]]
    size = np.bincount(group[group >= 0], minlength=len(uniques)).astype(np.int64)
    return Copies(group=group, size=size, keys=tuple(uniques))


def one_per_text(order: np.ndarray, copies: Copies, *, keep: np.ndarray | None = None
                 ) -> np.ndarray:
    """``order`` (item indices, queue order) with the first item of each text only; items
    marked in ``keep`` (a mask over all items) stay whatever their text."""
    order = np.asarray(order, dtype=np.int64)
    group = copies.group[order]
    first = np.ones(len(order), dtype=bool)
    texts = group >= 0
    if keep is not None:
        texts &= ~np.asarray(keep, dtype=bool)[order]
    at = np.flatnonzero(texts)
    _, firsts = np.unique(group[at], return_index=True)
    first[at] = False
    first[at[firsts]] = True
    return order[first]


def audit_only(tri: Triage) -> np.ndarray:
    """Items in the queue for the audit alone: a random sample over items, which keeps its
    copies (it estimates accuracy over items, not per text)."""
    return np.array([r == ("audit",) for r in tri.reasons], dtype=bool)


def disputed_items(tri: Triage) -> np.ndarray:
    """Items in the queue as ``disputed``: each has raters of its own who disagree, and
    only a decision on that item settles it (an adjudicator's on a copy does not), so each
    is queued whatever its text: cut to one per text, an adjudicator settled one of two
    disputed copies and found the other still disputed a run later."""
    return np.array(["disputed" in r for r in tri.reasons], dtype=bool)


def queue_one_per_text(tri: Triage, copies: Copies) -> tuple[Triage, int]:
    """``tri`` with its queue cut to one item per text (the audit's items and the disputed
    ones all kept: a disputed item stands for its text, the audit's do not), and how many
    queued items were left out as copies of an item ranked before them."""
    first = one_per_text(tri.order, copies, keep=audit_only(tri))
    order = tri.order[np.isin(tri.order, first) | disputed_items(tri)[tri.order]]
    return replace(tri, order=order), len(tri.order) - len(order)


def recorded_copies(triage_record: dict[str, Any] | None) -> str:
    """``[review] copies`` as a run's manifest records it (``triage.copies.setting``): a run
    that does not say queued every item and carried nothing (``"all"``), as runs did
    before copies were found."""
    record = (triage_record or {}).get("copies")
    setting = record.get("setting") if isinstance(record, dict) else None
    return setting if setting in COPIES_SETTINGS else ALL


#: how a run under ``"one"`` drew its audit and random sample, as its manifest records it
#: (``triage.copies.draws``): over items, each drawn item counted once in the accuracy
#: figures, as runs before the record drew too; the record also means that among items the
#: queue ranks alike the text more items hold came first (:func:`recorded_queue_ties`)
DRAWS_PER_ITEM = "per item"


#: how a run under ``"one"`` treated a text whose reviewed items disagree, as its manifest
#: records it (``triage.copies.apart``): settled by the review policy, else its copies wait
#: in the queue (``copies_disagree``); runs before the record carried nothing and queued none
APART_BY_POLICY = "settled by policy, else queued"


def recorded_apart_rule(triage_record: dict[str, Any] | None) -> bool:
    """Whether a run settled texts reviewed apart by its review policy
    (:data:`APART_BY_POLICY`)."""
    record = (triage_record or {}).get("copies")
    return isinstance(record, dict) and record.get("apart") == APART_BY_POLICY


def recorded_queue_ties(triage_record: dict[str, Any] | None) -> bool:
    """Whether, among items a run's queue ranked alike, the text more items hold came first:
    runs that record ``triage.copies.draws`` did, runs before did not."""
    record = (triage_record or {}).get("copies")
    return isinstance(record, dict) and record.get("draws") == DRAWS_PER_ITEM


def copies_line(triage_record: dict[str, Any]) -> str | None:
    """The words ``run`` and ``runs show`` say a run's copies in, from its manifest's
    ``triage.copies``: ``copies: 5 items share 2 texts; the queue holds one item per text
    (3 left out), 2 items took the label of a reviewed copy``; None when no two items share
    a text (nor for runs from before the record)."""
    record = triage_record.get("copies")
    if not isinstance(record, dict) or not record.get("items_with_copies"):
        return None
    items, texts = record["items_with_copies"], record.get("texts_with_copies", "?")
    line = f"copies: {_n(items)} items share {_n(texts)} text{'s' * (texts != 1)}"
    if record.get("setting") != ONE:
        return line + ' ([review] copies = "all": each is queued, no review is carried)'
    line += (f"; the queue holds one item per text ({_n(record.get('left_out_of_queue', 0))} "
             "left out)")
    carried = record.get("labels_carried") or 0
    if carried:
        line += (f", {_n(carried)} item{'s' * (carried != 1)} took the label of a reviewed "
                 "copy")
    return line


def _n(count: object) -> str:
    """A count with thousands separators (a manifest's "?" as it is)."""
    return f"{count:,}" if isinstance(count, int) else str(count)
