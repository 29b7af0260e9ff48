"""The vote cache's key scheme: which labelwright's keys the entries in ``votes/`` are of.

The keys are hashes, so after an upgrade that changed what a key holds, the older entries
are only misses; ``votes/KEY_SCHEME`` names the scheme of the entries a run folded there,
so the run after an upgrade can say why no vote came from the cache.
"""

from __future__ import annotations

import os
from pathlib import Path

#: the scheme of the keys :func:`~labelwright.apply.cache_keys.lf_cache_key` makes, the
#: first part of each key's hash; a labelwright that changes what a key holds bumps it
KEY_SCHEME = "v5"
#: the file in ``votes/`` naming the key scheme of the entries a run folded there: the keys
#: are hashes, so entries of an older labelwright are otherwise only misses
SCHEME_FILE = "KEY_SCHEME"


def scheme_found(folder: Path) -> tuple[str | None, bool]:
    """The key scheme of the entries in ``folder`` (``votes/``) when it is not
    :data:`KEY_SCHEME` -- :data:`SCHEME_FILE`'s, or ``"v3 or older"`` for entries without
    one (labelwright wrote none before v4); None when the scheme is this one, the folder
    holds no entry or the file cannot be read -- and whether the file names this scheme
    already (a cache then need not write it). Reads one file, or lists the folder until
    its first entry."""
    try:
        said = (folder / SCHEME_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        said = ""
    except OSError:
        return None, False
    if said:
        return (None, True) if said == KEY_SCHEME else (said, False)
    try:
        with os.scandir(folder) as found:
            if any(entry.name.endswith(".npz") for entry in found):
                return "v3 or older", False
    except OSError:
        pass
    return None, False
