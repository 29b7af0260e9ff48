"""The label matrix as sparse vote blocks, made and mapped over a thread pool.

What :class:`~labelwright.models.dawid_skene.DawidSkene`'s EM runs on, apart from its
math: :func:`block_bounds` cuts the rows into equal blocks (an even number of them above
one, so two threads finish a pass together); :class:`SparseBlocks` makes each block's
:class:`~labelwright.models.sparse_votes.SparseVotes` on the pool's threads, in the same task
as the first step on it, and keeps them between passes while they fit in
:data:`CACHE_VOTES`; :func:`parallel` maps a function over blocks in order;
:func:`blas_controller` limits BLAS threads; :func:`products` is the sparse product EM uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Protocol, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

from labelwright.models.patterns import Block, block, worth_compressing
from labelwright.models.sparse_votes import (
    RowOrder,
    SparseVotes,
    Storage,
    order_rows,
    sparse_votes,
    storage,
)

#: keep the sparse form of every block between EM passes up to this many votes
#: (4 bytes each); larger matrices are re-read from ``L`` on each full pass
CACHE_VOTES = 150_000_000
#: rows per block: small enough to spread over threads and stay cache-friendly
BLOCK_ROWS = 1 << 16
#: blocks handed to the thread pool at a time
BATCH = 16
S = TypeVar("S")
T = TypeVar("T")


def products(A, B: np.ndarray) -> np.ndarray:
    """``A @ B`` for a sparse ``A`` and a (rows, c) ``B``, as (A rows, c) float64; one
    column goes through scipy's vector product, which is about twice as fast as its
    product with a one-column matrix."""
    if B.shape[1] == 1:
        return (A @ np.ascontiguousarray(B[:, 0]))[:, None]
    return A @ B


def parallel(pool: ThreadPoolExecutor | None, fn: Callable[[S], T],
              items: Iterable[S]) -> Iterator[T]:
    """``map(fn, items)`` in order, run on ``pool``'s threads (when given): a list at once,
    a stream :data:`BATCH` items at a time (so it is never all in memory at once)."""
    if pool is None:
        yield from map(fn, items)
        return
    if isinstance(items, list):  # no pause between batches, where threads would idle
        yield from pool.map(fn, items)
        return
    batch: list[S] = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield from pool.map(fn, batch)
            batch = []
    yield from pool.map(fn, batch)


@cache
def blas_controller() -> ThreadpoolController:
    """threadpoolctl's view of the loaded BLAS libraries, found once (finding them takes
    longer than limiting their threads). scipy.linalg is imported first: it loads scipy's
    own BLAS, which a controller found before would never limit (the calibration's
    optimizer steps ran on every core when no scipy fit had come before)."""
    import scipy.linalg  # noqa: F401  (loads the BLAS the controller must see)

    return ThreadpoolController()


class Blocks(Protocol):
    def map(self, pool: ThreadPoolExecutor | None,
            fn: Callable[[SparseVotes], T]) -> Iterator[T]:
        """``fn`` of every block, in block order, run on ``pool`` (see :func:`parallel`)."""
        ...


class BlockList(list):
    """Blocks made beforehand (a row sample)."""

    def map(self, pool: ThreadPoolExecutor | None,
            fn: Callable[[SparseVotes], T]) -> Iterator[T]:
        return parallel(pool, fn, self)


def block_bounds(n: int) -> list[tuple[int, int]]:
    """Row ranges of the blocks of ``n`` rows: at most ``BLOCK_ROWS`` each, of equal sizes
    and, above one block, an even number of them, so two threads finish a pass together
    (a last, smaller block would leave one of them idle at the end of every pass)."""
    parts = -(-n // BLOCK_ROWS)
    if parts > 1:
        parts += parts % 2
    edges = np.linspace(0, n, parts + 1).round().astype(int)
    return list(zip(edges[:-1].tolist(), edges[1:].tolist()))


class SparseBlocks:
    """The blocks of ``L`` (see :func:`block_bounds` and :func:`patterns.block`) as
    :class:`SparseVotes`, made on the pool's threads, in the same task as the first EM step
    on them (while their votes are in that core's cache). When all of them hold at most
    ``CACHE_VOTES`` votes they are kept for the next passes, else made again on each pass
    (so memory stays at a few blocks). The arrays a block keeps are allocated on the
    calling thread: kept blocks then live in its memory arena, which it reuses after the
    fit (for ``predict``), not in the worker threads' (which would hold on to it)."""

    def __init__(self, L: np.ndarray, y_dev: np.ndarray | None, cardinality: int) -> None:
        self.L, self.y_dev, self.k = L, y_dev, cardinality
        self.compress = worth_compressing(L)
        self.cache: list[SparseVotes] | None = None
        self.rows: int | None = None if self.compress else len(L)

    def _order(self, bounds: tuple[int, int]) -> tuple[Block, RowOrder]:
        b = block(self.L, self.y_dev, *bounds, self.compress)
        return b, order_rows(b.votes, self.k)

    def map(self, pool: ThreadPoolExecutor | None,
            fn: Callable[[SparseVotes], T]) -> Iterator[T]:
        if self.cache is not None:
            yield from parallel(pool, fn, self.cache)
            return

        def make_and_apply(task: tuple[Block, RowOrder, Storage]) -> tuple[SparseVotes, T]:
            b, rows, store = task
            sv = sparse_votes(b.votes, self.k, b.counts, b.gold, rows=rows, store=store)
            return sv, fn(sv)

        kept: list[SparseVotes] | None = []
        n_rows = n_votes = 0
        bounds = block_bounds(len(self.L))
        for at in range(0, len(bounds), BATCH):
            ordered = list(parallel(pool, self._order, bounds[at:at + BATCH]))
            tasks = [(b, rows, storage(rows, b.counts is not None, b.gold is not None))
                     for b, rows in ordered]
            for sv, out in parallel(pool, make_and_apply, tasks):
                n_rows += sv.n_rows
                n_votes += sv.X.nnz
                if kept is not None:
                    kept.append(sv)
                    if n_votes > CACHE_VOTES:
                        kept = None
                yield out
        self.rows = n_rows
        self.cache = kept

    def n_rows(self, pool: ThreadPoolExecutor | None) -> int:
        """Distinct rows (patterns); counting them makes the blocks once."""
        if self.rows is None:
            for _ in self.map(pool, lambda sv: None):
                pass
        assert self.rows is not None
        return self.rows
