"""Importing spaCy without torch when the project's pipeline does not need it.

spaCy's machine-learning library, thinc, imports torch at its own import whenever torch is
installed (labelwright installs it for snorkel's LabelModel): about 1.3 s of every CLI
command on a 2-core machine, a third of a ``labelwright run`` of the bundled example. Only
pipelines whose models run in PyTorch (transformer pipelines) need thinc to see torch, and
those are always named in ``[nlp] pipeline``. So the project commands import spaCy first,
with torch hidden from that import, when the project's pipeline is blank (the default);
a named pipeline gets a plain import. torch itself stays importable (snorkel still works);
only thinc records it as not installed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from labelwright.errors import LabelwrightError


def import_spacy(project: str | Path) -> bool:
    """Import spaCy for the project at ``project``, hiding torch from thinc when the
    project's pipeline is blank. Returns whether torch was hidden (False when spaCy or
    torch is already imported, the pipeline is named, or the config cannot be read -- the
    command then reports that itself)."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        return False
    try:
        from labelwright.config import load_config

        if load_config(project).nlp.pipeline is not None:
            return False
    except (LabelwrightError, OSError, ValueError):
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return True
