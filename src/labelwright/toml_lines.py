"""The old import path of :mod:`labelwright.config.toml_lines`, kept so that scripts written
against it keep working.

Unlike the other old paths, this one is the moved module itself rather than a copy of its
public names: code that reaches into it (replacing its ``_Reader``, as a test does) changes
what :func:`~labelwright.config.toml_lines.key_lines` reads with, as it did before the move.
"""

import sys

from labelwright.config import toml_lines

sys.modules[__name__] = toml_lines
