"""What snorkel's call habits mean for a label model here, said in the TypeError or
ValueError a wrong keyword gives: snorkel's ``LabelModel`` takes its hyperparameters and
``seed`` in ``fit(L_train, Y_dev=..., n_epochs=..., seed=...)`` and its tie policy in
``predict(L, tie_break_policy=...)``; here a model takes its settings when it is made
(``get_model(name, n_epochs=..., random_state=...)``, or ``set_params``), ``seed`` is
``random_state`` and ``tie_break_policy`` is the ``tie_break`` setting.

:func:`keyword_hints` wraps a model's ``fit``, ``predict`` and ``predict_proba`` (every
subclass's too, :meth:`~labelwright.models.base.LabelModel.__init_subclass__`), so a
keyword none of them takes fails as Python's own would, a TypeError, with the hint added;
:func:`renamed_setting` gives the hint for a setting spelt the snorkel way (``get_model``,
``set_params``, ``[label_model]``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from labelwright.models.ties import TIE_BREAKS
from labelwright.spelling import did_you_mean

#: snorkel's names of label model settings -> labelwright's
RENAMED_SETTINGS = {"seed": "random_state", "tie_break_policy": "tie_break"}
#: snorkel ``LabelModel.fit`` keywords that have no counterpart here (labelwright's fit
#: logs no epochs and shows no progress bar; its optimizer has no such options)
WITHOUT_COUNTERPART = ("log_freq", "progress_bar", "optimizer_config", "lr_scheduler",
                       "lr_scheduler_config")
#: snorkel ``LabelModel(...)`` options that have no counterpart here (labelwright's fit
#: logs no epochs, and its label models fit on the CPU)
MODEL_WITHOUT_COUNTERPART = ("verbose", "device")
#: hyperparameters of the ``snorkel`` model that snorkel's fit takes
SNORKEL_TRAIN = ("n_epochs", "lr", "l2", "optimizer", "prec_init", "mu_eps")

F = TypeVar("F", bound=Callable[..., Any])


def renamed_setting(key: str) -> str:
    """``; snorkel's seed is random_state here`` for a setting snorkel names otherwise,
    else ``""``."""
    new = RENAMED_SETTINGS.get(key)
    return f"; snorkel's {key} is {new} here" if new else ""


def keyword_hints(method: F) -> F:
    """``method`` (a label model's), raising a TypeError that says what each keyword it
    does not take means here (:func:`unexpected_keywords`) before calling it."""
    if getattr(method, "_keyword_hints", False):
        return method
    parameters = inspect.signature(method).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return method
    accepted = [p.name for p in parameters if p.name != "self" and p.kind in (
        inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)]
    by_position = [p.name for p in parameters if p.name != "self" and p.kind in (
        inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    gold_by_keyword = "y_dev" in accepted and "y_dev" not in by_position

    @functools.wraps(method)
    def checked(self: Any, *args: Any, **kwargs: Any) -> Any:
        if gold_by_keyword and len(args) > len(by_position):
            raise TypeError(positional_gold(self, method.__name__, by_position, len(args)))
        unknown = [key for key in kwargs if key not in accepted]
        if unknown:
            raise TypeError(unexpected_keywords(self, method.__name__, unknown, kwargs,
                                                accepted))
        return method(self, *args, **kwargs)

    checked._keyword_hints = True  # type: ignore[attr-defined]
    return checked  # type: ignore[return-value]


def positional_gold(model: Any, method: str, by_position: Sequence[str], given: int) -> str:
    """Python's message for ``given`` positional arguments where ``method`` takes
    ``by_position``, then how to pass gold labels: ``y_dev=`` is keyword-only (scikit-learn's
    ``fit(X, y)`` gives them by position)."""
    return (f"{type(model).__name__}.{method}() takes {len(by_position)} positional "
            f"argument{'s' if len(by_position) != 1 else ''} ({', '.join(by_position)}) but "
            f"{given} were given: pass gold labels by keyword, {method}(L, y_dev=y) (a class "
            "index per row of L, -1 where there is none); y_dev is keyword-only, so that no "
            "other argument is read as gold labels")


def unexpected_keywords(model: Any, method: str, unknown: Sequence[str],
                        given: Mapping[str, Any], accepted: Sequence[str]) -> str:
    """Python's message for keywords ``method`` does not take, then what each means here:
    a setting given to fit (``n_epochs``, snorkel's ``seed``), a keyword spelt otherwise
    (``Y_dev``), snorkel's ``tie_break_policy`` and ``return_probs``, an option without a
    counterpart; and what ``method`` takes."""
    s = "s" if len(unknown) > 1 else ""
    said = (f"{type(model).__name__}.{method}() got {'an ' if not s else ''}unexpected "
            f"keyword argument{s} {', '.join(map(repr, unknown))}")
    params = model.get_params()
    settings = {RENAMED_SETTINGS.get(key, key): _setting_value(key, given[key])
                for key in unknown if RENAMED_SETTINGS.get(key, key) in params}
    hints = []
    if settings:
        shown = ", ".join(f"{key}={_shown(value)}" for key, value in settings.items())
        hints.append(f"a label model takes its settings when it is made, not in {method}() "
                     f"as snorkel's LabelModel does: get_model({model.name!r}, {shown}), or "
                     f"model.set_params({shown}) before {method}()")
    hints += [hint for key in unknown if (hint := _one_hint(model, key, given[key], params,
                                                            accepted, settings))]
    takes = ", ".join(accepted)
    return f"{said}: {'; '.join(hints)}; {method}() takes {takes}" if hints \
        else f"{said}; {method}() takes {takes}"


def _one_hint(model: Any, key: str, value: Any, params: Mapping[str, Any],
              accepted: Sequence[str], settings: Mapping[str, Any]) -> str:
    """What the keyword ``key`` (given ``value``) means here, beside the settings hint."""
    renamed = RENAMED_SETTINGS.get(key)
    if renamed in settings:
        if key == "tie_break_policy":
            return ("snorkel's tie_break_policy is the tie_break setting here "
                    f"({', '.join(TIE_BREAKS)}; snorkel's default is 'abstain', "
                    "labelwright's 'random'; snorkel's 'true-random' has no counterpart)")
        return f"snorkel's {key} is {renamed} here"
    if key in settings:
        return ""
    if key == "Y_dev" and "y_dev" in accepted:
        return ("did you mean 'y_dev'? It holds a class index for each row of L, -1 where "
                "there is none (snorkel's Y_dev holds the dev items' labels alone)")
    if key == "return_probs":
        return "predict_proba(L) gives the probabilistic labels (predict gives the labels)"
    if key in WITHOUT_COUNTERPART or key in MODEL_WITHOUT_COUNTERPART:
        return f"snorkel's {key} has no counterpart here: leave it out"
    if key in SNORKEL_TRAIN:
        return (f"{key} is a setting of the 'snorkel' label model, not of {model.name!r}: "
                f"get_model('snorkel', {key}={_shown(value)})")
    guess = did_you_mean(key, accepted)
    return guess.strip()


def _setting_value(key: str, value: Any) -> Any:
    """The value of labelwright's setting for snorkel's ``key`` given ``value``: snorkel's
    ``tie_break_policy="true-random"`` is ``tie_break="random"`` at its nearest."""
    return "random" if key == "tie_break_policy" and value == "true-random" else value


def _shown(value: Any) -> str:
    """``value`` as the call to write would give it: a number, text or bool as written,
    anything else as ``...``."""
    return repr(value) if value is None or isinstance(value, bool | int | float | str) \
        else "..."
