"""Modules that moved into the pipeline's folders keep their earlier import paths, and the
library itself imports each name from the module that defines it."""

from __future__ import annotations

import ast
import functools
import importlib
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

#: (earlier path, defining module, name): each name still imports from its earlier path
OLD_PATHS = [
    ("labelwright.analysis", "labelwright.lfs.stats", "lf_summary"),
    ("labelwright.ranking", "labelwright.review.ranking.rank", "rank_queue"),
    ("labelwright.explain", "labelwright.runs.explain.item", "explain_item"),
    ("labelwright.run_diff", "labelwright.runs.diff.compare", "diff_runs"),
    # runs/verify/runs.py: one run's checks in runs/verify/one_run.py
    ("labelwright.runs.verify.runs", "labelwright.runs.verify.one_run", "verify_run"),
    ("labelwright.runs.verify.runs", "labelwright.runs.verify.one_run", "GIVEN_ERASED_NOTE"),
    # where a pruned run's archive is found, beside the record of pruned runs
    ("labelwright.runs.verify.archives", "labelwright.runs.pruned", "named_archive"),
    ("labelwright.runs.verify.archives", "labelwright.runs.pruned", "archived_runs"),
    # runs/prune.py: which runs go and why each other stays in runs/prune_plan.py
    *[("labelwright.runs.prune", "labelwright.runs.prune_plan", name)
      for name in ("plan_prune", "PruneResult", "PrunedFolder", "folder_bytes")],
    # runs diff's manifest part in runs/diff/manifest_diff.py
    ("labelwright.runs.diff.compare", "labelwright.runs.diff.manifest_diff", "parts_gone"),
    ("labelwright.data", "labelwright.data.dataset", "dataset_from_frame"),
    ("labelwright.lfs", "labelwright.lfs.core", "labeling_function"),
    ("labelwright.lfs", "labelwright.lfs.discovery", "discover"),
    # lfs/core.py: vote codes, the code a callable runs and what it reads in their own modules
    *[("labelwright.lfs.core", f"labelwright.lfs.{module}", name) for module, name in (
        ("vote_codes", "VoteCoder"), ("vote_codes", "ambiguous_indices"),
        ("code_reads", "MATCH_ATTRS"), ("code_reads", "reads_doc"),
        ("code_reads", "reads_matches"), ("code_reads", "own_doc_pipeline"),
        ("code_reads", "parses_its_own_doc"), ("code_reads", "reads_item_doc"),
        ("function_code", "MAX_UNWRAP"), ("function_code", "source_text"))],
    ("labelwright.glossaries", "labelwright.glossaries.core", "load_glossaries"),
    ("labelwright.glossaries.core", "labelwright.glossaries.reading", "load_glossaries"),
    ("labelwright.glossaries.core", "labelwright.glossaries.reading", "read_glossary"),
    # glossaries/reading.py: Python-defined glossaries and their YAML in a module of their own
    *[("labelwright.glossaries.reading", "labelwright.glossaries.python_glossaries", name)
      for name in ("glossary_from_dict", "glossary_yaml")],
    # data/csv_records.py: the record scanner and its quote errors in modules of their own
    *[("labelwright.data.csv_records", f"labelwright.data.{module}", name)
      for module, name in (("csv_scanner", "CsvScanner"), ("quote_errors", "BadQuote"),
                           ("quote_errors", "UnclosedQuote"), ("quote_errors", "TextAfterQuote"),
                           ("quote_errors", "QuoteSpansLines"), ("quote_errors", "quote_error"))],
    ("labelwright.glossaries.core", "labelwright.glossaries.checks", "lemma_problems"),
    ("labelwright.glossaries.core", "labelwright.glossaries.checks", "consistency_problems"),
    ("labelwright.runs", "labelwright.runs.store", "list_runs"),
    # runs/outputs.py: the label model's per-LF numbers with the LF table's learned columns
    *[("labelwright.runs.outputs", "labelwright.runs.learned_columns", name)
      for name in ("learned_table", "read_accuracies", "assumed_accuracies")],
    ("labelwright.end_model", "labelwright.end_model.model", "EndModel"),
    # report/__init__.py: the queue section's reason names in their own module
    ("labelwright.report", "labelwright.report.queue_section", "REASON_NAMES"),
    ("labelwright.report", "labelwright.report.queue_section", "reason_name"),
    # bench/wrench.py: reading a folder and the notes on its data in their own modules
    *[("labelwright.bench.wrench", f"labelwright.bench.{module}", name) for module, name in (
        ("wrench_folders", "load_wrench"), ("wrench_folders", "load_datasets"),
        ("wrench_folders", "load_split"), ("wrench_folders", "dataset_names"),
        ("wrench_folders", "WrenchFormatError"), ("wrench_folders", "WrenchDataset"),
        ("wrench_folders", "Split"), ("wrench_notes", "vote_kappa"),
        ("wrench_notes", "no_kappa_reason"), ("wrench_notes", "vote_notes"),
        ("wrench_notes", "test_in_train"), ("wrench_notes", "KAPPA_DROP"))],
    # project.py, now a package of one module per step: every name it defined still
    # imports from labelwright.project
    *[("labelwright.project", "labelwright.project.load", name) for name in (
        "Project", "load_project", "check_session_lf", "check_lemma_claims", "project_lfs",
        "no_lfs")],
    *[("labelwright.project", "labelwright.project.apply", name) for name in (
        "Progress", "apply_project", "project_dataset", "frame_dataset")],
    *[("labelwright.project", "labelwright.project.inputs", name) for name in (
        "label_order_warnings", "project_reviews", "counted_lf_table")],
    ("labelwright.project", "labelwright.project.evaluation", "evaluate"),
    ("labelwright.project", "labelwright.project.result", "RunResult"),
    *[("labelwright.project", "labelwright.project.run", name) for name in (
        "Stage", "run_project")],
    # nlp.py, now a package: its names still import from labelwright.nlp
    *[("labelwright.nlp", f"labelwright.nlp.{module}", name) for module, name in (
        ("pipeline", "load_pipeline"), ("pipeline", "parse"),
        ("pipeline", "pipeline_description"), ("pipeline", "invisible_affixes"),
        ("fingerprint", "pipeline_fingerprint"), ("word_forms", "match_form"),
        ("word_forms", "caseless"), ("lemma_keys", "LemmaKeys"),
        ("lemma_components", "LookupLemmas"), ("lemma_components", "LOOKUP_LEMMAS"))],
    # review/decisions/ledger.py, split by what its parts do: its names still import from it
    *[("labelwright.review.decisions.ledger", f"labelwright.review.decisions.{module}",
       name) for module, name in (
        ("ledger_reading", "read_decisions"), ("ledger_reading", "imported_files"),
        ("ledger_reading", "query"), ("ledger_reading", "Query"),
        ("ledger_reading", "decisions_reader"), ("decision_times", "parse_time"),
        ("decision_times", "decided"), ("decision_times", "decision_time"),
        ("decision_times", "latest_decisions"), ("decision_times", "latest_per_rater"),
        ("decision_times", "labels_by_rater"), ("ledger_digests", "ledger_digest"),
        ("ledger_digests", "ledger_changes"))],
    # review/ranking/rank.py: its signals and its weights in their own modules
    *[("labelwright.review.ranking.rank", f"labelwright.review.ranking.{module}", name)
      for module, name in (
        ("signals", "SIGNALS"), ("signals", "CLEANLAB_HINT"), ("signals", "log"),
        ("signals", "uncertainty_signals"), ("signals", "vote_signals"),
        ("signals", "disagreement"), ("signals", "cleanlab_available"),
        ("signals", "wants_cleanlab"), ("signals", "cleanlab_signal"),
        ("signals", "cleanlab_issues"), ("weights", "DEFAULT_WEIGHTS"),
        ("weights", "default_weights"), ("weights", "CV_TIE"), ("weights", "WEIGHTS_SURE"),
        ("weights", "WEIGHT_BOOTSTRAP_ROUNDS"), ("weights", "MIN_REVIEWED"),
        ("weights", "MIN_PER_CLASS"), ("weights", "WEIGHT_FOLDS"),
        ("weights", "signal_matrix"), ("weights", "learn_weights"))],
    ("labelwright.ranking", "labelwright.review.ranking.weights", "learn_weights"),
    # review/imports/file.py: the row checks, what goes to the ledger and the report apart
    *[("labelwright.review.imports.file", f"labelwright.review.imports.{module}", name)
      for module, name in (
        ("rows", "check_rows"), ("rows", "project_labels"),
        ("rows", "sample_reader"), ("report", "ImportReport"))],
    # review/imports/file.py: filing the decisions in the ledger in a module of its own
    ("labelwright.review.imports.file", "labelwright.review.imports.filing", "LEDGER_RETRIES"),
    ("labelwright.review", "labelwright.review.imports.report", "ImportReport"),
    # review/feedback/gold.py: what a run says of the reviews, and the random samples' reviews
    *[("labelwright.review.feedback.gold", f"labelwright.review.feedback.{module}", name)
      for module, name in (
        ("gold_warnings", "float_hint"), ("gold_warnings", "review_warnings"),
        ("gold_warnings", "sample_warnings"), ("sample_reviews", "sample_coverage"),
        ("sample_reviews", "sampled_items"))],
    ("labelwright.runs.verify.runs", "labelwright.runs.verify.input_checks", "NO_FRAME"),
    # runs/verify/runs.py and recompute.py split by what each part does: the old paths work
    *[("labelwright.runs.verify.runs", "labelwright.runs.verify.run_check", name)
      for name in ("RunCheck", "Finding")],
    # the ledger's erasures, read with the record of erasures (runs/erase/records.py)
    *[(old, "labelwright.runs.erase.records", "ledger_erasures")
      for old in ("labelwright.runs.verify.runs", "labelwright.runs.verify.ledger_checks")],
    *[("labelwright.runs.verify.recompute", f"labelwright.runs.verify.{module}", name)
      for module, name in (("recomputed", "Recomputed"), ("recomputed", "Difference"),
                           ("fresh", "Fresh"), ("fresh", "apply_fresh"),
                           ("recompute_lines", "recompute_lines"))],
    ("labelwright.runs.erase.records", "labelwright.erased_marker", "MARKER"),
    # review/'s modules in a folder per part of the loop: the paths README names still work
    ("labelwright.review.export", "labelwright.review.queue.export", "export_review"),
    ("labelwright.review.queue.export", "labelwright.review.queue.run_queue", "sample_ids"),
    # review/queue/export.py: the records and the formats they are written in apart
    *[("labelwright.review.queue.export", f"labelwright.review.queue.{module}", name)
      for module, name in (
        ("records", "review_records"), ("records", "blind_records"), ("records", "SAID"),
        ("records", "BLIND_LEAVES_OUT"), ("records", "EXPORTS"),
        ("formats", "write_review"), ("formats", "write_jsonl"),
        ("formats", "jsonl_encoder"), ("formats", "EXPORT_FORMATS"), ("formats", "SUFFIXES"),
        ("csv_sheet", "write_csv"), ("tools", "write_tool"))],
    # review/queue/export.py: which items an export takes and what it returns apart
    *[("labelwright.review.queue.export", f"labelwright.review.queue.{module}", name)
      for module, name in (
        ("selection", "check_reasons"), ("selection", "check_sample_picks"),
        ("selection", "queue_order"), ("selection", "with_reasons"),
        ("export_result", "ReviewExport"), ("export_result", "exported_copies"),
        ("export_result", "exported_texts"), ("export_result", "copies_behind"))],
    # review/queue/tools.py: Label Studio's format and every tool's shared fields apart
    *[("labelwright.review.queue.tools", f"labelwright.review.queue.{module}", name)
      for module, name in (
        ("label_studio", "label_studio_config"), ("label_studio", "label_studio_tasks"),
        ("label_studio", "check_label_studio_labels"),
        ("label_studio", "check_label_studio_definitions"),
        ("label_studio", "LABEL_STUDIO_FIELD"), ("label_studio", "LABEL_STUDIO_STYLE"),
        ("task_fields", "QUESTION"), ("task_fields", "NOTE"), ("task_fields", "TEXT"))],
    # review/stats/summary.py: the figures review stats reports in a module of their own
    ("labelwright.review.stats.summary", "labelwright.review.stats.figures", "ReviewStats"),
    ("labelwright.review", "labelwright.review.stats.figures", "ReviewStats"),
    ("labelwright.review.export", "labelwright.review.queue.records", "review_records"),
    ("labelwright.review.ranking", "labelwright.review.ranking.rank", "rank_queue"),
    ("labelwright.review.rank_cache", "labelwright.review.ranking.cache", "cached_rank"),
    ("labelwright.review.feedback", "labelwright.review.feedback.gold", "settle"),
    ("labelwright.review.feedback", "labelwright.review.feedback.gold", "reviewed_labels"),
    # triage.py, now a package split by what its parts do: its names still import from it
    *[("labelwright.triage", f"labelwright.triage.{module}", name) for module, name in (
        ("core", "triage"), ("core", "Triage"), ("reasons", "REASONS"),
        ("reasons", "HEAD_REASONS"), ("reasons", "unread_items"),
        ("reasons", "sure_by_balance"), ("reasons", "triage_counts"),
        ("draws", "random_sample"), ("draws", "draw_keys"), ("draws", "stratified_sample"),
        ("draws", "equal_quota"), ("draw_records", "gold_left_out_line"),
        ("draw_records", "recorded_allocation"), ("draw_records", "DRAWS_BY_ID"))],
    ("labelwright.triage", "labelwright.config.schema", "PER_LABEL"),
    # label-model modules that were loose at the top: now in models/ and project/
    *[("labelwright.vote_calibration", "labelwright.models.vote_calibration", name)
      for name in ("calibration_by_votes", "vote_patterns", "vote_pattern_codes",
                   "VOTE_PATTERNS", "GAP_WORDS", "VOTE_PATTERN_WORDS", "confidence_gap")],
    *[("labelwright.model_comparison", "labelwright.project.model_comparison", name)
      for name in ("compare_label_models", "check_model_names")],
    # models/gold_use.py: a short random sample's balance and missing labels apart
    *[("labelwright.models.gold_use", "labelwright.models.short_sample", name)
      for name in ("sample_against_votes", "missing_labels", "SHORT_SAMPLE_VOTE_ROWS")],
    # models/gold_use.py: a check's record in words, the estimating fits and the rows' names
    *[("labelwright.models.gold_use", f"labelwright.models.{module}", name)
      for module, name in (
        ("balance_notes", "balance_note"), ("balance_notes", "balance_from_sample"),
        ("balance_notes", "missing_labels_warning"), ("default_fit", "FitProba"),
        ("default_fit", "fitted_default_model"), ("default_fit", "default_fit_proba"),
        ("row_names", "RowNames"), ("row_names", "GOLD_ROWS"),
        ("row_names", "REVIEWED_LABELS"), ("row_names", "BENCH_GOLD_ROWS"))],
    # models/calibration.py: its methods, saved document, input checks and top-class rule apart
    *[("labelwright.models.calibration", f"labelwright.models.{module}", name)
      for module, name in (
        ("calibration_methods", "CALIBRATION_METHODS"),
        ("calibration_methods", "ARGMAX_KEEPING_METHODS"),
        ("calibration_methods", "TemperatureScaler"), ("calibration_methods", "at_temperature"),
        ("calibration_document", "describe_calibration"),
        ("calibration_document", "temperature_calibration"),
        ("confidence_map", "ConfidenceMap"), ("top_class_moves", "ARGMAX_MOVES"))],
    # models/base.py: whether a fit gives its own warnings in a module of its own
    ("labelwright.models.base", "labelwright.models.fit_warnings",
     "fit_warnings_left_to_caller"),
    # apply/applier.py: the record an apply gives back in a module of its own
    ("labelwright.apply.applier", "labelwright.apply.apply_result", "ApplyResult"),
    # apply/core.py: the chunk records, an LF's failures and an item's fields apart
    *[("labelwright.apply.core", f"labelwright.apply.{module}", name) for module, name in (
        ("chunks", "Chunk"), ("chunks", "ChunkResult"), ("chunks", "HIT_DTYPE"),
        ("lf_failures", "LFFailures"), ("lf_failures", "merge_failures"),
        ("lf_failures", "MAX_FAILED_IDS"), ("item_fields", "missing_as_none"))],
    # apply/partitions.py: a worker's read of its bytes and a frame made a chunk apart
    *[("labelwright.apply.partitions", f"labelwright.apply.{module}", name)
      for module, name in (
        ("frame_chunks", "chunk_from_frame"), ("frame_chunks", "column_notes"),
        ("partition_reads", "read_partition"), ("partition_reads", "footer_sha256"))],
    # report/html.py: the page's parts stay, the sections built from them moved beside it
    *[("labelwright.report.html", f"labelwright.report.{module}", name)
      for module, name in (
        ("lf_section", "LF_COLUMNS"), ("lf_section", "lf_table"), ("lf_section", "wrong_most"),
        ("example_items", "TIE_CHIP"), ("example_items", "examples_table"),
        ("example_items", "votes_cell"), ("calibration", "calibration_note"),
        ("changes", "changes_section"))],
    # apply/match_cache.py: the cache's format stays, the run's per-item matches apart
    *[("labelwright.apply.match_cache", "labelwright.apply.match_list", name)
      for name in ("MatchList", "ITER_BATCH")],
    # lfs/stats.py: the statistics stay, the warnings a run gives of them apart
    *[("labelwright.lfs.stats", "labelwright.lfs.lf_warnings", name)
      for name in ("BELOW_CHANCE_VOTES", "MISREAD_GAP", "MISREAD_SHOWN", "MISREAD_WIDTH",
                   "SILENT_SHOWN", "below_chance", "misread", "never_voted")],
    # runs/manifest.py: the shapes of JSON values the manifest is checked with apart
    *[("labelwright.runs.manifest", "labelwright.runs.json_shapes", name)
      for name in ("Fields", "Each", "Values", "Maybe", "shape_problem", "describe")],
    # runs/manifest.py: a model named as the manifest records it, without the run store
    *[("labelwright.runs.manifest", "labelwright.model_text", name)
      for name in ("chosen_model", "settings_text")],
    # report/times.py: the one way labelwright says a span of time, shared with the CLI
    ("labelwright.report.times", "labelwright.durations", "span_text"),
    # end_model/train.py: the files it writes and their check in a module of their own
    *[("labelwright.end_model.train", "labelwright.end_model.train_outputs", name)
      for name in ("MODEL_FILE", "LABELS_FILE", "OWN_HASH", "document_sha256")],
    # end_model/model.py: the saved document, written and checked, in a module of its own
    *[("labelwright.end_model.model", "labelwright.end_model.model_document", name)
      for name in ("FORMAT", "FORMAT_VERSION", "READS_VERSIONS", "read_document",
                   "write_document")],
    # review/imports/tool_readers.py: Argilla's reader, and the answers that chose nothing,
    # in modules of their own
    *[("labelwright.review.imports.tool_readers", f"labelwright.review.imports.{module}",
       name) for module, name in (
        ("argilla_reader", "read_argilla"), ("argilla_reader", "is_argilla_export"),
        ("argilla_reader", "is_argilla_v1"), ("argilla_reader", "ARGILLA_NO_LW_ID"),
        ("empty_answers", "NOTHING_CHOSEN"), ("empty_answers", "ARGILLA_EMPTY"),
        ("empty_answers", "LABEL_STUDIO_EMPTY"), ("empty_answers", "PRODIGY_EMPTY"),
        ("empty_answers", "DOCCANO_EMPTY"))],
]

#: (module, defining module, name): a name that moved out of a module which still defines
#: and re-exports others of its own (so not every name it imports is an earlier path, as
#: :data:`OLD_PATHS`' modules' are): it imports from there for old scripts, the library
#: imports it from where it is defined
NAMES_KEPT = [
    # glossaries/checks.py: the lemma-shift warning in glossaries/lemma_shifts.py, and how a
    # message quotes a phrase beside where it names it (glossaries/places.py)
    ("labelwright.glossaries.checks", "labelwright.glossaries.lemma_shifts", "lemma_shifts"),
    ("labelwright.glossaries.checks", "labelwright.glossaries.places", "as_written"),
    # the lookup table's words, read once for every check that asks, beside the file reader
    ("labelwright.glossaries.misread_forms", "labelwright.nlp.lemma_tables", "table_words"),
    # a file's sha256, one reader for the run store and the caches
    ("labelwright.runs.store", "labelwright.file_hashes", "file_sha256"),
    # cli/runs.py: the sections ``runs show`` says in cli/show_sections.py
    ("labelwright.cli.runs", "labelwright.cli.show_sections", "PARTS_SHOWN"),
    # runs/diff/lines.py: the changed inputs' lines in runs/diff/input_lines.py
    *[("labelwright.runs.diff.lines", "labelwright.runs.diff.input_lines", name)
      for name in ("input_changes", "missing_section_warnings", "chosen_vs_named", "RENAMED")],
]


@pytest.mark.parametrize(("old", "new", "name"), OLD_PATHS + NAMES_KEPT)
def test_an_earlier_path_gives_the_same_object(old, new, name):
    assert getattr(importlib.import_module(old), name) is getattr(
        importlib.import_module(new), name)


def test_every_public_name_of_the_project_package_imports_from_it():
    import labelwright.project

    assert all(getattr(labelwright.project, name) is not None
               for name in labelwright.project.__all__)
    with pytest.raises(AttributeError, match="no attribute 'run_projet'"):
        labelwright.project.run_projet  # noqa: B018


def test_a_file_is_hashed_one_way_by_the_runs_and_the_caches(tmp_path):
    """The run store's ``file_sha256`` (its earlier home) is the shared one, and the caches'
    remembered hash (keyed by the file's state) reads the file with it."""
    import hashlib
    import os

    from labelwright import caches, file_hashes
    from labelwright.runs import store

    assert store.file_sha256 is file_hashes.file_sha256
    path = tmp_path / "items.csv"
    path.write_bytes(b"id,text\n1,hello\n" * 100_000)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert file_hashes.file_sha256(path) == sha
    assert caches.file_sha256(str(path), caches.file_state(os.stat(path))) == sha


def test_an_unknown_name_of_the_feedback_package_is_an_attribute_error():
    """The folder gives its main module's names, and no others: a misspelt one is not None."""
    import labelwright.review.feedback

    with pytest.raises(AttributeError, match="no attribute 'reviewed_label'"):
        labelwright.review.feedback.reviewed_label  # noqa: B018


def test_an_unknown_name_of_the_lfs_package_is_an_attribute_error():
    import labelwright.lfs

    with pytest.raises(AttributeError, match="no attribute 'discovr'"):
        labelwright.lfs.discovr  # noqa: B018


def test_a_moved_ledger_name_is_looked_up_once(monkeypatch):
    """The ledger's moved names are used in per-row loops: the first access resolves one
    into the module, and later ones find it there without importing again."""
    import labelwright.review.decisions.ledger as ledger
    from labelwright.review.decisions.decision_times import parse_time

    monkeypatch.delitem(vars(ledger), "parse_time", raising=False)
    imports = []
    real = importlib.import_module
    monkeypatch.setattr(importlib, "import_module",
                        lambda name, *a: imports.append(name) or real(name, *a))
    assert ledger.parse_time is parse_time
    assert vars(ledger)["parse_time"] is parse_time
    assert ledger.parse_time is parse_time
    assert imports == ["labelwright.review.decisions.decision_times"]


# -- the library's own imports and links go to the defining module ---------------------------

#: package roots that are the public face of their package: users and the library alike
#: import the package's names from them (not earlier paths kept for old scripts)
PACKAGE_FACES = {
    "labelwright.data", "labelwright.lfs", "labelwright.glossaries", "labelwright.runs",
    "labelwright.end_model", "labelwright.project", "labelwright.nlp", "labelwright.review",
    "labelwright.review.feedback", "labelwright.review.ranking", "labelwright.report",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@functools.cache
def _sources() -> dict[str, tuple[Path, ast.Module]]:
    return {_module_name(path): (path, ast.parse(path.read_text(encoding="utf-8")))
            for path in sorted(SRC.rglob("*.py"))}


def _only_reexports(tree: ast.Module) -> bool:
    """A docstring naming an earlier import path, then imports only (and, for a module that
    stands in for the moved one, the ``sys.modules`` entry)."""
    doc = ast.get_docstring(tree) or ""
    body = tree.body[1:] if doc else tree.body
    return "import path" in doc and all(
        isinstance(node, (ast.Import, ast.ImportFrom))
        or (isinstance(node, ast.Assign) and "sys.modules" in ast.unparse(node))
        for node in body)


def shim_modules() -> set[str]:
    """The modules kept only so that an earlier import path still works."""
    return {name for name, (_, tree) in _sources().items() if _only_reexports(tree)}


def _imports(module: str, tree: ast.Module) -> list[tuple[int, str, str | None]]:
    """(line, module, name) of every import in ``tree``; name None for ``import module``."""
    package = module.split(".") if module in _packages() else module.split(".")[:-1]
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[:len(package) - node.level + 1] + [base]).strip(".")
            found += [(node.lineno, base, alias.name) for alias in node.names]
    return found


@functools.cache
def _packages() -> set[str]:
    return {_module_name(path) for path in SRC.rglob("__init__.py")}


def _earlier_paths() -> dict[tuple[str, str], str]:
    """(earlier module, name) -> where it comes from, for earlier paths that are no package's
    face: the names :data:`OLD_PATHS` keeps, and any other name such a module imports (a name
    moved out later would be one too)."""
    earlier = {(old, name): new for old, new, name in OLD_PATHS if old not in PACKAGE_FACES}
    sources = _sources()
    for old in {old for old, _ in earlier}:
        for node in sources[old][1].body:
            if isinstance(node, ast.ImportFrom) and node.module:
                for alias in node.names:
                    earlier.setdefault((old, alias.asname or alias.name), node.module)
    earlier.update({(old, name): new for old, new, name in NAMES_KEPT})
    return earlier


def test_the_shim_modules_are_found():
    """The finder sees the known earlier paths, so the checks below cannot pass on nothing."""
    assert {"labelwright.analysis", "labelwright.explain", "labelwright.ranking",
            "labelwright.run_diff", "labelwright.vote_calibration",
            "labelwright.model_comparison", "labelwright.toml_lines",
            "labelwright.review.export", "labelwright.review.rank_cache",
            "labelwright.runs.diff_lines"} <= shim_modules()
    assert "labelwright.models.vote_calibration" not in shim_modules()


def test_the_library_imports_no_earlier_path():
    """src/ imports each name from the module that defines it: an earlier path is kept for
    users' scripts, and the library going through one hides where the name lives."""
    shims, earlier = shim_modules(), _earlier_paths()
    wrong = []
    for module, (path, tree) in _sources().items():
        if module in shims:
            continue
        for line, target, name in _imports(module, tree):
            full = target if name is None else f"{target}.{name}"
            if target in shims or full in shims:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {full} (an earlier path)")
            elif (target, name) in earlier:
                wrong.append(f"{path.relative_to(SRC)}:{line}: {full} "
                             f"(defined in {earlier[target, name]})")
    assert wrong == []


_LINK = re.compile(r":(?:mod|func|class|data|attr|meth|exc):`~?(labelwright(?:\.\w+)+)`")


def test_the_library_links_no_earlier_path():
    """The docs' cross-references name the defining module too, so a reader lands on it."""
    shims, earlier = shim_modules(), _earlier_paths()
    wrong = []
    for module, (path, _) in _sources().items():
        if module in shims:
            continue
        text = path.read_text(encoding="utf-8")
        for match in _LINK.finditer(text):
            target = match.group(1)
            parent, _, name = target.rpartition(".")
            if (any(target == s or target.startswith(s + ".") for s in shims)
                    or (parent, name) in earlier):
                line = text.count("\n", 0, match.start()) + 1
                wrong.append(f"{path.relative_to(SRC)}:{line}: {target}")
    assert wrong == []


@pytest.mark.parametrize("module", ["labelwright.report.html", "labelwright.lfs.stats",
                                    "labelwright.review.decisions.ledger"])
def test_an_unknown_name_of_a_module_with_moved_names_is_an_attribute_error(module):
    """A module whose moved names are looked up on first use (moved_names.py) still answers
    a name it never had as Python does, naming the module and the name: ``hasattr`` is
    False and ``from ... import`` says what is missing, not a KeyError of the lookup."""
    found = importlib.import_module(module)
    with pytest.raises(AttributeError, match=f"module '{module}' has no attribute 'lf_tabel'"):
        found.lf_tabel  # noqa: B018
    assert not hasattr(found, "lf_tabel")
    with pytest.raises(ImportError, match="cannot import name 'lf_tabel'"):
        exec(f"from {module} import lf_tabel", {})
