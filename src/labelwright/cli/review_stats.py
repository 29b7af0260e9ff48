"""What ``review stats`` prints (the command is in :mod:`labelwright.cli.review`): the
agreement between reviewers, each LF's accuracy on the reviews of random samples and of the
queue, the run's accuracy from its audit and random samples, and whether reviewers shown
the suggestion lean on it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.table import Table

from labelwright.cli.output import score_text, warning
from labelwright.cli.review import console
from labelwright.cli.review_overrides import print_overrides
from labelwright.cli.review_stats_accuracy import interval_text, print_run_accuracy
from labelwright.counts import counted, some_of
from labelwright.percent import percent

if TYPE_CHECKING:
    from labelwright.review.feedback.gold import ReviewedLabels
    from labelwright.review.stats.anchoring import Anchoring
    from labelwright.review.stats.figures import ReviewStats


def print_review_stats(stats: ReviewStats, *, named: bool,
                       pseudonyms: Collection[str] = ()) -> None:
    """Print ``stats`` (:func:`~labelwright.review.stats.summary.review_stats`); ``named``:
    the command was given a run, so the decisions imported after it are said;
    ``pseudonyms``: the raters' names ``erase --rater`` gave, never hinted to be another
    rater's (:func:`~labelwright.review.decisions.tool_names.one_person_names`)."""
    from labelwright.review.feedback.gold_warnings import float_hint, review_warnings

    r = stats.reviewed
    # the ledger's count holds the retired decisions, which no figure below counts
    retired = r.retired.retired
    console.print(_counted_decisions(stats)
                  + (f" ({retired:,} retired: counted in no figure below)" if retired else "")
                  + f", {counted(stats.items_reviewed, 'item')} reviewed by "
                  f"{len(stats.raters)} rater(s); {counted(stats.items_multi, 'item')} with 2+ "
                  f"raters; {counted(len(r.disagreements), 'disagreement')} "
                  f"({counted(len(r.ties), 'tie')})"
                  + (f", {len(r.adjudicated)} settled by adjudicators" if r.adjudicators else "")
                  + (f", {len(r.overruled)} where adjudicators overruled agreeing raters "
                     f"({some_of([repr(i) for i in r.overruled])})" if r.overruled else "")
                  + f"; gold for {counted(r.n_gold, 'item')} of run {stats.run_id} ({r.policy})"
                  + _after_run(stats, named))
    if stats.rater_items:
        console.print("  items decided per rater: " + ", ".join(
            f"{rater} {n:,}" for rater, n in stats.rater_items.items())
            + " (each rater's latest decision per item, retired ones aside)", highlight=False)
        from labelwright.review.decisions.tool_names import one_person_names, one_person_said

        if said := one_person_said(one_person_names(stats.rater_items, pseudonyms=pseudonyms),
                                   stats.rater_sources):
            console.print(f"  {said}", highlight=False)
    if line := _disagreements_listed(r):
        console.print(line, highlight=False)
    if stats.settled_by_others:
        from labelwright.review.imports.adjudicators import stats_warning

        warning(console, stats_warning(stats.settled_by_others))
    if cut := stats.cut_texts:
        console.print(f"  {counted(len(cut), 'decision')} {'was' if len(cut) == 1 else 'were'} "
                      f"made on a cut text, its reviewer shown only its start (a spreadsheet "
                      "cut the cell): "
                      + some_of([f"{d.item_id!r} by {d.rater} ({d.cut})" for d in cut]),
                      highlight=False)
    # what is not counted, and why, as a run says; but the items reviewed that are not
    # this run's may well be in the data (added after an older run)
    for message in stats.ledger_changed:  # --as-read: the first decisions, edited since
        warning(console, message)
    for message in review_warnings(replace(r, unknown_items=[]), labels=stats.labels,
                                   as_read=stats.as_read):
        warning(console, message)
    if r.unknown_items:
        warning(console, f"{len(r.unknown_items)} reviewed item(s) are not items of run "
                         f"{stats.run_id}, so these statistics leave them out: "
                         f"{some_of([repr(i) for i in r.unknown_items])}"
                         f"{float_hint(r.float_spelt)}")
    if stats.items_multi:
        _print_kappa(stats)
        consensus = Table(title="Agreement with consensus", title_justify="left")
        for column in ("rater", "items", "agreement", "95% interval"):
            consensus.add_column(column)
        for row in stats.consensus.itertuples():
            consensus.add_row(row.rater, str(row.items), percent(row.agreement),
                              interval_text(row.ci_low, row.ci_high))
        console.print(consensus)
        console.print("  items: those the rater decided on which the other raters have a "
                      "clear majority (each rater's latest decision per item, retired ones "
                      "aside); 95% interval: Wilson's, over those items", highlight=False)
    _print_lf_accuracy(stats)
    print_run_accuracy(stats)
    print_overrides(console, stats.overrides)
    if any(g.blind for g in stats.anchoring.groups):
        _print_anchoring(stats.anchoring)


#: how many ids of each group of disagreeing items ``review stats`` lists
DISAGREEMENTS_SHOWN = 20


def _disagreements_listed(reviewed: ReviewedLabels) -> str | None:
    """The items the first line counts as disagreements, by where each stands (settled by
    an adjudicator, awaiting one, settled by the majority), the first
    :data:`DISAGREEMENTS_SHOWN` of each group by id, and where each whole list is; None
    without disagreements."""
    from labelwright.review.feedback.gold_warnings import AWAITING, disagreement_groups

    groups = {name: ids for name, ids in disagreement_groups(reviewed).items() if ids}
    if not groups:
        return None
    listed = "; ".join(f"{name} ({len(ids):,}): "
                       f"{some_of([repr(i) for i in ids], DISAGREEMENTS_SHOWN)}"
                       for name, ids in groups.items())
    return (f"  disagreements: {listed} (`labelwright explain ID` shows who chose what"
            + ("; a run puts the items awaiting an adjudicator first in its review queue, "
               "reason `disputed`, which `review export --reason disputed` exports"
               if AWAITING in groups else "")
            + "; in Python every id is in review_stats(...).reviewed: .disagreements, "
              ".ties, .adjudicated)")


def _print_kappa(stats: ReviewStats) -> None:
    """Cohen's kappa per pair of raters, the raters against the adjudicators apart, Fleiss'
    kappa and Krippendorff's alpha with the items each counts, their intervals, and the
    agreement per label."""
    from labelwright.cli.tables import kappa_pairs_table, label_agreement_table, score_interval
    from labelwright.review.stats.bootstrap import MIN_ITEMS, RESAMPLES

    pairs, apart = kappa_pairs_table(stats.peer_pairs)
    console.print(pairs)
    if apart:
        console.print(apart)
    judged = stats.adjudicator_pairs
    if len(judged) and (judged["items"] > 0).any():
        table, _ = kappa_pairs_table(judged, adjudicators=True)
        console.print(table)
    console.print(f"Fleiss' kappa: {score_text(stats.fleiss)} "
                  f"(95% interval {score_interval(*stats.fleiss_ci)}; {_fleiss_items(stats)}); "
                  f"Krippendorff's alpha (nominal): {score_text(stats.alpha)} (95% interval "
                  f"{score_interval(*stats.alpha_ci)}; "
                  f"{counted(stats.items_rated_twice, 'item')} with 2+ ratings)",
                  highlight=False)
    console.print(f"  95% intervals: a bootstrap over the items ({RESAMPLES:,} resamples, "
                  f"seed {stats.seed}, the project's; none under {MIN_ITEMS} items; raters "
                  "who agreed on every item resampled agree on every one: 1.000–1.000 says "
                  "no more than the items behind it)", highlight=False)
    if stats.adjudicators:
        _print_adjudicators_left_out(stats.independent, stats.adjudicators)
    if stats.per_label is not None and stats.items_rated_twice:
        console.print(label_agreement_table(stats.per_label))
        console.print("  specific agreement: of the ratings with the label, the share whose "
                      "other raters of the item chose it too; alpha (one vs rest): agreement "
                      "beyond chance on whether an item has the label", highlight=False)
        if stats.splits:
            split = ", ".join(f"{a} / {b} ({counted(n, 'item')})" for a, b, n in stats.splits)
            console.print(f"  the labels raters split on: {split}", highlight=False)


def _fleiss_items(stats: ReviewStats) -> str:
    """Which items Fleiss' kappa counts: all with 2+ ratings, or those with the most common
    number of ratings, and why the others are left out."""
    used, rated = stats.fleiss_items, stats.items_rated_twice
    if used == rated:
        return counted(used, "item")
    return (f"{used:,} of the {counted(rated, 'item')} with 2+ ratings: those with "
            f"{stats.fleiss_ratings}, the most common number; Fleiss' kappa takes one number "
            "of ratings per item, so the others are left out of it, not of alpha")


def _counted_decisions(stats: ReviewStats) -> str:
    """The start of ``review stats``' first line: which of the ledger's decisions its
    figures count (``stats``: a :class:`~labelwright.review.stats.figures.ReviewStats`): those the
    run read, with ``--as-read``; else the ledger as it is now."""
    n = stats.reviewed.count
    if not stats.as_read:
        return f"ledger now: {counted(n, 'decision')}"
    since = stats.ledger_count - n
    return (f"run {stats.run_id} read {n:,} of the ledger's "
            f"{counted(stats.ledger_count, 'decision')}"
            + (f" (the {since:,} imported since are not counted)" if since else ""))


def _after_run(stats: ReviewStats, named: bool) -> str:
    """The end of ``review stats``' first line, for a run ``named`` and the ledger now: how
    many of its decisions were imported after the run, which ``--as-read`` leaves out."""
    read = stats.run_read
    after = stats.reviewed.count - read if isinstance(read, int) else 0
    if stats.as_read or not named or after <= 0:
        return ""
    return (f"; {after:,} of the decisions were imported after run {stats.run_id}, which "
            f"read {read:,} (--as-read counts only those)")


def _print_lf_accuracy(stats: ReviewStats) -> None:
    """Each LF's accuracy on the reviews of random samples and on the queue's, apart: the
    queue's items are picked where the LFs are wrong most, so mixed in they misstate an LF."""
    lfs = Table(title="LF accuracy on reviewed items: random sample and queue apart (95% "
                "Wilson interval)", title_justify="left")
    for column in ("LF", "sample", "accuracy", "interval", "queue", "accuracy", "interval"):
        lfs.add_column(column)
    sample, queue = stats.lfs_sample, stats.lfs_queue
    assert sample is not None and queue is not None
    for s, q in zip(sample.itertuples(), queue.itertuples()):
        lfs.add_row(s.lf, str(s.reviewed), percent(s.accuracy), interval_text(s.ci_low, s.ci_high),
                    str(q.reviewed), percent(q.accuracy), interval_text(q.ci_low, q.ci_high))
    console.print(lfs)
    console.print("  sample: reviews of runs' random samples (`review export --sample`), which "
                  "picture an LF's votes (the LF table's correct / incorrect / emp. acc. count "
                  "them, with the data's gold); queue: reviews of the review queue and audit, "
                  "the hard items, picked because LFs conflict, the model is unsure or no LF "
                  "voted (the audit: accepted labels only), so not a picture of an LF's votes "
                  "(the LF table's queue acc.)")


def _print_adjudicators_left_out(independent: list[str], adjudicators: list[str]) -> None:
    """Say whose decisions the agreement figures count, where adjudicators decided items."""
    console.print(f"  Fleiss' kappa, Krippendorff's alpha, the consensus and the disagreements "
                  f"count the raters who rate independently ({', '.join(independent) or 'none'})"
                  f": the decisions of adjudicators ({', '.join(adjudicators)}) settle items, "
                  "so they are left out (the table of raters against the adjudicators' "
                  "decisions compares each rater with them)")


_SEEN = {True: "text alone (blind)", False: "suggestion (shown)", None: "not recorded"}
_EXPORT_NAMES = {"sample": "random sample", "queue": "queue"}


def _print_anchoring(result: Anchoring) -> None:
    """The table of agreement with the run's label, blind and shown, and per export what
    the gap says."""
    from labelwright.review.stats.anchoring import ANCHORING, MIN_DECISIONS, TOO_FEW

    table = Table(title="Agreement with the run's label, blind and shown (each decision "
                        "against the label of the run it was exported from; 95% Wilson "
                        "interval)", title_justify="left")
    for column in ("export", "reviewer saw", "decisions", "agreed", "rate", "interval"):
        table.add_column(column)
    for g in result.groups:
        table.add_row(_EXPORT_NAMES[g.export], _SEEN[g.blind], str(g.decisions), str(g.agreed),
                      percent(g.rate), interval_text(g.ci_low, g.ci_high))
    console.print(table)
    for export, name in _EXPORT_NAMES.items():
        blind, shown = result.group(export, True), result.group(export, False)
        if blind is None and shown is None:
            continue
        verdict = result.verdict(export)
        if blind is None or shown is None or verdict == TOO_FEW:
            console.print(f"{name}: too few decisions to compare blind with shown (each needs "
                          f">= {MIN_DECISIONS}; {blind.decisions if blind else 0} blind, "
                          f"{shown.decisions if shown else 0} shown)")
            continue
        rates = f"{percent(shown.rate)} shown vs {percent(blind.rate)} blind"
        if verdict == ANCHORING:
            console.print(f"{name}: reviewers shown the suggestion took the run's label more "
                          f"often than blind ones ({rates}; the intervals do not overlap): "
                          "a sign of anchoring, reviewers leaning on the suggestion")
        else:
            console.print(f"{name}: no sign of anchoring ({rates}; the shown interval is "
                          "not wholly above the blind one)")
    if result.unlabelled or result.unmatched:
        console.print(f"  left out: {result.unlabelled} decision(s) on items their run gave no "
                      f"label (nothing to agree with), {result.unmatched} whose run, or its "
                      "label of the item, is gone")
    console.print("  blind and shown are compared within one export (the queue holds the "
                  "items the model was least sure of); they may still differ in difficulty, "
                  "so the fair test is one random sample reviewed both ways by different "
                  "reviewers")
