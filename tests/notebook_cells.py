"""LFs written in a notebook cell, applied to four short texts: shared by the tests of what
a session LF's vote-cache key covers (tests/apply/test_session_cache.py) and of the values
an LF reads wherever they live (tests/apply/test_values_read_cache.py)."""

from __future__ import annotations

import re
import textwrap

import pandas as pd

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame

LABELS = ("billing", "technical")
TEXTS = ["refund please", "the app crashed", "refund for the crash", "hello there"]


def cell_dataset():
    """The four texts as a dataset with ids t0..t3."""
    frame = pd.DataFrame({"id": [f"t{i}" for i in range(len(TEXTS))], "text": TEXTS})
    return dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)


def run_cell(code: str, file: str = "<ipython-input-2-5f1c>", **names):
    """Run ``code`` as a notebook cell does: in the session's namespace (``__main__``),
    from a file Python cannot read back; the namespace, to edit its globals."""
    namespace = {"__name__": "__main__", "labeling_function": labeling_function,
                 "ABSTAIN": ABSTAIN, "re": re, **names}
    exec(compile(textwrap.dedent(code), file, "exec"), namespace)
    return namespace


def apply_cells(lfs, cache, **options):
    """``lfs`` applied to the four texts with the vote cache in ``cache``."""
    return Applier(lfs, LABELS, cache_dir=cache, **options).apply(cell_dataset())


def votes_of(result, name):
    """LF ``name``'s votes on the four texts, as ints."""
    column = result.matrix.lf_names.index(name)
    return [int(v) for v in result.matrix.votes[:, column]]
