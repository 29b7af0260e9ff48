"""What ``runs/ERASURES.jsonl`` (:mod:`~labelwright.runs.erase.records`) accounts for in a
run's files, and what ``runs verify`` says of it.

A run's output whose hash is no longer its manifest's is still the run's when erasures
account for the change: a chain of records of that file from the manifest's hash to its
hash now (:func:`erased_output`), each record of a file ``erase`` rewrites
(:func:`erasable`: never ``labels.parquet``,
``label_matrix.parquet`` or the manifest) and of an erasure of items the run labeled, and
the file reads as erasing those items: each of its records of them as ``erase`` writes an
erased one (:func:`unerased`; a report's texts are not known, so not checked). ``runs
verify`` and every command that checks a run's outputs accept it so, and ``runs verify``
says which of the run's items an erasure named and which files it changed
(:func:`erasure_notes`). Any other change (a hand edit after an erasure too) is still one.
The rest of such a file cannot be checked: the run's hash is of the file before the
erasure, so the record's hashes vouch for it, and the record needs the keeping the
manifests get (README "Erasure requests"). With the data read (``runs verify --inputs``),
an erasure naming items the data still holds is a problem (:func:`held_in_data`):
``erase`` refuses those.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.runs.erase.records import (
    ERASURES_FILE,
    ErasedFile,
    Erasure,
    ErasureLog,
)
from labelwright.runs.file_names import REPORT, REVIEW_FILES


def erasable(name: str) -> bool:
    """Whether ``name`` is a run file ``labelwright erase`` rewrites, so a record of an
    erasure may vouch for it: the review queue and random sample (``review.csv``,
    ``review.jsonl``, ``sample.csv``, ``sample.jsonl``), ``skipped_rows.jsonl``, and the
    report (``report.html``, and one a later ``labelwright report`` replaced and kept,
    ``replaced/<when>/report.html``). Never its labels, label matrix or manifest: they
    hold no text, so no erasure changes them."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.runs.replaced import REPLACED

    parts = name.split("/")
    return name in (*REVIEW_FILES, SKIPPED_ROWS_FILE, REPORT) or (
        len(parts) == 3 and parts[0] == REPLACED and parts[1] not in ("", ".", "..")
        and parts[2] == REPORT)


def _is_report(name: str) -> bool:
    """Whether the run file ``name`` is a report (``report.html``, or one kept in
    ``replaced/<when>/``), whose erased texts are not known."""
    return name.split("/")[-1] == REPORT


def _log(run_dir: Path, log: ErasureLog | None) -> ErasureLog:
    """``log`` when given (the run's runs folder's), else one of the run's runs folder."""
    return log if log is not None else ErasureLog(run_dir.parent)


def of_run_file(erasures: list[Erasure], run_id: str, name: str
                 ) -> list[tuple[Erasure, ErasedFile]]:
    return [(e, f) for e in erasures for f in e.files if f.run_id == run_id and f.name == name]


def rater_erasure(erasure: Erasure) -> bool:
    """Whether ``erasure`` replaced a rater's names (``erase --rater``: no items, its
    ``ledger`` names the pseudonym)."""
    return not erasure.items and bool((erasure.ledger or {}).get("rater"))


def vouches(erasure: Erasure, file: ErasedFile, run_items: Callable[[], set[str]]) -> bool:
    """Whether the record of ``file`` in ``erasure`` can account for a change of it: a
    file ``erase`` rewrites (:func:`erasable`), holding 1 to all of the erasure's items,
    which the run labeled (``run_items``), but for ``skipped_rows.jsonl``, whose rows
    were never labeled; of an erasure of a rater's names (:func:`rater_erasure`), a file
    ``erase --rater`` rewrites, holding no item."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.runs.erase.rater_files import rater_file

    if rater_erasure(erasure):  # a rater's names: no item, the files it rewrites
        return rater_file(file.name) and file.items == 0
    if not erasable(file.name) or not 0 < file.items <= len(erasure.items):
        return False
    return file.name == SKIPPED_ROWS_FILE or bool(run_items() & set(erasure.items))


def erased_output(run_dir: Path, name: str, recorded: str, now: str,
                  log: ErasureLog | None = None) -> bool:
    """Whether erasures account for the run's file ``name`` having the sha256 ``now``
    where its manifest ``recorded`` another (:func:`erasure_account`). ``log``: the runs
    folder's record, when kept across runs (else read now)."""
    return erasure_account(run_dir, name, recorded, now, log)[0]


def erasure_account(run_dir: Path, name: str, recorded: str, now: str,
                    log: ErasureLog | None = None) -> tuple[bool, str]:
    """Whether erasures account for the run's file ``name`` having the sha256 ``now``
    where its manifest ``recorded`` another, and why not when records lead there all the
    same (else ""): records of it lead from one hash to the other, each of a file ``erase``
    rewrites and of items the run labeled (:func:`vouches`: a record naming
    ``labels.parquet`` vouches for nothing), and the file reads as erasing their items
    (:func:`unerased`: a line written by hand over an edit does not)."""
    from labelwright.runs.erase.rater_files import rater_file, unrenamed

    kept = _log(run_dir, log)
    if not (erasable(name) or rater_file(name)):
        return False, ""
    links = {f.sha256_before: (e, f.sha256_after)
             for e, f in of_run_file(kept.records(), run_dir.name, name)
             if vouches(e, f, lambda: kept.run_items(run_dir))}
    seen, at, chain = set(), recorded, []
    while at in links and at not in seen:
        seen.add(at)
        erasure, after = links[at]
        if after is None:
            return False, ""
        chain.append(erasure)
        if after == now:
            for erasure in chain:
                why = (unrenamed(run_dir, name, str((erasure.ledger or {})["rater"]))
                       if rater_erasure(erasure) else unerased(run_dir, name, erasure.items))
                if why:
                    return False, (f"{erasure.where()} leads to this hash, but {why}: not "
                                   "taken as an erasure of it")
            return True, ""
        at = after
    if chain:  # erased, then edited
        return False, (f"{chain[-1].where()} took it to sha256 {at[:12]}, and it changed "
                       "since")
    return False, _marked_without_record(run_dir, name)


def _marked_without_record(run_dir: Path, name: str) -> str:
    """Why a file that holds the erased marker is not taken as erased, when no record leads
    to it ("" when it holds no marker): a line of ``runs/ERASURES.jsonl`` removed or edited
    since left the file said to be "changed" with nothing to tell it from an edit."""
    from labelwright.erased_marker import MARKER

    try:
        held = MARKER.encode() in (run_dir / name).read_bytes()
    except OSError:
        return ""
    if not held or _is_report(name):
        return ""
    return (f"it holds the marker {MARKER} that erase writes, but no line of runs/{ERASURES_FILE} "
            "leads from the run's hash to it: a line of that record was removed or edited "
            "since, or the file was made to look erased by hand")


def unerased(run_dir: Path, name: str, items: Collection[str]) -> str:
    """Why the run's file ``name`` does not read as ``labelwright erase`` leaves a file it
    erased ``items`` from ("" when it does): it holds no record of them (but
    ``skipped_rows.jsonl``, whose erased rows keep no id), or a record of one still holds
    the item's text (or other data) where erase writes the marker
    (:mod:`~labelwright.runs.erase.files`). A report is not checked (the texts it showed
    are not known): "" for it."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.runs.erase.files import erase_jsonl, erase_review_file, erase_skipped_rows

    if _is_report(name):
        return ""
    ids = set(items)
    try:
        text = (run_dir / name).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        return f"it cannot be read ({exc})"
    # erase asked again, as it reads the file (labelwright.runs.erase.items): what it finds of
    # the items, and which of their records it would still change (their texts not erased)
    held: set[str] = set()
    kept: set[str] = set()
    if name == SKIPPED_ROWS_FILE:
        from labelwright.runs.run_data import run_data_columns
        from labelwright.runs.store import read_manifest

        try:
            id_column = (run_data_columns(read_manifest(run_dir)) or ("id",))[0]
        except Exception:  # noqa: BLE001 - the manifest's own check says why
            id_column = "id"
        erase_skipped_rows(text, ids, id_column, held, kept)
    elif name.endswith(".jsonl"):
        erase_jsonl(text, ids, found=held, left=kept)
    else:
        erase_review_file(text, ids, held, kept)
    if not held and name != SKIPPED_ROWS_FILE:  # an erased skipped row keeps no id to find
        return (f"{name} holds no record of {counted(len(ids), 'item')} it names "
                f"({some_of([repr(i) for i in sorted(ids)])})")
    if kept:
        return (f"its records of {counted(len(kept), 'item')} "
                f"({some_of([repr(i) for i in sorted(kept)])}) still hold their texts")
    return ""


def held_in_data(run_dir: Path, gone: Collection[str] | None, log: ErasureLog | None = None
                 ) -> list[tuple[Erasure, list[str]]]:
    """Each erasure naming items the run labeled that the data still holds, with those
    items: ``erase`` refuses an item the data holds, so such a line was written by hand
    (or the rows were added back since). ``gone``: the items the run labeled that the data
    no longer holds (:func:`~labelwright.runs.item_texts.texts_since`; empty when the data
    is the run's). [] when the record cannot be read (its notes say so)."""
    kept = _log(run_dir, log)
    try:
        erasures = kept.records()
    except Exception:  # noqa: BLE001 - said in the run's notes
        return []
    labeled = kept.run_items(run_dir) - set(gone or ())
    found = []
    for erasure in erasures:
        still = [i for i in dict.fromkeys(erasure.items) if i in labeled]
        if still:
            found.append((erasure, still))
    return found


#: the note on a run whose data held items an erasure names
ERASED_DATA_NOTE = ("the run's data held items erased since: the record says their rows "
                    "were deleted from the data, so --inputs compares the data less those "
                    "items, and --recompute needs the data as the run read it (--data FILE)")


def erasure_notes(run_dir: Path, manifest: dict[str, Any], log: ErasureLog | None = None,
                  changed: Collection[str] = (), not_erasures: Collection[int] = ()
                  ) -> list[str]:
    """``runs verify``'s lines on the erasures of the run: the items it labeled that an
    erasure names (their labels and votes stay, they hold no text), the files an erasure
    changed (which, when, why and how many items; those in ``changed``, found changed since
    all the same, are left to their problem), a record naming a file of the run that it
    cannot vouch for (:func:`vouches`); and that the run's data held items since erased
    (:data:`ERASED_DATA_NOTE`), unless every erasure of its items is in ``not_erasures``
    (the lines of those naming items the data still holds, :func:`held_in_data`: no such
    erasure took place). ``log``: the runs folder's record, when kept across runs (else
    read)."""
    from labelwright.runs.erase.ledger_notes import ledger_note
    from labelwright.runs.erase.raters import rater_note

    kept = _log(run_dir, log)
    try:
        erasures = kept.records()
    except Exception as exc:  # noqa: BLE001 - an unreadable record is said, not raised
        return [str(exc)]
    notes, erased_data = [], False
    for erasure in erasures:
        notes += rater_note(erasure, manifest)  # a rater renamed: no item
        named = [f for f in erasure.files if f.run_id == run_dir.name]
        if rater_erasure(erasure):
            notes += _rater_file_notes(erasure, named, changed)
            continue
        held = sorted(kept.run_items(run_dir) & set(erasure.items)) if erasure.items else []
        if not named and not held:
            continue
        vouched = [f for f in named if vouches(erasure, f, lambda: kept.run_items(run_dir))]
        files = [f for f in vouched if f.name not in changed]
        erased_data = erased_data or (bool(vouched or held)
                                      and erasure.line not in not_erasures)
        labeled = (f"; the run labeled {counted(len(held), 'item')} of them "
                   f"({some_of([repr(i) for i in held])}): their labels and votes stay (they "
                   "hold no text)" if held else "")
        if files:
            names = ", ".join(f"{f.name} ({counted(f.items, 'item')})" for f in files)
            reports = any(_is_report(f.name) for f in files)
            rows = [f for f in files if not _is_report(f.name)]
            checked = ((f"{'its' if len(rows) == 1 else 'their'} records of the items read "
                        "as erased" + ("" if not reports else " (a report's erased texts "
                                       "are not known: not checked)"))
                       if rows else "the report's erased texts are not known: not checked")
            notes.append(f"{names}: item texts {erasure.describe()}, an erasure of "
                         f"{counted(len(erasure.items), 'item')}; {checked}; that the rest "
                         f"of each file is as the run wrote it rests on {ERASURES_FILE} "
                         f"line {erasure.line} (keep the record as you keep the manifests)"
                         f"{labeled}")
        elif held:
            notes.append(f"item texts {erasure.describe()}, an erasure of "
                         f"{counted(len(erasure.items), 'item')}; "
                         + ("no file of the run held their texts" if not vouched else
                            "the files of the run it names are not as it left them (above)")
                         + labeled)
        notes += ledger_note(erasure, manifest)
        for file in named:
            if file not in vouched:
                notes.append(f"{ERASURES_FILE}: the erasure of {erasure.erased_at[:10]} "
                             f"names {file.name} of the run, "
                             + ("a file erase never changes (it holds no text)"
                                if not erasable(file.name) else
                                "for items the run did not label")
                             + ": not taken as an erasure of it")
    if erased_data and (manifest.get("data") or {}).get("sha256"):
        notes.append(ERASED_DATA_NOTE)
    return notes


def _rater_file_notes(erasure: Erasure, named: list[ErasedFile], changed: Collection[str]
                      ) -> list[str]:
    """``runs verify``'s lines on the run's files an erasure of a rater's names rewrote
    (those in ``changed``, found changed since all the same, left to their problem), and
    on a file of the run it names that ``erase --rater`` never rewrites."""
    from labelwright.runs.erase.rater_files import rater_file

    pseudonym = (erasure.ledger or {}).get("rater")
    files = [f.name for f in named if rater_file(f.name) and f.items == 0
             and f.name not in changed]
    notes = [f"{', '.join(files)}: the rater's names replaced by {pseudonym} "
             f"{erasure.describe().removeprefix('erased ')} (`labelwright erase --rater`); "
             f"{'it names' if len(files) == 1 else 'they name'} the pseudonym; that the rest "
             f"of each file is as the run wrote it rests on {ERASURES_FILE} line "
             f"{erasure.line} (keep the record as you keep the manifests)"] if files else []
    notes += [f"{ERASURES_FILE}: the erasure of a rater's names of {erasure.erased_at[:10]} "
              f"names {f.name} of the run, a file erase --rater never changes: not taken as "
              "an erasure of it" for f in named if not (rater_file(f.name) and f.items == 0)]
    return notes
