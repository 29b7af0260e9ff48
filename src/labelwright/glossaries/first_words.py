"""The first word of every pattern of each matcher kind, which says when a Doc of a text's
keys need not be made and matched at all.

A spaCy ``PhraseMatcher`` finds a pattern only where a token's attribute equals the
pattern's first token's: a text whose keys hold no pattern's first word has no match, so
:class:`~labelwright.glossaries.matching.GlossaryMatcher` skips making a Doc of its keys
(most items of a project hold no term). The words are compared as the matcher compares
them: as written (``ORTH``), or by their lexemes' ``LOWER`` for a ``lowercase`` kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.vocab import Vocab

from labelwright.glossaries.words import kind_mode


class FirstWords:
    """Per matcher kind, the first words of its patterns (:meth:`add` every pattern
    added to the kind's matcher); :meth:`may_match`: can keys hold a match?"""

    def __init__(self, vocab: Vocab) -> None:
        self._vocab = vocab
        self._words: dict[str, set[str]] = {}  # ORTH kinds: the words as written
        self._lowers: dict[str, set[int]] = {}  # LOWER kinds: the words' LOWER

    def add(self, kind: str, patterns: Iterable[Sequence[str]]) -> None:
        """The patterns (each its words) added to ``kind``'s matcher."""
        firsts = {words[0] for words in patterns if words}
        if kind_mode(kind) == "lowercase":
            vocab = self._vocab
            self._lowers.setdefault(kind, set()).update(vocab[w].lower for w in firsts)
        else:
            self._words.setdefault(kind, set()).update(firsts)

    def may_match(self, kind: str, keys: Sequence[str]) -> bool:
        """May a Doc of ``keys`` (as :meth:`add`'s patterns are made) hold a pattern of
        ``kind``? False only when no key is a pattern's first word."""
        words = self._words.get(kind)
        if words is not None:
            return not words.isdisjoint(keys)
        lowers = self._lowers.get(kind)
        if lowers is None:
            return False  # no pattern at all
        vocab = self._vocab
        return any(vocab[key].lower in lowers for key in keys)
