"""The old import path of :mod:`labelwright.runs.diff`, kept so that scripts written against it
keep working."""

from labelwright.runs.diff import *  # noqa: F403
from labelwright.runs.diff_lines import *  # noqa: F403
