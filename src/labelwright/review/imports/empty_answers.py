"""A review tool's answer that chose nothing (a Label Studio annotation submitted with no
choice, a Prodigy accept with no option selected, an Argilla response without a value, a
doccano record whose label list holds only an empty label): no decision, counted with the
rows that are none, each reason per tool. Shared by the tools' readers
(:mod:`~labelwright.review.imports.tool_readers`,
:mod:`~labelwright.review.imports.argilla_reader`) and the import's count of them
(:mod:`~labelwright.review.imports.file`)."""

from __future__ import annotations

from labelwright.review.imports.records import Row

#: why a submitted answer with nothing chosen is no decision, per tool: an accept in Prodigy
#: with no option selected, a Label Studio annotation (not cancelled) with no choice, an
#: Argilla response submitted without a value, a doccano record whose label list holds only
#: an empty or null label (``[""]``, ``[null]``). Counted with the rows that are no decisions
#: (cancelled, ignored), each named with its row: it may be a slip worth a second look
LABEL_STUDIO_EMPTY = "submitted with no choice in Label Studio"
PRODIGY_EMPTY = "accepted with no option selected in Prodigy"
ARGILLA_EMPTY = "submitted with no label in Argilla"
DOCCANO_EMPTY = "an empty label in doccano"
NOTHING_CHOSEN = (LABEL_STUDIO_EMPTY, PRODIGY_EMPTY, ARGILLA_EMPTY, DOCCANO_EMPTY)


def nothing_chosen(row: Row, reason: str) -> None:
    """Make ``row`` one that is no decision (``reason``) when its answer chose nothing."""
    if row.problem is None and row.label == "":
        row.label, row.skip = None, reason
