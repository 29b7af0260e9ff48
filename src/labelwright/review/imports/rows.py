"""The checks of an import's rows against the project (:mod:`~labelwright.review.imports.file`):
the item is in the dataset, the label is a project label, the run is one of the project's
runs, the project name matches, the row is not a duplicate, the label is not empty, and an
item exported from a run's random sample is in that run's sample. Each problem names the
file and the row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from labelwright.config import find_label
from labelwright.counts import some_of
from labelwright.errors import both_spellings
from labelwright.review.feedback.label_changes import retired_labels_problem
from labelwright.review.imports.duplicates import duplicates
from labelwright.review.imports.pruned_sources import pruned_row_problem
from labelwright.review.imports.readers import Row
from labelwright.review.imports.records import reader_problem
from labelwright.review.imports.shown_text import text_check
from labelwright.review.queue.records import EXPORTS
from labelwright.review.queue.run_queue import sample_ids
from labelwright.runs.erase.records import Erasure
from labelwright.runs.pruned import PrunedRun
from labelwright.spelling import did_you_mean
from labelwright.text_form import half_width


def check_rows(rows: list[Row], *, path: Path, reviewer: str, item_ids: set[str],
               labels: tuple[str, ...], run_ids: set[str], project: str | None,
               sampled: Callable[[str], set[str] | None] = lambda run_id: None,
               fmt: str = "",
               shown: Callable[[str, str], str | None] = lambda run_id, item_id: None,
               run_labels: Callable[[str], list[str] | None] = lambda run_id: None,
               pruned: Mapping[str, PrunedRun] | None = None,
               erased: Mapping[str, Erasure] | None = None,
               read_with_data: Callable[[str], str | None] = lambda run_id: None,
               exported: Callable[[str, str], bool | None] = lambda run_id, item_id: None,
               ) -> list[tuple[Row, str]]:
    """``(row, "file: row: message")`` for every bad row; changes nothing.

    ``sampled(run_id)`` gives the item ids of a run's random sample (None: it drew none).
    ``shown(run_id, item_id)`` gives the text the run exported for the item (None: not
    known); a row that shows another text is not that item's decision, and one that shows
    the start of the text a tool cut (Excel) gets the cut in ``row.cut``.
    Two rows of one rater on one item are a duplicate unless they are export twins with the
    same label or the rater decided again later (:mod:`~labelwright.review.imports.duplicates`);
    two with different labels are both bad, as which one the rater meant cannot be told.
    The rows that name a run the project does not have share one message per run, and so
    do the rows of each label their run had (``run_labels(run_id)``) and the project no
    longer has (:func:`~labelwright.review.feedback.label_changes.retired_labels_problem`); those of
    a run in ``pruned`` (``runs/PRUNED.jsonl``) are checked against the data now
    (:mod:`~labelwright.review.imports.pruned_sources`). ``read_with_data(run_id)``: the file a run
    read with ``run --data`` when the import reads another (None otherwise), named to an
    item id the data now lacks. ``exported(run_id, item_id)``: whether the run's queue or
    random sample holds an item the data lacks (None: not known), which says why it does.
    """
    pruned = pruned or {}
    found: dict[int, str] = {}  # id(row) -> its problem
    groups: dict[tuple[str, str], list[Row]] = {}  # the good rows of one item and rater
    foreign: dict[str, list[Row]] = {}
    retired: dict[str, list[Row]] = {}
    for row in rows:
        if row.skip:
            continue
        message = reader_problem(row, labels)
        if message is None and row.run_id and row.run_id not in run_ids:
            if row.run_id not in pruned:
                foreign.setdefault(row.run_id, []).append(row)
                continue
            message = pruned_row_problem(row, pruned[row.run_id])
        if message is None and _retired(row, labels, item_ids, run_labels):
            retired.setdefault(str(row.label), []).append(row)
            continue
        if message is None:
            message = _row_problem(row, item_ids=item_ids, labels=labels, project=project,
                                   sampled=sampled, erased=erased or {},
                                   read_with_data=read_with_data, exported=exported,
                                   fmt=fmt)
        if message is None:
            message, row.cut = text_check(row, shown)
        if message is None:
            groups.setdefault((str(row.item_id), row.annotator or reviewer), []).append(row)
        else:
            found[id(row)] = message
    for group in groups.values():
        if len(group) > 1:
            found.update(duplicates(group, reviewer=reviewer, fmt=fmt))
    problems = [(row, f"{path}: {row.where}: {found[id(row)]}") for row in rows
                if id(row) in found]
    for run_id, named in foreign.items():
        message = (f"{path}: {len(named)} row(s) name run {run_id!r}, which is not a run of "
                   f"this project ({some_of([row.where for row in named])}); was the run "
                   "deleted, or are these rows from another project's export?")
        problems += [(row, message) for row in named]
    for label, named in retired.items():
        runs = {str(row.run_id): run_labels(str(row.run_id)) or [] for row in named}
        message = retired_labels_problem(path, label, [row.where for row in named], runs,
                                         labels)
        problems += [(row, message) for row in named]
    return problems


def _retired(row: Row, labels: tuple[str, ...], item_ids: set[str],
             run_labels: Callable[[str], list[str] | None]) -> bool:
    """A row of an item in the data whose label its run had and the project no longer
    has (``run_labels(run_id)``: that run's labels)."""
    return bool(row.label) and row.label not in labels and row.item_id in item_ids \
        and row.label in (run_labels(str(row.run_id)) or ())


def project_labels(rows: list[Row], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Spell each row's label as the project does, in every format alike: a label in
    another Unicode form (typed on a Mac: "e" + accent) is the project's, and so is one
    typed in full-width (``'ｒｅｆｕｎｄ'``, a Chinese or Japanese input method's full-width
    mode: :func:`~labelwright.text_form.half_width`) and one with spaces around it
    (``'spam '``), as a gold label is; returns ``(row, label as written)`` of the latter,
    which the import counts in a warning. A label in another case (``'Spam'``) stays as
    written: :func:`check_rows` refuses it, with the label meant."""
    padded = []
    for row in rows:
        if row.label is None or row.label in labels:
            continue
        label = find_label(row.label.strip(), labels) \
            or find_label(half_width(row.label).strip(), labels)
        if label is not None and row.label != row.label.strip():
            padded.append((row.where, row.label))
        row.label = label or row.label
    return padded


def _foreign_file(rows: list[Row], *, path: Path, run_ids: set[str], runs_path: Path,
                  project: str) -> str | None:
    """Why no row of ``path`` can be this project's, when every row that names a run names
    one the project does not have (a file exported from another project, or imported with
    the wrong ``--project``): one message for the file, not one per row. None otherwise."""
    named = sorted({row.run_id for row in rows if row.run_id})
    if not named or set(named) & run_ids:
        return None
    projects = sorted({row.project for row in rows if row.project} - {project})
    listed = some_of([repr(run_id) for run_id in named])
    if not projects and any(row.project == project for row in rows):
        return (f"{path}: its rows name this project ({project!r}) and run(s) {listed}, "
                f"whose folders are not in {runs_path}: deleted or moved (a run removed by "
                "`labelwright runs prune` is recorded, and its decisions still import); "
                "nothing imported. Put the run folders back, or export the queue of a run "
                "this project has and review that")
    return (f"{path}: no row names a run of this project: its rows name run(s) {listed}, "
            + (f"and the {len(run_ids)} run(s) of this project, in {runs_path}, are others"
               if run_ids else f"and this project, whose runs go in {runs_path}, has none yet")
            + (f"; they name project(s) {', '.join(map(repr, projects))} (this one is "
               f"{project!r})" if projects else "")
            + "; nothing imported. Was the file exported from another project? Import it "
              "there: " + both_spellings("--project FOLDER", "import_file(FOLDER, ...)"))


def _row_problem(row: Row, *, item_ids: set[str], labels: tuple[str, ...],
                 project: str | None, sampled: Callable[[str], set[str] | None],
                 erased: Mapping[str, Erasure],
                 read_with_data: Callable[[str], str | None] = lambda run_id: None,
                 exported: Callable[[str, str], bool | None] = lambda run_id, item_id: None,
                 fmt: str = "") -> str | None:
    """What is wrong with a row of a run of this project (:func:`check_rows` has set the
    rows of other runs apart), or None. ``erased``: the erasure of each item id
    ``labelwright erase`` took the text of; ``exported(run_id, item_id)``: whether the run's
    queue or random sample holds the item (None: not known); ``fmt``: the file's format,
    for how a reviewer skips an item in it (:func:`skip_hint`)."""
    if not row.item_id:
        return (f"no item id: {row.id_fields} (expected the id labelwright exported)"
                if row.id_fields else "no item id (expected the id labelwright exported)")
    if row.item_id not in item_ids:
        if row.item_id in erased:  # deleted on request, and its texts erased
            return (f"item {row.item_id!r} is no longer in the project dataset: its text was "
                    f"{erased[row.item_id].describe()}; its decision cannot be imported "
                    "(--skip-bad-rows imports the file's other rows)")
        other = read_with_data(row.run_id) if row.run_id else None
        if other is not None:  # the run read another file: the item is in that one
            return (f"unknown item id {row.item_id!r}: not in the data this import reads; "
                    f"run {row.run_id} read {other} (--data): pass --data {other}")
        return _unknown_item(row, exported)
    if project is not None and row.project is not None and row.project != project:
        return f"item from project {row.project!r}; this project is {project!r}"
    if not row.run_id:
        return (f"item {row.item_id!r} has no run id: give the id of the run whose items "
                "were reviewed (run_id, as export_run writes it; `labelwright runs list` "
                "lists the runs)")
    if row.label is None or not row.label.strip():
        return f"empty label for item {row.item_id!r}; valid labels: {', '.join(labels)}"
    if row.label not in labels:
        return (f"unknown label {row.label!r} for item {row.item_id!r}; "
                f"{did_you_mean(row.label, labels)}valid: {', '.join(labels)}"
                + skip_hint(row.label, fmt))
    if row.export not in ("", *EXPORTS):
        return (f"unknown export {row.export!r} for item {row.item_id!r}; valid: "
                f"{', '.join(EXPORTS)} (or empty)")
    if row.export == "sample":
        members = sampled(row.run_id)
        if members is None:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but that run drew none")
        if row.item_id not in members:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but is not in it")
    return None


#: what reviewers write in the label cell of an item they pass over, folded
#: (:func:`skip_hint`): no label of a project's, where a blank cell is what skips it
SKIP_WORDS = frozenset({"skip", "skipped", "skipping", "?", "??", "???", "unsure", "not sure",
                        "dont know", "don't know", "idk", "n/a", "na", "-", "--", "pass",
                        "tbd", "todo", "unknown", "later"})


def skip_hint(label: str, fmt: str) -> str:
    """For an unknown ``label`` that reads as an item passed over (``skip``, ``?``,
    ``unsure``: :data:`SKIP_WORDS`), how to skip one in a ``fmt`` file; "" otherwise. The
    row refused the whole file, where a blank cell would have been no decision."""
    if " ".join(label.casefold().split()) not in SKIP_WORDS:
        return ""
    if fmt == "jsonl":
        return ("; leave review_label empty or null to skip an item (it is then no decision, "
                "and stays in the queue)")
    if fmt in ("", "csv"):
        return ("; leave the cell blank to skip an item (it is then no decision, and stays "
                "in the queue)")
    return "; skip an item in the tool itself (its skip, ignore or cancel), not with a label"


def _unknown_item(row: Row, exported: Callable[[str, str], bool | None]) -> str:
    """Why a row's item id is not in the data, as far as can be told: a run that exported
    the item had it in the data then, so it was most likely deleted since (a removal on
    request between export and import); one that did not never showed it to a reviewer (a
    mistyped id); an Argilla record without ``lw_id`` metadata gives its record id."""
    said = f"unknown item id {row.item_id!r}: not in the project dataset"
    if row.id_note:
        return f"{said}; {row.id_note}"
    held = exported(row.run_id, str(row.item_id)) if row.run_id else None
    if held:
        return f"{said} (run {row.run_id} exported it: deleted from the data since?)"
    if held is False:
        return (f"{said}, and run {row.run_id} did not export it (neither its review queue "
                "nor its random sample holds it): a mistyped id, or a row of another "
                "project's?")
    return said


def sample_reader(runs_dir: Path) -> Callable[[str], set[str] | None]:
    """``sampled(run_id)``: the ids in a run's ``sample.jsonl`` (None if it drew none)."""
    cache: dict[str, set[str] | None] = {}

    def sampled(run_id: str) -> set[str] | None:
        if run_id not in cache:
            drawn = sample_ids(runs_dir / run_id)
            cache[run_id] = None if drawn is None else set(drawn)
        return cache[run_id]

    return sampled
