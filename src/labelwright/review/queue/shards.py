"""``review export --shard K/N``: one queue selection shared between N reviewers.

Shard K of N holds the selection's items at positions K, K + N, K + 2N, ... (counting from
1, in queue order): the N shards are disjoint, together hold the selection exactly, and
each holds its share of the head, so no reviewer gets only the items least likely wrong.
The same run and options give the same shards; a decision imported between two shards'
exports with ``--skip-reviewed-by`` changes the selection the later one is cut from, so
export every shard before importing any of them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from labelwright.errors import both_spellings

T = TypeVar("T")

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


def take_shard(items: Sequence[T], shard: Shard | None) -> list[T]:
    """The items of ``shard`` (None: all of them), in their order."""
    if shard is None:
        return list(items)
    return list(items[shard.number - 1::shard.of])
