"""``[data] gold_values``: what the gold column's values stand for, when they are not the
labels' names. A Snorkel project's gold is label indices (``CLASS`` 0 and 1 for ham and
spam); ``gold_values = { 0 = "ham", 1 = "spam" }`` reads them as those labels, with no
copy of the data rewritten to hold names. A value mapped to ``""`` is no gold label
(Snorkel's ``-1``). Checked in two steps: its shape with the rest of ``[data]``, its
labels once ``[project] labels`` can be read (:func:`check_gold_values`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from labelwright.config.settings import find_label
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import SettingError
from labelwright.spelling import did_you_mean

KEY: KeyPath = ("data", "gold_values")
EXAMPLE = '[data] gold_values = { 0 = "ham", 1 = "spam" }'


def gold_values_table(value: Any, gold_column: str | None) -> tuple[tuple[str, str], ...]:
    """The pairs of ``[data] gold_values`` (a value as the data writes it, the label it
    stands for), in the order written; () when unset."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise SettingError(f"[data] gold_values must be a table of the gold column's values, "
                           f"each with the label it stands for ({EXAMPLE}), got {value!r}",
                           KEY)
    if gold_column is None:
        raise SettingError("[data] gold_values says what the gold column's values stand for, "
                           "but no gold_column is set: set [data] gold_column, or remove "
                           "gold_values", KEY)
    for written, label in value.items():
        if not written.strip():
            raise SettingError(f"[data] gold_values: {written!r} cannot be a gold value (an "
                               "empty cell is no gold label already)", (*KEY, written))
        if not isinstance(label, str):
            raise SettingError(f"[data] gold_values: {written} = {label!r}; a gold value "
                               f"stands for a label, written as its name in quotes ({EXAMPLE}), "
                               'or "" for no gold label', (*KEY, written))
    return tuple((written.strip(), label) for written, label in value.items())


def check_gold_values(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> None:
    """Each label ``[data] gold_values`` names must be one of ``labels`` (or ``""``)."""
    for written, label in pairs:
        if label and find_label(label, labels) is None:
            raise SettingError(f"[data] gold_values: {written} = {label!r} is not one of "
                               f"[project] labels; {did_you_mean(label, labels)}valid: "
                               f"{', '.join(labels)}, or \"\" for no gold label",
                               (*KEY, written))
