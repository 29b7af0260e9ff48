"""An end model's saved JSON document: what :class:`~labelwright.end_model.model.EndModel`
writes (:func:`model_document`) and what it reads back (:func:`model_from_document`), after
checks that name the file and the field that is wrong: a damaged or foreign file is an
error, never a model that reads texts otherwise than it was fit.

Saved models are a JSON document (no pickle)::

    {"format": "labelwright.end_model", "version": 4, "labels": [...],
     "params": {"C": ..., "min_df": ..., "max_features": ..., "ngram_range": [1, 2],
                "features": "auto", "random_state": ...},
     "tfidf": {"analyzer": "word", "ngram_range": [1, 2], "sublinear_tf": true,
               "lowercase": true, "token_pattern": "...",
               "vocabulary": {"term": column, ...}, "idf": [...]},
     "chars": {"analyzer": "char_wb", "ngram_range": [2, 5], "sublinear_tf": true,
               "lowercase": true, "vocabulary": {"gram": column, ...}, "idf": [...]},
     "reads": {"unicode_form": "NFC", "drops": "\u200b...", "char_drops": "\u0640"},
     "logistic": {"coef": [[...], ...], "intercept": [...]}}

A model without character grams has no ``chars`` and no ``params.features``. ``reads``
(version 4) says how the model reads a text before each kind of features
(:data:`~labelwright.end_model.features.READS`): its Unicode form and the characters it
leaves out of words and of character grams; a document of an earlier version read texts
as they were, its words by ``\\b\\w\\w+\\b`` (what its ``token_pattern`` records),
and is read so still. A model cuts words by the ``token_pattern`` it records, whatever
this labelwright's :data:`~labelwright.end_model.features.TOKEN_PATTERN` is: a version 4
model saved before a letter of a script written without spaces (Han, kana, Thai, ...) was
a word of its own reads a run of them as one word still, and a labelwright that knows
version 4 reads a model saved since as it was fit (the pattern is all that changed).

``tfidf`` holds the settings the features were made with: word 1-2 grams, or, when no
text of the training set has a word of two letters (blank, emoji, one-letter words),
single characters (``"analyzer": "char"``, ``[1, 1]``, no sublinear tf). A document
without ``analyzer`` is a word model.

``coef`` has one row per class (binary models store the two rows ``[-w, w]``), so the
probability of class ``c`` is ``softmax(X @ coef.T + intercept)[c]`` where ``X`` is the
l2-normalised TF-IDF matrix of the words, beside that of the character grams when there are
any (their columns after the words'), both then scaled by 1/sqrt(2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.end_model.features import (
    CHAR_SETTINGS,
    PLAIN_WORDS,
    READS_BEFORE,
    vocabulary_columns,
)

if TYPE_CHECKING:
    from labelwright.end_model.model import EndModel

FORMAT = "labelwright.end_model"


#: 2 added ``tfidf.analyzer`` and ``params.ngram_range`` (a reader of version 1 would
#: take a character model for a word model); 3 added ``chars``, the character grams, and
#: ``params.features``; 4 added ``reads`` (NFC, without invisible characters and tatweel)
#: with words holding combining marks. Every model is written as version 4: a labelwright
#: before it would read a text with those characters otherwise than the model was fit
#: (silently other features), so it refuses the file instead. A model without character
#: grams was written as version 2 before; versions 1 to 3 are still read, as they read
#: texts. Reading each letter of a script written without spaces as a word took no new
#: version: it is in ``tfidf.token_pattern``, which every reader follows
FORMAT_VERSION = 4


READS_VERSIONS = (1, 2, 3, 4)


def model_document(model: EndModel) -> dict[str, Any]:
    """The document of a fitted ``model``, as the module docstring draws it."""
    doc: dict[str, Any] = {
        "format": FORMAT, "version": FORMAT_VERSION,
        "labels": list(model.labels),
        "params": {"C": model.C, "min_df": model.min_df, "max_features": model.max_features,
                   "ngram_range": list(model.ngram_range),
                   "random_state": model.random_state},
        "tfidf": {**model.tfidf_, "vocabulary": model.vocabulary_,
                  "idf": model.idf_.tolist()},
        "reads": dict(model.reads_),
        "logistic": {"coef": model.coef_.tolist(), "intercept": model.intercept_.tolist()},
    }
    if model.chars_ is not None:
        doc["params"]["features"] = model.features
        doc["chars"] = {**model.chars_, "idf": model.chars_["idf"].tolist()}
    return doc


def model_from_document(cls: type[EndModel], doc: Any, source: str) -> EndModel:
    """A ``cls`` from a document written by :func:`model_document`; a ValueError naming
    ``source`` when it is not one (another format or version, a missing field, shapes
    that do not fit together, values that are not finite)."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        found = doc.get("format") if isinstance(doc, dict) else type(doc).__name__
        raise ValueError(f"{source}: not a labelwright end model "
                         f"(format {found!r}, expected {FORMAT!r})")
    if doc.get("version") not in READS_VERSIONS:
        raise ValueError(f"{source}: end model version {doc.get('version')!r}; "
                         f"this labelwright reads versions "
                         f"{', '.join(map(str, READS_VERSIONS))}")
    try:
        model = _model_fields(cls, doc, source)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, ValueError) and str(exc).startswith(f"{source}: "):
            raise
        what = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ValueError(f"{source}: not a readable end model document: {what}") from None
    return model


def _model_fields(cls: type[EndModel], doc: dict[str, Any], source: str) -> EndModel:
    """The model ``doc`` holds, each field checked (a ValueError naming ``source`` and the
    field)."""
    tfidf, params = doc["tfidf"], dict(doc.get("params", {}))
    params["ngram_range"] = tuple(params.get("ngram_range", tfidf["ngram_range"]))
    labels = doc["labels"]
    if (not isinstance(labels, list) or len(labels) < 2
            or not all(isinstance(label, str) for label in labels)
            or len(set(labels)) != len(labels)):
        raise ValueError(f"{source}: labels must list two or more distinct names, got "
                         f"{labels!r}")
    model = cls(labels, **params)
    analyzer = tfidf.get("analyzer", "word")
    if analyzer not in ("word", "char"):
        raise ValueError(f"{source}: tfidf analyzer {analyzer!r}; valid: word, char")
    grams, pattern = tfidf["ngram_range"], tfidf.get("token_pattern", PLAIN_WORDS)
    if (not isinstance(grams, list) or len(grams) != 2
            or not all(_is_count(g) for g in grams) or grams[0] > grams[1]):
        raise ValueError(f"{source}: tfidf.ngram_range must be [lowest, highest] with "
                         f"1 <= lowest <= highest, got {grams!r}")
    try:
        re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise ValueError(f"{source}: tfidf.token_pattern {pattern!r} is not a regular "
                         f"expression ({exc})") from None
    model.tfidf_ = {"analyzer": analyzer, "ngram_range": list(grams),
                    "sublinear_tf": bool(tfidf.get("sublinear_tf", True)),
                    "lowercase": bool(tfidf.get("lowercase", True)),
                    "token_pattern": pattern}
    model.vocabulary_ = {str(k): int(v) for k, v in tfidf["vocabulary"].items()}
    model.idf_ = np.asarray(tfidf["idf"], dtype=np.float64)
    model.coef_ = np.asarray(doc["logistic"]["coef"], dtype=np.float64)
    model.intercept_ = np.asarray(doc["logistic"]["intercept"], dtype=np.float64)
    k, terms = len(labels), len(model.idf_)
    if model.idf_.ndim != 1 or sorted(model.vocabulary_.values()) != list(range(terms)):
        raise ValueError(f"{source}: tfidf.vocabulary must number the {terms} idf "
                         "values' columns 0.. once each")
    reads = doc["reads"] if doc.get("version") == 4 else READS_BEFORE
    if not isinstance(reads, dict):
        raise ValueError(f"{source}: reads must be an object, got {reads!r}")
    try:
        model._read_as(reads)
    except ValueError as exc:
        raise ValueError(f"{source}: {exc}") from None
    model.chars_ = None
    chars = doc.get("chars")
    if chars is not None and doc.get("version") not in (3, 4):
        raise ValueError(f"{source}: a version {doc.get('version')} document with "
                         "character grams (chars); they came with version 3")
    if chars is not None:
        settings = {key: chars.get(key) for key in CHAR_SETTINGS}
        if settings != CHAR_SETTINGS:
            raise ValueError(f"{source}: chars settings {settings}; this labelwright "
                             f"makes character grams as {CHAR_SETTINGS}")
        vocabulary = vocabulary_columns(chars["vocabulary"])
        idf = np.asarray(chars["idf"], float)
        if idf.ndim != 1 or sorted(vocabulary.values()) != list(range(len(idf))):
            raise ValueError(f"{source}: chars.vocabulary must number the {len(idf)} "
                             "idf values' columns 0.. once each")
        model.chars_ = {**CHAR_SETTINGS, "vocabulary": vocabulary, "idf": idf}
        terms += len(idf)
    if model.coef_.shape != (k, terms) or model.intercept_.shape != (k,):
        raise ValueError(f"{source}: logistic.coef must be {k} labels x {terms} terms and "
                         f"logistic.intercept {k} values; got {model.coef_.shape} and "
                         f"{model.intercept_.shape}")
    for name, values in (("tfidf.idf", model.idf_), ("logistic.coef", model.coef_),
                         ("logistic.intercept", model.intercept_),
                         ("chars.idf", model.chars_["idf"] if model.chars_ else [])):
        if not np.isfinite(values).all():
            raise ValueError(f"{source}: {name} holds values that are not finite numbers")
    return model


def write_document(doc: dict[str, Any], path: Path) -> Path:
    """Write an end model's JSON document
    (:meth:`~labelwright.end_model.model.EndModel.document`) to ``path``."""
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def read_document(path: Path) -> Any:
    """The JSON document of a saved end model (a ValueError naming the file when it is not
    JSON)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}: not JSON ({exc}); an end model is the JSON file "
                         "labelwright train writes") from None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
