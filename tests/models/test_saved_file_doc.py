"""README's table of saved models' learned fields, read against the fields each model
checks on load: a field left out of the table is a number a user reading the file cannot
place (``weighted_majority``'s ``borrowed_`` was missing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from labelwright.models import available_models, get_model
from labelwright.models.base import LabelModel

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_HEADER = "| model | `learned` besides `n_lfs_` and `class_balance_` |"


def table_rows() -> dict[str, str]:
    """Each model name the table's first column lists, to the text of its row."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(TABLE_HEADER) + 2
    rows: dict[str, str] = {}
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        first, rest = line[1:].split("|", 1)
        for name in re.findall(r"`(\w+)`", first):
            rows[name] = rest
    return rows


@pytest.mark.parametrize("registered", available_models())
def test_every_learned_field_is_in_the_readme_table(registered):
    model_class = type(get_model(registered, 3))
    rows = table_rows()
    assert model_class.name in rows, f"README's saved-file table has no row for {model_class.name}"
    row = rows[model_class.name]
    own = set(model_class.learned_fields) - set(LabelModel.learned_fields)
    missing = sorted(field for field in own if f"`{field}`" not in row)
    assert not missing, f"{model_class.name}: {missing} not in README's saved-file table"

