"""The year of each written date, from the evidence a release carries (never the clock).

In order: a year written with the date ("8 de marzo de 2024", ``text``); the publication
date (``published``, or ``url`` when the date came from the URL), to which a day-month is
resolved in the year that puts it nearest, or after/before it for "el próximo"/"el pasado";
the month of publication when only that is known (an archive's "date 2024-02", a URL's
``/2024/11/``); a year written in the same sentence, or the only year written in the release
(``text``); the weekday, among the years near those written in the release ("viernes 8 de
marzo" → the year in which 8 March is a Friday, ``weekday``). Otherwise the date has no
value (``none``). Relative days ("ayer", "este sábado") count from the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import unquote, urlsplit

from pipeline.document.dates import Written, make_date, nearest
from pipeline.records import Article, YearSource

_WRITTEN_YEAR = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20\d\d)(?![\d.,]\d)")
_ARCHIVE_MONTH = re.compile(r"^((?:19|20)\d\d)-(\d\d)$")
# A day in a URL: /2023/11/21/, /2026/3/3/, /nota/2023-11-30/, -20190914-; a month: /2024/11/.
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:/(\d\d?)/(\d\d?)(?=/|$|[^\d])"
                      r"|-(\d\d)-(\d\d)(?=/|$|[^\d])|(\d\d)(\d\d)(?=[-_/.]|$))")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(\d\d?)(?=/)")
_DIRECTION = re.compile(r"(?<!\w)(pr[oó]ximo|pasado)\s+$", re.IGNORECASE)
_WEEKDAY_REACH = 2  # years either side of a written year in which a weekday may place a date


@dataclass(frozen=True, slots=True)
class Evidence:
    """What a release says about when it was written."""

    published: date | None = None
    published_source: YearSource = "published"  # or "url"
    month: tuple[int, int] | None = None  # publication (year, month) when no day is known
    month_source: YearSource = "published"
    years: tuple[tuple[int, int], ...] = ()  # (offset, year) of each year written in the text


def url_day(url: str | None) -> date | None:
    """The publication day a URL writes, if any.

    >>> url_day("https://example.mx/2023/11/21/presenta-agenda")
    datetime.date(2023, 11, 21)
    >>> url_day("https://diario.example/juarez/arman-talleres-20190914-1562265.html")
    datetime.date(2019, 9, 14)
    """
    if not url:
        return None
    path = unquote(urlsplit(url).path)
    for match in _URL_DAY.finditer(path):
        year, parts = int(match[1]), [p for p in match.groups()[1:] if p]
        if len(parts) == 2 and (day := make_date(year, int(parts[0]), int(parts[1]))):
            return day
    return None


def url_month(url: str | None) -> tuple[int, int] | None:
    """The publication month a URL writes ("/2024/11/"), if any."""
    match = _URL_MONTH.search(unquote(urlsplit(url).path)) if url else None
    if match and 1 <= int(match[2]) <= 12:
        return int(match[1]), int(match[2])
    return None


def evidence_for(article: Article) -> Evidence:
    """The publication date (or month) and the years written in ``article``."""
    years = tuple((m.start(), int(m.group())) for m in _WRITTEN_YEAR.finditer(article.text))
    source: YearSource = "url" if article.published_source == "url" else "published"
    archived = _ARCHIVE_MONTH.match(article.published_raw or "")
    month_source: YearSource = "published"
    if archived and 1 <= int(archived[2]) <= 12:
        month: tuple[int, int] | None = (int(archived[1]), int(archived[2]))
    else:
        month, month_source = url_month(article.url), "url"
    return Evidence(article.published, source, month, month_source, years)


def _sentence_years(text: str, written: Written, years: tuple[tuple[int, int], ...]
                    ) -> list[int]:
    """Years written in the date's sentence, nearest first."""
    start = max(text.rfind(". ", 0, written.start), text.rfind("\n", 0, written.start)) + 1
    stops = [i for i in (text.find(". ", written.end), text.find("\n", written.end)) if i >= 0]
    end = min(stops, default=len(text))
    inside = [(abs(at - written.start), year) for at, year in years if start <= at < end
              and not written.start <= at < written.end]
    return [year for _, year in sorted(inside)]


def _relative(written: Written, base: date) -> date:
    offsets = {"yesterday": -1, "day_before": -2, "tomorrow": 1}
    if written.relation in offsets or written.weekday is None:
        return base + timedelta(days=offsets.get(written.relation, 0))
    ahead = (written.weekday - base.weekday()) % 7  # 0..6 days to the next such weekday
    if written.relation == "next":
        return base + timedelta(days=ahead or 7)
    if written.relation == "last":
        return base - timedelta(days=(7 - ahead) % 7 or 7)
    return base + timedelta(days=ahead if ahead <= 3 else ahead - 7)  # "este": the nearest


def _by_weekday(written: Written, years: list[int]) -> int | None:
    """The year near the written ones (latest first) in which the date has its weekday."""
    assert written.day is not None and written.month is not None
    for year in sorted(set(years), reverse=True):
        for step in sorted(range(-_WEEKDAY_REACH, _WEEKDAY_REACH + 1), key=abs):
            day = make_date(year + step, written.month, written.day)
            if day is not None and day.weekday() == written.weekday:
                return year + step
    return None


def resolve(written: Written, evidence: Evidence, text: str) -> tuple[date | None, YearSource]:
    """The day ``written`` stands for and where its year came from (see the module doc).

    >>> from pipeline.document.dates import find_expressions
    >>> text = "Será el viernes 8 de marzo."
    >>> resolve(find_expressions(text)[0], Evidence(years=((99, 2022), (99, 2024))), text)
    (datetime.date(2024, 3, 8), 'weekday')
    """
    base = evidence.published
    if written.day is None or written.month is None:
        if base is None:
            return None, "none"
        return _relative(written, base), evidence.published_source
    day, month = written.day, written.month
    if written.year is not None:
        return make_date(written.year, month, day), "text"
    said = {"this": 0, "last": -1, "next": 1}.get(written.hint)
    reference = (base.year, evidence.published_source) if base else \
        (evidence.month[0], evidence.month_source) if evidence.month else None
    if said is not None and reference is not None:
        return make_date(reference[0] + said, month, day), reference[1]
    if base is not None:
        direction = _DIRECTION.search(text[max(0, written.start - 12):written.start])
        after = None if direction is None else direction[1].lower().startswith("pr")
        return nearest(day, month, base, after=after), evidence.published_source
    if evidence.month is not None:
        middle = date(evidence.month[0], evidence.month[1], 15)
        return nearest(day, month, middle), evidence.month_source
    in_sentence = _sentence_years(text, written, evidence.years)
    in_release = sorted({year for _, year in evidence.years})
    if said is not None and (in_sentence or len(in_release) == 1):
        return make_date((in_sentence or in_release)[0] + said, month, day), "text"
    if in_sentence or len(in_release) == 1:
        return make_date((in_sentence or in_release)[0], month, day), "text"
    if written.weekday is not None and in_release:
        year = _by_weekday(written, in_release)
        if year is not None:
            return make_date(year, month, day), "weekday"
    return None, "none"
