"""Site adapters: a press room's URL patterns and CSS selectors, read from a data file.

Each adapter is ``pipeline/resources/sites/<name>.toml``; a change of the site's markup or URLs
is an edit there. :mod:`pipeline.sources.scrape` uses the URL side (listing pages, id walking) and
:mod:`pipeline.sources.webpage` the selector side.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from pipeline.config import RESOURCES_DIR
from pipeline.errors import UserError

SITES_DIR = RESOURCES_DIR / "sites"


class SiteError(UserError, ValueError):
    """An adapter name or file the pipeline cannot use."""


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    base_url: str
    hosts: frozenset[str]
    article: re.Pattern[str]  # matches an article's path; group `id`
    article_by_id: str  # path template with {id}
    listing_first: str
    listing_page: str  # path template with {page}
    marker: str
    title: str
    date: str
    body: str
    drop: tuple[str, ...]
    listing_links: str

    def with_base_url(self, base_url: str) -> Site:
        """The same adapter pointed at a mirror or a local server."""
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SiteError(f"base URL {base_url!r} is invalid; "
                            "give an absolute http(s) URL such as https://www.juarez.gob.mx")
        return replace(self, base_url=base_url.rstrip("/"))

    def owns(self, url: str) -> bool:
        """True if the URL's host is this press room's."""
        return (urlsplit(url).hostname or "").lower() in self.hosts

    def is_article(self, url: str) -> bool:
        return self.article.match(urlsplit(url).path) is not None

    def id_url(self, article_id: int) -> str:
        return self.base_url + self.article_by_id.format(id=article_id)

    def listing_url(self, page: int) -> str:
        path = self.listing_first if page == 1 else self.listing_page.format(page=page)
        return self.base_url + path

    def article_links(self, html: bytes, page_url: str) -> list[str]:
        """Absolute article URLs linked from a listing page, in page order, once each."""
        soup = BeautifulSoup(html, "lxml")
        links = (urljoin(page_url, a["href"]).split("#")[0]
                 for a in soup.select(self.listing_links))
        return list(dict.fromkeys(link for link in links if self.is_article(link)))


def listing_articles(site: Site, pages: int,
                     fetch: Callable[[str], bytes | None]) -> Iterator[str]:
    """Article URLs from listing pages 1..pages, newest first, each once.

    ``fetch`` returns a listing page's bytes, or None when it could not be had (the caller
    records why). Stops early at a page with no article links: the listing has ended.
    """
    seen: set[str] = set()
    for page in range(1, pages + 1):
        url = site.listing_url(page)
        html = fetch(url)
        if html is None:
            continue
        links = site.article_links(html, url)
        if not links:
            break
        for link in links:
            if link not in seen:
                seen.add(link)
                yield link


def id_articles(site: Site, first: int, last: int) -> Iterator[str]:
    """Article URLs for ids first..last (either order), requested by id alone."""
    step = 1 if last >= first else -1
    return (site.id_url(article_id) for article_id in range(first, last + step, step))


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
            marker=sel["marker"], title=sel["title"], date=sel["date"], body=sel["body"],
            drop=tuple(sel["drop"]), listing_links=sel["listing_links"],
        )
    except KeyError as exc:
        raise SiteError(f"site file {path} lacks the key {exc}; see juarez.toml for the layout") \
            from None
