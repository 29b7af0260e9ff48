"""Languages written without spaces: Chinese read a character a word or, with ``[nlp]
segmenter = "jieba"``, in words; a language without lemma tables; Japanese without
SudachiPy, which a project that never parses an item does not need."""

from __future__ import annotations

import importlib.util
import pickle
import re
import sys

import pytest

from labelwright import check_project, run_project
from labelwright.config import NLPConfig, load_config
from labelwright.errors import ConfigError
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.lfs.pipeline_reads import unfilled_fields
from labelwright.nlp import load_pipeline, pipeline_description, pipeline_fingerprint
from labelwright.nlp.errors import no_lemmas_note
from labelwright.nlp.pipeline import _blank_pipeline
from labelwright.nlp.segmenters import PackageMissingError

SUDACHI = importlib.util.find_spec("sudachipy") is not None

TEXT_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def refund(item):
    return "refund" if "退款" in item.text or "返金" in item.text else ABSTAIN
'''
ROWS = [{"id": "t1", "text": "我要退款", "gold": "refund"},
        {"id": "t2", "text": "发票还没收到", "gold": "other"},
        {"id": "t3", "text": "返金してください", "gold": "refund"}]
REFUND_GLOSSARY = ("label: refund\nmode: lowercase\nwindow: 2\nexclusions: [\"不需要\"]\n"
                   "terms:\n  - 退款\n")


def _config(tmp_path, nlp_table: str):
    (tmp_path / "labelwright.toml").write_text(
        f'[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n[nlp]\n{nlp_table}\n',
        encoding="utf-8")
    return load_config(tmp_path)


def _words(nlp, text: str) -> list[str]:
    return [token.text for token in nlp(text)]


def test_chinese_needs_no_lemmatizer_setting_and_reads_a_character_a_word():
    """lang = "zh" was an error until [nlp] lemmatizer = false was set by hand."""
    nlp = load_pipeline(NLPConfig(lang="zh"))
    assert nlp.pipe_names == []
    assert _words(nlp, "不需要退款") == ["不", "需", "要", "退", "款"]
    assert pipeline_description(nlp)["segmenter"] == "char"


@pytest.mark.parametrize("lang", ["zh", "ja", "fi"])
def test_a_language_without_lemma_tables_is_noted_unless_the_lemmatizer_is_set(lang):
    note = no_lemmas_note(lang, None, None)
    assert note is not None and f"lang {lang!r}" in note and "compare the words themselves" in note
    assert no_lemmas_note(lang, None, False) is None
    assert no_lemmas_note(lang, "a_named_pipeline", None) is None
    assert no_lemmas_note("en", None, None) is None
    assert no_lemmas_note("de", None, None) is None


def test_the_lemmatizer_set_true_for_chinese_is_still_an_error():
    with pytest.raises(ConfigError, match=r"no lookup lemma tables for 'zh'"):
        load_pipeline(NLPConfig(lang="zh", lemmatizer=True))


def test_the_config_tells_an_unset_lemmatizer_from_one_set(tmp_path):
    assert _config(tmp_path, 'lang = "zh"').nlp.lemmatizer is None
    assert _config(tmp_path, 'lang = "zh"\nlemmatizer = true').nlp.lemmatizer is True
    assert _config(tmp_path, 'lang = "en"').nlp.lemmatizer is None
    assert load_pipeline(_config(tmp_path, 'lang = "en"').nlp).pipe_names == [
        "labelwright_lookup_lemmas"]


@pytest.mark.parametrize("nlp_table, message", [
    ('lang = "ja"\nsegmenter = "jieba"', r"segmenter chooses how Chinese \(lang = \"zh\"\) is "
                                         r"split into words; lang 'ja' has no such setting"),
    ('segmenter = "char"', r"lang 'en' has no such setting"),
    ('lang = "zh"\nsegmenter = "pkuseg"', r"'pkuseg' needs a model downloaded"),
    ('lang = "zh"\nsegmenter = "words"', r"segmenter 'words'; valid: char, jieba"),
])
def test_a_segmenter_setting_is_chinese_and_char_or_jieba(tmp_path, nlp_table, message):
    with pytest.raises(ConfigError, match=message):
        _config(tmp_path, nlp_table)


def test_the_segmenter_is_read_and_in_the_fingerprint(tmp_path):
    config = _config(tmp_path, 'lang = "zh"\nsegmenter = "char"').nlp
    assert config.segmenter == "char" and config.lemmatizer is None
    assert pipeline_fingerprint(load_pipeline(config)) == pipeline_fingerprint(
        load_pipeline(NLPConfig(lang="zh")))  # "char" is spaCy's default, said or not
    pytest.importorskip("jieba")
    jieba = load_pipeline(NLPConfig(lang="zh", segmenter="jieba"))
    assert pipeline_fingerprint(jieba) != pipeline_fingerprint(load_pipeline(config))
    assert pipeline_description(jieba)["segmenter"] == "jieba"


def test_a_jieba_pipeline_pickles_for_worker_processes():
    """spaCy's tokenizer holds the jieba module, which pickle refuses."""
    pytest.importorskip("jieba")
    nlp = load_pipeline(NLPConfig(lang="zh", segmenter="jieba"))
    copy = pickle.loads(pickle.dumps(nlp))
    assert _words(copy, "退\u200b款了") == _words(nlp, "退\u200b款了") == ["退\u200b款", "了"]
    assert pipeline_fingerprint(copy) == pipeline_fingerprint(nlp)


def test_jieba_missing_says_how_to_install_it_into_the_projects_python(monkeypatch):
    monkeypatch.setitem(sys.modules, "jieba", None)  # import jieba raises ImportError
    with pytest.raises(ConfigError) as info:
        _blank_pipeline.__wrapped__("zh", False, False, "jieba")  # type: ignore[attr-defined]
    message = str(info.value)
    assert f"{sys.executable} -m pip install jieba" in message
    assert "labelwright[zh]" in message and 'segmenter = "char"' in message


def _excluded_by(nlp, glossary: Glossary, text: str) -> list[str | None]:
    return [m.excluded_by for m in GlossaryMatcher([glossary], nlp).match(nlp(text))]


def test_jieba_reads_words_so_windows_count_words_and_a_not_a_is_one_word():
    """Under char, the exclusion 不需要 was 3 words, longer than window 2, so it never
    cancelled; 不是 cancelled 质量 inside the question 是不是 (is it ... or not)."""
    pytest.importorskip("jieba")
    words = load_pipeline(NLPConfig(lang="zh", segmenter="jieba"))
    chars = load_pipeline(NLPConfig(lang="zh"))
    assert _words(words, "不需要帮我处理退款了") == ["不", "需要", "帮", "我", "处理", "退款", "了"]
    assert _words(words, "是不是质量问题")[0] == "是不是"
    no_need = Glossary(name="refund", label="refund", mode="lowercase", terms=(Term("退款"),),
                       exclusions=("不需要",), window=2)
    assert _excluded_by(chars, no_need, "不需要退款") == [None]
    assert _excluded_by(words, no_need, "不需要退款") == ["不需要"]
    assert _excluded_by(words, no_need, "不需要帮我处理退款了") == [None]  # 3 words between
    not_is = Glossary(name="quality", label="quality", mode="lowercase",
                      terms=(Term("质量"),), exclusions=("不是",), window=2)
    assert _excluded_by(chars, not_is, "是不是质量问题") == ["不是"]
    assert _excluded_by(words, not_is, "是不是质量问题") == [None]  # 是不是: one word
    assert _excluded_by(words, not_is, "不是质量问题") == ["不是"]
    # jieba's dictionary splits 要不要 as 要 不要: that question is still cancelled by 不要
    # (README, Chinese, Japanese and other languages written without spaces)
    do_not = Glossary(name="refund", label="refund", mode="lowercase", terms=(Term("退款"),),
                      exclusions=("不要",), window=2)
    assert _excluded_by(words, do_not, "要不要退款") == ["不要"]


@pytest.mark.parametrize("text, words", [
    ("退\u200b款", ["退\u200b款"]),  # inside the word: one token, the word as written
    ("我要退\ufeff款了", ["我要", "退\ufeff款", "了"]),
    ("\u200b退款\u200b\u200c了", ["\u200b", "退款", "\u200b\u200c", "了"]),
    ("退款 \u200b 了", ["退款", "\u200b", "了"]),
    ("退款了", ["退款", "了"]),
])
def test_jieba_reads_a_text_without_its_invisible_characters(text, words):
    """jieba split "退\\u200b款" into 退, the zero-width space and 款, so the term 退款 (one
    word) matched nothing, though README says invisible characters are read as nothing."""
    pytest.importorskip("jieba")
    nlp = load_pipeline(NLPConfig(lang="zh", segmenter="jieba"))
    doc = nlp(text)
    assert doc.text == text
    assert [t.text for t in doc if not t.is_space] == words
    glossary = Glossary(name="refund", label="refund", mode="lowercase", terms=(Term("退款"),))
    [match] = GlossaryMatcher([glossary], nlp).match(doc)
    assert match.term == "退款" and match.text.strip("\u200b\u200c\ufeff") in (
        "退款", "退\u200b款", "退\ufeff款")


@pytest.mark.skipif(SUDACHI, reason="SudachiPy is installed")
def test_a_pipeline_whose_tokenizer_package_is_missing_loads_and_fails_to_parse():
    """lang = "ja" without SudachiPy stopped check and run of a project that parses
    nothing; the error now comes with the first text to parse."""
    nlp = load_pipeline(NLPConfig(lang="ja"))
    fingerprint = pipeline_fingerprint(nlp)
    _blank_pipeline.cache_clear()
    assert pipeline_fingerprint(load_pipeline(NLPConfig(lang="ja"))) == fingerprint
    assert pipeline_fingerprint(load_pipeline(NLPConfig(lang="zh"))) != fingerprint
    assert pipeline_description(nlp)["lang"] == "ja"
    assert unfilled_fields(nlp) == []  # check's look at what the pipeline fills: none
    with pytest.raises(PackageMissingError, match=re.escape(
            f"{sys.executable} -m pip install sudachipy sudachidict_core")):
        list(nlp.pipe(["テスト"]))


@pytest.mark.skipif(SUDACHI, reason="SudachiPy is installed")
def test_japanese_without_sudachipy_runs_a_project_that_parses_nothing(make_project):
    root = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                        extra='\n[nlp]\nlang = "ja"\n')
    report = check_project(root)
    assert report.problems == []
    # nothing reads lemmas: no note that there are none (it came on every check and run)
    assert not any("no lemma table" in w for w in report.warnings), report.warnings
    run_project(root)


def test_the_note_that_there_are_no_lemmas_comes_where_lemmas_are_read(make_project):
    lemma_glossary = REFUND_GLOSSARY.replace("mode: lowercase", "mode: lemma")
    root = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                        glossaries={"refund": lemma_glossary},
                        extra='\n[nlp]\nlang = "zh"\n')
    report = check_project(root)
    assert any("[nlp] lang 'zh': spacy-lookups-data has no lemma table" in w
               for w in report.warnings), report.warnings
    assert any("no lemma table" in w for w in run_project(root).dataset.warnings)
    plain = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                         glossaries={"refund": REFUND_GLOSSARY},
                         extra='\n[nlp]\nlang = "zh"\n')
    assert not any("no lemma table" in w for w in check_project(plain).warnings)
    assert not any("no lemma table" in w for w in run_project(plain).dataset.warnings)


@pytest.mark.skipif(SUDACHI, reason="SudachiPy is installed")
def test_japanese_without_sudachipy_and_a_glossary_is_an_error_in_check(make_project):
    root = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                        glossaries={"refund": "label: refund\nterms:\n  - 返金\n"},
                        extra='\n[nlp]\nlang = "ja"\n')
    problems = check_project(root).problems
    assert len(problems) == 1
    assert "labelwright.toml" in problems[0] and "sudachipy sudachidict_core" in problems[0]
    with pytest.raises(ConfigError, match="sudachipy sudachidict_core"):
        run_project(root)


def test_check_says_a_chinese_window_counts_characters_under_char(make_project):
    root = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                        glossaries={"refund": REFUND_GLOSSARY},
                        extra='\n[nlp]\nlang = "zh"\n')
    said = [w for w in check_project(root).warnings if "counts characters" in w]
    assert len(said) == 1 and "refund.yaml" in said[0] and 'segmenter = "jieba"' in said[0]
    plain = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                         glossaries={"refund": "label: refund\nterms:\n  - 退款\n"},
                         extra='\n[nlp]\nlang = "zh"\n', root=root.parent / "plain")
    assert not [w for w in check_project(plain).warnings if "counts characters" in w]
    pytest.importorskip("jieba")
    words = make_project(labels=("refund", "other"), rows=ROWS, lfs={"text": TEXT_LF},
                         glossaries={"refund": REFUND_GLOSSARY},
                         extra='\n[nlp]\nlang = "zh"\nsegmenter = "jieba"\n',
                         root=root.parent / "words")
    report = check_project(words)
    assert report.problems == []
    assert not [w for w in report.warnings if "counts characters" in w]


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_under_jieba_a_term_mixing_capitals_and_chinese_matches_as_written(mode):
    """jieba reads "T恤" as one word and "t恤" as two: a lowercase-mode "T恤" (split as its
    lowercase) never matched "买了T恤", since a chunk of letters was taken to split alike
    in any case, as spaCy's own tokenizer splits it."""
    nlp = load_pipeline(NLPConfig(lang="zh", segmenter="jieba"))
    glossary = Glossary(name="products", label="refund", mode=mode,
                        terms=(Term("SIM卡"), Term("T恤")))
    matcher = GlossaryMatcher([glossary], nlp)
    for text, term in (("换了SIM卡还是不行", "SIM卡"), ("买了T恤", "T恤"), ("买了t恤", "T恤")):
        assert [m.term for m in matcher.match(nlp(text))] == [term], text


def test_the_pipeline_line_names_the_chinese_segmenter():
    """`runs diff` of a switch from char to jieba said only that the fingerprint moved."""
    from labelwright.runs.manifest import pipeline_text

    for segmenter in ("char", "jieba"):
        nlp = load_pipeline(NLPConfig(lang="zh", segmenter=segmenter))
        assert f"(zh; segmenter {segmenter}; " in pipeline_text(pipeline_description(nlp))
    assert "segmenter" not in pipeline_text(pipeline_description(load_pipeline(NLPConfig())))


@pytest.mark.skipif(SUDACHI, reason="SudachiPy is installed")
def test_an_exact_mode_glossary_under_a_missing_tokenizer_gets_the_packages_error():
    """Exact-mode terms are parsed by the tokenizer's pipe, which the stand-in lacked: an
    AttributeError instead of the error naming the packages to install."""
    nlp = load_pipeline(NLPConfig(lang="ja"))
    glossary = Glossary(name="refund", label="refund", mode="exact", terms=(Term("返金"),))
    with pytest.raises(PackageMissingError, match="sudachipy sudachidict_core"):
        GlossaryMatcher([glossary], nlp)
