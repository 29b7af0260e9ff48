"""The spaCy pipeline that parses items and glossary terms alike.

By default a blank pipeline for the project's language plus lookup lemmas (spaCy's
lookup tables from ``spacy-lookups-data``, applied with case folding by
:class:`LookupLemmas`): tokens, lemmas and lexical attributes, no downloads. Any installed
pipeline can be named instead.
Items are parsed once, in batches, through :func:`parse`.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import spacy
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from labelwright.config import NLPConfig, located
from labelwright.errors import SettingError
from labelwright.nlp_errors import no_lemma_tables, pipeline_not_installed, unknown_language
from labelwright.text_form import INVISIBLE, WITHOUT_INVISIBLE


def load_pipeline(config: NLPConfig) -> Language:
    """Build the pipeline the config asks for; an error names the config file and the
    setting's line."""
    try:
        return _load_pipeline(config)
    except SettingError as exc:
        if config.file is None:
            raise
        raise located(exc, config.file, config.key_lines) from None


def _load_pipeline(config: NLPConfig) -> Language:
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
            return invisible_affixes(
                spacy.load(folder if folder.is_absolute() else config.pipeline))
        except OSError:
            installed = sorted(spacy.util.get_installed_models())
            raise SettingError(pipeline_not_installed(config.pipeline, config.lang, installed),
                               ("nlp", "pipeline")) from None
    return _blank_pipeline(config.lang, config.lemmatizer, config.sentencizer)


@lru_cache(maxsize=8)
def _blank_pipeline(lang: str, lemmatizer: bool, sentencizer: bool = False) -> Language:
    try:
        nlp = spacy.blank(lang)
    except KeyError:
        raise SettingError(unknown_language(lang), ("nlp", "lang")) from None
    except ImportError as exc:
        if "E048" in str(exc):  # no such language module
            raise SettingError(unknown_language(lang), ("nlp", "lang")) from None
        # a language whose tokenizer needs another package (ja, ko, th, vi, ...)
        raise SettingError(f"[nlp] lang {lang!r}: spaCy's tokenizer for it needs a package "
                           f"that is not installed: {exc}", ("nlp", "lang")) from None
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
    if sentencizer:  # rule-based sentence boundaries ([nlp] sentencizer): no model to download
        nlp.add_pipe("sentencizer")
    return nlp


def invisible_affixes(nlp: Language) -> Language:
    """``nlp`` with its tokenizer splitting :data:`~labelwright.text_form.INVISIBLE`
    characters off a word's start and end, as it splits punctuation: "song\ufeff" and
    "song.\ufeff" were one token that no glossary term matched. A run of them is one
    token, which glossary matching skips as it skips spaces (:func:`match_form` reads it
    as nothing); the text and its offsets are the text as written. A tokenizer that is not
    spaCy's own (or has no such rules) is left as it is. :func:`pipeline_fingerprint`
    hashes the rules, so the caches keyed by it follow them."""
    tokenizer: Any = nlp.tokenizer
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


LOOKUP_LEMMAS = "labelwright_lookup_lemmas"
CASE_FOLD = "labelwright_case_fold_lemmas"  # the default before LOOKUP_LEMMAS; still usable

#: languages that capitalise their nouns: there a capitalised word that is itself a lemma
#: of the table (a dictionary form: "Garten", the lemma of "Gärten") keeps its case, in any
#: position; any other ("Gegessen" at a sentence's start) is looked up in lowercase too.
#: Folding every capitalised word made "Garten" a form of "garen" (to cook).
CAPITALISED_NOUNS = frozenset({"de", "lb"})
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
#: what :func:`match_form` changes besides the Unicode form: apostrophes, and invisible
#: characters left out
_MATCH_FORM = {**_APOSTROPHES, **WITHOUT_INVISIBLE}


def plain_apostrophes(text: str) -> str:
    """``text`` with typographic apostrophes as ``'``, one character for one: the tokenizer
    splits "didnʼt" or (German) "geht’s" otherwise than "didn't", so a text that holds one
    is matched as a copy parsed with plain ones (character offsets stay the same)."""
    return text.translate(_APOSTROPHES)


def match_form(text: str) -> str:
    """``text`` as glossary matching compares it: NFC-composed (a decomposed "café" is the
    same word) with typographic apostrophes as ``'`` ("didn’t" is "didn't") and without
    zero-width characters (:data:`~labelwright.text_form.INVISIBLE`: "so\u200bng" is
    "song"; a token of only those is ``""``, which matching skips)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_MATCH_FORM)


def caseless(text: str) -> str:
    """``text`` as the match modes that ignore case compare it: its :func:`match_form`
    case-folded, Unicode's caseless matching, where lowercase is not enough ("GRÖSSE" is
    "grösse", "Größe" too; ẞ, ſ, ς and ligatures such as ﬁ fold as well). Folded from
    the decomposed form and composed again, so the result is a match form whatever form
    the text came in."""
    if text.isascii():
        return text.lower()
    return match_form(unicodedata.normalize("NFD", text).casefold())


#: how many "ss" of one word :func:`sharp_s_readings` may read as "ß"
_MAX_SHARP_S = 3


def sharp_s_readings(word: str) -> list[str]:
    """``word`` (a word in capitals, in title case) with "ss" read as "ß", the capital of
    "ß" being "SS": "Grüsse" is "Grüße"; one "ss" at a time, left first, then two at once,
    and so on, for the first few. "sss" reads as "ßs" or "sß", never both."""
    at = [i for i in range(len(word) - 1) if word[i:i + 2] == "ss"][:_MAX_SHARP_S]
    readings = []
    for n in range(1, len(at) + 1):
        for chosen in combinations(at, n):
            if any(b - a < 2 for a, b in zip(chosen, chosen[1:])):
                continue  # overlapping: "sss" holds one ß
            reading = word
            for i in reversed(chosen):
                reading = reading[:i] + "ß" + reading[i + 2:]
            readings.append(reading)
    return readings


def _first(value: Any) -> str:
    """A lookup table's entry: a lemma, or (French, Catalan, ...) a list of them."""
    return value if isinstance(value, str) else str(value[0])


#: id of a lookup table -> (the table, its lemmas): made once per table (0.4 s for
#: Spanish's); the table is kept so that its id is not another's
_TABLE_LEMMAS: dict[int, tuple[Any, frozenset[str]]] = {}


def table_lemmas(table: Any) -> frozenset[str]:
    """The lemmas of a lookup table (its values): the dictionary forms it knows."""
    if table is None:
        return frozenset()
    known = _TABLE_LEMMAS.get(id(table))
    if known is None or known[0] is not table:
        if len(_TABLE_LEMMAS) >= 8:  # as many as _blank_pipeline keeps
            _TABLE_LEMMAS.clear()
        known = _TABLE_LEMMAS[id(table)] = (
            table, frozenset(_first(value) for value in table.values()))
    return known[1]


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


def _lemma_table(nlp: Language) -> Any:
    """The ``lemma_lookup`` table of the pipeline's lemmatizer (enabled or not), or None."""
    if "lemmatizer" not in nlp.component_names:
        return None
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_lookup"):
        return None
    return lookups.get_table("lemma_lookup")


#: words :class:`LookupLemmas` remembers the lemma of before it starts afresh
_MAX_KNOWN = 200_000


@Language.factory(LOOKUP_LEMMAS)
def _lookup_lemmas(nlp: Language, name: str) -> LookupLemmas:
    return LookupLemmas(nlp)


class LookupLemmas:
    """Set each token's lemma from the lookup table, capitalised words included.

    Gives the lemmas spaCy's lookup lemmatizer gives (the table's entry for the word, or
    the word itself), except that a capitalised word the table does not know as written
    ("Refunded" at the start of a sentence) is looked up in lowercase ("refund"); a word
    in capitals that neither finds, in title case ("GÄRTEN" as "Gärten": "Garten"), and so
    is, in a language that capitalises its nouns, a lowercase word the table knows neither
    as a word nor as a lemma ("rechnungen" as "Rechnungen": "Rechnung"; "antworten", a
    lemma, stays). Then, in a table that writes "ß", a word still not found is read with its
    "ss" as "ß" (:func:`sharp_s_readings`: "Strassen" as "Straßen", "GRÜSSE" as "Grüße").
    Works on hashes: one ``to_array`` / ``from_array`` per Doc instead of Python calls per
    token.
    """

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp
        self._lemmas: dict[int, int] | None = None
        self._forms: frozenset[str] = frozenset()
        #: every lemma of the table, in any language (:meth:`_dictionary_form`)
        self._all_forms: frozenset[str] | None = None
        self._sharp_s = False  # does the table write "ß"?
        self._nouns = False  # does the language capitalise its nouns?
        #: word -> lemma, of the words the table does not know as written
        self._known: dict[int, int] = {}

    def _table(self) -> dict[int, int]:
        """The table as hashes (word -> lemma); notes whether any lemma holds "ß"."""
        table = _lemma_table(self._nlp)
        strings = self._nlp.vocab.strings
        lemmas: dict[int, int] = {}
        if table is not None:
            for key, value in table.items():
                lemma = _first(value)
                lemmas[key] = strings.add(lemma)
                self._sharp_s = self._sharp_s or "ß" in lemma
        return lemmas

    def _sharp_s_lemma(self, lemmas: dict[int, int], text: str, orth: int, lower: int
                       ) -> int:
        """The lemma of a word whose "ss" stands for "ß" ("GRÜSSE": "Gruß"; "Strassen",
        Swiss spelling, "Straße"; "Passwörter", the table knowing only "Paßwörter":
        "Paßwort"), when the table knows the word by none of its "ss" readings, as a word or
        a lemma ("MASSE" stays "Masse", mass, and is not read as "Maße"); else ``orth``.
        Only what the table holds: the first reading it knows, as a word (its lemma) or a
        lemma. A word in capitals is read in title case; one in lowercase as written, then
        (in a language that capitalises its nouns) in title case; any other as written."""
        strings = self._nlp.vocab.strings
        if not may_fold(text, self._forms) or strings[lower] in self._forms:
            return orth
        written = match_form(text)
        if text.isupper():
            shapes = [written.title()]
        elif orth == lower and self._nouns:
            shapes = [written, written.title()]
        else:
            shapes = [written]
        for shape in shapes:
            for reading in sharp_s_readings(shape):
                lemma = lemmas.get(get_string_id(reading))
                if lemma is not None:
                    return lemma
                if reading in self._forms:
                    return strings.add(reading)
        return orth

    def __call__(self, doc: Doc) -> Doc:
        if self._lemmas is None:  # tables are loaded by nlp.initialize(), after add_pipe
            self._lemmas = self._table()
            self._forms = dictionary_forms(_lemma_table(self._nlp), self._nlp.lang)
            self._nouns = self._nlp.lang in CAPITALISED_NOUNS
        if not len(doc):
            return doc
        get, known = self._lemmas.get, self._known
        if len(known) > _MAX_KNOWN:  # a bound for millions of distinct words
            known.clear()
        lemmas = []
        for orth, lower in doc.to_array([ORTH, LOWER]).tolist():
            lemma = get(orth, orth)
            if lemma == orth:  # not in the table as written: remembered, as most words recur
                found = known.get(orth)
                if found is None:
                    found = known[orth] = self._not_as_written(orth, lower)
                lemma = found
            lemmas.append(lemma)
        values: Any = np.array(lemmas, dtype=np.uint64).reshape(-1, 1)  # spaCy's stub: Ints2d
        doc.from_array([LEMMA], values)
        return doc

    def _dictionary_form(self, text: str, lower: int) -> int:
        """The lemma of a capitalised or shouted word the table has no entry for, when a
        form of it is itself a dictionary form: "Crash" opening a sentence and "ERROR" are
        "crash" and "error" (the table lists only inflected forms, so the base form in
        capitals was its own lemma, and an LF testing ``"crash" in lemmas`` missed it); a
        shouted "RECHNUNG" is "Rechnung" where nouns are capitalised. A capitalised word in
        such a language is left as it is (a noun), as is any word whose forms the table
        does not have ("Paris")."""
        if self._all_forms is None:  # made when first needed: 0.1-0.4 s per table
            self._all_forms = table_lemmas(_lemma_table(self._nlp))
        forms, strings = self._all_forms, self._nlp.vocab.strings
        if text.isupper():
            titled = match_form(text).title()
            if titled in forms:
                return strings.add(titled)
        elif self._nouns:
            return strings.add(text)
        return lower if strings[lower] in forms else strings.add(text)

    def _not_as_written(self, orth: int, lower: int) -> int:
        """The lemma of a word the table does not know as written (``orth`` if none)."""
        assert self._lemmas is not None
        get, forms = self._lemmas.get, self._forms
        strings = self._nlp.vocab.strings
        text = strings[orth]
        lemma = orth
        if not text.isascii() and match_form(text) != text:  # with ’, or decomposed?
            lemma = get(strings.add(match_form(text)), orth)
            lower = strings.add(match_form(strings[lower]))
        if lemma == orth and orth != lower and may_fold(text, forms):
            lemma = get(lower, lemma)
        if lemma == orth and len(text) > 1 and (text.isupper() or (
                self._nouns and orth == lower and orth not in self._lemmas
                and text not in forms)):
            # shouted, or (German) a noun typed in lowercase: the table knows "Gewinne"
            # and "Rechnungen" (nouns), not "gewinne" nor "rechnungen"; not a word that is
            # itself a lemma ("antworten" is not "Antworten")
            lemma = get(get_string_id(match_form(text).title()), orth)
        if lemma == orth and self._sharp_s and len(text) > 2 and (
                "ss" in text or "SS" in text):
            lemma = self._sharp_s_lemma(self._lemmas, text, orth, lower)
        if lemma == orth and orth != lower and len(text) > 1 and may_fold(text, forms):
            lemma = self._dictionary_form(text, lower)  # ("I" stays "I")
        if lemma == orth and not text.isascii():
            # a word with a zero-width character inside ("so\u200bng") is, unknown to the
            # table, the word without it, as glossary matching reads it
            bare = text.translate(WITHOUT_INVISIBLE)
            if bare != text and bare:
                lemma = strings.add(bare)
        return lemma


@Language.factory(CASE_FOLD)
def _case_fold_lemmas(nlp: Language, name: str) -> CaseFoldLemmas:
    return CaseFoldLemmas(nlp)


class CaseFoldLemmas:
    """After spaCy's lookup lemmatizer: lemmatize capitalised words it left as written.

    The default pipeline used this before :class:`LookupLemmas` did both in one pass;
    it stays available to pipelines that name it.
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
    """A hash that changes whenever the pipeline could parse differently.

    The spaCy version, the config, the pipeline's name and version, plus what the config
    does not show: the tokenizer's rules (prefixes, suffixes, infixes, special cases:
    :func:`invisible_affixes` adds some), the lookup tables of every component
    (``spacy-lookups-data`` may change), the source of components defined outside spaCy
    (labelwright's lemma components, a project's own) and the files of a pipeline loaded
    from disk. The vote cache, the Doc cache and the match cache are keyed by it, so none
    returns what another pipeline made.
    """
    digest = hashlib.sha256()
    digest.update(spacy.__version__.encode())
    digest.update(nlp.config.to_str().encode())
    digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    tokenizer: Any = nlp.tokenizer
    if hasattr(tokenizer, "to_bytes"):  # its vocabulary grows with every text: left out
        digest.update(b"|tokenizer:" + hashlib.sha256(
            tokenizer.to_bytes(exclude=["vocab"])).digest())
    sources = {type(nlp.tokenizer).__module__}
    for name, component in nlp.components:
        # a class instance's module is its class's; a function component's is its own
        module = str(getattr(component, "__module__", None) or type(component).__module__)
        digest.update(f"|{name}:{module}.{type(component).__name__}".encode())
        sources.add(module)
        lookups = getattr(component, "lookups", None)
        if lookups is not None:
            digest.update(hashlib.sha256(lookups.to_bytes()).digest())
    for module in sorted(sources):
        if module.split(".")[0] in ("spacy", "thinc"):
            continue  # covered by the spaCy version
        file = getattr(sys.modules.get(module), "__file__", None)
        if file:
            digest.update(module.encode() + hashlib.sha256(Path(file).read_bytes()).digest())
    path = getattr(nlp, "_path", None)
    if path is not None and Path(path).is_dir():
        for file in sorted(Path(path).rglob("*")):
            if file.is_file():
                stat = file.stat()
                digest.update(f"{file.relative_to(path)}:{stat.st_size}:{stat.st_mtime_ns}"
                              .encode())
    return digest.hexdigest()


def pipeline_description(nlp: Language) -> dict[str, object]:
    return {
        "lang": nlp.lang,
        "name": nlp.meta.get("name"),
        "version": nlp.meta.get("version"),
        "components": list(nlp.pipe_names),
        "disabled": list(nlp.disabled),
        "spacy": spacy.__version__,
        "fingerprint": pipeline_fingerprint(nlp),
    }


def parse(nlp: Language, texts: Iterable[str], *, batch_size: int = 256) -> Iterator[Doc]:
    """Parse texts in batches; one Doc per text, in order."""
    return nlp.pipe(texts, batch_size=batch_size)


#: word forms (lemma, text, lowercase) whose key :class:`LemmaKeys` remembers before it
#: starts afresh
MAX_KEYS_REMEMBERED = 200_000


class LemmaKeys:
    """Case-insensitive lemma of each token, the key lemma-mode glossaries match on.

    A token the pipeline left as written (spaCy's lookup lemmatizer is case-sensitive:
    "Refunds" keeps its form) is looked up again in its :func:`match_form` and, where
    :func:`may_fold` allows, in lowercase. Keys are the lemmas' :func:`caseless` forms: a
    word the table does not know keeps its text as its lemma, and in capitals ("GRÖSSE")
    has the key it has written in lowercase ("Größe"). Works on the Doc's arrays: Token
    objects are the slow part of a pass over a Doc.
    """

    def __init__(self, nlp: Language) -> None:
        self.table = _lemma_table(nlp)
        self.forms = dictionary_forms(self.table, nlp.lang)
        #: (lemma, orth, lower) -> key: a key depends on nothing else (the table and the
        #: forms are fixed), so each word form is keyed once, wherever it occurs; a word
        #: the pipeline lemmatizes otherwise in another context has another lemma, so
        #: another entry. Bounded by :data:`MAX_KEYS_REMEMBERED`.
        self._known: dict[tuple[int, int, int], str] = {}

    def key(self, token: Token) -> str:
        return self._key(token.lemma, token.orth, token.lower, token.vocab.strings)

    def keys(self, doc: Doc) -> list[str]:
        """The key of each token."""
        if not len(doc):
            return []
        strings = doc.vocab.strings
        known = self._known
        if len(known) > MAX_KEYS_REMEMBERED:  # a bound for millions of distinct words
            known.clear()
        out = []
        for lemma, orth, lower in doc.to_array([LEMMA, ORTH, LOWER]).tolist():
            word = (lemma, orth, lower)
            key = known.get(word)
            if key is None:
                key = known[word] = self._key(lemma, orth, lower, strings)
            out.append(key)
        return out

    def _key(self, lemma: int, orth: int, lower: int, strings: Any) -> str:
        table = self.table
        if table is not None and lemma in (0, orth) and (
                orth != lower or not strings[orth].isascii()):
            text = strings[orth]
            forms = [text, match_form(text)]
            if may_fold(text, self.forms):
                forms += [strings[lower], match_form(strings[lower])]
            found = next((f for f in dict.fromkeys(forms) if f in table), None)
            return caseless(_first(table[found]) if found is not None else text)
        return caseless(strings[lemma or orth])
