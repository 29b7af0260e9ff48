"""What a worker that loads the project itself checks: that it runs what the client loaded.

Dask workers build their runner from the project folder the client names (LFs from a
project module cannot be pickled by reference). A worker on another machine may hold
another copy of that folder (an LF file edited on the client only), no copy at all (and a
project above the path), another labelwright build or another spaCy, or another version
of a module from outside the LF folder that the LFs import (a helper on its Python path;
or one the worker imported before its file was edited, which a worker process keeps until
it ends): its votes would differ from the client's in silence, while the manifest and
the vote cache record the client's code. So the client sends what it loaded
(:class:`ClientState`: the hashes its cache keys and manifest are made of, and the
outside modules' code) and each worker compares what it loaded with it before it
applies any LF; a difference is an error naming the worker, what differs and
that every worker needs the same project at the same path.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.apply.cache_keys import changed_files
from labelwright.apply.outside_code import loaded_outside
from labelwright.counts import some_of
from labelwright.errors import (
    ConfigError,
    DataError,
    GlossaryError,
    LabelwrightError,
    LFError,
)
from labelwright.lfs.loaded_modules import current_sha, remember

if TYPE_CHECKING:
    from spacy.language import Language

    from labelwright.apply.core import ChunkRunner
    from labelwright.project import Project

#: packages whose version changes how items are parsed or matched, so the votes: a worker
#: must have the client's (python: its major.minor, for ``re`` and ``unicodedata``)
VOTE_PACKAGES = ("spacy", "spacy-lookups-data", "thinc")

#: what the manifest's ``apply.dask_workers.matched_client`` lists: what every worker
#: that ran was seen to share with the client
COMPARED = ("labelwright_code", "python", *VOTE_PACKAGES, "labels", "lf_folder_files",
            "lf_sources", "glossaries", "pipeline", "outside_modules")

SAME_EVERYWHERE = ("every Dask worker needs the project at the same path as the client, "
                   "with the same files, and the same labelwright, spaCy and "
                   "spacy-lookups-data")


@dataclass(frozen=True)
class ClientState:
    """What the client loaded, for a worker to compare with what it loads."""

    code: str  # labelwright_code's sha256 (labelwright.runs.own_code)
    versions: tuple[tuple[str, str | None], ...]  # python and VOTE_PACKAGES
    labels: tuple[str, ...]
    lfs: tuple[tuple[str, str], ...]  # (name, source hash) of each LF but glossaries'
    glossaries: tuple[tuple[str, str], ...]  # (file, sha256)
    pipeline: str  # the pipeline's fingerprint without file times; "" without one
    #: the LF folder's files (cache_keys.folder_state) when its LFs were imported; None
    #: when the client did not take it (LFs given in Python)
    lf_files: tuple[tuple[str, str], ...] | None = None
    #: the LFs no module of the LF folder made (runs.session_lfs.made_in_session), which
    #: the client refuses to send to Dask workers (check_session_code)
    session: tuple[str, ...] = ()
    #: (name, file, sha256 of the code it holds) of each module from outside the LF folder
    #: that the LFs import (outside_code.loaded_outside)
    outside: tuple[tuple[str, str, str], ...] = ()
    #: the glossaries made in the session (no file: runs.session_glossaries)
    session_glossaries: tuple[str, ...] = ()


def vote_versions() -> tuple[tuple[str, str | None], ...]:
    """Python's major.minor and each of :data:`VOTE_PACKAGES`' versions (None: not
    installed)."""
    versions: list[tuple[str, str | None]] = [
        ("python", ".".join(platform.python_version_tuple()[:2]))]
    for name in VOTE_PACKAGES:
        try:
            versions.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            versions.append((name, None))
    return tuple(versions)


def portable_fingerprint(nlp: Language | None) -> str:
    """The pipeline's fingerprint without its files' modification times (which differ
    between machines holding the same pipeline); "" without a pipeline."""
    if nlp is None:
        return ""
    from labelwright.nlp.fingerprint import fingerprint_parts

    return fingerprint_parts(nlp, file_times=False)["fingerprint"] or ""


def client_state(runner: ChunkRunner, lf_state: Mapping[str, str] | None) -> ClientState:
    """What ``runner`` holds (the LFs, glossaries and pipeline the client loaded), with the
    LF folder's files as they were when its LFs were imported (``lf_state``)."""
    from labelwright.runs.own_code import labelwright_code
    from labelwright.runs.session_glossaries import session_glossaries
    from labelwright.runs.session_lfs import made_in_session

    folder = Path(runner.lf_folder).resolve() if runner.lf_folder is not None else None

    return ClientState(
        code=str(labelwright_code()["sha256"]),
        versions=vote_versions(),
        labels=tuple(runner.labels),
        lfs=tuple((lf.name, lf.source_hash) for lf in runner.lfs if lf.kind != "glossary"),
        glossaries=tuple((str(g.path), g.sha256) for g in runner.glossaries),
        pipeline=portable_fingerprint(runner.nlp),
        lf_files=tuple(sorted(lf_state.items())) if lf_state is not None else None,
        session=tuple(lf.name for lf in runner.lfs
                      if folder is not None and made_in_session(lf, folder)),
        outside=loaded_outside(runner.lfs, folder),
        session_glossaries=tuple(g.name for g in session_glossaries(runner.glossaries)))


def check_session_code(expected: ClientState, lf_folder: str | Path | None) -> None:
    """A :class:`ConfigError` when the client holds LFs or glossaries made in the session:
    a worker loads the project from its folder, where no copy holds them. Checked on the
    client, before any task is sent."""
    if expected.session:
        raise ConfigError(f"the LFs made in the session ({', '.join(expected.session)}) are "
                          f"in no module of the LF folder {lf_folder}, from which every Dask "
                          "worker loads the LFs: put them in a module there, or use the local "
                          "or processes engine")
    if expected.session_glossaries:
        raise ConfigError(f"the glossaries made in the session "
                          f"({', '.join(expected.session_glossaries)}, with_glossaries) are "
                          "in no file of the project's glossary folder, from which every Dask "
                          "worker loads the glossaries: save each as a YAML file there, or "
                          "use the local or processes engine")


def worker_name() -> str:
    """This worker as a message names it: a Dask worker's address and host, else the
    process and host."""
    host = socket.gethostname()
    try:
        from distributed import get_worker

        return f"the Dask worker {get_worker().address} (host {host})"
    except (ImportError, ValueError):  # ValueError: not in a Dask worker
        return f"the worker process {os.getpid()} (host {host})"


def check_code(expected: ClientState) -> None:
    """A :class:`ConfigError` when this worker runs another labelwright build or other
    versions of :data:`VOTE_PACKAGES` than the client: checked before the project is
    loaded, since another build may load it otherwise."""
    from labelwright.runs.own_code import labelwright_code

    code = str(labelwright_code()["sha256"])
    if code != expected.code:
        raise ConfigError(f"{worker_name()} runs other labelwright code than the client "
                          f"(labelwright_code sha256 {code[:12]} on the worker, "
                          f"{expected.code[:12]} on the client), whose votes may differ; "
                          f"{SAME_EVERYWHERE}")
    client = dict(expected.versions)
    differ = [f"{name} {mine or 'not installed'} on the worker, "
              f"{client.get(name) or 'not installed'} on the client"
              for name, mine in vote_versions() if client.get(name) != mine]
    if differ:
        raise ConfigError(f"{worker_name()} has other versions than the client: "
                          f"{'; '.join(differ)}; they parse or match items differently, so "
                          f"the votes may differ; {SAME_EVERYWHERE}")


def load_on_worker(root: str) -> Project:
    """The project in the folder ``root`` exactly (never a project above it), loaded as
    the client loaded it; an error while loading says it happened on this worker."""
    from labelwright.config import CONFIG_NAME
    from labelwright.project import load_project

    folder = Path(root)
    if not (folder / CONFIG_NAME).is_file():  # a project above it is not the client's
        problem = f"no {CONFIG_NAME} in it" if folder.is_dir() else "no such folder"
        raise ConfigError(f"{worker_name()} has no project at {root} ({problem}); "
                          f"{SAME_EVERYWHERE}")
    try:
        return load_project(folder / CONFIG_NAME)
    except Exception as exc:
        raise on_worker(exc, root) from None


def on_worker(exc: Exception, root: str) -> LabelwrightError:
    """``exc``, raised while this worker loaded the project at ``root``, as an error of its
    kind that says so (its cause is dropped: an LF module's own exception class may not
    reach the client)."""
    kind: type[LabelwrightError] = next(
        (k for k in (LFError, GlossaryError, DataError) if isinstance(exc, k)), ConfigError)
    said = str(exc) if isinstance(exc, LabelwrightError) else f"{type(exc).__name__}: {exc}"
    return kind(f"{worker_name()} could not load the project at {root}: {said}; "
                f"{SAME_EVERYWHERE}")


def differences(expected: ClientState, project: Project) -> list[str]:
    """What the worker's ``project`` holds that differs from what the client loaded."""
    found: list[str] = []
    folder = Path(project.config.lf_path)
    if tuple(project.labels) != expected.labels:
        found.append(f"its labels are {list(project.labels)}, the client's "
                     f"{list(expected.labels)}")
    if expected.lf_files is not None and project.lf_state is not None:
        client, mine = dict(expected.lf_files), project.lf_state
        changed = changed_files(client, mine)
        if changed:
            found.append("these files of the LF folder differ from the client's: "
                         + some_of([f"{folder / name}" + (" (only on the client)"
                                                          if name not in mine else
                                                          " (only on the worker)"
                                                          if name not in client else "")
                                    for name in changed[:10]], 10, total=len(changed)))
    mine_lfs = {lf.name: lf for lf in project.lfs if lf.kind != "glossary"}
    client_lfs = dict(expected.lfs)
    missing = [name for name in client_lfs if name not in mine_lfs]
    extra = [name for name in mine_lfs if name not in client_lfs]
    if missing or extra:
        found.append("its LFs are not the client's"
                     + (f": missing {missing}" if missing else "")
                     + (f"{',' if missing else ':'} not on the client {extra}" if extra else ""))
    edited = [f"{name} ({mine_lfs[name].location})" for name, sha in client_lfs.items()
              if name in mine_lfs and mine_lfs[name].source_hash != sha]
    if edited:
        found.append(f"the source of these LFs differs from the client's: {', '.join(edited)}")
    client_glossaries = dict(expected.glossaries)
    mine_glossaries = {str(g.path): g.sha256 for g in project.glossaries}
    glossaries = changed_files(client_glossaries, mine_glossaries)
    if glossaries:
        found.append(f"these glossary files differ from the client's: {', '.join(glossaries)}")
    if portable_fingerprint(project.nlp) != expected.pipeline:
        found.append("its spaCy pipeline differs from the client's (its config, model or "
                     "lookup tables)")
    return found


def check_project(expected: ClientState, project: Project, root: str) -> None:
    """A :class:`ConfigError` naming this worker and what differs when the ``project`` it
    loaded from ``root`` is not what the client loaded."""
    # LFs made in the session never reach here: make_engine's check_session_code refused
    # them on the client
    found = differences(expected, project)
    if found:
        raise ConfigError(f"{worker_name()} loaded another project at {root} than the "
                          f"client: {'; '.join(found)}; its votes would not come from the "
                          "code the client loaded and records. "
                          f"{SAME_EVERYWHERE[0].upper()}{SAME_EVERYWHERE[1:]}: copy "
                          "the client's project there (or put it on storage every worker "
                          "reads) and run again")
    check_outside(expected)


#: what a worker holding a module imported before its file changed is told to do
RESTART = ("a Dask worker keeps a module it imported until its process ends (importlib.reload "
           "and load_project on the client do not reach it): restart the workers "
           "(client.restart(), or restart the cluster) so they import the file again, then "
           "run again")


def outside_differences(expected: ClientState) -> tuple[list[str], bool]:
    """The modules from outside the LF folder that the LFs import whose code on this worker
    is not the client's (the project's LF modules were imported just before), and whether
    one of them is only stale here (imported before its file became the client's)."""
    found: list[str] = []
    stale = False
    for name, client_file, client_sha in expected.outside:
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if module is None or not isinstance(file, str):  # not imported: what it would be
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                spec = None
            file = spec.origin if spec is not None else None
            if file is None or not os.path.isfile(file):
                found.append(f"{name} ({client_file} on the client) cannot be imported here")
                continue
            held = now = current_sha(file) or ""
        else:
            held = remember(module) or ""
            now = current_sha(file) or ""
        if held == client_sha:
            continue
        where = file if os.path.realpath(file) == os.path.realpath(client_file) else (
            f"{file} here, {client_file} on the client")
        if now == client_sha:  # the file is the client's, the code imported is older
            stale = True
            found.append(f"{name} ({where}) holds the code this worker imported before "
                         "its file changed (the client's is the file as it is now)")
        else:
            found.append(f"{name} ({where}) holds other code than the client's (sha256 "
                         f"{held[:12]} here, {client_sha[:12]} on the client)")
    return found, stale


def check_outside(expected: ClientState) -> None:
    """A :class:`ConfigError` naming this worker and each module from outside the LF folder
    whose code here is not the client's (:func:`outside_differences`)."""
    found, stale = outside_differences(expected)
    if found:
        fix = (RESTART if stale else
               "every Dask worker needs the client's version of these modules on its Python "
               "path (the same files); after an edit, importlib.reload the module in the "
               "calling process and load the project again, so that it holds the file's "
               "code too")
        raise ConfigError(f"{worker_name()} runs other code than the client for modules from "
                          f"outside the LF folder that the LFs import: {'; '.join(found)}; its "
                          f"votes would not come from the code the client loaded and records; "
                          f"{fix}")
