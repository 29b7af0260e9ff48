"""Where a file the runs folder's records name is now, in a project that may have moved.

``runs/REVIEW_EXPORTS.jsonl`` and ``runs/EXPORTED.jsonl`` name the files ``review export``
and ``export`` wrote. A file inside the project folder is recorded relative to it
(``review/queue.csv``), so a project moved or cloned elsewhere finds its own copy; one
written outside the project (``--out /shared/erin.csv``) is recorded by its absolute path
and stays where it was written, whichever copy of the project reads the record.

Records written before paths were relative hold absolute paths. :class:`RecordedPaths`
maps such a path under the folder the project was in then to the same place in the
project folder now: that folder is each run's manifest's ``project.root``, and a path
into a run folder (``.../runs/<run id>/review-csv.csv``) is the run's folder now. An
absolute path under no root the project has had is outside it, and read where it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def recorded_path(path: Path, root: Path) -> str:
    """``path`` as a record names it: relative to the project folder ``root`` (POSIX
    separators) when it lies inside it, else absolute (a manifest's
    :func:`~labelwright.runs.manifest.project_path` of the resolved path)."""
    from labelwright.runs.manifest import project_path

    return project_path(Path(path).resolve(), Path(root))


@dataclass(frozen=True)
class Located:
    """A recorded file, found: ``path`` where it is read now; ``moved_from`` the absolute
    path it had under a folder the project was in before (None when the record names the
    file as it is, or relative); ``outside``: the file lies outside the project folder now
    (written there with ``--out``), so it is shared by every copy of the project that
    records it."""

    path: Path
    moved_from: Path | None = None
    outside: bool = False


class RecordedPaths:
    """Locates the files a runs folder's records name, for the project at ``root`` whose
    runs are in ``runs_dir``. The roots the project had are read from the runs' manifests
    once, when a record first needs them."""

    def __init__(self, root: Path, runs_dir: Path) -> None:
        self.root = Path(root).resolve()
        self.runs_dir = Path(runs_dir)
        self._roots: list[Path] | None = None

    def old_roots(self) -> list[Path]:
        """The project folders the runs' manifests record (``project.root``), other than
        the one now, longest first (a folder inside another is matched first)."""
        if self._roots is None:
            import json

            from labelwright.runs.manifest import MANIFEST

            roots: set[Path] = set()
            for manifest in self.runs_dir.glob(f"*/{MANIFEST}"):
                try:
                    project = json.loads(manifest.read_text(encoding="utf-8")).get("project")
                    recorded = project.get("root") if isinstance(project, dict) else None
                except (OSError, UnicodeDecodeError, ValueError, AttributeError):
                    continue
                if isinstance(recorded, str) and recorded:
                    roots.add(Path(recorded))
            roots.discard(self.root)
            self._roots = sorted(roots, key=lambda p: len(p.parts), reverse=True)
        return self._roots

    def locate(self, recorded: str, run_id: str = "") -> Located:
        """Where the file a record names as ``recorded`` (exported from ``run_id``) is read
        now."""
        path = Path(recorded)
        if not path.is_absolute():  # written inside the project; a hand-edited one may not be
            inside = (self.root / path).resolve()
            return Located(inside, outside=not _under(inside, self.root))
        if _under(path, self.root):
            return Located(path)
        # a file of the run's own folder, wherever the runs folder was then
        if run_id and path.parent.name == run_id and (self.runs_dir / run_id).is_dir():
            return Located(self.runs_dir / run_id / path.name, path)
        for old in self.old_roots():
            if _under(path, old):
                return Located(self.root / path.relative_to(old), path)
        return Located(path, outside=True)


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
