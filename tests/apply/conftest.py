"""A Dask cluster shared by the tests of the dask engine (starting one costs seconds)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dask_scheduler():
    """The address of a LocalCluster of two single-threaded worker processes."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster:
        yield cluster.scheduler_address
