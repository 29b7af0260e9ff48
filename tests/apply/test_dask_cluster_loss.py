"""A Dask cluster that has no worker, loses one, or loses its scheduler: each is said as
what it is (naming the scheduler, never its credentials), and only a task that kept ending
its workers gets the advice for an LF that crashes the interpreter.

Each test makes a cluster of its own (workers die here); Dask's waits are kept short with
``distributed.comm.timeouts.connect``.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labelwright.apply import Applier
from labelwright.data.dataset import read_dataset
from labelwright.errors import ConfigError, RunError
from labelwright.project import load_project
from ticket_data import TICKETS

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")

ROWS = [dict(row, id=f"{row['id']}-{k}") for k in range(4) for row in TICKETS]

#: an LF that ends its worker process on an item about a crash in the last of 6 chunks;
#: ``{marker}``: a file it makes the first time, so that it does so once, or ("") on every
#: try; ``{then}``: a process to kill (the scheduler) instead
ENDS_ITS_WORKER = '''
import os
import signal
from pathlib import Path

from labelwright import ABSTAIN, labeling_function

MARKER = {marker!r}
THEN = {then!r}


@labeling_function()
def ends_its_worker(item):
    if "crash" in item.text.lower() and item.id.endswith("-3") \
            and not (MARKER and Path(MARKER).exists()):
        if MARKER:
            Path(MARKER).touch()
        if THEN:
            os.kill(int(THEN), signal.SIGKILL)  # the scheduler
            return "technical"
        os.kill(os.getpid(), signal.SIGKILL)  # a crash in C code, the out-of-memory killer
    return "technical" if "app" in item.text else ABSTAIN


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN
'''


def _project(make_project, marker: Path | str = "", then: int | str = ""):
    root = make_project(rows=ROWS, glossaries={}, extra="[apply]\nchunk_size = 4\n",
                        lfs={"ends": ENDS_ITS_WORKER.format(marker=str(marker), then=str(then))})
    loaded = load_project(root)
    return root, loaded, read_dataset(loaded.config.data, loaded.labels)


def _apply(root, loaded, dataset, engine, **options):
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, engine=engine, root=root,
                      chunk_size=4, **options)
    return applier.apply(dataset)


def _cluster(workers: int, **config):
    with dask.config.set(config):
        return distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                        processes=True, dashboard_address=":0")


def _python_env() -> dict[str, str]:
    import labelwright

    src = str(Path(labelwright.__file__).parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join(
        [src, *filter(None, [os.environ.get("PYTHONPATH")])])}


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", *args], env=_python_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_for_workers(address: str, n: int) -> None:
    with distributed.Client(address) as client:
        client.wait_for_workers(n, timeout=60)


def test_a_cluster_with_no_workers_is_an_error_naming_its_scheduler(make_project):
    """The scatter waited 30 s and ended in an 89-line traceback: 'No valid workers found'."""
    root, loaded, dataset = _project(make_project)
    with _cluster(0) as cluster, dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        with pytest.raises(RunError) as caught:
            _apply(root, loaded, dataset, "dask", scheduler=cluster.scheduler_address)
    message = str(caught.value)
    assert f"the Dask scheduler at {cluster.scheduler_address!r} has no workers (waited 2 s" \
        in message
    assert f"start one with `dask worker {cluster.scheduler_address}`" in message


def test_a_scheduler_address_with_credentials_is_refused_as_such_without_them(make_project):
    """--scheduler tcp://user:secret@host:8786 printed the password in the error; then,
    with it hidden, the reason blamed the host ("invalid address '127.0.0.1:1'; maybe: ipv6
    needs brackets like [::1]"), while Dask cannot parse the user:password@ and ?query."""
    root, loaded, dataset = _project(make_project)
    started = time.monotonic()
    with dask.config.set({"distributed.comm.timeouts.connect": "10s"}), \
            pytest.raises(ConfigError) as caught:
        _apply(root, loaded, dataset, "dask",
               scheduler="tcp://user:secret@127.0.0.1:1?token=abc")
    assert time.monotonic() - started < 10  # said before Dask tries to connect
    message = str(caught.value)
    assert message.startswith("the Dask scheduler address 'tcp://127.0.0.1:1' (--scheduler "
                              "(scheduler= from Python) or [apply] scheduler) was given with "
                              "a user:password@ part and a query string (not shown here): "
                              "Dask's tcp:// addresses are host:port alone, such as "
                              "'tcp://127.0.0.1:1'"), message
    assert "ipv6" not in message and "invalid address" not in message
    assert "secret" not in message and "user" not in message.replace("user:password", "") \
        and "abc" not in message


@pytest.mark.parametrize(("address", "said"), [
    ("tcp://bob@10.0.0.5:8786", "'tcp://10.0.0.5:8786' (--scheduler (scheduler= from Python) "
                                "or [apply] scheduler) was given with a user@ part (not shown"),
    ("10.0.0.5:8786?token=s3cr3t", "'10.0.0.5:8786' (--scheduler (scheduler= from Python) or "
                                   "[apply] scheduler) was given with a query string (not "
                                   "shown here): Dask's tcp:// addresses are host:port alone, "
                                   "such as 'tcp://10.0.0.5:8786'"),
    ("tls://a:p@ss@h:1#x", "'tls://h:1' (--scheduler (scheduler= from Python) or [apply] "
                           "scheduler) was given with a user:password@ part and a fragment "
                           "(#) (not shown here)"),
    ("tcp://10.0.0.5:8786/", "'tcp://10.0.0.5:8786/' (--scheduler (scheduler= from Python) "
                             "or [apply] scheduler) was given with a path: Dask's tcp:// "
                             "addresses are host:port alone, such as 'tcp://10.0.0.5:8786', "
                             "so it cannot connect to this one"),
])
def test_what_dask_cannot_parse_in_an_address_is_named(address, said):
    from labelwright.apply.scheduler_address import address_form_problem

    problem = address_form_problem(address)
    assert problem is not None and said in problem, problem
    for hidden in ("bob", "s3cr3t", "p@ss", "#x"):
        assert hidden not in problem
    assert ("credentials" in problem) == (address != "tcp://10.0.0.5:8786/")


@pytest.mark.parametrize("address", ["tcp://10.0.0.5:8786", "tls://[::1]:8786", "10.0.0.5:8786",
                                     "gateway://gw.example:443/clusters/x?token=t",
                                     "inproc://10.0.0.5/1234/1"])
def test_an_address_dask_can_parse_or_a_scheme_it_does_not_know_is_left_to_dask(address):
    """A scheme another package registers (a gateway's) may take a path and a token."""
    from labelwright.apply.scheduler_address import address_form_problem

    assert address_form_problem(address) is None


def test_a_worker_its_nanny_starts_again_finishes_the_run(make_project, tmp_path_factory):
    """The only worker, killed and started again by its nanny, lost the runner spec that was
    scattered to it: every task was 'cancelled for reason: already forgotten'."""
    marker = tmp_path_factory.mktemp("marker") / "ended-once"
    root, loaded, dataset = _project(make_project, marker)
    marker.touch()  # here the LF would end the test's own process
    local = _apply(root, loaded, dataset, "local")
    marker.unlink()
    with _cluster(1) as cluster:
        on_dask = _apply(root, loaded, dataset, "dask", scheduler=cluster.scheduler_address)
    assert marker.exists()  # a worker did end
    assert on_dask.matrix.votes.tolist() == local.matrix.votes.tolist()
    assert on_dask.failures == local.failures == {}


def test_a_task_that_keeps_ending_its_workers_names_its_chunk(make_project):
    """The LocalCluster's nannies start each worker again; a task that ends every worker it
    runs on is given up after distributed.scheduler.allowed-failures, naming its chunk."""
    root, loaded, dataset = _project(make_project)
    with _cluster(1, **{"distributed.scheduler.allowed-failures": 1}) as cluster, \
            pytest.raises(RunError) as caught:
        _apply(root, loaded, dataset, "dask", scheduler=cluster.scheduler_address)
    message = str(caught.value)
    # the chunk given up is one the worker held when it ended: the one holding the item
    # that ends it ('t5-2', 't3-3') or another in flight beside it on the one worker
    assert re.search(r"a Dask task applying the LFs did not finish \(to the chunk of 4 items "
                     r"from item 't\d-\d'\): each worker it was on ended \(KilledWorker",
                     message), message
    assert "crashed the interpreter" in message  # the advice fits here


def test_a_cluster_left_with_no_worker_says_so_not_an_lf_crash(make_project, tmp_path_factory):
    """The only worker (no nanny) killed: 'FutureCancelledError ... already forgotten' and
    the advice for an LF that crashes the interpreter. The votes of the chunks that finished
    are kept, as the error says: the same command then computes only the rest."""
    marker = tmp_path_factory.mktemp("marker") / "ended-once"
    root, loaded, dataset = _project(make_project, marker)
    with _cluster(0) as cluster:
        worker = _start("distributed.cli.dask_worker", cluster.scheduler_address,
                        "--no-nanny", "--nthreads", "1")
        try:
            _wait_for_workers(cluster.scheduler_address, 1)
            with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
                    pytest.raises(RunError) as caught:
                loaded.applier(engine="dask", scheduler=cluster.scheduler_address
                               ).apply(dataset)
        finally:
            worker.kill()
            worker.wait()
    message = str(caught.value)
    assert f"the Dask scheduler at {cluster.scheduler_address!r} has no worker left (none " \
        "for 2 s" in message
    assert "the cluster stopped the run, not an LF" in message
    assert "vote cache" in message and "crashed the interpreter" not in message
    assert marker.exists()  # so the LF ends no process now
    applied = loaded.applier(engine="local").apply(dataset)
    assert 0 < max(applied.computed.values()) < len(dataset), applied.computed


def test_a_lost_scheduler_says_so_not_an_lf_crash(make_project, tmp_path):
    """The scheduler killed: the same advice as for an LF crash, 30 s later."""
    address_file = tmp_path / "scheduler.json"
    scheduler = _start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                       "--no-dashboard", "--scheduler-file", str(address_file))
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        import json

        address = json.loads(address_file.read_text())["address"]
        worker = _start("distributed.cli.dask_worker", address, "--nthreads", "1")
        _wait_for_workers(address, 1)
        root, loaded, dataset = _project(make_project, then=scheduler.pid)
        with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), \
                pytest.raises(RunError) as caught:
            _apply(root, loaded, dataset, "dask", scheduler=address)
    finally:
        for process in (worker, scheduler):
            if process is not None:
                process.send_signal(signal.SIGKILL)
                process.wait()
    message = str(caught.value)
    assert f"lost the connection to the Dask scheduler at {address!r}" in message
    assert "the cluster stopped the run, not an LF" in message
    assert "crashed the interpreter" not in message


def test_a_lost_scheduler_promises_a_resume_only_where_the_vote_cache_keeps_chunks():
    """apply_file's partitions said "the vote cache (when on) keeps the votes of the chunks
    that finished, so the same command computes only the rest": apply_file does not use
    the vote cache. The connection lost is Dask's cancelled future (a fake client here)."""
    from concurrent.futures import CancelledError

    from labelwright.apply.core import Chunk
    from labelwright.apply.dask_engine import DaskEngine
    from labelwright.apply.partitions import FileSpec, Partition

    class Future:
        key = "key"

        def done(self):
            return True

        def result(self, timeout=None):
            lost = CancelledError("lost")
            lost.reason = "scheduler-connection-lost"  # as distributed's says
            raise lost

    class Client:
        def submit(self, *args, pure):
            return Future()

    engine = object.__new__(DaskEngine)
    engine._client, engine._spec, engine.workers = Client(), None, 1
    engine.where = "the Dask scheduler at 'tcp://s:1'"
    chunks = [Chunk(start=0, ids=["T1"], texts=[""])]
    with pytest.raises(RunError, match=r"lost the connection to the Dask scheduler at "
                       r"'tcp://s:1' while the LFs were applied to the chunk of 1 items from "
                       r"item 'T1': the cluster stopped the run, not an LF; the vote cache "
                       r"\(when on\) keeps the votes of the chunks that finished, so the same "
                       r"command computes only the rest"):
        list(engine.map(chunks))
    spec = FileSpec("/data/big.csv", "data/big.csv", "csv", 10, "id", "text", ())
    engine._lost = False
    part = Partition(spec, first_row=0, rows=100, first_line=2)
    with pytest.raises(RunError) as caught:  # stream.py's call for apply_file
        list(engine.map_tasks(lambda runner, part: None, [part]))
    message = str(caught.value)
    assert "items 1-100 of data/big.csv" in message
    assert "nothing of the parts that finished is kept (apply_file does not use the vote " \
        "cache), so the same command computes them all again" in message
    assert "computes only the rest" not in message


def _sync_without_result():
    """An ``UnboundLocalError`` raised as distributed's ``sync`` raises it when the
    coroutine it waits on ends cancelled: from a function ``sync`` of
    ``distributed/utils.py`` (compiled under that file name, so its frame is the
    innermost one, as in distributed's)."""
    namespace: dict = {}
    code = compile("def sync():\n    result: int\n    return result\n",
                   "/site-packages/distributed/utils.py", "exec")
    exec(code, namespace)
    try:
        namespace["sync"]()
    except UnboundLocalError as exc:
        return exc
    raise AssertionError("sync returned")


def _engine_with(future):
    from labelwright.apply.dask_engine import DaskEngine

    class Client:
        status = "running"

        def submit(self, *args, pure):
            return future

        def cancel(self, futures):
            pass

    engine = object.__new__(DaskEngine)
    engine._client, engine._spec, engine.workers = Client(), None, 1
    engine._lost, engine._address = False, None
    engine.where = "the Dask scheduler at 'tcp://s:1'"
    return engine


def test_a_result_is_fetched_once_its_task_is_done_and_with_no_timeout():
    """The task's state is waited on, and its result fetched after, with no timeout: a
    Future.result(timeout=...) that runs out while the client fetches leaves that fetch
    cancelled for the client's next result (see the next test)."""
    from labelwright.apply.core import Chunk

    class Future:
        key = "key"
        looked = 0

        def done(self):
            Future.looked += 1
            return Future.looked > 3

        def result(self, timeout=None):
            assert timeout is None, "a timeout on result() may cancel the client's fetch"
            return "votes"

    engine = _engine_with(Future())
    chunks = [Chunk(start=0, ids=["T1"], texts=[""])]
    assert list(engine.map_tasks(lambda runner, chunk: None, chunks)) == ["votes"]
    assert Future.looked == 4


def test_a_slow_fetch_of_a_result_leaves_the_next_one_whole(monkeypatch):
    """On a loaded machine a result's fetch from its worker can outlast the engine's wait of
    a second between its looks at the cluster. Waiting with Future.result(timeout=...)
    cancelled the fetch when the time ran out, and the client's next result then ended
    with UnboundLocalError from distributed's sync: `run --engine dask` on 200,000 items
    stopped so in two of four runs. Here a big result and a wait of 1 ms make the fetch
    outlast it every time."""
    from labelwright.apply import dask_engine

    monkeypatch.setattr(dask_engine, "CLUSTER_CHECK_SECONDS", 0.001)
    with _cluster(1) as cluster, distributed.Client(cluster) as client:
        engine = _engine_with(None)
        engine._client = client
        first = client.submit(bytes, 60_000_000, pure=False)
        second = client.submit(bytes, 1_000, pure=False)
        distributed.wait([first, second])
        assert len(engine._result("the first chunk", first, "stopped")) == 60_000_000
        assert engine._result("the second chunk", second, "stopped") == bytes(1_000)


def test_a_fetch_distributed_ends_without_a_result_is_an_error_naming_the_chunk():
    from labelwright.apply.core import Chunk

    class Future:
        key = "key"

        def done(self):
            return True

        def result(self, timeout=None):
            raise _sync_without_result()

    engine = _engine_with(Future())
    chunks = [Chunk(start=0, ids=["T1"], texts=[""])]
    with pytest.raises(RunError, match=r"the Dask scheduler at 'tcp://s:1' did not hand back "
                       r"the result of the LFs applied to the chunk of 1 items from item "
                       r"'T1': distributed's Future.result ended with neither a result nor "
                       r"an error"):
        list(engine.map(chunks))


def test_an_unbound_local_of_the_task_itself_is_raised_as_it_is():
    """Only distributed's own wait is said so: the same error from code the task ran is
    that code's bug, raised as it is."""
    from labelwright.apply.core import Chunk

    class Future:
        key = "key"

        def done(self):
            return True

        def result(self, timeout=None):
            result: int
            return result  # noqa: F821 -- the task's own bug

    engine = _engine_with(Future())
    with pytest.raises(UnboundLocalError):
        list(engine.map_tasks(lambda runner, chunk: None, [Chunk(start=0, ids=["T1"],
                                                                 texts=[""])]))


def test_a_fetch_that_never_ends_on_a_cluster_with_no_worker_is_an_error(monkeypatch):
    """A task done whose result lived on a worker that ended before the fetch: the fetch
    waits for a worker to compute it again, for ever on a cluster with none left. The
    engine fetched with no timeout in its own wait and hung so (a run on a cluster whose
    only worker an LF ended); the fetch now goes on beside the engine's watch of the
    cluster, which stops the run once the cluster has had no worker for the wait."""
    import threading

    import dask

    from labelwright.apply import dask_engine
    from labelwright.apply.core import Chunk

    monkeypatch.setattr(dask_engine, "CLUSTER_CHECK_SECONDS", 0.01)
    released = threading.Event()

    class Future:
        key = "key"

        def done(self):
            return True

        def result(self, timeout=None):
            released.wait()  # a result no worker holds any more
            return "votes"

    engine = _engine_with(Future())
    engine._n_workers = lambda: 0
    chunks = [Chunk(start=0, ids=["T1"], texts=[""])]
    try:
        with dask.config.set({"distributed.comm.timeouts.connect": "0.2s"}), \
                pytest.raises(RunError, match=r"has no worker left \(none for 0.2 s"):
            list(engine.map_tasks(lambda runner, chunk: None, chunks))
    finally:
        released.set()  # the fetch's thread ends, as closing the client ends it
