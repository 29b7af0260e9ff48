"""What the LFs returned on a chunk's items that is no vote, said in one error: every
distinct value of each LF, counted, with its first item, a guess at the label meant and
the ``return`` line that gave it. The run stopped at the first such value, so an LF with
three (a dict lookup giving "katy perry", "Eminem", "rihanna") took three failed runs to
show them, each cited at the LF's decorator: its values are computed, and no ``return``
spells them out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from labelwright.counts import counted, some_of
from labelwright.errors import BadVoteError
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.item import Item
from labelwright.lfs.literal_votes import return_site
from labelwright.lfs.vote_codes import VoteCoder

#: distinct values named per LF; the rest are counted (``and N more``)
VALUES_SHOWN = 5


@dataclass
class _Refused:
    """One value an LF returned that is no vote: how often, and its first item."""

    value: object
    item: Item
    count: int = 1


class RefusedVotes:
    """The values of each LF (by column) that are no votes, gathered as a chunk runs:
    nothing is done on the way but for such a value, and :meth:`error` says them all. Only
    the first :data:`VALUES_SHOWN` distinct values of an LF keep their item (and its Doc):
    the others are counted by their ``repr``."""

    def __init__(self, coder: VoteCoder) -> None:
        self.coder = coder
        self.seen: dict[int, dict[str, _Refused]] = {}
        self.more: dict[int, Counter[str]] = {}

    def __bool__(self) -> bool:
        return bool(self.seen)

    def vote(self, value: object, column: int, item: Item) -> int:
        """``value``'s vote code, or -1 with ``value`` kept when it is no vote."""
        code = self.coder.vote(value)
        if code is not None:
            return code
        values = self.seen.setdefault(column, {})
        key = repr(value)  # 1, 1.0 and True are three values (and a list does not hash)
        if key in values:
            values[key].count += 1
        elif len(values) < VALUES_SHOWN:
            values[key] = _Refused(value, item)
        else:
            self.more.setdefault(column, Counter())[key] += 1
        return -1

    def error(self, lfs: Sequence[LabelingFunction],
              calls: Sequence[Callable[[Item], object]], ran: Sequence[int]) -> BadVoteError:
        """One error for every LF (by column: ``lfs``, the ``calls`` that ran them and how
        many items each ``ran`` on) that returned values that are no votes, in the LFs'
        order; each LF's values in the order of their first items."""
        columns = sorted(self.seen)
        parts = [self._said(lfs[k], calls[k], ran[k], list(self.seen[k].values()),
                            self.more.get(k, Counter()))
                 for k in columns]
        first = columns[0]
        value = next(iter(self.seen[first].values())).value
        return BadVoteError("\n".join(parts), lfs[first].name, repr(value))

    def _said(self, lf: LabelingFunction, call: Callable[[Item], object], ran: int,
              shown: list[_Refused], more: Counter[str]) -> str:
        """``shown``: the LF's first values, with their items; ``more``: the count of each
        value after them."""
        # the return each value came from, seen by calling the LF again on its first item
        wheres = [return_site(lf, r.value, call, r.item) for r in shown]
        one_place = len(set(wheres)) == 1 and not more
        where = wheres[0] if one_place else lf.location
        coder = self.coder
        if len(shown) == 1 and not more:
            r = shown[0]
            on = (f"for item {r.item.id!r}" if r.count == 1 else
                  f"on {r.count:,} of the {ran:,} items it ran on (first {r.item.id!r})")
            return str(coder.refused(r.value, lf, on, where))
        said = []
        for r, at in zip(shown, wheres):
            notes = [f"first {r.item.id!r}"]
            if not one_place:
                notes.append(at if at != lf.location else "line not known")
            hint = coder.hint(r.value)
            said.append(f"{r.value!r} on {counted(r.count, 'item')} ({', '.join(notes)}"
                        f"{f'; {hint}' if hint else ''})")
        total = sum(r.count for r in shown) + sum(more.values())
        n = len(shown) + len(more)
        return (f"labeling function {lf.name!r} ({where}) returned {n} values that "
                f"are not labels, on {total:,} of the {ran:,} items it ran on: "
                f"{some_of(said, VALUES_SHOWN, total=n, clauses=True)}; "
                f"{coder.instead()}")
