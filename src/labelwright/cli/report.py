"""``labelwright report [RUN]`` (or ``--run RUN``): rebuild a run's report.html from its
run folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labelwright.cli.options import ProjectDir, RunOption, either_run
from labelwright.cli.output import make_console


def report(
    run: Annotated[str | None, typer.Argument(
        help="Run id, a unique prefix of one or the run folder's path; default: the latest "
             "run.")] = None,
    project: ProjectDir = Path("."),
    run_option: RunOption = None,
) -> None:
    """Rebuild runs/<run_id>/report.html: LF table, plots, review queue, changes since last run.

    The report the run folder held is kept as it was in replaced/<UTC time>/."""
    run = either_run(run, run_option, project)
    from labelwright.config import load_config
    from labelwright.report import rebuild_report
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    run_dir = resolve_run(config.runs_path, run, project=config)
    path, kept = rebuild_report(run_dir)
    console = make_console()
    if kept is not None:
        console.print(f"replaced the run's report.html; kept the one it held as it was in "
                      f"{kept}", highlight=False)
    console.print(f"report written to {path}", highlight=False)
