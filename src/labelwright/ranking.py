"""The old import path of :mod:`labelwright.review.ranking.rank`, kept so that scripts
written against it keep working."""

from labelwright.review.ranking.rank import *  # noqa: F403
