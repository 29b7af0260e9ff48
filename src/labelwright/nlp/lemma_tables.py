"""spaCy's lookup lemma tables as the lemma components read them: a table's lemmas (the
dictionary forms it knows) and which capitalised words may be looked up in lowercase."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.language import Language

#: languages that capitalise their nouns: there a capitalised word that is itself a lemma
#: of the table (a dictionary form: "Garten", the lemma of "Gärten") keeps its case, in any
#: position; any other ("Gegessen" at a sentence's start) is looked up in lowercase too.
#: Folding every capitalised word made "Garten" a form of "garen" (to cook).
CAPITALISED_NOUNS = frozenset({"de", "lb"})


def first_lemma(value: Any) -> str:
    """A lookup table's entry: a lemma, or (French, Catalan, ...) a list of them."""
    return value if isinstance(value, str) else str(value[0])


def lookups_file(lang: str, name: str) -> dict[str, Any] | None:
    """spacy-lookups-data's table ``name`` (``lemma_lookup``, ``lemma_exc``, ...) for
    ``lang`` (spaCy's code; a package module ending in "_" too) as the JSON it ships, read
    from the file (plain or gzipped) without building a pipeline; None when the package is
    not installed, has no such table for the language, or the file is not a JSON object."""
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    tables = getattr(spacy_lookups_data, lang, None) or getattr(spacy_lookups_data,
                                                                f"{lang}_", None)
    if not isinstance(tables, dict) or name not in tables:
        return None
    import srsly

    path = Path(str(tables[name]))
    zipped = path.with_name(path.name + ".gz")
    if path.is_file():
        found = srsly.read_json(path)
    elif zipped.is_file():
        found = srsly.read_gzip_json(zipped)
    else:
        return None
    return found if isinstance(found, dict) else None


@lru_cache(maxsize=2)
def table_words(lang: str) -> dict[str, str] | None:
    """spacy-lookups-data's ``lemma_lookup`` for ``lang`` as words (word -> its lemma, the
    first where it lists several), or None when it is not installed or has none for the
    language: the table spaCy holds keeps only the words' hashes. Read once per process
    (about a second for Spanish's 491,547 words) for every check that asks."""
    found = lookups_file(lang, "lemma_lookup")
    if found is None:
        return None
    if all(isinstance(value, str) for value in found.values()):
        return found
    return {word: first_lemma(value) for word, value in found.items()}  # French: lists


#: (id of a lookup table, what is made of it) -> (the table, what was made): each made
#: once per table (0.4 s for Spanish's lemmas); the table is kept so that its id is not
#: another's
_PER_TABLE: dict[tuple[int, Callable[[Any], frozenset[str]]], tuple[Any, frozenset[str]]] = {}
#: tables kept: as many as _blank_pipeline keeps, each with a set of each kind
_TABLES_KEPT = 8


def per_table(table: Any, make: Callable[[Any], frozenset[str]]) -> frozenset[str]:
    """``make(table)``, made once per table: the sets a table gives take seconds to make
    and are asked for each glossary and each run."""
    key = (id(table), make)
    known = _PER_TABLE.get(key)
    if known is None or known[0] is not table:
        if len(_PER_TABLE) >= 2 * _TABLES_KEPT:
            _PER_TABLE.clear()
        known = _PER_TABLE[key] = (table, make(table))
    return known[1]


def _lemmas(table: Any) -> frozenset[str]:
    return frozenset(first_lemma(value) for value in table.values())


def table_lemmas(table: Any) -> frozenset[str]:
    """The lemmas of a lookup table (its values): the dictionary forms it knows."""
    return frozenset() if table is None else per_table(table, _lemmas)


def dictionary_forms(table: Any, lang: str | None) -> frozenset[str]:
    """The lemmas of a lookup table, for :func:`may_fold` (empty but for
    :data:`CAPITALISED_NOUNS` languages)."""
    if table is None or lang not in CAPITALISED_NOUNS:
        return frozenset()
    return table_lemmas(table)


def may_fold(text: str, forms: frozenset[str]) -> bool:
    """May a capitalised ``text`` the table does not know as written be looked up in
    lowercase? Not when it (or, in capitals, its title case) is a dictionary form."""
    return not forms or (text not in forms and text.title() not in forms)


#: endings of German verbs and adjectives: a lowercase word that is a lowercase lemma of the
#: table with one of them ("schön" + "e", "brauch" + "en" less "n") reads as a verb or an
#: adjective, not as a noun typed in lowercase
_WORD_ENDINGS = ("e", "en", "em", "er", "es", "et", "n", "s", "st", "t")


def reads_as_other_word(text: str, forms: frozenset[str], stop_words: frozenset[str]
                        ) -> bool:
    """Does a lowercase word the table does not know read as something other than a noun
    typed in lowercase? So it does when it is a stop word ("wegen", "habe"), has two letters
    or fewer ("as", "am"), or is a lowercase lemma of the table (``forms``) with a verb's or
    an adjective's ending added or its "n" dropped ("schöne": "schön", "brauche":
    "brauchen"). Such a word, title-cased, is often a noun of its own ("Weg", "Brauch",
    "Schönes") that it is not a form of. The price: a lowercase noun that looks like a
    verb's form ("gewinne", "gewinnen") keeps no lemma."""
    if len(text) <= 2 or text in stop_words:
        return True
    if text + "n" in forms:
        return True
    return any(text.endswith(ending) and len(text) - len(ending) >= 2
               and text[:-len(ending)] in forms for ending in _WORD_ENDINGS)


#: entries of a language's lookup table that read a word as another word of the language,
#: or as no word, where matching and exclusions would take one for the other, and what
#: they read now. Spanish's reads the pronoun "nos" (us) as "no" and "os" (you) as "o"
#: (or), so the exclusion "no" cancelled "nos funciona" (it works for us) and the term `no
#: funciona` matched it: the pronouns are their own lemma, as "me", "te" and "se" are
#: ("Nos" and "NOS" are looked up in lowercase). It reads "línea" and "idea" (and their
#: plurals) as the adjectives "líneo" and "ideo", which are no words; the plurals of
#: nouns of a support desk whose singulars it reads as themselves as a rare verb's
#: subjunctive ("redes": "redar", "meses": "mesar", "conexiones": "conexionar"), so the
#: term `red` missed "redes"; and the forms of "fallar" (to fail) that the archaic
#: "fallir" shares ("fallan", "falló") as "fallir", the noun "fallo" too (its plural
#: "fallos" was "fallo"), so the term `fallar` missed "fallan". French's reads "lignes"
#: and "agences" as the verbs "ligner" and "agencer" (their singulars as themselves). A
#: word that is also a common form of another word ("factura": "facturar", "cuenta":
#: "contar") is left as the table reads it: which one is meant depends on the sentence.
TABLE_CORRECTIONS: dict[str, dict[str, str]] = {
    "es": {"nos": "nos", "os": "os",
           "línea": "línea", "líneas": "línea", "idea": "idea", "ideas": "idea",
           "redes": "red", "meses": "mes", "conexiones": "conexión",
           "direcciones": "dirección", "comisiones": "comisión",
           "transacciones": "transacción",
           "fallo": "fallo", "falló": "fallar", "fallan": "fallar", "fallamos": "fallar",
           "falle": "fallar", "fallen": "fallar", "falles": "fallar"},
    "fr": {"lignes": "ligne", "agences": "agence"},
}


def correct_table(table: Any, lang: str | None) -> None:
    """Set ``table``'s (a pipeline's ``lemma_lookup``) :data:`TABLE_CORRECTIONS` entries
    for ``lang``, in place: once, as the blank pipeline is built, so that every reader of
    the table (the lemma component, lemma keys, Spanish's words with pronouns written on)
    reads them."""
    for word, lemma in TABLE_CORRECTIONS.get(lang or "", {}).items():
        if word in table:  # in the table's own form: French's entries are lists
            table[word] = [lemma] if isinstance(table[word], list) else lemma


def lemma_table(nlp: Language) -> Any:
    """The ``lemma_lookup`` table of the pipeline's lemmatizer (enabled or not), or None."""
    if "lemmatizer" not in nlp.component_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_lookup"):
        return None
    return lookups.get_table("lemma_lookup")
