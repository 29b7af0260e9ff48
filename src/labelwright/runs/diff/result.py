"""What :func:`~labelwright.runs.diff.compare.diff_runs` found between two runs: the named
inputs added, removed, edited or renamed (:class:`Changes`) and everything else it compares
(:class:`RunDiff`), which ``runs diff``, the report and ``explain --against`` read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from labelwright.runs.diff.flip_filter import FlipFilter
from labelwright.runs.diff.glossary_edits import GlossaryEdit
from labelwright.runs.diff.gold_flips import GoldFlips
from labelwright.runs.diff.item_places import ItemPlaces
from labelwright.runs.diff.label_effects import CommonGold, ReviewChanges, VoteChanges
from labelwright.runs.diff.lf_stats import LfStatChanges
from labelwright.short_repr import ShortRepr


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


@dataclass(repr=False)
class RunDiff(ShortRepr):
    """Differences between run ``a`` (before) and run ``b`` (after). Shown in a notebook
    cell or printed, it is one line of counts (:meth:`summary`), not every field it holds
    (the examples, the vote changes and the ids ran to pages)."""

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
    #: the ids of the items of run a only that an erasure since run a names
    #: (``labelwright erase``: deleted from the data on purpose), and the first of the
    #: other items of run a only (those gone unexplained)
    erased_only_a: list[str] = field(default_factory=list)
    ids_gone_unerased: list[str] = field(default_factory=list)
    #: the data part files run a read that run b did not (a part removed)
    parts_only_a: list[str] = field(default_factory=list)
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
    #: items of both runs whose gold label in the data is another (given, taken away or
    #: changed), and the first of their ids; (0, []) when either run read no gold column
    gold_changed: tuple[int, list[str]] = (0, [])
    #: runs without text hashes, when the data changed (the same data has the same texts)
    no_text_hashes: list[str] = field(default_factory=list)
    #: items of the same text in both that moved to another data part or to another
    #: order in theirs (:mod:`labelwright.runs.diff.item_places`; None: not looked at)
    item_places: ItemPlaces | None = None
    #: why the labels flipped, cause -> flips (:mod:`labelwright.runs.diff.flip_causes`)
    flip_causes: dict[str, int] = field(default_factory=dict)
    #: each LF's numbers (coverage, accuracies) that moved (:mod:`~.lf_stats`)
    lf_stats: LfStatChanges = field(default_factory=LfStatChanges)
    #: the phrases and exclusions each edited glossary gained and lost, from the runs'
    #: kept copies (:mod:`~.glossary_edits`; a glossary without both copies left out)
    glossary_edits: dict[str, GlossaryEdit] = field(default_factory=dict)
    #: gold items right in run a and not in run b, and their causes (:mod:`~.gold_flips`)
    gold_flips: GoldFlips = field(default_factory=GoldFlips)
    #: label -> (F1 in a, F1 in b) on held-out gold, for labels with gold in both runs whose
    #: F1 moved (:mod:`~.label_f1_moves`), largest move first
    label_f1: dict[str, tuple[float, float]] = field(default_factory=dict)
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
    #: the runs ``runs prune --keep-manifests`` removed the folders of: only their archived
    #: manifests were compared (:func:`~labelwright.runs.diff.manifest_diff.diff_manifests`),
    #: their labels and votes went with their folders
    pruned: list[str] = field(default_factory=list)

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

    def summary(self) -> dict[str, object]:
        """What ``repr(diff)`` shows: the runs, the items compared and flipped, those in
        one run only, the LFs added, removed, edited or renamed, the change in accuracy on
        gold over the same items (None when it cannot be told) and whether an input
        changed; never the ids, examples or votes."""
        delta = self.gold_delta
        return {"run_a": self.run_a, "run_b": self.run_b, "compared": self.compared,
                "flipped": self.flipped, "only_a": self.only_a, "only_b": self.only_b,
                "lfs_changed": len(self.lfs.added) + len(self.lfs.removed)
                + len(self.lfs.edited) + len(self.lfs.renamed),
                "gold_delta": None if delta is None else round(float(delta), 4),
                "inputs_changed": self.inputs_changed}
