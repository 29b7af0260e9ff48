"""Cache keys made independent of this machine and of labelwright's code, so that a test can
compare a key with one written down: the numeric libraries' and Python's versions, the
machine and the code hashes read as fixed words."""

from __future__ import annotations

import platform
import sys

import numpy as np
import scipy
import sklearn

#: a small label matrix (3 classes) and reviewed labels and sample marks for it
VOTES = np.array([[0, -1, 1], [1, 1, -1], [-1, 0, 0], [2, -1, 1]], dtype=np.int16)
Y_DEV = np.array([-1, 1, 0, -1])
SAMPLED = np.array([False, True, True, False])


def pin_environment(monkeypatch, module, code: str) -> None:
    """Versions read "N", "S", "K", "P", the machine "M", and ``module.code_sha256()``
    (the hash of the code its cache depends on) ``code``."""
    monkeypatch.setattr(np, "__version__", "N")
    monkeypatch.setattr(scipy, "__version__", "S")
    monkeypatch.setattr(sklearn, "__version__", "K")
    monkeypatch.setattr(sys, "version", "P")
    monkeypatch.setattr(platform, "machine", lambda: "M")
    monkeypatch.setattr(module, "code_sha256", lambda: code)
