"""The dates of one release: each written date with its value, the source of its year, and
whether it is the date of what the release reports or announces (``kind`` ``event``).

Finding is :mod:`pipeline.document.dates`, the year :mod:`pipeline.document.years`; the
decision "event or only mentioned" reads the words around the date, with the vocabularies
of ``event_dates.tsv`` (cues, anchors, frames, recurrences), ``observances.tsv`` and
``event_types.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.document.datelines import dated_dateline
from pipeline.document.dates import Written, find_expressions
from pipeline.document.years import Evidence, evidence_for, resolve
from pipeline.knowledge import data_lines, fold
from pipeline.records import Article, DateMention, YearSource

EVENT_DATES_FILE = RESOURCES_DIR / "event_dates.tsv"
OBSERVANCES_FILE = RESOURCES_DIR / "observances.tsv"
EVENT_TYPES_FILE = RESOURCES_DIR / "event_types.tsv"
# Characters of the sentence on each side of a date in which a cue counts.
EVENT_DATE_WINDOW = 80
_BEFORE = 40  # characters before a date read for its recurring, frame and anchor words
_DATELINE_REACH = 200  # the publication date written this near the top is the date line
# The end of a count period that starts with a year: "128 de 2018 hasta el 18 de noviembre".
_PERIOD_FROM_YEAR = re.compile(r"(?<!\w)(?:de|desde)\s+(?:el\s+)?(?:a[nñ]o\s+)?(?:19|20)\d\d"
                               r"\s+(?:a|al|hasta)\s+(?:el\s+)?$", re.IGNORECASE)
_ROLES = ("recurring", "frame", "anchor", "cue")


@dataclass(frozen=True, slots=True)
class _Vocabulary:
    recurring: re.Pattern[str]
    frame: re.Pattern[str]
    anchor: re.Pattern[str]
    cues: re.Pattern[str]
    observances: frozenset[tuple[int, int]]  # (month, day)


def _term(term: str) -> str:
    """Whole words of the folded text; a trailing ``*`` matches any word ending."""
    ending = r"\w*" if term.endswith("*") else ""
    return rf"(?<!\w){re.escape(fold(term.removesuffix('*')))}{ending}(?!\w)"


def _right_before(terms: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?:{'|'.join(map(_term, terms))})\s+(?:(?:el|los)\s+)?"
                      r"(?:dias?\s+)?$")


@cache
def _vocabulary() -> _Vocabulary:
    terms: dict[str, list[str]] = {role: [] for role in _ROLES}
    for number, line in data_lines(EVENT_DATES_FILE):
        role, _, term = line.partition("\t")
        if role not in terms or not term:
            raise ValueError(f"{EVENT_DATES_FILE}:{number}: expected "
                             f"'{'|'.join(_ROLES)}<TAB>term', got {line!r}")
        terms[role].append(term)
    for number, line in data_lines(EVENT_TYPES_FILE):
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{EVENT_TYPES_FILE}:{number}: expected 3 tab-separated fields")
        terms["cue"].append(fields[2])
    observed = set()
    for number, line in data_lines(OBSERVANCES_FILE):
        match = re.match(r"(\d\d)-(\d\d)\t\S", line)
        if match is None:
            raise ValueError(f"{OBSERVANCES_FILE}:{number}: expected 'MM-DD<TAB>name', "
                             f"got {line!r}")
        observed.add((int(match[1]), int(match[2])))
    return _Vocabulary(_right_before(terms["recurring"]), _right_before(terms["frame"]),
                       _right_before(terms["anchor"]),
                       re.compile("|".join(map(_term, terms["cue"]))), frozenset(observed))


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return left, min(stops, default=len(text))


def is_event_date(text: str, written: Written, value: date, published: date | None) -> bool:
    """Whether the date written at ``written`` dates what the release reports or announces.

    >>> text = "El taller será el 23 de noviembre."
    >>> is_event_date(text, find_expressions(text)[0], date(2023, 11, 23), date(2023, 11, 21))
    True
    """
    words = _vocabulary()
    before = fold(text[max(0, written.start - _BEFORE):written.start]) + " "
    if words.recurring.search(before) or words.frame.search(before) or \
            _PERIOD_FROM_YEAR.search(text[max(0, written.start - _BEFORE):written.start]):
        return False
    tied = written.weekday is not None or written.in_series or bool(words.anchor.search(before))
    if published is not None and value >= published or tied:
        return True  # announced, or tied to one occurrence
    if (value.month, value.day) in words.observances:
        return written.year is not None  # "el 8 de marzo de 2024"; else the occasion only
    left, right = _sentence(text, written.start, written.end)
    window = text[max(left, written.start - EVENT_DATE_WINDOW):
                  min(right, written.end + EVENT_DATE_WINDOW)]
    return words.cues.search(fold(window)) is not None


def mark_event_dates(article: Article, dated: Iterable[tuple[Written, date | None, YearSource]]
                     ) -> Iterator[tuple[int, int, DateMention]]:
    """``(start, end, DateMention)`` for each resolved written date, kind ``event`` for the
    dates of what the release reports, else ``mentioned``; the publication date written
    in the first lines and a dateline's date are left out (the ``published`` row)."""
    dateline = dated_dateline(article.text)
    for written, value, source in dated:
        if value is not None and value == article.published and written.year is not None \
                and written.start < _DATELINE_REACH:
            continue
        if dateline is not None and dateline.date_start <= written.start < dateline.date_end:
            continue
        event = value is not None and not written.relation and \
            is_event_date(article.text, written, value, article.published)
        yield written.start, written.end, DateMention(
            article.doc_id, article.text[written.start:written.end], value,
            "event" if event else "mentioned", source, written.start, written.end)


def published_date(article: Article, evidence: Evidence | None = None) -> DateMention | None:
    """The ``published`` row of a release: its publication date, else the month of its
    publication when only that is known (an archive's " date 2025-03", a URL's
    ``/2024/11/``: the month's first day, ``date_precision`` "month"); None without either."""
    if article.published is not None:
        source: YearSource = "url" if article.published_source == "url" else "published"
        return DateMention(article.doc_id,
                           article.published_raw or article.published.isoformat(),
                           article.published, "published", source)
    evidence = evidence or evidence_for(article)
    if evidence.month is None:
        return None
    year, month = evidence.month
    return DateMention(article.doc_id, f"{year}-{month:02d}", date(year, month, 1),
                       "published", evidence.month_source, date_precision="month")


def article_dates(article: Article, evidence: Evidence | None = None
                  ) -> list[tuple[int, int, DateMention]]:
    """Every date written in ``article``'s body: offsets, value, year source and kind.

    A day of a dated list ("Lunes 4", its month taken from the date before it) is kept only
    when its weekday agrees with the year found for it.
    """
    evidence = evidence or evidence_for(article)
    resolved = []
    for written in find_expressions(article.text):
        value, source = resolve(written, evidence, article.text)
        if written.month_inferred and (value is None or value.weekday() != written.weekday):
            continue
        if value is None and written.day is not None and written.year is not None:
            continue  # an impossible day: "31 de febrero de 2023"
        resolved.append((written, value, source))
    return list(mark_event_dates(article, resolved))
