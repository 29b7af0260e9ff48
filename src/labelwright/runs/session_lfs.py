"""LFs a run ran that are not in the project's LF folder: made in the Python session.

A notebook adds an LF to a loaded project (``project.with_lfs(says_lol)``, or
``project.lfs.append``) and runs it. Its code is in no project file, so the run's copies of
the LF folder (:mod:`labelwright.runs.sources`) do not hold it, and the project cannot give
it back later. The run keeps its source as the LF's hash read it, in
``sources/_session/<lf>.py``, checked against the hash the run recorded (a file edited
since the LF was made holds other code than the LF runs: that is not kept); the manifest's
entry for the LF says where it was defined (``defined_in``: a notebook cell, an interactive
prompt, another file). When its source cannot be had, the LF is listed in
``sources.not_kept`` with why. The run warns of each such LF either way, and ``runs
verify`` and ``explain`` name it: ``runs verify --inputs`` cannot import it, so it cannot
vouch for it, nor ``--recompute`` run it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.lfs.core import LabelingFunction, lf_parts, source_hash
from labelwright.lfs.function_code import source_text
from labelwright.lfs.session_globals import Digester, GlobalRead, session_globals
from labelwright.runs.manifest import project_path
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.sources import SOURCES, bytes_writer, kept_copies

if TYPE_CHECKING:
    from labelwright.project.load import Project
    from labelwright.runs.verify.inputs import InputCheck

#: the folder of ``sources/`` that holds the code of session LFs
SESSION = "_session"
#: their ``kind`` among the run's kept sources
KIND = "session LF"
#: a Jupyter cell's file (ipykernel writes each cell's code to one), or IPython's own name
_CELL = re.compile(r"(ipykernel_\d+[/\\]\d+\.py$)|(^<ipython-input-)")


@dataclass(frozen=True)
class SessionLF:
    """One LF not from the project's LF folder: where it was defined, and its code as its
    hash read it (``text``, and ``made_with`` when it is made with something), or why the
    run cannot keep it (``reason``)."""

    lf: LabelingFunction
    defined_in: str
    text: str | None
    made_with: str | None = None
    reason: str = ""
    #: the session's globals its code reads: their values are in its cache key, and the run
    #: records their hashes and a short text of each (not their source: none is kept)
    globals_read: tuple[GlobalRead, ...] = ()

    @property
    def copy(self) -> str:
        """Where the run keeps its code, relative to the run folder."""
        return f"{SOURCES}/{SESSION}/{re.sub(r'[^A-Za-z0-9_.-]', '_', self.lf.name)}.py"


def session_lfs(project: Project) -> list[SessionLF]:
    """The project's Python and snorkel LFs that its LF folder does not define, or that
    code outside it made (a factory of the folder called from a notebook)."""
    folder = project.config.lf_path.resolve()
    # what the LFs share (a word list, a helper) digested once; a value of the LF folder's
    # code without a digest as the vote cache keys it (by its module's file)
    digester = Digester(project.config.lf_path)
    return [_session_lf(lf, digester) for lf in project.lfs if made_in_session(lf, folder)]


def made_in_session(lf: LabelingFunction, folder: Path) -> bool:
    """Whether ``lf`` is a Python or snorkel LF the LF folder (``folder``, resolved) does
    not define, nor code in it made."""
    return lf.kind != "glossary" and not _from_folder(lf, folder)


def _from_folder(lf: LabelingFunction, folder: Path) -> bool:
    """Whether the code that made ``lf`` is in the LF folder: the call that made it (a
    factory's LF), else its own definition."""
    made = lf.made_at.rpartition(":")[0] if lf.made_at else lf.file
    return not made.startswith("<") and Path(made).resolve().is_relative_to(folder)


def defined_in(file: str) -> str:
    """Where code from ``file`` was written, as a run says it."""
    if _CELL.search(file):
        return "a notebook cell"
    if file.startswith("<"):
        return f"code with no file ({file}: exec() or an interactive prompt)"
    return f"the file {file}"


def _session_lf(lf: LabelingFunction, digester: Digester) -> SessionLF:
    where = defined_in(lf.made_at.rpartition(":")[0] if lf.made_at else lf.file)
    read = session_globals(lf, shown=True, digester=digester).reads
    text = source_text(lf.code)
    if text is None:
        return SessionLF(lf, where, None, reason=(
            "its source cannot be read: Python keeps none for code made with exec() or "
            "typed at a plain interactive prompt; the run has only its hash"),
            globals_read=read)
    parts = lf_parts(lf)  # the parts its hash was made of, read again
    if source_hash(*parts) != lf.source_hash:
        return SessionLF(lf, where, None, reason=(
            f"the source in {lf.file} now does not give the hash the run recorded (the file "
            "changed since the LF was made, or the code it uses did: a snorkel LF's "
            "preprocessors), so it is not the code the run ran"), globals_read=read)
    return SessionLF(lf, where, text, parts[1] if len(parts) > 1 else None,
                     globals_read=read)


def keep_session_code(writer: RunWriter, found: Sequence[SessionLF], root: Path
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Write the code of each LF of ``found`` that has it into the run being staged; the
    entries for the manifest's ``sources.files`` and ``sources.not_kept``."""
    kept, left = [], []
    for session in found:
        lf = session.lf
        entry: dict[str, Any] = {"path": _location(lf, root), "kind": KIND, "lf": lf.name,
                                 "defined_in": session.defined_in}
        if session.globals_read:  # values the session set: hashed and shown, not kept
            entry["globals_read"] = [r.record() for r in session.globals_read]
            entry["globals_kept"] = False
        if session.text is None:
            left.append({**entry, "reason": session.reason})
            continue
        data = session.text.encode("utf-8")
        (writer.staging / session.copy).parent.mkdir(parents=True, exist_ok=True)
        writer.write(session.copy, bytes_writer(data))
        kept.append({**entry, "copy": session.copy,
                     "sha256": hashlib.sha256(data).hexdigest(),
                     "bytes": len(data),
                     **({"made_with": session.made_with} if session.made_with else {})})
    return kept, left


def _location(lf: LabelingFunction, root: Path) -> str:
    """``file:line`` of ``lf`` as the manifest names it (``<string>:1`` as it is)."""
    file = lf.file if lf.file.startswith("<") else project_path(Path(lf.file), root)
    return f"{file}:{lf.line}"


def session_warnings(found: list[SessionLF]) -> list[str]:
    """A run's one warning of its session LFs, if any: which they are, which code it kept
    and what checking the run later takes (each LF's where and why: the manifest's
    ``defined_in`` and ``sources``, ``runs verify`` and ``explain``)."""
    if not found:
        return []
    kept = [f.lf.name for f in found if f.text is not None]
    lost = [f.lf.name for f in found if f.text is None]
    return [f"LF{'s' if len(found) > 1 else ''} made in the Python session, not in the "
            f"project's LF folder: {', '.join(f.lf.name for f in found)} ("
            + (f"code kept in {SOURCES}/{SESSION}/" if kept else "")
            + ("; " if kept and lost else "")
            + (f"no code kept of {', '.join(lost)}, only its hash: sources.not_kept says why"
               if lost else "")
            + "; to check the run, give them again: verify_runs(..., lfs=[...]))"]


def session_notes(manifest: dict[str, Any], run_folder: str = "") -> dict[str, str]:
    """``{LF name: what the run kept of it}`` for each session LF ``manifest`` records (an
    LF entry with ``defined_in``), as ``runs verify`` and ``explain`` say it; copies named
    inside ``run_folder`` (the run folder as a path to show)."""
    section = manifest.get("sources")
    left = {str(e.get("lf")): e for e in (section.get("not_kept") or [])
            if isinstance(e, dict) and e.get("kind") == KIND} if isinstance(section, dict) \
        else {}
    copies = {str(e.get("lf")): e for e in kept_copies(manifest).values()
              if e.get("kind") == KIND}
    notes = {}
    for lf in manifest.get("labeling_functions") or []:
        where = lf.get("defined_in")
        if not where:
            continue
        name = str(lf.get("name"))
        if name in copies:
            copy = str(copies[name]["copy"])
            shown = f"{run_folder}/{copy}" if run_folder else copy
            kept = f"its code as the run hashed it is kept in {shown}"
        elif name in left:
            kept = f"its code was not kept: {left[name].get('reason')}"
        else:
            kept = "the run kept no copy of its code"
        entry = copies.get(name) or left.get(name) or {}
        read = [str(g.get("name")) for g in entry.get("globals_read") or []
                if isinstance(g, dict)]
        if read:
            kept += (f"; it read the session's globals {', '.join(read[:5])}"
                     f"{' ...' if len(read) > 5 else ''} (hashed in the manifest, not kept)")
        notes[name] = f"defined in {where}, not in the project's LF folder; {kept}"
    return notes


def with_session_notes(check: InputCheck, manifest: dict[str, Any], run_folder: str,
                       given: Collection[str] = ()) -> None:
    """Say, in each of ``check``'s changes to an LF made in the session, what the run kept
    of it and why the project cannot give it back (or, for one ``given`` again with
    ``verify_runs(..., lfs=[...])``, that the LF given is another)."""
    notes = session_notes(manifest, run_folder)
    for i, change in enumerate(check.changes):
        note = notes.get(change.key) if change.what == "LF" else None
        if note is None:
            continue
        why = ("the LF given with lfs= is not the one the run ran" if change.key in given
               else "the project cannot give it back to compare (from Python, "
                    "verify_runs(..., lfs=[...]) takes the session's LFs)")
        check.changes[i] = replace(change, note=f"{note}; {why}")
