"""The spaCy pipeline that parses items and glossary terms alike.

By default a blank pipeline for the project's language plus spaCy's lookup
lemmatizer (tables from ``spacy-lookups-data``): tokens, lemmas and lexical
attributes, no downloads. Any installed pipeline can be named instead.
Items are parsed once, in batches, through :func:`parse`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from labelwright.config import NLPConfig
from labelwright.errors import ConfigError


def load_pipeline(config: NLPConfig) -> Language:
    """Build the pipeline the config asks for."""
    if config.pipeline:
        try:
            return spacy.load(config.pipeline)
        except OSError:
            installed = sorted(spacy.util.get_installed_models())
            raise ConfigError(
                f"[nlp] pipeline {config.pipeline!r} is not installed; installed pipelines: "
                f"{', '.join(installed) or 'none'}; leave it unset to use spacy.blank"
                f"({config.lang!r}) with the lookup lemmatizer"
            ) from None
    return _blank_pipeline(config.lang, config.lemmatizer)


@lru_cache(maxsize=8)
def _blank_pipeline(lang: str, lemmatizer: bool) -> Language:
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError):
        raise ConfigError(f"[nlp] lang {lang!r} is not a language spaCy knows") from None
    # Blank pipelines use memory linear in the text length: accept long texts rather
    # than fail a whole run on one (spaCy's limit guards its parser and NER).
    nlp.max_length = max(nlp.max_length, 2**31 - 1)
    if lemmatizer:
        nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
        nlp.add_pipe(CASE_FOLD)
        try:
            nlp.initialize()
        except (ValueError, OSError) as exc:
            raise ConfigError(
                f"[nlp] no lookup lemma tables for {lang!r} ({exc}); install spacy-lookups-data "
                "or set [nlp] lemmatizer = false"
            ) from None
    return nlp


CASE_FOLD = "labelwright_case_fold_lemmas"


@Language.factory(CASE_FOLD)
def _case_fold_lemmas(nlp: Language, name: str) -> CaseFoldLemmas:
    return CaseFoldLemmas(nlp)


class CaseFoldLemmas:
    """Lemmatize capitalised words too: the lookup tables only hold lowercase forms.

    With it, "Refunded" at the start of a sentence gets the lemma "refund", as
    "refunded" does; words the table does not know keep their form.
    """

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._keys: LemmaKeys | None = None

    def __call__(self, doc: Doc) -> Doc:
        if self._keys is None:  # the tables are loaded by nlp.initialize(), after add_pipe
            self._keys = LemmaKeys(self._nlp)
        table = self._keys.table
        if table is None:
            return doc
        for token in doc:
            if token.text != token.lower_ and token.lemma_ == token.text and token.lower_ in table:
                token.lemma_ = table[token.lower_]
        return doc


def pipeline_fingerprint(nlp: Language) -> str:
    """A hash that changes whenever the pipeline would parse differently."""
    digest = hashlib.sha256()
    digest.update(spacy.__version__.encode())
    digest.update(nlp.config.to_str().encode())
    digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    return digest.hexdigest()


def pipeline_description(nlp: Language) -> dict[str, object]:
    return {
        "lang": nlp.lang,
        "name": nlp.meta.get("name"),
        "version": nlp.meta.get("version"),
        "components": list(nlp.pipe_names),
        "spacy": spacy.__version__,
        "fingerprint": pipeline_fingerprint(nlp),
    }


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Doc]:
    """Parse texts in batches; one Doc per text, in order."""
    return nlp.pipe(texts, batch_size=batch_size)


class LemmaKeys:
    """Case-insensitive lemma of each token, the key lemma-mode glossaries match on.

    The lookup lemmatizer is case-sensitive ("Refunds" keeps its form), so a token
    that is not lowercase is looked up again in lowercase.
    """

    def __init__(self, nlp: Language) -> None:
        self.table = None
        if "lemmatizer" in nlp.pipe_names:
            lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
            if lookups is not None and lookups.has_table("lemma_lookup"):
                self.table = lookups.get_table("lemma_lookup")

    def key(self, token: Token) -> str:
        lemma = token.lemma_ or token.text
        if self.table is not None and token.text != token.lower_:
            return str(self.table.get(token.lower_, lemma)).lower()
        return lemma.lower()

    def keys(self, doc: Doc) -> list[str]:
        return [self.key(token) for token in doc]
