"""Which labelwright made a run: a hash of labelwright's own installed files.

The package's version names no commit (every build of one release says ``0.1.0``), and the
project's git state says nothing of labelwright's, so a manifest records
``labelwright_code``: the sha256 of the package's ``.py`` files and its ``templates/``
files as installed, the recipe ``sha256sum`` gives (README, "Hash recipes"). Two runs
with other ``labelwright_code`` were made by different labelwright code: an upgrade, or an
edit of it.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

#: the package folder (``labelwright/``), whose files are hashed
PACKAGE = Path(__file__).resolve().parent.parent


def code_files(package: Path = PACKAGE) -> list[str]:
    """The files hashed, as POSIX paths relative to ``package``, sorted: every ``*.py``
    outside ``__pycache__`` and every file under ``templates/``."""
    found = {file.relative_to(package).as_posix() for file in package.rglob("*")
             if file.is_file() and "__pycache__" not in file.relative_to(package).parts
             and (file.suffix == ".py" or file.relative_to(package).parts[0] == "templates")}
    return sorted(found)


def code_sha256(package: Path = PACKAGE) -> dict[str, Any]:
    """``{"sha256": ..., "files": n}`` of the files :func:`code_files` lists: the sha256 of
    the lines ``sha256sum`` prints for them, in that order (``<file sha256>  <path>\\n``)."""
    digest = hashlib.sha256()
    files = code_files(package)
    for name in files:
        own = hashlib.sha256((package / name).read_bytes()).hexdigest()
        digest.update(f"{own}  {name}\n".encode())
    return {"sha256": digest.hexdigest(), "files": len(files)}


@cache
def labelwright_code() -> dict[str, Any]:
    """:func:`code_sha256` of the labelwright this process runs, read once per process."""
    return code_sha256()


def code_text(record: Any, *, missing: str = "not recorded (an older labelwright)") -> str:
    """A manifest's ``labelwright_code`` as a line shows it: its sha256's first 12
    characters, or ``missing`` (that an older labelwright did not record it)."""
    if isinstance(record, dict) and isinstance(record.get("sha256"), str):
        return str(record["sha256"])[:12]
    return missing
