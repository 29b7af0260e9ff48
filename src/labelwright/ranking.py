"""The old import path of :mod:`labelwright.review.ranking`, kept so that scripts written against it
keep working."""

from labelwright.review.ranking import *  # noqa: F403
