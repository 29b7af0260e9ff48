"""The process around a command: its exit code for each way a command ends (an error of
labelwright's, a usage error, Ctrl-C, a closed output pipe), what is said of an interrupted
run, and nothing more. The commands are in :mod:`labelwright.cli.app` and the modules it
registers; :func:`labelwright.__main__.main` calls :func:`run_app`."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

import typer

from labelwright.cli.app import app, err, own_model_failure
from labelwright.cli.click_classes import click_classes
from labelwright.cli.output import error, labelwright_warnings
from labelwright.errors import BUSY_EXIT, LabelwrightError, ProjectBusy


def _usage_errors() -> tuple[type[Exception], ...]:
    """Click's exception classes: a usage error is a message and exit code 2, not a
    traceback (:func:`~labelwright.cli.click_classes.click_classes`: newer typer releases
    raise their own copy's)."""
    return click_classes("ClickException")


#: the exit code of a command whose reader closed its output before it was done
#: (``labelwright runs list | head -1``): 128 + SIGPIPE, what a shell reports of a program
#: the closed pipe ended, as git and the coreutils end
PIPE_CLOSED = 141


def _closed_pipe(exc: BaseException) -> bool:
    """Whether ``exc`` is, or was raised while handling, a write to a closed pipe: click
    catches a BrokenPipeError itself and exits 1 (``sys.exit`` inside its ``except``)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, BrokenPipeError):
            return True
        seen = seen.__context__
    return False


def _output_closed() -> int:
    """Stop writing: the reader of stdout (or stderr) is gone. Both are pointed at the null
    device, so that Python's flush at exit finds no pipe to fail on (which printed
    ``Exception ignored ... BrokenPipeError`` and exited 120); nothing more is said, as a
    shell pipeline expects of a program whose reader stopped reading."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):
                os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)
    return PIPE_CLOSED


def run_app() -> int:
    """Run the command in ``sys.argv``; its exit code. A closed output pipe (the reader
    stopped early) is :data:`PIPE_CLOSED`, whatever the command: what it wrote to files by
    then stays written."""
    try:
        return _run_app()
    except BrokenPipeError:
        return _output_closed()
    except SystemExit as exc:
        if _closed_pipe(exc):
            return _output_closed()
        raise


def _kept_votes_line() -> str | None:
    """What the vote cache keeps of an apply the interrupt cut short, or of one that had
    finished (the run stopped later): the chunks done are stored as they finish, and the
    next run reads them back. None when no apply with a vote cache ran (the cache off, or
    stopped before the LFs were applied) or it had kept no item yet: nothing to resume."""
    kept_votes = sys.modules.get("labelwright.apply.kept_votes")  # not imported: no apply
    last = kept_votes.last_apply() if kept_votes is not None else None
    if last is None or last.kept <= 0:
        return None
    again = ("running it again without --no-cache" if last.refresh
             else "running the same command again")
    if last.kept >= last.items:
        return (f"the votes of all {last.items:,} items are kept in the vote cache: "
                f"{again} reads them back instead of applying the LFs")
    return (f"the votes of {last.kept:,} of the {last.items:,} items (the chunks that "
            f"finished) are kept in the vote cache: {again} resumes "
            f"from them and applies the LFs to the other {last.items - last.kept:,} items")


def _json_error(exc: Exception, exit_code: int) -> None:
    """An error of a command asked for ``--json`` (the option given, and the command has
    it) that the command did not say as JSON (a usage error, an option's check that
    failed before the command ran) prints the command's error object on stdout too: a
    script reading stdout had read nothing. An error of a group (an unknown command)
    prints none."""
    from labelwright.cli.json_summary import echo_json, error_record

    if getattr(exc, "said_as_json", False) or "--json" not in sys.argv[1:]:
        return
    names = _command_names(getattr(exc, "ctx", None))
    command: Any = typer.main.get_command(app)
    for name in names:
        command = getattr(command, "commands", {}).get(name)
    if command is None or not any("--json" in getattr(param, "opts", ())
                                  for param in getattr(command, "params", ())):
        return
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    echo_json(error_record(" ".join(names), message, exit_code=exit_code))


def _error_exit() -> int:
    """The exit code of an error of labelwright's that the command did not exit on itself
    (``--project`` naming no project, refused by the option's own check): 1, as every
    command; but ``runs verify``, and ``runs diff --exit-code``, whose 1 says "differs",
    exit :data:`~labelwright.cli.output.TROUBLE` (2), as for any error they cannot check
    past, so a gate that reads 1 as a tampered or changed run is not told so of a project
    it never found."""
    from labelwright.cli.output import TROUBLE

    names = _command_names(None)
    if names == ["runs", "verify"] or (names == ["runs", "diff"]
                                       and "--exit-code" in sys.argv[1:]):
        return TROUBLE
    return 1


def _command_names(ctx: Any) -> list[str]:
    """The names of the command that failed, from its click context (``["runs",
    "verify"]``), or without one from the command line: the words before its first
    option that name commands."""
    names: list[str] = []
    if ctx is not None:
        while ctx.parent is not None:  # the root's name is the program's, as started
            names.append(ctx.info_name)
            ctx = ctx.parent
        return names[::-1]
    group: Any = typer.main.get_command(app)
    for word in sys.argv[1:]:
        group = getattr(group, "commands", {}).get(word)
        if group is None:
            break
        names.append(word)
    return names


def _run_app() -> int:
    try:
        with labelwright_warnings(err):
            result = app(standalone_mode=False)
    except ProjectBusy as exc:  # a run is being written: try again, not a problem to fix
        error(err, exc)
        return BUSY_EXIT
    except LabelwrightError as exc:
        code = _error_exit()
        _json_error(exc, code)
        error(err, exc)
        return code
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print("aborted")
        return 130
    except Exception as exc:  # click usage errors
        # ``label model 'x' (module.Class) failed in _fit, at FILE line N: ...``: whose code
        # to fix, and where, rather than a traceback through labelwright's
        said = own_model_failure(exc)
        if said:
            error(err, said)
            return 1
        if isinstance(exc, _usage_errors()):
            _json_error(exc, int(exc.exit_code))  # type: ignore[attr-defined]
            exc.show()  # type: ignore[attr-defined]
            return int(exc.exit_code)  # type: ignore[attr-defined]
        raise
    # Without standalone mode click returns the code of a typer.Exit instead of raising it,
    # and 130 for Ctrl-C, which it catches itself
    if result == 130:
        err.print("interrupted: labelwright writes each file whole or not at all, so no "
                  "file is left half-written (a run cut short is no run: it removes its "
                  "runs/.<run id>.partial/ folder; one killed outright leaves it for the next "
                  "run or `runs prune --partial` to remove)")
        kept = _kept_votes_line()
        if kept:
            err.print(kept, highlight=False)
        core = sys.modules.get("labelwright.apply.core")  # not imported: no LF ran
        if core is not None and core.INTERRUPTED:
            lf, where, item = core.INTERRUPTED[-1]
            err.print(f"it was running LF {lf} ({where}) on item {item!r}; an LF that takes "
                      "too long on an item is stopped and counted as a failure with [apply] "
                      "lf_timeout = 10 (seconds)", highlight=False)
    return result if isinstance(result, int) else 0
