"""What :func:`labelwright.nlp.load_pipeline` tells a user whose ``[nlp]`` settings name no
pipeline it can build: the lookup tables there are, how to install a trained pipeline (a
language spaCy has not is named by the config check, :mod:`labelwright.config.languages`)."""

from __future__ import annotations

import re


def lookup_languages() -> list[str] | None:
    """The languages the installed ``spacy-lookups-data`` has a ``lemma_lookup`` table for,
    or None when it is not installed."""
    try:
        import spacy_lookups_data
    except ImportError:
        return None
    return sorted(name.rstrip("_") for name, tables in vars(spacy_lookups_data).items()
                  if isinstance(tables, dict) and "lemma_lookup" in tables)


def has_lemma_table(lang: str) -> bool:
    """Whether the default pipeline for ``lang`` has lookup lemmas: a project that does not
    set ``[nlp] lemmatizer`` gets them where ``spacy-lookups-data`` has a table (and, when
    it is not installed, the error that says to install it)."""
    having = lookup_languages()
    return having is None or lang in having


def no_lemmas_note(lang: str, pipeline: str | None, lemmatizer: bool | None) -> str | None:
    """The note for a default pipeline whose lemmatizer is off because ``lang`` has no
    lookup table and ``[nlp] lemmatizer`` is not set (None otherwise)."""
    if pipeline or lemmatizer is not None or has_lemma_table(lang):
        return None
    return (f"[nlp] lang {lang!r}: spacy-lookups-data has no lemma table for it, so the "
            "lemmatizer is off: lemma-mode glossaries compare the words themselves (as "
            "lowercase mode does), and token.lemma_ is empty; set [nlp] lemmatizer = false "
            "to say so, or name a trained pipeline with a lemmatizer in [nlp] pipeline")


def no_lemmas_cause(lang: str, pipeline: str | None, lemmatizer: bool | None
                    ) -> tuple[str, str]:
    """Why a project's pipeline gives no lemmas, as a warning about what reads them says it,
    and how to get them: a named pipeline without a lemmatizer, ``[nlp] lemmatizer =
    false``, or a language without a lookup table (:func:`no_lemmas_note`, lemmatizer not
    set)."""
    if pipeline:
        return f"the pipeline {pipeline!r} gives no lemmas", "name a pipeline with a lemmatizer"
    if lemmatizer is False:
        return "the pipeline gives no lemmas ([nlp] lemmatizer = false)", lemmatizer_fix(lang)
    return "the pipeline gives no lemmas (its lemmatizer is off)", lemmatizer_fix(lang)


def lemmatizer_fix(lang: str) -> str:
    """How to get lemmas into the default pipeline for ``lang``: enable the lemmatizer,
    unless ``spacy-lookups-data`` has no table for the language (Arabic: "enable the
    lemmatizer" sent the user to the error that said it has none)."""
    if has_lemma_table(lang):
        return "enable the lemmatizer"
    return (f"name a trained pipeline for {lang!r} in [nlp] pipeline (spacy-lookups-data "
            "has no lemma table for it)")


def no_lemma_tables(lang: str, error: Exception) -> str:
    """The message for a language the lookup lemmatizer has no tables for: install
    ``spacy-lookups-data`` when it is not installed, else the languages it has them for."""
    having = lookup_languages()
    if having is None:
        return (f"[nlp] no lookup lemma tables for {lang!r} ({error}); install "
                "spacy-lookups-data or set [nlp] lemmatizer = false")
    import spacy_lookups_data

    version = getattr(spacy_lookups_data, "__version__", "")
    return (f"[nlp] no lookup lemma tables for {lang!r}: the installed spacy-lookups-data "
            f"{version} has none for it (it has lemma tables for {', '.join(having)}); set "
            "[nlp] lemmatizer = false (lemma-mode glossaries then match words in lowercase, "
            "and token.lemma_ is empty), or name a trained pipeline for the language in "
            "[nlp] pipeline")


def pipeline_not_installed(name: str, lang: str, installed: list[str]) -> str:
    """The message for an ``[nlp] pipeline`` that is neither installed nor a folder."""
    install = ""
    if re.fullmatch(r"[A-Za-z0-9_.\-]+", name):
        install = (f"; to install a trained pipeline: python -m spacy download {name} (with "
                   "the project's Python), or pip install its wheel (for a machine "
                   "without internet)")
    return (f"[nlp] pipeline {name!r} is not installed (nor a pipeline folder in the project "
            f"folder); installed pipelines: {', '.join(installed) or 'none'}{install}; leave "
            f"it unset to use spacy.blank({lang!r}) with the lookup lemmatizer")
