"""The old import path of :mod:`labelwright.models.vote_calibration`, kept so that scripts
written against it keep working."""

from labelwright.models.vote_calibration import *  # noqa: F403
