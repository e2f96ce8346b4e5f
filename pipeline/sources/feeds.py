"""Feeds: those a page announces, and the links and dates of an RSS or Atom feed.

A page announces its feeds with ``<link rel="alternate" type="application/rss+xml" href=…>``
(or ``atom+xml``, ``rdf+xml``). ``feedparser`` reads RSS 0.9x, 1.0 and 2.0 and Atom; it is
always given the bytes as a stream, because given bytes it would first try them as a file
name, and given a URL it would fetch it outside the polite fetcher.
"""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime

import feedparser
from bs4 import BeautifulSoup

from pipeline.sources.decoding import decode_html
from pipeline.sources.sitemaps import Entry, Sitemap, too_many_entries

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


def announced_feeds(html: bytes, charset: str, *, source: str) -> list[str]:
    """The ``href`` of each feed the page announces, as written, in page order, once each.

    >>> page = b'<head><link rel="alternate" type="application/rss+xml" href="/feed/">'
    >>> page += b'<link rel="stylesheet" href="/a.css"></head>'
    >>> announced_feeds(page, "", source="home page")
    ['/feed/']
    """
    soup = BeautifulSoup(decode_html(html, charset or None, source=source).text, "lxml")
    hrefs: dict[str, None] = {}
    for link in soup.select("link[rel][href]"):
        rels = {str(rel).lower() for rel in link.get_attribute_list("rel")}
        media_type = str(link.get("type", "")).split(";")[0].strip().lower()
        if "alternate" in rels and media_type in FEED_TYPES:
            hrefs[str(link["href"]).strip()] = None
    return list(hrefs)


def read_feed(data: bytes, url: str, *, max_entries: int) -> Sitemap:
    """The link and date (published, else updated) of each entry of a feed's bytes, links
    as written; relative ones are resolved against ``url``.

    >>> rss = b'<rss version="2.0"><channel><item><link>/n/1</link>'
    >>> rss += b'<pubDate>Tue, 05 Mar 2024 09:30:00 -0700</pubDate></item></channel></rss>'
    >>> entry = read_feed(rss, "https://x.mx/feed/", max_entries=10).entries[0]
    >>> entry.url, entry.lastmod.isoformat()
    ('https://x.mx/n/1', '2024-03-05T16:30:00+00:00')
    """
    parsed = feedparser.parse(io.BytesIO(data), response_headers={"content-location": url})
    if not parsed.version and not parsed.entries:
        return Sitemap("feed", (), "is not an RSS or Atom feed")
    entries = [Entry(link, _when(item.get("published_parsed") or item.get("updated_parsed")))
               for item in parsed.entries
               if (link := str(item.get("link") or "").strip())]  # no link, no page
    if len(entries) > max_entries:
        return Sitemap("feed", tuple(entries[:max_entries]), too_many_entries(max_entries))
    return Sitemap("feed", tuple(entries))


def _when(parsed: time.struct_time | None) -> datetime | None:
    return datetime(*parsed[:6], tzinfo=UTC) if parsed else None
