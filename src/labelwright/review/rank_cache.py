"""The earlier import path of :mod:`labelwright.review.ranking.cache`, kept so that scripts
written against it keep working."""

from labelwright.review.ranking.cache import *  # noqa: F403
