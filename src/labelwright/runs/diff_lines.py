"""The old import path of :mod:`labelwright.runs.diff.lines`,
kept so that scripts written against it keep working."""

from labelwright.runs.diff.input_lines import *  # noqa: F403
from labelwright.runs.diff.lines import *  # noqa: F403
