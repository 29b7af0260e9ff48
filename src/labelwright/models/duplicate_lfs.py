"""Duplicate LFs: LFs that vote the same on every item (exact copies) or on nearly every
item either votes on (near-copies), and the share of evidence the default label model gives
each exact copy.

Why it matters: a label model that takes LFs as independent given the class (Dawid–Skene,
snorkel's ``LabelModel`` without a dependency graph) reads two LFs that vote alike as two
witnesses. A regex pasted under a second name, or a glossary whose terms repeat a regex,
then pushes every item it votes on toward its label twice, and wins ties with a confidence
nothing earned (measured on the example project: benchmarks/RESULTS.md).

**Exact copies** (:func:`copy_of`): each LF's vote column gets a fingerprint (its bytes
as 8-byte words dotted with fixed random odd words modulo 2**64, taken in row blocks
transposed a few thousand rows at a time); LFs whose fingerprints are equal are then
compared in full, so a collision cannot join two LFs. An LF that never votes is nobody's
copy: it adds no evidence, and a run warns of it apart. LFs identical on the items they
were fit on are copies however few those items are: the data cannot tell them apart, so
counting them once adds no confidence it cannot back (WRENCH sms has two pairs, voting on
7 and 1 of its 4,502 train items). Synthetic 10M x 50 int8: 0.46 s on one core.

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
Synthetic 10M x 50: 1.5 s (a run only: fits look for exact copies alone).

**Evidence shares** (:func:`evidence_shares`): ``dawid_skene`` (the default model, and
``auto`` when it picks it) weighs each member of a group of ``g`` exact copies by ``1/g``
in its fit (EM's majority-vote start, its E-steps, the votes' class balance) and in
``predict_proba``: on the items it was fit on, the group counts as one LF, so its
probabilities are those of the matrix without the copies; on other items, where copies may
part, each keeps its share. Each copy still learns its own confusion matrix (the same one,
on the fit's items). Near-copies are warned of and counted as separate LFs: they differ,
and no one share is right for every item. ``majority`` counts votes, by definition;
``weighted_majority``, ``snorkel`` and ``triplet`` take every LF as independent evidence,
copies included (the warning says so).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from labelwright.counts import counted, some_of
from labelwright.percent import percent

#: a near-copy pair: the items both give the same vote, of those either votes on (at least)
NEAR_SHARE = 0.95
#: rows hashed or compared at a time (a block of 50 int8 LFs is 50 MB)
BLOCK_ROWS = 1 << 20
#: rows transposed at a time inside a block (they stay in cache)
TRANSPOSE_ROWS = 4096
#: the seed of the fingerprints' random words (fixed: fingerprints are only compared within
#: one call, but a fixed seed keeps every run's work the same)
FINGERPRINT_SEED = 20_261_206
#: near-copy pairs a warning names; the others are counted
NEAR_SHOWN = 10
#: votes a group of LFs needs on ``check``'s few items tried before it is called copies
MIN_TRIED_VOTES = 5


@dataclass(frozen=True)
class NearCopy:
    """LFs ``a`` < ``b`` (column indices): ``same`` items get the same vote from both, of
    the ``either`` items at least one votes on."""

    a: int
    b: int
    same: int
    either: int


def _blocks(votes: np.ndarray) -> Iterator[np.ndarray]:
    """The label matrix in blocks of :data:`BLOCK_ROWS` rows, each transposed to (LFs,
    rows) so that each LF's votes are one contiguous row; the last block is padded with
    abstains. One buffer serves every block (read each before the next). Transposed a few
    thousand rows at a time, which stay in cache: a whole block at once is 3x slower."""
    rows, m = votes.shape
    buffer = np.empty((m, min(BLOCK_ROWS, max(rows, 1))), dtype=votes.dtype)
    for start in range(0, rows, buffer.shape[1]):
        part = votes[start:start + buffer.shape[1]]
        if len(part) < buffer.shape[1]:
            buffer[:, len(part):] = -1
        for at in range(0, len(part), TRANSPOSE_ROWS):
            piece = part[at:at + TRANSPOSE_ROWS]
            buffer[:, at:at + len(piece)] = piece.T
        yield buffer


def _fingerprints(votes: np.ndarray) -> np.ndarray:
    """(m,) uint64: each LF's vote column's bytes, as 8-byte words, dotted with fixed random
    odd words modulo 2**64 (exact integer arithmetic: equal columns give equal
    fingerprints; unequal ones collide about once in 2**60, and are compared in full)."""
    width = min(BLOCK_ROWS, max(len(votes), 1)) * votes.dtype.itemsize
    words = -(-width // 8)
    weights = np.random.default_rng(FINGERPRINT_SEED).integers(
        0, 2**64, words, dtype=np.uint64, endpoint=False) | np.uint64(1)
    total = np.zeros(votes.shape[1], dtype=np.uint64)
    for block in _blocks(votes):
        raw = block.view(np.uint8)
        if raw.shape[1] % 8:  # a short last row of bytes: pad to whole words
            raw = np.pad(raw, ((0, 0), (0, 8 - raw.shape[1] % 8)))
        total += raw.view(np.uint64) @ weights[:raw.shape[1] // 8]
    return total


def copy_of(votes: np.ndarray) -> np.ndarray:
    """(m,) int64: for each LF, the first LF (column index) of its group of exact copies,
    itself when it has none. An LF that never votes is its own."""
    votes = np.ascontiguousarray(votes)
    m = votes.shape[1]
    first = np.arange(m, dtype=np.int64)
    if not len(votes):
        return first
    seen: dict[int, list[int]] = {}
    for j, print_ in enumerate(_fingerprints(votes).tolist()):
        heads = seen.setdefault(print_, [])
        for head in heads:  # a fingerprint shared: compared in full, not trusted
            if np.array_equal(votes[:, head], votes[:, j]):
                first[j] = head
                break
        else:
            heads.append(j)
    silent = [j for j in range(m) if first[j] != j and not (votes[:, j] >= 0).any()]
    first[silent] = np.array(silent, dtype=np.int64)  # never voted: nobody's copy
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


def first_guess_table(n_lfs: int, cardinality: int, shares: np.ndarray) -> np.ndarray:
    """(m*k, k): row ``j*k + v`` is LF ``j``'s share on class ``v``: the majority vote an
    EM starts from, with each group of copies voting once."""
    table = np.tile(np.eye(cardinality), (n_lfs, 1))
    return table * np.repeat(shares, cardinality)[:, None]


def label_counts(votes: np.ndarray, cardinality: int) -> np.ndarray:
    """(m, k) how many items each LF votes each label on."""
    votes = np.ascontiguousarray(votes)
    counts = np.zeros((votes.shape[1], cardinality), dtype=np.int64)
    for block in _blocks(votes):
        for j, row in enumerate(block):  # count_nonzero without an axis: a fast count
            counts[j] += [np.count_nonzero(row == c) for c in range(cardinality)]
    return counts


def near_copies(votes: np.ndarray, cardinality: int, *, share: float = NEAR_SHARE,
                first: np.ndarray | None = None) -> list[NearCopy]:
    """Pairs of LFs that are near-copies (see the module docstring), the first member of
    each group of exact copies standing for its group (``first``: :func:`copy_of`'s, when
    already known)."""
    votes = np.ascontiguousarray(votes)
    first = copy_of(votes) if first is None else first
    counts = label_counts(votes, cardinality)
    totals = counts.sum(axis=1)
    heads = [j for j in range(votes.shape[1]) if first[j] == j and totals[j] > 0]
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
    for block in _blocks(votes):
        for pair in list(bound):
            x, y = block[pair[0]], block[pair[1]]
            differ[pair] += int(np.count_nonzero(x != y))
            either[pair] += int(np.count_nonzero((x >= 0) | (y >= 0)))
            if differ[pair] > bound[pair]:  # more than a near-copy can differ on
                del bound[pair]
    return [NearCopy(a, b, either[(a, b)] - differ[(a, b)], either[(a, b)])
            for (a, b) in bound if 0 < differ[(a, b)] <= (1 - share) * either[(a, b)]]


def most_alike(votes: np.ndarray) -> tuple[float, tuple[int, int] | None]:
    """The highest share (same vote / either votes) over pairs of LFs that are not exact
    copies, and the pair: how far a label matrix's most alike LFs are from
    :data:`NEAR_SHARE` (compares every pair: for measuring, not for runs)."""
    votes = np.asarray(votes)
    first = copy_of(votes)
    best, pair = 0.0, None
    m = votes.shape[1]
    for a in range(m):
        for b in range(a + 1, m):
            if first[a] != a or first[b] != b:
                continue
            x, y = votes[:, a], votes[:, b]
            either = int(np.count_nonzero((x >= 0) | (y >= 0)))
            same = int(np.count_nonzero((x == y) & (x >= 0)))
            if either and same < either and same / either > best:
                best, pair = same / either, (a, b)
    return best, pair


# -- what a run says -------------------------------------------------------------------------
#: model names (a project's ``[label_model] name``) that count each group of copies once
ONCE = ("default", "dawid_skene")


def model_words(model: object) -> tuple[str, bool | None]:
    """A fitted label model as a warning names it (``auto``: with the model it chose) and
    whether it weighs exact copies by :func:`evidence_shares`."""
    fitted = getattr(model, "model_", model)
    name, chosen = str(getattr(model, "name", model)), str(getattr(fitted, "name", fitted))
    words = name if chosen == name else f"{name}, which chose {chosen}"
    return words, getattr(fitted, "copy_of_", None) is not None


def configured_words(name: str) -> tuple[str, bool | None]:
    """:func:`model_words` for a project's label model before it is fit: ``auto`` counts
    copies once when it picks ``dawid_skene`` (always, without reviewed labels): None."""
    words = "default (dawid_skene)" if name == "default" else name
    return words, True if name in ONCE else None if name == "auto" else False


def _named(names: Sequence[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def _what_the_model_does(model: str, once: bool | None) -> str:
    if once:
        return (f"the label model ({model}) counts each group once: each copy's votes weigh "
                "1/(copies in its group)")
    if once is None:
        return (f"the label model ({model}) counts each group once when it picks "
                "dawid_skene (it does without reviewed labels); the other models count each "
                "copy as an LF of its own")
    if model == "majority":
        return (f"the label model ({model}) counts every vote, so a group of n copies "
                "outvotes n - 1 other LFs")
    return (f"the label model ({model}) takes them as independent LFs, so each group's "
            "votes count once per copy")


def duplicate_lf_warnings(votes: np.ndarray, lf_names: Sequence[str], cardinality: int, *,
                          model: str, once: bool | None) -> list[str]:
    """The warnings of a run or ``analyze`` for duplicate LFs: one naming the groups of
    exact copies and what the label model (``model``, as :func:`model_words` names it;
    ``once``: whether it counts each group once, None: it depends on what ``auto`` picks)
    does about them, one naming the near-copies."""
    votes = np.ascontiguousarray(votes)
    first = copy_of(votes)
    said = []
    groups = exact_groups(first)
    if groups:
        voted = np.count_nonzero(votes[:, [g[0] for g in groups]] >= 0, axis=0)
        listed = [f"LFs {_named([lf_names[j] for j in g])} vote the same on every item "
                  f"({counted(int(n), 'item')} voted on)" for g, n in zip(groups, voted)]
        said.append(f"{'; '.join(listed)}: {_what_the_model_does(model, once)}; drop a copy "
                    "unless it is meant to vote otherwise on other data")
    pairs = near_copies(votes, cardinality, first=first)
    if pairs:
        listed = [f"{lf_names[p.a]} and {lf_names[p.b]} ({percent(p.same / p.either)}: "
                  f"{p.same:,} of {p.either:,})" for p in pairs]
        said.append(
            f"{counted(len(pairs), 'pair')} of LFs vote the same on at least "
            f"{percent(NEAR_SHARE, 0)} of the items either votes on (near-copies): "
            f"{some_of(listed, NEAR_SHOWN, clauses=True)}; every label model counts them "
            "as separate LFs, so what they say counts about twice: if one was made from the "
            "other, drop one or make them differ")
    return said


def tried_copy_warnings(votes: np.ndarray, lf_names: Sequence[str], tried: str) -> list[str]:
    """``check``'s warning for LFs that voted the same on every item of its trial
    (``tried``: ``the 50 items spread over the data``), when they voted on at least
    :data:`MIN_TRIED_VOTES` of them: on a few items two rare LFs can agree by chance."""
    votes = np.ascontiguousarray(votes)
    groups = exact_groups(copy_of(votes))
    voted = {g[0]: int(np.count_nonzero(votes[:, g[0]] >= 0)) for g in groups}
    listed = [f"LFs {_named([lf_names[j] for j in g])} ({voted[g[0]]} voted on)"
              for g in groups if voted[g[0]] >= MIN_TRIED_VOTES]
    if not listed:
        return []
    return [f"{'; '.join(listed)} vote the same on {tried}: copies? A run compares them on "
            "every item, and the default label model (dawid_skene) counts a group of copies "
            "once; drop a copy unless it is meant to vote otherwise"]
