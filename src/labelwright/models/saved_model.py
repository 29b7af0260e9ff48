"""A fitted label model saved as a JSON document and loaded back, checked as it loads.

:class:`SavedModel` is a mixin of :class:`~labelwright.models.base.LabelModel`: ``save``
writes the document :mod:`labelwright.models.document` describes (never a pickle): the
model's name, every hyperparameter, ``n_lfs_`` and the learned attributes the class lists
(a class from outside labelwright: every attribute its fit set, see
:mod:`labelwright.models.saved_attributes`). ``load`` refuses a document that is not one --
another model, a setting or field missing or unknown, numbers of the wrong kind, shape or
range, learned numbers that give no probabilities -- with a ValueError naming the file and
what is wrong, never a model that fails later.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import numpy as np

from labelwright.models.document import FORMAT, FORMAT_VERSION, decode, encode, plain, read_document
from labelwright.models.learned_fields import Field, check_learned_fields
from labelwright.models.model_output import ModelContractError, who
from labelwright.models.param_checks import ParamChecks
from labelwright.models.saved_attributes import (
    is_learned_name,
    lists_all,
    loaded_value,
    saved_value,
    unlisted,
)


class SavedModel(ParamChecks):
    """Save and load (a mixin of ``LabelModel``: the document names every hyperparameter,
    so it builds on :class:`~labelwright.models.param_checks.ParamChecks`)."""

    #: what each learned attribute may hold (kind, shape, range), checked on load by
    #: :func:`~labelwright.models.learned_fields.check_learned_fields`
    learned_fields: ClassVar[dict[str, Field]] = {}
    #: the learned attributes a document holds, in its order: the names of
    #: ``learned_fields``, unless a class lists its own (those with no ``Field`` are only
    #: checked finite). A class defined outside labelwright need list none: its document
    #: also holds every other attribute its fit set whose name ends in ``_``
    #: (:mod:`~labelwright.models.saved_attributes`)
    learned_attributes: ClassVar[tuple[str, ...]] = ()
    #: hyperparameters added after documents of this model were first written, each with no
    #: effect on predictions (fit-only): a document may lack them; it must name every other
    params_added_later: ClassVar[tuple[str, ...]] = ()
    n_lfs_: int

    if TYPE_CHECKING:  # LabelModel's: whether it is fit, and its probabilities
        def _check_fitted(self) -> None: ...
        def _predict_proba(self, L: np.ndarray) -> np.ndarray: ...

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "learned_fields" in cls.__dict__ and "learned_attributes" not in cls.__dict__:
            cls.learned_attributes = tuple(cls.learned_fields)

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
