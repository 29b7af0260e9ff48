"""Glossaries: YAML lists of domain terms that vote a label when they occur.

:mod:`~labelwright.glossaries.core` loads and checks them and makes their LFs;
:mod:`~labelwright.glossaries.matching` finds their terms in a Doc.
"""

from labelwright.glossaries.core import (
    MODES,
    Glossary,
    GlossaryVote,
    Term,
    glossary_lf,
    load_glossaries,
    load_glossary,
)

__all__ = ["MODES", "Glossary", "GlossaryVote", "Term", "glossary_lf", "load_glossaries",
           "load_glossary"]
