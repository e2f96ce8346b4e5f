"""Speed of the scraper's own work and of page extraction, with no network.

Serves N copies of the test fixtures from 127.0.0.1 and scrapes them with no delay, so the
figure is the scraper's overhead per page (HTTP, atomic write, fsynced manifest row), not the
politeness delay that dominates a real run (1 s per page by default). Then a rerun, which
must request nothing, and extract_webpage on a press-room page, an outlet page and an outlet
page nested 3,000 levels deep.

    .venv/bin/python benchmarks/bench_scrape.py [--pages 300]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from pipeline.config import load_settings
from pipeline.sources.scrape import scrape_urls
from pipeline.sources.webpage import extract_webpage

WEB = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "web"
PRESS_ROOM = (WEB / "juarez-noticia.html").read_bytes()
OUTLET = (WEB / "diario-nota.html").read_bytes()
# Unclosed wrappers nest a page 3,000 levels deep: flattened before trafilatura reads it.
NESTED = b"<html><body>" + b"<div>" * 3000 + OUTLET.split(b"<body>", 1)[-1] + b"</div>" * 3000


class Handler(BaseHTTPRequestHandler):
    requests = 0

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        Handler.requests += 1
        body = PRESS_ROOM if self.path.startswith("/noticia/") else b""
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def bench_scrape(pages: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/noticia/{i}/nota-{i}" for i in range(pages)]
    settings = replace(load_settings(), delay=0.0, timeout=5.0)
    with tempfile.TemporaryDirectory() as folder:
        for label in ("first run", "rerun"):
            before, started = Handler.requests, time.perf_counter()
            summary = scrape_urls(urls, Path(folder), settings)
            seconds = time.perf_counter() - started
            print(f"scrape {label:9}: {pages} URLs in {seconds:6.2f} s "
                  f"({pages / seconds:7.1f} URLs/s), {Handler.requests - before} requests; "
                  f"{summary.line()}")
    server.shutdown()


def bench_extract(repeat: int) -> None:
    for label, data, url in (("press room", PRESS_ROOM, "https://www.juarez.gob.mx/noticia/1/x"),
                             ("outlet", OUTLET, "https://diario.example/local/x"),
                             ("nested", NESTED, "https://diario.example/local/y")):
        started = time.perf_counter()
        for _ in range(repeat):
            extract_webpage(data, url=url)
        milliseconds = (time.perf_counter() - started) / repeat * 1000
        print(f"extract_webpage {label:10}: {milliseconds:6.2f} ms per page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="URLs to scrape")
    parser.add_argument("--repeat", type=int, default=200, help="extractions per page kind")
    args = parser.parse_args()
    bench_scrape(args.pages)
    bench_extract(args.repeat)


if __name__ == "__main__":
    main()
