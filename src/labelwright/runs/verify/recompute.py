"""A run's votes and labels computed again: ``labelwright runs verify --recompute``.

The hashes ``runs verify`` checks say a run's files are as the run wrote them, and
``--inputs`` that the project's files are the ones it read; neither says the votes the run
wrote are the ones its LFs give, since a run reads most votes back from the vote cache
(``.labelwright/cache/votes``), which no manifest hashes. :func:`recompute_run` applies the
run's LFs to the project's data again without the vote cache and the Doc cache, compares
the result with the run's ``label_matrix.parquet`` LF by LF, and refits the label model with
the run's settings and reviews (the review ledger's first decisions, as the run read them:
:mod:`~labelwright.review.decisions.run_reading`) to compare ``labels.parquet``'s model labels and
probabilities; triage again gives its statuses and reasons and its random sample
(``sample.jsonl``), drawn the way the run drew them (by item id, or by row for runs from
before their manifests said; from items without a gold label in the dataset, or, for runs
from before their manifests said, from gold items too).

It only does so when the inputs are the run's (the same check as ``--inputs``, and the
same spaCy pipeline): with other inputs a difference says the inputs changed, not that the
run's votes were altered, so nothing is recomputed and :attr:`Recomputed.refused` says why.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.counts import counted, some_of
from labelwright.lfs.stats import vote_coverage
from labelwright.matrix import ID_COLUMN
from labelwright.models.ties import id_numbers
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.diff.label_effects import votes_differ
from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE, SAMPLE_JSONL
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import decision_count
from labelwright.runs.verify.manifest_claims import (
    chosen_claims,
    claim_differences,
    claim_groups,
    evaluation_claims,
    made_claims,
    run_evaluation,
    triage_claims,
)

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.lfs.core import LabelingFunction
    from labelwright.review.decisions.ledger_digests import RowsChange
    from labelwright.review.decisions.run_reading import RunReading
    from labelwright.review.feedback.gold import ReviewedLabels
    from labelwright.runs.verify.inputs import InputCheck
    from labelwright.triage import Triage

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

    #: why nothing was recomputed ("" when it was): inputs not the run's, pipeline changed
    refused: str = ""
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
    #: (:data:`~labelwright.triage.DRAWS_BY_ID` or ``DRAWS_BY_ROW``); "": not drawn again
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
    #: (:func:`~labelwright.runs.verify.manifest_claims.claim_differences`)
    claims: list[str] = field(default_factory=list)
    #: the manifest's sections the recomputation's figures were compared with
    claims_checked: list[str] = field(default_factory=list)

    @property
    def differs(self) -> bool:
        """Whether anything differs (or could not be compared): what ``bool()`` of it
        says too, as of the other checks' findings, so a run recomputed to its own votes
        and labels is falsy; ``RunCheck.recomputed is None`` says it was not recomputed."""
        return bool(self.refused or self.votes or self.lfs_missing or self.items_missing
                    or self.labels or self.sample or self.problems or self.claims)

    def __bool__(self) -> bool:
        return self.differs


#: what of the project each kind of changed input is (:class:`InputChange`'s ``what``) that
#: the run's kept sources hold again
_KEPT_KINDS = {"config", "LF", "LF module", "LF folder file", "glossary"}


def reproduce_hint(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                   inputs: InputCheck) -> str:
    """``; to recompute it, copy the project elsewhere, put runs/<id>/sources/{...} back
    in the copy, and ...``: how to give the run its inputs again, from the files it kept
    (:mod:`labelwright.runs.sources`) and the data it read, which it does not keep ("" when
    it kept nothing the changes need and the data did not change). A refusal had said only
    "nothing recomputed"."""
    from labelwright.runs.manifest import project_path
    from labelwright.runs.sources import SOURCES, kept_copies

    kinds = {change.what for change in inputs.changes}
    tops = sorted({parts[1] for copy in kept_copies(manifest)
                   if len(parts := Path(copy).parts) > 1 and parts[0] == SOURCES})
    steps = []
    if tops and kinds & _KEPT_KINDS:
        shown = project_path(run_dir / SOURCES, config.root)
        folders = tops[0] if len(tops) == 1 else "{" + ",".join(tops) + "}"
        steps.append(f"copy the project elsewhere and put {shown}/{folders} back in the copy "
                     "(the files the run read)")
    if kinds & {"data file", "DataFrame"}:
        data = manifest.get("data") or {}
        steps.append(f"give the data the run read (not kept in the run: "
                     f"{counted(data.get('rows'), 'row')}, sha256 "
                     f"{str(data.get('sha256'))[:12]}) with `runs verify --recompute --data "
                     "PATH`")
    if not steps:
        return ""
    return "; to recompute it, " + ", then ".join(steps) + " (README: \"Recomputing an old run\")"


def recompute_run(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                  inputs: InputCheck, *, ledger_problem: RowsChange | None,
                  decisions: Sequence[Any], fresh: Fresh | None = None) -> Recomputed:
    """Apply the run's LFs again without the vote and Doc caches and compare with the run in
    ``run_dir`` (its ``manifest``), then refit its label model on the review ledger's
    decisions the run read (its first ones: those imported since are left out), unless
    ``ledger_problem`` says the ledger no longer holds them. ``inputs``: the project's
    inputs against the run's (:func:`~labelwright.runs.verify.inputs.input_changes`); any
    difference refuses. ``fresh``: the project applied already (one apply serves every run
    of ``runs verify --all``)."""
    packages, code = package_changes(manifest), code_change(manifest)
    if inputs:
        return Recomputed(packages=packages, code=code,
                          refused="the project's inputs are not the ones the run read (see "
                                  "inputs), so votes computed now would differ for that "
                                  "reason: nothing recomputed"
                                  + reproduce_hint(run_dir, manifest, config, inputs))
    fresh = fresh or apply_fresh(config)
    recorded = (manifest.get("pipeline") or {}).get("fingerprint")
    if recorded and recorded != fresh.pipeline:
        from labelwright.runs.pipeline_change import pipeline_change

        cause = pipeline_change(manifest, fresh.project.nlp, config)
        return Recomputed(packages=packages, code=code,
                          refused=f"the spaCy pipeline is not the one the run used ({cause}), "
                                  "so votes computed now may differ for that reason: nothing "
                                  "recomputed (it recomputes a run with the labelwright and "
                                  "spaCy pipeline that made it)")
    result = Recomputed(packages=packages, code=code)
    try:
        matrix, labels = _read_matrix(run_dir / MATRIX_FILE, manifest)
    except ValueError as exc:
        result.problems.append(str(exc))
        return result
    now = pd.DataFrame(fresh.votes, columns=fresh.lf_names)
    now.insert(0, ID_COLUMN, fresh.ids)
    if list(labels) != list(config.labels):
        result.problems.append(f"{run_dir / MATRIX_FILE}: records labels {list(labels)}, the "
                               f"project's are {list(config.labels)}")
        return result
    run_lfs = [c for c in matrix.columns if c != ID_COLUMN]
    result.lfs = [lf for lf in run_lfs if lf in fresh.lf_names]
    result.lfs_missing = sorted({*run_lfs} ^ {*fresh.lf_names})
    joined = matrix.merge(now, on=ID_COLUMN, suffixes=("_run", "_now"))
    result.items = len(joined)
    result.items_missing = len(matrix) + len(now) - 2 * len(joined)
    ids = joined[ID_COLUMN].astype(str).to_numpy()
    for lf in result.lfs:
        differ = joined[f"{lf}_run"].to_numpy() != joined[f"{lf}_now"].to_numpy()
        if differ.any():
            result.votes.append(_difference(lf, ids, differ))
    derived = {"coverage": (vote_coverage(fresh.votes), "the recomputation's votes")}
    derived.update(_refit(run_dir, manifest, config, fresh, result, ledger_problem,
                          decisions))
    derived = made_claims(manifest, derived)
    result.claims = claim_differences(manifest, derived)
    result.claims_checked = claim_groups(derived)
    return result


def package_changes(manifest: dict[str, Any]) -> list[str]:
    """The packages (and Python) whose version now differs from the one the run recorded in
    its manifest's ``packages``, as "name recorded -> now" ("not installed" for None). A
    package the run did not record is not named: older runs tracked fewer."""
    from labelwright.runs.store import package_versions

    recorded = manifest.get("packages")
    if not isinstance(recorded, dict):
        return []
    now = package_versions()
    return [f"{name} {recorded[name] or 'not installed'} -> {now[name] or 'not installed'}"
            for name in now if name in recorded and recorded[name] != now[name]]


def code_change(manifest: dict[str, Any]) -> str:
    """``labelwright code 2fd816ad297a -> 9c1e0b7a5d33`` when the labelwright running now is
    not the one that made the run (by ``labelwright_code``); "" when it is, or when the run
    did not record it (an older labelwright)."""
    from labelwright.runs.own_code import code_text, labelwright_code

    recorded = manifest.get("labelwright_code")
    if not isinstance(recorded, dict) or not isinstance(recorded.get("sha256"), str):
        return ""
    if recorded["sha256"] == labelwright_code()["sha256"]:
        return ""
    return f"labelwright code {code_text(recorded)} -> {code_text(labelwright_code())}"


@dataclass
class Fresh:
    """The project's LFs applied now without any cache, and what the refit needs."""

    ids: list[str]
    lf_names: list[str]
    votes: np.ndarray
    pipeline: str
    dataset: Any
    project: Any


def apply_fresh(config: ProjectConfig, frame: pd.DataFrame | None = None,
                lfs: Sequence[LabelingFunction] = ()) -> Fresh:
    """Load the project of ``config`` and apply its LFs, and ``lfs`` made in a Python
    session after them, with no vote or Doc cache (the project's engine, as a run applies
    them) to the dataset ``config`` names (a run's ``--data`` file, when it was given one),
    or to ``frame`` (a run given a DataFrame)."""
    from labelwright.nlp import pipeline_fingerprint
    from labelwright.project.apply import apply_project, project_dataset
    from labelwright.project.load import load_project

    project = load_project(config.root)
    project = project.replaced(config=replace(project.config, data=config.data))
    project = project.with_lfs(*lfs) if lfs else project
    given = project_dataset(project.config, frame) if frame is not None else None
    dataset, applied = apply_project(project, given, cache=False)
    return Fresh(ids=[str(i) for i in dataset.ids], lf_names=list(applied.matrix.lf_names),
                 votes=np.asarray(applied.matrix.votes),
                 pipeline=pipeline_fingerprint(project.nlp), dataset=dataset,
                 project=project)


def _read_matrix(path: Path, manifest: dict[str, Any]) -> tuple[pd.DataFrame, list[str]]:
    """A run's label matrix as written (ids as strings) and the labels its codes index."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except FileNotFoundError:
        raise ValueError(f"{path}: missing, so the run's votes cannot be compared") from None
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ValueError(f"{path}: cannot read the label matrix: {exc}") from None
    meta = table.schema.metadata or {}
    labels = json.loads(meta.get(b"labelwright.labels", b"null")) \
        or manifest_labels(manifest) or []
    frame = table.to_pandas()
    frame[ID_COLUMN] = frame[ID_COLUMN].astype(str)
    return frame, [str(label) for label in labels]


def _difference(column: str, ids: np.ndarray, differ: np.ndarray) -> Difference:
    where = np.flatnonzero(differ)
    return Difference(column, len(where), tuple(str(i) for i in ids[where[:SHOWN_IDS]]))


def _refit(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig, fresh: Fresh,
           result: Recomputed, ledger_problem: RowsChange | None, decisions: Sequence[Any]
           ) -> dict[str, Any]:
    """Refit the label model on the votes computed now, as the run did (its settings: the
    config is the run's; the reviews: the ledger's first decisions, the ones the run read,
    read as the run read them), and compare ``labels.parquet``'s ``model_label``, final
    ``label``, ``label_source``, ``confidence``, ``status`` and ``reasons`` on every item
    (a reviewed item's label from the decisions the run read, a model one's the refit's)
    and ``prob_<label>`` on the items without a reviewed label. Returns the manifest's
    figures as the refit gives them (its evaluation, triage counts and choice; {} when not
    refit), for :func:`~labelwright.runs.verify.manifest_claims.claim_differences`."""
    from labelwright.errors import RunError
    from labelwright.models.configured import fit_label_model
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
    reviewed = project_reviews(config, fresh.dataset, as_read=reading)
    if reading.decisions < len(decisions):
        result.reviews_read = (f"the review ledger's first {reading.decisions} of its "
                               f"{len(decisions)} decisions, the ones the run read"
                               if reading.decisions else
                               f"none of the review ledger's {len(decisions)} decisions, "
                               "as the run read none")
    result.refit_notes += unrecorded_reading(reading, reviewed)
    reused = (manifest.get("label_model") or {}).get("from_run")
    if reused:  # the run fit none: the earlier run's model, read from its file
        try:
            model = reused_model_file(run_dir.parent, reused)
        except RunError as exc:
            result.refit_note = f"not refit: {exc}"
            return {}
    else:
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
            result.labels.append(_difference(column, ids, differ))
    source = "the refit"
    derived = triage_claims(counts, "the refit's triage")
    evaluation = run_evaluation(manifest, fresh.dataset.gold, own, votes, fresh.ids,
                                reviewed.gold >= 0)
    if evaluation is not None:
        derived.update(evaluation_claims(evaluation, f"{source} (held-out gold)"))
    chosen = getattr(model, "chosen_", None)
    if isinstance(chosen, dict):
        derived.update(chosen_claims(chosen, source))
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
    from labelwright.triage import (
        DRAWS_BY_ID,
        UNREAD_BY_BALANCE,
        random_sample,
        recorded_allocation,
        recorded_draws,
        recorded_excludes,
        sure_by_balance,
        triage,
        unread_items,
    )

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


#: how ``Recomputed.refit`` opens when the run reused an earlier run's model (not fit)
REUSED_MODEL = "the label model of run"


def _refit_words(refit: str) -> str:
    """The model the recomputation read the votes with: a refit, or a reused model."""
    return refit if refit.startswith(REUSED_MODEL) else f"the label model refit ({refit})"


def recompute_lines(result: Recomputed) -> list[str]:
    """What ``runs verify --recompute`` prints of ``result``: one line when all is as the
    run wrote it, else a line per LF, file column or problem that differs."""
    changed = "; ".join(result.packages)
    code = [f"recompute: labelwright is not the one that made the run ({result.code})"
            ] if result.code else []
    if result.refused:
        return [f"recompute: {result.refused}"] + (
            [f"recompute: package versions are not the run's ({changed})"] if changed
            else []) + code
    lines: list[str] = []
    if result.votes or result.lfs_missing or result.items_missing:
        lines.append(f"recompute: the LFs applied again without the vote cache give other "
                     f"votes than the run's {MATRIX_FILE}:")
        lines += [f"  LF {difference}" for difference in result.votes]
        lines += [f"  LF {lf}: in only one of the run's matrix and the project's LFs now"
                  for lf in result.lfs_missing]
        if result.items_missing:
            lines.append(f"  {counted(result.items_missing, 'item')} in only one of the run's "
                         "matrix and the data now")
    elif result.lfs:
        lines.append(f"recompute: {counted(len(result.lfs), 'LF')} applied again without the "
                     f"vote and Doc caches give the run's votes on all "
                     f"{counted(result.items, 'item')}")
    if result.refit and result.labels:
        lines.append(f"recompute: {_refit_words(result.refit)} gives other labels "
                     f"than the run's {LABELS_FILE}:")
        lines += [f"  {difference}" for difference in result.labels]
    elif result.refit:
        lines.append(f"recompute: {_refit_words(result.refit)} gives the run's "
                     f"model labels and probabilities, and triage its statuses, labels, "
                     f"label sources and confidences (reviewed labels from the decisions it "
                     f"read; samples drawn by {result.draws}, as the run drew them)")
    elif result.refit_note:
        lines.append(f"recompute: label model {result.refit_note}")
    if result.refit and result.reviews_read:
        lines.append(f"recompute: the refit read {result.reviews_read} (those imported "
                     "since are not the run's)")
    lines += [f"recompute: {note}" for note in result.refit_notes]
    if result.sample is not None:
        lines.append(f"recompute: the random sample drawn again (by {result.draws}, as the "
                     f"run drew it) is not the run's {result.sample}")
    lines += [f"recompute: {problem}" for problem in result.problems]
    if result.claims:
        lines.append("recompute: the manifest's figures are not what the recomputation "
                     "gives:")
        lines += [f"  {line}" for line in result.claims]
    elif result.claims_checked:
        lines.append(f"recompute: the manifest's {', '.join(result.claims_checked)} are what "
                     "the recomputation gives")
    if changed and result:
        lines.append(f"recompute: package versions are not the run's ({changed}): a "
                     "difference above may come from them rather than from the run's files")
    elif changed:
        lines.append(f"recompute: package versions are not the run's ({changed}); the "
                     "results are the run's all the same")
    if code and result:
        lines.append(f"{code[0]}: a difference above may come from it rather than from the "
                     "run's files")
    elif code:
        lines.append(f"{code[0]}; the results are the run's all the same")
    return lines
