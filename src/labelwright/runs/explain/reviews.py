"""The review decisions ``explain`` shows for an item, as the run read them: each marked
when it was imported after the run (which could not use it) or made on another text than
the run's data has, the raters the run read settled under its recorded review policy
(:func:`~labelwright.review.feedback.settlement.settle`, the function the run settled them with),
and a warning when the ledger no longer holds the decisions the run read (as ``runs
verify`` checks it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig
from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import decision_order, recorded_order
from labelwright.review.decisions.ledger import Decision
from labelwright.review.decisions.retirements import (
    RETIRE,
    Retirement,
    read_retirements,
    recorded_changes,
)
from labelwright.review.decisions.retirements import recorded as retirements_honoured
from labelwright.review.feedback.label_changes import stale_raters
from labelwright.review.feedback.run_label_gaps import gap_notes
from labelwright.review.feedback.settlement import Settlement, settle
from labelwright.runs.explain.checks import mark_gone_runs
from labelwright.runs.explain.explanation import DecisionsFor
from labelwright.runs.store import decision_count


def ledger_decisions(root: Path, records: Sequence[Retirement] | None = None,
                     decisions: Sequence[Decision] | None = None) -> DecisionsFor | None:
    """The review ledger's ``decisions_for``, or ``None`` when the project has no ledger;
    each decision with its ``retirements``, ``(n, record)`` for the ledger's ``n``-th
    retirement record about it (:mod:`~labelwright.review.decisions.retirements`; ``records``: the
    ledger's, when read already; ``decisions``: the same for its decisions)."""
    path = ledger.ledger_path(root)
    if not path.is_file():
        return None
    reader = ledger.decisions_reader(path, decisions)
    about: dict[int, list[tuple[int, Retirement]]] = {}
    for n, record in enumerate(read_retirements(path) if records is None else records):
        about.setdefault(record.position, []).append((n, record))

    def decisions_for(item_id: str) -> list[dict[str, Any]]:
        return [{**d, "retirements": about.get(d["seq"], [])} for d in reader(item_id)]
    return decisions_for


def _mark_retired(decisions: list[dict[str, Any]], manifest: dict[str, Any]) -> None:
    """Mark each decision ``retired`` (``retired 2026-12-05 by ana: spam``) when the
    retirements the run honoured leave it retired, and ``retired_since`` when a record
    after the run retired (or un-retired) it; ``retirement_history``: each record of it,
    oldest first; ``retirements`` is taken off."""
    honoured = retirements_honoured(manifest.get("reviews") or {})
    for d in decisions:
        records = d.pop("retirements", [])
        then = [r for n, r in records if n < honoured]
        d["retired"] = then[-1].describe() if then and then[-1].action == RETIRE else None
        since = [r for n, r in records if n >= honoured]
        d["retired_since"] = since[-1].describe() if since else None
        # every record, oldest first: retired, un-retired and retired again reads as such
        d["retirement_history"] = [r.describe() for _, r in records]


def project_decisions(config: ProjectConfig, manifest: dict[str, Any], warnings: list[str],
                      *, item_id: str | None = None, run_dir: Path | None = None
                      ) -> DecisionsFor | None:
    """The project's ledger's ``decisions_for`` (None: no ledger), read once, with a warning
    in ``warnings`` when the ledger no longer holds what the run of ``manifest`` read: with
    ``item_id`` (and the run's folder ``run_dir``), naming that item's decisions that
    changed, where the run's ``reviews.json`` tells."""
    path = ledger.ledger_path(config.root)
    records = read_retirements(path)  # once, for both
    decisions = ledger.read_decisions(path) if path.is_file() else None  # once, for both
    reader = ledger_decisions(config.root, records, decisions)
    warnings.extend(_ledger_changes(config.root, manifest, records, decisions,
                                    item_id=item_id, run_dir=run_dir,
                                    runs_dir=config.runs_path))
    return reader


def item_decisions(config: ProjectConfig, manifest: dict[str, Any], item_id: str,
                   decisions_for: DecisionsFor | None, warnings: list[str],
                   run_dir: Path | None = None
                   ) -> tuple[DecisionsFor | None, list[dict[str, Any]]]:
    """The reader of decisions (``decisions_for``, by default the project's ledger, with a
    warning when it no longer holds what the run read, naming the item's decisions that
    changed by the run's ``reviews.json`` in ``run_dir``) and the item's decisions, each
    run they came from marked when it is gone."""
    decisions: list[dict[str, Any]] = []
    reader = decisions_for
    if reader is None:
        reader = project_decisions(config, manifest, warnings, item_id=item_id,
                                   run_dir=run_dir)
    if reader is not None:
        decisions = list(reader(item_id))
    _mark_retired(decisions, manifest)
    mark_gone_runs(decisions, config.runs_path)
    return reader, decisions


@dataclass
class ItemReviews:
    """How the decisions a run read on one item settle, and under which policy."""

    #: None: the run read no decision on the item, or a stale label keeps it unsettled
    settlement: Settlement | None
    #: the run's ``[review] policy`` and adjudicators (``recorded`` False: the project's now)
    policy: str
    adjudicators: list[str]
    recorded: bool
    #: the raters of the item a copy's label came from (``copy_of``), as the run read them
    copy_reviewers: list[str] = field(default_factory=list)


def settle_item(decisions: list[dict[str, Any]], reader: DecisionsFor | None, item_id: str, *,
                config: ProjectConfig, manifest: dict[str, Any], run_dir: Path,
                labels: tuple[str, ...], source: str, copy_of: str | None,
                warnings: list[str]) -> ItemReviews:
    """Mark each of ``decisions`` (``after_run``, ``other_text``, ``counted_as``) as the run
    of ``manifest`` read it, and settle the ones it read under its review policy; the
    warnings (a stale label, a run without a label, a disagreement the model's label
    stands for, decisions imported after the run) go to ``warnings``. ``copy_of``: the item
whose review the label was copied from (None: no copy)."""
    # the run read the ledger's first `decisions` rows (it is append-only); any later row
    # was imported after that read
    used = _decisions_read(manifest) or 0
    for d in decisions:
        d["after_run"] = d.get("seq", -1) >= used
    _mark_other_text(decisions, item_id, manifest, warnings)
    read = {}
    came_from: dict[str, str] = {}  # per rater, the run their decision read came from
    imported_by: dict[str, str] = {}  # per rater, who imported the decision read
    reviews = manifest.get("reviews") or {}
    # names the run read as another rater's ([review] same_rater, Label Studio ids paired
    # with emails), as its manifest records them: none before it recorded them
    for d in decisions:
        if d.get("reviewer") in (reviews.get("same_rater") or {}):
            d["counted_as"] = reviews["same_rater"][d["reviewer"]]
    # each rater's latest decision the run read, latest as the run took it (the order of
    # ledger.latest_decisions: a run from before decisions dated after their import counted
    # from it went by the tool's time alone), then by import order
    capped = recorded_order(reviews)
    for d in sorted(decisions, key=lambda d: (
            *decision_order(d["decided_at"], d["imported_at"], capped=capped), d["seq"])):
        if not d["after_run"] and not d["other_text"] and not d.get("retired"):
            read[d.get("counted_as", d["reviewer"])] = d["label"]
            came_from[d.get("counted_as", d["reviewer"])] = str(d.get("run_id", ""))
            imported_by[d.get("counted_as", d["reviewer"])] = str(d.get("imported_by") or "")
    recorded = "policy" in reviews and "adjudicators" in reviews
    policy = str(reviews["policy"]) if recorded else config.review.policy
    adjudicators = list(reviews["adjudicators"]) if recorded else list(config.review.adjudicators)
    # old label names read as the run read them ([project] renamed, as its manifest says)
    read = {rater: (reviews.get("renamed") or {}).get(lab, lab) for rater, lab in read.items()}
    usable = {rater: lab for rater, lab in read.items() if lab in labels}
    stale = stale_raters(read, labels, adjudicators)
    settlement = settle(usable, adjudicators, policy) if usable and not stale else None
    if settlement is not None:
        settlement = _with_importers(settlement, imported_by,
                                     reviews.get("same_rater") or {})
    if stale:
        warnings.append("a label run " + str(manifest.get("run_id", run_dir.name))
                        + " does not have (" + ", ".join(f"{r}: {read[r]}" for r in stale)
                        + ") keeps this item's other raters from settling it")
    warnings.extend(gap_notes(read, came_from, config.runs_path, labels,
                              reviews.get("renamed") or {}))
    if len(set(read.values())) > 1 and source != "review":
        warnings.append("the reviewers disagree on this item ("
                        + ", ".join(f"{r}: {lab}" for r, lab in sorted(read.items()))
                        + "), so under [review] policy it has no reviewed label; the label "
                          "shown is the model's")
    copy_reviewers = _raters_read(reader, copy_of, used, manifest
                                  ) if copy_of is not None else []
    later = sum(d["after_run"] for d in decisions)
    if later:
        warnings.append(f"{later} review decision(s) on this item were imported after run "
                        f"{manifest.get('run_id', run_dir.name)}, which did not use them; "
                        "`labelwright run` makes a run that does")
    return ItemReviews(settlement, policy, adjudicators, recorded, copy_reviewers)


def _with_importers(settlement: Settlement, imported_by: dict[str, str],
                    same_rater: dict[str, str]) -> Settlement:
    """``settlement`` with who imported each adjudicator's decision, where that is not the
    adjudicator (nor a name that counts as them): "settled by adjudicator lead" hid that
    chloe had filed lead's decision."""
    importers = {judge: imported_by[judge] for judge in settlement.adjudicators
                 if imported_by.get(judge)
                 and same_rater.get(imported_by[judge], imported_by[judge]) != judge}
    return replace(settlement, importers=importers) if importers else settlement


def _decisions_read(manifest: dict[str, Any]) -> int | None:
    """How many ledger decisions the run read (the ledger's first ones), None when its
    manifest does not say."""
    read = decision_count(manifest.get("reviews") or {})
    return read if isinstance(read, int) else None


def _ledger_changes(root: Path, manifest: dict[str, Any], records: Sequence[Retirement],
                    decisions: Sequence[Decision] | None = None, *,
                    item_id: str | None = None, run_dir: Path | None = None,
                    runs_dir: Path | None = None) -> list[str]:
    """A warning when the project's ledger no longer holds the decisions the run read, as
    ``runs verify`` checks it: the decisions shown would be passed off as the ones behind
    the run's label (an edited "spam" beside a reviewed "ham"). With ``item_id`` and
    ``run_dir``, the item's decisions that changed are named, by the run's
    ``reviews.json`` as ``runs verify`` names them
    (:func:`~labelwright.runs.changed_decisions.changed_decisions`). ``runs_dir``: the
    project's runs folder, whose record of erasures (``runs/ERASURES.jsonl``) a note
    erasure in the ledger must be in to account for a change, as ``runs verify`` asks
    (:func:`~labelwright.runs.erase.records.ledger_erasures`)."""
    from labelwright.runs.erase.records import ErasureLog, ledger_erasures

    read = _decisions_read(manifest)
    digest = (manifest.get("reviews") or {}).get("ledger_sha256")
    if read is None or not isinstance(digest, str):
        return []
    path = ledger.ledger_path(root)
    erased_at = None if runs_dir is None else ledger_erasures(ErasureLog(runs_dir))
    decisions_change = ledger.ledger_changes(
        path, read, digest, decisions=None if decisions is None else list(decisions),
        erased_at=erased_at)
    run_id = manifest.get("run_id")
    if decisions_change and item_id is not None and run_dir is not None:
        named = _item_changes(run_dir, manifest, path, read, item_id, decisions)
        if named:
            return [f"{decisions_change.message}; by the run's reviews.json: "
                    f"{'; '.join(named)}: the reviews and how they settle below are the "
                    f"ledger's now, not those run {run_id} read and labeled this item from; "
                    "`labelwright runs verify` checks every file"]
    change = decisions_change.message if decisions_change else \
        recorded_changes(path, manifest.get("reviews") or {}, records=records,
                         erased_at=erased_at)
    return [] if change is None else [
        f"{change}: the review decisions below are the ledger's now, not necessarily those "
        f"run {run_id} read; `labelwright runs verify` checks every file"]


def _item_changes(run_dir: Path, manifest: dict[str, Any], path: Path, read: int,
                  item_id: str, decisions: Sequence[Decision] | None) -> list[str]:
    """The decisions on ``item_id`` the run read that the ledger's first ``read`` decisions
    now give otherwise (:func:`~labelwright.runs.changed_decisions.changed_decisions`)."""
    from labelwright.review.decisions.rater_erasures import pseudonyms
    from labelwright.runs.changed_decisions import changed_decisions

    now = list(decisions) if decisions is not None else ledger.read_decisions(path)
    if len(now) < read:
        return []  # decisions deleted: the ledger-wide warning says so
    changed = changed_decisions(run_dir, manifest, now[:read],
                                pseudonyms=pseudonyms(path)) or []
    return [str(c) for c in changed if c.item == item_id]


def other_text_caveat(manifest: dict[str, Any]) -> str | None:
    """The run-wide caveat of a run made before manifests recorded which reviewed items it
    set aside for a changed text (``set_aside_other_text``): any decision shown may be one
    it did not use. None for a run that records them, or set none aside."""
    reviews = manifest.get("reviews") or {}
    if "set_aside_other_text" in reviews or not reviews.get("reviewed_on_other_text"):
        return None
    return (f"run {manifest.get('run_id')} set aside {reviews['reviewed_on_other_text']} "
            "reviewed item(s) whose text had changed, but was made before runs recorded "
            "which: the decisions below may include some it did not use (its label source "
            "says whether this item's label came from a review)")


def _mark_other_text(decisions: list[dict[str, Any]], item_id: str,
                     manifest: dict[str, Any], warnings: list[str]) -> None:
    """Mark (``other_text``) the decisions the run set aside because they were made on
    another text than the item had in its data, as its manifest records them (runs before
    that record mark none)."""
    reviews = manifest.get("reviews") or {}
    caveat = other_text_caveat(manifest)
    if decisions and caveat is not None:
        warnings.append(caveat)
    recorded = reviews.get("set_aside_other_text") or []
    aside = {d.get("run_id") for d in recorded if d.get("id") == item_id}
    for d in decisions:
        d["other_text"] = not d["after_run"] and d.get("run_id") in aside
    other = [d for d in decisions if d["other_text"]]
    if other:
        runs = sorted({d["run_id"] for d in other})
        warnings.append(f"{len(other)} review decision(s) on this item were made on another "
                        f"text than this run's data has (shown by run {', '.join(runs)}), so "
                        "the run did not use them; review the item again")


def _raters_read(reader: DecisionsFor | None, item_id: str,
                 used: int, manifest: dict[str, Any]) -> list[str]:
    """The raters of ``item_id`` among the ledger's first ``used`` decisions (those a run
    read) that it did not honour a retirement of, named as the run counted them (its
    ``same_rater``)."""
    if reader is None:
        return []
    same_rater = (manifest.get("reviews") or {}).get("same_rater") or {}
    decisions = list(reader(item_id))
    _mark_retired(decisions, manifest)
    return sorted({str(same_rater.get(d["reviewer"], d["reviewer"])) for d in decisions
                   if d.get("seq", -1) < used and not d["retired"]})
