"""The error for a dataset without its id, text or gold column: the columns it has, and what
likely went wrong (spaces around a header, a near miss in case, invisible characters or
spelling, another delimiter, nested keys, a pandas index that is not read)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from labelwright.data.csv_errors import separator_hint
from labelwright.errors import DataError
from labelwright.spelling import did_you_mean

__all__ = ["missing_column", "nested_keys"]

#: what each column the config names holds, as its hint says it
HELD = {"id": "ids", "text": "texts", "gold": "gold labels"}


def missing_column(source: str, role: str, column: str, columns: list[str], *,
                   row_index: str | None = None, index: Sequence[str] = (),
                   frame_index: bool = False, delimiter: str = ",",
                   whole: bool = False) -> DataError:
    """The error for a dataset without its id, text or gold column, with the columns it
    has (a name with spaces around it shown quoted) and what likely went wrong
    (``index``: the names of a DataFrame's named index levels, which are not read: the
    column may be one, or the ids may be in one of another name; ``frame_index``: the
    dataset is a DataFrame of the user's, whose unnamed index may hold the ids, not a
    file's rows; ``delimiter``: the one a CSV file was read with; ``whole``: the columns
    are all the data's, not one part's of many, so the key to set is named when nothing
    else went wrong)."""
    present = ", ".join(repr(name) if name != name.strip() or not name.isprintable() else name
                        for name in columns)
    hints = []
    separated = separator_hint(columns, delimiter)
    parent = column.split(".")[0]
    nested = "." in column and parent in columns
    spaced = next((name for name in columns if name.strip() == column), None)
    alike = next((name for name in columns if _plain(name) == _plain(column)), None)
    if spaced is not None:
        hints.append(f"the header has {spaced!r}, with spaces around it: remove them")
    elif alike is not None:
        hidden = "" if alike.isprintable() else ", which holds an invisible character"
        hints.append(f"did you mean {alike!r}{hidden}?")
    elif not (separated or nested or column == row_index or column in index):
        # spelt close ("txt"), or in case and separators ("Complaint ID" for complaint_id);
        # not when a hint below says where the column went
        guess = did_you_mean(column, columns).strip()
        if guess:
            hints.append(guess)
    if separated:
        hints.append(separated)
    if nested:
        hints.append(f"{parent!r} holds nested values, and {nested_keys(column)}")
    if row_index == column:
        hints.append(f"{column!r} is the file's pandas row-number index, which Parquet keeps "
                     "as metadata, not as a column: save it with df.reset_index().to_parquet()")
    if column in index:
        hints.append(f"{column!r} is the DataFrame's index, not one of its columns, and the "
                     "index is not read: pass df.reset_index()")
    elif role == "id" and len(index) == 1:
        hints.append(f"the DataFrame's index is named {index[0]!r} and is not read: if it "
                     f"holds the ids, pass df.reset_index() with [data] id_column = "
                     f"\"{index[0]}\", or df.reset_index().rename(columns={{{index[0]!r}: "
                     f"{column!r}}})")
    elif role == "id" and index:
        hints.append(f"the DataFrame's index levels {', '.join(map(repr, index))} are not "
                     "read: if one holds the ids, pass df.reset_index() and name it in "
                     "[data] id_column")
    elif role == "id" and frame_index:
        hints.append(f"the DataFrame's index is not read, and row positions are never used "
                     f"as ids: if the index holds the ids, pass "
                     f"df.reset_index(names={column!r}); if a column does, name it in "
                     "[data] id_column (dataset_from_frame's id_column=)")
    if whole and not hints and columns and role in HELD:
        # nothing else went wrong: the data names the column otherwise (a newcomer's own
        # file, "body" for "text"), and the config is where to say so
        hints.append(f"if one of them holds the {HELD[role]}, name it in [data] "
                     f"{role}_column" + (f" (dataset_from_frame's {role}_column=)"
                                         if frame_index else ""))
    return DataError(f"{source}: no {role} column {column!r}; columns present: {present}"
                     + "".join(f" ({hint})" for hint in hints))


def nested_keys(key: str) -> str:
    """What a message about a JSON object in a column says, its example the user's own
    nested ``key`` (``meta.customer.tier``): one of another's ("payload.body") left the
    reader to map it onto theirs."""
    return ("keys nested in an object are not read as columns: flatten the file (one key "
            f"per column, e.g. \"{key}\": ...), or make a frame of the file's objects with "
            f"pd.json_normalize(records), whose column {key!r} they are, and pass it: "
            "run_project(path, data=frame)")


def _plain(name: str) -> str:
    """A column name as a near miss is compared: case, spaces around and invisible
    characters (a zero-width space, a BOM) left out, and spaces, hyphens and underscores
    between words read alike (a header ``Complaint ID`` for ``complaint_id``)."""
    shown = "".join(ch for ch in name if ch.isprintable()).strip().casefold()
    return re.sub(r"[\s_-]+", "_", shown)
