"""Which files a dataset in many files is: a folder of parts, a wildcard, or a list.

A data engineer's reviews come as the parts a Spark or Dask job writes (``part-00000.parquet``
...), or as a file a day. ``[data] path`` (or ``--data``) names them as a folder, as a name
with a wildcard (``data/parts/*.parquet``, ``data/**/*.jsonl``), or as a list of files; the
parts are read in the order of their names (a list: in its order), each in its own format,
and the dataset is their rows one after another (:mod:`labelwright.data.part_reads`).

A folder's parts are its files; names starting with ``.`` or ``_`` are not parts (Spark's
``_SUCCESS``, a ``.crc`` checksum, an editor's swap file). A file whose format cannot be
told, or a folder inside it, is an error naming it: a part is never left out in silence, so
a wildcard is the way to pick some files of a folder.

The data hash of such a dataset is one digest of each part's name (relative to the
dataset's folder) and data hash (:func:`parts_sha256`): a part changed, added, removed or
renamed changes it, and the manifest lists each part with its own hash, so ``runs verify
--inputs`` names the part.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from labelwright.config import DataConfig
from labelwright.config.schema import DATA_SUFFIXES, data_suffix
from labelwright.errors import DataError

__all__ = ["DataPart", "is_many", "many_files", "part_config", "part_files", "part_hashes",
           "part_name",
           "parts_base", "parts_digest", "parts_sha256", "shown_part"]

_WILDCARD = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class DataPart:
    """One file of a dataset in many files: where, its data hash, the items read from it
    and the bad rows left out of it (``[data] bad_rows = "skip"``)."""

    path: Path
    sha256: str
    rows: int
    skipped: int = 0

    def record(self, name: str) -> dict[str, object]:
        """The part as the run manifest's ``data.parts`` lists it (``name``: its path as
        the manifest names files)."""
        out: dict[str, object] = {"path": name, "sha256": self.sha256, "rows": self.rows}
        if self.skipped:
            out["skipped"] = self.skipped
        return out


def is_many(path: Path) -> bool:
    """Whether ``path`` names many files: a folder, or a name with a wildcard that is no
    file of that name."""
    return path.is_dir() or (not path.exists() and bool(_WILDCARD.search(str(path))))


def many_files(data: DataConfig) -> bool:
    """Whether ``data`` reads a dataset in many files (a list, a folder, a wildcard)."""
    return data.parts is not None or is_many(data.path)


def part_config(data: DataConfig, part: Path) -> DataConfig:
    """``data`` reading the one file ``part``, with its other settings."""
    return replace(data, path=part, parts=None)


def part_files(data: DataConfig) -> list[Path]:
    """The files of a dataset in many files, in the order they are read: a list's as
    written, a folder's and a wildcard's by name. A :class:`DataError` names a listed file
    that is not there, a folder's file that is no dataset file, and a folder or wildcard
    that gives none."""
    if data.parts is not None:
        for part in data.parts:
            if not part.is_file():
                raise DataError(f"{part}: dataset file not found ([data] path lists it)")
        return list(data.parts)
    if data.path.is_dir():
        return _folder_parts(data.path, data.format)
    found = sorted((Path(name) for name in glob.glob(str(data.path), recursive=True)),
                   key=str)
    files = [path for path in found if path.is_file() and not _hidden(path.name)]
    if not files:
        raise DataError(f"{data.path}: no file matches the wildcard (*, ? or [ in the name; "
                        "** reaches into sub-folders)")
    return files


def _folder_parts(folder: Path, fmt: str | None) -> list[Path]:
    """The parts of ``folder``: its files by name, leaving out hidden ones and Spark's
    marker files; anything else that cannot be read as a part is an error."""
    parts = []
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    # the wildcard follows the parts' own format (a folder of CSV parts was told *.parquet)
    kinds = Counter(_name_end(e) for e in entries if e.is_file() and not _hidden(e.name)
                    and data_suffix(e) in DATA_SUFFIXES)
    # (.csv and .csv.gz parts both: *.csv* reads them all)
    pattern = ("*.parquet" if not kinds else f"*{next(iter(kinds))}" if len(kinds) == 1
               else f"*{data_suffix(Path('part' + kinds.most_common(1)[0][0]))}*")
    pick = (f"name the parts with a wildcard ({folder / pattern}, or "
            f"{folder / '**' / pattern} to read sub-folders too)")
    for entry in entries:
        if _hidden(entry.name):
            continue
        if entry.is_dir():
            raise DataError(f"{folder}: holds the folder {entry.name!r}, which is not read as "
                            f"a part; {pick}")
        if fmt is None and data_suffix(entry) not in DATA_SUFFIXES:
            raise DataError(f"{entry}: not a dataset file (suffix {data_suffix(entry)!r}; "
                            f"parts are {', '.join(sorted(DATA_SUFFIXES))}, compressed or "
                            f"not), in the folder [data] path names; move it out, or {pick}")
        parts.append(entry)
    if not parts:
        raise DataError(f"{folder}: the folder holds no dataset file")
    return parts


def _name_end(path: Path) -> str:
    """How a part's name ends, as a wildcard must spell it: ``.csv``, ``.jsonl.gz``."""
    compressed = data_suffix(path) != path.suffix.lower()
    return "".join(path.suffixes[-2:]) if compressed else path.suffix


def _hidden(name: str) -> bool:
    """Whether a file of a folder of parts is not one: hidden (``.x.crc``) or a marker a
    Spark or Hadoop job writes (``_SUCCESS``, ``_metadata``)."""
    return name.startswith((".", "_"))


def parts_base(data: DataConfig) -> Path:
    """The folder a dataset's part names are relative to: the folder given, a wildcard's
    folder before its first wildcard, a list's common folder."""
    if data.parts is not None or data.path.is_dir():
        return data.path
    base = Path(data.path.anchor)
    for piece in data.path.parts[len(Path(data.path.anchor).parts):]:
        if _WILDCARD.search(piece):
            break
        base = base / piece
    return base


def part_name(part: Path, base: Path) -> str:
    """``part``'s name relative to ``base`` (as the data hash covers it)."""
    try:
        return part.relative_to(base).as_posix()
    except ValueError:
        return Path(os.path.abspath(part)).as_posix()


def shown_part(part: Path | str, base: str) -> str:
    """A part as messages name it: within ``base``, the folder its dataset's parts are
    named in (a file name alone left two parts of a ``**`` wildcard, ``2025/01.csv`` and
    ``2026/01.csv``, alike), or by its file name where there is none (``""``)."""
    return part_name(Path(part), Path(base)) if base else Path(part).name


def part_row_place(part: Path | str, base: str, row: int) -> str:
    """``2026/01.csv: row 3``: the 0-based ``row`` of ``part`` (:func:`shown_part`) as every
    message about an item of a dataset in many files names it."""
    return f"{shown_part(part, base)}: row {row + 1}"


def common_base(parts: Sequence[Path | str]) -> str:
    """The folder every one of ``parts`` lies in (their parents' common path): a base for
    :func:`shown_part` where the read's own (:func:`parts_base`) is not at hand, as in a
    run's manifest, naming each part apart; "" for none."""
    try:
        return os.path.commonpath([str(Path(p).parent) for p in parts]) if parts else ""
    except ValueError:  # absolute and relative paths mixed: by file name
        return ""


def parts_sha256(named: list[tuple[str, str]]) -> str:
    """One digest of each part's (name, data hash), in reading order: a part changed,
    added, removed, renamed or read in another order changes it."""
    digest = hashlib.sha256(b"labelwright dataset parts\n")
    for name, sha in named:
        digest.update(f"{name}\x1f{sha}\n".encode())
    return digest.hexdigest()


def part_hashes(data: DataConfig) -> list[tuple[Path, str]]:
    """Each part and its data hash (of its bytes and the ``[data]`` settings that read
    them, as :func:`~labelwright.data.data_hash.dataset_sha256` hashes one file), in reading
    order."""
    from labelwright.data.data_hash import dataset_sha256

    return [(part, dataset_sha256(part_config(data, part))) for part in part_files(data)]


def parts_digest(data: DataConfig, hashes: list[tuple[Path, str]]) -> str:
    """:func:`parts_sha256` of ``hashes`` (:func:`part_hashes`), each part named relative
    to the dataset's folder."""
    base = parts_base(data)
    return parts_sha256([(part_name(part, base), sha) for part, sha in hashes])
