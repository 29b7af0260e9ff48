"""``labelwright erase`` and ``[review] show_fields``: the item's data fields a review file
shows beside its text (``field_<name>``) are erased in every format a run or an export
writes, as its text is."""

from __future__ import annotations

import csv
from pathlib import Path

from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS

FORMATS = ("csv", "jsonl", "label-studio", "prodigy", "doccano", "argilla")


def _holding(folders: list[Path], needle: bytes) -> list[str]:
    return sorted(str(p) for folder in folders for p in folder.rglob("*")
                  if p.is_file() and needle in p.read_bytes())


def test_an_erased_items_shown_fields_leave_every_review_file(make_project, cli, tmp_path):
    rows = [dict(row, customer=f"Customer of {row['id']}") for row in TICKETS]
    root = make_project(rows=rows, gold=None)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[review]\nshow_fields = ["customer", "plan"]\n', encoding="utf-8")
    run_dir = run_project(root, report=False).run_dir
    with open(run_dir / "review.csv", encoding="utf-8", newline="") as handle:
        first = next(csv.DictReader(handle))
    item, needle = first["id"], first["field_customer"].encode()
    outside = tmp_path / "exports"
    outside.mkdir()
    for fmt in FORMATS:  # each inside the run and outside the project
        for where in ([], ["--out", str(outside / f"queue-{fmt}")]):
            code, out = cli("review", "export", "--format", fmt, "-p", str(root), *where)
            assert code == 0, out
    written = _holding([run_dir, outside], needle)
    # the run's review.csv and an export of each format, in and outside the project
    assert len(written) >= 1 + 2 * len(FORMATS), written
    data = root / "data" / "items.csv"
    data.write_text("".join(line for line in data.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith(f"{item},")),
                    encoding="utf-8")
    erase_items(root, [item], reviewer="dana", reason="request")
    assert _holding([root, outside], needle) == []
