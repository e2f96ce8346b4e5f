from datetime import date

import pytest

from pipeline.document.clean import CleanError, clean
from pipeline.records import RawDocument

PRESS_ROOM = """Sala de Prensa Comunicación Social


Firma el Municipio convenio con organizaciones civiles

Lunes 13 de Marzo del 2023

Buscan fortalecer la atención a mujeres

La Dirección de Salud y la asociación Mujeres Unidas A. C. firmaron un convenio de colaboración.

El acuerdo contempla talleres en centros comunitarios durante todo el año.

Últimas Publicaciones

...
Gobierno Municipal

H. Ayuntamiento de Juárez
Av. Francisco Villa 950 N., Centro
"""


def raw(text: str | bytes, fmt: str = "txt", **extra: str) -> RawDocument:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return RawDocument(doc_id="d1", path="d1.txt", fmt=fmt, data=data, **extra)  # type: ignore[arg-type]


def test_press_room_layout_gives_title_date_and_body_only() -> None:
    article = clean(raw(PRESS_ROOM))
    assert article.title == "Firma el Municipio convenio con organizaciones civiles"
    assert article.published == date(2023, 3, 13)
    assert article.published_raw == "Lunes 13 de Marzo del 2023"
    assert article.text.startswith("Buscan fortalecer la atención a mujeres\n\nLa Dirección")
    assert article.text.endswith("durante todo el año.")
    for chrome in ("Sala de Prensa", "Últimas Publicaciones", "Francisco Villa", "Firma el"):
        assert chrome not in article.text


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    article = clean(raw("Primer párrafo con bastante texto para pasar.\nSegundo párrafo, también."))
    assert article.text == ("Primer párrafo con bastante texto para pasar.\n\n"
                            "Segundo párrafo, también.")


def test_plain_text_is_taken_whole_with_its_first_sentence_as_title() -> None:
    text = "El Instituto inauguró un espacio para mujeres en la colonia Centro de la ciudad."
    article = clean(raw(text))
    assert article.text == text
    assert (article.title, article.title_source) == (text.rstrip("."), "sentence")
    assert article.published is None


def test_archive_date_prefix_gives_the_publication_date() -> None:
    article = clean(raw(" date 2025-08-22 Publicidad - LB2 -\n\nLa biblioteca del barrio abrió "
                        "un club de lectura para jóvenes los sábados por la tarde."))
    assert article.published == date(2025, 8, 22)
    assert article.text.startswith("La biblioteca del barrio")


def test_archive_prefix_with_only_a_month_gives_no_date() -> None:
    article = clean(raw(" date 2024-02 Chihuahua.- El comité vecinal repartió volantes sobre "
                        "la feria de salud del próximo mes."))
    assert article.published is None
    assert article.published_raw == "2024-02"  # kept: it dates the release's days by month
    assert article.text.startswith("Chihuahua.- El comité")


def test_jsonl_record_keeps_its_own_title_and_date() -> None:
    article = clean(raw("Texto completo del boletín con suficientes caracteres para procesarse.",
                        fmt="json", title="Un título", published_raw="2023-11-21"))
    assert (article.title, article.published) == ("Un título", date(2023, 11, 21))
    assert (article.title_source, article.published_source) == ("metadata", "metadata")


@pytest.mark.parametrize(("text", "url", "published", "source"), [
    # The press-room date line.
    ("Abren taller de defensa personal para mujeres\nViernes 3 de Mayo del 2024\n" + "x" * 60,
     None, date(2024, 5, 3), "text"),
    # A dateline opening the body.
    ("Culiacán, Sin., a 12 de junio de 2021.- El alcalde recorrió las colonias del norte de "
     "la ciudad.", None, date(2021, 6, 12), "text"),
    # The archive's prefix.
    (" date 2022-05-04 El comité vecinal repartió volantes sobre la feria de salud.", None,
     date(2022, 5, 4), "metadata"),
    # Nothing in the text: the day written in the URL.
    ("El comité vecinal repartió volantes sobre la feria de salud del mes.",
     "https://noticias.example/2020/07/15/reparten-volantes", date(2020, 7, 15), "url"),
])
def test_publication_date_and_its_source(text: str, url: str | None, published: date,
                                         source: str) -> None:
    article = clean(raw(text, url=url) if url else raw(text))
    assert (article.published, article.published_source) == (published, source)


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "no text"),
    (b"   \n\n  ", "no text"),
    (b"Corto.", "no text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_unusable_inputs_raise_clean_error_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(CleanError, match=reason):
        clean(raw(data))


def test_html_page_goes_through_the_page_extractor() -> None:
    page = ("<html><head><title>Taller de prevención</title></head><body><article>"
            "<p>El Instituto Municipal de las Mujeres impartió un taller de prevención de la "
            "violencia a estudiantes de secundaria.</p><p>Asistieron 120 jóvenes.</p>"
            "</article></body></html>")
    article = clean(raw(page, fmt="html"))
    assert "impartió un taller" in article.text
    assert "\n\n" in article.text


def test_html_without_body_is_rejected() -> None:
    with pytest.raises(CleanError):
        clean(raw("<html><head><title>Nada</title></head><body></body></html>", fmt="html"))


def test_chrome_goes_by_line_never_with_a_body_sentence() -> None:
    text = ("Arriba Marta Ríos Vela\n"
            "Foto: Staff. La alcaldesa entregó becas a estudiantes de la colonia Centro en la "
            "plaza principal.\n"
            "Foto: Luis Gómez / Diario del Norte\n"
            "Más noticias El comité vecinal repartió volantes sobre la feria de salud del mes "
            "en el parque.\n"
            "Arriba de 300 familias acudieron; se detuvo a dos personas relacionadas\n"
            "Información de Marta Ríos Vela Relacionadas\n"
            "Otra nota que no es del comunicado.")
    body = clean(raw(text)).text.split("\n\n")
    assert body == [
        "Marta Ríos Vela",
        "La alcaldesa entregó becas a estudiantes de la colonia Centro en la plaza principal.",
        "El comité vecinal repartió volantes sobre la feria de salud del mes en el parque.",
        "Arriba de 300 familias acudieron; se detuvo a dos personas relacionadas",
        "Información de Marta Ríos Vela"]


def test_a_breadcrumb_line_is_chrome_never_the_title() -> None:
    text = ("Inicio > Local\n"
            "Portada » Noticias » Morelia\n"
            "Instalan Mesa Naranja en Morelia para prevenir la violencia\n"
            "La alcaldía y el Instituto de la Mujer instalaron la mesa > con diez dependencias.")
    cleaned = clean(raw(text))
    assert cleaned.title == "Instalan Mesa Naranja en Morelia para prevenir la violencia"
    assert "Inicio" not in cleaned.text and "Portada" not in cleaned.text
    assert "instalaron la mesa > con diez dependencias." in cleaned.text  # a long line stays
