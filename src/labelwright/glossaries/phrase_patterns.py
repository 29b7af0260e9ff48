"""Every glossary's phrases as spaCy ``PhraseMatcher`` patterns, one matcher per matcher
kind (:func:`~labelwright.glossaries.words.matcher_kind`), with what matching needs to know
of each phrase (its glossary, term and order, its words as written) and of each glossary
(its exclusions read as its terms are).

Apart from :mod:`~labelwright.glossaries.matching` because this is done once, when the
matcher is made; matching reads what it built on every Doc."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from labelwright.glossaries.exclusions import Cue, exclusion_cues
from labelwright.glossaries.first_words import FirstWords
from labelwright.glossaries.match_keys import case_folded_docs, term_keys
from labelwright.glossaries.respelling import Respellings, exclusion_spellings
from labelwright.glossaries.second_reading import SecondReading
from labelwright.glossaries.unaccented_forms import UnaccentedForms
from labelwright.glossaries.words import fold_accents, matcher_kind, written_words
from labelwright.nlp import LemmaKeys, plain_forms

if TYPE_CHECKING:
    from labelwright.glossaries.core import Glossary, Term

#: the token attribute each mode's matcher compares (lemma: on Docs of its keys)
ATTRS = {"exact": "ORTH", "lowercase": "LOWER", "lemma": "ORTH"}


class PhrasePatterns:
    """The patterns of every phrase of ``glossaries``, as ``nlp`` parses them (``lemma``:
    its lemma keys)."""

    def __init__(self, glossaries: Sequence[Glossary], nlp: Language,
                 lemma: LemmaKeys) -> None:
        self.glossaries = glossaries
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.lemma = lemma
        self.matchers: dict[str, PhraseMatcher] = {}
        #: match id -> the glossary, the term and the phrase (the term or a synonym as
        #: written): one id per phrase, so hits are counted per phrase too
        self.entries: dict[int, tuple[Glossary, Term, str]] = {}
        #: match id -> (glossary, term, phrase) indices: which phrase a span that several
        #: phrases match is credited to when none is written as the text is
        #: (:func:`~labelwright.glossaries.crediting.credited`)
        self.order: dict[int, tuple[int, int, int]] = {}
        #: match id -> the phrase's words as written, as its mode compares them
        self.written: dict[int, tuple[str, ...]] = {}
        #: glossary name -> its exclusions (before a match) and exclusions_after, each as
        #: (its words' keys, the phrase as written)
        self.exclusions: dict[str, list[Cue]] = {}
        self.exclusions_after: dict[str, list[Cue]] = {}
        #: per matcher kind (:func:`.words.matcher_kind`): a pattern of several words?
        self.multiword: dict[str, bool] = {}
        #: per mode: the words of its terms (with their accents, as the text's words are
        #: read for whether case splits them otherwise)
        self.term_words: dict[str, set[str]] = {}
        #: lemma-mode words that accents: ignore matches as spelt (:mod:`.respelling`)
        self.respelt = Respellings(nlp, lemma)
        #: and text words typed without accents that are forms of a term word's lemma
        self.unaccented = UnaccentedForms(nlp, lemma)
        #: the other persons of a reflexive verb (`se connecter`: "je me connecte"), and
        #: the second reading of a text's keys they and participles are matched on
        self.second = SecondReading(nlp, lemma)
        #: the first word of every pattern per matcher kind: keys that hold none are
        #: not matched (no Doc made of them)
        self.first = FirstWords(nlp.vocab)
        for gi, glossary in enumerate(glossaries):
            self._add_glossary(gi, glossary)
        self.respelt.add_patterns(self.vocab, self.first)
        self.second.set_term_words(self.term_words.get("lemma", set()))

    def _add_glossary(self, gi: int, glossary: Glossary) -> None:
        """The patterns of every phrase of ``glossary`` (the ``gi``-th), added to its matcher
        kind's matcher, and its exclusions read."""
        nlp = self.nlp
        kind = matcher_kind(glossary)
        accents = glossary.accents if kind != glossary.mode else "keep"
        matcher = self.matchers.get(kind)
        if matcher is None:
            matcher = PhraseMatcher(nlp.vocab, attr=ATTRS[glossary.mode])
            self.matchers[kind] = matcher
        # all of a glossary's phrases in one batch; exact patterns need only the
        # tokenizer (the matcher compares ORTH), the others are split as their lowercase
        tokenizer: Any = nlp.tokenizer  # typed as a callable; spaCy's has .pipe
        parse = tokenizer.pipe if glossary.mode == "exact" \
            else partial(case_folded_docs, nlp)
        docs = iter(parse([plain_forms(phrase) for term in glossary.terms
                           for phrase in term.phrases]))
        self.term_words.setdefault(glossary.mode, set())
        for ti, term in enumerate(glossary.terms):
            for pi in range(len(term.phrases)):
                self._add_phrase(matcher, kind, accents, (gi, ti, pi), next(docs))
        self.exclusions[glossary.name] = exclusion_cues(
            nlp, self.lemma, glossary, glossary.exclusions, accents)
        self.exclusions_after[glossary.name] = exclusion_cues(
            nlp, self.lemma, glossary, glossary.exclusions_after, accents)
        if glossary.mode == "lemma" and accents == "ignore":  # read as its terms are
            for side, listed in enumerate((glossary.exclusions, glossary.exclusions_after)):
                self.respelt.note_cues(kind, glossary, side, exclusion_spellings(
                    nlp, self.lemma, listed))

    def _add_phrase(self, matcher: PhraseMatcher, kind: str, accents: str,
                    order: tuple[int, int, int], phrase_doc: Doc) -> None:
        """The patterns of one phrase (``order``: its glossary's, term's and own index;
        ``phrase_doc``: it parsed), under a match id of its own."""
        gi, ti, pi = order
        glossary = self.glossaries[gi]
        term = glossary.terms[ti]
        key = f"lw:{gi}:{ti}:{pi}"
        match_id = self.vocab.strings.add(key)
        self.entries[match_id] = (glossary, term, term.phrases[pi])
        self.order[match_id] = order
        written = written_words(phrase_doc, 0, len(phrase_doc), kind)
        self.written[match_id] = tuple(written)
        keys = term_keys(phrase_doc, glossary.mode, self.lemma)
        if glossary.mode == "lemma":
            keys = self.second.phrase_keys(match_id, keys)
        self.term_words[glossary.mode].update(word for words in keys for word in words)
        if accents != "keep":
            # lemma mode: also the phrase as written, which a text written without its
            # accents has ("averia" is no word of the table, so its lemma is not the
            # lemma of "avería"), and its words whose spelling is another word's form
            # ("esta", of "este") as spelt
            keys = [[fold_accents(w, accents) for w in words] for words in keys]
            if glossary.mode == "lemma" and written not in keys:
                keys.append(written)
            if glossary.mode == "lemma" and accents == "ignore":
                self.respelt.note(matcher, kind, key, written, keys[0])
                self.unaccented.note(kind, keys[0])
        patterns = [Doc(self.vocab, words=words) for words in keys if words]
        matcher.add(key, patterns)
        self.first.add(kind, keys)
        if any(len(p) > 1 for p in patterns):
            self.multiword[kind] = True
