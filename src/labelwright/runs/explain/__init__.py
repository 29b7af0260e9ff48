"""``labelwright explain``: where one item's label came from, read from a run's files.

:mod:`~labelwright.runs.explain.item` puts the answer together (:func:`explain_item`, whose
names this package also gives, so ``labelwright.runs.explain.explain_item`` works) from
:mod:`~.lookup` (the item's rows in the run's outputs), :mod:`~.text` and :mod:`~.data` (its
text, fields and glossary matches), :mod:`~.model` (the label model's view),
:mod:`~.reviews` (its review decisions), :mod:`~.label` (what to say about the label) and
:mod:`~.checks` (what the files read show wrong); :mod:`~.explanation` holds the result."""

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """The names of :mod:`~.item` (``explain_item``, ...), imported when first asked for:
    importing a module of this package alone (:mod:`~.story`, as the CLI does when it
    starts) does not load the pipeline (spaCy, torch) that :mod:`~.item` reads with."""
    item = importlib.import_module("labelwright.runs.explain.item")
    try:
        return getattr(item, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
