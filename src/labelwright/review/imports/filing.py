"""Filing an import's decisions in the review ledger: those it does not hold yet are
appended, checked again whenever another import appended meanwhile, and the report says
what was filed.

Apart from :mod:`~labelwright.review.imports.file` because this is the step that writes:
``file`` reads and checks the rows and makes the decisions, this files them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.copies import ONE
from labelwright.errors import ReviewError
from labelwright.review.decisions import ledger
from labelwright.review.feedback.label_changes import read_renamed
from labelwright.review.feedback.run_label_gaps import gap_warnings, run_label_gaps
from labelwright.review.feedback.second_opinions import import_warning, imported_lone_decisions
from labelwright.review.imports.adjudicators import filed_for_adjudicators, refusal
from labelwright.review.imports.decision_clocks import (
    early_decisions,
    early_warning,
    future_decisions,
    future_warning,
    outranking,
)
from labelwright.review.imports.readers import Row
from labelwright.review.imports.repeats import relabeled_as_filed
from labelwright.review.imports.report import ImportReport
from labelwright.review.imports.to_ledger import (
    _imported_by_other,
    _names,
    _pair_rater_ids,
    _to_add,
)

if TYPE_CHECKING:
    from labelwright.config.schema import ProjectConfig
    from labelwright.review.imports.items import ImportItems

#: times an import re-reads the ledger when other imports append to it meanwhile
LEDGER_RETRIES = 20


def file_decisions(report: ImportReport, rows: list[Row], decisions: list[ledger.Decision],
                    unexported: dict[int, Row], *, path: Path, reviewer: str, fmt: str,
                    imported_at: str, config: ProjectConfig, dataset: ImportItems,
                    relabel: bool, independent: bool, for_adjudicator: bool,
                    from_sample: Mapping[int, Row] | None = None) -> ImportReport:
    """Append to the ledger the decisions it does not hold yet, and say what was filed.
    ``from_sample``: the rows naming no export filed as the random sample's (an earlier
    import filed them as from no export: the ledger holds them so).

    The checks read the ledger, and another import may append to it meanwhile: the write
    goes through only if the ledger still holds what they read (else they run again), so
    a decision is never filed twice or past the ``--relabel`` check. ``for_adjudicator``:
    meant for an adjudicator and an importer named."""
    path_of_ledger = ledger.ledger_path(config.root)
    names = _names(rows, config)
    sample_unnamed = {(str(row.item_id), str(row.run_id)) for row in (from_sample or {}).values()}
    for _ in range(LEDGER_RETRIES):
        # read as runs read them: a re-import of an old file is no change of label
        before, _ = read_renamed(ledger.read_decisions(path_of_ledger), dict(config.renamed))
        to_add = _to_add(decisions, before, report, path=path, reviewer=reviewer,
                         relabel=relabel, independent=independent, config=config,
                         dataset=dataset, names=names, sample_unnamed=sample_unnamed)
        if to_add is None:
            _pair_rater_ids(report, rows, before, config=config, imported_at=imported_at)
            return report
        # without an importer nobody answers for a file that names the adjudicator: any
        # reviewer column can say "lead", so the import needs a name even with the flag
        report.for_adjudicators = filed_for_adjudicators(
            to_add, reviewer, config.review.adjudicators, names)
        if report.for_adjudicators and not for_adjudicator:
            raise ReviewError(refusal(path, reviewer, report.for_adjudicators))
        try:
            report.added = ledger.append(path_of_ledger, to_add, sha256=report.sha256,
                                         reviewer=reviewer, source_file=str(path.resolve()),
                                         fmt=fmt, imported_at=imported_at,
                                         expect=len(before), relabeled=relabeled_as_filed(
                                             to_add, report.relabeled, names))
        except ledger.ImportedByOther as exc:  # by another import at the same time
            raise _imported_by_other(path, report.sha256, exc.reviewer, exc.imported_at,
                                     reviewer, fmt) from None
        except ledger.LedgerChanged:
            continue
        _say_filed(report, to_add, before, unexported, config=config, dataset=dataset,
                   names=names)
        _pair_rater_ids(report, rows, before, config=config, imported_at=imported_at)
        return report
    raise ReviewError(f"{path}: the review ledger kept changing while this file was "
                      f"checked against it ({LEDGER_RETRIES} tries: other imports at the same "
                      "time); nothing imported: import it again")


def _say_filed(report: ImportReport, to_add: list[ledger.Decision],
               before: list[ledger.Decision], unexported: dict[int, Row], *,
               config: ProjectConfig, dataset: ImportItems, names: Mapping[str, str]) -> None:
    """What the report says of the decisions filed: their raters, those from no export,
    cut texts, labels runs lack, lone decisions, and decision times before their export
    or in the future."""
    report.raters = Counter(d.rater for d in to_add)
    unexported_rows = {row.where for row in unexported.values()}
    for d in to_add:
        if d.source_row in unexported_rows:
            report.not_exported.setdefault(d.run_id, []).append(d.item_id)
    report.cut_texts = [(d.item_id, d.cut) for d in to_add if d.cut is not None]
    report.label_gap_warnings = gap_warnings(
        run_label_gaps(to_add, config.labels, dict(config.renamed), config.runs_path),
        config.labels, "imported")
    if config.review.copies == ONE:  # reviews carry to copies at the next run
        report.second_opinion_warnings = import_warning(imported_lone_decisions(
            to_add, before, ids=dataset.ids, texts=dataset.texts,
            adjudicators=config.review.adjudicators, runs_dir=config.runs_path))
    early = early_decisions(to_add, config.runs_path)
    report.early = [d.item_id for d, _, _ in early]
    report.clock_warnings = [said] if (said := early_warning(early)) else []
    future = future_decisions(to_add)
    report.future = [d.item_id for d in future]
    if (ahead := future_warning(future, outranking(future, [*before, *to_add], names))):
        report.clock_warnings.append(ahead)
