"""Where an export may be written: never over what the project reads or has recorded.

Both exports (``review export``, the review queue; ``export``, the training set) write to
a path the user names. Writing it must not replace the dataset, the config, the review
ledger, an LF module or glossary, labelwright's cache, or a file a run recorded.

A review export called from Python names its run folder, and maybe no config: the run's
own files are guarded all the same, and the project is found from the run folder
(:func:`run_project_config`). A label matrix streamed from Python (``apply_file``) is
guarded the same way, the project found from the applier's root
(:func:`check_matrix_target`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.config import CONFIG_NAME, STATE_DIR, ProjectConfig, find_project_root, load_config
from labelwright.errors import ConfigError, ReviewError, RunError, both_spellings
from labelwright.file_hashes import file_sha256
from labelwright.review.decisions.ledger import LEDGER_NAME, LEDGER_SIDE_FILES, ledger_path
from labelwright.review.decisions.ledger_reading import imported_files
from labelwright.runs.file_names import REVIEW_FILES, TRAIN_FILES
from labelwright.runs.run_folders import LATEST_FILE, LATEST_LOCK
from labelwright.runs.store import MANIFEST, RUN_ID, UNHASHED, read_manifest

#: the suffixes of the data files an export writes or a dataset is read from: a path
#: ending in one names a file (``-o wr.json`` is no folder's name; ``out.csv`` no JSON's)
DATA_SUFFIXES = (".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".pq")


#: the name many commands read as standard output: an export would make a file of it
STDOUT_NAME = "-"


def refuse_stdout(out: Path | str | None, what: str) -> None:
    """A :class:`RunError` for ``--out -``: read as a file, it made one named ``-`` (and
    ``-.provenance.json`` beside it) where a script meant standard output. An export is
    written to a file, never to stdout: its record of where each label came from (the
    provenance file, a tool's config) is written beside it and needs a name to go by."""
    if out is not None and Path(out).name == STDOUT_NAME:
        raise RunError(f"--out {out}: the {what} is written to a file, not to standard "
                       "output (its record of where the labels came from goes beside it, "
                       "named after it), so '-' would be a file named '-'; name a file "
                       "(e.g. runs/exports/<name>), then read it from there")


def check_targets(paths: Iterable[Path], config: ProjectConfig | None, *, what: str,
                  into_runs: bool = False, run_dir: Path | None = None) -> None:
    """A :class:`RunError` naming the first of ``paths`` that writing ``what`` there would
    overwrite. ``into_runs``: a new file may go into a run folder (review exports live
    beside the run's queue), but not over a file the run recorded. ``run_dir``: the run
    the export is of, whose files are guarded whatever ``config`` is (without a config,
    with the dataset, config and ledger its manifest records: :func:`_recorded_inputs`)."""
    guard = _Guard.of(config) if config is not None else _Guard()
    if run_dir is not None:
        guard.add_run(run_dir, recorded_inputs=config is None)
    for path in paths:
        refuse_stdout(path, what)
        owner = guard.owner(path, into_runs=into_runs)
        if owner is not None:
            raise RunError(f"{path}: that is {owner}; write the {what} to a file of its own "
                           "(e.g. under runs/exports/)")


def check_matrix_target(out: Path, source: Path, root: Path | str | None) -> None:
    """A :class:`RunError` when a label matrix streamed from ``source`` to ``out`` would
    overwrite ``source`` itself, or a file of the project in ``root`` (the applier's) that
    :func:`check_targets` guards: its dataset, config, ledger, LF and glossary folders,
    cache, and any run's files. A project without a config file that can be read is
    guarded by what its folder shows: the config, ledger and cache."""
    if Path(out).resolve() == Path(source).resolve():
        raise RunError(f"{out}: that is the file the LFs are applied to ({source}), which "
                       "the label matrix would replace; write the label matrix to a file of "
                       "its own")
    guard = _Guard()
    if root is not None:
        root = Path(root).resolve()
        try:
            guard = _Guard.of(load_config(root / CONFIG_NAME))
        except ConfigError:  # no config file (configured from Python), or one edited since
            guard = _Guard(root=root, state=root / STATE_DIR)
            guard.add_files(None, root / CONFIG_NAME, ledger_path(root))
    owner = guard.owner(Path(out), into_runs=False)
    if owner is not None:
        raise RunError(f"{out}: that is {owner}; write the label matrix to a file of its own "
                       "(e.g. under runs/exports/)")


PROVENANCE_SUFFIX = ".provenance.json"


def provenance_path(out: Path) -> Path:
    """Where a training set's provenance is: ``train.spacy`` ->
    ``train.spacy.provenance.json``."""
    return out.with_name(out.name + PROVENANCE_SUFFIX)


def check_training_set(path: Path) -> None:
    """A :class:`RunError` when ``path`` (one of the files a review export writes: its
    tasks, or a tool's config beside them) is a training set ``labelwright export`` wrote
    (its provenance is beside it), or such a training set's provenance: a review export
    there would leave the provenance describing a file that is gone, and no ``force`` makes
    that right."""
    if not path.is_file():
        return
    if provenance_path(path).is_file():
        raise RunError(f"{path}: that is a training set labelwright exported (its provenance "
                       f"is {provenance_path(path)}); write the review export to a file of "
                       "its own")
    described = path.name.removesuffix(PROVENANCE_SUFFIX)
    if (described not in ("", path.name) and path.with_name(described).is_file()
            and _record(path).get("file") == described):
        raise RunError(f"{path}: that is the provenance of {path.with_name(described)}, a "
                       "training set labelwright exported; write the review export to a file "
                       "of its own")


def _record(provenance: Path) -> dict[str, Any]:
    """A training set's provenance record; {} when it cannot be read as one."""
    try:
        record = json.loads(provenance.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def is_exported_training_set(path: Path) -> bool:
    """Whether the file at ``path`` is, byte for byte, the training set its provenance
    beside it describes (an earlier ``labelwright export`` to the same path, not changed
    since): a new export may replace it."""
    record = _record(provenance_path(path))
    try:
        return record.get("file") == path.name and record.get("sha256") == file_sha256(path)
    except OSError:
        return False


def check_unimported(path: Path, ledger_file: Path | None, *, what: str = "export",
                     replaced: str = "an earlier review export") -> None:
    """A :class:`ReviewError` when the file at ``path`` (an earlier export, filled in by a
    reviewer or replaced by a tool's export) holds decisions no import brought into the
    ledger at ``ledger_file``: writing the ``what`` there would lose them. A file with no
    label in it, or one imported before (its sha256 is among the ledger's imports), may be
    overwritten; a file that cannot be read for decisions may hold some, so it is refused
    too (``--force`` is offered for ``replaced``, what such a file may rightly be). A
    tool's config beside the tasks holds no decision, and is not looked at."""
    # (the readers import the export module, which imports this one: loaded when needed)
    from labelwright.review.imports.readers import filled_decisions

    if not path.is_file():
        return
    elsewhere = f"write the {what} elsewhere with {both_spellings('--out FILE', 'out=FILE')}"
    force = both_spellings("--force", "force=True")
    try:
        filled = filled_decisions(path)
    except ReviewError as exc:
        reason = str(exc).removeprefix(f"{path}: ")
        # not a review file: maybe data of the user's, so --force is offered for an
        # earlier export only (the project's own files never get this far: check_targets)
        raise ReviewError(f"{path}: exists and cannot be read as a review file ({reason}), so "
                          "whether it holds review decisions not imported yet cannot be told; "
                          f"nothing written. {elsewhere[0].upper()}{elsewhere[1:]}; only if it "
                          f"is {replaced} you mean to replace, pass {force} to "
                          "overwrite it") from None
    if not filled:
        return
    if ledger_file is not None and file_sha256(path) in imported_files(ledger_file):
        return
    importing = both_spellings(f"`labelwright review import {path} --reviewer NAME`",
                               "import_file(project, path, reviewer='NAME')")
    raise ReviewError(f"{path}: holds {filled} filled review decision(s), and this file, as "
                      f"it is now, was never imported into the review ledger: the {what} would "
                      f"overwrite them; nothing written. Import it first: {importing}; or "
                      f"{elsewhere}; or pass {force} to overwrite it")


def cannot_write(out: Path, what: str, exc: OSError) -> RunError:
    """The error for an export that the file system refused (a folder of that name, a file
    where a folder must be, no permission)."""
    return RunError(f"{out}: cannot write the {what}: {exc.strerror or exc}"
                    + (f" ({exc.filename})" if exc.filename else ""))


def run_project_config(run_dir: Path) -> ProjectConfig | None:
    """The config of the project whose runs folder holds ``run_dir``, or None when no
    project can be shown to own it.

    The project is the nearest folder above the run that holds ``labelwright.toml``, or
    else the root the run's manifest records; either counts only if its config's runs
    folder is the run's parent folder. The recorded root alone is not enough: a project
    copied or moved keeps the root of where it was run (a copy's runs name the original,
    whose dataset is not the copy's). Nor is the run folder's grandparent: ``[project]
    runs = "out/runs"`` puts the runs folder deeper, and ``"../runs"`` outside the project.
    A config that cannot be read shows nothing."""
    runs = run_dir.resolve().parent
    candidates = []
    try:
        candidates.append(find_project_root(runs))
    except ConfigError:
        pass
    recorded = _manifest(run_dir).get("project")
    if isinstance(recorded, dict) and isinstance(recorded.get("root"), str):
        candidates.append(Path(recorded["root"]))
    for root in dict.fromkeys(candidates):
        if not (root / CONFIG_NAME).is_file():
            continue
        try:
            config = load_config(root / CONFIG_NAME)
        except ConfigError:
            continue
        if config.runs_path.resolve() == runs:
            return config
    return None


def _manifest(run_dir: Path) -> dict[str, Any]:
    try:
        return read_manifest(run_dir)
    except RunError:
        return {}


@dataclass
class _Guard:
    """What a path may not be: ``files`` (resolved path: what it is), the folders the
    project reads (``read``: folder, what, the suffixes it reads when it is the project
    folder itself), labelwright's cache, and run folders: those in ``runs`` folders and
    the ones in ``run_dirs``, whatever their name."""

    files: dict[Path, str] = field(default_factory=dict)
    read: list[tuple[Path, str, tuple[str, ...]]] = field(default_factory=list)
    root: Path | None = None
    state: Path | None = None
    runs: set[Path] = field(default_factory=set)
    run_dirs: set[Path] = field(default_factory=set)

    @classmethod
    def of(cls, config: ProjectConfig) -> _Guard:
        guard = cls(root=config.root.resolve(), state=(config.root / STATE_DIR).resolve())
        guard.add_files(config.data.path, config.config_path, ledger_path(config.root))
        guard.add_runs(config.runs_path)
        guard.read = [(config.lf_path.resolve(), "the LF folder, whose modules every run "
                       "imports", (".py",)),
                      (config.glossary_path.resolve(), "the glossary folder, which every run "
                       "reads", (".yaml", ".yml"))]
        if config.data.parts is None and config.data.path.is_dir():
            # a file written there would be read as a part of the dataset by the next run
            guard.read.append((config.data.path.resolve(), "the dataset's folder, whose "
                               "every file a run reads as a part", ()))
        return guard

    def add_files(self, data: Path | None, config: Path | None, ledger: Path | None) -> None:
        """The project's dataset, config and review ledger (with its side files)."""
        if data is not None:
            self.files[data.resolve()] = "the project's dataset"
        if config is not None:
            self.files[config.resolve()] = "the project's config"
        if ledger is not None:
            ledger = ledger.resolve()
            for name in (ledger.name, *LEDGER_SIDE_FILES):
                self.files[ledger.with_name(name)] = "the review ledger"

    def add_runs(self, runs: Path) -> None:
        runs = runs.resolve()
        self.runs.add(runs)
        self.files[runs / LATEST_FILE] = "the pointer to the latest run, which scripts read"
        self.files[runs / LATEST_LOCK] = "the lock of the latest-run pointer"

    def add_run(self, run_dir: Path, *, recorded_inputs: bool) -> None:
        """Guard the run folder ``run_dir`` and its runs folder; ``recorded_inputs``: and
        the dataset, config and ledger its manifest records (:func:`_recorded_inputs`)."""
        run_dir = run_dir.resolve()
        self.run_dirs.add(run_dir)
        self.add_runs(run_dir.parent)
        if recorded_inputs:
            self.add_files(*_recorded_inputs(run_dir))

    def owner(self, path: Path, *, into_runs: bool) -> str | None:
        target = path.resolve()
        if target in self.files:
            return f"{self.files[target]} ({target})"
        for folder, what, suffixes in self.read:
            if self.root is not None and (folder == self.root or folder in self.root.parents):
                # labeling_functions = ".": only its modules, not the whole project
                if target.parent == folder and target.suffix.lower() in suffixes:
                    return f"{target.name} in {folder}, {what}"
            elif folder in target.parents:
                return f"inside {folder}, {what}"
        for parent in target.parents:
            if parent == self.state:
                return f"inside {parent}, labelwright's cache"
            if parent in self.run_dirs or (parent.parent in self.runs
                                           and RUN_ID.fullmatch(parent.name)):
                owner = _run_file(target, parent, into_runs=into_runs)
                if owner is not None:
                    return owner
        return None


def _run_file(target: Path, run_dir: Path, *, into_runs: bool) -> str | None:
    """What ``target``, inside the run folder ``run_dir``, is of the run's, or None for a
    new file beside its queue (with ``into_runs``)."""
    run = run_dir.name
    if not into_runs:
        return f"inside {run_dir}, which holds run {run}'s outputs (checked against its manifest)"
    if run_dir != target.parent:
        return None
    if target.name in _recorded(run_dir):
        return f"run {run}'s own {target.name}, which the run wrote"
    if target.name in TRAIN_FILES:
        return f"run {run}'s {target.name}, which labelwright train writes (runs verify checks it)"
    if target.name in REVIEW_FILES:
        return (f"the name of run {run}'s own {target.name}: commands would read the file as "
                "the run's " + ("random sample" if target.name.startswith("sample") else "queue"))
    return None


def _recorded(run_dir: Path) -> set[str]:
    """The files a run wrote (its manifest's outputs, the manifest, the report)."""
    try:
        outputs = read_manifest(run_dir).get("outputs") or {}
    except RunError:  # no readable manifest: every file of the folder is the run's
        return {p.name for p in run_dir.iterdir()} | {MANIFEST}
    return set(outputs) | set(UNHASHED)


def _recorded_inputs(run_dir: Path) -> tuple[Path | None, Path | None, Path | None]:
    """The dataset, config and review ledger of the project as the run's manifest records
    them (where the project was when it ran), for a run whose project is not found: they
    are guarded too, though a project moved since has them elsewhere. The config is the
    file the manifest records (``config.path``: relative to the project root, or
    absolute); ``labelwright.toml`` in the root only for a run that recorded none."""
    manifest = _manifest(run_dir)
    root = (manifest.get("project") or {}).get("root")
    root = Path(root) if isinstance(root, str) else None
    data = (manifest.get("data") or {}).get("path")
    data_path = None
    if isinstance(data, str):
        data_path = Path(data) if Path(data).is_absolute() or root is None else root / data
    config = (manifest.get("config") or {}).get("path")
    config_path = root / CONFIG_NAME if root is not None else None
    if isinstance(config, str) and config:
        if Path(config).is_absolute():
            config_path = Path(config)
        elif root is not None:
            config_path = root / config
    return data_path, config_path, root / LEDGER_NAME if root is not None else None
