"""The fetcher against a real HTTP server on 127.0.0.1 that injects faults and counts requests."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Settings
from pipeline.sources.rawstore import FAILURE_FIELDS, MANIFEST_FIELDS, RawStore, ScrapeError
from pipeline.sources.scrape import ScrapeSummary, read_url_list, scrape_site, scrape_urls
from pipeline.sources.sites import load_site
from pipeline.sources.urls import page_name
from pipeline.sources.webpage import extract_webpage

PROJECT = Path(__file__).resolve().parents[1]
TESTS = Path(__file__).resolve().parent
WEB = TESTS / "fixtures" / "web"
FAST = Settings(user_agent="prensa-red-test/0.1 (+mailto:test@example.org)", delay=0.0,
                timeout=0.5, retries=2, max_bytes=100_000, backoff=0.01)

Reply = Callable[[BaseHTTPRequestHandler], None]


def ok(body: bytes, content_type: str = "text/html; charset=utf-8",
       headers: dict[str, str] | None = None) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.end_headers()
        handler.wfile.write(body)
    return reply


def status(code: int, headers: dict[str, str] | None = None) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(code)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return reply


def truncated(body: bytes) -> Reply:
    """Promises the whole body, sends half, then drops the connection."""
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
    return reply


def stalled(seconds: float) -> Reply:
    """Sends headers and a first chunk, then nothing for longer than the client's timeout."""
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"<html>")
        handler.wfile.flush()
        time.sleep(seconds)
    return reply


def drip(body: bytes, every: float, *, headers_too: bool = False) -> Reply:
    """Sends the response a byte at a time, each within any per-read timeout."""
    def reply(handler: BaseHTTPRequestHandler) -> None:
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body))
        handler.wfile.write(b"" if headers_too else head)
        for byte in (head if headers_too else b"") + body:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(every)
    return reply


def slow(reply: Reply, seconds: float) -> Reply:
    def delayed(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(seconds)
        reply(handler)
    return delayed


class Server:
    """Routes map a path to replies used in turn (the last one repeats); 404 otherwise."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Reply]] = {}
        self.log: list[tuple[str, float, str]] = []  # path, time, User-Agent
        self.headers: list[dict[str, str]] = []  # of each request, in order
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._lock:
                    server.log.append((self.path, time.monotonic(),
                                       self.headers.get("User-Agent", "")))
                    server.headers.append(dict(self.headers))
                    replies = server.routes.get(self.path)
                    reply = (replies.pop(0) if replies and len(replies) > 1
                             else replies[0] if replies else status(404))
                try:
                    reply(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up, as tests of timeouts intend

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.netloc = self.base.removeprefix("http://")

    def route(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return sum(1 for logged, _, _ in self.log if logged == path)

    def times(self, path: str) -> list[float]:
        return [when for logged, when, _ in self.log if logged == path]


@pytest.fixture
def server() -> Iterator[Server]:
    srv = Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def fixture(name: str, server: Server | None = None) -> bytes:
    data = (WEB / name).read_bytes()
    return data.replace(b"https://HOST", server.base.encode()) if server else data


def manifest(out: Path) -> list[dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == MANIFEST_FIELDS
        return list(reader)


def failures(out: Path) -> list[dict[str, str]]:
    with (out / "failures.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == FAILURE_FIELDS
        return list(reader)


def pages_on_disk(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.glob("*/*")}


# --- saving pages ---------------------------------------------------------------------------

def test_saves_pages_bytes_untouched_with_manifest(server: Server, tmp_path: Path) -> None:
    article = fixture("juarez-noticia.html")
    first = server.route("/noticia/103/imparte-imm-taller", ok(article))
    second = server.route("/nota/convenio.html?id=7", ok(fixture("diario-nota.html")))
    summary = scrape_urls([first, second], tmp_path, FAST)

    assert summary == ScrapeSummary(fetched=2)
    rows = manifest(tmp_path)
    host = server.netloc.replace(":", "_")
    assert [r["path"] for r in rows] == [f"{host}/noticia-103-imparte-imm-taller.html",
                                         f"{host}/nota-convenio-{rows[1]['path'][-13:-5]}.html"]
    assert rows[0]["url"] == rows[0]["final_url"] == first
    assert (rows[0]["status"], rows[0]["content_type"], rows[0]["charset"]) == \
        ("200", "text/html", "utf-8")
    assert (tmp_path / rows[0]["path"]).read_bytes() == article
    assert rows[0]["sha256"] == hashlib.sha256(article).hexdigest()
    assert rows[0]["fetched_at"].endswith("+00:00")
    assert failures(tmp_path) == []
    assert {ua for _, _, ua in server.log} == {FAST.user_agent}
    assert not list(tmp_path.glob("*/.*"))  # no temporary files left behind


def test_rerun_requests_nothing_already_saved(server: Server, tmp_path: Path) -> None:
    urls = [server.route(f"/noticia/{i}/n", ok(b"<p>%d</p>" % i)) for i in range(3)]
    scrape_urls(urls, tmp_path, FAST)
    before = pages_on_disk(tmp_path), manifest(tmp_path)

    summary = scrape_urls([*urls, urls[0]], tmp_path, FAST)

    assert summary == ScrapeSummary(already_had=4)
    assert all(server.count(f"/noticia/{i}/n") == 1 for i in range(3))
    assert (pages_on_disk(tmp_path), manifest(tmp_path)) == before


# --- faults ---------------------------------------------------------------------------------

def test_503_then_success_is_retried(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", status(503), status(503), ok(b"<p>por fin</p>"))
    assert scrape_urls([url], tmp_path, FAST).fetched == 1
    assert server.count("/n/1") == 3
    assert (tmp_path / manifest(tmp_path)[0]["path"]).read_bytes() == b"<p>por fin</p>"


def test_429_waits_as_long_as_retry_after_says(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", status(429, {"Retry-After": "1"}), ok(b"<p>ok</p>"))
    assert scrape_urls([url], tmp_path, FAST).fetched == 1
    first, second = server.times("/n/1")
    assert second - first >= 0.95  # backoff alone would be 0.01 s


def test_retries_are_bounded_and_ledgered(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", status(500))
    summary = scrape_urls([url], tmp_path, replace(FAST, retries=3))
    assert summary == ScrapeSummary(failed=1)
    assert server.count("/n/1") == 4
    assert failures(tmp_path) == [{"url": url, "reason": "HTTP 500", "attempts": "4",
                                   "last_status": "500"}]
    assert manifest(tmp_path) == []


def test_404_is_not_retried(server: Server, tmp_path: Path) -> None:
    url = server.url("/noticia/404/no-existe")
    assert scrape_urls([url], tmp_path, FAST) == ScrapeSummary(failed=1)
    assert server.count("/noticia/404/no-existe") == 1
    assert failures(tmp_path) == [{"url": url, "reason": "HTTP 404", "attempts": "1",
                                   "last_status": "404"}]


def test_stalled_read_times_out_then_retries(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", stalled(1.0), ok(b"<p>ok</p>"))
    settings = replace(FAST, timeout=0.2)
    started = time.monotonic()
    assert scrape_urls([url], tmp_path, settings).fetched == 1
    assert server.count("/n/1") == 2
    assert time.monotonic() - started < 0.9  # gave up on the stall, did not wait it out


def test_stalled_every_time_fails_without_a_file(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", stalled(0.6))
    assert scrape_urls([url], tmp_path, replace(FAST, timeout=0.2, retries=1)).failed == 1
    [row] = failures(tmp_path)
    assert "timed out" in row["reason"] and row["attempts"] == "2"
    assert pages_on_disk(tmp_path) == {}


def test_truncated_body_is_retried_never_saved(server: Server, tmp_path: Path) -> None:
    body = fixture("juarez-noticia.html")
    good = server.route("/n/1", truncated(body), ok(body))
    bad = server.route("/n/2", truncated(body))
    summary = scrape_urls([good, bad], tmp_path, FAST)

    assert summary == ScrapeSummary(fetched=1, failed=1)
    assert [r["url"] for r in manifest(tmp_path)] == [good]
    assert list(pages_on_disk(tmp_path).values()) == [body]
    [row] = failures(tmp_path)
    assert row["url"] == bad and row["reason"].startswith("truncated body")
    assert row["attempts"] == "3"


@pytest.mark.parametrize("declare_length", [True, False])
def test_oversized_response_is_refused(server: Server, tmp_path: Path,
                                       declare_length: bool) -> None:
    body = b"<p>" + b"x" * 5000 + b"</p>"

    def unannounced(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.end_headers()  # no Content-Length: read until the server closes
        handler.wfile.write(body)

    url = server.route("/grande", ok(body) if declare_length else unannounced)
    assert scrape_urls([url], tmp_path, replace(FAST, max_bytes=1000)).failed == 1
    assert server.count("/grande") == 1
    assert "exceeds max_bytes = 1000" in failures(tmp_path)[0]["reason"]
    assert pages_on_disk(tmp_path) == {}


def test_redirect_is_followed_and_final_url_recorded(server: Server, tmp_path: Path) -> None:
    old = server.route("/noticia/5/", status(301, {"Location": "/noticia/5/taller-de-bordado"}))
    final = server.route("/noticia/5/taller-de-bordado", ok(b"<p>bordado</p>"))
    assert scrape_urls([old], tmp_path, FAST).fetched == 1
    [row] = manifest(tmp_path)
    assert (row["url"], row["final_url"]) == (old, final)
    assert row["path"].endswith("/noticia-5-taller-de-bordado.html")

    # Either URL now counts as had: neither is requested again.
    assert scrape_urls([final, old], tmp_path, FAST) == ScrapeSummary(already_had=2)
    assert server.count("/noticia/5/") == server.count("/noticia/5/taller-de-bordado") == 1


def test_two_urls_leading_to_one_page_save_it_once(server: Server, tmp_path: Path) -> None:
    server.route("/a", status(302, {"Location": "/pagina"}))
    server.route("/b", status(307, {"Location": "/pagina"}))
    server.route("/pagina", ok(b"<p>una</p>"))
    summary = scrape_urls([server.url("/a"), server.url("/b")], tmp_path, FAST)
    assert summary == ScrapeSummary(fetched=1, already_had=1)
    assert len(pages_on_disk(tmp_path)) == 1


def test_robots_disallowed_path_is_never_requested(server: Server, tmp_path: Path) -> None:
    server.route("/robots.txt", ok(b"User-agent: *\nDisallow: /privado/\n", "text/plain"))
    allowed = [server.route(f"/noticia/{i}/x", ok(b"<p>x</p>")) for i in range(2)]
    hidden = server.route("/privado/nota", ok(b"<p>secreto</p>"))
    sneaky = server.route("/va-a-privado", status(302, {"Location": "/privado/otra"}))
    summary = scrape_urls([allowed[0], hidden, sneaky, allowed[1]], tmp_path, FAST)

    assert summary == ScrapeSummary(fetched=2, robots_skipped=2)
    assert server.count("/privado/nota") == server.count("/privado/otra") == 0
    assert server.count("/robots.txt") == 1  # once per host
    assert failures(tmp_path) == []


def test_unreachable_robots_forbids_the_host(server: Server, tmp_path: Path) -> None:
    server.route("/robots.txt", status(503))
    url = server.route("/n/1", ok(b"<p>x</p>"))
    assert scrape_urls([url], tmp_path, FAST) == ScrapeSummary(failed=1)
    assert server.count("/n/1") == 0
    assert "robots.txt unreachable" in failures(tmp_path)[0]["reason"]


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no-length"])
def test_bad_input_a_huge_robots_txt_is_read_up_to_500_kib(server: Server, tmp_path: Path,
                                                         declared: bool) -> None:
    """RFC 9309: its first 500 KiB are parsed; a 3 MB robots.txt (beyond max_bytes) neither
    makes the host unreachable nor is read whole."""
    rules = b"User-agent: *\nDisallow: /privado/\n"
    robots = rules + b"# " + b"relleno " * 400_000 + b"\nDisallow: /\n"

    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/plain")
        if declared:
            handler.send_header("Content-Length", str(len(robots)))
        handler.end_headers()
        handler.wfile.write(robots)

    server.route("/robots.txt", reply)
    allowed = server.route("/n/1", ok(b"<p>x</p>"))
    hidden = server.route("/privado/nota", ok(b"<p>secreto</p>"))
    summary = scrape_urls([allowed, hidden], tmp_path, FAST)
    assert summary == ScrapeSummary(fetched=1, robots_skipped=1)
    assert server.count("/n/1") == 1 and server.count("/privado/nota") == 0
    assert server.count("/robots.txt") == 1 and failures(tmp_path) == []


def test_delay_between_requests_to_one_host(server: Server, tmp_path: Path) -> None:
    urls = [server.route(f"/n/{i}", ok(b"<p>x</p>")) for i in range(3)]
    scrape_urls(urls, tmp_path, replace(FAST, delay=0.25))
    times = sorted(when for _, when, _ in server.log)  # robots.txt included
    assert len(times) == 4
    assert all(b - a >= 0.24 for a, b in zip(times, times[1:]))


def test_non_html_and_bad_urls_are_failures(server: Server, tmp_path: Path) -> None:
    pdf = server.route("/boletin.pdf", ok(b"%PDF-1.4", "application/pdf"))
    summary = scrape_urls([pdf, "ftp://example.org/x", "noticia sin url"], tmp_path, FAST)
    assert summary == ScrapeSummary(failed=3)
    reasons = [row["reason"] for row in failures(tmp_path)]
    assert reasons == ["not an HTML page (application/pdf)", "not an absolute http(s) URL",
                       "not an absolute http(s) URL"]


def test_failure_that_later_succeeds_leaves_the_ledger(server: Server, tmp_path: Path) -> None:
    url = server.route("/n/1", status(503), status(503), status(503), ok(b"<p>x</p>"))
    assert scrape_urls([url], tmp_path, FAST).failed == 1
    assert len(failures(tmp_path)) == 1
    assert scrape_urls([url], tmp_path, FAST).fetched == 1
    assert failures(tmp_path) == []


# --- encodings ------------------------------------------------------------------------------

def test_latin1_pages_keep_bytes_and_read_back_with_accents(server: Server,
                                                             tmp_path: Path) -> None:
    header = server.route("/nota/ninez", ok(fixture("latin1-header.html"),
                                            "text/html; charset=ISO-8859-1"))
    meta = server.route("/noticia/9/centro", ok(fixture("latin1-meta.html"), "text/html"))
    scrape_urls([header, meta], tmp_path, FAST)
    rows = {row["url"]: row for row in manifest(tmp_path)}
    assert (rows[header]["charset"], rows[meta]["charset"]) == ("iso-8859-1", "")
    assert (tmp_path / rows[header]["path"]).read_bytes() == fixture("latin1-header.html")

    def read(url: str) -> str:
        row = rows[url]
        page = extract_webpage((tmp_path / row["path"]).read_bytes(), url=row["final_url"],
                               charset=row["charset"] or None)
        return page.title + "\n" + page.text

    assert "El señor Muñoz" in read(header) and "Año de logros para la niñez" in read(header)
    assert "Begoña Núñez" in read(meta)


# --- the press-room adapter -----------------------------------------------------------------

def serve_press_room(server: Server) -> None:
    server.route("/noticias/", ok(fixture("juarez-listado.html")))
    server.route("/noticias/page/2/", ok(fixture("juarez-listado-2.html", server)))
    server.route("/noticias/page/3/", ok(fixture("juarez-listado-fin.html")))
    for path in ("/noticia/103/imparte-imm-taller-de-prevencion",
                 "/noticia/102/rehabilitan-parque-central",
                 "/noticia/101/inicia-campana-de-bacheo",
                 "/noticia/100/presenta-dif-programa-de-invierno"):
        server.route(path, ok(fixture("juarez-noticia.html")))
        article_id = path.split("/")[2]
        server.route(f"/noticia/{article_id}/", status(301, {"Location": path}))


def test_site_listing_pages_discover_articles(server: Server, tmp_path: Path) -> None:
    serve_press_room(server)
    site = load_site("juarez").with_base_url(server.base)
    summary = scrape_site(site, tmp_path, FAST, pages=5)

    assert summary == ScrapeSummary(fetched=4, site="juarez", listing_by_selector=2)
    assert [row["final_url"].removeprefix(server.base) for row in manifest(tmp_path)] == [
        "/noticia/103/imparte-imm-taller-de-prevencion", "/noticia/102/rehabilitan-parque-central",
        "/noticia/101/inicia-campana-de-bacheo", "/noticia/100/presenta-dif-programa-de-invierno"]
    assert server.count("/noticias/page/3/") == 1 and server.count("/noticias/page/4/") == 0
    assert server.count("/noticia/1/aviso-de-privacidad") == 0  # menu link, not the listing
    assert len(pages_on_disk(tmp_path)) == 4  # listing pages are not stored


def test_site_id_walk_follows_redirects_and_ledgers_gaps(server: Server, tmp_path: Path) -> None:
    serve_press_room(server)
    site = load_site("juarez").with_base_url(server.base + "/")
    summary = scrape_site(site, tmp_path, FAST, ids=(104, 101))

    assert summary == ScrapeSummary(fetched=3, failed=1)
    host = server.netloc.replace(":", "_")
    assert sorted(pages_on_disk(tmp_path)) == [
        f"{host}/noticia-101-inicia-campana-de-bacheo.html",
        f"{host}/noticia-102-rehabilitan-parque-central.html",
        f"{host}/noticia-103-imparte-imm-taller-de-prevencion.html"]
    assert failures(tmp_path)[0]["url"] == server.url("/noticia/104/")

    # A later listing crawl knows the slugged URLs already.
    assert scrape_site(site, tmp_path, FAST, pages=2).fetched == 1
    assert server.count("/noticia/103/imparte-imm-taller-de-prevencion") == 1


# --- names, ledgers and inputs --------------------------------------------------------------

@pytest.mark.parametrize(("url", "name"), [
    ("https://www.juarez.gob.mx/noticia/30813/miles-de-juarenses",
     "noticia-30813-miles-de-juarenses.html"),
    ("https://www.juarez.gob.mx/noticia/30813/miles-de-juarenses/",
     "noticia-30813-miles-de-juarenses.html"),
    ("https://diario.example/", "index.html"),
    ("https://diario.example/local/Niñez%20y%20Año.HTML", "local-ninez-y-ano.html"),
    ("https://diario.example/%2e%2e/%2e%2e/etc/passwd", "etc-passwd.html"),
    ("https://diario.example/a\\..\\b:c*<>|.php", "a-.-b-c.html"),
])
def test_page_names_are_safe_and_stable(url: str, name: str) -> None:
    assert page_name(url) == name


def test_long_and_query_names_are_hashed_apart() -> None:
    long_a, long_b = "https://d.example/" + "a" * 300, "https://d.example/" + "a" * 299 + "b"
    assert page_name(long_a) != page_name(long_b)
    assert len(page_name(long_a)) < 160
    assert page_name("https://d.example/n?id=1") != page_name("https://d.example/n?id=2")


def test_urls_flattening_to_one_name_get_distinct_files(server: Server, tmp_path: Path) -> None:
    one = server.route("/a/b", ok(b"<p>1</p>"))
    two = server.route("/a-b", ok(b"<p>2</p>"))
    scrape_urls([one, two], tmp_path, FAST)
    rows = manifest(tmp_path)
    assert rows[0]["path"] != rows[1]["path"]
    assert sorted(pages_on_disk(tmp_path).values()) == [b"<p>1</p>", b"<p>2</p>"]


def test_store_recovers_from_a_killed_run(server: Server, tmp_path: Path) -> None:
    urls = [server.route(f"/n/{i}", ok(b"<p>%d</p>" % i)) for i in range(3)]
    scrape_urls(urls[:1], tmp_path, FAST)
    clean = manifest(tmp_path)
    # What kill -9 can leave: a torn manifest line, a renamed page not yet in the manifest,
    # and a temporary file.
    host = tmp_path / server.netloc.replace(":", "_")
    with (tmp_path / "manifest.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{urls[1]},{urls[1]},n-1.ht")
    (host / "n-2.html").write_bytes(b"<p>stale</p>")
    (host / ".n-1.html.part").write_bytes(b"<p>")

    with RawStore(tmp_path):
        assert manifest(tmp_path) == clean
    assert not (host / ".n-1.html.part").exists()

    assert scrape_urls(urls, tmp_path, FAST) == ScrapeSummary(fetched=2, already_had=1)
    assert (host / "n-2.html").read_bytes() == b"<p>2</p>"
    assert [row["url"] for row in manifest(tmp_path)] == urls


def test_foreign_manifest_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("id,text\n1,x\n", encoding="utf-8")
    with pytest.raises(ScrapeError, match="choose another --out"):
        RawStore(tmp_path)


def test_url_list_comments_and_errors(tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text("# notas del IMM\n\nhttps://a.example/1  # la primera\n"
                      "  https://a.example/2#fragmento\n", encoding="utf-8")
    assert read_url_list(listed) == ["https://a.example/1", "https://a.example/2#fragmento"]
    with pytest.raises(ScrapeError, match="does not exist"):
        read_url_list(tmp_path / "nada.txt")
    (tmp_path / "vacia.txt").write_text("# nada\n", encoding="utf-8")
    with pytest.raises(ScrapeError, match="has no URLs"):
        read_url_list(tmp_path / "vacia.txt")


# --- the command line -----------------------------------------------------------------------

# `python -m pipeline` behind the socket guard of the test suite.
PIPELINE = [sys.executable, "-c", ("import runpy, socket_guard; socket_guard.install(); "
                                   "runpy.run_module('pipeline', run_name='__main__', "
                                   "alter_sys=True)")]
GUARDED_ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(PROJECT), str(TESTS)])}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PIPELINE, *args], check=False, cwd=PROJECT, capture_output=True,
                          text=True, timeout=60, env=GUARDED_ENV)


FAST_FLAGS = ("--delay", "0", "--timeout", "0.5", "--retries", "1", "--backoff", "0.01")


@pytest.mark.parametrize("args", [
    ("--urls", "no-such-file.txt"),
    ("--site", "juarez", "--base-url", "ftp://mirror"),
    ("--site", "juarez", "--from-id", "3"),
])
def test_cli_exits_2_in_one_line_when_nothing_can_be_attempted(tmp_path: Path,
                                                                args: tuple[str, ...]) -> None:
    result = run_cli("scrape", *args, "--out", str(tmp_path / "raw"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert not (tmp_path / "raw").exists()


def test_cli_completes_with_failures_and_prints_summary(server: Server, tmp_path: Path) -> None:
    listed = tmp_path / "urls.txt"
    listed.write_text(f"{server.route('/n/1', ok(b'<p>x</p>'))}\n{server.url('/falta')}\n",
                      encoding="utf-8")
    result = run_cli("scrape", "--urls", str(listed), "--out", str(tmp_path / "raw"), *FAST_FLAGS)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "scrape: 1 fetched, 0 already had, 1 failed, 0 skipped by robots.txt"
    assert f"[2] failed: {server.url('/falta')}" in lines


def test_kill_mid_run_then_resume_equals_uninterrupted_run(server: Server,
                                                           tmp_path: Path) -> None:
    paths = [f"/noticia/{i}/nota-{i}" for i in range(12)]
    for i, path in enumerate(paths):
        body = fixture("juarez-noticia.html").replace(b"Secundaria T", b"Secundaria %d T" % i)
        server.route(path, slow(ok(body), 0.08))
    server.route("/falta", slow(status(404), 0.08))
    listed = tmp_path / "urls.txt"
    listed.write_text("\n".join(server.url(p) for p in [*paths[:6], "/falta", *paths[6:]]),
                      encoding="utf-8")
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    command = [*PIPELINE, "scrape", "--urls", str(listed), *FAST_FLAGS]

    process = subprocess.Popen([*command, "--out", str(killed)], cwd=PROJECT, env=GUARDED_ENV,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while server.count(paths[4]) == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    saved_before = len(manifest(killed))
    assert 0 < saved_before < len(paths)

    assert run_cli("scrape", "--urls", str(listed), "--out", str(killed), *FAST_FLAGS
                   ).returncode == 0
    assert run_cli("scrape", "--urls", str(listed), "--out", str(whole), *FAST_FLAGS
                   ).returncode == 0

    def state(out: Path) -> tuple[object, ...]:
        rows = [{k: v for k, v in row.items() if k != "fetched_at"} for row in manifest(out)]
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                 if p.is_file()}
        del files["manifest.csv"], files["failures.csv"]  # compared as rows, fetched_at aside
        return rows, files, failures(out)

    assert state(killed) == state(whole)
    # Pages saved before the kill were not requested again by the resumed run.
    assert all(server.count(p) == 2 for p in paths[: saved_before - 1])


def test_scrape_then_extract_end_to_end(server: Server, tmp_path: Path) -> None:
    serve_press_room(server)
    outlet = server.route("/local/convenio", ok(fixture("diario-nota.html")))
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    site = run_cli("scrape", "--site", "juarez", "--base-url", server.base, "--pages", "1",
                   "--out", str(raw), *FAST_FLAGS)
    assert site.returncode == 0, site.stderr
    listed = tmp_path / "urls.txt"
    listed.write_text(outlet + "\n", encoding="utf-8")
    assert run_cli("scrape", "--urls", str(listed), "--out", str(raw), *FAST_FLAGS
                   ).returncode == 0

    result = run_cli("extract", "--input", str(raw), "--output", str(processed))
    if result.returncode == 2 and "model" in result.stderr.lower():
        pytest.skip(f"extract needs a Spanish model: {result.stderr.strip()}")
    assert result.returncode == 0, result.stderr
    with (processed / "documents.csv").open(encoding="utf-8-sig", newline="") as handle:
        documents = {row["url"]: row for row in csv.DictReader(handle)}
    assert set(documents) == {server.url("/noticia/103/imparte-imm-taller-de-prevencion"),
                              server.url("/noticia/102/rehabilitan-parque-central"), outlet}
    assert documents[outlet]["title"] == \
        "Firman Municipio y UACJ convenio contra la violencia de género"


# --- bad-input matrix -----------------------------------------------------------------------
# One test per case: the exit status, the ledger row that says what happened, and the pages of
# an earlier run still in place.

def scrape_main(*args: str) -> tuple[int, str]:
    """``prensa-red scrape ARGS`` in this process (behind the socket guard): status, stderr."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        status = main(["scrape", *FAST_FLAGS, *args])
    return status, errors.getvalue()


def url_list(tmp_path: Path, *urls: str, encoding: str = "utf-8") -> str:
    listed = tmp_path / "urls.txt"
    listed.write_text("\n".join(urls) + "\n", encoding=encoding)
    return str(listed)


@pytest.fixture
def earlier(server: Server, tmp_path: Path) -> Callable[[], None]:
    """An earlier run's page in ``tmp_path / "raw"``; returns the check that it survived."""
    out = tmp_path / "raw"
    scrape_urls([server.route("/antes/1", ok(b"<p>de antes</p>"))], out, FAST)
    rows, pages = manifest(out), pages_on_disk(out)

    def kept() -> None:
        assert manifest(out)[: len(rows)] == rows
        now = pages_on_disk(out)
        assert {path: now.get(path) for path in pages} == pages
    return kept


def test_bad_input_malformed_urls_in_url_list_are_failures(server: Server, tmp_path: Path,
                                                           earlier: Callable[[], None]) -> None:
    good = server.route("/n/1", ok(b"<p>bien</p>"))
    bad = ["http://[::1", "http://127.0.0.1:99999/n", "http://127.0.0.1:abc/n",
           "http://ana:secreto@[::1/n", "http://a..b/n"]
    status, _ = scrape_main("--urls", url_list(tmp_path, bad[0], good, *bad[1:]),
                            "--out", str(tmp_path / "raw"))
    assert status == 0
    assert [row["url"] for row in manifest(tmp_path / "raw")] == [server.url("/antes/1"), good]
    rows = {row["url"]: row["reason"] for row in failures(tmp_path / "raw")}
    assert rows == {
        "http://[::1": "malformed URL: Invalid IPv6 URL",
        "http://127.0.0.1:99999/n": "malformed URL: Port out of range 0-65535",
        "http://127.0.0.1:abc/n": "malformed URL: Port could not be cast to integer value as "
                                  "'abc'",
        "http://[::1/n": "malformed URL: Invalid IPv6 URL",  # credentials removed
        "http://a..b/n": "malformed host name 'a..b'"}
    earlier()


def test_bad_input_malformed_location_header_is_a_failure(server: Server, tmp_path: Path,
                                                          earlier: Callable[[], None]) -> None:
    moved = server.route("/movida", status(302, {"Location": "http://[::1/otra"}))
    status_, _ = scrape_main("--urls", url_list(tmp_path, moved), "--out", str(tmp_path / "raw"))
    assert status_ == 0
    assert failures(tmp_path / "raw") == [{
        "url": moved, "reason": "redirect to 'http://[::1/otra': malformed URL: Invalid IPv6 URL",
        "attempts": "1", "last_status": "302"}]
    earlier()


def press_room_listing(links: str, *, listing_class: str = "listado-noticias") -> bytes:
    return (f"<html><body><nav><a href='/noticia/1/aviso-de-privacidad'>Aviso</a></nav>"
            f"<div class='{listing_class}'>{links}</div></body></html>").encode()


def scrape_press_room(server: Server, tmp_path: Path, *args: str) -> tuple[int, str]:
    return scrape_main("--site", "juarez", "--base-url", server.base, "--out",
                       str(tmp_path / "raw"), *args)


def test_bad_input_malformed_listing_link_is_a_failure(server: Server, tmp_path: Path,
                                                       earlier: Callable[[], None]) -> None:
    server.route("/noticias/", ok(press_room_listing(
        "<a href='/noticia/9/nota'>Nota</a><a href='http://[::1/noticia/8/x'>Rota</a>")))
    article = server.route("/noticia/9/nota", ok(fixture("juarez-noticia.html")))
    status_, _ = scrape_press_room(server, tmp_path)
    assert status_ == 0
    assert manifest(tmp_path / "raw")[-1]["url"] == article
    [row] = failures(tmp_path / "raw")
    assert row["url"] == "http://[::1/noticia/8/x"
    assert row["reason"] == ("malformed URL: Invalid IPv6 URL (a link on the listing page "
                             f"{server.url('/noticias/')})")
    earlier()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_bad_input_dripping_response_times_out_as_a_whole(
        server: Server, tmp_path: Path, earlier: Callable[[], None], headers_too: bool) -> None:
    # Each byte comes well within the timeout; the whole response never does.
    url = server.route("/goteo", drip(b"<p>" + b"x" * 200 + b"</p>", 0.02,
                                      headers_too=headers_too))
    started = time.monotonic()
    status_, _ = scrape_main("--urls", url_list(tmp_path, url), "--out", str(tmp_path / "raw"),
                             "--timeout", "0.3")
    assert status_ == 0
    assert time.monotonic() - started < 2.5  # two attempts of 0.3 s, not 2 × 4 s of dripping
    assert failures(tmp_path / "raw") == [{
        "url": url, "reason": "timed out: the whole response took longer than timeout = 0.3 s",
        "attempts": "2", "last_status": ""}]
    earlier()


def test_bad_input_dripping_robots_txt_times_out(server: Server, tmp_path: Path) -> None:
    server.route("/robots.txt", drip(b"User-agent: *\nAllow: /\n" * 20, 0.02))
    url = server.route("/n/1", ok(b"<p>x</p>"))
    started = time.monotonic()
    status_, _ = scrape_main("--urls", url_list(tmp_path, url), "--out", str(tmp_path / "raw"),
                             "--timeout", "0.3")
    assert status_ == 0
    assert time.monotonic() - started < 2.5  # two attempts of 0.3 s, not 2 × 9 s of dripping
    assert server.count("/n/1") == 0
    [row] = failures(tmp_path / "raw")
    assert row["reason"] == ("robots.txt unreachable (timed out: the whole response took "
                             "longer than timeout = 0.3 s); not fetched")


def test_bad_input_huge_crawl_delay_is_capped_with_a_warning(
        server: Server, tmp_path: Path, earlier: Callable[[], None],
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    server.route("/robots.txt", ok(b"User-agent: *\nCrawl-delay: 86400\n", "text/plain"))
    urls = [server.route(f"/n/{i}", ok(b"<p>x</p>")) for i in range(2)]
    monkeypatch.setenv("PIPELINE_MAX_CRAWL_DELAY", "0.3")
    started = time.monotonic()
    status_, _ = scrape_main("--urls", url_list(tmp_path, *urls), "--out", str(tmp_path / "raw"))
    assert status_ == 0 and time.monotonic() - started < 3
    first, second = server.times("/n/0") + server.times("/n/1")
    assert second - first >= 0.29
    assert [row["url"] for row in manifest(tmp_path / "raw")][1:] == urls
    assert any("Crawl-delay: 86400 s; waiting max_crawl_delay = 0.3 s" in r.message
               for r in caplog.records)
    earlier()


@pytest.mark.parametrize(("target", "reason"), [
    ("ftp://127.0.0.1/boletin", "redirect to 'ftp://127.0.0.1/boletin': not an absolute "
                                "http(s) URL"),
    ("http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 resolves to "
     "169.254.169.254, a private, loopback or link-local address; name the host in the URL "
     "list or --base-url to allow it"),
    ("http://localhost:{port}/n/2", "refused: localhost resolves to "),
], ids=["ftp", "link-local", "unnamed-loopback-host"])
def test_bad_input_redirect_out_of_bounds_is_refused(
        server: Server, tmp_path: Path, earlier: Callable[[], None], target: str,
        reason: str) -> None:
    port = server.httpd.server_address[1]
    moved = server.route("/movida", status(302, {"Location": target.format(port=port)}))
    server.route("/n/2", ok(b"<p>no debe pedirse</p>"))
    status_, _ = scrape_main("--urls", url_list(tmp_path, moved), "--out", str(tmp_path / "raw"))
    assert status_ == 0
    [row] = failures(tmp_path / "raw")
    assert row["url"] == moved and row["reason"].startswith(reason)
    assert server.count("/n/2") == 0
    earlier()


def test_bad_input_loopback_host_named_by_the_user_is_fetched(server: Server,
                                                              tmp_path: Path) -> None:
    named = server.route("/n/1", ok(b"<p>x</p>")).replace("127.0.0.1", "localhost")
    status_, _ = scrape_main("--urls", url_list(tmp_path, named), "--out", str(tmp_path / "raw"))
    assert status_ == 0
    assert [row["url"] for row in manifest(tmp_path / "raw")] == [named]


def test_bad_input_site_redirect_off_site_is_refused(server: Server, tmp_path: Path,
                                                     earlier: Callable[[], None]) -> None:
    server.route("/noticia/5/", status(301, {"Location": "https://www.ejemplo.org/noticia/5/x"}))
    status_, _ = scrape_press_room(server, tmp_path, "--from-id", "5", "--to-id", "5")
    assert status_ == 0
    [row] = failures(tmp_path / "raw")
    assert row["url"] == server.url("/noticia/5/")
    assert row["reason"] == ("redirect to www.ejemplo.org, outside the juarez site (its hosts: "
                             "127.0.0.1, juarez.gob.mx, www.juarez.gob.mx)")
    earlier()


def test_bad_input_site_listing_links_keep_to_the_site(server: Server, tmp_path: Path,
                                                       earlier: Callable[[], None]) -> None:
    server.route("/noticias/", ok(press_room_listing(
        "<a href='https://otro.example/noticia/7/x'>Otro sitio</a>"
        f"<a href='ftp://{server.netloc}/noticia/8/x'>FTP</a>"
        "<a href='javascript:void(0)'>JS</a><a href='mailto:prensa@juarez.gob.mx'>Correo</a>"
        "<a href='/noticia/9/nota#galeria'>Nota</a>")))
    article = server.route("/noticia/9/nota", ok(fixture("juarez-noticia.html")))
    status_, stderr = scrape_press_room(server, tmp_path)
    assert status_ == 0
    assert [row["url"] for row in manifest(tmp_path / "raw")][1:] == [article]
    assert failures(tmp_path / "raw") == []
    assert stderr.strip().endswith("scrape: 1 fetched, 0 already had, 0 failed, 0 skipped by "
                                   "robots.txt; listing pages read by the juarez selector: 1, "
                                   "by the fallback: 0")
    earlier()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bad_input_bom_in_url_list_keeps_the_first_url(server: Server, tmp_path: Path,
                                                       earlier: Callable[[], None],
                                                       encoding: str) -> None:
    urls = [server.route(f"/n/{i}", ok(b"<p>x</p>")) for i in range(2)]
    status_, _ = scrape_main("--urls", url_list(tmp_path, *urls, encoding=encoding),
                             "--out", str(tmp_path / "raw"))
    assert status_ == 0
    assert [row["url"] for row in manifest(tmp_path / "raw")][1:] == urls
    assert failures(tmp_path / "raw") == []
    earlier()


def test_bad_input_fragment_variants_are_fetched_once(server: Server, tmp_path: Path,
                                                      earlier: Callable[[], None]) -> None:
    url = server.route("/n/1", ok(b"<p>x</p>"))
    status_, stderr = scrape_main("--urls", url_list(tmp_path, url + "#a", url + "#b", url),
                                  "--out", str(tmp_path / "raw"))
    assert status_ == 0
    assert server.count("/n/1") == 1
    assert [(row["url"], row["final_url"]) for row in manifest(tmp_path / "raw")][1:] == \
        [(url, url)]
    assert "scrape: 1 fetched, 2 already had" in stderr
    earlier()


def test_bad_input_credentials_are_never_sent_or_written(
        server: Server, tmp_path: Path, earlier: Callable[[], None],
        caplog: pytest.LogCaptureFixture) -> None:
    page = server.route("/n/1", ok(b"<p>x</p>"))
    with_credentials = [u.replace("http://", "http://ana:secreto@")
                        for u in (page, server.url("/falta"))]
    status_, stderr = scrape_main("--urls", url_list(tmp_path, *with_credentials),
                                  "--out", str(tmp_path / "raw"))
    assert status_ == 0
    assert manifest(tmp_path / "raw")[-1]["url"] == page
    assert failures(tmp_path / "raw")[0]["url"] == server.url("/falta")
    written = [(tmp_path / "raw" / name).read_text(encoding="utf-8")
               for name in ("manifest.csv", "failures.csv")]
    for text in [*written, stderr, caplog.text]:
        assert "secreto" not in text and "ana:" not in text
    assert all("Authorization" not in headers for headers in server.headers)
    assert "credentials removed from " + page in caplog.text
    earlier()


def test_bad_input_second_scrape_into_one_folder_exits_2_naming_the_first(
        server: Server, tmp_path: Path, earlier: Callable[[], None]) -> None:
    urls = [server.route(f"/lenta/{i}", slow(ok(b"<p>%d</p>" % i), 0.1)) for i in range(6)]
    listed = url_list(tmp_path, *urls)
    out = tmp_path / "raw"
    first = subprocess.Popen([*PIPELINE, "-q", "scrape", "--urls", listed, "--out", str(out),
                              *FAST_FLAGS], cwd=PROJECT, env=GUARDED_ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while server.count("/lenta/0") == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    status_, stderr = scrape_main("--urls", listed, "--out", str(out))
    _, first_stderr = first.communicate(timeout=30)

    assert status_ == 2
    assert stderr.startswith(f"error: {out} is in use by another scrape (pid {first.pid} on ")
    assert stderr.count("\n") == 1 and "choose another --out" in stderr
    assert first.returncode == 0, first_stderr
    assert all(server.count(f"/lenta/{i}") == 1 for i in range(6))  # nothing fetched twice
    assert [row["url"] for row in manifest(out)][1:] == urls
    earlier()
    assert scrape_main("--urls", listed, "--out", str(out))[0] == 0  # the lock went with it


def test_bad_input_listing_markup_changed_falls_back_to_article_links(
        server: Server, tmp_path: Path, earlier: Callable[[], None],
        caplog: pytest.LogCaptureFixture) -> None:
    server.route("/noticias/", ok(press_room_listing(
        "<a href='/noticia/9/nota'>Nota</a><a href='/tramites/'>Trámites</a>",
        listing_class="rejilla-nueva")))
    server.route("/noticia/9/nota", ok(fixture("juarez-noticia.html")))
    server.route("/noticia/1/aviso-de-privacidad", ok(b"<p>aviso</p>"))
    status_, stderr = scrape_press_room(server, tmp_path)
    assert status_ == 0
    # Every link that looks like an article, the menu's too: the price of a stale adapter.
    assert [row["url"].removeprefix(server.base) for row in manifest(tmp_path / "raw")][1:] == \
        ["/noticia/1/aviso-de-privacidad", "/noticia/9/nota"]
    assert failures(tmp_path / "raw") == []
    assert stderr.strip().endswith("listing pages read by the juarez selector: 0, by the "
                                   "fallback: 1")
    assert "finds no article link; took the 2 links" in caplog.text and "juarez.toml" in \
        caplog.text
    earlier()


def test_bad_input_listing_without_article_links_walks_ids(server: Server,
                                                           tmp_path: Path) -> None:
    serve_press_room(server)
    site = load_site("juarez").with_base_url(server.base)
    scrape_site(site, tmp_path / "raw", FAST, ids=(101, 101))  # an earlier run saved id 101
    server.route("/noticias/", ok(fixture("juarez-listado-fin.html")))
    status_, stderr = scrape_press_room(server, tmp_path)
    assert status_ == 0
    assert [row["final_url"].removeprefix(server.base) for row in manifest(tmp_path / "raw")] == [
        "/noticia/101/inicia-campana-de-bacheo", "/noticia/102/rehabilitan-parque-central",
        "/noticia/103/imparte-imm-taller-de-prevencion"]
    # 104, 105 and 106 do not exist: three misses in a row end the walk.
    assert [row["url"].removeprefix(server.base) for row in failures(tmp_path / "raw")] == [
        "/noticia/104/", "/noticia/105/", "/noticia/106/"]
    assert server.count("/noticia/107/") == 0
    assert stderr.strip().endswith("by the fallback: 0; ids walked instead: 5")


def test_bad_input_listing_without_links_and_nothing_saved_says_what_to_do(
        server: Server, tmp_path: Path) -> None:
    server.route("/noticias/", ok(fixture("juarez-listado-fin.html")))
    status_, _ = scrape_press_room(server, tmp_path)
    assert status_ == 0
    [row] = failures(tmp_path / "raw")
    assert row["url"] == server.url("/noticias/")
    assert row["reason"].startswith("no listing page gave an article link")
    assert row["reason"].endswith("walk ids with --from-id N --to-id M")


def test_bad_input_a_listing_page_with_thousands_of_links_follows_listing_size(
        server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """--pages 1 on a listing page of 5,000 article links requests listing_size (10)
    articles, the page's first ones, not every link."""
    links = "".join(f"<a href='/noticia/{n}/nota-{n}'>Nota {n}</a>" for n in range(5000, 0, -1))
    server.route("/noticias/", ok(press_room_listing(links)))
    status_, stderr = scrape_press_room(server, tmp_path, "--pages", "1", "--delay", "0")
    assert status_ == 0
    requested = [path for path, _, _ in server.log if path.startswith("/noticia/")]
    assert requested == [f"/noticia/{n}/nota-{n}" for n in range(5000, 4990, -1)]
    assert "has 5000 article links, more than listing_size (10)" in caplog.text
    assert "scrape: 0 fetched, 0 already had, 10 failed" in stderr
