"""One look for the institution network wherever it is drawn: the PNG/SVG figures, the report's
viewer and the GEXF that Gephi opens.

Sector names and colours come from ``resources/report/palette.tsv`` (a colour-blind-safe
palette); sizes grow with the square root of the events, so that a hub does not hide the rest.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import KnowledgeError, data_lines

PALETTE_FILE = RESOURCES_DIR / "report" / "palette.tsv"
MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


@dataclass(frozen=True, slots=True)
class SectorStyle:
    key: str  # as in nodes.csv; "" for an institution without a sector
    label: str  # Spanish, for readers
    colour: str  # "#RRGGBB"


@cache
def palette() -> dict[str, SectorStyle]:
    """Every sector's style, in legend order; the ``""`` entry is the unknown sector's."""
    styles: dict[str, SectorStyle] = {}
    for number, line in data_lines(PALETTE_FILE):
        fields = line.split("\t")
        if len(fields) != 3 or len(fields[2]) != 7 or not fields[2].startswith("#"):
            raise KnowledgeError(f"{PALETTE_FILE}:{number}: expected sector<TAB>label<TAB>"
                                 f"#RRGGBB, got {line!r}")
        styles[fields[0]] = SectorStyle(*fields)
    if "" not in styles:
        raise KnowledgeError(f"{PALETTE_FILE}: no row for institutions without a sector "
                             "(an empty first field)")
    return styles


def sector_style(sector: object) -> SectorStyle:
    """The style of ``sector``; an unknown or missing sector gets the unknown sector's."""
    styles = palette()
    return styles.get(sector if isinstance(sector, str) else "", styles[""])


def sector_label(sector: object) -> str:
    return sector_style(sector).label


def sector_colour(sector: object) -> str:
    return sector_style(sector).colour


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#0072B2"`` → ``(0, 114, 178)``."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def importance(n_events: object) -> float:
    """A size that grows with the square root of the events: 1 for one event, 3 for nine."""
    try:
        return max(float(n_events), 1.0) ** 0.5  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0


def wrap_name(name: str, width: int = 26) -> str:
    """A full name broken into lines of about ``width`` characters, never cut."""
    return "\n".join(textwrap.wrap(name, width, break_long_words=False)) or name


def month_label(year: int, month: int) -> str:
    """``(2023, 3)`` → ``mar 2023``."""
    return f"{MONTHS_ES[month - 1]} {year}"
