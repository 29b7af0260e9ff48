"""How long the command's process has been running, start-up included: a run's summary
says "in 46.7s" for the run itself, while a scheduler's clock also counts starting Python,
importing spaCy and reading the config (18 s of 64.5 s on a loaded 2-core machine)."""

from __future__ import annotations

import os


def process_seconds() -> float | None:
    """Seconds since this process started (Linux: from ``/proc``), or None where that
    cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as handle:
            uptime = float(handle.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        started = int(fields[19]) / ticks  # starttime, the 22nd field of stat
    except (OSError, ValueError, IndexError):
        return None
    return max(0.0, uptime - started)
