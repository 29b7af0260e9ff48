"""``runs verify --recompute``'s refit: a run's label model fit again on the votes computed
now and the review decisions the run read, as the run read them, and triage again, each
compared with the run's ``labels.parquet`` and ``sample.jsonl``
(:mod:`~labelwright.runs.verify.recompute`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.matrix import ID_COLUMN
from labelwright.models.input_warnings import inputs_said_elsewhere
from labelwright.models.ties import id_numbers
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.calibration_record import calibration_record
from labelwright.runs.diff.label_effects import votes_differ
from labelwright.runs.file_names import LABELS_FILE, SAMPLE_JSONL
from labelwright.runs.store import decision_count
from labelwright.runs.verify.manifest_claims import (
    evaluation_claims,
    run_evaluation,
    triage_claims,
)
from labelwright.runs.verify.model_claims import calibration_claims, chosen_claims
from labelwright.runs.verify.recompute_lines import REUSED_MODEL
from labelwright.runs.verify.recomputed import (
    PROB_TOLERANCE,
    SHOWN_IDS,
    Difference,
    Recomputed,
    difference_of,
)

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.review.decisions.ledger_digests import RowsChange
    from labelwright.review.decisions.run_reading import RunReading
    from labelwright.review.feedback.gold import ReviewedLabels
    from labelwright.runs.verify.fresh import Fresh
    from labelwright.triage.core import Triage


def refit_labels(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig, fresh: Fresh,
                 result: Recomputed, ledger_problem: RowsChange | None,
                 decisions: Sequence[Any]) -> dict[str, Any]:
    """Refit the label model on the votes computed now, as the run did (its settings: the
    config is the run's; the reviews: the ledger's first decisions, the ones the run read,
    read as the run read them), and compare ``labels.parquet``'s ``model_label``, final
    ``label``, ``label_source``, ``confidence``, ``status`` and ``reasons`` on every item
    (a reviewed item's label from the decisions the run read, a model one's the refit's)
    and ``prob_<label>`` on the items without a reviewed label. Returns the manifest's
    figures as the refit gives them (its evaluation, triage counts and choice; {} when not
    refit), for :func:`~labelwright.runs.verify.claim_values.claim_differences`."""
    from labelwright.errors import RunError
    from labelwright.models.configured import fit_label_model
    from labelwright.models.document import plain
    from labelwright.models.held_votes import unread_votes
    from labelwright.project.inputs import project_reviews
    from labelwright.project.reused_model import reused_model_file
    from labelwright.review.decisions.run_reading import run_reading

    reviews = manifest.get("reviews") or {}
    if ledger_problem and ledger_problem.count_edited:
        result.refit_note = ("not refit: the manifest's count of the decisions the run read "
                             "was edited (above), so which of them the run read is not known")
        return {}
    if ledger_problem:
        result.refit_note = ("not refit: the review ledger no longer holds the decisions the "
                             "run read")
        return {}
    reading = run_reading(reviews, config.review.adjudicators)
    if reading is None:
        result.refit_note = (f"not refit: the run's manifest records no count of the review "
                             f"decisions it read ({decision_count(reviews)!r}), so a refit "
                             "cannot be fit on the run's reviews")
        return {}
    if reading.decisions > len(decisions):
        result.refit_note = (f"not refit: the review ledger holds {len(decisions)} decisions, "
                             f"fewer than the {reading.decisions} the run read")
        return {}
    if 0 < reading.decisions < len(decisions) \
            and not isinstance(reviews.get("ledger_sha256"), str):
        # (runs verify checked the first ones against the digest the run recorded; with
        # none recorded, they cannot be told to be the run's; a run that read none read
        # the first 0)
        result.refit_note = (f"not refit: the review ledger holds {len(decisions)} decisions, "
                             f"the run read {reading.decisions} and recorded no digest of "
                             "them, so the ledger's first ones cannot be told to be the "
                             "run's reviews")
        return {}
    try:
        labels = pd.read_parquet(run_dir / LABELS_FILE)
    except Exception as exc:  # pyarrow raises several unrelated types
        result.problems.append(f"{run_dir / LABELS_FILE}: cannot be read ({exc})")
        return {}
    votes = fresh.votes
    # the ledger as the run read it: its first decisions and retirement records, not those
    # appended since, its raters' names and the decisions it set aside
    reviewed = project_reviews(config, fresh.dataset, as_read=reading, read=decisions)
    if reading.decisions < len(decisions):
        result.reviews_read = (f"the review ledger's first {reading.decisions} of its "
                               f"{len(decisions)} decisions, the ones the run read"
                               if reading.decisions else
                               f"none of the review ledger's {len(decisions)} decisions, "
                               "as the run read none")
    result.refit_notes += unrecorded_reading(reading, reviewed)
    result.settled = {item_id: config.labels[k] for item_id, k
                      in zip(fresh.ids, reviewed.gold.tolist()) if k >= 0}
    reused = (manifest.get("label_model") or {}).get("from_run")
    if reused:  # the run fit none: the earlier run's model, from the run's own copy, else
        # the named run's file (reused_model_file)
        try:
            model = reused_model_file(run_dir, reused)
        except RunError as exc:
            result.refit_note = f"not refit: {exc}"
            return {}
    else:
        with inputs_said_elsewhere():  # the run said them
            model = fit_label_model(config, votes,
                                    y_dev=reviewed.gold if reviewed.n_gold else None,
                                    sampled=reviewed.sampled,
                                    sample_unsettled=reviewed.sample_undecided)
    # ties broken by the items' ids, as the run broke them
    probs = model.predict_proba(votes)
    predicted = model.predict(votes, row_ids=id_numbers(fresh.ids))
    own = np.where((votes >= 0).any(axis=1), predicted, -1)  # as triage leaves them
    result.refit = (f"{REUSED_MODEL} {reused.get('run_id')} (reused by the run, not refit)"
                    if reused else f"{config.label_model.name} (the run's settings)")
    now = pd.DataFrame({ID_COLUMN: fresh.ids, "model_label": [
        config.labels[k] if k >= 0 else None for k in own]})
    for k, label in enumerate(config.labels):
        now[f"prob_{label}"] = probs[:, k]
    tri, label_source, counts = _draw_again(run_dir, manifest, config, fresh, result, probs,
                                            predicted, reviewed, unread_votes(model),
                                            getattr(model, "class_balance_", None))
    now["status"], now["reasons"] = tri.status, [";".join(r) for r in tri.reasons]
    # the final label over the model's: a reviewed item's (or its copy's) from the ledger
    # decisions the run read, with confidence 1, else the model's
    now["label"] = [config.labels[k] if k >= 0 else None for k in tri.label]
    now["confidence"], now["label_source"] = tri.confidence, label_source
    labels = labels.assign(id=labels[ID_COLUMN].astype(str))
    joined = labels.merge(now, on=ID_COLUMN, suffixes=("_run", "_now"))
    ids = joined[ID_COLUMN].to_numpy()
    everywhere = np.ones(len(joined), dtype=bool)
    checked = [("model_label", everywhere), ("status", everywhere), ("reasons", everywhere),
               ("label", everywhere), ("label_source", everywhere),
               ("confidence", everywhere)]
    # a reviewed item's probabilities in labels.parquet are the review's, not the model's
    not_reviewed = ~joined["label_source_run"].isin(REVIEWED_SOURCES).to_numpy() \
        if "label_source_run" in joined else np.ones(len(joined), dtype=bool)
    checked += [(f"prob_{label}", not_reviewed) for label in config.labels]
    for column, rows in checked:
        if f"{column}_run" not in joined:
            result.problems.append(f"{run_dir / LABELS_FILE}: has no column {column!r}")
            continue
        ran, again = joined[f"{column}_run"], joined[f"{column}_now"]
        if not column.startswith("prob_") and column != "confidence":
            differ = votes_differ(ran.astype(object), again.astype(object)).to_numpy(
                dtype=bool, copy=True)  # &= below writes to it
        else:
            differ = ~np.isclose(ran.to_numpy(dtype=float), again.to_numpy(dtype=float),
                                 rtol=0, atol=PROB_TOLERANCE)
        differ &= rows
        if differ.any():
            result.labels.append(difference_of(column, ids, differ))
    source = "the refit"
    derived = triage_claims(counts, "the refit's triage")
    evaluation = run_evaluation(manifest, fresh.dataset.gold, own, votes, fresh.ids,
                                reviewed.gold >= 0)
    if evaluation is not None:
        derived.update(evaluation_claims(evaluation, f"{source} (held-out gold)"))
    chosen = getattr(model, "chosen_", None)
    if isinstance(chosen, dict):
        derived.update(chosen_claims(chosen, source))
    # the calibration: one that no longer reproduces is named, with the gold it was fit on
    derived.update(calibration_claims(
        calibration_record(model, fresh.ids, reviewed.gold, config.labels,
                           fitted_here=not reused),
        plain(getattr(model, "calibration_", None)), source))
    return derived


def unrecorded_reading(reading: RunReading, reviewed: ReviewedLabels) -> list[str]:
    """What a refit reading the ledger as the run did (``reading``; ``reviewed``, the labels
    so read) may read otherwise than the run, where the run's manifest does not record it
    and the runs folder now may answer otherwise: which decisions were made on another text
    (manifests made between runs counting them and naming them)."""
    if reading.set_aside is None and (reading.set_aside_items or reviewed.text_changed):
        return [f"the run set aside the decisions on {reading.set_aside_items} reviewed "
                "item(s) as made on another text than the item has, and its manifest does not "
                "record which: the refit sets aside those on the "
                f"{len(reviewed.text_changed)} it finds now, which may not be the run's"]
    return []


def gone_text_folders(reviewed: ReviewedLabels, lost: int, record: dict[str, Any],
                      runs_dir: Path) -> list[str]:
    """Why the copies found to have lost their label (``lost`` of them) with a reviewed item
    no longer in the data may not be the ones the run found (its triage ``record``): the
    run folders those items' texts are read from, as their decisions' exports, are gone
    now, and the run counted another number (or none); [] otherwise."""
    gone = set(reviewed.unknown_settled)
    folders = sorted({d.run_id for d in reviewed.decisions if d.item_id in gone and d.run_id
                      and not (runs_dir / d.run_id).is_dir()})
    counted = (record.get("copies") or {}).get("labels_lost_with_deleted_items")
    if not folders or counted == lost:
        return []
    then = "did not count them" if counted is None else f"counted {counted}"
    return [f"the run folders the texts of reviewed items no longer in the data are read "
            f"from are gone ({', '.join(folders)}): the refit finds {lost} copies to have "
            f"lost their label with them, the run {then}"]


def _draw_again(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig, fresh: Fresh,
                result: Recomputed, probs: np.ndarray, predicted: np.ndarray,
                reviewed: ReviewedLabels, unread: np.ndarray | None,
                balance: np.ndarray | None) -> tuple[Triage, np.ndarray, dict[str, int]]:
    """Triage again as the run did (its settings, its reviews, its draw rule, the refit's
    ``unread`` votes where the run gave that reason, less those for a label the refit's
    class ``balance`` alone makes sure where the run left those out): the final
    triage (each item's label, confidence, status and reasons, as ``labels.parquet`` holds
    them), each item's label source, and the triage counts; the random sample drawn again
    is compared with the run's ``sample.jsonl`` into ``result.sample``."""
    from labelwright.copies import (
        recorded_apart_rule,
        recorded_copies,
        recorded_queue_ties,
    )
    from labelwright.errors import RunError
    from labelwright.review.feedback.copy_reviews import use_copies
    from labelwright.review.feedback.deleted_copies import lost_to_deletion, stale_items
    from labelwright.review.feedback.gold import apply_reviews
    from labelwright.review.feedback.second_opinions import (
        await_second_opinion,
        lone_decisions,
        waiting_copies,
    )
    from labelwright.review.queue.run_queue import sample_ids
    from labelwright.triage.core import triage
    from labelwright.triage.draw_records import (
        DRAWS_BY_ID,
        recorded_allocation,
        recorded_draws,
        recorded_excludes,
        recorded_tie_order,
    )
    from labelwright.triage.draws import random_sample
    from labelwright.triage.reasons import UNREAD_BY_BALANCE, sure_by_balance, unread_items

    result.draws = recorded_draws(manifest.get("triage"))
    ids = fresh.ids if result.draws == DRAWS_BY_ID else None  # else by row, as the run drew
    # gold items left out of the draws as the run left them out (runs before: drawn too)
    gold = fresh.dataset.gold >= 0 if "gold" in recorded_excludes(manifest.get("triage")) \
        else None
    # copies' labels as the run gave them (runs before: none)
    record = manifest.get("triage") or {}
    copies = use_copies(recorded_copies(record), fresh.dataset.texts, reviewed.gold,
                        reviewed.reviewers, fresh.ids, config.labels,
                        policy=config.review.policy if recorded_apart_rule(record) else None,
                        adjudicators=reviewed.adjudicators)
    copies.queue_ties = recorded_queue_ties(record)  # runs before the record: none
    known = copies.known(reviewed.gold)
    done = known >= 0
    given = record.get("counts") or {}  # the reasons the run could give (runs before: fewer)
    # runs before the rule gave every item of unread votes the reason
    sure = sure_by_balance(balance, config.triage.threshold) \
        if record.get(UNREAD_BY_BALANCE) is True else None
    lost = lost_to_deletion(reviewed, copies, config.runs_path)
    if copies.carried is not None:
        result.refit_notes += gone_text_folders(reviewed, lost.lost, record, config.runs_path)
    own = triage(probs, fresh.votes, predicted, threshold=config.triage.threshold,
                 audit_size=config.triage.audit_size, seed=config.seed,
                 audit_allocation=recorded_allocation(record),
                 review_conflicts=config.triage.review_conflicts, reviewed=done,
                 disputed=reviewed.disputed, ids=ids, gold=gold, texts=copies.texts,
                 # the queue's ties by id only where the run recorded it (runs before: row)
                 ties_by_id=recorded_tie_order(record) == DRAWS_BY_ID,
                 copies_disagree=copies.waiting if "copies_disagree" in given else None,
                 stale=stale_items(reviewed, lost) if "stale" in given else None,
                 review_against_votes="against_votes" in given,
                 unread=unread_items(fresh.votes, unread, sure) if "unread" in given else None)
    tri, source = apply_reviews(own, known)
    if copies.carried is not None:  # a copy's reviewed label: label source "copy"
        source = copies.carried.sources(source)
        if "second_opinion" in given:  # runs before the reason kept none back
            lone = lone_decisions(copies.carried.copy_of, reviewed.gold, reviewed.reviewers,
                                  copies.copies.group, reviewed.adjudicators, predicted,
                                  fresh.votes, fresh.ids, config.labels)
            tri = await_second_opinion(tri, waiting_copies(copies.carried.copy_of, lone))
    drawn = [fresh.ids[i] for i in random_sample(len(fresh.ids), config.triage.random_sample,
                                                 config.seed, reviewed=done, ids=ids,
                                                 gold=gold)]
    try:
        written = sample_ids(run_dir) or []
    except RunError as exc:
        result.problems.append(str(exc))
    else:
        if written != drawn:
            moved = sorted({*written} ^ {*drawn}) \
                or [a for a, b in zip(written, drawn) if a != b]  # drawn in another order
            result.sample = Difference(SAMPLE_JSONL, len(moved), tuple(moved[:SHOWN_IDS]))
    return tri, source, tri.counts()
