"""The end model: a text classifier trained on probabilistic labels.

:mod:`~labelwright.end_model.model` (:class:`EndModel`: features, fit, save and load);
:mod:`~labelwright.end_model.out_of_fold` (out-of-fold predictions for the review ranking);
:mod:`~labelwright.end_model.train` (``labelwright train``: train on a run's labels, score on
gold, write the model and its labels).
"""

from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import out_of_fold_proba

__all__ = ["EndModel", "out_of_fold_proba"]
