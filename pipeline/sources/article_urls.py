"""Which URLs a sitemap or feed lists are articles, and which sitemaps list none.

A sitemap lists every page of a site: tag, category and author pages, paginated listings,
galleries and files beside the releases. courlan's filters know the English and German
shapes of those pages and media files; ``resources/not_article_paths.toml`` adds the
Spanish words. The rules look at the shape of a path (a group word and one more segment, a
page word and a number), never at one site's URLs.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from urllib.parse import parse_qsl, unquote, urlsplit

from courlan import is_navigation_page
from courlan.filters import extension_filter, path_filter, type_filter

from pipeline.config import RESOURCES_DIR

NOT_ARTICLE_PATHS = RESOURCES_DIR / "not_article_paths.toml"
_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$")


@dataclass(frozen=True, slots=True)
class PathWords:
    groups: frozenset[str]
    pages: frozenset[str]
    sections: frozenset[str]
    media: frozenset[str]
    sitemaps_without_articles: frozenset[str]


@cache
def path_words() -> PathWords:
    with NOT_ARTICLE_PATHS.open("rb") as handle:
        data = tomllib.load(handle)
    return PathWords(**{name: frozenset(data[name]) for name in PathWords.__slots__})


def looks_like_article(url: str) -> bool:
    """Whether a clean URL is an article's: not the home page, a section's front page, a
    tag, category or author page, a page of a listing, a gallery or a file.

    >>> looks_like_article("https://x.gob.mx/noticias/2024/03/firman-convenio")
    True
    >>> [looks_like_article("https://x.gob.mx" + path) for path in (
    ...     "/", "/noticias/", "/etiqueta/violencia/", "/noticias/pagina/2",
    ...     "/galeria/desfile", "/informe.pdf", "/tag/mujeres/")]
    [False, False, False, False, False, False, False]
    """
    parts = urlsplit(url)
    if not (type_filter(url, strict=True) and extension_filter(parts.path)
            and path_filter(parts.path, parts.query)) or is_navigation_page(url):
        return False
    words = path_words()
    segments = _segments(parts.path)
    if not parts.query and (not segments or segments[-1] in words.sections):
        return False  # the home page, a section's front page, a page of the site
    if segments and segments[-1] in words.groups:
        return False
    if len(segments) > 1 and (segments[-2] in words.groups
                              or (segments[-2] in words.pages and segments[-1].isdigit())):
        return False
    if any(segment in words.media for segment in segments):
        return False
    return not any(_fold(name) in words.pages and value.strip().isdigit()
                   for name, value in parse_qsl(parts.query))


def lists_articles(sitemap_url: str) -> bool:
    """False for a sitemap whose file name says it lists tags, categories, authors or
    static pages.

    >>> [lists_articles(f"https://x.mx/{name}") for name in (
    ...     "post-sitemap2.xml", "wp-sitemap-posts-post-1.xml", "post_tag-sitemap.xml",
    ...     "wp-sitemap-posts-page-1.xml", "sitemap.xml?page=2")]
    [True, True, False, False, True]
    """
    name = urlsplit(sitemap_url).path.rsplit("/", 1)[-1]
    return not any(_fold(word) in path_words().sitemaps_without_articles
                   for word in re.split(r"[-_.]", name))


def _segments(path: str) -> list[str]:
    return [_EXTENSION.sub("", _fold(segment)) for segment in path.split("/") if segment]


def _fold(text: str) -> str:
    """Lower case, percent-decoded, without accents: "Categor%C3%ADa" → "categoria"."""
    decomposed = unicodedata.normalize("NFKD", unquote(text).lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
