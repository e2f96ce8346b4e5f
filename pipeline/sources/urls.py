"""URLs as the scraper accepts them, and the names their pages get on disk.

Every URL the scraper meets (a line of the URL list, a ``Location`` header, a listing page's
link) passes :func:`clean_url` first: a malformed one becomes a :class:`BadUrl` with a reason
for ``failures.csv`` instead of an exception deep inside the fetcher.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

SCHEMES = ("http", "https")
# Scheme and "//", then the userinfo up to the host's "@" (the last one of the authority).
_USERINFO = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#]*@")


class BadUrl(ValueError):
    """A URL the scraper cannot request; the message says why."""


class MalformedUrl(BadUrl):
    """Not a URL at all: an unclosed ``[``, a bad port, an invalid host name."""


def clean_url(raw: str, base: str | None = None) -> str:
    """``raw`` (resolved against ``base``) as an absolute http(s) URL, ready to request.

    The fragment is dropped (it never reaches the server, so ``page#a`` and ``page#b`` are one
    page) and so are credentials (``user:pass@``), which must never be written to a ledger.
    Scheme and host are lower-cased, a non-ASCII host name becomes its IDNA form.

    Raises:
        MalformedUrl: an unclosed ``[``, a bad port, an invalid host name.
        BadUrl: not http(s), or without a host.

    >>> clean_url("HTTPS://Ana:secreto@www.Juarez.gob.mx/noticia/5/#galeria")
    'https://www.juarez.gob.mx/noticia/5/'
    >>> clean_url("../7", base="https://d.example/nota/5")
    'https://d.example/7'
    """
    try:
        parts = urlsplit(urljoin(base, raw.strip()) if base else raw.strip())
        port = parts.port  # parsed lazily: this is where a bad port raises
    except ValueError as exc:
        raise MalformedUrl(f"malformed URL: {exc}") from None
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise BadUrl("not an absolute http(s) URL")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise MalformedUrl(f"malformed host name {parts.hostname!r}") from None
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, ""))


def redact(raw: str) -> str:
    """``raw`` without credentials, for a URL too malformed for :func:`clean_url`.

    >>> redact("http://ana:secreto@[::1/nota")
    'http://[::1/nota'
    """
    return _USERINFO.sub(r"\1", raw, count=1)


def has_credentials(raw: str) -> bool:
    return _USERINFO.match(raw) is not None


def host_of(url: str) -> str:
    """The host of a clean URL, lower case, without brackets or port."""
    return urlsplit(url).hostname or ""


def origin_of(url: str) -> str:
    """``host[:port]`` of a clean URL: the key for robots.txt and the delay between requests."""
    return urlsplit(url).netloc


def is_public(address: str) -> bool:
    """True for an address on the public internet: not private, loopback, link-local (such as
    169.254.169.254, the cloud metadata service), multicast or reserved."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is no part of it
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


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
        stem = f"{stem[:140]}-{short_hash(parts.query or url)}"
    return stem + ".html"


def host_dir(url: str) -> str:
    """The folder of a page in the store: its host, with the port when there is one."""
    parts = urlsplit(url)
    host = re.sub(r"[^a-z0-9.-]+", "-", (parts.hostname or "unknown").lower()).strip("-.")
    return f"{host or 'unknown'}_{parts.port}" if parts.port else host or "unknown"


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]
