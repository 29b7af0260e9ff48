"""Ids that look like other ids: kept as written (an id is never changed), and named in a
warning, since a review file, a join or a person typing the id will likely write it
otherwise: ids with spaces around them (``" 55 "``), and ids that are another id of the
dataset in another Unicode form (``café`` written as ``e`` plus a combining accent)."""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable, Sequence

from labelwright.counts import some_of
from labelwright.data.ids import shown_id

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
        out.append(f"{source}: {len(spaced)} id(s) in column {id_column!r} have spaces "
                   "around them, kept as written (a review or file that writes the id "
                   "without them names another item): "
                   + some_of([f"{shown_id(ids[k])} (row {row(k)})" for k in spaced], SHOWN))
    twins = unicode_twins(ids)
    if twins:
        said = [" and ".join(f"{shown_id(ids[k], ascii_only=True)} (row {row(k)})" for k in group)
                for group in twins]
        out.append(f"{source}: {len(twins)} group(s) of ids in column {id_column!r} are one id "
                   "written in other Unicode forms (equal after NFC normalisation), kept as "
                   "distinct items: " + some_of(said, SHOWN) + "; write each id one way "
                   "(NFC, as most editors save text)")
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
