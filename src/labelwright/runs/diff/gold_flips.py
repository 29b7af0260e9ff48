"""Why gold items lost their right label between two runs, ranked (the accuracy-drop warning).

The warning that accuracy on gold fell had closed with the same advice whatever the cause
(undo a ``[label_model]`` setting, or retire reviews), also when an edited glossary had
stopped voting on the items that went wrong. Here each flipped gold item whose label was
right in run a and is not in run b is put down to what :mod:`~.flip_causes` found for it:
each LF whose vote on it changed (an item counts for each), the label model (the same
votes), a review, a text change, or a cause not known; the causes are ranked by how many
items each explains.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labelwright.counts import counted
from labelwright.runs.diff.flip_causes import (
    MODEL,
    MODEL_UNKNOWN_TEXT,
    REFIT,
    REFIT_UNKNOWN_TEXT,
    RENAMED,
    REUSED,
    REVIEW,
    TEXT,
    FlipCauses,
)

if TYPE_CHECKING:
    from labelwright.runs.diff.result import RunDiff

#: the kinds of cause, as :class:`GoldFlips` names them
LF, LABEL_MODEL, REVIEWS, TEXTS, UNKNOWN = "LF", "label model", "reviews", "text", "not known"
#: the label model's fit moved by other reviewed labels than the earlier run's
REFITTED = "refit"
#: every other flip cause (a matrix that cannot be read, a manifest listing no LFs, a
#: rename) is :data:`UNKNOWN`, named by its cause: no item that went wrong goes uncounted
_KINDS = {MODEL: LABEL_MODEL, MODEL_UNKNOWN_TEXT: LABEL_MODEL, REVIEW: REVIEWS, TEXT: TEXTS,
          REFIT: REFITTED, REFIT_UNKNOWN_TEXT: REFITTED}


@dataclass(frozen=True)
class GoldFlips:
    """Gold items right in run a and not in run b, and what explains them."""

    items: int = 0
    #: (kind, LF name, the flip cause for :data:`UNKNOWN`, or "", items it explains), most
    #: first; an item whose votes changed counts once for each LF whose vote on it changed
    causes: list[tuple[str, str, int]] = field(default_factory=list)
    #: gold items wrong (or unlabelled) in run a and right in run b, but for those whose
    #: label only a ``[project]`` rename changed: an edit that fixed some items and broke
    #: others read as breaking only
    gained: int = 0


def gold_flips(flips: pd.DataFrame, causes: FlipCauses) -> GoldFlips:
    """:class:`GoldFlips` of ``flips`` (the two runs' labels joined on id where they
    differ, with ``gold_a`` / ``gold_b``) and their :func:`~.flip_causes.flip_causes`."""
    gold_column = next((c for c in ("gold_b", "gold_a") if c in flips.columns), None)
    if gold_column is None or not len(flips):
        return GoldFlips()
    known = flips[gold_column].notna().to_numpy(dtype=bool)
    gold = flips[gold_column].astype(object).where(known, None).to_numpy()
    then, now = (flips[c].astype(object).to_numpy() for c in ("label_a", "label_b"))
    lost = known & (then == gold) & (now != gold)
    # a label the project renamed (kidney to renal, gold renal) was not made right
    renamed = np.array([c == RENAMED for c in causes.causes], dtype=bool)
    gained = int((known & (then != gold) & (now == gold) & ~renamed).sum())
    counts: Counter[tuple[str, str]] = Counter()
    for k in np.flatnonzero(lost):
        if votes := causes.votes(int(k)):
            counts.update({(LF, lf) for lf, _, _ in votes})
        elif (kind := _KINDS.get(causes.causes[k], LABEL_MODEL if causes.causes[k]
                                 .startswith(REUSED) else None)) is not None:
            counts[(kind, "")] += 1
        else:  # the cause says why it is not known
            counts[(UNKNOWN, causes.causes[k])] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return GoldFlips(int(lost.sum()), [(kind, name, n) for (kind, name), n in ranked], gained)


def shown_path(path: str) -> str:
    """``path`` relative to the current folder when inside it, else as it is."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def gold_cause_text(d: RunDiff) -> str:
    """``; the 57 gold items right before and not now: votes of glossary:praise changed
    on 56, ...``: what explains the gold items right in run a and not in run b, most first ("" when
    none went wrong)."""
    gold = d.gold_flips
    if not gold.items:
        return ""
    return (f"; the {counted(gold.items, 'gold item')} right before and not now: "
            + gold_causes(d))


def gold_causes(d: RunDiff, shown: int = 4) -> str:
    """``votes of glossary:praise changed on 56, the label model read the same votes
    otherwise on 3``: what explains the gold items that went wrong, most first."""
    def cause(kind: str, name: str, n: int) -> str:
        return {LF: f"votes of {name} changed on {n}",
                LABEL_MODEL: f"the label model read the same votes otherwise on {n}",
                REVIEWS: f"a review on {n}", TEXTS: f"their text changed on {n}",
                REFITTED: f"the label model refit on other reviewed labels read the same "
                          f"votes otherwise on {n}"}.get(
                    kind, f"{name} on {n}")  # UNKNOWN: the cause names why
    causes = d.gold_flips.causes
    return (", ".join(cause(*c) for c in causes[:shown])
            + (" and more" if len(causes) > shown else ""))


def drop_advice(d: RunDiff) -> str:
    """What can undo the fall, for its top cause among the gold items that went wrong: an
    LF's or a glossary's edit (compared with run a's kept copy), the label model's settings,
    the reviews, the data; the label model or the reviews when no gold item went wrong
    (the fall then comes from items a run reviewed, or the manifests' counts)."""
    model = "[label_model] (e.g. class_balance, name)"
    top = d.gold_flips.causes[0] if d.gold_flips.causes else None
    copy = f" (run {d.run_a}'s copy is in {shown_path(d.sources_a)}/)" if d.sources_a else ""
    if top is None:
        return f"the change that lowered it can be undone in {model} or by retiring reviews"
    kind, name, n = top
    moved = ("whose votes moved (its module, an LF folder file, the data or the pipeline "
             "changed)")
    glossary = name.removeprefix("glossary:") if kind == LF and \
        name.startswith("glossary:") else None
    if glossary is not None and glossary in d.glossaries.edited:
        edit = d.glossary_edits.get(glossary)
        removed = (f": it lost {', '.join(edit.removed)}" if edit and edit.removed else "")
        return (f"most of the gold items that went wrong ({n}) follow glossary {glossary}'s "
                f"edit{removed}; restore what it lost{copy}")
    if glossary is not None:  # not edited: nothing was lost from it
        why = "removed since" if glossary in d.glossaries.removed else moved
        return (f"most of the gold items that went wrong ({n}) follow glossary {glossary}, "
                f"{why}; compare it with the run's copy{copy}")
    if kind == LF:
        why = ("removed since" if name in d.lfs.removed else "edited since"
               if name in d.lfs.edited else moved)
        return (f"most of the gold items that went wrong ({n}) follow LF {name}, {why}; "
                f"compare it with the run's copy{copy}")
    if kind == UNKNOWN:
        return (f"most of the gold items that went wrong ({n}) have no cause found ({name}); "
                f"`labelwright runs diff {d.run_a} {d.run_b}` lists what else changed")
    if kind == REVIEWS:
        return (f"most of the gold items that went wrong ({n}) follow reviews: check them, "
                "or retire them (`labelwright review retire`)")
    if kind == TEXTS:
        return (f"most of the gold items that went wrong ({n}) had their text changed in the "
                "data")
    if kind == REFITTED:
        return (f"most of the gold items that went wrong ({n}) have the same votes, and the "
                "label model was fit on other reviewed labels (reviewed, relabeled or gone "
                "since); check the reviews it lost or gained")
    return (f"most of the gold items that went wrong ({n}) have the same votes: the label "
            f"model reads them otherwise; the change can be undone in {model}")
