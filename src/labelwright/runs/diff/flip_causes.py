"""Why each flipped label flipped between two runs, item by item (``runs diff``).

Each flip gets the first of these that holds:

- ``label renamed``: run b's ``[project] renamed`` gives run a's label a new name;
- ``text changed``: the item's text hash differs (:mod:`labelwright.runs.item_texts`);
- ``review``: the label in either run is a reviewed one (a review, or a copy's);
- ``votes changed``: an LF voted otherwise on the item (an LF in one run only counts where
  it voted), with the same text;
- ``label model``: the same text and votes, no review: the label model read them otherwise
  (its settings, its class balance, or its fit on the other items moved); named apart when
  the reviewed labels it fit on are not the same in both runs (items reviewed, relabeled,
  or gone with an erasure: :func:`reviewed_fit_changed`), which moves its fit on every item.

When a run recorded no text hashes, "the same text" is not known and the causes say so;
when a label matrix cannot be read, the flips neither a text change nor a review explains
are ``not known``.

:func:`flip_causes` also names, per flip, the votes that changed on it (``glossary:praise
positive -> abstain``), so ``runs diff`` can say which LF's edit flipped an item, and the
accuracy-drop warning which LFs explain the gold items that flipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import RunError
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.diff.label_effects import run_votes, votes_differ
from labelwright.runs.item_texts import changed_texts

RENAMED, TEXT, REVIEW = "label renamed", "text changed", "review"
VOTES, MODEL = "votes changed (same text)", "label model (same text and votes)"
#: the last two when a run recorded no text hashes: the text is not known to be the same
VOTES_UNKNOWN_TEXT, MODEL_UNKNOWN_TEXT = "votes changed", "label model (same votes)"
#: the label model's, when the reviewed labels it fit on changed between the runs
REFIT = "label model refit on other reviewed labels (same text and votes)"
REFIT_UNKNOWN_TEXT = "label model refit on other reviewed labels (same votes)"
#: how the label model's cause starts when a run reused another run's model (the rest
#: names the run: :func:`reused_cause`)
REUSED = "label model reused"
NOT_KNOWN = "not known (a label matrix cannot be read)"
#: when a manifest lacks its ``labeling_functions`` (edited by hand): whose votes to
#: compare is not known, and reading every LF as abstaining in that run moved every vote
NO_LFS = "not known (a manifest lists no LFs)"

#: how a vote that is no label shows in a vote change
ABSTAIN = "abstain"

#: one LF's vote on one item in each run: (LF as run a names it, vote in a, vote in b)
VoteMove = tuple[str, str, str]


@dataclass
class VoteGrid:
    """The votes of the flips checked for a vote change: per row, which LFs' votes differ,
    and the votes in each run (``abstain`` for none). Read row by row only where asked
    (:meth:`FlipCauses.votes`): a list per flip took 6 s on 300,000 flips."""

    lfs: list[str]
    differ: np.ndarray  # rows x LFs, bool
    #: rows x LFs, label names (missing: no vote); frames, read a cell at a time: an
    #: object array of them took 0.4 s each on 300,000 flips
    then: pd.DataFrame
    now: pd.DataFrame


@dataclass
class FlipCauses:
    """The cause of each flip, in the flips' order, and the votes of the flips neither a
    rename, a text change nor a review explains (:meth:`votes`)."""

    causes: list[str] = field(default_factory=list)
    #: flip position -> its row of ``grid``
    rows: dict[int, int] = field(default_factory=dict)
    grid: VoteGrid | None = None

    def votes(self, k: int) -> list[VoteMove]:
        """The votes that changed on flip ``k`` ([] when none did, or they were not
        compared: a rename, a text change, a review, or a matrix that cannot be read)."""
        row = self.rows.get(k)
        if row is None or self.grid is None:
            return []
        g = self.grid
        return [(g.lfs[j], _vote(g.then.iat[row, j]), _vote(g.now.iat[row, j]))
                for j in np.flatnonzero(g.differ[row])]


def _vote(value: Any) -> str:
    """A vote as a vote change shows it: its label, or :data:`ABSTAIN` for none."""
    return ABSTAIN if value is None or pd.isna(value) else str(value)


def vote_move_text(moves: list[VoteMove], shown: int = 3) -> str:
    """``glossary:praise positive -> abstain, star_rating abstain -> neutral``: the first
    ``shown`` vote changes of one item, ``and N more`` for the rest."""
    text = ", ".join(f"{lf} {a} -> {b}" for lf, a, b in moves[:shown])
    return text + (f" and {len(moves) - shown} more" if len(moves) > shown else "")


def flip_because(example: dict[str, Any]) -> str:
    """Why one flipped item flipped, as ``runs diff`` and the report show it: its cause,
    and the votes that changed on it (``votes changed (same text): glossary:praise positive
    -> abstain``)."""
    moves = example.get("votes")
    cause = str(example.get("cause", ""))
    return f"{cause}: {vote_move_text(moves)}" if moves else cause


def reviewed_fit_changed(labels_a: pd.DataFrame, labels_b: pd.DataFrame) -> bool:
    """Whether the reviewed labels the label model fit on differ between two runs (each
    run's labels, every reviewed row among them: ``label_source`` ``review``): an item
    reviewed in one run only (reviewed since, or its row deleted and erased) or
    relabeled. The label model takes them as known labels, so a change moves its fit, and
    with it labels of items no review, vote or text change touched."""
    def reviewed(frame: pd.DataFrame) -> dict[str, str]:
        if "label_source" not in frame.columns:
            return {}
        rows = frame[frame["label_source"].astype(str) == "review"]
        return dict(zip(rows["id"].astype(str), rows["label"].astype(str)))
    return reviewed(labels_a) != reviewed(labels_b)


#: the label model's settings that, the same in both runs, leave its fit to its inputs
_MODEL_SETTINGS = ("name", "params", "tie_break", "class_balance_setting")


def refit_on_reviews(manifests: tuple[dict[str, Any], dict[str, Any]],
                     labels: tuple[pd.DataFrame, pd.DataFrame]) -> bool:
    """Whether the label model of two runs (``manifests``, and their ``labels``) was fit on
    other reviewed labels (:func:`reviewed_fit_changed`) with the same settings: then a
    flip on the same text and votes comes from the refit. Not for ``majority``, which
    reads no reviewed label, nor when a setting changed too (the settings' change is
    named apart, and either may be the cause)."""
    a, b = ((m.get("label_model") or {}) for m in manifests)
    if a.get("name") == "majority" or any(a.get(k) != b.get(k) for k in _MODEL_SETTINGS):
        return False
    return reviewed_fit_changed(*labels)


def flip_causes(flips: pd.DataFrame, runs: tuple[Path, Path],
                manifests: tuple[dict[str, Any], dict[str, Any]], *,
                texts_compared: bool, lf_renames: list[tuple[str, str]],
                label_renames: dict[str, str], refit: bool = False) -> FlipCauses:
    """The cause of each row of ``flips`` (two runs' labels joined on id, suffixes ``_a``
    and ``_b``, where the labels differ), in its order, with the votes that changed on the
    rows neither a rename, a text change nor a review explains. ``refit``: the reviewed
    labels the label model fit on changed (:func:`reviewed_fit_changed`), the cause of a
    flip on the same text and votes."""
    causes = np.full(len(flips), "", dtype=object)
    if not len(flips):
        return FlipCauses()
    renamed = np.array([label_renames.get(a) == b for a, b in
                        zip(flips["label_a"], flips["label_b"])], dtype=bool)
    causes[renamed] = RENAMED
    causes[(causes == "") & changed_texts(flips)] = TEXT
    reviewed = np.zeros(len(flips), dtype=bool)
    for column in ("label_source_a", "label_source_b"):
        if column in flips.columns:
            reviewed |= np.asarray(flips[column].isin(REVIEWED_SOURCES), dtype=bool)
    causes[(causes == "") & reviewed] = REVIEW
    rest = causes == ""
    if rest.any() and any("labeling_functions" not in m for m in manifests):
        causes[rest] = NO_LFS
    elif rest.any():
        ids = flips["id"][rest].astype(str).tolist()
        try:
            grid = _votes_moved(ids, runs, manifests, lf_renames)
        except RunError:
            causes[rest] = NOT_KNOWN
        else:
            by_votes, model = (VOTES, MODEL) if texts_compared else (VOTES_UNKNOWN_TEXT,
                                                                     MODEL_UNKNOWN_TEXT)
            if refit:
                model = REFIT if texts_compared else REFIT_UNKNOWN_TEXT
            model = reused_cause(manifests, texts_compared) or model
            causes[rest] = np.where(grid.differ.any(axis=1), by_votes, model)
            rows = {int(k): row for row, k in enumerate(np.flatnonzero(rest))}
            return FlipCauses([str(c) for c in causes], rows, grid)
    return FlipCauses([str(c) for c in causes])


def reused_cause(manifests: tuple[dict[str, Any], dict[str, Any]], texts_compared: bool
                 ) -> str | None:
    """The cause of a flip on the same votes when either run reused another run's label
    model (``run --label-model-from``): that model read them otherwise, which a refit in
    this run did not (``label model reused from run X (fit by run Y) (same text and
    votes)``, run a's named when only it reused one); None when both runs fit theirs."""
    from labelwright.runs.label_model_record import reused_words

    said = [reused_words((m.get("label_model") or {}).get("from_run")) for m in manifests]
    if not any(said):
        return None
    same = "same text and votes" if texts_compared else "same votes"
    if said[1]:
        return f"{REUSED} by run b: {said[1]} ({same})"
    return f"{REUSED} by run a: {said[0]} ({same})"


def counted_causes(causes: list[str]) -> dict[str, int]:
    """``{cause: flips}``, commonest first."""
    return dict(sorted(Counter(causes).items(), key=lambda kv: (-kv[1], kv[0])))


def _votes_moved(ids: list[str], runs: tuple[Path, Path],
                 manifests: tuple[dict[str, Any], dict[str, Any]],
                 lf_renames: list[tuple[str, str]]) -> VoteGrid:
    """Per id of ``ids`` (a row each), the LFs whose vote on it differs between the runs,
    by label name, and the votes of each run, LFs in name order; an LF renamed between
    them compared under its name in run a, an LF in one run only as abstaining in the
    other. A :class:`RunError` when a matrix cannot be read."""
    frames = []
    for k, (run_dir, manifest) in enumerate(zip(runs, manifests)):
        lfs = [lf.get("name") for lf in manifest.get("labeling_functions") or []]
        votes = run_votes(run_dir, manifest, [str(lf) for lf in lfs if lf], ids=ids)
        votes = votes.set_index("id")
        if k == 1:  # a renamed LF under its name in run a
            votes = votes.rename(columns={new: old for old, new in lf_renames})
        frames.append(votes)
    a, b = frames
    lfs = sorted({*a.columns, *b.columns})
    a, b = (f.reindex(index=pd.Index(ids, name="id"), columns=lfs) for f in (a, b))
    return VoteGrid(lfs, votes_differ(a, b).to_numpy(dtype=bool), a, b)
