"""``labelwright --version``: the version and the code hash a run's manifest records, so a
job's log ties its runs to the labelwright that made them."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from labelwright.runs.own_code import code_sha256
from labelwright.runs.store import list_runs


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_prints_what_a_run_records(make_project, cli, flag):
    """W41: --version, -V and `version` all exited 2; the code hash was only in a run's
    manifest and `runs show`."""
    root = make_project()
    code, out = cli(flag)
    assert code == 0, out
    assert out.startswith(f"labelwright {metadata.version('labelwright')} code sha256 "
                          f"{code_sha256()['sha256']} ")
    code, _ = cli("run", "-p", str(root), "--no-report")
    assert code == 0
    run_dir = root / "runs" / list_runs(root / "runs")[-1]
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert f"code sha256 {manifest['labelwright_code']['sha256']} " in out
    assert f"labelwright {manifest['packages']['labelwright']} " in out
