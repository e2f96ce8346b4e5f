"""Main-text extraction from saved pages: the press room's selectors, trafilatura elsewhere."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from pipeline.sources.decoding import decode_html
from pipeline.sources.webpage import NoBodyError, WebPage, extract_webpage

WEB = Path(__file__).parent / "fixtures" / "web"
CHROME = ("Últimas Publicaciones", "Francisco Villa 950", "Inicio", "Compartir", "Cortesía",
          "Lo más leído", "Transparencia", "Aviso de privacidad")


def page(name: str) -> bytes:
    return (WEB / name).read_bytes()


def assert_no_chrome(text: str) -> None:
    for phrase in CHROME:
        assert phrase not in text, phrase


@pytest.mark.parametrize("url", ["https://www.juarez.gob.mx/noticia/103/imparte-imm-taller",
                                 None, "http://127.0.0.1:8000/noticia/103/imparte-imm-taller"])
def test_press_room_page_by_host_or_markup(url: str | None) -> None:
    result = extract_webpage(page("juarez-noticia.html"), url=url)
    assert result.title == "Imparte IMM taller de prevención de violencia en el noviazgo"
    assert result.published_raw == "Publicado el 14 de febrero de 2024"
    paragraphs = result.text.split("\n\n")
    assert paragraphs[0].startswith("Ciudad Juárez.- El Instituto Municipal de las Mujeres")
    assert "Martes 20: plática en la Preparatoria Niños Héroes." in paragraphs
    assert len(paragraphs) == 5 and all(p.strip() == p and p for p in paragraphs)
    assert result.title not in result.text and "Publicado el" not in result.text
    assert_no_chrome(result.text)


def test_press_room_host_with_changed_markup_names_the_selector() -> None:
    html = b"<html><body><div class='nueva-plantilla'><p>Texto.</p></div></body></html>"
    with pytest.raises(NoBodyError, match="body selector"):
        extract_webpage(html, url="https://juarez.gob.mx/noticia/5/x")


def test_press_room_empty_body_is_no_body() -> None:
    html = ('<div class="noticia-detalle"><h1 class="noticia-titulo">Título</h1>'
            '<div class="noticia-contenido"><div class="compartir">Compartir</div></div></div>')
    with pytest.raises(NoBodyError, match="holds no text") as caught:
        extract_webpage(html.encode())
    assert isinstance(caught.value, ValueError)


def test_outlet_page_uses_generic_extractor_and_metadata() -> None:
    result = extract_webpage(page("diario-nota.html"), url="https://diario.example/local/convenio")
    assert result.title == "Firman Municipio y UACJ convenio contra la violencia de género"
    assert result.published_raw == "2024-03-05T09:30:00-07:00"  # JSON-LD datePublished
    paragraphs = result.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("El Gobierno Municipal y la Universidad Autónoma")
    assert "Cierran puente internacional" not in result.text
    assert_no_chrome(result.text)


def test_outlet_date_from_time_element_then_visible_line() -> None:
    body = "".join(f"<p>Párrafo número {i} de la nota con texto suficiente para el extractor, "
                   "que habla del Instituto Municipal de las Mujeres y sus talleres.</p>"
                   for i in range(4))
    with_time = f"<html><body><article><time datetime='2024-05-02'>ayer</time>{body}</article>"
    assert extract_webpage(with_time.encode()).published_raw == "2024-05-02"
    with_line = f"<html><body><article><p>Ciudad Juárez, 9 de mayo de 2024</p>{body}</article>"
    result = extract_webpage(with_line.encode(), url="https://otro.example/n")
    assert result.published_raw == "9 de mayo de 2024"
    assert result.text.startswith("Párrafo número 0")  # the date line is not body text


def test_outlet_page_without_text_is_no_body() -> None:
    html = b"<html><body><nav><a href='/'>Inicio</a></nav><footer>Contacto</footer></body></html>"
    with pytest.raises(NoBodyError, match="trafilatura"):
        extract_webpage(html, url="https://diario.example/vacia")


@pytest.mark.parametrize(("name", "charset", "expected"), [
    ("latin1-header.html", "ISO-8859-1", "El señor Muñoz, padre de familia de la colonia Año"),
    ("latin1-header.html", None, "El señor Muñoz, padre de familia de la colonia Año"),
    ("latin1-meta.html", None, "señaló la directora de Obras Públicas, Begoña Núñez."),
    ("latin1-meta.html", "utf-8", "señaló la directora de Obras Públicas, Begoña Núñez."),
    ("cp1252-meta.html", None, "de feminicidio — “queremos vivir sin miedo”, dijo"),
    ("cp1252-meta.html", "iso-8859-1", "de feminicidio — “queremos vivir sin miedo”, dijo"),
])
def test_single_byte_pages_keep_accents(name: str, charset: str | None, expected: str) -> None:
    # A wrong header ("utf-8" on Latin-1 bytes) falls through to <meta>; "ISO-8859-1" on
    # Windows-1252 bytes is read as Windows-1252, as browsers do.
    result = extract_webpage(page(name), url="https://medio.example/nota", charset=charset)
    assert expected in result.text
    assert "\ufffd" not in result.text + result.title


def test_decode_prefers_bom_then_header() -> None:
    text = "Niñez"
    assert decode_html(b"\xef\xbb\xbf" + text.encode(), "iso-8859-1").text == text
    assert decode_html(text.encode("utf-16")).text == text
    assert decode_html(text.encode("cp1252"), "windows-1252").text == text
    assert decode_html(text.encode(), "no-such-charset").text == text


def test_webpage_is_frozen() -> None:
    result = WebPage(title="t", text="x", published_raw=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.title = "u"  # type: ignore[misc]
