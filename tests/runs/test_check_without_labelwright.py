"""The script README's "Checking a run without labelwright" gives, run as an auditor
would, with Python's standard library alone (``-I -S``: no labelwright, no site-packages):
it passes an intact run, a run whose files an erasure rewrote, and names an edited file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS

README = Path(__file__).resolve().parents[2] / "README.md"
ROWS = [*TICKETS, {"id": "t7", "text": "Call me back about my card", "plan": "pro",
                   "gold": ""}]


def _script() -> str:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("### Checking a run without labelwright"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def _check(run_dir: Path, tmp_path: Path) -> dict[str, str]:
    script = tmp_path / "check_run.py"
    script.write_text(_script(), encoding="utf-8")
    done = subprocess.run([sys.executable, "-I", "-S", str(script), str(run_dir)],
                          capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].startswith("manifest.json sha256 "), done.stdout
    return dict(line.split(": ", 1) for line in lines[1:])


def test_the_readme_script_checks_a_run_with_an_erasure(make_project, tmp_path):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    said = _check(run.run_dir, tmp_path)
    assert said and set(said.values()) == {"ok"}, said
    assert "labels.parquet" in said and "sources/labelwright.toml" in said, said
    path = root / "data" / "items.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith("t7,")),
                    encoding="utf-8")
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    (record,) = (json.loads(line) for line in
                 (root / "runs" / "ERASURES.jsonl").read_text(encoding="utf-8").splitlines())
    rewritten = {f["name"] for f in record["files"] if f.get("run_id") == run.run_id}
    assert rewritten, record
    said = _check(run.run_dir, tmp_path)
    assert {n for n, v in said.items() if v == "ok, erased (runs/ERASURES.jsonl)"} \
        == rewritten, said
    assert all(v.startswith("ok") for v in said.values()), said
    with open(run.run_dir / "lf_summary.csv", "a", encoding="utf-8") as handle:
        handle.write("\n")
    (run.run_dir / "label_model.json").unlink()
    said = _check(run.run_dir, tmp_path)
    assert said["lf_summary.csv"] == "CHANGED" and said["label_model.json"] == "MISSING"
