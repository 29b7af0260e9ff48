"""What a review tool's record holds besides the decision: a reviewer's comment, read into
the decision's note, and the keys no reader reads, named once by the import.

The review CSV and JSONL read a ``note`` (or ``comment``) column into the decision's note
and name every other column they do not read (:mod:`~labelwright.review.imports.readers`);
the tools' exports kept only Label Studio's note box, and dropped the rest without a word:
a Prodigy answer's ``note`` or ``comment`` key, doccano's ``Comments``, an Argilla text
question. Here the same is done for them: a comment where the format has one, and the
keys of a record that neither a reader reads nor labelwright's export wrote, for
:attr:`~labelwright.review.imports.records.Row.unread`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from labelwright.review.queue.task_fields import QUESTION, TEXT
from labelwright.review.queue.tools import ARGILLA_METADATA

#: the names of a record's key (or an Argilla text question) that hold the reviewer's
#: comment, in this order, in any case (doccano exports ``Comments``)
COMMENT_NAMES = ("note", "comment", "comments")
#: what every export of labelwright writes beside the tools' own keys: the ids (``lw_``),
#: the shown fields (``field_``) and the context a reviewer sees
_EXPORTED = frozenset({TEXT, *ARGILLA_METADATA})
_EXPORTED_PREFIXES = ("lw_", "field_")
#: the keys each tool's reader reads or its export holds besides those; Prodigy's own
#: keys start with ``_`` (hashes, session, view, timestamp)
PRODIGY_KEYS = frozenset({"options", "accept", "answer", "meta", "label", "spans", "tokens",
                          "html", "config"})
DOCCANO_KEYS = frozenset({"id", "label", "labels", "meta", "user"})
ARGILLA_KEYS = frozenset({"id", "_server_id", "status", "inserted_at", "updated_at", "fields",
                          "metadata", "responses", "suggestions", "vectors", QUESTION,
                          f"{QUESTION}_score", f"{QUESTION}_agent"})
_TOOL_KEYS = {"prodigy": (PRODIGY_KEYS, ("_",)), "doccano": (DOCCANO_KEYS, ()),
              "argilla": (ARGILLA_KEYS, (f"{QUESTION}.",))}


def comment_key(names: Iterable[str]) -> str | None:
    """The first of ``names`` (a record's keys, an Argilla record's questions) that holds
    the reviewer's comment: :data:`COMMENT_NAMES` in order, in any case; None: none does."""
    return next(iter(comment_keys(names)), None)


def comment_keys(names: Iterable[str]) -> tuple[str, ...]:
    """Every one of ``names`` that holds a comment, in :data:`COMMENT_NAMES` order: a
    record with both a ``note`` and a ``comment`` key keeps both in the decision's note."""
    by_name = {name.strip().lower(): name for name in reversed(list(names))}
    return tuple(by_name[n] for n in COMMENT_NAMES if n in by_name)


def record_comment(record: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    """The comments under ``keys`` (:func:`comment_keys`) of ``record``, as one text."""
    return "\n".join(filter(None, (comment_text(record[key]) for key in keys)))


def comment_text(value: Any) -> str:
    """A comment as a tool gives it, as one text: a text, a list of texts (Label Studio's
    text box keeps one per submission), or of objects holding one under ``text``
    (doccano's comments); "" for none or anything else."""
    items = value if isinstance(value, list) else [value]
    texts = [item.get("text") if isinstance(item, Mapping) else item for item in items]
    return "\n".join(t.strip() for t in texts if isinstance(t, str) and t.strip())


@functools.lru_cache(maxsize=64)
def unread_keys(fmt: str, keys: tuple[str, ...], noted: tuple[str, ...] | str | None
                ) -> tuple[str, ...]:
    """The keys of a ``fmt`` record (``prodigy``, ``doccano``, ``argilla``) that no reader
    reads and labelwright's export did not write, in the record's order; ``noted``: the
    comments' keys (or Argilla's comment question), read. Found once per set of keys,
    which an export's records share."""
    known, prefixes = _TOOL_KEYS[fmt]
    read = (noted,) if isinstance(noted, str) else noted or ()
    # an Argilla question's flattened responses: note.responses, note.responses.users
    own = tuple(f"{name}." for name in read) if fmt == "argilla" else ()
    return tuple(key for key in keys
                 if key.strip() and key not in read and key not in known
                 and key not in _EXPORTED
                 and not key.startswith((*_EXPORTED_PREFIXES, *prefixes, *own)))


def argilla_comments(record: Mapping[str, Any]) -> tuple[str | None, dict[Any, str]]:
    """The text question of an Argilla record that holds comments (:func:`comment_key` of
    its questions), and each response's text to it by user (by position, from 0, where
    the file names no users); (None, {}) when it has none."""
    nested = record.get("responses")
    if isinstance(nested, Mapping):
        noted = comment_key(name for name in nested if name != QUESTION)
        given = nested.get(noted) if noted else None
        if not isinstance(given, list):
            return noted, {}
        return noted, {r.get("user_id", k): comment_text(r.get("value"))
                       for k, r in enumerate(given) if isinstance(r, Mapping)}
    noted = comment_key(key.removesuffix(".responses") for key in record
                        if key.endswith(".responses") and key != f"{QUESTION}.responses")
    if noted is None:
        return None, {}
    values = record.get(f"{noted}.responses")
    users = record.get(f"{noted}.responses.users")
    if not isinstance(values, list):
        return noted, {}
    keys = users if isinstance(users, list) and len(users) == len(values) else range(len(values))
    return noted, {user: comment_text(value) for user, value in zip(keys, values, strict=True)}
