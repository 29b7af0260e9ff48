"""Staging folders ``runs/.<run_id>.partial/``: who writes each, and whether that run is live.

A run stages its outputs in such a folder from its start
(:class:`~labelwright.runs.run_writer.RunWriter`) and renames it into place at its end. Its
``.owner`` file names the machine, the process id and, where the system says, when the
process started. While a folder is taken
for a live run, ``erase`` and ``runs prune`` refuse (:func:`being_written`); the next run
removes those of runs that ended (:func:`remove_stale_staging`), ``runs prune --partial``
also those of other machines (:func:`ended_staging`). A run about to publish checks
``runs/ERASURES.jsonl`` for erasures recorded since it started
(:func:`~labelwright.runs.erase.records.erasures_since`).
"""

from __future__ import annotations

import os
import shutil
import socket
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from labelwright.durations import span_text

OWNER = ".owner"
STALE_UNOWNED_SECONDS = 3600  # a staging folder without an owner file, older than this, is stale
#: a staging folder another machine writes (its process cannot be checked from here) is
#: taken for a live run for this long after it was made, then for one that was killed
STALE_OTHER_HOST_SECONDS = 24 * 3600


def owner_text() -> str:
    """What a staging folder's ``.owner`` holds: this machine's name, this process's id
    and, where the system says, when the process started (a process id used again by a
    later process is then not taken for the writer)."""
    return f"{socket.gethostname()}\n{os.getpid()}\n{_process_start(os.getpid()) or '-'}\n"


def _start_ticks(pid: int) -> int | None:
    """When process ``pid`` started, in clock ticks since boot (Linux's
    ``/proc/<pid>/stat``, field 22); None where the system has no ``/proc`` or the process
    is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8", errors="replace")
        return int(stat.rpartition(")")[2].split()[19])
    except (OSError, IndexError, ValueError):
        return None


def _process_start(pid: int) -> str | None:
    """When process ``pid`` started, as a token that differs for a later process given the
    same id: Linux's boot id and the process's start in clock ticks since boot
    (:func:`_start_ticks`); None where the system has no ``/proc`` or the process is gone."""
    ticks = _start_ticks(pid)
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return f"{boot}:{ticks}" if ticks is not None else None


def _process_started_at(pid: int) -> float | None:
    """When process ``pid`` started, in seconds since the epoch (Linux: the boot time in
    ``/proc/stat`` and :func:`_start_ticks`); None elsewhere."""
    ticks = _start_ticks(pid)
    if ticks is None:
        return None
    try:
        boot = next(int(line.split()[1]) for line in
                    Path("/proc/stat").read_text(encoding="utf-8").splitlines()
                    if line.startswith("btime "))
    except (OSError, IndexError, ValueError, StopIteration):
        return None
    return boot + ticks / os.sysconf("SC_CLK_TCK")


def _writer_alive(pid: int, started: str | None = None, owned_at: float | None = None
                  ) -> bool:
    """Whether process ``pid`` runs and is the writer: ``started``, the start its owner file
    recorded (a process of that id that started otherwise is another, the writer's id used
    again); without it, a process that started after ``owned_at`` (when the owner file was
    written) is another too."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # it exists but belongs to someone else
    if started:
        now = _process_start(pid)
        return now is None or now == started
    if owned_at is not None:
        began = _process_started_at(pid)
        return began is None or began <= owned_at + 2  # the clock's and /proc's rounding
    return True


@dataclass(frozen=True)
class Staging:
    """A ``runs/.<run_id>.partial/`` folder: a run being written, or one a killed run left.

    ``live``: a process may be writing it (:func:`staging_folders` says how it is judged);
    ``here``: its writer is a process of this machine (or it has no owner file)."""

    run_id: str
    path: Path
    live: bool
    here: bool
    owner: str  # who writes it, as said: "process 1288 on this machine", ...
    age: float  # seconds since it was made (its owner file's time)

    @property
    def age_said(self) -> str:
        """How long ago it was made: ``3 h``."""
        return span_text(self.age)

    def state(self) -> str:
        """``process 1288 on this machine, running, made 3 h ago``."""
        state = ("running" if self.here else "taken for running for "
                 f"{span_text(STALE_OTHER_HOST_SECONDS)} after it was made") if self.live \
            else "ended"
        return f"{self.owner}, {state}, made {self.age_said} ago"

    def describe(self) -> str:
        """``.<id>.partial (process 1288 on this machine, running, made 3 h ago)``."""
        return f"{self.path.name} ({self.state()})"


def _staging(path: Path, now: float) -> Staging | None:
    """What :func:`staging_folders` says of ``path`` (None: it is gone or no folder).

    Live when its writer, a process of this machine, runs (the same process: the id and,
    where the system records it, the start its owner file names); a folder written from
    another machine, whose process cannot be checked from here, for
    :data:`STALE_OTHER_HOST_SECONDS` after it was made; a folder without an owner file (an
    older labelwright's, or one just made) for :data:`STALE_UNOWNED_SECONDS`."""
    run_id = path.name[1:-len(".partial")]
    try:
        if not path.is_dir():
            return None
        owner = path / OWNER
        lines = owner.read_text(encoding="utf-8").split()
        made = owner.stat().st_mtime
    except FileNotFoundError:
        try:
            age = now - path.stat().st_mtime
        except OSError:
            return None
        return Staging(run_id, path, age <= STALE_UNOWNED_SECONDS, True, "no owner file", age)
    except (OSError, UnicodeDecodeError):  # unreadable: left alone
        return Staging(run_id, path, True, True, "its owner file cannot be read", 0.0)
    age = now - made
    host, pid = (lines + ["", ""])[:2]
    started = lines[2] if len(lines) > 2 and lines[2] != "-" else None
    if host != socket.gethostname():
        return Staging(run_id, path, age <= STALE_OTHER_HOST_SECONDS, False,
                       f"process {pid} on {host}", age)
    if not pid.isdigit():
        return Staging(run_id, path, True, True, "its owner file cannot be read", age)
    live = int(pid) == os.getpid() or _writer_alive(int(pid), started, made)
    return Staging(run_id, path, live, True, f"process {pid} on this machine", age)


def staging_folders(runs_dir: Path) -> list[Staging]:
    """Every ``runs/.<id>.partial/`` folder of ``runs_dir``, by id, each said live or not
    (:func:`_staging`)."""
    if not runs_dir.is_dir():
        return []
    now = time.time()
    found = [_staging(path, now) for path in sorted(runs_dir.glob(".*.partial"))]
    return [staging for staging in found if staging is not None]


def runs_being_written(runs_dir: Path) -> list[str]:
    """Ids of the runs being staged in ``runs_dir`` now (a live process owns the folder)."""
    return [staging.run_id for staging in staging_folders(runs_dir) if staging.live]


def being_written(runs_dir: Path, then: str, *, skip: Collection[Path] = ()) -> str | None:
    """The refusal of a command that must wait for the runs being written in ``runs_dir``
    (``then``: what to do when they have finished), each named with its writer; None when
    no run is (the folders ``skip`` names aside). A folder written from another machine is
    named with how to remove it, in case that run was killed."""
    live = [staging for staging in staging_folders(runs_dir)
            if staging.live and staging.path not in skip]
    if not live:
        return None
    line = (f"{runs_dir}: a run is being written now ("
            + "; ".join(staging.describe() for staging in live) + f"); {then}")
    if any(not staging.here for staging in live):
        line += ("; a run of another machine that was killed is taken for a live one for "
                 f"{span_text(STALE_OTHER_HOST_SECONDS)}: if it has ended, `labelwright runs "
                 "prune --keep N --partial` removes its folder now")
    return line


def remove_stale_staging(runs_dir: Path) -> list[str]:
    """Remove ``runs/.<id>.partial`` folders that killed runs left; returns their names.

    A folder is stale when no live process writes it (:func:`staging_folders`): its
    writer on this machine is gone, it was written from another machine more than
    :data:`STALE_OTHER_HOST_SECONDS` ago, or it has no owner file and is over an hour old.
    """
    removed = []
    for staging in staging_folders(runs_dir):
        if not staging.live:
            shutil.rmtree(staging.path, ignore_errors=True)
            removed.append(staging.path.name)
    return removed


def staging_lines(runs_dir: Path, run: str = "") -> list[str]:
    """A line for each staging folder in ``runs_dir`` (``run``: those whose id starts so):
    who writes it, whether that run is live, and what it is, for the commands that list or
    name runs (a half-written run is no run, and was mentioned by none)."""
    return [f"{staging.path}: {staging.state()}"
            + (": a run being written (a run once it has finished)" if staging.live else
               ": left by a run that ended before it finished (killed), so no run; the next "
               "run removes it, `labelwright runs prune --keep N --partial` now")
            for staging in staging_folders(runs_dir) if staging.run_id.startswith(run)]


def ended_staging(runs_dir: Path) -> list[Staging]:
    """The staging folders no live process of this machine writes, which ``runs prune
    --partial`` removes: those of ended runs, and those written from other machines
    however recent (the user says those runs have ended). A folder a live process of this
    machine writes is never among them."""
    return [staging for staging in staging_folders(runs_dir)
            if not (staging.live and staging.here)]
