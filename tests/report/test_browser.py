"""The report in a real browser: headless Chromium renders it, runs only our script, and
shows dataset texts that look like HTML as text.

Skipped when Chromium is not installed (CI installs Debian's ``chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from report_runs import XSS_IMG, XSS_SCRIPT, make_pair

from labelwright.report import write_report

CHROMIUM = next((shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)),
                None)
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install -y chromium)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", "--window-size=1280,4000", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("browser")
    _, run_dir = make_pair(root)
    return write_report(run_dir), root


@pytest.fixture(scope="module")
def dom(report: tuple[Path, Path]) -> str:
    path, root = report
    return chromium(root, "--dump-dom", path.as_uri()).stdout


def test_screenshot(report: tuple[Path, Path]):
    path, root = report
    shot = root / "report.png"
    chromium(root, f"--screenshot={shot}", path.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page, not a blank


def test_plots_are_in_the_rendered_dom(dom: str):
    plots = re.findall(r'<svg class="plot"[^>]*data-plot="([\w-]+)"', dom)
    assert set(plots) == {"coverage", "lf-pairs", "labels", "confidence", "reliability", "queue",
                          "terms"}


def test_xss_texts_are_shown_not_run(dom: str):
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and "pwned" not in title.group(1)
    assert re.search(r"<body>", dom) and not re.search(r"<body[^>]*data-pwned", dom)
    assert not re.search(r"<img[^>]*pwned-img", dom)
    assert '<div class="text">' + XSS_SCRIPT.replace("<", "&lt;").replace(">", "&gt;") in dom
    texts = [unescape(t) for t in re.findall(r'<div class="text">(.*?)</div>', dom, re.S)]
    assert XSS_SCRIPT in texts and XSS_IMG in texts


def test_only_the_sort_script_runs(dom: str):
    # The sort script marks headers focusable: proof the CSP hash lets it (and only it) run.
    assert re.search(r'<table class="sortable"><thead><tr><th tabindex="0"', dom)
    assert dom.count("<script") == 1
