"""A label model and its settings as one line of text, as a run's manifest records them and
``auto``'s reasons, ``run``'s summary, ``explain`` and the report name them. Plain text
work with no imports: ``auto`` names models while its fit is timed, where importing the
run store would count in the fit's seconds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def settings_text(params: Mapping[str, Any] | None) -> str:
    """A model's recorded settings as one line: ``abstain=fit_only, monotone=True``."""
    return ", ".join(f"{k}={v}" for k, v in sorted((params or {}).items()))


def chosen_model(chosen: Mapping[str, Any], rows: str = "reviewed labels") -> str:
    """A model ``auto`` chose or scored, with its settings, as a manifest records it and
    ``auto``'s reasons name it: ``dawid_skene (abstain=fit_only, monotone=True)``, and
    ``, fit without reviewed labels`` (``rows``) when it was (``gold_in_fit`` false:
    ``auto`` scores the default model, or each model of an explicit ``candidates`` list,
    both ways)."""
    settings = settings_text(chosen.get("params"))
    without = f", fit without {rows}" if chosen.get("gold_in_fit") is False else ""
    return f"{chosen.get('model')}" + (f" ({settings})" if settings else "") + without
