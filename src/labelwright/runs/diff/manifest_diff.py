"""What two runs' manifests alone say changed between them: their inputs (LFs, glossaries,
data, config, label model, reviews, pipeline, packages) and the figures they record
(coverage, accuracy on gold).

:func:`manifest_fields` is the part of :func:`~labelwright.runs.diff.compare.diff_runs`
read from the manifests and the runs' kept sources; :func:`diff_manifests` is that part
alone, for a run ``runs prune --keep-manifests`` archived (``runs/pruned/<run_id>/``), whose
labels and votes went with its folder: what changed is told, what it did to the labels
cannot be.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelwright.review.decisions.retirements import MANIFEST_FIELDS
from labelwright.runs.diff.glossary_edits import glossary_edits
from labelwright.runs.diff.manifest_changes import (
    code_change,
    failure_changes,
    gold_items,
    label_renames,
    lf_changes,
    named_changes,
    recorded_accuracy,
    run_missing_sections,
)
from labelwright.runs.diff.renames import glossary_renames, lf_renames
from labelwright.runs.diff.result import Changes, RunDiff
from labelwright.runs.diff.settings import (
    auto_choice,
    balance_change,
    choice_change,
    common_fields,
    fit_balance,
    model_change,
    package_changes,
    pair_if_changed,
    recorded_pair,
    review_settings,
    setting_changes,
)
from labelwright.runs.sources import SOURCES
from labelwright.runs.store import read_manifest


def manifest_fields(paths: tuple[Path, Path], manifests: tuple[dict[str, Any], dict[str, Any]]
                    ) -> dict[str, Any]:
    """The fields of a :class:`~labelwright.runs.diff.result.RunDiff` that the two runs'
    manifests (and their kept sources, for renamed LFs and edited glossaries) give, by
    name; a section one manifest lacks is not compared (every LF would read as added)."""
    (run_a, run_b), (a, b) = paths, manifests
    missing = run_missing_sections((a, run_a), (b, run_b))
    data_a, data_b = a.get("data", {}), b.get("data", {})
    data = None if "data" in missing else pair_if_changed(
        {"sha256": data_a.get("sha256"), "rows": data_a.get("rows"), "path": data_a.get("path")},
        {"sha256": data_b.get("sha256"), "rows": data_b.get("rows"), "path": data_b.get("path")},
    )
    if data is not None and data["a"]["sha256"] == data["b"]["sha256"]:
        data = None  # same bytes read from another path
    lfs = lf_changes(*(([], []) if "labeling_functions" in missing else (
        a.get("labeling_functions", []), b.get("labeling_functions", []))))
    lfs = lfs.with_renames(lf_renames(run_a, a, run_b, b, lfs.removed, lfs.added))
    glossaries_a, glossaries_b = (([], []) if "glossaries" in missing
                                  else (a.get("glossaries", []), b.get("glossaries", [])))
    glossaries = named_changes(glossaries_a, glossaries_b, "sha256")
    glossaries = glossaries.with_renames(glossary_renames(
        glossaries_a, glossaries_b, glossaries.removed, glossaries.added))
    modelled = "label_model" not in missing
    return {
        "run_a": a.get("run_id", run_a.name),
        "run_b": b.get("run_id", run_b.name),
        "lfs": lfs,
        "glossaries": glossaries,
        "lf_files": named_changes(a["lf_folder_files"], b["lf_folder_files"], "sha256")
        if "lf_folder_files" in a and "lf_folder_files" in b else Changes(),
        "lf_modules": named_changes(a["lf_modules"], b["lf_modules"], "sha256")
        if "lf_modules" in a and "lf_modules" in b else Changes(),
        "data": data,
        "model": model_change(a, b) if modelled else None,
        "reviews": None if "reviews" in missing else pair_if_changed(*common_fields(
            a.get("reviews"), b.get("reviews"), keep=MANIFEST_FIELDS)),
        "config": recorded_pair(a, b, "config"),
        # a field a newer labelwright added (fingerprint_parts) is no change of pipeline
        "pipeline": pair_if_changed(*common_fields(a["pipeline"], b["pipeline"]))
        if "pipeline" in a and "pipeline" in b else None,
        "packages": package_changes(a, b),
        "labelwright_code": code_change(a, b),
        "label_renames": label_renames(a, b),
        "coverage": (a.get("coverage"), b.get("coverage")),
        "accuracy": (recorded_accuracy(a), recorded_accuracy(b)),
        "gold_items": (gold_items(a), gold_items(b)),
        "parts_only_a": parts_gone(data_a, data_b),
        "settings": setting_changes(a, b),
        "choice": choice_change(auto_choice(a), auto_choice(b)) if modelled else None,
        "class_balance": balance_change(fit_balance(a), fit_balance(b)) if modelled else None,
        "review_settings": {} if "reviews" in missing else review_settings(a, b),
        "config_same": isinstance(a.get("config"), dict) and a.get("config") == b.get("config"),
        "failures": failure_changes(a, b),
        "glossary_edits": glossary_edits((run_a, run_b), (a, b), glossaries.edited),
        "sources_a": str(run_a / SOURCES) if (run_a / SOURCES).is_dir() else None,
        "missing_sections": missing,
    }


def diff_manifests(run_a: str | os.PathLike[str], run_b: str | os.PathLike[str], *,
                   pruned: Sequence[str]) -> RunDiff:
    """Compare two runs by their manifests alone (``pruned``: the ids of those whose
    folders ``runs prune`` removed, each read from its archive): no item is compared, no
    flip counted (:attr:`~labelwright.runs.diff.result.RunDiff.pruned` says why)."""
    paths = (Path(run_a), Path(run_b))
    manifests = (read_manifest(paths[0]), read_manifest(paths[1]))
    return RunDiff(**manifest_fields(paths, manifests), compared=0, only_a=0, only_b=0,
                   flipped=0, transitions={}, examples=[], pruned=list(pruned))


def parts_gone(data_a: dict[str, Any], data_b: dict[str, Any]) -> list[str]:
    """The part files (of a dataset in many files) run a read that run b did not, in run
    a's order: where items gone since a run went, when a part was removed."""
    after = {str(part.get("path")) for part in data_b.get("parts") or []}
    return [str(part.get("path")) for part in data_a.get("parts") or []
            if str(part.get("path")) not in after]
