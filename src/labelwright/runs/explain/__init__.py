"""``labelwright explain``: where one item's label came from, read from a run's files.

:mod:`~labelwright.runs.explain.item` puts the answer together (:func:`explain_item`, whose
names this package also gives, so ``labelwright.runs.explain.explain_item`` works) from
:mod:`~.lookup` (the item's rows in the run's outputs), :mod:`~.text` and :mod:`~.data` (its
text, fields and glossary matches), :mod:`~.model` (the label model's view),
:mod:`~.reviews` (its review decisions), :mod:`~.label` (what to say about the label) and
:mod:`~.checks` (what the files read show wrong); :mod:`~.explanation` holds the result."""

from labelwright.runs.explain.item import *  # noqa: F403
