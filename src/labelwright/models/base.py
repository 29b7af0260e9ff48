"""The label model contract shared by every model: validation, tie-breaks, save and load.

A *label model* turns a label matrix ``L`` (``n_items x n_lfs`` ints, ``-1`` = abstain,
``0..cardinality-1`` = a vote) into probabilistic labels. Every model follows
scikit-learn's estimator contract: ``__init__`` only stores hyperparameters, ``fit`` returns
``self``, learned attributes end in ``_`` and ``random_state`` becomes a
:class:`numpy.random.Generator` inside ``fit`` (never a global seed).

Saved models are JSON documents::

    {"format": "labelwright.label_model", "version": 1, "model": "dawid_skene",
     "params": {...hyperparameters...},
     "learned": {"class_balance_": {"dtype": "float64", "shape": [2], "data": [...]}, ...}}
"""

from __future__ import annotations

import contextvars
import hashlib
import importlib
import inspect
import json
import numbers
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

FORMAT = "labelwright.label_model"
FORMAT_VERSION = 1
TIE_BREAKS = ("abstain", "first", "random")
#: classes whose probabilities are within this of the row maximum tie (see break_ties)
TIE_TOL = 1e-5


class NotFittedError(RuntimeError):
    """A label model was used before :meth:`LabelModel.fit`."""


def row_max(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=1, keepdims=True)``, column by column: much faster for few columns."""
    out = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        np.maximum(out, a[:, c], out=out)
    return out[:, None]


def row_sum(a: np.ndarray) -> np.ndarray:
    """``a.sum(axis=1, keepdims=True)``, column by column: much faster for few columns."""
    out = a[:, 0].copy()
    for c in range(1, a.shape[1]):
        out += a[:, c]
    return out[:, None]


def check_label_matrix(L: Any, cardinality: int) -> np.ndarray:
    """Return ``L`` as a 2-D integer array, or raise ValueError saying what is wrong and where."""
    if isinstance(cardinality, bool) or not isinstance(cardinality, int | np.integer):
        raise ValueError(f"cardinality must be an int >= 2, got {cardinality!r}")
    if cardinality < 2:
        raise ValueError(f"cardinality must be >= 2, got {cardinality}")
    arr = _nullable_ints(L)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise ValueError(
            f"label matrix must hold integers (-1 = abstain, 0..{cardinality - 1} = votes), "
            f"got dtype {arr.dtype}"
        )
    if arr.ndim != 2:
        raise ValueError(
            f"label matrix must be 2-D (n_items, n_lfs), got {arr.ndim}-D shape {arr.shape}"
        )
    n, m = arr.shape
    if n == 0:
        raise ValueError("label matrix has 0 items (rows); a label model needs at least one")
    if m == 0:
        raise ValueError("label matrix has 0 labeling functions (columns); need at least one")
    lo, hi = arr.min(), arr.max()
    if lo < -1 or hi >= cardinality:
        bad = (arr < -1) | (arr >= cardinality)
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise ValueError(
            f"label matrix value {int(arr[row, col])} at row {row}, column {col} is out of "
            f"range; expected -1 (abstain) or 0..{cardinality - 1} for cardinality {cardinality}"
        )
    return arr


def _is_share(value: Any) -> bool:
    return (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and 0.0 < float(value) <= 1.0)


def _nullable_ints(L: Any) -> np.ndarray:
    """``L`` as an array; a pandas frame of nullable integer columns (``Int64``) with no
    missing value is its plain integers (numpy alone would give objects)."""
    dtypes = getattr(L, "dtypes", None) if hasattr(L, "columns") else None  # a DataFrame
    if dtypes is not None and hasattr(L, "to_numpy") and len(dtypes) and all(
            getattr(t, "kind", None) in ("i", "u") for t in dtypes) \
            and not L.isna().to_numpy().any():
        return L.to_numpy(dtype=np.int64)
    return np.asarray(L)


def check_y_dev(y_dev: Any, n: int, cardinality: int) -> np.ndarray | None:
    """Return ``y_dev`` as an int64 array of length ``n`` (-1 = no gold), or None."""
    if y_dev is None:
        return None
    y = np.asarray(y_dev)
    if y.ndim != 1 or len(y) != n:
        raise ValueError(f"y_dev must be 1-D with one entry per item ({n}), got shape {y.shape}")
    if y.dtype == bool or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y_dev must hold integers (-1 = no gold), got dtype {y.dtype}")
    bad = (y < -1) | (y >= cardinality)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"y_dev value {int(y[row])} at row {row} is out of range; "
            f"expected -1 (no gold) or 0..{cardinality - 1}"
        )
    return y.astype(np.int64, copy=False)


def check_class_balance(class_balance: Any, cardinality: int) -> np.ndarray | None:
    """Return ``class_balance`` as k positive priors summing to 1, or None."""
    if class_balance is None:
        return None
    if isinstance(class_balance, str):  # the config's "votes" is resolved by the project
        raise ValueError(f"class_balance must be {cardinality} shares summing to 1, got "
                         f"{class_balance!r} (a project's class_balance = \"votes\" is "
                         "estimated from the votes before the fit: see "
                         "labelwright.models.class_prior)")
    try:
        p = np.asarray(class_balance, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"class_balance must be {cardinality} shares summing to 1, got "
                         f"{class_balance!r}") from None
    if p.shape != (cardinality,):
        raise ValueError(f"class_balance must have {cardinality} entries, got shape {p.shape}")
    if np.any(p <= 0) or not np.isclose(p.sum(), 1.0, atol=1e-6):
        raise ValueError(f"class_balance must be positive and sum to 1, got {p.tolist()}")
    return p / p.sum()


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


def row_hash(rows: np.ndarray, seed: int) -> np.ndarray:
    """Deterministic per-row hash: SHA-1 of the row index plus ``seed``.

    With ``seed=0`` this is snorkel's ``probs_to_preds(tie_break_policy="random")`` hash,
    so majority vote reproduces WRENCH's published numbers.
    """
    return np.array(
        [int(hashlib.sha1(str(int(i)).encode()).hexdigest(), 16) + seed for i in rows],
        dtype=object,
    )


def break_ties(probs: np.ndarray, tie_break: str, seed: int = 0,
               row_ids: np.ndarray | None = None) -> np.ndarray:
    """Turn probabilistic labels into class indices, breaking ties by ``tie_break``.

    Classes within :data:`TIE_TOL` of the row maximum tie. ``"abstain"`` gives -1,
    ``"first"`` the lowest tied class, ``"random"`` a tied class chosen by :func:`row_hash`
    of the row index (``row_ids[i]`` for row ``i`` when given: rows taken out of a larger
    matrix get the coin flips they get there).
    """
    if tie_break not in TIE_BREAKS:
        raise ValueError(f"unknown tie_break {tie_break!r}; valid: {', '.join(TIE_BREAKS)}")
    preds = probs.argmax(axis=1).astype(np.int64)
    tied = row_sum((probs >= row_max(probs) - TIE_TOL).astype(np.int8))[:, 0] > 1
    rows = np.flatnonzero(tied)
    if len(rows) == 0:
        return preds
    if tie_break == "abstain":
        preds[rows] = -1
        return preds
    near = probs[rows] >= probs[rows].max(axis=1, keepdims=True) - TIE_TOL
    if tie_break == "first":
        preds[rows] = near.argmax(axis=1)
        return preds
    n_tied = near.sum(axis=1)
    ids = rows if row_ids is None else np.asarray(row_ids, dtype=np.int64)[rows]
    pick = (row_hash(ids, seed) % n_tied).astype(np.int64)
    # position of the pick-th tied class in each row
    rank = np.cumsum(near, axis=1) - 1
    preds[rows] = np.argmax(near & (rank == pick[:, None]), axis=1)
    return preds


def _encode(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return {"dtype": str(value.dtype), "shape": list(value.shape),
                "data": value.ravel().tolist()}
    if isinstance(value, np.generic):
        return value.item()
    return value


def _plain(value: Any) -> Any:
    """A hyperparameter as JSON holds it: numpy numbers as Python numbers, arrays (one
    value per LF) as lists; ``__init__`` takes both forms."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}:
        return np.asarray(value["data"], dtype=value["dtype"]).reshape(value["shape"])
    return value


#: true while models are fit only to be scored (cross-validation folds, estimates inside
#: another model's fit): warnings a fit gives about itself (EM stopping before it
#: converged) are then left to the fit that is kept
_SCORING_ONLY = contextvars.ContextVar("labelwright_scoring_only_fit", default=False)


@contextmanager
def scoring_only_fits() -> Iterator[None]:
    """Fits inside this block are thrown away after scoring: they give no warnings about
    themselves (see :func:`fit_warnings_wanted`)."""
    token = _SCORING_ONLY.set(True)
    try:
        yield
    finally:
        _SCORING_ONLY.reset(token)


def fit_warnings_wanted() -> bool:
    """Whether a fit should warn about itself: not inside :func:`scoring_only_fits`."""
    return not _SCORING_ONLY.get()


class LabelModel:
    """Base class of every label model.

    Subclasses set ``name``, list their learned attributes in ``learned_attributes``, take
    hyperparameters as keyword arguments of ``__init__`` (stored unchanged under the same
    name) and implement ``_fit`` and ``_predict_proba``.
    """

    name: ClassVar[str] = "base"
    learned_attributes: ClassVar[tuple[str, ...]] = ("class_balance_",)
    #: learned attributes with one row per LF (checked against ``n_lfs_`` on load)
    per_lf_attributes: ClassVar[tuple[str, ...]] = ()
    #: hyperparameters added after documents of this model were first written, each with no
    #: effect on predictions (fit-only): a document may lack them; it must name every other
    params_added_later: ClassVar[tuple[str, ...]] = ()
    #: modules ``fit`` imports on first use, because they take seconds to import
    #: (scikit-learn's, for ``auto``) and most runs never need them; :meth:`prepare`
    #: imports them ahead
    fit_imports: ClassVar[tuple[str, ...]] = ()
    class_balance_: np.ndarray  # set by fit (an annotation only: unfitted models lack it)

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
                    f"unknown parameter {key!r} for label model {self.name!r}; "
                    f"valid: {', '.join(valid)}"
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
        if not len(values) or not all(_is_share(v) for v in values):
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
    def fit(self, L: Any, *, y_dev: Any = None, class_balance: Any = None) -> Self:
        """Learn from label matrix ``L``; ``y_dev`` gives gold class indices (-1 = none)."""
        self.check_params()
        L = check_label_matrix(L, self.cardinality)
        y = check_y_dev(y_dev, L.shape[0], self.cardinality)
        prior = check_class_balance(class_balance, self.cardinality)
        self.n_lfs_ = L.shape[1]
        self._fit(L, y, prior, np.random.default_rng(self.random_state))
        return self

    def predict_proba(self, L: Any) -> np.ndarray:
        """Probabilistic labels: float64 ``(n_items, cardinality)``, rows sum to 1.

        Items on which every LF abstains get the class prior ``class_balance_``.
        """
        self._check_fitted()
        L = check_label_matrix(L, self.cardinality)
        if L.shape[1] != self.n_lfs_:
            raise ValueError(f"label matrix has {L.shape[1]} LFs; "
                             f"the model was fit on {self.n_lfs_}")
        probs = self._predict_proba(L)
        probs /= row_sum(probs)
        return probs

    def predict(self, L: Any) -> np.ndarray:
        """Class index per item (int64); ties broken by ``tie_break`` (-1 for "abstain")."""
        return break_ties(self.predict_proba(L), self.tie_break, self._seed())

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
        learned = {a: _encode(getattr(self, a)) for a in ("n_lfs_", *self.learned_attributes)}
        return {"format": FORMAT, "version": FORMAT_VERSION, "model": self.name,
                "params": {k: _plain(v) for k, v in self.get_params().items()},
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
        unknown = sorted(set(learned) - known)
        if unknown:
            raise ValueError(f"label model document: unknown learned field(s) "
                             f"{', '.join(unknown)}; {cls.name} has {', '.join(sorted(known))}")
        if "n_lfs_" not in learned:
            raise ValueError("label model document: learned field n_lfs_ missing")
        n_lfs = learned["n_lfs_"]
        if isinstance(n_lfs, bool) or not isinstance(n_lfs, int) or n_lfs < 1:
            raise ValueError(f"label model document: learned field n_lfs_ must be a whole "
                             f"number >= 1, got {n_lfs!r}")
        for key, value in learned.items():
            try:
                setattr(model, key, _decode(value))
            except (ValueError, TypeError) as exc:
                raise ValueError(f"label model document: learned field {key}: {exc}") from None
        model._fill_missing()
        missing = [a for a in cls.learned_attributes if not hasattr(model, a)]
        if missing:
            raise ValueError(f"label model document: learned field(s) {', '.join(missing)} "
                             "missing")
        model.check_params()
        balance = np.asarray(model.class_balance_, dtype=np.float64)
        if balance.shape != (model.cardinality,) or not np.all(np.isfinite(balance)) \
                or np.any(balance < 0) or not np.isclose(balance.sum(), 1.0, atol=1e-6):
            raise ValueError(f"label model document: class_balance_ must hold "
                             f"{model.cardinality} shares >= 0 summing to 1, got "
                             f"{balance.tolist()}")
        model._check_learned()
        return model

    def _check_learned(self) -> None:
        """Learned numbers are finite, and fit together: a probe (no vote; every LF voting
        class c, for each c) gives probabilities. A ValueError otherwise."""
        for name in self.learned_attributes:
            value = getattr(self, name)
            if isinstance(value, np.ndarray) and value.dtype.kind == "f" \
                    and not np.all(np.isfinite(value)):
                raise ValueError(f"label model document: learned field {name} holds "
                                 "NaN or infinite numbers")
        m, k = int(self.n_lfs_), self.cardinality
        for name in self.per_lf_attributes:
            shape = np.shape(getattr(self, name))
            if not shape or shape[0] != m:
                raise ValueError(f"label model document: learned field {name} must have one "
                                 f"row per LF ({m}), got shape {list(shape)}")
        probe = np.vstack([np.full((1, m), -1), np.repeat(np.arange(k)[:, None], m, axis=1)])
        try:
            probs = np.asarray(self._predict_proba(probe), dtype=np.float64)
        except (ValueError, IndexError, TypeError) as exc:
            raise ValueError(f"label model document: the learned fields do not fit "
                             f"{m} LFs and {k} classes ({exc})") from None
        if probs.shape != (k + 1, k) or not np.all(np.isfinite(probs)):
            raise ValueError(f"label model document: the learned fields do not give "
                             f"probabilities for {m} LFs and {k} classes")

    def _fill_missing(self) -> None:
        """Give learned attributes newer than a loaded document the value that reproduces
        the document's predictions, so a model loaded from an older file predicts as it did
        and can be saved again. Subclasses that added learned attributes override it."""

    def save(self, path: str | Path) -> None:
        """Write the model as a JSON document (see module docstring); not a pickle."""
        try:
            text = json.dumps(self.to_dict(), allow_nan=False)
        except ValueError:
            raise ValueError(f"{path}: not saved: the model's learned numbers hold NaN or "
                             "infinite values (a fit that went wrong)") from None
        Path(path).write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Self:
        return cls.from_dict(read_document(path), where=str(path))


def read_document(path: str | Path) -> dict[str, Any]:
    """Read and check a saved label model document."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not a labelwright label model (not JSON: {exc})") from None
    check_document(doc, str(path))
    return doc


def check_document(doc: Any, where: str) -> None:
    """The format and version every saved label model (and a nested one) must carry."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{where}: not a labelwright label model (expected format {FORMAT!r})")
    if doc.get("version") != FORMAT_VERSION:
        raise ValueError(f"{where}: unsupported label model version {doc.get('version')!r}; "
                         f"this labelwright reads version {FORMAT_VERSION}")
