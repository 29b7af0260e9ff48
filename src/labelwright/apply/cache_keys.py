"""What an LF's cached votes depend on: the key of each LF's vote column and the hash of
each row (the storage is :mod:`labelwright.apply.cache`).

A key is made of everything the votes depend on: the source of the LF's whole module
without the module's other LFs (:mod:`labelwright.apply.module_keys`: edits to helpers and
module constants count, another LF's do not), the LF folder's other files and the LF
modules it imports, the labels, the glossary files and the pipeline fingerprint where the
LF, or helper code it imports from the folder, reads them. Rows are keyed by a 64-bit hash
of id, text and fields, so appended or edited rows are the only rows computed again. The
same listing of the LF folder goes into each run's manifest.
"""

from __future__ import annotations

import ast
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.apply.key_scheme import KEY_SCHEME
from labelwright.apply.module_keys import file_facts, module_facts, tree_reads
from labelwright.caches import FileState, file_sha256, file_state
from labelwright.data.value_text import frame_hashes, value_text
from labelwright.glossaries.core import MATCHER_SHA256, Glossary
from labelwright.lfs.code_reads import reads_item_doc
from labelwright.lfs.core import LabelingFunction, stable_text
from labelwright.lfs.item import named_columns
from labelwright.lfs.session_globals import SessionGlobals, session_globals
from labelwright.lfs.vote_codes import ambiguous_indices


def row_hashes(ids: Sequence[str], texts: Sequence[str], fields: pd.DataFrame | None,
               data_columns: Sequence[str] = ("id", "text")) -> np.ndarray:
    """One uint64 per row from its id, text and fields (stable across runs and machines);
    ``data_columns``: the columns of the ids and texts.

    Each field value is hashed as its text with its kind
    (:func:`~labelwright.data.value_text.value_text`), so JSONL's ``true`` and ``"True"``, or
    a missing value and ``"None"``, are different rows, while a value keeps its hash when
    rows of other types join its column.
    """
    columns: dict[str, Sequence[object] | pd.Series] = {"\x00id": list(ids),
                                                        "\x00text": list(texts)}
    names: list[str] = []
    if fields is not None and len(fields.columns):
        fields = fields.reset_index(drop=True)
        names = [str(c) for c in fields.columns]
        columns.update({f"f:{i}": value_text(fields[c]) for i, c in enumerate(fields.columns)})
    # pandas' hash of the frame of these columns (frame_hashes: the same numbers, faster)
    hashes = frame_hashes(columns)
    # the values are hashed without their column names: renamed or swapped columns give
    # LFs other fields, so the names go into every row's hash, with those of the id and
    # text columns LFs also read under them (named_columns; "id" and "text" add none, so
    # such a project's hashes are those made before they were read so)
    names += [f"\x00{own}={name}" for name, own in named_columns(data_columns)]
    salt = hashlib.sha256("\x1f".join(names).encode(errors="surrogatepass")).digest()[:8]
    return hashes ^ np.uint64(int.from_bytes(salt, "little"))


def folder_state(folder: Path, ignore: Sequence[Path] = ()) -> dict[str, str]:
    """``{path in the folder: sha256}`` of an LF folder's modules and other files: taken
    before a project's LFs are imported and compared after they ran, it tells whether the
    code that voted is the code the cache keys and the manifest describe."""
    if not Path(folder).is_dir():
        return {}
    return {**lf_module_files(folder), **lf_folder_files(folder, ignore)}


def changed_files(before: dict[str, str], now: dict[str, str]) -> list[str]:
    """Files of two :func:`folder_state` that differ: edited, added or removed."""
    return sorted(name for name in {*before, *now} if before.get(name) != now.get(name))


def is_lf_module(path: Path) -> bool:
    """A module ``discover`` reads LFs from: ``*.py`` at the top of the folder, not ``_*``."""
    return path.suffix == ".py" and not path.name.startswith("_")


BACKUP_NAMES = ("~",)  # editor backups (name~); hidden files (.name.swp, ...) are skipped too


def lf_folder_files(folder: Path, ignore: Sequence[Path] = ()) -> dict[str, str]:
    """``{path relative to folder: sha256}`` of every file in an LF folder (recursively,
    following symlinked folders) that is not an LF module: helper modules (``_*.py``,
    packages), word lists, data. An LF may import or read any of them, so they are part of
    every LF's cache key and of the run's manifest.

    Left out: hidden files and folders, ``__pycache__``, compiled Python, editor backups
    (``name~``, ``#name#``), and ``ignore`` (paths or path prefixes: the project's own
    runs, caches, ledger, data and config when the LF folder is the project folder).
    Hashes are kept per path and :data:`~labelwright.caches.FileState`, so a second
    listing in a run reads nothing.
    """
    out: dict[str, str] = {}
    folder = Path(folder)
    if not folder.is_dir():
        return out
    skip = [str(Path(p).resolve()) for p in ignore]
    seen: set[str] = set()
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:  # a symlink loop
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__"
                         and not _ignored(os.path.join(top, d), skip))
        for name in sorted(files):
            path = Path(top, name)
            relative = path.relative_to(folder)
            if (name.startswith(".") or name.endswith(BACKUP_NAMES) or name.startswith("#")
                    or path.suffix in (".pyc", ".pyo") or _ignored(str(path), skip)
                    or (len(relative.parts) == 1 and is_lf_module(path))):
                continue
            try:
                stat = path.stat()
            except OSError:  # a dangling symlink
                continue
            out[relative.as_posix()] = file_sha256(str(path.resolve()), file_state(stat))
    return dict(sorted(out.items()))


def lf_module_files(folder: Path) -> dict[str, str]:
    """``{file name: sha256}`` of every LF module of an LF folder (:func:`is_lf_module`),
    whole: the code around the LFs (constants, word lists, helpers) and modules that
    define no LF count as much as the LFs' own source."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    out = {}
    for path in sorted(folder.glob("*.py")):
        if is_lf_module(path) and path.is_file():
            stat = path.stat()
            out[path.name] = file_sha256(str(path.resolve()), file_state(stat))
    return out


def code_sha(path: Path) -> str:
    """The hash of a Python file's code: its syntax tree without positions, so comments,
    blank lines and moves do not change it (a file Python cannot parse: its bytes; a file
    that cannot be read: "")."""
    try:
        stat = path.stat()
    except OSError:
        return ""
    return file_facts(os.path.realpath(path), file_state(stat), frozenset()).sha


def _ignored(path: str, skip: Sequence[str]) -> bool:
    """``path`` is one of ``skip``, inside one, or one's sidecar (``reviews.sqlite-wal``)."""
    resolved = os.path.realpath(path)
    return any(resolved == s or resolved.startswith((s + os.sep, s + "-")) for s in skip)


def imported_names(file: str, package: str = "") -> frozenset[str]:
    """Top-level names a module imports (``import x``, ``from x import``, ``from . import x``);
    through ``package`` (the LF folder's name) also the module imported from it
    (``import labeling_functions.words``, ``from labeling_functions import words``).
    Memoised per file and :data:`~labelwright.caches.FileState`: every LF module's key
    follows its imports through the same siblings."""
    try:
        stat = os.stat(file)
    except OSError:
        return frozenset()
    return _parsed_imports(os.path.realpath(file), file_state(stat), package)


@lru_cache(maxsize=1024)
def _parsed_imports(path: str, state: FileState, package: str) -> frozenset[str]:
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                names.update(parts[:2] if package and parts[0] == package else parts[:1])
        elif isinstance(node, ast.ImportFrom):
            parts = node.module.split(".") if node.module else []
            if not parts or (package and parts == [package]):  # from . / package import x
                names.update(alias.name for alias in node.names)
            names.update(parts[:2] if package and parts[:1] == [package] else parts[:1])
    return frozenset(names)


@lru_cache(maxsize=1024)
def _reads(path: str, state: FileState) -> tuple[bool, bool]:
    """(reads glossary matches?, reads ``.doc``?) of a Python file, by its attribute names."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return True, True  # cannot tell: assume both
    return tree_reads(tree)


def python_reads(path: Path) -> tuple[bool, bool]:
    """:func:`_reads` of ``path``, memoised per path and :data:`~labelwright.caches.FileState`."""
    try:
        stat = path.stat()
    except OSError:
        return False, False
    return _reads(str(path.resolve()), file_state(stat))


@dataclass(frozen=True)
class Support:
    """What an LF module's votes depend on besides its own source: ``key`` hashes the LF
    folder's other files and the sibling LF modules it imports; ``reads_matches`` and
    ``reads_doc`` say whether Python code it imports from the folder reads glossary matches
    or ``item.doc`` (then the glossaries, or the pipeline, are in its LFs' keys)."""

    key: str = ""
    reads_matches: bool = False
    reads_doc: bool = False


def lf_support_keys(files: Sequence[str], lf_folder: Path,
                    ignore: Sequence[Path] = ()) -> dict[str, Support]:
    """``{LF module file: Support}`` of what the module's LFs depend on besides the module:
    the LF folder's other files, and the other LF modules of the folder its imports reach
    (whole; through other LF modules, helpers or the package: :func:`_reachable`).
    A module that imports anything from the folder is taken to read what any of the
    folder's helper code reads (helpers import helpers; tracing that is not worth a stale
    vote). Modules outside ``lf_folder`` (LFs made in Python) get no key."""
    folders: dict[Path, tuple[str, bool, bool, set[str], dict[str, str], set[str]]] = {}
    out: dict[str, Support] = {}
    for file in dict.fromkeys(files):
        folder = Path(file).parent
        if folder.resolve() != Path(lf_folder).resolve():
            continue
        if folder not in folders:
            # Python files by their code (comments and blank lines do not count, as in the
            # LF's own module), other files by their bytes
            listed = {name: (code_sha(folder / name) if name.endswith(".py") else sha)
                      for name, sha in lf_folder_files(folder, ignore).items()}
            helpers = [folder / name for name in listed if name.endswith(".py")]
            reads = [python_reads(p) for p in helpers]
            # names a module can import from the folder: top-level helpers and packages
            local = {Path(name).parts[0].removesuffix(".py") for name in listed
                     if name.endswith(".py")}
            siblings_of = {Path(name).stem: code_sha(folder / name)
                           for name in lf_module_files(folder)}
            # every name the helpers import, once any helper is reached: helpers import helpers
            helper_imports = set().union(*(imported_names(str(p), folder.name)
                                           for p in helpers))
            folders[folder] = (
                hashlib.sha256(repr(sorted(listed.items())).encode()).hexdigest(),
                any(r[0] for r in reads), any(r[1] for r in reads), local, siblings_of,
                helper_imports)
        listing, helpers_match, helpers_doc, local, siblings, helper_imports = folders[folder]
        digest = hashlib.sha256(listing.encode())
        imported = _reachable(file, folder, local, set(siblings), helper_imports)
        reads_matches = reads_doc = False
        # the module itself too when its imports lead back to it (it imports itself, or a
        # module or helper it imports does): that code may reach its LFs by attribute
        # (``module.lf``), unseen by the module's own key, which leaves its LFs out
        for name in sorted(imported & set(siblings)):
            digest.update(name.encode() + bytes.fromhex(siblings[name]))
            matches, doc = python_reads(folder / f"{name}.py")
            reads_matches, reads_doc = reads_matches or matches, reads_doc or doc
        if imported & (local | set(siblings)):
            reads_matches, reads_doc = reads_matches or helpers_match, reads_doc or helpers_doc
        out[file] = Support(digest.hexdigest(), reads_matches, reads_doc)
    return out


def _reachable(file: str, folder: Path, helpers: set[str], siblings: set[str],
               helper_imports: set[str]) -> set[str]:
    """The names of the LF folder that ``file``'s imports reach, however many steps deep:
    a sibling LF module that imports another, or a helper that does (``helper_imports``,
    what all helpers import, counts once any helper is reached)."""
    local = helpers | siblings
    reached = set(imported_names(file, folder.name) & local)
    todo = list(reached)
    while todo:
        name = todo.pop()
        more = (imported_names(str(folder / f"{name}.py"), folder.name) if name in siblings
                else helper_imports)
        for new in (more & local) - reached:
            reached.add(new)
            todo.append(new)
    return reached


def lf_support(lf: LabelingFunction, supports: dict[str, Support]) -> Support:
    """What an LF depends on besides its own module: :func:`lf_support_keys`' entry for its
    module, and for an LF made by a factory also the module that called the factory (its
    arguments, and what that module imports and reads)."""
    own = supports.get(lf.file, Support())
    if not lf.maker or lf.maker == lf.file:
        return own
    maker = supports.get(lf.maker, Support())
    maker_sha = code_sha(Path(lf.maker))  # the calling module whole: the call's arguments
    return Support(hashlib.sha256(f"{own.key}|{maker.key}|{maker_sha}".encode()).hexdigest(),
                   own.reads_matches or maker.reads_matches or module_facts(lf.maker)[1],
                   own.reads_doc or maker.reads_doc or python_reads(Path(lf.maker))[1])


def reads_parse(lf: LabelingFunction, glossaries: bool, support: Support | None = None) -> bool:
    """Does ``lf`` read a Doc or (with ``glossaries``) glossary matches, itself or through
    what ``support`` says of the code it depends on? A chunk of LFs that do not skips the
    parse."""
    support = support or Support()
    reads_matches = glossaries and (module_facts(lf.file)[1] or support.reads_matches)
    # (a helper of the LF's own module that reads the Doc is not looked for here: an item
    # parses its Doc when first asked, so missing one costs only the batched parse)
    return reads_item_doc(lf) or lf.kind == "glossary" or reads_matches or support.reads_doc


def key_reads_matches(lf: LabelingFunction, support: Support | None = None,
                      lf_lines: frozenset[int] = frozenset()) -> bool:
    """Does :func:`lf_cache_key` (given the same ``support`` and ``lf_lines``) put the
    glossaries in ``lf``'s key (it is seen to read glossary matches)? An LF that reads them
    through code not looked at (outside the project) is not: the applier sees it read them
    as it runs, and keeps its votes out of the cache."""
    support = support or Support()
    return (lf.kind == "glossary" or module_facts(lf.file, lf_lines, lf.line)[1]
            or support.reads_matches)


def lf_lines_by_file(lfs: Sequence[LabelingFunction]) -> dict[str, frozenset[int]]:
    """``{file: the first lines of the LFs whose code is there}``: what
    :func:`lf_cache_key` leaves out of each module (see :func:`module_facts`)."""
    lines: dict[str, set[int]] = {}
    for lf in lfs:
        lines.setdefault(lf.file, set()).add(lf.line)
    return {file: frozenset(found) for file, found in lines.items()}


def lf_cache_key(lf: LabelingFunction, labels: Sequence[str], glossaries: Sequence[Glossary],
                 pipeline: str, lf_lines: frozenset[int] = frozenset(),
                 support: Support | None = None, reads: SessionGlobals | None = None) -> str:
    """The key of an LF's votes: changes whenever the votes could change.

    ``lf_lines`` is :func:`lf_lines_by_file`'s entry for the LF's file: the LFs its module's
    part of the key leaves out (:func:`module_facts`), so adding, removing or editing one
    keeps the others' keys. ``support`` is :func:`lf_support`'s for the LF. ``reads``: the
    LF's :func:`~labelwright.lfs.session_globals.session_globals` (None: read them here):
    the values its code reads when it runs, which code run in the process may have changed
    since any file was read (an LF with one that cannot be digested is not to be cached at
    all: the applier's part).
    """
    support = support or Support()
    digest = hashlib.sha256()
    # v2: columns stored by v1 may hold votes of LFs that read glossary matches through a
    # helper and were computed without the parse. v3: the module is hashed as its syntax
    # tree without its LFs (v2: its bytes with their lines blanked), so a v2 key is never
    # made again; the prefix says so where the hash alone would not. v4: a Python LF's key
    # holds the values its code reads (``values read``); the cache folder names its scheme
    # (key_scheme.SCHEME_FILE), so a run whose keys all miss after an upgrade can say why
    for part in (KEY_SCHEME, lf.name, lf.kind, lf.source_hash, "\x1f".join(labels)):
        digest.update(part.encode() + b"\x00")
    if ambiguous_indices(labels):  # votes stored before such ints were refused took them
        digest.update(b"ambiguous ints refused\x00")  # as indices: not to be read back
    if lf.kind == "glossary":  # source_hash: the glossary file, the pipeline, the matcher
        digest.update(pipeline.encode())
        return digest.hexdigest()
    module_sha, reads_matches, module_reads_doc = module_facts(lf.file, lf_lines, lf.line)
    reads_matches = reads_matches or support.reads_matches  # as key_reads_matches says
    digest.update(module_sha.encode() + b"\x00")
    # what the LF reads when it runs, by value (globals, module attributes, resources,
    # preprocessors: session_globals); nothing for a glossary LF
    read = (reads if reads is not None else session_globals(lf)).digest
    if read:
        digest.update(f"values read {read}\x00".encode())
    if support.key:
        digest.update(support.key.encode() + b"\x00")
    # resources as text that is the same in every process (a set's repr is not)
    digest.update(stable_text(lf.resources).encode(errors="replace"))
    # the LF, its module (a helper beside it: `def lemmas(item): ... item.doc`) or code it
    # imports from the folder may read the Doc (one that parses its own, snorkel's nlp LF,
    # has its pipeline in the values it reads)
    if reads_item_doc(lf) or reads_matches or support.reads_doc or module_reads_doc:
        digest.update(pipeline.encode())
    if reads_matches:
        digest.update(MATCHER_SHA256.encode())
        for g in glossaries:
            digest.update(f"{g.name}:{g.sha256}".encode())
    return digest.hexdigest()
