"""What an import of a review file did (:func:`~labelwright.review.imports.file.import_file`):
its rows, the decisions it added, the rows it set aside and why."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from labelwright.short_repr import ShortRepr


@dataclass(repr=False)
class ImportReport(ShortRepr):
    file: Path
    format: str
    sha256: str
    rows: int = 0
    decisions: int = 0  # valid decisions in the file
    added: int = 0  # decisions new to the ledger
    skipped: Counter[str] = field(default_factory=Counter)  # rows not decisions, per reason
    #: the first item ids (or places, for a row without one) of the rows of each reason, with
    #: their rows' count: one item may have several (two Argilla drafts, two cancellations)
    skipped_ids: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one per bad row, or per group of them
    bad: int = 0  # bad rows
    already_imported: bool = False
    #: who imported the file first (:data:`~labelwright.review.decisions.ledger.NO_IMPORTER`:
    #: no one named) when that was another importer, whose import it is (a file naming
    #: every decision's rater, held already); None: the importer of this call
    imported_as: str | None = None
    # where this file changes a label a rater gave in an earlier import:
    # (item id, rater, label in the ledger, label in this file)
    relabeled: list[tuple[str, str, str, str]] = field(default_factory=list)
    redecided: int = 0  # decisions replaced by the same rater's later one in this file
    in_ledger: int = 0  # decisions an earlier (cumulative) export brought already
    #: items of those whose decision in the ledger is retired (it stays so: an import
    #: that repeats it does not bring it back; ``review retire --undo`` does)
    in_ledger_retired: list[str] = field(default_factory=list)
    # decisions of a file imported before whose rows were bad then (--skip-bad-rows)
    completed: int = 0
    #: undated decisions of a file imported before that give a label their rater has
    #: changed since (a label changed back): new decisions
    said_again: int = 0
    #: the decisions added per rater: the annotator the file names, else the reviewer
    raters: Counter[str] = field(default_factory=Counter)
    #: (row, label as written) of the rows whose label had spaces around it, read without
    padded: list[tuple[str, str]] = field(default_factory=list)
    #: what the import says of the raters a tool names by user id (who each counts as)
    notes: list[str] = field(default_factory=list)
    #: rows whose label has an old name (``[project] renamed``), read as the current one,
    #: per old name
    renamed: dict[str, int] = field(default_factory=dict)
    #: bad rows whose label their run had and the project no longer has, per label
    retired: Counter[str] = field(default_factory=Counter)
    #: item ids of decisions made on a text the item no longer has in the data (their run
    #: exported another one): imported, but runs set them aside
    other_text_now: list[str] = field(default_factory=list)
    #: (item id, "32,767 of 1,200,529 characters") of each added decision made on a cut
    #: text: a spreadsheet (Excel) cut the item's text, and its reviewer read the start
    cut_texts: list[tuple[str, str]] = field(default_factory=list)
    #: what the import says of the runs the added decisions came from whose labels were not
    #: the current ones (:mod:`~labelwright.review.feedback.run_label_gaps`)
    label_gap_warnings: list[str] = field(default_factory=list)
    #: what the import says of added decisions dated before the export they answer, or
    #: after the import (a wrong clock: :mod:`~labelwright.review.imports.decision_clocks`);
    #: [] when there are none
    clock_warnings: list[str] = field(default_factory=list)
    #: the item ids of those dated before the export
    early: list[str] = field(default_factory=list)
    #: the item ids of added decisions dated after the import (a clock ahead), which count
    #: as made when imported (said in ``clock_warnings`` too)
    future: list[str] = field(default_factory=list)
    #: what the import says of added decisions the next run carries to copies on one
    #: rater's word against the model and every LF vote
    #: (:mod:`~labelwright.review.feedback.second_opinions`); [] when there are none
    second_opinion_warnings: list[str] = field(default_factory=list)
    #: per adjudicator, the added decisions filed under them ([review] adjudicators) by an
    #: importer who is not them (allowed with ``for_adjudicator``)
    for_adjudicators: Counter[str] = field(default_factory=Counter)
    #: the file's columns (CSV) or fields (JSONL) the import does not read, in the file's
    #: order: said once, so that none is dropped without a word (a ``lead_note`` column)
    unread: list[str] = field(default_factory=list)
    #: per run, the item ids of decisions on items it did not export (neither its queue nor
    #: its random sample holds them), filed as from neither export
    #: (:mod:`~labelwright.review.imports.exported_items`)
    not_exported: dict[str, list[str]] = field(default_factory=dict)
    #: item ids of decisions already in the ledger (not added again) whose note in this
    #: file the ledger's decision does not hold: not recorded
    notes_not_kept: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """What ``repr`` shows: the file and its counts, not the ids and problems it lists
        (``early`` alone may name every decision of a file)."""
        return {"file": self.file, "format": self.format, "rows": self.rows,
                "decisions": self.decisions, "added": self.added,
                "skipped": sum(self.skipped.values()), "bad": self.bad,
                "already_imported": self.already_imported}

    def unread_warning(self) -> str | None:
        """``"q.csv: columns not read: lead_note (...)"``, or None when every column is
        read; a name that speaks of a note, comment or reason is pointed to ``note``."""
        if not self.unread:
            return None
        kind = "columns" if self.format == "csv" else "fields"
        noted = [name for name in self.unread
                 if any(word in name.lower() for word in ("note", "comment", "reason"))]
        return (f"{self.file}: {kind} not read: {', '.join(self.unread)}"
                + (f" (a decision's note is read from a {kind[:-1]} named 'note' or "
                   f"'comment'; rename {', '.join(map(repr, noted))} to 'note' to keep it "
                   "with the decision)" if noted else ""))
