"""Large blocks of memory given back to the system once freed (Linux's glibc only).

glibc's ``malloc`` serves a block of 128 KiB or more with its own ``mmap``, which ``free``
unmaps, but raises that threshold to the size of each such block freed, up to 32 MiB. A run
frees a few arrays of a column's size early on (the read), so from then on its per-item
arrays of up to 32 MiB (4 million float64) come from the heap, between small objects that
outlive them: freed, they stay in the process as free heap, and each step's arrays add to
it. ``labelwright run`` on 500,000 short texts held 156 MB of free heap after its review
ranking, 196 MB at its end, most of the gap between its peak resident memory and what it
held (benchmarks/RESULTS.md, "Peak memory of a run", 2026-12-07).

:func:`return_large_blocks` fixes the threshold at :data:`THRESHOLD`, which also stops
glibc raising it: a block that large is unmapped when freed. The CLI calls it once, at its
start; the Python API leaves the process's allocator as it is (a notebook's is its own).
"""

from __future__ import annotations

import ctypes
import sys

#: blocks of this many bytes or more are mapped on their own (131,072 float64 values)
THRESHOLD = 1 << 20

#: ``mallopt``'s parameter number for the threshold (glibc's ``malloc.h``)
M_MMAP_THRESHOLD = -3


def return_large_blocks(threshold: int = THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes; True when it was set. Elsewhere
    (macOS, Windows, musl: no ``mallopt``, or one that refuses) nothing changes: False."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a libc without mallopt (musl has none)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold))
