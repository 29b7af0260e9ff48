"""What a run says of its comparison with the previous run: a fall in accuracy on gold,
or why the previous run could not be compared (``run_project``, with or without a report,
compares before the run's manifest is written)."""

from __future__ import annotations

import re
from typing import Any

#: The manifest flag (true) saying its ``run_warnings`` hold the comparison's warnings
#: (every run since: the run compares before its manifest is written, with or without a
#: report). A report compares again whatever it says
#: (:mod:`labelwright.report.comparison_warnings`); a script reading ``run_warnings`` of a
#: run without it knows they may lack them.
RUN_WARNINGS_HOLD_COMPARISON = "run_warnings_since_previous"

#: how the warning of a previous run that could not be compared starts
NOT_COMPARED_START = "not compared with the previous run"
#: how the warning of items of the previous run not in this one starts
#: (:func:`items_gone_warning`), gone from the data or not in the other file it read
ITEMS_GONE_START = re.compile(r"[\d,]+ items? of run \S+ (?:is|are) (?:gone from the data"
                              r"|not in the data this run read) \(")


def since_warnings(changes: Any, not_compared: str | None) -> list[str]:
    """The warnings the comparison with the previous run brings, made once the run's
    outputs are written (the diff needs its labels): a fall in accuracy on gold, or why
    the previous run could not be compared (else the "since run" line and the drop check
    vanish unsaid). The run (:func:`~labelwright.runs.outputs.write_outputs`) records them
    in its manifest; a report of a run from before that adds them through here."""
    from labelwright.warning_kinds import kinded

    if not_compared is not None:
        return kinded("not_compared", [not_compared_warning(not_compared)])
    if changes is None:  # no previous run
        return []
    from labelwright.runs.diff.lines import accuracy_drop_warning

    gone_kind = "items_gone" if _other_data(changes) is None else "items_other_data"
    return kinded(gone_kind, [items_gone_warning(changes)]) + kinded(
        "accuracy_drop", [accuracy_drop_warning(changes)])


def item_changes(changes: Any) -> dict[str, int | None]:
    """The items added, gone and whose text changed since the previous run (``changes``,
    a :class:`~labelwright.runs.diff.result.RunDiff`; None: no run to compare with, each
    count None): what the manifest and ``run --json`` record, so a script reads a night's
    rows gone without parsing the "since run" line (which ``--quiet`` drops). Items an
    erasure since the previous run names (``labelwright erase``) are not gone but
    ``items_erased``: deleted on purpose."""
    if changes is None:
        return dict.fromkeys(("items_added", "items_gone", "items_erased", "items_changed"))
    erased = len(changes.erased_only_a)
    return {"items_added": changes.only_b, "items_gone": changes.only_a - erased,
            "items_erased": erased, "items_changed": changes.text_changed}


def items_gone_warning(changes: Any) -> str | None:
    """A warning when items the previous run had are gone from this one (a data part
    removed, a night's rows lost), naming how many, the first ids and the part files gone:
    a nightly job must not read fewer items as nothing to say. Items an erasure since that
    run names (``labelwright erase``) were deleted on purpose: they are no warning, only
    counted beside one. When this run read another file or folder than that run (a weekly
    ``--data`` of each week's file), the items are said as not in the data it read, not as
    data that shrank (their kind, ``items_other_data``, apart from ``items_gone``)."""
    from labelwright.counts import counted

    erased = len(changes.erased_only_a)
    gone = changes.only_a - erased
    if gone <= 0:
        return None
    parts = changes.parts_only_a
    ids = ", ".join(changes.ids_gone_unerased[:5]) + (", ..." if gone > 5 else "")
    read = _other_data(changes)
    if read is not None:  # another file given (this week's --data): not data that shrank
        # the erased ones after what each run read, which explains the others alone
        return (f"{counted(gone, 'item')} of run {changes.run_a} "
                f"{'is' if gone == 1 else 'are'} not in the data this run read "
                f"({ids}): it read {read[1]}, run {changes.run_a} read {read[0]}; "
                f"their labels are in run {changes.run_a}"
                + (f"; besides them, {counted(erased, 'item')} "
                   f"{'was' if erased == 1 else 'were'} erased (`labelwright erase`)"
                   if erased else ""))
    return (f"{counted(gone, 'item')} of run {changes.run_a} "
            f"{'is' if gone == 1 else 'are'} gone from the data ({ids})"
            + (f", besides {erased} erased (`labelwright erase`)" if erased else "")
            + (f"; part files gone: {', '.join(parts)}" if parts else "")
            + "; their labels are not in this run: if the data was not meant to shrink, "
              "restore it and run again")


def _other_data(changes: Any) -> tuple[str, str] | None:
    """The paths of the datasets the two runs read, when they read other files or folders
    (a weekly job's ``--data`` of each week's file): the earlier run's items not in this
    one are the other file's, not items lost; None when both read one path (or the runs do
    not say)."""
    data = getattr(changes, "data", None)
    if not data:
        return None
    paths = [data.get(side) or {} for side in ("a", "b")]
    if not all(isinstance(p.get("path"), str) for p in paths) \
            or paths[0]["path"] == paths[1]["path"]:
        return None
    return paths[0]["path"], paths[1]["path"]


def not_compared_warning(why: str) -> str:
    """What a run says when the previous run could not be compared with it (``why``, which
    names that run): there is no "since run" line, and accuracy was not checked for a fall
    since (the report says so too)."""
    return (f"{NOT_COMPARED_START}, so nothing says what changed since it (no "
            f"'since run' line, no check for a fall in accuracy on gold): {why}")
