"""Which data a run read, and whether it is the data a command is about to pair with the
run's labels: the file (its hash, or another file than ``[data] path`` names now) and the id
and text columns its manifest records."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig


def run_data_columns(manifest: dict[str, Any]) -> tuple[str, ...]:
    """(id column, text column) a run read its items from (the first two of its data
    schema; empty for a manifest without one)."""
    schema = (manifest.get("data") or {}).get("schema") or []
    return tuple(str(c.get("name")) for c in schema[:2] if isinstance(c, dict))


def same_data_file(read: str, source: str, root: Path, then_root: str | None) -> bool:
    """Whether ``read`` (a data path a run's manifest records) is the file ``source`` of
    the project at ``root``: the same path, or, for a run of this project (``then_root``:
    the folder its manifest records, "" when it records none; None for a run of another
    project, whose files are its own), the same place in the project moved or copied
    since."""
    then, now = Path(read), Path(source).resolve()
    if then.is_absolute() and then.resolve() == now:
        return True
    if then_root is None:
        return False
    try:
        inside = then.relative_to(then_root) if then.is_absolute() and then_root else then
    except ValueError:  # outside the project's folder: only the same path is the same file
        return False
    return not inside.is_absolute() and (root / inside).resolve() == now


def other_data_file(manifest: dict[str, Any], source: str | Path,
                    project: ProjectConfig) -> str | None:
    """The data file the run read (its manifest's ``data.path``) when that is not
    ``source``, the file ``[data] path`` of ``project`` names now; None when it is the same
    file (:func:`same_data_file`) or the manifest records no path. A message about the data
    a run read names this file, never the one ``[data]`` names now: the run never saw that."""
    read = (manifest.get("data") or {}).get("path")
    if read is None:
        return None
    recorded = manifest.get("project") or {}
    then_root = (str(recorded.get("root") or "") if recorded.get("name") == project.name
                 else None)
    return None if same_data_file(str(read), str(source), project.root, then_root) else str(read)


def check_run_data(run_dir: Path, manifest: dict[str, Any], data_path: Path,
                   sha256: str, action: str, columns: tuple[str, str] | None = None, *,
                   project: ProjectConfig | None = None) -> None:
    """A :class:`RunError` when the dataset is not the one the run read, or (``columns``:
    the project's id and text columns now) its ids or texts come from other columns: a
    run's labels paired with other texts would be wrong in silence. With ``project`` (whose
    ``[data] path`` is ``data_path``), a run that read another file than ``data_path`` is
    told so, naming both files (:func:`other_data_file`)."""
    expected = manifest.get("data", {}).get("sha256")
    read = other_data_file(manifest, data_path, project) if project is not None else None
    if expected and expected != sha256:
        if read is not None:
            raise RunError(f"run {run_dir.name} read its items from {read} (sha256 "
                           f"{expected[:12]}); [data] path now names {data_path}, which holds "
                           f"other data (sha256 {sha256[:12]}); run `labelwright run` again "
                           f"before {action}")
        changed = "changed since run"
        if data_path.is_file() and file_sha256(data_path) == expected:  # the same bytes
            changed = "is read otherwise ([data] quoting or columns) than by run"
        raise RunError(f"{data_path} {changed} {run_dir.name} (sha256 {sha256[:12]}, "
                       f"the run read {expected[:12]}){erased_since_run(run_dir, manifest)}; "
                       f"run `labelwright run` again before {action}")
    recorded = run_data_columns(manifest)
    if columns is not None and len(recorded) == 2 and recorded != tuple(columns):
        raise RunError(f"run {run_dir.name} read its ids and texts from the columns "
                       f"{recorded[0]!r} and {recorded[1]!r} of {read or data_path}; [data] "
                       f"now names {columns[0]!r} and {columns[1]!r}"
                       + ("" if read is None else f" of {data_path}")
                       + f", so its labels would go with other texts: run `labelwright run` "
                       f"again before {action}")


def erased_since_run(run_dir: Path, manifest: dict[str, Any], shown: int = 3) -> str:
    """``; erasures recorded since the run deleted rows from the data: ERASURES.jsonl line
    1 (erased on ... by ... (...))`` when ``runs/ERASURES.jsonl`` records erasures made
    after the run started (erasures of items; a rater's deletes no row), else "": a
    command refused for data changed since its run said only the two hashes, though the
    change was an erasure on record."""
    from labelwright.review.decisions.decision_times import parse_time
    from labelwright.runs.erase.records import ErasureLog

    started = parse_time(manifest.get("started_at"))
    try:
        records = ErasureLog(run_dir.parent).records()
    except Exception:  # noqa: BLE001 - `runs verify` says what is wrong with the record
        return ""
    # erased_at is to the second: one in the second the run started counts as after it;
    # an erasure of a rater (`erase --rater`) deletes no row: not named
    later = [e for e in records if e.items and (started is None or (
        (when := parse_time(e.erased_at)) is not None
        and when >= started.replace(microsecond=0)))]
    if not later:
        return ""
    more = f" and {len(later) - shown} more" if len(later) > shown else ""
    return ("; erasures recorded since the run deleted rows from the data: "
            + "; ".join(e.where() for e in later[:shown]) + more)
