"""An LF that read the dataset's gold column, said as such: a Snorkel LF written against a
DataFrame that held the labels (``x.CLASS``, ``x["label"]``) raises ``item 'c1' has no field
'CLASS'`` here, and the list of fields after it does not say why the column is missing. The
gold column is held out from the LFs (it measures their votes), so the failure names it as
``[data] gold_column``."""

from __future__ import annotations

import re

#: the item's own error for a field it does not have (:meth:`labelwright.lfs.item.Item.__getattr__`
#: and ``__getitem__``), the field's name as its repr
_NO_FIELD = re.compile(r"has no field (?P<q>['\"])(?P<name>.*?)(?P=q)")


def gold_field_hint(error: str, gold_column: str | None) -> str:
    """"'CLASS' is the gold column ([data] gold_column): ..." when ``error`` (the failure's
    last line) is an item's missing field that is ``gold_column``; "" otherwise."""
    found = _NO_FIELD.search(error)
    if gold_column is None or found is None or found["name"] != gold_column:
        return ""
    return (f"{gold_column!r} is the gold column ([data] gold_column): held out from the LFs, "
            "since it measures their votes (an LF that read it would be scored on its own "
            "answers); vote from the text and the other fields")
