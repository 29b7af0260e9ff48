"""Which text each review decision was made on, and whether its item still has it.

An edited row keeps its id, and a decision made on its old text no longer describes it.
Runs used to tell only from the exporting run's ``review.jsonl`` / ``sample.jsonl``: once
that run was pruned, deleted or its manifest unreadable, the decision was applied to the
new text without a word. So an import records in the ledger the hash of the text its
reviewer decided on (``text_hash``, :func:`decided_hashes`), made as a run hashes each
item's text (:func:`~labelwright.runs.item_texts.text_hash_hex`), and :func:`check_texts`
compares it with the item's text now, whatever became of the run. A decision imported
before the ledger recorded the hash is checked against its run as before; when that run
cannot be read, it is counted as unchecked, and runs warn about it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from labelwright.errors import LabelwrightError, RunError
from labelwright.review.decisions import ledger
from labelwright.review.imports.readers import Row
from labelwright.review.imports.shown_text import texts_shown
from labelwright.runs.item_texts import TEXT_HASH, run_hash_hex, text_hash_hex
from labelwright.runs.run_data import run_data_columns
from labelwright.runs.store import read_manifest, run_labels
from labelwright.text_form import same_reading

Pair = tuple[str, str]  # (run id, item id)


@dataclass
class TextCheck:
    """What :func:`check_texts` found."""

    #: (run id, item id) of decisions made on a text the item no longer has
    other: set[Pair] = field(default_factory=set)
    #: per run whose decisions record no text hash and whose folder is gone or manifest
    #: cannot be read: how many of its decisions (on items in the data) cannot be checked,
    #: and why the run cannot be read
    unchecked: dict[str, tuple[int, str]] = field(default_factory=dict)


def check_texts(decisions: Sequence[ledger.Decision], ids: Sequence[str],
                texts: Sequence[str | None], runs_dir: Path,
                data_sha256: str | None = None,
                data_columns: tuple[str, str] | None = None) -> TextCheck:
    """Which ``decisions`` were made on a text their item (``ids``, ``texts`` now; a None
    text is not known, not checked) no longer has.

    A decision with a ``text_hash`` is compared by it: another hash is another text unless
    the exporting run's export still holds the old text and it reads as the item's text now
    (spacing, line ends, invisible characters and the Unicode form aside, as an import
    compares texts). One without (imported before the ledger recorded hashes) is compared
    with the text its run exported, and is not compared when the run's data had
    ``data_sha256`` and ``data_columns`` (same data, same texts); when the run cannot be read
    it is counted in :attr:`TextCheck.unchecked`. A decision without a hash whose item and
    run another decision's hash covers is checked by that hash: one run exported one text."""
    current = {i: t for i, t in zip(ids, texts) if t is not None}
    hashed: dict[Pair, set[str]] = {}
    for d in decisions:
        if d.text_hash and d.item_id in current:
            hashed.setdefault((d.run_id, d.item_id), set()).add(d.text_hash)
    out = TextCheck()
    out.other = _other_by_hash(hashed, current, Path(runs_dir))
    wanted: dict[str, set[str]] = {}
    counts: Counter[str] = Counter()
    for d in checked_by_run(decisions):
        if d.item_id in current:
            wanted.setdefault(d.run_id, set()).add(d.item_id)
            counts[d.run_id] += 1
    for run_id, items in wanted.items():
        run_dir = Path(runs_dir) / run_id
        try:
            recorded = read_manifest(run_dir).get("data") or {}
        except RunError as exc:
            out.unchecked[run_id] = (counts[run_id], _unreadable(run_dir, exc))
            continue
        columns = run_data_columns({"data": recorded})
        if data_sha256 is not None and recorded.get("sha256") == data_sha256 \
                and data_columns is not None and columns == data_columns:
            continue
        shown = texts_shown(run_dir, items)
        out.other.update((run_id, item) for item, text in shown.items()
                         if not same_reading(text, current[item]))
    return out


def checked_by_run(decisions: Sequence[ledger.Decision]) -> list[ledger.Decision]:
    """The ``decisions`` :func:`check_texts` checks against the text their run exported,
    which cannot be checked once that run is gone: those without a ``text_hash`` (imported
    before the ledger recorded one) whose item and run no other decision's hash covers."""
    hashed = {(d.run_id, d.item_id) for d in decisions if d.text_hash}
    return [d for d in decisions
            if not d.text_hash and (d.run_id, d.item_id) not in hashed]


def _other_by_hash(hashed: dict[Pair, set[str]], current: dict[str, str], runs_dir: Path
                   ) -> set[Pair]:
    """The pairs of ``hashed`` (their decisions' text hashes) whose item's text now hashes
    otherwise and, where the run's export still holds the text, reads otherwise too."""
    now: dict[str, str] = {}
    changed: dict[str, set[str]] = {}
    for (run_id, item), hashes in hashed.items():
        if item not in now:
            now[item] = text_hash_hex(current[item])
        if hashes != {now[item]}:
            changed.setdefault(run_id, set()).add(item)
    other: set[Pair] = set()
    for run_id, items in changed.items():
        shown = texts_shown(runs_dir / run_id, items)
        other.update((run_id, item) for item in items
                     if item not in shown or not same_reading(shown[item], current[item]))
    return other


def _unreadable(run_dir: Path, exc: RunError) -> str:
    """Why the run in ``run_dir`` cannot be read: pruned (``runs/PRUNED.jsonl`` says when),
    its folder gone, or its manifest's error."""
    from labelwright.runs.pruned import read_pruned

    if run_dir.is_dir():
        return str(exc)
    try:
        pruned = read_pruned(run_dir.parent).get(run_dir.name)
    except RunError:
        pruned = None
    return pruned.describe() if pruned is not None else f"its folder {run_dir} is gone"


def reviewed_on_other_text(decisions: Sequence[ledger.Decision], ids: Sequence[str],
                           texts: Sequence[str | None], runs_dir: Path,
                           data_sha256: str | None = None,
                           data_columns: tuple[str, str] | None = None) -> set[Pair]:
    """(run id, item id) of decisions made on a text the item no longer has
    (:attr:`TextCheck.other` of :func:`check_texts`)."""
    return check_texts(decisions, ids, texts, runs_dir, data_sha256, data_columns).other


def decided_hashes(runs_dir: Path, rows: Sequence[Row],
                   shown: Callable[[str, str], str | None]) -> Callable[[Row], str | None]:
    """``hash_of(row)``: the ledger's ``text_hash`` for the decision a review file's row
    gives, the text its reviewer decided on, hashed (:func:`text_hash_hex`).

    A row that shows a text was checked against ``shown(run_id, item_id)`` (the import's
    :func:`~labelwright.review.imports.shown_text.shown_reader`: the text the run exported for the
    item, else the item's text in the data now), and that is the text decided on. For a
    row without one it is the text the run exported for the item, else the item's text as
    the run hashed it (``labels.parquet``); None when the run tells neither (gone, or
    pruned): the decision is then checked as one imported before the hash. Each run's files
    are read once, for the items the rows without text name."""
    untexted: dict[str, set[str]] = {}
    for row in rows:
        if row.text is None and row.run_id and row.item_id:
            untexted.setdefault(str(row.run_id), set()).add(str(row.item_id))
    exported: dict[str, dict[str, str]] = {}
    labelled: dict[str, dict[str, str]] = {}

    def hash_of(row: Row) -> str | None:
        if not row.run_id or not row.item_id:
            return None
        run_id, item = str(row.run_id), str(row.item_id)
        if row.text is not None:
            text = shown(run_id, item)
            return None if text is None else text_hash_hex(text)
        if run_id not in exported:
            exported[run_id] = texts_shown(Path(runs_dir) / run_id, untexted.get(run_id, set()))
        if item in exported[run_id]:
            return text_hash_hex(exported[run_id][item])
        if run_id not in labelled:
            labelled[run_id] = _run_hashes(Path(runs_dir) / run_id)
        return labelled[run_id].get(item)

    return hash_of


def _run_hashes(run_dir: Path) -> dict[str, str]:
    """``{id: text hash}`` of a run's ``labels.parquet`` ({} for a run that is gone, has
    labels edited since, or recorded no hashes)."""
    try:
        labels = run_labels(run_dir, read_manifest(run_dir), ["id", TEXT_HASH])
    except (LabelwrightError, OSError):
        return {}
    if TEXT_HASH not in labels.columns:
        return {}
    return {str(i): run_hash_hex(h) for i, h in zip(labels["id"], labels[TEXT_HASH])}
