"""A fitted calibration as plain JSON values (what a saved ``auto`` model keeps in
``calibration_``), written and read back checked, and a calibration in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from labelwright.models.calibration_methods import CALIBRATION_METHODS, PER_PATTERN, Scaling
from labelwright.models.confidence_map import ConfidenceMap
from labelwright.models.pattern_calibration import pattern_keys


@dataclass
class SavedCalibration:
    """What a fitted :class:`~labelwright.models.calibration.Calibrator` learned, as its
    ``to_dict`` document holds it (the fields of the same names, without the ``_``)."""

    method: str
    temperature: float
    class_bias: np.ndarray
    uncovered_bias: np.ndarray
    pattern_temperatures: dict[str, float]
    no_vote_probs: np.ndarray | None
    confidence_map: ConfidenceMap | None

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "temperature": self.temperature,
                "class_bias": self.class_bias.tolist(),
                "uncovered_bias": self.uncovered_bias.tolist(),
                "pattern_temperatures": dict(self.pattern_temperatures) or None,
                "no_vote_probs": None if self.no_vote_probs is None
                else self.no_vote_probs.tolist(),
                "confidence_map": None if self.confidence_map is None
                else self.confidence_map.to_dict()}

    def scaling(self) -> Scaling:
        """The :class:`Scaling` that applies the saved numbers."""
        k = len(self.class_bias)
        scaling = Scaling(self.method, k)
        theta = [np.log(self.temperature)]
        if scaling.n_bias:
            theta += self.class_bias.tolist()
        if self.method == "coverage":
            theta += self.uncovered_bias.tolist()
        if self.no_vote_probs is not None:
            scaling.no_vote = self.no_vote_probs
        theta += [np.log(self.pattern_temperatures[p]) - theta[0]
                  for p in pattern_keys(self.method, k)]
        scaling.theta = np.asarray(theta)
        return scaling


def read_calibration(doc: dict[str, Any]) -> SavedCalibration:
    """A ``to_dict`` document read back, checked."""
    method = doc.get("method")
    if method not in CALIBRATION_METHODS:
        raise ValueError(f"unknown calibration method {method!r}; valid: "
                         f"{', '.join(CALIBRATION_METHODS)}")
    class_bias = _read_numbers(doc, "class_bias", "finite numbers, one per class")
    k = len(class_bias)
    # documents written before the map existed have no "confidence_map"
    bins = doc.get("confidence_map")
    return SavedCalibration(
        method=method, temperature=_read_temperature(doc), class_bias=class_bias,
        uncovered_bias=_read_numbers(doc, "uncovered_bias",
                                     f"{k} finite numbers (one per class, as 'class_bias')", k),
        pattern_temperatures=read_pattern_temperatures(doc, pattern_keys(method, k),
                                                       dropped=_old_no_vote_keys(method, k))
        if method in PER_PATTERN else {},
        # beside another method: the no-vote shares (none in a document written before them)
        no_vote_probs=read_no_vote_probs(doc, k) if method == "no_vote_bias"
        or doc.get("no_vote_probs") is not None else None,
        confidence_map=None if bins is None else ConfidenceMap.from_dict(bins))


def _field(doc: dict[str, Any], name: str) -> Any:
    """``doc[name]``; a document without it is a ValueError saying so."""
    if name not in doc:
        raise ValueError(f"field {name!r} missing")
    return doc[name]


def _read_temperature(doc: dict[str, Any]) -> float:
    """The document's shared temperature, checked: a NaN had made every probability NaN."""
    value = _field(doc, "temperature")
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"'temperature' must be a finite number > 0; got {value!r}")
    return float(value)


def _read_numbers(doc: dict[str, Any], name: str, what: str, k: int | None = None
                  ) -> np.ndarray:
    """The document's list ``name`` of finite numbers (``k`` of them; else two or more),
    checked: a short list had been broadcast over the classes."""
    value = _field(doc, name)
    out = None
    if isinstance(value, list) and all(isinstance(v, int | float) and not isinstance(v, bool)
                                       for v in value):
        out = np.asarray(value, dtype=np.float64)
    if out is None or len(out) != (len(out) if k is None else k) or len(out) < 2 \
            or not np.isfinite(out).all():
        raise ValueError(f"{name!r} must be {what}; got {value!r}")
    return out


def _old_no_vote_keys(method: str, k: int) -> tuple[str, ...]:
    """The keys ``no_vote_bias`` documents saved before 2026-12-07 also held: a temperature
    per top class for the items with no vote, which take the class shares instead and never
    read them."""
    return tuple(f"no_vote/{c}" for c in range(k)) if method == "no_vote_bias" else ()


def read_pattern_temperatures(doc: dict[str, Any], keys: tuple[str, ...], *,
                              dropped: tuple[str, ...] = ()) -> dict[str, float]:
    """A per-pattern document's temperature of each of ``keys`` (:func:`pattern_keys`),
    checked; ``dropped``: keys it may also hold, left out."""
    temps = doc.get("pattern_temperatures")
    if isinstance(temps, dict) and set(temps) == set(keys) | set(dropped):
        temps = {p: t for p, t in temps.items() if p not in dropped}
    if not isinstance(temps, dict) or set(temps) != set(keys):
        raise ValueError(f"a {doc.get('method')!r} calibration needs 'pattern_temperatures', "
                         f"one per vote pattern{' and top class' if '/' in keys[0] else ''} "
                         f"({', '.join(keys)}); got {temps!r}")
    out = {p: float(temps[p]) for p in keys}
    if not all(np.isfinite(t) and t > 0 for t in out.values()):
        raise ValueError(f"'pattern_temperatures' must be positive numbers; got {temps!r}")
    return out


def read_no_vote_probs(doc: dict[str, Any], k: int) -> np.ndarray:
    """A ``no_vote_bias`` document's probabilities of the items with no vote (or the
    no-vote shares beside another method), checked."""
    probs = doc.get("no_vote_probs")
    out = np.asarray(probs if isinstance(probs, list) else [], dtype=np.float64)
    if out.shape != (k,) or not np.all(np.isfinite(out)) or out.min() <= 0 \
            or abs(out.sum() - 1.0) > 1e-6:
        raise ValueError(f"'no_vote_probs' must be {k} probabilities (one per class, "
                         f"positive, summing to 1) in a {doc.get('method')!r} calibration; "
                         f"got {probs!r}")
    return out


def temperature_calibration(k: int, temperature: float = 1.0) -> dict[str, Any]:
    """The document of a temperature alone (``identity`` at 1.0): ``auto``'s before it
    calibrates, and that of an ``auto`` model saved before it kept a whole calibration."""
    return SavedCalibration("identity" if temperature == 1.0 else "temperature",
                            float(temperature), np.zeros(k), np.zeros(k), {}, None,
                            None).to_dict()


def saved_no_vote_shares(doc: Any) -> bool:
    """Whether a saved calibration (a ``to_dict`` document, as ``label_model.json`` and the
    manifest's ``label_model.calibration`` hold it) gives the items no LF voted on the
    no-vote shares after its scaling: ``no_vote_probs`` beside a method other than
    ``no_vote_bias`` (whose own probabilities for those items they are)."""
    return isinstance(doc, dict) and doc.get("method") != "no_vote_bias" \
        and doc.get("no_vote_probs") is not None


def describe_calibration(method: str, mapped: bool, *, no_vote_shares: bool = False) -> str:
    """A calibration in words: its scaling method, "no-vote shares" when the items no LF
    voted on take the gold rows' class shares, and "confidence map" when one follows."""
    parts = [method] if method != "identity" or not (mapped or no_vote_shares) else []
    parts += ["no-vote shares"] * no_vote_shares + ["confidence map"] * mapped
    return " + ".join(parts)
