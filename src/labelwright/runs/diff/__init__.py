"""``labelwright runs diff``: what changed between two runs, and what it did to the labels.

:mod:`~labelwright.runs.diff.compare` compares two runs (:func:`diff_runs`, whose names this
package also gives, so ``labelwright.runs.diff.diff_runs`` works; what it gives is
:mod:`~.result`, from :mod:`~.manifest_changes` and :mod:`~.label_frames`), :mod:`~.lines`
says what it found in lines, :mod:`~.renames` and :mod:`~.settings` /
:mod:`~.review_settings` pair up renamed inputs and compare recorded settings,
:mod:`~.flip_causes` and
:mod:`~.label_effects` say why labels flipped and what else changed in the runs' files,
:mod:`~.lf_stats` how each LF's numbers moved, :mod:`~.glossary_edits` the phrases an edited
glossary gained and lost, and :mod:`~.gold_flips` what the gold items that went wrong follow
(with the accuracy-drop warning's advice)."""

from labelwright.runs.diff.compare import *  # noqa: F403
from labelwright.runs.diff.lines import accuracy_drop_warning  # noqa: F401
