"""The audit and the random sample: seeded draws of items whose label nobody knows, by a
hash of each item's id (:func:`draw_keys`) so that the rows' order does not change them,
the audit shared across predicted labels (:func:`stratified_sample`)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from labelwright.config.schema import AUDIT_ALLOCATIONS, PER_LABEL, PROPORTIONAL
from labelwright.data.value_text import object_hashes


def draw_keys(ids: Sequence[str], seed: int, stream: str) -> np.ndarray:
    """One uint64 per item from its id, ``seed`` and ``stream`` (the draw: ``"audit"``,
    ``"sample"``): the items with the lowest keys are a seeded random pick that does not
    depend on the rows' order, and each stream picks independently of the others."""
    salt = hashlib.sha256(f"labelwright draw\x1f{seed}\x1f{stream}".encode()).hexdigest()
    return object_hashes(ids, hash_key=salt[:16])  # pandas' hash of each id


def _lowest(candidates: np.ndarray, size: int, keys: np.ndarray) -> np.ndarray:
    """The ``size`` candidates with the lowest ``keys``, lowest first."""
    return candidates[np.argsort(keys[candidates], kind="stable")[:size]]


def stratified_sample(
    groups: np.ndarray, candidates: np.ndarray, size: int,
    rng: np.random.Generator | None = None, *, keys: np.ndarray | None = None,
    allocation: str = PROPORTIONAL,
) -> np.ndarray:
    """Pick ``size`` of ``candidates`` (indices), shared across groups in proportion
    (largest remainders), >= 1 each while the size allows (``size`` >= groups); a smaller
    sample goes to the groups with the largest shares. With ``allocation`` ``"per_label"``
    every group gets the same share instead (:func:`equal_quota`). Within a group, ``keys``
    (:func:`draw_keys`) pick the lowest; without them, ``rng`` draws."""
    if (rng is None) == (keys is None):
        raise ValueError("give rng or keys (one of them)")
    if allocation not in AUDIT_ALLOCATIONS:
        raise ValueError(f"unknown audit allocation {allocation!r}; valid: "
                         f"{', '.join(AUDIT_ALLOCATIONS)}")
    if size <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    size = min(size, candidates.size)
    values, sizes = np.unique(groups[candidates], return_counts=True)
    quota = equal_quota(sizes, size) if allocation == PER_LABEL \
        else _proportional_quota(sizes, size)
    picked = []
    for value, q in zip(values, quota):
        members = candidates[groups[candidates] == value]
        if q > 0 and keys is not None:
            picked.append(_lowest(members, q, keys))
        elif q > 0 and rng is not None:
            picked.append(rng.choice(members, size=q, replace=False))
    return np.sort(np.concatenate(picked)) if picked else np.empty(0, dtype=np.int64)


def equal_quota(sizes: np.ndarray, size: int) -> np.ndarray:
    """``size`` (at most ``sizes.sum()``) shared alike across groups of ``sizes`` items: a
    group with fewer items than its share gives all of them, and what it leaves goes alike
    to the others; what cannot be shared alike goes one each to the largest groups. A rare
    label so gets as many audited items as a common one (its precision can be read), and
    the estimate over all labels weights each group back by its size."""
    quota = np.zeros(len(sizes), dtype=np.int64)
    while quota.sum() < size:
        room = np.flatnonzero(quota < sizes)
        left = size - int(quota.sum())
        share = left // len(room)
        if share == 0:  # fewer left than groups with room: to the largest of them
            quota[room[np.argsort(-sizes[room], kind="stable")[:left]]] += 1
            break
        quota[room] = np.minimum(quota[room] + share, sizes[room])
    return quota


def _proportional_quota(sizes: np.ndarray, size: int) -> np.ndarray:
    """``size`` shared across groups of ``sizes`` items in proportion (largest remainders),
    >= 1 each while the size allows."""
    share = size * sizes / sizes.sum()
    least = 1 if size >= len(sizes) else 0
    quota = np.minimum(np.maximum(least, np.floor(share)).astype(int), sizes)
    while quota.sum() > size:  # the ones lifted the sum: take back where most above share
        quota[np.argmax(np.where(quota > least, quota - share, -np.inf))] -= 1
    while quota.sum() < size:  # rounding left room: to the group furthest below its share
        # (every slot went to the largest group, so the sample over-weighted its label; and
        # with fewer slots than groups the first groups got them, whatever their shares)
        room = np.where(quota < sizes, share - quota, -np.inf)
        quota[np.argmax(room)] += 1
    return quota


def known_items(n: int, **masks: np.ndarray | None) -> np.ndarray:
    """The items whose label is known, which the draws leave out: those marked in any of
    ``masks`` (``reviewed``, ``gold``; None: none)."""
    known = np.zeros(n, dtype=bool)
    for name, mask in masks.items():
        if mask is not None:
            if np.shape(mask) != (n,):
                raise ValueError(f"{name} must have one entry per item ({n}), got shape "
                                 f"{np.shape(mask)}")
            known |= np.asarray(mask, dtype=bool)
    return known


#: the reason on the records of ``sample.csv`` / ``sample.jsonl``
RANDOM_SAMPLE = "random_sample"


def random_sample(n_items: int, size: int, seed: int, *,
                  reviewed: np.ndarray | None = None,
                  ids: Sequence[str] | None = None,
                  gold: np.ndarray | None = None) -> np.ndarray:
    """``size`` item indices drawn at random (seeded) from all items not reviewed yet (and,
    with the ``gold`` mask, without a gold label in the dataset), in the order drawn:
    reviewing them gives gold rows that are a random sample of the items, which ``auto``
    may also choose and calibrate with (the head of the review queue is not one). With the
    items' ``ids``, the draw does not depend on the rows' order (:func:`draw_keys`), and
    leaving items out keeps the others in the order they were drawn in."""
    candidates = np.flatnonzero(~known_items(n_items, reviewed=reviewed, gold=gold))
    if size <= 0 or candidates.size == 0:
        return np.empty(0, dtype=np.int64)
    if ids is not None:
        if len(ids) != n_items:
            raise ValueError(f"ids must have one entry per item ({n_items}), got {len(ids)}")
        keys = draw_keys(ids, seed, "sample")
        return _lowest(candidates, min(size, candidates.size), keys)
    rng = np.random.default_rng([seed, 0x5A4D])  # its own stream: the audit keeps its draws
    return rng.choice(candidates, size=min(size, candidates.size), replace=False)
