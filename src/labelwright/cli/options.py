"""Options several commands share: ``--project``, which every command that works on a project
takes, ``--data``, which those that read the dataset take, and ``--run`` / ``-r``, which
those that read one run take; the options given once (:class:`OnceGroup`), and an unknown
option answered with the one meant (:func:`option_meant`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup


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


Run = Annotated[str | None, typer.Argument(
    help="Run id, unique prefix or run folder path (default: latest).")]

RunOption = Annotated[str | None, typer.Option(
    "--run", "-r", help="Run id, unique prefix or run folder path (default: the latest run).")]


def either_run(argument: str | None, option: str | None, project: Path) -> str | None:
    """The run a command was given, as its argument (``export RUN``) or with ``--run`` /
    ``-r`` (as ``train`` and ``explain`` take it): either spelling works everywhere; both
    naming different runs of ``project`` is an error, both naming one run in two ways
    (``runs/<id>`` and ``--run <id>``, an id and a prefix of it) is that run."""
    if argument is not None and option is not None and argument != option \
            and not _same_run(project, argument, option):
        raise typer.BadParameter(f"the run is given twice, as {argument!r} and as --run "
                                 f"{option!r}: give one", param_hint="--run")
    return argument if argument is not None else option


def _same_run(project: Path, one: str, other: str) -> bool:
    """Whether ``one`` and ``other`` name the same run folder of ``project``'s runs folder
    (False when either names none, or the project's config does not load: the command
    then says why given one)."""
    from labelwright.config import load_config
    from labelwright.errors import LabelwrightError
    from labelwright.runs.run_folders import resolve_run

    try:
        runs = load_config(project).runs_path
        return resolve_run(runs, one) == resolve_run(runs, other)
    except LabelwrightError:
        return False


#: options a user may give twice meaning both (two dataset files, two runs), of which a
#: command takes one: click keeps the last in silence, so each is refused given twice, with
#: what to do instead. By the long name (``review import``'s ``-r`` is ``--reviewer``)
ONCE = {
    "--data": "a command takes one --data; for a dataset in many files give their folder, "
              "or a wildcard in quotes (--data 'data/parts/*.parquet'), or list them in "
              "[data] path",
    "--run": "a command reads one run",
    "--items-file": "one file of ids is read; put them in one file, or give more with --item",
    "--skip-reviewed-by": "it takes one rater; --skip-reviewed leaves out the items any rater "
                          "decided",
    "--rater": "it takes one rater (leave it out for all of them)",
}


def given(names: Sequence[str], args: Sequence[str]) -> list[str]:
    """The values ``args`` (a command's own, as typed) give the option called ``names``
    (``--run``, ``-r``): ``--run X``, ``--run=X``, ``-r X``, ``-rX``; up to ``--``, after
    which everything is an argument."""
    values = []
    tokens = iter(args)
    for token in tokens:
        if token == "--":
            break
        for name in names:
            if token == name:
                values.append(next(tokens, ""))
            elif token.startswith(name + "=") and name.startswith("--"):
                values.append(token[len(name) + 1:])
            elif token.startswith(name) and len(name) == 2 and not token.startswith("--"):
                values.append(token[2:])
    return values


class OnceGroup(TyperGroup):
    """A command group that refuses an option of :data:`ONCE` given twice, as a usage
    error naming both values (``--data a.parquet --data b.parquet`` read only b.parquet)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        from labelwright.cli.unknown_command import unknown_command_text

        first = args[0] if args else ""
        if (first and not first.startswith("-") and not ctx.resilient_parsing
                and self.get_command(ctx, first) is None):
            ctx.fail(unknown_command_text(first, self, ctx))
        name, command, rest = super().resolve_command(ctx, args)
        if command is None or ctx.resilient_parsing:
            return name, command, rest
        if not hasattr(command, "get_command"):  # a group checks its own commands
            _refuse_extra_arguments(command, name, rest, ctx)
        for param in command.params:
            long = param.opts[0] if param.opts else ""
            if long not in ONCE or param.param_type_name != "option":
                continue
            values = given(param.opts, rest)
            if len(values) > 1:
                times = "twice" if len(values) == 2 else f"{len(values)} times"
                shown = ", ".join(map(repr, values[:-1])) + f" and {values[-1]!r}"
                raise typer.BadParameter(
                    f"given {times}, as {shown}: {ONCE[long]}",
                    ctx=command.context_class(command, info_name=name, parent=ctx),
                    param_hint=long)
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        """Run the command; an option it does not have is a usage error that names the one
        meant (:func:`option_meant`), not click's guess by letters (``--rater`` got
        ``Possible options: --data, --format`` from ``review import``, whose rater is
        ``--reviewer``)."""
        try:
            return super().invoke(ctx)
        except _no_such_option() as exc:
            command = getattr(exc.ctx, "command", None)
            meant = option_meant(exc.option_name, command.params) if command else None
            # none meant: no guess either, as click's by letters was the misleading one
            # (``run --ratr x``: "Possible options: --format")
            said = f"No such option: {exc.option_name}" + (f"; {meant}" if meant else "")
            raise type(exc)(exc.option_name, message=said, ctx=exc.ctx) from None


def _refuse_extra_arguments(command: Any, name: str | None, rest: list[str], ctx: Any) -> None:
    """A usage error for arguments ``command`` does not take, before its options' callbacks
    run: click refuses them only after, and ``--project``'s, left out, looked for a project
    around the current folder, so ``check proj`` (as ``init proj`` takes it) said "no
    labelwright.toml in <cwd>". A folder given so is answered with ``--project`` (unless
    given). A problem of the options themselves is left to click's own parse to report, and
    so is a help option (``check proj --help``): click's eager ``--help`` prints the help
    before it looks at arguments, as it did before this check."""
    from labelwright.cli.click_classes import click_classes

    sub = command.context_class(command, info_name=name, parent=ctx)
    if sub.allow_extra_args or _asks_for_help(rest, sub.help_option_names):
        return
    try:
        _, extra, _ = command.make_parser(sub).parse_args(args=list(rest))
    except click_classes("UsageError"):
        return
    if not extra:
        return
    said = f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})"
    takes_project = any("--project" in param.opts for param in command.params)
    if takes_project and not given(("--project", "-p"), rest) and Path(extra[0]).is_dir():
        said += (f"; did you mean --project {extra[0]}? (`{name}` takes the project folder "
                 "as an option, -p for short; `init` takes it as an argument)")
    sub.fail(said)


def _asks_for_help(args: list[str], help_options: list[str]) -> bool:
    """Whether ``args`` hold a help option (``--help``) before a ``--`` (after it, every
    word is an argument)."""
    words = args[:args.index("--")] if "--" in args else args
    return any(word in help_options for word in words)


#: options that name one thing in other words, as review tools and people say it: a
#: command that takes one of them suggests it for the others (``review import`` records
#: the rater as ``--reviewer``, ``review retire`` picks decisions by ``--rater``)
SAME_MEANING = (("--reviewer", "--rater", "--annotator"),)


#: options other tools take for what labelwright reads from its config: the setting to write
_WORKERS = ("the number of worker processes is a setting: workers = N under [apply] in "
            "labelwright.toml (left out: one per usable core), with engine = \"processes\" "
            "or \"dask\"")
SETTINGS_NOT_OPTIONS = {"--jobs": _WORKERS, "-j": _WORKERS, "--n-jobs": _WORKERS,
                        "--workers": _WORKERS, "--processes": _WORKERS}


#: how alike an unknown option's name and a command's option must be to be offered: option
#: names share parts ('--rater' came out 0.62 alike to '--per-pattern' at difflib's 0.6),
#: while a typo of a letter or two in a name of four letters or more keeps them 0.8 alike;
#: names of three letters or fewer keep difflib's 0.6 ('--rnu' is 0.67 alike to '--run')
OPTION_CUTOFF, SHORT_OPTION_CUTOFF, SHORT_OPTION = 0.7, 0.6, 3


def option_meant(name: str, params: Sequence[Any]) -> str | None:
    """What to say of the option ``name`` a command does not take, given the command's
    ``params``: the option of the same meaning it takes (:data:`SAME_MEANING`), else one
    spelt close (:func:`~labelwright.spelling.closest`, as every "did you mean" of
    labelwright finds it); None when none is near."""
    from labelwright.spelling import closest

    options = [param for param in params if param.param_type_name == "option"]
    setting = SETTINGS_NOT_OPTIONS.get(name)
    if setting is not None and not any(name in param.opts for param in options):
        return setting
    for words in SAME_MEANING:
        if name not in words:
            continue
        taken = [(opt, param) for param in options for opt in param.opts
                 if opt in words and opt != name]
        if len(taken) == 1:
            word, param = taken[0]
            return (f"did you mean {word!r}? (this command takes the {name.lstrip('-')} as "
                    f"{' / '.join(param.opts)})")
        if taken:  # review retire: who retires (--reviewer), whose decisions (--rater)
            listed = " or ".join(repr(opt) for opt, _ in taken)
            return (f"did you mean {listed}? (this command takes each, for a different "
                    "person: see --help)")
    # compared without the dashes, which every long option shares: with them, difflib
    # found '--rater' close to '--format'
    longs = {opt[2:]: opt for param in options for opt in param.opts if opt.startswith("--")}
    word = name.lstrip("-")
    guess = closest(word, longs, cutoff=SHORT_OPTION_CUTOFF if len(word) <= SHORT_OPTION
                    else OPTION_CUTOFF)
    return None if guess is None else f"did you mean {longs[guess]!r}?"


def _no_such_option() -> tuple[Any, ...]:
    """Click's exception for an unknown option (:func:`~labelwright.cli.click_classes.
    click_classes`: each has ``option_name`` and ``ctx``)."""
    from labelwright.cli.click_classes import click_classes

    return click_classes("NoSuchOption")
