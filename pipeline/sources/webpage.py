"""Main text of a saved web page: the press room's selectors, else trafilatura.

Bytes come in exactly as the server sent them; :mod:`pipeline.sources.decoding` reads them.
Paragraphs in :attr:`WebPage.text` are separated by a blank line, which the extraction stage
reads as a sentence end. A site's selectors that miss a page (the site changed its markup)
are not the end of it: the page goes to the generic extractor, with a warning, and
:attr:`WebPage.extractor` says which one read it. Inline ``data:`` URIs (an embedded image
can weigh megabytes, more than the parser takes in one attribute) are cut before parsing, and
a page whose only body is an ``<iframe srcdoc>`` is read from that document.
"""

from __future__ import annotations

import html as markup
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import trafilatura
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from pipeline.document.dates import SPANISH_DATE
from pipeline.sources.decoding import decode_html
from pipeline.sources.sites import Site, all_sites

logger = logging.getLogger(__name__)

_BLOCKS = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
           "blockquote", "pre", "section", "article", "table", "tr", "td", "th", "figure",
           "header", "footer", "main", "br", "hr"}
_META_DATES = ("article:published_time", "og:article:published_time", "datePublished",
               "date", "dc.date", "dc.date.issued", "pubdate", "publishdate")
# trafilatura's parser (libxml2) stops at 256 levels of nesting and drops what lies deeper;
# pages with unclosed tags go that deep. Deeper pages are flattened to this many levels first.
_MAX_DEPTH = 200
_PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "br"}
_VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
              "source", "track", "wbr"}
GENERIC = "generic"
# An inline data: URI worth cutting (a short one costs the parser nothing): in src, srcset,
# href or a style's url(…). "metadata:" does not match (no word boundary before "data").
_DATA_URI = re.compile(r"\bdata:[^\s\"'()<>]{256,}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class WebPage:
    title: str
    text: str  # body paragraphs separated by "\n\n"
    published_raw: str | None  # the date string as found in the page, for audit
    # Who read the body: a site adapter's name, "generic" (trafilatura), or
    # "generic (<site> did not match)" when the adapter's selectors missed the page.
    extractor: str = GENERIC
    decoding: str = "utf-8"  # how its bytes became text (pipeline.sources.decoding)


class NoBodyError(ValueError):
    """The page has no body text the extractor can find."""


def extract_webpage(data: bytes, *, url: str | None = None, charset: str | None = None,
                    source: str | None = None) -> WebPage:
    """Title, body text and raw publication date of one saved HTML page.

    Args:
        data: the page's bytes, untouched.
        url: where the page came from; picks the site adapter by host.
        charset: the charset the HTTP response declared, if any.
        source: how warnings name the page (its path); default the URL.

    Raises:
        NoBodyError: no body text, with the reason.

    >>> html = b'<div class="noticia-detalle"><h1 class="noticia-titulo">T</h1>'
    >>> html += b'<div class="noticia-contenido"><p>Uno.</p><p>Dos.</p></div></div>'
    >>> extract_webpage(html).text
    'Uno.\\n\\nDos.'
    """
    decoded = decode_html(data, charset, source=source or url or "page")
    text = _DATA_URI.sub("data:,", decoded.text)  # libxml2 drops a text node over 10 MB
    soup = BeautifulSoup(text, "lxml")
    site = _site_for(soup, url)
    return replace(_read(text, soup, site, url), decoding=decoded.encoding)


def _read(html: str, soup: BeautifulSoup, site: Site | None, url: str | None) -> WebPage:
    if site is None:
        return _extract_generic(html, soup, url)
    try:
        return _extract_with_site(soup, site)
    except NoBodyError as missed:
        logger.warning("%s: %s; reading it with the generic extractor instead (if the site "
                       "has changed, update pipeline/resources/sites/%s.toml)",
                       url or "a page", missed, site.name)
        try:  # parsed afresh: the adapter has cut chrome out of the first soup
            return _extract_generic(html, BeautifulSoup(html, "lxml"), url,
                                    extractor=f"{GENERIC} ({site.name} did not match)")
        except NoBodyError as also:
            raise NoBodyError(f"{missed}, and {also}") from None


def _site_for(soup: BeautifulSoup, url: str | None) -> Site | None:
    for site in all_sites():
        # The markup also counts for a known URL: mirrors and local copies keep the layout.
        if (url and site.owns(url)) or soup.select_one(site.marker) is not None:
            return site
    return None


def _extract_with_site(soup: BeautifulSoup, site: Site) -> WebPage:
    title_el, date_el = soup.select_one(site.title), soup.select_one(site.date)
    title = _squash(title_el.get_text(" ")) if title_el else _meta_title(soup)
    published = _squash(date_el.get_text(" ")) if date_el else _meta_date(soup)
    body = soup.select_one(site.body)
    if body is None:
        raise NoBodyError(f"no element matches the {site.name} body selector {site.body!r}")
    # The title and date line are fields of their own, not body text.
    for selector in (*site.drop, site.title, site.date):
        for element in body.select(selector):
            element.decompose()
    text = "\n\n".join(_paragraphs(body))
    if not text:
        raise NoBodyError(f"the {site.name} body element ({site.body!r}) holds no text")
    return WebPage(title=title, text=text, published_raw=published or None,
                   extractor=site.name)


def _extract_generic(html: str, soup: BeautifulSoup, url: str | None, *,
                     extractor: str = GENERIC) -> WebPage:
    """The page's main text by trafilatura; when it finds none, the document of the page's
    largest ``<iframe srcdoc>`` (a page that shows its body in one), under the page's title."""
    try:
        return _trafilatura_page(html, soup, url, extractor)
    except NoBodyError:
        documents = [str(frame["srcdoc"]) for frame in soup.find_all("iframe", srcdoc=True)]
        if not documents:
            raise
    inner = max(documents, key=len)
    page = _trafilatura_page(inner, BeautifulSoup(inner, "lxml"), url, extractor)
    return replace(page, title=_meta_title(soup) or page.title,
                   published_raw=_meta_date(soup) or page.published_raw)


def _trafilatura_page(html: str, soup: BeautifulSoup, url: str | None,
                      extractor: str) -> WebPage:
    title = _meta_title(soup)
    if _deeper_than(soup, _MAX_DEPTH):
        html = _flattened(soup, _MAX_DEPTH)
    with _trafilatura_quiet():
        document = trafilatura.bare_extraction(html, url=url, include_comments=False,
                                               include_tables=False, with_metadata=False)
    if document is None or document.body is None:
        raise NoBodyError("the generic extractor (trafilatura) found no main text")
    paragraphs = []
    for element in document.body.iter("p", "head", "item", "quote"):
        if element.tag == "quote" and len(element):
            continue  # its <p> children are visited on their own
        text = _squash(" ".join(element.itertext()))
        if text and not (element.tag == "head" and text == title):
            paragraphs.append(text)
    # Outlets often print the date line as the body's first paragraph; it is not the release.
    while paragraphs[:1] and len(paragraphs[0]) <= 80 and SPANISH_DATE.search(paragraphs[0]):
        del paragraphs[0]
    if not paragraphs:
        raise NoBodyError("the generic extractor (trafilatura) found no main text")
    return WebPage(title=title, text="\n\n".join(paragraphs),
                   published_raw=_meta_date(soup) or _visible_date(soup), extractor=extractor)


@contextmanager
def _trafilatura_quiet() -> Iterator[None]:
    """trafilatura logs its own verdicts ("discarding data: None"); the reject or the fallback
    warning says the same once, in the user's terms, so its lines show only with -v."""
    trafilatura_logger = logging.getLogger("trafilatura")
    if logger.isEnabledFor(logging.INFO):
        yield
        return
    level = trafilatura_logger.level
    trafilatura_logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        trafilatura_logger.setLevel(level)


def _deeper_than(root: Tag, limit: int) -> bool:
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in node.contents if isinstance(child, Tag))
    return False


def _flattened(root: Tag, limit: int) -> str:
    """The page's HTML with its nesting cut to ``limit`` levels: deeper wrappers give way to
    their content, paragraphs stay paragraphs. Iterative, so no depth can exhaust the stack."""
    out: list[str] = []
    stack: list[tuple[PageElement, int] | str] = [(child, 0) for child in reversed(root.contents)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        node, depth = item
        if isinstance(node, Tag):
            keep = depth < limit or node.name in _PARAGRAPH_TAGS
            if keep:
                attributes = "".join(
                    f' {name}="{markup.escape(value if isinstance(value, str) else " ".join(value))}"'
                    for name, value in node.attrs.items())
                out.append(f"<{node.name}{attributes}>")
                if node.name not in _VOID_TAGS:
                    stack.append(f"</{node.name}>")
            stack.extend((child, depth + keep) for child in reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            out.append(markup.escape(str(node), quote=False))
    return "".join(out)


def _paragraphs(root: Tag) -> list[str]:
    """Text of each block under ``root``, block boundaries becoming paragraph breaks."""
    paragraphs: list[str] = []
    pending: list[str] = []
    # Iterative, so that no depth of nesting exhausts the stack; None marks a block's end.
    stack: list[PageElement | None] = list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if node is None or (isinstance(node, Tag) and node.name in _BLOCKS):
            text = _squash("".join(pending))
            if text:
                paragraphs.append(text)
            pending.clear()
        if isinstance(node, Tag):
            if node.name in _BLOCKS:
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            pending.append(str(node))
    text = _squash("".join(pending))
    if text:
        paragraphs.append(text)
    return paragraphs


def _meta_title(soup: BeautifulSoup) -> str:
    for attrs in ({"property": "og:title"}, {"name": "twitter:title"}):
        tag = soup.find("meta", attrs=attrs)
        if tag and tag.get("content"):
            return _squash(str(tag["content"]))
    heading = soup.find("h1")
    if heading:
        return _squash(heading.get_text(" "))
    return _squash(soup.title.get_text()) if soup.title else ""


def _meta_date(soup: BeautifulSoup) -> str | None:
    for key in _META_DATES:
        for attr in ("property", "name", "itemprop"):
            tag = soup.find("meta", attrs={attr: key})
            if tag and tag.get("content"):
                return str(tag["content"]).strip()
    for value in _json_ld_dates(soup):
        return value
    time = soup.find("time", attrs={"datetime": True})
    return str(time["datetime"]).strip() if time else None


def _json_ld_dates(soup: BeautifulSoup) -> Iterator[str]:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except json.JSONDecodeError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    yield item["datePublished"].strip()
                stack.extend(v for k, v in item.items() if k in ("@graph", "mainEntity"))


def _visible_date(soup: BeautifulSoup) -> str | None:
    for string in soup.find_all(string=SPANISH_DATE):
        if string.parent and string.parent.name not in ("script", "style", "title"):
            match = SPANISH_DATE.search(str(string))
            if match:
                return match.group(0)
    return None


def _squash(text: str) -> str:
    return " ".join(text.split())
