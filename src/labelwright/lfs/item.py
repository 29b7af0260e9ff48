"""What a labeling function receives: one item with its text, fields, Doc and glossary matches."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from labelwright.config import find_label
from labelwright.errors import LFError
from labelwright.spelling import did_you_mean

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass(frozen=True)
class GlossaryMatch:
    """One glossary term found in an item."""

    glossary: str  # glossary name
    label: str  # the label the glossary votes for
    term: str  # canonical term (the synonym's head term)
    text: str  # the text that matched
    start: int  # token offsets in the item's Doc
    end: int
    note: str | None = None  # the term's note for reviewers
    excluded_by: str | None = None  # an exclusion phrase nearby that cancels the match
    #: the glossary's phrase that matched, as the glossary writes it: the term or one of
    #: its synonyms ("" in a match made by hand); two matches that differ only in it are
    #: equal, as they vote alike
    phrase: str = field(default="", compare=False)

    @property
    def active(self) -> bool:
        return self.excluded_by is None

    @property
    def said(self) -> str:
        """``'dog' (term 'dating service', synonym 'dogging')``: the words matched and the
        term, with the synonym that matched when it was one (a lemma-mode synonym matches
        words that read as its lemma: why 'dog' matched 'dating service' shows only so)."""
        by = f", synonym {self.phrase!r}" if self.phrase and self.phrase != self.term else ""
        return f"{self.text!r} (term {self.term!r}{by})"


class ReadOnlyFields(dict[str, Any]):
    """An item's fields while its LFs run: a dict (``json.dumps``, ``isinstance(..., dict)``
    and copies work as before; a copy or pickle is a plain, writable dict) that refuses to
    change, naming the item."""

    def __init__(self, fields: Mapping[str, Any], item_id: str) -> None:
        super().__init__(fields)
        self._item_id = item_id

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"the fields of item {self._item_id!r} are read-only: copy them "
                        "first (fields = dict(item.fields)); one item is shared by every LF, "
                        "so a change would reach the LFs after this one")

    __setitem__ = __delitem__ = __ior__ = _refuse
    update = pop = popitem = clear = setdefault = _refuse

    def __reduce__(self) -> tuple[Any, ...]:  # so copy, deepcopy and pickle give a dict
        return dict, (dict(self),)

    @classmethod
    def fromkeys(cls, *args: Any) -> dict[str, Any]:  # type: ignore[override]
        return dict.fromkeys(*args)  # a new dict of one's own


class ProcessLocal:
    """A callable that pickles as a key to this process's registry: a copy of an item
    (snorkel's preprocessors pickle it) keeps the item's parser and matcher without
    pickling a spaCy pipeline for every item. Unpickled in another process it is an
    error, not another pipeline."""

    _registry: dict[int, Callable[..., Any]] = {}

    def __init__(self, func: Callable[..., Any]) -> None:
        # a bound method is a new object at every access: its object and name are the key
        self.key = hash((id(getattr(func, "__self__", func)), getattr(func, "__name__", "")))
        self._registry[self.key] = func

    def __call__(self, *args: Any) -> Any:
        try:
            func = self._registry[self.key]
        except KeyError:
            raise RuntimeError("an item copied into another process cannot parse or match "
                               "there; copy items within the process that made them") from None
        return func(*args)

    def __reduce__(self) -> tuple[Any, ...]:
        return _process_local, (self.key,)


def _process_local(key: int) -> ProcessLocal:
    local = ProcessLocal.__new__(ProcessLocal)
    local.key = key
    return local


def named_columns(data_columns: Sequence[str]) -> list[tuple[str, str]]:
    """``(column, "id" | "text")`` for the id and text columns not named as the item names
    them: an LF reads them under the data's names too (``item.message``, ``item.fields[
    "message"]`` for ``text_column = "message"``), as an LF written for pandas rows does."""
    return [(name, own) for name, own in zip(data_columns, ("id", "text")) if name != own]


def shadowed_warning(source: str, data_columns: Sequence[str], fields: Iterable[str]
                     ) -> str | None:
    """The warning of ``source``'s columns an LF cannot read as ``item.<name>``
    (:meth:`ProjectItem.shadowed`), among its id and text columns (``data_columns``, under
    their own names) and its ``fields``; None when there is none."""
    hidden = ProjectItem.shadowed([*(name for name, _ in named_columns(data_columns)),
                                   *fields])
    if not hidden:
        return None
    return (f"{source}: column(s) {', '.join(map(repr, hidden))} share a name with what an "
            "item has itself (item.id, item.text, item.doc, item.matches, item.matched ...): "
            f"read them as item.fields[{hidden[0]!r}], not item.{hidden[0]}")


#: items whose copies are being made, by ``id()``: a copy takes its Doc from the item it
#: was pickled from, in this process (the entry goes when that item does)
_ORIGINALS: weakref.WeakValueDictionary[int, Item] = weakref.WeakValueDictionary()


class Item:
    """One row of the dataset, as labeling functions see it.

    ``item.id`` and ``item.text`` always exist; the row's other columns are read as
    attributes (``item.plan``) or from ``item.fields``, and so are the id and text columns
    under their own names (:func:`named_columns`). ``item.doc`` is the spaCy Doc,
    parsed once per item for all LFs. ``item.matches`` lists glossary matches that no
    exclusion cancelled; ``item.matched("billing_terms")`` filters them by glossary.
    """

    def __init__(
        self,
        id: str,
        text: str,
        fields: dict[str, Any] | None = None,
        doc: Doc | None = None,
        matches: list[GlossaryMatch] | None = None,
        parse: Callable[[str], Doc] | None = None,
        match: Callable[[Doc, str], list[GlossaryMatch]] | None = None,
    ) -> None:
        # one dict update: an item is made per row, and attribute assignment goes through
        # __setattr__ (below). ``match``: finds the glossary matches of a Doc when first
        # asked, for an item made without them (``matches`` None)
        self.__dict__.update(id=id, text=text, fields=fields or {}, _doc=doc, _parse=parse,
                             _matches=matches if matches is not None or match else [],
                             _match=match)

    id: str
    text: str
    fields: Mapping[str, Any]
    _doc: Doc | None
    _parse: Callable[[str], Doc] | None
    _matches: list[GlossaryMatch] | None
    _match: Callable[[Doc, str], list[GlossaryMatch]] | None

    @property
    def all_matches(self) -> list[GlossaryMatch]:
        """Every glossary match, cancelled ones too (found on first use when the item was
        made without them: an LF whose reading of matches was not seen beforehand gets
        the same matches as one that was)."""
        readers = self.__dict__.get("_readers")
        if readers is not None:  # the runner asks which LFs read matches (see ChunkResult)
            readers.add(self.__dict__.get("_reading"))
        if self._matches is None:
            assert self._match is not None
            try:
                self._matches = self._match(self.doc, self.text)
            except AttributeError as exc:
                self._keep(exc)
                raise
        return self._matches

    @property
    def doc(self) -> Doc:
        if self._doc is None:
            try:
                if self._parse is None:
                    raise AttributeError("this item has no Doc: no spaCy pipeline was given")
                self._doc = self._parse(self.text)
            except AttributeError as exc:
                self._keep(exc)
                raise
        return self._doc

    @doc.setter
    def doc(self, value: Doc) -> None:  # snorkel preprocessors assign x.doc
        self._doc = value

    def _keep(self, exc: AttributeError) -> None:
        """Keep ``exc`` for :meth:`__getattr__`: Python answers an AttributeError from a
        property's getter by asking ``__getattr__``, which would otherwise look for a field
        of that name ("has no field 'doc'") or have to call the getter again."""
        self.__dict__["_property_error"] = exc

    @property
    def matches(self) -> list[GlossaryMatch]:
        return [m for m in self.all_matches if m.excluded_by is None]

    def matched(
        self, glossary: str | None = None, *, label: str | None = None
    ) -> list[GlossaryMatch]:
        """Active matches, optionally only of one glossary or of glossaries for one label.
        A name in another Unicode normal form (a decomposed "café") is the name it spells,
        as a label is everywhere (:func:`~labelwright.config.find_label`)."""
        glossary, label = self._names(glossary, label)
        return [
            m
            for m in self.all_matches
            if m.excluded_by is None
            and (glossary is None or m.glossary == glossary)
            and (label is None or m.label == label)
        ]

    def _names(self, glossary: str | None, label: str | None) -> tuple[str | None, str | None]:
        """``glossary`` and ``label`` as the matches spell them. An item made without a
        project (an LF's unit test) knows no other names than its matches' own: there a
        name none of them has, misspelt or not, finds nothing. The item an LF gets in a
        run knows the project's, and refuses any other (``ProjectItem``)."""
        found = self.all_matches
        if glossary is not None:
            glossary = find_label(glossary, [m.glossary for m in found]) or glossary
        if label is not None:
            label = find_label(label, [m.label for m in found]) or label
        return glossary, label

    def freeze(self) -> None:
        """Make the item read-only for the LFs that share it: an LF that set
        ``item.text = item.text.lower()`` changed what every LF after it saw, so votes
        depended on LF order and on which columns the vote cache recomputed. Copies
        (snorkel's preprocessors pickle the item, then set fields on the copy) are not."""
        object.__setattr__(self, "_frozen", True)
        object.__setattr__(self, "fields", ReadOnlyFields(self.fields, self.id))

    def __setattr__(self, name: str, value: Any) -> None:
        if self.__dict__.get("_frozen") and not name.startswith("_"):
            raise AttributeError(
                # the advice first: a failure's message is cut after 200 characters
                f"item {self.id!r} is read-only: keep the value in a variable instead (e.g. "
                f"text = item.text.lower()); one item is shared by every LF, so setting "
                f"item.{name} would change what the LFs after this one see")
        object.__setattr__(self, name, value)

    @classmethod
    def shadowed(cls, columns: Iterable[str]) -> list[str]:
        """Data columns an LF cannot read as ``item.<name>``: the item's own attributes
        (``id``, ``text``, ``doc``, ``matches`` ...) answer first;
        ``item.fields["<name>"]`` reads the column."""
        own = {"id", "text", "fields", "all_matches"} | {
            name for name in dir(cls) if not name.startswith("_")}
        return [c for c in columns if c in own]

    def __getstate__(self) -> dict[str, Any]:  # a copy is the LF's own, and writable
        state = dict(self.__dict__)
        state.pop("_frozen", None)
        # the Doc is shared with the copy, not pickled: a pickled Doc carries the
        # pipeline's vocabulary, 0.6 MB and ~100 ms for every item a snorkel
        # preprocessor copies (see _ORIGINALS)
        if state.pop("_doc", None) is not None:
            _ORIGINALS[id(self)] = self
            state["_doc_of"] = id(self)
        readers = state.pop("_readers", None)
        if readers is not None:  # the copy's reads are not seen: count the copy as one
            readers.add(state.get("_reading"))
        state["fields"] = dict(state.get("fields") or {})
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        origin = _ORIGINALS.get(state.pop("_doc_of", None))  # type: ignore[arg-type]
        # an item copied into another process parses its text again there (or says why
        # it cannot: its parser is process-local too)
        state["_doc"] = origin.__dict__.get("_doc") if origin is not None else None
        self.__dict__.update(state)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("fields", "_doc", "_parse", "_matches",
                                             "_match", "_frozen", "_readers", "_reading",
                                             "_property_error"):
            raise AttributeError(name)
        failed = self.__dict__.get("_property_error")
        if failed is not None and name in _PROPERTIES:  # its getter raised it (see _keep)
            raise failed
        try:
            return self.fields[name]
        except KeyError:
            names = ["id", "text", "doc", "matches"]
            shadowed = set(self.shadowed(self.fields))  # a column named doc: listed once
            names += [f"fields[{field!r}]" if field in shadowed else field
                      for field in self.fields]
            hint = ("item.id is the row's id (a pandas row's .name is its index); "
                    if name == "name" else did_you_mean(name, names))
            raise AttributeError(
                f"item {self.id!r} has no field {name!r}; {hint}available: {', '.join(names)}"
            ) from None

    def __getitem__(self, name: str) -> Any:  # x["text"] as in pandas-row LFs
        if name in ("id", "text"):
            return getattr(self, name)
        try:
            return self.fields[name]
        except (KeyError, TypeError):  # TypeError: an unhashable key
            names = self._known_names()
            hint = (" (an item is read by field name, not by position)"
                    if isinstance(name, int) else "")
            raise KeyError(f"item {self.id!r} has no field {name!r}{hint}; "
                           f"{did_you_mean(str(name), names)}available: "
                           f"{', '.join(names)}") from None

    def __contains__(self, name: object) -> bool:
        """Whether ``item[name]`` has a value to give: ``"id"``, ``"text"`` or a field's
        name (``"author" in x``, as on a pandas row)."""
        return name in ("id", "text") or (isinstance(name, str) and name in self.fields)

    def _known_names(self) -> list[str]:
        """The names an item is read by, as messages list them."""
        return ["id", "text", *self.fields]

    def get(self, name: str, default: Any = None) -> Any:
        """``item[name]``, or ``default`` when the item has no such field (as a pandas
        row's and a dict's ``get``). A missing value is None, not ``default``: the field
        is there, its value is missing."""
        return self[name] if name in self else default

    def __iter__(self) -> Any:
        # without it, Python iterates by item[0], item[1] ...: a bare KeyError: 0
        names = self._known_names()
        raise TypeError(f"an item is not iterable (a pandas row gives its values): read its "
                        f"fields by name, {', '.join(names)} (item.fields holds all but id "
                        f"and text; {names[-1]!r} in item asks whether it has one)")

    def __repr__(self) -> str:
        text = self.text if len(self.text) <= 60 else self.text[:57] + "..."
        return f"Item(id={self.id!r}, text={text!r})"


class ProjectItem(Item):
    """The item an LF gets in a run: an :class:`Item` that knows the project's glossary
    names and labels (``_known``, set by the runner that makes it), so that
    ``item.matched("typo")`` raises (listing the valid names) instead of never matching,
    and a name in another Unicode normal form is the one it spells."""

    _known: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # glossaries, labels

    def _names(self, glossary: str | None, label: str | None) -> tuple[str | None, str | None]:
        glossaries, labels = self._known
        if glossary is not None:
            known = find_label(glossary, glossaries)  # any name: a glossary's too
            if known is None:
                hint = (f"; to filter by label, use item.matched(label={glossary!r})"
                        if find_label(glossary, labels) is not None else "")
                raise LFError(f"item.matched({glossary!r}): no glossary is named {glossary!r}; "
                              + did_you_mean(glossary, glossaries)
                              + (f"glossaries: {', '.join(glossaries)}" if glossaries
                                 else "the project has no glossaries") + hint)
            glossary = known
        if label is not None:
            known = find_label(label, labels)
            if known is None:
                raise LFError(f"item.matched(label={label!r}): {label!r} is not a project "
                              f"label; {did_you_mean(label, labels)}labels: {', '.join(labels)}")
            label = known
        return glossary, label


#: the properties of an item whose getters may raise AttributeError (see Item._keep)
_PROPERTIES = frozenset({"doc", "matches", "all_matches"})
