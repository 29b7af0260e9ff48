"""What kind of warning a run's warning is: one stable word for each, which ``run --json``
and ``check --json`` give beside the text (``warning_messages``) and the manifest records
(``run_warning_kinds``), so a nightly job can tell rows lost from an LF gone bad without
matching the wording, which changes.

A warning stays its text (a ``str``: the manifest's ``run_warnings``, ``result.warnings``
and the report hold the text as before); the text knows its kind
(:func:`warning_kind`). The kinds are :data:`KINDS`; a text made elsewhere is ``other``.
"""

from __future__ import annotations

from collections.abc import Iterable

#: every kind, and what its warnings are about (the README's table lists the same)
KINDS: dict[str, str] = {
    "data": "the data as read: rows skipped or mended, values that cannot be read as given",
    "lf_mostly_failing": "an LF raised on most items, or on most of those this run computed",
    "lf_never_voted": "an LF voted on no item",
    "lf_code": "LF code: constants that name one label and hold another's index, label "
               "indices whose labels moved since the latest run, LF modules outside the LF "
               "folder or not in it (session LFs and glossaries), LFs that are copies or "
               "nested in another (in `run`, and in `check` on the items it tries), LFs "
               "that compare a text column with a number or never return a value",
    "lf_raised": "an LF raised on some of the items `check` tried, not most (those are "
                 "`lf_mostly_failing`)",
    "lf_votes_vary": "an LF voted otherwise when `check` applied it again to the items it "
                     "tried, in another order: its votes depend on the items it saw before",
    "lf_not_tried": "LFs `check` did not apply to the items it tried: they read `item.doc` "
                    "or glossary matches, which did not load",
    "glossary": "glossaries: phrases written as patterns, phrases two glossaries of one "
                "label list; and of `check`: lemma-mode glossaries under a pipeline without "
                "lemmas, lemma-mode phrases the pipeline reads as other words or in no "
                "other form, forms and words that read otherwise without their accents, "
                "exclusions that cannot cancel a match, windows of Chinese characters, "
                "patterns with marks capped",
    "pipeline": "the spaCy pipeline: LFs reading lemmas, tags, the parse, sentences or "
                "entities it does not fill, lemmas read where `[nlp] lang`'s default "
                "pipeline has none",
    "labels": "the labels: two that differ only in accents, labels no LF votes for or the "
              "model all but never gives",
    "label_model": "the label model: a model reused from another run, EM not converged, LFs "
                   "it gives no weight, LFs it misreads or reads below chance, an uneven "
                   "class balance it learned",
    "reviews": "reviews: decisions on items not in the data, reviews and gold that clash, "
               "copies that carry a review, a label resting on one rater's word",
    "settings": "settings the data or the machine cannot serve: fields to show that the data "
                "lacks, an [apply] setting the command line overrides; and of `check`: "
                "more workers than cores, a scheduler without workers, an audit size below "
                "the labels, [nlp] keys a named pipeline "
                "does not use",
    "cache": "votes not cached",
    "random_sample": "a random sample asked for, but none drawn",
    "run_failed": "the run failed (an LF raised on every item, or on any with --strict): in "
                  "`result.warnings` and `run_warnings`; `run` says it as its `error:` line, "
                  "not among `warning_messages`",
    "items_gone": "items of the previous run gone from the data (not erased)",
    "items_other_data": "items of the previous run not in the data this run read, another "
                        "file or folder than that run's (a weekly `--data` of each week's "
                        "file): not data that shrank",
    "accuracy_drop": "accuracy on held-out gold fell since the previous run",
    "not_compared": "the previous run could not be compared with this one",
    "other": "any other warning",
}


class KindedWarning(str):
    """A warning's text that knows its kind (one of :data:`KINDS`)."""

    kind: str

    def __new__(cls, text: str, kind: str) -> KindedWarning:
        if kind not in KINDS:
            raise ValueError(f"unknown warning kind {kind!r}; kinds: {', '.join(KINDS)}")
        made = super().__new__(cls, text)
        made.kind = kind
        return made

    def __getnewargs__(self) -> tuple[str, str]:  # type: ignore[override]
        return str(self), self.kind


def kinded(kind: str, warnings: Iterable[str | None]) -> list[str]:
    """``warnings`` (None among them: no warning) as texts of ``kind``."""
    return [KindedWarning(text, kind) for text in warnings if text]


def kinded_as(kind: str, warnings: Iterable[str]) -> list[str]:
    """``warnings`` as texts of ``kind``, but for those that know their kind already, which
    keep it: the data reader's warnings (``data``) beside those the apply step adds to them
    (an LF comparing a text column with a number: ``lf_code``, as ``check`` says it)."""
    return [text if hasattr(text, "kind") else KindedWarning(text, kind)
            for text in warnings if text]


def same_kind(text: str, like: str) -> str:
    """``text`` with the kind of ``like`` (a warning it was made from: a warning said once
    for many parts of a dataset), as it is when ``like`` knows none."""
    kind = getattr(like, "kind", None)
    return text if kind is None else KindedWarning(text, kind)


def warning_kind(text: str) -> str:
    """The kind of warning ``text`` is (``other`` for a text that does not say)."""
    return getattr(text, "kind", "other")


def warning_record(text: str) -> dict[str, str]:
    """``{"kind": ..., "message": ...}``: one warning as ``run --json`` gives it."""
    return {"kind": warning_kind(text), "message": str(text)}
