"""The review queue's order: the items whose label is most likely wrong first.

:mod:`~labelwright.review.ranking.rank` ranks (:func:`rank_queue`, whose names this package
also gives, so ``labelwright.review.ranking.rank_queue`` works), with the signals of
:mod:`~.signals` and the weights of :mod:`~.weights`; :mod:`~.cache` keeps a ranking between
runs."""

from labelwright.review.ranking.rank import *  # noqa: F403
