"""The README's "Arabic, Hebrew and other scripts" note stays true: its LF votes on the
forms it names, and a glossary reads as one what it says and not what it does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.lfs.core import ABSTAIN
from labelwright.lfs.item import Item

README = Path(__file__).resolve().parents[2] / "README.md"


def _note() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("**Arabic, Hebrew and other scripts.**")
    return text[start:text.index("\n**", start + 10)]


def test_the_readme_lf_votes_on_the_forms_it_names():
    note = _note()
    code = note.split("```python\n", 1)[1].split("```", 1)[0]
    space: dict[str, object] = {}
    # a file name Python cannot read back, as a notebook cell's: "README.md" would have
    # the LF's source looked up in the README's first lines, not in the note
    exec(compile(code, "<README.md, Arabic note>", "exec"), space)  # noqa: S102 - the README's own code
    lf = space["mentions_card"]
    for word in ("بطاقة", "بِطَاقَة", "بطـــاقة", "بطاقه", "البطاقة", "بالبطاقة", "وبطاقة"):
        assert f"`{word}`" in note.split("```", 2)[2]
        assert lf(Item("m1", f"{word} لا تعمل")) == "card_problem", word
    assert lf(Item("m1", "بطاقتي لا تعمل")) == ABSTAIN


@pytest.mark.parametrize(("term", "text", "ignore", "keep"), [
    ("أحول", "احول", True, False), ("أحول", "إحول", True, False), ("أحول", "آحول", True, False),
    ("سؤال", "سوال", True, False), ("قارئ", "قاري", True, False),
    ("بطاقة", "بِطَاقَة", True, False), ("بطاقة", "بطـــاقة", True, True),
    ("بطاقة", "بطاقه", False, False), ("على", "علي", False, False),
    ("5000", "٥٠٠٠", False, False), ("بطاقة", "البطاقة", False, False),
    ("بطاقة", "\ufe91\ufec4\ufe8e\ufed7\ufe94", False, False),
])
def test_what_arabic_glossaries_read_as_one(arabic, term, text, ignore, keep):
    for accents, expected in (("ignore", ignore), ("keep", keep)):
        glossary = Glossary(name="g", label="hit", mode="lowercase", terms=(Term(term),),
                            accents=accents)
        found = bool(GlossaryMatcher([glossary], arabic).match(arabic(text)))
        assert found == expected, (term, text, accents)
