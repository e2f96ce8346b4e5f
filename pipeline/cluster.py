"""The per-document stage on a Dask cluster: a local one (``--workers N``) or a running one
(``--scheduler tcp://HOST:8786``).

The client connects first, within ``scheduler_timeout``, making sure a Dask scheduler is what
answers (:func:`check_scheduler`), and only when some release needs processing. It sends
batches of ``shard_size`` releases, and the last ones in smaller batches
(:func:`batches`); each worker builds its spaCy pipeline once (:class:`ModelLoader`), runs
:func:`pipeline.engine.analyse_batch` on each batch it gets, writes the shard straight to the
store and returns its name. A few batches per worker are in flight at a time, so the client
never holds the corpus. Workers of a running scheduler must be able to import this package
and to reach the store's location (object storage, or a folder every machine mounts).
"""

from __future__ import annotations

import logging
import socket
import struct
import time
from collections import deque
from collections.abc import Iterator
from itertools import islice
from typing import Any

import dask
import msgpack
from distributed import Client, LocalCluster, WorkerPlugin, as_completed
from distributed.comm.addressing import parse_address, parse_host_port
from distributed.protocol.utils import unpack_frames

from pipeline.config import Settings
from pipeline.engine import Pending, analyse_batch, worker_nlp
from pipeline.errors import UserError
from pipeline.records import RawDocument
from pipeline.store import ResultStore

logger = logging.getLogger(__name__)
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: busy, without holding the corpus
SMALLEST_BATCH = 4  # the tail's batches shrink to this many releases
MAX_HANDSHAKE = 1 << 16  # bytes: a scheduler's handshake is about sixty
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


def _received(sock: socket.socket, size: int, deadline: float) -> bytes | None:
    """``size`` bytes from ``sock`` before the monotonic ``deadline``; None if they do not
    come (silence, or the connection closes first)."""
    data = bytearray()
    while len(data) < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(size - len(data), 65536))
        except (TimeoutError, OSError):
            return None
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def check_scheduler(address: str, seconds: float) -> None:
    """Make sure a Dask scheduler answers at ``address`` (tcp) within ``seconds``: it sends
    its handshake as a connection opens, a length and then that many bytes of msgpack. Dask's
    own client reads any length another service sends as one (an SSH banner: exabytes) and
    waits on a silent one for as long as it stays open, so the handshake is read here first,
    under a deadline, and sent back, as a client would.

    Raises:
        UserError: nothing listens, nothing answers in time, or what answers is not Dask.
    """
    scheme, location = parse_address(address)
    if scheme != "tcp":  # tls: nothing is sent before the client speaks; Dask's timeout holds
        return
    host, port = parse_host_port(location, default_port=8786)
    deadline = time.monotonic() + seconds
    try:
        sock = socket.create_connection((host, port), timeout=seconds)
    except OSError as exc:
        raise UserError(f"cannot reach the Dask scheduler at {address}: "
                        f"{exc.strerror or exc}; start one with `dask scheduler`, or use "
                        "--workers N") from None
    with sock:
        head = _received(sock, 8, deadline)
        if head is None:
            raise UserError(f"no Dask scheduler answered at {address} within {seconds:g} s "
                            "(scheduler_timeout): the service there does not speak Dask's "
                            "protocol, or is slow; check the address, or raise "
                            "scheduler_timeout") from None
        (size,) = struct.unpack("<Q", head)
        body = _received(sock, size, deadline) if size <= MAX_HANDSHAKE else None
        try:
            handshake = msgpack.loads(unpack_frames(body)[0]) if body else None
        except Exception:  # whatever another service sent: not Dask's
            handshake = None
        if not isinstance(handshake, dict) or "python" not in handshake:
            shown = head.decode("ascii", "replace").strip() or head.hex()
            raise UserError(f"the service at {address} is not a Dask scheduler (it answered "
                            f"{shown!r}); check the address and port (a scheduler listens on "
                            "8786 unless told otherwise)")
        sock.sendall(head + body)  # our side of the handshake: the same fields


def _client(settings: Settings) -> tuple[Client, LocalCluster | None]:
    # Dask's own INFO lines (scheduler, nannies) only with -v, like ours.
    logging.getLogger("distributed").setLevel(logging.getLogger().getEffectiveLevel())
    if not settings.scheduler:
        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1,
                                   processes=True, dashboard_address=":0",
                                   silence_logs=logging.WARNING)
        return Client(cluster), cluster
    seconds = settings.scheduler_timeout
    check_scheduler(settings.scheduler, seconds)
    try:
        client = Client(settings.scheduler, timeout=f"{seconds}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UserError(f"cannot reach the Dask scheduler at {settings.scheduler}: {exc}; "
                        "start one with `dask scheduler`, or use --workers N") from None
    try:
        client.wait_for_workers(1, timeout=seconds)
    except TimeoutError:
        client.close()
        raise UserError(f"the Dask scheduler at {settings.scheduler} has no worker (none "
                        f"joined within {seconds:g} s, scheduler_timeout); start some with "
                        f"`dask worker {settings.scheduler}`") from None
    return client, None


class Cluster:
    """Dask workers for one run's per-document stage, connected when it is made (before the
    run takes its output folder's lock) and let go by :meth:`close`.

    Raises:
        UserError: the scheduler cannot be reached, or is no Dask scheduler (see
            :func:`check_scheduler`), within ``scheduler_timeout``.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client, self._local = _client(settings)

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()

    def analyse(self, pending: Pending, store: ResultStore, privacy_key: bytes | None) -> int:
        """Run the per-document stage on the workers; return the number of releases
        processed. The privacy key travels with each task (workers need not reach the key
        file)."""
        client, settings = self.client, self.settings
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
