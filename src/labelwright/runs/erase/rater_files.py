"""The run files ``labelwright erase --rater`` rewrites (:mod:`~labelwright.runs.erase.raters`),
and what ``runs verify`` asks of one an erasure of a rater's names changed.

A run's ``reviews.json`` names the rater of each decision it read (the JSON string of its
``reviewer``; a retirement record's ``rater`` and ``reviewer``), and its report
(``report.html``, and those a later ``labelwright report`` replaced and kept in
``replaced/``) names the reviewers in the Reviews section's first paragraph, as the page
shows a user's words (``<bdi>name</bdi>``). Each such whole name, and only it, becomes the
pseudonym: a name that is part of a longer word or string (``erin`` of ``offering``) is
another word, and a key, label or item text equal to a rater's name (``label``) is not a
rater, and they stay. Each file is recorded
in ``runs/ERASURES.jsonl`` with its sha256 before and after, as an item erasure records the
files it rewrites, so every command that checks a run's outputs takes the new hash as the
run's (:func:`~labelwright.runs.erase.run_accounts.erasure_account`) when the file holds the
pseudonym where the record says it was put. A file that still holds a name in another
form after the rewrite is named as still naming the rater.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from html import unescape
from pathlib import Path

from labelwright.runs.erase.changes import FileChange, read_file
from labelwright.runs.file_names import REPORT, REVIEWS_FILE
from labelwright.runs.replaced import kept_files


def rater_file(name: str) -> bool:
    """Whether ``name`` is a run file ``erase --rater`` rewrites: ``reviews.json``, the
    report and a report kept in ``replaced/<when>/``."""
    from labelwright.runs.erase.run_accounts import erasable

    return name == REVIEWS_FILE or (erasable(name) and name.split("/")[-1] == REPORT)


#: a rater's naming in ``reviews.json``: the string value of a decision's ``reviewer``, or
#: a retirement record's ``rater`` or ``reviewer`` (no other key, nor any key, is a rater)
_JSON_RATER = re.compile(r'("(?:reviewer|rater)":\s*)("(?:[^"\\]|\\.)*")')
#: the report's list of reviewers (and adjudicators): the Reviews section's first paragraph
_REVIEWERS = re.compile(r'<section id="reviews"><h2>Reviews</h2><p>.*?</p>', re.S)
_BDI = re.compile(r"<bdi>(.*?)</bdi>", re.S)


def _named(token: str, html: bool) -> str:
    """The name a :data:`_BDI` or :data:`_JSON_RATER` match's string says."""
    if html:
        return unescape(token)
    try:
        return str(json.loads(token))
    except ValueError:  # not a whole JSON string: names no one
        return ""


def _renamed_places(text: str, html: bool, rename: Callable[[str], str | None]
                    ) -> tuple[str, int]:
    """``text`` with each naming of a rater (the report's reviewers' ``<bdi>``, a
    ``reviews.json`` rater string) whose name ``rename`` gives a new name for renamed, and
    how many it renamed."""
    from labelwright.report.html import user  # the report's own naming of a user's words

    renamed = 0

    def one(match: re.Match[str]) -> str:
        nonlocal renamed
        if html:
            to = rename(_named(match[1], html))
            renamed += to is not None
            return match[0] if to is None else user(to)
        to = rename(_named(match[2], html))
        renamed += to is not None
        return match[0] if to is None else match[1] + json.dumps(to)

    if not html:
        return _JSON_RATER.sub(one, text), renamed
    return _REVIEWERS.sub(lambda part: _BDI.sub(one, part[0]), text), renamed


def renamed_text(text: str, names: Collection[str], pseudonym: str, *, html: bool
                 ) -> tuple[str, int]:
    """``text`` with each whole naming of one of ``names`` as a rater replaced by the same
    naming of ``pseudonym``, and how many it replaced: a key, a label or an item's words
    that read as a rater's name stay as they are."""
    return _renamed_places(text, html, lambda name: pseudonym if name in names else None)


def _run_files(run_dir: Path) -> Iterator[tuple[Path, str]]:
    """The files of the run folder ``erase --rater`` may rewrite, with their names there."""
    for path in [run_dir / REVIEWS_FILE, run_dir / REPORT, *kept_files(run_dir, REPORT)]:
        if path.is_file():
            yield path, path.relative_to(run_dir).as_posix()


def rater_changes(runs_dir: Path, run_ids: Sequence[str], names: Collection[str],
                  pseudonym: str) -> list[FileChange]:
    """The changes that put ``pseudonym`` in the place of ``names`` in the runs' files
    (:func:`rater_file`); a file that cannot be read as UTF-8 is left (and named as still
    holding the name when it does)."""
    changes = []
    for run_id in run_ids:
        for path, name in _run_files(runs_dir / run_id):
            try:
                read = read_file(path)
            except (OSError, UnicodeDecodeError):
                continue
            new, n = renamed_text(read.text, names, pseudonym, html=name.endswith(".html"))
            if n:
                change = read.change(path, "report" if name.endswith(".html") else "run file",
                                     new, 0, run_id=run_id, name=name)
                changes.append(change)
    return changes


def unrenamed(run_dir: Path, name: str, pseudonym: str) -> str:
    """Why the run's file ``name`` does not read as ``erase --rater`` leaves a file it put
    ``pseudonym`` in ("" when it does): it does not name the pseudonym (the names it
    replaced are not recorded, so they cannot be looked for)."""
    try:
        text = (run_dir / name).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"it cannot be read ({exc})"
    found = _renamed_places(text, name.endswith(".html"),
                            lambda named: named if named == pseudonym else None)[1]
    if found:
        return ""
    return f"it does not name the pseudonym {pseudonym!r} the erasure put in it"
