"""Which engine a run applies its LFs with, from what the run names (``--engine``,
``--scheduler``, or ``engine=`` and ``scheduler=`` from Python) and ``[apply]``.

What the run names wins over the config for that run, said in a note; what contradicts
itself is an error: a scheduler and another engine both named for the run (both in the
config is the config's own error), or ``[apply] lf_timeout`` on the engine the run uses
when that is ``dask``. ``run``, ``analyze``, ``check`` and :meth:`Project.applier` all
decide here. A scheduler is an address or a ``distributed.Client``; the dask engine with
none named (by the run or ``[apply] scheduler``) uses the session's default Client when
there is one (a notebook that made a Client), else starts a LocalCluster.
"""

from __future__ import annotations

from dataclasses import dataclass

from labelwright.apply import resolve_engine
from labelwright.apply.scheduler_address import (
    Scheduler,
    scheduler_text,
    session_client,
    shown_address,
)
from labelwright.config import ProjectConfig
from labelwright.errors import ConfigError, both_spellings


@dataclass(frozen=True)
class EngineChoice:
    engine: str
    #: a Dask scheduler address or Client; None: none (a LocalCluster on dask)
    scheduler: Scheduler | None
    note: str | None = None  # a setting of [apply] this run leaves unused, and why
    session_client: bool = False  # the scheduler is the session's default Dask client


def choose_engine(config: ProjectConfig, engine: str | None = None,
                  scheduler: Scheduler | None = None, n_items: int | None = None
                  ) -> EngineChoice:
    """The engine and scheduler of a run (see the module; the session's Dask client is
    :func:`with_session_client`'s); ``n_items`` for ``auto``. A scheduler neither an
    address nor a Client is a TypeError."""
    if scheduler is not None:
        scheduler_text(scheduler)  # the TypeError
    settings = config.apply
    if scheduler and engine not in (None, "dask"):
        raise ConfigError(f"a Dask scheduler ({shown_address(scheduler)}, from "
                          f"{both_spellings('--scheduler', 'scheduler=')}) only works with "
                          f"the dask engine, and the engine is {engine!r}; pass "
                          + both_spellings("--engine dask", "engine='dask'")
                          + ", or drop the scheduler")
    note = None
    if engine not in (None, "dask") and settings.scheduler:
        note = (f"[apply] scheduler ({shown_address(settings.scheduler)}) is not used by this "
                f"run: {both_spellings(f'--engine {engine}', f'engine={engine!r}')} applies "
                "the LFs with that engine instead")
    elif scheduler and settings.engine not in (None, "dask"):
        note = (f"[apply] engine = {settings.engine!r} is not used by this run: "
                f"{both_spellings('--scheduler', 'scheduler=')} names a Dask cluster, so "
                "it applies the LFs with the dask engine")
    named = scheduler  # for this run
    if engine in (None, "dask"):
        scheduler = scheduler or settings.scheduler
    requested = engine or ("dask" if scheduler else settings.engine)
    chosen = resolve_engine(requested, n_items)
    if settings.lf_timeout is not None and chosen == "dask":
        why = (both_spellings("--engine dask", "engine='dask'") if engine else
               both_spellings("--scheduler", "scheduler=") if named else
               "[apply] engine = \"dask\"" if settings.engine else "[apply] scheduler")
        raise ConfigError(f"{config.where(('apply', 'lf_timeout'))}: [apply] lf_timeout "
                          f"cannot be enforced on the dask engine, which "
                          f"{why} chooses: Dask runs tasks in worker threads, which cannot "
                          "receive the SIGALRM timer; pass "
                          + both_spellings("--engine local", "engine='local'")
                          + " or processes for the run, or leave lf_timeout out")
    if chosen != "dask":
        return EngineChoice(chosen, None, note)
    return EngineChoice(chosen, scheduler or None, note)


def with_session_client(choice: EngineChoice) -> EngineChoice:
    """``choice``, or on the dask engine with no scheduler named, the session's default
    Dask client when there is one (said in the log when an apply uses it:
    :meth:`~labelwright.apply.Applier.start_engine`): what an applier applies on, looked
    up only where one is made (``check``'s :func:`engine_problems` applies nothing)."""
    if choice.engine != "dask" or choice.scheduler is not None:
        return choice
    client = session_client()
    if client is None:
        return choice
    return EngineChoice(choice.engine, client, choice.note, session_client=True)


def engine_problems(config: ProjectConfig) -> list[str]:
    """What a run with no engine named for it would fail on (``check``): ``[apply]
    lf_timeout`` beside a dask engine."""
    try:
        choose_engine(config)
    except ConfigError as exc:
        return [str(exc)]
    return []
