"""Is a reviewed row's text the text its run showed for the item? An import refuses a
row whose text is another item's (a spreadsheet turns the id "007" into 7, which may be an
item too) or was edited: the decision would label a text its reviewer did not read. Two
copies of one text through a spreadsheet or a review tool may differ in spacing, line
ends, invisible characters, Unicode form or a cut at the tool's length; those are the
same text.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from labelwright.review.feedback import texts_shown
from labelwright.review.readers import Row
from labelwright.text_form import text_form


def _gist(text: str) -> str:
    """What two copies of one text keep in common through a spreadsheet or a tool: the
    words and their order (not line ends, spacing, zero-width characters or the Unicode
    form: a tool may store "é" as one code point or two), up to a length every cell
    holds."""
    return text_form(text)[:_GIST_CHARS]


def _same_text(a: str, b: str) -> bool:
    """Equal, or one cut from the other (a tool that cuts long texts at a length of its
    own): a long enough start that matches is the same text."""
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= _CUT_MIN and long.startswith(short))


_GIST_CHARS = 1000  # a spreadsheet cell holds 32,767 characters; some tools cut long texts
_CUT_MIN = 500  # characters: two different items rarely share a start this long


def other_text(row: Row, shown: Callable[[str, str], str | None]) -> str | None:
    """A row whose text is not the one its run exported for the item: its id points at
    another item (a spreadsheet turns the id "007" into 7, which may be an item too)."""
    if row.text is None or not row.item_id or not row.run_id:
        return None
    exported = shown(row.run_id, row.item_id)
    if exported is None:
        return None
    mine, theirs = _gist(row.text), _gist(exported)
    if _same_text(mine, theirs):
        return None
    at = _first_difference(mine, theirs)
    return (f"the text in this row is not the text of item {row.item_id!r} (as run "
            f"{row.run_id} exported it, or as the data has it if the run did not): they "
            f"differ from character {at + 1} on (spacing aside): {_around(mine, at)!r} in "
            f"this row vs {_around(theirs, at)!r}; was the id changed (a spreadsheet turns "
            "007 into 7) or the text edited? The decision would label another text than its "
            "reviewer read")


def _first_difference(a: str, b: str) -> int:
    """The index of the first character where ``a`` and ``b`` differ (the shorter one's
    length when it is the start of the other)."""
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


_CONTEXT = 20  # characters shown on either side of where two texts part


def _around(text: str, at: int) -> str:
    """``text`` near index ``at``, with "..." where it is cut: two texts that share a long
    start showed the same first 40 characters twice, and their difference not at all."""
    start, end = max(0, at - _CONTEXT), at + _CONTEXT
    return ("..." if start else "") + text[start:end] + ("..." if end < len(text) else "")


def shown_reader(runs_dir: Path, rows: list[Row], current: dict[str, str | None]
                 ) -> Callable[[str, str], str | None]:
    """``shown(run_id, item_id)``: the text a run's review or sample export held for the
    item, else (an item the run did not export) its text in the data now; each run's files
    are read once, for the items ``rows`` name."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.text is not None and row.run_id and row.item_id:
            wanted.setdefault(row.run_id, set()).add(row.item_id)
    cache: dict[str, dict[str, str]] = {}

    def shown(run_id: str, item_id: str) -> str | None:
        if run_id not in cache:
            cache[run_id] = texts_shown(runs_dir / run_id, wanted.get(run_id, set()))
        exported = cache[run_id].get(item_id)
        return exported if exported is not None else current.get(item_id)

    return shown
