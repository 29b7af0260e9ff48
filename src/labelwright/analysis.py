"""The old import path of :mod:`labelwright.lfs.stats`, kept so that scripts written against it
keep working."""

from labelwright.lfs.stats import *  # noqa: F403
