"""What ``runs verify --recompute`` found for one run (:class:`Recomputed`), each column
whose values differ a :class:`Difference` (:mod:`~labelwright.runs.verify.recompute`)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from labelwright.counts import counted, some_of

#: ids of differing items each line names
SHOWN_IDS = 5


#: probabilities further apart than this differ (the same fit gives the same bits; this
#: only forgives summation order, e.g. EM blocks run in parallel)
PROB_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Difference:
    """One column of a run's file whose values, computed again, differ on ``items``
    items (the first :data:`SHOWN_IDS` ids in ``ids``)."""

    column: str  # an LF's name, or a labels.parquet column
    items: int
    ids: tuple[str, ...]

    def __str__(self) -> str:
        shown = some_of(self.ids, len(self.ids), total=self.items)
        return f"{self.column}: differs on {counted(self.items, 'item')} ({shown})"


@dataclass
class Recomputed:
    """What :func:`recompute_run` found for one run."""

    #: why nothing was recomputed ("" when it was): inputs not the run's, pipeline changed,
    #: rows erased, no DataFrame; not a difference (``runs verify``'s "not recomputed")
    refused: str = ""
    #: ``refused`` in a few words, for the run's header line
    refused_short: str = ""
    items: int = 0  # items compared
    lfs: list[str] = field(default_factory=list)  # LFs compared
    votes: list[Difference] = field(default_factory=list)  # per LF whose votes differ
    #: LFs in the run's matrix and not the project's now, or the other way (a difference)
    lfs_missing: list[str] = field(default_factory=list)
    #: items in the run's matrix and not in the data now, or the other way
    items_missing: int = 0
    refit: str = ""  # the label model refit, as "dawid_skene (the run's settings)"; "": not
    refit_note: str = ""  # why the label model was not refit
    #: which of the review ledger's decisions the refit read, when not all of them ("":
    #: all, the run having read all the ledger holds now)
    reviews_read: str = ""
    #: what the refit read otherwise than the run may have (its manifest does not record
    #: it, and the project's folders now may give another answer): a hint, not a difference
    refit_notes: list[str] = field(default_factory=list)
    labels: list[Difference] = field(default_factory=list)  # labels.parquet columns that differ
    #: how the run drew its audit and random samples, and so the draws again
    #: (:data:`~labelwright.triage.draw_records.DRAWS_BY_ID` or ``DRAWS_BY_ROW``); "": not
    #: drawn again
    draws: str = ""
    #: the items in only one of the run's random sample and the one drawn again (or, the
    #: same items, those drawn in another place); None when the two are the same
    sample: Difference | None = None
    problems: list[str] = field(default_factory=list)  # run files that could not be read
    #: packages whose version now is not the run's, as "numpy 2.1.3 -> 2.2.0" (not a
    #: difference itself: it says where one above may come from)
    packages: list[str] = field(default_factory=list)
    #: "labelwright code <run's> -> <now>" when the labelwright code hash now is not the
    #: one the run recorded (a hint, as ``packages``); "" when it is, or is not recorded
    code: str = ""
    #: the manifest's figures (coverage, evaluation, triage counts, the model chosen) that
    #: are not what the recomputation gives, a line each naming the field
    #: (:func:`~labelwright.runs.verify.claim_values.claim_differences`)
    claims: list[str] = field(default_factory=list)
    #: the manifest's sections the recomputation's figures were compared with
    claims_checked: list[str] = field(default_factory=list)
    #: the run's ``sources/`` folder when it was recomputed in its project rebuilt from
    #: them (the project's files having changed since the run); "": from the project
    from_sources: str = ""
    #: ``{item id: reviewed label}`` as the refit settled the decisions the run read (None:
    #: not refit): ``runs verify`` checks the run's reviewed rows with it, not settling
    #: them a second time
    settled: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @property
    def differs(self) -> bool:
        """Whether anything differs (or could not be compared): what ``bool()`` of it
        says too, as of the other checks' findings, so a run recomputed to its own votes
        and labels is falsy; ``RunCheck.recomputed is None`` says it was not asked for. A
        recompute :attr:`refused` found nothing to differ: it is falsy too, and
        :attr:`skipped` says so."""
        return bool(self.votes or self.lfs_missing or self.items_missing
                    or self.labels or self.sample or self.problems or self.claims)

    def __bool__(self) -> bool:
        return self.differs

    @property
    def skipped(self) -> tuple[str, str]:
        """Why the run's labels were not computed again, as (a few words, the whole
        reason): nothing recomputed (:attr:`refused`), or the votes but not the label model
        (:attr:`refit_note`); ("", "") when they were."""
        if self.refused:
            return self.refused_short or "nothing recomputed", self.refused
        if self.refit_note and not self.refit:
            return "its label model not refit", f"label model {self.refit_note}"
        return "", ""


def difference_of(column: str, ids: np.ndarray, differ: np.ndarray) -> Difference:
    where = np.flatnonzero(differ)
    return Difference(column, len(where), tuple(str(i) for i in ids[where[:SHOWN_IDS]]))
