"""A function or class of the user's digested by its code and what it reads, for
:class:`~labelwright.lfs.value_digest.Digester`: one of Python's library or an installed
package by its module and name; a value it reads that has no digest, by the file of the LF
folder's module that made it (:meth:`CodeDigests.made_by`)."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from labelwright.caches import file_sha256, file_state
from labelwright.lfs.code_globals import (
    _UNBOUND,
    _has_contents,
    _readable,
    follows,
    global_reads,
    is_session_code,
)
from labelwright.lfs.code_texts import code_source, code_text
from labelwright.lfs.loaded_modules import is_user_file
from labelwright.lfs.undigestable import Undigestable

#: a session class's attributes that Python makes (a dataclass's fields: from its
#: annotations and defaults, which count)
_CLASS_PLUMBING = frozenset({"__dict__", "__weakref__", "__module__", "__qualname__",
                             "_abc_impl"})  # an ABC's or Protocol's registry: from its bases
#: the types of class attributes Python makes from what is digested: slots, properties
#: of C types, a namedtuple's fields (from ``_fields``)
_MADE_ATTRIBUTES = ("member_descriptor", "getset_descriptor", "_tuplegetter")


class CodeDigests:
    """Functions and classes of a :class:`~labelwright.lfs.value_digest.Digester`'s values
    (a mixin of it: its ``_more`` digests each part, its ``module_digest`` a module)."""

    #: the LF folder, with a trailing separator (None: no folder, nothing is made by one)
    _folder: str | None

    if TYPE_CHECKING:  # Digester's
        def _more(self, put: Callable[[str], None], value: Any) -> None: ...
        def module_digest(self, module: types.ModuleType) -> str: ...

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
            put(code_source(func.__code__, func))
        else:
            put(f"user function:{func.__qualname__}")
            put(code_text(func.__code__))
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
