"""A run's manifest record of each LF (``labeling_functions``: its name, kind, where it is
defined, its source hash) and ``lf_summary.csv``'s ``location`` column, which names the
same place."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.lfs.core import LabelingFunction


def lf_record(lf: LabelingFunction, root: Path, defined_in: str | None = None
              ) -> dict[str, Any]:
    """The manifest's entry for ``lf``: ``location`` (:func:`lf_location`), a factory's
    LF's ``made_at`` (where the call that made it is; its location is the factory's),
    ``defined_in`` for an LF made in the Python session (the run keeps its code:
    :mod:`~labelwright.runs.session_lfs`), and ``source_sha256``."""
    return {"name": lf.name, "kind": lf.kind, "location": lf_location(lf, root),
            **({"made_at": relative_location(lf.made_at, root)} if lf.made_at else {}),
            **({"defined_in": defined_in} if defined_in is not None else {}),
            "source_sha256": lf.source_hash}


def lf_location(lf: LabelingFunction, root: Path) -> str:
    """Where ``lf`` is defined, ``file:line`` with the file relative to the project root:
    the manifest's ``location`` and ``lf_summary.csv``'s (:func:`with_lf_locations`)."""
    return f"{relative(lf.file, root)}:{lf.line}"


def with_lf_locations(lf_table: pd.DataFrame, lfs: Sequence[LabelingFunction],
                      root: Path) -> pd.DataFrame:
    """The LF table with a last column ``location``, each LF's :func:`lf_location`: the
    table named the LFs but not where they are, so a reader of ``lf_summary.csv`` looked
    each one up in the manifest or the code. An LF the project no longer has (none: the
    table is of this run's LFs) is left empty."""
    where = {lf.name: lf_location(lf, root) for lf in lfs}
    return lf_table.assign(location=[where.get(str(name), "") for name in lf_table["lf"]])


def relative_location(location: str, root: Path) -> str:
    """``file:line`` with the file relative to the project root, as :func:`relative`."""
    file, _, line = location.rpartition(":")
    return f"{relative(file, root)}:{line}"


def relative(path: str | Path, root: Path) -> str:
    """``path`` relative to the project root when it is inside it, so manifests travel."""
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
