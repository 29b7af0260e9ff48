"""A file's sha256, the one way labelwright hashes a file's bytes: a run's outputs and
inputs in its manifest (:mod:`labelwright.runs.store`, where it also imports from) and
the caches' keys, which read a file once while it stays unchanged
(:func:`labelwright.caches.file_sha256`)."""

from __future__ import annotations

import hashlib
import os


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The sha256 (hex) of the file at ``path``, read in blocks (a data file of gigabytes
    is never held whole)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()
