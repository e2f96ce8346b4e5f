"""Reduce a raw release to its own words: title, publication date and body text.

Text files follow the press-room layout when they have one (section header, title, a Spanish
date line, optional subtitle, body, then page chrome); other texts are taken whole. HTML goes
through :mod:`pipeline.sources.webpage`. Words broken over two lines are joined and
paragraphs wrapped at a fixed width become one line (:mod:`pipeline.document.line_breaks`);
paragraphs are joined by a blank line so that extraction can end sentences there.

The publication date is the first of: the one given with the input (a jsonl ``published``,
a manifest's), an archive's " date 2025-08-08" prefix, the date line or the page's date
(``text``, or ``metadata`` for a page's ISO meta date), a dateline or a byline's date in
the first lines (:mod:`pipeline.document.datelines`: "Acapulco, Gro., 01 de marzo de
2022.-", "Juan Pérez, 29 de noviembre de 2022"), the day written in the URL (``url``); its
source is ``published_source``. A site's "today" header above the headline is chrome when
the dateline or the URL contradicts it. The title: :mod:`pipeline.document.titles`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.document.dates import is_date_line, parse_date
from pipeline.document.datelines import dated_dateline, read_dateline
from pipeline.document.line_breaks import join_broken_lines
from pipeline.document.titles import choose_title
from pipeline.document.years import url_day
from pipeline.knowledge import data_lines
from pipeline.records import Article, RawDocument
from pipeline.sources.decoding import DecodingError, decode_text

# The archive that stored some releases prefixes them with " date 2025-08-08" (or a bare month).
_ARCHIVE_DATE = re.compile(r"^\s*date (\d{4}-\d\d(?:-\d\d)?)\b\s*")
_HEADER_LINES = 8  # a date line further down is part of the body, not the header
_BODY_WORDS = 25  # a header line is short: a sentence this long has begun the body
# "Ciudad Juárez.- ", "Redacción._ ": a line that opens with a few words and a dash.
_DASHED_OPENING = re.compile(r"^[^.]{2,60}?\.\s*[-–—_]")
_ISO_DAY = re.compile(r"^\d{4}-\d\d-\d\d")


class CleanError(ValueError):
    """The input holds no usable release; the message says why."""


@dataclass(frozen=True, slots=True)
class _Chrome:
    end: tuple[re.Pattern[str], ...]
    drop: tuple[re.Pattern[str], ...]
    caption: re.Pattern[str]
    lead: re.Pattern[str]
    tail: re.Pattern[str]


_CHROME_KINDS = ("end", "drop", "caption", "lead", "tail")
_CHROME_LINE_WORDS = 12  # a line this short may be chrome whole; a longer one is body text
_CREDIT_WORDS = 4  # "Foto: Juan Pérez / Staff." is a credit; a longer run is body text
_CREDIT = re.compile(r"[^.!?]*?[.!?](?=\s|$)\s*")


@cache
def _chrome() -> _Chrome:
    rules: dict[str, list[str]] = {kind: [] for kind in _CHROME_KINDS}
    path = RESOURCES_DIR / "chrome.tsv"
    for number, line in data_lines(path):
        kind, _, pattern = line.partition("\t")
        if kind not in rules or not pattern:
            raise ValueError(f"{path}:{number}: expected '{'|'.join(_CHROME_KINDS)}<TAB>regex', "
                             f"got {line!r}")
        rules[kind].append(pattern)

    def whole(kind: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(p, re.IGNORECASE) for p in rules[kind])

    def one(kind: str, template: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
        return re.compile(template.format("|".join(rules[kind]) or "(?!)"), flags)

    # A lead word goes only before a capital ("Arriba Juan Pérez", not "arriba de 300"); a
    # tail only as written, capitalised ("Juan Pérez Relacionadas", not "personas
    # relacionadas").
    return _Chrome(whole("end"), whole("drop"), one("caption", r"(?:{})\s*"),
                   one("lead", r"(?:{})\s+(?=(?-i:[A-ZÁÉÍÓÚÑ¿¡\"“«]))"),
                   one("tail", r"\s+(?:{})\s*$", flags=0))


def _unglued(line: str, chrome: _Chrome) -> tuple[str, bool]:
    """``line`` without the chrome glued to its start or end, and whether the release ends
    after it: "Foto: Staff. El alcalde…" → "El alcalde…"; "Arriba Juan Pérez" → "Juan
    Pérez"; "Juan Pérez Relacionadas" → "Juan Pérez", and the release ends."""
    if caption := chrome.caption.match(line):
        line = line[caption.end():]
        credit = _CREDIT.match(line)
        if credit and len(credit.group().split()) <= _CREDIT_WORDS:
            line = line[credit.end():]
    elif lead := chrome.lead.match(line):
        line = line[lead.end():]
    tail = chrome.tail.search(line)
    return (line[:tail.start()], True) if tail else (line, False)


def _body_lines(text: str) -> list[str]:
    """Non-empty lines of the release, chrome dropped (short lines whole, markers glued to
    longer ones alone) and footer cut off."""
    chrome = _chrome()
    lines: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        short = len(line.split()) <= _CHROME_LINE_WORDS
        if not line or short and any(p.fullmatch(line) for p in chrome.drop):
            continue
        if short and any(p.fullmatch(line) for p in chrome.end):
            if lines:
                break
            continue  # a menu item above the release, not its end
        line, ends = _unglued(line, chrome)
        if line:
            lines.append(line)
        if ends and lines:
            break
    return lines


def _starts_body(line: str) -> bool:
    dateline = read_dateline(line)
    return len(line) > 200 or len(line.split()) >= _BODY_WORDS or bool(
        dateline and dateline.day) or bool(_DASHED_OPENING.match(line))


def _split_header(lines: list[str]) -> tuple[list[str], str | None, list[str]]:
    """``(header lines, date line, body lines)``: the short lines before the body begins, and
    the press-room date line among them, which leaves the body."""
    end = next((i for i, line in enumerate(lines[:_HEADER_LINES]) if _starts_body(line)),
               min(len(lines), _HEADER_LINES))
    at = next((i for i in range(end) if is_date_line(lines[i])), None)
    if at is None:
        return lines[:end], None, lines
    return lines[:at] + lines[at + 1:end], lines[at], lines[:at] + lines[at + 1:]


def _published(candidates: list[tuple[str | None, str, date | None]]
               ) -> tuple[date | None, str | None, str]:
    """``(published, published_raw, published_source)`` from the first candidate that reads
    as a full date (or comes with its day read, as a dateline's); without one, the first raw
    string is kept for audit (an archive's bare month among them, which dates the release's
    days by month)."""
    for raw, source, read in candidates:
        if not raw:
            continue
        try:
            day = read or date.fromisoformat(raw[:10])
        except ValueError:
            day = parse_date(raw, errors="null")
        if day is not None:
            return day, raw, "metadata" if source == "text" and _ISO_DAY.match(raw) else source
    return None, next((raw for raw, _, _ in candidates if raw), None), ""


def _today_header(lines: list[str], date_line: str, headline: str | None,
                  others: list[date]) -> bool:
    """A site's "today" header, not the release's date: a date line above the headline
    (the first line, when no headline is found) that the release's other evidence
    contradicts, a dateline's or a byline's date or the URL's day ("miércoles, 15 de mayo
    de 2024" over a release whose byline says 29 de noviembre de 2022)."""
    day = parse_date(date_line, errors="null")
    at = lines.index(date_line)
    above = at == 0 if headline is None else at < lines.index(headline)
    return above and day is not None and bool(others) and day not in others


def _without(lines: list[str], line: str) -> list[str]:
    at = lines.index(line)
    return lines[:at] + lines[at + 1:]


def _article(raw: RawDocument, *, text: str, title: str | None, title_source: str,
             page_date: str | None = None, min_chars: int,
             extractor: str = "text") -> Article:
    text = unicodedata.normalize("NFC", text)
    archived = _ARCHIVE_DATE.match(text)
    if archived:
        text = text[archived.end():]
    lines = _body_lines(join_broken_lines(text))
    header, date_line, body = _split_header(lines) if raw.fmt != "html" else ([], None, lines)
    chosen, chosen_source = choose_title(given=title, given_source=title_source, header=header,
                                         body=body, url=raw.url, source=raw.source)
    headline = next((line for line in header if line.strip(" \t-–—•·*") == chosen), None)
    if date_line is not None and chosen_source == "headline" and headline is not None:
        body = _without(body, headline)  # the press-room title line is not body text
    body_text = "\n\n".join(body)
    if len(body_text) < min_chars:
        raise CleanError(f"no text: the body has {len(body_text)} characters "
                         f"(minimum {min_chars})")
    dateline = dated_dateline(body_text)
    dateline_raw = body_text[dateline.date_start:dateline.date_end] if dateline else None
    from_url = url_day(raw.url)
    others = [day for day in (dateline and dateline.day, from_url) if day is not None]
    if date_line is not None and _today_header(lines, date_line, headline, others):
        date_line = None
    day, day_raw, day_source = _published([
        (raw.published_raw, raw.published_source, None),
        (archived.group(1) if archived else None, "metadata", None),
        (page_date, "text", None), (date_line, "text", None),
        (dateline_raw, "text", dateline and dateline.day),
        (from_url.isoformat() if from_url else None, "url", from_url)])
    return Article(doc_id=raw.doc_id, path=raw.path, url=raw.url, title=chosen, text=body_text,
                   published=day, published_raw=day_raw, published_source=day_source,
                   title_source=chosen_source, extractor=extractor)


def clean(raw: RawDocument, *, min_chars: int = 40) -> Article:
    """Turn one raw input into an :class:`Article`, or raise :class:`CleanError`."""
    if raw.fmt == "html":
        # Web pages alone need bs4 and trafilatura: a run on text files never imports them.
        from pipeline.sources.webpage import NoBodyError, extract_webpage

        try:
            page = extract_webpage(raw.data, url=raw.url, charset=raw.charset,
                                   source=raw.path)
        except NoBodyError as exc:
            raise CleanError(str(exc)) from None
        title, source = (raw.title, raw.title_source) if raw.title else (page.title, "headline")
        return replace(_article(raw, text=page.text, title=title or None, title_source=source,
                                page_date=page.published_raw, min_chars=min_chars,
                                extractor=page.extractor), decoding=page.decoding)
    try:
        decoded = decode_text(raw.data, source=raw.path)
    except DecodingError as exc:
        raise CleanError(str(exc)) from None
    return replace(_article(raw, text=decoded.text, title=raw.title,
                            title_source=raw.title_source, min_chars=min_chars),
                   decoding=raw.decoding or decoded.encoding)
