"""A file whose labels are the project's in another case on many rows (`Spam` for `spam`):
a review tool's project made with the labels so spelt writes every decision that way, and
the import named each row alone, twenty lines of the same message and `... and 40 more`,
without a word of the setting that reads them as the project's labels."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from labelwright.review.imports.records import Row


def _folded(label: str) -> str:
    return unicodedata.normalize("NFKC", label).casefold().strip()


def case_spellings(bad_rows: Sequence[tuple[Row, str]], labels: Sequence[str]
                   ) -> dict[str, tuple[str, int]]:
    """``{spelling: (project label, rows)}`` for the bad rows whose label is a project label
    in another case (or width), most rows first."""
    by_fold = {_folded(label): label for label in labels}
    found: Counter[str] = Counter()
    for row, problem in bad_rows:
        label = row.label
        if (isinstance(label, str) and label not in labels and "unknown label" in problem
                and _folded(label) in by_fold):
            found[label] += 1
    return {spelling: (by_fold[_folded(spelling)], rows)
            for spelling, rows in found.most_common()}


def case_spellings_said(spellings: dict[str, tuple[str, int]]) -> str | None:
    """The line under the bad rows naming :func:`case_spellings` and the setting that reads
    them as the project's labels; None when there are none."""
    if not spellings:
        return None
    from labelwright.counts import counted

    each = ", ".join(f"{spelling!r} for {label!r} ({counted(rows, 'row')})"
                     for spelling, (label, rows) in spellings.items())
    entries = ", ".join(f"{_toml_key(spelling)} = \"{label}\""
                        for spelling, (label, _) in spellings.items())
    return (f"labels in another case: {each}; if the review tool spells them so (its "
            f"project was made with those names), `renamed = {{ {entries} }}` under [project] "
            "in labelwright.toml reads them as the project's labels, and importing the file "
            "again adds them; else correct the labels in the file")


def _toml_key(name: str) -> str:
    """``name`` as a TOML key: bare when it can be, else quoted."""
    bare = name.isascii() and all(c.isalnum() or c in "-_" for c in name) and bool(name)
    if bare:
        return name
    from labelwright.toml_text import toml_string

    return toml_string(name)
