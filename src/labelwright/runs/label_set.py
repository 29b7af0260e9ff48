"""The labels a run was made with, beside the project's now.

A run's outputs name its own labels (its manifest's ``project.labels``); the project's may
have changed since (a label added, renamed, removed or moved). Commands that read the data
again for an old run (``export``, ``train``; :mod:`labelwright.runs.run_items`) read its
gold labels with the run's labels, each renamed one under its current name (``[project]
renamed``): a gold label the run did not have is an error naming the run and both label
sets, not a list of unknown gold labels as if the data were wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig

#: (manifest path, its :data:`~labelwright.caches.FileState`) -> the labels it records: a
#: command asks for the labels of every run of the project more than once
#: (``review import``, ``review stats``)
_RECORDED: dict[tuple[str, int, int, int, int], tuple[str, ...] | None] = {}


def manifest_labels(manifest: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The labels ``manifest``'s run was made with, as it records them (``project.labels``,
    in the run's order); None when it does not say."""
    labels = (manifest.get("project") or {}).get("labels")
    return tuple(labels) if isinstance(labels, list) else None


def recorded_labels(run_dir: Path) -> tuple[str, ...] | None:
    """:func:`manifest_labels` of the run in ``run_dir``; None when its manifest is gone,
    cannot be read or does not say. Each manifest is read once while it stays as it is."""
    from labelwright.caches import file_state
    from labelwright.runs.manifest import MANIFEST, read_manifest

    path = Path(run_dir) / MANIFEST
    try:
        stat = path.stat()
    except OSError:
        return None
    key = (str(path), *file_state(stat))
    if key not in _RECORDED:
        try:
            _RECORDED[key] = manifest_labels(read_manifest(Path(run_dir)))
        except RunError:
            _RECORDED[key] = None
    return _RECORDED[key]


def run_label_set(config: ProjectConfig, manifest: dict[str, Any]) -> tuple[str, ...]:
    """The labels the run of ``manifest`` was made with (the project's, for a manifest
    that does not say)."""
    return manifest_labels(manifest) or tuple(config.labels)


def renames_in_run(run_labels: Collection[str], renamed: Mapping[str, str]) -> dict[str, str]:
    """``{old: new}`` of ``renamed`` (``[project] renamed``: old name -> current label) that
    apply to a run made with ``run_labels``: the run had the old name and not the new one
    (a run that had both names had two classes, and each keeps its own name)."""
    return {old: new for old, new in renamed.items()
            if old in run_labels and new not in run_labels}


def labels_differ(config: ProjectConfig, manifest: dict[str, Any]) -> str | None:
    """How the run's labels differ from the project's now, for a message (None: they do
    not): ``run X was made with the labels a, b; the project's are a, b, c now``."""
    theirs = run_label_set(config, manifest)
    if theirs == tuple(config.labels):
        return None
    return (f"run {manifest.get('run_id', '?')} was made with the labels "
            f"{', '.join(theirs)}; the project's are {', '.join(config.labels)} now")


def run_reading_labels(config: ProjectConfig, manifest: dict[str, Any]) -> tuple[str, ...]:
    """The run's labels in its order, each renamed since (``[project] renamed``) under its
    current name: how data and reviews read now name the run's classes."""
    return reading_labels(run_label_set(config, manifest), dict(config.renamed))


def reading_labels(theirs: Sequence[str], renamed: Mapping[str, str]) -> tuple[str, ...]:
    """A run's labels ``theirs`` in its order, each renamed since under its current name
    (:func:`renames_in_run`)."""
    current = renames_in_run(theirs, renamed)
    return tuple(current.get(label, label) for label in theirs)


def review_export_warning(config: ProjectConfig, manifest: dict[str, Any], fmt: str
                          ) -> str | None:
    """What ``review export`` of a run made with other labels than the project's now says
    (None when they are the same): reviewers would choose among the run's labels."""
    differ = labels_differ(config, manifest)
    if differ is None:
        return None
    gone = [label for label in run_label_set(config, manifest)
            if label not in config.labels and label not in dict(config.renamed)]
    new = [label for label in config.labels if label not in run_label_set(config, manifest)
           and label not in dict(config.renamed).values()]
    return (f"{differ}: the file offers the run's labels"
            + (" (the Label Studio labeling config lists only them)"
               if fmt == "label-studio" else "")
            + (f"; reviewers cannot choose {', '.join(map(repr, new))}" if new else "")
            + (f"; rows labeled {', '.join(map(repr, gone))} will be refused by `review "
               "import` (the project no longer has it; `--skip-bad-rows` imports the rest)"
               if gone else "")
            + "; export from a run made with the current labels (`labelwright run` makes "
              "one)")
