"""The check of ``[data]``, the table that says where the dataset is and how it is read:
its path (one file, a folder of parts, a wildcard or a list of files), its format, quoting
and delimiter, its header-less columns and which of them hold the id, text and gold label.
Kept apart from the other tables' checks (:mod:`~labelwright.config.tables`, which runs this
one in its place in the order) because what it checks is how a data file is read, not a
choice among settings.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from labelwright.config.gold_values import gold_values_table
from labelwright.config.schema import (
    DATA_BAD_ROWS,
    DATA_DUPLICATE_ROWS,
    DATA_FORMATS,
    DATA_QUOTINGS,
    DATA_SUFFIXES,
    DataConfig,
    data_suffix,
    decompressed_folder,
    delimiter_problem,
)
from labelwright.config.settings import (
    check_choice,
    check_columns,
    check_keys,
    shared_column,
    typed,
)
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import SettingError
from labelwright.spelling import did_you_mean
from labelwright.toml_text import toml_string


def data_table(data: Any, root: Path) -> DataConfig:
    """``[data]``: the dataset file, how it is read, and the role of its columns."""
    if not isinstance(data, dict) or "path" not in data:
        raise SettingError(f"[data] path is required (the dataset file, relative to {root})",
                           ("data",))
    check_keys(data, {"path", "id_column", "text_column", "gold_column", "gold_values",
                      "format", "quoting", "columns", "delimiter", "bad_rows", "duplicate_rows"},
               ("data",))
    delimiter = data.get("delimiter")
    if delimiter is not None and delimiter_problem(delimiter):
        raise SettingError(f"[data] {delimiter_problem(delimiter)}", ("data", "delimiter"))
    fmt = data.get("format")
    if fmt is not None:
        check_choice(fmt, DATA_FORMATS, ("data", "format"))
    quoting = data.get("quoting", "auto")
    if quoting not in DATA_QUOTINGS:
        raise SettingError(f"[data] quoting {quoting!r}; valid: \"auto\" (CSV quoting; in a "
                           "tab-separated file an error where a quote is ambiguous), \"csv\" "
                           "(a quoted value may hold delimiters and line breaks), \"none\" "
                           "(quotes are text: one line is one record)", ("data", "quoting"))
    bad_rows = data.get("bad_rows", "error")
    if bad_rows not in DATA_BAD_ROWS:
        shown = bad_rows if isinstance(bad_rows, str) else ""
        raise SettingError(f"[data] bad_rows {bad_rows!r}; {did_you_mean(shown, DATA_BAD_ROWS)}"
                           "valid: \"error\" (a bad row stops the read, naming it), \"skip\" "
                           "(it is left out and listed in the run's skipped_rows.jsonl)",
                           ("data", "bad_rows"))
    duplicate_rows = data.get("duplicate_rows", "error")
    if duplicate_rows not in DATA_DUPLICATE_ROWS:
        shown = duplicate_rows if isinstance(duplicate_rows, str) else ""
        raise SettingError(f"[data] duplicate_rows {duplicate_rows!r}; "
                           f"{did_you_mean(shown, DATA_DUPLICATE_ROWS)}valid: \"error\" (a "
                           "row the same in every column as an earlier one stops the read, "
                           "naming both), \"skip\" (the first is kept, each later copy left "
                           "out and listed in the run's skipped_rows.jsonl)",
                           ("data", "duplicate_rows"))
    path, parts = data_path(data["path"], root)
    data_cfg = DataConfig(
        path=path,
        parts=parts,
        id_column=typed(data.get("id_column", "id"), str, ("data", "id_column")),
        text_column=text_column(data.get("text_column", "text")),
        gold_column=data.get("gold_column"),
        gold_values=gold_values_table(data.get("gold_values"), data.get("gold_column")),
        format=fmt,
        quoting=quoting,
        columns=check_columns(data.get("columns")),
        delimiter=delimiter,
        bad_rows=bad_rows,
        duplicate_rows=duplicate_rows,
        copies=decompressed_folder(root),
    )
    check_delimited(data, data_cfg)
    shared = shared_column(data_cfg.id_column, data_cfg.text_column, data_cfg.gold_column)
    if shared is not None:
        a, b, problem = shared
        raise SettingError(f"[data] {problem}", ("data", b if b in data else a))
    return data_cfg


def data_path(value: Any, root: Path) -> tuple[Path, tuple[Path, ...] | None]:
    """``[data] path``: one path (a file, a folder of parts or a wildcard), or a list of
    files read in the order written, whose common folder is then the path."""
    if not isinstance(value, list):
        return tidy_path(root / typed(value, str, ("data", "path"))), None
    if not value:
        raise SettingError("[data] path is an empty list; name the dataset's files, or the "
                           "folder that holds them", ("data", "path"))
    parts = tuple(tidy_path(root / typed(item, str, ("data", "path"), "[data] path's items"))
                  for item in value)
    twice = next((p for k, p in enumerate(parts) if p in parts[:k]), None)
    if twice is not None:
        raise SettingError(f"[data] path lists {value[parts.index(twice)]!r} twice; each "
                           "file is read once", ("data", "path"))
    return Path(os.path.commonpath([p.parent for p in parts])), parts


def tidy_path(path: Path) -> Path:
    """``path`` with ``.`` and ``name/..`` taken out (``/p/yt/../parts`` is ``/p/parts``), as
    every message and record then names it; a ``..`` after a symbolic link stays, as it
    leads from where the link points, not from the link's folder."""
    kept: list[str] = []
    for part in path.parts:
        if part == ".":
            continue
        if (part == ".." and kept and kept[-1] not in ("..", path.anchor)
                and not os.path.islink(os.path.join(*kept))):
            kept.pop()
        else:
            kept.append(part)
    return Path(*kept) if kept else Path(".")


def check_delimited(data: Mapping[str, Any], config: DataConfig) -> None:
    """``quoting`` and ``columns`` are about CSV and TSV files: for JSONL or Parquet, whose
    values and column names the file states itself, setting them is a mistake said here."""
    kind = config.format or DATA_SUFFIXES.get(data_suffix(config.path))
    if kind not in ("jsonl", "parquet"):  # csv, tsv, or a suffix reading names as unknown
        check_roles_in_columns(data, config, kind)
        return
    if config.columns is not None:
        raise SettingError(f"[data] columns names the columns of a CSV or TSV file without a "
                           f"header row; {config.path.name} is read as {kind}, whose column "
                           "names are in the file: remove columns", ("data", "columns"))
    if config.quoting != "auto":
        raise SettingError(f"[data] quoting is about quotes in a CSV or TSV file; "
                           f"{config.path.name} is read as {kind}: remove quoting",
                           ("data", "quoting"))
    if config.delimiter is not None:
        raise SettingError(f"[data] delimiter separates the values of a CSV or TSV file; "
                           f"{config.path.name} is read as {kind}: remove delimiter",
                           ("data", "delimiter"))


def check_roles_in_columns(data: Mapping[str, Any], config: DataConfig,
                           kind: str | None = None) -> None:
    """The id, text and gold columns of a header-less file must be among ``[data]
    columns``: the names there are all the file has. A file with no id column among them
    (UCI's SMS Spam Collection, ``label<TAB>text``) gets the command that numbers its lines
    into one."""
    if config.columns is None:
        return
    for role, column in (("id_column", config.id_column), ("text_column", config.text_column),
                         ("gold_column", config.gold_column)):
        if column is not None and column not in config.columns:
            raise SettingError(
                f"[data] {role} {column!r} is not one of [data] columns "
                f"({', '.join(config.columns)}); name it there, in its place in the file's "
                f"order" + (", or name the id column with id_column (every item needs a "
                            "unique id: a file without ids needs a column of them"
                            + _numbering_recipe(data, config, kind) + ")"
                            if role == "id_column" else ""),
                ("data", role if role in data else "columns"))


def _numbering_recipe(data: Mapping[str, Any], config: DataConfig, kind: str | None) -> str:
    """How to give a header-less file of one record a line an id column, its line
    numbers: an ``awk`` command writing a numbered copy, and the settings that read it;
    "" for a dataset in many files or a file that already names a column like an id."""
    written = data.get("path")
    columns = config.columns or ()
    if not isinstance(written, str) or config.parts is not None or "*" in written \
            or config.path.is_dir() or any(map(_names_an_id, columns)):
        return ""
    tsv = kind == "tsv" or (kind is None and config.delimiter in (None, "\t")
                            and written.lower().endswith(".tsv"))
    sep = config.delimiter or ("\t" if tsv else ",")
    awk_sep = "\\t" if sep == "\t" else sep
    stem = written[:-4] if written.lower().endswith((".tsv", ".csv", ".txt")) else written
    numbered = f"{stem}-numbered.{'tsv' if tsv else 'csv'}"
    listed = ", ".join(toml_string(name) for name in ("id", *columns))
    # quoted for the shell and for TOML: a name with a space, quote or backslash is pasted
    awk = (f"awk '{{print NR \"{awk_sep}\" $0}}' {shlex.quote(written)} > "
           f"{shlex.quote(numbered)}")
    return (f"; to number its lines (one record a line), in the project folder: {awk}"
            f", then set [data] path = {toml_string(numbered)} and columns = "
            f"[{listed}], and keep the numbered file: the ids are its line numbers")


def _names_an_id(column: str) -> bool:
    """Whether a column's name reads as an id's (``id``, ``msg_id``, ``MsgID``, ``msgId``):
    ``video`` or ``width`` holds the letters, not the word."""
    return re.search(r"(?:^|[^a-z])id(?:[^a-z]|$)", column.lower()) is not None \
        or re.search(r"[a-z0-9](?:Id|ID)(?:[^a-z]|$)", column) is not None


def text_column(value: Any) -> str:
    """``[data] text_column``: one column. A list of them (``["subject", "body"]``) is an
    error with the recipe that labels them as one text: their join, written as a column of
    the file, whose hash and texts a run records and ``explain`` shows as the LFs saw them."""
    key: KeyPath = ("data", "text_column")
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        joined = (f'df[[{", ".join(map(json.dumps, value))}]].apply(lambda row: "\\n\\n"'
                  '.join(v for v in row if isinstance(v, str) and v.strip()), axis=1)')
        raise SettingError(
            f"[data] text_column names one column, got {value!r}; to label "
            f"{' and '.join(map(repr, value))} as one text, write their join as a column of "
            f"the data, empty ones left out (in pandas: df[\"text\"] = {joined}, then save "
            "the file) and set text_column = \"text\" (README: Labelling several columns as "
            "one text)", key)
    return str(typed(value, str, key))

