"""``labelwright check``'s trial: every LF applied to :data:`CHECK_ROWS` items spread evenly
over the data (:func:`trial_rows`), twice, on the project as far as it loaded
(:func:`trial_project`: without the glossaries or LFs that read what is broken). Mistakes
that only show when an LF runs (a label the project does not have, a raise on every item,
votes that change between two passes) are found here and written into the
:class:`~labelwright.project.check.CheckReport`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import spacy
from spacy.language import Language

from labelwright.apply import ApplyResult
from labelwright.config import ProjectConfig
from labelwright.data.dataset import Dataset
from labelwright.errors import LabelwrightError
from labelwright.glossaries.accent_folds import other_words_without_accents
from labelwright.glossaries.capped_patterns import capped_pattern_warnings
from labelwright.glossaries.checks import (
    character_windows,
    exclusion_problems,
    glossary_warnings,
)
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.lemma_shifts import lemma_shifts
from labelwright.glossaries.misread_forms import misread_forms
from labelwright.glossaries.table_forms import terms_without_forms
from labelwright.glossaries.unaccented_checks import forms_without_accents
from labelwright.lfs.code_reads import reads_item_doc, reads_matches
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.empty_fields import empty_field_hint, empty_words
from labelwright.lfs.failure_text import (
    error_line,
    fails_mostly,
    missing_file,
    mostly_failing,
    relative_path_hint,
)
from labelwright.lfs.gold_field import gold_field_hint
from labelwright.lfs.lemma_reads import gives_lemmas
from labelwright.lfs.literal_votes import LiteralVote
from labelwright.lfs.nested_fields import nested_field_rows_hint
from labelwright.lfs.pipeline_reads import silent_lfs
from labelwright.lfs.text_order import named_row, text_order_hint
from labelwright.lfs.trial import BadVotes, changing_votes
from labelwright.models.duplicate_warnings import tried_copy_warnings, tried_nested_warnings
from labelwright.nlp import pipeline_description
from labelwright.nlp.errors import no_lemmas_cause, no_lemmas_note
from labelwright.project.load import Project, check_lemma_claims, project_lfs
from labelwright.warning_kinds import kinded

if TYPE_CHECKING:
    from labelwright.project.check import CheckReport


def lemma_mode_without_lemmas(project: Project) -> list[str]:
    """Lemma-mode glossaries under a pipeline that gives no lemmas match like lowercase."""
    lemma = [g.name for g in project.glossaries if g.mode == "lemma"]
    nlp = project.config.nlp
    if not lemma or gives_lemmas(project.nlp) \
            or no_lemmas_note(nlp.lang, nlp.pipeline, nlp.lemmatizer) is not None:
        return []  # (a language without a lemma table: the note on [nlp] lang says it)
    why, fix = no_lemmas_cause(nlp.lang, nlp.pipeline, nlp.lemmatizer)
    one = len(lemma) == 1
    return [f"{'glossary' if one else 'glossaries'} {', '.join(lemma)} "
            f"{'is' if one else 'are'} in lemma mode, but {why}: "
            f"{'it matches' if one else 'they match'} like lowercase mode; "
            f"{fix} or set mode: lowercase"]


def trial_project(config: ProjectConfig, nlp: Language | None,
                   glossaries: list[Glossary] | None, python_lfs: list[LabelingFunction],
                   report: CheckReport, given: Project | None = None,
                   texts: Sequence[str] | None = None) -> Project | None:
    """The project as far as it loaded, for the trial apply: without the glossaries when
    they, or the pipeline that parses them, are broken (or lemma mode cannot tell their
    phrases apart), and without the LFs that read what is broken (a warning names them).
    A glossary problem hid every LF problem until it was fixed. ``given``: the project
    check_project was given, loaded already: its own LFs (those a session added or left
    out), with ``config`` (its data maybe a DataFrame). ``texts``: the items' texts, when
    the data read: the warnings that name forms say how often each occurs in them."""
    usable = glossaries if glossaries is not None and nlp is not None else []
    if given is not None:
        project = given.replaced(config=config)
    else:
        fingerprint = str(pipeline_description(nlp)["fingerprint"]) if nlp is not None else ""
        made = report.attempt(project_lfs, python_lfs, usable, fingerprint)
        if made is None:
            return None
        # with the pipeline broken nothing is parsed: a stand-in keeps the Project whole
        project = Project(config=config, lfs=made, glossaries=usable,
                          nlp=nlp if nlp is not None else spacy.blank("xx"))
    lfs = list(project.lfs)
    if usable:
        report.attempt(check_lemma_claims, project)
        report.warnings.extend(kinded("glossary", [
            *lemma_mode_without_lemmas(project), *exclusion_problems(usable, project.nlp),
            *character_windows(usable, project.nlp), *lemma_shifts(usable, project.nlp),
            *terms_without_forms(usable, project.nlp),
            *misread_forms(usable, project.nlp, texts),
            *forms_without_accents(usable, project.nlp, texts),
            *other_words_without_accents(usable, project.nlp),
            *capped_pattern_warnings(usable, project.nlp), *glossary_warnings(usable)]))
    no_glossaries = glossaries is None or nlp is None or bool(project.lemma_clashes)
    # by the LF's own code, not its module's: one LF reading matches leaves the rest in
    keep = [lf for lf in lfs if not (nlp is None and reads_item_doc(lf))
            and not (no_glossaries and (lf.kind == "glossary" or reads_matches(lf.code)))]
    left_out = [lf.name for lf in lfs if lf not in keep]
    if left_out:
        broken = " or ".join(what for what, gone in (("item.doc", nlp is None),
                                                     ("glossary matches", no_glossaries))
                             if gone)
        report.warnings += kinded("lf_not_tried", [
            f"LF(s) {', '.join(left_out)} not applied to the items tried: they read {broken}, "
            "which did not load"])
    if not keep:
        return None
    if left_out or project.lemma_clashes:  # (a copy parses the phrases again for clashes)
        return project.replaced(lfs=keep,
                                glossaries=[] if project.lemma_clashes else usable)
    return project


#: rows ``check`` applies every LF to: mistakes that only show when an LF runs (a label
#: not in the project, an unknown glossary name, a raise on every item) show here
CHECK_ROWS = 50
#: how the trial's messages name its items
TRIED = "items spread over the data"


def trial_rows(n_items: int, n: int = CHECK_ROWS) -> np.ndarray:
    """The rows (in order) of the ``n`` items ``check`` tries the LFs on, evenly spaced over
    the ``n_items`` from the first: the first 50 of data sorted by class were one class, and
    an LF's bad return for another label passed check and stopped the run."""
    n = min(n, n_items)
    return np.arange(n, dtype=np.int64) * n_items // n if n else np.zeros(0, np.int64)


def trial_apply(project: Project, dataset: Dataset, report: CheckReport,
                 literals: list[LiteralVote]) -> ApplyResult | None:
    """Apply every LF to the :data:`CHECK_ROWS` items of :func:`trial_rows` (no vote
    cache), twice, the
    second time in reverse order (reading the Docs the first parsed from a temporary Doc
    cache, where the pipeline's ``[apply] doc_cache`` setting would keep them): an LF that
    returns a label the project does not have is a problem (said once: not again when it
    is one of the ``literals`` its code was found to return) and its votes are set aside;
    failures are warnings (a run counts them and goes on), an LF failing on every item a
    problem, on most of them a warning that calls it broken; an LF voting otherwise the
    second time is a warning. Returns the LFs' votes, of those that could be applied (None
    when none could)."""
    rows = trial_rows(len(dataset))
    n = report.n_tried = len(rows)
    tried = f"the {n} {TRIED}" if n < len(dataset) else f"all {n} items"
    found = {(name, repr(v.value)) for v in literals for name in v.lfs}
    head = _rows(dataset, rows)
    bad = BadVotes(project.config.labels)
    guarded = project.replaced(lfs=[bad.guarded(lf) for lf in project.lfs])
    try:
        # the second apply reads the first's Docs back (fresh, as a run's Doc cache gives
        # them) instead of parsing every item again: on long documents parsing is most of
        # the trial's time
        with tempfile.TemporaryDirectory(prefix="labelwright-check-") as docs:
            applier = guarded.applier(engine="local", cache=False, n_items=n,
                                      doc_cache_dir=Path(docs))
            applied = applier.apply(head)
            again = applier.apply(_rows(dataset, rows[::-1]))
    except LabelwrightError as exc:
        report.problems.append(f"applying the LFs to {tried}: {exc}")
        return None
    names = applied.matrix.lf_names
    report.never_voted = silent_lfs(applied.matrix.votes, names)
    for name, error in bad.errors.items():
        if (name, error.returned) not in found:
            report.problems.append(f"applying the LFs to {tried}: {error}")
        applied.matrix.votes[:, names.index(name)] = -1  # set aside: judged by its code
    if len(bad.errors) == len(names):
        return None
    locations = {lf.name: lf.location for lf in project.lfs}
    files = {lf.name: lf.file for lf in project.lfs}
    words = empty_words(head.source)
    for name, failure in applied.failures.items():
        last = error_line(failure.traceback)
        raised = applied.failed_rows.get(name)
        empty = "; ".join(filter(None, (
            empty_field_hint(last, failure.traceback, head.fields, raised, words),
            text_order_hint(last, failure.traceback, head.fields, raised, named_row(head),
                            words),
            nested_field_rows_hint(last, failure.traceback, head.fields, raised),
            gold_field_hint(last, dataset.gold_column))))
        last += relative_path_hint(missing_file(last), files[name]) + (f"; {empty}" if empty
                                                                       else "")
        # where the LF is and the line that raised, as a --fail-fast run says them
        at = f", first at {failure.raised_at}" if failure.raised_at else ""
        message = (f"LF {name} ({locations[name]}) raised on {failure.count} of {tried} "
                   f"(e.g. {', '.join(map(repr, failure.item_ids[:3]))}){at}: {last}")
        if failure.count == n:
            report.problems.append(message + "; it fails on every item checked")
        elif fails_mostly(failure.count, n):
            report.mostly_failing.append(name)
            broken = mostly_failing(failure.count, n, "the items tried")
            report.warnings += kinded("lf_mostly_failing", [f"{message}; {broken}"])
        else:
            report.warnings += kinded("lf_raised", [message])
    # a time limit may stop an LF on one pass and not the other: that is no chance vote
    timed_out = {name for result in (applied, again) for name, f in result.failures.items()
                 if "LFTimeout" in f.traceback}
    report.warnings.extend(kinded("lf_votes_vary", changing_votes(
        names, head.ids, applied.matrix.votes, again.matrix.votes[::-1], locations,
        set(bad.errors) | timed_out)))
    report.warnings.extend(kinded("lf_code", tried_copy_warnings(
        applied.matrix.votes, names, tried, model=project.config.label_model.name)))
    report.warnings.extend(kinded("lf_code", tried_nested_warnings(
        applied.matrix.votes, names, len(project.config.labels), tried)))
    return applied


def _rows(dataset: Dataset, rows: np.ndarray) -> Dataset:
    """The items of ``rows`` of the dataset, without its warnings. A subset in another
    order than the data's keeps no ``parts``: :meth:`Dataset.file_of` places an item by
    its position, which reordering makes another part's."""
    in_order = bool(np.array_equal(rows, np.arange(len(dataset))))
    return replace(dataset, ids=[dataset.ids[i] for i in rows],
                   texts=[dataset.texts[i] for i in rows],
                   fields=dataset.fields.iloc[rows].reset_index(drop=True),
                   gold=dataset.gold[rows], warnings=[],
                   parts=dataset.parts if in_order else (),
                   # each item's row in the file, not in the subset
                   file_rows=np.asarray(rows) if dataset.file_rows is None
                   else dataset.file_rows[rows])
