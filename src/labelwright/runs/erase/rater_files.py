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


#: the keys and columns (any case) whose values name raters, in the files erase --rater
#: looks through for names it left: a decision's ``reviewer`` / ``rater`` / ``annotator``,
#: ``[review] adjudicators`` and ``same_rater`` (in a config, a kept copy of one, a
#: manifest's ``reviews``), a record's ``reviewer``, a decision table's ``imported_by``
#: (the ledger's reviewer, which erase renames) and ``counted_as``
RATER_KEYS = frozenset({"reviewer", "reviewers", "rater", "raters", "annotator",
                        "annotators", "adjudicator", "adjudicators", "same_rater",
                        "retired_by", "imported_by", "counted_as"})


def names_rater(path: Path, names: Collection[str]) -> bool:
    """Whether the file at ``path`` names one of ``names`` as a rater, where such a file
    names raters and as erase itself reads them: the report's reviewers (``<bdi>``), the
    string values (and, for ``same_rater``, the keys) of :data:`RATER_KEYS` in a JSON,
    JSON lines or TOML file, the cells of such columns of a CSV or Parquet file. A name
    that is a label, an LF, a key, an item's word or part of another value (a rater named
    ``label``) is no rater's naming. A file of another kind (an LF's code, a glossary, a
    compressed file) names no rater: it is not searched. One that cannot be read as its
    kind is searched for the name as written (a file cut short may still name them)."""
    kind = path.suffix.lower()
    try:
        if kind == ".html":
            text = path.read_bytes().decode("utf-8")
            return _renamed_places(text, True, lambda n: n if n in names else None)[1] > 0
        if kind == ".json":  # a byte-order mark (a Windows editor's UTF-8) taken off
            return _names_in(json.loads(path.read_bytes().decode("utf-8-sig")), names)
        if kind == ".jsonl":
            forms = written_forms(names)  # a line without it, raw or escaped: none
            with open(path, encoding="utf-8-sig") as handle:
                return any(_names_in(json.loads(line), names) for line in handle
                           if any(n in line for n in forms))
        if kind == ".toml":
            import tomllib

            return _names_in(tomllib.loads(path.read_bytes().decode("utf-8-sig")), names)
        if kind == ".csv":
            return _csv_names(path, names)
        if kind == ".parquet":
            return _parquet_names(path, names)
    except (OSError, UnicodeDecodeError, ValueError):
        return _written_in(path, names)  # not as its kind reads: the name as written tells
    return False


def _names_in(value: object, names: Collection[str], key: str = "") -> bool:
    """Whether the parsed ``value`` (under ``key``) names one of ``names`` as a rater."""
    if isinstance(value, dict):
        if key.lower() in RATER_KEYS and any(str(k) in names for k in value):
            return True  # same_rater: "alias" = "name"
        return any(_names_in(v, names, str(k)) for k, v in value.items())
    if isinstance(value, list):
        return any(_names_in(v, names, key) for v in value)
    return isinstance(value, str) and key.lower() in RATER_KEYS and value in names


def _csv_names(path: Path, names: Collection[str]) -> bool:
    """Whether a cell of a CSV's rater column (:data:`RATER_KEYS`) is one of ``names``.
    The file is read as a review CSV is (``review export --excel`` writes one with a
    byte-order mark and ``;``; a spreadsheet may save one with tabs): its separator is the
    one of :data:`~labelwright.review.queue.csv_sheet.SEPARATORS` that gives its header a
    rater column, and a cell is read as the review import reads it, spaces and a
    spreadsheet's formula escape (a leading ``'``) taken off."""
    import csv

    from labelwright.review.queue.csv_sheet import SEPARATORS, unprotect_cell

    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        header: list[str] = []
        for separator in SEPARATORS:
            header = next(csv.reader([first], delimiter=separator), [])
            if any(name.strip().lower() in RATER_KEYS for name in header):
                break
        else:
            return False
        columns = [k for k, name in enumerate(header) if name.strip().lower() in RATER_KEYS]
        try:
            rows = csv.reader(handle, delimiter=separator)
            return any(unprotect_cell(row[k].strip()) in names for row in rows
                       for k in columns if k < len(row))
        except csv.Error as exc:  # a field past the module's limit: read as written
            raise ValueError(str(exc)) from exc


def _parquet_names(path: Path, names: Collection[str]) -> bool:
    """Whether a value of a Parquet file's rater column (:data:`RATER_KEYS`) is one of
    ``names`` (only those columns are read)."""
    import pyarrow.parquet as pq

    try:
        columns = [c for c in pq.read_schema(path).names if c.lower() in RATER_KEYS]
        if not columns:
            return False
        table = pq.read_table(path, columns=columns)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise ValueError(str(exc)) from exc
    return any(value in names for c in columns for value in table.column(c).to_pylist())


def written_forms(names: Collection[str]) -> list[str]:
    """Each of ``names`` in the forms a file may write it: as it is, and as a JSON string
    holds it, its quotes and backslashes escaped and, as a JSON writer that keeps to ASCII
    writes it (Python's ``ensure_ascii``, a review tool's export), each other letter as
    ``\\uXXXX`` (in lower and upper case; a letter past U+FFFF as its surrogate pair)."""
    forms: dict[str, None] = {}
    for name in names:
        escaped = json.dumps(name)[1:-1]
        upper = re.sub(r"\\u[0-9a-fA-F]{4}", lambda m: "\\u" + m[0][2:].upper(), escaped)
        forms.update(dict.fromkeys([name, json.dumps(name, ensure_ascii=False)[1:-1],
                                    escaped, upper]))
    return [form for form in forms if form]


def searched_forms(names: Collection[str]) -> list[str]:
    """:func:`written_forms` and each of ``names`` as the report writes it, escaped for
    HTML (``O&#x27;Brien``, ``Ana &amp; Bo``): the forms a file's bytes are searched for."""
    from labelwright.report.html import esc  # the report's own escape of a user's words

    return list(dict.fromkeys([*written_forms(names), *(esc(n) for n in names if n)]))


def searched_bytes(names: Collection[str]) -> list[bytes]:
    """:func:`searched_forms` as the bytes a file is searched for. Half a surrogate pair in
    a name (a tool's JSON may hold one) has no UTF-8 form: it is looked for as JSON escapes
    it, its bytes as written matching nothing."""
    return [n.encode("utf-8", "surrogatepass") for n in searched_forms(names)]


def _written_in(path: Path, names: Collection[str], block: int = 1 << 20) -> bool:
    """Whether the file at ``path`` holds one of ``names`` as written, raw or escaped as
    JSON or the report writes it (:func:`searched_bytes`; read a block at a time: a run's
    label files may be large; a compressed file's names are not seen)."""
    needles = searched_bytes(names)
    if not path.is_file() or not needles:
        return False
    overlap = max(map(len, needles)) - 1
    tail = b""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(block):
                window = tail + chunk
                if any(n in window for n in needles):
                    return True
                tail = window[-overlap:] if overlap else b""
    except OSError:
        return False
    return False


def holds_rater_name(path: Path, names: Collection[str]) -> bool:
    """Whether the file at ``path`` names one of ``names`` as a rater (:func:`names_rater`),
    its bytes searched first (a file without the letters is not parsed)."""
    return _written_in(path, names) and names_rater(path, names)
