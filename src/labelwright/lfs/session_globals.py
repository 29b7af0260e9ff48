"""What an LF reads when it runs besides its code, as its cache key sees it.

An LF's votes depend on its code and on the values its code reads when it runs: module
globals, what the helpers and preprocessors it calls read, its resources. Code can change
those values in the process after any file was read (a notebook cell sets ``CUT = 200``,
runs ``mylfs.WORDS.add("hours")`` or ``mylfs.WORDS = {...}``), so no file's hash says
what they hold. So for every Python and snorkel LF whose code is the user's (written in the
session, or in a module file outside Python's library, the installed packages and
labelwright: an LF of the LF folder, a module a notebook imports) the key covers, each by a
digest of its value now:

- the globals its code loads (its own code and the code objects nested in it), and the
  attributes it reads of a module of the user's (``mylfs.WORDS``), one it imports in its
  body too (``import bankrules`` then ``bankrules.WORDS``, once it is imported; before, it
  holds what its code will make, and nothing of it is read);
- its closure, default arguments and what it is bound with (``functools.partial``
  arguments, a callable object's attributes), its resources, and a snorkel LF's
  preprocessors (a user's subclass of snorkel's LF: its class too).

A value is digested as

- data (``str``, ``bytes``, numbers, ``bool``, ``None``, and tuples, lists, sets, frozensets
  and dicts of them), a compiled regex (pattern and flags), a numpy array (dtype, shape and
  bytes); a path, a date, a decimal by its text; a logger by its name; a wrapper
  (``functools.lru_cache``) by the function it runs;
- a function of the user's by its code (a session's by its source, a module file's by its
  compiled code: the code imported, whatever the file says now), what it is made with and,
  recursively, what it reads as above; a class of the user's by its bases and attributes
  (methods as functions); either one from Python's library or an installed package by its
  module; an enum member by its class's name, its name and its value;
- a dataclass instance by its class and each field's value, a ``SimpleNamespace`` by its
  attributes (a config object set after import: ``mylfs.CFG.cut = 99``);
- snorkel's LFs and preprocessors by their class and attributes (a preprocessor's function
  as above, its own preprocessors, a spaCy pipeline by its fingerprint; not its memo);
- a module by its name and its file's bytes as they were when it was imported (first seen:
  a file edited since, without ``importlib.reload``, is not the code that runs; see
  :mod:`labelwright.lfs.loaded_modules`), or its ``__version__`` when it has no file.

A value that cannot be digested so (any other object: a DataFrame, a model) is, when it
belongs to a module of the LF folder (a global of it, or of the code it runs), taken as
what that module's code made when it was imported (the key holds the module's hash); any
other such value, one imported from the user's code outside the folder too (``from
bankrules import MODEL``), makes the LF uncacheable: its votes are computed on every run.
"""

from __future__ import annotations

import hashlib
import reprlib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from labelwright.lfs.code_globals import (  # noqa: F401 (names other modules import here)
    _UNBOUND,
    _has_contents,
    _module_file,
    follows,
    global_attributes,
    global_names,
    global_reads,
    imported_attributes,
    is_session_code,
    loaded_globals,
)
from labelwright.lfs.core import LabelingFunction, snorkels_own
from labelwright.lfs.function_code import unwrapped
from labelwright.lfs.undigestable import Undigestable
from labelwright.lfs.value_digest import (  # noqa: F401 (names other modules import here)
    MAX_DEPTH,
    Digester,
    value_digest,
)
from labelwright.short_repr import type_name

_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 80
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxset = _SHOWN.maxdict = 6


@dataclass(frozen=True)
class GlobalRead:
    """One global an LF's code loads: its ``sha256`` (None: the value cannot be digested,
    the LF is not cached) and ``shown``, a short text of the value for a run's manifest."""

    name: str
    sha256: str | None
    shown: str

    def record(self) -> dict[str, Any]:
        """The manifest's entry (``globals_read`` of a session LF)."""
        return {"name": self.name, "sha256": self.sha256, "value": self.shown}


@dataclass(frozen=True)
class SessionGlobals:
    """What an LF reads when it runs (``reads``, by name: see the module's docstring);
    ``session``: it was written in the session (its module is no file), so the run records
    these reads in its manifest."""

    session: bool
    reads: tuple[GlobalRead, ...] = ()

    @property
    def digest(self) -> str:
        """What the LF's cache key adds: "" for an LF that reads nothing looked at here
        (a glossary LF, an LF of an installed package)."""
        if not self.session and not self.reads:
            return ""
        return hashlib.sha256("".join(f"{r.name}\x1f{r.sha256}\x1e" for r in self.reads)
                              .encode(errors="surrogatepass")).hexdigest()

    @property
    def unhashable(self) -> tuple[GlobalRead, ...]:
        """The globals whose values cannot be digested: the LF cannot be cached."""
        return tuple(r for r in self.reads if r.sha256 is None)


NOT_SESSION = SessionGlobals(False)


def session_globals(lf: LabelingFunction, shown: bool = False,
                    digester: Digester | None = None) -> SessionGlobals:
    """What ``lf`` reads when it runs, each by the digest of its value now (see the
    module's docstring), with a short text of each value when ``shown``;
    :data:`NOT_SESSION` for a glossary LF and for an LF whose code is not the user's. One
    ``digester`` for a run's LFs digests what they share once; its ``lf_folder`` says
    which modules' values their code fixes."""
    if lf.kind == "glossary":
        return NOT_SESSION
    func, bound = unwrapped(lf.code)
    if func is None or not follows(func):
        return NOT_SESSION
    digester = digester or Digester()
    reads = []
    for name, value, owner in lf_reads(lf, func, bound):
        try:
            sha: str | None = digester.digest(value)
        except (Undigestable, RecursionError):
            sha = digester.made_by(owner, value)  # None: the LF cannot be cached
        reads.append(GlobalRead(name, sha, shown_value(value, sha is None) if shown else ""))
    return SessionGlobals(is_session_code(func), tuple(reads))


def lf_reads(lf: LabelingFunction, func: types.FunctionType, bound: list[Any]
             ) -> Iterator[tuple[str, Any, str | None]]:
    """``(name, value, owner)`` of what ``lf`` (whose code is ``func``, reached through
    ``bound``: :func:`~labelwright.lfs.function_code.unwrapped`) reads when it runs: the globals
    and module attributes its code reads, what it is made with, its resources and a snorkel
    LF's preprocessors and class. ``owner`` is the file of the module the value belongs
    to (None: no module's)."""
    yield from global_reads(func)
    own = _module_file(func)
    made_with = {
        "<closure>": [c.cell_contents if _has_contents(c) else _UNBOUND
                      for c in func.__closure__ or ()],
        "<defaults>": [d for d in (func.__defaults__, func.__kwdefaults__) if d],
        "<bound>": [b for b in bound if b],
        "<resources>": lf.resources,
    }
    snorkel = lf.snorkel
    if snorkel is not None:
        made_with["<resources>"] = getattr(snorkel, "_resources", None) or {}
        made_with["<preprocessors>"] = list(getattr(snorkel, "_pre", None) or [])
        if not snorkels_own(type(snorkel)):  # a subclass: its code runs too
            made_with["<class>"] = [type(snorkel)]
    for name, value in made_with.items():
        if value:
            yield name, value, own


def modules_read(lf: LabelingFunction) -> tuple[bool, list[types.ModuleType]]:
    """(was ``lf`` written in the session?, the modules its own code loads as globals:
    ``nbhelper`` of ``nbhelper.WORDS``)."""
    func = unwrapped(lf.code)[0] if lf.kind != "glossary" else None
    if func is None or not is_session_code(func):
        return False, []
    return True, [v for _, v in loaded_globals(func) if isinstance(v, types.ModuleType)]


def shown_value(value: Any, undigestable: bool = False) -> str:
    """A short text of a global's value for the manifest: a repr cut short; an object
    with no digest by its type only (its repr may be long, or costly: a DataFrame's)."""
    if undigestable:
        return f"<{type_name(value)}>"
    if isinstance(value, types.ModuleType):
        return f"<module {value.__name__}>"
    if isinstance(value, types.FunctionType | type):
        return f"<{'class' if isinstance(value, type) else 'function'} " \
               f"{value.__module__}.{value.__qualname__}>"
    if isinstance(value, LabelingFunction):
        return f"<LF {value.name}>"
    return _SHOWN.repr(value)
