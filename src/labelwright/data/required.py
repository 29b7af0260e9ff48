"""What a call says when it is given no dataset it can read: not a
:class:`~labelwright.data.dataset.Dataset` (:func:`require_dataset`), or not a pandas
DataFrame (:func:`frame_hint`), each with how to make one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from labelwright.short_repr import type_name

if TYPE_CHECKING:
    from labelwright.data.dataset import Dataset


def require_dataset(value: Any, caller: str, labels: Sequence[str]) -> Dataset:
    """``value`` when it is a :class:`Dataset`; a TypeError saying how to make one
    otherwise (a pandas DataFrame, as snorkel's ``PandasLFApplier.apply(df)`` takes it: a
    Dataset knows which column holds the ids and which the text, and ids are never the
    rows' positions). ``caller``: the call, as the message names it; ``labels``: the ones
    its gold would be read with, written out in the call it shows."""
    from labelwright.data.dataset import Dataset  # it imports this module

    if isinstance(value, Dataset):
        return value
    said = f"{caller}: dataset must be a labelwright Dataset, got {type_name(value)}"
    make = (f"labelwright.data.dataset_from_frame(df, id_column=..., text_column=..., "
            f"labels={list(labels)!r}) (gold_column=... too, if it has gold labels)")
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{said}; make one from a pandas DataFrame with {make}")
    columns = ", ".join(map(str, value.columns[:10])) + (", ..." if len(value.columns) > 10
                                                         else "")
    raise TypeError(f"{said} (columns: {columns}); make one with {make}: a DataFrame does not "
                    "say which column holds the ids and which the text, and its rows' "
                    "positions are not read as ids (a frame without an id column: "
                    "df.reset_index(names='id') makes one of its index)")


def data_type_error(caller: str, value: Any) -> TypeError:
    """The error of a ``data=`` that is neither a path nor a pandas DataFrame, with how to
    make a frame of it (:func:`frame_hint`)."""
    return TypeError(f"{caller}: data is a {type_name(value)}; give a dataset file's path or "
                     f"a pandas DataFrame{frame_hint(value)}")


def frame_hint(value: Any) -> str:
    """How to make a DataFrame of ``value``: a list of dicts or a dict of columns, a
    Series (one column: the frame it came from has the ids too), or a frame of another
    library that converts itself."""
    if isinstance(value, pd.Series):
        return ("; a Series is one column, and the ids are in another: pass the frame it "
                "came from (df, not df['text']), or make one, "
                "s.rename('text').reset_index(names='id') when its index holds the ids")
    if hasattr(value, "to_pandas"):  # polars, pyarrow
        return "; convert it with .to_pandas()"
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        return ("; texts alone have no ids: pd.DataFrame({'id': ids, 'text': texts}) makes "
                "a frame of both (ids of your own, unique; not the texts' positions, which "
                "change when the list does)")
    if isinstance(value, list | tuple | dict):
        return (f"; a {type(value).__name__} of rows or columns becomes one with "
                "pd.DataFrame(...), e.g. pd.DataFrame([{'id': '1', 'text': '...'}])")
    return "; read a file with labelwright.data.read_frame(path), or build one with pd.DataFrame"
