"""Importing spaCy without torch when the project does not need it.

spaCy's machine-learning library, thinc, imports torch at its own import whenever torch is
installed (labelwright installs it for snorkel's LabelModel): about 1.3 s of every CLI
command on a 2-core machine, a third of a ``labelwright run`` of the bundled example. Only
models that run in PyTorch need thinc to see torch: a named pipeline (``[nlp] pipeline``,
e.g. a transformer one) or one that LF code loads or builds itself. So the project commands
import spaCy first, with torch hidden from that import, when

* the project's pipeline is blank (the default),
* no LF module under the project's LF folder mentions ``torch``, ``thinc``,
  ``spacy.load`` or ``transformers``, and
* the environment variable ``LABELWRIGHT_KEEP_TORCH`` is unset (or ``0``);

otherwise spaCy gets a plain import. torch itself stays importable either way (snorkel
still works); only thinc records it as not installed.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from labelwright.errors import LabelwrightError

#: words in LF source that mean it may load or build a PyTorch model through spaCy/thinc
NEEDS_TORCH = re.compile(r"\btorch\b|\bthinc\b|spacy\.load\b|transformers\b")
OPT_OUT = "LABELWRIGHT_KEEP_TORCH"


def import_spacy(project: str | Path) -> bool:
    """Import spaCy for the project at ``project``, hiding torch from thinc when nothing in
    the project needs it (see the module docstring). Returns whether torch was hidden
    (False also when spaCy or torch is already imported or the config cannot be read --
    the command then reports that itself)."""
    if "spacy" in sys.modules or "torch" in sys.modules:
        return False
    if os.environ.get(OPT_OUT, "0") not in ("", "0"):
        return False
    try:
        from labelwright.config import load_config

        config = load_config(project)
    except (LabelwrightError, OSError, ValueError):
        return False
    if config.nlp.pipeline is not None or _lf_code_may_need_torch(config.lf_path):
        return False
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` -> ImportError
    try:
        import spacy  # noqa: F401
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return True


def _lf_code_may_need_torch(folder: Path) -> bool:
    for path in sorted(folder.rglob("*.py")) if folder.is_dir() else []:
        try:
            if NEEDS_TORCH.search(path.read_text(encoding="utf-8", errors="replace")):
                return True
        except OSError:
            return True  # unreadable: the LF loader reports it; do not guess
    return False
