"""Site adapters: a press room's URL patterns and CSS selectors, read from a data file.

Each adapter is ``pipeline/resources/sites/<name>.toml``; a change of the site's markup or URLs
is an edit there. :mod:`pipeline.sources.scrape` uses the URL side (listing pages, id walking) and
:mod:`pipeline.sources.webpage` the selector side. Both fail open: when the selectors miss, the
scraper takes every link that looks like an article and the page reader the generic extractor.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from pipeline.config import RESOURCES_DIR
from pipeline.errors import UserError
from pipeline.sources.urls import BadUrl, MalformedUrl, clean_url, host_of, redact

SITES_DIR = RESOURCES_DIR / "sites"


class SiteError(UserError, ValueError):
    """An adapter name or file the pipeline cannot use."""


@dataclass(frozen=True, slots=True)
class ListingLinks:
    """The article links of one listing page."""

    articles: tuple[str, ...]  # clean URLs on the site's hosts, in page order, once each
    malformed: tuple[tuple[str, str], ...]  # (href without credentials, why it is no URL)
    by_selector: bool  # False: the selector found none; these are every matching link


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    base_url: str
    hosts: frozenset[str]
    article: re.Pattern[str]  # matches an article's path; group `id`
    article_by_id: str  # path template with {id}
    listing_first: str
    listing_page: str  # path template with {page}
    listing_size: int  # releases per listing page: ids to walk per page when listings fail
    marker: str
    title: str
    date: str
    body: str
    drop: tuple[str, ...]
    listing_links: str

    def with_base_url(self, base_url: str) -> Site:
        """The same adapter pointed at a mirror or a local server, whose host joins its own."""
        try:
            clean = clean_url(base_url)
        except BadUrl:
            raise SiteError(f"base URL {base_url!r} is invalid; give an absolute http(s) URL "
                            "such as https://www.juarez.gob.mx") from None
        return replace(self, base_url=clean.rstrip("/"), hosts=self.hosts | {host_of(clean)})

    def owns(self, url: str) -> bool:
        """True if the URL's host is this press room's."""
        try:
            return (urlsplit(url).hostname or "") in self.hosts
        except ValueError:  # a malformed URL is nobody's
            return False

    def article_id(self, url: str) -> int | None:
        """The release id of an article URL of this site, else None."""
        match = self.article.match(urlsplit(url).path) if self.owns(url) else None
        return int(match.group("id")) if match else None

    def id_url(self, article_id: int) -> str:
        return self.base_url + self.article_by_id.format(id=article_id)

    def listing_url(self, page: int) -> str:
        path = self.listing_first if page == 1 else self.listing_page.format(page=page)
        return self.base_url + path

    def article_links(self, html: bytes, page_url: str) -> ListingLinks:
        """The article links of a listing page: those the listing selector finds, else (the
        markup has changed) every link on the page whose URL is one of the site's articles.
        """
        soup = BeautifulSoup(html, "lxml")
        chosen = self._articles(soup.select(self.listing_links), page_url)
        if chosen.articles:
            return chosen
        return replace(self._articles(soup.select("a[href]"), page_url), by_selector=False)

    def _articles(self, anchors: list[Tag], page_url: str) -> ListingLinks:
        articles: dict[str, None] = {}
        malformed: list[tuple[str, str]] = []
        for anchor in anchors:
            href = str(anchor.get("href", ""))
            try:
                link = clean_url(href, base=page_url)
            except MalformedUrl as exc:
                malformed.append((redact(href), str(exc)))
                continue
            except BadUrl:
                continue  # mailto:, javascript:, …: not a page
            if self.article_id(link) is not None:
                articles[link] = None
        return ListingLinks(tuple(articles), tuple(malformed), by_selector=True)


@cache
def load_site(name: str) -> Site:
    """Read the adapter ``resources/sites/<name>.toml``.

    >>> load_site("juarez").listing_url(2)
    'https://www.juarez.gob.mx/noticias/page/2/'
    """
    path = SITES_DIR / f"{name}.toml"
    if not re.fullmatch(r"[a-z0-9_-]+", name) or not path.is_file():
        raise SiteError(f"site {name!r} is unknown; known sites: {', '.join(site_names())}")
    return _parse(path)


def site_names() -> list[str]:
    return sorted(p.stem for p in SITES_DIR.glob("*.toml"))


@cache
def all_sites() -> tuple[Site, ...]:
    return tuple(load_site(name) for name in site_names())


def _parse(path: Path) -> Site:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        urls, sel = data["urls"], data["selectors"]
        return Site(
            name=data["name"], base_url=data["base_url"].rstrip("/"),
            hosts=frozenset(h.lower() for h in data["hosts"]),
            article=re.compile(urls["article"]), article_by_id=urls["article_by_id"],
            listing_first=urls["listing_first"], listing_page=urls["listing_page"],
            listing_size=int(urls["listing_size"]),
            marker=sel["marker"], title=sel["title"], date=sel["date"], body=sel["body"],
            drop=tuple(sel["drop"]), listing_links=sel["listing_links"],
        )
    except KeyError as exc:
        raise SiteError(f"site file {path} lacks the key {exc}; see juarez.toml for the layout") \
            from None
