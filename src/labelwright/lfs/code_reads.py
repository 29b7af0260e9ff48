"""Which attributes an LF's code reads, read from its source: its own function only for
what the decorator records (:func:`reads_doc`, :func:`reads_matches`), or with the helpers of
its module it calls by name (``_lemmas(doc)``, and the helpers they call) for the checks of
what a pipeline must give it (:func:`attributes_read`, :func:`methods_called`); and
whether the Doc it reads is labelwright's parse or one it makes itself
(:func:`reads_item_doc`)."""

from __future__ import annotations

import ast
import inspect
import weakref
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING, Any

from labelwright.lfs.function_code import source_of, source_text, unwrapped

if TYPE_CHECKING:
    from labelwright.lfs.core import LabelingFunction

#: the item attributes that read glossary matches
MATCH_ATTRS = frozenset({"matches", "matched", "all_matches"})


def reads_doc(func: Callable[..., Any]) -> bool:
    """True when the function's code reads an attribute named ``doc`` (``item.doc``)."""
    return "doc" in _attributes_read(func)


def reads_matches(func: Callable[..., Any]) -> bool:
    """True when the function's own code reads glossary matches (``item.matched(...)``);
    code it calls is not looked at."""
    return bool(_attributes_read(func) & MATCH_ATTRS)


def own_doc_pipeline(lf: LabelingFunction) -> Any | None:
    """The spaCy pipeline ``lf`` parses its own Doc with: a snorkel LF one of whose
    preprocessors (``@nlp_labeling_function``'s spaCy one) parses the text with a pipeline
    of its own into the field ``doc``; None for any other LF. The one test of it: what
    labelwright parses for an LF and what a pipeline's checks hold it to both follow."""
    for pre in getattr(lf.snorkel, "_pre", None) or []:
        fields = getattr(pre, "mapped_field_names", None)
        nlp = getattr(pre, "_nlp", None)
        if nlp is not None and isinstance(fields, dict) and "doc" in fields.values():
            return nlp
    return None


def parses_its_own_doc(lf: LabelingFunction) -> bool:
    """Whether the Doc ``lf`` reads is its own (:func:`own_doc_pipeline`), so that no
    pipeline of labelwright's parses for it."""
    return own_doc_pipeline(lf) is not None


def reads_item_doc(lf: LabelingFunction) -> bool:
    """Whether ``lf`` reads the Doc labelwright's pipeline parses (``item.doc``): it reads
    a Doc that is not its own (:func:`parses_its_own_doc`)."""
    return lf.uses_doc and not parses_its_own_doc(lf)


def _attributes_read(func: Callable[..., Any]) -> set[str]:
    try:
        tree = ast.parse(source_of(func))
    except SyntaxError:
        return set()
    return {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}


#: how many functions :func:`attributes_read` reads for one LF (itself and its helpers)
_MAX_FUNCTIONS = 20


def attributes_read(func: Callable[..., Any], names: Collection[str]) -> set[str]:
    """The attributes of ``names`` that the code of ``func`` or of a function of its own
    module that it calls by name reads (``x.pos_``), but not the item's own fields (an
    attribute of the LF's item parameter: ``item.tag`` is a data column, ``item.doc`` the
    Doc) and not a method called by that name (``table.head(10)``): ``names`` are spaCy
    attributes and properties, never called."""
    return set(_code_uses(func)[0].intersection(names))


def methods_called(func: Callable[..., Any], names: Collection[str]) -> set[str]:
    """The methods of ``names`` the code of ``func`` (or a helper it calls, as in
    :func:`attributes_read`) calls: ``doc.has_annotation("DEP")``."""
    return set(_code_uses(func)[1].intersection(names))


#: what :func:`_code_uses` found, per function, for as long as the function lives: an LF
#: module reloaded after an edit drops its old functions, and their entries with them
#: (a cache holding the functions kept every reloaded version's module alive)
_USES: weakref.WeakKeyDictionary[Any, tuple[frozenset[str], frozenset[str]]] = \
    weakref.WeakKeyDictionary()


def _code_uses(func: Callable[..., Any]) -> tuple[frozenset[str], frozenset[str]]:
    """The attributes the code of ``func`` and its helpers reads (not called, not the
    item's fields) and the methods it calls: one walk of each function's code for the
    several checks that ask of one LF (lemmas, the pipeline's fields, ``has_annotation``).
    Read once per function (a callable that cannot be weakly referenced is read each time)."""
    try:
        return _USES[func]
    except KeyError:
        pass
    except TypeError:  # not weakly referenceable, or not hashable
        return _walk_code(func)
    found = _USES[func] = _walk_code(func)
    return found


def _walk_code(func: Callable[..., Any]) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`_code_uses` without the memo."""
    read: set[str] = set()
    called_methods: set[str] = set()
    for tree, item in _code_read(func):
        called = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                called.add(id(node.func))
                if isinstance(node.func, ast.Attribute):
                    called_methods.add(node.func.attr)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and id(node) not in called
                    and not (isinstance(node.value, ast.Name) and node.value.id == item)):
                read.add(node.attr)
    return frozenset(read), frozenset(called_methods)


def _code_read(func: Callable[..., Any]) -> Iterator[tuple[ast.AST, str | None]]:
    """The parsed source of ``func`` and of the functions of its module it calls by name,
    each with the name of its item parameter (the LF's first one; None for a helper)."""
    todo: list[Any] = [func]
    seen: set[Any] = set()
    while todo and len(seen) < _MAX_FUNCTIONS:
        code, _ = unwrapped(todo.pop())
        if code is None or code in seen:
            continue
        item = _item_parameter(code) if not seen else None
        seen.add(code)
        text = source_text(code)
        try:
            tree = ast.parse(text) if text is not None else None
        except SyntaxError:
            tree = None
        if tree is None:
            continue
        globals_ = getattr(code, "__globals__", {})
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                helper = globals_.get(node.func.id)
                if inspect.isfunction(helper) and helper.__module__ == code.__module__:
                    todo.append(helper)
        yield tree, item


def _item_parameter(code: Any) -> str | None:
    """The name an LF's function gives the item: its first positional parameter (after
    ``self`` for a callable object's ``__call__``)."""
    names = code.__code__.co_varnames[:code.__code__.co_argcount]
    if names[:1] == ("self",) and code.__name__ == "__call__":
        names = names[1:]
    return names[0] if names else None
