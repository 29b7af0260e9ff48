"""The packages spaCy's tokenizer for a language needs, in a module that imports no spaCy:
the pipeline facts' key reads them on every run, whose pipeline may never be built."""

from __future__ import annotations

#: the packages spaCy's tokenizer for a language needs, as pip names them
LANGUAGE_PACKAGES = {"ja": "sudachipy sudachidict_core", "zh": "jieba", "th": "pythainlp",
                     "vi": "pyvi"}
