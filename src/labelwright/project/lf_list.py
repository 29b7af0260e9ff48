"""``project.lfs``: a list that takes an LF as :func:`~labelwright.lfs.core.as_labeling_function`
does, at the moment it is added (``project.lfs.append(lf)``, an assignment, ``+=``).

What reads a project's LFs (the run's warnings, the manifest, the kept sources, the
applier) reads labelwright's own: a snorkel LF appended is adapted here, once, and anything
else is a TypeError at the line that added it, not an AttributeError deep in a run."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, SupportsIndex

from labelwright.lfs.core import LabelingFunction, as_labeling_function

#: how the messages name the list
WHERE = "project.lfs"


class LFList(list[LabelingFunction]):
    """A project's LFs, each taken through :func:`as_labeling_function` as it is added."""

    def __init__(self, lfs: Iterable[Any] = ()) -> None:
        super().__init__(_taken(lfs, f"{WHERE}: item"))

    def append(self, lf: Any) -> None:
        super().append(as_labeling_function(lf, f"{WHERE}.append: argument"))

    def insert(self, index: SupportsIndex, lf: Any) -> None:
        super().insert(index, as_labeling_function(lf, f"{WHERE}.insert: argument"))

    def extend(self, lfs: Iterable[Any]) -> None:
        super().extend(_taken(lfs, f"{WHERE}.extend: item"))

    def __iadd__(self, lfs: Iterable[Any]) -> LFList:  # type: ignore[override,misc]
        self.extend(lfs)
        return self

    def __setitem__(self, index: Any, value: Any) -> None:
        if isinstance(index, slice):
            super().__setitem__(index, _taken(value, f"{WHERE}[...] = : item"))
        else:
            super().__setitem__(index, as_labeling_function(value, f"{WHERE}[{index!r}] ="))


def _taken(lfs: Iterable[Any], where: str) -> list[LabelingFunction]:
    """Each of ``lfs`` through :func:`as_labeling_function`, named by ``where`` and its
    position from 1."""
    return [as_labeling_function(lf, f"{where} {k + 1}") for k, lf in enumerate(lfs)]
