"""Every error a user can cause, in one hierarchy.

Each message says where (file, line, row or item id), what was expected, and the
valid options, so the person who wrote the rule or the config can fix it without
reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: what fixes a file changed after a project was loaded, from Python: ``labelwright run``
#: loads the project again on every run, but a loaded ``Project`` (and an ``Applier`` made
#: from it) keeps the LFs and glossaries as they were loaded, so running it again fails again
LOAD_AGAIN = ("from Python, load the project again with labelwright.load_project and run or "
              "apply that, with a new applier (project.applier()): a loaded Project, and an "
              "Applier made from it, keep the LFs and glossaries as they were loaded")


class LabelwrightError(Exception):
    """Base class of every error labelwright raises on purpose."""


class ConfigError(LabelwrightError):
    """The project config (``labelwright.toml``) is missing or wrong."""


class SettingError(ConfigError):
    """One config setting is wrong. The message leaves out where: ``key`` is the setting's
    path in the config (``("review", "policy")``), by which the code that knows the file
    names the line it is on (:func:`labelwright.config.located`)."""

    def __init__(self, message: str, key: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.key = key


class ConfigErrors(ConfigError):
    """Several tables of the config are wrong: ``errors`` holds the first problem of each,
    in the order the config is checked (as :class:`SettingError` while the config's tables
    are read, then with each one's file and line in front), one a line of the message."""

    def __init__(self, errors: list[ConfigError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


@dataclass(frozen=True)
class IdsRead:
    """The ids a read of one file found in its rows though it found problems there too:
    ``ids``, in order, and ``rows``, each one's 0-based row in the file. ``whole``: every
    row with an id is among them (False: some rows could not be read, or held an id of the
    wrong type)."""

    ids: tuple[str, ...]
    rows: tuple[int, ...]
    whole: bool


class DataError(LabelwrightError):
    """The dataset cannot be read, or a row breaks the dataset's rules.

    ``ids_read``: for an error about one file's rows, the ids its read found all the same
    (a dataset in many files compares them with the other parts' ids, to say the ids in two
    parts in the same error); None when the read did not get as far as its ids."""

    ids_read: IdsRead | None = None


class RowError(DataError):
    """One row breaks a rule of its own (a CSV record with another number of values than
    the header, a JSONL line that is no JSON object): the rows around it can still be read,
    so ``[data] bad_rows = "skip"`` leaves it out. ``reason`` is the message without where
    (file, line, row). ``whole_file``: the row reads wrong because the file is read wrong
    (its header looks separated by another delimiter), so the remedy is a setting of the
    file, and leaving rows out would only hide it."""

    def __init__(self, message: str, reason: str, whole_file: bool = False) -> None:
        super().__init__(message)
        self.reason = reason
        self.whole_file = whole_file

    def __reduce__(self) -> tuple[type, tuple[str, str, bool]]:  # from pool workers as it was
        return type(self), (str(self), self.reason, self.whole_file)


class QuoteError(DataError):
    """A quoted value of a CSV or TSV file that ``[data] quoting`` refuses: read, it would
    hold other text, or other records, than the file shows."""


class LFError(LabelwrightError):
    """A labeling function cannot be loaded or returned something that is not a vote.
    ``errors``: each error, when one raise says several (discovery: every module that
    failed to import, every name clash), one a line or over several."""

    errors: tuple[str, ...] = ()


class DuplicateLFError(LFError):
    """Two labeling functions share one name."""


class LFFailure(LFError):
    """A labeling function raised on an item and the run was told to fail fast."""


class RunFailed(LFFailure):
    """A run failed (an LF raised on every item, or on any with ``strict=True``) and was
    run with ``strict=True``: it is written all the same under ``runs/<run_id>/``, but not
    made ``runs/LATEST``; ``result`` is the run's :class:`~labelwright.project.RunResult`,
    ``result.outcome`` says why."""

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


class BadVoteError(LFError):
    """A labeling function returned something that is not a vote; ``lf_name`` names it,
    ``returned`` is the ``repr`` of what it returned (a text: the value itself may not
    pickle)."""

    def __init__(self, message: str, lf_name: str, returned: str = "") -> None:
        super().__init__(message)
        self.lf_name = lf_name
        self.returned = returned

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:  # from pool workers as it was
        return type(self), (str(self), self.lf_name, self.returned)


class UnknownGoldError(DataError):
    """Gold values that are no project label: one line per value, with its rows."""


class NoRows(DataError):
    """A dataset file without a row: an error for a dataset, while a part of a dataset in
    many files without one adds none (a job may write an empty part)."""


class GlossaryError(LabelwrightError):
    """A glossary file is malformed or inconsistent with the project. ``read``: the
    glossaries (or the parts of them) that did read, so ``check`` can still say what it
    warns of in them beside the errors."""

    def __init__(self, message: str = "", read: list[Any] | None = None) -> None:
        super().__init__(message)
        self.read = list(read or [])


#: the exit code of a command stopped by SIGTERM (128 + its 15, as for a process the
#: signal ended)
TERMINATED_EXIT = 128 + 15


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command was (:mod:`labelwright.__main__`): a
    KeyboardInterrupt, so every clean-up of Ctrl-C runs, that says which of the two stopped
    the command (``run --json`` gives its exit code, 143)."""


class RunError(LabelwrightError):
    """A run folder or one of its outputs is missing or unreadable."""


#: the exit code of a command refused because a run is being written in the project now
#: (:class:`ProjectBusy`): sysexits' EX_TEMPFAIL, "try again later", apart from 1 (a problem
#: to fix) so that a scheduled job can tell waiting from failing
BUSY_EXIT = 75


class ProjectBusy(RunError):
    """A command that must not run beside a run being written (``runs prune``, ``erase``)
    was refused: the message names the run and its writer. The CLI exits
    :data:`BUSY_EXIT`; nothing was changed, and the same command later may succeed."""


class CacheError(LabelwrightError):
    """A cache under ``.labelwright/cache`` cannot be written (a read-only folder, a full
    disk, a file where a folder must be); the message names the folder and the fixes."""


class ReviewError(LabelwrightError):
    """A review file cannot be read or holds rows that do not fit the project."""


class UnknownItemError(RunError):
    """An item id that is not in the run; the message lists the closest ids."""


class LabelwrightWarning(UserWarning):
    """Base class of the warnings labelwright gives on purpose: the CLI says each as a
    ``warning:`` line on stderr; from Python they are ordinary warnings."""


class FailedRunsPassedOver(LabelwrightWarning):
    """"The latest run" was taken from before one or more newer runs that failed: the
    message names the run taken, the failed runs and why the newest of them failed."""


def both_spellings(flag: str, keyword: str) -> str:
    """An option as a message names it when the function that raises it runs from the CLI
    and from Python alike: the command's flag, then the keyword a Python caller passes,
    ``--skip-bad-rows (skip_bad_rows=True from Python)``. Every such message says it this
    one way."""
    return f"{flag} ({keyword} from Python)"


def short_repr(value: object, limit: int = 60) -> str:
    """``repr(value)`` as a message shows a value it names: cut to ``limit`` characters,
    ending in "..." where cut."""
    shown = repr(value)
    return shown if len(shown) <= limit else shown[:limit - 3] + "..."
