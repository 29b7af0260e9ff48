"""A project's label set changed after its runs, for tests of what reads old reviews,
review files and runs: the config's labels and the data's gold labels rewritten."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from csv_rows import rewrite_rows


def change_labels(root: Path, labels: Sequence[str], *, gold: Mapping[str, str],
                  renamed: Mapping[str, str] | None = None) -> None:
    """Give the project in ``root`` the ``labels`` (and ``[project] renamed``, when
    given), and read its data's gold labels through ``gold`` (old label -> new one)."""
    config = root / "labelwright.toml"
    listed = ", ".join(f'"{label}"' for label in labels)
    extra = ("\nrenamed = { " + ", ".join(f'{old} = "{new}"' for old, new in renamed.items())
             + " }") if renamed else ""
    config.write_text(re.sub(r"^labels = \[.*\]$", f"labels = [{listed}]{extra}",
                             config.read_text(encoding="utf-8"), flags=re.M),
                      encoding="utf-8")
    rewrite_rows(root / "data" / "items.csv",
                 lambda row: {**row, "gold": gold.get(row["gold"], row["gold"])})
