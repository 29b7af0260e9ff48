"""Each run's manifest records the sha256 of the manifest of the run before it.

A run's ``manifest.json`` holds the hashes of every other file of the run, so a manifest
rewritten with its edited outputs' new hashes passes every check that reads them. Its own
sha256, kept out of the run folder, is what tells (``runs verify --manifest-sha256``); the
next run keeps one too: its manifest's ``previous_run`` (``run_id`` and
``manifest_sha256`` of the latest finished run when it was written, null for a project's
first run). So every manifest but the latest is vouched for by a later one
(:func:`later_link`), and keeping the latest manifest's sha256 elsewhere vouches for the
whole chain. A run of an older labelwright records no link, and the chain starts after it.

``labelwright export`` writes the same link beside each training set: its
``<file>.provenance.json`` records the run's ``manifest_sha256`` (:func:`export_links`).

The chain is read backward too (:func:`chain_gaps`): a run whose ``previous_run`` names a
folder that is gone, or a ``runs/LATEST`` that names one, and that ``runs/PRUNED.jsonl``
does not record as pruned, is a run deleted or moved by hand -- else nothing would tell,
as every run left passes its own checks and the runs around the hole read as neighbours.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256
from labelwright.runs.manifest import MANIFEST, read_hashed_manifest, read_manifest
from labelwright.runs.pruned import PRUNED_FILE, read_pruned
from labelwright.runs.run_folders import LATEST_FILE, RUN_ID, list_runs, read_latest

#: the manifest's key for the link
PREVIOUS_RUN = "previous_run"


def previous_link(runs_dir: Path, run_id: str) -> dict[str, str] | None:
    """The manifest's ``previous_run`` for the run ``run_id`` being published in
    ``runs_dir``: the latest finished run before it (one that failed too: its manifest can
    be rewritten as well) and its manifest's sha256; None when there is none."""
    earlier = [name for name in list_runs(runs_dir) if name < run_id]
    if not earlier:
        return None
    try:
        sha = file_sha256(runs_dir / earlier[-1] / MANIFEST)
    except OSError:
        return None  # removed while this run was written: no link rather than a wrong one
    return {"run_id": earlier[-1], "manifest_sha256": sha}


@dataclass(frozen=True)
class Link:
    """The later run whose manifest records the sha256 of a run's manifest
    (``later``), and whether the manifest still has it (``problem``: what is wrong)."""

    later: str
    recorded: str
    problem: str | None = None


class ManifestReads:
    """The runs of ``runs_dir`` listed once, and each run's manifest read once, for a check
    of every run oldest first (``runs verify --all``): a run's check reads the next run's
    manifest for the link it keeps (:func:`later_link`), and that run's own check then takes
    the same read (:meth:`take`), which is dropped then: two manifests are held at most.
    The sha256 of each manifest is of the bytes read and parsed, so the link is checked
    against the manifest the run's check read."""

    def __init__(self, runs_dir: Path) -> None:
        self.runs_dir = runs_dir
        self.runs = list_runs(runs_dir)
        self._read: dict[str, tuple[dict[str, Any], str] | RunError] = {}
        self.sha256: dict[str, str] = {}  # run id -> its manifest's, once read

    def manifest(self, run_id: str) -> dict[str, Any]:
        """The manifest of the run ``run_id`` (a :class:`RunError` as
        :func:`~labelwright.runs.manifest.read_manifest` raises it), kept for :meth:`take`."""
        if run_id not in self._read:
            try:
                self._read[run_id] = read_hashed_manifest(self.runs_dir / run_id)
            except RunError as exc:
                self._read[run_id] = exc
        read = self._read[run_id]
        if isinstance(read, RunError):
            raise read
        self.sha256[run_id] = read[1]
        return read[0]

    def take(self, run_id: str) -> dict[str, Any]:
        """:meth:`manifest`, no longer kept: the run's own check has it."""
        try:
            return self.manifest(run_id)
        finally:
            self._read.pop(run_id, None)


def later_link(run_dir: Path, reads: ManifestReads | None = None, *,
               now: str | None = None) -> Link | None:
    """The link a later run's manifest keeps to the run in ``run_dir``: the first run after
    it that records a ``previous_run``, when that names this run; None when none does
    (the latest run, runs of a labelwright that recorded no link, a run made while this
    one was being written). ``problem`` says the manifest's sha256 now is another one.
    ``reads``: the runs listed and the manifests read already (``runs verify --all``);
    ``now``: the sha256 of the manifest as the caller read it (else hashed here)."""
    runs_dir, run_id = run_dir.parent, run_dir.name
    for name in (r for r in (reads.runs if reads else list_runs(runs_dir)) if r > run_id):
        try:
            manifest = (reads.manifest(name) if reads
                        else read_manifest(runs_dir / name))
        except RunError:
            continue  # its own check says why
        if PREVIOUS_RUN not in manifest:
            continue  # an older labelwright's run: the chain starts after it
        return _checked(run_dir, name, manifest[PREVIOUS_RUN],
                        now or (reads.sha256.get(run_id) if reads else None))
    return None


def _checked(run_dir: Path, later: str, link: Any, now: str | None = None) -> Link | None:
    """The link ``later`` keeps (``link``, its manifest's ``previous_run``), checked
    against the manifest in ``run_dir`` (``now``: its sha256, when read already); None
    when it names another run."""
    if not isinstance(link, dict) or link.get("run_id") != run_dir.name:
        return None
    recorded = str(link.get("manifest_sha256"))
    now = now or file_sha256(run_dir / MANIFEST)
    if now == recorded:
        return Link(later, recorded)
    return Link(later, recorded, (
        f"sha256 {now}, not the {recorded} run {later}, made after it, recorded of it: the "
        "manifest was edited or replaced since (the checks above read their hashes from "
        "it)"))


def export_links(run_dir: Path, root: Path, *, now: str | None = None) -> list[Link]:
    """The links the training sets exported from the run in ``run_dir`` keep (the project
    at ``root``): each provenance file beside one ``runs/EXPORTED.jsonl`` records, still in
    place and naming this run, with the manifest's sha256 it recorded (``later``: the
    provenance file's path), checked against the manifest now (``now``: its sha256 as the
    caller read it, as :func:`later_link` takes it; else hashed here, once). A record that
    cannot be read, or a provenance file gone or rewritten by a later export from another
    run, keeps no link ([]: prune and erase read the record and say what is wrong with
    it)."""
    from labelwright.review.targets import provenance_path
    from labelwright.runs.exported import WRENCH, read_exported
    from labelwright.runs.recorded_paths import RecordedPaths

    try:
        records = [r for r in read_exported(run_dir.parent)
                   if r.run_id == run_dir.name and r.format != WRENCH]
    except RunError:
        return []
    paths = RecordedPaths(root, run_dir.parent)
    found: dict[Path, str] = {}
    for record in records:
        kept = provenance_path(paths.locate(record.file, record.run_id).path)
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            continue
        sha = data.get("manifest_sha256") if isinstance(data, dict) else None
        if isinstance(sha, str) and data.get("run_id") == run_dir.name:
            found[kept] = sha
    if not found:
        return []
    now = now or file_sha256(run_dir / MANIFEST)
    return [Link(str(kept), sha, None if sha == now else (
        f"sha256 {now}, not the {sha} the provenance of a training set exported from the run "
        f"({kept}) recorded of it: the manifest was edited or replaced since that export "
        "(the checks above read their hashes from it)")) for kept, sha in found.items()]


@dataclass(frozen=True)
class Gap:
    """A run gone from the runs folder that a record left there still names: ``run_id``,
    the run gone; ``named_by``, the later run whose manifest's ``previous_run`` names it
    ("" when it is ``runs/LATEST`` that names it)."""

    run_id: str
    named_by: str = ""

    @property
    def namer(self) -> str:
        """``run <id>'s manifest (previous_run)`` or ``runs/LATEST``."""
        return (f"run {self.named_by}'s manifest ({PREVIOUS_RUN})" if self.named_by
                else f"runs/{LATEST_FILE}")

    def __str__(self) -> str:
        """``run X is missing: run Y's manifest (previous_run) names it ...``."""
        role = "the run before it" if self.named_by else "the latest run"
        return f"run {self.run_id} is missing: {self.namer} names it as {role}, {_GONE}"

    def own_line(self) -> str:
        """The line of the run whose manifest names the run gone, about its own manifest:
        ``previous_run names run X, the run before this one, ...``."""
        return f"{PREVIOUS_RUN} names run {self.run_id}, the run before this one, {_GONE}"


#: what a :class:`Gap` is, after the run it names
_GONE = (f"but its folder is gone from the runs folder and runs/{PRUNED_FILE} does not "
         "record it as pruned (deleted or moved by hand?); put the folder back to trace "
         "what it made")


def missing_previous(run_dir: Path, manifest: dict[str, Any]) -> Gap | None:
    """The run the manifest of the run in ``run_dir`` names as the run before it
    (``previous_run``) when that run's folder is gone and ``runs/PRUNED.jsonl`` does not
    record it as pruned; None when it is there, pruned, or none is named."""
    link = manifest.get(PREVIOUS_RUN)
    named = link.get("run_id") if isinstance(link, dict) else None
    if not is_gone(run_dir.parent, named):
        return None
    return Gap(str(named), run_dir.name)


def latest_gap(runs_dir: Path) -> Gap | None:
    """The run ``runs/LATEST`` names when its folder is gone and ``runs/PRUNED.jsonl`` does
    not record it as pruned (the latest run deleted or moved by hand: the newest folder
    left would pass for the latest); None when it is there, or there is no ``LATEST``."""
    named = read_latest(runs_dir)
    return Gap(named) if named is not None and is_gone(runs_dir, named) else None


def chain_gaps(runs_dir: Path, manifests: Mapping[str, dict[str, Any] | None] | None = None
               ) -> list[Gap]:
    """Every run gone from ``runs_dir`` by hand that a run's ``previous_run`` or
    ``runs/LATEST`` still names (:func:`missing_previous`, :func:`latest_gap`), by run id;
    a run named by both is told once, by the manifest. A manifest that cannot be read is
    passed over (its own check says why). ``manifests``: the runs' manifests read already
    (``runs list`` reads each once), by run id, None for one that could not be read; a run
    it lacks is read here."""
    gaps: dict[str, Gap] = {}
    for name in list_runs(runs_dir):
        try:
            manifest = (manifests[name] if manifests is not None and name in manifests
                        else read_manifest(runs_dir / name))
        except RunError:
            continue
        gap = missing_previous(runs_dir / name, manifest) if manifest is not None else None
        if gap is not None:
            gaps.setdefault(gap.run_id, gap)
    latest = latest_gap(runs_dir)
    if latest is not None:
        gaps.setdefault(latest.run_id, latest)
    return [gaps[run_id] for run_id in sorted(gaps)]


def gaps_between(runs_dir: Path, run_a: str, run_b: str) -> list[Gap]:
    """The runs of :func:`chain_gaps` whose ids sort between ``run_a`` and ``run_b``: two
    runs compared across them are not the neighbours they seem."""
    low, high = sorted((run_a, run_b))
    return [gap for gap in chain_gaps(runs_dir) if low < gap.run_id < high]


def is_gone(runs_dir: Path, run_id: object) -> bool:
    """Whether ``run_id`` is a run gone by hand from ``runs_dir``: named like a run id
    (another name has no folder to look for), with no folder there and no record of being
    pruned (``runs/PRUNED.jsonl``)."""
    return (isinstance(run_id, str) and bool(RUN_ID.fullmatch(run_id))
            and not (runs_dir / run_id).is_dir() and run_id not in read_pruned(runs_dir))
