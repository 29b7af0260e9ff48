"""The texts an :class:`~labelwright.end_model.model.EndModel` is given, checked: a list
(or other sequence) of strings, a missing one (``None``, NaN, ``pd.NA``) read as ``""``, as
a project's dataset reads a missing text; one bare string, or a value that is no text, is a
TypeError that says what to pass."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from labelwright.data.gold import is_missing
from labelwright.data.ids import describe_value


def checked_texts(texts: Iterable[Any]) -> list[str]:
    """``texts`` as a list of strings (a missing one as ""), or a TypeError naming the
    position of the first that is not a text."""
    if isinstance(texts, str | bytes | bytearray):
        # iterated, a string is one "text" per character: 13 predictions for 13 letters
        raise TypeError(f"EndModel: texts must be a list of texts, got one "
                        f"{type(texts).__name__} ({describe_value(texts)}); pass [text]")
    listed = list(texts)
    if all(type(text) is str for text in listed):
        return listed
    return [_text(text, position) for position, text in enumerate(listed)]


def _text(value: Any, position: int) -> str:
    if isinstance(value, str):
        return value
    if is_missing(value):
        return ""
    advice = ("; decode it first: text.decode('utf-8'), or for a DataFrame column "
              "df[column].str.decode('utf-8')" if isinstance(value, bytes | bytearray) else "")
    raise TypeError(f"EndModel: texts[{position}] is {describe_value(value)}; a text must be a "
                    f"string, or missing (None or NaN, read as an empty text){advice}")
