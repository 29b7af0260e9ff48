"""Closing the LocalCluster a run started: the nanny's "still alive after 4.0 seconds,
killing" warning, printed twice in the middle of a run's progress lines though every
result was in, is left out there; the nanny's other records are not, nor that one
outside the close."""

from __future__ import annotations

import logging

import pytest

from labelwright.apply.dask_engine import _quiet_kill_at_close

STILL_ALIVE = "Worker process still alive after %.1f seconds, killing"


class _Kept(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def nanny_records():
    nanny = logging.getLogger("distributed.nanny")
    kept = _Kept()
    nanny.addHandler(kept)
    try:
        yield nanny, kept.messages
    finally:
        nanny.removeHandler(kept)


def test_only_the_kill_at_close_is_left_out(nanny_records):
    nanny, messages = nanny_records
    with _quiet_kill_at_close():
        nanny.warning(STILL_ALIVE, 4.0)
        nanny.warning("Restarting worker")
        nanny.error("Worker process died unexpectedly")
    assert messages == ["Restarting worker", "Worker process died unexpectedly"]
    nanny.warning(STILL_ALIVE, 4.0)  # outside labelwright's close: a real stuck worker
    assert messages[-1] == "Worker process still alive after 4.0 seconds, killing"
    assert not nanny.filters
