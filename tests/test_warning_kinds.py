"""Each warning of a run has a kind (``run --json``'s ``warning_messages``): a stable word a
script reads, where the text changes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from labelwright.warning_kinds import KINDS, KindedWarning, kinded, warning_kind, warning_record

README = Path(__file__).resolve().parents[1] / "README.md"


def test_a_warning_stays_its_text_and_knows_its_kind():
    (said,) = kinded("items_gone", [None, "2 items of run r are gone", ""])
    assert said == "2 items of run r are gone" and isinstance(said, str)
    assert warning_kind(said) == "items_gone" and warning_kind("plain text") == "other"
    assert json.dumps([said]) == '["2 items of run r are gone"]'
    again = pickle.loads(pickle.dumps(said))
    assert again == said and warning_kind(again) == "items_gone"
    assert warning_record(said) == {"kind": "items_gone", "message": said}


def test_an_unknown_kind_is_refused_naming_the_kinds():
    with pytest.raises(ValueError, match="unknown warning kind 'gone'; kinds: data, "):
        KindedWarning("text", "gone")


def test_the_readme_lists_every_kind_as_kinds_says_it():
    """The table's row of each kind is what KINDS says of it: a kind's text changed in one
    place (lf_code gained two kinds of warning) was left as it was in the other."""
    text = README.read_text(encoding="utf-8")
    missing = [kind for kind in KINDS if f"| `{kind}` | {KINDS[kind]} |" not in text]
    assert not missing, missing
