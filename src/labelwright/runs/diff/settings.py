"""The settings and environment two runs' manifests record, compared for ``runs diff``
(:func:`~labelwright.runs.diff.compare.diff_runs`): the label model and its choice, the labels and
triage settings, the review settings, the class balance and the package versions. Each
compares only what both runs recorded: a field a newer labelwright added is no change.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from labelwright.runs.label_set import manifest_labels


def pair_if_changed(a: Any, b: Any) -> dict[str, Any] | None:
    return None if a == b else {"a": a, "b": b}


def review_settings(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``[review] policy``, ``adjudicators`` and the names read as one rater
    (``same_rater``, recorded only where there are any) as both runs recorded them, where
    they differ (a run without a ledger, or from before they were recorded, cannot say)."""
    before, after = ({"same_rater": {}, **r} if "policy" in r else r
                     for r in (a.get("reviews") or {}, b.get("reviews") or {}))
    return {key: (before[key], after[key]) for key in ("policy", "adjudicators", "same_rater")
            if key in before and key in after and before[key] != after[key]}


def model_spec(manifest: dict[str, Any]) -> dict[str, Any]:
    model = manifest.get("label_model", {})
    spec = {"name": model.get("name"), "class": model.get("class"),
            "params": model.get("params", {}), "seed": manifest.get("seed")}
    if model.get("class_balance_setting") is not None:  # manifests from before: not recorded
        spec["params"] = {**spec["params"], "class_balance": model["class_balance_setting"]}
    return spec


def model_change(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    """``pair_if_changed`` of the two runs' :func:`model_spec`; when one ran ``auto`` and the
    other a model named in the config, auto's spec carries the model it chose
    (:func:`chosen_spec`): auto's own settings (``n_splits``, ``max_iter`` None) are no
    settings of the named model, and comparing them hid the change that mattered, a
    setting of the model auto chose and the config now names."""
    spec_a, spec_b = model_spec(a), model_spec(b)
    chose_a, chose_b = chosen_spec(a), chosen_spec(b)
    if (chose_a is None) != (chose_b is None):
        spec_a = {**spec_a, "chosen": chose_a} if chose_a is not None else spec_a
        spec_b = {**spec_b, "chosen": chose_b} if chose_b is not None else spec_b
    return pair_if_changed(spec_a, spec_b)


def chosen_spec(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The model ``auto`` chose, as the manifest's ``label_model.chosen`` records it:
    ``model``, ``params`` (every setting of the model fit, ``all_params``; a run from
    before recorded only those auto set, and ``all`` is False) and ``all``; None for a run
    of another model."""
    chosen = (manifest.get("label_model") or {}).get("chosen")
    if not isinstance(chosen, dict):
        return None
    every = chosen.get("all_params")
    params = every if isinstance(every, dict) else chosen.get("params")
    return {"model": chosen.get("model"), "params": dict(params or {}),
            "all": isinstance(every, dict)}


def recorded_pair(a: dict[str, Any], b: dict[str, Any], key: str) -> dict[str, Any] | None:
    """``pair_if_changed`` for a key both manifests record; runs from before it was
    recorded cannot say, so they count as unchanged."""
    if key not in a or key not in b:
        return None
    return pair_if_changed(a[key], b[key])


def setting_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Settings both runs recorded that differ: the labels (their order is the label
    model's class order) and the triage settings (not its counts, the weights its ranking
    chose or whether the ranking was read back, outcomes). The config file's hash says that
    something changed; this says what, also for a project configured from Python, which has
    no file."""
    out: dict[str, tuple[Any, Any]] = {}
    labels_a, labels_b = manifest_labels(a), manifest_labels(b)
    if labels_a is not None and labels_b is not None and labels_a != labels_b:
        out["labels"] = (list(labels_a), list(labels_b))
    triage_a, triage_b = a.get("triage") or {}, b.get("triage") or {}
    # counts, the ranking's weights ("default" / "reviewed"), whether the ranking was read
    # from the ranking cache and the gold items the draws left out are outcomes, not settings
    for key in sorted(set(triage_a) & set(triage_b)
                      - {"counts", "ranking_weights", "ranking_weights_evidence",
                         "ranking_cache", "gold_left_out",
                         "audit_strata", "copies", "queue_files"}):
        if triage_a[key] != triage_b[key]:
            out[f"triage {key}"] = (triage_a[key], triage_b[key])
    # of the copies' record only the setting is one; its counts are outcomes
    copies_a, copies_b = (t.get("copies") for t in (triage_a, triage_b))
    if isinstance(copies_a, dict) and isinstance(copies_b, dict) \
            and copies_a.get("setting") != copies_b.get("setting"):
        out["review copies"] = (copies_a.get("setting"), copies_b.get("setting"))
    # of what the review files hold only the limit is a setting; the rest counts the queue
    files_a, files_b = (t.get("queue_files") for t in (triage_a, triage_b))
    if isinstance(files_a, dict) and isinstance(files_b, dict) \
            and files_a.get("limit") != files_b.get("limit"):
        out["review queue_limit"] = (files_a.get("limit"), files_b.get("limit"))
    return out


def auto_choice(manifest: dict[str, Any]) -> dict[str, Any] | None:
    """What ``auto`` chose (model and settings, calibration method, where labels come
    from), None for another model."""
    model = manifest.get("label_model") or {}
    chosen = model.get("chosen")
    if not chosen:
        return None
    return {"model": chosen.get("model"), "params": chosen.get("params"),
            "calibration": (model.get("calibration") or {}).get("method"),
            "labels_from": model.get("labels_from")}


def choice_change(a: dict[str, Any] | None, b: dict[str, Any] | None
                   ) -> dict[str, Any] | None:
    """``pair_if_changed`` of two runs' choices; None unless both ran ``auto`` (another
    model is said by the model's own change)."""
    return pair_if_changed(*common_fields(a, b)) if a and b else None


def package_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Versions that differ, of the packages both runs recorded (a run records a package
    that is not installed as null; one from before a package was tracked has no entry)."""
    before, after = a.get("packages") or {}, b.get("packages") or {}
    return {name: (before[name], after[name]) for name in sorted(set(before) & set(after))
            if before[name] != after[name]}


def common_fields(a: dict[str, Any] | None, b: dict[str, Any] | None, *,
                  keep: Collection[str] = ()
                  ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Two records cut to the fields both have: a field a newer labelwright added is not a
    change. ``keep``: fields a record leaves out where they are empty, kept in the other."""
    if not a or not b:
        return a, b
    return ({k: v for k, v in a.items() if k in b or k in keep},
            {k: v for k, v in b.items() if k in a or k in keep})


def fit_balance(manifest: dict[str, Any]) -> dict[str, float] | None:
    """The class balance the run's label model was fit with, by label (None if not
    recorded, or not one share per label)."""
    shares = (manifest.get("label_model") or {}).get("class_balance")
    labels = manifest_labels(manifest)
    if not shares or not labels or len(shares) != len(labels):
        return None
    return {str(label): float(share) for label, share in zip(labels, shares)}


def balance_change(a: dict[str, float] | None, b: dict[str, float] | None
                    ) -> dict[str, Any] | None:
    """Both runs' balances if a label's share moved by >= 0.1 point (or the labels
    differ), else None."""
    if a is None or b is None:
        return None
    if set(a) == set(b) and all(abs(a[label] - b[label]) < 0.0005 for label in a):
        return None
    return {"a": a, "b": b}
