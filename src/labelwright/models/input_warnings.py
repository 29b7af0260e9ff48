"""The Python warnings ``fit`` gives of what it was given (not of how the fit went): gold
rows that set a skewed class balance, classes no LF votes for. A project's run and the bench
say the same in their own warnings and notes, so their fits leave these out
(:func:`inputs_said_elsewhere`)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager


class FitInputWarning(UserWarning):
    """What a label model's ``fit`` was given needs a look; the fit itself is unchanged."""


class GoldMixWarning(FitInputWarning):
    """A class balance was taken from gold rows that leave a class out, or whose class mix
    is far from the votes' (:func:`~labelwright.models.gold_mix.gold_mix_warning`)."""


class UnvotedClassWarning(FitInputWarning):
    """A class gets no vote from any LF in the label matrix a model was fit on
    (:func:`~labelwright.models.unvoted_classes.unvoted_classes_warning`)."""


@contextmanager
def inputs_said_elsewhere() -> Iterator[None]:
    """Fits inside this block give no :class:`FitInputWarning`: their caller says it in its
    own words (a run's warnings)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FitInputWarning)
        yield
