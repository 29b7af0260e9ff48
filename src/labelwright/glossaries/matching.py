"""How glossary terms are found in a Doc: one spaCy ``PhraseMatcher`` per match mode.

Each mode compares the :mod:`~labelwright.glossaries.match_keys` of the item and of the
terms: the words' own text as :func:`~labelwright.nlp.match_form`s (NFC, plain apostrophes,
half-width), or (``lowercase``, ``lemma``) the words' or their lemmas'
:func:`~labelwright.nlp.caseless` forms, where "ß" and "SS" are one; space tokens are left
out so a term matches across a line break. A Doc is matched as it is whenever that finds the
same (:mod:`~labelwright.glossaries.match_route`; the common case; in ``lowercase`` mode, a
text whose caseless form is its lowercase, or whose words that fold to more, "Grüße", are no
phrase's), else through a Doc of its keys; a text holding a typographic apostrophe or a
full-width form of ASCII ("ＳＫＵ－８８２３１") is matched on a copy with plain ones
(:func:`~labelwright.nlp.plain_forms`; made as :mod:`~labelwright.glossaries.plain_copy`
says, mostly of the item's own tokens), but under a tokenizer that splits words into
characters (Chinese), which splits either alike. There a match must not start or end inside
a word of a script written with spaces ("refund" is not in "nonrefundable":
:func:`~labelwright.glossaries.words.inside_word`). The tokenizer's exceptions depend on
case ("didn't" is "did" + "n't", "DIDN'T" one token; "U.S." one token, "u.s." two):
``lowercase`` and ``lemma`` glossaries split their terms and a text where that matters as
its lowercase is split (:func:`~labelwright.glossaries.match_keys.case_folded_docs`).
Exclusions cancel a match when they occur within the glossary's ``window`` of words before
it (``exclusions_after``: after it) in the same sentence and clause, compared caseless in
every mode (:mod:`~labelwright.glossaries.exclusions`; :mod:`labelwright.glossaries.words`
finds the windows and says what a glossary with ``accents: ignore`` compares; in lemma mode
a text is matched once more on a second reading of its keys, for a reflexive verb with any
person's pronoun, `se connecter` on "je me connecte" and across the negation, "je ne me
suis pas connecté", Spanish's words with pronouns written on, "conéctate", and French
participles after an auxiliary: :mod:`~labelwright.glossaries.second_reading`; with
``accents: ignore``, a word spelt as a term's word is without accents, "esta" for "está":
:mod:`~labelwright.glossaries.respelling`, and a word that is a form of a term word's
lemma with its accents put back, "preleve" for `prélever`:
:mod:`~labelwright.glossaries.unaccented_forms`). Words several
phrases of a glossary match are credited to the phrase written as the text is, else to the
one that matched more words, else to the one the glossary lists first, and in lemma mode a
span written as the text is takes words a longer span not so written also matched
(:mod:`~labelwright.glossaries.crediting`).
:mod:`labelwright.glossaries.core` loads and checks the glossaries this matches;
:mod:`labelwright.glossaries.phrase_patterns` makes their patterns, and
:mod:`labelwright.glossaries.doc_facts` says what a Doc's text holds that matching asks once.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from labelwright.glossaries.crediting import Span, credited
from labelwright.glossaries.doc_facts import DocFacts
from labelwright.glossaries.exclusions import (
    found_among,
    found_exclusion,
)
from labelwright.glossaries.match_keys import (
    case_folded_docs,
    match_keys,
)
from labelwright.glossaries.match_route import (
    CaseSplits,
    before_invisible_tail,
    mapped_matches,
)
from labelwright.glossaries.phrase_patterns import PhrasePatterns
from labelwright.glossaries.plain_copy import PlainCopies
from labelwright.glossaries.words import (
    JOINING_HYPHENS,
    fold_accents,
    kind_accents,
    kind_mode,
    span_inside_word,
    splits_words_into_characters,
)
from labelwright.lfs.item import GlossaryMatch
from labelwright.nlp import (
    LemmaKeys,
    match_form,
    plain_forms,
)

if TYPE_CHECKING:
    from labelwright.glossaries.core import Glossary, Term


class GlossaryMatcher:
    """Finds every glossary term in a Doc in one pass per match mode.

    Each mode compares :func:`match_keys`. A Doc is matched as it is when that gives the
    same matches (its tokens are their own match forms, and it has no space token or the
    mode has no phrase of several words: only those can span one), else through a Doc of
    its keys.
    """

    def __init__(self, glossaries: Sequence[Glossary], nlp: Language) -> None:
        from labelwright.nlp.lazy import as_pipeline

        nlp = as_pipeline(nlp)  # a project's stand-in: spaCy's PhraseMatcher wants its own
        self.glossaries = list(glossaries)
        self._nlp = nlp
        self._vocab = nlp.vocab
        self._lemma = LemmaKeys(nlp)
        # the phrases' patterns, one PhraseMatcher per matcher kind, and what matching
        # needs of each phrase and glossary (:class:`.phrase_patterns.PhrasePatterns`)
        built = PhrasePatterns(self.glossaries, nlp, self._lemma)
        self._matchers, self._entries, self._order = built.matchers, built.entries, built.order
        self._written, self._multiword = built.written, built.multiword
        self._exclusions, self._exclusions_after = built.exclusions, built.exclusions_after
        self._term_words, self._first = built.term_words, built.first
        self._respelt, self._unaccented, self._second = (built.respelt, built.unaccented,
                                                         built.second)
        #: whether a hyphen joining two words reads as a space (:data:`.words.JOINING_HYPHENS`)
        self._hyphens = nlp.lang in JOINING_HYPHENS
        # the matcher kinds that compare words as written, and those that fold case (the
        # same for every text: worked out once)
        self._exact_kinds = [kind for kind in self._matchers if kind_mode(kind) == "exact"]
        self._folded_kinds = [kind for kind in self._matchers if kind_mode(kind) != "exact"]
        self._has_lemma = any(kind_mode(kind) == "lemma" for kind in self._matchers)
        self._copies = PlainCopies(nlp)  # the Docs of texts written otherwise plain
        self._folding = bool(self._folded_kinds)
        # the words of the phrases that ignore case: a word that splits otherwise in
        # lowercase matters only when one of its pieces is one of them ("DIDN'T" for the
        # exclusion "n't"; not "Mr." in most projects)
        self._case = CaseSplits(
            nlp, self._lemma, lowercase_words=self._words("lowercase"),
            folded_words={word for mode in {kind_mode(kind) for kind in self._matchers}
                          if mode != "exact" for word in self._words(mode)},
            has_lemma=self._has_lemma)
        #: does the tokenizer split words into characters (Chinese)? Then a match must not
        #: start or end inside a word of a script written with spaces
        #: (:func:`~labelwright.glossaries.words.span_inside_word`)
        self._character_tokens = splits_words_into_characters(nlp)

    def capped_phrases(self) -> list[tuple[Glossary, Term, str, int]]:
        """The phrases (glossary, term, phrase) that needed more patterns with marks than
        :data:`~.respelling.MAX_MARKED_PATTERNS`, with how many: texts spelt as those left
        out are missed (:mod:`~labelwright.glossaries.capped_patterns` says so)."""
        strings = self._vocab.strings
        return [(*self._entries[strings[key]], needed)
                for key, needed in self._respelt.capped.items()]

    def capped_exclusions(self) -> dict[tuple[str, str], int]:
        """The exclusions ((glossary name, phrase)) that needed more patterns with marks
        than :data:`~.respelling.MAX_MARKED_PATTERNS`, with how many."""
        return dict(self._respelt.capped_cues)

    def _words(self, mode: str) -> set[str]:
        """The keys of every word of ``mode``'s phrases (terms and exclusions)."""
        words = set(self._term_words.get(mode, ()))
        for glossary in self.glossaries:
            if glossary.mode == mode:
                for phrase_keys, _ in (*self._exclusions[glossary.name],
                                       *self._exclusions_after[glossary.name]):
                    words.update(phrase_keys)
        return words

    def match(self, doc: Doc, text: str | None = None) -> list[GlossaryMatch]:
        """Every term found in ``doc``; ``text``: its text, when the caller has it
        (``doc.text`` makes a Token of every token)."""
        text = doc.text if text is None else text
        # a tokenizer that splits words into characters splits the plain forms alike: its
        # tokens' keys are plain already (see match_form)
        plain = text if text.isascii() or self._character_tokens \
            or (as_plain := plain_forms(text)) == text else as_plain
        fold = self._folding and self._case.splits_otherwise(plain)
        exact = self._exact_kinds
        found = []
        if not fold or exact:
            # a copy with plain apostrophes and half-width forms (see plain_forms and
            # plain_copy; lemmas only where a lemma-mode glossary reads them): matches are
            # mapped back to the item's own tokens by character offsets, which it keeps
            base = doc if plain is text else self._copies.copy(
                doc, text, plain, self._has_lemma and not fold)
            own = self._match(base, plain, modes=exact if fold else None)
            found = own if base is doc else mapped_matches(doc, base, own)
        if fold:
            folded = case_folded_docs(self._nlp, [plain])[0]
            found += mapped_matches(doc, folded, self._match(folded, plain,
                                                             modes=self._folded_kinds))
            found.sort(key=lambda m: (m.start, m.end, m.glossary))
        return found

    def _match(self, doc: Doc, text: str, modes: Sequence[str] | None = None
               ) -> list[GlossaryMatch]:
        """Every term ``doc`` holds, by the matcher kinds of ``modes`` (None: all)."""
        found: list[GlossaryMatch] = []
        facts = DocFacts(doc, before_invisible_tail(doc, text), hyphens=self._hyphens)
        own_forms, own_lower = self._own_forms(facts.text, facts.ascii)
        for kind, matcher in self._matchers.items():
            if modes is not None and kind not in modes:
                continue
            read = self._spans(kind, matcher, facts, own_forms, own_lower)
            if read.spans:
                found += self._found(kind, read, facts)
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, m.end, m.glossary))
        return found

    def _own_forms(self, text: str, ascii: bool) -> tuple[bool, bool]:
        """Whether the Doc's tokens are their own match forms, and their lowercase their
        caseless forms (lowercase mode compares each word's caseless form: the LOWER the
        Doc holds, but where that composes otherwise (J̌) or a word folds to more than its
        lowercase ("Größe" is "grösse") and that word is one of the mode's)."""
        own_forms = ascii or match_form(text) == text
        own_lower = ascii
        if not ascii and own_forms and "lowercase" in self._matchers:
            lowered = text.lower()
            own_lower = match_form(lowered) == lowered and (
                text.casefold() == lowered or not self._case.folds_matter(text))
        return own_forms, own_lower

    def _spans(self, kind: str, matcher: PhraseMatcher, facts: DocFacts, own_forms: bool,
               own_lower: bool) -> _KindReading:
        """The spans ``matcher`` (of matcher kind ``kind``) finds, credited where several
        phrases match the same words, with the keys they were found on."""
        doc, mode, accents = facts.doc, kind_mode(kind), kind_accents(kind)
        # a kind that folds accents matches on its keys folded, but for an ASCII text,
        # whose words are their own
        accentless = accents != "keep"
        # match the Doc itself when that finds the same: its tokens are their own match
        # forms, and no space token can split a phrase of several words
        direct = mode != "lemma" and (own_lower if mode == "lowercase" else own_forms) \
            and (facts.ascii or not accentless)
        if direct and self._multiword.get(kind):
            direct = not facts.spaced()
        read = _KindReading(direct)
        if direct:
            spans = matcher(doc)
        else:
            read.keys, read.keep = keys, keep = self._keys(doc, mode, accents)
            spans = self._phrases_in(matcher, kind, keys)
            read.marked = marked = self._respelt.text_keys(kind, doc, keys, keep) \
                if mode == "lemma" and accentless else None
            if marked is not None:  # words spelt as another word's form: see above
                spans = list(dict.fromkeys([*spans, *self._phrases_in(matcher, kind, marked)]))
            forms = self._unaccented.text_keys(
                kind, doc, marked if marked is not None else keys, keep) \
                if mode == "lemma" and accents == "ignore" else None
            if forms is not None:  # "preleve" as a form of `prélever`: see above
                spans = list(dict.fromkeys([*spans, *self._phrases_in(matcher, kind, forms)]))
            if mode == "lemma" and self._second:  # "ne me suis pas connecté"
                more = self._second.spans(matcher, accents, (keys, marked, forms), doc,
                                          keep, read.skipped, read.widths)
                if more:
                    spans = list(dict.fromkeys([*spans, *more]))
        if len(spans) > 1:
            spans = credited(spans, doc, kind, None if direct else read.keep,
                             order=self._order, written=self._written, widths=read.widths)
        read.spans = spans
        return read

    def _found(self, kind: str, read: _KindReading, facts: DocFacts) -> list[GlossaryMatch]:
        """A match per span of ``read`` that no longer or earlier match of its glossary
        overlaps, each with the exclusion that cancels it, if one does."""
        found = []
        doc, text, direct = facts.doc, facts.text, read.direct
        exclusions, after = self._exclusions, self._exclusions_after
        taken_until: dict[str, int] = {}
        for match_id, start, end in read.spans:
            glossary, term, phrase = self._entries[match_id]
            if start < taken_until.get(glossary.name, 0):
                continue  # overlaps a longer or earlier match of the same glossary
            if self._character_tokens and span_inside_word(
                    doc, text, start, end, None if direct else read.keep):
                continue  # "refund" in "nonrefundable", split into characters
            taken_until[glossary.name] = end
            excluded_by = self._excluded_by(glossary, (match_id, start, end), kind, read,
                                            facts) \
                if exclusions[glossary.name] or after[glossary.name] else None
            if not direct and read.keep is not None:
                start, end = read.keep[start], read.keep[end - 1] + 1
            found.append(GlossaryMatch(
                glossary=glossary.name,
                label=glossary.label,
                term=term.term,
                text=doc[start:end].text,
                start=start,
                end=end,
                note=term.note,
                excluded_by=excluded_by,
                phrase=phrase,
            ))
        return found

    def _excluded_by(self, glossary: Glossary, span: Span, kind: str, read: _KindReading,
                     facts: DocFacts) -> str | None:
        """The exclusion of ``glossary`` within its window of ``span``, else None; the
        Doc's keys are read into ``read`` here when it matched the Doc itself (only when
        some exclusion may apply)."""
        doc, text, direct = facts.doc, facts.text, read.direct
        mode = kind_mode(kind)
        before, after = self._exclusions[glossary.name], self._exclusions_after[glossary.name]
        match_id, start, end = span
        if read.keys is None and direct and not facts.spaced():  # words are their keys
            # (lowercase: a word whose lowercase is not its caseless form is direct only
            # when it folds to no phrase's word, see match)
            read.keys = ([t.lower_ for t in doc] if mode == "lowercase"
                         else [t.text for t in doc])
        elif read.keys is None:
            read.keys, read.keep = self._keys(doc, mode, kind_accents(kind))
        keys, keep = read.keys, read.keep
        # the window counts keys (no space tokens)
        at, last = (bisect.bisect_left(keep, start),
                    bisect.bisect_left(keep, end - 1)) if direct and keep \
            else (start, end - 1)
        starts = facts.window_starts(glossary.window_stops_at)
        tokens = self._character_tokens
        excluded_by = found_exclusion(glossary, before, after, doc, text, keys, keep, at, last,
                                      starts, character_tokens=tokens)
        if excluded_by is None and read.marked is not None:  # "no esta" for "no está"
            excluded_by = found_exclusion(
                glossary, *self._respelt.cues(glossary.name), doc, text, read.marked,
                keep, at, last, starts, character_tokens=tokens)
        if excluded_by is None and span in read.skipped:
            # the words a reflexive match skips: "ne me suis pas connecté"
            excluded_by = found_among(glossary, [*before, *after], doc, text, keys, keep,
                                      read.skipped[span], character_tokens=tokens)
        return excluded_by

    def _phrases_in(self, matcher: PhraseMatcher, kind: str, keys: list[str]
                    ) -> list[tuple[int, int, int]]:
        """``matcher``'s matches in a Doc of ``keys``, made only when a key is some
        pattern's first word (:class:`~.first_words.FirstWords`)."""
        if not self._first.may_match(kind, keys):
            return []
        return matcher(Doc(self._vocab, words=keys))

    def _keys(self, doc: Doc, mode: str, accents: str
              ) -> tuple[list[str], list[int] | None]:
        """:func:`match_keys`, with accents folded for a matcher kind that folds them."""
        keys, keep = match_keys(doc, mode, self._lemma)
        return ([fold_accents(key, accents) for key in keys] if accents != "keep"
                else keys), keep


class _KindReading:
    """The spans one matcher kind found in a Doc, and the keys it read them on."""

    __slots__ = ("direct", "keep", "keys", "marked", "skipped", "spans", "widths")

    def __init__(self, direct: bool) -> None:
        self.direct = direct  # matched on the Doc itself, not a Doc of its keys
        self.spans: list[Span] = []
        self.keys: list[str] | None = None
        self.keep: list[int] | None = None  # key position -> token index (None: the same)
        self.marked: list[str] | None = None  # keys with words matched as spelt marked
        self.skipped: dict[Span, list[int]] = {}  # a reflexive match -> the keys it skips
        self.widths: dict[Span, int] = {}  # a match -> the read words it holds, where more
