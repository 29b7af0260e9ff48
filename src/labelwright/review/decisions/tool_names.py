"""Raters whose names, each as one tool writes it, hold one person's name: `alice` from a
CSV, `label-studio:alice@team.org` from Label Studio, `reviews-alice` from a Prodigy session
on the dataset `reviews`. The ledger counts each name as a rater of its own unless
``[review] same_rater`` says otherwise, so one person who reviewed in two tools was two
raters, agreeing with themselves, and ``review stats`` gave no hint of it.

The hint says what is known of each name, the files its decisions were imported from and
whether the file named the rater or ``--reviewer`` did (:func:`rater_sources`): `alice`
and `label-studio:alice@team.org` may both come from Label Studio, `alice` as the importer's
name for annotations that named nobody, so "from different tools" would be a guess."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from labelwright.review.decisions.raters import name_key

if TYPE_CHECKING:
    from labelwright.review.decisions.ledger import Decision

#: the prefixes labelwright's import gives a tool's rater names
TOOL_PREFIXES = ("label-studio:", "argilla:")


def person_part(name: str) -> str:
    """The part of a rater's name that names the person: without a tool's prefix, an
    email's domain, or a Prodigy session's dataset (``reviews-alice``: the part after the
    last ``-``, for a name with no ``:`` or ``@``), as :func:`name_key` folds it."""
    key = name_key(name)
    for prefix in TOOL_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix):].split("@", 1)[0]
    if "@" in key:
        return key.split("@", 1)[0]
    return key.rsplit("-", 1)[-1] if ":" not in key else key


def one_person_names(raters: Iterable[str], *, pseudonyms: Collection[str] = ()
                     ) -> list[tuple[str, list[str]]]:
    """``[(person, [rater names])]``: the raters (as ``review stats`` lists them, names in
    ``same_rater`` already one) whose :func:`person_part` is one, two names or more each,
    by person. ``pseudonyms``, the names ``erase --rater`` gave
    (:func:`~labelwright.review.decisions.rater_erasures.pseudonyms`), are no one's other
    name: ``erased-rater-1`` is not ``rater-1``, and an erased rater is not tied to a name
    the ledger still holds."""
    by_person: dict[str, list[str]] = {}
    for rater in sorted(set(raters) - set(pseudonyms)):
        part = person_part(rater)
        if part:
            by_person.setdefault(part, []).append(rater)
    return [(person, names) for person, names in sorted(by_person.items()) if len(names) > 1]


def rater_sources(decisions: Iterable[Decision]) -> dict[str, list[str]]:
    """Per rater, where their name came from, as the ledger knows it: for each format of
    the files their decisions were imported from, ``named by a label-studio file`` when
    the file named the rater, ``--reviewer of a csv file`` when it named none and the
    importer's ``--reviewer`` was taken."""
    sources: dict[str, set[str]] = {}
    for d in decisions:
        said = f"named by a {d.format} file" if d.annotator else f"--reviewer of a {d.format} file"
        sources.setdefault(d.rater, set()).add(said)
    return {rater: sorted(said) for rater, said in sources.items()}


def one_person_said(groups: list[tuple[str, list[str]]],
                    sources: Mapping[str, list[str]] | None = None) -> str | None:
    """The line under ``review stats``' raters naming :func:`one_person_names`, each name
    with its :func:`rater_sources` when given; None without a group."""
    if not groups:
        return None
    sources = sources or {}

    def shown(name: str) -> str:
        known = sources.get(name)
        return f"{name!r} ({', '.join(known)})" if known else repr(name)

    named = "; ".join(" and ".join(shown(n) for n in names) + f", both {person!r}"
                      if len(names) == 2 else
                      ", ".join(shown(n) for n in names) + f", all {person!r}"
                      for person, names in groups)
    first = groups[0][1]
    entry = ", ".join(f'"{n}" = "{first[0]}"' for n in first[1:])
    return (f"raters whose names may be one person's: {named}; "
            "counted as raters apart, their agreement with each other counts as two "
            "people's and their split ties an item. If they are one person, name them one "
            f"rater in labelwright.toml: [review] same_rater = {{ {entry} }}")
