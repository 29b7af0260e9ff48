"""A function in an LF module that reads like an LF but is none: it takes one argument (the
item), returns one of the project's labels as written, and has no decorator, and nothing in
the LF folder names it (no ``labeling_function()(f)``, no LF calling it). Discovery keeps
only labeling functions, so such a function was left out in silence and ``check`` said
"ok": a rule writer who forgot ``@labeling_function()`` saw their rule never vote and no
word why. Found by reading the files (no import, no run), as the labels LFs return are
(:mod:`labelwright.lfs.literal_votes`).

So too for a function whose ``@labeling_function()`` is commented out (``# @labeling_...``
right above its ``def``: the usual way to turn an LF off, after which nothing said it was
unused), and for one under standard-library decorators alone (``@functools.cache``), which
leave it a plain function."""

from __future__ import annotations

import ast
import re
import sys
import tokenize
from collections.abc import Iterator, Sequence
from pathlib import Path

from labelwright.lfs.lf_code import constants_read, module_constants
from labelwright.lfs.literal_votes import returned_literals
from labelwright.lfs.vote_codes import VoteCoder


def _tree(path: Path) -> ast.Module | None:
    """The module's syntax tree (parsed once per file, read in its declared encoding, as
    the other checks of LF code read it); None when it does not read (its import says why)."""
    read = module_constants(str(path))
    return None if read is None else read[0]


def _takes_one_argument(node: ast.FunctionDef) -> bool:
    """``def f(item)``: one positional argument and nothing else, as an LF's function."""
    args = node.args
    return (len(args.posonlyargs) + len(args.args) == 1 and not args.kwonlyargs
            and args.vararg is None and args.kwarg is None)


def _names_used(tree: ast.Module) -> Iterator[str]:
    """Every name the module reads or imports (``f``, ``helpers.f``, ``from h import f``)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.ImportFrom):
            yield from (alias.name for alias in node.names)


def _label_returned(path: Path, node: ast.FunctionDef,
                    coder: VoteCoder) -> tuple[int, str] | None:
    """``(line, label)`` of the first label of the project the function returns as
    written, or as a module constant it reads (``return RENAL``); None when it returns none."""
    for line, value, _ in returned_literals(node, constants_read(str(path), node)):
        if isinstance(value, str) and coder.vote(value) is not None:
            return line, value
    return None


#: a comment that is an LF's decorator switched off: ``# @labeling_function()``
_COMMENTED_DECORATOR = re.compile(r"#\s*@\s*[\w.]*labeling_function\b")


#: a commented-out ``def``: the comment lines above it belong to it, not to the def below
_COMMENTED_DEF = re.compile(r"#\s*(async\s+)?def\s")


def _commented_decorator(lines: Sequence[str], node: ast.FunctionDef) -> int | None:
    """The 1-based line of a ``# @labeling_function()`` among the comment lines right above
    ``def`` (a decorator commented out to turn the LF off); None when there is none. The
    run of comments stops at a commented ``def``: a decorator above it is an example's
    (``# e.g.: / # @labeling_function() / # def refund(item): ...``), not this one's."""
    at = node.lineno - 1  # the def's own line, 0-based
    while at > 0 and lines[at - 1].lstrip().startswith("#"):
        at -= 1
        comment = lines[at].lstrip()
        if _COMMENTED_DEF.match(comment):
            return None
        if _COMMENTED_DECORATOR.match(comment):
            return at + 1
    return None


def _imported_from(tree: ast.Module) -> dict[str, str]:
    """Each name the module binds by an import, with the module it comes from
    (``import functools`` -> functools, ``from functools import cache`` -> functools)."""
    origins: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            origins.update((a.asname or a.name.split(".")[0], a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            origins.update((a.asname or a.name, node.module) for a in node.names)
    return origins


def _standard_decorator(node: ast.FunctionDef, origins: dict[str, str]) -> str | None:
    """``@functools.cache`` as written when every decorator of ``node`` comes from Python's
    standard library (which leaves a function a function, never an LF); None when one may
    come from elsewhere: labelwright's, snorkel's or a project's own may make an LF."""
    written = []
    for decorator in node.decorator_list:
        called = decorator.func if isinstance(decorator, ast.Call) else decorator
        root = called
        while isinstance(root, ast.Attribute):
            root = root.value
        module = origins.get(root.id, "") if isinstance(root, ast.Name) else ""
        if module.split(".")[0] not in sys.stdlib_module_names:
            return None
        written.append("@" + ast.unparse(decorator))
    return " ".join(written)


def _source_lines(path: Path) -> list[str]:
    """The module's lines, read in its declared encoding; [] when it does not read. Split at
    "\\n" alone, as Python numbers lines (newlines read as "\\n"): ``splitlines`` also
    splits at U+0085 or U+2028 inside a string, which moves every line number after it."""
    try:
        with tokenize.open(path) as handle:
            return handle.read().split("\n")
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []


def undecorated_lfs(folder: Path, labels: Sequence[str]) -> list[str]:
    """A warning for each top-level function of the LF modules in ``folder`` (the files
    discovery reads: ``*.py`` not starting with ``_``) that takes one argument, is named
    nowhere in the folder's Python files, and either returns one of ``labels`` as written
    with no decorator (or only standard-library ones, ``@functools.cache``), or sits under
    a ``# @labeling_function()`` comment: it looks like an LF that never votes. A name
    starting with ``_`` says it is a helper, meant to be kept off: not warned of."""
    if not folder.is_dir():
        return []
    trees = {path: _tree(path) for path in sorted(folder.rglob("*.py"))}
    used = {name for tree in trees.values() if tree is not None for name in _names_used(tree)}
    coder = VoteCoder(labels)
    warnings = []
    for path, tree in trees.items():
        if tree is None or path.parent != folder or path.name.startswith("_"):
            continue
        origins, lines = _imported_from(tree), _source_lines(path)
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_") \
                    or node.name in used or not _takes_one_argument(node):
                continue
            decorated = _standard_decorator(node, origins) if node.decorator_list else ""
            if decorated is None:
                continue
            commented = None if decorated else _commented_decorator(lines, node)
            found = _label_returned(path, node, coder)
            if commented is not None:
                warnings.append(_switched_off(path, node, commented, found))
            elif found is not None:
                warnings.append(_not_an_lf(path, node, found, decorated))
    return warnings


def _signature(path: Path, node: ast.FunctionDef) -> str:
    """``rules.py:5: forgot(item)``: where a warning's function is, and its argument."""
    [arg] = [*node.args.posonlyargs, *node.args.args]
    return f"{path}:{node.lineno}: {node.name}({arg.arg})"


def _not_an_lf(path: Path, node: ast.FunctionDef, found: tuple[int, str],
               decorated: str) -> str:
    """The warning for a function returning a label that no ``@labeling_function()``
    makes an LF (``decorated``: the standard-library decorators it has instead)."""
    line, label = found
    under = f", under {decorated} alone," if decorated else ""
    return (f"{_signature(path, node)} returns the label {label!r} (line {line}){under} but "
            f"is no labeling function, so it never votes: add @labeling_function() on the "
            f"line above {'it' if decorated else f'`def {node.name}`'} (from labelwright import "
            f"labeling_function); if it is a helper, call it from an LF (or name it "
            f"_{node.name} to keep it off)")


def _switched_off(path: Path, node: ast.FunctionDef, commented: int,
                  found: tuple[int, str] | None) -> str:
    """The warning for an LF whose decorator is commented out: turned off, and unused in
    silence (labelwright has no other switch for an LF than its name starting with ``_``)."""
    votes = "" if found is None else f" returns the label {found[1]!r} (line {found[0]}) but"
    return (f"{_signature(path, node)}{votes} has its @labeling_function() commented out "
            f"(line {commented}), so it is no LF and is not used: no run applies it and "
            f"nothing else says so. To use it, uncomment the decorator; to keep it off on "
            f"purpose, name it _{node.name} (a function whose name starts with _ is taken "
            f"for a helper and not warned of) or delete it")
