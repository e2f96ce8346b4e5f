"""The report: built from the small corpus, then opened in headless Chromium over DevTools."""

from __future__ import annotations

import base64
import io
import json
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import websocket
from PIL import Image, ImageStat
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.publish.report import ReportFiles, _json_for_script, build_report
from pipeline.publish.tables import load_edges, load_nodes, load_tables
from pipeline.run import extract_corpus

SMALL_CORPUS = Path(__file__).parent / "fixtures" / "corpus_small"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic", "--remote-debugging-port=0",
                  "--window-size=1280,1600"]


def small_outputs(base: Path, nlp: Language, *, include_private_persons: bool = False) -> Path:
    """The extract tables of the small corpus, built once under pytest's session folder
    (with every person named, for scoring, when ``include_private_persons``)."""
    folder = base / f"corpus_small_processed{'_all' if include_private_persons else ''}"
    if not (folder / "documents.csv").is_file():
        settings = replace(load_settings(), include_private_persons=include_private_persons)
        extract_corpus(SMALL_CORPUS, folder, settings=settings, nlp=nlp)
    return folder


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


@pytest.fixture(scope="session")
def report(processed: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    return build_report(processed, tmp_path_factory.mktemp("report"))


class DevTools:
    """The few Chrome DevTools Protocol calls the tests need, recording every event."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.events: list[dict[str, Any]] = []
        self._next = 0

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        self.socket.send(json.dumps({"id": self._next, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self._next:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message["result"])
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.events.append(json.loads(self.socket.recv()))

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def errors(self) -> list[str]:
        """Uncaught exceptions, console.error/assert calls and browser-logged errors."""
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", str(params)))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a)) for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(params["entry"]["text"])
        return found


def _devtools_port(profile: Path, browser: subprocess.Popen[bytes]) -> int:
    active = profile / "DevToolsActivePort"  # Chromium writes its chosen port here
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and browser.poll() is None:
        if active.is_file() and active.read_text().strip():
            return int(active.read_text().splitlines()[0])
        time.sleep(0.1)
    raise RuntimeError(f"chromium did not open a DevTools port (exit status {browser.poll()})")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with "
                    "`apt-get install chromium`); the browser checks of report.html need it")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                "about:blank"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        port = _devtools_port(profile, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            page = next(t for t in json.load(reply) if t["type"] == "page")
        devtools = DevTools(page["webSocketDebuggerUrl"])
        yield devtools
        devtools.socket.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def loaded(browser: DevTools, report: ReportFiles) -> DevTools:
    for domain in ("Runtime", "Log", "Page"):
        browser.call(f"{domain}.enable")
    browser.call("Page.navigate", url=report.html.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    return browser


def test_report_files(report: ReportFiles) -> None:
    for png in (report.network_png, report.timeline_png, report.top_institutions_png):
        assert png.parent == report.html.parent
        assert png.stat().st_size > 10_000, f"{png.name} is suspiciously small"
        with Image.open(png) as image:
            image.verify()
        with Image.open(png) as image:
            assert image.format == "PNG"
            assert 600 <= image.width <= 4000 and 400 <= image.height <= 4000, image.size


def test_report_is_self_contained(report: ReportFiles) -> None:
    page = report.html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+\bsrc=", page), "scripts must be inline"
    assert not re.search(r"<link[^>]+stylesheet", page), "styles must be inline"
    assert all(src.startswith("data:image/png;base64,")
               for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', page))
    assert "{{" not in page
    for heading in ("Resumen del corpus", "Red de instituciones", "Instituciones principales",
                    "Línea de tiempo"):
        assert heading in page


def test_script_data_cannot_close_the_script_element() -> None:
    text = _json_for_script({"title": "</script><script>alert(1)</script>"})
    assert "</script" not in text
    assert json.loads(text) == {"title": "</script><script>alert(1)</script>"}


def test_report_in_browser(loaded: DevTools, processed: Path, tmp_path: Path) -> None:
    expected = len(load_nodes(processed))
    assert expected > 3, "the small corpus should yield a network worth drawing"
    assert loaded.evaluate("document.getElementById('network').dataset.ready") == "true"
    assert loaded.evaluate("document.getElementById('network').dataset.nodes") == str(expected)
    assert loaded.evaluate("document.querySelectorAll('#network circle.node').length") == expected
    assert loaded.evaluate("document.querySelectorAll('#network line.edge').length") == len(
        load_edges(processed))
    shot = base64.b64decode(loaded.call("Page.captureScreenshot", format="png")["data"])
    (tmp_path / "report.png").write_bytes(shot)
    with Image.open(io.BytesIO(shot)) as image:
        assert image.width >= 800
        variance = ImageStat.Stat(image.convert("L")).var[0]
    assert variance > 100, f"the screenshot looks blank (pixel variance {variance:.1f})"
    assert loaded.errors() == []


def test_hover_and_click_show_the_shared_events(loaded: DevTools, processed: Path) -> None:
    tables = load_tables(processed)
    hub = tables.nodes.sort_values("degree", ascending=False).iloc[0]
    index = loaded.evaluate("JSON.parse(document.getElementById('network-data').textContent)"
                            f".nodes.findIndex(n => n.name === {json.dumps(hub['name'])})")
    circle = f"document.querySelectorAll('#network circle.node')[{index}]"
    loaded.evaluate(f"{circle}.dispatchEvent(new MouseEvent('mousemove', {{bubbles: true}}))")
    tooltip = loaded.evaluate("document.getElementById('tooltip').innerText")
    assert hub["name"] in tooltip and "Sector" in tooltip and "Eventos" in tooltip
    loaded.evaluate(f"{circle}.dispatchEvent(new MouseEvent('click', {{bubbles: true}}))")
    links = loaded.evaluate("[...document.querySelectorAll('#details a')].map(a => a.href)")
    shared = {url for urls in tables.events["urls"] for url in urls}
    assert links and set(links) <= shared
    assert loaded.errors() == []


def test_cli_report(processed: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--input", str(processed), "--output", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "report.html").is_file()
    assert "report.html" in capsys.readouterr().err


@pytest.mark.parametrize("make_input", [lambda p: p / "missing", lambda p: p])
def test_cli_report_without_tables(make_input: Any, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--input",
                             str(make_input(tmp_path)), "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
