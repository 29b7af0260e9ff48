"""The old import path of :mod:`labelwright.runs.explain`, kept so that scripts written against it
keep working."""

from labelwright.runs.explain import *  # noqa: F403
