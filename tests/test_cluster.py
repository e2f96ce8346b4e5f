"""How the client cuts the pending releases into cluster tasks, and how it meets (or does not
meet) a scheduler: real sockets on 127.0.0.1 that are not Dask."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline import folder_lock
from pipeline.cli import main
from pipeline.cluster import SMALLEST_BATCH, batches
from pipeline.publish.outputs import LOCK_FILE
from pipeline.records import RawDocument


def _pending(n: int) -> list[tuple[str, RawDocument]]:
    return [(f"key{i}", RawDocument(doc_id=str(i), path=f"r{i}.txt", fmt="txt", data=b"Texto."))
            for i in range(n)]


@pytest.mark.parametrize(("count", "size", "workers"),
                         [(0, 64, 2), (3, 64, 2), (1600, 64, 2), (1601, 64, 2), (500, 64, 1),
                          (1000, 10, 3), (7, 1, 2)])
def test_batches_keep_every_release_in_order_and_shrink_only_at_the_tail(
        count: int, size: int, workers: int) -> None:
    pending = _pending(count)
    cut = list(batches(iter(pending), size, workers))
    assert [item for batch in cut for item in batch] == pending
    assert all(batch for batch in cut)
    lengths = [len(batch) for batch in cut]
    # Whole batches, then smaller and smaller ones, holding fewer than size × (workers + 1).
    assert lengths == sorted(lengths, reverse=True)
    assert all(n <= size for n in lengths)
    assert sum(n for n in lengths if n < size) < size * (workers + 1)
    assert all(n >= min(SMALLEST_BATCH, size) for n in lengths[:-1])


def test_the_tail_gives_each_of_two_workers_a_share() -> None:
    """1,600 releases in batches of 64 on two workers: not 25 whole batches (one worker
    running the 25th alone), but 23, then the last 128 releases in batches of 32, 24, 18 …"""
    lengths = [len(batch) for batch in batches(iter(_pending(1600)), 64, 2)]
    assert lengths[:23] == [64] * 23
    assert lengths[23:26] == [32, 24, 18]
    assert sum(lengths[23:]) == 128


class Service:
    """A TCP server on 127.0.0.1 that is not a Dask scheduler: on each connection it sends
    ``greeting`` (nothing: a silent server) and keeps the connection open; it counts them."""

    def __init__(self, greeting: bytes) -> None:
        self.greeting = greeting
        self.connected = threading.Event()
        self.connections = 0
        self._server = socket.create_server(("127.0.0.1", 0))
        self._open: list[socket.socket] = []
        self.address = f"tcp://127.0.0.1:{self._server.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self._server.accept()
            except OSError:
                return
            self.connections += 1
            self._open.append(connection)
            if self.greeting:
                connection.sendall(self.greeting)
            self.connected.set()

    def close(self) -> None:
        self._server.close()
        for connection in self._open:
            connection.close()


@pytest.fixture
def release(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "nota.txt").write_text(
        "El Instituto Municipal de las Mujeres presentó una campaña contra la violencia.",
        encoding="utf-8")
    return folder


def _extract(release: Path, out: Path, scheduler: str, **popen: object
             ) -> subprocess.Popen[str]:
    env = {**os.environ, "PIPELINE_SCHEDULER_TIMEOUT": "1"}
    return subprocess.Popen([sys.executable, "-m", "pipeline", "-q", "extract", "--input",
                             str(release), "--output", str(out), "--scheduler", scheduler],
                            stderr=subprocess.PIPE, text=True, env=env, **popen)


def test_bad_input_a_service_with_a_banner_is_no_scheduler(release: Path,
                                                          tmp_path: Path) -> None:
    service = Service(b"SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n")
    try:
        run = _extract(release, tmp_path / "out", service.address)
        _, stderr = run.communicate(timeout=120)
    finally:
        service.close()
    assert run.returncode == 2
    assert stderr == (f"error: the service at {service.address} is not a Dask scheduler (it "
                      "answered 'SSH-2.0-'); check the address and port (a scheduler listens "
                      "on 8786 unless told otherwise)\n")


def test_bad_input_a_silent_service_is_waited_for_briefly_without_the_lock(
        release: Path, tmp_path: Path) -> None:
    """A server that accepts and never answers (an HTTP server waits for a request): the run
    gives up after scheduler_timeout, and holds no lock on the output folder meanwhile."""
    service = Service(b"")
    out = tmp_path / "out"
    try:
        run = _extract(release, out, service.address)
        assert service.connected.wait(timeout=120)
        out.mkdir(exist_ok=True)
        folder_lock.hold(out / LOCK_FILE).release()  # free while the run waits
        _, stderr = run.communicate(timeout=120)
    finally:
        run.kill()
        service.close()
    assert run.returncode == 2
    assert stderr.startswith(f"error: no Dask scheduler answered at {service.address} within "
                             "1 s (scheduler_timeout)") and stderr.count("\n") == 1


def test_bad_input_an_unreachable_scheduler_is_reported_at_once(
        release: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listens at the port: the refusal itself is the answer (Dask's client would
    retry for its whole connect timeout, 30 s)."""
    closed = socket.create_server(("127.0.0.1", 0))
    address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    monkeypatch.setenv("PIPELINE_SCHEDULER_TIMEOUT", "1")
    assert main(["-q", "extract", "--input", str(release), "--output",
                 str(tmp_path / "out"), "--scheduler", address]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: cannot reach the Dask scheduler at {address}: Connection refused; "
                   "start one with `dask scheduler`, or use --workers N\n")


def test_no_scheduler_is_contacted_when_nothing_needs_processing(
        release: Path, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    store = tmp_path / "store"
    monkeypatch.setattr("pipeline.engine.local_nlp", lambda model=None: nlp)
    assert main(["-q", "extract", "--input", str(release), "--output", str(tmp_path / "one"),
                 "--interim", str(store)]) == 0
    service = Service(b"SSH-2.0-OpenSSH_9.6\r\n")  # any contact would fail the run
    try:
        monkeypatch.setenv("PIPELINE_SCHEDULER_TIMEOUT", "1")
        assert main(["-q", "extract", "--input", str(release), "--output",
                     str(tmp_path / "two"), "--interim", str(store), "--scheduler",
                     service.address]) == 0
    finally:
        service.close()
    assert service.connections == 0
    assert (tmp_path / "one" / "mentions.csv").read_bytes() == \
        (tmp_path / "two" / "mentions.csv").read_bytes()


def test_a_running_scheduler_passes_the_handshake_and_runs_the_stage(
        release: Path, tmp_path: Path) -> None:
    from distributed import LocalCluster

    from pipeline.config import load_settings
    from pipeline.run import extract_corpus

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      protocol="tcp", dashboard_address=":0") as cluster:
        settings = replace(load_settings(), scheduler=cluster.scheduler_address,
                           interim=str(tmp_path / "store"))
        summary = extract_corpus(release, tmp_path / "out", settings=settings)
    assert (summary.documents, summary.processed) == (1, 1)
    assert "Instituto Municipal de las Mujeres" in (tmp_path / "out" / "mentions.csv"
                                                    ).read_text("utf-8-sig")
