"""README.md's contents list: one line per section heading, in order, each linking to it.

The README is long; its contents list is how a reader finds a section. This keeps the
list true when a section is added, renamed or moved.
"""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
START = "<!-- contents -->"
END = "<!-- /contents -->"


def anchor(title: str) -> str:
    """The link target a Markdown renderer gives a heading (GitHub's rule)."""
    text = title.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def section_headings(markdown: str) -> list[tuple[int, str]]:
    """(level, title) of every ## and ### heading outside fenced code blocks."""
    headings = []
    in_fence = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_fence = not in_fence
            continue
        match = re.match(r"(#{2,3}) (.+)$", line)
        if match and not in_fence:
            headings.append((len(match.group(1)), match.group(2)))
    return headings


def contents_lines(headings: list[tuple[int, str]]) -> list[str]:
    lines = []
    for level, title in headings:
        if title == "Contents":
            continue
        indent = "  " * (level - 2)
        lines.append(f"{indent}- [{title.replace('`', '')}](#{anchor(title)})")
    return lines


def test_anchor_follows_the_renderers_rule():
    assert anchor("1. Export the queue") == "1-export-the-queue"
    assert (
        anchor("Freezing the label model: `run --label-model-from`")
        == "freezing-the-label-model-run---label-model-from"
    )
    assert anchor("Erasure requests: `labelwright erase`") == "erasure-requests-labelwright-erase"


def test_contents_list_every_section_in_order():
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1, (
        f"README.md must hold one {START} ... {END} block"
    )
    listed = text.split(START)[1].split(END)[0].strip().splitlines()
    expected = contents_lines(section_headings(text))
    assert len(expected) > 50
    missing = [line for line in expected if line not in listed]
    extra = [line for line in listed if line not in expected]
    assert (missing, extra) == ([], []), (
        "README contents out of date; the lines should be:\n" + "\n".join(expected))
    assert listed == expected


def test_contents_anchors_are_unique():
    anchors = [anchor(title) for _, title in section_headings(README.read_text(encoding="utf-8"))]
    repeated = sorted({a for a in anchors if anchors.count(a) > 1})
    assert repeated == []
