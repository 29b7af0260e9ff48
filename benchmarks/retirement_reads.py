"""What retired decisions cost the readers of the review ledger.

A ledger of ``--decisions`` decisions (one rater each, items ``i0``, ``i1``, ...) is written
into a temporary folder; then :func:`labelwright.review.feedback.gold.reviewed_labels` (what a
run, ``review stats`` and ``train`` read the reviews with) is timed on it with no
retirements table (a ledger from before retirements), and after each batch of retirement
records brings the total to each of ``--retired``; the table gives the median of
``--repeats`` reads, and the time the batch took to write
(:func:`labelwright.review.decisions.retirements.append_retirements`).

    python benchmarks/retirement_reads.py --decisions 100000 --retired 1000 50000 --repeats 5

``--commands`` times instead what one ``runs verify``, ``explain`` and ``train`` spend on
the retirement records: a small project (``--items`` items, one LF) is written beside a
ledger of ``--decisions`` decisions with the first ``--retired`` of them retired, run and
trained once; then each command is called ``--repeats`` times and the table gives how
often it read the retirements table, the seconds those reads took and the command's own
(medians). Run it with ``PYTHONPATH`` at two versions of ``src`` to compare them:

    PYTHONPATH=src python benchmarks/retirement_reads.py --commands --retired 1000
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from labelwright.review.decisions import ledger, retirements
from labelwright.review.decisions.retirements import (
    RETIRE,
    Retirement,
    append_retirements,
    not_retired,
)
from labelwright.review.feedback.gold import reviewed_labels

LABELS = ("billing", "technical")


def write_ledger(root: Path, n: int) -> None:
    decisions = [ledger.Decision(f"i{k}", LABELS[k % 2], "bench", "", "", "2026-12-05",
                                 "f.csv", "s", f"row {k}", "r1", "csv") for k in range(n)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s", reviewer="bench",
                  source_file="f.csv", fmt="csv", imported_at="2026-12-05")


def read_time(root: Path, ids: list[str], repeats: int) -> tuple[float, float]:
    """Median seconds of the whole read, and of its part that reads the retirements."""
    times, parts = [], []
    decisions = ledger.read_decisions(ledger.ledger_path(root))
    for _ in range(repeats):
        start = time.perf_counter()
        reviewed_labels(root, ids, LABELS, same_rater={}, renamed={})
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        not_retired(ledger.ledger_path(root), decisions)
        parts.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(parts)


def write_project(root: Path, items: int) -> None:
    """A project of ``items`` items (``i0`` ...: the ledger's first items) and one LF."""
    (root / "data").mkdir()
    (root / "labeling_functions").mkdir()
    (root / "labelwright.toml").write_text(
        '[project]\nname = "bench"\nlabels = ["billing", "technical"]\n\n'
        '[data]\npath = "data/items.csv"\n', encoding="utf-8")
    rows = "".join(f"i{k},{'refund please' if k % 2 else 'app crashes'} {k}\n"
                   for k in range(items))
    (root / "data" / "items.csv").write_text("id,text\n" + rows, encoding="utf-8")
    (root / "labeling_functions" / "words.py").write_text(
        "from labelwright import labeling_function\n\n\n@labeling_function()\n"
        "def refund(item):\n    return 'billing' if 'refund' in item.text else None\n",
        encoding="utf-8")


def command_reads(args: argparse.Namespace) -> None:
    """Per command: retirement-table reads, their seconds, the command's seconds."""
    import labelwright

    calls: list[float] = []
    rows = retirements._rows

    def counted(conn):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return rows(conn)
        finally:
            calls.append(time.perf_counter() - start)

    retirements._rows = counted  # every read of the table goes through it
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_ledger(root, args.decisions)
        append_retirements(ledger.ledger_path(root), [
            Retirement(RETIRE, -1, f"i{k}", "bench", "bench", "2026-12-05", "bench",
                       "--items-file ids.txt", position=k)
            for k in range(min(args.retired[0], args.decisions))],
            decisions=args.decisions, records_read=0)
        write_project(root, args.items)
        labelwright.run_project(root, report=False)
        labelwright.train_run(root)
        print(f"Python {platform.python_version()}, {platform.machine()}; "
              f"{args.decisions:,} decisions, {args.retired[0]:,} retired, {args.items} "
              f"items; median of {args.repeats}")
        print("| command | reads of the retirements | their time (s) | command (s) |")
        print("| --- | ---: | ---: | ---: |")
        for name, call in (("runs verify", lambda: labelwright.verify_runs(root)),
                           ("explain i1", lambda: labelwright.explain_item(root, "i1")),
                           ("train", lambda: labelwright.train_run(root))):
            reads, spent, took = [], [], []
            for _ in range(args.repeats):
                calls.clear()
                start = time.perf_counter()
                call()
                took.append(time.perf_counter() - start)
                reads.append(len(calls))
                spent.append(sum(calls))
            print(f"| {name} | {statistics.median(reads):.0f} | "
                  f"{statistics.median(spent):.3f} | {statistics.median(took):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--decisions", type=int, default=100_000)
    parser.add_argument("--retired", type=int, nargs="+", default=[1_000, 50_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--commands", action="store_true",
                        help="time runs verify, explain and train (the first --retired)")
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    if args.commands:
        command_reads(args)
        return
    print(f"Python {platform.python_version()}, {platform.machine()}; "
          f"{args.decisions:,} decisions, median of {args.repeats} reads")
    print("| retired decisions | read (s) | of which retirements (s) | writing the batch (s) |")
    print("| ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_ledger(root, args.decisions)
        ids = [f"i{k}" for k in range(args.decisions)]
        read, part = read_time(root, ids, args.repeats)
        print(f"| none (no table) | {read:.3f} | {part:.4f} | — |")
        done = 0
        for total in sorted(args.retired):
            batch = [Retirement(RETIRE, -1, f"i{k}", "bench", "bench", "2026-12-05", "bench",
                                "--items-file ids.txt", position=k)
                     for k in range(done, min(total, args.decisions))]
            start = time.perf_counter()
            append_retirements(ledger.ledger_path(root), batch, decisions=args.decisions,
                               records_read=done)
            wrote = time.perf_counter() - start
            done += len(batch)
            read, part = read_time(root, ids, args.repeats)
            print(f"| {done:,} | {read:.3f} | {part:.4f} | {wrote:.3f} |")


if __name__ == "__main__":
    main()
