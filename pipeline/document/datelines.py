"""Datelines: the place (and often the day) a release opens with, read by one grammar.

The press writes a dateline in a few shapes, which this module reads as one grammar:

    [credit / | ] [agency ,] place [, state] [. | , | ; | .-] [a] [weekday,] day [de] month
        [de | del | ,] year  end
    [agency ,] place [, state] [(credit)]  dash

Parts are separated by commas or semicolons ("Tuxtla Gutiérrez, Chiapas; 1 de …"); a credit
before a slash or a bar is no part ("Redacción / Morelia, Mich., …", "Por Ana Ruiz | León").

"León, Guanajuato, a 28 de diciembre del 2021.", "Chihuahua, Chih., a 16 de enero de 2023",
"Ciudad Juárez, Chihuahua. 25 de noviembre de 2025.", "Agencia, Ciudad, 5 septiembre  2019.-",
"Ciudad Juárez, Chih. (ADN/Staff) –", "MAZATLÁN._". A dated dateline ends with ". -", ".-",
a dash, a full stop or the end of its line; one without a date needs its dash (a line "Juárez."
is no dateline). A byline with a date ("Juan Pérez, 29 de noviembre de 2022") has the same
shape: its date is the release's, its "place" names nobody's municipality (see
:func:`pipeline.document.jurisdiction.dateline_jurisdiction`).

A dateline opens one of a release's first lines (:data:`DATELINE_LINES`): after a byline, a
teaser or a site's header, never deep in the body. Its day is the publication date (see
:mod:`pipeline.document.clean`), never an event date (:mod:`pipeline.document.event_dates`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from pipeline.document.dates import MONTHS, make_date

DATELINE_LINES = 8  # a dateline opens one of the first lines (after a byline or a teaser)
_NAME_WORD = r"[A-ZÁÉÍÓÚÑ](?:[^\W_]|\.)*"
_WEEKDAY = r"(?i:lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo)"
_MONTH = rf"(?i:{'|'.join(sorted(MONTHS, key=len, reverse=True))})"
# One comma-separated part: "Ciudad Juárez", "San Luis Potosí", "Chih.", "N.L.", "SemMéxico";
# never a weekday ("Monterrey, N.L., Miércoles 7 de …").
_PART = (rf"(?!{_WEEKDAY}\b){_NAME_WORD}"
         rf"(?:[^\S\n]+(?:(?:de|del|la|las|los|el)[^\S\n]+)?{_NAME_WORD}){{0,4}}")
_DATELINE = re.compile(
    rf"[^\w\n]{{0,3}}(?:{_PART}[^\S\n]*[/|][^\S\n]*)?"  # a credit: "Redacción / ", "Por Ana |"
    rf"(?P<places>{_PART}(?:[^\S\n]*[,;][^\S\n]*{_PART}){{0,2}})"
    r"(?P<date>[^\S\n]*(?:[,.;]|\.?[^\S\n]*[-–—]+)?[^\S\n]*(?:a[^\S\n]+)?"
    rf"(?:{_WEEKDAY}[^\S\n]*,?[^\S\n]+)?(?P<day>[0-3]?\d)(?:o\.?|º)?[^\S\n]+(?:(?i:de)[^\S\n]+)?"
    rf"(?P<month>{_MONTH})\.?[^\S\n]*(?:,|(?i:del?))?[^\S\n]*(?P<year>(?:19|20)\d\d)\b)?"
    r"(?:[^\S\n]*\([^)\n]{1,40}\))?"
    r"(?P<end>[^\S\n]*\.?[^\S\n]*[-–—_]+|[^\S\n]*\.(?=\s|$)|[^\S\n]*$)",
    re.MULTILINE)
# Words with a capital after a small letter ("SemMéxico", "ContraRéplica"): an outlet's or
# an agency's name, not a place's.
_INNER_CAPITAL = re.compile(r"[a-záéíóúñ][A-ZÁÉÍÓÚÑ]")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline found in a text: its parts as written and its day, with offsets."""

    start: int  # where the dateline begins in the text searched
    end: int  # where the release's own words begin after it
    parts: tuple[str, ...]  # comma-separated names: ("Ciudad Juárez", "Chih.")
    day: date | None = None
    date_start: int = -1  # the written date's offsets; -1 when it has none
    date_end: int = -1

    @property
    def place(self) -> str:
        """The place: the part before the last when there are several ("León" in "León,
        Guanajuato"; "Ciudad" in "Agencia, Ciudad, Estado"), else the only one."""
        return self.parts[-2] if len(self.parts) > 1 else self.parts[0]

    @property
    def state(self) -> str | None:
        """The last part when there are several: a state's name or abbreviation, or the city
        after an agency's name ("Agencia, Ciudad")."""
        return self.parts[-1] if len(self.parts) > 1 else None

    @property
    def place_is_outlet(self) -> bool:
        """The place is written as an outlet's name ("SemMéxico"), not a place's."""
        return bool(_INNER_CAPITAL.search(self.place))


def _part(text: str) -> str:
    """A part without its final stop, unless the stop ends an abbreviation ("Chih.")."""
    text = " ".join(text.split())
    return text if re.search(r"\.\w{1,4}\.$|^\w{1,5}\.$", text) else text.rstrip(".")


def read_dateline(line: str, offset: int = 0) -> Dateline | None:
    """The dateline opening ``line`` (offsets shifted by ``offset``), or None.

    >>> read_dateline("Chihuahua, Chih., a 16 de enero de 2023").day
    datetime.date(2023, 1, 16)
    >>> read_dateline("Ciudad Juárez.- El alcalde inauguró el parque.").parts
    ('Ciudad Juárez',)
    >>> read_dateline("Juárez. El alcalde inauguró el parque.") is None
    True
    """
    match = _DATELINE.match(line)
    if match is None:
        return None
    end = match["end"]
    dashed = bool(end.strip(" .\t"))
    if not match["date"] and not dashed:
        return None  # "Juárez." opens a sentence; a place alone needs its dash
    if match["date"] and not dashed and not end.strip() and match.end() < len(line) \
            and line[match.end()] not in "\n":
        return None  # a date that runs on into a sentence: "Juárez, 5 de mayo de 2024 fue…"
    parts = tuple(_part(p) for p in re.split(r"[,;]", match["places"]))
    day = None
    if match["date"]:
        day = make_date(int(match["year"]), MONTHS[match["month"].lower()], int(match["day"]))
    start_of_date = match.start("day") if match["date"] else -1
    return Dateline(start=offset + match.start("places"), end=offset + match.end(),
                    parts=parts, day=day,
                    date_start=offset + start_of_date if match["date"] else -1,
                    date_end=offset + match.end("year") if match["date"] else -1)


def _first_lines(text: str, count: int) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of the first ``count`` non-blank lines."""
    position = 0
    seen = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            yield position, line.rstrip("\r\n")
            seen += 1
            if seen == count:
                return
        position += len(line)


def datelines(text: str, *, lines: int = DATELINE_LINES) -> Iterator[Dateline]:
    """Each dateline opening one of the first ``lines`` non-blank lines of ``text``."""
    for offset, line in _first_lines(text, lines):
        if (found := read_dateline(line, offset)) is not None:
            yield found


def dated_dateline(text: str, *, lines: int = DATELINE_LINES) -> Dateline | None:
    """The first dateline of the first lines that writes a full date."""
    return next((d for d in datelines(text, lines=lines) if d.day is not None), None)
