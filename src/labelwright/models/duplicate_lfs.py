"""Duplicate LFs: LFs that vote the same on every item (exact copies) or on nearly every
item either votes on (near-copies), and the share of evidence the default label model gives
each exact copy.

Why it matters: a label model that takes LFs as independent given the class (Dawid–Skene,
snorkel's ``LabelModel`` without a dependency graph) reads two LFs that vote alike as two
witnesses. A regex pasted under a second name, or a glossary whose terms repeat a regex,
then pushes every item it votes on toward its label twice, and wins ties with a confidence
nothing earned (measured on the example project: benchmarks/RESULTS.md).

**Exact copies** (:func:`copy_of`): LFs whose votes are the same on :data:`SAMPLE_ROWS`
rows spread over the matrix are candidates (LFs that vote on the sample almost always
differ there); the candidates' whole columns then get a fingerprint each in one pass over
the matrix (their bytes as 8-byte words dotted with fixed random odd words modulo 2**64),
and LFs with equal fingerprints are compared in full, so a collision cannot join two LFs.
Only true copies and LFs rare enough to abstain on the whole sample cost that pass. An LF
that never votes is nobody's copy: it adds no evidence, and a run warns of it apart. LFs
identical on the items they were fit on are copies however few those items are: the data
cannot tell them apart, so counting them once adds no confidence it cannot back (WRENCH
sms has two pairs, voting on 7 and 1 of its 4,502 train items). Synthetic 10M x 50 int8,
on a shared 2-core machine: 0.05 s without copies, 0.27 s with one LF copied, 0.5-0.6 s
when 12 of the 50 LFs vote on about 10 items each, too few to meet the sample.

**Near-copies** (:func:`near_copies`): two LFs that are not exact copies, where the items
both give the same vote are at least :data:`NEAR_SHARE` (95%) of the items either votes on.
Both halves of "vote on nearly the same items and agree on nearly all" are in that one
share: an item only one votes on, or one they vote apart on, counts against it, and a pair
needs 20 items or more between them before one difference leaves it a near-copy. LFs
correlated the normal way (two spam keywords that often fire together) each fire where the
other does not, and stay below: the most alike pair of distinct LFs shares 68.0% on the
example project, 31.1% on WRENCH youtube and 76.9% on sms (nested regexes,
``benchmarks/duplicate_lfs.py``). Only pairs whose vote counts allow the share are compared
(the items both give the same label cannot outnumber the smaller count of each label), in
row blocks, and a pair is dropped as soon as it differs on more items than a near-copy can.
Synthetic 10M x 50: 1.6-1.9 s (in a run's warnings only: a fit looks for exact copies
alone).

**Evidence shares** (:func:`evidence_shares`): ``dawid_skene`` (the default model, and
``auto`` when it picks it) weighs each member of a group of ``g`` exact copies by ``1/g``
in its fit (EM's majority-vote start, its E-steps, the votes' class balance) and in
``predict_proba``: on the items it was fit on, the group counts as one LF, so its
probabilities are those of the matrix without the copies; on other items, where copies may
part, each keeps its share. Each copy still learns its own confusion matrix (the same one,
on the fit's items). Near-copies are warned of and counted as separate LFs: they differ,
and no one share is right for every item. ``majority`` counts votes, by definition;
``weighted_majority``, ``snorkel`` and ``triplet`` take every LF as independent evidence,
copies included (:mod:`~labelwright.models.duplicate_warnings` says so).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from labelwright.models.sparse_votes import vote_class_table

#: a near-copy pair: the items both give the same vote, of those either votes on (at least)
NEAR_SHARE = 0.95
#: rows hashed or compared at a time (a block of 50 int8 LFs is 50 MB)
BLOCK_ROWS = 1 << 20
#: rows transposed at a time inside a block (they stay in cache)
TRANSPOSE_ROWS = 4096
#: rows, spread over the matrix, whose votes propose copies (see :func:`copy_of`)
SAMPLE_ROWS = 1 << 16
#: the seed of the fingerprints' random words (fixed: fingerprints are only compared within
#: one call, but a fixed seed keeps every run's work the same)
FINGERPRINT_SEED = 20_261_206


@dataclass(frozen=True)
class NearCopy:
    """LFs ``a`` < ``b`` (column indices): ``same`` items get the same vote from both, of
    the ``either`` items at least one votes on."""

    a: int
    b: int
    same: int
    either: int


def transposed_blocks(votes: np.ndarray, columns: Sequence[int] | None = None
                      ) -> Iterator[np.ndarray]:
    """The label matrix (its ``columns``, all when None) in blocks of :data:`BLOCK_ROWS`
    rows, each transposed to (LFs, rows) so that each LF's votes are one contiguous row;
    the last block is padded with abstains. One buffer serves every block (read each before
    the next). Transposed a few thousand rows at a time, which stay in cache: a whole block
    at once is 3x slower. (Reading one column of a C-ordered matrix reads the whole matrix
    from memory all the same: the columns wanted are taken in one pass.)"""
    rows = len(votes)
    m = votes.shape[1] if columns is None else len(columns)
    buffer = np.empty((m, min(BLOCK_ROWS, max(rows, 1))), dtype=votes.dtype)
    for start in range(0, rows, buffer.shape[1]):
        part = votes[start:start + buffer.shape[1]]
        if columns is not None:
            part = part[:, columns]
        if len(part) < buffer.shape[1]:
            buffer[:, len(part):] = -1
        for at in range(0, len(part), TRANSPOSE_ROWS):
            piece = part[at:at + TRANSPOSE_ROWS]
            buffer[:, at:at + len(piece)] = piece.T
        yield buffer


def _sample_keys(votes: np.ndarray) -> list[bytes]:
    """Each LF's votes on :data:`SAMPLE_ROWS` rows spread evenly over the matrix, as bytes:
    copies have equal keys, and LFs that vote on the sample mostly differ there."""
    n = len(votes)
    rows = np.unique(np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(np.int64))
    sample = np.ascontiguousarray(votes[rows].T)
    return [row.tobytes() for row in sample]


def _fingerprints(votes: np.ndarray, columns: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``columns``: its vote column's bytes, as 8-byte words, dotted with fixed
    random odd words modulo 2**64 (exact integer arithmetic: equal columns give equal
    fingerprints; unequal ones collide about once in 2**60, and are compared in full), and
    whether it votes at all."""
    width = min(BLOCK_ROWS, max(len(votes), 1)) * votes.dtype.itemsize
    weights = np.random.default_rng(FINGERPRINT_SEED).integers(
        0, 2**64, -(-width // 8), dtype=np.uint64, endpoint=False) | np.uint64(1)
    total = np.zeros(len(columns), dtype=np.uint64)
    voted = np.zeros(len(columns), dtype=bool)
    for block in transposed_blocks(votes, columns):
        voted |= (block >= 0).any(axis=1)
        raw = block.view(np.uint8)
        if raw.shape[1] % 8:  # a short last row of bytes: pad to whole words
            raw = np.pad(raw, ((0, 0), (0, 8 - raw.shape[1] % 8)))
        total += raw.view(np.uint64) @ weights[:raw.shape[1] // 8]
    return total, voted


def _same_as_first(votes: np.ndarray, group: Sequence[int]) -> np.ndarray:
    """(len(group),) bool: whether each LF of ``group`` votes as its first on every row."""
    same = np.ones(len(group), dtype=bool)
    for block in transposed_blocks(votes, group):
        same &= (block == block[0]).all(axis=1)
    return same


def copy_of(votes: np.ndarray) -> np.ndarray:
    """(m,) int64: for each LF, the first LF (column index) of its group of exact copies,
    itself when it has none. An LF that never votes is its own."""
    votes = np.asarray(votes)
    m = votes.shape[1]
    first = np.arange(m, dtype=np.int64)
    if not len(votes):
        return first
    by_sample: dict[bytes, list[int]] = {}
    for j, key in enumerate(_sample_keys(votes)):
        by_sample.setdefault(key, []).append(j)
    candidates = [j for group in by_sample.values() if len(group) > 1 for j in group]
    if not candidates:
        return first
    prints, voted = _fingerprints(votes, candidates)
    groups: dict[int, list[int]] = {}
    for j, fingerprint, votes_at_all in zip(candidates, prints.tolist(), voted):
        if votes_at_all:
            groups.setdefault(fingerprint, []).append(j)
    for group in groups.values():
        if len(group) > 1:  # a fingerprint shared: compared in full, not trusted
            same = _same_as_first(votes, group)
            rest = [j for j, s in zip(group, same) if not s]
            first[[j for j, s in zip(group, same) if s]] = group[0]
            while len(rest) > 1:  # LFs that only collided with the first: among themselves
                same = _same_as_first(votes, rest)
                first[[j for j, s in zip(rest, same) if s]] = rest[0]
                rest = [j for j, s in zip(rest, same) if not s]
    return first


def exact_groups(first: np.ndarray) -> list[list[int]]:
    """The groups of two or more exact copies in :func:`copy_of`'s ``first``, each in
    column order, in the order of their first LF."""
    groups: dict[int, list[int]] = {}
    for j, head in enumerate(np.asarray(first).tolist()):
        groups.setdefault(head, []).append(j)
    return [g for g in groups.values() if len(g) > 1]


def evidence_shares(first: np.ndarray | None) -> np.ndarray | None:
    """(m,) each LF's share of evidence: 1 / (size of its group of exact copies); None when
    no LF has a copy (or ``first`` is None), so a model without copies computes exactly as
    before. ``first`` must point each LF at its group's first member (checked: a saved
    model's field could say anything)."""
    if first is None:
        return None
    first = np.asarray(first)
    m = len(first)
    if first.dtype.kind not in "iu" or (first < 0).any() or (first >= m).any() \
            or (first[first] != first).any():
        raise ValueError(f"copy_of_ must give, per LF, the first of its copies (a column "
                         f"index 0..{m - 1} that gives itself), got {first.tolist()[:10]}")
    if (first == np.arange(m)).all():
        return None
    return 1.0 / np.bincount(first, minlength=m)[first]


def one_per_group(L: np.ndarray, first: np.ndarray) -> np.ndarray:
    """``L`` with only the first LF of each group of exact copies (``L`` itself when none
    has a copy): what counts votes (the votes' class balance) sees each group once."""
    heads = np.asarray(first) == np.arange(L.shape[1])
    return L if heads.all() else L[:, heads]


def first_guess_table(n_lfs: int, cardinality: int, shares: np.ndarray | None) -> np.ndarray:
    """(m*k, k): row ``j*k + v`` is LF ``j``'s share on class ``v`` (1 when ``shares`` is
    None): the majority vote an EM starts from, with each group of copies voting once."""
    table = vote_class_table(n_lfs, cardinality)
    return table if shares is None else table * np.repeat(shares, cardinality)[:, None]


def label_counts(votes: np.ndarray, cardinality: int) -> np.ndarray:
    """(m, k) how many items each LF votes each label on."""
    votes = np.ascontiguousarray(votes)
    counts = np.zeros((votes.shape[1], cardinality), dtype=np.int64)
    for block in transposed_blocks(votes):
        for j, row in enumerate(block):  # count_nonzero without an axis: a fast count
            counts[j] += [np.count_nonzero(row == c) for c in range(cardinality)]
    return counts


def voting_heads(votes: np.ndarray, cardinality: int, first: np.ndarray | None,
                 counts: np.ndarray | None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
    """What :func:`near_copies` and :func:`~labelwright.models.nested_lfs.nested_lfs` start
    from: ``votes`` contiguous, each LF's votes per label (``counts``, when already known)
    and in all, and the LFs that vote at all and stand for their group of exact copies
    (the group's first member, ``first``: :func:`copy_of`'s, when already known)."""
    votes = np.ascontiguousarray(votes)
    first = copy_of(votes) if first is None else first
    counts = label_counts(votes, cardinality) if counts is None else counts
    totals = counts.sum(axis=1)
    heads = [j for j in range(votes.shape[1]) if first[j] == j and totals[j] > 0]
    return votes, counts, totals, heads


def near_copies(votes: np.ndarray, cardinality: int, *, share: float = NEAR_SHARE,
                first: np.ndarray | None = None,
                counts: np.ndarray | None = None) -> list[NearCopy]:
    """Pairs of LFs that are near-copies (see the module docstring), the first member of
    each group of exact copies standing for its group (``first``: :func:`copy_of`'s, and
    ``counts``: :func:`label_counts`'s, when already known)."""
    votes, counts, totals, heads = voting_heads(votes, cardinality, first, counts)
    # the items both vote the same on are at most the smaller count of each label; a
    # near-copy differs on at most (1 - share) / share times the items they share
    bound = {}
    for i, a in enumerate(heads):
        for b in heads[i + 1:]:
            most_same = int(np.minimum(counts[a], counts[b]).sum())
            if most_same >= share * max(totals[a], totals[b]):
                bound[(a, b)] = (1 - share) / share * most_same
    differ = dict.fromkeys(bound, 0)
    either = dict.fromkeys(bound, 0)
    for block in transposed_blocks(votes):
        for pair in list(bound):
            x, y = block[pair[0]], block[pair[1]]
            differ[pair] += int(np.count_nonzero(x != y))
            either[pair] += int(np.count_nonzero((x >= 0) | (y >= 0)))
            if differ[pair] > bound[pair]:  # more than a near-copy can differ on
                del bound[pair]
    return [NearCopy(a, b, either[(a, b)] - differ[(a, b)], either[(a, b)])
            for (a, b) in bound if 0 < differ[(a, b)] <= (1 - share) * either[(a, b)]]
