"""The old import path of :mod:`labelwright.project.model_comparison`, kept so that scripts
written against it keep working."""

from labelwright.project.model_comparison import *  # noqa: F403
