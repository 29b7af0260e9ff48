"""The label model contract shared by every model: parameters, fit and predict, save and
load.

A *label model* turns a label matrix ``L`` (``n_items x n_lfs`` ints, ``-1`` = abstain,
``0..cardinality-1`` = a vote) into probabilistic labels. Every model follows
scikit-learn's estimator contract: ``__init__`` only stores hyperparameters, ``fit`` returns
``self``, learned attributes end in ``_`` and ``random_state`` becomes a
:class:`numpy.random.Generator` inside ``fit`` (never a global seed). Its inputs are
checked by :mod:`labelwright.models.inputs`, ties broken by :mod:`labelwright.models.ties`,
and a saved model is the JSON document :mod:`labelwright.models.document` describes.
"""

from __future__ import annotations

import contextvars
import importlib
import inspect
import json
import numbers
import random
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from labelwright.matrix import LabelMatrix
from labelwright.models.document import FORMAT, FORMAT_VERSION, decode, encode, plain, read_document
from labelwright.models.gold_mix import GoldMixWarning, gold_mix_warning
from labelwright.models.input_warnings import fit_caller_stacklevel
from labelwright.models.inputs import check_class_balance, check_label_matrix, check_y_dev, is_share
from labelwright.models.learned_fields import Field, check_learned_fields
from labelwright.models.model_output import ModelContractError, probabilities, who
from labelwright.models.saved_attributes import (
    is_learned_name,
    lists_all,
    loaded_value,
    saved_value,
    unlisted,
)
from labelwright.models.snorkel_habits import keyword_hints, renamed_setting
from labelwright.models.ties import TIE_BREAKS, break_ties
from labelwright.models.unvoted_classes import UnvotedClassWarning, unvoted_classes_warning


class NotFittedError(RuntimeError):
    """A label model was used before :meth:`LabelModel.fit`."""


@contextmanager
def global_random_kept() -> Iterator[None]:
    """Python's and numpy's global random states as they were before: a first import of
    snorkel draws from numpy's, of some scikit-learn modules (``sklearn.metrics``, which
    ``model_selection`` and ``isotonic`` import) from Python's, and snorkel's fit seeds
    both; a label model's ``random_state`` must be the only randomness it touches."""
    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


#: gold votes an LF (or one of its votes) needs before they can show it voting against
#: its own class: ``dawid_skene`` lifts ``monotone`` for it, ``weighted_majority`` lets
#: its weight go below 0
MIN_GOLD_VOTES = 5


#: true while a fit's warnings about itself (EM stopping before it converged) are its
#: caller's: fits made only to be scored (cross-validation folds, estimates inside another
#: model's fit) leave them to the fit that is kept, and a project's run reports them in its
#: own warnings (the manifest's run_warnings and the report's Warnings)
_LEFT_TO_CALLER = contextvars.ContextVar("labelwright_fit_warnings_left_to_caller",
                                         default=False)


@contextmanager
def fit_warnings_left_to_caller() -> Iterator[None]:
    """Fits inside this block log no warnings about themselves: they are thrown away after
    scoring, or the caller reports what they say (see :func:`fit_warnings_wanted`)."""
    token = _LEFT_TO_CALLER.set(True)
    try:
        yield
    finally:
        _LEFT_TO_CALLER.reset(token)


def fit_warnings_wanted() -> bool:
    """Whether a fit should log warnings about itself: not inside
    :func:`fit_warnings_left_to_caller`."""
    return not _LEFT_TO_CALLER.get()


#: the methods whose unknown keywords get a hint (:func:`keyword_hints`): snorkel's
#: LabelModel takes its settings in fit and its tie policy in predict
_HINTED = ("fit", "predict", "predict_proba")


class LabelModel:
    """Base class of every label model.

    Subclasses set ``name``, list their learned attributes in ``learned_fields``, take
    hyperparameters as keyword arguments of ``__init__`` (stored unchanged under the same
    name) and implement ``_fit`` and ``_predict_proba``.
    """

    name: ClassVar[str] = "base"
    #: what each learned attribute may hold (kind, shape, range), checked on load by
    #: :func:`~labelwright.models.learned_fields.check_learned_fields`
    learned_fields: ClassVar[dict[str, Field]] = {
        "class_balance_": Field("distribution", ("k",))}
    #: the learned attributes a document holds, in its order: the names of
    #: ``learned_fields``, unless a class lists its own (those with no ``Field`` are only
    #: checked finite). A class defined outside labelwright need list none: its document
    #: also holds every other attribute its fit set whose name ends in ``_``
    #: (:mod:`~labelwright.models.saved_attributes`)
    learned_attributes: ClassVar[tuple[str, ...]] = tuple(learned_fields)
    #: hyperparameters added after documents of this model were first written, each with no
    #: effect on predictions (fit-only): a document may lack them; it must name every other
    params_added_later: ClassVar[tuple[str, ...]] = ()
    #: hyperparameters a config may give in more than their default's type (the config's
    #: type check, :func:`labelwright.config.settings.check_param_types`)
    param_kinds: ClassVar[dict[str, tuple[type, ...]]] = {}
    #: modules ``fit`` imports on first use, because they take seconds to import
    #: (scikit-learn's, for ``auto``) and most runs never need them; :meth:`prepare`
    #: imports them ahead
    fit_imports: ClassVar[tuple[str, ...]] = ()
    class_balance_: np.ndarray  # set by fit (an annotation only: unfitted models lack it)
    #: set by a project's fit (:func:`~labelwright.models.configured.fit_label_model`), not
    #: by ``fit``, and not saved with the model: where the class balance came from, in
    #: words (None: not from reviewed labels), and the reviewed labels' random-sample check
    #: (:func:`~labelwright.models.gold_use.reviewed_class_balance`; ``auto`` learns its own)
    class_balance_note_: str | None
    gold_sample_: dict[str, Any] | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "learned_fields" in cls.__dict__ and "learned_attributes" not in cls.__dict__:
            cls.learned_attributes = tuple(cls.learned_fields)
        for name in _HINTED:  # an override says what a snorkel keyword means, as ours do
            if name in cls.__dict__:
                setattr(cls, name, keyword_hints(cls.__dict__[name]))

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random") -> None:
        self.cardinality = cardinality
        self.random_state = random_state
        self.tie_break = tie_break

    def prepare(self) -> Self:
        """Import the modules ``fit`` would import on first use (:attr:`fit_imports`), so
        that a caller timing ``fit`` (``labelwright bench``) times the fit, not the imports.
        Global random states are kept, as ``fit`` keeps them."""
        with global_random_kept():
            for module in self.fit_imports:
                importlib.import_module(module)
        return self

    # -- scikit-learn style parameters -------------------------------------------------
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

    # -- fit / predict -------------------------------------------------------------------
    @keyword_hints
    def fit(self, L: Any, *, y_dev: Any = None, class_balance: Any = None) -> Self:
        """Learn from label matrix ``L``; ``y_dev`` gives gold class indices (-1 = none).
        ``class_balance``: the class prior, one share per class in order, or a mapping by
        label name when ``L`` is a :class:`~labelwright.matrix.LabelMatrix`, which names
        the labels (``{"spam": 0.1, "ham": 0.9}``, as ``[label_model] class_balance``)."""
        self.check_params()
        named = tuple(L.labels) if isinstance(L, LabelMatrix) and L.labels else ()
        L = check_label_matrix(L, self.cardinality)
        y = check_y_dev(y_dev, L.shape[0], self.cardinality)
        prior = check_class_balance(class_balance, self.cardinality, named)
        self.n_lfs_ = L.shape[1]
        self._fit(L, y, prior, np.random.default_rng(self.random_state))
        if fit_warnings_wanted():
            self._warn_of_inputs(L, y, prior, named)
        return self

    def _warn_of_inputs(self, L: np.ndarray, y: np.ndarray | None, prior: np.ndarray | None,
                        labels: tuple[str, ...]) -> None:
        """Python warnings of what the fit was given (a project's run and the bench say the
        same in their own warnings): classes no LF votes for, a class balance taken from
        gold rows of a skewed mix."""
        level = fit_caller_stacklevel(self, LabelModel)
        unvoted = unvoted_classes_warning(L, self.cardinality, labels)
        if unvoted:
            warnings.warn(unvoted, UnvotedClassWarning, stacklevel=level)
        said = gold_mix_warning(L, y, self.class_balance_, labels) if prior is None else None
        if said:
            warnings.warn(said, GoldMixWarning, stacklevel=level)

    # -- scikit-learn's learned attributes and score -----------------------------------
    @property
    def classes_(self) -> np.ndarray:
        """The classes ``predict`` gives and ``predict_proba``'s columns follow, in order:
        ``0..cardinality-1`` (scikit-learn's learned attribute; derived, not saved). An
        AttributeError before ``fit``, as scikit-learn's ``check_is_fitted`` expects."""
        self._require_fitted("classes_")
        return np.arange(self.cardinality)

    @property
    def n_features_in_(self) -> int:
        """The number of LFs (columns of ``L``) the model was fit on: ``n_lfs_`` by
        scikit-learn's name. An AttributeError before ``fit``."""
        self._require_fitted("n_features_in_")
        return int(self.n_lfs_)

    def _require_fitted(self, name: str) -> None:
        if "n_lfs_" not in vars(self):
            raise AttributeError(f"label model {self.name!r} has no {name} before it is fit; "
                                 "call fit(L) first")

    def score(self, L: Any, y: Any, *, row_ids: Any = None) -> float:
        """Accuracy of :meth:`predict` against ``y`` (a class index per row of ``L``), as
        scikit-learn's classifiers score: the share of rows labelled ``y``; rows whose ``y``
        is -1 (no gold label) are left out, and a row ``predict`` leaves at -1
        (``tie_break="abstain"``) counts as wrong. ``row_ids``: as :meth:`predict`'s, so
        ``tie_break="random"`` breaks ties by the items' id numbers, as a run does, and
        scores the labels the run gave (by row position it flips other coins)."""
        if y is None:
            raise ValueError("score: y is None; give a class index per row of L (-1: no "
                             "gold label)")
        predicted = self.predict(L, row_ids=row_ids)
        gold = check_y_dev(y, len(predicted), self.cardinality, "y")
        assert gold is not None  # check_y_dev returns an array for a y that is not None
        known = gold >= 0
        if not known.any():
            raise ValueError("score: every y is -1 (no gold label): nothing to score")
        return float(np.mean(predicted[known] == gold[known]))

    @keyword_hints
    def predict_proba(self, L: Any) -> np.ndarray:
        """Probabilistic labels: float64 ``(n_items, cardinality)``, rows sum to 1.

        Items on which every LF abstains get the class prior ``class_balance_``. What
        ``_predict_proba`` returns is checked (shape, finite, >= 0: a
        :class:`~labelwright.models.model_output.ModelContractError` naming the model) and
        each row divided by its sum.
        """
        self._check_fitted()
        L = check_label_matrix(L, self.cardinality)
        if L.shape[1] != self.n_lfs_:
            raise ValueError(f"label matrix has {L.shape[1]} LFs; "
                             f"the model was fit on {self.n_lfs_}")
        return probabilities(self, self._predict_proba(L), L.shape[0])

    def learned_accuracies(self) -> np.ndarray | None:
        """Per LF, the accuracy the fit learned for it: P(its vote is right | it votes),
        float64 ``(n_lfs,)``; None for a model that learns none (``majority``). Models that
        learn one accuracy per LF keep it as ``accuracies_`` and need nothing more; others
        derive it from what they learned (``snorkel``, from ``mu_``)."""
        self._check_fitted()
        values = getattr(self, "accuracies_", None)
        return None if values is None else np.asarray(values, dtype=np.float64)

    @keyword_hints
    def predict(self, L: Any, *, row_ids: Any = None) -> np.ndarray:
        """Class index per item (int64); ties broken by ``tie_break`` (-1 for "abstain").
        ``row_ids``: a number per row that ``"random"`` flips its coin by instead of the
        row's position (:func:`~labelwright.models.ties.id_numbers` of the items' ids:
        the same labels whatever the rows' order)."""
        return break_ties(self.predict_proba(L), self.tie_break, self._seed(), row_ids)

    def _seed(self) -> int:
        """``random_state`` as an int seed (0 when None), below 2**32 as scikit-learn's
        splitters need it."""
        return 0 if self.random_state is None else int(self.random_state) % 2**32

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_lfs_"):
            raise NotFittedError(f"label model {self.name!r} is not fitted; call fit(L) first")
        fitted = np.shape(getattr(self, "class_balance_", ()))
        if fitted and fitted[0] != self.cardinality:
            raise NotFittedError(f"label model {self.name!r} was fit with {fitted[0]} classes "
                                 f"and now has cardinality {self.cardinality}; fit it again")

    def _fit(self, L: np.ndarray, y_dev: np.ndarray | None, class_balance: np.ndarray | None,
             rng: np.random.Generator) -> None:
        raise NotImplementedError

    def _predict_proba(self, L: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    # -- save / load ---------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSON document :meth:`save` writes."""
        self._check_fitted()
        unset = [a for a in self.learned_attributes if not hasattr(self, a)]
        if unset:
            raise ModelContractError(
                f"{who(self)}: not saved: its fit did not set {', '.join(unset)}, which "
                f"{type(self).__name__}.learned_attributes lists (every model sets "
                "class_balance_, the class prior its items without a vote get)")
        learned = {a: encode(getattr(self, a)) for a in ("n_lfs_", *self.learned_attributes)}
        learned.update({a: saved_value(self, a, getattr(self, a)) for a in unlisted(self)})
        return {"format": FORMAT, "version": FORMAT_VERSION, "model": self.name,
                "params": {k: plain(v) for k, v in self.get_params().items()},
                "learned": learned}

    @classmethod
    def from_dict(cls, doc: dict[str, Any], *, where: str | None = None) -> Self:
        """Rebuild a fitted model; a document that is not one (wrong model, a field
        missing or unknown, settings or a class balance out of range) is a ValueError
        naming what is wrong (and ``where``, the file), never a model that fails later."""
        try:
            return cls._from_dict(doc)
        except (ValueError, TypeError) as exc:  # TypeError: a field of the wrong kind
            if where is None or (isinstance(exc, ValueError)
                                 and str(exc).startswith(f"{where}: ")):
                raise
            raise ValueError(f"{where}: {exc}") from None

    @classmethod
    def _from_dict(cls, doc: dict[str, Any]) -> Self:
        if doc.get("model") != cls.name:
            raise ValueError(f"document holds label model {doc.get('model')!r}, not {cls.name!r}")
        params, learned = doc.get("params"), doc.get("learned")
        if not isinstance(params, dict) or not isinstance(learned, dict):
            raise ValueError("label model document needs 'params' and 'learned' objects")
        try:
            model = cls(**params)
        except TypeError as exc:
            raise ValueError(f"label model document: params: {exc}") from None
        # a setting left out would be filled with today's default, which may predict
        # otherwise than the model that was saved (tie_break, abstain, ...)
        missing_params = [name for name in model.get_params()
                          if name not in params and name not in cls.params_added_later]
        if missing_params:
            raise ValueError(f"label model document: params {', '.join(missing_params)} "
                             f"missing (a saved {cls.name} names every setting it was fit "
                             "with)")
        known = {"n_lfs_", *cls.learned_attributes}
        # a class from outside labelwright saves the attributes its fit set, listed or not
        unknown = sorted(name for name in set(learned) - known
                         if lists_all(cls) or not is_learned_name(cls, name))
        if unknown:
            also = ("" if lists_all(cls) else
                    " (and any other name ending in _ that is no method of the class)")
            raise ValueError(f"label model document: unknown learned field(s) "
                             f"{', '.join(unknown)}; {cls.name} has "
                             f"{', '.join(sorted(known))}{also}")
        if "n_lfs_" not in learned:
            raise ValueError("label model document: learned field n_lfs_ missing")
        n_lfs = learned["n_lfs_"]
        if isinstance(n_lfs, bool) or not isinstance(n_lfs, int) or n_lfs < 1:
            raise ValueError(f"label model document: learned field n_lfs_ must be a whole "
                             f"number >= 1, got {n_lfs!r}")
        model.check_params()  # the cardinality the learned fields' shapes are checked by
        for key, value in learned.items():
            try:
                value = loaded_value(value, "its nested model") if key not in known else value
                setattr(model, key, decode(value))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"label model document: learned field {key}: {exc}") from None
        # kinds, shapes and ranges before any arithmetic (filling in a newer field included)
        check_learned_fields(model, cls.learned_fields)
        model._fill_missing()
        missing = [a for a in cls.learned_attributes if not hasattr(model, a)]
        if missing:
            raise ValueError(f"label model document: learned field(s) {', '.join(missing)} "
                             "missing")
        model._check_learned()
        return model

    def _check_learned(self) -> None:
        """Learned numbers fit together: a probe (no vote; every LF voting class c, for each
        c) gives probabilities. A ValueError otherwise. (Kinds, shapes and ranges are
        ``learned_fields``'); a learned attribute with no Field is checked finite here.)"""
        for name in (*self.learned_attributes, *unlisted(self)):
            value = getattr(self, name)
            if name not in self.learned_fields and isinstance(value, np.ndarray) \
                    and value.dtype.kind == "f" and not np.all(np.isfinite(value)):
                raise ValueError(f"label model document: learned field {name} holds "
                                 "NaN or infinite numbers")
        m, k = int(self.n_lfs_), self.cardinality
        probe = np.vstack([np.full((1, m), -1), np.repeat(np.arange(k)[:, None], m, axis=1)])
        try:
            probs = np.asarray(self._predict_proba(probe), dtype=np.float64)
        except (ValueError, IndexError, TypeError) as exc:
            raise ValueError(f"label model document: the learned fields do not fit "
                             f"{m} LFs and {k} classes ({exc})") from None
        except AttributeError as exc:  # a model of the user's: a field its file lacks
            raise ValueError(f"label model document: learned field {exc.name} missing "
                             f"({type(self).__name__}._predict_proba reads it; a file saved "
                             "before labelwright saved every fitted attribute of a model "
                             "of your own lacks it: fit and save the model again)") from None
        if probs.shape != (k + 1, k) or not np.all(np.isfinite(probs)):
            raise ValueError(f"label model document: the learned fields do not give "
                             f"probabilities for {m} LFs and {k} classes")

    def _fill_missing(self) -> None:
        """Give learned attributes newer than a loaded document the value that reproduces
        the document's predictions, so a model loaded from an older file predicts as it did
        and can be saved again. Subclasses that added learned attributes override it."""

    def save(self, path: str | Path) -> None:
        """Write the model as a JSON document (see module docstring); not a pickle."""
        doc = self.to_dict()  # its own errors name the attribute
        try:
            text = json.dumps(doc, allow_nan=False)
        except ValueError:
            raise ValueError(f"{path}: not saved: the model's learned numbers hold NaN or "
                             "infinite values (a fit that went wrong)") from None
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Self:
        return cls.from_dict(read_document(path), where=str(path))
