"""``labelwright check`` reaches the Dask scheduler a run would use
(:mod:`labelwright.apply.scheduler_reach`): a run whose every vote is cached contacts none,
so an address nobody listens on went unnoticed until a run had votes to compute."""

from __future__ import annotations

import json
import socket

import pytest

from labelwright.apply import scheduler_reach
from labelwright.project.check import check_project

pytest.importorskip("distributed")


def _closed_port() -> str:
    """The address of a local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


@pytest.fixture
def quick(monkeypatch):
    """Waits of half a second: the refusal comes at once, Dask retries until the wait ends."""
    monkeypatch.setattr(scheduler_reach.reach_scheduler, "__kwdefaults__",
                        {"timeout": 0.5, "source": "[apply] scheduler or --scheduler"})


def _dask_project(make_project, address: str):
    return make_project(extra=f'\n[apply]\nengine = "dask"\nscheduler = "{address}"\n')


def test_an_unreachable_configured_scheduler_is_a_problem(make_project, quick):
    address = _closed_port()
    report = check_project(_dask_project(make_project, address))
    assert not report.ok
    [said] = [p for p in report.problems if "cannot reach the Dask scheduler" in p]
    assert repr(address) in said and "waited 0.5 s" in said
    assert "([apply] scheduler; waited" in said  # where the address came from
    assert report.scheduler is not None and report.scheduler.problem is not None


def test_a_scheduler_given_to_check_is_reached_in_place_of_none(make_project, quick, cli):
    root = make_project()
    assert check_project(root).scheduler is None  # none named: nothing contacted
    address = _closed_port()
    code, out = cli("check", "-p", str(root), "--scheduler", address, "--json")
    assert code == 1
    record, _ = json.JSONDecoder().raw_decode(out[out.index('{"command"'):])
    assert any("cannot reach the Dask scheduler" in p and "(check --scheduler;" in p
               for p in record["problems"])
    assert record["scheduler_workers"] is None


def test_a_reachable_scheduler_counts_its_workers(make_project, dask_scheduler, cli):
    root = _dask_project(make_project, dask_scheduler)
    report = check_project(root)
    assert report.ok, report.problems
    assert report.scheduler is not None and report.scheduler.workers == 2
    code, out = cli("check", "-p", str(root))
    assert code == 0, out
    assert f"reached the Dask scheduler at {dask_scheduler!r}: 2 workers" in out


def test_an_address_with_credentials_is_refused_without_showing_them(make_project):
    reached = scheduler_reach.reach_scheduler("tcp://bob:secret@10.0.0.5:8786")
    assert reached.problem is not None
    assert "secret" not in reached.line() and "host:port alone" in reached.line()
    # no connection was tried: the line had said "waited 5 s"
    assert reached.waited == 0
    assert "waited" not in reached.line()
    assert "([apply] scheduler or --scheduler):" in reached.line()


def test_dask_not_installed_is_said_without_a_wait(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed.comm", None)  # import raises ImportError
    reached = scheduler_reach.reach_scheduler("tcp://127.0.0.1:8786")
    assert reached.problem is not None and "not installed" in reached.problem
    assert reached.waited == 0 and "waited" not in reached.line()


@pytest.fixture
def not_a_scheduler():
    """A local port where a plain HTTP server answers: a peer speaking another protocol
    made Dask's handshake hang for minutes or raise from deep inside it."""
    import http.server
    import threading

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_peer_that_is_not_a_scheduler_is_one_problem_line(make_project, quick, cli,
                                                            not_a_scheduler):
    root = make_project()
    code, out = cli("check", "-p", str(root), "--scheduler", not_a_scheduler)
    assert code == 1
    assert "Traceback" not in out and "Exception ignored" not in out
    [said] = [line for line in out.splitlines() if "cannot reach the Dask scheduler" in line]
    assert repr(not_a_scheduler) in said and "(check --scheduler;" in said


def test_check_scheduler_returns_its_findings_without_a_report():
    """It filled in the report it was given; like check's other steps it now returns what it
    found, and the caller keeps it."""
    from labelwright.project.check import check_scheduler

    assert check_scheduler(None) == (None, [], [])
    reached, problems, warnings = check_scheduler("tcp://bob:secret@10.0.0.5:8786",
                                                  "check --scheduler")
    assert reached is not None and reached.problem is not None
    assert problems == [reached.line()] and warnings == []
    assert "(check --scheduler):" in problems[0]  # no wait: no connection was tried


def test_the_problem_line_names_the_wait_the_attempt_had():
    """The line said the module's 5 s whatever wait the caller gave."""
    reached = scheduler_reach.reach_scheduler(_closed_port(), timeout=0.5)
    assert reached.problem is not None
    assert "waited 0.5 s" in reached.line(), reached.line()
