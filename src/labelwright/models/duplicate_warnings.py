"""What ``run``, ``analyze`` and ``check`` say of duplicate LFs (found by
:mod:`~labelwright.models.duplicate_lfs`): the groups of exact copies and what the label
model does about them, the near-copies, which every model counts as separate LFs, and
the LFs nested in another (:mod:`~labelwright.models.nested_lfs`), whose evidence every
model counts twice (``check``: on the items it tries)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelwright.counts import counted, some_of
from labelwright.models.auto import AutoLabelModel
from labelwright.models.duplicate_lfs import (
    NEAR_SHARE,
    copy_of,
    exact_groups,
    label_counts,
    near_copies,
)
from labelwright.models.nested_lfs import NESTED_SHARE, Nested, nested_lfs
from labelwright.models.registry import get_model
from labelwright.percent import percent

#: near-copy pairs a warning names; the others are counted
NEAR_SHOWN = 10
#: nested pairs a warning names; the others are counted
NESTED_SHOWN = 10
#: votes a group of LFs needs on ``check``'s few items tried before it is called copies
MIN_TRIED_VOTES = 5


def model_words(model: object) -> tuple[str, bool | None]:
    """A fitted label model as a warning names it (``auto``: with the model it chose) and
    whether it weighs exact copies by :func:`evidence_shares`."""
    fitted = getattr(model, "model_", model)
    name, chosen = str(getattr(model, "name", model)), str(getattr(fitted, "name", fitted))
    words = name if chosen == name else f"{name}, which chose {chosen}"
    return words, getattr(fitted, "copy_of_", None) is not None


def configured_words(name: str) -> tuple[str, bool | None]:
    """:func:`model_words` for a project's label model (``[label_model] name``, a registered
    name) before it is fit, asked of the class the name makes: a model counts copies once
    when it learns ``copy_of_`` (so does a subclass of ``dawid_skene`` registered under a
    name of its own); ``auto`` does when it picks ``dawid_skene`` (always, without reviewed
    labels): None. An alias is named with its model: ``default (dawid_skene)``."""
    model = get_model(name)
    words = name if model.name == name else f"{name} ({model.name})"
    if isinstance(model, AutoLabelModel):
        return words, None
    return words, "copy_of_" in model.learned_fields


def _named(names: Sequence[str]) -> str:
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]


def _what_the_model_does(model: str, once: bool | None) -> str:
    if once:
        return (f"the label model ({model}) counts each group once: each copy's votes weigh "
                "1/(copies in its group)")
    if once is None:
        return (f"the label model ({model}) counts each group once when it picks "
                "dawid_skene (it does without reviewed labels); the other models count each "
                "copy as an LF of its own")
    if model == "majority":
        return (f"the label model ({model}) counts every vote, so a group of n copies "
                "outvotes n - 1 other LFs")
    return (f"the label model ({model}) takes them as independent LFs, so each group's "
            "votes count once per copy")


def duplicate_lf_warnings(votes: np.ndarray, lf_names: Sequence[str], cardinality: int, *,
                          model: str, once: bool | None,
                          first: np.ndarray | None = None) -> list[str]:
    """The warnings of a run or ``analyze`` for duplicate LFs: one naming the groups of
    exact copies and what the label model (``model``, as :func:`model_words` names it;
    ``once``: whether it counts each group once, None: it depends on what ``auto`` picks)
    does about them, one naming the near-copies, one naming the LFs nested in another.
    ``first``: the groups
    (:func:`~labelwright.models.duplicate_lfs.copy_of` of ``votes``), when already found."""
    votes = np.ascontiguousarray(votes)
    first = copy_of(votes) if first is None else first
    said = []
    groups = exact_groups(first)
    if groups:
        voted = np.count_nonzero(votes[:, [g[0] for g in groups]] >= 0, axis=0)
        listed = [f"LFs {_named([lf_names[j] for j in g])} vote the same on every item "
                  f"({int(n):,} item{'' if n == 1 else 's'} voted on)"
                  for g, n in zip(groups, voted)]
        said.append(f"{'; '.join(listed)}: {_what_the_model_does(model, once)}; drop a copy "
                    "unless it is meant to vote otherwise on other data")
    counts = label_counts(votes, cardinality)
    pairs = near_copies(votes, cardinality, first=first, counts=counts)
    if pairs:
        listed = [f"{lf_names[p.a]} and {lf_names[p.b]} ({percent(p.same / p.either)}: "
                  f"{p.same:,} of {p.either:,})" for p in pairs]
        said.append(
            f"{counted(len(pairs), 'pair')} of LFs vote the same on at least "
            f"{percent(NEAR_SHARE, 0)} of the items either votes on (near-copies): "
            f"{some_of(listed, NEAR_SHOWN, clauses=True)}; every label model counts them "
            "as separate LFs, so what they say counts about twice: if one was made from the "
            "other, drop one or make them differ")
    nested = nested_lfs(votes, cardinality, first=first, counts=counts,
                        apart=[(p.a, p.b) for p in pairs])
    if nested:
        said.append(nested_warning(nested, lf_names))
    return said


def nested_warning(nested: Sequence[Nested], lf_names: Sequence[str]) -> str:
    """The warning naming LFs that vote (nearly) only where another votes the same label,
    with the counts, what it does to the label model and what to do."""
    listed = [f"{lf_names[p.inner]} inside {lf_names[p.outer]} ({p.same:,} of its "
              f"{p.votes:,} vote{'' if p.votes == 1 else 's'} on items where "
              f"{lf_names[p.outer]} votes the same label; {lf_names[p.outer]} votes on "
              f"{p.outer_votes:,})" for p in nested]
    first = nested[0]
    inner, outer = lf_names[first.inner], lf_names[first.outer]
    lfs = len({p.inner for p in nested})
    return (f"{counted(lfs, 'LF')} vote{'s' * (lfs == 1)} only where another LF votes "
            f"the same label (at least {percent(NESTED_SHARE, 0)} of "
            f"{'its' if lfs == 1 else 'their'} votes; nested LFs): "
            f"{some_of(listed, NESTED_SHOWN, clauses=True)}; every label model counts "
            "them as separate LFs, so the evidence of those items counts twice and the inner "
            "LF, agreeing with the outer one wherever it votes, is read as nearly always "
            "right: items where they meet another LF's label are labelled over-confidently. "
            f"Merge each pair into one LF, or make the inner one vote where the outer one "
            f"does not (e.g. {inner} only on items {outer} misses)")


def tried_copy_warnings(votes: np.ndarray, lf_names: Sequence[str], tried: str, *,
                        model: str = "auto") -> list[str]:
    """``check``'s warning for LFs that voted the same on every item of its trial
    (``tried``: ``the 50 items spread over the data``), when they voted on at least
    :data:`MIN_TRIED_VOTES` of them: on a few items two rare LFs can agree by chance.
    ``model``: the project's ``[label_model] name``, whose way with copies it says."""
    votes = np.ascontiguousarray(votes)
    groups = exact_groups(copy_of(votes))
    voted = {g[0]: int(np.count_nonzero(votes[:, g[0]] >= 0)) for g in groups}
    listed = [f"LFs {_named([lf_names[j] for j in g])} ({voted[g[0]]} voted on)"
              for g in groups if voted[g[0]] >= MIN_TRIED_VOTES]
    if not listed:
        return []
    return [f"{'; '.join(listed)} vote the same on {tried}: copies? A run compares them on "
            f"every item, and {_what_the_model_does(*configured_words(model))}; drop a copy "
            "unless it is meant to vote otherwise"]


def tried_nested_warnings(votes: np.ndarray, lf_names: Sequence[str], cardinality: int,
                          tried: str) -> list[str]:
    """``check``'s warning for LFs nested in another (:func:`nested_warning`) on the items
    of its trial (``tried``: ``the 50 items spread over the data``), for an inner LF of
    :data:`MIN_TRIED_VOTES` votes or more there (a run asks 20 of the whole data, which few
    LFs reach on 50 items): said as the sample's, since on a few items a rare LF can fall
    inside a broad one by chance. Exact copies are left to :func:`tried_copy_warnings`."""
    nested = nested_lfs(votes, cardinality, min_votes=MIN_TRIED_VOTES)
    if not nested:
        return []
    return [f"on {tried} (a sample: a run checks every item): "
            f"{nested_warning(nested, lf_names)}"]
