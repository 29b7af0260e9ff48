"""A re-run whose votes all come from the vote cache builds no spaCy pipeline and works out
no lemma clashes again: the walkthrough's Spanish project spent 5 s loading lookup tables
no vote needed and 4 s on lemma clashes of unchanged glossaries, on every re-run."""

from __future__ import annotations

import copy
import errno
import json
import logging
import os
import pickle
import subprocess
import sys
from types import SimpleNamespace

import pytest

from labelwright.config import NLPConfig
from labelwright.errors import GlossaryError
from labelwright.nlp import lazy, pipeline_fingerprint
from labelwright.nlp import pipeline as pipeline_module
from labelwright.nlp.lazy import as_pipeline
from labelwright.project import lemma_claims, load_project, run_project
from labelwright.project.check import check_project

GLOSSARY = "label: billing\nmode: lemma\nterms:\n  - refund\n  - charge\n"
#: an LF reading lemmas: the run warns of nothing here, and reads the Doc when it computes
LEMMA_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def crash_lemma(item):
    return "technical" if any(t.lemma_ == "crash" for t in item.doc) else ABSTAIN

@labeling_function()
def verbs(item):
    return "technical" if any(t.pos_ == "VERB" for t in item.doc) else ABSTAIN
'''


def manifest(result):
    return json.loads((result.run_dir / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def builds(monkeypatch):
    """The pipelines built (their [nlp] lang), however they are asked for."""
    built: list[str] = []
    original = pipeline_module._load_pipeline

    def counting(config, **kwargs):
        built.append(config.lang)
        return original(config, **kwargs)

    monkeypatch.setattr(pipeline_module, "_load_pipeline", counting)
    return built


@pytest.fixture
def fresh_pipelines():
    """Blank pipelines built for the test alone: one it changes is not the one later
    tests are given (they are cached per setting)."""
    pipeline_module._blank_pipeline.cache_clear()
    yield
    pipeline_module._blank_pipeline.cache_clear()


@pytest.fixture
def clash_checks(monkeypatch):
    """How many glossaries each working-out of the lemma clashes was given."""
    calls: list[int] = []
    original = lemma_claims.lemma_problems

    def counting(glossaries, nlp):
        calls.append(len(glossaries))
        return original(glossaries, nlp)

    monkeypatch.setattr(lemma_claims, "lemma_problems", counting)
    return calls


def test_a_rerun_from_the_vote_cache_builds_no_pipeline(make_project, builds, clash_checks):
    root = make_project(glossaries={"money": GLOSSARY}, lfs={"tickets": LEMMA_LF})
    first = run_project(root, report=False)
    assert builds == ["en"] and clash_checks == [1]
    second = run_project(root, report=False)
    assert builds == ["en"], "the second run built the pipeline though no vote needed it"
    assert clash_checks == [1], "the lemma clashes of unchanged glossaries were worked out again"
    assert second.applied.matrix.lf_names == first.applied.matrix.lf_names
    assert (second.applied.matrix.votes == first.applied.matrix.votes).all()
    # the warnings of LFs reading what the pipeline does not fill are said all the same
    said = [w for w in first.warnings + first.dataset.warnings if "part-of-speech" in w]
    assert said and [w for w in second.warnings + second.dataset.warnings
                     if "part-of-speech" in w] == said
    # and the manifest records the same pipeline
    assert manifest(second)["pipeline"] == manifest(first)["pipeline"]


def test_a_rerun_from_the_vote_cache_imports_no_spacy(make_project):
    """Nor does it import spaCy (and torch, which spaCy's thinc loads): some 240 MB of
    the run's memory and 2-3 s of its start."""
    root = make_project(glossaries={"money": GLOSSARY}, lfs={"tickets": LEMMA_LF})
    code = ("import sys\nfrom labelwright.project import run_project\n"
            f"run_project({str(root)!r}, report=False)\n"
            "print(sorted(m for m in ('spacy', 'torch', 'thinc') if m in sys.modules))\n")

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.strip().splitlines()[-1]

    assert "spacy" in run()  # the first run parses
    assert run() == "[]"


def test_an_edited_lf_that_reads_the_doc_builds_it(make_project, builds):
    root = make_project(glossaries={"money": GLOSSARY}, lfs={"tickets": LEMMA_LF})
    first = run_project(root, report=False)
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(LEMMA_LF.replace('"crash"', '"break"'), encoding="utf-8")
    second = run_project(root, report=False)
    assert builds == ["en", "en"]
    assert manifest(second)["pipeline"] == manifest(first)["pipeline"]


def test_an_edited_glossary_has_its_clashes_worked_out_again(make_project, clash_checks):
    root = make_project(glossaries={"money": GLOSSARY})
    run_project(root, report=False)
    (root / "glossaries" / "money.yaml").write_text(GLOSSARY + "  - fee\n", encoding="utf-8")
    run_project(root, report=False)
    assert clash_checks == [1, 1]


def test_a_clash_read_from_the_cache_is_the_same_error(make_project, clash_checks):
    root = make_project(glossaries={
        "money": GLOSSARY, "broken": "label: technical\nmode: lemma\nterms:\n  - refunds\n"})
    errors = []
    for _ in range(2):
        with pytest.raises(GlossaryError) as caught:
            load_project(root).applier()
        errors.append(str(caught.value))
    assert "has the lemmas of" in errors[0]
    assert errors[1] == errors[0]
    assert clash_checks == [2]


def test_without_the_caches_the_pipeline_is_built_at_load(make_project, builds):
    root = make_project(glossaries={"money": GLOSSARY}, extra="\n[apply]\ncache = false\n")
    for _ in range(2):
        load_project(root)
    assert builds == ["en", "en"]


def test_a_pipeline_not_built_yet_copies_and_pickles_as_its_settings(make_project):
    root = make_project(glossaries={"money": GLOSSARY})
    load_project(root)  # stores what the next load needs to leave it unbuilt
    nlp = load_project(root).nlp
    assert not nlp.loaded
    assert nlp._path is None and nlp.pipe_names == ["labelwright_lookup_lemmas"]
    assert nlp.lang == "en" and not nlp.loaded
    for twin in (copy.copy(nlp), pickle.loads(pickle.dumps(nlp))):
        assert not twin.loaded
        assert [t.lemma_ for t in twin("refunds")] == ["refund"]
    assert not nlp.loaded
    assert [t.lemma_ for t in nlp("charges")] == ["charge"] and nlp.loaded


def test_a_copy_of_the_runner_shares_the_matcher_either_builds(make_project):
    """The streaming apply works on a copy of the runner: built lazily, the matcher was
    built once by the copy and again by the original (every phrase parsed twice)."""
    root = make_project(glossaries={"money": GLOSSARY})
    runner = load_project(root).applier().runner
    twin = copy.copy(runner)
    assert twin.matcher is not None and runner.matcher is twin.matcher


def stale_facts(root, fingerprint="0" * 64):
    """Rewrite the stored pipeline facts as a stale entry would hold them."""
    entries = list((root / ".labelwright" / "cache" / "pipelines").glob("*.json"))
    assert entries, "no pipeline facts were stored"
    for entry in entries:
        facts = json.loads(entry.read_text(encoding="utf-8"))
        facts["fingerprint_parts"]["fingerprint"] = fingerprint
        facts["description"]["fingerprint"] = fingerprint
        entry.write_text(json.dumps(facts), encoding="utf-8")


def test_verify_recompute_builds_the_pipeline_it_compares(make_project):
    """`runs verify --recompute` applies the LFs without the caches to check a run: it took
    the pipeline's fingerprint from the pipeline facts cache, so a stale entry passed as
    the pipeline the run used, and it wrote both caches (a warning each time in a
    read-only project)."""
    from labelwright.config import load_config
    from labelwright.nlp import load_pipeline, pipeline_fingerprint
    from labelwright.runs.verify.fresh import apply_fresh

    root = make_project(glossaries={"money": GLOSSARY})
    load_project(root)
    stale_facts(root)
    assert load_project(root).nlp.facts["fingerprint_parts"]["fingerprint"] == "0" * 64
    before = sorted((e, e.stat().st_mtime_ns)
                    for e in (root / ".labelwright" / "cache" / "pipelines").glob("*.json"))
    claims = root / ".labelwright" / "cache" / "lemma_claims"
    for entry in claims.glob("*.json"):
        entry.unlink()
    config = load_config(root)
    fresh = apply_fresh(config)
    assert fresh.pipeline == pipeline_fingerprint(load_pipeline(config.nlp)) != "0" * 64
    assert sorted((e, e.stat().st_mtime_ns) for e, _ in before) == before
    assert not list(claims.glob("*.json")), "verify wrote the lemma clash cache"


def test_a_change_made_through_the_stand_in_reaches_the_pipeline_and_its_fingerprint(
        make_project, fresh_pipelines):
    """`nlp.max_length = 5` set an attribute of the stand-in, not of the pipeline, and
    `nlp.add_pipe(...)` changed the pipeline while its fingerprint (the caches' keys) and
    pipe_names stayed the stored ones: votes of the changed pipeline were read from the
    vote cache entries of the unchanged one."""
    from labelwright.nlp import fingerprint_parts, pipeline_description, pipeline_fingerprint

    root = make_project(glossaries={"money": GLOSSARY})
    load_project(root)
    nlp = load_project(root).nlp
    stored = pipeline_fingerprint(nlp)
    nlp.max_length = 5
    assert nlp.language().max_length == 5
    with pytest.raises(ValueError, match="E088"):
        nlp("longer than five")
    nlp.add_pipe("sentencizer")
    assert nlp.pipe_names == nlp.language().pipe_names == [
        "labelwright_lookup_lemmas", "sentencizer"]
    real = fingerprint_parts(nlp.language())["fingerprint"]
    assert pipeline_fingerprint(nlp) == real != stored
    assert pipeline_description(nlp)["components"] == nlp.pipe_names
    twin = pickle.loads(pickle.dumps(nlp))
    assert twin.pipe_names == nlp.pipe_names


def test_a_change_made_through_one_stand_in_reaches_no_other_load(make_project, tmp_path,
                                                                  fresh_pipelines):
    """The blank pipeline of a setting is one per process: `nlp.add_pipe(...)` through one
    project's stand-in changed it for every later load of those settings, which kept its
    stored facts (the unchanged fingerprint) while parsing with the changed pipeline, and a
    project with no stored facts yet stored the changed pipeline's under the plain
    settings' key."""
    root = make_project(glossaries={"money": GLOSSARY})
    load_project(root)
    changed = load_project(root).nlp
    changed.language()  # built (the shared one) before the change
    changed.add_pipe("sentencizer")
    assert "sentencizer" in changed.language().pipe_names
    again = load_project(root).nlp
    assert "sentencizer" not in again.language().pipe_names
    other = make_project(glossaries={"money": GLOSSARY}, root=tmp_path / "other")
    fresh = load_project(other).nlp  # no stored facts: built now, its facts stored
    assert "sentencizer" not in as_pipeline(fresh).pipe_names
    (entry,) = (other / ".labelwright" / "cache" / "pipelines").glob("*.json")
    assert "sentencizer" not in json.loads(entry.read_text())["description"]["components"]


def test_a_changed_nlp_setting_builds_the_pipeline_it_names(make_project, builds):
    root = make_project(glossaries={"money": GLOSSARY})
    first = load_project(root).nlp
    config = root / "labelwright.toml"
    config.write_text(config.read_text() + "\n[nlp]\nsentencizer = true\n")
    second = load_project(root).nlp
    assert builds == ["en", "en"]
    assert pipeline_fingerprint(second) != pipeline_fingerprint(first)
    assert "sentencizer" in second.pipe_names


@pytest.mark.parametrize("distribution", ["spacy", "thinc", "spacy-lookups-data", "sudachipy"])
def test_the_facts_key_follows_each_installed_package(monkeypatch, distribution):
    """An upgrade (or a removal) of what parses changes the key: the stored facts are not
    read for a pipeline built of other code (sudachipy: Japanese's tokenizer, whose removal
    the built pipeline says when it parses)."""
    config = NLPConfig(lang="ja")
    before = lazy.facts_key(config)
    real = lazy.importlib.metadata.version

    def other(name):
        return "99.0" if name == distribution else real(name)

    monkeypatch.setattr(lazy.importlib.metadata, "version", other)
    assert lazy.facts_key(config) != before


def test_the_facts_key_follows_the_language_table_files(monkeypatch, tmp_path):
    (tmp_path / "data").mkdir()
    table = tmp_path / "data" / "en_lemma_lookup.json"
    table.write_text("{}")
    (tmp_path / "data" / "de_lemma_lookup.json").write_text("{}")
    monkeypatch.setattr(lazy.importlib.util, "find_spec", lambda name: SimpleNamespace(
        origin=str(tmp_path / "__init__.py")))
    config = NLPConfig(lang="en")
    before = lazy.facts_key(config)
    (tmp_path / "data" / "de_lemma_lookup.json").write_text('{"a": "b"}')
    assert lazy.facts_key(config) == before, "another language's table changed the key"
    table.write_text('{"a": "b"}')
    assert lazy.facts_key(config) != before


@pytest.mark.parametrize("change", [{"lang": "de"}, {"lemmatizer": False},
                                    {"sentencizer": True}, {"pipeline": "en_core_web_sm"}])
def test_the_facts_key_follows_the_nlp_settings(change):
    base = lazy.facts_key(NLPConfig(lang="en"))
    changed = lazy.facts_key(NLPConfig(**{"lang": "en", **change}))
    assert changed != base
    assert (changed is None) == ("pipeline" in change), "a named pipeline is built at load"


@pytest.mark.parametrize(("number", "warned"), [(errno.EACCES, False), (errno.EROFS, False),
                                                (errno.ENOSPC, True)])
def test_a_read_only_project_loads_without_a_warning_each_time(make_project, monkeypatch,
                                                               caplog, number, warned):
    """load_project of a project folder the user cannot write (a shared checkout read in a
    notebook) warned 'cannot write the pipeline facts cache' on every load, and the lemma
    clash cache on every applier: said once, at debug level; a full disk still warns."""
    from labelwright import caches

    def refused(folder, suffix=".tmp"):
        raise OSError(number, os.strerror(number), str(folder))

    root = make_project(glossaries={"money": GLOSSARY})
    monkeypatch.setattr(caches, "new_temp_file", refused)
    monkeypatch.setattr(caches, "_SAID", set())
    with caplog.at_level(logging.DEBUG, logger="labelwright"):
        for _ in range(2):
            load_project(root).applier()
    said = [r for r in caplog.records if "cannot write the" in r.getMessage()]
    warnings = [r for r in said if r.levelno >= logging.WARNING]
    if warned:
        assert len(warnings) == 4
    else:
        assert not warnings
        assert sorted(r.getMessage().split(" in ")[0] for r in said) == [
            "cannot write the lemma clash cache", "cannot write the pipeline facts cache"]


def test_the_facts_key_follows_the_code_that_works_out_the_facts(monkeypatch, tmp_path):
    """Whether the pipeline gives lemmas and which annotations it leaves unfilled are
    worked out in labelwright.lfs: an edit there (a new annotation to check) changed no key,
    so the stored facts went on answering as the old code had."""
    assert all(source.is_file() for source in lazy.FACT_SOURCES)
    sources = [tmp_path / "lemma_reads.py", tmp_path / "pipeline_reads.py"]
    for source in sources:
        source.write_text("DOC_FIELDS = ()\n")
    monkeypatch.setattr(lazy, "FACT_SOURCES", tuple(sources))
    config = NLPConfig(lang="en")
    before = lazy.facts_key(config)
    sources[1].write_text("DOC_FIELDS = ('ents',)\n")
    assert lazy.facts_key(config) != before


def test_a_glossary_matcher_takes_a_projects_stand_in(make_project):
    """GlossaryMatcher (public) was handed `load_project(path).nlp` and failed: the
    stand-in's `pipeline()` method hid spaCy's `Language.pipeline` list it reads."""
    from labelwright.glossaries.matching import GlossaryMatcher

    root = make_project(glossaries={"money": GLOSSARY})
    load_project(root)
    project = load_project(root)
    assert isinstance(project.nlp, lazy.LazyPipeline)
    matcher = GlossaryMatcher(project.glossaries, project.nlp)
    assert matcher.glossaries == list(project.glossaries)


def test_the_stand_in_pipeline_is_spacys_list_of_components_and_still_gives_the_language(
        make_project):
    """`nlp.pipeline` was the stand-in's own method: code written for a Language
    (`for name, component in nlp.pipeline`) raised "'method' object is not iterable", and
    `check_project(project=...)` did so for a lemma glossary with exclusions once the
    pipeline's facts were cached (any second session)."""
    glossary = GLOSSARY + "exclusions:\n  - \"not\"\n"
    root = make_project(glossaries={"money": glossary})
    load_project(root)  # stores the facts
    project = load_project(root)
    assert isinstance(project.nlp, lazy.LazyPipeline)
    assert [name for name, _ in project.nlp.pipeline] == ["labelwright_lookup_lemmas"]
    assert project.nlp.pipeline() is project.nlp.language()
    report = check_project(project=project)
    assert report.ok, report.problems
