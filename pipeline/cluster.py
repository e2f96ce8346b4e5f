"""The per-document stage on a Dask cluster: a local one (``--workers N``) or a running one
(``--scheduler tcp://HOST:8786``).

The client sends batches of ``shard_size`` releases, and the last ones in smaller batches
(:func:`batches`); each worker builds its spaCy pipeline once (:class:`ModelLoader`), runs
:func:`pipeline.engine.analyse_batch` on each batch it gets, writes the shard straight to the
store and returns its name. A few batches per worker are in flight at a time, so the client
never holds the corpus. Workers of a running scheduler must be able to import this package
and to reach the store's location (object storage, or a folder every machine mounts).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, as_completed

from pipeline.config import Settings
from pipeline.engine import Pending, analyse_batch, worker_nlp
from pipeline.errors import UserError
from pipeline.records import RawDocument
from pipeline.store import ResultStore

logger = logging.getLogger(__name__)
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: busy, without holding the corpus
SMALLEST_BATCH = 4  # the tail's batches shrink to this many releases
# Dask's defaults slow a local worker's model (400 releases with --workers 1: 29–34 s, against
# 23–24 s for one plain process; with this configuration 26–30 s): the workers' sampling
# profiler takes the GIL every 10 ms; the nannies fix glibc's trim threshold, which also stops
# the mmap threshold from adapting, so every large NumPy array of the model is mapped and
# faulted in afresh; and the task thread's own malloc arena gives memory back and takes it
# again, where one arena for every thread behaves as a plain process does.
LOCAL_WORKER_CONFIG = {"distributed.worker.profile.enabled": False,
                       "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                       "distributed.nanny.pre-spawn-environ.MALLOC_ARENA_MAX": 1}


class ModelLoader(WorkerPlugin):
    """Each worker builds its spaCy pipeline as it joins, before its first batch."""

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        worker_nlp(self.model)


def batches(pending: Pending, size: int, workers: int
            ) -> Iterator[list[tuple[str, RawDocument]]]:
    """``pending`` in lists of ``size``, and the last releases (``size × workers`` of them, up
    to ``size`` more) in lists that shrink: each a ``2 × workers``-th of what is left, down to
    :data:`SMALLEST_BATCH`.

    With whole batches to the end, one worker would often run a last full batch while the
    others wait (a 25th batch on two workers: 1.7 s idle of a 52 s run); shrinking ones let
    the workers finish together. Reading ``size × workers`` releases ahead tells where the
    tail begins.
    """
    ahead: deque[tuple[str, RawDocument]] = deque()
    for item in pending:
        ahead.append(item)
        if len(ahead) == size * (workers + 1):
            yield [ahead.popleft() for _ in range(size)]
    while ahead:
        part = min(size, max(SMALLEST_BATCH, -(-len(ahead) // (2 * workers))), len(ahead))
        yield [ahead.popleft() for _ in range(part)]


def _client(settings: Settings) -> tuple[Client, LocalCluster | None]:
    # Dask's own INFO lines (scheduler, nannies) only with -v, like ours.
    logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
    if not settings.scheduler:
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=":0",
                                   silence_logs=logging.WARNING)
        return Client(cluster), cluster
    try:
        return Client(settings.scheduler, timeout="30s"), None
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}; "
                        "start one with `dask scheduler`, or use --workers N") from None


def analyse_on_cluster(pending: Pending, store: ResultStore, settings: Settings,
                       privacy_key: bytes | None) -> int:
    """Run the per-document stage on Dask workers; return the number of releases processed.
    The privacy key travels with each task (workers need not reach the key file)."""
    client, cluster = _client(settings)
    try:
        client.register_plugin(ModelLoader(settings.model), name="prensa-red-model")
        workers = max(1, len(client.scheduler_info()["workers"]))
        logger.info("cluster: %d workers at %s", workers, client.scheduler.address)
        queue = batches(pending, settings.shard_size, workers)
        running = as_completed()

        def submit(batch: list[tuple[str, RawDocument]]) -> None:
            running.add(client.submit(analyse_batch, batch, settings, store.location,
                                      store.fingerprint, privacy_key, pure=False))

        for batch in islice(queue, workers * IN_FLIGHT_PER_WORKER):
            submit(batch)
        count = 0
        for future in running:
            processed, shards = future.result()
            for name in shards:
                store.add_shard(name)
            count += processed
            future.release()
            if (following := next(queue, None)) is not None:
                submit(following)
        return count
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
