"""Glossaries: YAML lists of domain terms that vote a label when they occur.

:mod:`~labelwright.glossaries.reading` loads and checks them (one file's fields:
:mod:`~labelwright.glossaries.file_fields`; a glossary made in Python:
:mod:`~labelwright.glossaries.python_glossaries`),
:mod:`~labelwright.glossaries.checks` compares them with each other and the pipeline,
:mod:`~labelwright.glossaries.core` makes their LFs and
:mod:`~labelwright.glossaries.matching` finds their terms in a Doc.
"""

from labelwright.glossaries.core import (
    MODES,
    Glossary,
    GlossaryVote,
    Term,
    glossary_lf,
)
from labelwright.glossaries.python_glossaries import glossary_from_dict
from labelwright.glossaries.reading import load_glossaries, load_glossary

__all__ = ["MODES", "Glossary", "GlossaryVote", "Term", "glossary_from_dict", "glossary_lf",
           "load_glossaries", "load_glossary"]
