"""A run's project rebuilt from the files it kept, for ``runs verify --recompute``.

Once the project's LFs, glossaries, config or label model module were edited, votes
computed from the project would differ for that reason. A run keeps a byte copy of each
such file in ``runs/<id>/sources/``, with its sha256 in the manifest
(:mod:`~labelwright.runs.sources`); :func:`kept_project` puts those copies back, at the
paths the project gave them, in a temporary folder, beside a copy of the review ledger,
and reads the data the run read (the project's file, or ``--data``) and the runs folder
where they are. Nothing is written to the project or the run folder.

The rebuilt project's inputs are hashed again, as ``--inputs`` hashes the project's: the
recompute goes ahead only when every one is the run's. When the run kept no copies, or a
copy is missing or edited, :func:`kept_sources_gap` says which, and nothing is recomputed.
A file too large for the run to keep is taken from the project when it is still the one
the run read.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from labelwright.runs.manifest import project_path
from labelwright.runs.sources import SOURCES, kept_copies, source_problems

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config import ProjectConfig
    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.core import LabelingFunction
    from labelwright.runs.verify.inputs import InputCheck

#: the kinds of input (:class:`~labelwright.runs.verify.inputs.InputChange`'s ``what``)
#: the run's kept sources hold again
KEPT_KINDS = frozenset({"config", "LF", "LF module", "LF folder file", "glossary",
                        "label model module"})


@dataclass(frozen=True)
class KeptProject:
    """The run's project rebuilt in a temporary folder: its config (the run's, reading
    the data the run read and the project's runs folder) and its inputs checked."""

    config: ProjectConfig
    inputs: InputCheck
    #: the run's ``sources/`` folder, as a path to show
    shown: str


def kept_sources_gap(run_dir: Path, manifest: dict[str, Any], inputs: InputCheck,
                     root: Path) -> str | None:
    """Why the run cannot be rebuilt from its kept sources (the copies missing, edited
    since or not kept, named), "" when it can; None when the inputs that differ are not
    all ones the run keeps (the data changed: refused as before)."""
    if any(change.what not in KEPT_KINDS for change in inputs.changes):
        return None
    copies = kept_copies(manifest)
    shown = project_path(run_dir / SOURCES, root)
    if not copies:
        return (f"the run kept no copy of the files it read in {shown}/ (a run from before "
                "runs kept them, or the manifest lists none)")
    broken = list(source_problems(run_dir, manifest))
    if broken:
        return (f"the run's kept sources are not as the run wrote them ({'; '.join(broken)})"
                ", so they cannot stand in for the files it read")
    return ""


def _not_kept(manifest: dict[str, Any]) -> list[str]:
    """The paths of the files the run read and did not copy (over the size a run copies)."""
    section = manifest.get("sources")
    return [str(entry.get("path")) for entry in (section.get("not_kept") or [])
            if isinstance(entry, dict)] if isinstance(section, dict) else []


@contextmanager
def kept_project(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                 frame: pd.DataFrame | None = None, lfs: Sequence[LabelingFunction] = (),
                 glossaries: Sequence[Glossary] = ()) -> Iterator[KeptProject]:
    """The run's project rebuilt from its kept sources in a temporary folder, removed on
    exit: its config reads ``config``'s data (the file the run read, as ``runs verify``
    chose it; ``frame``, for a run that read a DataFrame) and ``config``'s runs folder;
    ``lfs`` and ``glossaries``, those of a Python session, are hashed beside its own.
    Check :func:`kept_sources_gap` first."""
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.runs.verify.input_checks import project_inputs
    from labelwright.runs.verify.inputs import input_changes

    with tempfile.TemporaryDirectory(prefix="labelwright-recompute-") as folder:
        root = Path(folder)
        # a file too large to keep: the project's, when it is still the run's (checked below)
        files = [(config.root / path, path) for path in _not_kept(manifest)]
        files += [(run_dir / copy, str(entry.get("path")))
                  for copy, entry in kept_copies(manifest).items()]
        for file, name in files:
            path = PurePosixPath(name)
            # outside the project: read where it is; either way, checked below
            if path.is_absolute() or ".." in path.parts or not file.is_file():
                continue
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, root / path)
        ledger = ledger_path(config.root)
        for suffix in ("", "-wal"):  # a copy: reading the ledger must not touch the project's
            if Path(f"{ledger}{suffix}").is_file():
                shutil.copyfile(f"{ledger}{suffix}", f"{ledger_path(root)}{suffix}")
        rebuilt = load_config(root)
        rebuilt = replace(rebuilt, data=config.data, runs_dir=str(config.runs_path))
        hashed = project_inputs(rebuilt, frame, lfs, glossaries)
        yield KeptProject(rebuilt, input_changes(manifest, hashed, rebuilt),
                          project_path(run_dir / SOURCES, config.root))
