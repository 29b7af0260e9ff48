"""Every engine gives the same label matrix, failures and term hits."""

from __future__ import annotations

import io

import pyarrow.parquet as pq
import pytest

from labelwright.apply import Applier
from labelwright.data.dataset import read_dataset
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY
from ticket_data import TICKETS_WITH_NEGATION as TICKETS

FLAKY_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def fragile(item):
    if "app" in item.text:
        raise ValueError("no apps here")
    return "technical" if item.plan == "free" else ABSTAIN


@labeling_function()
def long_words(item):
    return "technical" if any(len(t.text) > 7 for t in item.doc) else ABSTAIN
'''

ROWS = [dict(row, id=f"{row['id']}-{k}") for k in range(7) for row in TICKETS]


@pytest.fixture
def project(make_project):
    root = make_project(rows=ROWS, lfs={"tickets": FLAKY_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    loaded = load_project(root)
    return root, loaded, read_dataset(loaded.config.data, loaded.labels)


def _apply(root, loaded, dataset, engine, **options):
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries,
                      engine=engine, root=root, chunk_size=5, **options)
    return applier.apply(dataset)


def _parquet_bytes(result) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(result.matrix.to_table(), buffer)
    return buffer.getvalue()


def test_processes_engine_matches_local_byte_for_byte(project):
    root, loaded, dataset = project
    local = _apply(root, loaded, dataset, "local")
    pooled = _apply(root, loaded, dataset, "processes", workers=2)
    assert (local.matrix.votes >= 0).any()
    assert _parquet_bytes(pooled) == _parquet_bytes(local)
    assert pooled.failures == local.failures
    assert local.failures["fragile"].count == sum("app" in r["text"] for r in ROWS)
    assert local.failures["fragile"].item_ids == [r["id"] for r in ROWS if "app" in r["text"]][:5]
    assert pooled.term_hits.equals(local.term_hits)
    assert local.term_hits["hits"].sum() > 0


OWN_ERROR = '''
from labelwright import ABSTAIN, labeling_function


class RuleError(Exception):
    pass


@labeling_function()
def strict(item):
    if "refund" in item.text.lower():
        raise RuleError("unexpected format")
    return ABSTAIN
'''


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_fail_fast_on_an_lfs_own_exception_class_is_the_one_line_error(
        make_project, dask_scheduler, engine):
    """On Dask the LF's own exception rode along as the failure's cause; Dask could not
    send it, and the client got a bare Exception after a long traceback."""
    from labelwright.errors import LFFailure

    root = make_project(rows=ROWS, lfs={"strict": OWN_ERROR})
    loaded = load_project(root)
    dataset = read_dataset(loaded.config.data, loaded.labels)
    options = {"scheduler": dask_scheduler} if engine == "dask" else {}
    with pytest.raises(LFFailure, match=r"labeling function 'strict' \(.*strict\.py:\d+\) "
                                        r"raised on item '[^']*' at .*strict\.py:\d+: RuleError: "
                                        r"unexpected format"):
        _apply(root, loaded, dataset, engine, fail_fast=True, **options)


def test_dask_engine_matches_local(project, dask_scheduler):
    root, loaded, dataset = project
    local = _apply(root, loaded, dataset, "local")
    dask = _apply(root, loaded, dataset, "dask", scheduler=dask_scheduler)
    assert _parquet_bytes(dask) == _parquet_bytes(local)
    assert dask.failures == local.failures
    assert dask.term_hits.equals(local.term_hits)


def test_matches_of_big_runs_are_rebuilt_on_demand(project, monkeypatch):
    root, loaded, dataset = project
    kept = _apply(root, loaded, dataset, "local")
    monkeypatch.setattr("labelwright.apply.cell_plan.KEEP_MATCHES_UP_TO", 3)
    rebuilt = _apply(root, loaded, dataset, "local")
    assert rebuilt.matches._kept == {}
    assert [rebuilt.matches[i] for i in range(len(dataset))] == list(kept.matches)
    assert any(kept.matches)


def test_unknown_engine_lists_the_valid_ones(project):
    root, loaded, dataset = project
    with pytest.raises(Exception, match="available: local, processes, dask"):
        _apply(root, loaded, dataset, "threads")
    # a typo gets a guess, as a misspelt config key does
    from labelwright.apply.engines import resolve_engine
    from labelwright.errors import ConfigError

    with pytest.raises(ConfigError, match=r"unknown apply engine 'proceses'; did you mean "
                                          r"'processes'\? available: local, processes, dask"):
        resolve_engine("proceses")


def test_term_hits_count_like_glossary_hits(project):
    from labelwright.lfs.stats import glossary_hits

    root, loaded, dataset = project
    result = _apply(root, loaded, dataset, "local")
    expected = glossary_hits(loaded.glossaries, result.matches)
    assert result.term_hits.equals(expected)
    assert expected["cancelled"].sum() > 0 and expected["hits"].sum() > 0


def test_a_scheduler_means_dask_and_is_never_ignored(project):
    """--scheduler with another engine had been dropped in silence."""
    from labelwright.errors import ConfigError

    _, loaded, _ = project
    assert loaded.applier(scheduler="tcp://127.0.0.1:1").engine == "dask"
    with pytest.raises(ConfigError, match=r"only works with the dask engine, and the engine "
                                          r"is 'local'; pass --engine dask \(engine='dask' "
                                          r"from Python\)"):
        loaded.applier(engine="local", scheduler="tcp://127.0.0.1:1")


def test_an_unreachable_scheduler_is_a_clear_error(project):
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from labelwright.errors import ConfigError

    _, loaded, data = project
    applier = loaded.applier(engine="dask", scheduler="tcp://127.0.0.1:1", cache=False)
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), \
            pytest.raises(ConfigError, match="cannot reach the Dask scheduler at "
                                             "'tcp://127.0.0.1:1'"):
        applier.apply(data)


def test_an_engine_named_for_a_run_overrides_the_configured_scheduler_and_says_so(project):
    """--engine local beside [apply] scheduler ran locally without a word, though a
    scheduler 'with another engine is an error, never ignored'."""
    from labelwright.errors import ConfigError
    from labelwright.project import apply_project

    root, _, _ = project
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text()
                    + '\n[apply]\nscheduler = "tcp://user:secret@127.0.0.1:1?token=t"\n')
    loaded = load_project(root)
    assert loaded.applier(engine="local").engine == "local"
    assert loaded.applier(engine="local").scheduler is None
    assert loaded.applier().engine == "dask"
    dataset, _ = apply_project(loaded, engine="local", cache=False)
    notes = [w for w in dataset.warnings if "scheduler" in w]
    assert notes == ["[apply] scheduler (tcp://127.0.0.1:1) is not used by this run: "
                     "--engine local (engine='local' from Python) applies the LFs with that "
                     "engine instead"]
    # both named for the run: an error, and the address shown without its credentials
    with pytest.raises(ConfigError, match=r"a Dask scheduler \(tcp://127\.0\.0\.1:2, from "
                                          r"--scheduler"):
        loaded.applier(engine="processes", scheduler="tcp://me:pw@127.0.0.1:2")


def test_a_scheduler_named_for_a_run_overrides_the_configured_engine_and_says_so(project):
    from labelwright.project.engine_choice import choose_engine

    root, _, _ = project
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[apply]\nengine = "processes"\n')
    choice = choose_engine(load_project(root).config, scheduler="tcp://127.0.0.1:1")
    assert (choice.engine, choice.scheduler) == ("dask", "tcp://127.0.0.1:1")
    assert choice.note == ("[apply] engine = 'processes' is not used by this run: --scheduler "
                           "(scheduler= from Python) names a Dask cluster, so it applies the "
                           "LFs with the dask engine")


def test_a_pool_starts_no_more_workers_than_there_are_chunks(project, monkeypatch):
    """workers = 100000 forked until the machine stalled, for 16 items."""
    from labelwright.apply import engines

    started = []
    original = engines.ProcessEngine.__init__

    def spy(self, spec, *, workers=None):  # type: ignore[no-untyped-def]
        started.append(workers)
        original(self, spec, workers=workers)

    monkeypatch.setattr(engines.ProcessEngine, "__init__", spy)
    root, loaded, dataset = project
    pooled = _apply(root, loaded, dataset, "processes", workers=64)
    assert started == [-(-len(dataset) // 5)]  # chunk_size 5
    assert _parquet_bytes(pooled) == _parquet_bytes(_apply(root, loaded, dataset, "local"))


DIES = '''
import os

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def dies_on_crash(item):
    if "crash" in item.text.lower():
        os._exit(3)  # as a segfault in C code, or the out-of-memory killer
    return ABSTAIN
'''


def test_a_worker_that_dies_is_an_error_not_a_wait_for_ever(make_project):
    """The pool started a new worker and the lost chunk's result never came: the run hung."""
    import threading

    from labelwright.errors import RunError

    root = make_project(rows=TICKETS, lfs={"dies": DIES})
    loaded = load_project(root)
    data = read_dataset(loaded.config.data, loaded.labels)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, engine="processes",
                      workers=2, chunk_size=2, root=root)
    outcome: list[BaseException] = []

    def apply() -> None:
        try:
            applier.apply(data)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    thread = threading.Thread(target=apply, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "applying still waits on a dead worker"
    assert len(outcome) == 1 and isinstance(outcome[0], RunError)
    assert "a worker process ended while applying the LFs" in str(outcome[0])


def test_a_dask_task_that_does_not_finish_names_its_chunk():
    """A dask worker that died said only 'a Dask task ... did not finish': unlike the
    processes engine, not which chunk or file rows it had."""
    from types import SimpleNamespace

    from distributed import KilledWorker

    from labelwright.apply.core import Chunk
    from labelwright.apply.dask_engine import DaskEngine
    from labelwright.apply.partitions import FileSpec, Partition
    from labelwright.errors import RunError

    class Future:
        def __init__(self, item, killed="T0300"):
            self.item, self.key, self.killed = item, f"key-{item}", killed

        def done(self):  # the engine waits on a task's state, then fetches its result
            return True

        def result(self, timeout=None):
            if self.item in (self.killed, 300):
                raise KilledWorker("task", SimpleNamespace(address="tcp://w:1"), 3)
            return self.item

    class Client:
        cancelled: list = []

        def submit(self, fn, spec, task, item, pure):
            return Future(item.ids[0] if hasattr(item, "ids") else item.first_row)

        def cancel(self, futures):
            self.cancelled.extend(futures)

    engine = object.__new__(DaskEngine)
    engine._client, engine._spec, engine.workers = Client(), None, 1
    chunks = [Chunk(start=k, ids=[f"T{k:04d}", "x"], texts=["", ""]) for k in (100, 200, 300)]
    got = []
    with pytest.raises(RunError, match=r"did not finish \(to the chunk of 2 items from item "
                                       r"'T0300', or another in flight\): each worker it was on "
                                       r"ended \(KilledWorker"):
        got.extend(engine.map_tasks(lambda runner, chunk: None, chunks))
    assert got == ["T0100", "T0200"]
    spec = FileSpec("/data/big.csv", "data/big.csv", "csv", 10, "id", "text", ())
    parts = [Partition(spec, first_row=row, rows=100, first_line=row + 2) for row in (200, 300)]
    with pytest.raises(RunError, match=r"to items 301-400 of data/big\.csv, from line 302"):
        list(engine.map_tasks(lambda runner, part: None, parts))


def test_a_dask_task_given_up_is_named_not_the_one_waited_on():
    """KilledWorker names the task Dask gave up; the error named the first task still
    awaited (a chunk that had not crashed), on every run."""
    from types import SimpleNamespace

    from distributed import KilledWorker

    from labelwright.apply.core import Chunk
    from labelwright.apply.dask_engine import DaskEngine
    from labelwright.errors import RunError

    class Future:
        def __init__(self, item):
            self.item, self.key = item, f"key-{item}"

        def done(self):
            return True

        def result(self, timeout=None):  # the first chunk awaited hears the third one's died
            raise KilledWorker("key-T0300", SimpleNamespace(address="tcp://w:1"), 3)

    class Client:
        def submit(self, fn, spec, task, item, pure):
            return Future(item.ids[0])

        def cancel(self, futures):
            pass

    engine = object.__new__(DaskEngine)
    engine._client, engine._spec, engine.workers = Client(), None, 2
    chunks = [Chunk(start=k, ids=[f"T{k:04d}", "x"], texts=["", ""]) for k in (100, 200, 300)]
    with pytest.raises(RunError, match=r"did not finish \(to the chunk of 2 items from item "
                                       r"'T0300'\): each worker it was on ended "
                                       r"\(KilledWorker"):
        list(engine.map_tasks(lambda runner, chunk: None, chunks))


ORIGINAL_NAMES_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def by_attribute(x):
    return "billing" if "refund" in x.message.lower() else ABSTAIN


@labeling_function()
def by_field(x):
    return "technical" if "crash" in x.fields["message"].lower() else ABSTAIN


@labeling_function()
def by_key_and_id(x):
    assert x["message"] is x.text and x.fields["msg_id"] == x.id
    return "technical" if x.msg_id.endswith("-1") else ABSTAIN


@labeling_function()
def the_text(x):
    return "billing" if "refund" in x.text.lower() else ABSTAIN
'''


@pytest.mark.parametrize("engine", ["local", "processes", "dask", "stream"])
def test_lfs_read_the_id_and_text_columns_under_their_own_names(make_project, engine,
                                                                request):
    """With text_column = "message", a Snorkel-style LF reading x.message failed on every
    item: "item has no field 'message'; available: id, text, doc, matches"."""
    from labelwright.apply import apply_file
    from labelwright.matrix import LabelMatrix
    from labelwright.project.check import check_project

    rows = [{"msg_id": r["id"], "message": r["text"], "plan": r["plan"]} for r in ROWS]
    root = make_project(rows=rows, gold=None, lfs={"names": ORIGINAL_NAMES_LFS})
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        "[data]\n", '[data]\nid_column = "msg_id"\ntext_column = "message"\n'))
    loaded = load_project(root)
    dataset = read_dataset(loaded.config.data, loaded.labels)
    options = ({"scheduler": request.getfixturevalue("dask_scheduler")} if engine == "dask"
               else {"workers": 2} if engine == "processes" else {})
    if engine == "stream":
        applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=5)
        result = apply_file(applier, loaded.config.data.path, root / "matrix.parquet",
                            id_column="msg_id", text_column="message")
        failures, matrix = result.failures, LabelMatrix.read_parquet(result.path)
    else:
        applied = _apply(root, loaded, dataset, engine, **options)
        failures, matrix = applied.failures, applied.matrix
    assert failures == {}
    assert (matrix.column("by_attribute") == matrix.column("the_text")).all()
    assert (matrix.column("by_attribute") >= 0).any() and (matrix.column("by_field") >= 0).any()
    assert (matrix.column("by_key_and_id") >= 0).sum() == sum(r["msg_id"].endswith("-1")
                                                              for r in rows)
    if engine == "local":  # check's trial apply reads them so too
        report = check_project(root)
        assert report.ok, report.problems
