"""Term counts of the review ranking's end model, kept between runs.

The out-of-fold end model (:mod:`labelwright.end_model.out_of_fold`) starts from a
term-count matrix of every text (a fitted ``CountVectorizer``); re-weighting and fitting
per fold come after. The counts depend on the texts and the vectorizer's settings only,
not on any LF or label, so after editing an LF a re-run's counts are those of the run
before: on 300k tickets, 10-20 s of the ranking's time.

Layout: ``<project>/.labelwright/cache/term_counts/<key>.npz``, ``key`` the SHA-256 of
the vectorizer's class and parameters, scikit-learn's and scipy's versions, this module's
format version and every text (length-prefixed, so no two lists of texts share a key).
A matrix read back holds the same arrays that were computed (``save_npz`` uncompressed
keeps ``data``, ``indices`` and ``indptr`` as they were), so the ranking is the same to
the bit. Only the newest :data:`KEPT` entries stay; a file that cannot be read is
computed again and replaced.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from zipfile import BadZipFile

import numpy as np
import pandas as pd
import scipy
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer

from labelwright.caches import GOES_ON, cache_write_text, store_newest, touch

log = logging.getLogger("labelwright")

#: entries kept (one per kind of feature for the last runs: words and character grams)
KEPT = 4
#: bumped when what a key covers or the file's layout changes
FORMAT = 1


def texts_digest(texts: Sequence[str]) -> bytes:
    """SHA-256 of the texts, each length-prefixed (``["ab", "c"]`` and ``["a", "bc"]``
    differ), in order."""
    digest = hashlib.sha256()
    for text in texts:
        data = text.encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def counts_key(vectorizer: CountVectorizer, digest: bytes) -> str:
    """The cache key of ``vectorizer``'s counts of the texts of ``digest``: everything the
    matrix depends on."""
    params = sorted((k, repr(v)) for k, v in vectorizer.get_params().items())
    parts = [f"format={FORMAT}", type(vectorizer).__qualname__, repr(params),
             f"sklearn={sklearn.__version__}", f"scipy={scipy.__version__}",
             f"numpy={np.__version__}"]
    return hashlib.sha256("|".join(parts).encode() + digest).hexdigest()


def term_counts(vectorizer: CountVectorizer, texts: list[str], *,
                cache_dir: Path | None = None, digest: bytes | None = None
                ) -> sparse.csr_matrix:
    """``vectorizer.fit_transform(texts)`` as CSR, read from ``cache_dir`` when a run
    before computed it for the same texts and settings (``digest``: :func:`texts_digest`
    of ``texts``, when the caller has it). Errors of the vectorizer (an empty vocabulary)
    are raised as it raises them; nothing is cached then."""
    if cache_dir is None:
        return _count(vectorizer, texts)
    key = counts_key(vectorizer, digest if digest is not None else texts_digest(texts))
    path = Path(cache_dir) / f"{key}.npz"
    if path.is_file():
        try:
            counts = sparse.load_npz(path).tocsr()
        except (OSError, ValueError, KeyError, BadZipFile) as exc:  # damaged: counted again
            log.warning("term count cache %s could not be read (%s); counting again",
                        path, exc)
        else:
            if counts.shape[0] == len(texts):
                touch(path)  # the newest entries are the ones kept
                return counts
    counts = _count(vectorizer, texts)
    try:
        _store(path, counts)
    except OSError as exc:  # a cache that cannot be written costs time, not the run
        log.warning("%s", cache_write_text("term count cache", Path(cache_dir), exc,
                                           then=GOES_ON))
    return counts


def _count(vectorizer: CountVectorizer, texts: list[str]) -> sparse.csr_matrix:
    """``vectorizer.fit_transform(texts)`` as CSR, each distinct text counted once: a
    count vectorizer without document-frequency limits gives a text the same row and the
    same vocabulary whether the text comes once or many times (reposted spam, canned
    replies), so the rows of the distinct texts are repeated where they were."""
    params = vectorizer.get_params()
    limited = (params.get("min_df", 1) != 1 or params.get("max_df", 1.0) != 1.0
               or params.get("max_features") is not None)  # they count the repeats
    codes, distinct = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=False)
    if limited or len(distinct) == len(texts):
        return vectorizer.fit_transform(texts).tocsr()
    return vectorizer.fit_transform(list(distinct)).tocsr()[codes]


def _store(path: Path, counts: sparse.csr_matrix) -> None:
    """Write ``counts`` to ``path`` through a temporary file, then drop all but the
    :data:`KEPT` newest entries."""
    store_newest(path, lambda out: sparse.save_npz(out, counts, compressed=False), KEPT)
