"""The old import path of :mod:`labelwright.runs.diff.compare`,
kept so that scripts written against it keep working."""

from labelwright.runs.diff.compare import *  # noqa: F403
from labelwright.runs.diff.input_lines import *  # noqa: F403
from labelwright.runs.diff.lines import *  # noqa: F403
