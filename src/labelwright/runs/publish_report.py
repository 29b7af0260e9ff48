"""The end of a run's publishing, after its outputs are written: the comparison with the
previous run (made before the manifest is written, so the manifest holds the warnings it
brings) and the report, each kept from costing the user their run by a bug of its own.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.matrix import LabelMatrix
    from labelwright.project.steps import Stage
    from labelwright.runs.diff.result import RunDiff


def compare_with_previous(staging: Path, manifest: dict[str, Any], stage: Stage
                          ) -> tuple[tuple[RunDiff | None, str | None], list[str]]:
    """What changed since the previous run, as the report shows it (None: no previous run,
    or one that cannot be compared), why the previous run could not be compared (None: it
    was, or there is none), and the warnings that brings
    (:func:`~labelwright.project.since_previous.since_warnings`). ``manifest``: the staged
    run's, not yet written (read as its file would be). When the comparison fails, why, as
    for a previous run that cannot be compared, and its warning: a bug in it must not keep
    the run's manifest from being written, nor pass the run off as the first."""
    from labelwright.project.since_previous import since_warnings
    from labelwright.report import report_changes

    try:
        stage("publish: comparing with the previous run")
        changes = report_changes(staging, json.loads(json.dumps(manifest, default=str)))
        return changes, since_warnings(*changes)
    except Exception as exc:  # a bug in the comparison must not cost the user their run
        logging.getLogger("labelwright").warning("could not compare with the previous run",
                                                 exc_info=True)
        failed = f"comparing with it failed ({type(exc).__name__}: {exc})"
        return (None, failed), since_warnings(None, failed)


def write_staged_report(staging: Path, stage: Stage,
                        changes: tuple[RunDiff | None, str | None],
                        held: tuple[pd.DataFrame, LabelMatrix] | None = None) -> None:
    """Write the staged run's report, with ``changes`` (:func:`compare_with_previous`).
    ``stage`` hears it start. ``held``: the labels table and label matrix the run wrote,
    as it holds them: the report reads them from there
    (:class:`~labelwright.report.data.HeldOutputs`), not back from the files while the
    run holds them too."""
    from labelwright.report import write_report
    from labelwright.report.data import HeldOutputs

    try:
        stage("publish: report")
        # its outputs were just hashed
        write_report(staging, check=False, changes=changes,
                     held=HeldOutputs(*held) if held is not None else None)
    except Exception:  # a bug in the report must not cost the user their run
        logging.getLogger("labelwright").warning("could not write report.html", exc_info=True)
