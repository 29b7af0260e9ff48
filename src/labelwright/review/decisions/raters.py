"""Rater names that differ only in how they were typed.

The ledger tells raters apart by their exact names: ``Lead`` and ``lead`` are two raters,
and only the one written in ``[review] adjudicators`` settles items. A name typed with
another case, Unicode form or spacing than a rater already has is almost always that
rater, and filed as a second one it changes ties, adjudication and every kappa. So an
import refuses such a name (:func:`lookalikes`), and runs and ``review stats`` warn where
``[review] adjudicators`` and the ledger's raters differ that way.

Names that differ in more are one person when the project says so, ``[review] same_rater
= { "label-studio:2" = "bob" }``, or when a Label Studio export paired a user's id with
their email (:mod:`~labelwright.review.decisions.rater_ids`): :func:`rater_names` gives the
rater each such name counts as, and :func:`as_one_rater` reads the ledger's decisions so, wherever
reviews are read (runs, ``review stats``, the report, ``explain``). The ledger keeps every
name as it was imported.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from labelwright.counts import counted, some_of
from labelwright.errors import both_spellings
from labelwright.review.decisions import ledger
from labelwright.review.decisions.decision_times import latest_decisions


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
                      path: Path, adjudicators: Collection[str], fmt: str,
                      tied: Iterable[tuple[str, str]] = ()) -> str | None:
    """Why the file's raters cannot be imported when one of them is spelt like a rater the
    ledger or ``[review] adjudicators`` has, or like another rater of the file, but for
    case, Unicode form or spacing (:func:`lookalikes`); None when none is; an import
    refuses it. A name ``[review] same_rater`` names (``tied``) is known: the project said
    whom it counts as."""
    in_ledger = {d.rater for d in before}
    named = {name for pair in tied for name in pair}
    found = lookalikes({d.rater for d in decisions}, in_ledger | set(adjudicators) | named)
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


def rater_names(same_rater: Mapping[str, str], paired: Mapping[str, str]) -> dict[str, str]:
    """``{name: the rater it counts as}`` for each name that counts as another:
    ``[review] same_rater`` as written, and each Label Studio id an export paired with an
    email (``label-studio:2`` -> ``label-studio:bob@example.com``), carried on through
    ``same_rater`` (``"label-studio:bob@example.com" = "bob"``). An id's own entry in
    ``same_rater`` wins over its pairing: ``"label-studio:2" = "label-studio:2"`` keeps it
    apart. An id the config names as a person (``"label-studio:2" = "bob"``) carries the
    email it is paired with to that person too, unless the email has an entry of its own or
    ids paired with it name different people: else an expanded export, which files its
    decisions under the email, split bob's decisions between "bob" and the email."""
    out = {}
    for name in {*same_rater, *paired}:
        one = same_rater[name] if name in same_rater else same_rater.get(paired[name],
                                                                            paired[name])
        if one != name:
            out[name] = one
    people: dict[str, set[str]] = {}  # per paired email, the people its ids are named as
    for name, email in paired.items():
        person = same_rater.get(name)
        if person is not None and person not in (name, email):
            people.setdefault(email, set()).add(person)
    for email, ones in people.items():
        if email not in same_rater and len(ones) == 1:
            out[email] = next(iter(ones))
    return out


def unused_names(same_rater: Mapping[str, str], raters: Collection[str],
                 paired: Mapping[str, str]) -> list[str]:
    """The names ``[review] same_rater`` ties that no decision is by: neither a rater of
    ``raters`` (the ledger's, as imported) nor the name an export paired a rater's Label
    Studio id with (``paired``: ``label-studio:2`` -> ``label-studio:ana@example.com``, whose
    entry ``"label-studio:ana@example.com" = "ana"`` ties the decisions of ``label-studio:2``
    though none is filed under the email)."""
    reached = set(raters) | {paired[name] for name in raters if name in paired}
    return sorted(set(same_rater) - reached)


def names_disagree(decisions: Sequence[ledger.Decision], names: Mapping[str, str],
                   counted: Mapping[str, Mapping[str, str]],
                   relabeled: Collection[tuple[str, str, str]] = ()
                   ) -> list[tuple[str, str, str, dict[str, str]]]:
    """``(item, rater, the label that counts, {name: label})`` for each item on which names
    read as one rater (``names``: :func:`rater_names`) gave different labels, each name's
    latest decision (``decisions``: as filed, under each name); ``counted``: the label each
    rater has per item, read as one (``{item: {rater: label}}``). Read as one rater, the
    later decision replaces the other, though no import with ``--relabel`` changed it: a
    3-1 majority becomes a 2-2 tie without a word. An item whose label that counts an
    import gave with ``--relabel`` (``relabeled``: (item, name, file sha256),
    :func:`~labelwright.review.decisions.relabels.relabeled`) is a correction, not listed."""
    if not names:
        return []
    concerned = set(names) | set(names.values())
    found = []
    for item, by_name in latest_decisions([d for d in decisions if d.rater in concerned]
                                          ).items():
        groups: dict[str, dict[str, ledger.Decision]] = {}
        for name, decision in sorted(by_name.items()):
            groups.setdefault(names.get(name, name), {})[name] = decision
        for rater, latest in sorted(groups.items()):
            labels = {name: d.label for name, d in latest.items()}
            kept = counted.get(item, {}).get(rater, "")
            if len(set(labels.values())) > 1 and not any(
                    (item, name, d.source_sha256) in relabeled
                    for name, d in latest.items() if d.label == kept):
                found.append((item, rater, kept, labels))
    return found


def split_warning(split: Sequence[tuple[str, str, str, Mapping[str, str]]]) -> str | None:
    """What runs and ``review stats`` say of :func:`names_disagree` (None when empty)."""
    if not split:
        return None
    shown = [f"{item!r}: {rater} gave "
             + " and ".join(f"{label} as {name!r}" for name, label in labels.items())
             + (f" ({kept} counts, the later)" if kept else "")
             for item, rater, kept, labels in split]
    return (f"{counted(len(split), 'item')} where names read as one rater ([review] "
            "same_rater, or a Label Studio id an export paired with an email) gave different "
            "labels: "
            f"{some_of(shown, 3, clauses=True)}. Read as one, the rater's later decision "
            "replaced the other, though no import is recorded as changing it with "
            "--relabel, which a file doing so under one name needs: check which label they "
            "meant (`labelwright explain ID`) and retire the decision of the name that gave "
            "the other (`labelwright review retire --item ID --rater NAME`, the name as "
            "quoted here, retires that name's decisions alone; the rater's own name, all of "
            "theirs); a correction imported with --relabel settles it too (one imported "
            "before labelwright recorded them is not known as one: retire); if the names are "
            "two people, take the entry out of [review] same_rater")


def as_one_rater(decisions: Sequence[ledger.Decision], names: Mapping[str, str]
                 ) -> list[ledger.Decision]:
    """``decisions`` with the rater of each whose rater is one of ``names``
    (:func:`rater_names`) replaced by the rater it counts as (as its annotator: who
    imported it stays the reviewer)."""
    if not names:
        return list(decisions)
    return [replace(d, annotator=names[d.rater]) if d.rater in names else d
            for d in decisions]


def configured_same_rater(root: str | Path) -> dict[str, str]:
    """``[review] same_rater`` of the project in the folder ``root``; {} when it holds no
    ``labelwright.toml`` (a project configured from Python passes its own)."""
    from labelwright.config import CONFIG_NAME, load_config

    if not (Path(root) / CONFIG_NAME).is_file():
        return {}
    return dict(load_config(root).review.same_rater)


def adjudicator_lookalikes(adjudicators: Sequence[str], raters: Collection[str]
                           ) -> dict[str, list[str]]:
    """``{adjudicator: [ledger raters spelt like it but for case or spacing]}``: a rater who
    is the adjudicator under another spelling counts as an ordinary rater, as does an
    adjudicator misspelt in the config."""
    out: dict[str, list[str]] = {}
    for rater, names in lookalikes(raters, adjudicators).items():
        for name in names:
            if name in adjudicators:
                out.setdefault(name, []).append(rater)
    return out


def rater_warnings(adjudicators: Sequence[str], raters: Collection[str], *,
                   unused: Sequence[str] = (), as_read: bool = False,
                   split: Sequence[tuple[str, str, str, Mapping[str, str]]] = ()) -> list[str]:
    """What runs and ``review stats`` say of rater names that match no rater of the ledger
    (``raters``, as they are read): an adjudicator with no decision, one spelt like a rater
    but for case or spacing, and a name ``[review] same_rater`` ties that no decision
    has (``unused``), and the items on which names read as one rater disagree
    (``split``: :func:`names_disagree`). ``as_read``: ``raters`` are those of the decisions
    a run read (``review stats --as-read``), not the whole ledger's."""
    out = []
    among = "among the decisions the run read" if as_read else "in the ledger"
    spelt = adjudicator_lookalikes(adjudicators, raters)
    idle = [name for name in adjudicators if name not in raters and name not in spelt]
    if idle and raters:
        out.append(f"[review] adjudicators {', '.join(map(repr, idle))} made no decision "
                   f"{among}; its raters are {', '.join(sorted(raters))}")
    for name, others in spelt.items():
        listed = " and ".join(map(repr, others))
        if name in raters:
            out.append(f"the ledger's rater(s) {listed} are spelt like the adjudicator {name!r} "
                       "([review] adjudicators) but for case or spacing, and names are compared "
                       "exactly, so their decisions count as an ordinary rater's: if they are "
                       "that person, add them to [review] adjudicators (the ledger keeps each "
                       "name as it was imported)")
        else:
            out.append(f"[review] adjudicators names {name!r}, who made no decision in the "
                       f"ledger; the ledger's rater(s) {listed} are spelt the same but for case "
                       "or spacing, and names are compared exactly, so their decisions count "
                       f"as an ordinary rater's: write {others[0]!r} in [review] adjudicators "
                       "if that is the adjudicator")
    if unused and raters:
        out.append(f"[review] same_rater names {', '.join(map(repr, unused))}, but no decision "
                   "in the ledger is by that name, so it ties no one (names are compared "
                   "exactly, as each import names them; `labelwright explain ID` shows an "
                   "item's decisions with their raters)")
    if (said := split_warning(split)) is not None:
        out.append(said)
    return out

