"""Small WRENCH folders made in a temp folder, for the bench's tests."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np


def write_wrench(folder: Path, n: int = 60, k: int = 2, seed: int = 0,
                 splits=("train", "valid", "test"), n_lfs: int = 4) -> Path:
    """A folder of ``splits`` with ``n`` items each, ``k`` classes and ``n_lfs`` LFs that
    vote right 80% of the time and abstain on 30% of the items."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    (folder / "label.json").write_text(json.dumps({str(c): f"c{c}" for c in range(k)}))
    for split in splits:
        y = rng.integers(0, k, n)
        votes = np.where(rng.random((n, n_lfs)) < 0.8, y[:, None],
                         rng.integers(0, k, (n, n_lfs)))
        votes[rng.random((n, n_lfs)) < 0.3] = -1
        doc = {str(i): {"label": int(y[i]), "weak_labels": votes[i].tolist(),
                        "data": {"text": "x"}} for i in range(n)}
        (folder / f"{split}.json").write_text(json.dumps(doc))
    return folder


def edit_split(folder: Path, name: str, change: Callable[[Any], Any]) -> None:
    """Rewrite ``folder/name`` with ``change`` applied to its JSON (its return value, or
    the document it changed in place)."""
    doc = json.loads((folder / name).read_text())
    doc = change(doc) or doc
    (folder / name).write_text(json.dumps(doc))
