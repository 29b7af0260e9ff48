"""A run that reuses an earlier run's fitted label model (``labelwright run
--label-model-from RUN``) instead of fitting one.

A nightly team adding a skewed batch of 5,000 items saw 23,040 labels of unchanged items
flip: the label model, refit on the new votes, read the LFs otherwise. Reusing the model
keeps what it learned: the votes of every item (new ones too) are read by it as they were.
It is refused when the run's labels or LFs (names, order, count) are not those it was fit
on, as a model's numbers are per label and per LF position; and when the earlier run's
``label_model.json`` is not the file that run wrote. The manifest records the run and the
file's sha256 (``label_model.from_run``), and the run keeps that file byte for byte as its
own ``label_model.json``, so ``runs verify --recompute`` reads the same model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig
from labelwright.errors import RunError
from labelwright.runs.file_names import LABEL_MODEL_FILE

#: the manifest's ``label_model`` key naming the run whose fitted model a run reused
FROM_RUN = "from_run"


@dataclass(frozen=True)
class ReusedModel:
    """An earlier run's fitted label model: the model, the manifest's ``label_model.from_run``
    record (``run_id``, ``sha256`` of its ``label_model.json``) and what the run should be
    told (LFs whose code changed since, a ``[label_model]`` name not used), and ``name``,
    the model's own (the earlier run's ``label_model.name``), which the run says and
    records in place of ``[label_model] name``."""

    model: Any
    record: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    name: str | None = None
    #: the earlier run's ``label_model.json`` as read, which the run keeps as its own copy
    #: byte for byte (a save by this version may format otherwise): its sha256 is the
    #: record's, so ``runs verify --recompute`` reads the run's own copy
    file: bytes = b""


def reuse_label_model(config: ProjectConfig, run: str, lf_names: Sequence[str],
                      lf_sources: Mapping[str, str],
                      glossary_files: Mapping[str, str] | None = None) -> ReusedModel:
    """The fitted label model of ``run`` (an id, a unique prefix or a run folder of this
    project's runs), checked to fit this run: a :class:`RunError` saying what differs
    otherwise. ``lf_names``: this run's LFs in order; ``lf_sources``: their source hashes;
    ``glossary_files``: each glossary LF's file sha256 (its source hash holds more)."""
    from labelwright.runs.label_set import manifest_labels
    from labelwright.runs.run_folders import resolve_run
    from labelwright.runs.store import changed_output, read_manifest

    run_dir = resolve_run(config.runs_path, run, project=config)
    manifest = read_manifest(run_dir)
    path = run_dir / LABEL_MODEL_FILE
    if not path.is_file():
        raise RunError(f"{path}: missing: run {run_dir.name} kept no fitted label model, so "
                       "--label-model-from cannot reuse it; name a run that wrote "
                       f"{LABEL_MODEL_FILE}")
    changed = changed_output(run_dir, manifest, LABEL_MODEL_FILE)
    if changed is not None:
        raise RunError(f"{run_dir}: {changed}: it is not the model run {run_dir.name} fit, so "
                       "it is not reused (`labelwright runs verify` checks the run)")
    _refuse_other_labels(run_dir.name, manifest_labels(manifest), config.labels)
    fitted_on = [str(lf.get("name")) for lf in manifest.get("labeling_functions") or []]
    _refuse_other_lfs(run_dir.name, fitted_on, list(lf_names))
    model = _load(path, (manifest.get("label_model") or {}).get("name"), config.root)
    data = path.read_bytes()  # the run's copy: checked again, as the file was read twice
    if hashlib.sha256(data).hexdigest() != (manifest.get("outputs") or {}).get(LABEL_MODEL_FILE):
        raise RunError(f"{path}: changed while it was read, so it is not reused: run again")
    if getattr(model, "n_lfs_", None) != len(lf_names) \
            or getattr(model, "cardinality", None) != len(config.labels):
        raise RunError(f"{path}: the model was fit on {getattr(model, 'n_lfs_', '?')} LFs and "
                       f"{getattr(model, 'cardinality', '?')} labels; this run has "
                       f"{len(lf_names)} LFs and {len(config.labels)} labels")
    fit_by, fit_manifest, gone = _fit_run(config.runs_path, run_dir.name, manifest)
    record = {"run_id": run_dir.name, "sha256": hashlib.sha256(data).hexdigest(),
              "fit_by": fit_by}
    warnings = [gone] if gone else []
    warnings += _reuse_warnings(fit_by, fit_manifest, config, lf_sources, glossary_files)
    warnings += _module_warnings(fit_by, fit_manifest, model, config.root)
    warnings += _name_warnings(run_dir.name, manifest, config)
    then = (manifest.get("label_model") or {}).get("name")
    return ReusedModel(model, record, warnings,
                       name=str(then) if then is not None else config.label_model.name,
                       file=data)


def _fit_run(runs_dir: Path, run_id: str,
             manifest: Mapping[str, Any]) -> tuple[str, Mapping[str, Any], str | None]:
    """The run that fit the model ``run_id`` kept (``run_id`` itself unless it reused one):
    its id, its manifest and a warning when it is gone. A reusing run records it
    (``from_run.fit_by``), so the code and LFs the model was fit on are compared with that
    run's, not with an intermediate reuse's (which records no change made before it); a
    record without ``fit_by`` (runs before it) is followed one link at a time."""
    from labelwright.runs.store import read_manifest

    seen = [run_id]
    while True:
        source = (manifest.get("label_model") or {}).get(FROM_RUN) or {}
        if not source:
            return seen[-1], manifest, None
        fit_by = str(source.get("fit_by") or source.get("run_id"))
        if fit_by in seen:
            raise RunError(f"--label-model-from {run_id}: the runs' label_model.from_run "
                           f"records go round ({' -> '.join([*seen, fit_by])}): the run that "
                           "fit the model is not known; run without --label-model-from to "
                           "fit one")
        try:
            earlier = read_manifest(runs_dir / fit_by)
        except (OSError, ValueError, RunError):
            return seen[-1], manifest, (
                f"run {fit_by}, which fit the label model run {run_id} reused, is gone "
                f"({runs_dir / fit_by}): the LFs and model code are compared with run "
                f"{seen[-1]}'s alone, so a change made before that run is not warned of")
        seen.append(fit_by)
        manifest = earlier


def reused_model_file(run_dir: Path, record: Mapping[str, Any]) -> Any:
    """The label model the run in ``run_dir`` reused (its ``label_model.from_run``
    ``record``): the run's own ``label_model.json`` when it is that file (its sha256 the
    record's), else the named run's, beside it; a :class:`RunError` when neither is (gone,
    or changed since). Read from the run's own copy (the file it reused, byte for byte), a
    reuse of a reuse needs no run between it and the one that fit the model (``runs
    prune`` removes those, but keeps the named run of a run whose copy is not the file)."""
    from labelwright.file_hashes import file_sha256

    own = run_dir / LABEL_MODEL_FILE
    if own.is_file() and file_sha256(own) == record.get("sha256"):
        return _load(own)
    path = run_dir.parent / str(record.get("run_id")) / LABEL_MODEL_FILE
    if not path.is_file():
        raise RunError(f"{path}: missing: the run reused the label model of run "
                       f"{record.get('run_id')}, whose file is gone (pruned or deleted), and "
                       f"the run's own {own.name} is missing or not that model")
    now = file_sha256(path)
    if now != record.get("sha256"):
        raise RunError(f"{path}: sha256 {now[:12]}..., not the {str(record.get('sha256'))[:12]}"
                       "... of the model the run reused: the file changed since")
    return _load(path)


def _load(path: Path, name: Any = None, root: Path | None = None) -> Any:
    """The model in ``path``; a model of the user's own (``name`` = ``module:Class``, the
    run's ``[label_model] name``) is imported from the project folder ``root`` first, as
    this run's config may name another model (a new process has not imported it)."""
    from labelwright.models.module_models import model_from_module, names_a_module
    from labelwright.models.registry import load_model

    if isinstance(name, str) and root is not None and names_a_module(name):
        try:
            model_from_module(name, root)
        except ValueError as exc:
            raise RunError(f"cannot reuse the label model of {path.parent.name}: it is "
                           f"{name}, a model of your own, and {exc}; restore the module in "
                           "the project folder, or run without --label-model-from to fit "
                           "the model the config names") from None
    try:
        return load_model(path)
    except ValueError as exc:
        raise RunError(f"cannot reuse the label model: {exc}") from None


def _refuse_other_labels(run_id: str, fitted: Sequence[str] | None,
                         now: Sequence[str]) -> None:
    if fitted is None or list(fitted) != list(now):
        raise RunError(f"--label-model-from {run_id}: that run's label model was fit on the "
                       f"labels {list(fitted) if fitted is not None else '(not recorded)'}, "
                       f"this project has {list(now)}: a model's numbers are per label, in "
                       "order, so it cannot be reused; run without --label-model-from to fit "
                       "one")


def _refuse_other_lfs(run_id: str, fitted: list[str], now: list[str]) -> None:
    if fitted == now:
        return
    gone = [name for name in fitted if name not in now]
    added = [name for name in now if name not in fitted]
    said = "; ".join(part for part in (
        f"gone since: {', '.join(gone)}" if gone else "",
        f"new: {', '.join(added)}" if added else "",
        "the same LFs in another order" if not gone and not added else "") if part)
    raise RunError(f"--label-model-from {run_id}: that run's label model was fit on "
                   f"{len(fitted)} LFs ({', '.join(fitted)}), this run has {len(now)} "
                   f"({', '.join(now)}): {said}. A model's numbers are per LF position, so it "
                   "cannot be reused; run without --label-model-from to fit one")


def _reuse_warnings(run_id: str, manifest: Mapping[str, Any], config: ProjectConfig,
                    lf_sources: Mapping[str, str],
                    glossary_files: Mapping[str, str] | None = None) -> list[str]:
    """LFs whose code changed since run ``run_id`` fit the model (it reads their votes at
    what it learned of the old code). A glossary LF's source hash holds its file's, the
    pipeline's and labelwright's matcher's (``glossary_files``: glossary LF -> its file's
    sha256 now): one whose file is the same is said apart, as labelwright's matching (an
    upgrade) or the pipeline changed, not the glossary; every glossary was said changed."""
    changed = [str(lf.get("name")) for lf in manifest.get("labeling_functions") or []
               if lf.get("name") in lf_sources
               and lf.get("source_sha256") != lf_sources[str(lf.get("name"))]]
    files_then = {f"glossary:{g.get('name')}": g.get("sha256")
                  for g in manifest.get("glossaries") or [] if isinstance(g, dict)}
    same_file = [name for name in changed if name in (glossary_files or {})
                 and files_then.get(name) == (glossary_files or {})[name]]
    edited = [name for name in changed if name not in same_file]
    warnings = []
    if edited:
        warnings.append(f"the label model reused (fit by run {run_id}) was fit before "
                        f"{', '.join(edited)} changed: it reads their votes at the accuracy it "
                        "learned of the old code; run without --label-model-from to fit it on "
                        "the new votes")
    if same_file:
        warnings.append(f"the label model reused (fit by run {run_id}) was fit on votes of "
                        f"{', '.join(same_file)} whose "
                        f"{'file is' if len(same_file) == 1 else 'files are'} unchanged, but "
                        f"{_matching_change(manifest)} changed since, which may match them "
                        "otherwise: it reads their votes at the accuracy it learned of the old "
                        "matches; run without --label-model-from to fit it on the new votes")
    return warnings


def _matching_change(manifest: Mapping[str, Any]) -> str:
    """What moved a glossary LF's source hash when its file did not: labelwright's
    matching code (the manifest's ``pipeline.matcher_sha256`` is not this labelwright's),
    else the spaCy pipeline the glossaries are matched with."""
    from labelwright.glossaries.core import MATCHER_SHA256

    then = (manifest.get("pipeline") or {}).get("matcher_sha256")
    if then != MATCHER_SHA256:
        shown = str(then)[:12] if isinstance(then, str) else "not recorded"
        return f"labelwright's glossary matching (matcher {shown} -> {MATCHER_SHA256[:12]})"
    return "the spaCy pipeline they are matched with"


def _module_warnings(run_id: str, manifest: Mapping[str, Any], model: Any,
                     root: Path) -> list[str]:
    """A model of the user's own whose module changed since run ``run_id`` fit it: the
    reused numbers are read by the new code, so labels may move without a refit."""
    from labelwright.models.module_models import model_source

    then = (manifest.get("label_model") or {}).get("source") or {}
    now = model_source(model, root) or {}
    if not then.get("sha256") or not now.get("sha256") or then["sha256"] == now["sha256"]:
        return []
    return [f"the label model reused (fit by run {run_id}) is {then.get('module')}."
            f"{then.get('class')}, whose module {now.get('path')} changed since the fit "
            f"(sha256 {str(then['sha256'])[:12]}... then, {str(now['sha256'])[:12]}... now): "
            "the new code reads the numbers the old one learned, so labels may differ; run "
            "without --label-model-from to fit it with the new code"]


def _name_warnings(run_id: str, manifest: Mapping[str, Any],
                   config: ProjectConfig) -> list[str]:
    """A ``[label_model]`` name other than the reused model's: it is not used."""
    warnings = []
    then = (manifest.get("label_model") or {}).get("name")
    if then is not None and then != config.label_model.name:
        warnings.append(f"[label_model] name = {config.label_model.name!r} is not used: the "
                        f"label model is run {run_id}'s ({then})")
    return warnings
