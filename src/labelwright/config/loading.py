"""Reading a project's config: finding the project folder, reading ``labelwright.toml``
(its encoding, its TOML) and checking it into a
:class:`~labelwright.config.schema.ProjectConfig`.

Every error here names the file, and where it can the line: a TOML syntax error by
:func:`toml_error`, a wrong setting by :func:`located`, which puts the line of the
setting a :class:`~labelwright.errors.SettingError` names in front of its message.
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from labelwright.config.schema import CONFIG_NAME, ProjectConfig, place
from labelwright.config.tables import parse_tables
from labelwright.config.toml_lines import KeyPath, key_lines, set_before
from labelwright.errors import ConfigError, ConfigErrors, SettingError
from labelwright.short_repr import type_name


def find_project_root(start: Path) -> Path:
    """Return the nearest folder at or above ``start`` that holds ``labelwright.toml``."""
    start = start.resolve()
    if not start.exists():  # not a mistyped folder's parent project, silently
        raise ConfigError(f"{start}: no such folder; pass a project folder (one that holds "
                          f"{CONFIG_NAME}) or a folder inside one")
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} in {start} or any folder above it; "
        "run `labelwright init DIR` to create a project"
    )


def project_folder(path: str | Path) -> Path:
    """``path``, resolved, if it holds ``labelwright.toml``; else an error naming it and the
    nearest project above it. For a folder named as the project (``--project DIR``): it is
    the project, never one above it, as an empty folder inside a project (``--project new``)
    was, which ran that project and wrote runs into it. :func:`load_config` looks upwards."""
    folder = Path(path).resolve()  # "." names no folder in a message
    if (folder / CONFIG_NAME).is_file():
        return folder
    problem = (f"not a project folder (no {CONFIG_NAME} in it)" if folder.exists()
               else f"no such folder; pass a project folder (one that holds {CONFIG_NAME})")
    below = next(p for p in (folder, *folder.parents) if p.is_dir())
    try:
        above = find_project_root(below)
    except ConfigError:
        init = (f"; `labelwright init {shlex.quote(str(folder))}` creates a project there"
                if folder.is_dir() else "")
        raise ConfigError(f"{folder}: {problem}{init}") from None
    raise ConfigError(f"{folder}: {problem}; the nearest project above it is {above}: "
                      f"pass --project {shlex.quote(str(above))}")


def load_config(path: str | Path = ".") -> ProjectConfig:
    """Read and validate the config of the project at ``path`` (a folder or the toml file;
    a ``str`` or ``os.PathLike``: anything else, a DataFrame of items above all, is a
    TypeError saying what is a path and where a frame goes)."""
    if not isinstance(path, str | os.PathLike):
        raise TypeError(not_a_project_path(path))
    path = Path(path)
    if path.name != CONFIG_NAME and path.is_file():  # not another toml read in its place
        raise ConfigError(f"{path}: a project is a folder holding {CONFIG_NAME}, or that file "
                          f"itself; a config under another name is not read")
    root = path.parent if path.name == CONFIG_NAME else find_project_root(path)
    file = root / CONFIG_NAME
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{file}: no such file; `labelwright init DIR` creates a "
                          "project") from None
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{file}:{line}: not UTF-8 (byte {exc.object[exc.start]:#04x}); "
                          "save the config as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{file}: cannot read: {exc.strerror or exc}") from None
    text = text.removeprefix("\ufeff")  # editors may write a BOM
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(file, text, exc) from None
    return parse_config(raw, root=root.resolve(), file=file, lines=key_lines(text, raw))


def not_a_project_path(value: object) -> str:
    """What a function that takes a project's path says of a ``value`` that is none."""
    kind = type(value)
    frame = kind.__name__ == "DataFrame"
    project = kind.__name__ == "Project" and kind.__module__.startswith("labelwright.")
    shown = (f"{kind.__module__.split('.')[0]} DataFrame" if frame
             else "labelwright Project" if project else type_name(value))
    article = "an" if shown[0] in "aeiou" else "a"
    said = (f"the project is a folder (or its {CONFIG_NAME}), given as a path, a str or "
            f"os.PathLike; got {article} {shown}")
    if frame:
        return said + (": a DataFrame of items is given as data=, with the project's path "
                       "first: run_project(path, data=df), check_project(path, data=df)")
    if project:  # load_project's, which run_project and check_project take as project=
        return said + (": a loaded project is given as project=: "
                       "run_project(project=project), check_project(project=project)")
    return said


def toml_error(file: Path, text: str, exc: tomllib.TOMLDecodeError) -> ConfigError:
    """A syntax error as ``FILE:LINE: invalid TOML: ...``; a key set twice in one table
    (tomllib: "Cannot overwrite a value") or a table declared twice says so, naming the key
    and the line that set it first."""
    message = str(exc)
    found = re.search(r"\(at line (\d+), column \d+\)$", message)
    if found is None:  # "at end of document": no line to name
        return ConfigError(f"{file}: invalid TOML: {message}")
    line = int(found.group(1))
    twice = message.startswith(("Cannot overwrite a value", "Cannot declare"))
    if not twice:
        return ConfigError(f"{file}:{line}: invalid TOML: {message}")
    before = set_before(text, line)
    if before is None:
        return ConfigError(f"{file}:{line}: invalid TOML: a key is set twice in one table, "
                           "or a table is declared twice; each may be written once: remove "
                           "one of them")
    path, first = before
    if message.startswith("Cannot declare"):
        table = ".".join(path)
        return ConfigError(f"{file}:{line}: invalid TOML: the table [{table}] is declared "
                           f"twice (first on line {first}); a table is declared once: put "
                           f"all its keys under one [{table}] header")
    table = f"[{'.'.join(path[:-1])}]" if len(path) > 1 else "the top level"
    return ConfigError(f"{file}:{line}: invalid TOML: the key {path[-1]!r} is set twice in "
                       f"one table, {table} (first on line {first}); a key may be set once "
                       "in a table: remove one of them")


def parse_config(raw: dict[str, Any], *, root: Path, file: Path,
                 lines: Mapping[KeyPath, int] | None = None) -> ProjectConfig:
    """Check the parsed config ``raw`` of the project at ``root``; an error names ``file``
    and, given ``lines`` (the line of each key,
    :func:`~labelwright.config.toml_lines.key_lines`), the line of the setting that is wrong."""
    lines = lines or {}
    try:
        return parse_tables(raw, root, file, lines)
    except SettingError as exc:
        raise located(exc, file, lines) from None
    except ConfigErrors as exc:  # one line a wrong table, each with its place
        raise ConfigErrors([located(error, file, lines) if isinstance(error, SettingError)
                            else error for error in exc.errors]) from None


def located(error: SettingError, file: Path, lines: Mapping[KeyPath, int]) -> ConfigError:
    """``error`` with the file and line of its setting in front: the one place a config
    error gets them."""
    return ConfigError(f"{place(file, lines, error.key)}: {error}")
