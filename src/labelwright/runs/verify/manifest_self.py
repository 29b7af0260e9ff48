"""A manifest checked against itself: the hashes it records of the files a run read
against the run's kept copies of them (``sources.files``).

A run records a glossary's sha256 in ``glossaries[]``, an LF's code hash in
``labeling_functions[]`` and each file's sha256 again in ``sources.files[]``, beside the
copy it keeps. The copies are checked against ``sources.files``; without this the other
records went unchecked, and an edited one made ``runs verify --inputs`` name a project file
as changed since the run while it is byte for byte the run's copy. No LF is imported here:
an LF's hash is read from its code in the run's copy, as its run hashed it, for an LF made
by a decorator on a module-level function that binds nothing (an LF made with resources,
default arguments or by a factory hashes those too, and is not told here).
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from labelwright.file_hashes import file_sha256
from labelwright.runs.sources import kept_copies

#: what each line ends with
EDITED = "the manifest was edited since the run"


def self_contradictions(run_dir: Path, manifest: dict[str, Any],
                        changed: Collection[str] | None = None) -> list[str]:
    """A line per hash the manifest records of a file the run read (a glossary's, an LF
    module's, the config's, an LF's code) that is not what the run's intact copy of that
    file gives; [] for a run that kept no copies. ``changed``: the copies
    :func:`~labelwright.runs.sources.source_problems` found missing or edited, when it was
    asked already (``runs verify``): the others are intact, and are not hashed again."""
    copies = _intact_copies(run_dir, manifest, changed)
    if not copies:
        return []
    return [*_file_lines(manifest, copies), *_lf_lines(run_dir, manifest, copies)]


def _intact_copies(run_dir: Path, manifest: dict[str, Any],
                   changed: Collection[str] | None = None) -> dict[str, dict[str, Any]]:
    """``sources.files`` entries by the project path they copy, those whose copy is the
    file the entry's sha256 names (a copy edited or missing is its own problem; with
    ``changed``, those it names, the others taken as hashed already)."""
    out = {}
    for copy, entry in kept_copies(manifest).items():
        file = run_dir / copy
        if ".." in Path(copy).parts or (changed is not None and copy in changed) \
                or not file.is_file():
            continue
        if changed is not None or file_sha256(file) == entry.get("sha256"):
            out[str(entry.get("path"))] = entry
    return out


def _file_lines(manifest: dict[str, Any], copies: dict[str, dict[str, Any]]
                ) -> Iterator[str]:
    """The config's, the glossaries' and the LF modules' recorded sha256 against their
    copies' entries (an LF module by its name in the LF folder)."""
    recorded: list[tuple[str, str | None, Any]] = []
    config = manifest.get("config")
    if isinstance(config, dict):
        recorded.append(("config.sha256", config.get("path"), config.get("sha256")))
    for g in manifest.get("glossaries") or []:
        if isinstance(g, dict):
            recorded.append((f"glossaries[{g.get('name')}].sha256", g.get("path"),
                             g.get("sha256")))
    modules = {path.rpartition("/")[2]: path for path, e in copies.items()
               if e.get("kind") == "LF module"}
    for m in manifest.get("lf_modules") or []:
        if isinstance(m, dict):
            recorded.append((f"lf_modules[{m.get('name')}].sha256",
                             modules.get(str(m.get("name"))), m.get("sha256")))
    for field, path, sha in recorded:
        entry = copies.get(str(path))
        if entry is not None and sha != entry.get("sha256"):
            yield (f"{field}: the manifest says {str(sha)[:12]}, the run's copy of {path} "
                   f"({entry.get('copy')}, as sources.files records it) has sha256 "
                   f"{str(entry.get('sha256'))[:12]}: {EDITED}")


def _lf_lines(run_dir: Path, manifest: dict[str, Any],
              copies: dict[str, dict[str, Any]]) -> Iterator[str]:
    """Each LF whose code in the run's copy of its module hashes otherwise than its
    ``source_sha256`` (:func:`code_hash`; LFs it cannot tell are passed over)."""
    from labelwright.lfs.core import source_hash

    texts: dict[str, list[str]] = {}
    for lf in manifest.get("labeling_functions") or []:
        if not isinstance(lf, dict) or lf.get("kind") not in ("python", "snorkel"):
            continue
        path, _, line = str(lf.get("location", "")).rpartition(":")
        entry = copies.get(path)
        if entry is None or not line.isdigit() or int(line) < 1:
            continue
        if path not in texts:
            texts[path] = (run_dir / str(entry["copy"])).read_text(
                encoding="utf-8", errors="replace").splitlines(keepends=True)
        code = plain_code(texts[path], int(line))
        if code is None:
            continue
        sha = source_hash(code)
        if sha != lf.get("source_sha256"):
            yield (f"labeling_functions[{lf.get('name')}].source_sha256: the manifest says "
                   f"{str(lf.get('source_sha256'))[:12]}, its code in the run's copy "
                   f"{entry['copy']}:{line} hashes to {sha[:12]}: {EDITED}")


def plain_code(lines: list[str], line: int) -> str | None:
    """The code of the function at ``line`` (1-based) of a module's ``lines`` as an LF's
    hash reads it (the block from its first decorator, dedented), when that function is an
    LF that binds nothing: at module level, decorated, no default arguments, no decorator
    given ``resources`` or ``pre``; None otherwise, or when the lines hold no such block."""
    if line > len(lines) or lines[line - 1][:1].isspace():
        return None  # nested: a factory's LF binds its arguments
    try:
        text = textwrap.dedent("".join(inspect.getblock(lines[line - 1:])))
        tree = ast.parse(text)
    except (SyntaxError, IndentationError, ValueError):
        return None
    node = tree.body[0] if len(tree.body) == 1 else None
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.decorator_list:
        return None
    args = node.args
    if args.defaults or any(d is not None for d in args.kw_defaults):
        return None
    if any(isinstance(d, ast.Call) and any(k.arg in ("resources", "pre", None)
                                           for k in d.keywords)
           for d in node.decorator_list):
        return None
    return text
