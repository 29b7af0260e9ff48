"""The fit cache: ``auto``'s fit read back when nothing it reads changed.

With reviewed labels ``auto`` chooses its model and settings by cross-validation and
calibrates them, seconds to tens of seconds on every run; a re-run after a change that
leaves the votes and the reviews as they were (a report rebuilt, an export setting, a
triage threshold, nothing at all) fits the same model again. The cache keeps the fitted
model's document (:meth:`~labelwright.models.saved_model.SavedModel.to_dict`, the format
``save`` writes: JSON, no pickle) under ``.labelwright/cache/fit/<key>.json``, ``key`` a
hash of everything the fit reads: the votes', reviewed labels' and sample marks' bytes,
the sample's unsettled count, the project's labels, seed and ``[label_model]`` settings,
labelwright's model code (every module of :mod:`labelwright.models`), the numpy, scipy
and scikit-learn versions (and snorkel's and torch's for ``snorkel``), the Python version
and machine. Only ``auto`` and ``snorkel`` are kept (``snorkel`` imports torch to fit,
seconds at every run; the other models fit in a fraction of a second), and only when the
document read back predicts the very probabilities the fit did: a model it cannot
rebuild to the bit is fitted every time. A ``snorkel`` fit read back needs no torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import platform
import sys
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import sklearn

from labelwright.caches import (
    GOES_ON,
    cache_write_text,
    digest_array,
    sources_sha256,
    store_newest,
    touch,
)
from labelwright.config import ProjectConfig
from labelwright.models.auto import AutoLabelModel
from labelwright.models.registry import model_from_dict

log = logging.getLogger(__name__)

#: entries kept: the newest few (an entry is a few kB)
KEPT = 4
#: this module's entry format
FORMAT = "labelwright-fit-cache-1"
#: the ``[label_model] name`` s whose fits are kept
CACHED = ("auto", "snorkel")


@cache
def code_sha256() -> str:
    """SHA-256 of every module of :mod:`labelwright.models`: a labelwright that fits
    otherwise misses."""
    from labelwright import models

    return sources_sha256(sorted(Path(models.__file__ or "").parent.glob("*.py"))).hex()


def fit_key(config: ProjectConfig, votes: np.ndarray, y_dev: np.ndarray | None,
            sampled: np.ndarray | None, sample_unsettled: int) -> str:
    """The cache key of a fit: every input it reads and the code and versions it runs."""
    digest = hashlib.sha256()
    settings = {"format": FORMAT, "code": code_sha256(), "labels": list(config.labels),
                "seed": config.seed, "label_model": repr(asdict(config.label_model)),
                "sample_unsettled": sample_unsettled, "numpy": np.__version__,
                "scipy": scipy.__version__, "sklearn": sklearn.__version__,
                "python": sys.version, "machine": platform.machine()}
    if config.label_model.name == "snorkel":  # the fit's own packages, read unimported
        settings |= {name: _version(name) for name in ("snorkel", "torch")}
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    for name, values in (("votes", votes), ("y_dev", y_dev), ("sampled", sampled)):
        digest_array(digest, name, values)
    return digest.hexdigest()


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def read_fit(path: Path, cardinality: int, name: str = "auto") -> Any | None:
    """The fitted model stored at ``path``, a model ``name`` makes; None (logged) when it
    cannot be read."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        model = model_from_dict(doc, str(path))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("label model fit cache %s could not be read (%s); fitting again", path, exc)
        return None
    if not _kept(model) or model.name != name or model.cardinality != cardinality:
        log.warning("label model fit cache %s holds another model; fitting again", path)
        return None
    return model


def store_fit(path: Path, model: Any, votes: np.ndarray) -> bool:
    """Keep ``model`` at ``path`` when its document rebuilds it to the bit (the same
    probabilities on ``votes``); whether it was kept."""
    if not _kept(model):
        return False
    doc = model.to_dict()
    text = json.dumps(doc)
    rebuilt = model_from_dict(json.loads(text))
    if not np.array_equal(rebuilt.predict_proba(votes), model.predict_proba(votes)):
        return False
    try:
        store_newest(path, lambda out: out.write(text.encode("utf-8")), KEPT, suffix=".json")
    except OSError as exc:  # a cache that cannot be written costs time, not the run
        log.warning("%s", cache_write_text("label model fit cache", path.parent, exc,
                                           then=GOES_ON))
        return False
    return True


def _kept(model: Any) -> bool:
    """Whether ``model`` is one of the models the cache keeps (:data:`CACHED`)."""
    from labelwright.models.snorkel_model import SnorkelLabelModel

    return isinstance(model, AutoLabelModel | SnorkelLabelModel) and model.name in CACHED


def cached_fit(config: ProjectConfig, votes: np.ndarray, *, y_dev: np.ndarray | None,
               sampled: np.ndarray | None, sample_unsettled: int, cache_dir: Path | None,
               refresh: bool = False) -> tuple[Any, dict[str, bool | None]]:
    """:func:`~labelwright.models.configured.fit_label_model` of these inputs, read back from
    ``cache_dir`` when an earlier run fit the same (:data:`CACHED` only), and what the cache did
    (the manifest's ``label_model.fit_cache``: ``used``, ``reused``, ``refreshed``).
    ``refresh``: fit all the same and store it over; ``cache_dir`` None: neither read nor
    write."""
    from labelwright.models.configured import (
        fit_label_model,
        gold_count,
        marked_sample,
        note_class_balance,
    )

    def fit() -> Any:
        return fit_label_model(config, votes, y_dev=y_dev, sampled=sampled,
                               sample_unsettled=sample_unsettled)

    if cache_dir is None or config.label_model.name not in CACHED:
        return fit(), {"used": False, "reused": None, "refreshed": None}
    key = fit_key(config, votes, y_dev, marked_sample(sampled), sample_unsettled)
    path = Path(cache_dir) / f"{key}.json"
    if not refresh and path.is_file():
        model = read_fit(path, len(config.labels), config.label_model.name)
        if model is not None:
            touch(path)  # the newest entries are the ones kept
            note_class_balance(config, model, gold_count(y_dev))
            return model, {"used": True, "reused": True, "refreshed": False}
    model = fit()
    kept = store_fit(path, model, votes)
    return model, {"used": True, "reused": False, "refreshed": refresh if kept else None}
