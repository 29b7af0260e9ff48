"""The data hash runs, reviews and the end model tell a dataset by (:func:`dataset_sha256`),
and whether it covers the ``[data]`` settings that read the file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from labelwright.config import DataConfig
from labelwright.data.csv_format import own_delimiter
from labelwright.data.formats import detect_format
from labelwright.errors import DataError
from labelwright.file_hashes import file_sha256

__all__ = ["dataset_sha256", "hash_covers_settings", "read_delimiter"]


def dataset_sha256(config: DataConfig) -> str:
    """The hash runs, reviews and the end model tell a dataset by: the file's sha256, when
    it is read as every file was before ``[data] quoting``, ``columns`` and ``delimiter``
    (a header row, CSV quoting, the format's own delimiter); else a hash of it and of those
    settings, since the same bytes read so give other items. A dataset in many files: one
    digest of each part's name and hash (:func:`~labelwright.data.part_files.parts_sha256`)."""
    from labelwright.data.part_files import many_files, part_hashes, parts_digest

    if many_files(config):
        return parts_digest(config, part_hashes(config))
    sha = file_sha256(config.path)
    delimiter = read_delimiter(config)
    if not hash_covers_settings(config.quoting, config.columns, delimiter):
        return sha
    settings: dict[str, object] = {"quoting": config.quoting, "columns": config.columns}
    if delimiter is not None:  # (hashes of files read before delimiter are unchanged)
        settings["delimiter"] = delimiter
    read = json.dumps(settings)
    return hashlib.sha256(f"{sha}\x1f{read}".encode()).hexdigest()


def read_delimiter(config: DataConfig) -> str | None:
    """``[data] delimiter`` when it is not the one the file's format is read with anyway
    (``","`` for a CSV file changes nothing), else None."""
    try:
        kind = detect_format(config.path, config.format)
    except DataError:
        return config.delimiter
    return None if own_delimiter(kind, config.delimiter) else config.delimiter


def hash_covers_settings(quoting: str, columns: Sequence[str] | None,
                         delimiter: str | None = None) -> bool:
    """Whether :func:`dataset_sha256` hashes ``quoting``, ``columns`` and ``delimiter`` (as
    :func:`read_delimiter` gives it) with the file, so that it is not the file's own sha256
    (``runs show`` says which it is): only settings that read the same bytes as other items
    are ("auto" reads what "csv" reads, or stops with an error)."""
    return quoting == "none" or columns is not None or delimiter is not None
