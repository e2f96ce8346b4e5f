"""Polite, resumable fetching of web pages into a raw store.

A store ``DIR`` holds each page as ``DIR/<host>/<name>.html``, bytes exactly as received, plus
two ledgers: ``manifest.csv`` (one row per saved page) and ``failures.csv`` (one row per URL that
failed for good in its latest attempt). Every write survives ``kill -9``: pages are renamed into
place, ledger rows are appended whole and fsynced, and a rerun skips whatever the manifest lists.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import logging
import os
import re
import ssl
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from pipeline.config import Settings
from pipeline.errors import UserError
from pipeline.sources.sites import Site, id_articles, listing_articles

logger = logging.getLogger(__name__)

MANIFEST_FIELDS = ("url", "final_url", "path", "status", "content_type", "charset", "sha256",
                   "fetched_at")
FAILURE_FIELDS = ("url", "reason", "attempts", "last_status")
MAX_REDIRECTS = 10
# A server asking for a longer pause than this is treated as a failure, not waited for.
MAX_RETRY_AFTER = 600.0
HTML_TYPES = ("text/html", "application/xhtml+xml")

# Called once per URL with its outcome ("fetched", "already had", "failed", "robots") and URL.
Progress = Callable[[str, str], None]


class ScrapeError(UserError, ValueError):
    """Nothing could be attempted: a bad URL list, base URL or output folder."""


@dataclass(frozen=True, slots=True)
class ScrapeSummary:
    fetched: int = 0
    already_had: int = 0
    failed: int = 0
    robots_skipped: int = 0

    def line(self) -> str:
        return (f"scrape: {self.fetched} fetched, {self.already_had} already had, "
                f"{self.failed} failed, {self.robots_skipped} skipped by robots.txt")


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    final_url: str
    status: int
    content_type: str  # media type only, lower case; "" when absent
    charset: str  # as the HTTP header declared it; "" when absent
    body: bytes


class FetchFailed(Exception):
    """A URL that failed for good, after ``attempts`` requests."""

    def __init__(self, reason: str, attempts: int, last_status: int | None) -> None:
        super().__init__(reason)
        self.reason, self.attempts, self.last_status = reason, attempts, last_status


class Disallowed(Exception):
    """robots.txt forbids the URL (or a redirect target), so it was not requested."""


class _Transient(Exception):
    def __init__(self, reason: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.status, self.retry_after = reason, status, retry_after


class _Permanent(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason, self.status = reason, status


class Fetcher:
    """HTTP GET with robots.txt, a delay per host, retries with backoff, and a size cap.

    Requests are sequential, so there is never more than one connection per host.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}  # str: why robots.txt is unusable

    def fetch(self, url: str, *, obey_robots: bool = True) -> Response:
        """The page at ``url`` after redirects; raises FetchFailed or Disallowed."""
        attempts, retries = 0, self.settings.retries
        while True:
            attempts += 1
            try:
                return self._follow(url, obey_robots)
            except _Permanent as exc:
                raise FetchFailed(exc.reason, attempts, exc.status) from None
            except _Transient as exc:
                if attempts > retries:
                    raise FetchFailed(exc.reason, attempts, exc.status) from None
                wait = self.settings.backoff * 2 ** (attempts - 1)
                if exc.retry_after is not None:
                    if exc.retry_after > MAX_RETRY_AFTER:
                        raise FetchFailed(f"{exc.reason}; server asks to retry after "
                                          f"{exc.retry_after:.0f} s", attempts, exc.status) \
                            from None
                    wait = exc.retry_after
                logger.info("retrying %s in %.2f s (%s)", url, wait, exc.reason)
                time.sleep(wait)

    def _follow(self, url: str, obey_robots: bool) -> Response:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            if obey_robots:
                self._check_robots(current)
            status, headers, body = self._get(current)
            location = headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                current = urljoin(current, location)
                continue
            if status == 429 or status >= 500:
                raise _Transient(f"HTTP {status}", status, _retry_after(headers))
            if status != 200:
                raise _Permanent(f"HTTP {status}", status)
            declared_type = headers.get_content_type() if headers.get("Content-Type") else ""
            return Response(url=url, final_url=current, status=status, content_type=declared_type,
                            charset=headers.get_content_charset() or "", body=body)
        raise _Permanent(f"more than {MAX_REDIRECTS} redirects")

    def _get(self, url: str) -> tuple[int, Message, bytes]:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        connection_class = (http.client.HTTPSConnection if parts.scheme == "https"
                            else http.client.HTTPConnection)
        target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            target += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        self._wait_turn(host)
        connection = connection_class(parts.hostname or "", parts.port,
                                      timeout=self.settings.timeout)
        try:
            connection.request("GET", target, headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",  # bytes on disk exactly as the server sent them
                "Connection": "close",
            })
            response = connection.getresponse()
            headers = response.msg
            body = b"" if response.status in (301, 302, 303, 307, 308) \
                else self._read_body(response)
            return response.status, headers, body
        except (ssl.SSLCertVerificationError, UnicodeError, http.client.InvalidURL) as exc:
            raise _Permanent(f"{type(exc).__name__}: {exc}") from None  # retrying cannot help
        except (OSError, http.client.HTTPException) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
        finally:
            connection.close()
            self._last_request[host] = time.monotonic()

    def _read_body(self, response: http.client.HTTPResponse) -> bytes:
        cap = self.settings.max_bytes
        declared = response.getheader("Content-Length")
        length = int(declared) if declared and declared.strip().isdigit() else None
        if length is not None and length > cap:
            raise _Permanent(f"response of {length} bytes exceeds max_bytes = {cap}",
                             response.status)
        if response.getheader("Content-Encoding", "identity").lower() != "identity":
            raise _Permanent("response is compressed although identity was asked for",
                             response.status)
        buffer = io.BytesIO()
        while chunk := response.read(65536):
            if buffer.tell() + len(chunk) > cap:
                raise _Permanent(f"response exceeds max_bytes = {cap}", response.status)
            buffer.write(chunk)
        body = buffer.getvalue()
        if length is not None and len(body) < length:
            raise _Transient(f"truncated body: {len(body)} of {length} bytes", response.status)
        return body

    def _wait_turn(self, host: str) -> None:
        robots = self._robots.get(host)
        delay = self.settings.delay
        if isinstance(robots, RobotFileParser):
            delay = max(delay, float(robots.crawl_delay(self.settings.user_agent) or 0))
        last = self._last_request.get(host)
        if last is not None:
            remaining = last + delay - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.netloc.lower()
        if host not in self._robots:
            self._robots[host] = self._load_robots(f"{parts.scheme}://{parts.netloc}/robots.txt")
        robots = self._robots[host]
        if isinstance(robots, str):
            raise _Permanent(robots)
        if not robots.can_fetch(self.settings.user_agent, url):
            raise Disallowed(url)

    def _load_robots(self, robots_url: str) -> RobotFileParser | str:
        parser = RobotFileParser(robots_url)
        try:
            response = self.fetch(robots_url, obey_robots=False)
        except FetchFailed as exc:
            # RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one
            # (5xx, network; 429 too, as Google reads it) forbids everything.
            if exc.last_status is not None and 400 <= exc.last_status < 500 \
                    and exc.last_status != 429:
                parser.parse([])
                return parser
            logger.warning("robots.txt unreachable at %s: %s", robots_url, exc.reason)
            return f"robots.txt unreachable ({exc.reason}); not fetched"
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        return parser


def _retry_after(headers: Message) -> float | None:
    value = (headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def page_name(url: str) -> str:
    """A safe, stable file name for a page: the URL's path, flattened to ASCII.

    >>> page_name("https://www.juarez.gob.mx/noticia/30813/miles-de-juarenses")
    'noticia-30813-miles-de-juarenses.html'
    >>> page_name("http://x.mx/../../etc/passwd?a=1")
    'etc-passwd-c22fea5d.html'
    """
    parts = urlsplit(url)
    path = unicodedata.normalize("NFKD", unquote(parts.path)).encode("ascii", "ignore").decode()
    stem = re.sub(r"\.(html?|php|aspx?)$", "", path.rstrip("/"), flags=re.I)
    stem = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9.]+", "-", stem)).strip("-.").lower()
    stem = stem or "index"
    if parts.query or len(stem) > 150:
        stem = f"{stem[:140]}-{_short_hash(parts.query or url)}"
    return stem + ".html"


def host_dir(url: str) -> str:
    parts = urlsplit(url)
    host = re.sub(r"[^a-z0-9.-]+", "-", (parts.hostname or "unknown").lower()).strip("-.")
    return f"{host or 'unknown'}_{parts.port}" if parts.port else host or "unknown"


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


class RawStore:
    """The pages, manifest and failures ledger under one output folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScrapeError(f"cannot create output folder {root}: {exc.strerror}") from None
        for part in [*root.glob(".*.part"), *root.glob("*/.*.part")]:  # from a killed run
            part.unlink()
        self.manifest = root / "manifest.csv"
        self.failures = root / "failures.csv"
        rows = self._load(self.manifest, MANIFEST_FIELDS)
        self._known = {row[key] for row in rows for key in ("url", "final_url")}
        self._paths = {row["path"].lower(): row["final_url"] for row in rows}
        self.compact_failures()

    def has(self, url: str) -> bool:
        return url in self._known

    def save(self, response: Response) -> str:
        """Write the page atomically, then its manifest row; returns its path in the store."""
        folder = host_dir(response.final_url)
        name = page_name(response.final_url)
        relative = f"{folder}/{name}"
        owner = self._paths.get(relative.lower())
        if owner is not None and owner != response.final_url:  # two URLs, one flattened name
            relative = f"{folder}/{name[:-5]}-{_short_hash(response.final_url)}.html"
        _write_atomic(self.root / relative, response.body)
        _append_row(self.manifest, MANIFEST_FIELDS, {
            "url": response.url, "final_url": response.final_url, "path": relative,
            "status": str(response.status), "content_type": response.content_type,
            "charset": response.charset, "sha256": hashlib.sha256(response.body).hexdigest(),
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        })
        self._known.update((response.url, response.final_url))
        self._paths[relative.lower()] = response.final_url
        return relative

    def fail(self, url: str, reason: str, attempts: int, last_status: int | None) -> None:
        _append_row(self.failures, FAILURE_FIELDS, {
            "url": url, "reason": reason, "attempts": str(attempts),
            "last_status": "" if last_status is None else str(last_status)})

    def compact_failures(self) -> None:
        """One row per URL (its latest failure), none for URLs saved since."""
        latest: dict[str, dict[str, str]] = {}
        for row in self._load(self.failures, FAILURE_FIELDS):
            latest.pop(row["url"], None)  # re-insert so the order follows the latest attempt
            if row["url"] not in self._known:
                latest[row["url"]] = row
        _write_atomic(self.failures, _csv_text(FAILURE_FIELDS, latest.values()).encode())

    def _load(self, path: Path, fields: tuple[str, ...]) -> list[dict[str, str]]:
        if not path.exists():
            _write_atomic(path, _csv_text(fields, []).encode())
            return []
        data = path.read_bytes()
        if not data.endswith(b"\n"):  # a torn last line from a killed run: drop it
            data = data[:data.rfind(b"\n") + 1]
            if not data:
                _write_atomic(path, _csv_text(fields, []).encode())
                return []
            with path.open("r+b") as handle:
                handle.truncate(len(data))
        reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
        if tuple(reader.fieldnames or ()) != fields:
            raise ScrapeError(f"{path} has columns {reader.fieldnames}, expected {list(fields)}; "
                              "choose another --out folder")
        return list(reader)


def _csv_text(fields: tuple[str, ...], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _append_row(path: Path, fields: tuple[str, ...], row: dict[str, str]) -> None:
    line = _csv_text(fields, [row]).split("\n", 1)[1]
    # One write of a whole line, then fsync: a kill leaves at most a torn last line.
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


class Scraper:
    """Fetches URLs into a :class:`RawStore`, counting outcomes."""

    def __init__(self, out_dir: Path, settings: Settings, *,
                 progress: Progress | None = None) -> None:
        self.store = RawStore(out_dir)
        self.fetcher = Fetcher(settings)
        self._progress = progress or (lambda outcome, url: None)
        self._counts = {"fetched": 0, "already had": 0, "failed": 0, "robots": 0}

    def run(self, urls: Iterable[str]) -> ScrapeSummary:
        for url in urls:
            self._counts[self._one(url)] += 1
        self.store.compact_failures()
        return ScrapeSummary(fetched=self._counts["fetched"],
                             already_had=self._counts["already had"],
                             failed=self._counts["failed"], robots_skipped=self._counts["robots"])

    def fetch_listing(self, url: str) -> bytes | None:
        """A listing page's bytes (not stored), or None after recording why."""
        try:
            return self.fetcher.fetch(url).body
        except Disallowed:
            logger.warning("robots.txt disallows the listing page %s", url)
            outcome = "robots"
        except FetchFailed as exc:
            logger.warning("failed listing page %s: %s", url, exc.reason)
            self.store.fail(url, exc.reason, exc.attempts, exc.last_status)
            outcome = "failed"
        self._counts[outcome] += 1
        self._progress(outcome, url)
        return None

    def _one(self, url: str) -> str:
        outcome = self._attempt(url)
        self._progress(outcome, url)
        return outcome

    def _attempt(self, url: str) -> str:
        if self.store.has(url):
            return "already had"
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.store.fail(url, "not an absolute http(s) URL", 0, None)
            return "failed"
        try:
            response = self.fetcher.fetch(url)
        except Disallowed as exc:
            logger.info("robots.txt disallows %s", exc)
            return "robots"
        except FetchFailed as exc:
            logger.warning("failed %s: %s", url, exc.reason)
            self.store.fail(url, exc.reason, exc.attempts, exc.last_status)
            return "failed"
        if response.content_type and response.content_type not in HTML_TYPES:
            self.store.fail(url, f"not an HTML page ({response.content_type})", 1,
                            response.status)
            return "failed"
        if self.store.has(response.final_url):  # another URL already led to this page
            return "already had"
        self.store.save(response)
        return "fetched"


def read_url_list(path: Path) -> list[str]:
    """URLs from a text file, one a line; blank lines and ``#`` comments ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise ScrapeError(f"URL list {path} does not exist; give a text file with one URL "
                          "a line") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScrapeError(f"cannot read URL list {path}: {exc}") from None
    # The first word of a line, so "https://… # note" works; a URL's own #fragment stays.
    urls = [line.split()[0] for line in lines if line.strip() and not line.strip().startswith("#")]
    if not urls:
        raise ScrapeError(f"URL list {path} has no URLs; put one URL a line "
                          "(lines starting with # are comments)")
    return urls


def scrape_urls(urls: Iterable[str], out_dir: Path, settings: Settings, *,
                progress: Progress | None = None) -> ScrapeSummary:
    """Fetch every URL into ``out_dir``, skipping those the manifest already lists."""
    return Scraper(out_dir, settings, progress=progress).run(urls)


def scrape_site(site: Site, out_dir: Path, settings: Settings, *, pages: int = 1,
                ids: tuple[int, int] | None = None,
                progress: Progress | None = None) -> ScrapeSummary:
    """Fetch a press room's releases: walk ``ids`` (first, last), else its listing ``pages``."""
    if ids is None and pages < 1:
        raise ScrapeError(f"pages = {pages} is invalid; value must be >= 1")
    if ids is not None and min(ids) < 0:
        raise ScrapeError(f"article ids {ids[0]}..{ids[1]} are invalid; ids must be >= 0")
    scraper = Scraper(out_dir, settings, progress=progress)
    if ids is not None:
        return scraper.run(id_articles(site, *ids))
    return scraper.run(listing_articles(site, pages, scraper.fetch_listing))
