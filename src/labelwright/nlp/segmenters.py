"""Tokenizers of languages written without spaces, as labelwright sets them up: Chinese
read by jieba with invisible characters left out (:class:`InvisibleFreeSegments`), and a
stand-in for a tokenizer whose package is not installed (:data:`PACKAGE_MISSING`), so that
a project that never parses an item runs without it."""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

from labelwright.errors import SettingError
from labelwright.nlp.language_packages import LANGUAGE_PACKAGES as LANGUAGE_PACKAGES
from labelwright.text_form import INVISIBLE

#: the registered name of the stand-in tokenizer (:func:`_package_missing`)
PACKAGE_MISSING = "labelwright.PackageMissing.v1"

_INVISIBLE_RUNS = re.compile(f"[{INVISIBLE}]+")


def pip_command(packages: str) -> str:
    """The command that installs ``packages`` into the Python running labelwright (the
    project's: a plain ``pip`` may be another Python's)."""
    return f"{sys.executable} -m pip install {packages}"


def missing_package(lang: str, reason: str) -> str:
    """The message for a blank pipeline of ``lang`` whose tokenizer needs a package that is
    not installed; ``reason``: spaCy's words."""
    packages = LANGUAGE_PACKAGES.get(lang)
    install = (f"install it with the project's Python: {pip_command(packages)}" if packages
               else f"install the package it names with the project's Python ({sys.executable} "
               "-m pip install ...)")
    return (f"[nlp] lang {lang!r}: spaCy's tokenizer for it needs a package that is not "
            f"installed ({reason.strip()}); {install}")


class PackageMissingError(SettingError):
    """A text was to be parsed with a pipeline whose tokenizer's package is not installed
    (:data:`PACKAGE_MISSING`)."""

    def __init__(self, message: str, key: tuple[str, ...] = ("nlp", "lang")) -> None:
        super().__init__(message, key)


class PackageMissing:
    """The tokenizer of a blank pipeline whose own tokenizer could not be built (Japanese
    without SudachiPy): the pipeline loads, and only a text to parse is an error. Items
    are parsed only for glossaries and LFs that read ``item.doc``, so a project without
    them runs."""

    def __init__(self, lang: str, reason: str) -> None:
        self.lang = lang
        self.reason = reason

    def error(self) -> PackageMissingError:
        """The error of any text to parse."""
        return PackageMissingError(
            missing_package(self.lang, self.reason) + "; a glossary or an LF that reads "
            "item.doc needs the items parsed")

    def __call__(self, text: str) -> Doc:
        raise self.error()

    def pipe(self, texts: Any, **_: Any) -> Any:
        """As :meth:`__call__`: an exact-mode glossary's terms are parsed by ``pipe``,
        which the stand-in lacked (an AttributeError, not this error)."""
        raise self.error()


@registry.tokenizers(PACKAGE_MISSING)
def _package_missing(lang: str, reason: str) -> Callable[[Any], PackageMissing]:
    """The stand-in's factory: its settings (the language, spaCy's reason) are in the
    pipeline's config, so its fingerprint is stable."""
    return lambda nlp: PackageMissing(lang, reason)


def package_missing(nlp: Any) -> bool:
    """Whether ``nlp`` is a pipeline that cannot parse (:class:`PackageMissing`)."""
    return isinstance(nlp.tokenizer, PackageMissing)


class InvisibleFreeSegments:
    """A Chinese tokenizer that splits words (jieba, pkuseg) reading a text without its
    invisible characters (:data:`~labelwright.text_form.INVISIBLE`): jieba splits
    "退\\u200b款" into 退, the zero-width space and 款, so the term 退款, one word, did not
    match it. The text is segmented without them; a run of them between two words is a
    token of its own (which matching skips), one inside a word stays in its token (whose
    match form leaves it out). The Doc's text and offsets are the text as written. Saving,
    loading and the fingerprint go to the wrapped tokenizer; pickling makes it again."""

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __reduce__(self) -> tuple[Any, ...]:
        # spaCy's tokenizer holds the jieba module, which pickle refuses: a worker process
        # (or Dask) gets it made again from its settings (and pkuseg's model, in its bytes)
        inner = self.tokenizer
        return _made_again, (inner.vocab, inner.segmenter, inner.to_bytes())

    def __getattr__(self, name: str) -> Any:
        if name == "tokenizer":  # not set yet (copy, pickle): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)

    def __call__(self, text: str) -> Doc:
        if not _INVISIBLE_RUNS.search(text):
            return self.tokenizer(text)
        kept = [i for i, char in enumerate(text) if char not in INVISIBLE]
        words: list[str] = []
        end = 0  # where the last word ends in ``text``
        for token in self.tokenizer("".join(text[i] for i in kept)):
            if token.text.isspace():
                continue  # spaces are spaces in ``text`` too: get_words_and_spaces's
            start, stop = kept[token.idx], kept[token.idx + len(token.text) - 1] + 1
            words.extend(_INVISIBLE_RUNS.findall(text, end, start))
            words.append(text[start:stop])
            end = stop
        words.extend(_INVISIBLE_RUNS.findall(text, end))
        words, spaces = get_words_and_spaces(words, text)
        return Doc(self.tokenizer.vocab, words=words, spaces=spaces)


def quiet_jieba() -> None:
    """jieba logs the loading of its dictionary (spaCy has it load when the tokenizer is
    made) to stderr at the level its import sets, debug: no news to a user of check or
    run. Imported first when installed, so that its import does not set it back."""
    if importlib.util.find_spec("jieba") is not None:
        import jieba  # noqa: F401

        logging.getLogger("jieba").setLevel(logging.WARNING)


def _made_again(vocab: Any, segmenter: str, data: bytes) -> InvisibleFreeSegments:
    """An :class:`InvisibleFreeSegments` as pickled (:meth:`~InvisibleFreeSegments.__reduce__`)."""
    from spacy.lang.zh import ChineseTokenizer, Segmenter

    quiet_jieba()
    return InvisibleFreeSegments(
        ChineseTokenizer(vocab, segmenter=Segmenter(segmenter)).from_bytes(data))


def segments_words(tokenizer: Any) -> bool:
    """Whether ``tokenizer`` is spaCy's Chinese tokenizer with a segmenter that reads words
    (not ``char``, where a character is a token and an invisible one is its own)."""
    from spacy.lang.zh import ChineseTokenizer

    return isinstance(tokenizer, ChineseTokenizer) and tokenizer.segmenter != "char"
