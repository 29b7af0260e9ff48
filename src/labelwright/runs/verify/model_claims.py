"""The manifest's figures a run's saved label model gives (``label_model.json``, which
the outputs' hashes vouch for): the model's name, settings, choice and class balance, the
run's seed and tie-break it was fit with, and the ``calibration`` record
(:mod:`~labelwright.runs.calibration_record`), from the file or, with ``--recompute``, from
the refit model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.matrix import ID_COLUMN
from labelwright.runs.file_names import LABEL_MODEL_FILE, LABELS_FILE

if TYPE_CHECKING:
    import pandas as pd


def label_model_claims(saved: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The figures ``label_model.json`` (``saved``) gives (:func:`_model_claims`), a model
    name it cannot carry checked against the class the run imported instead
    (:func:`_own_class_name`)."""
    out = _model_claims(saved, manifest)
    if _names_no_class(manifest):
        _own_class_name(manifest, out)
    return out


def saved_model(path: Path) -> dict[str, Any] | None:
    """``label_model.json`` read once for the figures it gives; None when it is not there
    or cannot be read as a JSON object."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def calibration_gold_claim(saved: dict[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
    """``calibration.gold.sha256`` as the run's files give it: the ids and reviewed labels
    of ``labels.parquet``'s rows (``frame``, in the run's order) at the rows the saved
    model's calibration was fit on (``calibration_rows_``), hashed as the run hashed them
    (:func:`~labelwright.runs.calibration_record.gold_record`). Nothing when a row is not
    one whose label is its own review (``label_source`` ``review``: the only label that is
    the gold it was fit on), or the model keeps no rows: the count alone was compared, and
    a record of other gold passed every check but ``--recompute``."""
    from labelwright.project.held_out import OWN_REVIEW
    from labelwright.runs.calibration_record import gold_record

    learned = saved.get("learned")
    rows = learned.get("calibration_rows_") if isinstance(learned, dict) else None
    if not isinstance(rows, list) or not rows or "label_source" not in frame.columns \
            or not all(isinstance(r, int) and 0 <= r < len(frame) for r in rows):
        return {}
    picked = frame.iloc[rows]
    if not (picked["label_source"].astype(str) == OWN_REVIEW).all() \
            or not all(isinstance(label, str) for label in picked["label"]):
        return {}
    record = gold_record(picked[ID_COLUMN].astype(str).tolist(), picked["label"].tolist())
    return {"calibration.gold.sha256": (
        record["sha256"], f"{LABELS_FILE} (the ids and reviewed labels of the "
                          f"{len(rows)} rows {LABEL_MODEL_FILE}'s calibration was fit on)")}


def _names_no_class(manifest: dict[str, Any]) -> bool:
    """Whether the manifest's ``label_model.name`` (the config's) is a name its saved file
    cannot carry: ``default``, an alias (the file names the class, ``dawid_skene``), or
    ``module:Class``, a model of the user's own (the file names the class's own ``name``).
    Compared with the file, every such run read as a manifest edited after the run."""
    said = (manifest.get("label_model") or {}).get("name")
    return isinstance(said, str) and (said == "default" or ":" in said)


def _own_class_name(manifest: dict[str, Any], derived: dict[str, Any]) -> None:
    """In ``derived``, no ``label_model.name`` from the saved file, which cannot carry the
    manifest's (:func:`_names_no_class`); for ``module:Class``, the name and
    ``label_model.class`` compared with ``label_model.source``, the module and class the
    run imported, rather than left unchecked."""
    derived.pop("label_model.name", None)
    model = manifest.get("label_model") or {}
    source = model.get("source")
    if ":" not in str(model.get("name")) or not isinstance(source, dict):
        return
    said = "label_model.source (the module and class the run imported)"
    derived["label_model.name"] = (f"{source.get('module')}:{source.get('class')}", said)
    derived["label_model.class"] = (source.get("class"), said)


def chosen_claims(chosen: dict[str, Any], source: str) -> dict[str, Any]:
    """``label_model.chosen`` (the label model's ``chosen_``: which model it chose, and
    why), and the model's name alone, each from ``source``."""
    return {"label_model.chosen": (chosen, source),
            "label_model.chosen.model": (chosen.get("model"), source)}


def _model_claims(saved: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The label model's name, settings, choice and class balance as the hashed
    ``label_model.json`` holds them (``saved``), and the run's ``seed`` and
    ``label_model.tie_break`` (:func:`_run_settings`)."""
    source = LABEL_MODEL_FILE
    out: dict[str, Any] = {}
    if isinstance(saved.get("model"), str):
        out["label_model.name"] = (saved["model"], source)
    if isinstance(saved.get("params"), dict):
        out["label_model.params"] = (saved["params"], source)
        out.update(_run_settings(saved["params"], manifest))
    learned: dict[str, Any] = saved["learned"] if isinstance(saved.get("learned"), dict) \
        else {}
    chosen = learned.get("chosen_")
    if isinstance(chosen, dict):
        out.update(chosen_claims(chosen, source))
    balance = learned.get("class_balance_")
    if isinstance(balance, dict) and isinstance(balance.get("data"), list):
        out["label_model.class_balance"] = (balance["data"], source)
    out.update(saved_calibration_claims(learned, source))
    return out


def saved_calibration_claims(learned: dict[str, Any], source: str) -> dict[str, Any]:
    """The manifest's ``calibration`` (:mod:`~labelwright.runs.calibration_record`) as a
    saved model's learned fields (``learned``) give it: its method, whether a confidence
    map and the no-vote shares follow it, the sha256 of its parameters and how many gold
    items it was fit on."""
    from labelwright.runs.calibration_record import no_vote_shares, parameters_sha256

    calibration = learned.get("calibration_")
    if not isinstance(calibration, dict):
        return {}
    out: dict[str, Any] = {
        "calibration.method": (calibration.get("method"), source),
        "calibration.confidence_map": (calibration.get("confidence_map") is not None, source),
        "calibration.no_vote_shares": (no_vote_shares(calibration), source),
        "calibration.parameters_sha256": (parameters_sha256(calibration), source)}
    rows = learned.get("calibration_rows_")
    if isinstance(rows, list):
        out["calibration.gold.items"] = (len(rows), source)
    return out


def calibration_claims(record: dict[str, Any] | None, parameters: Any,
                       source: str) -> dict[str, Any]:
    """The manifest's ``calibration`` as a refit gives it (``record``:
    :func:`~labelwright.runs.calibration_record.calibration_record` of the refit model,
    ``parameters`` its ``calibration_``): the method, the gold it was fit on (items and
    their sha256) and the parameters, compared number by number (``label_model
    .calibration``: a sha256 would tell a last-digit difference from a changed fit)."""
    if record is None:
        return {}
    out: dict[str, Any] = {"calibration.method": (record["method"], source),
                           "calibration.confidence_map": (record["confidence_map"], source),
                           "calibration.no_vote_shares": (record["no_vote_shares"], source),
                           "label_model.calibration": (parameters, source)}
    if record.get("gold") is not None:
        out["calibration.gold"] = (record["gold"], source)
    return out


def _run_settings(params: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """The run's ``seed`` and ``label_model.tie_break`` as the saved model's settings hold
    them (a run passes both to its label model: ``random_state`` and ``tie_break``), so an
    edited one is named, not blamed on the evaluation it moves; none for a model reused
    from an earlier run (``label_model.from_run``: its seed may be that run's) or one that
    does not take them."""
    model = manifest.get("label_model") or {}
    if model.get("from_run"):
        return {}
    out: dict[str, Any] = {}
    if isinstance(params.get("random_state"), int):
        out["seed"] = (params["random_state"], f"{LABEL_MODEL_FILE} (its random_state)")
    if isinstance(params.get("tie_break"), str):
        out["label_model.tie_break"] = (params["tie_break"],
                                        f"{LABEL_MODEL_FILE} (its tie_break)")
    return out
