"""What a run's manifest records of the calibration that shaped its probabilities
(``calibration``): ``auto``'s, fit on the reviewed labels
(:mod:`~labelwright.models.chosen_calibration`).

``label_model.calibration`` holds its parameters as the model saves them; this section
says which calibration that is in a form a check can compare: its ``method``, whether a
``confidence_map`` follows it, whether the items no LF voted on take the ``no_vote_shares``
after its scaling (:func:`no_vote_shares`; manifests written before it have no such key),
the ``parameters_sha256`` of those parameters (their JSON,
keys sorted, no spaces) and the ``gold`` it was fit on: how many ``items`` and the
``sha256`` of their ids and labels (``id<TAB>label`` lines, sorted by id). ``gold`` is None
when this run fit none (too few reviewed labels to calibrate on, or a model reused from an
earlier run, whose record is that run's). ``runs verify`` compares the record with
``label_model.json``, and ``--recompute`` with the calibration its refit gives.

It imports numpy and the standard library only; :func:`no_vote_shares` asks the label models.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

import numpy as np


def calibration_record(model: Any, ids: Sequence[str], gold: np.ndarray | None,
                       labels: Sequence[str], *, fitted_here: bool = True
                       ) -> dict[str, Any] | None:
    """The manifest's ``calibration`` of the fitted ``model`` (None for a model that
    calibrates nothing: every one but ``auto``), from the items' ``ids`` and the reviewed
    labels it was fit with (``gold``: a class index per item, -1 none). ``fitted_here``:
    False for a model reused from another run (its rows are that run's items)."""
    return saved_calibration_record(getattr(model, "calibration_", None),
                                    getattr(model, "calibration_rows_", None)
                                    if fitted_here else None, ids, gold, labels)


def saved_calibration_record(calibration: Any, rows: Any, ids: Sequence[str],
                             gold: np.ndarray | None, labels: Sequence[str]
                             ) -> dict[str, Any] | None:
    """:func:`calibration_record` of a calibration as saved (``calibration_``) and the rows
    it was fit on (``calibration_rows_``; None: not fit)."""
    if not isinstance(calibration, dict):
        return None
    record: dict[str, Any] = {
        "method": calibration.get("method"),
        "confidence_map": calibration.get("confidence_map") is not None,
        "no_vote_shares": no_vote_shares(calibration),
        "parameters_sha256": parameters_sha256(calibration), "gold": None}
    if isinstance(rows, list) and gold is not None:
        record["gold"] = gold_record([ids[r] for r in rows],
                                     [labels[int(gold[r])] for r in rows])
    return record


def no_vote_shares(calibration: Any) -> bool:
    """Whether a saved calibration (``label_model.calibration``, a ``calibration_``
    document) gives the items no LF voted on the no-vote shares after its scaling: the
    label models' own rule
    (:func:`~labelwright.models.calibration_document.saved_no_vote_shares`), read where a
    run is recorded, shown or verified, each of which has the label models imported
    already."""
    from labelwright.models.calibration_document import saved_no_vote_shares

    return saved_no_vote_shares(calibration)


def parameters_sha256(calibration: dict[str, Any]) -> str:
    """The sha256 of a calibration's parameters as JSON: keys sorted, no spaces, each float
    as Python's shortest round-trip text. A numpy number the model holds is taken as the
    Python number ``label_model.json`` saves it as (:func:`_saved_number`), so the hash of
    the parameters held and of those saved is one."""
    text = json.dumps(calibration, sort_keys=True, separators=(",", ":"), allow_nan=True,
                      default=_saved_number)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _saved_number(value: Any) -> Any:
    """A numpy number JSON cannot write (a float32, an integer) as the Python number a saved
    model holds (``.item()``); anything else is refused as :func:`json.dumps` refuses it."""
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"a calibration parameter of type {type(value).__name__} is not JSON")


def gold_record(ids: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """``{"items", "sha256"}`` of the gold items ``ids`` with their ``labels``: the sha256
    of ``id<TAB>label`` lines sorted by id, each ending in a newline."""
    lines = sorted(f"{item}\t{label}\n" for item, label in zip(ids, labels))
    return {"items": len(lines),
            "sha256": hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()}
