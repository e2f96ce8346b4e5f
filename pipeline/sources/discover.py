"""A press room's releases found from its sitemaps and feeds, the newest fetched.

``scrape --discover URL`` reads robots.txt (its ``Sitemap:`` lines; its rules hold for every
request), the feeds the page at URL announces and the sitemaps, indexes followed (when
robots.txt names none, ``/sitemap.xml``). Of the URLs they list, those on the site's hosts
that look like articles (:mod:`pipeline.sources.article_urls`), narrowed by ``match`` and
``since``/``until`` (the sitemap's ``lastmod`` or the feed's date), are fetched newest first,
at most ``discover_limit`` of them. Every request, sitemaps and feeds included, goes through
the polite fetcher, and what one run reads is bounded (``discover_max_files``,
``discover_max_entries``, ``discover_max_inflated``): a file read in part or left unread, a
loop of sitemap indexes, a link that is no URL, each is a row in ``failures.csv``, and the
run goes on.

Resuming: a page in the manifest is not fetched again, and ``discovered.csv`` keeps what
each sitemap listed when it was last read whole. A sitemap its index lists with the same
``lastmod`` as then is not fetched again: what it listed comes from that ledger.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict, deque
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pipeline.config import Settings
from pipeline.sources.article_urls import lists_articles, looks_like_article
from pipeline.sources.feeds import announced_feeds, read_feed
from pipeline.sources.fetch import Fetcher, Scope
from pipeline.sources.rawstore import RawStore, ScrapeError
from pipeline.sources.scrape import Progress, Scraper, ScrapeSummary
from pipeline.sources.sitemaps import Entry, Sitemap, parse_lastmod, read_sitemap
from pipeline.sources.urls import BadUrl, clean_url, host_of, redact

logger = logging.getLogger(__name__)

LEDGER = "discovered.csv"
# kind "read": the sitemap `url` was read whole under its index's `lastmod`; kind "sitemap"
# or "article": `url` (with its `lastmod`) is listed by the sitemap `listed_by`.
LEDGER_FIELDS = ("kind", "url", "lastmod", "listed_by")
# Rows in failures.csv for links that are no URLs (per file) and for files left unread (per
# run); more are only counted, so that a file of a million bad links or an index of a million
# sitemaps cannot write a million rows.
MAX_ROWS = 10


@dataclass(frozen=True, slots=True)
class DiscoverSummary:
    scrape: ScrapeSummary  # the articles fetched; its failures include the sitemaps' rows
    files_read: int = 0  # sitemap and feed files requested
    files_unchanged: int = 0  # sitemaps not fetched: the same lastmod as when last read
    files_unread: int = 0  # left for want of discover_max_files or discover_max_entries
    entries: int = 0
    articles: int = 0  # distinct article URLs on the site's hosts
    other_host: int = 0
    not_articles: int = 0  # listing, tag, author, media pages
    left_out: int = 0  # by --match, --since, --until
    beyond_limit: int = 0
    max_files: int = 0
    max_entries: int = 0
    limit: int = 0

    def line(self) -> str:
        return (f"discover: {self.files_read} sitemap and feed files read (at most "
                f"{self.max_files}), {self.files_unchanged} unchanged since the last run, "
                f"{self.files_unread} left unread; {self.entries} entries (at most "
                f"{self.max_entries}): {self.articles} article URLs, {self.other_host} on "
                f"other hosts, {self.not_articles} not articles; {self.left_out} left out by "
                f"--match/--since/--until, {self.beyond_limit} beyond --limit {self.limit}\n"
                + self.scrape.line())


@dataclass(frozen=True, slots=True)
class _Source:
    """A sitemap or feed to read."""

    url: str
    kind: Literal["sitemap", "feed"]
    lastmod: datetime | None = None  # as its index gives it
    chain: tuple[str, ...] = ()  # the sitemap indexes that led here, outermost first


def discover_site(url: str, out_dir: Path, settings: Settings, *, since: date | None = None,
                  until: date | None = None, match: str | None = None,
                  progress: Progress | None = None) -> DiscoverSummary:
    """Find the articles of the site at ``url`` and fetch the newest into ``out_dir``.

    The host of ``url`` counts as named by the user: it alone may be a private address.
    """
    try:
        start = clean_url(url)
    except BadUrl as exc:
        raise ScrapeError(f"--discover {url!r}: {exc}; give a press room's address such as "
                          "https://www.example.gob.mx") from None
    if since and until and since > until:
        raise ScrapeError(f"--since {since} is after --until {until}; swap them")
    try:
        pattern = re.compile(match) if match is not None else None
    except re.error as exc:
        raise ScrapeError(f"--match {match!r} is not a regular expression ({exc}); "
                          "e.g. --match '/noticias?/'") from None
    with RawStore(out_dir) as store:
        scraper = Scraper(store, Fetcher(settings, Scope(named_hosts=frozenset(
            {host_of(start)}))), progress)
        discovery = _Discovery(scraper, settings, start, progress)
        discovery.read_all(since)
        chosen = discovery.choose(since, until, pattern)
        discovery.save_ledger()
        discovery.fetch_newest(chosen)
        return discovery.summary(scraper.summary())


class _Discovery:
    """The sitemaps and feeds of one run, what they list, and the ledger of the last runs."""

    def __init__(self, scraper: Scraper, settings: Settings, start: str,
                 progress: Progress | None) -> None:
        self.scraper, self.settings, self.start = scraper, settings, start
        self.progress = progress or (lambda outcome, url: None)
        self.hosts = {host_of(start)}
        self.counts: Counter[str] = Counter()
        self.bad_links: Counter[str] = Counter()
        self.found: dict[str, datetime | None] = {}  # article URL → newest date, found order
        self.visited: set[str] = set()
        self.queue: deque[_Source] = deque()
        self.marks: dict[str, str] = {}
        self.listed: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in scraper.store.read_ledger(LEDGER, LEDGER_FIELDS):
            if row["kind"] == "read":
                self.marks[row["url"]] = row["lastmod"]
            else:
                self.listed[row["listed_by"]].append(row)

    def read_all(self, since: date | None) -> None:
        """Read the feeds the start page announces, then the sitemaps, indexes followed."""
        self.queue.extend(self._sources())
        while self.queue:
            source = self.queue.popleft()
            if source.url in self.visited:  # listed twice (robots.txt and an index): once
                continue
            self.visited.add(source.url)
            sitemap = self._replay(source)
            fresh = sitemap is None
            if sitemap is None and not self._unread(source):
                sitemap = self._read(source)
            if sitemap is None:
                continue
            rows = (self._index(source, sitemap, since) if sitemap.kind == "sitemapindex"
                    else self._pages(source, sitemap))
            if fresh and source.kind == "sitemap":
                self.listed[source.url] = rows
                if sitemap.problem is None and source.lastmod is not None:
                    self.marks[source.url] = source.lastmod.isoformat()
                else:
                    self.marks.pop(source.url, None)
        for where, count in self.bad_links.items():
            if count > MAX_ROWS:
                logger.warning("%s: %d links are no URLs; the first %d are rows in "
                               "failures.csv", where, count, MAX_ROWS)
        if self.counts["files unread"] > MAX_ROWS:
            logger.warning("%d sitemap and feed files were left unread; the first %d are rows "
                           "in failures.csv", self.counts["files unread"], MAX_ROWS)
        if not self.counts["entries"]:
            logger.warning("%s: no sitemap or feed listed a page; list the article URLs with "
                           "--urls, or write a site adapter (resources/sites/*.toml)",
                           self.start)

    def choose(self, since: date | None, until: date | None,
               match: re.Pattern[str] | None) -> list[str]:
        """The articles within ``match``, ``since`` and ``until`` (an undated one is outside
        any range), newest first, then the undated in the order they were found."""
        chosen = []
        for url, when in self.found.items():
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            dated = when is not None and (since is None or when.date() >= since) \
                and (until is None or when.date() <= until)
            if (match and not match.search(path)) or ((since or until) and not dated):
                self.counts["left out"] += 1
            else:
                chosen.append((url, when))
        chosen.sort(key=lambda item: (item[1] is None, -item[1].timestamp() if item[1] else 0))
        return [url for url, _ in chosen]

    def fetch_newest(self, urls: list[str]) -> None:
        """Fetch the first ``discover_limit`` of ``urls`` that robots.txt allows (those
        already saved count, so a rerun fetches only what is new among them)."""
        taken = 0
        for position, url in enumerate(urls):
            if taken == self.settings.discover_limit:
                self.counts["beyond limit"] = len(urls) - position
                return
            taken += self.scraper.one(url) != "robots"

    def save_ledger(self) -> None:
        reads = [{"kind": "read", "url": url, "lastmod": lastmod, "listed_by": ""}
                 for url, lastmod in self.marks.items()]
        listed = [row for rows in self.listed.values() for row in rows]
        self.scraper.store.write_ledger(LEDGER, LEDGER_FIELDS, [*reads, *listed])

    def summary(self, scrape: ScrapeSummary) -> DiscoverSummary:
        counts, settings = self.counts, self.settings
        return DiscoverSummary(
            scrape=scrape, files_read=counts["files read"],
            files_unchanged=counts["files unchanged"], files_unread=counts["files unread"],
            entries=counts["entries"], articles=len(self.found),
            other_host=counts["other host"], not_articles=counts["not articles"],
            left_out=counts["left out"], beyond_limit=counts["beyond limit"],
            max_files=settings.discover_max_files, max_entries=settings.discover_max_entries,
            limit=settings.discover_limit)

    def _sources(self) -> list[_Source]:
        """The feeds the start page announces, then the sitemaps robots.txt names."""
        sources = []
        home = self.scraper.unsaved(self.start, "home page")
        if home is not None:
            self.hosts.add(host_of(home.final_url))
            for href in announced_feeds(home.body, home.charset, source=self.start):
                if url := self._clean(href, home.final_url, f"a feed link on {self.start}"):
                    sources.append(_Source(url, "feed"))
        robots = clean_url("/robots.txt", base=self.start)
        lines = self.scraper.fetcher.robots_sitemaps(self.start)
        for line in lines or ["/sitemap.xml"]:
            if url := self._clean(line, robots, f"a Sitemap: line of {robots}"):
                sources.append(_Source(url, "sitemap"))
        return sources

    def _replay(self, source: _Source) -> Sitemap | None:
        """What a sitemap listed when it was last read whole, if its index gives the same
        lastmod as then; None when it must be read."""
        if source.lastmod is None or self.marks.get(source.url) != source.lastmod.isoformat():
            return None
        rows = self.listed.get(source.url, [])
        if len(rows) > self.settings.discover_max_entries - self.counts["entries"]:
            return None  # read it instead, as far as the bound allows
        entries = tuple(Entry(row["url"], parse_lastmod(row["lastmod"])) for row in rows)
        self.counts["entries"] += len(entries)
        self.counts["files unchanged"] += 1
        self.progress("unchanged", source.url)
        index = any(row["kind"] == "sitemap" for row in rows)
        return Sitemap("sitemapindex" if index else "urlset", entries)

    def _read(self, source: _Source) -> Sitemap | None:
        """A sitemap or feed fetched and read; None after a row saying why it could not."""
        self.counts["files read"] += 1
        response = self.scraper.unsaved(source.url, source.kind)
        if response is None:
            return None
        self.progress(source.kind, source.url)
        left = self.settings.discover_max_entries - self.counts["entries"]
        sitemap = read_sitemap(response.body, max_inflated=self.settings.discover_max_inflated,
                               max_entries=left) if source.kind == "sitemap" else None
        if sitemap is None or sitemap.kind == "feed":  # search engines take feeds as sitemaps
            sitemap = read_feed(response.body, response.final_url, max_entries=left)
        self.counts["entries"] += len(sitemap.entries)
        if sitemap.problem and sitemap.entries:
            self.scraper.fail(source.url, f"{source.kind} read in part: it {sitemap.problem}; "
                              f"kept the {len(sitemap.entries)} entries before")
        elif sitemap.problem:
            self.scraper.fail(source.url, f"{source.kind} not read: it {sitemap.problem}")
        return sitemap

    def _unread(self, source: _Source) -> bool:
        """True, after a row saying which bound leaves the file unread, when the bounds
        allow no more."""
        settings = self.settings
        if self.counts["files read"] >= settings.discover_max_files:
            reason = (f"discover_max_files = {settings.discover_max_files} sitemap and feed "
                      "files were read this run")
        elif self.counts["entries"] >= settings.discover_max_entries:
            reason = (f"discover_max_entries = {settings.discover_max_entries} entries were "
                      "read this run")
        else:
            return False
        self.counts["files unread"] += 1
        if self.counts["files unread"] <= MAX_ROWS:
            self.scraper.fail(source.url, f"{source.kind} not read: {reason} (raise it to read "
                              "more)")
        return True

    def _index(self, source: _Source, index: Sitemap, since: date | None) -> list[dict[str, str]]:
        """Queue an index's sitemaps, newest first; returns its ledger rows."""
        rows, children = [], []
        chain = (*source.chain, source.url)
        for entry in index.entries:
            url = self._clean(entry.url, source.url, f"listed by the sitemap {source.url}")
            if url is None:
                continue
            rows.append(_row("sitemap", url, entry.lastmod, source.url))
            if url in chain:
                self.scraper.fail(source.url, "the sitemap index lists itself; read once"
                                  if url == source.url else f"the sitemap index lists {url}, "
                                  "which led to it (a loop); each read once")
            elif not lists_articles(url):
                logger.info("sitemap %s lists no articles (by its name); not read", url)
            elif since and entry.lastmod and entry.lastmod.date() < since:
                logger.info("sitemap %s: unchanged since %s, before --since", url,
                            entry.lastmod.date())
            else:
                children.append(_Source(url, "sitemap", entry.lastmod, chain))
        children.sort(key=lambda child: (child.lastmod is None,
                                         -child.lastmod.timestamp() if child.lastmod else 0))
        self.queue.extend(children)
        return rows

    def _pages(self, source: _Source, listing: Sitemap) -> list[dict[str, str]]:
        """Keep the articles a sitemap or feed lists; returns its ledger rows."""
        rows = []
        for entry in listing.entries:
            url = self._clean(entry.url, source.url, f"listed by the {source.kind} {source.url}")
            if url is None:
                continue
            if host_of(url) not in self.hosts:
                self.counts["other host"] += 1
            elif not looks_like_article(url):
                self.counts["not articles"] += 1
            else:
                rows.append(_row("article", url, entry.lastmod, source.url))
                known = self.found.get(url)
                if url not in self.found or (entry.lastmod and (known is None
                                                                or entry.lastmod > known)):
                    self.found[url] = entry.lastmod
        return rows

    def _clean(self, raw: str, base: str, where: str) -> str | None:
        try:
            return clean_url(raw, base=base)
        except BadUrl as exc:
            self.bad_links[where] += 1
            if self.bad_links[where] <= MAX_ROWS:
                self.scraper.fail(redact(raw), f"{exc} ({where})")
            return None


def _row(kind: str, url: str, lastmod: datetime | None, listed_by: str) -> dict[str, str]:
    return {"kind": kind, "url": url, "lastmod": lastmod.isoformat() if lastmod else "",
            "listed_by": listed_by}
