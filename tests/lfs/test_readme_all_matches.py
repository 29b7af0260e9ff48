"""The README's "Writing a labeling function" names ``item.all_matches`` (the matches an
exclusion cancelled too, with ``.excluded_by``), and its example LF votes as it says."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.lfs.core import ABSTAIN
from labelwright.lfs.item import Item

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("\n## Writing a labeling function")
    return text[start:text.index("\n## ", start + 5)]


def test_the_readme_all_matches_example_votes_on_cancelled_matches(nlp):
    section = _section()
    assert "`item.all_matches`" in section and "`.excluded_by`" in section
    block = re.search(r"( *)```python\n(\1@labeling_function\(\)\n\1def chf_ruled_out.*?)\1```",
                      section, re.S)
    assert block is not None, "the README's all_matches example"
    space: dict[str, object] = {}
    exec("from labelwright import ABSTAIN, labeling_function\n"  # noqa: S102 - README code
         + textwrap.dedent(block.group(2)), space)
    lf = space["chf_ruled_out"]
    chf = Glossary(name="chf_terms", label="chf", mode="lowercase", terms=(Term("CHF"),),
                   exclusions=("no", "denies"))
    matcher = GlossaryMatcher([chf], nlp)

    def item(text: str) -> Item:
        doc = nlp(text)
        return Item("n1", text, doc=doc, matches=matcher.match(doc, text))

    assert lf(item("no CHF")) == "none"
    assert lf(item("denies CHF")) == "none"
    assert lf(item("CHF exacerbation")) == ABSTAIN
    assert lf(item("stable")) == ABSTAIN
