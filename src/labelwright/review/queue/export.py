"""Review exports (``labelwright review export``): a run's review queue or random sample,
picked by reason, label, budget and who decided it already, written as CSV
(:mod:`~labelwright.review.queue.csv_sheet`), JSONL or a review tool's format
(:mod:`~labelwright.review.queue.tools`) without overwriting what a project holds.

Every record carries the item id, the run id and which of the run's exports it is in
(``export``: ``queue``, or ``sample`` for the run's random sample), so decisions can come
back and the ledger knows which reviews are a random sample of the items; plus
what a reviewer needs to decide (:mod:`~labelwright.review.queue.records`). A blind
export (:func:`~labelwright.review.queue.records.blind_records`) leaves out everything the
rules and the model said, so reviewers decide from the item alone. The files are written
by :mod:`~labelwright.review.queue.formats`. Which items of the queue an export takes, and
in what order, is :mod:`~labelwright.review.queue.selection`'s; what it returns and counts,
:mod:`~labelwright.review.queue.export_result`'s. The names of those modules, the records'
and the formats' still import from here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig
from labelwright.copies import ONE, recorded_copies
from labelwright.errors import both_spellings
from labelwright.review.decisions.ledger import ledger_path
from labelwright.review.queue.budget import budget_size, cut_to_budget
from labelwright.review.queue.cell_limit import LongCell
from labelwright.review.queue.csv_sheet import write_csv as write_csv  # the earlier path
from labelwright.review.queue.decided_by import decided_since, without_decided
from labelwright.review.queue.dispute_decisions import add_rater_labels
from labelwright.review.queue.export_result import ReviewExport, exported_copies
from labelwright.review.queue.export_result import copies_behind as copies_behind  # earlier
from labelwright.review.queue.export_result import exported_texts as exported_texts  # earlier
from labelwright.review.queue.formats import (
    EXPORT_FORMATS,
    SUFFIXES,
    check_suffix,
    write_review,
)
from labelwright.review.queue.formats import jsonl_encoder as jsonl_encoder  # the earlier path
from labelwright.review.queue.formats import write_jsonl as write_jsonl  # the earlier path
from labelwright.review.queue.label_mix import (
    NO_LABEL,
    label_mix_said,
    unreached_said,
    with_labels,
)
from labelwright.review.queue.label_studio import (
    check_label_studio_definitions,
    check_label_studio_labels,
)
from labelwright.review.queue.patterns import biggest_patterns, check_per_pattern
from labelwright.review.queue.records import BLIND_LEAVES_OUT as BLIND_LEAVES_OUT  # earlier
from labelwright.review.queue.records import EXPORTS as EXPORTS  # the earlier path
from labelwright.review.queue.records import SAID as SAID  # the earlier path
from labelwright.review.queue.records import blind_records
from labelwright.review.queue.records import review_records as review_records  # earlier path
from labelwright.review.queue.run_queue import read_review as read_review  # the earlier path
from labelwright.review.queue.run_queue import read_run_queue
from labelwright.review.queue.run_queue import sample_ids as sample_ids  # the earlier path
from labelwright.review.queue.selection import (
    budget_of_whole,
    check_reasons,
    check_sample_picks,
    queue_order,
    with_reasons,
)
from labelwright.review.queue.shards import (
    Shard,
    cut_shards,
    parse_shard,
    shard_sizes,
    take_shard,
)
from labelwright.review.queue.shown_fields import check_show_fields, renamed_keys
from labelwright.review.queue.terms import distinct_matches
from labelwright.review.queue.tools import tool_files
from labelwright.review.queue.tools import write_tool as write_tool  # the earlier path
from labelwright.review.queue.why import vote_pattern, why_text
from labelwright.review.targets import (
    cannot_write,
    check_targets,
    check_training_set,
    check_unimported,
    refuse_stdout,
    run_project_config,
)
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.queue_files import asked_ranks, unwritten_note
from labelwright.runs.review_exports import record_review_export
from labelwright.runs.store import read_manifest


def export_run(run_dir: str | os.PathLike[str], fmt: str,
               out: str | os.PathLike[str] | None = None, *,
               budget: int | float | None = None, sample: bool = False, blind: bool = False,
               config: ProjectConfig | None = None, force: bool = False,
               reasons: Sequence[str] | None = None,
               skip_reviewed_by: str | None = None, excel: bool = False,
               labels: Sequence[str] | None = None, spread: bool = False,
               per_pattern: int | None = None, shard: str | Shard | None = None,
               skip_reviewed: bool = False) -> list[Path]:
    """Export a run's review queue as ``fmt``; returns the files written. The arguments are
    :func:`export_review`'s, which also says how many items were queued and exported."""
    return export_review(run_dir, fmt, out, budget=budget, sample=sample, blind=blind,
                         config=config, force=force, reasons=reasons,
                         skip_reviewed_by=skip_reviewed_by, excel=excel, labels=labels,
                         spread=spread, per_pattern=per_pattern, shard=shard,
                         skip_reviewed=skip_reviewed).files


def export_review(run_dir: str | os.PathLike[str], fmt: str,
                  out: str | os.PathLike[str] | None = None, *,
                  budget: int | float | None = None, sample: bool = False,
                  blind: bool = False, config: ProjectConfig | None = None,
                  force: bool = False, reasons: Sequence[str] | None = None,
                  skip_reviewed_by: str | None = None, excel: bool = False,
                  labels: Sequence[str] | None = None, spread: bool = False,
                  per_pattern: int | None = None, shard: str | Shard | None = None,
                  skip_reviewed: bool = False) -> ReviewExport:
    """Export a run's review queue as ``fmt`` (default path: ``<run>/review-<fmt><suffix>``),
    reading the queue once for the records and the counts (:class:`ReviewExport`).

    ``reasons`` keeps the queue's items with any of these reasons (``["audit"]``: the
    audit sample, which sits at the queue's tail), in queue order, before the budget.
    ``labels`` keeps the items the run suggested one of these labels (``"(none)"``: those
    it gave none), in queue order, before the budget
    (:func:`~labelwright.review.queue.label_mix.with_labels`).
    ``spread`` takes the items in turns over their suggested labels within each tier of
    the queue, the head's reasons (disputed and the like) first as they are, before the
    budget: one label's many items do not fill the head
    (:func:`~labelwright.review.queue.label_mix.spread_labels`).
    ``per_pattern`` keeps at most that many items of each vote pattern (the votes an item
    carries, ``short_comment=ham``), in queue order, before ``spread`` and the budget; the
    rest stay in the queue (:mod:`~labelwright.review.queue.patterns`). Refused with
    ``sample``.
    ``budget`` keeps the first items of the queue: a count (``50``) or a fraction (``0.1``).
    ``shard`` (``"2/3"``) exports the items of the selection the other options make that
    the run ranked 2, 5, 8, ...: one of N shards of the run's queue, disjoint whatever
    each export skips, which together hold the selection when exported with the same
    options (:mod:`~labelwright.review.queue.shards`); its default file name ends in
    ``-shard2of3``. The budget is the shards' total, split evenly over them; with
    ``spread``, each shard's items are spread on their own before its share is cut
    (:func:`~labelwright.review.queue.shards.cut_shards`).
    ``sample`` exports the run's random sample instead (``<run>/sample-<fmt><suffix>``);
    ``labels`` and ``spread`` are refused with it
    (:func:`~labelwright.review.queue.selection.check_sample_picks`).
    ``blind`` leaves out what the rules and the model said (:func:`blind_records`).
    ``skip_reviewed_by`` leaves out the items that rater has a decision on (retired ones
    aside; any name of the rater: :func:`~labelwright.review.queue.decided_by.decided_by`),
    before the budget; ``skip_reviewed`` those any rater has a decision on.
    ``excel``: the CSV as Excel in a comma-decimal locale (German) opens it by
    double-click, in columns and with its umlauts: UTF-8 with a byte-order mark and ``;``
    between cells (the default is UTF-8 without one, with commas, as scripts read it);
    ``review import`` reads either. CSV only.
    ``config``: the project's, so that no file it reads or a run recorded is overwritten;
    without it, the project is found from ``run_dir`` (:func:`run_project_config`), and the
    run's own files are guarded either way, even with ``force``. A review file at the path
    that holds decisions the project's ledger does not hold (with no project found, none
    counts as imported) is refused unless ``force`` (:func:`check_unimported`).
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown review format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    check_reasons(reasons, sample=sample)
    check_sample_picks(labels, spread, sample=sample)
    check_per_pattern(per_pattern, sample=sample)
    shard = parse_shard(shard)
    if excel and fmt != "csv":
        csv_format = both_spellings("--format csv", "fmt='csv'")
        raise ValueError(f"{both_spellings('--excel', 'excel=True')} writes the CSV export "
                         f"for Excel; the {fmt} export is for a review tool or a script: "
                         f"leave it out, or export with {csv_format}")
    run_dir, out = Path(run_dir), None if out is None else Path(out)
    manifest = read_manifest(run_dir)
    project = manifest.get("project", {})
    run_labels = list(manifest_labels(manifest) or ())
    queue = read_run_queue(run_dir, manifest, sample=sample)
    queued = with_labels(with_reasons(queue.records, reasons), labels, run_labels)
    if config is None:  # called from Python: what the CLI guards is guarded all the same
        config = run_project_config(run_dir)
    show = config.review.show_fields if config is not None else ()
    check_show_fields(show, queue.records)
    queued, skipped, counts_as = without_decided(queued, skip_reviewed_by, config, run_dir,
                                               anyone=skip_reviewed)
    # a fraction of the whole queue, when the run wrote only its head (capped below at what
    # it wrote, and the note past the records says the rest cannot be exported)
    ranks = None if sample else asked_ranks(run_dir, manifest, reasons, labels, NO_LABEL)
    whole = None if ranks is None else len(ranks)
    unreached = None
    if shard is not None:  # the budget split over the shards, each spread on its own
        capped, held_back = queue_order(queued, per_pattern=per_pattern)
        selected = cut_shards(capped, shard.of, budget_of_whole(budget, whole), spread=spread)
    else:
        ordered, held_back = queue_order(queued, spread=spread, per_pattern=per_pattern)
        selected = cut_to_budget(ordered, budget_of_whole(budget, whole))
        if spread:  # labels the turns did not reach, and why
            unreached = unreached_said(ordered, len(selected), run_labels)
    records = take_shard(selected, shard)
    again = (() if skip_reviewed or skip_reviewed_by is not None
             else decided_since(records, config, manifest))
    for record in records:  # runs from before records named their export
        record["export"] = "sample" if sample else "queue"
        add_why(record)
    patterns = biggest_patterns(records)
    mix = label_mix_said(records, run_labels)
    # said to the exporter, not in a blind record
    behind, texts, column = exported_copies(records) or (None, None, None)
    if blind:
        records = blind_records(records)
    else:
        # the adjudicator of a disputed item sees who chose what
        add_rater_labels(records, run_dir, manifest, config)
        for record in records:  # runs from before records grouped their matches
            if "glossary_matches" in record:
                record["glossary_matches"] = distinct_matches(record["glossary_matches"])
    lf_names = [lf["name"] for lf in manifest.get("labeling_functions", [])]
    if out is not None:
        refuse_stdout(out, "review export")
        check_suffix(out, fmt)
    out = out or run_dir / (f"{'sample' if sample else 'review'}-{'blind-' if blind else ''}"
                            f"{fmt}{'-' + shard.suffix() if shard else ''}{SUFFIXES[fmt]}")
    files = tool_files(out, fmt)
    check_targets(files, config, what="review export", into_runs=True, run_dir=run_dir)
    for path in files:  # a tool's config beside the tasks too
        check_training_set(path)
    if fmt == "label-studio":  # refused before any folder is made for it
        check_label_studio_labels(run_labels)
        check_label_studio_definitions(dict(config.review.definitions)
                                       if config is not None else {})
    if not force:
        check_unimported(out, ledger_path(config.root) if config is not None else None)
    long: list[LongCell] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write_review(records, out, fmt, labels=run_labels,
                               lf_names=lf_names, project=project.get("name", ""),
                               blind=blind, long=long, excel=excel, show=show,
                               definitions=dict(config.review.definitions)
                               if config is not None else None)
    except OSError as exc:
        raise cannot_write(out, "review export", exc) from None
    if records:  # `runs prune` keeps the run while the file awaits import
        record_review_export(run_dir.parent, run_dir.name, out, [str(r["id"]) for r in records],
                             config.root if config is not None else None)
    # asked for more than the run wrote: say that the queue went on, and how far to write
    wanted = budget_size(len(ranks), budget) if ranks is not None else 0
    unwritten = (unwritten_note(run_dir.name, manifest, reach=int(ranks[wanted - 1]))
                 if ranks is not None and wanted > len(selected) + held_back else None)
    return ReviewExport(written, len(queued), len(records), behind,
                        recorded_copies(manifest.get("triage")) == ONE, skipped, queue.erased,
                        tuple(long), texts, column,
                        counts_as if counts_as != skip_reviewed_by else None, unwritten,
                        whole, held_back, tuple(patterns), shard,
                        len(selected) if shard else None, tuple(renamed_keys(show)),
                        shard_sizes(selected, shard.of) if shard else (), mix, again,
                        unreached)


def add_why(record: dict[str, Any]) -> None:
    """A record of a run from before records said why in words or named their votes'
    pattern: those, from what it holds (:mod:`~labelwright.review.queue.why`)."""
    if "vote_pattern" not in record:
        record["vote_pattern"] = vote_pattern(record.get("votes") or {})
    if "why" not in record:
        record["why"] = why_text(record)
