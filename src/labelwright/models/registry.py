"""Label models found by name, catalogue-style: ``get_model("dawid_skene", cardinality=3)``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from labelwright.errors import LabelwrightError
from labelwright.models.base import LabelModel
from labelwright.models.document import read_document
from labelwright.models.init_contract import made
from labelwright.models.snorkel_habits import renamed_setting
from labelwright.spelling import closest, did_you_mean

#: the model labelwright uses when there is no gold. Dawid–Skene with abstains informing
#: the fit only (LFs that vote one class stay identifiable, as in snorkel), a class balance
#: learned by EM without gold only from >= 3 LFs that vote several classes (EM-learned
#: balances collapse on sparse one-sided LFs; else equal classes, or with >= 3 classes
#: whose votes are 3:1 apart the votes' estimate) and no vote read against its own
#: class -- DawidSkene's own defaults, spelled out here:
#: multi-class, sparse EM, fits 10M x 50 int8 in < 2 GiB; see benchmarks/RESULTS.md.
DEFAULT_MODEL = "dawid_skene"
#: hyperparameters of the default model (chosen once on general grounds, not per dataset)
DEFAULT_PARAMS: dict[str, Any] = {"abstain": "fit_only", "learn_class_balance": "auto",
                                  "monotone": True}

_REGISTRY: dict[str, Callable[..., LabelModel]] = {}


class UnknownModelError(LabelwrightError, ValueError):
    """A label model name that is not registered; the message lists the valid names."""


def register(name: str, factory: Callable[..., LabelModel], *, replace: bool = False
             ) -> None:
    """Make ``factory`` (a :class:`LabelModel` subclass, or a function that returns a
    model) available as ``name``. A class that is no LabelModel is a TypeError, and a
    built-in model's name (``majority``) a ValueError unless ``replace`` is true: either
    had been taken silently, and every run, bench and ``load_model`` of that name in the
    process then used the other class. The same class registered again (its module
    imported once more) replaces itself."""
    if isinstance(factory, type) and not issubclass(factory, LabelModel):
        raise TypeError(f"register({name!r}, {_described(factory)}): not a LabelModel "
                        "subclass; a label model subclasses labelwright.models.LabelModel "
                        "and implements _fit and _predict_proba (README: \"Your own label "
                        "model\"), or is a function that returns one")
    taken = _REGISTRY.get(name)
    if not replace and taken is not None and _is_built_in(taken) \
            and _described(taken) != _described(factory):
        raise ValueError(f"register({name!r}, {_described(factory)}): {name!r} is the "
                         f"built-in label model {_described(taken)}; register yours under a "
                         f"name of its own (and set its class's name to it: its saved files "
                         f"carry it), or pass replace=True to replace the built-in in this "
                         f"process")
    _REGISTRY[name] = factory


def _is_built_in(factory: object) -> bool:
    return str(getattr(factory, "__module__", "")).startswith("labelwright.")


def _described(factory: object) -> str:
    """``my_models.AccuracyVote``: where a class or function is defined."""
    return f"{getattr(factory, '__module__', '?')}.{getattr(factory, '__qualname__', factory)}"


def available_models() -> list[str]:
    """Registered names, sorted (``"default"`` and ``"auto"`` included)."""
    return sorted(_REGISTRY)


def unknown_model(name: str) -> UnknownModelError:
    """The error for a ``name`` no model is registered as: the valid names, and the one
    meant when it is spelt close to one (``snorkle``: ``did you mean 'snorkel'?``)."""
    valid = available_models()
    guess = _module_class_guess(name) or did_you_mean(name, valid)
    return UnknownModelError(f"unknown label model {name!r}; {guess}"
                             f"available: {', '.join(valid)}")


def _module_class_guess(name: str) -> str:
    """``did you mean 'my_models:AccuracyVote'? `` for a class of the user's named with a
    dot, as Python imports it (``my_models.AccuracyVote``): a name of one is
    ``module:Class``. Empty for a name of another form."""
    module, dot, cls = name.rpartition(".")
    if not (dot and cls.isidentifier() and cls[:1].isupper()
            and all(part.isidentifier() for part in module.split("."))):
        return ""
    return f"did you mean '{module}:{cls}'? (a class of your own is module:Class) "


def get_model(name: str, cardinality: int = 2, **params: Any) -> LabelModel:
    """A new, unfitted label model by registry name.

    ``"default"`` is an alias: it returns the default model class (``DEFAULT_MODEL``) with
    ``DEFAULT_PARAMS`` unless overridden, so its ``name`` is the concrete model's name.
    """
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise unknown_model(name) from None
    valid = made(factory, name, cardinality, {}).get_params()
    unknown = sorted(set(params) - set(valid))
    if unknown:  # a TypeError, as a wrong keyword is
        renamed = "".join(renamed_setting(key) for key in unknown)
        raise TypeError(f"label model {name!r} has no setting{'s' if len(unknown) > 1 else ''} "
                        f"{', '.join(map(repr, unknown))}{renamed}; "
                        f"{setting_guess(unknown, valid)}valid: {', '.join(valid)}")
    return made(factory, name, cardinality, params)


def setting_guess(unknown: Sequence[str], valid: Iterable[str]) -> str:
    """``did you mean 'prior_strength'? `` (with its trailing space) for a setting spelt
    close to a valid one (``prior_strenght``); with several unknown, each close one is
    named with its guess (``did you mean 'a' for 'aa', 'b' for 'bb'? ``); else ``""``."""
    valid = list(valid)
    if len(unknown) == 1:
        return did_you_mean(unknown[0], valid)
    guesses = [(name, closest(name, valid)) for name in unknown]
    named = [f"{guess!r} for {name!r}" for name, guess in guesses
             if guess is not None and guess != name]
    return f"did you mean {', '.join(named)}? " if named else ""


def default_model(cardinality: int = 2, **params: Any) -> LabelModel:
    return get_model(DEFAULT_MODEL, cardinality, **{**DEFAULT_PARAMS, **params})


def model_from_dict(doc: dict[str, Any], where: str = "document") -> LabelModel:
    """Rebuild a fitted model from :meth:`LabelModel.to_dict` output, whatever its class."""
    name = str(doc.get("model"))
    factory = _REGISTRY.get(name)
    if not isinstance(factory, type) or not issubclass(factory, LabelModel):
        # an alias ("default") names no class: a saved model names the one it is
        classes = sorted(n for n, f in _REGISTRY.items()
                         if isinstance(f, type) and issubclass(f, LabelModel))
        raise UnknownModelError(
            f"{where}: unknown label model {name!r}; a saved model names its class, one of: "
            f"{', '.join(classes)} (a model of your own is known once the module that "
            "defines it is imported and registers it, or a run has imported it by its "
            "[label_model] name, module:Class)"
        )
    return factory.from_dict(doc, where=where)


def load_model(path: str | Path) -> LabelModel:
    """Load a model written by :meth:`LabelModel.save`, whatever its class."""
    return model_from_dict(read_document(path), str(path))
