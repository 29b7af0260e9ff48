"""The review settings two runs read, in the lines ``runs diff`` prints for them (part of
:mod:`~labelwright.runs.diff.lines`): the settings that changed, and the names read as one
rater, with where such a name comes from."""

from __future__ import annotations

from typing import Any


def review_setting_lines(settings: dict[str, tuple[Any, Any]], *, config_same: bool
                         ) -> list[str]:
    """The lines of the changed review ``settings`` (name: (run a's, run b's)), as
    :func:`~labelwright.runs.diff.settings.review_settings` compares them: one of the
    settings, one of the names read as one rater (:func:`rater_names_line`)."""
    lines = []
    changed = {name: pair for name, pair in settings.items() if name != "same_rater"}
    if changed:
        lines.append("review settings: " + "; ".join(
            f"{name} {_setting(a)} -> {_setting(b)}" for name, (a, b) in changed.items()))
    if "same_rater" in settings:
        lines.append(rater_names_line(*settings["same_rater"], config_same=config_same))
    return lines


def _setting(value: Any) -> str:
    """A review setting as a line shows it: a list of names joined, an empty one ``(none)``."""
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if isinstance(value, dict):  # same_rater
        return ", ".join(f"{name} = {one}" for name, one in value.items()) or "(none)"
    return str(value)


def rater_names_line(a: dict[str, str], b: dict[str, str], *, config_same: bool) -> str:
    """``names read as one rater: added label-studio:21 = label-studio:gus@...``: the names
    one run read as another rater's and the other did not (or read as another), and where
    they come from. With the same config file in both runs, the change is no change of
    settings: an import learned it (a Label Studio export that paired a user id with an
    email); an auditor read ``review settings: same_rater ...`` as an edited config."""
    parts = []
    added = {name: one for name, one in b.items() if name not in a}
    gone = {name: one for name, one in a.items() if name not in b}
    moved = {name: (a[name], b[name]) for name in a if name in b and a[name] != b[name]}
    if added:
        parts.append("added " + _setting(added))
    if gone:
        parts.append("dropped " + _setting(gone))
    if moved:
        parts.append("changed " + ", ".join(f"{name} = {old} -> {new}"
                                            for name, (old, new) in moved.items()))
    why = ("; the config file is the same in both runs, so this is no change of settings: "
           "an import learned it (a Label Studio export that paired a user id with an email; "
           "`labelwright review stats` lists the raters)" if config_same else
           " ([review] same_rater, and the Label Studio user ids imports paired with an "
           "email)")
    return f"names read as one rater: {'; '.join(parts)}{why}"
