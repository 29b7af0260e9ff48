"""The project's caches (``.labelwright/cache``): their files.

Cache files are made with the umask's mode (:func:`new_temp_file`), as a run's files are,
so that users sharing a project (a CI runner, a teammate in the group) share its cache.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def new_temp_file(folder: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new hidden file in ``folder`` for a write to rename into place: (open descriptor,
    path). Made with mode 0666 less the umask, as ``open`` makes files (and as a run's own
    files are made), not ``tempfile.mkstemp``'s 0600: a cache shared by the users of a
    group (a CI runner, a teammate) must be readable by them."""
    while True:
        tmp = os.path.join(folder, f".{secrets.token_hex(8)}{suffix}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 64 random bits taken
            continue
