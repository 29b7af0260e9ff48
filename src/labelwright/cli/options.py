"""Options several commands share: ``--project``, which every command that works on a project
takes, ``--data``, which those that read the dataset take, and ``--run`` / ``-r``, which
those that read one run take."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _project_folder(ctx: typer.Context, param: typer.CallbackParam, value: Path) -> Path:
    """The project a command works on. Given, the folder itself must be one (or
    ``value`` is its labelwright.toml, which the command reads as it is): never a project
    above it (:func:`~labelwright.config.project_folder`). Left out, the nearest folder at
    or above the current one that holds labelwright.toml, so a command run anywhere inside
    a project works on that project."""
    from labelwright.config import CONFIG_NAME, find_project_root, project_folder

    source = ctx.get_parameter_source(param.name) if param.name else None
    if source is None or source.name == "DEFAULT":
        return find_project_root(Path.cwd())
    if value.name == CONFIG_NAME or value.is_file():  # load_config says what is wrong
        return value
    return project_folder(value)


ProjectDir = Annotated[Path, typer.Option(
    "--project", "-p", callback=_project_folder,
    help="Project folder, the one holding labelwright.toml (default: the current folder or "
         "the nearest one above it that holds it).")]

DataPath = Annotated[Path | None, typer.Option(
    "--data", metavar="PATH",
    help="Read the items from this file in place of [data] path, for this command only "
         "(relative to the current folder, not the project's; the format from [data] "
         "format or the file's suffix, the other [data] settings as written). A run "
         "records it in its manifest (data.path_from = \"--data\").")]


Run = Annotated[str | None, typer.Argument(help="Run id or unique prefix (default: latest).")]

RunOption = Annotated[str | None, typer.Option(
    "--run", "-r", help="Run id or unique prefix (default: the latest run).")]


def either_run(argument: str | None, option: str | None) -> str | None:
    """The run a command was given, as its argument (``export RUN``) or with ``--run`` /
    ``-r`` (as ``train`` and ``explain`` take it): either spelling works everywhere; both
    naming different runs is an error."""
    if argument is not None and option is not None and argument != option:
        raise typer.BadParameter(f"the run is given twice, as {argument!r} and as --run "
                                 f"{option!r}: give one", param_hint="--run")
    return argument if argument is not None else option
