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
    pipeline_description,
)
from labelwright.nlp.word_forms import caseless, match_form, plain_forms, sharp_s_readings

__all__ = [
    "CAPITALISED_NOUNS", "CASE_FOLD", "LOOKUP_LEMMAS", "MAX_KEYS_REMEMBERED", "OWN_SOURCES",
    "CaseFoldLemmas", "LemmaKeys", "LookupLemmas", "_blank_pipeline", "caseless",
    "dictionary_forms", "fingerprint_parts", "invisible_affixes", "load_pipeline",
    "match_form", "may_fold",
    "own_sources_sha256", "parse", "pipeline_description", "pipeline_fingerprint",
    "plain_forms", "sharp_s_readings", "table_lemmas",
]
