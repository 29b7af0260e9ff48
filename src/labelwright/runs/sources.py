"""A run's copy of the files that made it: ``runs/<id>/sources/``.

The manifest records the sha256 of the config file, of every file of the LF folder and of
every glossary a run read; the run also keeps those bytes, under the paths the project
gives them (``sources/labeling_functions/topics.py``), so the code of an LF and the words
it read can be read from the run folder alone after the project's files changed. Each copy
is checked against the hash the run recorded when it read the file: a file edited while
the run ran fails the run rather than keep other bytes than it used. The dataset is not
copied (its hash is recorded), nor a file over :data:`MAX_KEPT_BYTES`.

The manifest's ``sources`` section lists each copy with its sha256 and size, and each file
not kept with why; ``runs verify`` checks the copies against it, and ``explain`` points an
LF whose module changed since the run at its copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from labelwright.errors import LOAD_AGAIN, RunError
from labelwright.file_hashes import file_sha256
from labelwright.runs.manifest import project_path
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.store import file_changed

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.project.load import Project
    from labelwright.runs.verify.inputs import InputCheck

#: the folder of a run that holds its copies
SOURCES = "sources"
#: a file larger than this is not copied (its hash is still recorded): a word list or
#: model file in the LF folder may be large, and every run would copy it again
MAX_KEPT_BYTES = 5 * 1024 * 1024
#: where, inside ``sources/``, files from outside the project folder go (by absolute path)
OUTSIDE = "_outside"


@dataclass(frozen=True)
class Source:
    """One file the run read: what it is, its path as the manifest names it (relative to
    the project folder when inside it), where it is on disk, and the sha256 the run
    recorded when it read it."""

    kind: str  # config | LF module | LF folder file | glossary | label model module
    path: str
    file: Path
    sha256: str

    @property
    def copy(self) -> str:
        """Where the run keeps it, relative to the run folder."""
        path = PurePosixPath(self.path)
        if path.is_absolute():
            path = PurePosixPath(OUTSIDE, *path.parts[1:])
        return f"{SOURCES}/{path.as_posix()}"


def run_sources(project: Project, manifest: dict[str, Any]) -> list[Source]:
    """The files whose hashes ``manifest`` (the run's, being written) records: the config
    file, the LF folder's modules and other files, the module of a label model of the
    user's own, the glossaries."""
    config = project.config
    root = config.root
    found = []
    recorded = manifest.get("config")
    if recorded:
        found.append(Source("config", recorded["path"], config.config_path,
                            recorded["sha256"]))
    for key, kind in (("lf_modules", "LF module"), ("lf_folder_files", "LF folder file")):
        for entry in manifest.get(key) or []:
            file = config.lf_path / entry["name"]
            found.append(Source(kind, project_path(file, root), file, entry["sha256"]))
    for path, sha256 in label_model_files(manifest).items():  # a label model of the user's own
        found.append(Source(LABEL_MODEL_MODULE, path, label_model_file(path, root), sha256))
    for glossary in manifest.get("glossaries") or []:
        if glossary["path"].startswith("<"):  # made in the session: runs.session_glossaries
            continue
        file = root / glossary["path"]
        found.append(Source("glossary", glossary["path"], file, glossary["sha256"]))
    return found


#: the kind of file the module of a user's own label model is, among a run's sources and
#: the inputs ``runs verify --inputs`` compares
LABEL_MODEL_MODULE = "label model module"


def label_model_source(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest's ``label_model.source`` (a label model of the user's own: its module,
    class, path and sha256); ``{}`` for a built-in model, or a run from before it was
    recorded."""
    source = (manifest.get("label_model") or {}).get("source")
    return source if isinstance(source, dict) else {}


def label_model_files(manifest: dict[str, Any]) -> dict[str, str]:
    """``{path: sha256}`` of the module of a label model of the user's own and of the
    project's modules it imported (``label_model.source.helpers``), as the run read them;
    empty for a built-in model, or a class with no file."""
    source = label_model_source(manifest)
    files = [source, *(h for h in source.get("helpers") or [] if isinstance(h, dict))]
    return {str(f["path"]): str(f["sha256"]) for f in files if f.get("path") and f.get("sha256")}


def label_model_file(path: str, root: Path) -> Path:
    """The file of a label model module ``label_model.source.path`` names: relative to
    the project folder ``root`` when inside it, else absolute (an installed module)."""
    file = Path(path)
    return file if file.is_absolute() else root / file


def keep_sources(writer: RunWriter, sources: list[Source]) -> dict[str, Any]:
    """Copy ``sources`` into the run being staged by ``writer``; the manifest's ``sources``
    section. A :class:`RunError` when a file's bytes are no longer those the run read."""
    kept: dict[str, dict[str, Any]] = {}
    left: list[dict[str, Any]] = []
    for source in sources:
        if source.copy in kept:  # one file named twice (an LF folder holding a glossary)
            continue
        try:
            size = source.file.stat().st_size
        except OSError as exc:
            raise _changed(source, f"gone ({exc.strerror or exc})") from None
        if size > MAX_KEPT_BYTES:
            left.append({"path": source.path, "kind": source.kind, "bytes": size,
                         "reason": f"over {MAX_KEPT_BYTES // (1024 * 1024)} MB, the most a "
                                   "run copies (its sha256 is recorded)"})
            continue
        data = source.file.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        if sha != source.sha256:
            raise _changed(source, f"sha256 {source.sha256[:12]} when the run read it, "
                                   f"{sha[:12]} now")
        (writer.staging / source.copy).parent.mkdir(parents=True, exist_ok=True)
        writer.write(source.copy, bytes_writer(data))
        kept[source.copy] = {"path": source.path, "kind": source.kind, "copy": source.copy,
                             "sha256": sha, "bytes": len(data)}
    return {"folder": SOURCES, "max_bytes": MAX_KEPT_BYTES, "files": list(kept.values()),
            "not_kept": left}


def bytes_writer(data: bytes) -> Callable[[Path], object]:
    """What :meth:`RunWriter.write` calls to write ``data`` (a copy) to its file."""
    return lambda tmp: tmp.write_bytes(data)


def _changed(source: Source, how: str) -> RunError:
    return RunError(f"{source.file}: changed while the run ran ({how}); the run keeps a copy "
                    f"of each {source.kind} it read and cannot keep the one it used, so it "
                    "was not saved: run `labelwright run` again once the files stay put "
                    f"({LOAD_AGAIN})")


def kept_copies(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``{copy path in the run folder: its entry}`` of the run's kept sources (empty for a
    run made before runs kept them)."""
    section = manifest.get("sources")
    files = section.get("files") if isinstance(section, dict) else None
    return {str(f["copy"]): f for f in files or [] if isinstance(f, dict) and "copy" in f}


def source_problems(run_dir: Path, manifest: dict[str, Any]) -> Iterator[str]:
    """``"sources/x.py: missing"`` or ``"...: changed since the run wrote it (...)"`` for
    each kept copy not as the run left it."""
    for copy, entry in sorted(kept_copies(manifest).items()):
        if not _inside_sources(copy):
            yield (f"{copy}: named among the run's sources, but not a file of its {SOURCES}/ "
                   "folder, where a run keeps them (the manifest was edited)")
        elif (problem := file_changed(run_dir, copy, entry.get("sha256"))) is not None:
            yield problem


def _inside_sources(copy: str) -> bool:
    """Whether ``copy`` (a path a manifest names) is a file of the run's ``sources/``: an
    edited manifest must not have a file outside the run read as the run's."""
    parts = PurePosixPath(copy).parts
    return parts[:1] == (SOURCES,) and len(parts) > 1 and ".." not in parts \
        and "\\" not in copy


class KeptSources:
    """The copies of one run, to point at instead of project files changed since."""

    def __init__(self, run_dir: Path, manifest: dict[str, Any], root: Path) -> None:
        self.run_dir, self.root = run_dir, root
        self.by_path = {str(e.get("path")): e for e in kept_copies(manifest).values()}
        self._intact: dict[str, bool] = {}
        self._changed: dict[str, bool] = {}  # hashed once each: explain asks per LF
        #: copies :meth:`location` could not point at: missing, or edited since the run
        self.broken: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.by_path)

    def folder(self) -> str:
        """The run's ``sources/`` folder, as a path to show."""
        return project_path(self.run_dir / SOURCES, self.root) + "/"

    def copy_of(self, path: str) -> str | None:
        """The copy of the project file ``path`` (as the manifest names it), as a path to
        show (relative to the project folder when inside it), when the run kept it and the
        copy is as the run wrote it; else None."""
        entry = self.by_path.get(path)
        if entry is None:
            return None
        copy = str(entry["copy"])
        if not _inside_sources(copy):
            return None
        if copy not in self._intact:
            file = self.run_dir / copy
            self._intact[copy] = file.is_file() and file_sha256(file) == entry.get("sha256")
        return project_path(self.run_dir / copy, self.root) if self._intact[copy] else None

    def changed(self, path: str) -> bool:
        """Whether the project file ``path`` is no longer the file the run kept."""
        entry = self.by_path.get(path)
        if entry is None:
            return False
        if path not in self._changed:
            file = Path(path) if Path(path).is_absolute() else self.root / path
            self._changed[path] = not file.is_file() or file_sha256(file) != entry.get("sha256")
        return self._changed[path]

    def glossary_folder(self, manifest: dict[str, Any]) -> Path | None:
        """The folder of the run's copies that holds every glossary the run read, each as
        the run wrote it; None when the run read none, kept none or a copy is missing,
        changed or elsewhere."""
        folders = set()
        for glossary in manifest.get("glossaries") or []:
            if self.copy_of(str(glossary.get("path"))) is None:
                return None
            folders.add((self.run_dir / str(self.by_path[str(glossary["path"])]["copy"])).parent)
        return folders.pop() if len(folders) == 1 else None

    def shown(self, location: str) -> str:
        """``location`` (``file:line``) as ``explain`` shows it: :meth:`location` when
        the project's file changed since the run, else as the run recorded it."""
        return self.location(location) or location

    def location(self, location: str) -> str | None:
        """``file:line`` in the run's copy, with a note, when the project's ``file`` changed
        since the run and the copy is intact (:meth:`copy_at`); else None."""
        copy = self.copy_at(location)
        return None if copy is None else (f"{copy} (the run's copy; "
                                          f"{location.rpartition(':')[0]} changed since)")

    def copy_at(self, location: str) -> str | None:
        """``file:line`` (a location the run recorded) as ``copy:line`` in the run's copy,
        when the project's ``file`` changed since the run and the copy is intact; None when
        the project's file is still the one the run read (or the run kept no copy of it,
        or its copy is not intact: then it is among :attr:`broken`)."""
        path, sep, line = location.rpartition(":")
        if not sep or not self.changed(path):
            return None
        copy = self.copy_of(path)
        if copy is None:
            self.broken.add(project_path(self.run_dir / str(self.by_path[path]["copy"]),
                                         self.root))
            return None
        return f"{copy}:{line}"


def moved_lf_files(kept: KeptSources, manifest: dict[str, Any]) -> list[str]:
    """A line per file holding the run's LFs that changed since the run (``runs show``):
    the LFs' locations point into the run's copy of it, or, when the copy is missing or
    edited, at lines the project's file may no longer hold. A deleted LF had been shown at
    a line of its file that now held another LF."""
    lines = []
    seen: set[str] = set()
    for lf in manifest.get("labeling_functions") or []:
        path = str(lf.get("location", "")).rpartition(":")[0]
        if not path or path in seen or path not in kept.by_path or not kept.changed(path):
            continue
        seen.add(path)
        copy = kept.copy_of(path)
        lines.append(f"{path} changed since this run: its LFs are shown at their lines in "
                     f"the run's copy, {copy}" if copy is not None else
                     f"{path} changed since this run, and the run's copy of it is missing "
                     "or edited: its LFs are shown where the run recorded them, which the "
                     "file may no longer hold (`labelwright runs verify` checks the copies)")
    return lines


def with_copies(check: InputCheck, kept: KeptSources, manifest: dict[str, Any],
                config: ProjectConfig) -> None:
    """Name, in each of ``check``'s changes to a file the run read (the config, an LF
    module or folder file, a glossary, an LF's code, a label model module), the run's copy
    of it, to compare with the project's file now; or, when the project's file is that copy
    byte for byte, say so: the change is in the manifest's record (or, for an LF, in what
    it is made with), and a diff of the two files would show nothing."""
    if not kept:
        return
    root = config.root
    glossaries = {g.get("name"): g.get("path") for g in manifest.get("glossaries") or []}
    where = {lf.get("name"): lf.get("location")
             for lf in manifest.get("labeling_functions") or []}
    for i, change in enumerate(check.changes):
        name = change.key or change.name
        if change.then is None:  # added since the run: it has no copy
            continue
        if change.what == "LF":
            path = str(where.get(name) or "").rpartition(":")[0]
            copy = kept.copy_at(str(where.get(name) or ""))
        else:
            path = {"config": change.name, "glossary": str(glossaries.get(name)),
                    LABEL_MODEL_MODULE: change.name}.get(
                change.what) or project_path(config.lf_path / change.name, root)
            copy = kept.copy_of(path)
            copy = copy if copy is None or kept.changed(path) else None
        note = None
        if path in kept.by_path and not kept.changed(path) and kept.copy_of(path):
            # the file is the one the run kept: its record in the manifest differs, or, for
            # an LF, what it is made with (hashed with its code)
            note = (f"the project's file is the run's copy ({kept.copy_of(path)}) byte for "
                    "byte: " + ("what the LF is made with (resources, a factory's "
                                "arguments) differs, or the manifest's hash was edited"
                                if change.what == "LF" else
                                "it is the manifest's hash that differs (edited)"))
        elif copy is not None:
            note = f"the run's copy: {copy}"
        if note is not None:
            check.changes[i] = replace(change, note=f"{change.note}; {note}" if change.note
                                       else note)
