"""The report: built from extracted tables, then opened in headless Chromium over DevTools.

The browser checks run on the small corpus shipped in tests/fixtures (releases with web
addresses), on ../shared/corpus when it is beside the project (a corpus-sized network), and on
releases of our own whose titles and addresses try to break the page.
"""

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
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
import websocket
from PIL import Image, ImageStat
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.knowledge import fold
from pipeline.publish.places import for_place, municipalities, slug
from pipeline.publish.report import (
    PAGE_TITLE,
    VENDOR,
    ReportFiles,
    build_report,
    is_web_address,
    script_json,
    vendor_scripts,
    with_distinct_names,
)
from pipeline.publish.tables import load_edges, load_nodes, load_tables, node_events
from pipeline.run import extract_corpus

PROJECT = Path(__file__).resolve().parents[1]
SMALL_CORPUS = Path(__file__).parent / "fixtures" / "corpus_small"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-quic", "--remote-debugging-port=0",
                  "--window-size=1400,1600"]
HOSTILE_TITLE = "Taller <!--<script> contra la violencia </script><b>&amp;"


def small_outputs(base: Path, nlp: Language) -> Path:
    """The extract tables of the small corpus, built once under pytest's session folder."""
    folder = base / "corpus_small_processed"
    if not (folder / "documents.csv").is_file():
        extract_corpus(SMALL_CORPUS, folder, settings=load_settings(), nlp=nlp)
    return folder


def corpus_outputs(base: Path, corpus: Path, nlp: Language) -> Path:
    """The extract tables of ../shared/corpus, built once under pytest's session folder."""
    folder = base / "shared_corpus_processed"
    if not (folder / "documents.csv").is_file():
        extract_corpus(corpus, folder, settings=load_settings(), nlp=nlp)
    return folder


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


@pytest.fixture(scope="session")
def report(processed: Path, tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    return build_report(processed, tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="session")
def corpus_processed(tmp_path_factory: pytest.TempPathFactory, corpus: Path,
                     nlp: Language) -> Path:
    return corpus_outputs(tmp_path_factory.getbasetemp(), corpus, nlp)


@pytest.fixture(scope="session")
def corpus_report(corpus_processed: Path,
                  tmp_path_factory: pytest.TempPathFactory) -> ReportFiles:
    return build_report(corpus_processed, tmp_path_factory.mktemp("corpus-report"))


def _release(number: int, url: str, title: str, body: str) -> str:
    # ASCII JSON: a raw U+2028 would split the line for the reader of jsonl files.
    return json.dumps({"id": f"hostil-{number}", "url": url, "title": title,
                       "published": f"2024-0{number}-15", "text": body})


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> ReportFiles:
    """Releases of our own whose titles and addresses try to break out of the page."""
    folder = tmp_path_factory.mktemp("hostile")
    body = ("El Instituto Municipal de las Mujeres y la Red Mesa de Mujeres de Ciudad Juárez "
            "organizaron un taller para la prevención de la violencia de género dirigido a "
            "madres de familia de la colonia.\n\nLa Secretaría de Seguridad Pública Municipal "
            "explicó cómo denunciar la violencia contra las mujeres y pidió a las asistentes "
            "compartir la información sobre la línea de emergencia.")
    lines = [_release(1, "javascript:alert(document.title)", HOSTILE_TITLE, body),
             _release(2, "data:text/html,<script>alert(1)</script>",
                      "Foro \u2028sobre\u2029 violencia de género", body.replace("taller", "foro")),
             _release(3, "https://example.org/comunicado-3", "Campaña $$ contra la violencia",
                      body.replace("taller", "campaña"))]
    (folder / "releases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    extract_corpus(folder / "releases.jsonl", folder / "processed", settings=load_settings(),
                   nlp=nlp)
    return build_report(folder / "processed", folder / "report")


def test_report_files(report: ReportFiles) -> None:
    for png in (report.network_png, report.timeline_png, report.top_institutions_png):
        assert png.parent == report.html.parent
        assert png.with_suffix(".svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        with Image.open(png) as image:
            image.verify()
        with Image.open(png) as image:
            assert image.format == "PNG"
            assert round(image.info["dpi"][0]) == 300, image.info.get("dpi")
            assert 2000 <= image.width <= 4500 and 900 <= image.height <= 4500, image.size


def test_report_is_self_contained(report: ReportFiles) -> None:
    page = report.html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+\bsrc=", page), "scripts must be inline"
    assert not re.search(r"<link[^>]+stylesheet", page), "styles must be inline"
    assert all(src.startswith("data:image/png;base64,")
               for src in re.findall(r'<img[^>]*\bsrc="([^"]*)"', page))
    assert "{{" not in page
    for heading in ("Resumen del corpus", "Red de instituciones", "Instituciones principales",
                    "Línea de tiempo", "Figuras para publicar"):
        assert heading in page


def test_report_states_the_undated_events(report: ReportFiles, processed: Path) -> None:
    events = load_tables(processed).events
    undated = int(events["date"].isna().sum())
    undated_gbv = int((events["date"].isna() & events["gbv_related"]).sum())
    page = report.html.read_text(encoding="utf-8")
    summary = re.search(r'id="undated-summary">([^<]*)<', page)
    timeline = re.search(r'id="undated-timeline">([^<]*)<', page)
    assert summary and summary[1].startswith(f"{undated} evento")
    assert f"({undated_gbv} sobre violencia de género)" in summary[1]
    assert timeline and timeline[1].startswith(f"{undated_gbv} evento")
    assert "sin fecha" in summary[1] and "sin fecha" in timeline[1]


def test_institutions_sharing_a_name_are_told_apart(processed: Path) -> None:
    tables = load_tables(processed)
    first, second = tables.nodes["entity_id"].iloc[:2]
    nodes = tables.nodes.assign(name=tables.nodes["name"].where(
        ~tables.nodes["entity_id"].isin([first, second]), "Instituto Municipal de las Mujeres"))
    entities = tables.entities.assign(jurisdiction=tables.entities["entity_id"].map(
        {first: "Juárez, Chihuahua", second: "Mazatlán, Sinaloa"}).fillna(""))
    shown = with_distinct_names(replace(tables, nodes=nodes, entities=entities)).nodes
    names = dict(zip(shown["entity_id"], shown["name"]))
    assert names[first] == "Instituto Municipal de las Mujeres (Juárez, Chihuahua)"
    assert names[second] == "Instituto Municipal de las Mujeres (Mazatlán, Sinaloa)"
    others = shown[~shown["entity_id"].isin([first, second])]
    assert list(others["name"]) == list(tables.nodes["name"].iloc[2:])


def test_script_json_cannot_end_its_script_element() -> None:
    data = {"title": "</script><!--<script>alert(1)</script>&amp; \u2028 \u2029 >"}
    text = script_json(data)
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == data


def test_only_web_addresses_become_links() -> None:
    assert is_web_address("https://www.juarez.gob.mx/noticia/1")
    assert is_web_address("HTTP://example.org")
    for address in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                    "file:///etc/passwd", "/home/ana/comunicado.txt", "corpus/001.txt",
                    "http:/missing-host", "vbscript:x", ""):
        assert not is_web_address(address), address


def test_vendored_viewer_has_its_licences_and_versions() -> None:
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    versions = dict(line.split("\t") for line in
                    (VENDOR / "VERSIONS.tsv").read_text(encoding="utf-8").splitlines())
    for package in ("sigma", "graphology"):
        assert re.search(rf"^{package.upper()}_VERSION := {re.escape(versions[package])}$",
                         makefile, re.MULTILINE), package
        assert "Permission is hereby granted, free of charge" in (VENDOR / f"{package}.LICENSE.txt").read_text(encoding="utf-8")
    total = sum(path.stat().st_size for path in VENDOR.iterdir())
    assert total < 5_000_000, f"the vendored files take {total} bytes"
    assert "</script" not in vendor_scripts().replace("\n</script>", "")


# ---- the browser ----------------------------------------------------------------------------

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
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float = 10) -> Any:
        """Poll ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"{expression} stayed falsy for {timeout} s")
            time.sleep(0.05)

    def open(self, page: Path) -> None:
        self.events.clear()
        self.call("Page.navigate", url=page.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        self.wait_until("document.getElementById('network').dataset.labels !== undefined")

    def click(self, x: float, y: float) -> None:
        """A real left click at page coordinates (x, y)."""
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left",
                      clickCount=1)

    def press(self, key: str, code: str, key_code: int, text: str = "") -> None:
        """A real key press (``text`` is what the key types, e.g. "\\r" for Enter)."""
        self.call("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                  windowsVirtualKeyCode=key_code, text=text)
        self.call("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                  windowsVirtualKeyCode=key_code)

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

    def screenshot(self, path: Path) -> float:
        """Save a screenshot; return its pixel variance (about 0 for a blank page)."""
        shot = base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])
        path.write_bytes(shot)
        with Image.open(io.BytesIO(shot)) as image:
            return float(ImageStat.Stat(image.convert("L")).var[0])


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
        pytest.skip("Debian's chromium is not installed (`apt-get install chromium`; .ci/run "
                    "installs it); the browser checks of report.html need it")
    profile = tmp_path_factory.mktemp("chromium-profile")
    process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                "about:blank"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        port = _devtools_port(profile, process)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            page = next(t for t in json.load(reply) if t["type"] == "page")
        devtools = DevTools(page["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page"):
            devtools.call(f"{domain}.enable")
        yield devtools
        devtools.socket.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


VISIBLE = "document.getElementById('network').dataset"


def _node_on_page(browser: DevTools, key: str) -> tuple[float, float]:
    """Where node ``key`` is drawn, in page coordinates."""
    return tuple(browser.evaluate(f"""(() => {{
        const view = window.prensaRed, box = document.getElementById('network');
        const at = view.renderer.graphToViewport(view.graph.getNodeAttributes({json.dumps(key)}));
        const frame = box.getBoundingClientRect();
        return [frame.left + at.x, frame.top + at.y];
    }})()"""))


def _hub(processed: Path) -> Any:
    return load_nodes(processed).sort_values(["degree", "n_events"], ascending=False).iloc[0]


def _click_node(browser: DevTools, key: str) -> None:
    browser.evaluate("document.getElementById('network').scrollIntoView()")
    browser.wait_until("!window.prensaRed.renderer.getCamera().isAnimated()")
    browser.click(*_node_on_page(browser, key))
    browser.wait_until(f"window.prensaRed.state.focus === {json.dumps(key)}")


def test_corpus_network_in_browser(browser: DevTools, corpus_report: ReportFiles,
                                   corpus_processed: Path, tmp_path: Path) -> None:
    browser.open(corpus_report.html)
    nodes, edges = load_nodes(corpus_processed), load_edges(corpus_processed)
    assert len(nodes) > 50, "../shared/corpus should yield a corpus-sized network"
    assert browser.evaluate(f"{VISIBLE}.visibleNodes") == str(len(nodes))
    assert browser.evaluate(f"{VISIBLE}.visibleEdges") == str(len(edges))
    assert browser.evaluate("window.prensaRed.graph.order") == len(nodes)
    assert browser.evaluate("window.prensaRed.graph.size") == len(edges)
    counted = browser.evaluate("JSON.parse(document.getElementById('network-data').textContent)"
                               ".nodes.map(n => [n.key, n.events.length])")
    assert dict(counted) == dict(zip(nodes["entity_id"], nodes["n_events"].astype(int)))

    # At the default view the drawn labels do not overlap and lie inside the canvas.
    boxes = browser.evaluate("window.prensaRed.labelBoxes")
    width, height = browser.evaluate("[document.getElementById('network').clientWidth, "
                                     "document.getElementById('network').clientHeight]")
    assert len(boxes) >= 15, f"only {len(boxes)} labels drawn"
    for one, two in combinations(boxes, 2):
        assert not (one["x"] < two["x"] + two["w"] and two["x"] < one["x"] + one["w"]
                    and one["y"] < two["y"] + two["h"] and two["y"] < one["y"] + one["h"]), (
            one["name"], two["name"])
    for box in boxes:
        assert 0 <= box["x"] and box["x"] + box["w"] <= width, box
        assert 0 <= box["y"] and box["y"] + box["h"] <= height, box
    hub = _hub(corpus_processed)
    assert hub["entity_id"] in {box["key"] for box in boxes}, "the hub must be labelled"
    assert all("…" not in box["name"] for box in boxes)
    variance = browser.screenshot(tmp_path / "corpus-report.png")
    assert variance > 100, f"the screenshot looks blank (pixel variance {variance:.1f})"
    assert browser.errors() == []


def test_search_finds_an_acronym_and_focuses_it(browser: DevTools, corpus_report: ReportFiles,
                                                corpus_processed: Path) -> None:
    browser.open(corpus_report.html)
    entities = load_tables(corpus_processed).entities
    imm = entities[(entities["name"] == "Instituto Municipal de las Mujeres")
                   & entities["aliases"].map(lambda aliases: "IMM" in aliases)]
    assert len(imm) == 1, "the corpus names the Instituto Municipal de las Mujeres (IMM)"
    browser.evaluate("document.getElementById('network-search').focus()")
    browser.call("Input.insertText", text="IMM")
    browser.press("Enter", "Enter", 13, "\r")
    key = imm["entity_id"].iloc[0]
    browser.wait_until(f"window.prensaRed.state.focus === {json.dumps(key)}")
    assert browser.evaluate("document.querySelector('#details h3').textContent").startswith(
        "Instituto Municipal de las Mujeres")
    browser.wait_until("!window.prensaRed.renderer.getCamera().isAnimated()")
    x, y = browser.evaluate(f"""(() => {{
        const view = window.prensaRed;
        return Object.values(view.renderer.graphToViewport(
            view.graph.getNodeAttributes({json.dumps(key)})));
    }})()""")
    width, height = browser.evaluate("[document.getElementById('network').clientWidth, "
                                     "document.getElementById('network').clientHeight]")
    assert abs(x - width / 2) < 3 and abs(y - height / 2) < 3, (x, y, width, height)
    labelled = {box["key"] for box in browser.evaluate("window.prensaRed.labelBoxes")}
    assert key in labelled
    assert browser.errors() == []


def test_tie_filters_change_the_visible_edges(browser: DevTools, corpus_report: ReportFiles,
                                              corpus_processed: Path) -> None:
    browser.open(corpus_report.html)
    edges = load_edges(corpus_processed)
    browser.evaluate("document.getElementById('tie-min').focus()")
    browser.press("ArrowRight", "ArrowRight", 39)  # the slider's handle moves to 2
    assert browser.evaluate("document.getElementById('tie-min-value').textContent") == "2"
    repeated = int((edges["weight"] >= 2).sum())
    assert 0 < repeated < len(edges)
    assert browser.evaluate(f"{VISIBLE}.visibleEdges") == str(repeated)
    assert int(browser.evaluate(f"{VISIBLE}.visibleNodes")) < len(load_nodes(corpus_processed))

    browser.evaluate("""(() => { const mode = document.getElementById('tie-mode');
        mode.value = 'sentence'; mode.dispatchEvent(new Event('change')); })()""")
    sentence = int((edges["sentence_weight"] >= 1).sum())
    assert browser.evaluate(f"{VISIBLE}.visibleEdges") == str(sentence)
    browser.evaluate("""(() => { const mode = document.getElementById('tie-mode');
        mode.value = 'strong'; mode.dispatchEvent(new Event('change')); })()""")
    strong = int(((edges["sentence_weight"] >= 1) | (edges["weight"] >= 2)).sum())
    assert browser.evaluate(f"{VISIBLE}.visibleEdges") == str(strong)

    first = load_tables(corpus_processed).events.dropna(subset=["date"])["date"].min()
    browser.evaluate(f"""(() => {{ const from = document.getElementById('period-from');
        from.value = {json.dumps(first.strftime('%Y-%m'))};
        from.dispatchEvent(new Event('change')); }})()""")
    assert int(browser.evaluate(f"{VISIBLE}.visibleEdges")) <= strong
    browser.evaluate("document.getElementById('network-reset').click()")
    assert browser.evaluate(f"{VISIBLE}.visibleEdges") == str(len(edges))
    assert browser.errors() == []


def test_click_lists_the_events_with_links(browser: DevTools, report: ReportFiles,
                                           processed: Path) -> None:
    browser.open(report.html)
    tables = load_tables(processed)
    hub = _hub(processed)
    _click_node(browser, hub["entity_id"])
    assert browser.evaluate("document.querySelector('#details h3').textContent") == hub["name"]
    items = browser.evaluate("document.querySelectorAll('#details ul.events > li').length")
    assert items == int(hub["n_events"])
    links = browser.evaluate("[...document.querySelectorAll('#details a')].map(a => a.href)")
    shared = {url for urls in tables.events["urls"] for url in urls}
    assert links and set(links) <= shared
    assert all(link.startswith("https://") for link in links)

    browser.evaluate("window.prensaRed.selectEdge('e0')")
    edge = browser.evaluate("window.prensaRed.state.edge")
    assert edge == "e0"
    assert " — " in browser.evaluate("document.querySelector('#details h3').textContent")
    assert browser.evaluate("document.querySelectorAll('#details ul.events > li').length") >= 1
    assert browser.errors() == []


def test_hostile_text_stays_text(browser: DevTools, hostile_report: ReportFiles,
                                 tmp_path: Path) -> None:
    page = hostile_report.html.read_text(encoding="utf-8")
    assert "<!--<script" not in page and "javascript:alert" in page
    browser.open(hostile_report.html)
    assert browser.evaluate("document.getElementById('figuras') !== null"), \
        "the page after the data block is gone"
    titles = browser.evaluate("window.prensaRed && JSON.parse(document.getElementById("
                              "'network-data').textContent).events.map(e => e.title)")
    assert HOSTILE_TITLE in titles and any(title.startswith("Foro") for title in titles)
    hub = browser.evaluate("window.prensaRed.graph.nodes().sort((a, b) => "
                           "window.prensaRed.graph.degree(b) - window.prensaRed.graph.degree(a))[0]")
    browser.evaluate(f"window.prensaRed.select({json.dumps(hub)})")
    hrefs = browser.evaluate("[...document.querySelectorAll('#details a')].map(a => a.href)")
    assert hrefs == ["https://example.org/comunicado-3"]
    shown = browser.evaluate("[...document.querySelectorAll('#details .source')]"
                             ".map(s => s.textContent)")
    assert "javascript:alert(document.title)" in shown
    assert any(text.startswith("data:text/html") for text in shown)
    assert browser.evaluate("document.querySelectorAll('script').length") == 4
    assert browser.errors() == []


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


# ---- phones and desktops, search, municipalities -----------------------------------------

PHONE, DESKTOP = (390, 844), (1400, 1000)


def _viewport(browser: DevTools, size: tuple[int, int], *, touch: bool) -> None:
    """The page as a desktop with a mouse or a phone with a touch screen shows it."""
    width, height = size
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                 deviceScaleFactor=2 if touch else 1, mobile=touch)
    browser.call("Emulation.setTouchEmulationEnabled", enabled=touch, maxTouchPoints=5)
    browser.call("Emulation.setEmitTouchEventsForMouse", enabled=touch)


@pytest.fixture()
def sized(browser: DevTools) -> Iterator[DevTools]:
    yield browser
    browser.call("Emulation.clearDeviceMetricsOverride")
    browser.call("Emulation.setTouchEmulationEnabled", enabled=False)
    browser.call("Emulation.setEmitTouchEventsForMouse", enabled=False)


OVERFLOWING = """[...document.querySelectorAll('body *')].filter(e => {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= window.innerWidth + 1) { return false; }
    for (let up = e.parentElement; up; up = up.parentElement) {  // inside a box that scrolls
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(up).overflowX)) {
            return false;
        }
    }
    return true;
}).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


@pytest.mark.parametrize(("size", "touch"), [(DESKTOP, False), (PHONE, True)],
                         ids=["desktop-1400x1000", "phone-390x844"])
def test_the_page_fits_its_screen(sized: DevTools, corpus_report: ReportFiles,
                                  size: tuple[int, int], touch: bool, tmp_path: Path) -> None:
    _viewport(sized, size, touch=touch)
    sized.open(corpus_report.html)
    width = sized.evaluate("window.innerWidth")
    assert width == size[0]
    assert sized.evaluate("document.documentElement.scrollWidth") <= width, "it scrolls sideways"
    assert sized.evaluate(OVERFLOWING) == []
    # Wide tables scroll inside their own box; the charts are as wide as the page allows.
    for box in sized.evaluate("[...document.querySelectorAll('.table-box, .chart, header')]"
                              ".map(e => e.getBoundingClientRect().right)"):
        assert box <= width + 1
    bars = sized.evaluate("[...document.querySelectorAll('#top-chart .bars li')].map(li => "
                          "[li.getBoundingClientRect().width, parseFloat(getComputedStyle(li)"
                          ".fontSize)])")
    assert bars and all(w <= width and size_px >= 12 for w, size_px in bars), bars
    network = sized.evaluate("[document.getElementById('network').clientWidth, "
                             "document.getElementById('network').clientHeight]")
    assert network[0] <= width and network[1] >= 300
    hint = sized.evaluate("document.getElementById('network-hint').innerText")
    if touch:  # a phone is touched, not hovered with a cursor or zoomed with a wheel
        assert "Toque" in hint and "pellizque" in hint
        assert "cursor" not in hint and "rueda" not in hint
    else:
        assert "cursor" in hint and "rueda" in hint and "Toque" not in hint
    shot = tmp_path / f"report-{size[0]}x{size[1]}.png"
    assert sized.screenshot(shot) > 100
    assert sized.errors() == []


def _words_start(text: str, query: str) -> bool:
    return f" {query}" in f" {fold(text)}"


def test_search_prefers_the_institution_in_most_events_and_lists_the_others(
        browser: DevTools, corpus_report: ReportFiles, corpus_processed: Path) -> None:
    browser.open(corpus_report.html)
    tables = with_distinct_names(load_tables(corpus_processed))
    aliases = dict(zip(tables.entities["entity_id"], tables.entities["aliases"]))
    named = tables.nodes[[any(_words_start(form, "dif") for form in [name, *aliases[key]])
                          for key, name in zip(tables.nodes["entity_id"], tables.nodes["name"])]]
    assert len(named) >= 3, "the corpus has DIFs of several cities"
    best = named.sort_values(["n_events", "name"], ascending=[False, True]).iloc[0]
    browser.evaluate("document.getElementById('network-search').focus()")
    browser.call("Input.insertText", text="dif")
    browser.press("Enter", "Enter", 13, "\r")
    browser.wait_until(f"window.prensaRed.state.focus === {json.dumps(best['entity_id'])}")
    assert browser.evaluate("document.querySelector('#details h3').textContent") == best["name"]
    others = browser.evaluate("[...document.querySelectorAll('#network-search-others li')]"
                              ".map(li => li.textContent)")
    for row in named[named["entity_id"] != best["entity_id"]].itertuples():
        where = f"{row.name} — " + (f"{row.jurisdiction} · " if row.jurisdiction else "")
        assert any(item.startswith(where) for item in others), (where, others)
    # Choosing another candidate opens it.
    browser.evaluate("document.querySelector('#network-search-others button').click()")
    assert browser.evaluate("window.prensaRed.state.focus") != best["entity_id"]

    # A search that finds nothing says so and empties the panel.
    browser.evaluate("document.getElementById('network-search').value = ''")
    browser.evaluate("document.getElementById('network-search').focus()")
    browser.call("Input.insertText", text="zzzz sin coincidencia")
    browser.press("Enter", "Enter", 13, "\r")
    browser.wait_until("window.prensaRed.state.focus === null")
    assert browser.evaluate("document.querySelector('#details h3').textContent") == "Eventos"
    assert "Ninguna institución coincide" in browser.evaluate(
        "document.getElementById('network-search-status').textContent")
    assert browser.evaluate("document.getElementById('network-search-others').hidden")
    assert browser.errors() == []


@pytest.mark.parametrize(("size", "touch"), [(DESKTOP, False), (PHONE, True)],
                         ids=["desktop-1400x1000", "phone-390x844"])
def test_municipality_filter_shows_one_city_alone(sized: DevTools, corpus_report: ReportFiles,
                                                  corpus_processed: Path, size: tuple[int, int],
                                                  touch: bool, tmp_path: Path) -> None:
    _viewport(sized, size, touch=touch)
    sized.open(corpus_report.html)
    tables = load_tables(corpus_processed)
    taking_part = set().union(*node_events(tables).values())  # the network's events
    places = [place for place, _ in municipalities(replace(
        tables, documents=tables.documents[tables.documents["event_id"].isin(taking_part)]))]
    assert len(places) >= 3
    options = sized.evaluate("[...document.getElementById('place').options].map(o => o.value)")
    assert options == ["", *places]
    for place in (places[1], places[0]):
        local = for_place(tables, place)
        sized.evaluate(f"""(() => {{ const select = document.getElementById('place');
            select.value = {json.dumps(place)};
            select.dispatchEvent(new Event('change')); }})()""")
        assert sized.evaluate(f"{VISIBLE}.visibleNodes") == str(len(local.nodes))
        assert sized.evaluate(f"{VISIBLE}.visibleEdges") == str(len(local.edges))
        sized.wait_until("!window.prensaRed.renderer.getCamera().isAnimated()")
        inside = sized.evaluate("""(() => { const view = window.prensaRed;
            const box = document.getElementById('network');
            return view.graph.nodes().filter(k => !view.renderer.getNodeDisplayData(k).hidden)
                .every(k => { const at = view.renderer.graphToViewport(
                    view.graph.getNodeAttributes(k));
                    return at.x >= 0 && at.y >= 0 && at.x <= box.clientWidth &&
                           at.y <= box.clientHeight; }); })()""")
        assert inside, f"{place}: the camera does not frame the municipality"
        sized.screenshot(tmp_path / f"municipio-{size[0]}-{place.split(',')[0]}.png")
    sized.evaluate("document.getElementById('network-reset').click()")
    assert sized.evaluate(f"{VISIBLE}.visibleNodes") == str(len(tables.nodes))
    assert sized.errors() == []


def test_report_names_no_local_path(corpus_report: ReportFiles, corpus_processed: Path) -> None:
    page = corpus_report.html.read_text(encoding="utf-8")
    for path in (corpus_processed, corpus_report.html.parent, Path.home(), PROJECT):
        assert str(path.resolve()) not in page and str(path) not in page, path
    assert "file:" not in page


def test_report_for_one_municipality(corpus_processed: Path, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    tables = load_tables(corpus_processed)
    place = municipalities(tables)[1][0]  # not the largest: its network is small and its own
    assert main(["report", "--input", str(corpus_processed), "--output", str(tmp_path),
                 "--jurisdiction", place.split(",")[0].upper()]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="network-data">(.*?)</script>', page, re.S)[1])
    local = for_place(tables, place)
    assert {n["key"] for n in data["nodes"]} == set(local.nodes["entity_id"])
    assert {e["place"] for e in data["events"]} == {place}
    assert f"<h1>{PAGE_TITLE}: {place}</h1>" in page
    assert not list(tmp_path.glob("network-*.png")), "one municipality needs no per-city figures"
    capsys.readouterr()
    assert main(["report", "--input", str(corpus_processed), "--output", str(tmp_path),
                 "--jurisdiction", "Atlantis"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: --jurisdiction 'Atlantis' is not a municipality") and \
        place in error and error.count("\n") == 1


def test_a_print_figure_per_municipality(corpus_report: ReportFiles,
                                         corpus_processed: Path) -> None:
    tables = load_tables(corpus_processed)
    tied = [place for place, _ in municipalities(tables) if len(for_place(tables, place).edges)]
    assert [place for place, _ in corpus_report.place_networks] == tied
    for place, png in corpus_report.place_networks:
        assert png.name == f"network-{slug(place)}.png" and png.with_suffix(".svg").is_file()
        with Image.open(png) as image:
            assert round(image.info["dpi"][0]) == 300
    page = corpus_report.html.read_text(encoding="utf-8")
    assert all(f'href="{png.name}"' in page for _, png in corpus_report.place_networks)
