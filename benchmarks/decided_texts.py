"""What checking the text each review decision was made on costs (review.decided_texts).

An import now records, per decision, the hash of the text its reviewer decided on
(``decided_hashes``: the run's export read once, each text hashed), and every run compares
those hashes with the items' texts now (``check_texts``), reading a run's export only for
the items whose hash differs. Decisions imported before the hash are checked against
their run's export as before. This times, for ``--decisions`` decisions on as many items
of one run whose ``review.jsonl`` exported them all:

* the import's check of each row's text against the run's export, as before, and
  ``decided_hashes`` over the rows after it (what the import adds: it reads the texts the
  check read);
* ``check_texts`` with every decision hashed, no text changed (a run's usual case), and
  with 1% of the texts edited;
* ``check_texts`` with no decision hashed (a ledger from before), the run's export read
  as before, and with the run gone (every decision counted as unchecked).

Run: ``python benchmarks/decided_texts.py [--decisions 100000] [--repeats 3]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from timing import median_seconds

from labelwright.review.decisions import ledger
from labelwright.review.decisions.decided_texts import check_texts, decided_hashes
from labelwright.review.imports.readers import Row
from labelwright.review.imports.shown_text import shown_reader

RUN = "20261206-000000-000000"


def write_run(runs: Path, ids: list[str], texts: list[str]) -> None:
    """A run folder holding what the checks read: a manifest and the review export."""
    run_dir = runs / RUN
    run_dir.mkdir(parents=True)
    manifest = {"run_id": RUN, "data": {"sha256": "0" * 64, "schema": [
        {"name": "id", "dtype": "string"}, {"name": "text", "dtype": "string"}]}}
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with open(run_dir / "review.jsonl", "w", encoding="utf-8") as handle:
        for item, text in zip(ids, texts):
            handle.write(json.dumps({"id": item, "run_id": RUN, "text": text}) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n = args.decisions
    ids = [f"i{k}" for k in range(n)]
    texts = [f"Item {k}: the coffee maker broke after {k % 97} days, packaging fine"
             for k in range(n)]
    with tempfile.TemporaryDirectory() as folder:
        runs = Path(folder) / "runs"
        write_run(runs, ids, texts)
        rows = [Row(f"line {k}", item, RUN, "billing", text=text)
                for k, (item, text) in enumerate(zip(ids, texts))]
        current: dict[str, str | None] = dict(zip(ids, texts))

        def checked() -> Callable[[str, str], str | None]:
            """The import's check of each row's text (before the hash: its cost stays)."""
            shown = shown_reader(runs, rows, current)
            for row in rows:
                shown(str(row.run_id), str(row.item_id))
            return shown

        check_s, shown = median_seconds(checked, args.repeats)

        def hashes() -> list[str | None]:
            hash_of = decided_hashes(runs, rows, shown)
            return [hash_of(row) for row in rows]

        import_s, made = median_seconds(hashes, args.repeats)
        plain = [ledger.Decision(item, "billing", "bench", "", "", "now", "f.csv", "s",
                                 f"line {k}", RUN, "csv") for k, item in enumerate(ids)]
        hashed = [replace(d, text_hash=h) for d, h in zip(plain, made)]
        edited = list(texts)
        for k in range(0, n, 100):
            edited[k] += " (edited)"
        rows_out = []
        for name, decisions, now in (
                ("hashed, no text changed", hashed, texts),
                ("hashed, 1% of texts edited", hashed, edited),
                ("no hash, run's export read", plain, edited)):
            seconds, found = median_seconds(
                lambda d=decisions, t=now: check_texts(d, ids, t, runs), args.repeats)
            rows_out.append((name, seconds, len(found.other), sum(
                c for c, _ in found.unchecked.values())))
        shutil.rmtree(runs / RUN)
        seconds, found = median_seconds(lambda: check_texts(plain, ids, edited, runs),
                                        args.repeats)
        rows_out.append(("no hash, run gone", seconds, len(found.other),
                         sum(c for c, _ in found.unchecked.values())))
    print(f"{n:,} decisions, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}, median of {args.repeats}")
    print("| step | seconds | set aside | unchecked |")
    print("|---|---|---|---|")
    print(f"| import: the rows' texts checked (as before) | {check_s:.2f} | | |")
    print(f"| import: decided_hashes (added) | {import_s:.2f} | | |")
    for name, seconds, other, unchecked in rows_out:
        print(f"| check_texts, {name} | {seconds:.2f} | {other:,} | {unchecked:,} |")


if __name__ == "__main__":
    main()
