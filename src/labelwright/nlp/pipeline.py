"""Building the pipeline a project's ``[nlp]`` settings ask for, and parsing with it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from labelwright.config import NLPConfig, located
from labelwright.config.languages import unknown_language
from labelwright.errors import SettingError
from labelwright.nlp.description import pipeline_description as pipeline_description
from labelwright.nlp.errors import (
    has_lemma_table,
    no_lemma_tables,
    pipeline_not_installed,
)
from labelwright.nlp.lemma_components import LOOKUP_LEMMAS
from labelwright.nlp.lemma_tables import correct_table, lemma_table
from labelwright.nlp.segmenters import (
    LANGUAGE_PACKAGES,
    PACKAGE_MISSING,
    InvisibleFreeSegments,
    pip_command,
    quiet_jieba,
    segments_words,
)
from labelwright.nlp.sentence_openers import SENTENCE_OPENERS
from labelwright.text_form import INVISIBLE


def load_pipeline(config: NLPConfig, *, shared: bool = True) -> Language:
    """Build the pipeline the config asks for; an error names the config file and the
    setting's line. A blank pipeline is one per setting in the process (building one loads
    the lookup tables) unless ``shared`` is False: a pipeline about to be changed in place
    gets its own, or the change would reach every later load of those settings."""
    try:
        return _load_pipeline(config, shared=shared)
    except SettingError as exc:
        if config.file is None:
            raise
        raise located(exc, config.file, config.key_lines) from None


def _load_pipeline(config: NLPConfig, *, shared: bool = True) -> Language:
    if config.pipeline:
        folder = Path(config.pipeline)
        if folder.is_absolute() and not folder.is_dir():
            raise SettingError(f"[nlp] pipeline {config.pipeline}: no such folder (a pipeline "
                               "folder is relative to the project folder; an installed "
                               "pipeline is named without a path)", ("nlp", "pipeline"))
        # a bare name is an installed package only: spacy.load would also take a folder of
        # that name in the current folder, so the project's pipeline depended on where it
        # was run from (a project folder was made absolute by the config)
        try:
            if not folder.is_absolute() and not spacy.util.is_package(config.pipeline):
                raise OSError(config.pipeline)
            if config.lang == "zh":  # a Chinese pipeline may read with jieba
                quiet_jieba()
            return invisible_affixes(
                spacy.load(folder if folder.is_absolute() else config.pipeline))
        except OSError:
            installed = sorted(spacy.util.get_installed_models())
            raise SettingError(pipeline_not_installed(config.pipeline, config.lang, installed),
                               ("nlp", "pipeline")) from None
    lemmatizer = config.lemmatizer
    if lemmatizer is None:
        lemmatizer = has_lemma_table(config.lang)
    # "char" is spaCy's default: said or not, one pipeline (spaCy's config would write the
    # setting in another order, and the fingerprint, and so the caches, would differ)
    segmenter = None if config.segmenter == "char" else config.segmenter
    blank = _blank_pipeline if shared else _blank_pipeline.__wrapped__
    return blank(config.lang, lemmatizer, config.sentencizer, segmenter)


@lru_cache(maxsize=8)
def _blank_pipeline(lang: str, lemmatizer: bool, sentencizer: bool = False,
                    segmenter: str | None = None) -> Language:
    config = {} if segmenter is None else {"nlp": {"tokenizer": {"segmenter": segmenter}}}
    if segmenter == "jieba":
        quiet_jieba()
    try:
        nlp = spacy.blank(lang, config=config)
    except KeyError:
        raise SettingError(unknown_language(lang), ("nlp", "lang")) from None
    except ImportError as exc:
        if "E048" in str(exc):  # no such language module
            raise SettingError(unknown_language(lang), ("nlp", "lang")) from None
        if segmenter is not None:  # asked for by name: the setting is wrong without it
            raise SettingError(f"[nlp] segmenter {segmenter!r} needs the {segmenter} package, "
                               "which is not installed: install it with the project's Python: "
                               f"{pip_command(LANGUAGE_PACKAGES.get(lang, segmenter))} (or "
                               "pip install 'labelwright[zh]'), or set segmenter = \"char\"",
                               ("nlp", "segmenter")) from None
        # a language whose tokenizer needs another package (ja, ko, th, vi, ...): the
        # pipeline loads, and parsing a text says what to install (only glossaries and LFs
        # reading item.doc parse)
        nlp = spacy.blank(lang, config={"nlp": {"tokenizer": {
            "@tokenizers": PACKAGE_MISSING, "lang": lang, "reason": str(exc)}}})
    # Blank pipelines use memory linear in the text length: accept long texts rather
    # than fail a whole run on one (spaCy's limit guards its parser and NER).
    nlp.max_length = max(nlp.max_length, 2**31 - 1)
    invisible_affixes(nlp)
    if lemmatizer:
        # spaCy's lookup lemmatizer loads and validates the tables; LOOKUP_LEMMAS applies
        # them (with case folding) in one array pass, so the per-token loop is disabled
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe(LOOKUP_LEMMAS)
        try:
            nlp.initialize()
        except (ValueError, OSError) as exc:
            raise SettingError(no_lemma_tables(lang, exc), ("nlp", "lang")) from None
        nlp.disable_pipe("lemmatizer")
        table = lemma_table(nlp)
        if table is not None:
            correct_table(table, lang)
    if sentencizer:  # rule-based sentence boundaries ([nlp] sentencizer): no model to download
        nlp.add_pipe("sentencizer")
        nlp.add_pipe(SENTENCE_OPENERS)  # "¿", "¡" and "(" open the next sentence
    return nlp


def invisible_affixes(nlp: Language) -> Language:
    """``nlp`` with its tokenizer splitting :data:`~labelwright.text_form.INVISIBLE`
    characters off a word's start and end, as it splits punctuation: "song\ufeff" and
    "song.\ufeff" were one token that no glossary term matched. A run of them is one
    token, which glossary matching skips as it skips spaces (:func:`match_form` reads it
    as nothing); the text and its offsets are the text as written. Chinese read in words
    (``[nlp] segmenter = "jieba"``) is segmented without them instead
    (:class:`~labelwright.nlp.segmenters.InvisibleFreeSegments`). Another tokenizer that
    is not spaCy's own (or has no such rules) is left as it is. :func:`pipeline_fingerprint`
    hashes the rules, so the caches keyed by it follow them."""
    tokenizer: Any = nlp.tokenizer
    if segments_words(tokenizer):  # Chinese read in words: see InvisibleFreeSegments
        nlp.tokenizer = InvisibleFreeSegments(tokenizer)
        return nlp
    chars = f"[{INVISIBLE}]+"
    for rule, pattern in (("prefix_search", f"^{chars}"), ("suffix_search", f"{chars}$")):
        search = getattr(tokenizer, rule, None)
        if search is None and not hasattr(tokenizer, rule):
            return nlp  # not spaCy's Tokenizer
        old = getattr(search, "__self__", None)  # the compiled pattern of a Pattern.search
        if old is not None and not isinstance(old, re.Pattern):
            continue  # a rule of some other kind: kept as it is
        if old is not None and old.pattern.startswith(pattern):
            continue  # already added (a pipeline loaded twice, or saved with them)
        combined = pattern if old is None else f"{pattern}|{old.pattern}"
        setattr(tokenizer, rule, re.compile(combined, old.flags if old else 0).search)
    return nlp


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Doc]:
    """Parse texts in batches; one Doc per text, in order."""
    return nlp.pipe(texts, batch_size=batch_size)
