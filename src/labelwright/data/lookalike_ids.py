"""Ids that look like other ids: kept as written (an id is never changed), and named in a
warning, since a review file, a join or a person typing the id will likely write it
otherwise: ids with spaces around them (``" 55 "``), and ids that are another id of the
dataset in another Unicode form (``café`` written as ``e`` plus a combining accent)."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from labelwright.counts import some_of
from labelwright.data.ids import id_hashes, shown_id

#: ids a warning names (the first ones); the count says the rest
SHOWN = 5


def lookalike_warnings(ids: Sequence[str], source: str, id_column: str,
                       row: Callable[[int], int]) -> list[str]:
    """The warnings for ``ids`` (of ``source``'s column ``id_column``) that look like
    others; ``row`` gives the file's 1-based row of a position."""
    out = []
    # looked for in C first: ids with spaces around them are rare, a million ids are not
    spaced = ([k for k, item_id in enumerate(ids) if item_id != item_id.strip()]
              if any(map(operator.ne, ids, map(str.strip, ids))) else [])
    if spaced:
        out.append(spaced_warning(source, id_column, len(spaced),
                                  [f"{shown_id(ids[k])} (row {row(k)})"
                                   for k in spaced[:SHOWN]]))
    twins = unicode_twins(ids)
    if twins:
        out.append(twins_warning(source, id_column, [[(ids[k], row(k)) for k in group]
                                                     for group in twins]))
    return out


def spaced_warning(source: str, id_column: str, count: int, first: Sequence[str]) -> str:
    """The warning of ``count`` ids with spaces around them, ``first`` the first
    :data:`SHOWN` as ``'id ' (row N)``."""
    return (f"{source}: {count} id(s) in column {id_column!r} have spaces around them, kept "
            "as written (a review or file that writes the id without them names another "
            "item): " + some_of(first, len(first), total=count))


def twins_warning(source: str, id_column: str, groups: Sequence[Sequence[tuple[str, int]]]
                  ) -> str:
    """The warning of ``groups`` of ids equal after NFC normalisation, each id with its
    file's 1-based row."""
    said = [" and ".join(f"{shown_id(item_id, ascii_only=True)} (row {row})"
                         for item_id, row in group) for group in groups]
    return (f"{source}: {len(groups)} group(s) of ids in column {id_column!r} are one id "
            "written in other Unicode forms (equal after NFC normalisation), kept as "
            "distinct items: " + some_of(said, SHOWN) + "; write each id one way "
            "(NFC, as most editors save text)")


@dataclass
class IdNotes:
    """What :func:`lookalike_warnings` needs of the ids of a file streamed in parts, each
    part's found on its own and merged: how many ids have spaces around them, with the
    first :data:`SHOWN` as (0-based file row, id), and the ids not in NFC form, as their
    position among the items read and the hash of their NFC form (``pandas.util.
    hash_array``, as the stream hashes ids): one of a group of Unicode twins is never in
    NFC form (else the ids would be equal), and the others are either such ids or the
    id that form is. Bounded but for ids not in NFC form, which editors rarely write."""

    spaced: int = 0
    first_spaced: list[tuple[int, str]] = field(default_factory=list)
    not_nfc: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    nfc_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))

    @classmethod
    def of(cls, ids: Sequence[str], start: int = 0,
           rows: Sequence[int] | None = None) -> IdNotes:
        """Those of ``ids``, at positions from ``start`` (file rows ``rows``; None: the
        same as the positions)."""
        notes = cls()
        if any(map(operator.ne, ids, map(str.strip, ids))):
            spaced = [k for k, item_id in enumerate(ids) if item_id != item_id.strip()]
            notes.spaced = len(spaced)
            notes.first_spaced = [(start + k if rows is None else rows[k], ids[k])
                                  for k in spaced[:SHOWN]]
        if not all(map(str.isascii, ids)):
            forms = {k: unicodedata.normalize("NFC", item_id) for k, item_id in enumerate(ids)
                     if not item_id.isascii()}
            changed = [k for k, form in forms.items() if form != ids[k]]
            if changed:
                notes.not_nfc = start + np.asarray(changed, dtype=np.int64)
                notes.nfc_hashes = id_hashes([forms[k] for k in changed])
        return notes

    def merge(self, other: IdNotes) -> None:
        """Add another part of the file's (parts may come in any order)."""
        self.spaced += other.spaced
        self.first_spaced = sorted(self.first_spaced + other.first_spaced)[:SHOWN]
        if len(other.not_nfc):  # 16 bytes an id, in arrays
            self.not_nfc = np.concatenate([self.not_nfc, other.not_nfc])
            self.nfc_hashes = np.concatenate([self.nfc_hashes, other.nfc_hashes])

    def warnings(self, source: str, id_column: str, id_hashes: np.ndarray,
                 ids_at: Callable[[list[int]], list[str]],
                 row: Callable[[np.ndarray], np.ndarray]) -> list[str]:
        """What :func:`lookalike_warnings` says of the whole file: ``id_hashes`` are the
        hashes of every id read, in order; ``ids_at`` gives the ids at some positions (read
        back from what was written), ``row`` the file's 0-based rows of positions."""
        out = []
        if self.spaced:
            out.append(spaced_warning(source, id_column, self.spaced,
                                      [f"{shown_id(item_id)} (row {at + 1})"
                                       for at, item_id in self.first_spaced]))
        if not len(self.not_nfc):
            return out
        forms = self.nfc_hashes
        # the ids that are one of those forms, and the ids in no NFC form
        at = np.union1d(np.flatnonzero(np.isin(id_hashes, forms)), self.not_nfc)
        ids = ids_at(at.tolist())
        groups = unicode_twins(ids)  # the hashes chose the candidates; the ids decide
        if groups:
            rows = row(at) + 1
            out.append(twins_warning(source, id_column, [[(ids[k], int(rows[k])) for k in g]
                                                         for g in groups]))
        return out


def unicode_twins(ids: Sequence[str]) -> list[list[int]]:
    """The positions of ids equal after NFC normalisation, each group in order. Only ids
    past ASCII are normalised (ASCII is its own NFC form)."""
    if all(map(str.isascii, ids)):  # the usual case, found in C
        return []
    forms: dict[str, list[int]] = {}
    for k, item_id in enumerate(ids):
        if not item_id.isascii():
            forms.setdefault(unicodedata.normalize("NFC", item_id), []).append(k)
    if not forms:
        return []
    position = {item_id: k for k, item_id in enumerate(ids) if item_id.isascii()}
    groups = []
    for form, at in forms.items():
        own = position.get(form)  # an ASCII id the others normalise to
        group = sorted(at + ([own] if own is not None else []))
        if len(group) > 1:
            groups.append(group)
    return sorted(groups)
