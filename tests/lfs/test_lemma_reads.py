"""LFs that read lemmas under a pipeline that gives none: check and run name them."""

from labelwright import check_project, labeling_function, run_project
from labelwright.lfs.lemma_reads import reads_lemmas

LEMMA_LFS = """\
from labelwright import ABSTAIN, labeling_function


def _lemmas(doc):
    return {t.lemma_ for t in doc}


@labeling_function()
def refund_lemma(item):
    return "billing" if "refund" in _lemmas(item.doc) else ABSTAIN


@labeling_function()
def crash_lemma(item):
    return "technical" if any(t.lemma_ == "crash" for t in item.doc) else ABSTAIN


@labeling_function()
def crash_word(item):
    return "technical" if any(t.lower_ == "crash" for t in item.doc) else ABSTAIN


@labeling_function()
def crash_lemma_or_word(item):
    return "technical" if any(t.lemma_ == "crash" or t.lower_ == "crashes"
                              for t in item.doc) else ABSTAIN
"""


def _helper(doc):
    return [t.lemma_ for t in doc]


def test_reads_lemmas_finds_lemma_reads_in_the_lf_and_its_helpers():
    @labeling_function()
    def direct(item):
        return [t.lemma_ for t in item.doc]

    @labeling_function()
    def through_a_helper(item):
        return _helper(item.doc)

    @labeling_function()
    def words(item):
        return [t.lower_ for t in item.doc]

    assert reads_lemmas(direct.func) and reads_lemmas(through_a_helper.func)
    assert not reads_lemmas(words.func)


def test_check_and_run_name_lfs_that_read_lemmas_without_a_lemmatizer(make_project):
    """With [nlp] lemmatizer = false every lemma is '': LFs comparing lemmas stopped voting
    and nothing said so. "They voted on none of the items" only of those that did not: an
    LF with another test besides still votes (it was told it stops voting)."""
    root = make_project(lfs={"lemmas": LEMMA_LFS}, extra="\n[nlp]\nlemmatizer = false\n")
    why = "read token.lemma_, but the pipeline gives no lemmas ([nlp] lemmatizer = false)"
    warned = [w for w in check_project(root).warnings if w.startswith("LF(s) ")
              and "token.lemma_" in w]
    assert len(warned) == 2, warned
    silent, voting = warned
    assert silent.startswith("LF(s) refund_lemma (") and "crash_lemma (" in silent
    assert why in silent and "they voted on none of the items" in silent
    assert voting.startswith("LF(s) crash_lemma_or_word (") and why in voting
    assert "tests of a lemma never hold (they voted on some items" in voting
    assert "crash_word (" not in silent + voting
    assert "crash_lemma_or_word" not in silent
    result = run_project(root, report=False)
    assert [w for w in result.dataset.warnings if "token.lemma_" in w] == warned


def test_a_language_without_lemma_tables_is_not_told_to_enable_the_lemmatizer(make_project):
    """An Arabic project ([nlp] lang = "ar": spacy-lookups-data has no table) had to set
    lemmatizer = false, then was told to "enable the lemmatizer", which the error it had
    just met said cannot be done."""
    lfs = {"lemmas": LEMMA_LFS}
    arabic = make_project(lfs=lfs, extra='\n[nlp]\nlang = "ar"\nlemmatizer = false\n')
    warned = [w for w in check_project(arabic).warnings if "token.lemma_" in w]
    assert warned and all("enable the lemmatizer" not in w for w in warned)
    assert "name a trained pipeline for 'ar' in [nlp] pipeline (spacy-lookups-data has no " \
           "lemma table for it), or read token.lower_" in warned[0]
    english = make_project(lfs=lfs, extra="\n[nlp]\nlemmatizer = false\n",
                           root=arabic.parent / "en")
    assert any("enable the lemmatizer, or read token.lower_" in w
               for w in check_project(english).warnings)


def test_no_warning_when_the_pipeline_gives_lemmas(make_project):
    root = make_project(lfs={"lemmas": LEMMA_LFS})
    assert not [w for w in check_project(root).warnings if "lemma" in w]
    assert not [w for w in run_project(root, report=False).dataset.warnings if "lemma" in w]


def test_without_items_no_lf_is_said_to_have_voted(make_project):
    """check on a data file that does not read applied no LF, yet said of every lemma
    reader 'they voted on some items by another test'."""
    root = make_project(lfs={"lemmas": LEMMA_LFS}, extra="\n[nlp]\nlemmatizer = false\n")
    (root / "data" / "items.csv").write_bytes("id,text\n1,caf\xe9\n".encode("latin-1"))
    report = check_project(root)
    assert any("not valid UTF-8" in p for p in report.problems)
    warned = [w for w in report.warnings if "token.lemma_" in w]
    assert len(warned) == 1
    assert "their tests of a lemma never hold;" in warned[0]
    assert "voted" not in warned[0]


LEMMA_GLOSSARY = """\
label: billing
mode: lemma
terms:
  - refund
"""


def test_a_language_without_a_lemma_table_is_one_note_for_a_glossary(make_project):
    """lang = "zh", lemmatizer not set: check said the note and a second warning blaming
    "[nlp] lemmatizer = false", which was never set."""
    root = make_project(glossaries={"money": LEMMA_GLOSSARY}, extra='\n[nlp]\nlang = "zh"\n')
    said = [w for w in check_project(root).warnings if "lemma" in w]
    assert len(said) == 1, said
    assert "[nlp] lang 'zh': spacy-lookups-data has no lemma table for it" in said[0]
    assert "lemmatizer = false)" not in said[0]


def test_an_lf_reading_lemmas_is_told_the_lemmatizer_is_off_not_set_false(make_project):
    root = make_project(lfs={"lemmas": LEMMA_LFS}, extra='\n[nlp]\nlang = "zh"\n')
    said = [w for w in check_project(root).warnings if w.startswith("LF(s) ")
            and "token.lemma_" in w]
    assert said, check_project(root).warnings
    for warning in said:
        assert "but the pipeline gives no lemmas (its lemmatizer is off): every lemma is ''" \
            in warning, warning
        assert "name a trained pipeline for 'zh' in [nlp] pipeline" in warning
        assert "lemmatizer = false" not in warning
