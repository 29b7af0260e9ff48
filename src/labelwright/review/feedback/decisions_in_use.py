"""Which of the review ledger's decisions a run's reviewed labels are settled from
(:func:`~labelwright.review.feedback.gold.reviewed_labels`): the decisions read, retired ones
left out, each rater's names read as one rater and old label names as the current labels
(:func:`counted_decisions`); those made on a text the item no longer has set aside
(:func:`decisions_in_use`); and where names read as one rater gave an item different
labels (:func:`same_rater_splits`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from labelwright.review.decisions import ledger
from labelwright.review.decisions.decided_texts import check_texts
from labelwright.review.decisions.rater_ids import known_pairs, paired
from labelwright.review.decisions.raters import (
    as_one_rater,
    configured_same_rater,
    names_disagree,
    rater_names,
    unused_names,
)
from labelwright.review.decisions.relabels import relabeled
from labelwright.review.decisions.retirements import Honoured, Retirement, not_retired
from labelwright.review.feedback.label_changes import configured_renamed, read_renamed

#: (run id, item id) of a decision
Pair = tuple[str, str]


@dataclass
class CountedDecisions:
    """The ledger's decisions as :func:`counted_decisions` read them, and the names and
    labels they were read through."""

    path: Path  # the ledger's
    raw: list[ledger.Decision]  # as the ledger holds them (up to ``decisions``)
    honoured: Honoured  # the retirement records honoured
    kept: list[ledger.Decision]  # those not retired, as filed
    #: ``kept`` with their raters read as one (``names``) and old labels as the current
    everything: list[ledger.Decision]
    renamed_counts: dict[str, int]  # per old label name, the decisions read through it
    tied: dict[str, str]  # ``[review] same_rater``
    pairs: dict[str, str]  # the Label Studio ids the ledger paired with an email
    names: dict[str, str]  # the rater each name counts as
    adjudicators: list[str]  # as the rater each counts as
    renames: dict[str, str]  # ``[project] renamed``

    def same_rater(self) -> dict[str, str]:
        """The names read as another rater's that some decision in the ledger has."""
        filed = {d.rater for d in self.raw}
        return {name: one for name, one in sorted(self.names.items()) if name in filed}

    def same_rater_unused(self) -> list[str]:
        """The names ``[review] same_rater`` ties that no decision in the ledger has."""
        return unused_names(self.tied, {d.rater for d in self.raw}, self.pairs)


def counted_decisions(root: str | Path, *, adjudicators: Collection[str],
                      same_rater: Mapping[str, str] | None, renamed: Mapping[str, str] | None,
                      retirements: int | None, records: Sequence[Retirement] | None,
                      decisions: int | None, names: Mapping[str, str] | None,
                      read: Sequence[ledger.Decision] | None) -> CountedDecisions:
    """The decisions of the ledger in the project folder ``root`` (``read``: when read
    already; ``decisions``: its first ones only) but those retired (``retirements``,
    ``records``), each rater read as the rater it counts as and each old label name as the
    current label (from ``same_rater`` and ``renamed``, or the project's at ``root`` when
    None, or the ``names`` a run recorded), as
    :func:`~labelwright.review.feedback.gold.reviewed_labels` takes them."""
    path = ledger.ledger_path(Path(root))
    raw = list(ledger.read_decisions(path) if read is None else read)[:decisions]
    kept, honoured = not_retired(path, raw, as_of=retirements, records=records)
    tied = configured_same_rater(root) if same_rater is None else dict(same_rater)
    pairs = paired(known_pairs(path)) if raw and (names is None or tied) else {}
    if names is None:
        names = rater_names(tied, pairs)
        adjudicators = sorted({names.get(name, name) for name in adjudicators})
    else:  # as a run read them: its adjudicators are read through its names already
        names, adjudicators = dict(names), sorted(set(adjudicators))
    renames = configured_renamed(root) if renamed is None else dict(renamed)
    everything, renamed_counts = read_renamed(as_one_rater(kept, names), renames)
    return CountedDecisions(
        path=path, raw=raw, honoured=honoured, kept=kept, everything=everything,
        renamed_counts=renamed_counts, tied=tied, pairs=pairs, names=dict(names),
        adjudicators=list(adjudicators), renames=renames)


def decisions_in_use(everything: list[ledger.Decision], ids: Sequence[str], *,
                     set_aside: Collection[Pair] | None, runs_dir: Path | None,
                     texts: Sequence[str | None] | None, data_sha256: str | None,
                     data_columns: tuple[str, str] | None
                     ) -> tuple[list[ledger.Decision], set[Pair], dict[str, tuple[int, str]]]:
    """``everything`` but the decisions made on a text the item no longer has, those
    decisions' (run id, item id) and, per run that cannot be read, how many of its
    decisions could not be checked and why. They are the ``set_aside`` given (as a run
    recorded them), else those found with ``texts`` and ``runs_dir``
    (:func:`~labelwright.review.decisions.decided_texts.check_texts`), else none."""
    other: set[Pair] = set()
    unchecked: dict[str, tuple[int, str]] = {}
    if set_aside is not None:
        other = set(set_aside)
    elif runs_dir is not None and texts is not None:
        checked = check_texts(everything, ids, texts, runs_dir, data_sha256, data_columns)
        other, unchecked = checked.other, checked.unchecked
    if not other:
        return everything, other, unchecked
    return [d for d in everything if (d.run_id, d.item_id) not in other], other, unchecked


def same_rater_splits(counted: CountedDecisions, by_item: Mapping[str, Mapping[str, str]],
                      other: Collection[Pair]) -> list[tuple[str, str, str, dict[str, str]]]:
    """(item id, rater, label that counts, {name: label}) where names read as one rater
    gave an item different labels (``by_item``: each rater's label that counts, per item):
    read as one, the later label replaced the other."""
    tied_names = set(counted.names) | set(counted.names.values())
    as_filed = [replace(d, annotator=k.rater)
                for k, d in zip(counted.kept, counted.everything, strict=True)
                if k.rater in tied_names and (d.run_id, d.item_id) not in other]
    return names_disagree(as_filed, counted.names, by_item,
                          relabeled(counted.path) if as_filed else ())
