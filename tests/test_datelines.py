"""The dateline grammar (document/datelines.py) and what reads it: the publication date
(clean), the municipality (jurisdiction) and the event dates it is not."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.document.clean import clean
from pipeline.document.datelines import dated_dateline, datelines, read_dateline
from pipeline.document.event_dates import article_dates
from pipeline.document.jurisdiction import check_jurisdiction, jurisdiction_of
from pipeline.records import Article, RawDocument

BODY = " El comité vecinal repartió volantes sobre la feria de salud del mes en la plaza."


@pytest.mark.parametrize(("line", "parts", "day"), [
    ("León, Guanajuato, a 28 de diciembre del 2021.", ("León", "Guanajuato"),
     date(2021, 12, 28)),
    ("Saltillo, Coah., a 3 de marzo de 2024", ("Saltillo", "Coah."), date(2024, 3, 3)),
    ("Tijuana, Baja California. 14 de febrero de 2025.", ("Tijuana", "Baja California"),
     date(2025, 2, 14)),
    ("NotiSur, Mérida, 12 octubre  2020.- Arrancó la feria.", ("NotiSur", "Mérida"),
     date(2020, 10, 12)),
    ("Toluca, Méx., Martes 9 de abril del 2024. - Vecinos de la zona…", ("Toluca", "Méx."),
     date(2024, 4, 9)),
    ("Durango, Dgo. (Agencias) – La alcaldesa inauguró la obra.", ("Durango", "Dgo."), None),
    ("PUEBLA._ El cabildo sesionó.", ("PUEBLA",), None),
    ("Laura Gómez Treviño, 29 de noviembre de 2022", ("Laura Gómez Treviño",),
     date(2022, 11, 29)),
    # a semicolon between parts, a dash before the date, a credit before a slash or a bar
    ("Tuxtla Gutiérrez, Chiapas; 1 de septiembre de 2021.", ("Tuxtla Gutiérrez", "Chiapas"),
     date(2021, 9, 1)),
    ("Culiacán, Sin.- 20 de mayo de 2023. El DIF repartió despensas.", ("Culiacán", "Sin."),
     date(2023, 5, 20)),
    ("Redacción / Morelia, Mich., 14 de febrero, 2025.- La Secretaría informó.",
     ("Morelia", "Mich."), date(2025, 2, 14)),
    ("Por María López | Aguascalientes, Ags. 30 de abril de 2022", ("Aguascalientes", "Ags."),
     date(2022, 4, 30)),
])
def test_the_shapes_of_a_dateline(line: str, parts: tuple[str, ...], day: date | None) -> None:
    found = read_dateline(line)
    assert found is not None
    assert (found.parts, found.day) == (parts, day)


@pytest.mark.parametrize("line", [
    "Juárez. El alcalde inauguró el parque.",  # a place and a full stop open a sentence
    "Mérida, 5 de mayo de 2024 fue el día de la inauguración.",  # a date that runs on
    "el Instituto de las Mujeres.- informó",  # no capitalised place
    "Se realizará el 5 de mayo de 2024.",
])
def test_what_is_no_dateline(line: str) -> None:
    assert read_dateline(line) is None


def test_a_dateline_opens_one_of_the_first_lines_only() -> None:
    text = "Por Redacción\nOaxaca, Oax., a 2 de junio de 2023.- Inició la obra.\nOtra línea."
    found = dated_dateline(text)
    assert found is not None and found.day == date(2023, 6, 2)
    assert text[found.date_start:found.date_end] == "2 de junio de 2023"
    late = "\n".join(["Una línea del cuerpo."] * 9 + ["Oaxaca, Oax., a 2 de junio de 2023.-"])
    assert list(datelines(late)) == []


def _raw(text: str, url: str | None = None) -> RawDocument:
    return RawDocument(doc_id="d1", path="d1.txt", fmt="txt", data=text.encode(), url=url)


@pytest.mark.parametrize(("text", "published"), [
    ("Zacatecas, Zac. 7 de julio de 2022." + BODY, date(2022, 7, 7)),
    ("Por Ana Ruiz\nColima, Col., a 16 de enero de 2023\n" + BODY, date(2023, 1, 16)),
    ("Agencia Sur, Tepic, 5 septiembre 2019.-" + BODY, date(2019, 9, 5)),
    ("Abren feria de salud en el centro\nMarta Ríos Vela, 29 de noviembre de 2022\n" + BODY,
     date(2022, 11, 29)),
])
def test_the_dateline_dates_the_release(text: str, published: date) -> None:
    article = clean(_raw(text))
    assert (article.published, article.published_source) == (published, "text")


def test_the_dateline_wins_over_the_day_of_the_url() -> None:
    article = clean(_raw("Colima, Col., a 16 de enero de 2023\n" + BODY,
                         url="https://noticias.example/2023/01/18/feria"))
    assert article.published == date(2023, 1, 16)


def test_a_sites_today_header_that_the_dateline_contradicts_is_chrome() -> None:
    text = ("miércoles, 15 de mayo de 2024\nAbren feria de salud en el centro\n"
            "Saltillo, Coah., a 29 de noviembre de 2022.-" + BODY)
    assert clean(_raw(text)).published == date(2022, 11, 29)
    # the same header with nothing that contradicts it stays the date
    alone = "miércoles, 15 de mayo de 2024\nAbren feria de salud en el centro\n" + BODY
    assert clean(_raw(alone)).published == date(2024, 5, 15)


def test_a_sites_today_header_that_the_url_contradicts_is_chrome() -> None:
    text = "jueves, 2 de enero de 2025\nAbren feria de salud en el centro\n" + BODY
    article = clean(_raw(text, url="https://diario.example/2024/03/08/feria"))
    assert (article.published, article.published_source) == (date(2024, 3, 8), "url")


def test_a_dateline_date_is_never_an_event_date() -> None:
    # published from the metadata on another day: the dateline's date is still no event
    text = "Querétaro, Qro., a 4 de marzo de 2024.- El taller se realizó el 2 de marzo."
    article = Article(doc_id="d", path="d.txt", url=None, title="t", text=text,
                      published=date(2024, 3, 5), published_raw="2024-03-05",
                      published_source="metadata")
    kinds = [(m.text, m.kind) for _, _, m in article_dates(article)]
    assert kinds == [("2 de marzo", "event")]


def test_the_city_after_an_outlets_name_is_the_municipality() -> None:
    found = jurisdiction_of("", "NotiMex, Hermosillo, 12 octubre 2020.- Arrancó la feria.",
                            None, default=check_jurisdiction("Juárez, Chihuahua"))
    assert (found.label, found.source) == ("Hermosillo, Sonora", "dateline")
