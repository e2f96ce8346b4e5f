"""Spanish dates: find them in text and resolve them to calendar days with dateparser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Literal

import dateparser

_MONTHS = ("enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre"
           "|noviembre|diciembre")
_WEEKDAYS = "lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"

# "Miércoles 7 de Diciembre del 2022", "25 de noviembre", "1o. de marzo de 2024".
SPANISH_DATE = re.compile(
    rf"\b(?:(?:{_WEEKDAYS})\s*,?\s+)?(?P<day>[0-3]?\d)(?:o\.?|º)?\s+de\s+(?P<month>{_MONTHS})"
    r"(?:\s*(?:de|del|,)?\s*(?P<year>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
# "07/12/2022", "7-12-2022": day first, as written in Mexico.
NUMERIC_DATE = re.compile(r"\b(?P<day>[0-3]?\d)[/-](?P<month>[01]?\d)[/-](?P<year>(?:19|20)\d\d)\b")

# "Abr 21, 2025", "Abr 21st, 2025": the English-style order some outlets' headers use.
SHORT_DATE = re.compile(
    r"\b(?P<month>ene|feb|mar|abr|may|jun|jul|ago|sep|oct|nov|dic)[a-z]*\.?\s+(?P<day>[0-3]?\d)"
    r"(?:st|nd|rd|th)?,\s*(?P<year>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)

_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"]}

Errors = Literal["raise", "null"]


class DateError(ValueError):
    """A string that should be a date could not be resolved to one."""


def parse_date(raw: str, *, base: date | None = None, errors: Errors = "raise") -> date | None:
    """Resolve a Spanish date string to a day.

    A date without a year takes the year that puts it nearest to ``base`` (a release of
    20 December that announces "el 5 de enero" means next January).

    >>> parse_date("Miércoles 7 de Diciembre del 2022")
    datetime.date(2022, 12, 7)
    >>> parse_date("el próximo 25 de noviembre", base=date(2023, 11, 21))
    datetime.date(2023, 11, 25)
    """
    # Rebuilt from the parts, so that weekday names and "1o." do not confuse dateparser.
    match = SPANISH_DATE.search(raw) or NUMERIC_DATE.search(raw) or SHORT_DATE.search(raw)
    if match is None:
        text = raw
    elif match.re is NUMERIC_DATE:
        text = match.group(0)
    else:
        text = f"{match['day']} {match['month']} {match['year'] or ''}".strip()
    settings = dict(_SETTINGS)
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(text, languages=["es"], settings=settings)
    if parsed is None:
        if errors == "null":
            return None
        raise DateError(f"cannot read a date in {raw!r}; expected e.g. '7 de diciembre de 2022'")
    value = parsed.date()
    if base is not None and not (match and match.group("year")):
        value = min((_with_year(value, base.year + step) for step in (-1, 0, 1)),
                    key=lambda candidate: abs((candidate - base).days))
    return value


def _with_year(value: date, year: int) -> date:
    try:
        return value.replace(year=year)
    except ValueError:  # 29 February in a common year
        return value.replace(year=year, day=28)


def find_dates(text: str, *, base: date | None) -> Iterator[tuple[int, int, date]]:
    """Yield ``(start, end, day)`` for each calendar date written in ``text``."""
    spans = [m.span() for m in SPANISH_DATE.finditer(text)]
    spans += [m.span() for m in NUMERIC_DATE.finditer(text)
              if not any(s <= m.start() < e for s, e in spans)]
    for start, end in sorted(spans):
        value = parse_date(text[start:end], base=base, errors="null")
        if value is not None:
            yield start, end, value
