"""How glossary files are read, and how often: with libyaml's loader when PyYAML has it
(the pure-Python one took seconds on a 20,000-phrase glossary), every problem on the same
file:line with either loader, each file composed once and lemma clashes worked out once
per ``check``."""

from __future__ import annotations

import pytest
import yaml

from labelwright import check_project
from labelwright.errors import GlossaryError
from labelwright.glossaries import yaml_file
from labelwright.glossaries.reading import load_glossary
from labelwright.project import lemma_claims

LOADERS = [pytest.param(None, id="pure-python")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))

_BROKEN = {
    # a value problem: its line comes from the composed nodes
    "label: billing\nterms:\n  - refund\n  - term: charge\n    synonym: [fee]\n":
        ":4: unknown key 'synonym' in a term; did you mean 'synonyms'?",
    # an unquoted phrase over two lines: the nodes' start and end lines
    "label: billing\nterms:\n  - refund\n  - broken\n   - charge\n":
        ":4: 'broken - charge' is one phrase written over lines 4-5",
    # YAML that does not read: the parser's line
    "label: billing\nterms:\n  - refund\n ? weird\n": ":4: invalid YAML: ",
    # a control character, after a character of two bytes (libyaml counts bytes)
    "label: billing\nterms:\n  - réfund\n  - fee\x07\n": ":4: invalid YAML: character U+0007",
    # an escape of half a character, which libyaml does not read at all
    'label: billing\nterms:\n  - refund\n  - "x\\ud83d"\n': ":4: 'x\\ud83d' holds half of a",
}


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize("text", list(_BROKEN))
def test_a_glossary_problem_is_on_the_same_line_with_either_loader(tmp_path, monkeypatch,
                                                                   loader, text):
    monkeypatch.setattr(yaml_file, "FAST_LOADER", loader)
    path = tmp_path / "money.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError) as raised:
        load_glossary(path, ["billing", "technical"])
    assert f"{path}{_BROKEN[text]}" in str(raised.value)


def test_a_glossary_file_is_read_by_libyaml_and_composed_once(tmp_path, monkeypatch):
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    made: list[str] = []
    for cls in (yaml.SafeLoader, yaml.CSafeLoader):
        original = cls.__init__

        def counting(self, stream, _original=original, _name=cls.__name__):
            made.append(_name)
            _original(self, stream)

        monkeypatch.setattr(cls, "__init__", counting)
    path = tmp_path / "money.yaml"
    path.write_text("label: billing\nmode: lemma\nterms:\n  - term: refund\n"
                    "    synonyms: [money back]\n", encoding="utf-8")
    glossary = load_glossary(path, ["billing", "technical"])
    assert glossary.terms[0].phrases == ("refund", "money back")
    assert made == ["CSafeLoader"]


def test_check_works_out_lemma_clashes_once(make_project, monkeypatch):
    """``check`` ran lemma_problems, which parses every phrase, once for its trial project
    and once more for the copy it applies: 10 s of a 28 s check on a large glossary."""
    calls = []
    original = lemma_claims.lemma_problems

    def counting(glossaries, nlp):
        calls.append(len(glossaries))
        return original(glossaries, nlp)

    monkeypatch.setattr(lemma_claims, "lemma_problems", counting)
    root = make_project(glossaries={
        "money": "label: billing\nmode: lemma\nterms:\n  - refund\n  - charge\n"})
    report = check_project(root)
    assert report.ok, report.problems
    assert calls == [1]
