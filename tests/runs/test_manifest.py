"""A run's manifest: read through one reader that checks its shape, and whose run it is."""

from __future__ import annotations

import json
import re

import pytest

from labelwright.errors import RunError
from labelwright.runs.manifest import is_file_name, other_project, read_manifest

RUN_ID = "20261201-000000-000000"


def _manifest(**changes):
    manifest = {
        "run_id": RUN_ID,
        "project": {"name": "tickets", "root": "/work/tickets", "labels": ["a", "b"]},
        "data": {"path": "d.csv", "sha256": "ab" * 32, "rows": 2, "gold_rows": 0,
                 "schema": [{"name": "id", "dtype": "string"}], "warnings": []},
        "reviews": None,
        "labeling_functions": [{"name": "lf", "kind": "python", "location": "x.py:1",
                                "source_sha256": "cd" * 32}],
        "label_model": {"name": "majority", "class": "MajorityVote", "params": {},
                        "class_balance": [0.5, 0.5]},
        "triage": {"counts": {"review": 1}},
        "evaluation": {"label_model": {"accuracy": 0.5}, "n_gold": 2},
        "failures": {"lf": {"count": 1, "item_ids": ["i1"]}},
        "git": None,
        "outputs": {"labels.parquet": "ef" * 32},
    }
    manifest.update(changes)
    return manifest


def _write(tmp_path, manifest):
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_a_manifest_as_a_run_writes_it_reads(tmp_path):
    manifest = _manifest()
    assert read_manifest(_write(tmp_path, manifest)) == manifest


@pytest.mark.parametrize(("changes", "said"), [
    ({"outputs": "x"}, "outputs is a JSON string, where a run writes an object"),
    ({"outputs": {"labels.parquet": 5}},
     "outputs['labels.parquet'] is a JSON number, where a run writes a string"),
    ({"reviews": "x"}, "reviews is a JSON string, where a run writes an object or null"),
    ({"data": None}, "data is JSON null, where a run writes an object"),
    ({"labeling_functions": [1]},
     "labeling_functions[0] is a JSON number, where a run writes an object"),
    ({"labeling_functions": [{"kind": "python"}]},
     "labeling_functions[0].name is missing, which a run always records"),
    ({"data": {"sha256": 7}}, "data.sha256 is a JSON number, where a run writes a string or "
                              "null"),
    ({"run_id": None}, "run_id is JSON null, where a run writes a string"),
    ({"run_id": 20261201}, "run_id is a JSON number, where a run writes a string"),
    ({"project": {"labels": "ab"}}, "project.labels is a JSON string, where a run writes a list"),
    ({"data": {"rows": True}}, "data.rows is JSON true, where a run writes a whole number"),
    ({"triage": {"counts": {"review": 1.5}}},
     "triage.counts['review'] is a JSON number, where a run writes a whole number"),
    ({"failures": {"lf": {"item_ids": []}}}, "failures['lf'].count is missing"),
    ({"evaluation": {"label_model": {"accuracy": "high"}}},
     "evaluation.label_model.accuracy is a JSON string, where a run writes a number or null"),
    ({"run_warnings": "check the gold file"},
     "run_warnings is a JSON string, where a run writes a list"),
    ({"run_warnings": [None]}, "run_warnings[0] is JSON null, where a run writes a string"),
])
def test_a_field_of_another_type_is_an_error_naming_the_file_and_the_field(tmp_path, changes,
                                                                          said):
    """Each of these crashed some command with a traceback (AttributeError, TypeError), or
    passed `runs verify`."""
    with pytest.raises(RunError) as caught:
        read_manifest(_write(tmp_path, _manifest(**changes)))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'manifest.json'}: cannot read the manifest: ")
    assert said in message and "NoneType" not in message


def test_a_manifest_without_a_run_id_is_an_error(tmp_path):
    manifest = _manifest()
    del manifest["run_id"]
    with pytest.raises(RunError, match="run_id is missing, which a run always records"):
        read_manifest(_write(tmp_path, manifest))
    with pytest.raises(RunError, match="it holds JSON null, not the object a run writes"):
        read_manifest(_write(tmp_path, None))


def test_fields_a_run_does_not_write_are_not_required(tmp_path):
    """Manifests of older runs lack newer fields; only run_id has always been written."""
    assert read_manifest(_write(tmp_path, {"run_id": RUN_ID})) == {"run_id": RUN_ID}


@pytest.mark.parametrize("name", ["../../labelwright.toml", "/etc/passwd", "sub/labels.parquet",
                                  "..", ".", ""])
def test_an_output_named_other_than_by_a_file_name_of_the_run_is_an_error(tmp_path, name):
    """`runs verify` hashed ../../labelwright.toml and /etc/passwd as the run's outputs."""
    assert not is_file_name(name)
    manifest = _manifest(outputs={"labels.parquet": "ef" * 32, name: "00" * 32})
    with pytest.raises(RunError, match=f"outputs names {name!r}, not a file of the run folder"):
        read_manifest(_write(tmp_path, manifest))


def _record(name, root, labels=("a", "b")):
    return {"name": name, "root": root, "labels": list(labels)}


@pytest.mark.parametrize(("recorded", "project", "theirs"), [
    # moved or cloned elsewhere: the name goes with the project
    (_record("tickets", "/old/place/tickets"), _record("tickets", "/new/place/tickets"), True),
    # [project] name edited in place: the folder is the same
    (_record("tickets", "/work/tickets"), _record("support", "/work/tickets"), True),
    # labels change between runs of one project
    (_record("tickets", "/work/tickets"), _record("tickets", "/elsewhere/t", ("a", "b", "c")),
     True),
    # a folder renamed, [project] name unset on both sides: the labels tell
    (_record("tickets", "/work/tickets"), _record("tickets-v2", "/work/tickets-v2"), True),
    (_record("tickets", "/work/tickets"), _record("tickets-v2", "/work/tickets-v2", ("x", "y")),
     False),
    # another project, its labels the same or not
    (_record("sms", "/work/sms"), _record("yt-spam", "/work/yt"), False),
    (_record("sms", "/work/sms"), _record("yt-spam", "/work/yt", ("x", "y")), False),
])
def test_whose_run_it_is(tmp_path, recorded, project, theirs):
    problem = other_project(tmp_path / RUN_ID, _manifest(project=recorded), project)
    assert (problem is None) == theirs
    if not theirs:
        assert (f"made by project {recorded['name']!r} (labels "
                f"{', '.join(recorded['labels'])}; in {recorded['root']}), not by this "
                f"project {project['name']!r}") in problem
        assert f"move it out of {tmp_path}" in problem


def test_a_manifest_without_a_project_record_cannot_be_told_apart(tmp_path):
    manifest = _manifest()
    del manifest["project"]
    assert other_project(tmp_path, manifest, _record("x", "/x")) is None
    assert other_project(tmp_path, _manifest(), None) is None


@pytest.mark.parametrize(("changes", "said"), [
    ({"apply": {"workers": "4"}}, "apply.workers is a JSON string, where a run writes a whole "
                                  "number or null"),
    ({"apply": {"vote_cache": {"used": True, "hits": 2.5}}},
     "apply.vote_cache.hits is a JSON number, where a run writes a whole number or null"),
    ({"apply": {"scheduler": 8786}}, "apply.scheduler is a JSON number, where a run writes a "
                                     "string or null"),
    ({"timings_seconds": {"outputs": "2s"}},
     "timings_seconds['outputs'] is a JSON string, where a run writes a number"),
])
def test_how_the_lfs_were_applied_and_the_timings_are_checked_as_the_report_reads_them(
        tmp_path, changes, said):
    """The report's summary shows them; an edited value was a traceback there."""
    with pytest.raises(RunError, match=re.escape(said)):
        read_manifest(_write(tmp_path, _manifest(**changes)))
    applied = {"engine": "dask", "seconds": 1.5, "rows_computed": {"lf": 2},
               "engine_requested": "auto", "cluster": "LocalCluster", "scheduler": None,
               "workers": 2, "chunk_size": 10_000,
               "vote_cache": {"used": True, "hits": 0, "misses": 2},
               "doc_cache": {"used": False, "hits": None}}
    manifest = _manifest(apply=applied, timings_seconds={"apply": 1.5, "outputs": 0.25})
    assert read_manifest(_write(tmp_path, manifest)) == manifest


FIRST_DAY = {key: value for key, value in _manifest().items() if key not in ("reviews", "git")}
FIRST_DAY.update(glossaries=[], pipeline={"fingerprint": None})


def test_sections_every_run_records_are_missing_when_deleted():
    """A manifest with whole sections deleted read as a run's and verified ok."""
    from labelwright.runs.manifest import missing_sections

    later = {**FIRST_DAY, "reviews": None, "git": None, "apply": {"engine": "local"}}
    assert missing_sections(later) == []
    for section in ("data", "labeling_functions", "label_model", "reviews", "git"):
        edited = {key: value for key, value in later.items() if key != section}
        assert missing_sections(edited) == [section]
    # a manifest from before runs recorded reviews and git (and none of what came after)
    assert missing_sections(FIRST_DAY) == []
    assert missing_sections({k: v for k, v in FIRST_DAY.items() if k != "data"}) == ["data"]
