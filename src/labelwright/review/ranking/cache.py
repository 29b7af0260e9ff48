"""The review ranking kept between runs: a re-run that changed nothing it reads reads it back.

Most of the ranking's time goes to the out-of-fold end model's fits (on 50,000 tickets,
about 90% of the rank step; the cleanlab signals and the signals' combination take the
rest). The result depends on the texts, the label model's probabilities and labels, the
votes, the reviewed labels, the fold seed and settings, the end model's features setting,
the numeric libraries and labelwright's own ranking code, and on nothing else; when none
of these changed (a re-run to look again, a run after editing a comment, a report
re-made), :func:`cached_rank` reads the whole :class:`~labelwright.review.ranking.rank.RankResult`
back instead of fitting again.

Layout: ``<project>/.labelwright/cache/ranking/<key>.npz``, ``key`` the SHA-256 of
everything the result depends on (:func:`rank_key`). An entry holds every array of the
result as it was computed (``np.savez`` keeps dtype and bytes) and its weights as JSON
(Python writes a float with the digits that read back as the same float), so a ranking
read back is the one a fresh computation gives, to the bit. Only the newest :data:`KEPT`
entries stay; an entry that cannot be read, or holds another shape, is computed again and
written over.

Only unchanged inputs are reused: after an LF edit or a new review the label model's
probabilities move on most items, every fold's model learns from them, and a warm start
from the previous fit ends in other bits than a fresh one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import numpy as np
import scipy
import sklearn

from labelwright.caches import GOES_ON, cache_write_text, digest_array, store_newest, touch
from labelwright.counts import counted
from labelwright.end_model.term_counts import texts_digest
from labelwright.review.ranking import rank as ranking
from labelwright.review.ranking import signals as ranking_signals
from labelwright.review.ranking import weights as ranking_weights
from labelwright.review.ranking.rank import RankResult, rank_queue
from labelwright.review.ranking.signals import wants_cleanlab

log = logging.getLogger("labelwright")

#: entries kept (the last runs' rankings: switching back to an earlier state reads it)
KEPT = 4
#: bumped when what a key covers or an entry's layout changes
FORMAT = 2  # 2: the labels before review (shown_label) and the weights' evidence


@dataclass(frozen=True)
class RankCacheUse:
    """What the ranking cache did in a run (the manifest's ``triage.ranking_cache``)."""

    used: bool  # read and written (not ``--no-cache`` of a project whose cache is off)
    reused: bool | None = None  # the ranking was read back, not computed (None: not used)
    refreshed: bool | None = None  # --no-cache: computed and stored over (None: not used)
    #: :func:`code_sha256` in the key (None: not used): a run after an upgrade tells by it
    #: whether its miss is the code's or its inputs' (a new LF's votes, a review)
    code: str | None = None

    def record(self) -> dict[str, bool | str | None]:
        return {"used": self.used, "reused": self.reused, "refreshed": self.refreshed,
                "code": self.code}


@cache
def code_sha256() -> str:
    """SHA-256 of labelwright's code the ranking runs: the ranking's modules (its signals' and
    weights' too) and every module of :mod:`labelwright.end_model`, and the text groups'
    (:mod:`labelwright.copies`), the vote counts' (:mod:`labelwright.lfs.stats`) and the
    average precision's (:mod:`labelwright.models.metrics`) modules, and
    :mod:`labelwright.text_form` (the characters copies and the end model read as nothing).
    A labelwright that ranks otherwise misses."""
    from labelwright import copies, end_model, text_form
    from labelwright.lfs import stats
    from labelwright.models import metrics
    from labelwright.review.ranking import shown

    package = Path(end_model.__file__ or "").parent
    files = [Path(module.__file__ or "") for module in (ranking, ranking_signals,
                                                          ranking_weights, shown)]
    files += [*sorted(package.glob("*.py")), Path(copies.__file__ or ""),
              Path(stats.__file__ or ""), Path(metrics.__file__ or ""),
              Path(text_form.__file__ or "")]
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(f"{path.name}:{len(data)}:".encode())
        digest.update(data)
    return digest.hexdigest()


def _cleanlab_version(used: bool) -> str:
    if not used:
        return "cleanlab=not used"
    import cleanlab

    return f"cleanlab={getattr(cleanlab, '__version__', '?')}"


def rank_key(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *, seed: int,
             reviewed_gold: np.ndarray | None, label: np.ndarray | None, n_splits: int,
             features: str, cleanlab: bool, groups: np.ndarray | None,
             shown_label: np.ndarray | None = None,
             shown_probs: np.ndarray | None = None,
             shown_votes: dict[str, np.ndarray] | None = None) -> str:
    """The cache key of :func:`~labelwright.review.ranking.rank.rank_queue`'s result: every input
    (the texts in order, the probabilities', votes', reviewed labels', labels' and text
    groups' bytes, the labels before review, their probabilities and vote signals, seed,
    folds, features, whether cleanlab is used), this module's format, labelwright's ranking code
    (:func:`code_sha256`), the numpy, scipy, scikit-learn and cleanlab versions, and the
    Python version and machine."""
    digest = hashlib.sha256()
    settings = [f"format={FORMAT}", f"code={code_sha256()}", f"seed={seed!r}",
                f"n_splits={n_splits!r}", f"features={features!r}",
                f"numpy={np.__version__}", f"scipy={scipy.__version__}",
                f"sklearn={sklearn.__version__}", _cleanlab_version(cleanlab),
                f"python={sys.version}", f"machine={platform.machine()}"]
    digest.update("|".join(settings).encode())
    digest.update(texts_digest(texts))
    then = sorted((shown_votes or {}).items())
    for name, values in (("probs", np.asarray(probs, dtype=np.float64)),
                         ("votes", np.asarray(votes)), ("reviewed_gold", reviewed_gold),
                         ("label", label), ("groups", groups),
                         ("shown_label", shown_label), ("shown_probs", shown_probs),
                         *((f"shown_votes.{signal}", v) for signal, v in then)):
        digest_array(digest, name, None if values is None else np.asarray(values))
    return digest.hexdigest()


def cached_rank(probs: np.ndarray, votes: np.ndarray, texts: Sequence[str], *, seed: int,
                reviewed_gold: np.ndarray | None = None, label: np.ndarray | None = None,
                n_splits: int = 5, workers: int | None = None, features: str = "auto",
                groups: np.ndarray | None = None, shown_label: np.ndarray | None = None,
                shown_probs: np.ndarray | None = None,
                shown_votes: dict[str, np.ndarray] | None = None, cache_dir: Path | None = None,
                refresh: bool = False, term_counts_dir: Path | None = None,
                progress: Callable[[str, int, int], None] | None = None
                ) -> tuple[RankResult, RankCacheUse]:
    """:func:`~labelwright.review.ranking.rank.rank_queue` of these inputs (cleanlab's signal when
    it is installed), read from ``cache_dir`` when a run before computed it, and what the
    cache did. ``refresh``: compute it all the same and store it over what the cache held;
    ``cache_dir`` None: neither read nor write. ``term_counts_dir``: the end model's term
    counts (:mod:`labelwright.end_model.term_counts`), used when the ranking is computed.
    ``progress``: as :func:`~labelwright.review.ranking.rank.rank_queue`'s (not called when the
    ranking is read back)."""
    def compute() -> RankResult:
        return rank_queue(probs, votes, texts, seed=seed, reviewed_gold=reviewed_gold,
                          label=label, n_splits=n_splits, cleanlab=use_cleanlab,
                          workers=workers, features=features, cache_dir=term_counts_dir,
                          groups=groups, shown_label=shown_label,
                          shown_probs=shown_probs, shown_votes=shown_votes, progress=progress)

    use_cleanlab = wants_cleanlab(None, len(texts))
    if cache_dir is None:
        return compute(), RankCacheUse(used=False)
    key = rank_key(probs, votes, texts, seed=seed, reviewed_gold=reviewed_gold, label=label,
                   n_splits=n_splits, features=features, cleanlab=use_cleanlab,
                   groups=groups, shown_label=shown_label, shown_probs=shown_probs,
                   shown_votes=shown_votes)
    path = Path(cache_dir) / f"{key}.npz"
    if not refresh and path.is_file():
        result = read_entry(path, len(texts))
        if result is not None:
            touch(path)  # the newest entries are the ones kept
            return result, RankCacheUse(used=True, reused=True, refreshed=False,
                                        code=code_sha256())
    result = compute()
    try:
        write_entry(path, result)
    except OSError as exc:  # a cache that cannot be written costs time, not the run
        log.warning("%s", cache_write_text("ranking cache", Path(cache_dir), exc,
                                           then=GOES_ON))
    return result, RankCacheUse(used=True, reused=False, refreshed=refresh, code=code_sha256())


def read_entry(path: Path, n: int) -> RankResult | None:
    """The ranking stored at ``path`` for ``n`` items; None (logged) when it cannot be read
    or does not hold one."""
    try:
        with np.load(path, allow_pickle=False) as entry:
            arrays = {name: entry[name] for name in entry.files}
        meta = json.loads(bytes(arrays.pop("meta")).decode("utf-8"))
        signals = {name: arrays.pop(f"signal:{name}") for name in meta["signals"]}
        flags = {name: arrays.pop(f"flag:{name}") for name in meta["flags"]}
        result = RankResult(score=arrays.pop("score"), signals=signals,
                            weights=meta["weights"], weights_source=meta["weights_source"],
                            end_proba=arrays.pop("end_proba"),
                            weights_cv=meta["weights_cv"],
                            weights_evidence=meta["weights_evidence"],
                            end_scored=arrays.pop("end_scored"), flags=flags)
    except (OSError, ValueError, KeyError, TypeError, EOFError, BadZipFile) as exc:
        log.warning("review ranking cache %s could not be read (%s); ranking again", path, exc)
        return None
    shapes = [result.score, *signals.values(), *flags.values(), result.end_scored]
    if any(values is None or values.shape != (n,) for values in shapes) \
            or result.end_proba is None or result.end_proba.shape[:1] != (n,):
        log.warning("review ranking cache %s holds another shape than %s; ranking again",
                    path, counted(n, "item"))
        return None
    return result


def write_entry(path: Path, result: RankResult) -> None:
    """Write ``result`` to ``path`` through a temporary file, then drop all but the
    :data:`KEPT` newest entries."""
    meta = {"signals": list(result.signals), "flags": list(result.flags),
            "weights": result.weights, "weights_source": result.weights_source,
            "weights_cv": result.weights_cv, "weights_evidence": result.weights_evidence}
    arrays: dict[str, Any] = {
        "score": result.score, "end_proba": result.end_proba, "end_scored": result.end_scored,
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        **{f"signal:{name}": values for name, values in result.signals.items()},
        **{f"flag:{name}": values for name, values in result.flags.items()}}
    store_newest(path, lambda out: np.savez(out, **arrays), KEPT)
