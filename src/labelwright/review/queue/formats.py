"""Writing review records (:mod:`~labelwright.review.queue.records`) as a file of one
format: CSV (:mod:`~labelwright.review.queue.csv_sheet`), JSONL, or a review tool's
(:mod:`~labelwright.review.queue.tools`), each under its own suffix. Kept apart from the
export (:mod:`~labelwright.review.queue.export`, which picks the records): a run writes its
review files with the same JSONL lines (:mod:`~labelwright.review.queue.files`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.review.queue.cell_limit import LongCell
from labelwright.review.queue.csv_sheet import write_csv
from labelwright.review.queue.tools import write_tool
from labelwright.review.targets import DATA_SUFFIXES

EXPORT_FORMATS = ("csv", "jsonl", "label-studio", "prodigy", "doccano", "argilla")
SUFFIXES = {"csv": ".csv", "jsonl": ".jsonl", "label-studio": ".json", "prodigy": ".jsonl",
            "doccano": ".jsonl", "argilla": ".jsonl"}


def jsonl_encoder() -> Callable[[Any], str]:
    """A JSONL review file's line of a record, without its newline: one encoder for every
    record (json.dumps with options makes one per call). A value that is not a number (an
    empty cell of a data column, read as NaN, in a record's ``fields``) is ``null``: JSON has
    no NaN, and jq, JavaScript and review tools refuse a line holding one."""
    strict = json.JSONEncoder(ensure_ascii=False, default=_json_default, allow_nan=False).encode

    def encode(record: Any) -> str:
        try:
            return strict(record)
        except ValueError:  # a NaN or an infinity: rare, so looked for only then
            return strict(_finite(record))

    return encode


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> None:
    encode = jsonl_encoder()
    with open(path, "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(encode(r) + "\n")


def _json_default(value: Any) -> Any:
    """A value JSON has no type for: a numpy scalar as the Python value, else its text."""
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _finite(value: Any) -> Any:
    """``value`` with every float that is not finite (NaN, an infinity) as None."""
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    return value


def write_review(records: list[dict[str, Any]], path: Path, fmt: str, *, labels: Sequence[str],
                 lf_names: Sequence[str], project: str = "", blind: bool = False,
                 long: list[LongCell] | None = None, excel: bool = False,
                 show: Sequence[str] = (),
                 definitions: Mapping[str, str] | None = None) -> list[Path]:
    """Write ``records`` as ``fmt``; returns the files written (a tool may need a config too).
    ``blind``: the records are :func:`blind_records`; a tool's config shows only the text.
    ``long``: gets the CSV's cells longer than an Excel cell holds (:func:`write_csv`).
    ``excel``: the CSV for Excel, with a byte-order mark and ``;`` (:func:`write_csv`).
    ``show``: the item's fields shown beside the text (``[review] show_fields``: :mod:`~labelwright.
    review.queue.shown_fields`); the JSONL holds every field either way. ``definitions``:
    what labels mean (``[review] definitions``), shown with a tool's choices."""
    if fmt == "csv":
        found = write_csv(records, path, labels=labels, lf_names=lf_names, blind=blind,
                          excel=excel, show=show)
        if long is not None:
            long.extend(found)
    elif fmt == "jsonl":
        write_jsonl(records, path)
    elif fmt in EXPORT_FORMATS:
        return write_tool(records, path, fmt, labels=labels, project=project, blind=blind,
                          show=show, definitions=definitions)
    else:
        raise ValueError(f"unknown review format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    return [path]


#: the suffixes each export may be written under
SUFFIXES_OF = {"csv": (".csv",), "label-studio": (".json",)}


def check_suffix(out: Path, fmt: str) -> None:
    """A file named for one format must not hold another: every reader (and the import's
    format guess) goes by the name."""
    allowed = SUFFIXES_OF.get(fmt, (".jsonl", ".ndjson"))
    suffix = out.suffix.lower()
    if suffix in DATA_SUFFIXES and suffix not in allowed:
        raise ValueError(f"{out}: the suffix says {suffix[1:]}, the format is {fmt} (written as "
                         f"{' or '.join(allowed)}); change one")
