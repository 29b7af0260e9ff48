"""The check of each table of ``labelwright.toml``, one function a table, each returning its
dataclass; :func:`parse_tables` runs them and puts the config together.

They run in one order: ``[project]``, each of its settings on its own (keys, labels,
renamed, name, seed, folders), then ``[data]``, ``[nlp]``, ``[label_model]``, ``[triage]``,
``[apply]``, ``[review]`` and ``[end_model]``. Each check stops at its first problem; a
problem in one does not stop the others (a user fixing a config sees them all in one go),
except that without readable labels the checks that compare with them (``renamed``,
``[label_model] class_balance``) are left out. That order is the order of the errors a
config with several shows. The checks of ``[data]`` (:mod:`~labelwright.config.data_table`)
and ``[review]`` (:mod:`~labelwright.config.review_table`) are modules of their own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from labelwright.config.data_table import data_table
from labelwright.config.gold_values import check_gold_values
from labelwright.config.languages import is_spacy_language, unknown_language
from labelwright.config.model_settings import check_param_types, model_params
from labelwright.config.review_table import review_table
from labelwright.config.schema import (
    APPLY_ENGINES,
    AUDIT_ALLOCATIONS,
    END_MODEL_FEATURES,
    MAX_WORKERS,
    PROPORTIONAL,
    RANKINGS,
    TIE_BREAKS,
    ApplyConfig,
    EndModelConfig,
    LabelModelConfig,
    NLPConfig,
    ProjectConfig,
    TriageConfig,
)
from labelwright.config.settings import (
    check_choice,
    check_class_balance,
    check_doc_cache,
    check_keys,
    check_labels,
    check_pipeline,
    check_renamed,
    check_seed,
    typed,
)
from labelwright.config.toml_lines import KeyPath
from labelwright.errors import ConfigErrors, SettingError

T = TypeVar("T")

_TOP_KEYS = {"project", "data", "nlp", "label_model", "triage", "review", "apply",
             "end_model"}
_PROJECT_KEYS = {"name", "labels", "seed", "labeling_functions", "glossaries", "runs",
                 "renamed"}


def parse_tables(raw: dict[str, Any], root: Path, file: Path, lines: Mapping[KeyPath, int]
                 ) -> ProjectConfig:
    """The config ``raw`` (``labelwright.toml`` as tomllib reads it) holds, checked table by
    table in the order the module docstring gives; ``file`` and ``lines`` go into the
    config for errors about its settings found later. One wrong table is its
    :class:`SettingError`; several are a :class:`ConfigErrors` holding one for each."""
    _check_top_level(raw)  # a table that is no table: the others cannot be read as tables
    found: list[SettingError] = []

    def checked(step: Callable[..., T], *args: Any) -> T | None:
        try:
            return step(*args)
        except SettingError as exc:
            found.append(exc)
            return None

    project = raw.get("project", {})
    checked(check_keys, project, _PROJECT_KEYS, ("project",))
    labels = checked(check_labels, project)
    renamed = checked(check_renamed, project.get("renamed", {}), labels) \
        if labels is not None else None
    name = checked(typed, project.get("name", root.name), str, ("project", "name"))
    seed = checked(check_seed, project.get("seed", 0))
    folders = [checked(_folder, project, key) for key in ("labeling_functions", "glossaries",
                                                         "runs")]
    data = checked(data_table, raw.get("data"), root)
    if data is not None and labels is not None:
        checked(check_gold_values, data.gold_values, labels)
    nlp = checked(_nlp, raw.get("nlp", {}), root, file, lines)
    label_model = checked(_label_model, raw.get("label_model", {}), labels)
    triage = checked(_triage, raw.get("triage", {}))
    apply = checked(_apply, raw.get("apply", {}))
    review = checked(review_table, raw.get("review", {}), labels)
    end_model = checked(_end_model, raw.get("end_model", {}))
    if len(found) > 1:
        raise ConfigErrors(list(found))
    if found:
        raise found[0]
    assert labels is not None and renamed is not None and data is not None \
        and nlp is not None and label_model is not None and triage is not None \
        and apply is not None and review is not None and name is not None \
        and end_model is not None and seed is not None and None not in folders
    lf_dir, glossary_dir, runs_dir = (str(folder) for folder in folders)
    return ProjectConfig(
        root=root,
        name=name,
        named="name" in project,
        labels=tuple(labels),
        renamed=renamed,
        data=data,
        nlp=nlp,
        label_model=label_model,
        triage=triage,
        end_model=end_model,
        review=review,
        apply=apply,
        seed=seed,
        lf_dir=lf_dir,
        glossary_dir=glossary_dir,
        runs_dir=runs_dir,
        key_lines=lines,
    )


def _check_top_level(raw: dict[str, Any]) -> None:
    """Only the known tables, and each a table: a misspelt ``[triage]`` or a ``data = "x.csv"``
    at the top is an error before any table is read."""
    check_keys(raw, _TOP_KEYS)
    for section in sorted(raw):
        if not isinstance(raw[section], dict):
            raise SettingError(f"{section} must be a table (a [{section}] section with its "
                               f"keys below it), got {section} = {raw[section]!r}", (section,))


def _folder(project: Mapping[str, Any], key: str) -> str:
    """A ``[project]`` folder setting (``labeling_functions``, ``glossaries``, ``runs``),
    relative to the project folder; left out, the folder has the key's name."""
    return typed(project.get(key, key), str, ("project", key))


def _nlp(nlp: dict[str, Any], root: Path, file: Path, lines: Mapping[KeyPath, int]
         ) -> NLPConfig:
    """``[nlp]``: the spaCy pipeline; it keeps ``file`` and ``lines`` because a pipeline
    that fails to load is found later, and the error names the setting's line."""
    check_keys(nlp, {"lang", "pipeline", "lemmatizer", "sentencizer", "segmenter",
                     "batch_size"}, ("nlp",))
    lang = check_lang(typed(nlp.get("lang", "en"), str, ("nlp", "lang")))
    nlp_cfg = NLPConfig(
        lang=lang,
        pipeline=check_pipeline(nlp.get("pipeline") or None, root),
        lemmatizer=(typed(nlp["lemmatizer"], bool, ("nlp", "lemmatizer"))
                    if "lemmatizer" in nlp else None),
        batch_size=typed(nlp.get("batch_size", 256), int, ("nlp", "batch_size")),
        sentencizer=typed(nlp.get("sentencizer", False), bool, ("nlp", "sentencizer")),
        segmenter=(check_segmenter(typed(nlp["segmenter"], str, ("nlp", "segmenter")), lang)
                   if "segmenter" in nlp else None),
        unused=tuple(key for key in ("lemmatizer", "sentencizer", "segmenter")
                     if key in nlp and nlp.get("pipeline")),
        file=file,
        key_lines=lines,
    )
    if nlp_cfg.batch_size < 1:
        raise SettingError(f"[nlp] batch_size must be >= 1, got {nlp_cfg.batch_size}",
                           ("nlp", "batch_size"))
    return nlp_cfg


def check_lang(lang: str) -> str:
    """``[nlp] lang``: a language spaCy has; found here, with the config's other errors,
    not when the pipeline is first built (after every other table was fixed)."""
    if not is_spacy_language(lang):
        raise SettingError(unknown_language(lang), ("nlp", "lang"))
    return lang


#: the ``[nlp] segmenter`` values: how spaCy's blank Chinese pipeline splits words
SEGMENTERS = ("char", "jieba")


def check_segmenter(segmenter: str, lang: str) -> str:
    """``[nlp] segmenter``: Chinese only, ``char`` or ``jieba``; spaCy's third, ``pkuseg``,
    needs a model downloaded besides its package, so it is offered only in a named
    pipeline (a folder saved with it)."""
    if lang != "zh":
        raise SettingError(f"[nlp] segmenter chooses how Chinese (lang = \"zh\") is split into "
                           f"words; lang {lang!r} has no such setting: remove it",
                           ("nlp", "segmenter"))
    if segmenter == "pkuseg":
        raise SettingError("[nlp] segmenter 'pkuseg' needs a model downloaded besides the "
                           "spacy-pkuseg package, which the blank pipeline does not do; use "
                           "'jieba', or save a pipeline with pkuseg to a folder and name it in "
                           "[nlp] pipeline", ("nlp", "segmenter"))
    if segmenter not in SEGMENTERS:
        raise SettingError(f"[nlp] segmenter {segmenter!r}; valid: {', '.join(SEGMENTERS)} "
                           "(char: a word a character, nothing to install; jieba: words, "
                           "pip install jieba)", ("nlp", "segmenter"))
    return segmenter


def _label_model(model: dict[str, Any], labels: list[str] | None) -> LabelModelConfig:
    """``[label_model]``: the model's name, tie-break and class balance; any other key, or
    one in its ``params`` table, is a hyperparameter of the model. Without ``labels`` (the
    project's could not be read) the class balance, which is checked against them, is not."""
    params = model_params(model)
    tie_break = model.get("tie_break", "random")
    if tie_break not in TIE_BREAKS:
        raise SettingError(f"[label_model] tie_break {tie_break!r}; valid: "
                           f"{', '.join(TIE_BREAKS)}", ("label_model", "tie_break"))
    model_cfg = LabelModelConfig(
        name=typed(model.get("name", "auto"), str, ("label_model", "name")),
        tie_break=tie_break,
        params=params,
        class_balance=check_class_balance(model.get("class_balance"), labels)
        if labels is not None else None,
    )
    check_param_types(model_cfg, model)
    return model_cfg


def _triage(triage: dict[str, Any]) -> TriageConfig:
    """``[triage]``: which items go to review, and in what order."""
    check_keys(triage, {"threshold", "audit_size", "audit_allocation", "review_conflicts",
                        "ranking", "random_sample"}, ("triage",))
    ranking = triage.get("ranking", "combined")
    check_choice(ranking, RANKINGS, ("triage", "ranking"))
    threshold = typed(triage.get("threshold", 0.7), (int, float), ("triage", "threshold"))
    if not 0.0 <= threshold <= 1.0:
        raise SettingError(f"[triage] threshold must be between 0 and 1, got {threshold}",
                           ("triage", "threshold"))
    audit_size = typed(triage.get("audit_size", 20), int, ("triage", "audit_size"))
    if audit_size < 0:
        raise SettingError(f"[triage] audit_size must be >= 0, got {audit_size}",
                           ("triage", "audit_size"))
    allocation = triage.get("audit_allocation", PROPORTIONAL)
    check_choice(allocation, AUDIT_ALLOCATIONS, ("triage", "audit_allocation"))
    random_sample = typed(triage.get("random_sample", 0), int, ("triage", "random_sample"))
    if random_sample < 0:
        raise SettingError(f"[triage] random_sample must be >= 0, got {random_sample}",
                           ("triage", "random_sample"))
    return TriageConfig(
        threshold=float(threshold),
        audit_size=audit_size,
        audit_allocation=allocation,
        random_sample=random_sample,
        review_conflicts=_review_conflicts(triage.get("review_conflicts", True)),
        ranking=ranking,
    )


def _review_conflicts(value: Any) -> bool | float:
    """``[triage] review_conflicts``: true (every item whose LFs disagree goes to review),
    false (none does for that reason), or a confidence: a conflict goes to review only
    while the label model's confidence in its label is below it (at most 1; one at or
    below ``threshold`` sends no conflict that low confidence does not send already)."""
    key = ("triage", "review_conflicts")
    if isinstance(value, bool):
        return value
    if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
        raise SettingError(f"[triage] review_conflicts must be true, false or a confidence "
                           f"above 0 and at most 1 (conflicts below it go to review), got "
                           f"{value!r}", key)
    return float(value)


def _apply(apply: dict[str, Any]) -> ApplyConfig:
    """``[apply]``: the engine that applies the LFs and its settings; a scheduler beside
    another engine is an error. A timeout on dask is checked against the engine a run uses
    (an engine named for the run wins over these): see :mod:`labelwright.project.engine_choice`."""
    check_keys(apply, {"engine", "workers", "chunk_size", "cache", "scheduler", "lf_timeout",
                       "doc_cache"}, ("apply",))
    engine = apply.get("engine")
    if engine is not None:
        check_choice(engine, APPLY_ENGINES, ("apply", "engine"))
    workers = apply.get("workers")
    if workers is not None and not 1 <= typed(workers, int, ("apply", "workers")) \
            <= MAX_WORKERS:
        raise SettingError(f"[apply] workers must be 1 to {MAX_WORKERS}, got {workers} "
                           "(leave it out for one per usable core)", ("apply", "workers"))
    chunk_size = typed(apply.get("chunk_size", 10_000), int, ("apply", "chunk_size"))
    if chunk_size < 1:
        raise SettingError(f"[apply] chunk_size must be >= 1, got {chunk_size}",
                           ("apply", "chunk_size"))
    scheduler = apply.get("scheduler")
    if scheduler is not None:
        if not typed(scheduler, str, ("apply", "scheduler")).strip():
            raise SettingError("[apply] scheduler is empty; give a Dask scheduler address "
                               "(tcp://host:8786), or leave it out for a local cluster",
                               ("apply", "scheduler"))
        if engine not in (None, "dask"):
            raise SettingError(f"[apply] scheduler names a Dask cluster, but [apply] "
                               f"engine = {engine!r}; set engine = \"dask\" (or leave it "
                               "out), or drop the scheduler", ("apply", "scheduler"))
    lf_timeout = apply.get("lf_timeout")
    if lf_timeout is not None:
        lf_timeout = float(typed(lf_timeout, (int, float), ("apply", "lf_timeout")))
        if not 0 < lf_timeout < float("inf"):
            raise SettingError(f"[apply] lf_timeout must be a number of seconds > 0, "
                               f"got {apply['lf_timeout']}; leave it out for no limit",
                               ("apply", "lf_timeout"))
    doc_cache = check_doc_cache(apply.get("doc_cache", "auto"), "[apply] ")
    return ApplyConfig(
        engine=engine,
        workers=workers,
        chunk_size=chunk_size,
        cache=typed(apply.get("cache", True), bool, ("apply", "cache")),
        scheduler=typed(scheduler, str, ("apply", "scheduler")) if scheduler else None,
        lf_timeout=lf_timeout,
        doc_cache=doc_cache,
    )


def _end_model(section: Any) -> EndModelConfig:
    """``[end_model]``: what the text classifier behind the ranking reads."""
    check_keys(section, {"features"}, ("end_model",))
    features = section.get("features", "auto")
    if features not in END_MODEL_FEATURES:
        raise SettingError(f"[end_model] features {features!r}; valid: "
                           f"{', '.join(END_MODEL_FEATURES)}", ("end_model", "features"))
    return EndModelConfig(features=features)
