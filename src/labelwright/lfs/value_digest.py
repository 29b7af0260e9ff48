"""The digest of a value an LF reads when it runs, the same in every process, for its
cache key: which kinds of value have one and how each is read is said in
:mod:`labelwright.lfs.session_globals`'s docstring; a value with none raises
:class:`~labelwright.lfs.undigestable.Undigestable`. Functions and classes of the user's are
digested by :mod:`~labelwright.lfs.code_digests`, compiled code and modules as text by
:mod:`~labelwright.lfs.code_texts`."""

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
from collections.abc import Callable
from typing import Any

import numpy as np

from labelwright.lfs.code_digests import CodeDigests
from labelwright.lfs.code_globals import _UNBOUND, _Unbound
from labelwright.lfs.code_texts import module_digest
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.undigestable import Undigestable
from labelwright.short_repr import type_name

#: how deep the digest follows containers and session functions before it gives up
MAX_DEPTH = 40
#: a snorkel object's attributes that are no part of what it computes: a mapper's memo
_SNORKEL_MEMO = frozenset({"_cache"})


def value_digest(value: Any) -> str:
    """The sha256 of ``value`` as :mod:`~labelwright.lfs.session_globals` describes it;
    raises :class:`Undigestable` for a value with none."""
    return Digester().digest(value)

#: values whose text is their ``repr`` (with their type's name)
_SCALARS = (bool, int, float, complex, str, bytes, bytearray, range, np.generic, type(None))
#: values whose text is their ``repr`` too, as objects: a path (``WORDS_FILE = Path(...)``,
#: the file it names read as the LF runs is not), a date, a decimal
_VALUES = (pathlib.PurePath, datetime.date, datetime.time, datetime.timedelta,
           decimal.Decimal, fractions.Fraction, uuid.UUID)


class Digester(CodeDigests):
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
