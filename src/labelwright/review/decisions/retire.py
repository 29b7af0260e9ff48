"""``labelwright review retire``: withdraw review decisions without touching them.

A team that deletes items from its data (spam, personal data removed on request), or finds
a rater's decisions wrong (the guidelines misread), retires those decisions: each gets a
record in the ledger's ``retirements`` table (:mod:`~labelwright.review.decisions.retirements`) with
who, when and why, and runs, ``review stats``, ``train``, agreement and ``auto`` no longer
read it. ``undo=True`` appends an un-retire record for decisions retired before.

Decisions are chosen by item (``items``, ``items_file``, and ``missing``: every item with
decisions in use that the project's data no longer holds, the items a run warns about),
optionally narrowed to one ``rater`` (as ``review stats`` lists raters: a name ``[review]
same_rater`` ties to another counts as it; or one such name, for the decisions filed under
it alone), or all of a rater's. ``missing`` leaves out an
id the data holds written as a float, or the reverse (the run's warning takes it for an id
exported another way, not a deleted item). Every id and rater named must match a decision
that can be retired (or, with ``undo``, un-retired): one that matches none is an error
naming it, with the closest the ledger holds, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from labelwright.config import ProjectConfig
from labelwright.counts import some_of
from labelwright.errors import ReviewError
from labelwright.review.decisions import ledger
from labelwright.review.decisions.rater_ids import known_pairs, paired
from labelwright.review.decisions.raters import rater_names
from labelwright.review.decisions.retirements import (
    RETIRE,
    UNDO,
    Retirement,
    RetirementsChanged,
    append_retirements,
    read_retirements,
    retired,
)
from labelwright.spelling import did_you_mean

#: tries to write when other commands append to the ledger while decisions are chosen
RETRIES = 5


@dataclass
class RetireReport:
    """What :func:`retire_decisions` chose, and whether it wrote it."""

    action: str  # "retire" or "undo"
    #: the records chosen (written unless ``dry_run``), one per decision
    records: list[Retirement] = field(default_factory=list)
    #: the decisions they are about, aligned to ``records``
    decisions: list[ledger.Decision] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    #: ``(id, data's id)`` of the items ``missing`` left out: the data holds each written
    #: as a float (``'1'`` as ``'1.0'``) or the reverse, so it is an id exported another
    #: way, not a deleted item (``--item ID`` retires it all the same)
    float_spelt: list[tuple[str, str]] = field(default_factory=list)
    #: for an undo, the retirement each record reverses (aligned to ``records``): what
    #: was undone, said by ``review retire --undo``; empty for a retirement
    undone: list[Retirement] = field(default_factory=list)

    @property
    def items(self) -> list[str]:
        return sorted({r.item_id for r in self.records})


def nothing_done(action: str) -> str:
    """``nothing retired`` (``nothing un-retired`` for an undo): how an error that wrote
    nothing ends."""
    return "nothing un-retired" if action == UNDO else "nothing retired"


def read_items_file(path: str | Path) -> list[str]:
    """The item ids of a file of one id per line (blank lines passed over)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read the items file ({exc.strerror or exc})"
                          ) from None
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
                          "save it as UTF-8, one item id per line") from None
    ids = [line.rstrip("\r") for line in text.split("\n") if line.strip()]
    if not ids:
        raise ReviewError(f"{path}: holds no item id (one id per line)")
    return ids


def held_ids(config: ProjectConfig, data: str | Path | None = None) -> set[str]:
    """The item ids of the project's data (or of the file ``data``)."""
    from labelwright.config.data_override import with_data_path
    from labelwright.project.apply import project_dataset

    return set(project_dataset(with_data_path(config, data) if data is not None
                               else config).ids)


def missing_items(decisions: Sequence[ledger.Decision], held: set[str]
                  ) -> tuple[set[str], list[tuple[str, str]]]:
    """The items of ``decisions`` that the data, whose ids are ``held``, does not hold: with
    the decisions in use, those a run warns are not in the data any more. Apart:
    ``(id, data's id)`` for each the data holds written as a float, ``'1'`` as ``'1.0'``, or
    the reverse (:func:`~labelwright.data.ids.float_spelt`), which the run's warning takes
    for ids exported another way, not for deleted items; they are not in the set."""
    from labelwright.data.ids import float_spelt

    gone = {d.item_id for d in decisions} - held
    spelt = float_spelt(sorted(gone), held)
    return gone - {item for item, _ in spelt}, spelt


def _unknown(names: Iterable[str], known: set[str], what: str) -> str | None:
    """An error line for the ``names`` not in ``known``, each with its closest one."""
    bad = [name for name in dict.fromkeys(names) if name not in known]
    if not bad:
        return None
    def named(name: str) -> str:
        guess = did_you_mean(name, known).strip()
        return f"{name!r} ({guess})" if guess else repr(name)
    return (f"{len(bad)} {what} match no decision in the review ledger: "
            + some_of([named(name) for name in bad[:10]], 10, total=len(bad), clauses=True))


def _choose(decisions: Sequence[ledger.Decision], state: Mapping[int, Retirement], *,
            action: str, items: Sequence[str], rater: str | None, missing: set[str] | None,
            names: Mapping[str, str]) -> list[int]:
    """The positions of the decisions the selection names that ``action`` applies to
    (in effect for a retirement, retired for an undo); raises for a name that matches none.
    ``rater`` is a rater as ``review stats`` lists them, choosing the decisions of every
    name that counts as it (``names`` maps a decision's rater to the rater it counts as,
    :func:`~labelwright.review.decisions.raters.rater_names`), or a name that counts as
    another (``label-studio:bob@team.org`` for ``bob``), choosing the decisions filed
    under that name alone: where a rater's two names disagree on an item, the one that
    is wrong is retired, not both; ``state``: the retired decisions by position
    (:func:`~labelwright.review.decisions.retirements.retired`)."""
    one = names.get(rater) if rater is not None else None  # a name of a rater: its own
    filed = one is not None
    counts_as = ([d.rater for d in decisions] if filed
                 else [names.get(d.rater, d.rater) for d in decisions])
    nothing = nothing_done(action)
    if one is not None and rater not in counts_as:
        raise ReviewError(f"rater {rater!r} counts as {one!r} ([review] same_rater, "
                          "or a Label Studio export that paired the id with an email), and "
                          f"no decision is filed under {rater!r}: --rater {one!r} "
                          "chooses the decisions of every name that counts as that rater; "
                          f"{nothing}")
    problems = [p for p in (_unknown(items, {d.item_id for d in decisions}, "item id(s)"),
                            _unknown([rater] if rater else [], set(counts_as), "rater(s)"))
                if p]
    if problems:
        raise ReviewError("; ".join(problems) + f"; {nothing}")
    wanted = set(items) | (missing or set())
    every_item = not wanted and missing is None  # --rater alone: all of the rater's
    chosen = [k for k, d in enumerate(decisions)
              if (every_item or d.item_id in wanted)
              and (rater is None or counts_as[k] == rater)]
    applies = [k for k in chosen if (k in state) == (action == UNDO)]
    verb = "un-retire" if action == UNDO else "retire"
    covered = {decisions[k].item_id for k in applies}
    left = [i for i in dict.fromkeys(items) if i not in covered]
    if left:
        by = f" by {rater}" if rater else ""
        decided = {decisions[k].item_id for k in chosen}
        lines = []
        if undecided := [i for i in left if i not in decided]:
            lines.append(f"{len(undecided)} item(s) have no decision{by}: "
                         f"{some_of([repr(i) for i in undecided])}")
        if done := [i for i in left if i in decided]:
            lines.append(f"{len(done)} item(s) have no decision{by} to {verb} ("
                         + ("none is retired" if action == UNDO else
                            "each is retired already")
                         + f"): {some_of([repr(i) for i in done])}")
        raise ReviewError("; ".join(lines) + f"; {nothing}")
    if rater and not items and missing is None and not applies:
        raise ReviewError(f"rater {rater!r} has no decision to {verb}"
                          + (" (none of theirs is retired)" if action == UNDO else
                             " (each is retired already)") + f"; {nothing}")
    return applies


def retire_decisions(project: str | Path = ".", *, reviewer: str, reason: str,
                     items: Sequence[str] = (), items_file: str | Path | None = None,
                     missing: bool = False, rater: str | None = None, undo: bool = False,
                     dry_run: bool = False, data: str | Path | None = None) -> RetireReport:
    """Retire (``undo``: un-retire) the decisions of the project at ``project`` that the
    selection names, as ``labelwright review retire`` does; ``dry_run`` writes nothing.
    ``items``/``items_file``/``missing`` choose items (together: all of them), ``rater``
    all of a rater's decisions or, with items, the rater's on those; ``data`` is the file
    ``missing`` reads in place of ``[data] path``. Raises
    :class:`~labelwright.errors.ReviewError` for a selection that names what the ledger
    does not hold, or none at all."""
    from labelwright.config import load_config

    if not reviewer.strip():
        raise ReviewError("a reviewer name is required (--reviewer), not an empty one")
    if not reason.strip():
        raise ReviewError("a reason is required (--reason): the ledger keeps why")
    action = UNDO if undo else RETIRE
    ids = [*items, *(read_items_file(items_file) if items_file is not None else [])]
    if not ids and not missing and rater is None:
        raise ReviewError("name the decisions: --item ID, --items-file PATH, --missing or "
                          f"--rater NAME; {nothing_done(action)}")
    config = load_config(project)
    root = config.root
    path = ledger.ledger_path(root)
    selection = " ".join([*(f"--item {i}" for i in items),
                          *([f"--items-file {items_file}"] if items_file is not None else []),
                          *(["--missing"] if missing else []),
                          *([f"--rater {rater}"] if rater else [])])
    held = held_ids(config, data) if missing else set()  # once: a retry re-reads the ledger
    for _ in range(RETRIES):
        decisions = ledger.read_decisions(path)
        if not decisions:
            raise ReviewError(f"{path}: the review ledger holds no decisions; nothing to "
                              + ("un-retire" if undo else "retire"))
        records = read_retirements(path)
        gone: set[str] | None = None
        spelt: list[tuple[str, str]] = []
        state = retired(records)
        if missing:
            # retiring: the items whose decisions runs read; undoing: those of retired ones
            pool = [d for k, d in enumerate(decisions) if (k in state) == undo]
            gone, spelt = missing_items(pool, held)
            if undo:  # bring back every retired one: an id written another way too
                gone |= {item for item, _ in spelt}
                spelt = []
        names = rater_names(dict(config.review.same_rater), paired(known_pairs(path)))
        chosen = _choose(decisions, state, action=action, items=ids, rater=rater,
                         missing=gone, names=names)
        at = datetime.now(UTC).isoformat(timespec="seconds")
        report = RetireReport(action, [
            Retirement(action, -1, decisions[k].item_id, decisions[k].rater, reviewer, at,
                       reason, selection, position=k) for k in chosen],
            [decisions[k] for k in chosen], dry_run=dry_run,
            float_spelt=[(item, held) for item, held in spelt if item not in ids],
            undone=[state[k] for k in chosen] if undo else [])
        if dry_run or not chosen:
            return report
        try:
            append_retirements(path, report.records, decisions=len(decisions),
                               records_read=len(records))
        except RetirementsChanged:
            continue
        report.written = True
        return report
    raise ReviewError(f"{path}: the review ledger kept changing while the decisions were "
                      f"chosen ({RETRIES} tries); {nothing_done(action)}: run the command "
                      "again")
