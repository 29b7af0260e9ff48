"""Whether a fit gives its warnings about itself, or leaves them all to its caller.

A label model's ``fit`` warns of how the fit went (EM stopping before it converged, one-sided
LFs held without gold, snorkel's fall-back to a majority vote, ``auto``'s missing labels) and
of what it was given (:mod:`labelwright.models.input_warnings`). Fits made only to be scored
(cross-validation folds, estimates inside another model's fit) and fits whose caller reports
all of it in its own words (a project's run, the bench) give none of them: they run inside
:func:`fit_warnings_left_to_caller`, and each model asks :func:`fit_warnings_wanted` before it
gives a warning. A caller that says only what the fit was given, and wants the
fit's word on how it went, uses
:func:`~labelwright.models.input_warnings.inputs_said_elsewhere` instead.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

#: true while a fit's warnings about itself (EM stopping before it converged) are its
#: caller's: fits made only to be scored (cross-validation folds, estimates inside another
#: model's fit) leave them to the fit that is kept, and a project's run reports them in its
#: own warnings (the manifest's run_warnings and the report's Warnings)
_LEFT_TO_CALLER = contextvars.ContextVar("labelwright_fit_warnings_left_to_caller",
                                         default=False)


@contextmanager
def fit_warnings_left_to_caller() -> Iterator[None]:
    """Fits inside this block log no warnings about themselves: they are thrown away after
    scoring, or the caller reports what they say (see :func:`fit_warnings_wanted`).

    All of a fit's warnings: of what it was given and of how the fit went (EM stopping
    before it converged, ...). Unlike
    :func:`~labelwright.models.input_warnings.inputs_said_elsewhere`, which hides only the
    warnings of what it was given
    (:class:`~labelwright.models.input_warnings.FitInputWarning`) and lets the fit log how
    it went."""
    token = _LEFT_TO_CALLER.set(True)
    try:
        yield
    finally:
        _LEFT_TO_CALLER.reset(token)


def fit_warnings_wanted() -> bool:
    """Whether a fit should log warnings about itself: not inside
    :func:`fit_warnings_left_to_caller`."""
    return not _LEFT_TO_CALLER.get()


#: which fit a fit's own log lines are about (:func:`fit_named`), outermost first
_FIT_NAMES: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "labelwright_fit_names", default=())


@contextmanager
def fit_named(what: str) -> Iterator[None]:
    """Fits inside this block say which fit they are in the lines they log about
    themselves (EM stopping before it converged): ``what``, after the names of the blocks
    around it (``label model comparison, model 'auto'``, then ``auto's chosen dawid_skene,
    refit on all items``), so that two such lines of one comparison are told apart."""
    token = _FIT_NAMES.set((*_FIT_NAMES.get(), what))
    try:
        yield
    finally:
        _FIT_NAMES.reset(token)


def fit_name() -> str:
    """``"<what>; <what>: "``, the names of the :func:`fit_named` blocks this fit is in, to
    lead a line it logs; ``""`` outside them."""
    names = _FIT_NAMES.get()
    return f"{'; '.join(names)}: " if names else ""
