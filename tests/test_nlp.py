import re

import pytest

from labelwright.config import NLPConfig
from labelwright.errors import ConfigError
from labelwright.nlp import (
    LemmaKeys,
    caseless,
    load_pipeline,
    parse,
    pipeline_description,
    pipeline_fingerprint,
    sharp_s_readings,
)


def test_default_pipeline_is_blank_with_lookup_lemmatizer(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["labelwright_lookup_lemmas"]
    # spaCy's lemmatizer supplies the tables; its per-token loop is not run
    assert nlp.disabled == ["lemmatizer"]
    assert nlp.get_pipe("lemmatizer").mode == "lookup"


def test_lookup_lemmas_match_spacys_lemmatizer_plus_case_folding(nlp):
    """The one-pass component gives the lemmas of spaCy's lemmatizer + the case fold."""
    import spacy

    reference = spacy.blank("en")
    reference.add_pipe("lemmatizer", config={"mode": "lookup"})
    reference.add_pipe("labelwright_case_fold_lemmas")
    reference.initialize()
    texts = [
        "Refunded refunds Refunds were charged", "The MICE ran; mice were running!",
        "I'm NOT happy w/ the Invoices... cancelled, Cancelled, CANCELLED", "",
        "Zorblax zorblax 12,000 $5.99 e-mail E-Mails https://x.io/a?b=1 :-)",
        "   leading spaces and\ttabs\nnewlines", "Geese Went Better Best Worse",
        "café Café naïve Naïve Ünïcödé", "US us Us THE The the",
    ]
    expected = [[t.lemma_ for t in doc] for doc in reference.pipe(texts)]
    got = [[t.lemma_ for t in doc] for doc in nlp.pipe(texts)]
    # beyond the case fold: a capitalised word that is itself a dictionary form ("NOT",
    # "Café": the table lists them as lemmas, not as words) is that form
    assert [(doc, i, e) for doc, (gs, es) in enumerate(zip(got, expected))
            for i, (g, e) in enumerate(zip(gs, es)) if g != e] == [
        (2, 2, "NOT"), (7, 1, "Café"), (7, 3, "Naïve")]
    assert (got[2][2], got[7][1], got[7][3]) == ("not", "café", "naïve")
    assert expected[0] == ["refund", "refund", "refund", "be", "charge"]


def test_a_capitalised_or_shouted_dictionary_form_is_its_own_lemma_in_lowercase(nlp):
    """"Crash ..." opening a sentence kept the lemma "Crash" (the table lists inflected
    forms, "crashing" -> "crash", not the base form), so an LF testing `"crash" in
    lemmas` missed it; a name the table does not know keeps its case, and German nouns
    stay capitalised."""
    doc = nlp("Crash on start. ERROR again, Refund it. Upgrade Paris I Zorblax")
    assert [t.lemma_ for t in doc] == ["crash", "on", "start", ".", "error", "again", ",",
                                       "refund", "it", ".", "upgrade", "Paris", "I",
                                       "Zorblax"]
    german = load_pipeline(NLPConfig(lang="de"))
    assert [t.lemma_ for t in german("Essen Garten GÄRTEN Gegessen")] == [
        "Essen", "Garten", "Garten", "essen"]


def test_lemmas_and_case_folding(nlp):
    doc = nlp("Refunded refunds Refunds were charged")
    assert [t.lemma_ for t in doc] == ["refund", "refund", "refund", "be", "charge"]


def test_unknown_words_keep_their_form(nlp):
    doc = nlp("Zorblax zorblax")
    assert [t.lemma_ for t in doc] == ["Zorblax", "zorblax"]


def test_lemma_keys_are_caseless_lemmas(nlp):
    keys = LemmaKeys(nlp)
    assert keys.keys(nlp("Refunds CHARGED Zorblax")) == ["refund", "charge", "zorblax"]


def test_lemma_keys_key_each_word_form_once_and_by_its_lemma_in_context(nlp, monkeypatch):
    """Keys are remembered per (lemma, text, lowercase): a form repeated across Docs is
    keyed once, and the same text with another lemma (a pipeline that lemmatizes by
    context, "saw" as a verb or a noun) gets its own key, never the one remembered."""
    from spacy.tokens import Doc

    keys = LemmaKeys(nlp)
    computed = []
    key = keys._key
    monkeypatch.setattr(keys, "_key", lambda *a: computed.append(a[1]) or key(*a))
    assert keys.keys(nlp("Refunds refunds Refunds")) == ["refund"] * 3
    assert keys.keys(nlp("Refunds CHARGED")) == ["refund", "charge"]
    assert len(computed) == 3  # "Refunds", "refunds", "CHARGED"
    doc = Doc(nlp.vocab, words=["I", "saw", "a", "saw"], lemmas=["I", "see", "a", "saw"])
    assert keys.keys(doc) == ["i", "see", "a", "saw"]
    assert keys.keys(doc) == [keys.key(token) for token in doc]


def test_caseless_forms_fold_what_lowercase_leaves_apart():
    """Lowercase is not caseless: "GRÖSSE" lowercases to "grösse", "Größe" to "größe"."""
    assert {caseless(w) for w in ("Größe", "GRÖSSE", "GRÖẞE", "grösse")} == {"grösse"}
    assert caseless("ﬁne") == "fine" and caseless("Maſs") == "mass"
    assert caseless("ΛΌΓΟΣ") == caseless("λόγος") == caseless("λόγοσ")
    # a match form: NFC whatever the input's form, apostrophes plain
    assert caseless("CAFE\u0301") == caseless("café") == "caf\u00e9"
    assert caseless("DIDN’T") == "didn't" and caseless("Refund") == "refund"


def test_sharp_s_readings_of_a_word_in_capitals():
    assert sharp_s_readings("Grüsse") == ["Grüße"]
    assert sharp_s_readings("Schlossstrasse") == [
        "Schloßstrasse", "Schlosßtrasse", "Schlossstraße", "Schloßstraße", "Schlosßtraße"]
    assert sharp_s_readings("Garten") == []


def test_lemma_keys_are_caseless():
    """A German word the table does not know keeps its own text as its lemma: in capitals
    ("GRÖSSE") its key was "grösse", and the term's ("Größe") "größe"."""
    nlp = load_pipeline(NLPConfig(lang="de"))
    keys = LemmaKeys(nlp)
    assert keys.keys(nlp("GRÖSSE Größe GRÖẞE")) == ["grösse"] * 3


def test_without_lemmatizer():
    nlp = load_pipeline(NLPConfig(lemmatizer=False))
    assert nlp.pipe_names == []
    assert LemmaKeys(nlp).table is None


def test_parse_keeps_order(nlp):
    docs = list(parse(nlp, ["one", "two words", ""], batch_size=2))
    assert [d.text for d in docs] == ["one", "two words", ""]


def test_unknown_installed_pipeline_lists_installed():
    import spacy

    installed = sorted(spacy.util.get_installed_models())
    with pytest.raises(ConfigError) as info:
        load_pipeline(NLPConfig(pipeline="xx_no_such_pipeline"))
    message = str(info.value)
    assert "'xx_no_such_pipeline' is not installed" in message
    assert f"installed pipelines: {', '.join(installed) or 'none'}" in message


def test_unknown_language():
    with pytest.raises(ConfigError, match="lang 'qqq' is not a language spaCy knows"):
        load_pipeline(NLPConfig(lang="qqq"))


def test_fingerprint_changes_with_config(nlp):
    plain = load_pipeline(NLPConfig(lemmatizer=False))
    assert pipeline_fingerprint(nlp) == pipeline_fingerprint(load_pipeline(NLPConfig()))
    assert pipeline_fingerprint(nlp) != pipeline_fingerprint(plain)
    german = load_pipeline(NLPConfig(lang="de", lemmatizer=False))
    assert pipeline_fingerprint(german) != pipeline_fingerprint(plain)


def test_the_fingerprint_follows_every_module_the_lemma_components_use(nlp, monkeypatch):
    """The lemma components read match forms, table lemmas and lemma keys from modules of
    their own: an edit to any of them changes what a Doc holds, so it must change the
    fingerprint, not only an edit to the components' module."""
    import hashlib

    import labelwright.nlp.fingerprint as fingerprint

    names = {file.name for file in fingerprint.OWN_SOURCES}
    assert {"word_forms.py", "lemma_tables.py", "lemma_keys.py", "lemma_components.py",
            "text_form.py"} <= names
    before = pipeline_fingerprint(nlp)
    edited = {file: file.read_bytes() for file in fingerprint.OWN_SOURCES}
    word_forms = next(f for f in edited if f.name == "word_forms.py")
    edited[word_forms] += b"# an edit\n"
    monkeypatch.setattr(fingerprint, "own_sources_sha256",
                        lambda: hashlib.sha256(b"".join(edited.values())).digest())
    assert pipeline_fingerprint(nlp) != before
    plain = load_pipeline(NLPConfig(lemmatizer=False))  # no labelwright component
    assert pipeline_fingerprint(plain) == pipeline_fingerprint(
        load_pipeline(NLPConfig(lemmatizer=False)))


def test_description(nlp):
    description = pipeline_description(nlp)
    assert description["lang"] == "en"
    assert description["components"] == ["labelwright_lookup_lemmas"]
    assert description["fingerprint"] == pipeline_fingerprint(nlp)


def test_a_language_whose_tokenizer_needs_a_package_says_so():
    """lang = "th" said "not a language spaCy knows"; its tokenizer needs PyThaiNLP."""
    import pytest

    from labelwright.errors import ConfigError

    thai = load_pipeline(NLPConfig(lang="th"))  # loads: a project may parse nothing
    with pytest.raises(ConfigError, match=r"lang 'th': spaCy's tokenizer for it needs a "
                                          r"package that is not installed \(.*PyThaiNLP"):
        thai("สวัสดี")
    with pytest.raises(ConfigError, match=r"lang 'zz' is not a language spaCy knows"):
        load_pipeline(NLPConfig(lang="zz"))


def test_a_pipeline_folder_is_found_in_the_project_not_the_current_folder(tmp_path,
                                                                           monkeypatch):
    """`pipeline = "mypipe"` was handed to spaCy as written: run from another folder the
    project failed with "not installed", or loaded that folder's own `mypipe`."""
    import spacy

    from labelwright.config import load_config

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir(), elsewhere.mkdir()
    spacy.blank("fr").to_disk(project / "mypipe")
    spacy.blank("de").to_disk(elsewhere / "mypipe")  # a decoy beside the caller
    (project / "labelwright.toml").write_text(
        '[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n'
        '[nlp]\npipeline = "mypipe"\n')
    monkeypatch.chdir(elsewhere)
    config = load_config(project)
    assert config.nlp.pipeline == str((project / "mypipe").resolve())
    assert load_pipeline(config.nlp).lang == "fr"


def test_a_pipeline_folder_given_by_home_or_missing_is_named(tmp_path, monkeypatch):
    """'~/pipe' reached spaCy unexpanded, and a missing folder was 'not installed'."""
    import spacy

    from labelwright.config import load_config

    monkeypatch.setenv("HOME", str(tmp_path))
    spacy.blank("fr").to_disk(tmp_path / "pipe")
    (tmp_path / "labelwright.toml").write_text(
        '[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n[nlp]\npipeline = "~/pipe"\n')
    config = load_config(tmp_path)
    assert config.nlp.pipeline == str(tmp_path / "pipe")
    assert load_pipeline(config.nlp).lang == "fr"
    (tmp_path / "labelwright.toml").write_text(
        '[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n[nlp]\npipeline = "./gone"\n')
    with pytest.raises(ConfigError, match=r"gone: no such folder \(a pipeline folder is "
                                          r"relative to the project folder"):
        load_pipeline(load_config(tmp_path).nlp)


def test_a_bare_pipeline_name_is_never_a_folder_of_the_current_folder(tmp_path, monkeypatch):
    """`pipeline = "mypipe"`, not installed and not in the project: spaCy loaded the
    `mypipe` folder of whatever folder labelwright was run from."""
    import spacy

    from labelwright.config import load_config

    project, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir(), elsewhere.mkdir()
    spacy.blank("de").to_disk(elsewhere / "mypipe")  # beside the caller only
    (project / "labelwright.toml").write_text(
        '[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n'
        '[nlp]\npipeline = "mypipe"\n')
    monkeypatch.chdir(elsewhere)
    with pytest.raises(ConfigError, match=r"'mypipe' is not installed \(nor a pipeline "
                                          r"folder in the project folder\)"):
        load_pipeline(load_config(project).nlp)


@pytest.mark.parametrize("nlp_table, message", [
    ('lang = "english"', r"\[nlp\] lang 'english' is not a language spaCy knows"),
    ('pipeline = "xx_no_such_pipeline"', r"\[nlp\] pipeline 'xx_no_such_pipeline' is not "
                                         r"installed")])
def test_nlp_errors_name_the_config_file_and_line(tmp_path, nlp_table, message):
    """Every other config error names labelwright.toml; [nlp] ones named no file (and
    then no line)."""
    import re

    from labelwright.config import load_config

    (tmp_path / "labelwright.toml").write_text(
        f'[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n[nlp]\n{nlp_table}\n')
    with pytest.raises(ConfigError, match=re.escape(str(tmp_path / "labelwright.toml"))
                       + ":6: " + message):
        load_pipeline(load_config(tmp_path).nlp)


@pytest.mark.parametrize("lang", ["DE", "de-DE", "de_DE", "german", " de", "Deutsch"])
def test_a_language_written_otherwise_asks_did_you_mean(lang):
    """"DE", "de-DE" and "german" were refused with only a list of example codes."""
    with pytest.raises(ConfigError, match=re.escape(
            f"lang {lang!r} is not a language spaCy knows (did you mean 'de'? valid: af, ")):
        load_pipeline(NLPConfig(lang=lang))


@pytest.mark.parametrize(("lang", "meant"), [("spa", "es"), ("deu", "de"), ("ger", "de"),
                                            ("eng", "en"), ("fra", "fr"), ("por", "pt")])
def test_a_three_letter_language_code_asks_did_you_mean(tmp_path, lang, meant):
    """ISO 639-2/3 codes ("spa", "deu", "eng"), as other tools and data sets write them,
    were refused with no guess."""
    from labelwright.config import load_config

    (tmp_path / "labelwright.toml").write_text(
        f'[project]\nlabels = ["a", "b"]\n[data]\npath = "d.csv"\n[nlp]\nlang = "{lang}"\n')
    with pytest.raises(ConfigError, match=re.escape(
            f"lang {lang!r} is not a language spaCy knows (did you mean {meant!r}? valid: ")):
        load_config(tmp_path)


@pytest.mark.parametrize("lang", ["fi", "zh"])
def test_a_language_without_lookup_tables_says_the_installed_package_has_none(lang):
    """spacy-lookups-data is installed: "install spacy-lookups-data" sent the user to
    install what they had."""
    import spacy_lookups_data

    with pytest.raises(ConfigError) as info:  # set: unset, the lemmatizer is left off
        load_pipeline(NLPConfig(lang=lang, lemmatizer=True))
    message = str(info.value)
    assert "install spacy-lookups-data" not in message
    assert (f"no lookup lemma tables for {lang!r}: the installed spacy-lookups-data "
            f"{spacy_lookups_data.__version__} has none for it (it has lemma tables for ca, "
            in message)
    assert ", de, en, es, fr," in message and "set [nlp] lemmatizer = false" in message


def test_a_pipeline_that_is_not_installed_says_how_to_install_it():
    with pytest.raises(ConfigError) as info:
        load_pipeline(NLPConfig(lang="de", pipeline="de_core_news_sm"))
    assert "to install a trained pipeline: python -m spacy download de_core_news_sm" in str(
        info.value)


def test_the_fingerprint_follows_the_tokenizers_rules():
    """The tokenizer's affix rules were not in the fingerprint: a labelwright that splits
    words otherwise ("song\\ufeff") kept the vote, Doc and match caches of the old split."""
    import spacy

    nlp = spacy.blank("en")
    before = pipeline_fingerprint(nlp)
    assert pipeline_fingerprint(nlp) == before
    nlp.tokenizer.suffix_search = re.compile(r"x$").search
    assert pipeline_fingerprint(nlp) != before


@pytest.mark.parametrize("lemmatizer", [True, False])
def test_the_blank_pipeline_splits_invisible_characters_off_words(lemmatizer):
    nlp = load_pipeline(NLPConfig(lemmatizer=lemmatizer))
    text = "\ufeffGreat song!\ufeff\u200b don't\u2060"
    doc = nlp(text)
    assert [t.text for t in doc] == ["\ufeff", "Great", "song", "!", "\ufeff\u200b", "do",
                                     "n't", "\u2060"]
    assert doc.text == text
    assert [t.text for t in nlp("nice so\u200bng")] == ["nice", "so\u200bng"]  # inside: kept


def test_a_pipeline_folder_gets_the_same_split_once(tmp_path):
    """A pipeline named by folder (or installed) splits them too; one saved by labelwright
    (its tokenizer already splitting them) is not given the rule twice."""
    import spacy

    from labelwright.nlp import invisible_affixes

    spacy.blank("en").to_disk(tmp_path / "pipe")
    nlp = load_pipeline(NLPConfig(pipeline=str(tmp_path / "pipe")))
    assert [t.text for t in nlp("song.\ufeff")] == ["song", ".", "\ufeff"]
    fingerprint = pipeline_fingerprint(nlp)
    assert pipeline_fingerprint(invisible_affixes(nlp)) == fingerprint
    nlp.to_disk(tmp_path / "saved")
    again = load_pipeline(NLPConfig(pipeline=str(tmp_path / "saved")))
    assert (again.tokenizer.suffix_search.__self__.pattern
            == nlp.tokenizer.suffix_search.__self__.pattern)


def test_match_forms_leave_out_invisible_characters_as_copies_do():
    from labelwright.nlp import match_form
    from labelwright.text_form import INVISIBLE, text_form

    for char in INVISIBLE:
        assert match_form(f"so{char}ng") == "song" == text_form(f"so{char}ng")
    assert caseless("SO\u200bNG\ufeff") == "song"
    assert match_form("\ufeff") == ""


@pytest.mark.parametrize(("lang", "text", "sentences"), [
    ("es", "Hola. ¡¡No funciona!! Me doy de baja.",
     ["Hola.", "¡¡No funciona!!", "Me doy de baja."]),
    ("es", "Vale. ¿Por qué no hay señal? Gracias.",
     ["Vale.", "¿Por qué no hay señal?", "Gracias."]),
    ("es", "Fin. ¿¡Qué!? Nada.", ["Fin.", "¿¡Qué!?", "Nada."]),
    ("en", "Done. (See below) Thanks.", ["Done.", "(See below) Thanks."]),
    ("de", "Er sagte: „Hallo.“ Dann ging er.", ["Er sagte: „Hallo.“", "Dann ging er."]),
    # a mark that may close (") stays where the sentencizer put it
    ("en", 'He said "hi." Then left.', ['He said "hi."', "Then left."]),
    ("es", "¿¡", ["¿¡"]),
    ("es", ". ¿ ¿Qué?", [".", "¿ ¿Qué?"]),
])
def test_the_sentencizer_starts_a_sentence_at_its_opening_marks(lang, text, sentences):
    """spaCy's sentencizer ended a sentence with the next one's "¿", "¡" or "(": "Hola.
    ¡¡" + "No funciona!!"."""
    nlp = load_pipeline(NLPConfig(lang=lang, sentencizer=True))
    assert [s.text for s in nlp(text).sents] == sentences
