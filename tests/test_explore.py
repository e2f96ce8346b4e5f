"""`explore`: prensa-red.sqlite served by Datasette on 127.0.0.1 and queried over HTTP, with
the data dictionary's Spanish titles and descriptions and the canned queries."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from test_report import small_outputs

from pipeline.cli import main
from pipeline.publish import export
from pipeline.publish.dictionary import load_dictionary
from pipeline.publish.explore import DATABASE_NAME, canned_queries, datasette_metadata
from pipeline.publish.outputs import OutputSet, verify

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def serving(command: list[str], port: int, *, cwd: Path = PROJECT,
            timeout: float = 90) -> Iterator[str]:
    """Run ``command`` (a server on 127.0.0.1:``port``) in a session of its own; yield its
    address once it answers; stop it (and whatever it started) at the end."""
    server = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{address}/-/versions.json", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    output = server.stdout.read() if server.poll() is not None else ""
                    pytest.fail(f"{' '.join(command)} did not serve {address}: {output}")
                time.sleep(0.3)
        yield address
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.communicate(timeout=30)


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


def get_text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200
        return response.read().decode("utf-8")


def test_metadata_describes_every_table_and_column_in_spanish() -> None:
    metadata = datasette_metadata()["databases"][DATABASE_NAME]
    for entry in (e for e in load_dictionary() if e.in_database):
        table = metadata["tables"][entry.name]
        assert table["title"] == entry.title and table["description"].startswith("Una fila por")
        assert set(table["columns"]) == {c.name for c in entry.columns}
    assert set(metadata["queries"]) == set(canned_queries())
    assert {"Instituciones que coinciden con la Fiscalía", "Eventos por mes"} <= {
        q["title"] for q in metadata["queries"].values()}


def test_datasette_serves_the_database_over_http(processed: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "pipeline", "explore", "--input", str(processed),
               "--port", str(port)]
    with serving(command, port) as address:
        base = f"{address}/{DATABASE_NAME}"
        nodes = get_json(f"{base}/nodes.json?_shape=array&_size=max")
        assert len(nodes) == len(export_rows(processed / "nodes.csv"))
        page = get_text(f"{base}/nodes")
        assert "<h1>Instituciones de la red</h1>" in page
        assert "Intermediación" in page  # a column's description from the dictionary
        loaded = re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"(https?://[^\"]+)", page)
        assert all(url.startswith(address) for url in loaded), \
            f"the page loads nothing from the internet: {loaded}"
        found = get_json(f"{base}/sentences.json?_search=violencia+genero&_shape=array")
        assert found and all("género" in row["sentence"].lower() for row in found)
        results = {name: get_json(f"{base}/{name}.json?_shape=array")
                   for name in canned_queries()}
        events = len(export_rows(processed / "events.csv"))
        assert sum(row["eventos"] for row in results["eventos_por_mes"]) == events
        assert all(row["fiscalia"].startswith("Fiscal")
                   for row in results["instituciones_con_la_fiscalia"])
        assert results["cargos"], "the small corpus names people in public roles"
    verify(processed)  # served immutable: the file run.json vouches for is unchanged


def export_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_folder_without_the_database_is_a_one_line_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with OutputSet(tmp_path) as outputs:
        export.write_csv(outputs.staging / "documents.csv", ["doc_id"], [{"doc_id": "a"}])
        outputs.publish(documents=1, rejected=0, model="hand-written", source=tmp_path)
    assert main(["explore", "--input", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"error: {tmp_path} has no prensa-red.sqlite (it was written by an older version); "
        f"rerun `python -m pipeline extract --output {tmp_path}`\n")


def test_a_port_in_use_is_a_one_line_error(processed: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        assert main(["explore", "--input", str(processed), "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}") and err.count("\n") == 1
