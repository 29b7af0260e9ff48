"""An exclusion's window stops where a list item starts on a new line: a contract's
"(a) ... shall not assign\\n(b) Confidential Information means ..." was cancelled by the
"not" of (a)."""

from __future__ import annotations

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term

MODES = ["exact", "lowercase", "lemma"]


def _cancelled_by(nlp, mode: str, text: str) -> list[str | None]:
    glossary = Glossary(name="confidentiality", label="confidentiality", mode=mode,
                        terms=(Term("Confidential Information"),), exclusions=("not", "no"),
                        window=8)
    return [m.excluded_by for m in GlossaryMatcher([glossary], nlp).match(nlp(text))]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", [
    "(a) the Supplier shall not assign\n(b) Confidential Information means",
    "(a) no waiver\r\n(b) Confidential Information means",
    "shall not assign\n  ii) the Confidential Information",
    "shall not assign\n- Confidential Information",
    "shall not assign\n\u2022 Confidential Information",
    "shall not assign\n12.3 Confidential Information",
])
def test_an_exclusion_in_the_list_item_before_does_not_cancel(nlp, mode, text):
    assert _cancelled_by(nlp, mode, text) == [None]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", [
    "the Supplier shall not\nassign Confidential Information",  # a line broken in a clause
    "(b) shall not assign the Confidential Information",  # in the same item
    "(a) x\n(b) shall not be\nConfidential Information",  # the item's own next line
    "shall not see (b) Confidential Information",  # a reference, not a line's marker
    "shall not exceed\n12 months of Confidential Information",  # a number, not a section
])
def test_an_exclusion_in_the_same_item_still_cancels(nlp, mode, text):
    assert _cancelled_by(nlp, mode, text) == ["not"]
