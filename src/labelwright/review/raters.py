"""Rater names that differ only in how they were typed.

The ledger tells raters apart by their exact names: ``Lead`` and ``lead`` are two raters,
and only the one written in ``[review] adjudicators`` settles items. A name typed with
another case, Unicode form or spacing than a rater already has is almost always that
rater, and filed as a second one it changes ties, adjudication and every kappa. So an
import refuses such a name (:func:`lookalikes`), and runs and ``review stats`` warn where
``[review] adjudicators`` and the ledger's raters differ that way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from pathlib import Path

from labelwright.counts import counted, some_of
from labelwright.errors import both_spellings
from labelwright.review import ledger


def name_key(name: str) -> str:
    """What two spellings of one rater's name share: compatibility-normalised (NFKC), case
    folded, and with every run of spaces one space, none at either end."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def lookalikes(names: Iterable[str], known: Collection[str]) -> dict[str, list[str]]:
    """``{name: [names it may be]}`` for each of ``names`` that is not one of ``known`` but
    shares its :func:`name_key` with one of them, or with another of ``names`` that is not
    known either (one file spelling a new rater two ways)."""
    names = sorted(set(names) - set(known))
    by_key: dict[str, list[str]] = {}
    for name in sorted(known):
        by_key.setdefault(name_key(name), []).append(name)
    out = {}
    for name in names:
        others = by_key.get(name_key(name), []) + [
            other for other in names if other != name and name_key(other) == name_key(name)]
        if others:
            out[name] = others
    return out


def lookalike_raters(decisions: list[ledger.Decision], before: list[ledger.Decision], *,
                      path: Path, adjudicators: Collection[str], fmt: str) -> str | None:
    """Why the file's raters cannot be imported when one of them is spelt like a rater the
    ledger or ``[review] adjudicators`` has, or like another rater of the file, but for
    case, Unicode form or spacing (:func:`lookalikes`); None when none is; an import
    refuses it."""
    in_ledger = {d.rater for d in before}
    found = lookalikes({d.rater for d in decisions}, in_ledger | set(adjudicators))
    if not found:
        return None

    def who(name: str) -> str:
        if name in adjudicators:
            return (f"the adjudicator {name!r} ([review] adjudicators; "
                    + ("with decisions in the ledger)" if name in in_ledger else
                       "no decision yet)"))
        return (f"the ledger's rater {name!r}" if name in in_ledger
                else f"{name!r}, also in this file")

    column = "reviewer column" if fmt in ("csv", "jsonl") else "annotator the file names"
    lines = []
    for name, others in found.items():
        rows = [d for d in decisions if d.rater == name]
        if rows[0].annotator == name:  # the file names the rater
            source = f"the {column} at {some_of([d.source_row for d in rows])}"
            fix = f"write {others[0]!r} there"
        else:
            source = "the name the file is imported under"
            fix = "pass " + both_spellings(f"--reviewer {others[0]!r}", f"reviewer={others[0]!r}")
        lines.append(f"{name!r} ({source}) is spelt like {' and '.join(map(who, others))} but "
                     f"for case or spacing: if it is that person, {fix}")
    return (f"{path}: {counted(len(lines), 'rater name')} "
            f"{'differs' if len(lines) == 1 else 'differ'} from another only in case or "
            "spacing; nothing imported. Raters are told apart by their exact names: it would "
            "be a new rater (and not an adjudicator), changing ties, adjudication and the "
            "kappas:\n  " + "\n  ".join(lines)
            + "\n  (someone else needs a name that differs in more than case and spacing)")
