"""The fetcher against a real HTTP server on 127.0.0.1 that injects faults and counts requests."""

from __future__ import annotations

import csv
import hashlib
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

from pipeline.config import Settings
from pipeline.sources.scrape import (
    FAILURE_FIELDS,
    MANIFEST_FIELDS,
    RawStore,
    ScrapeError,
    ScrapeSummary,
    page_name,
    read_url_list,
    scrape_site,
    scrape_urls,
)
from pipeline.sources.sites import load_site
from pipeline.sources.webpage import extract_webpage

PROJECT = Path(__file__).resolve().parents[1]
WEB = Path(__file__).parent / "fixtures" / "web"
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
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._lock:
                    server.log.append((self.path, time.monotonic(),
                                       self.headers.get("User-Agent", "")))
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

    assert summary == ScrapeSummary(fetched=4)
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

    RawStore(tmp_path)
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

def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(PROJECT)})


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
    command = [sys.executable, "-m", "pipeline", "scrape", "--urls", str(listed), *FAST_FLAGS]

    process = subprocess.Popen([*command, "--out", str(killed)], cwd=PROJECT,
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
