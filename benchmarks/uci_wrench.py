"""``labelwright bench wrench`` on the UCI SMS and YouTube spam collections with our own LFs.

WRENCH's youtube and sms are the two data sets the label models, rankings and calibration
were developed against. This script makes two more from the raw UCI collections and LFs
written independently of those choices (see :mod:`uci_data`): each is split at random
(seeded) into train / valid / test, written as a WRENCH folder in a temporary directory
outside the repository (``uci_sms``: 500 valid, 1,000 test; ``uci_youtube``: 150 valid,
400 test), and benchmarked with the same command and protocol.

    python benchmarks/uci_wrench.py --json
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from uci_data import write_sets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="JSON lines instead of tables")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random splits")
    parser.add_argument("-m", "--model", action="append", default=[],
                        help="bench model (repeatable; default: the bench's own list)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="labelwright-uci-") as tmp:
        folders = write_sets(Path(tmp), seed=args.seed)
        cmd = [sys.executable, "-m", "labelwright", "bench", "wrench", *map(str, folders)]
        cmd += ["--json"] if args.json else []
        for name in args.model:
            cmd += ["-m", name]
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
