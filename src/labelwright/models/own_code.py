"""A label model's own methods (``_fit``, ``_predict_proba``) called on read-only views of
what the caller gave, and what goes wrong inside them said of the model.

:meth:`~labelwright.models.base.LabelModel.fit` checks the label matrix and ``y_dev`` but
keeps the caller's arrays (no copy of a large matrix): a model that wrote into them had
changed the caller's data silently (a project's saved label matrix lost its abstains, and
every model the bench fit after it saw the changed votes). A read-only view costs nothing,
and numpy's "assignment destination is read-only" becomes an error naming the model and
the method to fix.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.models.model_output import ModelContractError, who

#: the folders of labelwright's and numpy's code: a frame in neither is the model's own
_LIBRARIES = (str(Path(__file__).parents[1]), str(Path(np.__file__).parent))

#: what numpy says of a write into an array whose ``writeable`` flag is off
_READ_ONLY = "read-only"


def read_only(arr: np.ndarray) -> np.ndarray:
    """A view of ``arr`` that cannot be written into (the same memory, no copy)."""
    view = arr.view()
    view.flags.writeable = False
    return view


@contextmanager
def model_method(model: Any, method: str) -> Iterator[None]:
    """Run a call of ``model``'s ``method`` (``"_fit"``) inside: a write into one of its
    read-only inputs is a :class:`ModelContractError` naming the model and the method."""
    try:
        yield
    except ValueError as exc:
        if _READ_ONLY not in str(exc) or isinstance(exc, ModelContractError):
            raise
        raise ModelContractError(
            f"{who(model)}: {method} wrote into an array it was given ({exc}"
            f"{_raised_at(exc)}); the label matrix and y_dev are the caller's and given "
            "read-only: copy one before changing it (L = L.copy())") from None


def _raised_at(exc: BaseException) -> str:
    """``, at /project/my_models.py line 14``: the last frame of the traceback outside
    labelwright and numpy, where the model's own code raised; empty when none is found."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if not frame.filename.startswith(_LIBRARIES):
            return f", at {frame.filename} line {frame.lineno}"
    return ""
