"""What ``labelwright erase`` does not change that may still hold the erased items' words,
named after its summary: end models a run saved, training sets and WRENCH folders exported
from runs, the reviewers' files the review ledger imported, and the git history of the data
file and of each file erase rewrites (review files, the ledger, ...).

Each is named only where it holds the items, as far as can be told cheaply: a training set
is named when its ``id`` column holds one of them (read alone: a Parquet column, a CSV
column, the JSON lines that spell an id), a WRENCH folder's split file when one of them is
among its keys (a JSON object keyed by item id), and said to *may* hold them where its ids
cannot be read (a spaCy ``DocBin``, an unreadable file). One edited since it was exported
is read all the same, and said to be changed: the edit may have left the texts in. Neither
is rewritten: its sha256, which ``runs/EXPORTED.jsonl`` records beside the run it was
exported from, is what ties a model trained on it (or a bench score) to that run, and a
file erase edited would be that run's export no more (a WRENCH split would still feed the
bench the item's votes); exporting again from a run without the items writes one that is.
An end model's vocabulary may hold their words whenever its run labeled them. A reviewer's
file is named when it still holds one of the items' texts or a rater's note on one (read as
``erase`` reads a review export); it is not rewritten: it is the reviewer's work, and the
ledger keeps its sha256 as the source of its decisions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.counts import some_of
from labelwright.errors import DataError
from labelwright.runs.recorded_paths import RecordedPaths
from labelwright.runs.replaced import kept_files

if TYPE_CHECKING:
    from labelwright.config import DataConfig


def end_model_files(runs_dir: Path, runs: Sequence[str]) -> list[tuple[str, Path]]:
    """Each end model ``labelwright train`` saved in ``runs`` and each one a later ``train``
    replaced and kept, with its run's id."""
    from labelwright.runs.file_names import TRAIN_FILES

    model_file = TRAIN_FILES[0]  # end_model.train's name, without sklearn
    return [(run_id, model) for run_id in runs
            for model in [runs_dir / run_id / model_file,
                          *kept_files(runs_dir / run_id, model_file)] if model.is_file()]


def end_models(runs_dir: Path, runs: Sequence[str]) -> list[str]:
    """The end models ``labelwright train`` saved in ``runs`` (those that held the items),
    and the ones a later ``train`` replaced and kept."""
    return [f"{model}: the end model `labelwright train` saved from run {run_id}; its "
            "vocabulary may hold words of the erased texts: delete it and train again on a "
            "run without them" for run_id, model in end_model_files(runs_dir, runs)]


def trained_ledger_count(model: Path) -> int | None:
    """How many first ledger decisions the end model at ``model`` was trained with (its
    ``training.ledger_decisions``), None when it records no count or cannot be read: a
    note erasure records their digest before and after, as it does a run's."""
    try:
        training = json.loads(model.read_text(encoding="utf-8")).get("training")
    except (OSError, ValueError, AttributeError):
        return None
    count = training.get("ledger_decisions") if isinstance(training, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def training_sets(paths: RecordedPaths, runs: Sequence[str], ids: Collection[str]
                  ) -> list[str]:
    """The training sets and WRENCH split files exported from ``runs`` still at the path
    recorded that hold (or may hold) one of ``ids`` (:func:`training_set_holds`), those
    edited since too: an edit may have left the texts in; ``paths``: where the runs
    folder's records are found now."""
    from labelwright.runs.exported import recorded_exports

    there = recorded_exports(paths)
    lines = []
    for run_id in runs:
        for exported in there.get(run_id, []):
            file = exported.path
            origin = f"the {exported.what} exported from run {run_id}" + (
                " (changed since)" if exported.changed else "")
            held = training_set_holds(Path(file), ids, fmt=exported.format)
            if held is None:
                lines.append(f"{file}: {origin} may hold the erased items' texts (its ids "
                             "cannot be read cheaply): export again from a run without them "
                             "(or delete it)")
            elif held:
                lines.append(f"{file}: {origin} holds the texts of {_some(held)}: export "
                             "again from a run without them (or delete it)")
    return lines


def training_set_holds(path: Path, ids: Collection[str], *, fmt: str = "") -> list[str] | None:
    """The ``ids`` the exported file at ``path`` holds: a training set's from its ``id``
    column alone (its format ``fmt`` as recorded, else told by the suffix), a WRENCH
    split file's (``fmt`` ``"wrench"``) from its keys; None when that cannot be read (a
    spaCy ``DocBin`` keeps ids inside each Doc)."""
    from labelwright.runs.exported import WRENCH

    wanted = set(ids)
    kind = fmt or path.suffix.lstrip(".")
    try:
        if kind == WRENCH:
            doc = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(doc, dict):
                return None
            found = set(doc)
        elif kind == "parquet":
            import pyarrow.parquet as pq

            column = pq.read_table(path, columns=["id"]).column("id").to_pylist()
            found = {str(i) for i in column}
        elif kind == "csv":
            import pandas as pd

            found = set(pd.read_csv(path, usecols=["id"], dtype=str)["id"].dropna())
        elif kind == "jsonl":
            found = _jsonl_ids(path, wanted)
        else:
            return None
    except Exception:  # noqa: BLE001 - pyarrow and pandas raise many types: "may hold"
        return None
    return sorted(wanted & found)


def _jsonl_ids(path: Path, ids: set[str]) -> set[str]:
    """The ``ids`` among the ``id`` of the lines of ``path``: each line parsed once, its id
    looked up in ``ids``. A line that is not JSON raises (the file "may hold" them) only
    where it spells one of them; elsewhere it holds none."""
    found = set()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                if any(json.dumps(i, ensure_ascii=False) in line for i in ids):
                    raise
                continue
            if isinstance(record, dict) and str(record.get("id")) in ids:
                found.add(str(record["id"]))
    return found


def reviewer_files(root: Path, paths: RecordedPaths, ids: Collection[str], changed: set[Path]
                   ) -> list[str]:
    """The files the review ledger of the project at ``root`` records as imported (path and
    sha256) that are still there and hold the text of one of ``ids``, other than the files
    in ``changed`` (an export the reviewer filled in where it was written, which the
    erasure rewrites); ``paths``: where the files it records are found now."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import query
    from labelwright.runs.erase.files import erase_review_file

    def imports(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
        if not conn.execute("PRAGMA table_info(imports)").fetchall():
            return []
        return [(file, reviewer, when, reviewer or _raters(conn, file))
                for file, reviewer, when in conn.execute(
                    "SELECT source_file, reviewer, MAX(imported_at) FROM imports "
                    "GROUP BY source_file, reviewer ORDER BY source_file").fetchall()]

    seen: dict[Path, list[str]] = {}
    for file, _, when, who in query(ledger_path(root), imports):
        path = paths.locate(str(file)).path
        seen.setdefault(path, []).append(f"{who} on {str(when)[:10]}")
    lines = []
    for path, imported in seen.items():
        if path.resolve() in changed or not path.is_file():
            continue
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # gone since it was looked for
        try:  # erase_review_file counts the ids it holds: one pass over the file
            holds: bool | None = erase_review_file(raw.decode("utf-8-sig"), ids)[1] > 0
        except (UnicodeDecodeError, ValueError):
            # edited since its import (an imported file is UTF-8): it may hold them where
            # it spells one of the ids
            holds = None if any(i.encode("utf-8") in raw for i in ids) else False
        if holds is False:
            continue
        lines.append(f"{path}: a reviewer's file the review ledger imported (from "
                     f"{', '.join(imported)}) {'may hold' if holds is None else 'holds'} the "
                     "erased items' texts or raters' notes on them; erase leaves a "
                     "reviewer's file as it is (the ledger keeps its sha256 as the source "
                     "of its decisions): delete it, or take the texts out by hand")
    return lines


def _raters(conn: sqlite3.Connection, file: str) -> str:
    """Who rated the decisions imported from ``file`` without an importer's name (each
    rater named in the file: a CSV's reviewer column, a tool's annotator), as erase's
    line on a reviewer's file names them instead of a blank importer."""
    names = sorted({str(name) for (name,) in conn.execute(
        "SELECT DISTINCT CASE WHEN annotator != '' THEN annotator ELSE reviewer END "
        "FROM decisions WHERE source_file = ? AND reviewer = ''", (file,)) if name})
    if not names:
        return "the raters the file names"
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"the raters the file names ({shown})"


def data_history(data: DataConfig) -> list[str]:
    """A line when the data file ``data`` reads (or files of a dataset in many) is tracked
    by git: the rows deleted from it stay in the commits before (erase does not rewrite a
    repository's history); [] when it is not, or git cannot tell."""
    from labelwright.data.part_files import many_files, part_files, part_name, parts_base

    if many_files(data):
        try:
            parts = part_files(data)
        except DataError:
            return []
        tracked = [p for p in parts if p in tracked_by_git(parts)]
        if not tracked:
            return []
        names = [part_name(p, parts_base(data)) for p in tracked]
        return [f"{data.path}: {len(tracked)} of its files ({some_of(names)}) "
                f"{'is' if len(tracked) == 1 else 'are'} tracked by git, so their earlier "
                "commits still hold the deleted rows; erase does not rewrite a "
                "repository's history (nor its clones')"]
    if not data.path.is_file() or data.path not in tracked_by_git([data.path]):
        return []
    return [f"{data.path}: tracked by git, so its earlier commits still hold the deleted "
            "rows; erase does not rewrite a repository's history (nor its clones')"]


def rewritten_history(rewritten: Sequence[tuple[Path, str]]) -> list[str]:
    """A line for each file erase rewrites or removes that git tracks, as for the data
    file (:func:`data_history`): its earlier commits still hold what it held before.
    ``rewritten``: each file with what it loses (``texts``, ``notes``)."""
    tracked = tracked_by_git([path for path, _ in rewritten])
    return [f"{path}: tracked by git, so its earlier commits still hold the erased {what}; "
            "erase does not rewrite a repository's history (nor its clones')"
            for path, what in rewritten if path in tracked]


def tracked_by_git(paths: Sequence[Path]) -> set[Path]:
    """Those of ``paths`` a git repository tracks (``git ls-files``), one git call per
    folder; none when git is missing or the folder is in no repository."""
    from labelwright.runs.provenance import git_output

    by_folder: dict[Path, list[Path]] = {}
    for path in paths:
        by_folder.setdefault(path.parent, []).append(path)
    tracked: set[Path] = set()
    for folder, files in by_folder.items():
        if not folder.is_dir():
            continue
        listed = git_output(folder, "ls-files", "-z", "--", *(f.name for f in files))
        names = set((listed or "").split("\0"))
        tracked.update(f for f in files if f.name in names)
    return tracked


def _some(ids: Sequence[str]) -> str:
    from labelwright.counts import counted, some_of

    return f"{counted(len(ids), 'item')} ({some_of([repr(i) for i in ids])})"
