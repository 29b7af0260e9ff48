"""The manifest's ``apply`` section: how a run applied its LFs, and never a credential."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from labelwright.apply import ApplyResult
from labelwright.matrix import LabelMatrix
from labelwright.project import run_project
from labelwright.runs.apply_record import (
    apply_record,
    parse_time_text,
    scheduler_address,
    vote_cache_text,
)
from labelwright.runs.store import read_manifest
from ticket_data import BILLING_GLOSSARY, TICKETS


def _apply_section(result):
    return read_manifest(result.run_dir)["apply"]


@pytest.mark.parametrize(("address", "recorded"), [
    ("tcp://alice:s3cret@10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("tls://alice:p@ss/w?rd@scheduler.internal:8786", "tls://scheduler.internal:8786"),
    ("alice:s3cret@10.0.0.5:8786", "10.0.0.5:8786"),
    ("gateway://gw.internal:8000/clusters/c1?token=s3cret", "gateway://gw.internal:8000/clusters/c1"),
    ("tcp://10.0.0.5:8786", "tcp://10.0.0.5:8786"),
    ("10.0.0.5:8786", "10.0.0.5:8786"),
])
def test_a_scheduler_address_is_recorded_without_credentials(address, recorded):
    assert scheduler_address(address) == recorded


def test_a_run_on_a_named_cluster_records_its_address_without_the_password():
    """The address is what a team needs to say where labels were computed; a password in it
    must never reach a manifest that travels with the labels."""
    applier = SimpleNamespace(scheduler="tcp://alice:s3cret@10.0.0.5:8786", workers=None,
                              chunk_size=500, cache=None, doc_cache=None,
                              session_client=False)  # as an Applier always has it
    applied = SimpleNamespace(engine="dask", computed={"a": 1200, "b": 1200}, docs_read=0,
                              lf_seconds={"a": 1.5, "b": 0.25}, parse_seconds=0.0,
                              match_seconds=0.0, workers_seen=None,
                              matrix=SimpleNamespace(votes=np.zeros((1200, 2))))
    record = apply_record(applier, applied, requested="dask")  # type: ignore[arg-type]
    assert record["scheduler"] == "tcp://10.0.0.5:8786" and "s3cret" not in json.dumps(record)
    assert (record["cluster"], record["workers"], record["chunk_size"]) == (
        "scheduler", None, 500)  # the workers could not be asked which ran
    assert record["dask_workers"] is None


def test_a_run_records_its_engine_chunks_and_what_the_caches_gave(make_project):
    root = make_project()
    first = _apply_section(run_project(root, engine="local", report=False))
    assert first["engine"] == "local" and first["engine_requested"] == "local"
    assert (first["cluster"], first["scheduler"], first["workers"]) == (None, None, 1)
    assert first["chunk_size"] == 10_000
    assert first["vote_cache"] == {"used": True, "refreshed": False, "hits": 0, "misses": 6,
                                   "lfs_computed": ["mentions_refund", "crashes"],
                                   "lfs_cached": []}
    assert first["doc_cache"]["used"] is False  # the project's LFs read no Doc
    assert first["rows_computed"] == {"mentions_refund": 6, "crashes": 6}  # still there

    again = _apply_section(run_project(root, report=False))  # no engine named: auto
    assert again["engine_requested"] == "auto" and again["engine"] == "local"
    assert again["vote_cache"] == {"used": True, "refreshed": False, "hits": 6, "misses": 0,
                                   "lfs_computed": [],
                                   "lfs_cached": ["mentions_refund", "crashes"]}
    assert again["workers"] == 0  # every vote from the cache: no engine started
    refreshed = _apply_section(run_project(root, cache="refresh", report=False))
    assert refreshed["vote_cache"]["refreshed"] is True  # as a first run, but said so
    assert refreshed["vote_cache"]["misses"] == 6


def test_a_run_without_the_cache_says_so(make_project):
    record = _apply_section(run_project(make_project(), cache=False, report=False))
    assert record["vote_cache"] == {"used": False, "refreshed": None, "hits": None,
                                    "misses": None,
                                    "lfs_computed": None, "lfs_cached": None}
    assert record["doc_cache"] == {"used": False, "hits": None}


def test_the_doc_cache_hits_are_the_docs_read_back(make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[apply]\ndoc_cache = true\n')
    first = _apply_section(run_project(root, engine="local", report=False))
    assert first["doc_cache"] == {"used": True, "hits": 0}
    # an edited glossary matches every item again, on the Docs the Doc cache kept
    glossary = root / "glossaries" / "money.yaml"
    glossary.write_text(glossary.read_text() + "  - term: receipt\n")
    second = _apply_section(run_project(root, engine="local", report=False))
    assert second["doc_cache"] == {"used": True, "hits": 6}
    assert second["vote_cache"]["misses"] == 6


def test_parsing_and_matching_have_their_seconds(make_project):
    """A glossary LF's seconds are its vote alone (0.0 s): the time of parsing and matching
    was nowhere in the manifest."""
    rows = [{**row, "id": f"{row['id']}-{k}", "text": f"{row['text']} ({k})"}
            for k in range(100) for row in TICKETS]
    root = make_project(rows=rows, glossaries={"money": BILLING_GLOSSARY})
    record = _apply_section(run_project(root, engine="local", cache=False, report=False))
    assert 0 < record["parse_seconds"] < record["seconds"]
    assert 0 < record["match_seconds"] < record["seconds"]
    assert record["parse_seconds"] + record["match_seconds"] <= record["seconds"]
    pool = _apply_section(run_project(root, engine="processes", cache=False, report=False))
    assert pool["parse_seconds"] > 0 and pool["match_seconds"] > 0  # from the workers
    no_parse = _apply_section(run_project(make_project(root=root.parent / "plain", rows=rows),
                                          cache=False, report=False))
    assert (no_parse["parse_seconds"], no_parse["match_seconds"]) == (0.0, 0.0)


def test_the_parse_line_is_said_when_parsing_took_a_while():
    quick = _applied({"a": 10}, 10)
    assert parse_time_text(quick) is None
    slow = replace(quick, parse_seconds=6.14, match_seconds=0.0, lf_seconds={"a": 0.25})
    assert parse_time_text(slow) == "parsing 6.1 s, glossary matching 0.0 s, LFs 0.2 s"


def test_a_pool_records_the_workers_it_started(make_project):
    """A pool never starts more workers than there are chunks (2 of 3 items for 6 items)."""
    root = make_project()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + "\n[apply]\nworkers = 4\nchunk_size = 3\n")
    record = _apply_section(run_project(root, engine="processes", cache=False, report=False))
    assert (record["engine"], record["workers"], record["chunk_size"]) == ("processes", 2, 3)


def test_a_dask_run_records_its_cluster(make_project, dask_scheduler):
    root = make_project()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + "\n[apply]\nworkers = 1\n")
    local = _apply_section(run_project(root, engine="dask", cache=False, report=False))
    assert (local["engine"], local["cluster"], local["scheduler"], local["workers"]) == (
        "dask", "LocalCluster", None, 1)
    assert local["dask_workers"]["addresses"][0].startswith("tcp://")
    named = _apply_section(run_project(root, scheduler=dask_scheduler, cache=False,
                                       report=False))
    assert (named["engine_requested"], named["engine"]) == ("auto", "dask")  # a scheduler
    # the workers that ran (the 6 items are one chunk: one of the cluster's two), each seen
    # to run the client's code on the client's project; the count was null
    from distributed import Client

    with Client(dask_scheduler) as client:
        cluster = set(client.scheduler_info()["workers"])
    seen = named["dask_workers"]["addresses"]
    assert len(seen) == 1 and set(seen) <= cluster
    assert (named["cluster"], named["scheduler"], named["workers"]) == (
        "scheduler", dask_scheduler, 1)
    assert named["dask_workers"]["matched_client"] == [
        "labelwright_code", "python", "spacy", "spacy-lookups-data", "thinc", "labels",
        "lf_folder_files", "lf_sources", "glossaries", "pipeline", "outside_modules"]


ADDED_LF = """

@labeling_function()
def says_charge(item):
    return "billing" if "charge" in item.text.lower() else ABSTAIN
"""


def test_a_run_after_adding_an_lf_computes_it_alone_and_says_so(make_project, cli):
    """The manifest names the LFs computed and those read from the vote cache, and `run`
    prints what the cache gave; adding an LF to a module recomputed its neighbours too."""
    root = make_project()
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0
    assert "votes: 2 LFs computed (mentions_refund, crashes), none from the vote cache" in out
    module = root / "labeling_functions" / "tickets.py"
    module.write_text(module.read_text() + ADDED_LF)
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0
    assert "votes: 1 LF computed (says_charge), 2 from the vote cache" in out
    run_dir = sorted(p for p in (root / "runs").iterdir() if p.is_dir())[-1]
    record = read_manifest(run_dir)["apply"]["vote_cache"]
    assert record["lfs_computed"] == ["says_charge"]
    assert record["lfs_cached"] == ["mentions_refund", "crashes"]
    code, out = cli("analyze", "-p", str(root))
    assert "votes: 3 LFs, all from the vote cache" in out
    code, out = cli("analyze", "-p", str(root), "--no-cache")
    assert ("votes: 3 LFs computed, none read from the vote cache, which now holds them "
            "(--no-cache)") in out
    (root / "labelwright.toml").write_text((root / "labelwright.toml").read_text()
                                           + "\n[apply]\ncache = false\n")
    code, out = cli("analyze", "-p", str(root))
    assert "votes: 3 LFs computed (vote cache off)" in out, out


def _applied(computed, n_items, cache=True):
    names = list(computed)
    matrix = LabelMatrix(np.full((n_items, len(names)), -1, dtype=np.int8), names,
                         [str(i) for i in range(n_items)], ("billing", "technical"))
    return ApplyResult(matrix=matrix, matches=[], failures={}, seconds=0.0, parsed=False,
                       computed=computed, vote_cache=cache)


@pytest.mark.parametrize(("computed", "n_items", "line"), [
    ({f"lf{i}": 120 for i in range(8)}, 849,
     "votes: 8 LFs computed on 120 of 849 items (lf0, lf1, lf2, lf3, lf4 and 3 more), the rest "
     "from the vote cache"),
    ({"a": 0, "b": 1200, "c": 0}, 1200, "votes: 1 LF computed (b), 2 from the vote cache"),
    ({"a": 0}, 3, "votes: 1 LF, all from the vote cache"),
    # one LF edited while 2 rows were added: it ran on every item, the others on the new
    ({"edited": 849, "b": 2, "c": 2, "d": 0}, 849,
     "votes: 3 LFs computed: edited on all 849 items; 2 LFs on 2 of 849 (b, c); the rest from "
     "the vote cache"),
])
def test_the_vote_cache_line_counts_lfs_and_items(computed, n_items, line):
    assert vote_cache_text(_applied(computed, n_items)) == line


def test_a_dask_client_is_a_scheduler_and_the_sessions_is_used_when_none_is_named(
        make_project, dask_scheduler):
    """scheduler=client was an AttributeError ('Client' object has no attribute
    'partition'); engine="dask" with a Client in the session started and stopped a
    LocalCluster of its own on every apply. The client is the caller's: left open."""
    from distributed import Client

    root = make_project()
    with Client(dask_scheduler) as client:
        given = _apply_section(run_project(root, scheduler=client, cache=False, report=False))
        assert (given["engine"], given["cluster"], given["scheduler"]) == (
            "dask", "scheduler", dask_scheduler)
        session = _apply_section(run_project(root, engine="dask", cache=False, report=False))
        assert (session["cluster"], session["scheduler"]) == ("session client", dask_scheduler)
        assert len(session["dask_workers"]["addresses"]) == 1
        assert client.status == "running"
    with pytest.raises(TypeError, match=r"scheduler= takes a Dask scheduler's address \(a "
                       r"str such as 'tcp://10\.0\.0\.5:8786'\) or a distributed\.Client, not "
                       r"int"):
        run_project(root, scheduler=8786, cache=False, report=False)


def test_the_sessions_client_is_said_and_recorded_only_when_an_apply_uses_it(
        make_project, dask_scheduler, caplog):
    """A run whose votes all came from the vote cache logged that the LFs were applied on
    the session's Dask client and recorded apply.cluster "session client", though no
    cluster work was done."""
    import logging

    from distributed import Client

    root = make_project()
    said = "applies the LFs on the session's Dask client"
    with Client(dask_scheduler), caplog.at_level(logging.INFO, "labelwright"):
        used = _apply_section(run_project(root, engine="dask", report=False))
        assert sum(said in r.getMessage() for r in caplog.records) == 1
        caplog.clear()
        cached = _apply_section(run_project(root, engine="dask", report=False))
        assert not [r for r in caplog.records if said in r.getMessage()]
    assert (used["cluster"], used["scheduler"]) == ("session client", dask_scheduler)
    assert used["workers"] == 1 and used["vote_cache"]["misses"] > 0
    assert (cached["cluster"], cached["scheduler"], cached["workers"]) == (None, None, 0)
    assert cached["vote_cache"]["misses"] == 0 and cached["dask_workers"] is None


def test_a_column_added_says_why_no_vote_came_from_the_cache(make_project):
    """Adding a column no LF reads recomputed every vote with only "none from the vote
    cache" to show for it."""
    import csv

    from labelwright import run_project
    from labelwright.runs.apply_record import vote_cache_text

    root = make_project()
    first = run_project(root, report=False)
    items = root / "data" / "items.csv"
    rows = list(csv.DictReader(items.open(encoding="utf-8")))
    with items.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [*rows[0], "ingest_date"])
        writer.writeheader()
        writer.writerows({**row, "ingest_date": "2026-12-06"} for row in rows)
    said = vote_cache_text(run_project(root, report=False).applied)
    assert said.endswith("none from the vote cache; every row's key changed since run "
                         f"{first.run_id}: new column 'ingest_date' (a row's key holds all "
                         "its fields, since an LF may read any of them, so a column added "
                         "or dropped makes every vote one to compute again, once)"), said
    again = vote_cache_text(run_project(root, report=False).applied)
    assert again.endswith("all from the vote cache"), again


def test_a_vote_cache_of_an_older_key_scheme_says_why_no_vote_came_from_it(make_project):
    """After an upgrade that changed what a key holds, every vote was computed again with
    only "none from the vote cache" to show for it (and the README said most keys stayed)."""
    from labelwright import run_project
    from labelwright.apply.cache import KEY_SCHEME, SCHEME_FILE
    from labelwright.runs.apply_record import vote_cache_text

    root = make_project()
    votes = root / ".labelwright" / "cache" / "votes"
    votes.mkdir(parents=True)
    (votes / f"{'0' * 64}.npz").write_bytes(b"")  # an older labelwright's entry, no scheme
    said = vote_cache_text(run_project(root, report=False).applied)
    assert said.endswith("none from the vote cache; the vote cache's keys changed with "
                         "labelwright (its entries are of key scheme v3 or older, this "
                         f"labelwright's {KEY_SCHEME}: see README \"Upgrading labelwright\"), "
                         "so votes are computed once again and kept under the new keys"), said
    assert (votes / SCHEME_FILE).read_text() == f"{KEY_SCHEME}\n"
    again = vote_cache_text(run_project(root, report=False).applied)
    assert again.endswith("all from the vote cache"), again
    os.utime(votes / SCHEME_FILE, (1, 1))  # naming this scheme: not written again
    lfs = root / "labeling_functions"
    for path in lfs.glob("*.py"):  # module code that runs: in every LF's key
        path.write_text(path.read_text() + "\n# touched\nTOUCHED = []\nTOUCHED.append(1)\n")
    said = vote_cache_text(run_project(root, report=False).applied)
    assert "none from the vote cache" in said and (votes / SCHEME_FILE).stat().st_mtime == 1
    (votes / SCHEME_FILE).write_text("v2\n")  # a scheme named but not this one
    for path in lfs.glob("*.py"):
        path.write_text(path.read_text() + "\nTOUCHED.append(2)\n")
    said = vote_cache_text(run_project(root, report=False).applied)
    assert "its entries are of key scheme v2, this labelwright's" in said, said
