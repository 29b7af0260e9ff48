"""The vote cache keys of the LFs of one module written into an LF folder, as a test of
what an edit of the module recomputes reads them."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from pathlib import Path

from labelwright.apply.cache_keys import lf_cache_key
from labelwright.lfs.discovery import discover


def module_lf_keys(folder: Path, source: str, labels: Sequence[str],
                   name: str = "tickets.py") -> dict[str, str]:
    """{LF name: cache key} of the LFs of ``source`` written as ``folder/name``."""
    path = folder / name
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a new mtime: not the memoised facts
    lfs = discover(folder)
    lines = frozenset(lf.line for lf in lfs if lf.file == str(path))
    return {lf.name: lf_cache_key(lf, tuple(labels), (), "", lines) for lf in lfs}


def lf_folder(root: Path) -> Path:
    """An empty ``labeling_functions`` folder in ``root``."""
    out = root / "labeling_functions"
    out.mkdir()
    return out
