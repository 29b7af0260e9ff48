"""A manifest's summary figures against what the run's own files give.

A manifest states figures about its run beside the hashes of its outputs: ``coverage``, the
label model's ``evaluation`` on held-out gold, ``triage.counts``, the LFs it ran, the label
model it chose (``label_model.chosen``). ``runs list``, ``runs show`` and the report print
them as the run's, but the outputs' hashes do not cover them: a manifest edited to claim
coverage 0.999 (or ``labeled``, the items with a label, one more) passed every check.
:func:`file_claims` derives each figure again from the
run's files (``label_matrix.parquet``, ``labels.parquet``, ``label_model.json``), which the
hashes do vouch for, and :func:`claim_differences` names each field whose claim is not what
they give; ``runs verify --recompute`` compares the figures its recomputation gives too.

What no file of the run holds (``git``, ``run_warnings``, ``packages``, the times) cannot be
told this way: only the manifest's own sha256 kept elsewhere vouches for it
(``runs verify --manifest-sha256``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import RunError
from labelwright.lfs.stats import vote_coverage
from labelwright.matrix import ID_COLUMN
from labelwright.runs.file_names import LABEL_MODEL_FILE, LABELS_FILE, MATRIX_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import read_labels_table

#: the columns of ``labels.parquet`` its figures come from (``model_confidence``: whether
#: the run kept it, :func:`~labelwright.project.held_out.keeps_model_label`, and the
#: calibration per vote pattern)
_LABELS_COLUMNS = (ID_COLUMN, "label", "gold", "status", "reasons", "label_source",
                   "model_label", "model_confidence")
#: figures further apart than this differ (the same computation gives the same bits; this
#: forgives a float written and read back through JSON)
TOLERANCE = 1e-9


def claim_differences(manifest: dict[str, Any], derived: dict[str, Any]) -> list[str]:
    """``<field>: the manifest says X, <source> gives Y`` for each field of ``derived`` (a
    dotted field path, e.g. ``evaluation.label_model.accuracy``, to ``(value, source)``)
    whose manifest value is not the one derived; a field the manifest lacks is "missing"."""
    differ = {path: (claimed, value, source) for path, (value, source) in derived.items()
              if not _same(claimed := _field(manifest, path), value)}
    lines: dict[str, str] = {}  # by field: a key of a dict named once
    for path, (claimed, value, source) in differ.items():
        if any(other.startswith(f"{path}.") for other in differ):
            continue  # label_model.chosen.model named: not label_model.chosen whole too
        for field, (said_value, value_there) in _differing_keys(path, claimed, value):
            said = ("has no such field" if said_value is _MISSING
                    else f"says {_text(said_value)}")
            given = "has none" if value_there is _MISSING else f"gives {_text(value_there)}"
            lines.setdefault(field, f"{field}: the manifest {said}, {source} {given}")
    return list(lines.values())


def _differing_keys(path: str, claimed: Any, value: Any) -> list[tuple[str, tuple[Any, Any]]]:
    """``[(dotted field, (the manifest's, the file's))]``: the keys in which two dicts
    differ, each named (dicts in dicts too), rather than both dicts whole (a label model's
    settings, a ~1 KB choice record, printed twice for one edited number); the field itself
    when either is not a dict."""
    if not isinstance(claimed, dict) or not isinstance(value, dict):
        return [(path, (claimed, value))]
    out = []
    for key in sorted(set(claimed) | set(value), key=str):
        a, b = claimed.get(key, _MISSING), value.get(key, _MISSING)
        if a is _MISSING or b is _MISSING or not _same(a, b):
            out += _differing_keys(f"{path}.{key}", a, b)
    return out


def claim_groups(derived: dict[str, Any]) -> list[str]:
    """The manifest's sections ``derived`` checks, as the ``ok`` line names them."""
    groups = {"coverage": "coverage", "evaluation": "evaluation",
              "triage": "triage counts", "label_model": "label model",
              "data": "rows", "labeled": "rows",  # rows, gold rows and rows with a label
              "labeling_functions": "LFs", "calibration": "calibration"}
    named = [name for key, name in groups.items()
             if any(path == key or path.startswith(f"{key}.") for path in derived)]
    return list(dict.fromkeys(named))


def file_claims(run_dir: Path, manifest: dict[str, Any], changed: Sequence[str] = ()
                ) -> dict[str, Any]:
    """The manifest's figures as the run's files give them (see :func:`claim_differences`),
    from each file that is there and not in ``changed`` (outputs found edited or missing:
    their own problem says so, and a figure from them would only repeat it). A file that
    cannot be read gives nothing."""
    derived: dict[str, Any] = {}
    labels: Sequence[str] = manifest_labels(manifest) or []
    votes = ids = None
    saved = None if LABEL_MODEL_FILE in changed else _saved_model(run_dir / LABEL_MODEL_FILE)
    if saved is not None:
        derived.update(_model_claims(saved, manifest))
        if _names_no_class(manifest):
            _own_class_name(manifest, derived)
    if MATRIX_FILE not in changed and (run_dir / MATRIX_FILE).is_file():
        try:
            matrix = pd.read_parquet(run_dir / MATRIX_FILE)
        except Exception:  # pyarrow raises several unrelated types
            matrix = None
        if matrix is not None and ID_COLUMN in matrix.columns:
            lfs = [c for c in matrix.columns if c != ID_COLUMN]
            ids = matrix[ID_COLUMN].astype(str).tolist()
            votes = matrix[lfs].to_numpy(dtype=np.int64)
            source = MATRIX_FILE
            derived["coverage"] = (vote_coverage(votes), f"{source} (items with a vote)")
            derived["labeling_functions"] = (sorted(lfs), f"{source} (its LF columns)")
    if LABELS_FILE not in changed and (run_dir / LABELS_FILE).is_file() and labels:
        try:
            frame = read_labels_table(run_dir / LABELS_FILE, _LABELS_COLUMNS).to_pandas()
        except RunError:
            frame = None
        if frame is not None:
            # the evaluation with the seed and tie-break the saved model holds, when it
            # holds them: an edited seed is named as the seed, not as the figures it moves
            settled = {**manifest, **_settings_of(derived, manifest)}
            derived.update(_labels_claims(frame, settled, labels, votes, ids))
            if saved is not None:
                derived.update(_calibration_gold_claim(saved, frame))
    return made_claims(manifest, derived)


def _saved_model(path: Path) -> dict[str, Any] | None:
    """``label_model.json`` read once for the figures it gives; None when it is not there
    or cannot be read as a JSON object."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return saved if isinstance(saved, dict) else None


def _calibration_gold_claim(saved: dict[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
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


def _settings_of(derived: dict[str, Any], manifest: dict[str, Any]) -> dict[str, Any]:
    """``seed`` and ``label_model.tie_break`` as ``derived`` has them from the saved
    model, in the manifest's shape (empty when it has neither)."""
    out: dict[str, Any] = {}
    if "seed" in derived:
        out["seed"] = derived["seed"][0]
    if "label_model.tie_break" in derived:
        out["label_model"] = {**(manifest.get("label_model") or {}),
                              "tie_break": derived["label_model.tie_break"][0]}
    return out


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


def made_claims(manifest: dict[str, Any], derived: dict[str, Any]) -> dict[str, Any]:
    """The fields of ``derived`` the manifest makes a claim on (older runs recorded fewer:
    a field they lack is not compared)."""
    return {path: pair for path, pair in derived.items()
            if _field(manifest, path) is not _MISSING}


def triage_claims(counts: dict[str, int], source: str) -> dict[str, Any]:
    """``triage.counts`` as dotted fields, each from ``source``; ``counts``:
    :func:`~labelwright.triage.reasons.triage_counts`, as a run counts them."""
    return {f"triage.counts.{name}": (n, source) for name, n in counts.items()}


def evaluation_claims(evaluation: dict[str, Any], source: str) -> dict[str, Any]:
    """``evaluation``'s figures (:func:`labelwright.project.evaluation.evaluate`) as dotted
    fields, each from ``source``."""
    if not evaluation:  # no held-out gold: a run records {}, and claims no figure
        return {"evaluation": ({}, source)}
    out: dict[str, Any] = {}
    for key, value in evaluation.items():
        if isinstance(value, dict):
            out.update({f"evaluation.{key}.{k}": (v, source) for k, v in value.items()})
        else:
            out[f"evaluation.{key}"] = (value, source)
    return out


def _labels_claims(frame: pd.DataFrame, manifest: dict[str, Any], labels: Sequence[str],
                   votes: np.ndarray | None, ids: list[str] | None) -> dict[str, Any]:
    """The rows, gold rows, triage counts and (with the label matrix) the evaluation
    ``labels.parquet`` gives."""
    from labelwright.project.held_out import OWN_REVIEW, keeps_model_label
    from labelwright.triage.reasons import triage_counts

    out: dict[str, Any] = {"data.rows": (len(frame), f"{LABELS_FILE} (its rows)")}
    if "label" in frame.columns:  # what the report's History and `runs list` print
        out["labeled"] = (int(frame["label"].notna().sum()),
                          f"{LABELS_FILE} (items with a label)")
    if "gold" in frame.columns:
        out["data.gold_rows"] = (int(frame["gold"].notna().sum()),
                                 f"{LABELS_FILE} (items with a gold label)")
    if "status" in frame.columns and "reasons" in frame.columns:
        split = [set(r.split(";")) if isinstance(r, str) and r else set()
                 for r in frame["reasons"].tolist()]  # ;-joined, as labels.parquet holds them
        out.update(triage_claims(triage_counts(frame["status"].tolist(), split),
                                 f"{LABELS_FILE} (its statuses and reasons)"))
    if votes is None or ids is None or "gold" not in frame.columns \
            or not keeps_model_label(frame) or "label_source" not in frame.columns:
        return out  # runs from before model_label: their evaluation is not told again here
    frame = frame.assign(**{ID_COLUMN: frame[ID_COLUMN].astype(str)}).set_index(ID_COLUMN)
    if sorted(frame.index) != sorted(ids) or frame.index.has_duplicates:
        return out  # the two files' items differ: a recompute says where
    frame = frame.loc[ids]
    code = {label: k for k, label in enumerate(labels)}
    gold = np.array([code.get(g, -1) if isinstance(g, str) else -1 for g in frame["gold"]])
    predicted = np.array([code.get(p, -1) if isinstance(p, str) else -1
                          for p in frame["model_label"]])
    reviewed = (frame["label_source"].astype(str) == OWN_REVIEW).to_numpy(dtype=bool)
    confidence = frame["model_confidence"].to_numpy(dtype=float)
    evaluation = run_evaluation(manifest, gold, predicted, votes, ids, reviewed,
                                confidence=confidence)
    if evaluation is not None:
        out.update(evaluation_claims(evaluation, f"{LABELS_FILE} with {MATRIX_FILE} (held-out "
                                                 "gold)"))
    return out


def run_evaluation(manifest: dict[str, Any], gold: np.ndarray, predicted: np.ndarray,
                   votes: np.ndarray, ids: Sequence[str], reviewed: np.ndarray, *,
                   confidence: np.ndarray | None = None) -> dict[str, Any] | None:
    """The run's ``evaluation`` computed as the run computed it (majority vote with the
    run's seed and tie-break), from its gold, its label model's labels, its votes and the
    items reviewed themselves (with the model's ``confidence`` in its labels, the
    calibration per vote pattern too); None when the manifest does not say how (no
    seed)."""
    from labelwright.models.ties import id_numbers
    from labelwright.project.evaluation import evaluate

    seed = manifest.get("seed")
    tie_break = (manifest.get("label_model") or {}).get("tie_break")
    labels: Sequence[str] = manifest_labels(manifest) or []
    if not isinstance(seed, int) or not isinstance(tie_break, str) or not labels:
        return None
    return evaluate(gold, predicted, votes, len(labels), seed, fit_on=reviewed,
                    tie_break=tie_break, row_ids=id_numbers(list(ids)), confidence=confidence)


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


class _Missing:
    def __repr__(self) -> str:
        return "(missing)"


_MISSING: Any = _Missing()


def _field(record: Any, path: str) -> Any:
    """The value at the dotted ``path`` of the manifest ``record`` (``labeling_functions``:
    its LFs' names, sorted), :data:`_MISSING` when it has none."""
    if path == "labeling_functions":
        lfs = record.get("labeling_functions") if isinstance(record, dict) else None
        return sorted(str(lf.get("name")) for lf in lfs if isinstance(lf, dict)) \
            if isinstance(lfs, list) else _MISSING
    for key in path.split("."):
        if not isinstance(record, dict) or key not in record:
            return _MISSING
        record = record[key]
    return record


def _same(a: Any, b: Any) -> bool:
    """Equal, floats to :data:`TOLERANCE` (``None`` and NaN alike), lists and dicts member
    by member; an int and a bool are not one."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, int | float | np.integer | np.floating) \
            and isinstance(b, int | float | np.integer | np.floating):
        fa, fb = float(a), float(b)
        return (math.isnan(fa) and math.isnan(fb)) or abs(fa - fb) <= TOLERANCE
    if isinstance(a, float) and math.isnan(a) and b is None \
            or isinstance(b, float) and math.isnan(b) and a is None:
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(round(value, 6))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, default=str)
    return repr(value)
