"""The report page: self-contained, escaped, its plots drawn by labelwright itself."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from report_runs import XSS_IMG, XSS_SCRIPT, make_run

from labelwright.report import REPORT, plots, render_report, write_report
from labelwright.report.html import CSP, SORT_JS, chips, esc, table
from page_text import unisolated


@pytest.fixture(scope="module")
def page(shared_pair) -> str:
    return render_report(shared_pair[1])


def test_page_is_self_contained(page):
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and not re.search(r"url\([^#]", page)
    assert f'content="{CSP}"' in page
    assert "default-src 'none'" in CSP and "unsafe-inline" not in CSP.split("script-src")[1]


def test_every_plot_is_inline_svg(page):
    names = re.findall(r'<svg class="plot" role="img" data-plot="([\w-]+)"', page)
    assert names == ["coverage", "lf-pairs", "labels", "confidence", "reliability", "queue",
                     "reasons", "terms"]
    assert "<?xml" not in page and "plots-missing" not in page


def test_dataset_text_is_escaped(page):
    assert XSS_SCRIPT not in page and XSS_IMG not in page
    assert esc(XSS_SCRIPT) in page and esc(XSS_IMG) in page
    assert page.count("<script>") == 1  # only the sort script


def test_sections(page):
    for anchor in ("summary", "lfs", "labels", "queue", "glossaries", "examples", "reviews",
                   "changes"):
        assert f'<section id="{anchor}">' in page
    # the changes section lists every changed input, as `runs diff` does
    changes = page.split('<section id="changes">')[1].split("</section>")[0]
    assert "<li>LFs removed: lf_5</li>" in changes and "<li>LFs edited: lf_2</li>" in changes
    assert "<li>label model: default -&gt; default; seed 1 -&gt; 2</li>" in changes
    # 2 items with two reviewers: plain, under the 30 a headline needs
    assert "pairwise reviewer agreement: 50.0%" in page and "Too few items: 2 with" in page


def test_reviews_section_only_with_reviews_json(shared_pair):
    assert '<section id="reviews">' not in render_report(shared_pair[0])


def test_plots_are_drawn_without_matplotlib(shared_pair):
    """The plots took ~3 of a small run's 4 s when matplotlib drew them; labelwright now
    writes their SVG itself, so a Python without matplotlib gets every plot."""
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from pathlib import Path\n"
            "from labelwright.report import render_report\n"
            f"page = render_report(Path({str(shared_pair[1])!r}))\n"
            "import re\n"
            "print(re.findall(r'data-plot=\"([\\w-]+)\"', page))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(["coverage", "lf-pairs", "labels", "confidence",
                                       "reliability", "queue", "reasons",
                                       "terms"])


def test_write_report_default_and_custom_path(tmp_path):
    """A run of a runs folder (its ``LATEST`` beside it): the report written in its place
    is recorded in ``runs/REPORTS.jsonl``, with no warning; one written elsewhere is no
    rewrite of the run's report and adds no line."""
    import json
    import warnings

    from labelwright.runs.report_record import REPORTS_FILE, ReportNotRecorded

    run_dir = make_run(tmp_path / "runs", "r1", n=50, examples=False)
    (tmp_path / "runs" / "LATEST").write_text("r1\n", encoding="utf-8")
    record = tmp_path / "runs" / REPORTS_FILE
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReportNotRecorded)
        assert write_report(run_dir) == run_dir / REPORT
        assert (run_dir / REPORT).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        lines = record.read_text(encoding="utf-8").splitlines()
        assert [json.loads(line)["run_id"] for line in lines] == ["r1"]
        out = write_report(run_dir, out=tmp_path / "elsewhere.html")
    assert out.is_file()
    assert record.read_text(encoding="utf-8").splitlines() == lines
    assert not [p for p in run_dir.iterdir() if p.name.startswith(".")]


def test_table_cells_escape_text_only_where_told():
    html = table(["a", "b"], [[esc("<i>"), ("<b>x</b>", 2)], [3, None]], numeric=[False, True])
    assert "<td>&lt;i&gt;</td>" in html and '<td class="n" data-v="2"><b>x</b></td>' in html
    assert '<td>3</td><td class="n"></td>' in html


def test_chips_name_the_first_and_count_the_rest():
    # the report's terms and phrases that never matched: a few chips, then how many more
    assert chips(["a", "b"], 2, render=str) == (
        '<span class="chip">a</span><span class="chip">b</span>')
    assert chips([f"t{i}" for i in range(1203)], 2, render=str) == (
        '<span class="chip">t0</span><span class="chip">t1</span> … and 1,201 more')
    assert chips([], 3, render=str) == ""


def test_sort_script_hash_matches_csp():
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in CSP


def test_plot_text_is_escaped_and_every_plot_is_well_formed_xml(shared_pair):
    from xml.etree import ElementTree

    svg = plots.bars({"a <b>": 3, "b $x$ & c": 1}, "probe", "items")
    assert "a &lt;b&gt;" in svg and "a <b>" not in svg and "b $x$ &amp; c" in svg
    for drawn in (svg, *re.findall(r"<svg class=\"plot\".*?</svg>",
                                   render_report(shared_pair[1]), flags=re.S)):
        ElementTree.fromstring(drawn)  # raises on a stray <, & or unclosed element


def test_dollar_signs_in_names_are_drawn_as_written(shared_pair):
    """A glossary term `$$` stopped the report (matplotlib read it as maths), and `$5 to
    $10` was drawn as an italic "5 to 10"."""
    import pandas as pd

    svg = plots.bars({"$5 to $10": 3, "$$": 2}, "terms", "matches")
    assert "$5 to $10" in svg and "$$" in svg
    table = pd.DataFrame({"lf": ["$$", "price_$x$"], "coverage": [0.5, 0.25],
                          "overlaps": [0.1, 0.1], "conflicts": [0.0, 0.05]})
    svg = plots.coverage(table)
    assert "$$" in svg and "price_$x$" in svg


def test_terms_cancelled_every_time_are_not_said_never_to_match(tmp_path):
    """'internet' matched 4 items, each time cancelled by an exclusion, and was listed under
    "Terms that never matched", which sent the reader looking for a typo in it."""
    import pandas as pd

    run_dir = make_run(tmp_path / "runs", "r1")
    pd.DataFrame({"glossary": ["network"] * 4, "term": ["internet", "wifi", "dns", "lan"],
                  "label": ["network"] * 4, "hits": [0, 5, 0, 0],
                  "cancelled": [4, 1, 0, 1]}).to_csv(run_dir / "glossary_hits.csv", index=False)
    section = render_report(run_dir).split('<section id="glossaries">')[1].split("</section>")[0]
    never = section.split("<h3>Terms that never matched (1)</h3>")[1].split("<h3>")[0]
    assert ">dns<" in never and "internet" not in never and "lan" not in never
    cancelled = section.split("<h3>Terms that matched, always cancelled by an exclusion "
                              "(2)</h3>")[1].split("<h3>")[0]
    assert re.findall(r'<span class="chip">([^<]*)</span>', unisolated(cancelled)) == [
        "internet (4 items)", "lan (1 item)"]


def test_without_such_terms_there_is_no_list_of_cancelled_terms(page):
    assert "always cancelled" not in page


def test_control_characters_of_a_text_are_shown_as_their_pictures():
    """A NUL byte from the data was written raw into report.html: not allowed in HTML, and
    grep took the page for a binary file."""
    assert esc("ok\x00null\x1b[31m\x7f") == "ok\u2400null\u241b[31m\u2421"
    assert esc("tab\tand\nline\r") == "tab\tand\nline\r"  # kept: white space
    assert esc("a\u202eb") == "a\ufffdb"


def test_an_lf_voting_many_labels_shows_their_count_and_the_labels_folded(tmp_path):
    """A law firm's LF voting its 14 labels made its polarity cell 14 lines high."""
    labels = ("nda", "term", "fees", "audit", "law", "venue")
    run_dir = make_run(tmp_path / "runs", "r1", labels=labels)
    page = render_report(run_dir)
    lfs = page.split('<section id="lfs">')[1].split("</section>")[0]
    assert "<details><summary>6 labels (all)</summary>" in lfs
    assert ", ".join(f"<bdi>{label}</bdi>" for label in labels) in lfs
