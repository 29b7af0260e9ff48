"""Where one item's label came from: its text, every vote, the glossary terms, the review.

>>> exp = explain_item("path/to/project", "t42")            # doctest: +SKIP
>>> exp.label, exp.label_source, [v.lf for v in exp.votes if v.vote is not None]

Votes, probabilities and the label are read from the run (its ``label_matrix.parquet``,
``labels.parquet`` and ``manifest.json``), so they are what the run produced even if the
project changed since; the review decisions are the ledger's, each marked when it was
imported after the run (which could not use it), with a warning when the ledger no longer
holds the decisions the run read (as ``runs verify`` checks it); how the decisions the
run read settled is told by :func:`~labelwright.review.feedback.settle` under the run's
recorded review policy, the function the run settled them with. The text, the fields (as
the LFs get them) and the glossary matches are recomputed from the project's current
dataset (its file, id and text columns), glossaries and pipeline; when those differ from
the ones the run recorded (by path, name or hash), :attr:`Explanation.warnings` says so,
naming the file the run read as its manifest records it; the text is then the one the run
exported for review, where it exported the item (the text it labelled).
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from labelwright.apply.cache_keys import lf_module_files
from labelwright.apply.core import missing_as_none
from labelwright.config import load_config
from labelwright.config.data_override import run_data_config
from labelwright.data.dataset import read_dataset
from labelwright.errors import LabelwrightError, RunError, UnknownItemError
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.glossaries.reading import load_glossaries
from labelwright.lfs.item import GlossaryMatch
from labelwright.nlp import load_pipeline, pipeline_fingerprint
from labelwright.review import ledger
from labelwright.review.copy_reviews import REVIEWED_SOURCES
from labelwright.review.label_changes import stale_raters
from labelwright.review.run_label_gaps import gap_notes
from labelwright.review.settlement import Settlement, settle
from labelwright.review.shown_text import texts_shown
from labelwright.runs.explain_checks import mark_gone_runs, module_changes, row_contradictions
from labelwright.runs.explain_label import end_model_label, label_notes
from labelwright.runs.sources import KeptSources
from labelwright.runs.store import (
    LABELS_FILE,
    changed_output,
    decision_count,
    other_data_file,
    read_labels_table,
    read_manifest,
    resolve_run,
    run_data_columns,
)
from labelwright.text_form import same_reading

#: ``decisions_for(item_id) -> list of decisions``, newest last. A decision is a dict with
#: at least ``label`` and, when known, ``reviewer``, ``decided_at`` and ``source`` (the file
#: the decision was imported from).
DecisionsFor = Callable[[str], list[dict[str, Any]]]

MAX_SUGGESTIONS = 5


@dataclass(frozen=True)
class Vote:
    """One LF's vote on the item: a label name, or ``None`` for abstain (or a failure:
    ``failed`` is True when the run lists the item among the LF's failures, None when the LF
    failed on more items than the run lists, so this abstain may be one)."""

    lf: str
    kind: str
    location: str
    vote: str | None
    failed: bool | None = False


@dataclass
class Explanation:
    """Everything that produced one item's label in one run."""

    item_id: str
    run_id: str
    run_dir: Path
    text: str | None
    fields: dict[str, Any]
    votes: list[Vote]
    matches: list[GlossaryMatch]
    probabilities: dict[str, float]
    model: str
    label: str | None
    confidence: float
    status: str
    reasons: list[str]
    #: "model", "none", "review" when the run took a reviewed label, or "copy" when it took
    #: the reviewed label of another item with the same text (``copy_of``)
    label_source: str
    model_label: str | None  # the label model's label (for a reviewed item: its argmax)
    gold: str | None = None
    decisions: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: how the decisions the run read settle under its review policy (None: none read)
    settlement: Settlement | None = None
    #: the ``[review] policy`` and adjudicators that settlement is under: the run's, as its
    #: manifest records them, else the project's now (``policy_recorded`` False)
    review_policy: str | None = None
    adjudicators: list[str] = field(default_factory=list)
    policy_recorded: bool = True
    #: what ``auto`` chose (``{"model", "params", "reason"}``), None for another model
    chosen: dict[str, Any] | None = None
    #: why a model label is not the most probable class, or that no LF voted for it
    #: (:func:`~labelwright.runs.explain_label.label_notes`)
    label_notes: list[str] = field(default_factory=list)
    #: the item's label from ``labelwright train``'s end model on this run
    #: (``{"label", "confidence", "label_source"}``), None when train has not run on it
    end_model: dict[str, Any] | None = None
    #: the reviewed item whose label this one took as a copy of its text, and who decided
    #: it (the raters whose decisions the run read); None when the label is no copy's
    copy_of: str | None = None
    copy_reviewers: list[str] = field(default_factory=list)


def close_ids(item_id: str, ids: list[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """Ids that look like ``item_id``, closest first."""
    return difflib.get_close_matches(item_id, ids, n=n, cutoff=0.5)


def ledger_decisions(root: Path) -> DecisionsFor | None:
    """The review ledger's ``decisions_for``, or ``None`` when the project has no ledger."""
    path = ledger.ledger_path(root)
    return ledger.decisions_reader(path) if path.is_file() else None


def _row(frame: pd.DataFrame, item_id: str, path: Path) -> dict[str, Any]:
    found = frame.index[frame["id"] == item_id]
    if len(found) == 0:
        ids = frame["id"].astype(str).tolist()
        near = close_ids(item_id, ids)
        hint = f"; did you mean {', '.join(_suggestion(i, item_id) for i in near)}?" if near \
            else (f"; ids look like {', '.join(repr(i) for i in ids[:3])}" if ids else "")
        raise UnknownItemError(f"{path}: no item with id {item_id!r} among {len(ids)} items{hint}")
    return frame.loc[found[0]].to_dict()


def _suggestion(near: str, item_id: str) -> str:
    """``near`` as a suggestion for the id ``item_id``, spelt out in code points when the two
    are the same letters in other Unicode code points ("ü" as one, or as "u" and a combining
    diaeresis): they print the same, and "did you mean 'ü'?" for 'ü' said nothing."""
    if unicodedata.normalize("NFC", near) != unicodedata.normalize("NFC", item_id):
        return repr(near)
    return (f"{near!r} (the same letters in other Unicode code points: {ascii(near)}, not "
            f"{ascii(item_id)})")


def _run_file(run_dir: Path, name: str, what: str) -> Path:
    """The path of the run's output ``name``, or a :class:`RunError` saying it is missing
    (a bare "cannot read" naming the path did not say that the file was gone)."""
    path = run_dir / name
    if not path.is_file():
        raise RunError(f"{path}: missing (deleted or moved since the run wrote it), so the "
                       f"run's {what} cannot be shown; `labelwright runs verify` checks "
                       "the whole run")
    return path


def explain_item(
    root: str | Path,
    item_id: str,
    run: str | None = None,
    *,
    decisions_for: DecisionsFor | None = None,
) -> Explanation:
    """Explain the label of ``item_id`` in ``run`` (default: the latest run).

    ``decisions_for`` returns the review decisions of an item; by default the project's
    review ledger is read when it exists (see :func:`ledger_decisions`).
    """
    config = load_config(root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    manifest = read_manifest(run_dir)
    labels = tuple(manifest.get("project", {}).get("labels") or config.labels)
    warnings: list[str] = []

    labels_path = _run_file(run_dir, LABELS_FILE, "labels")
    frame = read_labels_table(labels_path).to_pandas()
    for name in (LABELS_FILE, "label_matrix.parquet"):
        problem = changed_output(run_dir, manifest, name)
        if problem is not None and (run_dir / name).is_file():  # a missing one: error below
            warnings.append(f"{run_dir / problem}: what it says below may not be the run's; "
                            "`labelwright runs verify` checks every file")
    # an LF whose module changed since is shown in the run's copy (runs before it: as then)
    kept = KeptSources(run_dir, manifest, config.root)
    if "lf_modules" in manifest:
        recorded_modules = {m["name"]: m["sha256"] for m in manifest["lf_modules"]}
        moved = module_changes(recorded_modules, lf_module_files(config.lf_path))
        if moved:
            warnings.append(f"LF modules changed since run {manifest.get('run_id')}: "
                            f"{moved}; the votes shown are the run's"
                            + (f", and the code of an LF in a changed module is in the "
                               f"run's copy ({kept.folder()})" if kept else ""))
    row = _row(frame, item_id, labels_path)
    warnings += row_contradictions(row, labels_path)
    index = int(frame.index[frame["id"] == item_id][0])

    matrix_path = _run_file(run_dir, "label_matrix.parquet", "votes")
    try:
        matrix = pq.read_table(matrix_path).slice(index, 1).to_pylist()[0]
    except Exception as exc:
        raise RunError(f"{matrix_path}: cannot read the label matrix: {exc}") from None
    if matrix.get("id") != item_id:
        raise RunError(f"{matrix_path}: row {index + 1} holds item {matrix.get('id')!r}, "
                       f"expected {item_id!r}; the run folder is inconsistent")
    lf_info = {lf["name"]: lf for lf in manifest.get("labeling_functions", [])}
    votes = []
    for name, code in matrix.items():
        if name == "id":
            continue
        info = lf_info.get(name, {})
        vote = labels[code] if code is not None and 0 <= code < len(labels) else None
        failure = (manifest.get("failures") or {}).get(name) or {}
        listed = failure.get("item_ids") or []
        failed = (False if vote is not None or not failure else True if item_id in listed
                  else None if failure.get("count", 0) > len(listed) else False)
        where = kept.shown(info.get("location", "?")) + (
            f" (made at {kept.shown(info['made_at'])})" if info.get("made_at") else "")
        votes.append(Vote(name, info.get("kind", "?"), where, vote, failed))
    warnings += [f"{copy}: missing or changed since the run wrote it, so the LFs in it are "
                 "shown where the run recorded them, which its project file may no longer "
                 "hold; `labelwright runs verify` checks every file"
                 for copy in sorted(kept.broken)]

    text, fields, matches = _recompute(config, manifest, run_dir, item_id, warnings, kept)

    decisions: list[dict[str, Any]] = []
    reader = decisions_for
    if reader is None:  # the project's ledger: warn when it no longer holds what the run read
        reader = ledger_decisions(config.root)
        warnings.extend(_ledger_changes(config.root, manifest))
    if reader is not None:
        decisions = list(reader(item_id))
    mark_gone_runs(decisions, config.runs_path)

    # the label is the run's own (its review policy already applied); decisions imported
    # after the run are listed, but only a new run can use them
    label, source = missing_as_none(row.get("label")), str(row.get("label_source", "model"))
    probabilities = {lab: float(row[f"prob_{lab}"]) for lab in labels if f"prob_{lab}" in row}
    if "model_label" in row:  # runs since 2026-12-02 keep the model's label
        model_label = missing_as_none(row["model_label"])
        if source in REVIEWED_SOURCES:  # prob_ columns are the review's: ask the model
            probabilities = _model_probabilities(run_dir, manifest, labels, matrix, warnings)
    else:  # older runs: prob_ columns are the model's on every item
        model_label = label if source != "review" else _clear_argmax(probabilities)
    # the run read the ledger's first `decisions` rows (it is append-only); any later row
    # was imported after that read
    used = _decisions_read(manifest) or 0
    for d in decisions:
        d["after_run"] = d.get("seq", -1) >= used
    _mark_other_text(decisions, item_id, manifest, warnings)
    read = {}
    came_from: dict[str, str] = {}  # per rater, the run their decision read came from
    reviews = manifest.get("reviews") or {}
    # names the run read as another rater's ([review] same_rater, Label Studio ids paired
    # with emails), as its manifest records them: none before it recorded them
    for d in decisions:
        if d.get("reviewer") in (reviews.get("same_rater") or {}):
            d["counted_as"] = reviews["same_rater"][d["reviewer"]]
    # each rater's latest decision the run read, latest as the run takes it: by when it was
    # decided, then by import order (ledger.latest_decisions)
    for d in sorted(decisions, key=lambda d: (ledger.decision_time(d["decided_at"],
                                                                   d["imported_at"]), d["seq"])):
        if not d["after_run"] and not d["other_text"]:
            read[d.get("counted_as", d["reviewer"])] = d["label"]
            came_from[d.get("counted_as", d["reviewer"])] = str(d.get("run_id", ""))
    recorded = "policy" in reviews and "adjudicators" in reviews
    policy = str(reviews["policy"]) if recorded else config.review.policy
    adjudicators = list(reviews["adjudicators"]) if recorded else list(config.review.adjudicators)
    # old label names read as the run read them ([project] renamed, as its manifest says)
    read = {rater: (reviews.get("renamed") or {}).get(lab, lab) for rater, lab in read.items()}
    usable = {rater: lab for rater, lab in read.items() if lab in labels}
    stale = stale_raters(read, labels, adjudicators)
    settlement = settle(usable, adjudicators, policy) if usable and not stale else None
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
    copy_of = missing_as_none(row.get("copy_of")) if source == "copy" else None
    copy_reviewers = _raters_read(reader, str(copy_of), used, reviews.get("same_rater") or {}
                                  ) if copy_of is not None else []
    later = sum(d["after_run"] for d in decisions)
    if later:
        warnings.append(f"{later} review decision(s) on this item were imported after run "
                        f"{manifest.get('run_id', run_dir.name)}, which did not use them; "
                        "`labelwright run` makes a run that does")

    return Explanation(
        item_id=item_id,
        run_id=manifest.get("run_id", run_dir.name),
        run_dir=run_dir,
        text=text,
        fields=fields,
        votes=votes,
        matches=matches,
        probabilities=probabilities,
        model=str(manifest.get("label_model", {}).get("class")
                  or manifest.get("label_model", {}).get("name", "?")),
        label=label,
        confidence=float(row.get("confidence", float("nan"))),
        status=str(row.get("status", "")),
        reasons=[r for r in str(missing_as_none(row.get("reasons")) or "").split(";") if r],
        label_source=source,
        model_label=model_label,
        gold=missing_as_none(row.get("gold")),
        decisions=decisions,
        warnings=warnings,
        settlement=settlement,
        review_policy=policy,
        adjudicators=adjudicators,
        policy_recorded=recorded,
        label_notes=label_notes(label, source, probabilities, [v.vote for v in votes],
                                manifest.get("label_model") or {}),
        end_model=end_model_label(run_dir, item_id),
        copy_of=None if copy_of is None else str(copy_of),
        copy_reviewers=copy_reviewers,
        chosen=(manifest.get("label_model") or {}).get("chosen"),
    )


def _decisions_read(manifest: dict[str, Any]) -> int | None:
    """How many ledger decisions the run read (the ledger's first ones), None when its
    manifest does not say."""
    read = decision_count(manifest.get("reviews") or {})
    return read if isinstance(read, int) else None


def _ledger_changes(root: Path, manifest: dict[str, Any]) -> list[str]:
    """A warning when the project's ledger no longer holds the decisions the run read, as
    ``runs verify`` checks it: the decisions shown would be passed off as the ones behind
    the run's label (an edited "spam" beside a reviewed "ham")."""
    read = _decisions_read(manifest)
    digest = (manifest.get("reviews") or {}).get("ledger_sha256")
    if read is None or not isinstance(digest, str):
        return []
    change = ledger.ledger_changes(ledger.ledger_path(root), read, digest)
    return [] if change is None else [
        f"{change}: the review decisions below are the ledger's now, not necessarily those "
        f"run {manifest.get('run_id')} read; `labelwright runs verify` checks every file"]


def _mark_other_text(decisions: list[dict[str, Any]], item_id: str,
                     manifest: dict[str, Any], warnings: list[str]) -> None:
    """Mark (``other_text``) the decisions the run set aside because they were made on
    another text than the item had in its data, as its manifest records them (runs before
    that record mark none)."""
    reviews = manifest.get("reviews") or {}
    if decisions and "set_aside_other_text" not in reviews \
            and reviews.get("reviewed_on_other_text"):
        warnings.append(f"run {manifest.get('run_id')} set aside "
                        f"{reviews['reviewed_on_other_text']} reviewed item(s) whose text had "
                        "changed, but was made before runs recorded which: the decisions "
                        "below may include some it did not use (its label source says "
                        "whether this item's label came from a review)")
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
                 used: int, same_rater: dict[str, str]) -> list[str]:
    """The raters of ``item_id`` among the ledger's first ``used`` decisions (those a run
    read), named as the run counted them (``same_rater``)."""
    if reader is None:
        return []
    return sorted({str(same_rater.get(d["reviewer"], d["reviewer"])) for d in reader(item_id)
                   if d.get("seq", -1) < used})


def _model_probabilities(run_dir: Path, manifest: dict[str, Any], labels: tuple[str, ...],
                         matrix: dict[str, Any], warnings: list[str]) -> dict[str, float]:
    """The label model's probabilities for one item (its row of the label matrix), from the
    run's saved ``label_model.json`` (with a warning when it no longer matches its hash in
    the manifest): a reviewed item's ``prob_`` columns are the review's."""
    import numpy as np

    from labelwright.models import load_model

    path = run_dir / "label_model.json"
    if not path.is_file():
        warnings.append(f"{path} is missing: the label model's probabilities for this "
                        "reviewed item cannot be shown")
        return {}
    problem = changed_output(run_dir, manifest, path.name)
    if problem is not None:
        warnings.append(f"{run_dir / problem}: the label model's probabilities below may not "
                        "be the run's; `labelwright runs verify` checks every file")
    try:
        model = load_model(path)
        votes = np.array([[-1 if code is None else int(code)
                           for name, code in matrix.items() if name != "id"]], dtype=np.int64)
        probs = model.predict_proba(votes)[0]
    except (LabelwrightError, ValueError, OSError) as exc:
        warnings.append(f"{path}: cannot compute the label model's probabilities: {exc}")
        return {}
    return {lab: float(p) for lab, p in zip(labels, probs)}


def _clear_argmax(probabilities: dict[str, float]) -> str | None:
    """The most probable label, or None on a tie (the run's tie-break is not redone here)."""
    if not probabilities:
        return None
    top = max(probabilities.values())
    best = [lab for lab, p in probabilities.items() if p == top]
    return best[0] if len(best) == 1 else None


def _data_changes(config: Any, manifest: dict[str, Any], source: str, sha256: str, *,
                  shown: str = "the text and glossary matches shown are from") -> list[str]:
    """Warnings when the project's dataset (``source``, with hash ``sha256``) is not what the
    run read: another file, other contents, or other id and text columns. The file the run
    read is the one its manifest records, never the one ``[data]`` names now: with the
    path changed (or a run folder from another project), naming the current file said the
    run had read a file it never saw."""
    run_id = manifest.get("run_id")
    data = manifest.get("data") or {}
    read = data.get("path")
    same = other_data_file(manifest, source, config) is None
    warnings = []
    recorded = data.get("sha256")
    if same:
        if recorded and recorded != sha256:
            warnings.append(f"{source} changed since run {run_id}; {shown} the current file")
    elif recorded and recorded != sha256:
        warnings.append(f"run {run_id} read its items from {read} (sha256 {recorded[:12]}); "
                        f"[data] path now names {source}, which holds other data (sha256 "
                        f"{sha256[:12]}): {shown} it, not from the file the run read")
    else:
        warnings.append(f"run {run_id} read its items from {read}; [data] path now names "
                        f"{source}, which holds the same data (sha256 {sha256[:12]})")
    # the same file read through other columns gives other ids or texts: the sha cannot tell
    columns = (config.data.id_column, config.data.text_column)
    recorded_columns = run_data_columns(manifest)
    if len(recorded_columns) == 2 and recorded_columns != columns:
        warnings.append(f"run {run_id} read its ids and texts from the columns "
                        f"{recorded_columns[0]!r} and {recorded_columns[1]!r} of "
                        f"{source if read is None else read}; [data] now names "
                        f"{columns[0]!r} and {columns[1]!r}" + ("" if same else f" of {source}")
                        + f": {shown} those, not the run's")
    return warnings


def _recompute(config: Any, manifest: dict[str, Any], run_dir: Path, item_id: str,
               warnings: list[str], kept: KeptSources
               ) -> tuple[str | None, dict[str, Any], list[GlossaryMatch]]:
    """The item's text and fields from the dataset, and its glossary matches, recomputed.
    When the data is not what the run read, the text is the one the run exported for
    review, where it exported the item: the text the run labelled. A run given its file
    with ``--data`` is shown from that file. When the glossaries changed since the run,
    the matches are found with the run's copies of them (``kept``), where it has them."""
    config = run_data_config(config, manifest)
    try:
        dataset = read_dataset(config.data, config.labels)
    except LabelwrightError as exc:
        warnings.append(f"cannot read the dataset to show the text: {exc}")
        return None, {}, []
    columns = run_data_columns(manifest)  # as _data_changes reads them
    changed = (manifest.get("data") or {}).get("sha256") != dataset.sha256 or (
        len(columns) == 2 and columns != (config.data.id_column, config.data.text_column))
    exported = texts_shown(run_dir, {item_id}).get(item_id) if changed else None
    try:  # one scan of the ids
        row: int | None = dataset.ids.index(item_id)
    except ValueError:
        row = None
    now = None if row is None else dataset.texts[row]
    if exported is None or (now is not None and same_reading(exported, now)):
        warnings.extend(_data_changes(config, manifest, dataset.source, dataset.sha256))
    else:
        warnings.extend(_data_changes(
            config, manifest, dataset.source, dataset.sha256,
            shown="the text shown is the one the run exported for review (the glossary "
                  "matches are found in it), the fields are from"))
        warnings.append(f"item {item_id!r} "
                        + (f"is not in {dataset.source} now" if now is None else
                           f"has another text in {dataset.source} now")
                        + f": the text shown is the one run {manifest.get('run_id')} "
                          "labelled and exported for review")
    if exported is not None:
        text = exported
    elif now is not None:
        text = now
    else:
        warnings.append(f"item {item_id!r} is not in {dataset.source} now, so its text "
                        "cannot be shown")
        return None, {}, []
    # as the LFs get them (apply.core): Python values, a gap None (not NaN)
    fields: dict[str, Any] = {}
    if row is not None:
        part = dataset.fields.iloc[row:row + 1]
        fields = {str(c): missing_as_none(part[c].tolist()[0]) for c in part.columns}
    try:
        glossaries = load_glossaries(config.glossary_path, config.labels)
    except LabelwrightError as exc:
        warnings.append(f"cannot load the glossaries to recompute matches: {exc}")
        return text, fields, []
    recorded_glossaries = {g["name"]: g.get("sha256") for g in manifest.get("glossaries", [])}
    current = {g.name: g.sha256 for g in glossaries}
    if "glossaries" in manifest and not recorded_glossaries:  # the run read none
        if current:
            warnings.append(f"run {manifest.get('run_id')} read no glossaries: the project's "
                            "glossaries now are not looked up in its text")
        return text, fields, []
    if recorded_glossaries != current:
        glossaries = _run_glossaries(manifest, kept, warnings) or glossaries
    if not glossaries:
        return text, fields, []
    nlp = load_pipeline(config.nlp)
    recorded_pipeline = (manifest.get("pipeline") or {}).get("fingerprint")
    if recorded_pipeline and recorded_pipeline != pipeline_fingerprint(nlp):
        warnings.append(f"the spaCy pipeline changed since run {manifest.get('run_id')} ([nlp] "
                        "settings, spaCy or its lookup data): matches are recomputed with the "
                        "current pipeline, and may not be the ones the run's glossary LFs saw")
    return text, fields, GlossaryMatcher(glossaries, nlp).match(nlp(text), text)


def _run_glossaries(manifest: dict[str, Any], kept: KeptSources, warnings: list[str]
                    ) -> list[Glossary] | None:
    """The glossaries the run read, from its copies, with a warning that says which
    glossaries the matches are found with; None (the current ones) without the copies."""
    run_id = manifest.get("run_id")
    folder = kept.glossary_folder(manifest)
    why = "the run kept no intact copy of them"
    if folder is not None:
        labels = (manifest.get("project") or {}).get("labels") or []
        try:
            glossaries = load_glossaries(folder, labels)
        except LabelwrightError as exc:
            why = f"its copies do not read now: {exc}"
        else:
            warnings.append(f"glossaries changed since run {run_id}; matches are found with "
                            f"the run's copies of them ({kept.folder()})")
            return glossaries
    warnings.append(f"glossaries changed since run {run_id}; matches are recomputed with "
                    f"the current glossaries ({why})")
    return None
