"""A label model module of the user's own, as a project keeps one (``[label_model] name =
"my_models:AccuracyVote"``): the tests of such models and of the runs made with them."""

#: a module defining ``AccuracyVote``; ``{name}``: the class's registered name
MODEL_MODULE = '''
import numpy as np
from labelwright.models import LabelModel


class AccuracyVote(LabelModel):
    """Each LF's vote weighted by its agreement with the majority vote."""

    name = "{name}"

    def _fit(self, L, y_dev, class_balance, rng):
        k = self.cardinality
        self.class_balance_ = (np.asarray(class_balance) if class_balance is not None
                               else np.full(k, 1 / k))
        counts = np.stack([(L == c).sum(axis=1) for c in range(k)], axis=1)
        voted = L >= 0
        right = (L == counts.argmax(axis=1)[:, None]) & voted
        self.acc_ = (right.sum(axis=0) + 1) / (voted.sum(axis=0) + 2)

    def _predict_proba(self, L):
        scores = np.tile(np.log(self.class_balance_), (len(L), 1))
        for c in range(self.cardinality):
            scores[:, c] += ((L == c) * np.log(self.acc_ / (1 - self.acc_))).sum(axis=1)
        return np.exp(scores - scores.max(axis=1, keepdims=True))


def helper():
    return 1
'''


def forget_registered(*modules: str) -> None:
    """Take the classes of ``modules`` out of the label model registry: a run registers
    its model by name for the process, and a later test's list of registered models
    (an unknown-name error) would name it."""
    from labelwright.models.registry import _REGISTRY

    for key in [k for k, v in _REGISTRY.items() if getattr(v, "__module__", "") in modules]:
        del _REGISTRY[key]
