"""What an imported file's decisions repeat of the ledger's: the decisions it holds
already (a tool's cumulative export), the labels it changes (a correction, or another
person's file under the same ``--reviewer``), and the sheet another rater imported (a
review CSV filled in by two people in turn). :mod:`~labelwright.review.imports.file` asks
these before it appends.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from labelwright.review.decisions import ledger
from labelwright.review.decisions.raters import as_one_rater


def relabeled(before: list[ledger.Decision], new: list[ledger.Decision],
              names: Mapping[str, str] | None = None) -> list[tuple[str, str, str, str]]:
    """Where adding ``new`` changes the label a rater has in the ledger (each rater's latest
    decision counts, :func:`ledger.latest_per_rater`). A correction shows here, and so does
    another person's file imported under the same ``--reviewer``; a file older than the
    ledger's decisions changes nothing and does not. ``names``: raters that count as
    another (:func:`~labelwright.review.decisions.raters.rater_names`), read as that rater, as runs
    read them: a Label Studio user's label given under their email and changed under
    their id is a change of that rater's label, named so."""
    return [(item, rater, was.label, now.label)
            for (item, rater), (was, now) in relabeled_from(before, new, names).items()]


def relabeled_as_filed(new: list[ledger.Decision], changes: list[tuple[str, str, str, str]],
                       names: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(item, rater as the file names it) of each decision of ``new`` that makes one of
    ``changes`` (:func:`relabeled`, whose raters are read as one): what the ledger records
    of an import with ``--relabel``
    (:mod:`~labelwright.review.decisions.relabels`)."""
    one = names or {}
    changed = {(item, rater) for item, rater, _, _ in changes}
    return sorted({(d.item_id, d.rater) for d in new
                   if (d.item_id, one.get(d.rater, d.rater)) in changed})


def relabeled_from(before: list[ledger.Decision], new: list[ledger.Decision],
                   names: Mapping[str, str] | None = None
                   ) -> dict[tuple[str, str], tuple[ledger.Decision, ledger.Decision]]:
    """``{(item, rater): (the ledger's decision, the file's)}`` of each change of label
    :func:`relabeled` lists: where the label the file changes came from (its file, its
    export, queue or sample), so a refusal can show it; an item in both a run's queue and
    its random sample, decided in two tool projects, looks like a change of mind."""
    one = names or {}
    before, new = as_one_rater(before, one), as_one_rater(new, one)
    current = ledger.latest_decisions(before)
    after = ledger.latest_decisions([*before, *new])
    return {(item, rater): (current[item][rater], d)
            for item, decided in after.items() for rater, d in decided.items()
            if rater in current.get(item, {}) and current[item][rater].label != d.label}


def shared_sheet(before: list[ledger.Decision], new: list[ledger.Decision],
                  reviewer: str) -> tuple[str, int, int, int] | None:
    """(rater, that import's decisions, decisions of ``new`` that repeat any of that rater's,
    decisions of ``new``) when ``new`` repeats every undated decision of one earlier import,
    by another rater, at the same rows of the same run's export with the same labels, in a
    file of the same format: the review CSV shared by two reviewers, the first one's rows
    still filled in when the second imports it. The file's bytes differ from the first
    import's (more rows are filled), so the identical-file check does not see it; its name
    may differ too (a copy saved under another name), so the name is not compared.
    Decisions whose file names their rater (the reviewer column, a tool's annotator) are
    not concerned: they keep that rater."""
    def key(d: ledger.Decision) -> tuple[str, ...]:
        # not the export kind: a copy stripped of the export column would read as "". The
        # format: a shared sheet is one file type, while the JSONL of two tools (Prodigy's,
        # doccano's) each hold the export's items at the same lines
        return (d.item_id, d.label, d.run_id, d.source_row, d.format)

    mine = {key(d) for d in new if not d.decided_at and not d.annotator}
    if not mine:
        return None
    # per import: one rater's decisions from all their files are not one sheet
    theirs: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for d in before:
        if not d.decided_at and not d.annotator and d.rater != reviewer:
            theirs.setdefault((d.rater, d.source_sha256), set()).add(key(d))
    # the largest such import names the sheet (a one-row correction may repeat too)
    largest = min(((-len(decided), rater) for (rater, _), decided in theirs.items()
                   if decided <= mine), default=None)
    if largest is None:
        return None
    count, rater = -largest[0], largest[1]
    overlap = mine & set().union(*(decided for (who, _), decided in theirs.items()
                                   if who == rater))
    return rater, count, len(overlap), len(mine)


def not_in(before: list[ledger.Decision], new: list[ledger.Decision],
           names: Mapping[str, str] | None = None, *,
           sample_unnamed: Collection[tuple[str, str]] = ()) -> list[ledger.Decision]:
    """The decisions of ``new`` the ledger does not hold yet. A tool's exports are
    cumulative (Label Studio's, ``prodigy db-out``): a later file holds every earlier
    annotation again, with the time the tool gave it. A dated decision equal to one in the
    ledger (item, rater, label, time, run, export) is that same decision, not a second one.
    A dated decision whose file names no annotator (an unnamed Prodigy session: its rater
    is the importing ``--reviewer``) is the same decision as one of any rater with that
    item, label, time, run and export: a cumulative file imported by the next reviewer
    holds the first one's answers too, which must not become the second one's.
    An undated decision (the review CSV filled in further and imported again, an Argilla
    export, which gives no response times) is the same decision when it repeats the rater's
    latest undated decision on that item, in that run and export, with the same label; a
    different label, or the same after another, is a new decision. ``names``: raters that
    count as another (``label-studio:2`` as ``label-studio:bob@example.com``): a dated
    decision is the same under either name. The export is compared as
    :func:`matched_export` has it: no export (an item the run never held, or a file that
    names neither) and the queue's are one. ``sample_unnamed``: the (item, run) pairs of
    ``new``'s decisions filed as the random sample's though their rows named no export (an
    item only the sample held): an earlier import filed such a row as from no export, and
    that decision is the same one.
    """
    one = names or {}

    def key(d: ledger.Decision, rater: str, export: str) -> tuple[str, ...]:
        return (d.item_id, one.get(rater, rater), d.label, d.decided_at, d.run_id, export)

    def exports(d: ledger.Decision) -> tuple[str, ...]:
        """The exports an earlier filing of ``d`` is matched by."""
        if d.export == "sample" and (d.item_id, d.run_id) in sample_unnamed:
            return ("sample", matched_export(""))
        return (matched_export(d.export),)

    dated = [d for d in before if d.decided_at]
    known = ({key(d, d.rater, matched_export(d.export)) for d in dated}
             | {key(d, "", matched_export(d.export)) for d in dated})
    latest: dict[tuple[str, ...], str] = {}  # the label of each rater's last undated decision
    for d in before:  # in the order they were imported
        if not d.decided_at:
            latest[(d.item_id, d.rater, d.run_id, matched_export(d.export))] = d.label

    def held(d: ledger.Decision) -> bool:
        if d.decided_at:
            rater = d.rater if d.annotator else ""
            return any(key(d, rater, export) in known for export in exports(d))
        return any(latest.get((d.item_id, d.rater, d.run_id, export)) == d.label
                   for export in exports(d))

    return [d for d in new if not held(d)]


def matched_export(export: str) -> str:
    """The export a decision is matched by when a file gives it again: the random sample's,
    else the queue's. An import files a decision on an item its run never exported with no
    export (:mod:`~labelwright.review.imports.exported_items`), though its file marks the
    queue; an earlier import that could not tell (a labelwright from before the check, or
    the run's files gone) filed the same decision as the queue's. Each is the same decision
    (and ``review stats`` counts no export with the queue's): told apart, a cumulative file
    added it a second time."""
    return "sample" if export == "sample" else "queue"
