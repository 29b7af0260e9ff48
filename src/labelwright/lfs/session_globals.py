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
  body too (``import bankrules`` then ``bankrules.WORDS``; not imported yet: the LF is not
  cached that run);
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

import builtins
import dataclasses
import datetime
import decimal
import dis
import enum
import fractions
import functools
import hashlib
import logging
import os
import pathlib
import re
import reprlib
import sys
import types
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from labelwright.caches import file_sha256, file_state
from labelwright.lfs.core import LabelingFunction, _snorkels_own, _unwrapped, source_text
from labelwright.lfs.loaded_modules import is_user_file, is_user_module, loaded_sha
from labelwright.short_repr import type_name

#: how deep the digest follows containers and session functions before it gives up
MAX_DEPTH = 40
#: the opcodes through which code reads a global (``LOAD_NAME``: a class body's)
_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME"})
#: the opcodes through which code reads an attribute (``mylfs.WORDS``, ``mylfs.found(...)``)
_ATTRS = frozenset({"LOAD_ATTR", "LOAD_METHOD"})
#: a snorkel object's attributes that are no part of what it computes: a mapper's memo
_SNORKEL_MEMO = frozenset({"_cache"})
_SHOWN = reprlib.Repr()
_SHOWN.maxstring = _SHOWN.maxother = 80
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxset = _SHOWN.maxdict = 6


class Undigestable(Exception):
    """A value with no digest that is the same in every process (its type's name in
    ``args[0]``)."""


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
    func, bound = _unwrapped(lf.code)
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
    ``bound``: :func:`~labelwright.lfs.core._unwrapped`) reads when it runs: the globals
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
        if not _snorkels_own(type(snorkel)):  # a subclass: its code runs too
            made_with["<class>"] = [type(snorkel)]
    for name, value in made_with.items():
        if value:
            yield name, value, own


def follows(func: Any) -> bool:
    """Whether the key follows what ``func`` reads: the user's code (written in the
    session, or in a file that is not Python's library's, an installed package's or
    labelwright's), whose module state the process can change; other code counts by its
    module."""
    if func.__code__.co_filename.startswith("<frozen "):  # Python's own (``os.path``)
        return False
    return is_session_code(func) or is_user_file(func.__code__.co_filename)


def _module_file(func: Any) -> str | None:
    """The file of the module whose globals ``func`` reads (None: a session's)."""
    file = func.__globals__.get("__file__")
    return file if isinstance(file, str) and not is_session_code(func) else None


def modules_read(lf: LabelingFunction) -> tuple[bool, list[types.ModuleType]]:
    """(was ``lf`` written in the session?, the modules its own code loads as globals:
    ``nbhelper`` of ``nbhelper.WORDS``)."""
    func = _unwrapped(lf.code)[0] if lf.kind != "glossary" else None
    if func is None or not is_session_code(func):
        return False, []
    return True, [v for _, v in loaded_globals(func) if isinstance(v, types.ModuleType)]


def is_session_code(func: Any) -> bool:
    """Whether a function's globals were set by the session rather than by a module file:
    its module is ``__main__`` (a notebook, a script), or its code's file cannot be read
    (``<string>``, ``exec()``, a cell whose file is gone)."""
    if getattr(func, "__globals__", {}).get("__name__") == "__main__":
        return True
    return not _readable(func.__code__.co_filename)


def _readable(file: str) -> bool:
    return not file.startswith("<") and os.path.isfile(file)


def global_reads(func: Any) -> Iterator[tuple[str, Any, str | None]]:
    """``(name, value, owner)`` of each global ``func``'s code loads
    (:func:`loaded_globals`), then of each attribute it reads of a module of the user's
    (``mylfs.WORDS``: its value now, whatever module holds it; ``owner``: the file of the
    module the value belongs to)."""
    own = _module_file(func)
    for name, value in loaded_globals(func):
        yield name, value, own
    seen: set[str] = set()
    for chain in sorted(global_attributes(func.__code__)):
        read = _attribute_read(func.__globals__.get(chain[0]), chain)
        if read is not None and read[0] not in seen and "." in read[0]:
            seen.add(read[0])
            yield read
    # ``import bankrules`` in the function's body, then ``bankrules.WORDS``
    for chain in sorted(imported_attributes(func.__code__)):
        read = _attribute_read(sys.modules.get(chain[0], _NOT_IMPORTED), chain)
        if read is not None and read[0] not in seen:
            seen.add(read[0])
            yield read


def _attribute_read(root: Any, chain: tuple[str, ...]) -> tuple[str, Any, str | None] | None:
    """``(name, value, owner)`` of the attribute chain ``chain`` read from ``root``,
    followed through modules of the user's only (``mylfs.WORDS``; of ``json.dumps``:
    ``json``, digested by its module)."""
    value = owner = root
    depth = 1
    while (depth < len(chain) and isinstance(value, types.ModuleType)
           and is_user_module(value)):
        owner = value
        value = getattr(value, chain[depth], _UNBOUND)
        depth += 1
    return ".".join(chain[:depth]), value, getattr(owner, "__file__", None)


def loaded_globals(func: Any) -> Iterator[tuple[str, Any]]:
    """``(name, value)`` of each global ``func``'s code loads, sorted by name: found in
    its globals (builtins are not), or ``<unbound>`` (a NameError when it runs)."""
    found = func.__globals__
    for name in sorted(global_names(func.__code__)):
        if name in found:
            yield name, found[name]
        elif not hasattr(builtins, name):
            yield name, _UNBOUND


class _Unbound:
    def __repr__(self) -> str:
        return "<unbound>"


_UNBOUND = _Unbound()


class _NotImported:
    """A module an LF imports in its body that no code imported yet: what it holds is
    not known until the LF runs, so the LF is not cached this time."""

    def __repr__(self) -> str:
        return "<not imported yet>"


_NOT_IMPORTED = _NotImported()


@lru_cache(maxsize=4096)
def global_names(code: types.CodeType) -> frozenset[str]:
    """The names ``code`` and the code objects nested in it (lambdas, inner functions,
    comprehensions, classes) load as globals."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname in _LOADS}
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= global_names(const)
    return frozenset(str(n) for n in names)


@lru_cache(maxsize=4096)
def global_attributes(code: types.CodeType) -> frozenset[tuple[str, ...]]:
    """The attribute chains ``code`` and the code objects nested in it read from globals:
    ``("mylfs", "WORDS")`` of ``mylfs.WORDS``."""
    chains = set()
    instructions = list(dis.get_instructions(code))
    for k, instruction in enumerate(instructions):
        if instruction.opname not in _LOADS:
            continue
        chain = [str(instruction.argval)]
        for after in instructions[k + 1:]:
            if after.opname not in _ATTRS:
                break
            chain.append(str(after.argval))
        if len(chain) > 1:
            chains.add(tuple(chain))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            chains |= global_attributes(const)
    return frozenset(chains)


#: the opcodes through which a function reads and sets its own variables
_FAST_LOADS = frozenset({"LOAD_FAST", "LOAD_FAST_CHECK", "LOAD_DEREF"})
_FAST_STORES = frozenset({"STORE_FAST", "STORE_DEREF"})


@lru_cache(maxsize=4096)
def imported_attributes(code: types.CodeType) -> frozenset[tuple[str, ...]]:
    """What ``code`` and the code objects nested in it read of modules they import in
    their body: ``("bankrules", "WORDS")`` of ``import bankrules`` then
    ``bankrules.WORDS``, or of ``from bankrules import WORDS`` then ``WORDS`` (the module's
    name in ``sys.modules``, then the attributes read)."""
    roots = _imported_roots(code)
    chains = set()
    instructions = list(dis.get_instructions(code))
    for k, instruction in enumerate(instructions):
        if instruction.opname not in _FAST_LOADS or instruction.argval not in roots:
            continue
        chain = list(roots[str(instruction.argval)])
        for after in instructions[k + 1:]:
            if after.opname not in _ATTRS:
                break
            chain.append(str(after.argval))
        chains.add(tuple(chain))
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            chains |= imported_attributes(const)
    return frozenset(chains)


def _imported_roots(code: types.CodeType) -> dict[str, tuple[str, ...]]:
    """The variables ``code`` stores an import in, each as the module's name and the
    attribute imported: ``import os.path`` stores ``("os",)`` in ``os``, ``import a.b as
    c`` ``("a.b",)`` in ``c``, ``from a import b`` ``("a", "b")`` in ``b``."""
    roots: dict[str, tuple[str, ...]] = {}
    module, names_from = "", False
    pending: tuple[str, ...] | None = None
    before = None
    for instruction in dis.get_instructions(code):
        if instruction.opname == "IMPORT_NAME":
            module = str(instruction.argval)
            names_from = before is not None and before.argval is not None  # a fromlist
            pending = (module.partition(".")[0],)
        elif instruction.opname == "IMPORT_FROM" and module:
            pending = (module, str(instruction.argval)) if names_from else (module,)
        elif instruction.opname in _FAST_STORES and pending is not None:
            roots[str(instruction.argval)] = pending
            pending = None
        else:
            pending = None
        before = instruction
    return roots


def value_digest(value: Any) -> str:
    """The sha256 of ``value`` as the module's docstring describes it; raises
    :class:`Undigestable` for a value with none."""
    return Digester().digest(value)


#: a session class's attributes that Python makes (a dataclass's fields: from its
#: annotations and defaults, which count)
_CLASS_PLUMBING = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__",
                             "_abc_impl"})  # an ABC's or Protocol's registry: from its bases
#: the types of class attributes Python makes from what is digested: slots, properties
#: of C types, a namedtuple's fields (from ``_fields``)
_MADE_ATTRIBUTES = ("member_descriptor", "getset_descriptor", "_tuplegetter")
#: values whose text is their ``repr`` (with their type's name)
_SCALARS = (bool, int, float, complex, str, bytes, bytearray, range, np.generic, type(None))
#: values whose text is their ``repr`` too, as objects: a path (``WORDS_FILE = Path(...)``,
#: the file it names read as the LF runs is not), a date, a decimal
_VALUES = (pathlib.PurePath, datetime.date, datetime.time, datetime.timedelta,
           decimal.Decimal, fractions.Fraction, uuid.UUID)


class Digester:
    """Digests of values (:func:`value_digest`), each computed once per object while the
    digester lives: fifty LFs of a run that share a word list, or a helper function, digest
    it once. Objects stay referenced meanwhile, so an id names one object; a run makes a
    new digester (a value edited between runs is digested again)."""

    def __init__(self, lf_folder: str | os.PathLike[str] | None = None) -> None:
        #: the LF folder: a value without a digest that belongs to one of its modules is
        #: what that module's code made (:meth:`made_by`)
        self._folder = os.path.realpath(lf_folder) + os.sep if lf_folder is not None else None
        self._memo: dict[int, str] = {}
        self._alive: list[Any] = []
        self._path: set[int] = set()  # the containers and functions being digested
        self._cycles = 0  # cycles met: a digest made meeting one depends on the way in
        #: the modules digested, by name: one edited since it was imported is said
        #: (:func:`~labelwright.lfs.loaded_modules.stale_note`)
        self.modules: dict[str, types.ModuleType] = {}

    def made_by(self, owner: str | None, value: Any = _UNBOUND) -> str | None:
        """What stands for ``value``, without a digest, that belongs to the module of the
        file ``owner``: when it is a module of the LF folder, the hash of that file (the
        value is what its code made when it was imported); else None (the LF is not
        cached). A value the module imported from the user's code outside the folder
        (``from bankrules import MODEL``) is that code's, as ``bankrules.MODEL`` is: its
        file's hash does not say what it holds."""
        if self._folder is None or owner is None \
                or not os.path.realpath(owner).startswith(self._folder) \
                or _imported_from_outside(value, owner, self._folder):
            return None
        try:
            sha = file_sha256(owner, file_state(os.stat(owner)))
        except OSError:
            return None
        return hashlib.sha256(f"made by {owner}: {sha}".encode(errors="surrogatepass")
                              ).hexdigest()

    def module_digest(self, module: types.ModuleType) -> str:
        """:func:`module_digest`, the module kept in :attr:`modules`."""
        self.modules[module.__name__] = module
        return module_digest(module)

    def digest(self, value: Any) -> str:
        """The sha256 of ``value``; raises :class:`Undigestable`."""
        if isinstance(value, _SCALARS):
            return hashlib.sha256(_scalar(value).encode(errors="surrogatepass")).hexdigest()
        key = id(value)
        if key in self._memo:
            return self._memo[key]
        if key in self._path:  # a container or function that holds itself
            self._cycles += 1
            return "<cycle>"
        if len(self._path) >= MAX_DEPTH:
            raise Undigestable(f"a {type(value).__name__} nested deeper than {MAX_DEPTH}")
        cycles = self._cycles
        out = hashlib.sha256()
        self._path.add(key)
        try:
            self._feed(lambda text: out.update(text.encode(errors="surrogatepass") + b"\x00"),
                       value)
        except (Undigestable, RecursionError):
            raise
        except Exception as error:  # an object that fails as it is read: no digest, and
            # no apply stopped for a key (the run says the LF is not cached)
            raise Undigestable(f"{type_name(value)} ({type(error).__name__} as it was read)"
                               ) from error
        finally:
            self._path.discard(key)
        found = out.hexdigest()
        if self._cycles == cycles:
            self._memo[key] = found
            self._alive.append(value)
        return found

    def _feed(self, put: Callable[[str], None], value: Any) -> None:
        """Write a text of ``value`` that is the same in every process into ``put``."""
        more = functools.partial(self._more, put)
        if isinstance(value, re.Pattern):
            put(f"re:{value.pattern!r}:{value.flags}")
        elif isinstance(value, types.ModuleType):
            put(f"module:{value.__name__}:{self.module_digest(value)}")
        elif isinstance(value, _Unbound):
            put("<unbound>")
        elif isinstance(value, _NotImported):
            raise Undigestable("a module not imported yet")
        elif isinstance(value, list | tuple):
            put(f"{type(value).__name__}[{len(value)}")
            kind = _one_kind(value)
            if kind is not None:  # a word list: quick
                put(f"{kind.__name__}:" + "\x1f".join(map(repr, value)))
            elif all(isinstance(item, _SCALARS) for item in value):
                put("\x1f".join(map(_scalar, value)))
            else:
                for item in value:
                    more(item)
        elif isinstance(value, set | frozenset) and (kind := _one_kind(value)) is not None:
            put(f"{type(value).__name__}{{{len(value)}:{kind.__name__}:"
                + "\x1f".join(map(repr, sorted(value))))
        elif isinstance(value, dict) and (kind := _one_kind(value)) is not None \
                and all(isinstance(v, _SCALARS) for v in value.values()):
            put(f"{type(value).__name__}{{{len(value)}:{kind.__name__}:" + "\x1f".join(
                f"{k!r}\x1d{_scalar(v)}" for k, v in sorted(value.items(),
                                                            key=lambda kv: kv[0])))
        elif isinstance(value, set | frozenset | dict):
            # in a fixed order: a set's (of strings) changes from one process to the next
            pairs = value.items() if isinstance(value, dict) else ((v, None) for v in value)
            parts = sorted(self._element(k) + "\x1d" + self._element(v) for k, v in pairs)
            put(f"{type(value).__name__}{{{len(parts)}:" + "\x1e".join(parts))
        elif isinstance(value, np.ndarray):
            if value.dtype.hasobject:
                raise Undigestable("a numpy array of objects")
            put(f"array:{value.dtype}:{value.shape}:"
                f"{hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()}")
        elif isinstance(value, LabelingFunction):
            put(f"lf:{value.name}:{value.source_hash}")
            more(value.code)
            more(value.resources)
        elif isinstance(value, functools.partial):
            put("partial")
            for part in (value.func, value.args, value.keywords):
                more(part)
        elif isinstance(value, types.FunctionType):
            self._feed_function(put, value)
        elif isinstance(value, type):
            self._feed_class(put, value)
        elif isinstance(value, enum.Enum):
            put(f"enum:{type(value).__module__}:{type(value).__qualname__}.{value.name}")
            more(value.value)
        elif isinstance(value, types.BuiltinFunctionType | types.MethodWrapperType
                        | types.WrapperDescriptorType | types.MethodDescriptorType):
            owner = getattr(value, "__self__", None)
            put(f"builtin:{getattr(value, '__module__', None)}:{value.__qualname__}")
            module = sys.modules.get(getattr(value, "__module__", None) or "")
            if module is not None:
                put(self.module_digest(module))
            if owner is not None and not isinstance(owner, types.ModuleType):
                more(owner)  # a data method (``WORDS.__contains__``): by its data
        elif isinstance(value, types.MethodType):  # a bound method: its function and object
            put("method")
            more(value.__func__)
            more(value.__self__)
        elif isinstance(value, _VALUES):
            put(_scalar(value))
        elif isinstance(value, logging.Logger | logging.LoggerAdapter):  # votes no vote
            put(f"logger:{getattr(value, 'name', '')}")
        elif callable(value) and getattr(value, "__wrapped__", None) is not None:
            # a wrapper (``functools.lru_cache``, ``functools.wraps``) by its type and the
            # function it runs
            put(f"wrapper:{type_name(value)}")
            more(value.__wrapped__)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            # a config object (``CFG = Cfg()``, ``CFG.cut = 99`` later): by its class and
            # each field's value now
            put("dataclass")
            more(type(value))
            for field in dataclasses.fields(value):
                put(field.name)
                more(getattr(value, field.name, _UNBOUND))
        elif type(value) is types.SimpleNamespace:
            put("namespace")
            more(vars(value))
        elif _is_snorkel_object(value):
            self._feed_snorkel(put, value)
        elif _is_pipeline(value):
            from labelwright.nlp.fingerprint import pipeline_fingerprint  # spaCy: not before

            put(f"pipeline:{pipeline_fingerprint(value)}")
        else:
            raise Undigestable(type_name(value))

    def _more(self, put: Callable[[str], None], value: Any) -> None:
        put(self._element(value))

    def _element(self, value: Any) -> str:
        """A part of a container: a scalar as its text, anything else by its digest."""
        return _scalar(value) if isinstance(value, _SCALARS) else self.digest(value)

    def _feed_function(self, put: Callable[[str], None], func: types.FunctionType) -> None:
        """A function of the user's by its code, what it is made with and what it reads
        (:func:`global_reads`); one of Python's library or an installed package by its
        module and its name."""
        if not follows(func):
            put(f"function:{func.__module__}:{func.__qualname__}")
            module = sys.modules.get(func.__module__ or "")
            put(self.module_digest(module) if module is not None
                else func.__code__.co_filename)
            return
        # a session's by its source; a module file's by its compiled code, the code the
        # module holds (its file may have been edited since it was imported)
        if is_session_code(func):
            put(f"session function:{func.__qualname__}")
            put(_code_source(func.__code__, func))
        else:
            put(f"user function:{func.__qualname__}")
            put(_code_text(func.__code__))
        self._more(put, [c.cell_contents if _has_contents(c) else _UNBOUND
                         for c in func.__closure__ or ()])
        self._more(put, func.__defaults__)
        self._more(put, func.__kwdefaults__)
        for name, value, owner in global_reads(func):
            put(name)
            try:
                self._more(put, value)
            except (Undigestable, RecursionError):
                made = self.made_by(owner, value)
                if made is None:
                    raise
                put(made)

    def _feed_snorkel(self, put: Callable[[str], None], value: Any) -> None:
        """A snorkel LF or preprocessor by its class (a user's subclass by its code) and
        its attributes (its function, resources, preprocessors, fields; not a memo of what
        it computed)."""
        put(f"snorkel:{type(value).__module__}:{type(value).__qualname__}")
        self._more(put, type(value))
        for name, attr in sorted(vars(value).items()):
            if name not in _SNORKEL_MEMO:
                put(name)
                self._more(put, attr)

    def _feed_class(self, put: Callable[[str], None], cls: type) -> None:
        """A class from Python's library or an installed package by that module and its
        name; one of the user's (written in the session, where a notebook keeps no source
        for it, or in a module of theirs, whose state the process can change) by what it
        defines: its bases and its attributes, methods by their code and what they read."""
        module = sys.modules.get(cls.__module__)
        file = getattr(module, "__file__", None) if module is not None else None
        if cls.__module__ != "__main__" and module is not None \
                and (file is None or (_readable(file) and not is_user_file(file))):
            put(f"class:{cls.__module__}:{cls.__qualname__}:{self.module_digest(module)}")
            return
        put(f"session class:{cls.__qualname__}")
        self._more(put, [base for base in cls.__bases__ if base is not object])
        fields = getattr(cls, "__dataclass_fields__", None)
        if isinstance(fields, dict):  # a dataclass's methods are made from its fields
            self._feed_fields(put, fields)
        for name, attr in sorted(vars(cls).items()):
            if name in _CLASS_PLUMBING or name.startswith("__dataclass") \
                    or type(attr).__name__ in _MADE_ATTRIBUTES \
                    or (fields is not None and _made_by_dataclasses(name, attr)):
                continue  # made by Python from what is digested here
            put(name)
            if name == "__annotations__":  # types as written (``list[str]``): by their text
                put(repr(attr))
                continue
            if isinstance(attr, staticmethod | classmethod):
                attr = attr.__func__
            elif isinstance(attr, property):
                attr = (attr.fget, attr.fset, attr.fdel)
            self._more(put, attr)


    def _feed_fields(self, put: Callable[[str], None], fields: dict[str, Any]) -> None:
        """A dataclass's fields: name, type as written, default or default factory and
        the flags that make its methods."""
        for name, spec in sorted(fields.items()):
            put(f"field:{name}:{spec.type!r}:{spec.init}:{spec.repr}:{spec.compare}:"
                f"{spec.kw_only}")
            for made in (spec.default, spec.default_factory):
                if made is not dataclasses.MISSING:
                    self._more(put, made)


def _imported_from_outside(value: Any, file: str, folder: str) -> bool:
    """Whether ``value`` is an attribute of a module of the user's outside the LF folder
    ``folder`` (or of one of its submodules) that the module file ``file`` imports."""
    from labelwright.apply.cache_keys import imported_names  # it digests with this module
    from labelwright.lfs.loaded_modules import user_modules

    names = imported_names(file)
    modules = user_modules(sorted(n for n in sys.modules if n.partition(".")[0] in names),
                           sys.modules, folder)
    return any(held is value for module in modules for held in vars(module).values())


#: the methods ``dataclasses`` writes for a class, from its fields
_DATACLASS_METHODS = frozenset({"__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__",
                                "__ge__", "__hash__", "__setattr__", "__delattr__",
                                "__getstate__", "__setstate__"})


def _made_by_dataclasses(name: str, attr: Any) -> bool:
    """A method ``dataclasses`` wrote for a class (code of ``<string>``), made from its
    fields."""
    code = getattr(attr, "__code__", None)
    return name in _DATACLASS_METHODS and code is not None \
        and code.co_filename == "<string>"


def _is_snorkel_object(value: Any) -> bool:
    """A snorkel LF or preprocessor (or a user's subclass of one): an object of a class
    from snorkel's package, whose attributes are what it computes with."""
    return any(cls.__module__.startswith("snorkel.") for cls in type(value).__mro__) \
        and hasattr(value, "__dict__")


def _is_pipeline(value: Any) -> bool:
    """A spaCy pipeline (``spacy.language.Language`` or a subclass)."""
    return any(cls.__module__ == "spacy.language" and cls.__name__ == "Language"
               for cls in type(value).__mro__)


def _one_kind(values: Any) -> type | None:
    """``str``, ``int`` or ``bytes`` when every one of ``values`` (a dict's keys) is of
    that type (not a subclass: a bool is no int here), so they sort and show alike."""
    kinds = set(map(type, values))
    if len(kinds) == 1 and (kind := kinds.pop()) in (str, int, bytes):
        return kind
    return None


def _scalar(value: Any) -> str:
    return f"{type(value).__name__}:{value!r}"


#: a session function's source by its code object (kept no longer than the code is)
_SOURCES: weakref.WeakKeyDictionary[types.CodeType, str] = weakref.WeakKeyDictionary()


def _code_source(code: types.CodeType, func: Any) -> str:
    """The source of a session function (its code without one: ``exec()``), read once per
    code object (reading it parses its cell or file)."""
    if code not in _SOURCES:
        text = source_text(func)
        _SOURCES[code] = text if text is not None else _code_text(code)
    return _SOURCES[code]


def _has_contents(cell: Any) -> bool:
    try:
        cell.cell_contents  # noqa: B018 (an empty cell raises)
    except ValueError:
        return False
    return True


#: the text of compiled code by its code object (kept no longer than the code is)
_CODE_TEXTS: weakref.WeakKeyDictionary[types.CodeType, str] = weakref.WeakKeyDictionary()


def _code_text(code: types.CodeType) -> str:
    """Code by what it compiled to (``exec()``'s, with no source; a module's, whose file
    may have changed since it was imported): its bytecode, constants and names, the same
    in every process; read once per code object."""
    if code not in _CODE_TEXTS:
        consts = [_const_text(c) for c in code.co_consts]
        _CODE_TEXTS[code] = f"{code.co_code.hex()}|{consts}|{code.co_names}|" \
                            f"{code.co_varnames}"
    return _CODE_TEXTS[code]


def _const_text(const: Any) -> str:
    """A constant of compiled code as text: a set literal's (``w in {"a", "b"}``) in a
    fixed order, since a frozenset's repr changes with the process's string hashes."""
    if isinstance(const, types.CodeType):
        return _code_text(const)
    if isinstance(const, frozenset):
        return f"frozenset({sorted(map(_const_text, const))})"
    if isinstance(const, tuple):
        return f"({', '.join(map(_const_text, const))},)"
    return repr(const)


def module_digest(module: types.ModuleType) -> str:
    """A module by the bytes of its file as it was imported (when labelwright first saw
    it: :func:`~labelwright.lfs.loaded_modules.loaded_sha`; a file edited since, not
    reloaded, is not the code that runs), else its version, else its name alone (a builtin
    module: it comes with Python)."""
    file = getattr(module, "__file__", None)
    if file:
        try:
            stat = os.stat(file)
        except OSError:
            pass
        else:
            return loaded_sha(module, file, file_sha256(file, file_state(stat)))
    version = getattr(module, "__version__", None)
    return f"version {version}" if isinstance(version, str) else f"python {sys.version}"


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


