"""An LF's failures in one apply: how often it raised, on which items first, and the first
traceback (:class:`LFFailures`), merged chunk by chunk and part by part in item order
(:func:`merge_failures`). The chunk runner (:mod:`~labelwright.apply.core`) counts them;
the applier, the file stream and the vote cache merge and keep them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_FAILED_IDS = 5


@dataclass
class LFFailures:
    """How often one LF raised, on which items first, and the first traceback with the
    ``FILE:LINE`` that raised (:func:`~labelwright.apply.lf_calls.raised_line`; empty when
    not known)."""

    lf: str
    count: int = 0
    item_ids: list[str] = field(default_factory=list)
    traceback: str = ""
    raised_at: str = ""
    #: of ``count``, the failures read from the vote cache (raised in an earlier run): a
    #: run judges an LF on the items it ran it on too (``count - cached``)
    cached: int = 0

    def add(self, item_id: str, tb: str, raised_at: str = "") -> None:
        self.count += 1
        if len(self.item_ids) < MAX_FAILED_IDS:
            self.item_ids.append(item_id)
        if not self.traceback:
            self.traceback, self.raised_at = tb, raised_at

    def merge(self, other: LFFailures) -> None:
        """Add another chunk's failures of the same LF (chunks merge in item order)."""
        self.count += other.count
        self.cached += other.cached
        room = MAX_FAILED_IDS - len(self.item_ids)
        if room > 0:
            self.item_ids.extend(other.item_ids[:room])
        if not self.traceback:
            self.traceback, self.raised_at = other.traceback, other.raised_at


def merge_failures(failures: dict[str, LFFailures], more: Mapping[str, LFFailures]) -> None:
    """Add ``more``, a later chunk's or part's failures, into ``failures`` LF by LF: an LF
    new there gets its own entry, one already there counts on (:meth:`LFFailures.merge`:
    its first ids and traceback stay the earliest)."""
    for name, failure in more.items():
        failures.setdefault(name, LFFailures(name)).merge(failure)
