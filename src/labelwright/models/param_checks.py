"""A label model's hyperparameters as scikit-learn reads them, and the checks of their values.

:class:`ParamChecks` is a mixin of :class:`~labelwright.models.base.LabelModel`: the names
``__init__`` takes are the hyperparameters (``get_params``, ``set_params``), and
``check_params`` refuses a value the model cannot use before any fit, naming the setting and
what it may be, so a project's config is checked with it. A model with options of its own
overrides ``_check_params`` and calls the ``_require_*`` helpers.
"""

from __future__ import annotations

import inspect
import numbers
from typing import Any, ClassVar, Self

import numpy as np

from labelwright.models.inputs import is_share
from labelwright.models.snorkel_habits import renamed_setting
from labelwright.models.ties import TIE_BREAKS


class ParamChecks:
    """Hyperparameters listed, set and checked (a mixin of ``LabelModel``, which sets the
    three every model has: ``cardinality``, ``random_state`` and ``tie_break``)."""

    name: ClassVar[str]
    #: hyperparameters a config may give in more than their default's type (the config's
    #: type check, :func:`labelwright.config.model_settings.check_param_types`)
    param_kinds: ClassVar[dict[str, tuple[type, ...]]] = {}
    cardinality: int
    random_state: int | None
    tie_break: str

    @classmethod
    def _param_names(cls) -> list[str]:
        sig = inspect.signature(cls.__init__)
        return [p for p in sig.parameters if p != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Hyperparameters, as passed to ``__init__`` (JSON-serialisable)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Self:
        valid = self._param_names()
        for key, value in params.items():
            if key not in valid:
                raise ValueError(
                    f"unknown parameter {key!r} for label model {self.name!r}"
                    f"{renamed_setting(key)}; valid: {', '.join(valid)}"
                )
            setattr(self, key, value)
        return self

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"

    def check_params(self) -> Self:
        """Raise ValueError naming a hyperparameter whose value the model cannot use (an
        unknown option, or one the number of classes rules out), before any fit: a project
        checks its config with it."""
        if self.tie_break not in TIE_BREAKS:
            raise ValueError(f"unknown tie_break {self.tie_break!r}; "
                             f"valid: {', '.join(TIE_BREAKS)}")
        k = self.cardinality
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise ValueError(f"cardinality must be an int >= 2, got {k!r}")
        if k < 2:
            raise ValueError(f"cardinality must be >= 2, got {k}")
        seed = self.random_state
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)
                                 or int(seed) < 0):
            raise ValueError(f"random_state must be None or a whole number >= 0, got {seed!r}")
        self._check_params()
        return self

    def _require_bool(self, name: str) -> None:
        """True or false (1 and 0 count: documents and configs have held them)."""
        value = getattr(self, name)
        if not (isinstance(value, bool | np.bool_)
                or (isinstance(value, numbers.Integral) and int(value) in (0, 1))):
            raise ValueError(f"{name} must be true or false, got {value!r}")

    def _require_share(self, name: str, *, per_lf: bool = False) -> None:
        """A number above 0 and at most 1 (an accuracy or precision); with ``per_lf``, one
        such number or a list of them."""
        value = getattr(self, name)
        values = np.ravel(np.asarray(value, dtype=object)) if per_lf else [value]
        if not len(values) or not all(is_share(v) for v in values):
            raise ValueError(f"{name} must be a number above 0 and at most 1"
                             f"{' (or one per LF)' if per_lf else ''}, got {value!r}")

    def _require_positive(self, name: str) -> None:
        value = getattr(self, name)
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not float(value) > 0:
            raise ValueError(f"{name} must be > 0, got {value!r}")

    def _require_choice(self, name: str, valid: tuple[str, ...]) -> None:
        value = getattr(self, name)
        if value not in valid:
            raise ValueError(f"unknown {name} {value!r}; valid: {', '.join(valid)}")

    def _check_params(self) -> None:
        """Models with options to validate override this."""

    def _require_number(self, name: str, low: float, high: float | None = None, *,
                        whole: bool = False) -> None:
        """The setting ``name`` is a number (a whole one if ``whole``) ``>= low``, or strictly
        between ``low`` and ``high``; numpy numbers count, bools do not."""
        value = getattr(self, name)
        kind = numbers.Integral if whole else numbers.Real
        ok = isinstance(value, kind) and not isinstance(value, bool)
        if ok and high is not None:
            ok = low < float(value) < high
        elif ok:
            ok = float(value) >= low
        if not ok:
            says = (f"strictly between {low:g} and {high:g}" if high is not None
                    else f"a whole number >= {low:g}" if whole else f">= {low:g}")
            kind_of = ("" if isinstance(value, numbers.Real) and not isinstance(value, bool)
                       else f" ({type(value).__name__}, not a number)")
            raise ValueError(f"{name} must be {says}, got {value!r}{kind_of}")
