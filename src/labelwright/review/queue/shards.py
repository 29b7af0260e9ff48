"""``review export --shard K/N``: one run's queue shared between N reviewers.

Shard K of N holds the items the run ranked K, K + N, K + 2N, ... (``rank``, from 1, in
the run's whole queue or random sample): membership depends on the item's rank alone,
never on what an export selects, so the N shards of one run are disjoint whatever each
reviewer skips (``--skip-reviewed-by`` themselves, another ``--budget``), and each holds
its share of the head, so no reviewer gets only the items least likely wrong. Cut by
position in each export's own selection instead, three reviewers who each skipped their
own decisions got a dozen items twice and left others to nobody. What the shards hold
together is each one's selection of its ranks: the whole selection only when they are
exported with the same options and no import in between. ``--budget`` is the team's
total, split evenly over the shards (:func:`cut_shards`), spread or not: with
``--spread``, each shard is spread over its labels on its own before its share is cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from labelwright.errors import both_spellings
from labelwright.review.queue.budget import budget_size
from labelwright.review.queue.label_mix import spread_labels

_SHARD = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")


class Shard(NamedTuple):
    """Shard ``number`` (from 1) of ``of``."""

    number: int
    of: int

    def __str__(self) -> str:
        return f"{self.number}/{self.of}"

    def suffix(self) -> str:
        """What a shard's default file name carries: ``shard1of3``."""
        return f"shard{self.number}of{self.of}"


def parse_shard(text: str | Shard | None) -> Shard | None:
    """``"2/3"`` -> shard 2 of 3; a ValueError naming the valid forms for anything else."""
    if text is None or isinstance(text, Shard):
        return text
    found = _SHARD.fullmatch(str(text))
    number, count = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    if not found or count < 1 or not 1 <= number <= count:
        option = both_spellings("--shard", "shard=")
        raise ValueError(f"{option} {text!r}: expected K/N, shard K of N reviewers with "
                         f"1 <= K <= N (1/3, 2/3 and 3/3 split the selection in three)")
    return Shard(number, count)


def take_shard(records: Sequence[dict[str, Any]], shard: Shard | None
               ) -> list[dict[str, Any]]:
    """The records of ``shard`` (None: all of them), in their order: those whose ``rank``
    in the run's queue is the shard's (:func:`in_shard`)."""
    if shard is None:
        return list(records)
    return [record for record in records if in_shard(int(record["rank"]), shard)]


def cut_shards(records: Sequence[dict[str, Any]], of: int, budget: int | float | None,
               *, spread: bool = False) -> list[dict[str, Any]]:
    """The selection ``--shard K/N`` (``of`` = N) makes of ``records`` (queue order),
    shard 1's records first: each shard's records (by rank, as ever), in queue order or,
    with ``spread``, in turns over their suggested labels on their own, shard K's turns
    beginning at its K-th label (:func:`~labelwright.review.queue.label_mix.spread_labels`),
    each cut to its share of ``budget`` (:func:`budget_shares`): the budget is the total
    across the shards, each shard gets its share, and no item is in two shards. Cut before
    the split, a budget of a filtered selection (``--skip-reviewed``, ``--label``) went to
    the shards its head's ranks fell in: ranks 1, 3, 5 and 7 left after the even ones were
    reviewed put ``--budget 4`` all in shard 1 of 2, and shard 2 got none of its items;
    spread over the whole selection and then cut by rank, a run whose two labels' first
    items had ranks 1 and 13 put both in shard 1 of 2, and ``--budget 2`` left shard 2
    empty."""
    parts = [take_shard(records, Shard(k, of)) for k in range(1, of + 1)]
    if spread:
        parts = [spread_labels(part, start=k) for k, part in enumerate(parts)]
    shares = budget_shares(budget_size(len(records), budget), [len(p) for p in parts])
    return [record for part, share in zip(parts, shares) for record in part[:share]]


def spread_shards(records: Sequence[dict[str, Any]], of: int, budget: int | float | None
                  ) -> list[dict[str, Any]]:
    """:func:`cut_shards` with ``spread``: the selection ``--spread --shard K/N`` makes."""
    return cut_shards(records, of, budget, spread=True)


def budget_shares(total: int, sizes: Sequence[int]) -> list[int]:
    """``total`` items (a budget) split as evenly as the shards' ``sizes`` (how many items each
    holds, shard 1 first) allow: the same share each, one more for the first shards while
    a remainder lasts, and what a shard cannot fill given to the others."""
    shares = [0] * len(sizes)
    left = min(total, sum(sizes))
    while left > 0:
        room = [k for k, size in enumerate(sizes) if shares[k] < size]
        each, extra = divmod(left, len(room))
        for place, k in enumerate(room):
            add = min(sizes[k] - shares[k], each + (place < extra))
            shares[k] += add
            left -= add
    return shares


def shard_sizes(records: Sequence[dict[str, Any]], of: int) -> tuple[int, ...]:
    """How many of ``records`` (an export's selection, after ``--budget``) each of ``of``
    shards holds, shard 1 first: the split of the selection a lead hands out."""
    sizes = [0] * of
    for record in records:
        sizes[(int(record["rank"]) - 1) % of] += 1
    return tuple(sizes)


def in_shard(rank: int, shard: Shard) -> bool:
    """Whether the item ranked ``rank`` (from 1) in a run's queue is in ``shard``."""
    return (rank - 1) % shard.of == shard.number - 1


def shard_ranks(shard: Shard) -> str:
    """The ranks ``shard`` holds, in words: ``ranks 2, 5, 8, ...``."""
    first = [shard.number + k * shard.of for k in range(3)]
    return f"ranks {', '.join(map(str, first))}, ..."


def shard_said(shard: Shard, selected: int, *, own_skips: bool, sample: bool = False,
               sizes: Sequence[int] = ()) -> str:
    """What an export's line says of ``shard``, cut from ``selected`` items: which ranks it
    holds, how many items each shard of the selection gets (``sizes``, shard 1 first, of
    :func:`shard_sizes`: ``--budget`` is the total, split over the shards), that no other
    shard of the run holds them (always true: membership is by rank), and what the shards
    hold together: the rest of the selection when exported with the same options, but not
    with ``own_skips`` (each reviewer's ``--skip-reviewed-by`` themselves), where an item
    left out of one shard goes to no other; ``sample``: cut from the run's random sample,
    whose ranks are its draw order."""
    of_selected = f"shard {shard} of the {selected:,} item{'s' * (selected != 1)} selected"
    if shard.of == 1:
        return f"{of_selected}: shard 1/1 is the whole selection"
    split = ""
    if sizes:
        counts = [f"{n:,}" for n in sizes]
        split = (f"; the {shard.of} shards get {', '.join(counts[:-1])} and {counts[-1]} "
                 "items, shard 1 first")
    others = ("other shard holds" if shard.of == 2
              else f"{shard.of - 1} other shards hold")
    together = ("each shard leaves out what its own --skip-reviewed-by rater decided, and "
                "no other shard takes those items (--skip-reviewed leaves out every rater's "
                "decisions for all shards alike)" if own_skips else
                f"exported with the same options and no import in between, the {others} "
                "the rest of the selection")
    order = "random sample" if sample else "queue"
    return (f"{of_selected} ({shard_ranks(shard)} of the run's {order}{split}): none of them "
            "is in "
            f"any other shard of it, whatever that export skips; {together}")
