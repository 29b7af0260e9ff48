"""Labeling functions: how rule writers declare them (a project's are found by
:mod:`labelwright.lfs.discovery`).

>>> from labelwright import labeling_function, ABSTAIN
>>> @labeling_function()
... def mentions_refund(item):
...     return "billing" if "refund" in item.text.lower() else ABSTAIN

An LF returns a label name, a label index, or ``ABSTAIN`` (``None`` also abstains).
LFs written with ``snorkel.labeling.labeling_function`` run unchanged: they get the
same item (``x.text`` works) and return ints with -1 to abstain.

This module holds what an LF is: :class:`LabelingFunction`, the decorator, the hash of its
code and of what it is made with (:func:`lf_source_hash`, :func:`stable_text`), and snorkel's
LFs adapted. What it returns becomes a vote in :mod:`~labelwright.lfs.vote_codes`; the code
a callable runs is found by :mod:`~labelwright.lfs.function_code`, and what that code reads
(and whose Doc) by :mod:`~labelwright.lfs.code_reads`.
"""

from __future__ import annotations

import hashlib
import re
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from labelwright.errors import LFError
from labelwright.lfs.code_reads import reads_doc
from labelwright.lfs.function_code import (
    class_source,
    code_location,
    source_of,
    unwrapped,
)
from labelwright.lfs.item import Item

if TYPE_CHECKING:
    from labelwright.lfs.code_reads import MATCH_ATTRS as MATCH_ATTRS
    from labelwright.lfs.code_reads import own_doc_pipeline as own_doc_pipeline
    from labelwright.lfs.code_reads import parses_its_own_doc as parses_its_own_doc
    from labelwright.lfs.code_reads import reads_item_doc as reads_item_doc
    from labelwright.lfs.code_reads import reads_matches as reads_matches
    from labelwright.lfs.function_code import MAX_UNWRAP as MAX_UNWRAP
    from labelwright.lfs.function_code import source_text as source_text
    from labelwright.lfs.vote_codes import VoteCoder as VoteCoder
    from labelwright.lfs.vote_codes import ambiguous_indices as ambiguous_indices

ABSTAIN = -1

#: names that moved out of this module, still importable from it (code written before the
#: split: ``from labelwright.lfs.core import VoteCoder``), loaded when first asked for (the
#: vote coder's module imports this one) and kept in this module's namespace then
_MOVED = {"VoteCoder": "vote_codes", "ambiguous_indices": "vote_codes",
          **dict.fromkeys(("MATCH_ATTRS", "reads_matches", "own_doc_pipeline",
                           "parses_its_own_doc", "reads_item_doc"), "code_reads"),
          "MAX_UNWRAP": "function_code", "source_text": "function_code"}


def __getattr__(name: str) -> object:
    if name in _MOVED:
        import importlib

        value = getattr(importlib.import_module(f"labelwright.lfs.{_MOVED[name]}"), name)
        globals()[name] = value  # resolved once: the next access finds it without this hook
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: snorkel ``LabelingFunction`` keywords labelwright's does not take, and what to write
_SNORKEL_KEYWORDS = {
    "f": "labelwright's LabelingFunction takes the function as func= (snorkel's takes f=): "
         "LabelingFunction(name=..., func=..., resources=...); a snorkel LabelingFunction "
         "(from snorkel.labeling) runs unchanged too",
    "pre": "labelwright's LabelingFunction takes no preprocessors: make it with snorkel's "
           "(from snorkel.labeling import LabelingFunction), whose pre= runs unchanged, or "
           "call the preprocessing in the function",
}


@dataclass
class LabelingFunction:
    """A named rule that votes a label for an item, or abstains."""

    name: str
    func: Callable[..., Any]
    uses_doc: bool = False
    kind: str = "python"  # python | snorkel | glossary
    file: str = "<unknown>"
    line: int = 0
    source_hash: str = ""
    resources: dict[str, Any] = field(default_factory=dict)
    #: the file whose module-level code made it, when not ``file``: a factory's LF is made
    #: (with its arguments) where the factory is called
    maker: str = ""
    #: ``file:line`` of the module-level statement that made it (``spam = keyword("spam")``),
    #: when that is not its own ``def``: LFs one factory makes share ``file:line``, their
    #: code; this tells them apart and orders them as written ("" for a ``def``'d LF)
    made_at: str = ""
    #: the snorkel ``LabelingFunction`` this one adapts (:func:`from_snorkel`; ``func`` is
    #: the adapter that calls it), None for labelwright's own
    snorkel: Any = field(default=None, repr=False, compare=False)

    def __new__(cls, *args: Any, **kwargs: Any) -> Self:
        """Snorkel's keywords for what this class calls otherwise are a TypeError saying the
        name to use (before the dataclass's own ``__init__`` says only that it is
        unexpected): snorkel's ``LabelingFunction(name, f=..., pre=[...])``."""
        meant = [(key, hint) for key, hint in _SNORKEL_KEYWORDS.items() if key in kwargs]
        if meant:
            key, hint = meant[0]
            raise TypeError(f"{cls.__name__}() got an unexpected keyword argument {key!r}: "
                            f"{hint}")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        """Made directly (``LabelingFunction(name=..., func=...)``, as snorkel's is), not by
        the decorator: find its code, its hash and whether it reads the Doc, so that its
        location is known and an edit of it changes its cached votes."""
        if self.file != "<unknown>" or self.kind != "python":
            return
        self.file, self.line = code_location(self.func)
        if not self.source_hash:
            self.source_hash = lf_source_hash(self.func, self.resources)
        self.uses_doc = self.uses_doc or reads_doc(self.func)
        maker = _maker(sys._getframe(1))
        if maker not in (self.file, "<unknown>"):
            self.maker = maker

    def __call__(self, item: Item) -> Any:
        return self.func(item, **self.resources) if self.resources else self.func(item)

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def code(self) -> Callable[..., Any]:
        """The function whose code the LF runs: a snorkel LF's own (``func`` is the adapter
        around snorkel's object), else ``func``."""
        return self.snorkel._f if self.snorkel is not None else self.func  # type: ignore[no-any-return]


def lf_source_hash(func: Callable[..., Any], *more: Any) -> str:
    """The hash of an LF's code and of the values bound to it: closure variables (a
    factory's arguments), default arguments, ``functools.partial`` arguments and
    ``resources`` (``more``). Two LFs one factory made from one source get two hashes, and
    a change of what they are made with changes theirs. An LF that binds nothing hashes
    its source alone."""
    return source_hash(*lf_source_parts(func, *more))


def lf_source_parts(func: Callable[..., Any], *more: Any) -> tuple[str, ...]:
    """What :func:`lf_source_hash` hashes: the source, then (when the LF is made with
    something) the text of what it is made with (:func:`stable_text`)."""
    code, bound = unwrapped(func)
    if code is not None:
        names = code.__code__.co_freevars
        cells = [_contents(cell) for cell in code.__closure__ or ()]
        bound = [dict(zip(names, cells, strict=False)) if cells else None,
                 code.__defaults__, code.__kwdefaults__, *bound]
    bound = [b for b in [*bound, *more] if b]
    if not bound:
        return (source_of(func),)
    return (source_of(func), stable_text(bound))


def lf_parts(lf: LabelingFunction) -> tuple[str, ...]:
    """What ``lf.source_hash`` hashes, read now (:func:`lf_source_parts`): its code, and the
    text of what it is made with -- for a snorkel LF its ``resources`` and its
    preprocessors' sources (and a subclass's own code) too. The run's copy of a session LF
    and the check that it is the code the run ran read these same parts."""
    if lf.snorkel is not None:
        return snorkel_parts(lf.snorkel)
    return lf_source_parts(lf.func, lf.resources)


def snorkel_parts(lf: Any) -> tuple[str, ...]:
    """:func:`lf_parts` of a snorkel ``LabelingFunction``: its function, then its
    resources, its preprocessors' sources and, for a subclass, the class's source."""
    pre_sources = [source_of(getattr(p, "_f", p)) for p in getattr(lf, "_pre", [])]
    if not snorkels_own(type(lf)):  # a subclass: its own code counts too
        pre_sources.append(class_source(type(lf)))
    return lf_source_parts(lf._f, getattr(lf, "_resources", None), *pre_sources)


def _contents(cell: Any) -> Any:
    try:
        return cell.cell_contents
    except ValueError:  # a closure variable not assigned yet
        return "<empty>"


def stable_text(value: Any, depth: int = 0) -> str:
    """A text of ``value`` that is the same in every process (no ids or addresses): data
    as written, containers in a fixed order, functions by their source; other objects by
    their type only (a change inside them still changes their module's hash)."""
    if isinstance(value, str | bytes | int | float | bool | type(None)):
        return repr(value)
    if depth >= MAX_NESTING:
        return "..."

    def inner(item: Any) -> str:  # a str or an int as the call would give it, without one
        return repr(item) if type(item) in _PLAIN else stable_text(item, depth + 1)

    if isinstance(value, list | tuple):
        return f"{type(value).__name__}[{', '.join(map(inner, value))}]"
    if isinstance(value, set | frozenset):
        return f"set[{', '.join(sorted(map(inner, value)))}]"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{inner(k)}: {inner(v)}" for k, v in value.items())) + "}"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r}, {value.flags})"
    if isinstance(value, np.ndarray):
        return f"array({value.dtype}, {value.shape}, " \
               f"{hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()})"
    if isinstance(value, type | types.ModuleType):
        return f"<{getattr(value, '__qualname__', value.__name__)}>"
    if isinstance(value, LabelingFunction):
        return f"<lf {value.name} {value.source_hash}>"
    if callable(value) and unwrapped(value)[0] is not None:  # its source, not its closure
        return f"<code {source_hash(source_of(value))}>"
    return f"<{type(value).__module__}.{type(value).__qualname__}>"


#: how deep :func:`stable_text` writes containers in containers ("..." below)
MAX_NESTING = 10

#: the types :func:`stable_text` writes as their ``repr``, exactly these (a subclass's repr
#: may differ: an IntEnum's); a container's items of these are written without a call each
#: (a 2M-entry dict resource took 2.6 s of each load, 0.5 s so)
_PLAIN = frozenset({str, bytes, int, float, bool, type(None)})


def source_hash(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def runs_as_written(lf: LabelingFunction) -> bool:
    """Whether the code at ``lf.location`` is the code the LF runs, so that what it returns
    is the vote: not so when a ``functools.wraps`` wrapper runs it (``lf.location`` is the
    wrapped function's, and the wrapper may change what it returns). A snorkel LF's code is
    its own function (:attr:`LabelingFunction.code`), not labelwright's adapter."""
    code, _ = unwrapped(lf.code)
    return code is not None \
        and (code.__code__.co_filename, code.__code__.co_firstlineno) == (lf.file, lf.line)



#: while LF modules are imported (:mod:`labelwright.lfs.discovery`): every LF the decorator
#: makes, with the file of the module-level code that made it; None: not recording
_made: list[tuple[LabelingFunction, str]] | None = None


@contextmanager
def recording() -> Iterator[list[tuple[LabelingFunction, str]]]:
    """Record ``(lf, maker file)`` for every LF the decorator makes in the block: discovery
    compares them with the LFs the modules keep, so no LF is lost in silence."""
    global _made
    _made, outer = [], _made
    try:
        yield _made
    finally:
        _made = outer


def _maker(frame: Any) -> str:
    """The file whose module-level code is making an LF (through a factory anywhere)."""
    while frame is not None and frame.f_code.co_name != "<module>":
        frame = frame.f_back
    return frame.f_code.co_filename if frame is not None else "<unknown>"


def labeling_function(
    name: str | None = None,
    *,
    doc: bool | None = None,
    resources: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], LabelingFunction]:
    """Turn a function ``f(item) -> label | ABSTAIN`` into a labeling function.

    Parameters
    ----------
    name
        The LF's name in the label matrix and reports; defaults to the function name.
    doc
        Whether the LF reads ``item.doc``. Detected from the code when not given;
        items are parsed (in batches, once for all LFs) only if some LF needs it.
    resources
        Keyword arguments passed to the function on every call.
    """

    def wrap(func: Callable[..., Any]) -> LabelingFunction:
        file, line = code_location(func)
        if file == "<unknown>":  # no Python code (a builtin): where the decorator was used
            caller = sys._getframe(1)
            file, line = caller.f_code.co_filename, caller.f_lineno
        if name is None and not isinstance(getattr(func, "__name__", None), str):
            raise LFError(f"{file}:{line}: labeling_function: {func!r} has no __name__ (a "
                          "partial or a callable object); name it: "
                          "labeling_function(name=...)(...)")
        if name is not None and not (isinstance(name, str) and name.strip()):
            raise LFError(f"{file}:{line}: labeling_function(name={name!r}): a name must be a "
                          "non-empty string (or leave it out to use the function's name)")
        if doc is not None and not isinstance(doc, bool):
            raise LFError(f"{file}:{line}: labeling_function(doc={doc!r}): doc is True, False, "
                          "or left out (then it is detected from the code)")
        lf = LabelingFunction(
            name=name or func.__name__,
            func=func,
            uses_doc=reads_doc(func) if doc is None else doc,
            file=file,
            line=line,
            source_hash=lf_source_hash(func, resources),
            resources=dict(resources or {}),
        )
        maker = _maker(sys._getframe(1))
        if maker != file:
            lf.maker = maker
        if _made is not None:
            _made.append((lf, maker))
        return lf

    if callable(name):  # used bare: @labeling_function
        func, name = name, None
        return wrap(func)  # type: ignore[return-value]
    return wrap


def from_snorkel(lf: Any) -> LabelingFunction:
    """Adapt a ``snorkel.labeling.LabelingFunction``; it runs exactly as in snorkel."""
    func = lf._f
    file, line = code_location(func)
    return LabelingFunction(
        name=lf.name,
        func=lambda item, _lf=lf: _lf(item),
        uses_doc=reads_doc(func),
        kind="snorkel",
        file=file,
        line=line,
        source_hash=source_hash(*snorkel_parts(lf)),
        snorkel=lf,
    )


def as_labeling_function(obj: Any, where: str) -> LabelingFunction:
    """``obj`` as an LF labelwright runs: its own kept as it is, a snorkel LF adapted
    (:func:`from_snorkel`); anything else a TypeError naming ``where`` it was given (the
    call and argument) and how to make it one. Every place LFs enter from the user's code
    (an :class:`~labelwright.apply.Applier`, ``project.lfs``, ``with_lfs``) takes them
    through here, so the code after sees labelwright's LFs only."""
    if isinstance(obj, LabelingFunction):
        return obj
    if is_snorkel_lf(obj):
        return from_snorkel(obj)
    raise TypeError(f"{where} ({obj!r}) is no labeling function; decorate it with "
                    "@labelwright.labeling_function() (snorkel's @labeling_function() works "
                    "too)")


def is_snorkel_lf(obj: Any) -> bool:
    return is_snorkel_class(type(obj))


def is_snorkel_class(cls: type) -> bool:
    """snorkel's ``LabelingFunction`` or a subclass of it (snorkel's own
    ``NLPLabelingFunction``, or a user's ``class KeywordLF(LabelingFunction)``)."""
    return any(map(snorkels_own, getattr(cls, "__mro__", ())))


def snorkels_own(cls: type) -> bool:
    """``cls`` is snorkel's own ``LabelingFunction``, not a subclass of it: a subclass's
    code runs in its calls, so what an LF is made with (its cache key, the values it reads)
    takes the class in too."""
    return cls.__name__ == "LabelingFunction" and cls.__module__.startswith("snorkel.")
