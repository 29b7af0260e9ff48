"""The run files ``labelwright erase --rater`` rewrites (:mod:`~labelwright.runs.erase.raters`),
and what ``runs verify`` asks of one an erasure of a rater's names changed.

A run's ``reviews.json`` names the rater of each decision it read (a JSON string), and its
report (``report.html``, and those a later ``labelwright report`` replaced and kept in
``replaced/``) names the reviewers as the page shows a user's words (``<bdi>name</bdi>``).
Each such whole name, and only it, becomes the pseudonym: a name that is part of a longer
word or string (``erin`` of ``offering``) is another word, and stays. Each file is recorded
in ``runs/ERASURES.jsonl`` with its sha256 before and after, as an item erasure records the
files it rewrites, so every command that checks a run's outputs takes the new hash as the
run's (:func:`~labelwright.runs.erase.run_accounts.erasure_account`) when the file holds the
pseudonym where the record says it was put. A file that still holds a name in another
form after the rewrite is named as still naming the rater.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from labelwright.runs.erase.changes import FileChange, read_file
from labelwright.runs.file_names import REPORT, REVIEWS_FILE
from labelwright.runs.replaced import kept_files


def rater_file(name: str) -> bool:
    """Whether ``name`` is a run file ``erase --rater`` rewrites: ``reviews.json``, the
    report and a report kept in ``replaced/<when>/``."""
    from labelwright.runs.erase.run_accounts import erasable

    return name == REVIEWS_FILE or (erasable(name) and name.split("/")[-1] == REPORT)


def _tokens(name: str, html: bool) -> list[str]:
    """How a file names ``name`` whole: a JSON string (escaped or not past ASCII), or in
    a report the ``<bdi>`` the page puts a user's words in."""
    if html:
        from labelwright.report.html import user

        return [user(name)]
    return list(dict.fromkeys([json.dumps(name), json.dumps(name, ensure_ascii=False)]))


def renamed_text(text: str, names: Collection[str], pseudonym: str, *, html: bool
                 ) -> tuple[str, int]:
    """``text`` with each whole naming of one of ``names`` replaced by the same naming of
    ``pseudonym``, and how many it replaced."""
    new, replaced = text, 0
    (to,) = _tokens(pseudonym, html)[:1]
    for name in sorted(names, key=len, reverse=True):
        for token in _tokens(name, html):
            replaced += new.count(token)
            new = new.replace(token, to)
    return new, replaced


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
    if any(token in text for token in _tokens(pseudonym, name.endswith(".html"))):
        return ""
    return f"it does not name the pseudonym {pseudonym!r} the erasure put in it"
