"""Right-to-left names and texts in the report: each text, label, LF, term and glossary
name from the user is isolated in its own direction (``dir="auto"`` or ``<bdi>`` in the
page, ``unicode-bidi="plaintext"`` in its plots), so Arabic reads right to left with its
Latin words, digits, quotes and brackets where they belong; labelwright's own words stay
left to right. An Arabic-language team saw "رقم IBAN صحيح ..." in scrambled order."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from xml.etree import ElementTree

import numpy as np
import pandas as pd
import pytest
from report_runs import make_run

from labelwright.report import plots, render_report
from labelwright.report.html import examples_table, votes_cell

ARABIC = re.compile("[\u0600-\u06ff]")
LABELS = ("فواتير", "تقني", "احتيال")
LFS = ["كلمة_بطاقة", "كلمة_تحويل", "رمز OTP", "iban_regex"]
TEXT = "رقم IBAN صحيح بس التحويل اترفض 😡😡"
VOID = {"meta", "br", "img", "hr", "input", "link", "wbr"}


class _Texts(HTMLParser):
    """Every text node of a page with the elements it is in (tag and attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[tuple[str, list[tuple[str, dict[str, str | None]]]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        pass

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if data.strip():
            self.texts.append((data, list(self.stack)))


def _texts(page: str) -> list[tuple[str, list[tuple[str, dict[str, str | None]]]]]:
    parser = _Texts()
    parser.feed(page)
    parser.close()
    return parser.texts


def _isolated(tag: str, attrs: dict[str, str | None]) -> bool:
    return (tag == "bdi" or attrs.get("dir") == "auto"
            or (tag == "tspan" and attrs.get("unicode-bidi") == "plaintext"))


@pytest.fixture(scope="module")
def arabic_page(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("rtl")
    texts = [f"{TEXT} {i}" if i % 2 else f"ما طلبت OTP ليش يجيني؟ {i}" for i in range(300)]
    run_dir = make_run(root / "runs", "20261128-030000-000000", labels=LABELS, lf_names=LFS,
                       texts=texts)
    pd.DataFrame({"glossary": ["بطاقات", "بطاقات"], "term": ["بطاقة", "فيزا 2"],
                  "label": [LABELS[0], LABELS[0]], "hits": [5, 0], "cancelled": [0, 0]}
                 ).to_csv(run_dir / "glossary_hits.csv", index=False)
    return render_report(run_dir)


def test_every_arabic_text_of_the_page_is_in_an_element_of_its_own_direction(arabic_page):
    """Each text node holding Arabic (an item's text, a label, an LF, a term, a glossary)
    sits directly in a ``<bdi>``, an element with ``dir="auto"``, or a plot's isolated
    ``<tspan>``; only hover titles (``<title>``), which no markup reaches, are left."""
    found = [(text, stack) for text, stack in _texts(arabic_page) if ARABIC.search(text)]
    shown = [(text, stack) for text, stack in found if not any(t == "title" for t, _ in stack)]
    assert len(shown) > 50  # the labels, LFs, terms and texts are on the page
    loose = [(text, [t for t, _ in stack[-3:]]) for text, stack in shown
             if not _isolated(*stack[-1])]
    assert loose == []
    # every kind of name is among them, in the table, the chips and the plots
    words = {text.strip() for text, _ in shown}
    assert set(LABELS) <= words and "كلمة_بطاقة" in words and "بطاقة" in words
    assert "بطاقات" in words
    assert any(stack[-1][0] == "tspan" for _, stack in shown)  # the plots' names too


def test_an_items_text_is_a_block_of_its_own_direction(arabic_page):
    cells = [stack[-1] for text, stack in _texts(arabic_page) if text.startswith(TEXT)]
    assert cells and all(tag == "div" and attrs == {"class": "text", "dir": "auto"}
                         for tag, attrs in cells)


def test_labelwrights_own_words_are_not_isolated(arabic_page):
    """The headers and sentences are labelwright's English: left to right, as the page."""
    heads = [text for text, stack in _texts(arabic_page) if stack and stack[-1][0] == "th"]
    assert "suggested" in heads and "label" in heads
    assert re.search(r'<html lang="en">', arabic_page)


def test_glossary_chips_keep_their_quotes_and_brackets_outside_the_names():
    chip = votes_cell({"votes": {"كلمة_بطاقة": "فواتير"},
                       "glossary_matches": [{"glossary": "بطاقات", "text": "البطاقة",
                                             "term": "بطاقة"}]})
    assert chip == ('<span class="chip"><bdi>كلمة_بطاقة</bdi> → <bdi>فواتير</bdi></span>'
                    '<span class="chip" title="glossary بطاقات">“<bdi>البطاقة</bdi>” '
                    "(<bdi>بطاقة</bdi>)</span>")


def test_a_suggested_label_is_isolated_and_no_label_is_labelwrights_word():
    table = examples_table([{"id": "م-1", "text": TEXT, "suggested_label": "فواتير",
                             "confidence": 0.4},
                            {"id": "2", "text": "x", "suggested_label": None,
                             "confidence": None}])
    cells = {text: stack[-1][0] for text, stack in _texts(table)}
    assert cells["فواتير"] == "bdi" and cells["م-1"] == "bdi" and cells["(none)"] == "td"


def _svg_text_parts(svg: str) -> list[tuple[list[str], str]]:
    """Each ``<text>`` of a plot: its isolated parts, and the whole text."""
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    out = []
    for text in root.iter(f"{ns}text"):
        isolated = [t.text or "" for t in text.iter(f"{ns}tspan")
                    if t.get("unicode-bidi") == "plaintext"]
        out.append((isolated, "".join(text.itertext())))
    return out


def test_plot_names_are_isolated_and_counts_stay_after_them():
    hist = {LABELS[0]: np.array([0, 2, 8]), LABELS[1]: np.array([1, 0, 0])}
    parts = _svg_text_parts(plots.confidence(np.array([0.0, 0.5, 0.9, 1.0]), hist, 0.7))
    assert ([LABELS[0]], f"{LABELS[0]} (10)") in parts and ([LABELS[1]], f"{LABELS[1]} (1)") \
        in parts
    assert all(not isolated for isolated, whole in parts if not ARABIC.search(whole))


def test_term_bars_isolate_term_and_glossary_and_cut_the_whole():
    long_term = "ب" * 50
    svg = plots.bars({"بطاقة [بطاقات]": 5, f"{long_term} [g]": 2}, "terms", "matches",
                     shown=[(plots.UserText("بطاقة"), " [", plots.UserText("بطاقات"), "]"),
                            (plots.UserText(long_term), " [", plots.UserText("g"), "]")])
    parts = _svg_text_parts(svg)
    assert (["بطاقة", "بطاقات"], "بطاقة [بطاقات]") in parts
    cut = [(isolated, whole) for isolated, whole in parts if whole.startswith("ببب")]
    assert cut == [(["ب" * 39 + "…"], "ب" * 39 + "…")]  # 40 characters, as a key is cut
