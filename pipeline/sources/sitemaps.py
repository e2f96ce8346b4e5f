"""Sitemaps read within bounds: ``urlset`` and ``sitemapindex`` files, gzipped or not, and
the plain-text form (one URL a line).

A sitemap is input a stranger wrote, and it can be built to exhaust its reader: a gzip that
inflates to gigabytes, a million entries, entities that expand. This reader inflates in
chunks and stops past ``max_inflated`` bytes, parses while it inflates (lxml's pull parser;
entities are never expanded and nothing is loaded from the network) and stops after
``max_entries`` entries. What it read until then is kept, and :attr:`Sitemap.problem` says
why it stopped.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from lxml import etree

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
_BLANK = b"\xef\xbb\xbf \t\r\n"  # a UTF-8 BOM and white space before the first character
# Roots of RSS 2.0, Atom and RSS 1.0 (RDF): search engines take feeds as sitemaps too.
_FEED_ROOTS = frozenset({"rss", "feed", "RDF"})
_ENTRY_OF = {"urlset": "url", "sitemapindex": "sitemap"}

Kind = Literal["urlset", "sitemapindex", "text", "feed"]


@dataclass(frozen=True, slots=True)
class Entry:
    """A ``<url>`` of a sitemap, a ``<sitemap>`` of an index, or an item of a feed."""

    url: str  # as written (absolute or not), not yet cleaned
    lastmod: datetime | None  # timezone-aware; a date alone is its midnight UTC


@dataclass(frozen=True, slots=True)
class Sitemap:
    """What one file lists. A ``feed`` file's entries are read by
    :func:`pipeline.sources.feeds.read_feed`, not here."""

    kind: Kind
    entries: tuple[Entry, ...]
    problem: str | None = None  # why reading stopped before the end of the file


class _Stop(Exception):
    """Reading ends here; the message says why."""


def read_sitemap(data: bytes, *, max_inflated: int, max_entries: int) -> Sitemap:
    """The entries of a sitemap file's bytes as fetched (gzip is recognised by its magic
    number, whatever the URL or content type say).

    >>> xml = b'<urlset><url><loc>https://x.mx/nota-1</loc><lastmod>2024-03-05</lastmod>'
    >>> xml += b'</url><url><loc>https://x.mx/nota-2</loc></url></urlset>'
    >>> sitemap = read_sitemap(xml, max_inflated=10_000, max_entries=1)
    >>> [entry.url for entry in sitemap.entries]
    ['https://x.mx/nota-1']
    >>> sitemap.problem
    'has more entries than the 1 left to read this run (discover_max_entries)'
    """
    reader = _Reader(max_entries)
    try:
        for chunk in _inflated(data, max_inflated):
            reader.feed(chunk)
            if reader.kind == "feed":
                break
        reader.close()
    except _Stop as stop:
        return Sitemap(reader.kind or "urlset", tuple(reader.entries), str(stop))
    return Sitemap(reader.kind or "text", tuple(reader.entries))


def parse_lastmod(text: str | None) -> datetime | None:
    """A W3C datetime (``2024-03-05``, ``2024-03-05T09:30:00-07:00``) as an aware datetime;
    None when absent or unreadable.

    >>> parse_lastmod("2024-03-05").isoformat()
    '2024-03-05T00:00:00+00:00'
    >>> parse_lastmod("5 de marzo") is None
    True
    """
    try:
        value = datetime.fromisoformat((text or "").strip())
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def too_many_entries(left: int) -> str:
    return f"has more entries than the {left} left to read this run (discover_max_entries)"


def _inflated(data: bytes, cap: int) -> Iterator[bytes]:
    """The file's bytes, inflated chunk by chunk if gzipped; never more than ``cap`` of them."""
    if not data.startswith(GZIP_MAGIC):
        if len(data) > cap:
            raise _Stop(f"is larger than discover_max_inflated = {cap} bytes")
        yield data
        return
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    pending, total = data, 0
    while not inflater.eof:
        try:
            chunk = inflater.decompress(pending, _CHUNK)
        except zlib.error as exc:
            raise _Stop(f"is not a valid gzip file ({exc})") from None
        moved = bool(chunk) or len(inflater.unconsumed_tail) < len(pending)
        pending = inflater.unconsumed_tail
        total += len(chunk)
        if total > cap:
            raise _Stop(f"inflates past discover_max_inflated = {cap} bytes (a gzip bomb?)")
        if not moved:
            raise _Stop("is a gzip file cut short")
        if chunk:
            yield chunk


class _Reader:
    """Entries from inflated chunks: XML through a pull parser, else lines of text."""

    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.entries: list[Entry] = []
        self.kind: Kind | None = None
        self._parser: etree.XMLPullParser | None = None
        self._head = b""  # bytes before the first character that tells XML from text
        self._line = b""  # text: the unfinished last line

    def feed(self, chunk: bytes) -> None:
        if self._parser is None and self.kind is None:
            self._head += chunk
            start = self._head.lstrip(_BLANK)
            if not start:
                return
            chunk, self._head = self._head, b""
            if start.startswith(b"<"):
                self._parser = etree.XMLPullParser(
                    events=("start", "end"), resolve_entities=False, no_network=True,
                    load_dtd=False, huge_tree=False)
            else:
                self.kind = "text"
        if self._parser is not None:
            self._feed_xml(chunk)
        else:
            self._feed_text(chunk)

    def close(self) -> None:
        if self._parser is not None:
            try:
                self._parser.close()
            except etree.XMLSyntaxError as exc:
                raise _Stop(f"is not well-formed XML ({exc})") from None
            self._read_events()
        elif self.kind == "text":
            self._add_line(self._line)
        if self.kind is None:
            raise _Stop("is empty")

    def _feed_xml(self, chunk: bytes) -> None:
        assert self._parser is not None
        try:
            self._parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise _Stop(f"is not well-formed XML ({exc})") from None
        self._read_events()

    def _read_events(self) -> None:
        assert self._parser is not None
        for event, element in self._parser.read_events():
            name = etree.QName(element).localname
            if self.kind is None:  # the root's start
                if name in _FEED_ROOTS:
                    self.kind = "feed"
                    return
                if name not in _ENTRY_OF:
                    raise _Stop(f"is not a sitemap: its root element is <{name}>")
                self.kind = "urlset" if name == "urlset" else "sitemapindex"
            elif event == "end" and name == _ENTRY_OF.get(self.kind, ""):
                self._add(Entry(_child_text(element, "loc"),
                                parse_lastmod(_child_text(element, "lastmod"))))
                element.clear()
                while element.getprevious() is not None:  # keep memory flat
                    del element.getparent()[0]

    def _feed_text(self, chunk: bytes) -> None:
        *lines, self._line = (self._line + chunk).split(b"\n")
        for line in lines:
            self._add_line(line)

    def _add_line(self, line: bytes) -> None:
        url = line.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
        if url:
            self._add(Entry(url, None))

    def _add(self, entry: Entry) -> None:
        if not entry.url:
            return
        if len(self.entries) == self.max_entries:
            raise _Stop(too_many_entries(self.max_entries))
        self.entries.append(entry)


def _child_text(element: etree._Element, name: str) -> str:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip()
    return ""
