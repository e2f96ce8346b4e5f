"""Reduce a raw release to its own words: title, publication date and body text.

Text files follow the press-room layout when they have one (section header, title, a Spanish
date line, optional subtitle, body, then page chrome); other texts are taken whole. HTML goes
through :mod:`pipeline.sources.webpage`. Paragraphs are joined by a blank line so that extraction can
end sentences there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache

from charset_normalizer import from_bytes

from pipeline.config import RESOURCES_DIR
from pipeline.document.dates import NUMERIC_DATE, SHORT_DATE, SPANISH_DATE, parse_date
from pipeline.knowledge import data_lines
from pipeline.records import Article, RawDocument

# The archive that stored some releases prefixes them with " date 2025-08-08" (or a bare month).
_ARCHIVE_DATE = re.compile(r"^\s*date (\d{4}-\d\d(?:-\d\d)?)\b\s*")
_HEADER_LINES = 8  # a date line further down is part of the body, not the header
_DATE_LINE_MAX = 60  # "Miércoles 7 de Diciembre del 2022, 12:18" and little else


class CleanError(ValueError):
    """The input holds no usable release; the message says why."""


@dataclass(frozen=True, slots=True)
class _Chrome:
    end: tuple[re.Pattern[str], ...]
    drop: tuple[re.Pattern[str], ...]


@cache
def _chrome() -> _Chrome:
    rules: dict[str, list[re.Pattern[str]]] = {"end": [], "drop": []}
    path = RESOURCES_DIR / "chrome.tsv"
    for number, line in data_lines(path):
        kind, _, pattern = line.partition("\t")
        if kind not in rules or not pattern:
            raise ValueError(f"{path}:{number}: expected 'end|drop<TAB>regex', got {line!r}")
        rules[kind].append(re.compile(pattern, re.IGNORECASE))
    return _Chrome(tuple(rules["end"]), tuple(rules["drop"]))


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM), else Windows-1252, else detected."""
    if b"\x00" in data:
        raise CleanError("binary file (contains NUL bytes), not a text release")
    # Spanish text that is not UTF-8 is, in practice, Windows-1252 (or its subset Latin-1);
    # generic detection mistakes it for Central European code pages and turns ñ into ń.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None:
        raise CleanError("undecodable bytes: neither UTF-8 nor Windows-1252, and no charset "
                         "detected")
    return str(best)


def _is_date_line(line: str) -> bool:
    if len(line) > _DATE_LINE_MAX:
        return False
    return any(p.search(line) for p in (SPANISH_DATE, NUMERIC_DATE, SHORT_DATE))


def _body_lines(text: str) -> list[str]:
    """Non-empty lines of the release, chrome dropped and footer cut off."""
    chrome = _chrome()
    lines: list[str] = []
    for raw_line in text.splitlines():
        line = " ".join(raw_line.split())
        if not line or any(p.fullmatch(line) for p in chrome.drop):
            continue
        if any(p.fullmatch(line) for p in chrome.end):
            if lines:
                break
            continue  # a menu item above the release, not its end
        lines.append(line)
    return lines


def _split_header(lines: list[str]) -> tuple[str | None, str | None, list[str]]:
    """``(title, date_line, body_lines)`` for the press-room layout, else ``(None, None, lines)``."""
    for index, line in enumerate(lines[:_HEADER_LINES]):
        if _is_date_line(line):
            if index == 0:
                return None, line, lines[1:]
            return lines[0], line, lines[1:index] + lines[index + 1:]
        if len(line) > 200:  # the body has begun
            break
    return None, None, lines


def _published(raw: str | None, base: date | None = None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        return parse_date(raw, base=base, errors="null")


def _article(raw: RawDocument, *, text: str, title: str | None, published_raw: str | None,
             min_chars: int, extractor: str = "text") -> Article:
    text = unicodedata.normalize("NFC", text)
    archived = _ARCHIVE_DATE.match(text)
    if archived:
        text = text[archived.end():]
        if len(archived.group(1)) == 10 and not published_raw:  # a bare month says too little
            published_raw = archived.group(1)
    lines = _body_lines(text)
    header_title, date_line, body = _split_header(lines) if title is None else (None, None, lines)
    published_raw = published_raw or date_line
    body_text = "\n\n".join(body)
    if len(body_text) < min_chars:
        raise CleanError(f"no text: the body has {len(body_text)} characters "
                         f"(minimum {min_chars})")
    title = title or header_title or (body[0][:200] if body else "")
    return Article(doc_id=raw.doc_id, path=raw.path, url=raw.url, title=title, text=body_text,
                   published=_published(published_raw), published_raw=published_raw,
                   extractor=extractor)


def clean(raw: RawDocument, *, min_chars: int = 40) -> Article:
    """Turn one raw input into an :class:`Article`, or raise :class:`CleanError`."""
    if raw.fmt == "html":
        # Web pages alone need bs4 and trafilatura: a run on text files never imports them.
        from pipeline.sources.webpage import NoBodyError, extract_webpage

        try:
            page = extract_webpage(raw.data, url=raw.url, charset=raw.charset)
        except NoBodyError as exc:
            raise CleanError(str(exc)) from None
        return _article(raw, text=page.text, title=page.title or None,
                        published_raw=raw.published_raw or page.published_raw,
                        min_chars=min_chars, extractor=page.extractor)
    text = decode_text(raw.data)
    return _article(raw, text=text, title=raw.title, published_raw=raw.published_raw,
                    min_chars=min_chars)
