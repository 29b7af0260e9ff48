"""How one LF is called on one item: bare (its resources bound once), under a time limit
(``[apply] lf_timeout``, by SIGALRM), and what is said when it raises (its traceback from
its own call on, the line that raised); and the seconds its calls took."""

from __future__ import annotations

import functools
import signal
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.import_failures import relative_import_failure
from labelwright.lfs.item import Item

#: the files of the frames that call an LF, which its traceback leaves out: this module's
#: and the chunk loop's
_CALLERS = frozenset({__file__, str(Path(__file__).with_name("core.py"))})


class LFTimeout(TimeoutError):
    """An LF ran longer than ``[apply] lf_timeout`` on one item and was stopped."""


def timeout_supported() -> bool:
    """Whether LF time limits can be enforced here (SIGALRM, in the main thread)."""
    return (hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread())


NO_TIMEOUT_HERE = ("[apply] lf_timeout needs SIGALRM, which only a process's main thread "
                   "receives; it works with the local and processes engines, not with the "
                   "dask engine or when labelwright runs in a thread; remove lf_timeout or "
                   "use engine = \"local\" or \"processes\"")


def lf_traceback(exc: BaseException) -> str:
    """The traceback of ``exc`` raised by an LF, from the LF's own call on: the frames that
    called it (the chunk loop of :mod:`labelwright.apply.core`, this module's time limit)
    are left out, as they say nothing about the LF. A time limit's error is told as raised
    where it stopped the LF: the LF's frames under the limit's message, without the
    signal handler's frame or the error it was raised from (labelwright's own frames
    and a second traceback, before)."""
    if isinstance(exc, LFTimeout) and isinstance(exc.__cause__, LFTimeout):
        frames = [frame for frame in traceback.extract_tb(exc.__cause__.__traceback__)
                  if frame.filename not in _CALLERS]
        return "".join(["Traceback (most recent call last):\n",
                        *traceback.format_list(frames),
                        *traceback.format_exception_only(type(exc), exc)])
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None \
            and tb.tb_frame.f_code.co_filename in _CALLERS:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))


def as_told(exc: BaseException) -> BaseException:
    """``exc``, raised by an LF, as its failure is told: a relative import in an LF's body
    (``from .helpers import f``) fails naming the package LF modules run in, which no user
    wrote; it is told as at an LF module's top, naming the file and what to write
    (:func:`~labelwright.lfs.import_failures.relative_import_failure`), on the same frames."""
    told = relative_import_failure(exc)
    if told is None:
        return exc
    return type(exc)(told).with_traceback(exc.__traceback__)


def ran_seconds(spent: Sequence[float], names: Sequence[str], n: int,
                needed: np.ndarray | None = None) -> dict[str, float]:
    """Each LF's seconds (``spent``, every call of it timed) in a chunk of ``n`` items, for
    the LFs that ran on one of them at least (all do, or those with a cell of
    ``needed``)."""
    runs = np.full(len(names), n) if needed is None else needed.sum(axis=0)
    return {name: seconds for name, seconds, ran in zip(names, spent, runs, strict=True)
            if ran}


def raised_line(exc: BaseException, lf: LabelingFunction) -> str:
    """``FILE:LINE`` of the line that raised (or ""): the innermost frame in the LF's own file
    (a helper or library it called may be deeper), else the innermost frame; ``lf.location``
    is only where the LF is defined. The time limit's error is raised from the one that
    interrupted the LF, whose frames say where it was."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__
    for error in reversed(chain):  # the innermost error first
        frames = traceback.extract_tb(error.__traceback__)
        own = [f for f in frames if f.filename == lf.file]
        if own or frames:
            frame = (own or frames)[-1]
            return f"{frame.filename}:{frame.lineno}"
    return ""


def raise_timeout(signum: int, frame: Any) -> None:
    raise LFTimeout()


def time_limited(call: Callable[[Item], Any], lf: LabelingFunction,
           seconds: float) -> Callable[[Item], Any]:
    """``call`` stopped with :class:`LFTimeout` after ``seconds`` (SIGALRM must be ours)."""
    timer = signal.ITIMER_REAL

    def timed(item: Item) -> Any:
        signal.setitimer(timer, seconds)
        try:
            return call(item)
        except LFTimeout as exc:
            raise LFTimeout(f"labeling function {lf.name!r} ({lf.location}) ran longer than "
                            f"the {seconds:g} s limit ([apply] lf_timeout) on item "
                            f"{item.id!r} and was stopped") from exc
        finally:
            signal.setitimer(timer, 0)

    return timed


def bare_call(lf: LabelingFunction) -> Callable[[Item], Any]:
    """The LF's function itself, without the wrapper's frame (resources bound once)."""
    if lf.resources:
        return functools.partial(lf.func, **lf.resources)
    return lf.func


def memoized_mappers(lfs: Sequence[LabelingFunction]) -> list[Any]:
    """The snorkel preprocessors of ``lfs`` that memoize (``@preprocessor(memoize=True)``,
    the spaCy preprocessor of ``@nlp_labeling_function``) and the mappers they run first,
    each once. Snorkel keys their memo by the item, and an item hashes by identity, so an
    entry is only ever hit by the LFs of the item it was made for: the chunk loop empties
    them after each item's LFs, or each apply would keep a copy of every item it saw."""
    found: dict[int, Any] = {}
    todo = [p for lf in lfs if lf.snorkel is not None for p in getattr(lf.snorkel, "_pre", [])]
    while todo:
        mapper = todo.pop()
        if id(mapper) in found:
            continue
        found[id(mapper)] = mapper
        todo.extend(getattr(mapper, "_pre", None) or [])
    return [m for m in found.values()
            if getattr(m, "memoize", False) and callable(getattr(m, "reset_cache", None))]
