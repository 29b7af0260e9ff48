"""A dataset in many files read as one: each part read and checked as a dataset file is,
then their items one after another.

Each part is read on its own (:func:`~labelwright.data.dataset.read_file_frame`), in its own
format, so an error or warning names the part and the row in it (``part-00007.parquet: row
4``), as one file's read does, and an id of ints in one part and of strings in another is
read as text in each (combining the parts by hand first made pyarrow refuse the mixed
column). Ids must be unique across the parts: an id in two names both files and rows.
Every part's problems are said in one error, with the ids in two parts that the parts'
reads found (a part with problems in its rows gives the ids its read found all the same),
and the parts whose ids could not be compared named: a user mending a folder of 20 parts
learnt of an id in two of them only once every part read cleanly, on a third try. A part
with no rows adds none (a job may write an empty part); a column only some parts have is
said, since its items from the others have no value there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.config import DataConfig
from labelwright.counts import counted, number, some_of
from labelwright.data.bad_rows import OnlyBadRows
from labelwright.data.column_kinds import ColumnNotes, mixed_type_warning
from labelwright.data.data_hash import dataset_sha256
from labelwright.data.dataset import Dataset, file_dataset, read_file_frame
from labelwright.data.ids import no_id_reason, shown_id
from labelwright.data.parquet_format import UnreadableParquet
from labelwright.data.part_files import (
    DataPart,
    part_config,
    part_files,
    part_name,
    part_row_place,
    parts_base,
    parts_digest,
)
from labelwright.data.read_problems import skip_hint
from labelwright.data.text_notes import TextNotes
from labelwright.errors import DataError, IdsRead, NoRows
from labelwright.warning_kinds import same_kind

#: repeated ids an error names (the others are counted)
SHOWN = 5
#: what to do with a part whose every row is bad (:class:`OnlyBadRows`)
PART_OF_BAD_ROWS = ("mend the part, or leave it out of [data] path (name the other parts with "
                    "a wildcard or a list)")
#: what to do with a part that cannot be read as Parquet
PART_UNREADABLE = ("write the part again, or leave it out of the files read, naming the "
                   "others with a wildcard or a list")
#: the other parts a warning said by several parts names (the others are counted)
PARTS_SHOWN = 3
_COUNT = re.compile(r"\d[\d,]*")
_PLURAL = re.compile(r"(?<=\w)(?:\(s\)|s)\b")
#: a name a warning quotes (a column, a label: ``repr`` of it), kept as written in its kind
_QUOTED = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_SUBJECT_END = re.compile(r" \(|: ")
#: the count a part's warning opens with (``50 bad rows skipped``)
_OPENING_COUNT = re.compile(r"(\d[\d,]*) (?=\S)")
#: where the words a warning's count is of end (``50 bad rows skipped (``)
_WORDS_END = re.compile(r" \(|: |, |; ")


def read_parts(config: DataConfig, labels: tuple[str, ...]) -> Dataset:
    """The dataset of the files ``config`` names (a folder, a wildcard, a list), read in
    order; a :class:`DataError` saying every part's problems and the ids in more than one
    part (:func:`_problems_error`)."""
    source = str(config.path)
    parts: list[DataPart] = []
    read: list[Dataset] = []
    problems: list[str] = []
    # each part's ids, in order, for those in two parts: a Dataset read, the ids a part
    # with problems found all the same, or None (its ids not known)
    ids: list[tuple[Path, Dataset | IdsRead | None]] = []
    files = part_files(config)
    for file in files:
        one = part_config(config, file)
        try:
            frame, skipped, unread = read_file_frame(one)
            sha = dataset_sha256(one)
            if len(frame) == 0 and not skipped and unread is None:
                parts.append(DataPart(file, sha, 0))  # an empty part adds no items
                continue
            # one part of many: a column it lacks may be in the others, so its error
            # names no [data] key to set
            frame.attrs["part_of"] = source
            dataset = file_dataset(one, labels, frame, skipped, unread, sha)
        except NoRows:  # a file whose format holds no header (JSONL), with no row
            parts.append(DataPart(file, dataset_sha256(one), 0))
            continue
        except OnlyBadRows as exc:
            problems.append(str(OnlyBadRows(exc.source, exc.skipped, PART_OF_BAD_ROWS)))
            # rows without an id hold none; a row that could not be read may
            no_id = no_id_reason(config.id_column)
            ids.append((file, IdsRead((), (), True)
                               if all(r.reason == no_id for r in exc.skipped) else None))
            continue
        except UnreadableParquet as exc:
            problems.append(f"{exc} ({PART_UNREADABLE})")
            ids.append((file, None))
            continue
        except DataError as exc:
            problems.append(str(exc))
            ids.append((file, exc.ids_read))
            continue
        del frame
        parts.append(DataPart(file, sha, len(dataset), len(dataset.skipped_rows)))
        read.append(dataset)
        ids.append((file, dataset))
    if problems:
        raise _problems_error(problems, files, ids, config)
    if not read:
        raise DataError(f"{source}: the dataset has no rows ({counted(len(files), 'file')}, "
                        "none with a row)")
    check_unique_across([d.ids for d in read], lambda k, position: read[k].where(position),
                        config.id_column, len(files), source)
    return _combined(read, tuple(parts), config, labels, source,
                     parts_digest(config, [(p.path, p.sha256) for p in parts]))


def _problems_error(problems: Sequence[str], files: Sequence[Path],
                    ids: Sequence[tuple[Path, Dataset | IdsRead | None]],
                    config: DataConfig) -> DataError:
    """One error of the parts' ``problems`` and of the ids in two parts among ``ids``
    (each part's with rows, in order: the Dataset read, the ids a read that found problems
    found all the same, or None when not known), and, when some parts' ids are not all
    known, which (an id they hold may be in another part too)."""
    source = str(config.path)
    base = parts_base(config)
    known = [(file, part if isinstance(part, Dataset) else _first_of_each(part))
             for file, part in ids if part is not None]

    def where(k: int, position: int) -> str:
        file, part = known[k]
        if isinstance(part, Dataset):
            return part.where(position)
        return f"{file}: row {part.rows[position] + 1}"

    repeats = repeated_across([part.ids for _, part in known], where, config.id_column,
                              len(files), source)
    said = [*_hint_once(problems), *([repeats] if repeats is not None else [])]
    if len(said) > 1:
        said.append(f"(problems in {len(problems)} of the {len(files)} files of {source}"
                    f"{', and ids in two files' if repeats is not None else ''}, all found in "
                    "one read: fix them together)")
    unknown = [part_name(file, base) for file, part in ids if part is None]
    partly = [part_name(file, base) for file, part in ids
              if isinstance(part, IdsRead) and not part.whole]
    if unknown or partly:
        said.append(_not_compared(unknown, partly, len(files)))
    return DataError("\n".join(said))


def _hint_once(problems: Sequence[str]) -> list[str]:
    """The parts' ``problems``, the line ending the bad rows of each (the setting that
    leaves them out, :func:`~labelwright.data.read_problems.skip_hint`) said under the
    first part's only, as one file's error says it under its first kind: ten parts with a
    malformed row each said it ten times."""
    hint = skip_hint("config")
    out: list[str] = []
    for problem in problems:
        out.append(problem.replace(hint, "") if any(hint in p for p in out) else problem)
    return out


def _first_of_each(ids: IdsRead) -> IdsRead:
    """``ids`` with each id once, at its first row: a part's own repeats are its read's
    problem, said already, and no id in two parts."""
    first: dict[str, int] = {}
    for item_id, row in zip(ids.ids, ids.rows):
        first.setdefault(item_id, row)
    return IdsRead(tuple(first), tuple(first.values()), ids.whole)


def _not_compared(unknown: Sequence[str], partly: Sequence[str], files: int) -> str:
    """What an error of the parts' problems says of the parts whose ids could not be
    compared with the others' (``unknown``: none of them; ``partly``: those of the rows
    read only), of ``files``."""
    left = []
    if unknown:
        left.append(f"not those of {some_of(unknown, PARTS_SHOWN)}, which could not be read")
    if partly:
        left.append(f"of {some_of(partly, PARTS_SHOWN)} only those of the rows read")
    return (f"(ids compared across {files - len(unknown)} of the {files} files: "
            f"{', and '.join(left)}; an id in two files may still be found once "
            f"{'it is' if len(unknown) + len(partly) == 1 else 'they are'} mended)")


def check_unique_across(ids: Sequence[Sequence[str]], where: Callable[[int, int], str],
                        id_column: str, files: int, source: str) -> None:
    """A :class:`DataError` for the ids found in more than one part (``ids``: each part's,
    whose own repeats were its read's error already), naming both files and rows of each
    as ``where(part, position)`` says them; ``files``: how many the dataset has."""
    said = repeated_across(ids, where, id_column, files, source)
    if said is not None:
        raise DataError(said)


def repeated_across(ids: Sequence[Sequence[str]], where: Callable[[int, int], str],
                    id_column: str, files: int, source: str) -> str | None:
    """What :func:`check_unique_across` says of the ids in more than one part, None when
    there is none."""
    if len({item_id for part in ids for item_id in part}) == sum(map(len, ids)):
        return None
    seen: dict[str, tuple[int, int]] = {}
    repeats: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for k, part in enumerate(ids):
        for position, item_id in enumerate(part):
            first = seen.setdefault(item_id, (k, position))
            if first != (k, position):
                repeats.append((item_id, first, (k, position)))
    item_id, first, again = repeats[0]
    said = (f"{where(*again)}: duplicate id {shown_id(item_id)} in column {id_column!r}, "
            f"also at {where(*first)}; ids must be unique across the {files} files of "
            f"{source}")
    if len(repeats) > 1:
        said += (f"\n  and {counted(len(repeats) - 1, 'more id')} in two files: " + some_of(
            [f"{shown_id(i)} at {where(*a)} and {where(*b)}"
             for i, a, b in repeats[1:SHOWN + 1]], SHOWN, total=len(repeats) - 1, clauses=True))
    return said


def _combined(read: Sequence[Dataset], parts: tuple[DataPart, ...], config: DataConfig,
              labels: tuple[str, ...], source: str, sha256: str) -> Dataset:
    """One :class:`Dataset` of the parts' items, in order; each item's ``file_rows`` entry
    is its row in its own part."""
    columns = list(dict.fromkeys(c for d in read for c in d.columns))
    # each part's empty and long texts said once for them all, naming part and row
    own = {w for d in read for w in TextNotes.of(d.texts, d.ids, rows=d.file_rows).warnings(
        d.source, config.text_column)}
    warnings = grouped_warnings([(d.source, [w for w in d.warnings if w not in own])
                                 for d in read], parts_base(config))
    warnings.extend(_columns_not_everywhere(read, source, parts_base(config)))
    warnings.extend(columns_typed_apart(
        [(d.source, ColumnNotes.of(d.fields.items(), rows=d.file_rows)) for d in read],
        source, parts_base(config)))
    combined = Dataset(
        ids=[i for d in read for i in d.ids],
        texts=[t for d in read for t in d.texts],
        fields=pd.concat([d.fields for d in read], ignore_index=True, sort=False),
        gold=np.concatenate([d.gold for d in read]),
        source=source,
        sha256=sha256,
        warnings=warnings,
        data_columns=(config.id_column, config.text_column),
        gold_labels=labels if config.gold_column is not None else None,
        skipped_rows=[replace(r, file=d.source) for d in read for r in d.skipped_rows],
        file_rows=np.concatenate([np.arange(len(d)) if d.file_rows is None else d.file_rows
                                  for d in read]),
        columns=tuple(columns),
        parts=parts,
        parts_base=str(parts_base(config)),
    )

    combined.warnings.extend(TextNotes.of(combined.texts, combined.ids).warnings(
        source, config.text_column, combined.part_place))
    return combined


def _columns_not_everywhere(read: Sequence[Dataset], source: str, base: Path) -> list[str]:
    """A warning for each column some parts have and others do not: the items of those
    have no value in it (an LF reading it finds a missing value)."""
    out = []
    for column in dict.fromkeys(c for d in read for c in d.columns):
        without = [d.source for d in read if column not in d.columns]
        if not without:
            continue
        shown = some_of([part_name(Path(s), base) for s in without], 3,
                        total=len(without))
        out.append(f"{source}: column {column!r} is in {len(read) - len(without)} of the "
                   f"{len(read)} files with rows, not in {shown}: their items have no value "
                   "there (an LF reading it finds a missing value)")
    return out


def columns_typed_apart(per_part: Sequence[tuple[str, ColumnNotes]], source: str,
                        base: Path, skip: Sequence[str] = ()) -> list[str]:
    """A warning for each column that holds text in some parts and numbers in others (a
    part written with another schema: ``channel`` as int64 in one Parquet part, as strings
    in the rest), in the words of one file's (``holds numbers in ... and text in ...``),
    its first value of the kind fewer rows hold named by part and row. A part holding both
    says so itself, so a column one part mixes is left to that part's warning; ``skip``:
    the id and text columns, which are no fields."""
    out = []
    names = dict.fromkeys(n for _, notes in per_part for n in notes.columns)
    for name in names:
        if name in skip:
            continue
        counts = [(part, notes.columns[name]) for part, notes in per_part
                  if name in notes.columns]
        if any(c.texts and c.numbers for _, c in counts):
            continue
        texts = sum(c.texts for _, c in counts)
        numbers = sum(c.numbers for _, c in counts)
        if not (texts and numbers):
            continue
        fewer_text = texts <= numbers
        part, first = next((part, c.first_text if fewer_text else c.first_number)
                           for part, c in counts if (c.texts if fewer_text else c.numbers))
        assert first is not None
        out.append(mixed_type_warning(source, name, texts, numbers,
                                      part_row_place(part, str(base), first[1]), first[2]))
    return out


def grouped_warnings(per_part: Sequence[tuple[str, Sequence[str]]], base: Path) -> list[str]:
    """The warnings of each part (``per_part``: its path as its warnings name it, and
    them), those of one kind that several parts give said once: the first part's in full,
    then the others named (a folder of 40 parts gave 40 lines of one condition). A
    warning of one part alone is as it was, and two of one part are never one: each
    part's n-th warning of a kind goes with the others' n-th."""
    kinds: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for part, warnings in per_part:
        seen: dict[str, int] = {}
        for warning in warnings:
            kind = _warning_kind(warning, part)
            seen[kind] = seen.get(kind, -1) + 1
            kinds.setdefault((kind, seen[kind]), []).append((part, warning))
    out = []
    for found in kinds.values():
        first = found[0][1]
        if len(found) > 1:
            first += f" ({_same_in_others(found, base)})"
        out.append(same_kind(first, found[0][1]))  # its kind too (warning_kinds), if any
    return out


def _same_in_others(found: Sequence[tuple[str, str]], base: Path) -> str:
    """What a warning of several parts (``found``: each part and its warning, the first's
    said in full) says of the others: their names and how many files in all; when each
    warning counts what it is about (``50 bad rows skipped``), the total of them all too,
    and each other part's own count when they differ (a folder of 4 parts with 50 bad rows
    each said the first part's 50 alone, never the 200)."""
    names = [part_name(Path(p), base) for p, _ in found[1:]]
    files = counted(len(found), "file") + " in all"
    subjects = [s for part, warning in found
                if (s := _counted_subject(warning, part)) is not None]
    if len(subjects) < len(found):
        return f"the same in {some_of(names, PARTS_SHOWN)}: {files}"
    counts = [n for n, _ in subjects]
    if len(set(counts)) > 1:  # each part's own count beside its name
        names = [f"{name} ({number(n)})" for name, n in zip(names, counts[1:])]
    said = some_of(names, PARTS_SHOWN)
    # the words of a count other than 1 take the total's plural (bad rows, not bad row)
    words = next((w for n, w in subjects if n != 1), None)
    if words is None:  # one in each part: the files' count is the total
        return f"the same in {said}: {files}, 1 in each"
    total = f"{number(sum(counts))} {words}"
    return (f"the same in {said}: {files}, {total}"
            + (f", {number(counts[0])} in each" if len(set(counts)) == 1 else ""))


def _counted_subject(warning: str, part: str) -> tuple[int, str] | None:
    """The count a part's warning opens with and the words it counts (``50 bad rows
    skipped``: 50 and ``bad rows skipped``, up to the first bracket, colon, comma or
    semicolon outside a quoted name); None for a warning that opens with no count, or with
    a count of part of something (``3 of 10``, ``4 more``), which sum to no total."""
    said = warning.removeprefix(f"{part}: ")
    opening = _OPENING_COUNT.match(said)
    if said == warning or opening is None:
        return None
    rest = said[opening.end():]
    if rest.startswith(("of ", "more ")):
        return None
    words = []
    for k, piece in enumerate(_QUOTED.split(rest)):
        if k % 2:  # a quoted name, kept whole
            words.append(piece)
            continue
        head, *cut = _WORDS_END.split(piece, maxsplit=1)
        words.append(head)
        if cut:
            break
    return int(opening.group(1).replace(",", "")), "".join(words)


def _warning_kind(warning: str, part: str) -> str:
    """What ``warning`` of ``part`` is about, for :func:`grouped_warnings`: its words after
    the part's name, up to the first row it names (`` (first: row 4 ...``, ``: row 3 ...``),
    with counts and plurals left aside; the names it quotes (columns, labels) stay as
    written, brackets, digits and all, so a warning of another column is another kind."""
    said = warning.removeprefix(f"{part}: ")
    if said == warning:  # not one of the part's own (a line number after its name)
        return warning
    kind = []
    for k, piece in enumerate(_QUOTED.split(said)):
        if k % 2:  # a quoted name
            kind.append(piece)
            continue
        head, *rest = _SUBJECT_END.split(piece, maxsplit=1)
        kind.append(_PLURAL.sub("", _COUNT.sub("#", head)))
        if rest:
            break
    return "".join(kind)
