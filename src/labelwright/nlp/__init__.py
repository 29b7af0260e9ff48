"""The spaCy pipeline that parses items and glossary terms alike.

By default a blank pipeline for the project's language plus lookup lemmas (spaCy's
lookup tables from ``spacy-lookups-data``, applied with case folding by
:class:`LookupLemmas`): tokens, lemmas and lexical attributes, no downloads. Any installed
pipeline can be named instead. Items are parsed once, in batches, through :func:`parse`.

The modules: :mod:`.pipeline` builds the pipeline and parses, :mod:`.fingerprint` hashes
what it parses with, :mod:`.word_forms` writes words as matching compares them,
:mod:`.lemma_tables` reads the lookup tables, :mod:`.lemma_components` are the lemma
components, :mod:`.lemma_keys` the lemma-mode glossaries' keys, :mod:`.segmenters` the
tokenizers of languages written without spaces (Chinese in words, a stand-in for one whose
package is missing), :mod:`.errors` what a user whose settings build no pipeline is told.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labelwright.nlp.description import pipeline_description
    from labelwright.nlp.fingerprint import (
        OWN_SOURCES,
        fingerprint_parts,
        own_sources_sha256,
        pipeline_fingerprint,
    )
    from labelwright.nlp.lemma_components import (
        CASE_FOLD,
        LOOKUP_LEMMAS,
        CaseFoldLemmas,
        LookupLemmas,
    )
    from labelwright.nlp.lemma_keys import MAX_KEYS_REMEMBERED, LemmaKeys
    from labelwright.nlp.lemma_tables import (
        CAPITALISED_NOUNS,
        dictionary_forms,
        may_fold,
        table_lemmas,
    )
    from labelwright.nlp.pipeline import (
        _blank_pipeline,
        invisible_affixes,
        load_pipeline,
        parse,
    )
    from labelwright.nlp.word_forms import caseless, match_form, plain_forms, sharp_s_readings

#: each name the package gives, and the module that defines it: imported when first asked
#: for, so that what needs only word forms or the source list (reading a glossary file,
#: ``runs diff``) does not import spaCy, which the pipeline and the lemma components do
_FROM = {
    "OWN_SOURCES": "fingerprint", "fingerprint_parts": "fingerprint",
    "own_sources_sha256": "fingerprint", "pipeline_fingerprint": "fingerprint",
    "CASE_FOLD": "lemma_components", "LOOKUP_LEMMAS": "lemma_components",
    "CaseFoldLemmas": "lemma_components", "LookupLemmas": "lemma_components",
    "MAX_KEYS_REMEMBERED": "lemma_keys", "LemmaKeys": "lemma_keys",
    "CAPITALISED_NOUNS": "lemma_tables", "dictionary_forms": "lemma_tables",
    "may_fold": "lemma_tables", "table_lemmas": "lemma_tables",
    "_blank_pipeline": "pipeline", "invisible_affixes": "pipeline",
    "load_pipeline": "pipeline", "parse": "pipeline", "pipeline_description": "description",
    "caseless": "word_forms", "match_form": "word_forms", "plain_forms": "word_forms",
    "sharp_s_readings": "word_forms",
}

__all__ = [
    "CAPITALISED_NOUNS", "CASE_FOLD", "LOOKUP_LEMMAS", "MAX_KEYS_REMEMBERED", "OWN_SOURCES",
    "CaseFoldLemmas", "LemmaKeys", "LookupLemmas", "_blank_pipeline", "caseless",
    "dictionary_forms", "fingerprint_parts", "invisible_affixes", "load_pipeline",
    "match_form", "may_fold",
    "own_sources_sha256", "parse", "pipeline_description", "pipeline_fingerprint",
    "plain_forms", "sharp_s_readings", "table_lemmas",
]


def __getattr__(name: str) -> Any:
    import importlib

    if name in _FROM:
        value = getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
        globals()[name] = value  # found once
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
