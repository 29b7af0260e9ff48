"""Label Studio users named by id and by email: one person, one rater.

A Label Studio export gives an annotation's ``completed_by`` as the user's id (``2``) or as
the user expanded (``{"id": 2, "email": "bob@example.com", ...}``), depending on how it was
exported; the rater is ``label-studio:2`` in the one and ``label-studio:bob@example.com`` in
the other. The ledger keeps each decision's rater as its file names it, and remembers, in
its ``rater_ids`` table, each pairing of an id with an email that an expanded export showed.
Wherever reviews are read (:func:`~labelwright.review.decisions.raters.rater_names`) a rater
named by an id so paired counts as the rater named by the email; an id paired with two emails (two
Label Studio servers' user 2) is paired with neither. An id no export has paired stays a
rater of its own, and the import says so, with how to tie it: ``[review] same_rater``.

Like the decisions table, ``rater_ids`` refuses updates and deletes
(:data:`~labelwright.review.decisions.ledger.RATER_IDS_TRIGGERS`): a pairing edited or
taken out by hand had moved decisions from one rater to another without a trace.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.review.decisions import ledger
from labelwright.review.imports.records import Row

_TABLE = """CREATE TABLE IF NOT EXISTS rater_ids (
    by_id TEXT NOT NULL,
    by_name TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (by_id, by_name)
)"""


def file_pairs(rows: list[Row]) -> dict[str, set[str]]:
    """``{label-studio:<id>: {label-studio:<email>, ...}}``: the emails the file shows each
    user id with (one, unless the file mixes servers)."""
    out: dict[str, set[str]] = {}
    for row in rows:
        if row.rater_id and row.annotator and row.annotator != row.rater_id:
            out.setdefault(row.rater_id, set()).add(row.annotator)
    return out


def remember(path: Path, pairs: Mapping[str, set[str]], *, sha256: str,
             imported_at: str) -> None:
    """Record ``pairs`` (:func:`file_pairs`) in the ledger at ``path``, once each."""
    if not pairs:
        return
    with ledger.connect(path) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(_TABLE)
            for statement in ledger.RATER_IDS_TRIGGERS:
                conn.execute(statement)
            conn.executemany("INSERT OR IGNORE INTO rater_ids VALUES (?, ?, ?, ?)",
                             [(by_id, name, sha256, imported_at)
                              for by_id, names in sorted(pairs.items()) for name in sorted(names)])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _pair_rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    if not conn.execute("PRAGMA table_info(rater_ids)").fetchall():
        return []  # a ledger no export with user emails was imported into
    return conn.execute("SELECT by_id, by_name FROM rater_ids").fetchall()


def known_pairs(path: Path) -> dict[str, set[str]]:
    """Every pairing the ledger at ``path`` holds, read-only: ``{by_id: {names}}``."""
    out: dict[str, set[str]] = {}
    for by_id, name in ledger.query(path, _pair_rows):
        out.setdefault(str(by_id), set()).add(str(name))
    return out


def merged(known: Mapping[str, set[str]], pairs: Mapping[str, set[str]]
           ) -> dict[str, set[str]]:
    """The pairings of ``known`` (the ledger's) and ``pairs`` (a file's) together."""
    return {by_id: known.get(by_id, set()) | pairs.get(by_id, set())
            for by_id in {*known, *pairs}}


def paired(pairs: Mapping[str, set[str]]) -> dict[str, str]:
    """``{label-studio:<id>: label-studio:<email>}`` for each id paired with one email."""
    return {by_id: next(iter(names)) for by_id, names in pairs.items() if len(names) == 1}


def import_notes(rows: list[Row], raters: Counter[str], *, before: Mapping[str, set[str]],
                 now: Mapping[str, set[str]], in_ledger: Counter[str],
                 same_rater: Mapping[str, str]) -> list[str]:
    """What an import says of the Label Studio raters its file names by id: the rater each
    counts as (an export paired the id with an email: this one, or one before), or that it
    is a rater of its own, and how to tie it. ``raters``: the decisions the import added
    per rater; ``before`` / ``now``: the ledger's pairings before and after the import
    (:func:`known_pairs`); ``in_ledger``: the ledger's decisions per rater before it."""
    notes = []
    by_id = sorted({row.rater_id for row in rows if row.rater_id and row.annotator == row.rater_id
                    and raters[row.rater_id]})
    lone = []
    for name in by_id:
        names = now.get(name, set())
        if name in same_rater:
            continue
        if len(names) == 1:
            notes.append(f"{name} ({counted(raters[name], 'decision')}) is the Label Studio "
                         f"user an export showed as {next(iter(names))}, and counts as that "
                         "rater (the ledger keeps the name the file gives)")
        elif names:
            notes.append(f"{name} ({counted(raters[name], 'decision')}): exports showed this "
                         f"Label Studio user id with {' and '.join(sorted(names))} (two Label "
                         "Studio servers?), so it counts as a rater of its own; name the "
                         f"person in [review] same_rater (\"{name}\" = \"...\")")
        else:
            lone.append(name)
    if lone:
        notes.append(f"{some_of([f'{name} ({raters[name]})' for name in lone])}: this file "
                     "names the Label Studio user by id alone, and no export imported so far "
                     "has shown its email, so each counts as a rater of its own: import an "
                     "export whose completed_by is the user expanded (with id and email), "
                     "which pairs them, or name the person in [review] same_rater "
                     f"(\"{lone[0]}\" = \"label-studio:EMAIL\")")
    for name, names in sorted(now.items()):
        learned = names - before.get(name, set())
        if learned and len(names) == 1 and in_ledger[name] and name not in same_rater:
            notes.append(f"{name} is {next(iter(learned))} (this file's completed_by): the "
                         f"ledger's {counted(in_ledger[name], 'earlier decision')} of {name} "
                         "count as that rater's from now on")
    return notes


def updated_by_notes(rows: list[Row]) -> list[str]:
    """What an import says of its decisions (``rows``) whose Label Studio annotation another
    user changed after its author made it (``updated_by`` is not ``completed_by``): each
    is filed under that user, whose label the annotation holds, per author and user."""
    changed: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.author:
            changed.setdefault((row.annotator, row.author), []).append(str(row.item_id))
    return [f"{counted(len(items), 'decision')} filed under {editor}, who changed "
            f"{author}'s annotation in Label Studio (its updated_by; completed_by names "
            f"{author}), as the label is {editor}'s now: {some_of(items)}"
            for (editor, author), items in sorted(changed.items())]
