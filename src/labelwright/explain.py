"""The old import path of :mod:`labelwright.runs.explain.item`,
kept so that scripts written against it keep working."""

from labelwright.runs.explain.item import *  # noqa: F403
