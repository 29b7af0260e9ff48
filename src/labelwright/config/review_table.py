"""The check of ``[review]``, the table that says how reviewers' decisions count: the
policy that combines several reviewers' labels of one item, the adjudicators, rater names
that are one person (``same_rater``), what a review of one copy of a text does to the other
copies, and how much of the queue a run writes (``queue_limit``). Kept apart from the other
tables' checks (:mod:`~labelwright.config.tables`, which runs this one in its place in the
order): its settings are about people and files, not the pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from labelwright.config.schema import COPIES_SETTINGS, REVIEW_POLICIES, ReviewConfig
from labelwright.config.settings import check_choice, check_keys, typed
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import SettingError
from labelwright.spelling import did_you_mean


def review_table(review: dict[str, Any], labels: Sequence[str] | None = None) -> ReviewConfig:
    """``[review]``: how the decisions of several reviewers of one item are combined.
    ``labels``: the project's, which ``definitions`` is checked against (None: they could
    not be read, and their own error says why)."""
    check_keys(review, {"policy", "adjudicators", "same_rater", "copies", "queue_limit",
                        "show_fields", "definitions"}, ("review",))
    copies = review.get("copies", "one")
    check_choice(copies, COPIES_SETTINGS, ("review", "copies"))
    policy = review.get("policy", "majority")
    check_choice(policy, REVIEW_POLICIES, ("review", "policy"))
    adjudicators = typed(review.get("adjudicators", []), list, ("review", "adjudicators"))
    if not all(isinstance(name, str) and name.strip() for name in adjudicators):
        raise SettingError(f"[review] adjudicators must be a list of rater names (as "
                           f"`review stats` lists them), got {adjudicators!r}",
                           ("review", "adjudicators"))
    return ReviewConfig(policy=policy, adjudicators=tuple(name.strip() for name in adjudicators),
                        same_rater=same_rater(review.get("same_rater", {})), copies=copies,
                        queue_limit=queue_limit(review.get("queue_limit")),
                        show_fields=show_fields(review.get("show_fields", [])),
                        definitions=definitions(review.get("definitions", {}), labels))


def definitions(table: Any, labels: Sequence[str] | None) -> tuple[tuple[str, str], ...]:
    """``[review] definitions = { spam = "Prize lures ..." }``: what a label means, as the
    team decided it, shown to reviewers in the tools' label choices. Each key a project
    label, each value a text (its runs of spaces and line breaks read as one space); in
    the labels' order."""
    key: KeyPath = ("review", "definitions")
    example = '[review] definitions = { spam = "Prize lures and premium-rate callbacks" }'
    if not isinstance(table, dict):
        raise SettingError(f"[review] definitions must be a table of labels, each with what "
                           f"it means for reviewers ({example}), got {table!r}", key)
    for label, text in table.items():
        if labels is not None and label not in labels:
            raise SettingError(f"[review] definitions: {label!r} is not a project label; "
                               f"{did_you_mean(label, labels)}labels: {', '.join(labels)}",
                               (*key, label))
        if not isinstance(text, str) or not text.strip():
            raise SettingError(f"[review] definitions: {label} = {text!r}; each label takes "
                               f"a text saying what it means ({example})", (*key, label))
    order = list(labels) if labels is not None else sorted(table)
    return tuple((label, " ".join(table[label].split())) for label in order if label in table)


def show_fields(value: Any) -> tuple[str, ...]:
    """``[review] show_fields = ["subject", "channel"]``: the item's fields review exports
    show beside its text, each once (checked against the run's items on export, which
    knows them)."""
    key: KeyPath = ("review", "show_fields")
    names = typed(value, list, key)
    if not all(isinstance(name, str) and name.strip() for name in names):
        raise SettingError(f"[review] show_fields must be a list of column names of the data "
                           f"(e.g. [\"subject\", \"channel\"]), got {value!r}", key)
    twice = next((name for k, name in enumerate(names) if name in names[:k]), None)
    if twice is not None:
        raise SettingError(f"[review] show_fields names {twice!r} twice: name it once", key)
    return tuple(names)


def queue_limit(value: Any) -> int | None:
    """``[review] queue_limit``: how many of the queue's first items a run writes to its
    review files (a count >= 0; left out: all of them)."""
    if value is None:
        return None
    key: KeyPath = ("review", "queue_limit")
    if typed(value, int, key) < 0:
        raise SettingError(f"[review] queue_limit must be a count of items >= 0 (0 writes "
                           f"only the audit sample), got {value}; leave it out to write "
                           "every queued item", key)
    return int(value)


def same_rater(table: Any) -> tuple[tuple[str, str], ...]:
    """``[review] same_rater = { "label-studio:2" = "bob" }``: rater names (as ``review
    stats`` lists them) that are one person, each with the name they count as. A name may
    count as itself (``"label-studio:2" = "label-studio:2"``: a Label Studio id kept apart
    from the email an export paired it with); a name counted as another that is itself
    counted as a third is an error that gives the name to write."""
    key: KeyPath = ("review", "same_rater")
    example = '[review] same_rater = { "label-studio:2" = "bob" }'
    if not isinstance(table, dict):
        raise SettingError(f"[review] same_rater must be a table of rater names, each with the "
                           f"name it counts as ({example}), got {table!r}", key)
    names = {}
    for name, one in table.items():
        if not isinstance(one, str) or not one.strip() or not name.strip():
            raise SettingError(f"[review] same_rater: {name!r} = {one!r}; each rater name "
                               f"(as `review stats` lists them) takes the name of the rater "
                               f"it is, a string ({example})", (*key, name))
        names[name.strip()] = one.strip()
    for name, one in names.items():
        if names.get(one, one) != one:
            raise SettingError(f"[review] same_rater: {name!r} = {one!r}, and {one!r} = "
                               f"{names[one]!r}: write {name!r} = {names[one]!r} (a name "
                               "counts as one rater, named once)", (*key, name))
    return tuple(sorted(names.items()))
