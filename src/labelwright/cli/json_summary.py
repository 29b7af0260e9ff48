"""``--json``: one JSON object on stdout that says what a command did, for a script that
must not parse the text (``runs/LATEST`` names the newest run, not necessarily this job's).
What the command prints otherwise goes to stderr then, so stdout holds the JSON alone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from labelwright.json_lines import json_line


@contextmanager
def human_to_stderr(console: Console) -> Iterator[None]:
    """What ``console`` prints goes to stderr while inside, as progress and warnings do.
    The console's own setting is put back after, not the stream it resolved to: a console
    made without a file writes to whatever ``sys.stdout`` is when it prints."""
    import sys

    kept = console._file  # None: sys.stdout at each print (the property would pin it)
    console.file = sys.stderr
    try:
        yield
    finally:
        console._file = kept


def echo_json(record: Mapping[str, Any]) -> None:
    """``record`` as one line on stdout (:func:`~labelwright.json_lines.json_line`)."""
    typer.echo(json_line(record))


def error_record(command: str, exc: BaseException | str, *, exit_code: int = 1
                 ) -> dict[str, Any]:
    """The object of a command that failed with an error before it had a result: the
    error's message, as the ``error:`` line on stderr says it, and the exit code the command
    gives (2 for those where 1 means "differs": ``runs verify``; 2 for a usage error). The
    exception is marked (``said_as_json``): :mod:`labelwright.cli.entry` says an error
    raised before the command ran (an option's check) as JSON, and not one said already."""
    if isinstance(exc, BaseException):
        exc.said_as_json = True  # type: ignore[attr-defined]
    return {"command": command, "status": "error", "exit_code": exit_code, "error": str(exc)}


def stopped_by(exc: KeyboardInterrupt) -> tuple[str, int]:
    """``("SIGTERM", 143)`` for :class:`~labelwright.errors.Terminated`, else
    ``("Ctrl-C", 130)``: what stopped a command, and the exit code it gives."""
    from labelwright.errors import TERMINATED_EXIT, Terminated

    return ("SIGTERM", TERMINATED_EXIT) if isinstance(exc, Terminated) else ("Ctrl-C", 130)


def written_run(exc: KeyboardInterrupt) -> tuple[Path, bool, str] | None:
    """The run a ``run`` stopped by ``exc`` had written whole before it (the folder
    :func:`~labelwright.project.run_project` sets as the exception's ``run_dir``), whether
    ``runs/LATEST`` names it, and that in words: ``it is complete and runs/LATEST names
    it``; None when the run was stopped before its folder was in place."""
    from labelwright.runs.run_folders import read_latest

    run_dir = getattr(exc, "run_dir", None)
    if not isinstance(run_dir, Path):
        return None
    latest = read_latest(run_dir.parent)
    named = latest == run_dir.name
    return run_dir, named, ("it is complete and runs/LATEST names it" if named else
                            f"it is complete, but runs/LATEST names "
                            f"{f'run {latest}' if latest else 'no run'} (`runs list` says "
                            "why)")


#: what an interrupted ``--json`` command's error says it left, by command
_LEFT = {
    "run": "a run cut short is not written, and runs/LATEST still names the run before it",
    "check": "it changes nothing; check again",
    "runs verify": "the runs above were checked (their objects say how each went), the "
                   "rest not; verify again",
}


def interrupted_record(command: str, exc: KeyboardInterrupt) -> dict[str, Any]:
    """The object of a command (``run``, ``check``, ``runs verify``) stopped by Ctrl-C
    (exit 130) or SIGTERM (:class:`~labelwright.errors.Terminated`, exit 143) before it had
    a result: an error object, whose ``interrupted`` says which; for a run stopped once its
    folder was in place
    (:func:`written_run`), with ``run_id``, ``run_dir`` and ``latest`` as a run's object
    has them."""
    by, code = stopped_by(exc)
    written = written_run(exc)
    if written is not None:
        run_dir, named, words = written
        return {**error_record(command, f"interrupted ({by}) after run {run_dir.name} was "
                               f"written: {words}", exit_code=code), "interrupted": by,
                "run_id": run_dir.name, "run_dir": str(run_dir), "latest": named}
    return {**error_record(command, f"interrupted ({by}) before the {command} was done: "
                           f"{_LEFT[command]}", exit_code=code), "interrupted": by}


def run_record(result: Any, *, warnings: Sequence[str], exit_code: int) -> dict[str, Any]:
    """What ``run --json`` prints of a run (a :class:`~labelwright.project.RunResult`):
    its id and folder, its labels file, how it ended, its items, coverage and triage
    counts, accuracy on held-out gold (None without gold), the labels whose calibration on
    it is off either way (``miscalibrated_labels``: :func:`~labelwright.project.
    label_calibration.miscalibrated_labels`; None without gold) and the warnings printed (how
    many, and each as ``{"kind", "message"}``: :mod:`labelwright.warning_kinds`), the LFs
    that raised on most items (``mostly_failing``, as ``check --json`` says them; a warning,
    not a failure); the run whose label model it reused, its review files'
    ``queue_limit`` (None: none) and ``show_fields_renamed``, ``{key: name}`` of the
    ``[review] show_fields`` their columns keep apart (``field_pr_nom_2``: ``prènom``)."""
    from labelwright.project.label_calibration import miscalibrated_labels
    from labelwright.review.queue.shown_fields import renamed_keys
    from labelwright.runs.file_names import LABELS_FILE, REPORT
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.outcome import mostly_failing_lfs
    from labelwright.warning_kinds import warning_record

    manifest = read_manifest(result.run_dir)
    from_run = (manifest.get("label_model") or {}).get("from_run") or {}
    queue_files = (manifest.get("triage") or {}).get("queue_files") or {}

    model = (result.evaluation or {}).get("label_model") or {}
    by_label = result.calibration_by_label
    latest = result.run_dir.parent / "LATEST"
    return {
        "command": "run",
        "status": result.outcome["status"],
        "exit_code": exit_code,
        "run_id": result.run_id,
        "run_dir": str(result.run_dir),
        "labels_file": str(result.run_dir / LABELS_FILE),
        "report": str(result.run_dir / REPORT) if (result.run_dir / REPORT).exists() else None,
        # whether runs/LATEST names this run (a failed run it does not)
        "latest": latest.is_file() and latest.read_text(encoding="utf-8").strip()
        == result.run_id,
        "items": len(result.dataset),
        "coverage": result.coverage,
        "counts": result.triage.counts(),
        "accuracy": model.get("accuracy"),
        "macro_f1": model.get("macro_f1"),
        "gold_items": (result.evaluation or {}).get("n_gold"),
        # the label model named, and the gold rows of the run's accuracy table: the model's
        # accuracy on the gold items it labelled, majority vote's beside it
        "label_model": result.model_name,
        "accuracy_where_labeled": model.get("covered_accuracy"),
        "majority_vote": _scores((result.evaluation or {}).get("majority_vote")),
        # the LF table (lf_summary.csv), one object per LF
        "lfs": lf_rows(result.lf_table),
        # labels whose accuracy interval on held-out gold lies wholly off their confidence
        "miscalibrated_labels": None if by_label is None else miscalibrated_labels(by_label),
        "warnings": len(warnings),
        "warning_messages": [warning_record(text) for text in warnings],
        "failures": {name: failure.count for name, failure in result.applied.failures.items()},
        "failed_because": result.outcome.get("failed_because"),
        "mostly_failing": list(mostly_failing_lfs(result.applied.failures, len(result.dataset),
                                                  result.applied.computed)),
        # vs the previous run (None: none compared), as the manifest records them
        **{key: manifest.get(key)
           for key in ("items_added", "items_gone", "items_erased", "items_changed")},
        "label_model_from": from_run.get("run_id"),
        "queue_limit": queue_files.get("limit"),
        # review.csv's keys of [review] show_fields that share a key with another: {key: name}
        "show_fields_renamed": dict(renamed_keys(result.project.config.review.show_fields)),
    }


def _scores(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A model's row of the run's accuracy table on held-out gold; None without gold."""
    if not row:
        return None
    return {"accuracy": row.get("accuracy"), "macro_f1": row.get("macro_f1"),
            "accuracy_where_labeled": row.get("covered_accuracy")}


def lf_rows(table: Any) -> list[dict[str, Any]]:
    """The LF table (a DataFrame, as ``lf_summary.csv`` holds it) as one object per LF, a
    number no LF vote gives (``emp_accuracy`` without gold) as null: JSON has no NaN."""
    import pandas as pd

    return [{str(key): None if not isinstance(value, str) and pd.isna(value) else
             value.item() if hasattr(value, "item") else value
             for key, value in row.items()} for row in table.to_dict("records")]


def verify_record(check: Any) -> dict[str, Any]:
    """What ``runs verify --json`` prints of one run checked (a
    :class:`~labelwright.runs.verify.run_check.RunCheck`): ``ok`` (nothing found to
    differ), ``outcome`` (``ok``, ``not recomputed`` or ``differs``, which wins over not
    recomputed), ``not_recomputed`` (why the labels were not computed again, on a differs
    record too when both apply; else null), ``recomputed_from_sources`` (the run's
    ``sources/`` folder when it was recomputed in its project rebuilt from them; else
    null), and each line
    that makes it not ok (``failures``: a file changed or missing, an input that differs, a
    recomputed vote or label), each file problem also as ``{file, message}``, and the
    notes."""
    return {
        "command": "runs verify",
        "run_id": check.run_id,
        "run_dir": str(check.run_dir),
        "ok": check.ok,
        "outcome": check.outcome,
        "not_recomputed": check.not_recomputed or None,
        # the run's sources/ folder when recomputed in its project rebuilt from them
        "recomputed_from_sources": (check.recomputed.from_sources or None
                                    if check.recomputed is not None else None),
        "failures": check.failures,
        "problems": [{"file": p.file, "message": p.message} for p in check.problems],
        "notes": list(check.notes),
        "outputs_hashed": check.outputs_hashed,
    }


def check_record(report: Any) -> dict[str, Any]:
    """What ``check --json`` prints (a :class:`~labelwright.project.check.CheckReport`):
    ``ok``, every problem and warning (the ``error:`` and ``warning:`` lines' text; each
    warning also as ``{"kind", "message"}``, as ``run --json`` gives them:
    :mod:`labelwright.warning_kinds`), and what was checked."""
    from labelwright.warning_kinds import warning_record

    return {
        "command": "check",
        "ok": report.ok,
        "exit_code": 0 if report.ok else 1,
        "problems": [str(problem) for problem in report.problems],
        "warnings": [str(message) for message in report.warnings],
        "warning_messages": [warning_record(message) for message in report.warnings],
        "labeling_functions": report.n_lfs,
        "glossaries": report.n_glossaries,
        "items": report.n_items,
        "items_tried": report.n_tried,
        "labels": list(report.config.labels) if report.config else [],
        "mostly_failing": list(report.mostly_failing),
        # the Dask scheduler reached (its workers), or null: none named or not reached
        "scheduler_workers": (report.scheduler.workers if getattr(report, "scheduler", None)
                              is not None and report.scheduler.problem is None else None),
    }
