"""Items to read for one LF: where it is wrong, where other LFs disagree, where it is right.

An expert who edits an LF wants the table's numbers and then the items behind them.
:func:`lf_examples` picks them from the label matrix and the labels known for some items
(held-out gold and reviews): its **wrong** votes (the known label is another), its votes
in **conflict** with another LF's on items with no known label (the next ones to look
at), its **right** votes, for an LF with no known label on any item it votes on, a plain
**sample** of its votes, and the first items it **failed** on (raised: no vote). Each
group but the last is a seeded random draw, so the same matrix shows the same items, and a
group's size says how many there are to draw from.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from labelwright.counts import some_of
from labelwright.lfs.empty_fields import empty_fields_of
from labelwright.matrix import LabelMatrix

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.lfs.item import GlossaryMatch

#: how a glossary's LF is named: ``glossary:<name>``
GLOSSARY_LF = "glossary:"

#: the groups of :class:`LFExamples`, in the order they are shown
GROUPS = ("wrong", "conflict", "right", "sample", "failed")


@dataclass(frozen=True)
class LFExample:
    """One item an LF voted on: its vote, the label known for it (None: none), and the
    other LFs' votes on it (``{label: [LF names]}``, the LF's own label included)."""

    item_id: str
    text: str
    vote: str
    known: str | None
    others: dict[str, list[str]]
    #: the fields empty on the item (None to the LF), shown for an item it raised on: an
    #: LF that calls a method of a field fails on a blank cell
    empty: tuple[str, ...] = ()
    #: a glossary LF's matches on the item that no exclusion cancelled, each as
    #: :attr:`~labelwright.lfs.item.GlossaryMatch.said` (``'dog' (term 'dating service',
    #: synonym 'dogging')``): which phrase made a wrong vote
    matched: tuple[str, ...] = ()
    #: how many other items of its group hold the same text (shown once, as this one)
    same_text: int = 0


@dataclass(frozen=True)
class LFExamples:
    """The examples of one LF: ``groups[g]`` holds at most ``n`` items of group ``g`` (see
    :data:`GROUPS`), drawn from ``sizes[g]`` items."""

    name: str
    votes: int
    groups: dict[str, list[LFExample]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


def select_lfs(lf_names: Sequence[str], wanted: Sequence[str]) -> list[str]:
    """The LFs ``wanted`` names, in the matrix's order: a name, or a pattern with ``*``, ``?``
    or ``[...]`` (``glossary:*``). A name or pattern that matches no LF is a
    ValueError naming the closest LFs and how many there are."""
    chosen: set[str] = set()
    for want in wanted:
        if any(c in want for c in "*?["):
            found = fnmatch.filter(lf_names, want)
        else:
            found = [want] if want in lf_names else []
        if not found:
            raise ValueError(_no_such_lf(want, lf_names))
        chosen.update(found)
    return [name for name in lf_names if name in chosen]


def _no_such_lf(want: str, lf_names: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(want, lf_names, n=5, cutoff=0.5)
    folded = [name for name in lf_names if want.lower() in name.lower() and name not in close]
    near = [*close, *folded][:5]
    hint = (f"; did you mean {', '.join(repr(n) for n in near)}?" if near
            else "; the project's LFs: "
            + some_of([repr(n) for n in lf_names[:10]], 10, total=len(lf_names)))
    return f"no LF named {want!r} among the project's {len(lf_names)} LFs{hint}"


def lf_examples(matrix: LabelMatrix, texts: Sequence[str], known: np.ndarray,
                names: Sequence[str], *, n: int = 5, seed: int = 0,
                failed: Mapping[str, tuple[int, Sequence[str]]] | None = None,
                fields: pd.DataFrame | None = None,
                matches: Sequence[Sequence[GlossaryMatch]] | None = None
                ) -> list[LFExamples]:
    """The examples of each LF of ``names`` (see the module docstring). ``known``: one label
    index per item, -1 where none is known (gold or a review); ``texts``: the items' texts,
    in the matrix's row order; ``n``: the most items shown per group; ``failed``: per LF,
    how many items it raised on and the ids of the first (an apply's ``failures``);
    ``fields``: the data's other columns, in the matrix's row order, whose empty cells an
    item it raised on shows; ``matches``: each item's glossary matches (an apply's
    ``matches``, in the matrix's row order), which a glossary LF's examples show."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    known = np.asarray(known)
    if known.shape != (len(matrix.item_ids),) or len(texts) != len(matrix.item_ids):
        raise ValueError(f"known labels ({known.shape[0] if known.ndim else 0}) and texts "
                         f"({len(texts)}) must have one entry per item "
                         f"({len(matrix.item_ids)})")
    votes = matrix.votes
    out = []
    for name in names:
        j = matrix.lf_names.index(name)
        column = votes[:, j].astype(np.int64)
        voted = column >= 0
        others = np.delete(votes, j, axis=1)
        # another LF votes a label other than this one's
        disagree = ((others >= 0) & (others != column[:, None])).any(axis=1) & voted
        has_known = known >= 0
        members = {
            "wrong": voted & has_known & (known != column),
            "conflict": disagree & ~has_known,
            "right": voted & has_known & (known == column),
        }
        members["sample"] = voted if not (voted & has_known).any() else np.zeros_like(voted)
        # one generator per LF: adding an LF to the call does not change another's draw
        rng = np.random.default_rng([seed, j])
        groups, sizes = {}, {}
        count, first = (failed or {}).get(name, (0, ()))
        row_of = {item: i for i, item in enumerate(matrix.item_ids)} if first else {}
        failed_rows = [row_of[item] for item in first if item in row_of][:n]
        for group in GROUPS:
            if group == "failed":
                sizes[group] = count
                groups[group] = [replace(_example(matrix, texts, known, i, j, raised=True),
                                         empty=tuple(empty_fields_of(fields, i)))
                                 for i in failed_rows]
                continue
            rows = np.flatnonzero(members[group])
            sizes[group] = len(rows)
            # one item per text: support messages repeat ("no tengo internet"), and five
            # copies of one text shown are one example
            rows, same_text = _one_per_text(rows, texts)
            if len(rows) > n:
                rows = np.sort(rng.choice(rows, size=n, replace=False))
            groups[group] = [replace(_with_matches(_example(matrix, texts, known, int(i), j),
                                                   name, matches, int(i)),
                                     same_text=same_text.get(int(i), 0)) for i in rows]
        out.append(LFExamples(name, int(voted.sum()), groups, sizes))
    return out


def _one_per_text(rows: np.ndarray, texts: Sequence[str]) -> tuple[np.ndarray, dict[int, int]]:
    """``rows`` with only the first of each text, and for each kept row how many other
    rows of ``rows`` hold its text (only those with any). Rows whose texts all differ come
    back as they are, so the draw from them is the one it was."""
    first: dict[str, int] = {}
    others: dict[int, int] = {}
    for i in rows.tolist():
        kept = first.setdefault(texts[i], i)
        if kept != i:
            others[kept] = others.get(kept, 0) + 1
    if not others:
        return rows, {}
    return np.fromiter(first.values(), dtype=rows.dtype, count=len(first)), others


def _with_matches(example: LFExample, name: str,
                  matches: Sequence[Sequence[GlossaryMatch]] | None, i: int) -> LFExample:
    """``example`` with what glossary LF ``name`` matched on item ``i`` (unchanged for
    another LF, or without ``matches``)."""
    glossary = name.removeprefix(GLOSSARY_LF)
    if matches is None or glossary == name:
        return example
    said = dict.fromkeys(m.said for m in matches[i] if m.glossary == glossary and m.active)
    return replace(example, matched=tuple(said))


def _example(matrix: LabelMatrix, texts: Sequence[str], known: np.ndarray, i: int,
             j: int, raised: bool = False) -> LFExample:
    row = matrix.votes[i]
    others: dict[str, list[str]] = {}
    for k, vote in enumerate(row):
        if k != j and vote >= 0:
            others.setdefault(matrix.labels[int(vote)], []).append(matrix.lf_names[k])
    return LFExample(
        item_id=matrix.item_ids[i], text=texts[i],
        vote="(raised)" if raised or row[j] < 0 else matrix.labels[int(row[j])],
        known=matrix.labels[int(known[i])] if known[i] >= 0 else None, others=others)
