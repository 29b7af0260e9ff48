"""The end model: a text classifier trained on probabilistic labels.

:mod:`~labelwright.end_model.model` (:class:`EndModel`: fit, save and load; what it reads
of a text is :mod:`~labelwright.end_model.features`, its solver
:mod:`~labelwright.end_model.logistic`, its saved document
:mod:`~labelwright.end_model.model_document`);
:mod:`~labelwright.end_model.out_of_fold` (out-of-fold predictions for the review ranking,
and which items a model scored);
:mod:`~labelwright.end_model.train` (``labelwright train``: train on a run's labels, score on
gold, write the model and its labels).
"""

from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import (
    OutOfFold,
    out_of_fold_proba,
    score_out_of_fold,
)

__all__ = ["EndModel", "OutOfFold", "out_of_fold_proba", "score_out_of_fold"]
