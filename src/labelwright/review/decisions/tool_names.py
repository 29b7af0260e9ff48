"""Raters whose names, each as one tool writes it, hold one person's name: `alice` from a
CSV, `label-studio:alice@team.org` from Label Studio, `reviews-alice` from a Prodigy session
on the dataset `reviews`. The ledger counts each name as a rater of its own unless
``[review] same_rater`` says otherwise, so one person who reviewed in two tools was two
raters, agreeing with themselves, and ``review stats`` gave no hint of it."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from labelwright.review.decisions.raters import name_key

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


def one_person_said(groups: list[tuple[str, list[str]]]) -> str | None:
    """The line under ``review stats``' raters naming :func:`one_person_names`; None without."""
    if not groups:
        return None
    named = "; ".join(" and ".join(repr(n) for n in names) + f" (both {person!r})"
                      if len(names) == 2 else
                      ", ".join(repr(n) for n in names) + f" (all {person!r})"
                      for person, names in groups)
    first = groups[0][1]
    entry = ", ".join(f'"{n}" = "{first[0]}"' for n in first[1:])
    return (f"raters whose names may be one person's, from different tools: {named}; "
            "counted as raters apart, their agreement with each other counts as two "
            "people's and their split ties an item. If they are one person, name them one "
            f"rater in labelwright.toml: [review] same_rater = {{ {entry} }}")
