"""Where the per-document stage runs: in this process, or on a Dask cluster.

Either way, each release the store lacks goes through :func:`pipeline.document.stage.analyse`
and its outcome is written to the store in shards; nothing else comes back, so the corpus
stage reads every result from the store in input order and the tables do not depend on
where or in which order the releases were processed.

- Here: one spaCy pipeline, with ``processes`` spaCy worker processes (``n_process``).
- ``workers`` N: a local Dask cluster of N single-threaded worker processes.
- ``scheduler`` ADDRESS: the workers of a running Dask scheduler, which must be able to
  import this package and reach the store's location.

Cluster workers load the spaCy model once each (a worker plugin, then a cached loader), take
batches of ``shard_size`` releases, write one shard each straight to the store and return
its name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from pipeline.config import Settings
from pipeline.fingerprint import model_label_of
from pipeline.records import RawDocument, Reject
from pipeline.store import Outcome, ResultStore

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)
Pending = Iterable[tuple[str, RawDocument]]  # releases the store lacks, with their keys
_IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: busy, without holding the corpus


def model_in_use(settings: Settings, nlp: Language | None) -> str:
    """The label of the model that runs, without loading it when ``nlp`` is not given."""
    from pipeline.document.nlp import choose_model, model_label

    return model_label(nlp) if nlp is not None else model_label_of(choose_model(settings.model))


def analyse_pending(pending: Pending, store: ResultStore, settings: Settings,
                    nlp: Language | None = None) -> int:
    """Run the per-document stage on ``pending`` where the settings say: a cluster when
    ``scheduler`` or ``workers`` is set, else here (with ``nlp``, or the model built when a
    first release needs it). Return the number of releases processed."""
    if settings.scheduler or settings.workers:
        return analyse_on_cluster(pending, store, settings)
    pending = iter(pending)
    first = next(pending, None)
    if first is None:
        return 0
    return analyse_into(chain([first], pending), store, nlp or worker_nlp(settings.model),
                        settings)


def analyse_into(pending: Pending, store: ResultStore, nlp: Language, settings: Settings
                 ) -> int:
    """Run the per-document stage here on ``pending``; store every outcome in shards of
    ``settings.shard_size``. Return the number of releases processed."""
    from pipeline.document.stage import analyse

    keys: dict[str, str] = {}  # path → key, for the outcomes coming back

    def raws() -> Iterator[RawDocument]:
        for key, raw in pending:
            keys[raw.path] = key
            yield raw

    rejects: list[Reject] = []
    shard: list[tuple[str, Outcome]] = []
    count = 0

    def take(outcome: Outcome) -> None:
        nonlocal count
        shard.append((keys.pop(outcome.path), outcome))
        count += 1
        if len(shard) >= settings.shard_size:
            store.write_shard(shard)
            shard.clear()

    for result in analyse(raws(), nlp, settings, rejects):
        for reject in rejects:
            take(reject)
        rejects.clear()
        take(result)
    for reject in rejects:
        take(reject)
    if shard:
        store.write_shard(shard)
    return count


def analyse_on_cluster(pending: Pending, store: ResultStore, settings: Settings) -> int:
    """Run the per-document stage on Dask workers (a local cluster of ``settings.workers``,
    or the scheduler at ``settings.scheduler``). Return the number of releases processed."""
    from dask.distributed import Client, LocalCluster, as_completed

    from pipeline.errors import UserError

    cluster = None if settings.scheduler else LocalCluster(
        n_workers=settings.workers, threads_per_worker=1, processes=True,
        dashboard_address=None, silence_logs=logging.WARNING)
    try:
        client = Client(settings.scheduler or cluster, timeout="30s")
    except OSError as exc:
        raise UserError(f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}; "
                        "start one with `dask scheduler` or use --workers N") from None
    with client:
        client.register_plugin(ModelLoader(settings.model), name="prensa-red-model")
        workers = max(1, len(client.scheduler_info()["workers"]))
        logger.info("cluster: %d workers at %s", workers, client.scheduler.address)
        batches = _batches(pending, settings.shard_size)
        running = as_completed()
        count = 0

        def submit(batch: list[tuple[str, RawDocument]]) -> None:
            running.add(client.submit(analyse_batch, batch, settings, store.location,
                                      store.fingerprint, pure=False))

        for batch in islice(batches, workers * _IN_FLIGHT_PER_WORKER):
            submit(batch)
        for future in running:
            processed, shards = future.result()
            for name in shards:
                store.add_shard(name)
            count += processed
            future.release()
            if (batch := next(batches, None)) is not None:
                submit(batch)
    if cluster is not None:
        cluster.close()
    return count


def _batches(pending: Pending, size: int) -> Iterator[list[tuple[str, RawDocument]]]:
    iterator = iter(pending)
    while batch := list(islice(iterator, size)):
        yield batch


@cache
def worker_nlp(model: str | None) -> Language:
    """The spaCy pipeline of this process, built on first use (once per cluster worker)."""
    from pipeline.document.nlp import build_nlp

    return build_nlp(model)


class ModelLoader:
    """Dask worker plugin: each worker builds its spaCy pipeline as it starts."""

    def __init__(self, model: str | None) -> None:
        self.model = model

    def setup(self, worker: Any) -> None:
        worker_nlp(self.model)


def analyse_batch(batch: list[tuple[str, RawDocument]], settings: Settings, location: str,
                  fingerprint: str) -> tuple[int, list[str]]:
    """A cluster task: process ``batch``, write its shard to the store, return the number
    processed and the shard names (never the results themselves)."""
    store = ResultStore(location, fingerprint, index=False)
    return analyse_into(batch, store, worker_nlp(settings.model), settings), store.written
