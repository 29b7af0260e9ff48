"""Running ``labelwright ARGS`` in-process with stdout and stderr kept apart (the ``cli``
fixture joins them), for tests of what goes where: ``--json``, ``--quiet``."""

from __future__ import annotations

import sys

from labelwright.cli import entry

#: an LF that raises on every item: the run fails (exit 1) but is written
BROKEN = '''
from labelwright import labeling_function


@labeling_function()
def broken(item):
    return item.nosuchfield.lower()
'''


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``labelwright ARGS``: its exit code, stdout and stderr."""
    monkeypatch.setattr(sys, "argv", ["labelwright", *args])
    code = entry.run_app()
    out, err = capsys.readouterr()
    return code, out, err
