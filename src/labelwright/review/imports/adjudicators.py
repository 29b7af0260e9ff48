"""Decisions filed under an adjudicator by someone else.

A decision of one of ``[review] adjudicators`` settles its item outright, whatever the
raters chose. The ledger files a decision under the rater its file names (the tool's
annotator, a review CSV's ``reviewer`` column), and anyone can type ``lead`` in a column:
imported with ``--reviewer chloe``, chloe's file decided items as the adjudicator, and
only the ledger's importer column said who put them there. So an import whose decisions
name an adjudicator the importer is not (nor counts as, by ``[review] same_rater``) is
refused unless ``--for-adjudicator`` says it is meant (a coordinator importing the
adjudicator's own export); an import that goes through says so, ``explain`` names the
importer in the settlement, and ``review stats`` counts the items such decisions settle.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

from labelwright.counts import counted, some_of
from labelwright.errors import both_spellings
from labelwright.review.decisions import ledger

FLAG = both_spellings("--for-adjudicator", "for_adjudicator=True")


def counts_as(name: str, names: Mapping[str, str]) -> str:
    """The rater ``name`` counts as (``names``: :func:`~labelwright.review.decisions.raters.
    rater_names`, or a run's recorded ``same_rater``)."""
    return names.get(name, name)


def filed_for_adjudicators(decisions: Iterable[ledger.Decision], reviewer: str,
                           adjudicators: Collection[str], names: Mapping[str, str]
                           ) -> Counter[str]:
    """Per adjudicator, how many of ``decisions`` name them as their rater while the one
    importing them (``reviewer``) is not them and does not count as them, or is nobody
    (:data:`~labelwright.review.decisions.ledger.NO_IMPORTER`: no ``--reviewer``)."""
    judges = {counts_as(name, names) for name in adjudicators}
    out: Counter[str] = Counter()
    for d in decisions:
        one = counts_as(d.rater, names)
        if one in judges and (reviewer == ledger.NO_IMPORTER
                              or ledger.imported_for_another(reviewer, one, names)):
            out[one] += 1
    return out


def _listed(filed: Mapping[str, int]) -> str:
    return ", ".join(f"{counted(n, 'decision')} as {name!r}" for name, n in filed.items())


def refusal(path: Path, reviewer: str, filed: Mapping[str, int]) -> str:
    """Why the import of ``path`` by ``reviewer`` is refused without :data:`FLAG` (and,
    without ``--reviewer``, with it too: someone must answer for the file)."""
    if reviewer == ledger.NO_IMPORTER:
        return (f"{path}: files {_listed(filed)}, an adjudicator's decision ([review] "
                "adjudicators: each settles its item outright), imported without --reviewer, "
                "so the ledger would record nobody as having filed it; nothing imported. The "
                f"adjudicator imports their own decisions (--reviewer {next(iter(filed))}); "
                "someone importing them on the adjudicator's behalf passes "
                "--reviewer NAME --for-adjudicator (reviewer='NAME', for_adjudicator=True "
                "from Python)")
    return (f"{path}: files {_listed(filed)}, an adjudicator's decision ([review] "
            f"adjudicators: each settles its item outright), imported by {reviewer!r}, who is "
            "not that adjudicator; nothing imported. The adjudicator imports their own "
            f"decisions (--reviewer {next(iter(filed))}); if {reviewer!r} imports them on "
            f"the adjudicator's behalf, pass {FLAG} (the ledger records {reviewer!r} as who "
            "imported them, and explain and review stats say so)")


def import_warning(path: Path, reviewer: str, filed: Mapping[str, int]) -> str:
    """What an import that went through with :data:`FLAG` says."""
    return (f"{path}: {_listed(filed)} ([review] adjudicators) imported by {reviewer!r}, "
            "who is not that adjudicator (--for-adjudicator): each settles its item "
            "outright; the ledger records "
            f"{reviewer!r} as who imported them, `labelwright explain ID` names {reviewer!r} "
            "in the settlement and `labelwright review stats` counts the items")


def settled_by_others(latest: Mapping[str, Mapping[str, ledger.Decision]],
                      settled: Collection[str], adjudicators: Collection[str],
                      names: Mapping[str, str]) -> list[tuple[str, str, str]]:
    """(item id, adjudicator, importer) of each item of ``settled`` (those with a reviewed
    label) whose adjudicator's decision in use (``latest``: each rater's latest decision
    per item, raters read through ``names``) was imported by someone who is not them (one
    imported without ``--reviewer`` was imported by nobody for another)."""
    judges = set(adjudicators)
    out = []
    for item_id in sorted(settled):
        for rater, d in sorted((latest.get(item_id) or {}).items()):
            if rater in judges and ledger.imported_for_another(d.reviewer, rater, names):
                out.append((item_id, rater, d.reviewer))
    return out


def stats_warning(found: list[tuple[str, str, str]]) -> str:
    """What ``review stats`` says of the items :func:`settled_by_others` found."""
    by = Counter((judge, importer) for _, judge, importer in found)
    who = ", ".join(f"{importer} for {judge}: {n}" for (judge, importer), n in by.items())
    return (f"{counted(len(found), 'item')} settled by an adjudicator's decision that "
            f"another person imported ({who}): "
            f"{some_of([repr(item) for item, _, _ in found])}; an adjudicator's decision "
            "settles its item outright, so check them (`labelwright explain ID`; `labelwright "
            "review decisions` lists every decision with who imported it)")
