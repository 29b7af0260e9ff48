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
    and nothing said so."""
    root = make_project(lfs={"lemmas": LEMMA_LFS}, extra="\n[nlp]\nlemmatizer = false\n")
    expected = ("LF(s) refund_lemma (", "crash_lemma (", "read token.lemma_, but the "
                "pipeline gives no lemmas ([nlp] lemmatizer = false)")
    warned = [w for w in check_project(root).warnings if w.startswith("LF(s) refund_lemma")]
    assert len(warned) == 1 and all(part in warned[0] for part in expected), warned
    assert "crash_word" not in warned[0]
    result = run_project(root, report=False)
    assert [w for w in result.dataset.warnings if w.startswith("LF(s) refund_lemma")] == warned


def test_no_warning_when_the_pipeline_gives_lemmas(make_project):
    root = make_project(lfs={"lemmas": LEMMA_LFS})
    assert not [w for w in check_project(root).warnings if "lemma" in w]
    assert not [w for w in run_project(root, report=False).dataset.warnings if "lemma" in w]
