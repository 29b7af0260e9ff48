import textwrap

import numpy as np
import pandas as pd
import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame
from labelwright.errors import DuplicateLFError, LFError
from labelwright.lfs.core import LabelingFunction, VoteCoder, reads_doc
from labelwright.lfs.discovery import discover
from labelwright.lfs.item import Item

LABELS = ("ham", "spam")


def write(folder, name, source):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(source), encoding="utf-8")
    return path


#: a factory of keyword LFs, as LF modules and helper modules write them (its decorator is
#: on line 5 of a file that starts with it)
KEYWORD = """
from labelwright import ABSTAIN, labeling_function

def keyword(word, label="spam"):
    @labeling_function(name=f"kw_{word}")
    def lf(item):
        return label if word in item.text else ABSTAIN
    return lf
"""


# --- the decorator ---------------------------------------------------------------------------


def test_decorator_defaults():
    @labeling_function()
    def has_free(item):
        return "spam" if "free" in item.text else ABSTAIN

    assert isinstance(has_free, LabelingFunction)
    assert has_free.name == "has_free"
    assert has_free.kind == "python"
    assert has_free.uses_doc is False
    assert has_free.file == __file__
    assert has_free.line > 0
    assert len(has_free.source_hash) == 64
    assert has_free(Item("1", "free stuff")) == "spam"
    assert has_free(Item("2", "hello")) == ABSTAIN


def test_decorator_explicit_name():
    @labeling_function("keyword_free")
    def f(item):
        return ABSTAIN

    assert f.name == "keyword_free"


def test_decorator_bare():
    @labeling_function
    def bare(item):
        return "ham"

    assert isinstance(bare, LabelingFunction)
    assert bare.name == "bare"
    assert bare(Item("1", "x")) == "ham"


def test_resources_are_passed():
    @labeling_function(resources={"words": {"win", "prize"}})
    def has_word(item, words):
        return "spam" if set(item.text.split()) & words else ABSTAIN

    assert has_word.resources == {"words": {"win", "prize"}}
    assert has_word(Item("1", "you win")) == "spam"
    assert has_word(Item("2", "you lose")) == ABSTAIN


def test_doc_detection():
    @labeling_function()
    def reads(item):
        return "ham" if any(t.lemma_ == "be" for t in item.doc) else ABSTAIN

    @labeling_function()
    def text_only(item):
        return "ham" if "doc" in item.text else ABSTAIN

    @labeling_function(doc=False)
    def forced_off(item):
        return item.doc

    @labeling_function(doc=True)
    def forced_on(item):
        return ABSTAIN

    assert reads.uses_doc is True
    assert text_only.uses_doc is False
    assert forced_off.uses_doc is False
    assert forced_on.uses_doc is True
    assert reads_doc(lambda x: x.doc) is True


def test_source_hash_changes_with_code():
    @labeling_function()
    def a(item):
        return "ham"

    @labeling_function()
    def b(item):
        return "spam"

    assert a.source_hash != b.source_hash


def test_source_hash_covers_what_the_code_is_made_with():
    """LFs a factory made shared one hash, so a run's per-LF provenance could not tell them
    apart and `runs diff` saw no LF edited when a factory argument changed; partials hashed
    no code at all."""
    import functools
    import re

    from labelwright.lfs.core import source_hash
    from labelwright.lfs.function_code import source_of as _source_of

    def keyword(word, label):
        @labeling_function(name=f"kw_{word}")
        def lf(item):
            return label if word in item.text else ABSTAIN
        return lf

    made = [keyword("refund", "billing"), keyword("crash", "bug"), keyword("crash", "account")]
    assert len({lf.source_hash for lf in made}) == 3
    assert keyword("crash", "bug").source_hash == made[1].source_hash

    def has(item, word, pattern=re.compile("a+")):
        return "spam" if word in item.text else ABSTAIN

    partials = [labeling_function(name=w)(functools.partial(has, word=w)) for w in ("x", "y")]
    assert partials[0].source_hash != partials[1].source_hash
    with_resources = [labeling_function(name="r", resources={"word": w})(has) for w in "xyx"]
    assert with_resources[0].source_hash == with_resources[2].source_hash
    assert with_resources[0].source_hash != with_resources[1].source_hash
    # sets and dicts hash the same whatever their order
    assert (labeling_function(resources={"word": {"a", "b", "c"}})(has).source_hash
            == labeling_function(resources={"word": {"c", "b", "a"}})(has).source_hash)

    @labeling_function()
    def plain(item):  # binds nothing: its hash is its source's, as before
        return ABSTAIN

    assert plain.source_hash == source_hash(_source_of(plain.func))


def test_a_partial_that_reads_the_doc_is_parsed_for():
    """A partial's code was not found, so `item.doc` in it went undetected and the LF ran
    without a Doc."""
    import functools

    def lemma_is(item, word):
        return "spam" if any(t.lemma_ == word for t in item.doc) else ABSTAIN

    lf = labeling_function(name="win")(functools.partial(lemma_is, word="win"))
    assert lf.uses_doc


# --- discovery ------------------------------------------------------------------------------


def test_discover_orders_by_file_then_line(tmp_path):
    write(tmp_path, "b_rules.py", """
        from labelwright import labeling_function

        @labeling_function()
        def zeta(item):
            return "ham"

        @labeling_function()
        def alpha(item):
            return "spam"
    """)
    write(tmp_path, "a_rules.py", """
        from labelwright import labeling_function

        @labeling_function()
        def omega(item):
            return item.doc
    """)
    write(tmp_path, "_helpers.py", """
        from labelwright import labeling_function
        raise RuntimeError("underscore files are never imported")
    """)
    write(tmp_path, "notes.txt", "not python")
    lfs = discover(tmp_path)
    assert [lf.name for lf in lfs] == ["omega", "zeta", "alpha"]
    assert lfs[0].file == str(tmp_path / "a_rules.py")
    assert [lf.line for lf in lfs[1:]] == [4, 8]
    assert lfs[0].location == f"{tmp_path / 'a_rules.py'}:4"
    assert [lf.uses_doc for lf in lfs] == [True, False, False]


def test_discover_counts_an_imported_lf_once(tmp_path):
    write(tmp_path, "rules.py", """
        from labelwright import labeling_function

        @labeling_function()
        def one(item):
            return "ham"

        alias = one
    """)
    assert [lf.name for lf in discover(tmp_path)] == ["one"]


def test_an_lf_imported_from_a_sibling_module_is_that_lf(tmp_path):
    """`from reviews import star` in another LF module was called two LFs of one name,
    both at reviews.py's line, with the hint to rename one."""
    write(tmp_path, "reviews.py", """
        from labelwright import labeling_function

        @labeling_function()
        def star(item):
            return "ham"
    """)
    write(tmp_path, "zz.py", "from reviews import star\n")
    write(tmp_path, "aa.py", "from reviews import star as renamed\n")
    lfs = discover(tmp_path)
    assert [lf.name for lf in lfs] == ["star"]
    assert lfs[0].location == f"{tmp_path / 'reviews.py'}:4"


def test_a_second_def_of_one_name_is_a_duplicate(tmp_path):
    """The second `def f` replaced the first in the module, which never voted; check
    said ok."""
    path = write(tmp_path, "rules.py", """
        from labelwright import labeling_function

        @labeling_function()
        def f(item):
            return "ham"

        @labeling_function()
        def f(item):
            return "spam"
    """)
    with pytest.raises(DuplicateLFError) as info:
        discover(tmp_path)
    assert (f"two labeling functions are named 'f': one made at {path}:4, kept nowhere (a "
            f"second one of the name replaced it), and the one kept, {path}:8") \
        in str(info.value)


def test_an_lf_named_id_is_an_error(tmp_path):
    """`name="id"` ran, and then label_matrix.parquet held two `id` columns: explain and
    report could not read the run."""
    path = write(tmp_path, "rules.py", """
        from labelwright import labeling_function

        @labeling_function(name="id")
        def has_number(item):
            return "spam" if any(c.isdigit() for c in item.text) else None
    """)
    with pytest.raises(LFError, match=f"{path}:4: a labeling function may not be named 'id'"):
        discover(tmp_path)
    from labelwright.matrix import LabelMatrix

    with pytest.raises(ValueError, match="no LF may be named 'id'"):
        LabelMatrix(np.zeros((1, 1), np.int8), ["id"], ["t1"], LABELS)


def test_lfs_made_by_a_factory_are_found_in_module_level_lists(tmp_path):
    """LFS = [make(...), ...] was skipped without a word: LFs bound to no name."""
    write(tmp_path, "rules.py", KEYWORD + """
LFS = [keyword("free", "spam"), keyword("meeting", "ham")]
BY_NAME = {"win": keyword("win", "spam")}
""")
    assert [lf.name for lf in discover(tmp_path)] == ["kw_free", "kw_meeting", "kw_win"]


def test_an_lf_made_and_dropped_is_an_error(tmp_path):
    path = write(tmp_path, "rules.py", KEYWORD + '\nkeyword("lost")\n')
    with pytest.raises(LFError, match=rf"{path}:5: labeling function 'kw_lost' is made but "
                                      "kept nowhere discovery looks"):
        discover(tmp_path)


def test_a_factory_making_two_lfs_of_one_name_is_a_duplicate(tmp_path):
    """Both share the inner function's file and line: taken for one LF imported twice,
    the second never voted."""
    write(tmp_path, "rules.py", """
        from labelwright import ABSTAIN, labeling_function

        def make(word, name):
            @labeling_function(name=name)
            def lf(item):
                return "spam" if word in item.text else ABSTAIN
            return lf

        refund = make("refund", "kw")
        crash = make("crash", "kw")
    """)
    with pytest.raises(DuplicateLFError, match="two labeling functions are named 'kw'"):
        discover(tmp_path)


def test_lfs_from_a_factory_in_another_module_and_in_nested_containers(tmp_path):
    write(tmp_path, "_kw.py", KEYWORD)
    write(tmp_path, "a_rules.py", """
        from _kw import keyword

        BY_LABEL = {"spam": [keyword("free", "spam"), keyword("win", "spam")],
                    "ham": (keyword("meeting", "ham"),)}
        WORDS = ["x"] * 50_000
    """)
    write(tmp_path, "b_rules.py", "from _kw import keyword\n\nlone = keyword('lunch', 'ham')\n")
    assert sorted(lf.name for lf in discover(tmp_path)) == [
        "kw_free", "kw_lunch", "kw_meeting", "kw_win"]


def test_lf_modules_that_import_each_other_or_through_a_package(tmp_path, monkeypatch):
    """A module imported while it was still loading (a imports b imports a), or through
    its package (labeling_functions.keywords), ran twice and was called a duplicate."""
    folder = tmp_path / "labeling_functions"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    for name, other in (("a", "b"), ("b", "a")):
        write(folder, f"{name}.py", f"""
            import {other}
            from labelwright import labeling_function

            @labeling_function()
            def lf_{name}(item):
                return "ham"
        """)
    write(folder, "zz.py", "from labeling_functions.a import lf_a\n")
    monkeypatch.syspath_prepend(str(tmp_path))  # the project root, as under pytest
    assert [lf.name for lf in discover(folder)] == ["lf_a", "lf_b"]


def test_a_symlinked_lf_folder_finds_each_lf_once(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    write(real, "a.py", """
        from labelwright import labeling_function

        @labeling_function()
        def lf_a(item):
            return "ham"
    """)
    write(real, "b.py", "from a import lf_a\n")
    (tmp_path / "link").symlink_to(real)
    assert [lf.name for lf in discover(tmp_path / "link")] == ["lf_a"]


def test_lfs_of_a_helper_module_are_the_helpers_to_keep(tmp_path):
    """_shared.py makes two LFs and billing.py imports one: the other is no LF of the
    project, and no error ('made but kept nowhere')."""
    write(tmp_path, "_shared.py", """
        from labelwright import labeling_function

        @labeling_function()
        def shared_refund(item):
            return "spam"

        @labeling_function()
        def shared_crash(item):
            return "ham"
    """)
    write(tmp_path, "billing.py", "from _shared import shared_refund\n")
    assert [lf.name for lf in discover(tmp_path)] == ["shared_refund"]


def test_where_discovery_looks_is_said_and_bounded(tmp_path):
    path = write(tmp_path, "rules.py", """
        from labelwright import labeling_function

        def make(word):
            @labeling_function(name=word)
            def lf(item):
                return "spam"
            return lf

        RULES = {"spam": {"strong": {"en": [make("deep")]}}}  # four levels down
    """)
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    assert f"{path}:5: labeling function 'deep' is made but kept nowhere discovery " \
           "looks" in str(info.value)
    assert "dicts, nested up to 3 levels" in str(info.value)


def test_data_beside_the_lfs_does_not_hide_them(tmp_path):
    """A per-module budget spent on a dict of synonym lists left the LF list after it
    unsearched: no LF, and no error."""
    write(tmp_path, "_kw.py", KEYWORD)
    write(tmp_path, "rules.py", """
        from _kw import keyword

        SYNONYMS = {f"word{i}": [f"syn{j}" for j in range(12)] for i in range(9000)}
        VECTORS = {f"w{i}": [0.0] * 1000 for i in range(2000)}
        LFS = [keyword(w, "spam") for w in ("free", "win", "prize")]
    """)
    assert [lf.name for lf in discover(tmp_path)] == ["kw_free", "kw_prize", "kw_win"]


def test_a_helper_factorys_lf_imported_by_a_second_module_is_one_lf(tmp_path):
    write(tmp_path, "_kw.py", KEYWORD)
    write(tmp_path, "a.py", "from _kw import keyword\n\nREFUND = keyword('refund', 'spam')\n")
    write(tmp_path, "b.py", "from a import REFUND\n")
    assert [lf.name for lf in discover(tmp_path)] == ["kw_refund"]


@pytest.mark.parametrize("second", [
    # another LF module calls a factory of the first with a name it already made
    "from keywords import keyword\n\nX = keyword('refund', 'ham')\n",
    # LFs of one name with no source of their own (partials)
    "from functools import partial\n\nfrom labelwright import labeling_function\n\n"
    "def kw(item, word):\n    return 'ham'\n\n"
    "P = labeling_function(name='kw_refund')(partial(kw, word='x'))\n",
    # one def in a loop, all of one name: only the last is kept
    "from labelwright import labeling_function\n\nKEPT = []\n"
    "for w in ('a', 'b'):\n    @labeling_function()\n    def kw_refund(item, w=w):\n"
    "        return 'ham'\n",
])
def test_different_lfs_of_one_name_are_duplicates(tmp_path, second):
    write(tmp_path, "keywords.py", KEYWORD + '\nREFUND = keyword("refund", "spam")\n')
    write(tmp_path, "other.py", second)
    with pytest.raises(DuplicateLFError, match="two labeling functions are named 'kw_refund'"):
        discover(tmp_path)


def test_an_lf_made_through_a_helper_factory_and_dropped_is_an_error(tmp_path):
    write(tmp_path, "_kw.py", KEYWORD)
    rules = write(tmp_path, "rules.py", "from _kw import keyword\n\nkeyword('invoice')\n")
    with pytest.raises(LFError, match=rf"'kw_invoice' is made \(by {rules}\) but kept nowhere"):
        discover(tmp_path)


def test_discover_missing_folder(tmp_path):
    with pytest.raises(LFError, match="no labeling_functions folder"):
        discover(tmp_path / "labeling_functions")


def test_duplicate_names_across_files(tmp_path):
    body = """
        from labelwright import labeling_function

        @labeling_function("same")
        def f(item):
            return "ham"
    """
    first = write(tmp_path, "a.py", body)
    second = write(tmp_path, "b.py", body)
    with pytest.raises(DuplicateLFError) as info:
        discover(tmp_path)
    message = str(info.value)
    assert "'same'" in message
    assert f"{first}:4" in message and f"{second}:4" in message


def test_syntax_error_names_file_and_line(tmp_path):
    path = write(tmp_path, "broken.py", """
        from labelwright import labeling_function

        @labeling_function()
        def f(item)
            return "ham"
    """)
    with pytest.raises(LFError, match=rf"{path}:5: syntax error"):
        discover(tmp_path)


def test_syntax_error_shows_its_line_and_where_on_it(tmp_path):
    """Only the file and line were named: the line itself and a caret say what is wrong."""
    write(tmp_path, "broken.py", """
        from labelwright import labeling_function

        @labeling_function()
        def f(item):
            if "fall" in item.text
                return "ham"
    """)
    with pytest.raises(LFError) as raised:
        discover(tmp_path)
    lines = str(raised.value).splitlines()
    at = next(i for i, line in enumerate(lines) if "broken.py:6: syntax error" in line)
    assert lines[at + 1] == '    if "fall" in item.text', lines
    assert lines[at + 2] == "    " + " " * len('if "fall" in item.text') + "^", lines


def test_import_error_names_file(tmp_path):
    path = write(tmp_path, "needs.py", """
        import labelwright
        import no_such_module_for_labelwright_tests
    """)
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    message = str(info.value)
    assert f"{path}:3" in message
    assert "ModuleNotFoundError" in message and "no_such_module_for_labelwright_tests" in message


def test_snorkels_spacy_preprocessor_without_its_pipeline_says_to_pass_it_language(tmp_path):
    """A module-level ``SpacyPreprocessor(...)`` loads en_core_web_sm too: the error named
    nlp_labeling_function, which the module does not use, and gave its call as the fix."""
    import spacy

    if spacy.util.is_package("en_core_web_sm"):
        pytest.skip("en_core_web_sm is installed: snorkel's default loads")
    path = write(tmp_path, "pre.py", """
        from snorkel.preprocess.nlp import SpacyPreprocessor

        spacy = SpacyPreprocessor(text_field="text", doc_field="doc")
    """)
    with pytest.raises(LFError) as raised:
        discover(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{path}:4: importing the module failed: OSError: [E050] ")
    assert "snorkel's SpacyPreprocessor loads the spaCy pipeline 'en_core_web_sm' (snorkel's " \
           "default when language= is not given)" in message
    assert "e.g. SpacyPreprocessor(text_field=..., doc_field=..., language='blank:en')" \
        in message and "nlp_labeling_function" not in message


def test_runtime_error_at_import_names_line(tmp_path):
    path = write(tmp_path, "boom.py", """
        x = 1
        y = x / 0
    """)
    with pytest.raises(LFError, match=rf"{path}:3: importing the module failed: ZeroDivisionError"):
        discover(tmp_path)


@pytest.mark.parametrize("given", ["", 'language="no_such_pipeline_for_labelwright"'])
def test_snorkels_nlp_lf_without_its_pipeline_says_to_pass_language(tmp_path, monkeypatch,
                                                                      given):
    """``@nlp_labeling_function()`` loads en_core_web_sm, a download: the import failed
    with spaCy's "Can't find model" and no word of snorkel's language=."""
    import spacy
    from snorkel.labeling.lf.nlp import NLPLabelingFunction

    if not given and spacy.util.is_package("en_core_web_sm"):
        pytest.skip("en_core_web_sm is installed: snorkel's default loads")
    # snorkel keeps one pipeline per process for its nlp LFs: start with none
    # (set first so that the teardown restores what was there, or nothing)
    monkeypatch.setattr(NLPLabelingFunction, "_nlp_config", None, raising=False)
    monkeypatch.delattr(NLPLabelingFunction, "_nlp_config")
    path = write(tmp_path, "nlp1.py", f"""
        from snorkel.labeling.lf.nlp import nlp_labeling_function


        @nlp_labeling_function({given})
        def url_token(x):
            return 1 if any(t.like_url for t in x.doc) else -1
    """)
    with pytest.raises(LFError) as raised:
        discover(tmp_path)
    message = str(raised.value)
    language = "en_core_web_sm" if not given else "no_such_pipeline_for_labelwright"
    assert message.startswith(f"{path}:5: importing the module failed: OSError: [E050] "
                              f"Can't find model '{language}'")
    assert (f"directory; snorkel's nlp_labeling_function loads the spaCy pipeline "
            f"{language!r}{' (snorkel' + chr(39) + 's default' if not given else ','}") \
        in message
    assert "pass language= an installed pipeline's name or folder, or 'blank:en'" in message
    assert f"python -m spacy download {language})" in message


# --- vote codes -----------------------------------------------------------------------------


@labeling_function()
def some_lf(item):
    return ABSTAIN


@pytest.mark.parametrize(("value", "code"), [
    ("ham", 0), ("spam", 1), (0, 0), (1, 1), (np.int64(1), 1), (np.int8(0), 0),
    (np.int32(-1), -1), (None, -1), (-1, -1), (ABSTAIN, -1), (np.str_("spam"), 1),
])
def test_vote_codes(value, code):
    assert VoteCoder(LABELS).code(value, some_lf, "item-7") == code


@pytest.mark.parametrize("value", [True, False, "eggs", 2, -2, 1.0, 0.5, np.float64(1.0), [1],
                                   np.bool_(True)])
def test_bad_votes_name_lf_item_and_value(value):
    with pytest.raises(LFError) as info:
        VoteCoder(LABELS).code(value, some_lf, "item-7")
    message = str(info.value)
    assert "'some_lf'" in message
    assert "'item-7'" in message
    assert f"returned {value!r}" in message
    assert "'ham', 'spam'" in message and "0..1" in message


def test_an_int_that_is_an_index_and_another_labels_name_is_ambiguous():
    """Labels ["1", "2", "3"]: an LF's 1 was read as index 1 ("2") while a gold 1 in JSONL
    is the label "1", so accuracy collapsed without a word."""
    coder = VoteCoder(("1", "2", "3"))
    for value in (1, np.int64(2)):
        with pytest.raises(LFError) as info:
            coder.code(value, some_lf, "item-7")
        message = str(info.value)
        assert f"'some_lf' ({some_lf.location}) returned {value!r} for item 'item-7'" \
            in message
        assert "ambiguous" in message and "return the label as a string" in message
    assert "as an index it is label '2', as a name label '1' (index 0)" in str(
        pytest.raises(LFError, coder.code, 1, some_lf, "x").value)
    assert [coder.code(v, some_lf, "x") for v in (0, "1", "2", "3", None)] == [0, 0, 1, 2, -1]
    with pytest.raises(LFError, match=r"returned 3 .* not a label \(to vote the label '3', "
                                      r"return it as a string\).* an index 0..2 \(but 1, 2, "
                                      r"which name other labels as well\)"):
        coder.code(3, some_lf, "x")


def test_a_label_in_another_unicode_form_is_a_vote():
    """An LF returning "café" decomposed (from a data file, say) was "not a label", with
    'café' listed as valid."""
    import unicodedata

    composed, decomposed = (unicodedata.normalize(f, "café") for f in ("NFC", "NFD"))
    coder = VoteCoder(("tea", composed))
    assert coder.code(decomposed, some_lf, "x") == 1
    assert coder.code(decomposed, some_lf, "y") == 1  # from the table now


def test_an_int_whose_index_and_name_agree_is_a_vote():
    coder = VoteCoder(("0", "1", "maybe"))
    assert [coder.code(v, some_lf, "x") for v in (0, 1, 2, "0", "1")] == [0, 1, 2, 0, 1]


# --- snorkel LFs run unchanged --------------------------------------------------------------

SNORKEL_MODULE = """
import re

from snorkel.labeling import labeling_function
from snorkel.preprocess import preprocessor

HAM, SPAM, ABSTAIN = 0, 1, -1


@preprocessor(memoize=False)
def lowercase(x):
    x.lowered = x.text.lower()
    return x


@labeling_function()
def keyword_free(x):
    return SPAM if "free" in x.text.lower() else ABSTAIN


@labeling_function(pre=[lowercase])
def keyword_win(x):
    return SPAM if "win" in x.lowered else ABSTAIN


@labeling_function()
def short_message(x):
    return HAM if len(x.text.split()) < 4 else ABSTAIN


@labeling_function(resources={"pattern": re.compile(r"\\d{5,}")})
def long_number(x, pattern):
    return SPAM if pattern.search(x.text) else ABSTAIN
"""

SMS = ["FREE entry: text WIN to 87121 now", "ok see you", "Win a prize, call 0800123456",
       "I will call you later tonight after work", "free tonight?"]


def test_snorkel_lfs_match_snorkel_applier(tmp_path, nlp):
    from snorkel.labeling import PandasLFApplier

    write(tmp_path, "sms.py", SNORKEL_MODULE)
    lfs = discover(tmp_path)
    assert [lf.name for lf in lfs] == ["keyword_free", "keyword_win", "short_message",
                                       "long_number"]
    assert {lf.kind for lf in lfs} == {"snorkel"}

    frame = pd.DataFrame({"id": [f"m{i}" for i in range(len(SMS))], "text": SMS})
    ours = Applier(lfs, LABELS, nlp=nlp).apply(
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS))
    assert ours.failures == {}

    module = next(m for name, m in __import__("sys").modules.items()
                  if name.startswith("labelwright_lfs.sms_") and hasattr(m, "keyword_free"))
    snorkel_lfs = [module.keyword_free, module.keyword_win, module.short_message,
                   module.long_number]
    expected = PandasLFApplier(snorkel_lfs).apply(frame, progress_bar=False)
    np.testing.assert_array_equal(ours.matrix.votes, expected)
    assert ours.matrix.votes.tolist() == [[1, 1, -1, 1], [-1, -1, 0, -1], [-1, 1, -1, 1],
                                          [-1, -1, -1, -1], [1, -1, 0, -1]]


MEMO_MODULE = """
from snorkel.labeling import labeling_function
from snorkel.preprocess import preprocessor

CALLS = []


@preprocessor(memoize=True)
def words(x):
    CALLS.append(x.id)
    x.words = x.text.lower().split()
    return x


@labeling_function(pre=[words])
def says_win(x):
    return 1 if "win" in x.words else -1


@labeling_function(pre=[words])
def is_short(x):
    return 0 if len(x.words) < 4 else -1
"""


def test_a_memoized_snorkel_preprocessor_runs_once_per_item_and_keeps_nothing(tmp_path, nlp):
    """Snorkel keys its memo by the item, which hashes by identity: each apply's items were
    new keys, and a session's memo grew by a copy of every item at every apply."""
    write(tmp_path, "memo.py", MEMO_MODULE)
    lfs = discover(tmp_path)
    (module,) = [m for name, m in __import__("sys").modules.items()
                 if name.startswith("labelwright_lfs.memo_") and hasattr(m, "CALLS")]
    frame = pd.DataFrame({"id": [f"m{i}" for i in range(len(SMS))], "text": SMS})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    applier = Applier(lfs, LABELS, nlp=nlp)
    for applied in range(1, 3):
        votes = applier.apply(data)
        assert votes.failures == {}
        assert votes.matrix.votes.tolist() == [[1, -1], [-1, 0], [1, -1], [-1, -1], [-1, 0]]
        # two LFs share it: one call per item (a hit for the second LF), none kept after
        assert module.CALLS == [f"m{i}" for i in range(len(SMS))] * applied
        assert len(module.words._cache) == 0


def test_snorkel_preprocessor_hash_in_source_hash(tmp_path):
    write(tmp_path, "sms.py", SNORKEL_MODULE)
    first = {lf.name: lf.source_hash for lf in discover(tmp_path)}
    write(tmp_path, "sms.py", SNORKEL_MODULE.replace("x.text.lower()\n    return x",
                                                     "x.text.upper().lower()\n    return x"))
    second = {lf.name: lf.source_hash for lf in discover(tmp_path)}
    assert first["keyword_win"] != second["keyword_win"]
    assert first["keyword_free"] == second["keyword_free"]


@pytest.mark.parametrize("doc", ["yes", 1])
def test_doc_is_true_false_or_left_out(doc):
    with pytest.raises(LFError, match=r"test_lfs.py:\d+: labeling_function\(doc="):
        @labeling_function(doc=doc)
        def reader(item):
            return ABSTAIN


@pytest.mark.parametrize("name", ["", "   "])
def test_an_lf_name_must_not_be_empty(name):
    with pytest.raises(LFError, match=r"test_lfs.py:\d+: labeling_function\(name="):
        @labeling_function(name=name)
        def nameless(item):
            return ABSTAIN


def test_lf_modules_import_helper_modules_beside_them(tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "path", list(sys.path))  # leave the test process as it was
    folder = tmp_path / "labeling_functions"
    folder.mkdir()
    (folder / "_vocab_for_lfs_test.py").write_text('REFUND_WORDS = ("refund", "money back")\n')
    (folder / "money.py").write_text(textwrap.dedent('''
        from _vocab_for_lfs_test import REFUND_WORDS

        from labelwright import ABSTAIN, labeling_function


        @labeling_function()
        def refund(item):
            return "billing" if any(w in item.text for w in REFUND_WORDS) else ABSTAIN
        '''))
    (lf,) = discover(folder)
    assert lf.name == "refund"
    monkeypatch.delitem(sys.modules, "_vocab_for_lfs_test")


def test_a_process_that_loads_lfs_again_reads_edited_helpers_and_its_own(tmp_path):
    """A Dask worker serving run after run kept an edited helper's old code (786 votes
    where 1,019 were due, cached under the new key), and gave a second project with a
    helper of the same name the first project's."""
    import time

    first, second = tmp_path / "a", tmp_path / "b"
    for folder, word in ((first, "refund"), (second, "password")):
        folder.mkdir()
        write(folder, "_words.py", f'WORD = "{word}"\n')
        write(folder, "rules.py", """
            from labelwright import labeling_function
            from _words import WORD

            @labeling_function()
            def has_word(item):
                return WORD
        """)
    (lf,) = discover(first)
    assert lf.func(None) == "refund"
    time.sleep(0.01)  # a new mtime, as an edit gives
    write(first, "_words.py", 'WORD = "crash"\n')
    (lf,) = discover(first)
    assert lf.func(None) == "crash"
    (lf,) = discover(second)
    assert lf.func(None) == "password"


def test_threads_discovering_at_once_each_get_the_lfs(tmp_path):
    """Discovery changes sys.modules, sys.path and sys.meta_path, and records the LFs made
    while it imports: two threads loading a project at once failed 14 times in 30 (a
    KeyError dropping a helper the other thread had dropped, a duplicate LF that was the
    other thread's copy)."""
    import threading

    folder = tmp_path / "labeling_functions"
    write(folder, "_words.py", 'WORDS = ["refund", "charge"]\n')
    write(folder, "_kw.py", KEYWORD)
    for name in ("billing", "more"):
        write(folder, f"{name}.py", f"""
            from _kw import keyword
            from _words import WORDS

            LFS = [keyword(w + "_{name}") for w in WORDS]
        """)
    failed: list[BaseException] = []
    names: list[list[str]] = []

    def load() -> None:
        try:
            names.append([lf.name for lf in discover(folder)])
        except BaseException as exc:  # noqa: BLE001 (any of them is the failure)
            failed.append(exc)

    for _ in range(10):
        threads = [threading.Thread(target=load) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failed == []
    assert len(names) == 30 and all(n == names[0] for n in names) and len(names[0]) == 4


def test_refreshing_helpers_leaves_modules_imported_through_other_paths(tmp_path, monkeypatch):
    """An LF folder that is the project folder may hold a virtualenv or a source tree;
    their modules (numpy, labelwright itself) must not be dropped from sys.modules."""
    import sys
    import types

    from labelwright.lfs.folder_imports import forget_folder_modules

    fake = types.ModuleType("somelib")
    fake.__file__ = str(tmp_path / ".venv" / "lib" / "site-packages" / "somelib" / "__init__.py")
    helper = types.ModuleType("_words")
    helper.__file__ = str(tmp_path / "_words.py")
    monkeypatch.setitem(sys.modules, "somelib", fake)
    monkeypatch.setitem(sys.modules, "_words", helper)
    forget_folder_modules({str(tmp_path)})
    assert sys.modules.get("somelib") is fake and "_words" not in sys.modules


def test_discover_is_still_importable_from_lfs():
    """Scripts imported it from labelwright.lfs before it had a module of its own."""
    import labelwright.lfs as lfs
    from labelwright.lfs import discovery

    assert lfs.discover is discovery.discover


def test_rediscovery_of_an_lf_package_reads_edits_and_finds_each_lf_once(tmp_path,
                                                                         monkeypatch):
    """Imported through its package (`from labeling_functions import a`, or before any
    discovery `import labeling_functions.keywords`), an LF module was cached on the package
    or under its dotted name: a second discovery saw the old module and a duplicate."""
    import importlib

    folder = tmp_path / "labeling_functions"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    body = """
        from labelwright import labeling_function

        @labeling_function()
        def lf_a(item):
            return {!r}
    """
    write(folder, "a.py", body.format("ham"))
    write(folder, "b.py", """
        from labeling_functions import a
        from labelwright import labeling_function

        ALL = [a.lf_a]

        @labeling_function()
        def lf_b(item):
            return "spam"
    """)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("labeling_functions.a")  # e.g. a unit test of the LF
    assert [lf.name for lf in discover(folder)] == ["lf_a", "lf_b"]
    write(folder, "a.py", body.format("spam"))
    lfs = discover(folder)
    assert [lf.name for lf in lfs] == ["lf_a", "lf_b"]
    assert lfs[0](None) == "spam"  # the edited code


def test_a_module_whose_import_failed_fails_discovery_even_if_caught(tmp_path):
    """a.py caught b.py's import error; discovery then used b half-run, without its
    second LF and without a word."""
    write(tmp_path, "a.py", "try:\n    import b\nexcept Exception:\n    pass\n")
    write(tmp_path, "b.py", """
        from labelwright import labeling_function

        @labeling_function()
        def lf_b(item):
            return "ham"

        import not_an_installed_package
    """)
    with pytest.raises(LFError, match=r"b\.py:8: importing the module failed: "
                                      "ModuleNotFoundError"):
        discover(tmp_path)


def test_a_builtin_module_wins_over_an_lf_file_of_its_name(tmp_path, monkeypatch):
    """pwd.py in the LF folder answered `import pwd` during discovery, and kept answering
    it afterwards (os.path.expanduser failed for the rest of the process)."""
    import sys as system

    monkeypatch.delitem(system.modules, "xxsubtype", raising=False)  # import it afresh
    write(tmp_path, "xxsubtype.py", "X = 1\n")
    write(tmp_path, "rules.py", """
        import xxsubtype

        from labelwright import labeling_function

        BUILTIN = not hasattr(xxsubtype, "X")

        @labeling_function()
        def lf(item):
            return "ham"
    """)
    (lf,) = discover(tmp_path)
    assert lf.func.__globals__["BUILTIN"]


def test_a_circular_import_is_named_so_with_the_files_involved(tmp_path):
    """The error had said "cannot import name 'x' from 'labelwright_lfs.a_<hash>'", an
    internal name, with the failing module's error wrapped inside its importer's."""
    write(tmp_path, "a.py", """
        from b import helper

        x = 1
    """)
    write(tmp_path, "b.py", "from a import x\n\n\ndef helper():\n    return x\n")
    with pytest.raises(LFError) as caught:
        discover(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'b.py'}:1: importing the module failed: ImportError")
    assert "partially initialized module 'a' (most likely due to a circular import)" in message
    assert message.endswith(f"(imported by {tmp_path / 'a.py'}:2)")
    assert "labelwright_lfs" not in message and message.count("importing the module") == 1


def test_an_error_in_a_helper_module_names_the_helper_line(tmp_path):
    write(tmp_path, "_words.py", "STOP = {'a'}\nBAD = {}['k']\n")
    write(tmp_path, "rules.py", "import _words\n")
    with pytest.raises(LFError, match=r"rules\.py:1: importing the module failed: KeyError: "
                                      r"'k' \(raised at .*_words\.py:2\)$"):
        discover(tmp_path)


def test_an_item_is_read_only_for_the_lfs_that_share_it(make_project):
    """An LF that lowered item.text changed what every LF after it saw, so votes depended
    on LF order and on which columns the vote cache recomputed."""
    from labelwright import run_project

    lfs = {"a_clean": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def a_lowers(item):
    item.text = item.text.lower()
    return ABSTAIN


@labeling_function()
def b_sets_a_field(item):
    item.fields["plan"] = "free"
    return ABSTAIN
''', "b_shout": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def shouting(item):
    return "technical" if any(w.isupper() and len(w) > 2 for w in item.text.split()) else ABSTAIN
'''}
    root = make_project(lfs=lfs, rows=[
        {"id": "r1", "text": "App CRASHED again", "plan": "pro", "gold": "technical"},
        {"id": "r2", "text": "refund please", "plan": "pro", "gold": "billing"}])
    result = run_project(root)
    failures = result.applied.failures
    assert failures["a_lowers"].count == 2 and failures["b_sets_a_field"].count == 2
    assert "item 'r1' is read-only" in failures["a_lowers"].traceback
    assert result.applied.matrix.column("shouting").tolist()[0] >= 0



def test_read_only_fields_are_still_a_dict_to_read_and_copy():
    """As a mappingproxy they broke json.dumps, deepcopy and isinstance(fields, dict)."""
    import copy
    import json
    import pickle

    from labelwright.lfs.item import Item

    item = Item("a", "x", {"plan": "pro", "tags": [1]})
    item.freeze()
    assert isinstance(item.fields, dict) and json.loads(json.dumps(item.fields))["plan"] == "pro"
    for twin in (copy.copy(item.fields), copy.deepcopy(item.fields),
                 pickle.loads(pickle.dumps(item.fields))):
        twin["plan"] = "free"  # a copy is the LF's own
    with pytest.raises(TypeError, match="the fields of item 'a' are read-only"):
        item.fields["plan"] = "free"
    with pytest.raises(TypeError, match="read-only"):
        item.fields.update(plan="free")
    assert item.fields == {"plan": "pro", "tags": [1]}
    assert item.fields.fromkeys(["a"], 0) == {"a": 0}


def test_a_bad_decorator_argument_is_not_reported_as_an_import_by_its_own_file(tmp_path):
    """It said "... (imported by b.py:2)", naming the module as its own importer."""
    write(tmp_path, "b.py", """
        from labelwright import labeling_function

        @labeling_function(name="")
        def f(item):
            return None
    """)
    with pytest.raises(LFError) as caught:
        discover(tmp_path)
    message = str(caught.value)
    assert "imported by" not in message and message.count(str(tmp_path / "b.py")) == 1
    assert "labeling_function(name='')" in message


def test_lfs_made_from_partials_and_callable_objects_know_where_their_code_is(tmp_path):
    """Their errors named "<unknown>:0"; a partial without name= raised AttributeError."""
    write(tmp_path, "made.py", """
        from functools import partial

        from labelwright import labeling_function


        def keyword(item, word):
            return "ham" if word in item.text else None


        class Contains:
            def __call__(self, item):
                return None


        by_partial = labeling_function(name="has_free")(partial(keyword, word="free"))
        by_object = labeling_function(name="contains")(Contains())
    """)
    lfs = {lf.name: lf for lf in discover(tmp_path)}
    assert (lfs["has_free"].file, lfs["has_free"].line) == (str(tmp_path / "made.py"), 7)
    assert (lfs["contains"].file, lfs["contains"].line) == (str(tmp_path / "made.py"), 12)
    write(tmp_path, "made.py", """
        from functools import partial

        from labelwright import labeling_function


        def keyword(item, word):
            return None


        nameless = labeling_function()(partial(keyword, word="free"))
    """)
    with pytest.raises(LFError, match=r"made.py:7: labeling_function: functools.partial.* has "
                                      r"no __name__ .*name it: labeling_function\(name=...\)"):
        discover(tmp_path)


def test_subclasses_of_snorkels_labeling_function_are_found(tmp_path):
    """A `class KeywordLF(LabelingFunction)` of snorkel's (and snorkel's own
    NLPLabelingFunction) was passed over without a word: check said '1 labeling functions'
    and the run had no column for it."""
    write(tmp_path, "kw.py", """
        from snorkel.labeling import LabelingFunction


        def _has(x, word, label):
            return label if word in x.text else -1


        class KeywordLF(LabelingFunction):
            def __init__(self, word, label):
                super().__init__(f"kw_{word}", f=_has, resources={"word": word, "label": label})


        kw_meh = KeywordLF("meh", 1)
        """)
    (lf,) = discover(tmp_path)
    assert (lf.name, lf.kind) == ("kw_meh", "snorkel")
    from snorkel.labeling.lf.nlp import NLPLabelingFunction

    from labelwright.lfs.core import is_snorkel_class

    assert is_snorkel_class(NLPLabelingFunction)


def test_every_lf_module_that_fails_to_import_is_named_at_once(tmp_path):
    """discover stopped at the first module that failed: check named one problem, and each
    fix only showed the next."""
    write(tmp_path, "a_syntax.py", "def broken(:\n    pass\n")
    write(tmp_path, "b_import.py", "import no_such_module_here\n")
    write(tmp_path, "c_key.py", "WORDS = {}\nFIRST = WORDS['k']\n")
    write(tmp_path, "d_good.py", """
        from labelwright import ABSTAIN, labeling_function


        @labeling_function()
        def fine(item):
            return ABSTAIN
        """)
    with pytest.raises(LFError) as info:
        discover(tmp_path)
    message = str(info.value)
    assert "a_syntax.py:1: syntax error" in message
    assert "b_import.py:1: importing the module failed: ModuleNotFoundError" in message
    assert "c_key.py:2: importing the module failed: KeyError" in message


def test_an_lf_wrapped_with_functools_wraps_is_where_it_is_written(tmp_path):
    """Every LF of a decorator made with functools.wraps was placed at the decorator's
    wrapper, in a helper module: errors, tables and the manifest named _deco.py:4."""
    write(tmp_path, "_deco.py", """
        import functools


        def skip_empty(func):
            @functools.wraps(func)
            def wrapper(item):
                return func(item) if item.text else -1
            return wrapper
        """)
    write(tmp_path, "w.py", """
        from labelwright import ABSTAIN, labeling_function
        from _deco import skip_empty


        @labeling_function()
        @skip_empty
        def wrapped(item):
            return ABSTAIN
        """)
    (lf,) = discover(tmp_path)
    assert lf.location.endswith("w.py:6")


def test_a_name_two_modules_give_one_factory_names_where_each_was_made(tmp_path):
    """'two labeling functions are named 'kw_bad': fac.py:4 and fac.py:4' did not say
    that the second came from other.py."""
    write(tmp_path, "fac.py", """
        from labelwright import ABSTAIN, labeling_function


        def keyword(word):
            @labeling_function(name=f"kw_{word}")
            def lf(item):
                return "billing" if word in item.text else ABSTAIN
            return lf


        KW = [keyword("bad")]
        """)
    write(tmp_path, "other.py", 'from fac import keyword\n\nMORE = [keyword("bad")]\n')
    with pytest.raises(DuplicateLFError, match=r"fac\.py:6 \(made at .*fac\.py:12\) and "
                                               r".*fac\.py:6 \(made at .*other\.py:3\)"):
        discover(tmp_path)


def test_a_name_one_factory_gives_twice_in_one_module_names_the_lines_that_made_them(
        tmp_path):
    """``keyword_my2 = make_keyword_lf(keywords=["my", "mine"])`` beside ``keyword_my``
    said "named 'keyword_my': spam_lfs.py:14 and spam_lfs.py:14", the factory's line
    twice, for snorkel's factories and labelwright's."""
    path = write(tmp_path, "kw.py", """
        from snorkel.labeling import LabelingFunction
        from labelwright import ABSTAIN, labeling_function


        def lookup(x, keywords):
            return 1 if any(w in x.text for w in keywords) else -1


        def make_keyword_lf(keywords):
            return LabelingFunction(name=f"keyword_{keywords[0]}", f=lookup,
                                    resources=dict(keywords=keywords))


        def keyword(*words):
            @labeling_function(name=f"kw_{words[0]}")
            def lf(item):
                return "spam" if any(w in item.text for w in words) else ABSTAIN
            return lf


        keyword_my = make_keyword_lf(keywords=["my"])
        keyword_my2 = make_keyword_lf(keywords=["my", "mine"])
        LFS = [keyword("my"),
               keyword("my", "mine")]
        """)
    with pytest.raises(DuplicateLFError) as raised:
        discover(tmp_path)
    assert raised.value.errors == (
        f"two labeling functions are named 'keyword_my': {path}:6 (made at {path}:22) and "
        f"{path}:6 (made at {path}:23); rename one (names must be unique in a project)",
        f"two labeling functions are named 'kw_my': {path}:16 (made at {path}:24) and "
        f"{path}:16 (made at {path}:25); rename one (names must be unique in a project)")


def test_a_snorkel_preprocessors_copy_keeps_parse_and_matches_without_the_pipeline(tmp_path,
                                                                                  nlp):
    """snorkel's preprocessors pickle the item: the copy carried the whole spaCy pipeline
    (about 0.1 s per item) and had every item parsed and matched, read or not."""
    import pickle

    from labelwright.glossaries.core import Glossary, Term
    from labelwright.lfs.item import Item, ProcessLocal

    parsed = []
    item = Item("m1", "Win a prize now", parse=ProcessLocal(lambda t: parsed.append(t) or nlp(t)),
                match=ProcessLocal(lambda doc, text: [text]))
    data = pickle.dumps(item)
    assert len(data) < 2_000 and parsed == []  # a key, not a pipeline, and nothing parsed
    copy = pickle.loads(data)
    assert [t.text for t in copy.doc] == ["Win", "a", "prize", "now"]
    assert copy.all_matches == ["Win a prize now"] and parsed == ["Win a prize now"]
    write(tmp_path, "sms.py", SNORKEL_MODULE)
    glossary = Glossary(name="g", label="spam", mode="lowercase", terms=(Term("prize"),),
                        exclusions=(), window=3)
    frame = pd.DataFrame({"id": [f"m{i}" for i in range(len(SMS))], "text": SMS})
    votes = Applier(discover(tmp_path), LABELS, nlp=nlp, glossaries=[glossary]).apply(
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS))
    assert votes.failures == {} and votes.matrix.votes[:, 1].tolist() == [1, -1, 1, -1, -1]


def test_a_copy_of_an_item_already_parsed_shares_its_doc_instead_of_pickling_it(nlp):
    """Once a glossary or another LF had parsed the item, every snorkel preprocessor copy
    pickled the Doc with the pipeline's vocabulary: 0.6 MB and ~0.1 s per item (a
    500-item project took 52 s instead of 4)."""
    import pickle

    from labelwright.lfs.item import Item, ProcessLocal

    parsed = []
    item = Item("m1", "Win a prize now", parse=ProcessLocal(lambda t: parsed.append(t) or nlp(t)))
    doc = item.doc
    data = pickle.dumps(item)
    assert len(data) < 2_000
    copy = pickle.loads(data)
    assert copy.doc is doc and parsed == ["Win a prize now"]  # shared, not parsed again
    copy.text = "changed"  # the copy stays the LF's own
    assert item.text == "Win a prize now"
    again = pickle.loads(pickle.dumps(copy))  # a copy of a copy
    assert again.doc is doc and again.text == "changed"


def test_an_item_answers_the_pandas_row_idioms_of_snorkel_lfs():
    """``"author" in x`` fell back to x[0], x[1] ... and failed with a bare KeyError: 0;
    ``x.get("author", default)`` failed "item has no field 'get'"."""
    item = Item("m1", "check out my channel", fields={"author": "bob", "date": None})
    assert "author" in item and "text" in item and "id" in item
    assert "year" not in item and 0 not in item and ["author"] not in item
    assert item.get("author") == "bob" and item.get("year") is None
    assert item.get("year", "unknown") == "unknown"
    assert item.get("date", "unknown") is None  # there, its value missing
    assert item.get("text") == "check out my channel"
    item.freeze()  # as in a run: its fields are read-only, read alike
    assert "author" in item and item.get("author") == "bob"
    with pytest.raises(TypeError, match=r"an item is not iterable \(a pandas row gives its "
                                        r"values\): read its fields by name, id, text, "
                                        r"author, date"):
        list(item)
    with pytest.raises(KeyError, match=r"item 'm1' has no field 0 \(an item is read by "
                                       r"field name, not by position\); available: id, text"):
        item[0]
    with pytest.raises(KeyError, match=r"has no field 'auther'; did you mean 'author'\?"):
        item["auther"]
    with pytest.raises(AttributeError, match=r"has no field 'name'; item.id is the row's id"):
        _ = item.name
    assert Item("m2", "t", fields={"name": "Ann"}).name == "Ann"  # a column named name
    # a column named get is read as item["get"], and the check names it (its method wins)
    assert Item.shadowed(["get", "author"]) == ["get"]
    assert Item("m3", "t", fields={"get": 1})["get"] == 1


def test_an_item_without_a_pipeline_says_so_instead_of_naming_a_missing_field():
    """``doc`` and ``matches`` are properties: their AttributeError sent Python to the field
    lookup, which answered "has no field 'doc'" although ``doc`` is listed as available."""
    item = Item("7", "hello", fields={"plan": "pro"}, match=lambda doc, text: [])
    for name in ("doc", "matches", "all_matches"):
        with pytest.raises(AttributeError, match="no Doc: no spaCy pipeline was given"):
            getattr(item, name)
    assert not hasattr(item, "doc")  # hasattr still works
    assert item.plan == "pro"
    with pytest.raises(AttributeError, match="has no field 'tier'; available: id, text"):
        _ = item.tier
    # an AttributeError from inside the parse is raised once, as it was, not parsed again
    calls = []

    def broken(text):
        calls.append(text)
        raise AttributeError("'NoneType' object has no attribute 'vector'")

    for name in ("doc", "matches", "all_matches"):
        calls.clear()
        with pytest.raises(AttributeError, match="no attribute 'vector'"):
            getattr(Item("8", "hi", parse=broken, match=lambda doc, text: []), name)
        assert len(calls) == 1, name


def test_the_fields_available_name_a_column_named_doc_once_as_read():
    """A data column named doc made the list say doc twice ("available: id, text, doc,
    matches, plan, doc"): item.doc is the Doc, the column is item.fields['doc']."""
    item = Item("7", "hello", fields={"plan": "pro", "doc": "d-1"})
    with pytest.raises(AttributeError) as info:
        _ = item.tier
    assert str(info.value).endswith(
        "available: id, text, doc, matches, plan, fields['doc']"), str(info.value)


SETS_THE_TEXT = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def lowers(item):
    item.text = item.text.lower()
    return ABSTAIN


@labeling_function()
def sets_a_field(item):
    item.fields["plan"] = "free"
    return ABSTAIN
'''


def test_check_keeps_the_advice_of_the_read_only_error(make_project):
    """check cuts a failure's message after 200 characters: the advice came last and was
    cut mid-parenthesis ("keep the value in a variable instead (e.g. text = item.text
    ...")."""
    from labelwright import check_project

    problems = check_project(make_project(lfs={"lf": SETS_THE_TEXT})).problems
    [lowers] = [p for p in problems if p.startswith("LF lowers (")]
    assert "is read-only: keep the value in a variable instead (e.g. text = " \
           "item.text.lower())" in lowers, lowers
    [fields] = [p for p in problems if p.startswith("LF sets_a_field (")]
    assert "are read-only: copy them first (fields = dict(item.fields))" in fields, fields


@pytest.mark.parametrize(("keyword", "said"), [
    ("f", "labelwright's LabelingFunction takes the function as func= (snorkel's takes f=)"),
    ("pre", "labelwright's LabelingFunction takes no preprocessors: make it with snorkel's"),
])
def test_snorkels_keywords_for_labelwrights_labeling_function_name_the_right_one(keyword,
                                                                                  said):
    """LabelingFunction(name=..., f=...), snorkel's spelling, said only that 'f' was
    unexpected."""
    with pytest.raises(TypeError, match=rf"^LabelingFunction\(\) got an unexpected keyword "
                                        rf"argument '{keyword}': "):
        LabelingFunction(name="x", func=len, **{keyword: len})
    with pytest.raises(TypeError) as caught:
        LabelingFunction(name="x", **{keyword: len})
    assert said in str(caught.value)
    lf = LabelingFunction(name="x", func=lambda item: len(item.text))  # the right call works
    assert lf.name == "x" and lf(Item("1", "abc")) == 3
