"""Whether a text can be matched as the Doc it is, or must be matched through its
lowercase split or a Doc of its keys
(:class:`~labelwright.glossaries.matching.GlossaryMatcher`): the Doc as it is finds the
same matches in the common case, at a fraction of the time, and these say when it does
not. A space token can split a phrase of several words; zero-width characters at a text's
end are a token no phrase holds; a word in capitals may split otherwise in lowercase
("DIDN'T", "U.S."), and one may fold to more than its lowercase ("Größe": "grösse").
A text matched through a copy (its lowercase split, or one with plain forms) has its
matches mapped back to its own tokens (:func:`mapped_matches`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from labelwright.glossaries.match_keys import _lowered_alike, case_folded_docs
from labelwright.nlp import LemmaKeys, caseless
from labelwright.text_form import INVISIBLE

if TYPE_CHECKING:
    from labelwright.lfs.item import GlossaryMatch

#: words :meth:`CaseSplits.splits_otherwise` and :meth:`CaseSplits.folds_matter` remember
#: before they start afresh
MAX_REMEMBERED = 200_000

#: where a text may hold a space token: a run of whitespace, whitespace other than " ", or
#: whitespace first (a text that does not match has none; one that does may)
MAY_HAVE_SPACE_TOKEN = re.compile(r"\s\s|[^\S ]|^\s")
#: the same, or a hyphen (a language of :data:`~labelwright.glossaries.words.JOINING_HYPHENS`)
MAY_HAVE_SPACE_TOKEN_OR_HYPHEN = re.compile(r"\s\s|[^\S ]|^\s|[-\u2010\u2011]")


def may_have_space_token(text: str, ascii: bool, *, hyphens: bool) -> bool:
    """:data:`MAY_HAVE_SPACE_TOKEN`, with plain tests for ASCII (3x faster): every ASCII
    whitespace but " " (tab, line ends, \\x1c-\\x1f) is a control character, which
    ``isprintable`` finds. With ``hyphens`` (the language joins words with them), a hyphen
    counts: one that joins two words is left out of the keys as a space token is
    (:func:`~labelwright.glossaries.words.joined_hyphens`)."""
    if ascii:
        return "  " in text or text[:1] == " " or hyphens and "-" in text \
            or not text.isprintable()
    return (MAY_HAVE_SPACE_TOKEN_OR_HYPHEN if hyphens else MAY_HAVE_SPACE_TOKEN) \
        .search(text) is not None


def before_invisible_tail(doc: Doc, text: str) -> str:
    """``text`` without the zero-width characters it ends with when they are a token of
    their own (as the tokenizer splits them, :func:`~labelwright.nlp.invisible_affixes`):
    a token no phrase holds, after every word, so what the text's words say about matching
    the Doc as it is holds for the Doc (of the UCI YouTube comments, 79% end in "\ufeff";
    they are matched as the Doc they are, not through their keys)."""
    if not text or text[-1] not in INVISIBLE:
        return text
    words = text.rstrip(INVISIBLE)
    return words if len(doc) and doc[-1].idx >= len(words) else text


class CaseSplits:
    """Asks whether a text's case can change its matches, per run of non-space characters
    and remembered (most repeat): :meth:`splits_otherwise` (its lowercase splits into
    other tokens that some phrase that ignores case holds) and :meth:`folds_matter` (a
    word folds to more than its lowercase and to a ``lowercase`` phrase's word).

    ``folded_words``: the keys of every word of the phrases that ignore case (terms and
    exclusions); ``lowercase_words``: those of the ``lowercase`` glossaries;
    ``has_lemma``: whether a lemma-mode glossary reads the pieces' lemmas.
    """

    def __init__(self, nlp: Language, lemma: LemmaKeys, *, folded_words: set[str],
                 lowercase_words: set[str], has_lemma: bool) -> None:
        self._nlp = nlp
        self._lemma = lemma
        self._folded_words = folded_words
        self._lowercase_words = lowercase_words
        self._has_lemma = has_lemma
        self._splits_otherwise: dict[str, bool] = {}  # word -> does its lowercase split?
        self._folds: dict[str, bool] = {}  # word -> does it fold to a lowercase-mode word?
        rules: Any = getattr(nlp.tokenizer, "rules", None) or {}
        self._word_rules = {key.lower() for key in rules if key.isalpha()}  # "gonna", ...
        #: does a word's case never change how spaCy's rule-based tokenizer splits it, bar
        #: its rules (above)? A segmenter's may: jieba reads "T恤" as one word and "t恤" as
        #: two, so "T恤" in a text never matched a lowercase term "T恤"
        self._rule_tokenizer = isinstance(nlp.tokenizer, Tokenizer)

    def splits_otherwise(self, text: str) -> bool:
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
        if len(known) > MAX_REMEMBERED:  # a bound on memory for millions of distinct words
            known.clear()
        for chunk in text.split():
            splits = known.get(chunk)
            if splits is None:
                splits = known[chunk] = self._chunk_matters(chunk)
            if splits:
                return True
        return False

    def folds_matter(self, text: str) -> bool:
        """Does a word of ``text`` whose caseless form is not its lowercase ("Größe":
        "grösse", not "größe") fold to a word of a ``lowercase`` phrase? Only then can
        matching the Doc as it is (on its lowercase) miss a match or an exclusion: a
        German text that holds "Grüße" but no term with "ß" or "ss" is matched as it is.
        Asked per run of non-space characters, remembered (most repeat)."""
        known = self._folds
        if len(known) > MAX_REMEMBERED:
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
        """:meth:`splits_otherwise` for one run of non-space characters."""
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


def mapped_matches(doc: Doc, copy: Doc, matches: list[GlossaryMatch]) -> list[GlossaryMatch]:
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
