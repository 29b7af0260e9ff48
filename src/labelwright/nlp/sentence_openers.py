"""Opening marks start their sentence: :class:`SentenceOpeners`, run after spaCy's
rule-based sentencizer (``[nlp] sentencizer = true``).

The sentencizer starts a sentence at the first word after a ``.``, ``!`` or ``?`` and keeps
every punctuation token before that word in the sentence that ended, so the ``¿`` and ``¡``
that open a Spanish question or exclamation, and a bracket that opens the next sentence,
ended the previous one: "Hola. ¡¡No funciona!!" was ``Hola. ¡¡`` + ``No funciona!!``.
"""

from __future__ import annotations

import unicodedata

import numpy as np
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

SENTENCE_OPENERS = "labelwright_sentence_openers"

#: marks that open a sentence whatever the language: ``¿`` and ``¡`` (and their
#: inverted-interrobang form). Besides these, every opening bracket counts (Unicode
#: category Ps: ``(``, ``[``, ``{``, ``„``, ``「`` ...). Quotation marks of category Pi
#: (``«``, ``“``, ``‘``) do not: which of them opens and which closes differs between
#: languages (German closes with ``“``, Danish opens with ``»``), and ``"`` does both.
INVERTED_MARKS = frozenset("¿¡⸘")


def is_opener(text: str) -> bool:
    """Is the token ``text`` made of opening marks only?"""
    return bool(text) and all(c in INVERTED_MARKS or unicodedata.category(c) == "Ps"
                              for c in text)


@Language.factory(SENTENCE_OPENERS)
def _sentence_openers(nlp: Language, name: str) -> SentenceOpeners:
    return SentenceOpeners()


class SentenceOpeners:
    """Move each sentence start back over the opening marks just before it, so that
    "Hola. ¡¡No funciona!!" is ``Hola.`` + ``¡¡No funciona!!`` and "Fin. (Ver abajo)" is
    ``Fin.`` + ``(Ver abajo)``. A sentence keeps at least its first token, so a text that
    is only marks is left as it is."""

    def __call__(self, doc: Doc) -> Doc:
        if len(doc) < 2:
            return doc
        starts = np.flatnonzero(doc.to_array([SENT_START]).reshape(-1) == 1)
        previous = 0
        for start in starts.tolist():
            first = start
            while first - 1 > previous and is_opener(doc[first - 1].text):
                first -= 1
            if first < start:
                doc[start].is_sent_start = False
                doc[first].is_sent_start = True
            previous = first
        return doc
