"""Spanish dates: what is written as a date, and the year each one gets (never the clock)."""

from datetime import date

import pytest

from pipeline.document.dates import DateError, find_expressions, parse_date, part_of_name
from pipeline.document.event_dates import article_dates
from pipeline.document.years import Evidence, resolve, url_day, url_month
from pipeline.records import Article


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


def test_parse_date_takes_a_missing_year_from_the_base_only() -> None:
    assert parse_date("el 5 de enero", base=date(2023, 12, 20)) == date(2024, 1, 5)
    assert parse_date("el 28 de diciembre", base=date(2024, 1, 3)) == date(2023, 12, 28)
    assert parse_date("el 5 de enero", errors="null") is None  # no year, no base: no date


def test_failure_policy() -> None:
    assert parse_date("sin fecha alguna", errors="null") is None
    with pytest.raises(DateError, match="sin fecha"):
        parse_date("sin fecha alguna")


def _article(text: str, *, published: date | None = None, url: str | None = None,
             published_raw: str | None = None, source: str = "text") -> Article:
    return Article(doc_id="d", path="d.txt", url=url, title="t", text=text,
                   published=published, published_raw=published_raw,
                   published_source=source if published else "")


def _dates(text: str, **evidence: object) -> list[tuple[str, date | None, str, str]]:
    found = article_dates(_article(text, **evidence))  # type: ignore[arg-type]
    return [(d.text, d.value, d.year_source, d.kind) for _, _, d in found]


def test_year_from_the_publication_date_nearest_or_as_announced() -> None:
    text = ("Las actividades iniciarán mañana 22 de noviembre y el pasado 3 de noviembre se "
            "presentó la agenda; la feria será el próximo 5 de enero.")
    assert _dates(text, published=date(2023, 11, 21)) == [
        ("22 de noviembre", date(2023, 11, 22), "published", "event"),
        ("3 de noviembre", date(2023, 11, 3), "published", "event"),
        ("5 de enero", date(2024, 1, 5), "published", "event"),
    ]


def test_year_from_a_date_in_the_url() -> None:
    text = "La jornada de salud se realizará el 12 de diciembre en el parque."
    article = _article(text, url="https://diario.example/2021/12/03/jornada",
                       published=date(2021, 12, 3), source="url")
    assert [(d.value, d.year_source) for _, _, d in article_dates(article)] == [
        (date(2021, 12, 12), "url")]


def test_year_from_a_month_in_the_url() -> None:
    text = "La marcha recorrerá el centro el 14 de noviembre."
    assert _dates(text, url="https://noticias.example/2019/11/marcha-centro/") == [
        ("14 de noviembre", date(2019, 11, 14), "url", "event")]


def test_year_from_an_archive_month() -> None:
    text = "El taller de bordado será el 3 de marzo en la biblioteca."
    assert _dates(text, published_raw="2021-02") == [
        ("3 de marzo", date(2021, 3, 3), "published", "event")]


@pytest.mark.parametrize(("url", "day", "month"), [
    ("https://a.example/2023/11/21/presenta-agenda", date(2023, 11, 21), None),
    ("https://a.example/sonora/2026/3/3/invita-ayuntamiento-431101.html", date(2026, 3, 3),
     None),
    ("https://a.example/nota/2023-11-30/municipios/informe", date(2023, 11, 30), None),
    ("https://a.example/juarez/arman-talleres-20190914-1562265.html", date(2019, 9, 14), None),
    ("https://a.example/2024/11/rinde-informe/?amp=1", None, (2024, 11)),
    ("https://a.example/local/recibe-imm-llamadas-12342038.html", None, None),
    ("https://a.example/?p=73658", None, None),
])
def test_dates_written_in_urls(url: str, day: date | None,
                               month: tuple[int, int] | None) -> None:
    assert url_day(url) == day
    if day is None:
        assert url_month(url) == month


def test_year_written_in_the_sentence_or_once_in_the_release() -> None:
    text = ("El foro «Avances de las mujeres en 2019» se llevará a cabo el jueves 22 de agosto "
            "del presente año.\n\nLa premiación será el viernes 8 de marzo.")
    assert _dates(text) == [
        ("jueves 22 de agosto del presente año", date(2019, 8, 22), "text", "event"),
        ("viernes 8 de marzo", date(2019, 3, 8), "text", "event"),
    ]


def test_weekday_picks_the_year_among_those_written() -> None:
    # 2017 and 2019 are written; 8 March was a Friday in 2019 (not in 2017).
    text = ("Entre 2017 y 2019 crecieron las denuncias.\n\nLa marcha será el viernes 8 de "
            "marzo desde el monumento.")
    assert _dates(text) == [("viernes 8 de marzo", date(2019, 3, 8), "weekday", "event")]


def test_weekday_alone_gives_no_year() -> None:
    text = "La colecta se realizará el viernes 8 de marzo en la plaza."
    assert _dates(text) == [("viernes 8 de marzo", None, "none", "mentioned")]


def test_weekday_resolution_within_a_few_years() -> None:
    text = "el lunes 22 de mayo"
    written = find_expressions(text)[0]
    far = len(text) + 100  # years written elsewhere in the release, not in this sentence
    assert resolve(written, Evidence(years=((far, 2021), (far, 2022))), text) == (
        date(2023, 5, 22), "weekday")  # 22 May: a Monday in 2023, a year on from 2022
    assert resolve(written, Evidence(years=((far, 2010), (far, 2011))), text) == (
        None, "none")  # no Monday 22 May within two years of those written


def test_range_gives_both_ends() -> None:
    text = "La campaña irá del 25 de noviembre al 10 de diciembre de 2022 en las escuelas."
    assert [(d.text, d.value, d.kind) for _, _, d in article_dates(_article(text))] == [
        ("25 de noviembre", date(2022, 11, 25), "event"),
        ("10 de diciembre de 2022", date(2022, 12, 10), "event"),
    ]


def test_range_within_one_month_and_a_dated_list() -> None:
    text = ("Las actividades serán del 4 al 17 de marzo:\n\n- Lunes 4 de marzo: taller de "
            "bordado.\n\n- Martes 5: conferencia.\n\n- Jueves 7: obra de teatro.")
    assert _dates(text, published=date(2024, 3, 1)) == [
        ("4 al 17 de marzo", date(2024, 3, 4), "published", "event"),
        ("17 de marzo", date(2024, 3, 17), "published", "event"),
        ("Lunes 4 de marzo", date(2024, 3, 4), "published", "event"),
        ("Martes 5", date(2024, 3, 5), "published", "event"),
        ("Jueves 7", date(2024, 3, 7), "published", "event"),
    ]


def test_list_day_whose_weekday_disagrees_is_dropped() -> None:
    text = "El sábado 2 de marzo abre la feria.\n\n- Lunes 5: cierre."  # 5 March 2024: Tuesday
    assert [d.text for _, _, d in article_dates(_article(text, published=date(2024, 2, 28)))] \
        == ["sábado 2 de marzo"]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("ayer", date(2024, 3, 5)),
    ("anteayer", date(2024, 3, 4)),
    ("este sábado", date(2024, 3, 9)),  # published on a Wednesday: the coming Saturday
    ("este lunes", date(2024, 3, 4)),  # … and the Monday just past
    ("el próximo miércoles", date(2024, 3, 13)),
    ("el pasado jueves", date(2024, 2, 29)),
    ("el viernes pasado", date(2024, 3, 1)),
    ("mañana jueves", date(2024, 3, 7)),
])
def test_relative_days_count_from_the_publication_date(phrase: str, expected: date) -> None:
    text = f"La reunión se realizó {phrase} en el cabildo."
    assert _dates(text, published=date(2024, 3, 6)) == [(phrase, expected, "published",
                                                          "mentioned")]


def test_relative_days_without_a_publication_date_have_no_value() -> None:
    assert _dates("La reunión fue ayer en el cabildo.") == [("ayer", None, "none", "mentioned")]


@pytest.mark.parametrize("text", [
    "Abrirá un centro en la colonia 16 de Septiembre el mes próximo.",
    "Alumnos de la Escuela Primaria Federal 20 de Noviembre visitaron el museo.",
    "El desfile pasó por la Avenida 16 de Septiembre y la plaza.",
    "El partido se jugará en el estadio 8 de Diciembre.",
    "La obra va de la calle Américas a la 12 de Octubre.",
    "Las denuncias vienen de las colonias Centro, Altavista y 16 de septiembre, dijo.",
    "Se atiende a las colonias:\n- Altavista\n- 16 de septiembre\n- Anapra",
    "Los vecinos de la 5 de Mayo pidieron alumbrado.",
])
def test_names_that_contain_dates_are_not_dates(text: str) -> None:
    assert find_expressions(text) == []


@pytest.mark.parametrize("text", [
    "El 16 de septiembre se celebra la Independencia.",
    "Desde el 20 de Noviembre habrá desfile.",
    "La feria abrió el 5 de mayo en la plaza.",
])
def test_dates_near_names_stay_dates(text: str) -> None:
    assert len(find_expressions(text)) == 1


def test_part_of_name_reads_the_grammar() -> None:
    text = "Visitó la Escuela 20 de Noviembre el 20 de noviembre."
    first, second = text.index("20 de Noviembre"), text.index("20 de noviembre")
    assert part_of_name(text, first, first + 15)
    assert not part_of_name(text, second, second + 15)


def test_impossible_days_are_skipped() -> None:
    assert _dates("el 31 de febrero de 2023") == []


_WEEKDAY_SPELLINGS = ["lunes", "martes", "miércoles", "miercoles", "jueves", "viernes",
                      "sábado", "sabado", "domingo"]
_WEEKDAY_NUMBER = {w: n for n, pair in enumerate(
    [("lunes",), ("martes",), ("miércoles", "miercoles"), ("jueves",), ("viernes",),
     ("sábado", "sabado"), ("domingo",)]) for w in pair}


@pytest.mark.parametrize("weekday", _WEEKDAY_SPELLINGS + [w.upper() for w in _WEEKDAY_SPELLINGS]
                         + [w.title() for w in _WEEKDAY_SPELLINGS])
def test_every_weekday_opens_a_date_whatever_its_case(weekday: str) -> None:
    # The patterns first test a date's opening letter: every weekday must pass it.
    found = find_expressions(f"Fue el {weekday} 7 de marzo de 2024; el {weekday} 9: taller. "
                             f"Será el próximo {weekday}. Y el {weekday} pasado; ayer {weekday}.")
    assert [(w.weekday, w.day, w.month, w.relation) for w in found] == [
        (_WEEKDAY_NUMBER[weekday.lower()], day, month, relation)
        for day, month, relation in [(7, 3, ""), (9, 3, ""), (None, None, "next"),
                                     (None, None, "last"), (None, None, "yesterday")]]



def test_this_year_in_words_is_the_publication_year_not_the_nearest() -> None:
    # published in January: "10 de diciembre" alone would be the nearest, last December
    text = "El informe se presentará el 10 de diciembre de este año ante el cabildo."
    assert _dates(text, published=date(2024, 1, 5)) == [
        ("10 de diciembre de este año", date(2024, 12, 10), "published", "event")]
    text = "La feria se realizó el 3 de febrero del presente año, en Saltillo."
    assert _dates(text, published=date(2025, 11, 20)) == [
        ("3 de febrero del presente año", date(2025, 2, 3), "published", "event")]
