"""Label models: turn a label matrix of LF votes into probabilistic labels.

>>> from labelwright.models import get_model
>>> model = get_model("default", cardinality=2).fit(L)       # doctest: +SKIP
>>> probs = model.predict_proba(L)                            # doctest: +SKIP

Names: see :func:`available_models`. snorkel (and torch) are imported only when the
``"snorkel"`` model is fit or prepared (:meth:`LabelModel.prepare`, which ``labelwright
bench`` calls so that its timings leave the imports out).
"""

from labelwright.models.auto import AutoLabelModel
from labelwright.models.base import LabelModel, NotFittedError
from labelwright.models.calibration_methods import TemperatureScaler
from labelwright.models.dawid_skene import DawidSkene
from labelwright.models.inputs import check_label_matrix
from labelwright.models.majority import MajorityVote, WeightedMajorityVote
from labelwright.models.registry import (
    DEFAULT_MODEL,
    UnknownModelError,
    available_models,
    default_model,
    get_model,
    load_model,
    register,
)
from labelwright.models.reliability import ece, expected_calibration_error, reliability_bins
from labelwright.models.snorkel_model import SnorkelLabelModel
from labelwright.models.ties import break_ties
from labelwright.models.triplet import TripletModel

for _cls in (MajorityVote, WeightedMajorityVote, SnorkelLabelModel, DawidSkene, TripletModel,
             AutoLabelModel):
    register(_cls.name, _cls)
register("default", default_model)
del _cls

__all__ = [
    "DEFAULT_MODEL",
    "AutoLabelModel",
    "DawidSkene",
    "LabelModel",
    "MajorityVote",
    "NotFittedError",
    "SnorkelLabelModel",
    "TemperatureScaler",
    "TripletModel",
    "UnknownModelError",
    "WeightedMajorityVote",
    "available_models",
    "break_ties",
    "check_label_matrix",
    "ece",
    "expected_calibration_error",
    "get_model",
    "load_model",
    "register",
    "reliability_bins",
]
