"""Nested LFs: an LF that votes only where another LF votes the same label.

Why it matters: an LF ``A`` whose votes nearly all fall on items where ``B`` votes the same
label (a rule "billing terms on a paid plan" beside the billing glossary it reads) adds no
evidence of its own, yet every label model takes it as a separate LF: on those items
``B``'s evidence counts twice, and since ``A`` always agrees with ``B`` the model reads it
as nearly always right. Items where the pair meets another LF's other label are then
labelled with a confidence nothing earned (the example project's
``billing_glossary_on_paid_plan`` votes only with ``glossary:billing_terms``, 87 of its 87
votes). Exact copies and near-copies (:mod:`~labelwright.models.duplicate_lfs`) are warned
of apart: a pair that is one of those is not also said to be nested.

**Found as near-copies are**: ``A`` is nested in ``B`` when the items both give the same
vote are at least :data:`NESTED_SHARE` (95%) of ``A``'s votes and ``A`` votes on
:data:`MIN_NESTED_VOTES` items or more (on fewer, a rare rule can sit inside a broad one
by chance). Only ordered pairs whose vote counts allow the share are compared (the items
both give label ``c`` are at most the smaller of their counts of ``c``); then, block by
block, each candidate ``A``'s voted items are gathered once and compared with every ``B``
still possible, and a ``B`` is dropped as soon as ``A`` has more votes outside it than a
nested pair can. LFs that are merely correlated part on more than 5% of the smaller one's
votes within the first block, so the whole matrix is compared only for pairs that are
nested or nearly so (cost: ``benchmarks/RESULTS.md``).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np

from labelwright.models.duplicate_lfs import transposed_blocks, voting_heads

#: ``A`` is nested in ``B`` when at least this share of ``A``'s votes are on items where
#: ``B`` votes the same label
NESTED_SHARE = 0.95
#: the votes an LF needs before it is said to be nested in another
MIN_NESTED_VOTES = 20
#: an LF's votes compared at a time: pairs that are not nested are dropped between them
VOTES_AT_ONCE = 1 << 16


@dataclass(frozen=True)
class Nested:
    """LF ``inner`` (a column index) gives ``same`` of its ``votes`` votes on items where
    LF ``outer`` votes the same label; ``outer`` votes on ``outer_votes`` items."""

    inner: int
    outer: int
    same: int
    votes: int
    outer_votes: int


def _candidates(counts: np.ndarray, heads: list[int], share: float, min_votes: int,
                apart: Collection[tuple[int, int]]) -> dict[int, list[int]]:
    """For each LF that may be nested, the LFs it may be nested in: those whose counts of
    each label leave room for ``share`` of its votes (pairs in ``apart``, either order,
    left out)."""
    totals = counts.sum(axis=1)
    found: dict[int, list[int]] = {}
    for a in heads:
        if totals[a] < min_votes:
            continue
        room = np.minimum(counts[a], counts[heads]).sum(axis=1)
        outer = [b for b, r in zip(heads, room.tolist())
                 if b != a and r >= share * totals[a]
                 and (a, b) not in apart and (b, a) not in apart]
        if outer:
            found[a] = outer
    return found


def nested_lfs(votes: np.ndarray, cardinality: int, *, share: float = NESTED_SHARE,
               min_votes: int = MIN_NESTED_VOTES, first: np.ndarray | None = None,
               counts: np.ndarray | None = None,
               apart: Collection[tuple[int, int]] = ()) -> list[Nested]:
    """The nested pairs of ``votes`` (see the module docstring), the first member of each
    group of exact copies standing for its group (``first`` and ``counts``, when already
    known: :func:`~labelwright.models.duplicate_lfs.voting_heads`); pairs in ``apart``
    (near-copies, warned of as such) are left out. Where two LFs are each nested in the
    other, the one with fewer votes is named as the inner one."""
    votes, counts, totals, heads = voting_heads(votes, cardinality, first, counts)
    outer = _candidates(counts, heads, share, min_votes, apart)
    if not outer:
        return []
    allowed = {a: (1 - share) * totals[a] for a in outer}  # votes outside B, at most
    missed = {a: np.zeros(len(bs), dtype=np.int64) for a, bs in outer.items()}
    for block in transposed_blocks(votes):  # (the last block's padding abstains)
        for a in list(outer):
            own = block[a]
            voted = np.flatnonzero(own >= 0)
            for start in range(0, len(voted), VOTES_AT_ONCE):
                at = voted[start:start + VOTES_AT_ONCE]
                # A's items only: B's whole rows are never copied
                others = block[np.ix_(np.asarray(outer[a]), at)]
                missed[a] += len(at) - np.count_nonzero(others == own[at], axis=1)
                keep = missed[a] <= allowed[a]
                if not keep.all():
                    outer[a] = [b for b, k in zip(outer[a], keep) if k]
                    missed[a] = missed[a][keep]
                    if not outer[a]:
                        del outer[a]
                        break
        if not outer:
            return []  # the blocks left are not read
    found = {(a, b): int(totals[a] - m) for a, bs in outer.items()
             for b, m in zip(bs, missed[a].tolist())}
    return [Nested(a, b, same, int(totals[a]), int(totals[b]))
            for (a, b), same in found.items() if not _named_other_way(a, b, found, totals)]


def _named_other_way(a: int, b: int, found: dict[tuple[int, int], int],
                     totals: np.ndarray) -> bool:
    """Whether the pair ``a`` in ``b`` is said as ``b`` in ``a``: both hold, and ``b`` has
    fewer votes (or as many and comes first)."""
    return (b, a) in found and (totals[b], b) < (totals[a], a)
