"""The digest of a value an LF reads when it runs, the same in every process, for its
cache key: which kinds of value have one and how each is read is said in
:mod:`labelwright.lfs.session_globals`'s docstring; a value with none raises
:class:`Undigestable`."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import fractions
import functools
import hashlib
import logging
import os
import pathlib
import re
import sys
import types
import uuid
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from labelwright.caches import file_sha256, file_state
from labelwright.lfs.code_globals import (
    _UNBOUND,
    _has_contents,
    _readable,
    _Unbound,
    follows,
    global_reads,
    is_session_code,
)
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.function_code import source_text
from labelwright.lfs.loaded_modules import is_user_file, loaded_sha
from labelwright.short_repr import type_name

#: how deep the digest follows containers and session functions before it gives up
MAX_DEPTH = 40
#: a snorkel object's attributes that are no part of what it computes: a mapper's memo
_SNORKEL_MEMO = frozenset({"_cache"})


class Undigestable(Exception):
    """A value with no digest that is the same in every process (its type's name in
    ``args[0]``)."""


def value_digest(value: Any) -> str:
    """The sha256 of ``value`` as :mod:`~labelwright.lfs.session_globals` describes it;
    raises :class:`Undigestable` for a value with none."""
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
