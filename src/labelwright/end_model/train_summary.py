"""How a :class:`~labelwright.end_model.train.TrainResult` shows in a notebook cell: one line
of what was trained and how it scored (:class:`~labelwright.short_repr.ShortRepr`), not the
dataclass's own repr, which printed every field, its per-label DataFrames among them, over
some thirty lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.short_repr import ShortRepr


class TrainSummary(ShortRepr):
    """The one-line repr (and Jupyter table) of a training result."""

    run_dir: Path
    model_path: Path
    n_train: int
    n_filled: int
    accuracy: float | None
    label_model_accuracy: float | None
    n_gold: int
    warnings: list[str]
    f1: dict[str, dict[str, Any]]

    def summary(self) -> dict[str, object]:
        """The run, the model file, the items learned from and labelled, and the held-out
        accuracy and macro-F1 of the end model beside the run's labels (None without
        gold); the per-label tables and the rest stay in the fields."""
        return {"run_id": Path(self.run_dir).name, "model_path": self.model_path,
                "n_train": self.n_train, "n_filled": self.n_filled, "n_gold": self.n_gold,
                "accuracy": self.accuracy, "label_model_accuracy": self.label_model_accuracy,
                "macro_f1": self.f1.get("end_model", {}).get("macro_f1"),
                "warnings": len(self.warnings)}
