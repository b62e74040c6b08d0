"""Map a function over tasks: in this process, in a local process pool, or on Dask.

Shared by the per-document stages (:mod:`newsgraph.pipeline`) and the corpus stages that run in
partitions (:mod:`newsgraph.corpus.reuse`); each task is a picklable record, so the same code runs
in one process and on a cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any


class Mapper:
    """``map`` a function over items, one task each: in this process, in a local process pool,
    on Dask's local schedulers (``processes`` keeps one pool of spawned workers for all its maps;
    ``threads``, ``synchronous``), or on a Dask cluster (``tcp://HOST:PORT``, or the address of
    a ``LocalCluster``). Results come back in the order of the items."""

    def __init__(self, workers: int = 1, scheduler: str | None = None):
        self.workers, self.scheduler = workers, scheduler
        self._pool: Any = None
        self._client: Any = None

    def __enter__(self) -> "Mapper":
        if self.scheduler and "://" in self.scheduler:
            from dask.distributed import Client

            self._client = Client(self.scheduler)
        elif self.scheduler == "processes":  # spawned, as Dask's own process pool is
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers if self.workers > 1 else None,
                                             mp_context=multiprocessing.get_context("spawn"))
        elif self.scheduler is None and self.workers > 1:
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._pool is not None:
            self._pool.shutdown()
        if self._client is not None:
            self._client.close()

    def map(self, fn: Callable[[Any], Any], items: list[Any], done: Callable[[], None] | None = None) -> list[Any]:
        """``[fn(item) for item in items]``, computed where the mapper says; ``done`` is called in
        this process as each task finishes (for progress bars)."""
        tick = done or (lambda: None)
        if not items:
            return []
        if self._client is not None:
            from dask.distributed import as_completed

            futures = self._client.map(fn, items, pure=False)
            for _ in as_completed(futures):
                tick()
            return self._client.gather(futures)
        if self.scheduler is not None:
            import dask
            from dask.callbacks import Callback

            options: dict[str, Any] = {"scheduler": self.scheduler}
            if self._pool is not None:
                options["pool"] = self._pool
            # chunksize=1: Dask's local schedulers hand out tasks in chunks of 6 by default, so a
            # batch of a few tasks all went to one worker process and nothing ran in parallel
            with Callback(posttask=lambda *_: tick()):
                return list(dask.compute(*[dask.delayed(fn, pure=False)(item) for item in items], chunksize=1,
                                         **options))
        if self._pool is not None:
            return [_ticked(result, tick) for result in self._pool.map(fn, items)]
        return [_ticked(fn(item), tick) for item in items]


    def submit(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """Start ``[fn(item) for item in items]`` and return an iterator over the results in item
        order. With a process pool or a cluster the tasks run while the caller goes on (reads the
        next batch, writes the previous one); in this process, and on Dask's local schedulers, each
        result is computed when the iterator reaches it."""
        if not items:
            return iter(())
        if self._client is not None:
            futures = self._client.map(fn, items, pure=False)
            return (future.result() for future in futures)
        if self._pool is not None and self.scheduler is None:
            return self._pool.map(fn, items)  # submits every task now; yields as each is done, in order
        if self.scheduler is not None:
            return iter(self.map(fn, items))
        return (fn(item) for item in items)


def _ticked(result: Any, tick: Callable[[], None]) -> Any:
    tick()
    return result


def make_mapper(workers: int = 1, scheduler: str | None = None) -> Mapper:
    if scheduler in ("local", "single", "synchronous"):
        scheduler = "synchronous" if workers <= 1 else "processes"
    return Mapper(max(1, workers), scheduler)
