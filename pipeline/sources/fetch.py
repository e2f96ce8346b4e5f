"""HTTP GET with manners and limits: robots.txt, a delay per host, retries, and bounds on
time, size and where a request may go.

``timeout`` bounds a whole response, from connecting to the last byte, so a server that drips
one byte a second cannot hold the scraper. Redirects are followed only to http(s) URLs (and,
for a site adapter, only to the site's hosts). Hosts that resolve to private, loopback or
link-local addresses are refused unless the user named them, and the connection goes to the
address that was checked, so a second DNS answer cannot swap it for another.
"""

from __future__ import annotations

import http.client
import io
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from urllib.parse import quote, urlsplit
from urllib.robotparser import RobotFileParser

from pipeline.config import Settings
from pipeline.sources.urls import BadUrl, clean_url, host_of, is_public, origin_of

logger = logging.getLogger(__name__)

MAX_REDIRECTS = 10
# A server asking for a longer pause than this is treated as a failure, not waited for.
MAX_RETRY_AFTER = 600.0
# RFC 9309 (2.5): a crawler parses at least the first 500 KiB of a robots.txt. What lies
# beyond is not read, so a huge robots.txt cannot make its host unreachable.
ROBOTS_MAX_BYTES = 500 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
_TARGET_SAFE = "/%:@!$&'()*+,;=-._~"


@dataclass(frozen=True, slots=True)
class Response:
    url: str
    final_url: str
    status: int
    content_type: str  # media type only, lower case; "" when absent
    charset: str  # as the HTTP header declared it; "" when absent
    body: bytes


@dataclass(frozen=True, slots=True)
class Scope:
    """Where requests may go.

    ``named_hosts`` are the hosts the user gave (URL list, base URL): only they may resolve to
    private, loopback or link-local addresses. ``site_hosts``, when set, are the only hosts a
    request or redirect may reach (a site adapter keeps to its press room).
    """

    named_hosts: frozenset[str] = frozenset()
    site_hosts: frozenset[str] | None = None
    site_name: str = ""


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


class _Deadline:
    """Cuts a connection when its time is up, whatever it is waiting for.

    The socket timeout only bounds each wait for a packet; a server that sends a byte a second
    would never trip it. At the deadline this shuts the socket down (through a duplicate of its
    descriptor, so it works under TLS too), and the blocked read returns at once.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = threading.Event()
        self._lock = threading.Lock()
        self._socket: tuple[int, socket.AddressFamily] | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired.is_set():
                sock.close()
                raise TimeoutError("timed out while connecting")
            self._socket = (sock.fileno(), sock.family)

    def close(self) -> None:
        self._timer.cancel()
        with self._lock:
            self._socket = None

    def _expire(self) -> None:
        with self._lock:
            self.expired.set()
            if self._socket is not None:
                with socket.fromfd(self._socket[0], self._socket[1], socket.SOCK_STREAM) as dup:
                    try:
                        dup.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass  # the peer has closed it already


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to addresses resolved and checked beforehand, never to a fresh DNS answer."""

    def __init__(self, host: str, port: int | None, *, addresses: list[str],
                 deadline: _Deadline) -> None:
        super().__init__(host, port, timeout=deadline.seconds)
        self.addresses, self.deadline = addresses, deadline

    def connect(self) -> None:
        error: OSError = OSError(f"no address to connect to for {self.host}")
        for address in self.addresses:
            try:
                sock = socket.create_connection((address, self.port), self.timeout)
            except OSError as exc:
                error = exc
                continue
            self.deadline.watch(sock)
            self.sock = sock
            return
        raise error


class _PinnedHTTPS(http.client.HTTPSConnection, _PinnedHTTP):
    """TLS over :class:`_PinnedHTTP`; the certificate is still checked for the host name."""

    def __init__(self, host: str, port: int | None, *, addresses: list[str],
                 deadline: _Deadline) -> None:
        http.client.HTTPSConnection.__init__(self, host, port, timeout=deadline.seconds)
        self.addresses, self.deadline = addresses, deadline


class Fetcher:
    """Sequential GETs: never more than one connection per host."""

    def __init__(self, settings: Settings, scope: Scope | None = None) -> None:
        self.settings = settings
        self.scope = scope or Scope()
        self._last_request: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | str] = {}  # str: why robots.txt is unusable
        self._delays: dict[str, float] = {}

    def fetch(self, url: str, *, obey_robots: bool = True, first_bytes: int | None = None
              ) -> Response:
        """The page at the clean ``url`` after redirects; raises FetchFailed or Disallowed.
        ``first_bytes``: read only that many bytes of a longer body, instead of refusing it."""
        attempts, retries = 0, self.settings.retries
        while True:
            attempts += 1
            try:
                return self._follow(url, obey_robots, first_bytes)
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

    def _follow(self, url: str, obey_robots: bool, first_bytes: int | None) -> Response:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_scope(current, redirected=current != url)
            addresses = self._addresses(current)
            if obey_robots:
                self._check_robots(current)
            status, headers, body = self._get(current, addresses, first_bytes)
            location = headers.get("Location")
            if status in REDIRECTS and location:
                try:
                    current = clean_url(location, base=current)
                except BadUrl as exc:
                    raise _Permanent(f"redirect to {location!r}: {exc}", status) from None
                continue
            if status == 429 or status >= 500:
                raise _Transient(f"HTTP {status}", status, _retry_after(headers))
            if status != 200:
                raise _Permanent(f"HTTP {status}", status)
            declared_type = headers.get_content_type() if headers.get("Content-Type") else ""
            return Response(url=url, final_url=current, status=status, content_type=declared_type,
                            charset=headers.get_content_charset() or "", body=body)
        raise _Permanent(f"more than {MAX_REDIRECTS} redirects")

    def _check_scope(self, url: str, *, redirected: bool) -> None:
        hosts = self.scope.site_hosts
        if hosts is not None and host_of(url) not in hosts:
            how = "redirect to" if redirected else "URL on"
            raise _Permanent(f"{how} {host_of(url)}, outside the {self.scope.site_name} site "
                             f"(its hosts: {', '.join(sorted(hosts))})")

    def _addresses(self, url: str) -> list[str]:
        """The addresses to connect to, each checked against the scope."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        try:
            found = socket.getaddrinfo(host, parts.port, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise _Transient(f"cannot resolve {host}: {exc.strerror or exc}") from None
        addresses = list(dict.fromkeys(str(sockaddr[0]) for *_, sockaddr in found))
        if host not in self.scope.named_hosts:
            for address in addresses:
                if not is_public(address):
                    raise _Permanent(
                        f"refused: {host} resolves to {address}, a private, loopback or "
                        "link-local address; name the host in the URL list or --base-url "
                        "to allow it")
        return addresses

    def _get(self, url: str, addresses: list[str], first_bytes: int | None
             ) -> tuple[int, Message, bytes]:
        parts = urlsplit(url)
        origin = origin_of(url)
        target = quote(parts.path or "/", safe=_TARGET_SAFE)
        if parts.query:
            target += "?" + quote(parts.query, safe=_TARGET_SAFE + "?")
        self._wait_turn(origin)
        pinned = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        deadline = _Deadline(self.settings.timeout)
        connection = pinned(parts.hostname or "", parts.port, addresses=addresses,
                            deadline=deadline)
        try:
            return self._exchange(connection, target, first_bytes)
        except Exception:
            if not deadline.expired.is_set():
                raise
        finally:
            deadline.close()
            connection.close()
            self._last_request[origin] = time.monotonic()
        # Whatever the cut connection raised (a reset, a truncated body) is the deadline's doing.
        raise _Transient(f"timed out: the whole response took longer than "
                         f"timeout = {deadline.seconds:g} s")

    def _exchange(self, connection: _PinnedHTTP, target: str, first_bytes: int | None
                  ) -> tuple[int, Message, bytes]:
        try:
            connection.request("GET", target, headers={
                "User-Agent": self.settings.user_agent,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                "Accept-Encoding": "identity",  # bytes on disk exactly as the server sent them
                "Connection": "close",
            })
            response = connection.getresponse()
            body = b"" if response.status in REDIRECTS else self._read_body(response,
                                                                             first_bytes)
        except (ssl.SSLCertVerificationError, UnicodeError, http.client.InvalidURL) as exc:
            raise _Permanent(f"{type(exc).__name__}: {exc}") from None  # retrying can't help
        except (OSError, http.client.HTTPException) as exc:
            raise _Transient(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
        if connection.deadline.expired.is_set():  # even a body that looks whole may be cut
            raise _Transient("deadline")
        return response.status, response.msg, body

    def _read_body(self, response: http.client.HTTPResponse, first_bytes: int | None) -> bytes:
        cap = first_bytes or self.settings.max_bytes
        declared = response.getheader("Content-Length")
        length = int(declared) if declared and declared.strip().isdigit() else None
        if length is not None and length > cap and first_bytes is None:
            raise _Permanent(f"response of {length} bytes exceeds max_bytes = {cap}",
                             response.status)
        if response.getheader("Content-Encoding", "identity").lower() != "identity":
            raise _Permanent("response is compressed although identity was asked for",
                             response.status)
        buffer = io.BytesIO()
        while chunk := response.read(65536):
            if buffer.tell() + len(chunk) > cap:
                if first_bytes is None:
                    raise _Permanent(f"response exceeds max_bytes = {cap}", response.status)
                buffer.write(chunk[:cap - buffer.tell()])  # the rest is never read
                break
            buffer.write(chunk)
        body = buffer.getvalue()
        if length is not None and len(body) < min(length, cap):
            raise _Transient(f"truncated body: {len(body)} of {length} bytes", response.status)
        return body

    def _wait_turn(self, origin: str) -> None:
        last = self._last_request.get(origin)
        if last is not None:
            remaining = last + self._delays.get(origin, self.settings.delay) - time.monotonic()
            if remaining > 0:
                time.sleep(remaining)

    def _check_robots(self, url: str) -> None:
        origin = origin_of(url)
        if origin not in self._robots:
            robots = self._load_robots(f"{urlsplit(url).scheme}://{origin}/robots.txt")
            self._robots[origin] = robots
            if isinstance(robots, RobotFileParser):
                self._delays[origin] = self._crawl_delay(origin, robots)
        robots = self._robots[origin]
        if isinstance(robots, str):
            raise _Permanent(robots)
        if not robots.can_fetch(self.settings.user_agent, url):
            raise Disallowed(url)

    def robots_sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of the robots.txt of ``url``'s origin, as written.

        robots.txt is read once per origin, for its rules and these lines alike; an
        unreachable or missing one names no sitemap.
        """
        try:
            self._check_robots(url)  # loads and caches robots.txt; the verdict on url is moot
        except (Disallowed, _Permanent):
            pass
        robots = self._robots.get(origin_of(url))
        return list(robots.site_maps() or []) if isinstance(robots, RobotFileParser) else []

    def _crawl_delay(self, origin: str, robots: RobotFileParser) -> float:
        asked = float(robots.crawl_delay(self.settings.user_agent) or 0)
        cap = self.settings.max_crawl_delay
        if asked > cap:
            logger.warning("robots.txt of %s asks for Crawl-delay: %g s; waiting max_crawl_delay "
                           "= %g s between its requests instead (raise that setting to honour "
                           "it)", origin, asked, cap)
        return max(self.settings.delay, min(asked, cap))

    def _load_robots(self, robots_url: str) -> RobotFileParser | str:
        parser = RobotFileParser(robots_url)
        try:
            response = self.fetch(robots_url, obey_robots=False, first_bytes=ROBOTS_MAX_BYTES)
        except FetchFailed as exc:
            # RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one
            # (5xx, network; 429 too, as Google reads it) forbids everything.
            if exc.last_status is not None and 400 <= exc.last_status < 500 \
                    and exc.last_status != 429:
                parser.parse([])
                return parser
            logger.warning("robots.txt unreachable at %s: %s", robots_url, exc.reason)
            return f"robots.txt unreachable ({exc.reason}); not fetched"
        body = response.body
        if len(body) == ROBOTS_MAX_BYTES:  # cut: its last line may be half a rule
            logger.info("robots.txt at %s is longer than %d bytes; read its first %d (RFC 9309)",
                        robots_url, ROBOTS_MAX_BYTES, ROBOTS_MAX_BYTES)
            body = body[:body.rfind(b"\n") + 1]
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
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
