"""How glossary terms are found in a Doc: one spaCy ``PhraseMatcher`` per match mode.

Each mode compares the :mod:`~labelwright.glossaries.match_keys` of the item and of the
terms: the words' own text as :func:`~labelwright.nlp.match_form`s (NFC, plain apostrophes,
half-width), or (``lowercase``, ``lemma``) the words' or their lemmas'
:func:`~labelwright.nlp.caseless` forms, where "ß" and "SS" are one; space tokens are left
out so a term matches across a line break. A Doc is matched as it is whenever that finds
the same (the common case; in ``lowercase`` mode, a text whose caseless form is its
lowercase, or whose words that fold to more, "Grüße", are no phrase's), else through a Doc
of its keys; a text holding a typographic apostrophe or a full-width form of ASCII
("ＳＫＵ－８８２３１") is matched on a copy with plain ones (:func:`~labelwright.nlp.plain_forms`;
made as :mod:`~labelwright.glossaries.plain_copy` says, mostly of the item's own tokens),
but under a tokenizer that splits words into characters (Chinese), which splits either
alike. There a match must not start or end inside a word of a script written with spaces
("refund" is not in "nonrefundable": :func:`~labelwright.glossaries.words.inside_word`).
The tokenizer's exceptions depend on case ("didn't" is "did" + "n't", "DIDN'T" one token;
"U.S." one token, "u.s." two): ``lowercase`` and ``lemma`` glossaries split their terms and
a text where that matters as its lowercase is split
(:func:`~labelwright.glossaries.match_keys.case_folded_docs`). Exclusions cancel a match
when they occur within the glossary's ``window`` of words before it (``exclusions_after``:
after it) in the same sentence and clause, compared caseless in every mode
(:mod:`labelwright.glossaries.words`, which also says what a glossary with
``accents: ignore`` compares). Words several phrases of a glossary match are credited to
the phrase written as the text is, else to the one the glossary lists first, and in lemma
mode a span written as the text is takes words a longer span not so written also matched
(:meth:`GlossaryMatcher._credited`). :mod:`labelwright.glossaries.core` loads and checks
the glossaries this matches.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from labelwright.glossaries.match_keys import (
    _lowered_alike,
    case_folded_docs,
    match_keys,
    phrase_docs,
    term_keys,
)
from labelwright.glossaries.plain_copy import PlainCopies
from labelwright.glossaries.words import (
    exclusion_form,
    exclusion_words,
    fold_accents,
    inside_word,
    kind_accents,
    kind_mode,
    line_starts,
    list_item_start,
    list_item_starts,
    matcher_kind,
    next_start,
    splits_words_into_characters,
    window_after_positions,
    window_positions,
    written_words,
)
from labelwright.lfs.item import GlossaryMatch
from labelwright.nlp import (
    LemmaKeys,
    caseless,
    match_form,
    plain_forms,
)
from labelwright.text_form import INVISIBLE

if TYPE_CHECKING:
    from labelwright.glossaries.core import Glossary, Term


#: words :meth:`GlossaryMatcher._case_splits_otherwise` and
#: :meth:`GlossaryMatcher._folds_matter` remember before they start afresh
_MAX_REMEMBERED = 200_000

#: where a text may hold a space token: a run of whitespace, whitespace other than " ", or
#: whitespace first (a text that does not match has none; one that does may)
_MAY_HAVE_SPACE_TOKEN = re.compile(r"\s\s|[^\S ]|^\s")


def _may_have_space_token(text: str, ascii: bool) -> bool:
    """:data:`_MAY_HAVE_SPACE_TOKEN`, with plain tests for ASCII (3x faster): every ASCII
    whitespace but " " (tab, line ends, \\x1c-\\x1f) is a control character, which
    ``isprintable`` finds."""
    if ascii:
        return "  " in text or text[:1] == " " or not text.isprintable()
    return _MAY_HAVE_SPACE_TOKEN.search(text) is not None


def _before_invisible_tail(doc: Doc, text: str) -> str:
    """``text`` without the zero-width characters it ends with when they are a token of
    their own (as the tokenizer splits them, :func:`~labelwright.nlp.invisible_affixes`):
    a token no phrase holds, after every word, so what the text's words say about matching
    the Doc as it is holds for the Doc (of the UCI YouTube comments, 79% end in "\ufeff";
    they are matched as the Doc they are, not through their keys)."""
    if not text or text[-1] not in INVISIBLE:
        return text
    words = text.rstrip(INVISIBLE)
    return words if len(doc) and doc[-1].idx >= len(words) else text


class GlossaryMatcher:
    """Finds every glossary term in a Doc in one pass per match mode.

    Each mode compares :func:`match_keys`. A Doc is matched as it is when that gives the
    same matches (its tokens are their own match forms, and it has no space token or the
    mode has no phrase of several words: only those can span one), else through a Doc of
    its keys.
    """

    _ATTRS = {"exact": "ORTH", "lowercase": "LOWER", "lemma": "ORTH"}  # lemma: on key docs

    def __init__(self, glossaries: Sequence[Glossary], nlp: Language) -> None:
        self.glossaries = list(glossaries)
        self._nlp = nlp
        self._vocab = nlp.vocab
        self._lemma = LemmaKeys(nlp)
        self._matchers: dict[str, PhraseMatcher] = {}
        #: match id -> the glossary, the term and the phrase (the term or a synonym as
        #: written): one id per phrase, so hits are counted per phrase too
        self._entries: dict[int, tuple[Glossary, Term, str]] = {}
        #: match id -> (glossary, term, phrase) indices: which phrase a span that several
        #: phrases match is credited to when none is written as the text is (see _credited)
        self._order: dict[int, tuple[int, int, int]] = {}
        #: match id -> the phrase's words as written, as its mode compares them
        self._written: dict[int, tuple[str, ...]] = {}
        #: glossary name -> its exclusions (before a match) and exclusions_after, each as
        #: (its words' keys, the phrase as written)
        self._exclusions: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._exclusions_after: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        #: per matcher kind (:func:`.words.matcher_kind`): a pattern of several words?
        self._multiword: dict[str, bool] = {}
        #: per mode: the words of its terms (with their accents, as the text's words are
        #: read for whether case splits them otherwise)
        self._term_words: dict[str, set[str]] = {}
        for gi, glossary in enumerate(self.glossaries):
            kind = matcher_kind(glossary)
            accents = glossary.accents if kind != glossary.mode else "keep"
            matcher = self._matchers.get(kind)
            if matcher is None:
                matcher = PhraseMatcher(nlp.vocab, attr=self._ATTRS[glossary.mode])
                self._matchers[kind] = matcher
            # all of a glossary's phrases in one batch; exact patterns need only the
            # tokenizer (the matcher compares ORTH), the others are split as their lowercase
            tokenizer: Any = nlp.tokenizer  # typed as a callable; spaCy's has .pipe
            parse = tokenizer.pipe if glossary.mode == "exact" \
                else partial(case_folded_docs, nlp)
            docs = iter(parse([plain_forms(phrase) for term in glossary.terms
                               for phrase in term.phrases]))
            words_of = self._term_words.setdefault(glossary.mode, set())
            for ti, term in enumerate(glossary.terms):
                for pi, phrase in enumerate(term.phrases):
                    key = f"lw:{gi}:{ti}:{pi}"
                    match_id = nlp.vocab.strings.add(key)
                    self._entries[match_id] = (glossary, term, phrase)
                    self._order[match_id] = (gi, ti, pi)
                    phrase_doc = next(docs)
                    written = written_words(phrase_doc, 0, len(phrase_doc), kind)
                    self._written[match_id] = tuple(written)
                    keys = term_keys(phrase_doc, glossary.mode, self._lemma)
                    words_of.update(word for words in keys for word in words)
                    if accents != "keep":
                        # lemma mode: also the phrase as written, which a text written
                        # without its accents has ("averia" is no word of the table, so
                        # its lemma is not the lemma of "avería")
                        keys = [[fold_accents(w, accents) for w in words] for words in keys]
                        if glossary.mode == "lemma" and written not in keys:
                            keys.append(written)
                    patterns = [Doc(self._vocab, words=words) for words in keys if words]
                    matcher.add(key, patterns)
                    if any(len(p) > 1 for p in patterns):
                        self._multiword[kind] = True
            self._exclusions[glossary.name] = self._exclusion_keys(
                glossary, glossary.exclusions, accents)
            self._exclusions_after[glossary.name] = self._exclusion_keys(
                glossary, glossary.exclusions_after, accents)
        # the matcher kinds that compare words as written, and those that fold case (the
        # same for every text: worked out once)
        self._exact_kinds = [kind for kind in self._matchers if kind_mode(kind) == "exact"]
        self._folded_kinds = [kind for kind in self._matchers if kind_mode(kind) != "exact"]
        self._has_lemma = any(kind_mode(kind) == "lemma" for kind in self._matchers)
        self._copies = PlainCopies(nlp)  # the Docs of texts written otherwise plain
        self._folding = bool(self._folded_kinds)
        self._splits_otherwise: dict[str, bool] = {}  # word -> does its lowercase split?
        self._folds: dict[str, bool] = {}  # word -> does it fold to a lowercase-mode word?
        self._lowercase_words = self._words("lowercase")
        # the words of the phrases that ignore case: a word that splits otherwise in
        # lowercase matters only when one of its pieces is one of them ("DIDN'T" for the
        # exclusion "n't"; not "Mr." in most projects)
        self._folded_words = {word for mode in {kind_mode(kind) for kind in self._matchers}
                              if mode != "exact" for word in self._words(mode)}
        rules: Any = getattr(nlp.tokenizer, "rules", None) or {}
        self._word_rules = {key.lower() for key in rules if key.isalpha()}  # "gonna", ...
        #: does a word's case never change how spaCy's rule-based tokenizer splits it, bar
        #: its rules (above)? A segmenter's may: jieba reads "T恤" as one word and "t恤" as
        #: two, so "T恤" in a text never matched a lowercase term "T恤"
        self._rule_tokenizer = isinstance(nlp.tokenizer, Tokenizer)
        #: does the tokenizer split words into characters (Chinese)? Then a match must not
        #: start or end inside a word of a script written with spaces (see _inside_word)
        self._character_tokens = splits_words_into_characters(nlp)

    def _exclusion_keys(self, glossary: Glossary, phrases: Sequence[str], accents: str
                        ) -> list[tuple[tuple[str, ...], str]]:
        """Each exclusion phrase's words as the window compares them, with the phrase: an
        exclusion is a cue, not a term, so caseless in every mode (an exact glossary's
        window words are folded as they are compared, see :meth:`_exclusion`)."""
        docs = phrase_docs(self._nlp, glossary.mode, phrases)
        found = []
        for phrase, doc in zip(phrases, docs):
            words = exclusion_form(exclusion_words(match_keys(doc, glossary.mode,
                                                              self._lemma)[0]),
                                   glossary.mode, accents)
            if words:
                found.append((words, phrase))
        return found

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
        fold = self._folding and self._case_splits_otherwise(plain)
        exact = self._exact_kinds
        found = []
        if not fold or exact:
            # a copy with plain apostrophes and half-width forms (see plain_forms and
            # plain_copy; lemmas only where a lemma-mode glossary reads them): matches are
            # mapped back to the item's own tokens by character offsets, which it keeps
            base = doc if plain is text else self._copies.copy(
                doc, text, plain, self._has_lemma and not fold)
            own = self._match(base, plain, modes=exact if fold else None)
            found = own if base is doc else self._mapped(doc, base, own)
        if fold:
            folded = case_folded_docs(self._nlp, [plain])[0]
            found += self._mapped(doc, folded, self._match(folded, plain,
                                                           modes=self._folded_kinds))
            found.sort(key=lambda m: (m.start, m.end, m.glossary))
        return found

    @staticmethod
    def _mapped(doc: Doc, copy: Doc, matches: list[GlossaryMatch]) -> list[GlossaryMatch]:
        """``matches`` found in ``copy`` (the same characters, other tokens) as matches of
        ``doc``'s tokens, by character offsets."""
        found: list[GlossaryMatch] = []
        taken_until: dict[str, int] = {}
        mapped = []
        for m in matches:
            first, last = copy[m.start], copy[m.end - 1]
            span = doc.char_span(first.idx, last.idx + len(last), alignment_mode="expand")
            if span is not None:
                mapped.append(replace(m, text=span.text, start=span.start, end=span.end))
        # two matches of the copy ("it", "'s") may land on one token of the item ("it‘s"):
        # as on any text, a glossary's matches do not overlap (the longer, earlier wins)
        for m in sorted(mapped, key=lambda m: (m.start, m.start - m.end)):
            if m.start >= taken_until.get(m.glossary, 0):
                taken_until[m.glossary] = m.end
                found.append(m)
        found.sort(key=lambda m: (m.start, m.end, m.glossary))
        return found

    def _case_splits_otherwise(self, text: str) -> bool:
        """Would ``text`` split into other tokens in lowercase ("DIDN'T", "U.S.", "GONNA")
        where that can change a match: a piece of the word, split either way, is a word of
        some phrase that ignores case. The tokenizer splits each run of non-space characters
        on its own, so each run with a capital letter is asked once (remembered: most
        repeat); a run of letters only splits by case only when it is one of the
        tokenizer's exceptions. Not so a run with digits: English's suffix rules split a
        unit off a number or a code in lowercase only ("500mg" is "500" + "mg", "500MG"
        one token; "t2dm" is "t2" + "dm"), so those are asked."""
        if text.lower() == text:
            return False
        known = self._splits_otherwise
        if len(known) > _MAX_REMEMBERED:  # a bound on memory for millions of distinct words
            known.clear()
        for chunk in text.split():
            splits = known.get(chunk)
            if splits is None:
                splits = known[chunk] = self._chunk_matters(chunk)
            if splits:
                return True
        return False

    def _folds_matter(self, text: str) -> bool:
        """Does a word of ``text`` whose caseless form is not its lowercase ("Größe":
        "grösse", not "größe") fold to a word of a ``lowercase`` phrase? Only then can
        matching the Doc as it is (on its lowercase) miss a match or an exclusion: a
        German text that holds "Grüße" but no term with "ß" or "ss" is matched as it is.
        Asked per run of non-space characters, remembered (most repeat)."""
        known = self._folds
        if len(known) > _MAX_REMEMBERED:
            known.clear()
        for chunk in text.split():
            if chunk.casefold() == chunk.lower():
                continue
            matters = known.get(chunk)
            if matters is None:
                tokenizer = self._nlp.tokenizer  # the tokens of either split (see match)
                pieces = {t.text for t in tokenizer(chunk)}
                pieces.update(t.text for t in tokenizer(_lowered_alike(chunk)))
                matters = known[chunk] = any(
                    folded != piece.lower() and folded in self._lowercase_words
                    for piece in pieces for folded in (caseless(piece),))
            if matters:
                return True
        return False

    def _chunk_matters(self, chunk: str) -> bool:
        """:meth:`_case_splits_otherwise` for one run of non-space characters."""
        lowered = chunk.lower()
        if lowered == chunk or (self._rule_tokenizer and lowered.isalpha()
                                and lowered not in self._word_rules):
            return False
        tokenizer = self._nlp.tokenizer
        cased = [t.text.lower() for t in tokenizer(chunk)]
        folded = [t.text for t in tokenizer(lowered)]
        if cased == folded:
            return False
        pieces = set(cased) | set(folded)
        if self._has_lemma:  # the pieces' lemmas
            for doc in (case_folded_docs(self._nlp, [chunk])[0], self._nlp(chunk)):
                pieces.update(self._lemma.keys(doc))
        pieces = {caseless(p) for p in pieces if any(c.isalnum() for c in p)}
        return not pieces.isdisjoint(self._folded_words)

    def _match(self, doc: Doc, text: str, modes: Sequence[str] | None = None
               ) -> list[GlossaryMatch]:
        found: list[GlossaryMatch] = []
        entries, exclusions, after = self._entries, self._exclusions, self._exclusions_after
        text = _before_invisible_tail(doc, text)
        ascii = text.isascii()
        own_forms = ascii or match_form(text) == text
        # lowercase mode compares each word's caseless form: the LOWER the Doc holds, but
        # where that composes otherwise (J̌) or a word folds to more than its lowercase
        # ("Größe" is "grösse") and that word is one of the mode's
        own_lower = ascii
        if not ascii and own_forms and "lowercase" in self._matchers:
            lowered = text.lower()
            own_lower = match_form(lowered) == lowered and (
                text.casefold() == lowered or not self._folds_matter(text))
        spaced: bool | None = None  # may the Doc hold a space token? (asked when it matters)
        item_starts: list[int] | None = None  # where list items open lines (when needed)
        lines: list[int] | None = None  # where lines start (window_stops_at: line)
        for kind, matcher in self._matchers.items():
            if modes is not None and kind not in modes:
                continue
            mode = kind_mode(kind)
            # a kind that folds accents matches on its keys folded, but for an ASCII
            # text, whose words are their own
            accents = kind_accents(kind)
            accentless = accents != "keep"
            keys: list[str] | None = None
            keep: list[int] | None = None  # key position -> token index (None: the same)
            # match the Doc itself when that finds the same: its tokens are their own match
            # forms, and no space token can split a phrase of several words
            direct = mode != "lemma" and (own_lower if mode == "lowercase" else own_forms) \
                and (ascii or not accentless)
            if direct and self._multiword.get(kind):
                if spaced is None:
                    spaced = _may_have_space_token(text, ascii)
                direct = not spaced
            if direct:
                spans = matcher(doc)
            else:
                keys, keep = self._keys(doc, mode, accents)
                spans = matcher(Doc(self._vocab, words=keys))
            if not spans:
                continue
            if len(spans) > 1:
                spans = self._credited(spans, doc, kind, None if direct else keep)
            taken_until: dict[str, int] = {}
            for match_id, start, end in spans:
                glossary, term, phrase = entries[match_id]
                if start < taken_until.get(glossary.name, 0):
                    continue  # overlaps a longer or earlier match of the same glossary
                if self._character_tokens and self._inside_word(
                        doc, text, start, end, None if direct else keep):
                    continue  # "refund" in "nonrefundable", split into characters
                taken_until[glossary.name] = end
                excluded_by = None
                if exclusions[glossary.name] or after[glossary.name]:
                    # token keys only when some exclusion may apply
                    if spaced is None:
                        spaced = _may_have_space_token(text, ascii)
                    if keys is None and direct and not spaced:  # words are their keys
                        # (lowercase: a word whose lowercase is not its caseless form
                        # is direct only when it folds to no phrase's word, see match)
                        keys = ([t.lower_ for t in doc] if mode == "lowercase"
                                else [t.text for t in doc])
                    elif keys is None:
                        keys, keep = self._keys(doc, mode, accents)
                    # the window counts keys (no space tokens)
                    at, last = (bisect.bisect_left(keep, start),
                                bisect.bisect_left(keep, end - 1)) if direct and keep \
                        else (start, end - 1)
                    # where lines or list items start: once per Doc (a 10 MB text matched
                    # 750,000 times: a search of the text per match took minutes)
                    if lines is None:
                        lines = line_starts(doc) if "\n" in text or "\r" in text else []
                    if glossary.window_stops_at == "line":
                        starts = lines
                    else:
                        if item_starts is None:
                            item_starts = list_item_starts(doc, lines)
                        starts = item_starts
                    excluded_by = self._exclusion(glossary, doc, text, keys, keep, at, last,
                                                  starts)
                if not direct and keep is not None:
                    start, end = keep[start], keep[end - 1] + 1
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
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, m.end, m.glossary))
        return found

    @staticmethod
    def _inside_word(doc: Doc, text: str, start: int, end: int, keep: list[int] | None
                     ) -> bool:
        """Does the match of ``doc[start:end]`` (of key positions, when ``keep`` maps them
        to tokens) start or end inside a word of a script written with spaces
        (:func:`~labelwright.glossaries.words.inside_word`)? Asked when the tokenizer splits
        words into characters: a tokenizer that keeps words whole has made the word's
        tokens itself ("cannot" is "can" + "not" in English, and "not" matches there)."""
        first, last = (doc[start], doc[end - 1]) if keep is None \
            else (doc[keep[start]], doc[keep[end - 1]])
        return inside_word(text, first.idx) or inside_word(text, last.idx + len(last))

    def _keys(self, doc: Doc, mode: str, accents: str
              ) -> tuple[list[str], list[int] | None]:
        """:func:`match_keys`, with accents folded for a matcher kind that folds them."""
        keys, keep = match_keys(doc, mode, self._lemma)
        return ([fold_accents(key, accents) for key in keys] if accents != "keep"
                else keys), keep

    def _credited(self, spans: list[tuple[int, int, int]], doc: Doc, kind: str,
                  keep: list[int] | None) -> list[tuple[int, int, int]]:
        """``spans`` (match id, start, end) in the order they are taken: by start, the
        longer first; where several phrases match the same words (in lemma mode "avería"
        and its synonym "averiado" share the lemma "averiar"), first the phrase written as
        the text is, then the one the glossary lists first. The matcher's own order of
        such spans follows the hashes of the match ids, which change with unrelated edits
        to the glossaries. In lemma mode a span of a phrase not written as the text is
        that overlaps one of a phrase of its glossary that is, is left out: "se rompió"
        is ``rompió``'s, written there word for word, not ``se rompe``'s, whose longer span
        took it, so ``rompió`` was reported as never matched (the other modes compare the
        written words: every span is written as the text is). ``keep``: the token of each
        key position, when ``spans`` index a Doc of keys."""
        order = self._order
        spans.sort(key=lambda m: (m[1], m[1] - m[2], order[m[0]]))
        lemma = kind_mode(kind) == "lemma"
        asked = _overlapping(spans, order) if lemma else _tied(spans)
        if not asked:
            return spans
        written: dict[tuple[int, int], tuple[str, ...]] = {}
        for start, end in asked:
            first, last = (start, end) if keep is None else (keep[start], keep[end - 1] + 1)
            written[start, end] = tuple(written_words(doc, first, last, kind))

        def as_written(m: tuple[int, int, int]) -> bool:
            return written.get((m[1], m[2])) == self._written[m[0]]

        if lemma:
            spans = _yielded(spans, as_written, order)
        return sorted(spans, key=lambda m: (m[1], m[1] - m[2], not as_written(m), order[m[0]]))

    def _exclusion(self, glossary: Glossary, doc: Doc, text: str, keys: list[str],
                   keep: list[int] | None, start: int, last: int, starts: list[int]
                   ) -> str | None:
        """The exclusion found in the window before the match of ``keys[start:last +
        1]``: its ``window`` words
        (:func:`~labelwright.glossaries.words.window_positions`), none before where the
        line or list item holding the match starts (``starts``: the tokens where those
        start, :func:`list_item_start`; ``keep``: each key's token, None when key ``i`` is
        token ``i``); else the ``exclusions_after`` found in the ``window`` words after it
        (:func:`~labelwright.glossaries.words.window_after_positions`), none from the next
        line or list item on. Compared caseless in every mode (an exact glossary's keys
        are its words as written, folded here: at most ``window`` of them per match).
        Under a tokenizer that splits words into characters, an exclusion found inside a
        word of ``doc`` ("no" in "know") does not count (:meth:`_inside_word`)."""
        name = glossary.name
        if self._exclusions[name]:
            floor = list_item_start(starts, keep, start) if starts else 0
            found = self._found_in(glossary, self._exclusions[name], doc, text, keys, keep,
                                   window_positions(keys, start, glossary.window, floor))
            if found is not None:
                return found
        if self._exclusions_after[name]:
            ceiling = next_start(starts, keep, last, len(keys)) if starts else len(keys)
            return self._found_in(glossary, self._exclusions_after[name], doc, text, keys,
                                  keep, window_after_positions(keys, last + 1, glossary.window,
                                                         ceiling))
        return None

    def _found_in(self, glossary: Glossary, exclusions: list[tuple[tuple[str, ...], str]],
                  doc: Doc, text: str, keys: list[str], keep: list[int] | None,
                  at: list[int]) -> str | None:
        """The first of ``exclusions`` whose words are among the window's keys ``at``
        (see :meth:`_exclusion`)."""
        window = [caseless(keys[i]) for i in at] if glossary.mode == "exact" \
            else [keys[i] for i in at]
        for phrase_keys, phrase in exclusions:
            n = len(phrase_keys)
            for i in range(len(window) - n + 1):
                if tuple(window[i:i + n]) == phrase_keys and (
                        not self._character_tokens
                        or not self._inside_word(doc, text, at[i], at[i + n - 1] + 1, keep)):
                    return phrase
        return None


def _tied(spans: list[tuple[int, int, int]]) -> set[tuple[int, int]]:
    """The (start, end) that several of ``spans`` (sorted by start) share."""
    return {(start, end) for (_, start, end), (_, s, e) in zip(spans, spans[1:])
            if (start, end) == (s, e)}


def _overlapping(spans: list[tuple[int, int, int]], order: dict[int, tuple[int, int, int]]
                 ) -> set[tuple[int, int]]:
    """The (start, end) of ``spans`` (sorted by start) that overlap another span of their
    glossary (``order``: each match id's glossary first), in one pass: the spans of a
    glossary that reach into each other form a run; every span of a run of two or more."""
    found: set[tuple[int, int]] = set()
    runs: dict[int, tuple[int, list[tuple[int, int]]]] = {}  # glossary -> (its end, spans)
    for match_id, start, end in spans:
        glossary = order[match_id][0]
        reach, run = runs.get(glossary, (-1, []))
        if start >= reach:
            if len(run) > 1:
                found.update(run)
            reach, run = end, []
        run.append((start, end))
        runs[glossary] = (max(reach, end), run)
    for _, run in runs.values():
        if len(run) > 1:
            found.update(run)
    return found


def _yielded(spans: list[tuple[int, int, int]], as_written: Callable[[tuple[int, int, int]], bool],
             order: dict[int, tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``spans`` (sorted by start) without those not written as the text is that overlap
    one of their glossary that is (see :meth:`GlossaryMatcher._credited`); a span written
    so is kept. A word only a left-out span covered is in no match of that glossary then:
    in "se rompió" the match is "rompió" (written word for word), and "se", which only
    "se rompe"'s span held, is not highlighted; the phrase written in the text is the one
    the report credits. Asked by bisection: a 10 MB text can hold hundreds of thousands
    of spans."""
    starts: dict[int, list[int]] = {}  # glossary -> the starts of its spans written so
    reach: dict[int, list[int]] = {}  # ... and the furthest end among them up to each
    for m in spans:
        if as_written(m):
            glossary = order[m[0]][0]
            ends = reach.setdefault(glossary, [])
            starts.setdefault(glossary, []).append(m[1])
            ends.append(max(m[2], ends[-1]) if ends else m[2])
    if not starts:
        return spans
    kept = []
    for m in spans:
        glossary = order[m[0]][0]
        if glossary in starts and not as_written(m):
            before = bisect.bisect_left(starts[glossary], m[2])  # written spans starting
            if before and reach[glossary][before - 1] > m[1]:  # before it ends, reaching in
                continue
        kept.append(m)
    return kept
