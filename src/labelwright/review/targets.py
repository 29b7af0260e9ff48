"""Where an export may be written: never over what the project reads or has recorded.

Both exports (``review export``, the review queue; ``export``, the training set) write to
a path the user names. Writing it must not replace the dataset, the config, the review
ledger, an LF module or glossary, labelwright's cache, or a file a run recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from labelwright.config import STATE_DIR, ProjectConfig
from labelwright.errors import RunError
from labelwright.review.ledger import LEDGER_SIDE_FILES, ledger_path
from labelwright.runs.store import (
    MANIFEST,
    REVIEW_FILES,
    RUN_ID,
    TRAIN_FILES,
    UNHASHED,
    read_manifest,
)


def check_targets(paths: Iterable[Path], config: ProjectConfig, *, what: str,
                  into_runs: bool = False) -> None:
    """A :class:`RunError` naming the first of ``paths`` that writing ``what`` there would
    overwrite. ``into_runs``: a new file may go into a run folder (review exports live
    beside the run's queue), but not over a file the run recorded."""
    for path in paths:
        owner = _owner(path, config, into_runs=into_runs)
        if owner is not None:
            raise RunError(f"{path}: that is {owner}; write the {what} to a file of its own "
                           "(e.g. under runs/exports/)")


def cannot_write(out: Path, what: str, exc: OSError) -> RunError:
    """The error for an export that the file system refused (a folder of that name, a file
    where a folder must be, no permission)."""
    return RunError(f"{out}: cannot write the {what}: {exc.strerror or exc}"
                    + (f" ({exc.filename})" if exc.filename else ""))


def _owner(path: Path, config: ProjectConfig, *, into_runs: bool) -> str | None:
    target = path.resolve()
    ledger = ledger_path(config.root).resolve()
    files = {config.data.path.resolve(): "the project's dataset",
             config.config_path.resolve(): "the project's config",
             **{ledger.with_name(name): "the review ledger"
                for name in (ledger.name, *LEDGER_SIDE_FILES)}}
    runs = config.runs_path.resolve()
    files[runs / "LATEST"] = "the pointer to the latest run, which scripts read"
    files[runs / ".latest.lock"] = "the lock of the latest-run pointer"
    if target in files:
        return f"{files[target]} ({target})"
    root = config.root.resolve()
    read = ((config.lf_path.resolve(), "the LF folder, whose modules every run imports",
             (".py",)),
            (config.glossary_path.resolve(), "the glossary folder, which every run reads",
             (".yaml", ".yml")))
    for folder, what, suffixes in read:
        if folder == root or folder in root.parents:  # labeling_functions = "."
            if target.parent == folder and target.suffix.lower() in suffixes:
                return f"{target.name} in {folder}, {what}"
        elif folder in target.parents:
            return f"inside {folder}, {what}"
    state = (config.root / STATE_DIR).resolve()
    for parent in target.parents:
        if parent == state:
            return f"inside {parent}, labelwright's cache"
        if parent.parent == runs and RUN_ID.fullmatch(parent.name):
            if not into_runs:
                return (f"inside {parent}, which holds run {parent.name}'s outputs (checked "
                        "against its manifest)")
            if parent == target.parent and target.name in _recorded(parent):
                return f"run {parent.name}'s own {target.name}, which the run wrote"
            if parent == target.parent and target.name in TRAIN_FILES:
                return (f"run {parent.name}'s {target.name}, which labelwright train writes "
                        "(runs verify checks it)")
            if parent == target.parent and target.name in REVIEW_FILES:
                return (f"the name of run {parent.name}'s own {target.name}: commands would "
                        "read the file as the run's "
                        + ("random sample" if target.name.startswith("sample") else "queue"))
    return None


def _recorded(run_dir: Path) -> set[str]:
    """The files a run wrote (its manifest's outputs, the manifest, the report)."""
    try:
        outputs = read_manifest(run_dir).get("outputs") or {}
    except RunError:  # no readable manifest: every file of the folder is the run's
        return {p.name for p in run_dir.iterdir()} | {MANIFEST}
    return set(outputs) | set(UNHASHED)
