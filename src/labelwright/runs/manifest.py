"""A run's ``manifest.json``: read it, check its shape, and tell whose run it is.

Every command that reads a manifest goes through :func:`read_manifest`, which checks the
type of every field the commands read (an edited manifest with ``"data": null`` or an
output hash that is a number is a :class:`RunError` naming the file and the field, not a
traceback in whichever command touches the field first), and that each output it names is
a file of the run folder (a key such as ``../../labelwright.toml`` would have ``runs
verify`` hash a file outside the run). Fields a run does not write are not required, so
manifests from older runs still read; only ``run_id`` is: every run has written it. The
shapes are written in :mod:`~labelwright.runs.json_shapes` (whose names still import from
here).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError

# a model named as the manifest records it, in a module of its own; the earlier path still
# imports them
from labelwright.model_text import chosen_model as chosen_model
from labelwright.model_text import settings_text as settings_text
from labelwright.runs.json_shapes import Each as Each
from labelwright.runs.json_shapes import Fields as Fields
from labelwright.runs.json_shapes import Maybe as Maybe
from labelwright.runs.json_shapes import Values as Values
from labelwright.runs.json_shapes import describe as describe
from labelwright.runs.json_shapes import json_kind
from labelwright.runs.json_shapes import shape_problem as shape_problem

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig

MANIFEST = "manifest.json"

#: shapes (:mod:`~labelwright.runs.json_shapes`) of the fields a run writes
HASHED_FILE = Fields({"name": str, "sha256": str}, required=("name", "sha256"))

#: one model's accuracy on held-out gold (``labelwright.project.evaluate``)
ACCURACY = Fields({"accuracy": Maybe(float), "covered_accuracy": Maybe(float), "labeled": int,
                   "macro_f1": float, "f1_by_label": Each(float),
                   "support_by_label": Each(int)})

#: one vote pattern's calibration on held-out gold (``evaluation.calibration_by_votes``)
VOTE_GROUP = Fields({"items": int, "confidence": float, "correct": int, "accuracy": float,
                     "ci_low": float, "ci_high": float, "gap": Maybe(str)})

#: the fields commands read (show, list, verify, diff, explain, export, train, the report,
#: review export), each with the shape a run writes it in
MANIFEST_SHAPE = Fields({
    "run_id": str,
    "project": Fields({"name": str, "root": str, "labels": Each(str), "renamed": Values(str)}),
    "data": Fields({"path": str, "sha256": Maybe(str), "rows": int, "gold_rows": int,
                    "schema": Each(Fields({"name": str, "dtype": str},
                                          required=("name", "dtype"))),
                    "warnings": list, "quoting": str, "columns": Maybe(Each(str)),
                    "path_from": str,
                    "frame": Fields({"shape": Each(int), "columns": Each(str)}),
                    "parts": Each(Fields({"path": str, "sha256": str, "rows": int,
                                          "skipped": int},
                                         required=("path", "sha256", "rows")))}),
    "config": Maybe(Fields({"path": str, "sha256": str})),
    "git": Maybe(Fields({"commit": str}, required=("commit",))),
    # the run before and its manifest's sha256 (runs.manifest_chain); runs from before it
    # was recorded have no such key
    "previous_run": Maybe(Fields({"run_id": str, "manifest_sha256": str},
                                 required=("run_id", "manifest_sha256"))),
    "reviews": Maybe(Fields({
        "decisions": int, "count": int, "ledger_sha256": Maybe(str), "sha256": Maybe(str),
        "decision_times": str, "sample_items": str,
        "policy": str, "adjudicators": Each(str), "same_rater": Values(str),
        "renamed": Values(str), "decisions_renamed": Values(int),
        "stale_labels": Values(int), "stale_items": int,
        "decisions_without_labels": int, "labels_not_offered": Values(int),
        "decisions_readded_labels": Values(int), "runs_with_other_labels": dict,
        "disagreements": int, "ties": int,
        "disagreements_adjudicated": int, "overruled_by_adjudicators": int,
        "adjudicators_disagree": int,
        "items_with_gold": int, "items_from_random_sample": int,
        "reviewed_on_other_text": int, "text_unchecked": Values(int),
        "set_aside_other_text": Each(Fields({"run_id": Maybe(str), "id": str})),
        # the retirement records the run honoured (review retire), absent when none
        "retirements": int, "retirements_sha256": str, "decisions_retired": int,
    })),
    "labeling_functions": Each(Fields({"name": str, "kind": str, "location": str,
                                       "made_at": str, "source_sha256": str,
                                       "defined_in": str},
                                      required=("name",))),
    "lf_modules": Each(HASHED_FILE),
    "lf_folder_files": Each(HASHED_FILE),
    "glossaries": Each(Fields({"name": str, "path": str, "sha256": str},
                              required=("name",))),
    "pipeline": Fields({"fingerprint": Maybe(str), "matcher_sha256": Maybe(str),
                        "fingerprint_parts": Values(Maybe(str))}),
    # the calibration that shaped the probabilities (runs.calibration_record; runs from
    # before it have no such key)
    "calibration": Maybe(Fields({"method": str, "confidence_map": bool,
                                 "no_vote_shares": bool, "parameters_sha256": str,
                                 "gold": Maybe(Fields({"items": int, "sha256": str},
                                                      required=("items", "sha256")))},
                                required=("method", "parameters_sha256"))),
    # the report's sha256 as the run built it (runs.report_record); null when it built none,
    # and runs from before it was recorded have no such key
    "report": Maybe(Fields({"sha256": str}, required=("sha256",))),
    "label_model": Fields({"name": str, "class": Maybe(str), "params": dict,
                           "chosen": Maybe(dict), "class_balance": Each(float),
                           "calibration": Maybe(dict), "labels_from": Maybe(str),
                           "cv_scores": Maybe(Each(Fields({"model": str, "params": dict,
                                                           "score": float})))}),
    "triage": Fields({"counts": Values(int), "draws": str, "queue_ties": str,
                      "excludes": Each(str),
                      "unread_by_balance": bool,
                      "gold_left_out": Values(int), "audit_allocation": str,
                      "audit_strata": Values(Values(int)),
                      "ranking_cache": Maybe(Fields({"used": bool, "reused": Maybe(bool),
                                                     "refreshed": Maybe(bool),
                                                     "code": Maybe(str)}))}),
    "seed": Maybe(int),
    "failures": Values(Fields({"count": int, "item_ids": list}, required=("count",))),
    # how the run ended (runs.outcome): a failed one is not taken for the latest run; runs
    # from before it was recorded have no such key
    "outcome": Fields({"status": str, "strict": bool, "failed_because": Maybe(str),
                       "failed_lfs": Each(str)}),
    "coverage": Maybe(float),
    # the report's summary shows label model and majority vote as `labelwright run` prints them
    # and per vote pattern, the calibration of its held-out gold (runs from before: absent)
    "evaluation": Maybe(Fields({"label_model": Maybe(ACCURACY), "majority_vote": Maybe(ACCURACY),
                                "n_gold": Maybe(int), "reviewed_left_out": int,
                                "calibration_by_votes": Values(VOTE_GROUP)})),
    "packages": Values(Maybe(str)),
    "labelwright_code": Fields({"sha256": str, "files": int}),
    # the warnings `labelwright run` printed besides the data reader's (data.warnings): the
    # report shows them at its top; runs from before it was recorded have no such key
    "run_warnings": Each(str),
    # the kind of each of them (labelwright.warning_kinds), in their order: one per warning
    # (_warning_kinds_problem); runs from before it was recorded have no such key
    "run_warning_kinds": Each(str),
    "outputs": Values(str),
    # the run's copies of its config, LF folder and glossaries (runs.sources)
    "sources": Fields({"folder": str, "files": Each(Fields(
        {"path": str, "kind": str, "copy": str, "sha256": str, "bytes": int},
        required=("path", "copy", "sha256"))), "not_kept": list}),
    # the report's summary shows how the LFs were applied and how long each step took
    "apply": Fields({"engine": str, "engine_requested": str, "cluster": Maybe(str),
                     "scheduler": Maybe(str), "workers": Maybe(int), "chunk_size": int,
                     "vote_cache": Fields({"used": bool, "hits": Maybe(int),
                                           "misses": Maybe(int),
                                           "lfs_computed": Maybe(Each(str)),
                                           "lfs_cached": Maybe(Each(str))}),
                     "doc_cache": Fields({"used": bool, "hits": Maybe(int)})}),
    "timings_seconds": Values(float),
}, required=("run_id",))


#: the sections every run has written into its manifest, from the first labelwright on; a
#: manifest without one was edited, and what the section recorded cannot be checked
#: (``outputs`` too, which ``runs verify`` checks on its own)
ALWAYS_RECORDED = ("project", "data", "labeling_functions", "glossaries", "pipeline",
                   "label_model", "triage")
#: what each of those sections records, as a message about its absence says it
SECTION_RECORDS = {
    "project": "whose project the run is", "data": "the data file it read and its sha256",
    "labeling_functions": "the LFs it applied and their sources' hashes",
    "glossaries": "the glossaries it matched and their hashes",
    "pipeline": "the spaCy pipeline it parsed with",
    "label_model": "the label model and its settings", "triage": "its triage settings and counts",
    "reviews": "how much of the review ledger it read and its digest; null without a ledger",
    "git": "the project's git state; null outside a git repository",
    "calibration": "the calibration that shaped its probabilities and the reviewed labels it "
                   "was fit on; null for a label model that calibrates nothing"}
#: sections runs began to write on the project's first day, each present since (null
#: when there was nothing: ``reviews`` without a review ledger, ``git`` outside a
#: repository) ...
RECORDED_SINCE_REVIEWS = ("reviews", "git")
#: ... and sections added after them: a manifest with any of these was written by a
#: labelwright that wrote those too
_ADDED_AFTER_REVIEWS = ("apply", "config", "lf_modules", "run_warnings", "labelwright_code")
#: the calibration record (null for a label model that calibrates nothing), in every
#: manifest written since it was added, told by the sections added after it (an ``auto``
#: run's own ``label_model.json`` tells it too: ``runs verify``'s
#: :func:`~labelwright.runs.verify.run_files.calibration_record_deleted`) ...
RECORDED_SINCE_CALIBRATION = ("calibration",)
#: ... and the sections added after it
ADDED_AFTER_CALIBRATION = ("report",)


def missing_sections(manifest: Mapping[str, Any]) -> list[str]:
    """The top-level sections the labelwright that wrote ``manifest`` always recorded and
    that it lacks (``reviews`` deleted by hand hid that the run read a ledger; a manifest
    from before ``reviews`` was recorded, with none of the sections added later either,
    lacks none). :func:`read_manifest` does not require them, so every command still reads
    the run; ``runs verify`` reports them and ``runs diff`` does not compare them."""
    required = list(ALWAYS_RECORDED)
    if any(key in manifest for key in (*_ADDED_AFTER_REVIEWS, *ADDED_AFTER_CALIBRATION)):
        required += RECORDED_SINCE_REVIEWS
    if any(key in manifest for key in ADDED_AFTER_CALIBRATION):
        required += RECORDED_SINCE_CALIBRATION
    return [key for key in required if key not in manifest]


def read_manifest(run_dir: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest of the run in ``run_dir``; a :class:`RunError` naming the file when it
    cannot be read, is not an object, or has a field in another shape than a run writes
    (:data:`MANIFEST_SHAPE`)."""
    return read_hashed_manifest(run_dir)[0]


def read_hashed_manifest(run_dir: str | os.PathLike[str]) -> tuple[dict[str, Any], str]:
    """:func:`read_manifest`, and the sha256 of the very bytes it read (the hash a later
    run's ``previous_run`` records of it), from one read of the file."""
    path = Path(run_dir) / MANIFEST
    try:
        data = path.read_bytes()
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:  # before ValueError's JSONDecodeError: not JSON text
        raise RunError(f"{path}: cannot read the manifest: it is not UTF-8 (byte "
                       f"0x{exc.object[exc.start]:02x} at offset {exc.start}), as a run "
                       "writes it: edited by hand, or saved in another encoding? Put back "
                       "a copy from before (the next run's manifest records its sha256 "
                       "under previous_run)") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise RunError(f"{path}: cannot read the manifest: {exc}") from None
    if not isinstance(manifest, dict):
        raise RunError(f"{path}: cannot read the manifest: it holds {json_kind(manifest)}, "
                       "not the object a run writes")
    problem = (shape_problem(manifest, MANIFEST_SHAPE, "") or _outputs_problem(manifest)
               or _warning_kinds_problem(manifest))
    if problem is not None:
        raise RunError(f"{path}: cannot read the manifest: {problem} (was it edited by "
                       "hand?)")
    return manifest, hashlib.sha256(data).hexdigest()


def pipeline_text(pipeline: Mapping[str, Any] | None) -> str:
    """The spaCy pipeline a manifest records, as one line: ``spacy.blank('en') (en;
    labelwright_lookup_lemmas; fingerprint bee05262cab6)``, or a trained pipeline's name and
    version (``core_web_sm 3.8.0 (en; ...)``). A blank pipeline's own meta calls it
    ``pipeline 0.0.0``, which says nothing to a reader. A Chinese pipeline names its
    segmenter (``segmenter jieba``): a run diff said only that the fingerprint moved."""
    p = pipeline or {}
    lang = p.get("lang")
    blank = p.get("name") == "pipeline" and p.get("version") == "0.0.0"
    name = f"spacy.blank({lang!r})" if blank else f"{p.get('name')} {p.get('version')}"
    components = ", ".join(p.get("components") or []) or "no components"
    segmenter = f"segmenter {p['segmenter']}; " if p.get("segmenter") else ""
    return (f"{name} ({lang}; {segmenter}{components}; fingerprint "
            f"{str(p.get('fingerprint'))[:12]})")


def _outputs_problem(manifest: dict[str, Any]) -> str | None:
    """An ``outputs`` key that is not the name of a file in the run folder (a run hashes
    only the files it writes there), or None."""
    for name in manifest.get("outputs") or {}:
        if not is_file_name(name):
            return (f"outputs names {name!r}, not a file of the run folder, where a run "
                    "records its own files by name")
    return None


def _warning_kinds_problem(manifest: dict[str, Any]) -> str | None:
    """``run_warning_kinds`` not one kind for each of ``run_warnings`` (a run records both,
    in the same order), or None. A kind this labelwright does not know is no problem: a
    newer one may add kinds."""
    if "run_warning_kinds" not in manifest:
        return None
    kinds, warnings = len(manifest["run_warning_kinds"]), len(manifest.get("run_warnings") or [])
    if kinds == warnings:
        return None
    return (f"run_warning_kinds holds {kinds} kind(s) for {warnings} run_warnings, where a "
            "run records one kind for each warning")


def is_file_name(name: str) -> bool:
    """Whether ``name`` is a plain file name: no folder, not ``.`` or ``..``, not empty."""
    return (name not in ("", ".", "..") and "/" not in name and "\\" not in name
            and "\0" not in name)


def project_record(config: ProjectConfig) -> dict[str, Any]:
    """The project as a run's manifest records it (``project``): name, root, labels, and
    its ``[project] renamed`` where it has one (old name -> current label: ``runs diff``
    names the flips that are only a rename with it, with or without reviews)."""
    return {"name": config.name, "root": str(config.root), "labels": list(config.labels),
            **({"renamed": dict(config.renamed)} if config.renamed else {})}


def project_path(path: Path, root: Path) -> str:
    """``path`` as a manifest names a project file: relative to the project folder ``root``
    when it lies inside it (``labeling_functions/topics.py``), else as it is."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def recorded_renamed(manifest: Mapping[str, Any]) -> dict[str, str]:
    """The ``[project] renamed`` a run was made with (old name -> current label), as its
    manifest records it: ``project.renamed``, or ``reviews.renamed`` in a run made before
    the project record had it (there only a run with reviews recorded it); {} for none."""
    project, reviews = manifest.get("project"), manifest.get("reviews")
    for record in (project, reviews):
        renamed = record.get("renamed") if isinstance(record, Mapping) else None
        if isinstance(renamed, Mapping) and renamed:
            return {str(old): str(new) for old, new in renamed.items()}
    return {}


def misnamed(run_dir: Path, manifest: Mapping[str, Any]) -> str | None:
    """What is wrong when ``run_dir`` is not named by the ``run_id`` its manifest records (a
    run copied or renamed to another run-id-like name, which would sort as another run),
    else None (:func:`read_manifest` refuses a manifest without a run id)."""
    run_id = manifest.get("run_id")
    if not isinstance(run_id, str) or run_id == run_dir.name:
        return None
    back = "" if (run_dir.parent / run_id).exists() else f" (or name it {run_id} again)"
    return (f"{MANIFEST}: records run {run_id}, not {run_dir.name}, so the folder is a copy "
            f"or a renamed run; move it out of {run_dir.parent}{back}")


def other_project(run_dir: Path, manifest: Mapping[str, Any],
                  project: Mapping[str, Any] | None) -> str | None:
    """What is wrong when the run in ``run_dir`` was made by another project than
    ``project`` (a :func:`project_record`): a run folder copied in from another project's
    runs, which commands would otherwise build on as this project's. None when it is this
    project's, or either record is missing (nothing to compare).

    A run is this project's when it was made in this folder (a project renamed in place
    keeps its root), or under this project's name (a project moved elsewhere, or cloned,
    keeps it: the root alone would refuse every run of a moved project), or, when neither
    name was set in ``[project] name`` but is the folder's, with the same labels (a project
    folder renamed). Labels alone do not part two runs: a project's labels change between
    its runs."""
    recorded = manifest.get("project")
    if not isinstance(recorded, Mapping) or not project or "name" not in recorded:
        return None
    name, root, labels = recorded.get("name"), recorded.get("root"), recorded.get("labels")
    if root == project.get("root") or name == project.get("name"):
        return None
    if (_named_by_folder(name, root) and _named_by_folder(project.get("name"),
                                                          project.get("root"))
            and labels == project.get("labels")):
        return None
    return (f"{MANIFEST}: made by project {_described(recorded)}, not by this project "
            f"{_described(project)}: a run copied in from another project; move it out of "
            f"{run_dir.parent} (or, if this project was called {name!r}, set [project] name "
            f"= {name!r})")


def _named_by_folder(name: Any, root: Any) -> bool:
    """Whether a project's name is its folder's (``[project] name`` unset)."""
    return isinstance(root, str) and name == PurePath(root).name


def _described(project: Mapping[str, Any]) -> str:
    """``'sms' (labels ham, spam; in /data/sms)``."""
    labels = project.get("labels")
    shown = ", ".join(map(str, labels)) if isinstance(labels, list) else "?"
    return f"{project.get('name')!r} (labels {shown}; in {project.get('root')})"
