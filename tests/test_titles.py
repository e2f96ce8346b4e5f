"""Titles: the input's headline, else the URL's slug or the first sentence; never a byline,
a site name or a date line, never cut mid-word."""

import pytest

from pipeline.document.clean import clean
from pipeline.document.titles import (
    TITLE_MAX,
    clean_given,
    is_byline,
    reads_as_headline,
    sentence_title,
    slug_title,
)
from pipeline.records import RawDocument

BODY = ("Ciudad Juárez.- El Instituto Municipal de las Mujeres inauguró una sala de lactancia "
        "en la Unidad Administrativa, con la presencia de la directora y de personal de la "
        "Secretaría de Salud, que impartirá pláticas durante todo el año. La sala abre diario.")


def _clean(text: str, **extra: str):  # type: ignore[no-untyped-def]
    return clean(RawDocument(doc_id="d", path="d.txt", fmt="txt", data=text.encode(), **extra))


def test_first_short_line_that_reads_as_a_headline() -> None:
    article = _clean("Inaugura IMM sala de lactancia en la Unidad Administrativa\n" + BODY)
    assert (article.title, article.title_source) == (
        "Inaugura IMM sala de lactancia en la Unidad Administrativa", "headline")


def test_press_room_title_line_leaves_the_body() -> None:
    article = _clean("Inaugura IMM sala de lactancia\nMartes 5 de Marzo del 2024\n" + BODY)
    assert article.title_source == "headline"
    assert not article.text.startswith("Inaugura")


@pytest.mark.parametrize("first_line", ["Por Ana López Ruiz", "Redacción", "ÉxodoNorte",
                                        "Movil - LB1 -", "Martes 5 de Marzo del 2024",
                                        "Portal Con Alma Fronteriza"])
def test_bylines_site_names_chrome_and_date_lines_are_no_headline(first_line: str) -> None:
    article = _clean(f"{first_line}\n{BODY}", url="https://exodonorte.example/x")
    assert article.title != first_line and article.title_source != "headline"


def test_title_from_the_url_slug_spelt_as_the_body_spells_it() -> None:
    article = _clean(BODY, url="https://noticias.example/juarez/inaugura-instituto-municipal-"
                               "de-las-mujeres-sala-de-lactancia-1234567.html")
    assert (article.title, article.title_source) == (
        "Inaugura Instituto Municipal de las Mujeres sala de lactancia", "url")


def test_slug_with_mangled_accents_or_too_few_words_is_not_used() -> None:
    assert slug_title("https://a.example/noticia/30813/corren-en-el-dA-a-de-la-familia", "") \
        is None
    assert slug_title("https://a.example/?p=73658", "") is None
    assert slug_title("https://a.example/2024/11/12342038.html", "") is None


def test_title_from_the_first_sentence_cut_at_a_word_boundary() -> None:
    title = sentence_title([BODY])
    assert title.endswith("…") and len(title) <= TITLE_MAX
    assert title.startswith("El Instituto Municipal")  # the dateline is not the title
    assert BODY.replace("Ciudad Juárez.- ", "").startswith(title.removesuffix("…"))
    assert BODY[len("Ciudad Juárez.- ") + len(title) - 1] == " "  # the cut is between words


def test_hard_wrapped_first_sentence_is_joined() -> None:
    assert sentence_title(["Los Cabos.- Con una inversión de 45 millones, el", "alcalde "
                           "entregó la obra.", "Otro párrafo."]) == (
        "Con una inversión de 45 millones, el alcalde entregó la obra")


def test_given_titles_lose_the_site_suffix_and_never_are_a_site_name() -> None:
    assert clean_given("Capacitan a policías en género | El Diario de la Frontera") == \
        "Capacitan a policías en género"
    assert clean_given("Diario Fronterizo", url="https://www.diariofronterizo.example/a") is None
    assert reads_as_headline("Capacitan a policías municipales en perspectiva de género")
    assert is_byline("Alejandra Soto / El Diario") and is_byline("POR Redacción")
