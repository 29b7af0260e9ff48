"""What changed between two runs, and what it did to the labels.

>>> diff = diff_runs(Path("runs/20261128-031957-123456"), Path("runs/20261128-040210-000001"))
>>> diff.flipped, diff.transitions          # doctest: +SKIP
(3, {("billing", "technical"): 2, ("(none)", "billing"): 1})

Inputs are compared by the hashes in the two manifests (LF source, glossary file,
dataset, config file, review ledger), by the label model's name and hyperparameters,
and by the environment (the spaCy pipeline and the package versions, which can move
labels with nothing in the project edited); effects by joining the two
``labels.parquet`` files on item id, whose text hashes also name the items whose text
changed and tell a flip that followed its text from one that did not
(:mod:`labelwright.runs.diff.flip_causes`).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.review.decisions.retirements import MANIFEST_FIELDS
from labelwright.review.feedback.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.diff.flip_causes import (
    FlipCauses,
    counted_causes,
    flip_causes,
    refit_on_reviews,
)
from labelwright.runs.diff.flip_filter import FlipFilter, check_filter, kept_flips
from labelwright.runs.diff.glossary_edits import GlossaryEdit, glossary_edits
from labelwright.runs.diff.gold_flips import GoldFlips, gold_flips
from labelwright.runs.diff.label_effects import (
    CommonGold,
    ReviewChanges,
    VoteChanges,
    common_gold,
    review_changes,
    vote_changes,
)
from labelwright.runs.diff.lf_stats import LfStatChanges, lf_stat_changes
from labelwright.runs.diff.near_ties import near_tied
from labelwright.runs.diff.renames import glossary_renames, lf_renames
from labelwright.runs.diff.settings import (
    auto_choice,
    balance_change,
    choice_change,
    common_fields,
    fit_balance,
    model_spec,
    package_changes,
    pair_if_changed,
    recorded_pair,
    review_settings,
    setting_changes,
)
from labelwright.runs.item_texts import TEXT_HASH, changed_texts
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import missing_sections, recorded_renamed
from labelwright.runs.sources import SOURCES
from labelwright.runs.store import (
    read_manifest,
    run_data_columns,
    run_labels,
    run_labels_table,
)

MAX_EXAMPLES = 10


@dataclass
class Changes:
    """Named things (LFs, glossaries) added, removed or edited between two runs."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    #: (old name, new name): in neither added nor removed (:mod:`labelwright.runs.diff.renames`)
    renamed: list[tuple[str, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.edited or self.renamed)

    def with_renames(self, renamed: list[tuple[str, str]]) -> Changes:
        """These changes with ``renamed`` pairs out of removed and added."""
        olds, news = {old for old, _ in renamed}, {new for _, new in renamed}
        return Changes(added=[n for n in self.added if n not in news],
                       removed=[n for n in self.removed if n not in olds],
                       edited=self.edited, renamed=[*self.renamed, *renamed])


@dataclass
class RunDiff:
    """Differences between run ``a`` (before) and run ``b`` (after)."""

    run_a: str
    run_b: str
    lfs: Changes
    glossaries: Changes
    lf_files: Changes  # other files of the LF folder (helper modules, word lists, data)
    data: dict[str, Any] | None  # {"a": {...}, "b": {...}} when the dataset changed
    model: dict[str, Any] | None  # {"a": {...}, "b": {...}} when name or params changed
    reviews: dict[str, Any] | None  # {"a": ..., "b": ...} when the ledger state changed
    config: dict[str, Any] | None  # {"a": ..., "b": ...} when the config file changed
    pipeline: dict[str, Any] | None  # {"a": ..., "b": ...} when the spaCy pipeline changed
    packages: dict[str, tuple[str | None, str | None]]  # package -> (version a, version b)
    compared: int  # items present in both runs
    only_a: int  # items in run a only
    only_b: int
    flipped: int
    transitions: dict[tuple[str, str], int]  # (label in a, label in b) -> items
    examples: list[dict[str, Any]]  # first flips: id, from, to, confidence in each run
    coverage: tuple[float | None, float | None]
    accuracy: tuple[float | None, float | None]
    flipped_by_review: int = 0  # flips to a label run b took from a review (or a copy's)
    #: labels of run a that run b has under another name (its ``[project] renamed``), and
    #: the flips that are only such a rename (in ``flipped`` and ``transitions`` too)
    label_renames: dict[str, str] = field(default_factory=dict)
    renamed_flips: int = 0
    lf_modules: Changes = field(default_factory=Changes)  # LF module files, whole
    #: (status in a, status in b) -> items, for items whose triage status changed
    #: (accepted / review / reviewed): a new threshold moves items without flipping them
    status_moves: dict[tuple[str, str], int] = field(default_factory=dict)
    #: failed runs between a and b, stepped over to reach a (``run`` compares with the
    #: previous run that did not fail: :func:`~labelwright.runs.run_folders.run_before`)
    failed_between: list[str] = field(default_factory=list)
    #: the first ids present in one run only
    ids_only_a: list[str] = field(default_factory=list)
    ids_only_b: list[str] = field(default_factory=list)
    gold_items: tuple[int | None, int | None] = (None, None)  # what each accuracy is over
    #: recorded settings that differ (the labels, triage settings), name -> (a, b)
    settings: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    #: what the label model chose from reviewed labels (auto), when that differs
    choice: dict[str, Any] | None = None
    #: the class balance the label model was fit with, label -> share, when a share moved
    #: by 0.1 point or more (reviews, "votes" or a given balance can move it)
    class_balance: dict[str, Any] | None = None
    #: review settings both runs recorded that differ (``policy``, ``adjudicators``),
    #: name -> (a, b)
    review_settings: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    #: both runs recorded the same config file (its sha256): a change of ``same_rater`` in
    #: ``review_settings`` then comes from imports (Label Studio ids paired with emails),
    #: not from the settings
    config_same: bool = False
    #: accuracy on the gold items held out in both runs (None: a run's labels cannot say
    #: which were held out)
    common_gold: CommonGold | None = None
    #: which labelwright made each run, as :func:`~labelwright.runs.own_code.code_text`
    #: shows its ``labelwright_code`` (an older labelwright's says it is not recorded),
    #: when they differ; None when they are the same, or neither run recorded it
    labelwright_code: tuple[str, str] | None = None
    #: per run, how many labels a review changed (None: the run does not keep the model's)
    review_changes: tuple[ReviewChanges | None, ReviewChanges | None] = (None, None)
    #: on how many items the vote of each LF whose source changed moved
    lf_votes: VoteChanges = field(default_factory=lambda: VoteChanges({}))
    #: LFs of both runs that raised on another number of items: name -> (items in a, in b);
    #: a failure is an abstain in the label matrix, so a fixed LF's votes need not move
    failures: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: items of both runs whose text changed (:mod:`labelwright.runs.item_texts`; 0 when a
    #: run recorded no text hashes: see ``no_text_hashes``), and the first of their ids
    text_changed: int = 0
    ids_text_changed: list[str] = field(default_factory=list)
    #: runs without text hashes, when the data changed (the same data has the same texts)
    no_text_hashes: list[str] = field(default_factory=list)
    #: why the labels flipped, cause -> flips (:mod:`labelwright.runs.diff.flip_causes`)
    flip_causes: dict[str, int] = field(default_factory=dict)
    #: each LF's numbers (coverage, accuracies) that moved (:mod:`~.lf_stats`)
    lf_stats: LfStatChanges = field(default_factory=LfStatChanges)
    #: the phrases and exclusions each edited glossary gained and lost, from the runs'
    #: kept copies (:mod:`~.glossary_edits`; a glossary without both copies left out)
    glossary_edits: dict[str, GlossaryEdit] = field(default_factory=dict)
    #: gold items right in run a and not in run b, and their causes (:mod:`~.gold_flips`)
    gold_flips: GoldFlips = field(default_factory=GoldFlips)
    #: run a's folder of kept sources (``runs/<id>/sources``), for advice to compare with
    sources_a: str | None = None
    #: sections a manifest lacks that its labelwright always recorded, section -> the runs
    #: lacking it (edited by hand): not compared, where a missing ``labeling_functions``
    #: read as every LF added
    missing_sections: dict[str, list[str]] = field(default_factory=dict)
    #: flips between near ties (:mod:`~.near_ties`: a coin flip in both runs), of
    #: ``flipped``, and how many of each cause of ``flip_causes`` they are
    near_ties: int = 0
    near_tie_causes: dict[str, int] = field(default_factory=dict)
    near_tie_transitions: dict[tuple[str, str], int] = field(default_factory=dict)
    #: the labels and LFs ``flipped``, ``transitions``, the causes and the examples are
    #: narrowed to (``runs diff --label / --lf``: :mod:`~.flip_filter`), and how many
    #: labels flipped in all
    flip_filter: FlipFilter = field(default_factory=FlipFilter)
    flipped_all: int = 0

    @property
    def coverage_delta(self) -> float | None:
        a, b = self.coverage
        return None if a is None or b is None else b - a

    @property
    def accuracy_delta(self) -> float | None:
        """The change of the two runs' accuracies on gold as their manifests record them,
        each over its own held-out items (see :attr:`gold_delta`)."""
        a, b = self.accuracy
        return None if a is None or b is None else b - a

    @property
    def held_out_differ(self) -> bool:
        """Whether the runs' accuracies on gold are over different gold items: reviewed
        items leave a run's held-out gold. Known from the labels when they say which items
        were held out, else from the counts the manifests record."""
        if self.common_gold is not None:
            return self.common_gold.differ
        n_a, n_b = self.gold_items
        return n_a is not None and n_b is not None and n_a != n_b

    @property
    def gold_delta(self) -> float | None:
        """The change in accuracy on gold over the same items: the manifests' accuracies
        when both are over the same held-out items, else those on the items held out in
        both runs (None when that cannot be known)."""
        if not self.held_out_differ:
            return self.accuracy_delta
        return self.common_gold.delta if self.common_gold is not None else None

    @property
    def labels_or_votes_differ(self) -> bool:
        """Whether the runs' labels or votes differ (``runs diff --exit-code`` exits 1): a
        label flipped, an item in one run only, an LF in one run only, an LF whose votes
        moved on some item, or votes that could not be compared (a label matrix missing or
        edited since its run: they cannot be vouched the same)."""
        return bool(self.flipped or self.only_a or self.only_b or self.lfs.added
                    or self.lfs.removed or any(self.lf_votes.changed.values())
                    or self.lf_votes.problem)

    @property
    def inputs_changed(self) -> bool:
        return bool(self.lfs or self.lf_modules or self.glossaries or self.lf_files
                    or self.data or self.model or self.settings or self.review_settings
                    or self.reviews or self.config or self.pipeline or self.packages
                    or self.labelwright_code)


def _changes(a: list[dict[str, Any]], b: list[dict[str, Any]], key: str) -> Changes:
    before = {entry["name"]: entry.get(key) for entry in a}
    after = {entry["name"]: entry.get(key) for entry in b}
    return Changes(
        added=[name for name in after if name not in before],
        removed=[name for name in before if name not in after],
        edited=[name for name in after if name in before and after[name] != before[name]],
    )


def _lf_changes(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> Changes:
    """LFs added, removed or edited. A glossary's LF is never "edited": its hash mixes in
    the spaCy pipeline (a new pipeline matches other tokens), so a pipeline change would
    list every glossary LF; an edited glossary file is named among the glossaries, and a
    changed pipeline on its own line."""
    changes = _changes(a, b, "source_sha256")
    glossary_lfs = {entry["name"] for entry in b if entry.get("kind") == "glossary"}
    changes.edited = [name for name in changes.edited if name not in glossary_lfs]
    return changes


def _first_not_in(labels: pd.DataFrame, other: pd.DataFrame, n: int) -> list[str]:
    """The first ``n`` ids of ``labels`` that ``other`` does not hold. By pyarrow's
    ``is_in``: pandas' ``isin`` on the tables' arrow strings took 5.6-26 s for 1M ids (the
    report diffs every run with the one before)."""
    ids, others = labels["id"], other["id"]
    if ids.equals(others):  # the same items in the same order: the usual case
        return []
    import pyarrow as pa
    import pyarrow.compute as pc

    held = pc.is_in(pa.array(ids, type=pa.string()),
                    value_set=pa.array(others, type=pa.string()))
    return ids[~np.asarray(held, dtype=bool)].head(n).tolist()


def _accuracy(manifest: dict[str, Any]) -> float | None:
    evaluation = manifest.get("evaluation") or {}
    return (evaluation.get("label_model") or {}).get("accuracy")


def gold_items(manifest: dict[str, Any]) -> int | None:
    """How many gold items a run's accuracy is over (reviewed ones are left out)."""
    return (manifest.get("evaluation") or {}).get("n_gold")


#: the columns of a run's labels a comparison reads
_COMPARED = ["id", "label", "confidence", "label_source", "status", "gold", "model_label",
             "model_confidence", TEXT_HASH]


def _read_labels(run_dir: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    return _label_frame(run_labels(run_dir, manifest, _COMPARED))


def _label_frame(frame: pd.DataFrame) -> pd.DataFrame:
    frame["label"] = frame["label"].astype("object").where(frame["label"].notna(), NO_LABEL)
    return frame


@dataclass
class _EarlierLabels:
    """Run a's labels as a comparison with run b needs them (:func:`_labels_beside`)."""

    frame: pd.DataFrame  # the rows of items b holds, and every gold or reviewed row
    items: int  # all the items a holds
    not_in_b: list[str]  # the first ids of a that b does not hold, in a's order


def _labels_beside(run_dir: Path, manifest: dict[str, Any], other_ids: pd.Series,
                   n: int) -> _EarlierLabels:
    """Run a's labels beside run b's (``other_ids``): as a DataFrame only the rows a join
    on id keeps, and those the run-wide counts read (a gold label: the accuracy on gold
    items held out in both; a review label: the labels a review changed), picked in the
    pyarrow table. A run's report compares it with the run before, and a 200,000-item run
    after a 1,000,000-item one had made all a million rows Python objects: what the
    comparison holds before it reads the votes went from 0.37 to 0.16 GB
    (``benchmarks/RESULTS.md``)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = run_labels_table(run_dir, manifest, _COMPARED)
    ids = table["id"].cast(pa.string())
    in_other = pc.is_in(ids, value_set=pa.array(other_ids, type=pa.string()))
    missing = ids.filter(pc.invert(in_other))
    if len(missing):
        keep = in_other
        if "gold" in table.column_names:
            keep = pc.or_(keep, pc.is_valid(table["gold"]))
        if "label_source" in table.column_names:
            reviewed = pc.equal(table["label_source"].cast(pa.string()), "review")
            keep = pc.or_(keep, pc.fill_null(reviewed, False))
        table = table.filter(keep)
    return _EarlierLabels(_label_frame(table.to_pandas()), len(ids),
                          [str(i) for i in missing.slice(0, n).to_pylist()])


def same_texts(manifests: tuple[dict[str, Any], dict[str, Any]]) -> bool:
    """Whether two runs read the same data (its sha256) the same way (its data columns):
    then their items have the same texts, hashed or not."""
    a, b = ((m.get("data") or {}).get("sha256") for m in manifests)
    return a is not None and a == b and run_data_columns(manifests[0]) == run_data_columns(
        manifests[1])


def texts_compared(manifests: tuple[dict[str, Any], dict[str, Any]],
                   columns: tuple[Collection[str], Collection[str]]) -> bool:
    """Whether a flip's text can be told changed or not between two runs: the same texts
    (:func:`same_texts`), or each run's labels (``columns``) hold each item's text hash.
    ``runs diff`` and ``explain --against`` read it alike, so they give one cause."""
    return same_texts(manifests) or all(TEXT_HASH in c for c in columns)


def diff_runs(run_a: str | os.PathLike[str], run_b: str | os.PathLike[str], *,
              max_examples: int = MAX_EXAMPLES,
              manifest_b: dict[str, Any] | None = None,
              flip_filter: FlipFilter | None = None) -> RunDiff:
    """Compare two run folders: inputs by manifest, effects by labels.

    ``manifest_b`` stands in for ``run_b``'s manifest file (a run still being written).
    ``flip_filter``: the flips to count and show (:mod:`~.flip_filter`; a label or LF
    neither run has is a :class:`~labelwright.errors.RunError`).
    """
    run_a, run_b = Path(run_a), Path(run_b)
    a = read_manifest(run_a)
    b = manifest_b if manifest_b is not None else read_manifest(run_b)
    flip_filter = flip_filter or FlipFilter()
    check_filter(flip_filter, (a, b), (str(a.get("run_id", run_a.name)),
                                       str(b.get("run_id", run_b.name))))
    missing = _missing_sections((a, run_a), (b, run_b))
    data_a, data_b = a.get("data", {}), b.get("data", {})
    data = None if "data" in missing else pair_if_changed(
        {"sha256": data_a.get("sha256"), "rows": data_a.get("rows"), "path": data_a.get("path")},
        {"sha256": data_b.get("sha256"), "rows": data_b.get("rows"), "path": data_b.get("path")},
    )
    if data is not None and data["a"]["sha256"] == data["b"]["sha256"]:
        data = None  # same bytes read from another path

    labels_b = _read_labels(run_b, b)
    earlier = _labels_beside(run_a, a, labels_b["id"], max_examples)
    labels_a = earlier.frame
    joined = labels_a.merge(labels_b, on="id", suffixes=("_a", "_b"), how="inner", sort=False)
    flips = joined[joined["label_a"] != joined["label_b"]]
    flipped_all = len(flips)
    renamed = label_renames(a, b)
    status_moves: Counter[tuple[str, str]] = Counter()
    if "status_a" in joined and "status_b" in joined:
        moved = joined[joined["status_a"] != joined["status_b"]]
        status_moves = Counter(zip(moved["status_a"], moved["status_b"]))
    # a section one manifest lacks is not compared: every LF would read as added
    lfs = _lf_changes(*(([], []) if "labeling_functions" in missing else (
        a.get("labeling_functions", []), b.get("labeling_functions", []))))
    lfs = lfs.with_renames(lf_renames(run_a, a, run_b, b, lfs.removed, lfs.added))
    if flip_filter:
        flips = flips[kept_flips(flips, flip_filter, (run_a, run_b), (a, b), lfs.renamed)]
    transitions = Counter(zip(flips["label_a"], flips["label_b"]))
    glossaries_a, glossaries_b = (([], []) if "glossaries" in missing
                                  else (a.get("glossaries", []), b.get("glossaries", [])))
    glossaries = _changes(glossaries_a, glossaries_b, "sha256")
    glossaries = glossaries.with_renames(glossary_renames(
        glossaries_a, glossaries_b, glossaries.removed, glossaries.added))
    modelled = "label_model" not in missing
    unhashed = [] if same_texts((a, b)) else [
        str(run.get("run_id", path.name)) for run, path, labels in (
            (a, run_a, labels_a), (b, run_b, labels_b)) if TEXT_HASH not in labels.columns]
    edited = joined["id"][changed_texts(joined)]
    causes = flip_causes(flips, (run_a, run_b), (a, b),
                         texts_compared=texts_compared((a, b), (labels_a.columns,
                                                                labels_b.columns)),
                         lf_renames=lfs.renamed, label_renames=renamed,
                         refit=refit_on_reviews((a, b), (labels_a, labels_b)))
    tied = near_tied(flips, (run_a, run_b), (a, b))
    examples = _examples(flips, causes, tied, max_examples)
    return RunDiff(
        run_a=a.get("run_id", run_a.name),
        run_b=b.get("run_id", run_b.name),
        lfs=lfs,
        glossaries=glossaries,
        lf_files=_changes(a["lf_folder_files"], b["lf_folder_files"], "sha256")
        if "lf_folder_files" in a and "lf_folder_files" in b else Changes(),
        lf_modules=_changes(a["lf_modules"], b["lf_modules"], "sha256")
        if "lf_modules" in a and "lf_modules" in b else Changes(),
        data=data,
        model=pair_if_changed(model_spec(a), model_spec(b)) if modelled else None,
        reviews=None if "reviews" in missing else pair_if_changed(*common_fields(
            a.get("reviews"), b.get("reviews"), keep=MANIFEST_FIELDS)),
        config=recorded_pair(a, b, "config"),
        # a field a newer labelwright added (fingerprint_parts) is no change of pipeline
        pipeline=pair_if_changed(*common_fields(a["pipeline"], b["pipeline"]))
        if "pipeline" in a and "pipeline" in b else None,
        packages=package_changes(a, b),
        labelwright_code=code_change(a, b),
        compared=len(joined),
        only_a=earlier.items - len(joined),
        only_b=len(labels_b) - len(joined),
        flipped=len(flips),
        transitions=dict(sorted(transitions.items(), key=lambda kv: (-kv[1], kv[0]))),
        label_renames=renamed,
        renamed_flips=sum(n for pair, n in transitions.items() if pair in renamed.items()),
        examples=examples,
        coverage=(a.get("coverage"), b.get("coverage")),
        accuracy=(_accuracy(a), _accuracy(b)),
        gold_items=(gold_items(a), gold_items(b)),
        flipped_by_review=int(flips["label_source_b"].isin(REVIEWED_SOURCES).sum())
        if "label_source_b" in flips else 0,
        status_moves=dict(sorted(status_moves.items(), key=lambda kv: (-kv[1], kv[0]))),
        ids_only_a=earlier.not_in_b,
        ids_only_b=_first_not_in(labels_b, labels_a, max_examples),
        settings=setting_changes(a, b),
        choice=choice_change(auto_choice(a), auto_choice(b)) if modelled else None,
        class_balance=balance_change(fit_balance(a), fit_balance(b)) if modelled else None,
        review_settings={} if "reviews" in missing else review_settings(a, b),
        config_same=isinstance(a.get("config"), dict) and a.get("config") == b.get("config"),
        common_gold=common_gold(labels_a, labels_b, joined),
        review_changes=(review_changes(labels_a), review_changes(labels_b)),
        # every LF in both runs: its votes move with its source, and also with its module's
        # other code, an LF folder file, the data or the pipeline, which name no LF
        lf_votes=vote_changes(run_a, a, run_b, b, _lfs_in_both(a, b), keep=[
            *lfs.edited, *(f"glossary:{name}" for name in glossaries.edited)],
            ids=None if labels_a["id"].equals(labels_b["id"]) else joined["id"].astype(str)),
        failures=_failure_changes(a, b),
        text_changed=len(edited),
        ids_text_changed=edited.head(max_examples).astype(str).tolist(),
        no_text_hashes=unhashed,
        flip_causes=counted_causes(causes.causes),
        lf_stats=lf_stat_changes((run_a, run_b), (a, b), lf_renames=lfs.renamed),
        glossary_edits=glossary_edits((run_a, run_b), (a, b), glossaries.edited),
        gold_flips=gold_flips(flips, causes),
        sources_a=str(run_a / SOURCES) if (run_a / SOURCES).is_dir() else None,
        missing_sections=missing,
        near_ties=int(tied.sum()),
        near_tie_causes=counted_causes([c for c, t in zip(causes.causes, tied) if t]),
        near_tie_transitions=dict(Counter(zip(flips["label_a"][tied], flips["label_b"][tied]))),
        flip_filter=flip_filter,
        flipped_all=flipped_all,
    )


def _examples(flips: pd.DataFrame, causes: FlipCauses, tied: np.ndarray,
              n: int) -> list[dict[str, Any]]:
    """The first ``n`` flips as ``runs diff`` lists them: id, labels, confidences, cause,
    the votes that changed, whether it is between near ties. Those that are not first: 36
    coin flips had filled the list ahead of the two flips an edit decided."""
    order = np.argsort(tied, kind="stable")[:n]
    rows = flips.iloc[order]
    return [
        {"id": row.id, "from": row.label_a, "to": row.label_b,
         "confidence_a": float(row.confidence_a), "confidence_b": float(row.confidence_b),
         "cause": causes.causes[k], "votes": causes.votes(k), "near_tie": bool(tied[k])}
        for k, row in zip(order.tolist(), rows.itertuples(index=False))
    ]


def _missing_sections(*runs: tuple[dict[str, Any], Path]) -> dict[str, list[str]]:
    """``{section: [run ids]}``: the sections each run's labelwright always recorded that
    its manifest lacks (:func:`~labelwright.runs.manifest.missing_sections`)."""
    missing: dict[str, list[str]] = {}
    for manifest, path in runs:
        for section in missing_sections(manifest):
            missing.setdefault(section, []).append(str(manifest.get("run_id", path.name)))
    return missing


def code_change(a: dict[str, Any], b: dict[str, Any]) -> tuple[str, str] | None:
    """Each run's ``labelwright_code`` as a line shows it, when the two differ: another
    labelwright made run b (an upgrade), or an older one that recorded none made one of
    them. None when both record the same, or neither records it."""
    from labelwright.runs.own_code import code_text

    shown = code_text(a.get("labelwright_code")), code_text(b.get("labelwright_code"))
    recorded = [isinstance(m.get("labelwright_code"), dict) for m in (a, b)]
    return shown if any(recorded) and shown[0] != shown[1] else None


def _failure_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """``{LF: (items it raised on in a, in b)}`` for the LFs of both runs whose counts
    differ, in run a's LF order."""
    def counts(manifest: dict[str, Any]) -> dict[str, int]:
        return {str(name): int((record or {}).get("count") or 0)
                for name, record in (manifest.get("failures") or {}).items()}
    in_a, in_b = counts(a), counts(b)
    return {name: (in_a.get(name, 0), in_b.get(name, 0)) for name in _lfs_in_both(a, b)
            if in_a.get(name, 0) != in_b.get(name, 0)}


def label_renames(a: dict[str, Any], b: dict[str, Any]) -> dict[str, str]:
    """``{label of run a: its name in run b}`` for the labels run b's ``[project] renamed``
    (as its manifest records it: ``project.renamed``, or ``reviews.renamed`` in a run made
    before the project record had it, where only a run with reviews recorded it) renames
    from run a's labels to one of its own."""
    labels_a, labels_b = manifest_labels(a) or (), manifest_labels(b) or ()
    renamed = recorded_renamed(b)
    return {old: new for old, new in sorted(renamed.items())
            if old in labels_a and old not in labels_b and new in labels_b}


def _lfs_in_both(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The LFs both runs' manifests list, in run a's order."""
    names_b = {lf.get("name") for lf in b.get("labeling_functions") or []}
    return [lf["name"] for lf in a.get("labeling_functions") or [] if lf.get("name") in names_b]
