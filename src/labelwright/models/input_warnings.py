"""The Python warnings ``fit`` gives of what it was given (not of how the fit went): gold
rows that set a skewed class balance, classes no LF votes for, a matrix of abstains only.
A project's run and the bench say the same in their own warnings and notes, so their fits
leave these out (:func:`inputs_said_elsewhere`)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class FitInputWarning(UserWarning):
    """What a label model's ``fit`` was given needs a look; the fit itself is unchanged."""


class GoldMixWarning(FitInputWarning):
    """A class balance was taken from gold rows that leave a class out, or whose class mix
    is far from the votes' (:func:`~labelwright.models.gold_mix.gold_mix_warning`)."""


class UnvotedClassWarning(FitInputWarning):
    """A class gets no vote from any LF in the label matrix a model was fit on
    (:func:`~labelwright.models.unvoted_classes.unvoted_classes_warning`)."""


class NoVotesWarning(UnvotedClassWarning):
    """No LF votes on any item of the label matrix a model was fit on: it learns nothing,
    and every item gets the class prior (ties broken by ``tie_break``)."""


@contextmanager
def inputs_said_elsewhere() -> Iterator[None]:
    """Fits inside this block give no :class:`FitInputWarning`: their caller says it in its
    own words (a run's warnings).

    Only the warnings of what the fit was given: a fit inside still logs how it went (EM
    stopping before it converged, one-sided LFs held without gold, ...), as the comparison of
    label models and ``auto``'s inner fit want. A caller that reports those too, or a fit
    only to be scored, uses
    :func:`~labelwright.models.fit_warnings.fit_warnings_left_to_caller`, which silences
    both."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitInputWarning)
        yield


#: frames from the warning's call to ``LabelModel.fit``'s caller: the method that warns,
#: ``LabelModel.fit`` and its keyword-hint wrapper
BASE_FIT_FRAMES = 4


def fit_caller_stacklevel(model: Any, base: type) -> int:
    """The ``stacklevel`` that puts a fit's warning at the line that called ``fit``, not
    inside labelwright: each class between ``type(model)`` and ``base`` (``LabelModel``)
    that overrides ``fit`` and calls ``super().fit`` adds its frame, its keyword-hint
    wrapper's and, for a class of the user's own, the wrapper that checks it returns the
    model (:mod:`~labelwright.models.overridden_methods`). ``auto``'s own ``fit`` had put
    the warning at its ``super().fit`` line."""
    level = BASE_FIT_FRAMES
    for klass in type(model).__mro__:
        if klass is base:
            break
        override = klass.__dict__.get("fit")
        if override is not None:  # its frame, and one per wrapper around it
            level += 1 + bool(getattr(override, "_keyword_hints", False)) \
                + bool(getattr(override, "_return_checked", False))
    return level
