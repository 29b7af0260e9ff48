"""Dask workers compare what they load with what the client loaded, and say which differs.

A worker on another machine sees its own copy of the project folder. Here a worker's
"other copy" is the same folder changed after the client loaded the project, sent to the
engine directly (an Applier would see the change itself and stop first), or the client's
hashes changed: the worker loads the folder when it builds its runner, so it loads what the
client did not. Each case was silent before (wrong votes, or a project above the path
loaded).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.apply.dask_engine import DaskEngine
from labelwright.apply.engines import RunnerSpec
from labelwright.apply.worker_checks import client_state
from labelwright.data.dataset import read_dataset
from labelwright.errors import ConfigError, LFError, RunError
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY

pytest.importorskip("distributed")

WORKER = r"the Dask worker tcp://[\d.]+:\d+ \(host [^)]+\)"
SAME = "every Dask worker needs the project at the same path as the client"


def _run(loaded, dataset, scheduler):
    applier = loaded.applier(engine="dask", scheduler=scheduler, cache=False)
    return applier.apply(dataset)


def _loaded(make_project, **options):
    root = make_project(**options)
    loaded = load_project(root)
    return root, loaded, read_dataset(loaded.config.data, loaded.labels)


def test_an_lf_file_edited_after_the_client_loaded_stops_before_any_worker_runs(
        make_project, dask_scheduler):
    """It ran the old LF code and the manifest recorded the new source hash. On one
    machine the client sees the edit first, before the cluster starts (a worker's own
    copy differing is the test above, by the hashes the client sends)."""
    root, loaded, dataset = _loaded(make_project)
    module = root / "labeling_functions" / "tickets.py"
    module.write_text(module.read_text().replace('"refund"', '"refunds"'))
    with pytest.raises(RunError, match=r"tickets\.py changed after the LFs were loaded "
                       r"\(before the LFs were applied\)"):
        _run(loaded, dataset, dask_scheduler)


def test_a_worker_with_another_glossary_is_an_error_naming_it(make_project, dask_scheduler):
    root, loaded, dataset = _loaded(make_project, glossaries={"billing": BILLING_GLOSSARY})
    glossary = root / "glossaries" / "billing.yaml"
    glossary.write_text(glossary.read_text() + "\n")
    with pytest.raises(ConfigError, match=WORKER + ".* these glossary files differ from the "
                       f"client's: {re.escape(str(glossary))};"):
        _run(loaded, dataset, dask_scheduler)


def test_the_same_project_on_the_workers_runs_and_is_recorded(make_project, dask_scheduler):
    _, loaded, dataset = _loaded(make_project)
    applied = _run(loaded, dataset, dask_scheduler)
    assert applied.workers_seen and all(a.startswith("tcp://") for a in applied.workers_seen)


def _spec(loaded, **changes):
    runner = loaded.applier(engine="local", cache=False).runner
    expected = replace(client_state(runner, loaded.lf_state), **changes)
    return RunnerSpec("checks", str(loaded.config.root), lf_names=tuple(
        lf.name for lf in loaded.lfs), expected=expected)


def _map_one(spec, dataset, scheduler):
    from labelwright.apply.core import Chunk

    with DaskEngine(spec, scheduler=scheduler) as engine:
        return list(engine.map([Chunk(start=0, ids=dataset.ids[:2], texts=dataset.texts[:2])]))


def test_a_worker_whose_files_differ_from_what_the_client_loaded_is_an_error(
        make_project, dask_scheduler):
    """The client's folder is not touched: the client "loaded" other hashes than the
    worker's copy has, as a client whose LF file was edited on it alone."""
    _, loaded, dataset = _loaded(make_project)
    good = _spec(loaded).expected
    edited = tuple((name, "0" * 64 if name == "tickets.py" else sha)
                   for name, sha in good.lf_files)
    lfs = tuple((name, "1" * 64 if name == "crashes" else sha) for name, sha in good.lfs)
    with pytest.raises(ConfigError, match=WORKER + r" loaded another project at .* than the "
                       r"client: these files of the LF folder differ from the client's: "
                       r".*tickets\.py; the source of these LFs differs from the client's: "
                       r"crashes \(.*tickets\.py:\d+\);"):
        _map_one(_spec(loaded, lf_files=edited, lfs=lfs), dataset, dask_scheduler)
    _map_one(_spec(loaded), dataset, dask_scheduler)  # what it did load: no error


def test_a_worker_running_other_labelwright_code_is_an_error_with_both_hashes(
        make_project, dask_scheduler):
    """The client's labelwright_code is sent; a worker of another build compares its own."""
    _, loaded, dataset = _loaded(make_project)
    spec = _spec(loaded, code="0" * 64)
    with pytest.raises(ConfigError, match=WORKER + r" runs other labelwright code than the "
                       r"client \(labelwright_code sha256 [0-9a-f]{12} on the worker, "
                       r"000000000000 on the client\)"):
        _map_one(spec, dataset, dask_scheduler)


def test_a_worker_with_another_spacy_is_an_error_with_both_versions(
        make_project, dask_scheduler):
    _, loaded, dataset = _loaded(make_project)
    good = _spec(loaded)
    versions = tuple((name, "0.0.1" if name == "spacy-lookups-data" else version)
                     for name, version in good.expected.versions)
    with pytest.raises(ConfigError, match=WORKER + r" has other versions than the client: "
                       r"spacy-lookups-data [^ ]+ on the worker, 0\.0\.1 on the client;"):
        _map_one(replace(good, expected=replace(good.expected, versions=versions)),
                 dataset, dask_scheduler)


def test_a_worker_without_the_project_at_the_path_loads_none_above_it(
        make_project, tmp_path, dask_scheduler):
    """It loaded the project above the path (the bundled example) and then said its LFs
    were not the ones expected."""
    _, loaded, dataset = _loaded(make_project, root=tmp_path / "outer")
    _, inner, _ = _loaded(make_project, root=tmp_path / "outer" / "inner")
    spec = _spec(inner)
    (tmp_path / "outer" / "inner" / "labelwright.toml").unlink()  # not on the worker
    with pytest.raises(ConfigError, match=WORKER + r" has no project at .*inner \(no "
                       r"labelwright\.toml in it\); " + SAME):
        _map_one(spec, dataset, dask_scheduler)
    (tmp_path / "outer" / "inner").rename(tmp_path / "elsewhere")
    with pytest.raises(ConfigError, match=WORKER + r" has no project at .*inner \(no such "
                       r"folder\); " + SAME):
        _map_one(spec, dataset, dask_scheduler)


HELPED = '''
from labelwright import ABSTAIN, labeling_function
from {helper} import WORD


@labeling_function()
def says_word(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


def test_a_worker_that_cannot_import_a_helper_says_it_is_a_worker(make_project, tmp_path,
                                                                  dask_scheduler):
    helper = f"_words_{tmp_path.name.replace('-', '_')}"  # a module no worker imported yet
    root = make_project(lfs={"rules": HELPED.format(helper=helper), helper: 'WORD = "refund"'})
    loaded = load_project(root)
    dataset = read_dataset(loaded.config.data, loaded.labels)
    spec = _spec(loaded)  # the client's, with the helper
    (root / "labeling_functions" / f"{helper}.py").unlink()  # not in the worker's copy
    with pytest.raises(LFError, match=WORKER + r" could not load the project at .*: "
                       r".*rules\.py:3: importing the module failed: ModuleNotFoundError: "
                       rf"No module named '{helper}'.*; " + SAME):
        _map_one(spec, dataset, dask_scheduler)


@labeling_function()
def says_great(item):
    return "billing" if "great" in item.text.lower() else ABSTAIN


def test_an_lf_made_in_the_session_is_said_to_be_in_no_module_of_the_folder(
        make_project, monkeypatch):
    """It was "the worker loaded LFs [...], expected [...]; did the project change during
    the run?": no copy of the project can hold an LF a notebook made. The client says so
    before it starts or reaches any cluster (it was each worker's error, after the tasks
    were sent)."""
    root, loaded, dataset = _loaded(make_project)
    monkeypatch.setattr(DaskEngine, "__init__", _no_cluster)
    with pytest.raises(ConfigError, match=r"the LFs made in the session \(says_great\) are in "
                       r"no module of the LF folder .*labeling_functions, from which every "
                       r"Dask worker loads the LFs: put them in a module there, or use the "
                       r"local or processes engine"):
        _run(loaded.with_lfs(says_great), dataset, "tcp://127.0.0.1:1")


def test_a_glossary_made_in_the_session_is_refused_before_any_task(make_project, monkeypatch):
    """It was "the Dask worker ... loaded another project ... these glossary files differ
    from the client's: <glossary 'praise'>; ... copy the client's project there": no copy
    can hold it."""
    _, loaded, dataset = _loaded(make_project)
    monkeypatch.setattr(DaskEngine, "__init__", _no_cluster)
    praise = {"name": "praise", "label": "billing", "mode": "lowercase", "terms": ["thanks"]}
    with pytest.raises(ConfigError, match=r"the glossaries made in the session \(praise, "
                       r"with_glossaries\) are in no file of the project's glossary folder, "
                       r"from which every Dask worker loads the glossaries: save each as a "
                       r"YAML file there, or use the local or processes engine"):
        _run(loaded.with_glossaries(praise), dataset, "tcp://127.0.0.1:1")


def _no_cluster(self, *args, **kwargs):
    raise AssertionError("the Dask engine started: the client should have refused first")
