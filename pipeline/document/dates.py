"""Spanish dates: find what a text writes as a date, and read publication-date strings.

:func:`find_expressions` finds written dates without deciding their year: a calendar date
("viernes 8 de marzo", "25 de noviembre de 2023", "07/12/2022"), both ends of a range ("del
3 al 19 de marzo", "entre los días 2 y 27 de marzo"), the days of a dated list ("Domingo 3
de marzo: …", then "Lunes 4: …") and relative days ("ayer", "este sábado", "el próximo
lunes"). Day-month pairs that are part of a name ("colonia 16 de Septiembre") are left out.
The year is the business of :mod:`pipeline.document.years`; nothing here reads the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from typing import Literal

import dateparser

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import data_lines, fold

DATE_NAMES_FILE = RESOURCES_DIR / "date_names.tsv"
MONTHS = {"enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
          "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
          "diciembre": 12}
WEEKDAYS = {"lunes": 0, "martes": 1, "miercoles": 2, "jueves": 3, "viernes": 4, "sabado": 5,
            "domingo": 6}
_MONTHS = "|".join(MONTHS)
_WEEKDAYS = "lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo"
_YEAR = r"(?:\s*(?:de|del|,)?\s*(?P<year>(?:19|20)\d\d)\b)?"
# "de este año", "del presente año", "del año pasado": a year said rather than written.
_YEAR_WORDS = (r"(?:\s+(?:de|del)\s+(?P<hint>este\s+año|presente\s+año|año\s+en\s+curso"
               r"|año\s+pasado|año\s+anterior|próximo\s+año|año\s+próximo))?")

# Each date pattern first tests the letter its alternatives can open with (a weekday's initial
# or a digit): most words fail that at once, where trying every weekday at every word took
# twice as long.
_DAY_START = r"(?=[\dlmjvsd])"
_WEEKDAY_START = r"(?=[lmjvsd])"
# "Miércoles 7 de Diciembre del 2022", "25 de noviembre", "1o. de marzo de 2024".
SPANISH_DATE = re.compile(
    rf"\b{_DAY_START}(?:(?P<weekday>{_WEEKDAYS})\s*,?\s+)?(?P<day>[0-3]?\d)(?:o\.?|º)?\s+de\s+"
    rf"(?P<month>{_MONTHS})\b{_YEAR}",
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
_SINGLE = re.compile(SPANISH_DATE.pattern + _YEAR_WORDS, re.IGNORECASE)
# Both ends of a range or the days of a short list that share one month: "del 3 al 19 de
# marzo", "entre los días 2 y 27 de marzo de 2026", "sábado 25 al miércoles 29 de junio".
_SHARED_MONTH = re.compile(
    rf"\b{_DAY_START}(?:(?P<weekday1>{_WEEKDAYS})\s+)?(?P<day1>[0-3]?\d)(?:o\.?|º)?"
    rf"(?P<middle>(?:\s*,\s*[0-3]?\d)*)\s+(?:al|a|y|hasta\s+el)\s+"
    rf"(?:(?:el\s+)?(?P<weekday2>{_WEEKDAYS})\s+)?(?P<day2>[0-3]?\d)(?:o\.?|º)?\s+de\s+"
    rf"(?P<month>{_MONTHS})\b{_YEAR}",
    re.IGNORECASE,
)
# The days of a dated list after its first full date: "Lunes 4: …", "el martes 5".
_LIST_DAY = re.compile(
    rf"\b{_WEEKDAY_START}(?P<weekday>{_WEEKDAYS})\s+(?P<day>[0-3]?\d)\b(?!\s*(?:de\s|/|:\d))",
    re.IGNORECASE)
_RELATIVE = re.compile(  # "ayer", "este/el …", a weekday, "mañana"
    rf"\b(?=[aelmjvsd])(?:(?P<back>anteayer|antier|ayer)(?:\s+(?P<wd0>{_WEEKDAYS}))?"
    rf"|(?:este|esta)\s+(?:(?P<dir1>pr[oó]ximo|pasado)\s+)?(?P<wd1>{_WEEKDAYS})"
    rf"|el\s+(?P<dir2>pr[oó]ximo|pasado)\s+(?P<wd2>{_WEEKDAYS})"
    rf"|(?:el\s+)?(?P<wd3>{_WEEKDAYS})\s+(?P<dir3>pr[oó]ximo|pasado)"
    rf"|mañana\s+(?P<wd4>{_WEEKDAYS}))\b(?!\s*,?\s*\d)",
    re.IGNORECASE,
)
# Between the two full dates of a range: "del 28 de julio al 8 de agosto".
_RANGE_LINK = re.compile(r"\s*,?\s*(?:al|a|hasta\s+el|y\s+el)\s+$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"(?<!\w)(?:del|desde\s+el|entre\s+el|de)\s+$", re.IGNORECASE)
_LIST_REACH = 1500  # characters after a full date in which "Lunes 4" takes its month
_SETTINGS = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"]}

Errors = Literal["raise", "null"]
Relation = Literal["", "this", "next", "last", "yesterday", "day_before", "tomorrow"]


class DateError(ValueError):
    """A string that should be a date could not be resolved to one."""


@dataclass(frozen=True, slots=True)
class Written:
    """A date as the text writes it, before its year is decided.

    A calendar date has ``day`` and ``month`` (``year`` when written); a relative day
    ("ayer", "este sábado") has ``relation`` and perhaps ``weekday``, and no day.
    """

    start: int
    end: int
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None  # 0 = Monday, as date.weekday()
    hint: str = ""  # a year said in words: "this", "last" or "next"
    relation: Relation = ""
    in_series: bool = False  # an end of a range, or a day of a dated list
    month_inferred: bool = False  # "Lunes 4" in a dated list: the month of the date before


def _fold_key(text: str) -> str:
    return fold(text).replace(" ", "")


def weekday_number(name: str | None) -> int | None:
    return WEEKDAYS[_fold_key(name)] if name else None


def _hint(text: str | None) -> str:
    if not text:
        return ""
    folded = fold(text)
    if "pasado" in folded or "anterior" in folded:
        return "last"
    return "next" if "proximo" in folded else "this"


def _direction(text: str | None) -> Relation:
    if not text:
        return "this"
    return "next" if fold(text).startswith("proximo") else "last"


def parse_date(raw: str, *, base: date | None = None, errors: Errors = "raise") -> date | None:
    """Resolve a date string that states its year (a publication date) to a day.

    Without a written year the date is resolved only against ``base``: the year that puts
    it nearest to ``base``. Nothing is taken from the clock.

    >>> parse_date("Miércoles 7 de Diciembre del 2022")
    datetime.date(2022, 12, 7)
    >>> parse_date("el próximo 25 de noviembre", base=date(2023, 11, 21))
    datetime.date(2023, 11, 25)
    """
    match = SPANISH_DATE.search(raw) or NUMERIC_DATE.search(raw) or SHORT_DATE.search(raw)
    value = None
    if match is not None and (match["year"] or base is not None):
        # Rebuilt from the parts, so that weekday names and "1o." do not confuse dateparser;
        # the base is always given so that a missing part never comes from today.
        year = match["year"] or str(base.year)  # type: ignore[union-attr]
        text = match.group(0) if match.re is NUMERIC_DATE else \
            f"{match['day']} {match['month']} {year}"
        anchor = base or date(int(match["year"]), 1, 1)
        parsed = dateparser.parse(text, languages=["es"], settings={
            **_SETTINGS, "RELATIVE_BASE": datetime(anchor.year, anchor.month, anchor.day)})
        value = parsed.date() if parsed else None
        if value is not None and base is not None and not match["year"]:
            value = nearest(value.day, value.month, base)
    if value is None:
        if errors == "null":
            return None
        raise DateError(f"cannot read a date in {raw!r}; expected e.g. '7 de diciembre de 2022'")
    return value


def is_date_line(line: str, *, max_chars: int = 60) -> bool:
    """A line that is a date and little else: "Miércoles 7 de Diciembre del 2022, 12:18",
    "• Lun. Abr 21st, 2025" (a short sentence with a date in it is not one).

    >>> is_date_line("04 de septiembre del 2024, 12:18")
    True
    >>> is_date_line("La marcha será el 8 de marzo.")
    False
    """
    if len(line) > max_chars:
        return False
    match = SPANISH_DATE.search(line) or NUMERIC_DATE.search(line) or SHORT_DATE.search(line)
    if match is None:
        return False
    rest = line[:match.start()] + " " + line[match.end():]
    return len(re.findall(r"[^\W\d_]{3,}", rest)) <= 1


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 31 de febrero
        return None


def nearest(day: int, month: int, base: date, *, after: bool | None = None) -> date | None:
    """The day-month in the year that puts it nearest ``base``; with ``after``, the first
    occurrence after (True) or before (False) it."""
    candidates = [d for year in (base.year - 1, base.year, base.year + 1)
                  if (d := make_date(year, month, day)) is not None]
    if after is not None:
        candidates = [d for d in candidates if (d >= base) == after]
    return min(candidates, key=lambda d: abs((d - base).days), default=None)


@cache
def _date_names() -> tuple[tuple[tuple[str, ...], ...], frozenset[str]]:
    """Words that make a following date a name (as folded tokens), and the day-month pairs
    used as names."""
    words, names = [], set()
    for number, line in data_lines(DATE_NAMES_FILE):
        role, _, term = line.partition("\t")
        if role == "word":
            words.append(tuple(fold(term).split()))
        elif role == "name":
            names.add(fold(term))
        else:
            raise ValueError(f"{DATE_NAMES_FILE}:{number}: expected 'word|name<TAB>term', "
                             f"got {line!r}")
    return tuple(words), frozenset(names)


# Between a name word and the date: other capitalised words, commas and these particles
# ("Escuela Primaria Federal 20 de Noviembre", "colonias Aztecas, División del Norte y …").
_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "e", "no", "num", "numero"})
_NAME_REACH = 14  # tokens looked at before the date
# Before a date the masculine article or a preposition says "date", whatever the capitals.
_DATE_ARTICLE = re.compile(r"(?<!\w)(?:el|del|al|este|desde|hasta|pr[oó]ximo|pasado)\s+$",
                           re.IGNORECASE)


def _after_name_word(clause: str) -> bool:
    words, _ = _date_names()
    tokens = re.findall(r"\w[\w.]*|,", clause)[-_NAME_REACH:]
    folded = [fold(token) for token in tokens]
    for index in range(len(tokens) - 1, -1, -1):
        for phrase in words:
            first = index - len(phrase) + 1
            if first >= 0 and folded[first:index] == list(phrase[:-1]) and \
                    folded[index] in (phrase[-1], phrase[-1] + "s", phrase[-1] + "es"):
                return True
        token = tokens[index]
        if not (token == "," or folded[index] in _NAME_PARTICLES or token[0].isupper()):
            return False
    return False


def part_of_name(text: str, start: int, end: int) -> bool:
    """Whether the date written at ``text[start:end]`` is part of a name, not a date.

    Evidence: a word before it that names a place or a body ("colonia", "calle",
    "Escuela", "estadio"), perhaps through other capitalised words or a list of names; a
    feminine article ("la 16 de Septiembre": dates are masculine); or a pair listed in
    ``date_names.tsv`` written with a capitalised month mid-sentence, or alone on a list
    line.

    >>> part_of_name("en la colonia 16 de Septiembre", 14, 30)
    True
    >>> part_of_name("el 16 de septiembre", 3, 19)
    False
    """
    before = text[max(0, start - 160):start]
    clause = before[max(before.rfind(". "), before.rfind("\n")) + 1:]
    if _after_name_word(clause) or re.search(r"(?<!\w)(?:la|las)\s+$", clause, re.I):
        return True
    written = SPANISH_DATE.match(text, start)
    _, names = _date_names()
    if written is None or written["year"] or \
            fold(f"{written['day']} de {written['month']}") not in names:
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    alone = re.fullmatch(r"[\s\-•*·]*", text[line_start:start]) is not None and \
        text[end:line_end if line_end >= 0 else len(text)].strip(" .;,") == ""
    capitalised = clause.strip() != "" and written["month"][0].isupper() and \
        not _DATE_ARTICLE.search(clause)
    return alone or capitalised


def _calendar(match: re.Match[str], *, day_group: str = "day", weekday_group: str = "weekday",
              start: int | None = None, in_series: bool = False) -> Written:
    return Written(start=match.start() if start is None else start, end=match.end(),
                   day=int(match[day_group]), month=MONTHS[_fold_key(match["month"])],
                   year=int(match["year"]) if match["year"] else None,
                   weekday=weekday_number(match[weekday_group]),
                   hint=_hint(match.groupdict().get("hint")), in_series=in_series)


def _series(match: re.Match[str]) -> Iterator[Written]:
    """Each day of "del 3 al 19 de marzo" or "4, 5 y 6 de marzo", the month shared; a day's
    span runs from its number to the end of the range."""
    end_day = _calendar(match, day_group="day2", weekday_group="weekday2",
                        start=match.start("weekday2" if match["weekday2"] else "day2"),
                        in_series=True)
    yield Written(start=match.start(), end=end_day.end, day=int(match["day1"]),
                  month=end_day.month, year=end_day.year,
                  weekday=weekday_number(match["weekday1"]), in_series=True)
    for day in re.finditer(r"\d+", match["middle"] or ""):
        yield Written(start=match.start("middle") + day.start(), end=end_day.end,
                      day=int(day.group()), month=end_day.month, year=end_day.year,
                      in_series=True)
    yield end_day


def _relative(match: re.Match[str]) -> Written:
    weekday = next((match[g] for g in ("wd0", "wd1", "wd2", "wd3", "wd4") if match[g]), None)
    relation: Relation
    if match["back"]:
        relation = "yesterday" if fold(match["back"]) == "ayer" else "day_before"
    elif match["wd4"]:
        relation = "tomorrow"
    else:
        relation = _direction(match["dir1"] or match["dir2"] or match["dir3"])
    return Written(start=match.start(), end=match.end(), weekday=weekday_number(weekday),
                   relation=relation)


def _list_days(text: str, found: list[Written]) -> Iterator[Written]:
    """"Lunes 4", "Martes 5" after a full date: the month of the latest date before it,
    or the next month when the day is smaller."""
    calendar = [w for w in found if w.month is not None]
    for match in _LIST_DAY.finditer(text):
        previous = [w for w in calendar if w.end <= match.start()
                    and match.start() - w.end <= _LIST_REACH]
        if not previous or any(w.start <= match.start() < w.end for w in found):
            continue
        last = previous[-1]
        day = int(match["day"])
        month = last.month if day >= (last.day or 0) else (last.month or 0) % 12 + 1
        yield Written(start=match.start(), end=match.end(), day=day, month=month,
                      weekday=weekday_number(match["weekday"]), in_series=True,
                      month_inferred=True)


def _ranges(text: str, found: list[Written]) -> list[Written]:
    """Mark both ends of "del 28 de julio al 8 de agosto [de 2025]"; a year written at the
    end applies to the start (the year before when the start's month is later)."""
    result = list(found)
    for index in range(len(result) - 1):
        first, second = result[index], result[index + 1]
        if first.month is None or second.month is None or \
                not _RANGE_LINK.fullmatch(text[first.end:second.start]) or \
                not _RANGE_OPEN.search(text[max(0, first.start - 12):first.start]):
            continue
        year = first.year
        if year is None and second.year is not None:
            year = second.year - (first.month > second.month)
        result[index] = replace(first, year=year, in_series=True)
        result[index + 1] = replace(second, in_series=True)
    return result


def find_expressions(text: str) -> list[Written]:
    """Every date written in ``text``, in order of position (see the module docstring).

    >>> [(w.day, w.month, w.year) for w in find_expressions("del 3 al 19 de marzo de 2024")]
    [(3, 3, 2024), (19, 3, 2024)]
    """
    found: list[Written] = []

    def free(start: int, end: int) -> bool:
        return not any(w.start < end and start < w.end for w in found)

    for match in _SHARED_MONTH.finditer(text):
        if not part_of_name(text, match.start("day2"), match.end()):
            found.extend(_series(match))
    for match in _SINGLE.finditer(text):
        if free(*match.span()) and not part_of_name(text, *match.span()):
            found.append(_calendar(match))
    for match in NUMERIC_DATE.finditer(text):
        if free(*match.span()):
            found.append(Written(start=match.start(), end=match.end(), day=int(match["day"]),
                                 month=int(match["month"]), year=int(match["year"])))
    for match in _RELATIVE.finditer(text):
        if free(*match.span()):
            found.append(_relative(match))
    found = _ranges(text, sorted(found, key=lambda w: (w.start, w.end)))
    found.extend(w for w in _list_days(text, found) if free(w.start, w.end))
    return sorted((w for w in found if w.month is None or w.month in range(1, 13)),
                  key=lambda w: (w.start, w.end))
