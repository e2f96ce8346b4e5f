"""Where the per-document stage runs: in this process, or on a Dask cluster.

Either way, each release the store lacks goes through :func:`pipeline.document.stage.analyse`
and its outcome is written to the store in shards; nothing else comes back, so the corpus
stage reads every result from the store in input order and the tables do not depend on
where or in which order the releases were processed.

- Here: one spaCy pipeline, with ``processes`` spaCy worker processes (``n_process``).
- ``workers`` N: a local Dask cluster of N single-threaded worker processes.
- ``scheduler`` ADDRESS: the workers of a running Dask scheduler, which must be able to
  import this package and reach the store's location.

Cluster workers (:mod:`pipeline.cluster`) load the spaCy model once each, take batches of
``shard_size`` releases (:func:`analyse_batch`), write one shard each straight to the store
and return its name.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import chain
from typing import TYPE_CHECKING

from pipeline.config import Settings
from pipeline.fingerprint import choose_model, model_label_of
from pipeline.memory import collector_spares_what_lives
from pipeline.records import RawDocument, Reject
from pipeline.store import Outcome, ResultStore

if TYPE_CHECKING:
    from spacy.language import Language

    from pipeline.cluster import Cluster

logger = logging.getLogger(__name__)
Pending = Iterable[tuple[str, RawDocument]]  # releases the store lacks, with their keys


def model_in_use(settings: Settings, nlp: Language | None) -> str:
    """The label of the model that runs, without loading it when ``nlp`` is not given."""
    if nlp is None:
        return model_label_of(choose_model(settings.model))
    from pipeline.document.nlp import model_label

    return model_label(nlp)


class DocumentStage:
    """The per-document stage of one run, set up before the run takes its output folder's
    lock. With a cluster configured, it looks for a first release the store lacks and, only if
    there is one, connects to the cluster (bounded by ``scheduler_timeout``), so that no
    scheduler is contacted when nothing needs processing and no lock is held while one is
    awaited; here, the releases are read as :meth:`run` goes. :meth:`run` runs the stage where
    the settings say: the cluster, else here (with ``nlp``, or the model built when a first
    release needs it)."""

    def __init__(self, pending: Pending, settings: Settings,
                 nlp: Language | None = None) -> None:
        self.settings, self._nlp = settings, nlp
        self._pending: Iterator[tuple[str, RawDocument]] = iter(pending)
        self._cluster: Cluster | None = None
        if settings.scheduler or settings.workers:
            first = next(self._pending, None)
            if first is not None:
                from pipeline.cluster import Cluster  # dask loads only for a cluster

                self._pending = chain([first], self._pending)
                self._cluster = Cluster(settings)

    def __enter__(self) -> DocumentStage:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the cluster, if any (the corpus stage needs none)."""
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def run(self, store: ResultStore, privacy_key: bytes | None) -> int:
        """Process every pending release into ``store``; return how many.
        ``privacy_key``: see :func:`pipeline.document.stage.analyse`."""
        try:
            if self._cluster is not None:
                return self._cluster.analyse(self._pending, store, privacy_key)
            first = next(self._pending, None)
            if first is None:  # nothing new: the model is not even loaded
                return 0
            return analyse_into(chain([first], self._pending), store,
                                self._nlp or local_nlp(self.settings.model), self.settings,
                                privacy_key)
        finally:
            self.close()


def analyse_into(pending: Pending, store: ResultStore, nlp: Language, settings: Settings,
                 privacy_key: bytes | None) -> int:
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

    with collector_spares_what_lives():
        for result in analyse(raws(), nlp, settings, rejects, privacy_key=privacy_key):
            for reject in rejects:
                take(reject)
            rejects.clear()
            take(result)
    for reject in rejects:
        take(reject)
    if shard:
        store.write_shard(shard)
    return count


def local_nlp(model: str | None) -> Language:
    """The spaCy pipeline of a run in this process, not kept: its memory goes to the corpus
    stage once the per-document stage is over."""
    from pipeline.document.nlp import build_nlp

    return build_nlp(model)


@cache
def worker_nlp(model: str | None) -> Language:
    """The spaCy pipeline of a cluster worker, built on its first task and kept."""
    return local_nlp(model)


def analyse_batch(batch: list[tuple[str, RawDocument]], settings: Settings, location: str,
                  fingerprint: str, privacy_key: bytes | None) -> tuple[int, list[str]]:
    """A cluster task, run on a worker: process ``batch``, write its shard straight to the
    store, return the number processed and the shard names (never the results)."""
    store = ResultStore(location, fingerprint, index=False, lease=False)  # the run holds one
    processed = analyse_into(batch, store, worker_nlp(settings.model), settings, privacy_key)
    return processed, store.written
