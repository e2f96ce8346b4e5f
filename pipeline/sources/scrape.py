"""Polite, resumable crawls into a raw store: a list of URLs, or a press room's releases.

Fetching (robots.txt, delays, retries, limits) is :mod:`pipeline.sources.fetch`; the pages and
ledgers on disk are :mod:`pipeline.sources.rawstore`. This module decides what to request and
keeps count. Any URL it meets may be malformed or out of bounds: each becomes a row in
``failures.csv`` and the crawl goes on.
"""

from __future__ import annotations

import codecs
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Settings
from pipeline.sources.fetch import Disallowed, Fetcher, FetchFailed, Response, Scope
from pipeline.sources.rawstore import RawStore, ScrapeError
from pipeline.sources.sites import Site
from pipeline.sources.urls import BadUrl, clean_url, has_credentials, host_of, redact

logger = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
# Walking ids stops after this many failures in a row: past the newest release, or the site
# is not answering.
MAX_MISSES = 3

# Called once per URL with its outcome ("fetched", "already had", "failed", "robots") and URL.
Progress = Callable[[str, str], None]


@dataclass(frozen=True, slots=True)
class ScrapeSummary:
    fetched: int = 0
    already_had: int = 0
    failed: int = 0
    robots_skipped: int = 0
    site: str = ""  # the adapter whose listing pages were read, if any
    listing_by_selector: int = 0  # listing pages whose links the adapter's selector found
    listing_by_fallback: int = 0  # … found only by the article pattern
    ids_walked: int = 0  # ids requested because no listing page gave a link

    def line(self) -> str:
        text = (f"scrape: {self.fetched} fetched, {self.already_had} already had, "
                f"{self.failed} failed, {self.robots_skipped} skipped by robots.txt")
        if self.site:
            text += (f"; listing pages read by the {self.site} selector: "
                     f"{self.listing_by_selector}, by the fallback: {self.listing_by_fallback}")
            if self.ids_walked:
                text += f"; ids walked instead: {self.ids_walked}"
        return text


class Scraper:
    """Requests URLs into a :class:`RawStore`, counting outcomes."""

    def __init__(self, store: RawStore, fetcher: Fetcher, progress: Progress | None) -> None:
        self.store, self.fetcher = store, fetcher
        self._progress = progress or (lambda outcome, url: None)
        self._counts: Counter[str] = Counter()

    def one(self, raw_url: str) -> str:
        """Fetch one URL unless the store has it; returns the outcome."""
        try:
            url = clean_url(raw_url)
        except BadUrl as exc:
            return self.fail(redact(raw_url), str(exc))
        if has_credentials(raw_url):
            logger.warning("credentials removed from %s: they are neither sent nor written", url)
        outcome = self._attempt(url)
        self._count(outcome, url)
        return outcome

    def fail(self, url: str, reason: str, attempts: int = 0,
             last_status: int | None = None) -> str:
        self.store.fail(url, reason, attempts, last_status)
        self._count("failed", url)
        return "failed"

    def listing(self, url: str) -> bytes | None:
        """A listing page's bytes (not stored), or None after recording why."""
        response = self.unsaved(url, "listing page")
        return None if response is None else response.body

    def unsaved(self, url: str, what: str) -> Response | None:
        """The response for a page that is read but not stored (``what``: a listing page, a
        sitemap, a feed), or None after recording why."""
        try:
            response = self.fetcher.fetch(url)
        except Disallowed:
            logger.warning("robots.txt disallows the %s %s", what, url)
            self._count("robots", url)
            return None
        except FetchFailed as exc:
            logger.warning("failed %s %s: %s", what, url, exc.reason)
            self.fail(url, exc.reason, exc.attempts, exc.last_status)
            return None
        self.store.settle(url)
        return response

    def summary(self, *, site: str = "", listing: Counter[str] | None = None) -> ScrapeSummary:
        """The counts so far; ``listing`` counts listing pages by how their links were found
        ("selector", "fallback") and ids "walked"."""
        self.store.compact_failures()
        counts, listing = self._counts, listing or Counter()
        return ScrapeSummary(fetched=counts["fetched"], already_had=counts["already had"],
                             failed=counts["failed"], robots_skipped=counts["robots"],
                             site=site, listing_by_selector=listing["selector"],
                             listing_by_fallback=listing["fallback"],
                             ids_walked=listing["walked"])

    def _count(self, outcome: str, url: str) -> None:
        self._counts[outcome] += 1
        self._progress(outcome, url)

    def _attempt(self, url: str) -> str:
        if self.store.has(url):
            return "already had"
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
    """URLs from a text file, one a line; blank lines and ``#`` comments ignored.

    UTF-8 with or without a BOM, or UTF-16 with one (Notepad's "Unicode").
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScrapeError(f"URL list {path} does not exist; give a text file with one URL "
                          "a line") from None
    except OSError as exc:
        raise ScrapeError(f"cannot read URL list {path}: {exc.strerror}") from None
    encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
        else "utf-8-sig"
    try:
        lines = data.decode(encoding).splitlines()
    except UnicodeDecodeError as exc:
        raise ScrapeError(f"cannot read URL list {path}: not UTF-8 ({exc.reason} at byte "
                          f"{exc.start}); save it as UTF-8") from None
    # The first word of a line, so "https://… # note" works.
    urls = [line.split()[0] for line in lines if line.strip() and not line.strip().startswith("#")]
    if not urls:
        raise ScrapeError(f"URL list {path} has no URLs; put one URL a line "
                          "(lines starting with # are comments)")
    return urls


def scrape_urls(urls: Iterable[str], out_dir: Path, settings: Settings, *,
                progress: Progress | None = None) -> ScrapeSummary:
    """Fetch every URL into ``out_dir``, skipping those the manifest already lists.

    The hosts of these URLs count as named by the user: they alone may be private addresses.
    """
    urls = list(urls)
    named = frozenset(host_of(url) for url in map(_clean_or_none, urls) if url)
    with RawStore(out_dir) as store:
        scraper = Scraper(store, Fetcher(settings, Scope(named_hosts=named)), progress)
        for url in urls:
            scraper.one(url)
        return scraper.summary()


def scrape_site(site: Site, out_dir: Path, settings: Settings, *, pages: int = 1,
                ids: tuple[int, int] | None = None,
                progress: Progress | None = None) -> ScrapeSummary:
    """Fetch a press room's releases: walk ``ids`` (first, last), else its listing ``pages``.

    Requests and redirects keep to the site's hosts; its base URL's host counts as named.
    """
    if ids is None and pages < 1:
        raise ScrapeError(f"pages = {pages} is invalid; value must be >= 1")
    if ids is not None and min(ids) < 0:
        raise ScrapeError(f"article ids {ids[0]}..{ids[1]} are invalid; ids must be >= 0")
    scope = Scope(named_hosts=frozenset({host_of(site.base_url)}), site_hosts=site.hosts,
                  site_name=site.name)
    with RawStore(out_dir) as store:
        scraper = Scraper(store, Fetcher(settings, scope), progress)
        if ids is not None:
            step = 1 if ids[1] >= ids[0] else -1
            for article_id in range(ids[0], ids[1] + step, step):
                scraper.one(site.id_url(article_id))
            return scraper.summary()
        return _crawl_listing(scraper, site, pages)


def _crawl_listing(scraper: Scraper, site: Site, pages: int) -> ScrapeSummary:
    """Listing pages 1..pages, newest first, then the first ``listing_size`` articles of each
    (a page with more links is not a listing of releases, or a hostile one); when no page gives
    an article link, walk ids upward from the newest release already saved."""
    counts: Counter[str] = Counter()
    seen: set[str] = set()
    for page in range(1, pages + 1):
        url = site.listing_url(page)
        html = scraper.listing(url)
        if html is None:
            continue
        links = site.article_links(html, url)
        for href, reason in links.malformed:
            scraper.fail(href, f"{reason} (a link on the listing page {url})")
        if not links.articles:
            break  # the listing has ended
        counts["selector" if links.by_selector else "fallback"] += 1
        if not links.by_selector:
            logger.warning("listing page %s: the %s selector %r finds no article link; took the "
                           "%d links whose path matches the article pattern (update "
                           "pipeline/resources/sites/%s.toml)", url, site.name,
                           site.listing_links, len(links.articles), site.name)
        articles = links.articles
        if len(articles) > site.listing_size:  # a listing page lists listing_size releases
            logger.warning("listing page %s has %d article links, more than listing_size (%d); "
                           "following its first %d (if the site lists more a page, raise "
                           "listing_size in pipeline/resources/sites/%s.toml)", url,
                           len(articles), site.listing_size, site.listing_size, site.name)
            articles = articles[:site.listing_size]
        for link in articles:
            if link not in seen:
                seen.add(link)
                scraper.one(link)
    if not seen:
        counts["walked"] = _walk_ids(scraper, site, pages * site.listing_size)
    return scraper.summary(site=site.name, listing=counts)


def _walk_ids(scraper: Scraper, site: Site, budget: int) -> int:
    saved = [article_id for url in scraper.store.saved_urls
             if (article_id := site.article_id(url)) is not None]
    if not saved:
        scraper.fail(site.listing_url(1), f"no listing page gave an article link (selector "
                     f"{site.listing_links!r}, then any link matching {site.article.pattern!r}) "
                     "and no saved release gives an id to walk from; walk ids with --from-id N "
                     "--to-id M")
        return 0
    first = max(saved) + 1
    logger.warning("no listing page of %s gave an article link; walking up to %d ids from %d, "
                   "after the newest release saved", site.name, budget, first)
    walked = misses = 0
    for article_id in range(first, first + budget):
        walked += 1
        misses = misses + 1 if scraper.one(site.id_url(article_id)) == "failed" else 0
        if misses == MAX_MISSES:
            break
    return walked


def _clean_or_none(raw: str) -> str | None:
    try:
        return clean_url(raw)
    except BadUrl:
        return None
