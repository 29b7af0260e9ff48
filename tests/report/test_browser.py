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
                          "reasons", "terms"}


def test_xss_texts_are_shown_not_run(dom: str):
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and "pwned" not in title.group(1)
    assert re.search(r"<body>", dom) and not re.search(r"<body[^>]*data-pwned", dom)
    assert not re.search(r"<img[^>]*pwned-img", dom)
    assert ('<div class="text" dir="auto">' + XSS_SCRIPT.replace("<", "&lt;").replace(">", "&gt;")
            in dom)
    texts = [unescape(t) for t in re.findall(r'<div class="text" dir="auto">(.*?)</div>', dom,
                                             re.S)]
    assert XSS_SCRIPT in texts and XSS_IMG in texts


def test_only_the_sort_script_runs(dom: str):
    # The sort script marks headers focusable: proof the CSP hash lets it (and only it) run.
    assert re.search(r'<table class="sortable"><thead><tr><th tabindex="0"', dom)
    assert dom.count("<script") == 1


#: measures, in the page as the browser laid it out, where the words of an Arabic item
#: text, a glossary chip and a plot's panel title are (left edges, CSS pixels)
MEASURE_JS = """
function box(node, start, end) { var r = document.createRange();
  r.setStart(node, start); r.setEnd(node, end); return r.getBoundingClientRect(); }
function word(el, w) { var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), n;
  while ((n = walker.nextNode())) { var i = n.data.indexOf(w);
    if (i >= 0) return box(n, i, i + w.length); } return null; }
var out = {};
function measure(name, f) { try { out[name] = f(); } catch (e) { out[name] = String(e); } }
var cells = Array.from(document.querySelectorAll("div.text"));
var rtl = cells.find(function (c) { return c.textContent.indexOf("IBAN") >= 0; });
var ltr = cells.find(function (c) { return c.textContent.indexOf("hello") === 0; });
measure("directions", function () {
  return [getComputedStyle(rtl).direction, getComputedStyle(ltr).direction]; });
measure("ends", function () { return [word(rtl, "رقم").right, rtl.getBoundingClientRect().right,
                                      word(ltr, "hello").left, ltr.getBoundingClientRect().left];
});
measure("words", function () { return [word(rtl, "رقم").left, word(rtl, "IBAN").left,
                                       word(rtl, "\\ud83d\\ude21").left]; });
measure("chip", function () {
  var chip = Array.from(document.querySelectorAll("span.chip")).find(function (c) {
    return c.textContent.indexOf("\\u201c") >= 0; });
  return Array.from(chip.childNodes).map(function (n) {
    var r = n.nodeType === 3 ? box(n, 0, n.data.length) : n.getBoundingClientRect();
    return [n.nodeType === 3 ? n.data : n.tagName.toLowerCase(), r.left, r.right]; }); });
measure("panel", function () {
  var title = Array.from(document.querySelectorAll('svg[data-plot="confidence"] text')).find(
    function (t) { return t.textContent.indexOf("فواتير") === 0; });
  return [word(title, "فواتير").right, word(title, "(").left]; });
document.body.setAttribute("data-measured", JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def arabic_layout(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The Arabic report laid out by Chromium, measured by :data:`MEASURE_JS` (in a copy
    of the page whose CSP lets that script run too; the page itself is as written)."""
    import json

    from report_runs import make_run

    root = tmp_path_factory.mktemp("rtl-browser")
    texts = ["رقم IBAN صحيح بس التحويل اترفض 😡😡" if i % 2 else "hello, world 😡"
             for i in range(300)]
    run_dir = make_run(root / "runs", "20261128-030000-000000", labels=("فواتير", "تقني"),
                       texts=texts, examples=False)
    records = [json.loads(line) for line in (run_dir / "review.jsonl").open(encoding="utf-8")]
    records[0]["glossary_matches"] = [{"glossary": "بطاقات", "text": "البطاقة",
                                       "term": "بطاقة"}]  # one chip, on the first example
    (run_dir / "review.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    page = write_report(run_dir, check=False).read_text(encoding="utf-8")
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    harness = root / "measured.html"
    harness.write_text(page.replace("</body>", f"<script>{MEASURE_JS}</script></body>"),
                       encoding="utf-8")
    dom = chromium(root, "--dump-dom", harness.as_uri()).stdout
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, dom[-2000:]
    return json.loads(unescape(found.group(1)))


def test_an_arabic_text_cell_reads_right_to_left(arabic_layout):
    """dir="auto" gives the Arabic item text the direction rtl: its first word is
    rightmost, the Latin word left of it, the emoji at the far (left) end; an English
    text in the same table stays left to right."""
    assert arabic_layout["directions"] == ["rtl", "ltr"]
    first_word, iban, emoji = arabic_layout["words"]
    assert first_word > iban > emoji
    # each starts at its own side of its cell (the cell's text-align: left once held the
    # Arabic text to the left, its first word in the middle of the cell)
    word_right, cell_right, hello_left, cell_left = arabic_layout["ends"]
    assert cell_right - 1 <= word_right <= cell_right and cell_left <= hello_left <= cell_left + 1


def test_a_glossary_chip_keeps_its_quotes_and_brackets_in_place(arabic_layout):
    """“البطاقة” (بطاقة): the quotes around the matched text, the brackets around the
    term, left to right as labelwright writes them (they were pulled into the Arabic)."""
    pieces = arabic_layout["chip"]
    assert [p[0] for p in pieces] == ["“", "bdi", "” (", "bdi", ")"]
    lefts = [p[1] for p in pieces]
    assert lefts == sorted(lefts)
    assert all(a[2] <= b[1] + 0.5 for a, b in zip(pieces, pieces[1:]))  # no overlap


def test_a_plot_panel_title_keeps_its_count_after_the_label(arabic_layout):
    label_right, bracket_left = arabic_layout["panel"]
    assert bracket_left >= label_right - 0.5
