"""Large freed blocks go back to the system: the CLI fixes glibc's mmap threshold."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import textwrap

import pytest

import labelwright.__main__ as entry_point
import labelwright.cli.entry as cli_entry
from labelwright import large_blocks

GLIBC = sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"

# a 4 MiB block freed raises glibc's threshold to 4 MiB, so a 2 MiB block allocated next
# comes from the heap, unless the threshold is fixed; mallinfo2's hblks counts the blocks
# mapped on their own
PROBE = textwrap.dedent("""
    import ctypes, json, sys
    from labelwright.large_blocks import return_large_blocks

    class Info(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks",
                    "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL(None)
    libc.mallinfo2.restype = Info
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    set_ = return_large_blocks() if sys.argv[1] == "fixed" else False
    libc.free(libc.malloc(4 << 20))
    before = libc.mallinfo2().hblks
    block = libc.malloc(2 << 20)
    mapped = libc.mallinfo2().hblks - before
    libc.free(block)
    print(json.dumps({"set": set_, "mapped": mapped}))
""")


def _probe(mode: str) -> dict[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, mode], check=True,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out))


@pytest.mark.skipif(not GLIBC, reason="glibc's mallopt and mallinfo2")
def test_a_large_block_is_mapped_on_its_own_once_the_threshold_is_fixed() -> None:
    # without the fix glibc raises its threshold and serves the 2 MiB block from the heap
    # (mapped 0) -- usually: a heap that cannot grow in place maps it too, which is glibc's
    # doing, not labelwright's, so only the fixed process's answer is asserted
    assert _probe("default")["set"] is False
    assert _probe("fixed") == {"set": True, "mapped": 1}


def test_elsewhere_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(large_blocks.sys, "platform", "darwin")
    assert large_blocks.return_large_blocks() is False


def test_the_cli_fixes_the_threshold_before_its_command(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    calls: list[str] = []
    monkeypatch.setattr(entry_point, "return_large_blocks", lambda: calls.append("set"))
    monkeypatch.setattr(cli_entry, "run_app", lambda: calls.append("command") or 0)
    with pytest.raises(SystemExit) as ended:
        entry_point.main()
    assert ended.value.code == 0
    assert calls == ["set", "command"]
