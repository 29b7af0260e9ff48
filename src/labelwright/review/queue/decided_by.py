"""The items a rater has decided already, for ``review export --skip-reviewed-by``: a
reviewer's next export leaves them out, so a queue whose head holds the items they tied
on (``disputed``) or a random sample they reviewed part of through the queue does not
send them the same items again, where a changed mind would need ``--relabel``; and the
items anyone has decided, for ``--skip-reviewed``: a team splitting what is left of a
queue leaves out every reviewer's decisions at once, not one rater's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig
from labelwright.errors import ReviewError, both_spellings
from labelwright.review.decisions import ledger
from labelwright.review.decisions.rater_ids import known_pairs, paired
from labelwright.review.decisions.raters import as_one_rater, rater_names
from labelwright.review.decisions.retirements import not_retired
from labelwright.runs.store import decision_count
from labelwright.spelling import did_you_mean
from labelwright.triage.reasons import HEAD_REASONS


def decided_by(ledger_file: Path, rater: str, same_rater: dict[str, str]
               ) -> tuple[set[str], str]:
    """The ids of the items ``rater`` has a decision on that is not retired, and the rater
    ``rater`` counts as. Names that count as one, by ``[review] same_rater`` or a Label
    Studio id paired with an email (:func:`~labelwright.review.decisions.raters.rater_names`), are
    one rater, as ``review stats`` lists them, and ``rater`` may be any of them
    (``label-studio:2`` for ``label-studio:bob@example.com``). A rater with no decision in
    the ledger is an error naming the closest and the raters there are: a misspelt name
    would leave out nothing, without a word."""
    kept, _ = not_retired(ledger_file, ledger.read_decisions(ledger_file))
    names = rater_names(same_rater, paired(known_pairs(ledger_file)))
    kept = as_one_rater(kept, names)
    one = names.get(rater, rater)
    raters = {d.rater for d in kept}
    if one not in raters:
        known = sorted(raters)
        counts_as = f" (which counts as {one!r})" if one != rater else ""
        raise ReviewError(f"--skip-reviewed-by {rater!r}{counts_as}: no decision of that "
                          f"rater in {ledger_file} (retired ones aside); "
                          f"{did_you_mean(rater, known)}"
                          f"raters: {', '.join(map(repr, known)) or 'none yet'}")
    return {d.item_id for d in kept if d.rater == one}, one


def decided_by_anyone(ledger_file: Path) -> set[str]:
    """The ids of the items any rater has a decision on that is not retired."""
    kept, _ = not_retired(ledger_file, ledger.read_decisions(ledger_file))
    return {d.item_id for d in kept}


def without_decided(records: list[dict[str, Any]], rater: str | None,
                    config: ProjectConfig | None, run_dir: Path, *, anyone: bool = False
                    ) -> tuple[list[dict[str, Any]], int, str | None]:
    """``records`` (a run's queue or sample, in order) without the items ``rater`` decided
    (:func:`decided_by`), or with ``anyone`` those any rater decided
    (:func:`decided_by_anyone`; neither: all of them), how many were left out, and the
    rater ``rater`` counts as (None without ``rater``). ``config`` is the project's, whose
    ledger is read (None: no project found for ``run_dir``)."""
    if anyone and rater is not None:
        raise ValueError(f"{both_spellings('--skip-reviewed', 'skip_reviewed=True')} leaves "
                         f"out the items any rater decided, those of {rater!r} among them: "
                         "give it or --skip-reviewed-by, not both")
    if rater is None and not anyone:
        return records, 0, None
    option = "--skip-reviewed" if anyone else "--skip-reviewed-by"
    if config is None:
        raise ReviewError(f"{run_dir}: no project found for it, so no review ledger to read "
                          f"{option} from; pass the project")
    if rater is None:
        done, one = decided_by_anyone(ledger.ledger_path(config.root)), None
    else:
        done, one = decided_by(ledger.ledger_path(config.root), rater,
                               dict(config.review.same_rater))
    kept = [r for r in records if str(r["id"]) not in done]
    return kept, len(records) - len(kept), one


def decided_since(records: list[dict[str, Any]], config: ProjectConfig | None,
                  manifest: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The ids of ``records`` (what an export without ``--skip-reviewed`` or
    ``--skip-reviewed-by`` wrote) that a rater has decided, retired decisions aside, and
    that are not queued because of earlier decisions (:data:`HEAD_REASONS`: ``disputed``
    and the like go back to raters by design). A run queues no reviewed item otherwise,
    so these were decided after the run read the ledger: exported again, they would be
    reviewed twice without anyone asking for it. An item queued for such a reason is among
    them when a decision on it was imported after the run read the ledger (``manifest``:
    the run's, which says how many decisions it read): an adjudicator settled the dispute
    since, and its raters would be asked again for nothing. ``()`` with no project found."""
    if config is None or not records:
        return ()
    path = ledger.ledger_path(config.root)
    decisions = ledger.read_decisions(path)
    kept, _ = not_retired(path, decisions)
    done = {d.item_id for d in kept}
    read = decision_count((manifest or {}).get("reviews") or {})
    standing = {id(d) for d in kept}
    later = ({d.item_id for d in decisions[read:] if id(d) in standing}
             if isinstance(read, int) else set())
    return tuple(str(r["id"]) for r in records
                 if str(r["id"]) in done
                 and (not set(r.get("reasons") or ()) & set(HEAD_REASONS)
                      or str(r["id"]) in later))


def decided_since_said(ids: tuple[str, ...], run_id: str, exported: int) -> str:
    """The warning of an export holding ``ids``, items decided since run ``run_id``."""
    from labelwright.counts import some_of

    shown = some_of([repr(i) for i in ids])
    return (f"{len(ids)} of the {exported} exported items have a decision in the review "
            f"ledger imported since run {run_id} queued them ({shown}): their reviewers "
            "would decide them again. --skip-reviewed leaves out the items any rater has "
            "decided (--skip-reviewed-by RATER those of one rater, for a second opinion "
            "from another), or `labelwright run` first: its queue holds a reviewed item only to "
            "settle it (disputed and the like)")
