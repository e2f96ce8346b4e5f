from datetime import date

import pytest

from pipeline.document.dates import DateError, find_dates, parse_date


@pytest.mark.parametrize(("raw", "expected"), [
    ("Miércoles 7 de Diciembre del 2022", date(2022, 12, 7)),
    ("04 de septiembre del 2024, 12:18", date(2024, 9, 4)),
    ("· jueves 25 de abril de 2024", date(2024, 4, 25)),
    ("1o. de marzo de 2024", date(2024, 3, 1)),
    ("Abr 21, 2025", date(2025, 4, 21)),
    ("• Lun. Abr 21st, 2025", date(2025, 4, 21)),
    ("07/12/2022", date(2022, 12, 7)),
])
def test_parse_date_reads_spanish_dates_day_first(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


def test_year_comes_from_the_publication_date() -> None:
    base = date(2023, 11, 21)
    assert parse_date("el próximo 25 de noviembre", base=base) == date(2023, 11, 25)
    assert parse_date("el pasado 3 de noviembre", base=base) == date(2023, 11, 3)


def test_year_is_the_one_nearest_the_publication_date() -> None:
    assert parse_date("el 5 de enero", base=date(2023, 12, 20)) == date(2024, 1, 5)
    assert parse_date("el 28 de diciembre", base=date(2024, 1, 3)) == date(2023, 12, 28)


def test_failure_policy() -> None:
    assert parse_date("sin fecha alguna", errors="null") is None
    with pytest.raises(DateError, match="sin fecha"):
        parse_date("sin fecha alguna")


def test_find_dates_gives_offsets_and_values() -> None:
    text = "Iniciará mañana 22 de noviembre y concluirá el 12 de diciembre de 2023."
    found = list(find_dates(text, base=date(2023, 11, 21)))
    assert [(text[s:e], value) for s, e, value in found] == [
        ("22 de noviembre", date(2023, 11, 22)),
        ("12 de diciembre de 2023", date(2023, 12, 12)),
    ]


def test_find_dates_skips_impossible_days() -> None:
    assert list(find_dates("el 31 de febrero de 2023", base=None)) == []
