"""A real round trip through Label Studio: export, annotate through its API, import, re-run.

Label Studio lives in its own virtual environment (it pins Django and friends), so the
test drives it as a separate process. It runs when ``LABELWRIGHT_LABEL_STUDIO=1`` (CI sets
it after installing; then a missing install fails the test) or when the Label Studio
executable is found at ``$LABELWRIGHT_LABEL_STUDIO_BIN`` (default
``/tmp/ls-venv/bin/label-studio``); otherwise it is skipped.

Label Studio reads its settings from the environment (``get_env`` tries the
``LABEL_STUDIO_`` prefix): ``BASE_DATA_DIR`` (database and media), ``USERNAME`` /
``PASSWORD`` / ``USER_TOKEN`` (the first user and its API token, created at start),
``ENABLE_LEGACY_API_TOKEN`` (accept ``Authorization: Token <token>``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.review.decisions import ledger
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run

LS_BIN = Path(os.environ.get("LABELWRIGHT_LABEL_STUDIO_BIN", "/tmp/ls-venv/bin/label-studio"))
REQUIRED = os.environ.get("LABELWRIGHT_LABEL_STUDIO") == "1"
TOKEN = "0f3c9a1e5b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7c"
START_TIMEOUT = 240  # first start runs Label Studio's database migrations

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not REQUIRED and not LS_BIN.exists(),
        reason=f"Label Studio not installed at {LS_BIN}; set LABELWRIGHT_LABEL_STUDIO=1 after "
        "`python -m venv /tmp/ls-venv && /tmp/ls-venv/bin/pip install label-studio`",
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LabelStudio:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:500]!r}") from None


@pytest.fixture
def label_studio(tmp_path):
    assert LS_BIN.exists(), f"LABELWRIGHT_LABEL_STUDIO=1 but {LS_BIN} does not exist"
    port = _free_port()
    env = {
        **os.environ,
        "LABEL_STUDIO_BASE_DATA_DIR": str(tmp_path / "ls-data"),
        "LABEL_STUDIO_USERNAME": "reviewer@labelwright.test",
        "LABEL_STUDIO_PASSWORD": "labelwright-review",
        "LABEL_STUDIO_USER_TOKEN": TOKEN,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LABEL_STUDIO_LATEST_VERSION_CHECK": "false",
        "LABEL_STUDIO_COLLECT_ANALYTICS": "false",
    }
    log = open(tmp_path / "label-studio.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(LS_BIN), "start", "--no-browser", "--internal-host", "127.0.0.1", "--port",
         str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise AssertionError("Label Studio exited:\n"
                                     + (tmp_path / "label-studio.log").read_text()[-3000:])
            try:
                with urllib.request.urlopen(url + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"Label Studio did not answer on {url} within "
                                     f"{START_TIMEOUT}s")
            time.sleep(1)
        yield LabelStudio(url)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group started above, nothing else
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def test_round_trip(make_project, label_studio, tmp_path, audits_t6):
    root = audits_t6(make_project())
    first = run_project(root)
    t6 = first.labels.set_index("id").loc["t6"]
    assert (t6["label"], t6["status"]) == ("technical", "review")  # the audit item, wrong

    tasks_path, config_path = export_run(first.run_dir, "label-studio", tmp_path / "tasks.json")
    ls = label_studio
    project = ls.call("POST", "/api/projects", {
        "title": "labelwright round trip", "label_config": config_path.read_text()})
    imported = ls.call("POST", f"/api/projects/{project['id']}/import",
                       json.loads(tasks_path.read_text()))
    assert imported["task_count"] == 2 and imported["prediction_count"] == 1

    listed = ls.call("GET", f"/api/tasks?project={project['id']}&page_size=100")
    tasks = listed["tasks"] if isinstance(listed, dict) else listed
    decided = {"t6": "billing", "t5": "billing"}  # what the reviewer chooses
    for task in tasks:
        ls.call("POST", f"/api/tasks/{task['id']}/annotations", {
            "result": [{"from_name": "label", "to_name": "text", "type": "choices",
                        "value": {"choices": [decided[task["data"]["lw_id"]]]}}],
            "was_cancelled": False})

    exported = ls.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    export_path = tmp_path / "label-studio-export.json"
    export_path.write_text(json.dumps(exported))

    report = import_file(root, export_path, reviewer="ls-reviewer")
    assert (report.format, report.added, report.problems) == ("label-studio", 2, [])
    rows = ledger.read_decisions(ledger.ledger_path(root))
    assert {(d.item_id, d.label, d.run_id) for d in rows} == {
        ("t6", "billing", first.run_id), ("t5", "billing", first.run_id)}
    assert all(d.annotator.startswith("label-studio:") for d in rows)

    second = run_project(root)
    labels = pd.read_parquet(second.run_dir / "labels.parquet").set_index("id")
    for item_id, label in decided.items():
        assert labels.loc[item_id, "label"] == label
        assert labels.loc[item_id, "label_source"] == "review"
