"""A release's title: its headline when the input has one, else one made from its URL's slug
or its first sentence; never a byline, a site name or a date line.

``title_source`` (documents.csv) says which: ``metadata`` or ``manifest`` (given with the
input), ``headline`` (the page's ``<h1>``/``og:title``, the press-room title line, the first
short line of a text that reads as a headline), ``url`` (the slug, its words spelt as the
body spells them), ``sentence`` (the first sentence, cut at a word boundary with "…").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from pipeline.document.dates import is_date_line
from pipeline.knowledge import fold

TITLE_MAX = 120  # characters of a title made from a sentence, "…" included
_HEADLINE_MAX = 200
_BULLETS = " \t-–—•·*"
# Function words are lower case inside a Spanish headline; capitalised, the line is a menu,
# a slogan or a site's tagline ("Fronteratv Con Alma Electrónica").
_FUNCTION_WORDS = frozenset({"de", "del", "la", "las", "los", "el", "en", "con", "y", "a", "al",
                             "para", "por", "un", "una", "que", "se"})
_BYLINE = re.compile(r"^(?:por|texto|textos|fotos?|fotograf[ií]as?|redacci[oó]n|staff|"
                     r"agencias?|reportero|reportera|corresponsal|publicado)\b", re.IGNORECASE)
# "Ciudad Juárez.- ", "Ciudad Juárez, Chih. (ADN/Staff) – ", "MAZATLÁN._ ": the dateline.
_DATELINE = re.compile(r"^[^\n]{2,80}?(?:\.[^\S\n]*[-–—_]+\*?|[^\S\n][-–—]+|[-–—]+(?=\s))"
                       r"[^\S\n]*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«“\"¿¡(A-ZÁÉÍÓÚÑ0-9])")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Ids and stamps that end a slug: "-1562265", "-20190914", "-0033", "-MG17991508", "amp";
# a year ("-en-2024") is a word of the headline.
_SLUG_NOISE = re.compile(r"^(?:[a-z]{0,3}\d{5,}|(?!(?:19|20)\d\d$)\d+|amp|index|html?)$")


def _words(line: str) -> list[str]:
    return line.split()


def is_site_name(line: str, *, url: str | None = None, source: str | None = None) -> bool:
    """Whether ``line`` is the outlet's name: its URL's host or the manifest's source.

    >>> is_site_name("ÉxodoJuárez", url="https://exodojuarez.com.mx/2025/04/21/x")
    True
    """
    key = fold(line).replace(" ", "")
    hosts = [urlsplit(url).hostname or "" if url else "", source or ""]
    labels = {label for host in hosts for label in host.lower().split(".")
              if len(label) > 3 and label not in ("www", "gob", "com", "org", "noticias")}
    return bool(key) and any(key == label or key == label.replace("-", "") for label in labels)


def is_byline(line: str) -> bool:
    """"Por Eva Ramírez", "Redacción", "Alejandra Carreón / El Heraldo de Juárez", or a bare
    name of two to four capitalised words."""
    text = line.strip(_BULLETS)
    words = _words(text)
    if _BYLINE.match(text) or " / " in text:
        return True
    return 2 <= len(words) <= 4 and all(w[:1].isupper() or w in ("de", "del", "la")
                                        for w in words) and not any(c.isdigit() for c in text)


def reads_as_headline(line: str, *, url: str | None = None, source: str | None = None) -> bool:
    """A short line that reads as a headline: a few words, capitalised like a sentence, not a
    sentence of the body, a byline, a site name, page chrome or a date line."""
    text = line.strip(_BULLETS)
    words = _words(text)
    if not 3 <= len(words) <= 30 or not 12 <= len(text) <= _HEADLINE_MAX:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "«“\"'‘¿¡"):
        return False
    if text.endswith((".", ":", ",", ";")) or " | " in text or " - " in text:
        return False
    if _DATELINE.match(text) or is_date_line(text) or is_byline(text) or \
            is_site_name(text, url=url, source=source):
        return False
    return not any(word[:1].isupper() and word.lower() in _FUNCTION_WORDS for word in words[1:])


def clean_given(title: str, *, url: str | None = None, source: str | None = None) -> str | None:
    """A title the input gives (``og:title``, ``<h1>``, a manifest), without a trailing
    " | Site" or " - Site"; None when it is only a site name, a byline or a date."""
    title = " ".join(title.split())
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and len(_words(parts[-1])) <= 5 and len(_words(" ".join(parts[:-1]))) >= 3:
        title = " - ".join(parts[:-1])
    if not title or is_site_name(title, url=url, source=source) or is_byline(title) \
            or is_date_line(title) and len(_words(title)) <= 6:
        return None
    return title


def sentence_title(paragraphs: Sequence[str]) -> str:
    """The body's first sentence without its dateline, cut at a word boundary with "…".

    >>> sentence_title(["Ciudad Juárez.- El Instituto inauguró una sala. Luego habló."])
    'El Instituto inauguró una sala'
    """
    lines: list[str] = []
    for paragraph in paragraphs:  # hard-wrapped text: a sentence goes on in lower case
        if lines and (lines[-1].endswith((".", "!", "?", "”", '"'))
                      or not paragraph[:1].islower()):
            break
        lines.append(paragraph.strip(_BULLETS))
    text = _DATELINE.sub("", " ".join(lines), count=1)
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) <= TITLE_MAX:
        return sentence.rstrip(".")
    cut = sentence[:TITLE_MAX - 1]
    cut = cut[:cut.rfind(" ")] if " " in cut else cut
    return cut.rstrip(" ,;:-–—(") + "…"


def slug_title(url: str | None, body: str) -> str | None:
    """The headline a URL's slug spells ("invita-imm-a-talleres" → "Invita IMM a talleres"),
    each word spelt as the body spells it; None without a slug of four words or more."""
    if not url:
        return None
    segments = [s for s in unquote(urlsplit(url).path).split("/") if s]
    for segment in reversed(segments):
        if re.search(r"[a-z][A-Z]", segment):
            return None  # mangled accents ("d%C3%ADa" saved as "dA-a"): no reliable headline
        stem = re.sub(r"\.[a-z]{3,4}$", "", segment.lower())
        tokens = [t for t in re.split(r"[-_]+", stem) if t]
        while tokens and _SLUG_NOISE.match(tokens[-1]):  # ids and date stamps at the end
            tokens.pop()
        if sum(t.isalpha() for t in tokens) >= 4:
            break
    else:
        return None
    if not all(re.fullmatch(r"[a-z0-9ñáéíóúü]+", t) for t in tokens):
        return None  # characters no Spanish word has ("viol%c9%99ncia")
    return _spelt_as_in(body, tokens)


def _spelt_as_in(body: str, tokens: list[str]) -> str:
    """The slug's words as the body writes them, after the same word where it can ("de las
    Mujeres", "en Ciudad Juárez"); a sentence's first word counts in lower case."""
    alone: dict[str, Counter[str]] = {}
    after: dict[tuple[str, str], Counter[str]] = {}
    previous = ""
    for match in _WORD.finditer(body):
        word, key = match.group(), fold(match.group())
        opening = body[max(0, match.start() - 2):match.start()].strip() in (".", "", "-", "“",
                                                                              '"', "«")
        form = word.lower() if opening and not word.isupper() else word
        alone.setdefault(key, Counter())[form] += 1
        after.setdefault((previous, key), Counter())[form] += 1
        previous = key
    spelt = []
    for index, token in enumerate(tokens):
        context = after.get((tokens[index - 1] if index else "", token)) or alone.get(token)
        spelt.append(context.most_common(1)[0][0] if context else token)
    title = " ".join(spelt)
    return title[:1].upper() + title[1:]


def choose_title(*, given: str | None, given_source: str, header: Sequence[str],
                 body: Sequence[str], url: str | None, source: str | None) -> tuple[str, str]:
    """``(title, title_source)`` for one release (see the module docstring)."""
    if given and (cleaned := clean_given(given, url=url, source=source)):
        return cleaned, given_source
    for line in header:
        if reads_as_headline(line, url=url, source=source):
            return line.strip(_BULLETS), "headline"
    from_slug = slug_title(url, "\n".join(body))
    if from_slug:
        return from_slug, "url"
    # The header's lines (a byline, the outlet, a subtitle) open the body: start after them.
    return sentence_title(body[len(header):] or body), "sentence"
