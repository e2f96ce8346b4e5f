"""Main-text extraction from saved pages: the press room's selectors, trafilatura elsewhere."""

from __future__ import annotations

import csv
import dataclasses
import logging
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest

from pipeline.sources.decoding import decode_html
from pipeline.sources.rawstore import MANIFEST_FIELDS
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
    assert result.extractor == "juarez"
    assert_no_chrome(result.text)


PARAGRAPHS = "".join(
    f"<p>La Dirección de Prevención Social impartió la plática número {i} sobre noviazgo sin "
    "violencia a estudiantes de la secundaria de la colonia Felipe Ángeles.</p>"
    for i in range(4))


def test_press_room_page_with_other_markup_falls_back_to_generic(
        caplog: pytest.LogCaptureFixture) -> None:
    html = ("<html><head><title>Nota</title></head><body><div class='post'>"
            f"<h1>Pláticas de noviazgo sin violencia</h1>{PARAGRAPHS}</div></body></html>")
    result = extract_webpage(html.encode(), url="https://www.juarez.gob.mx/noticia/5/x")
    assert result.extractor == "generic (juarez did not match)"
    assert result.title == "Pláticas de noviazgo sin violencia"
    assert len(result.text.split("\n\n")) == 4
    [warning] = [r for r in caplog.records if r.levelname == "WARNING"]
    assert "div.noticia-contenido" in warning.message and "juarez.toml" in warning.message


def test_press_room_page_neither_extractor_reads_names_both() -> None:
    html = b"<html><body><div class='nueva-plantilla'></div><footer>Contacto</footer></body></html>"
    with pytest.raises(NoBodyError, match="body selector .*, and the generic extractor"):
        extract_webpage(html, url="https://juarez.gob.mx/noticia/5/x")


@pytest.mark.parametrize("depth", [300, 3000])
def test_deeply_nested_page_is_read_whole(depth: int) -> None:
    # Unclosed wrappers nest a page deeper than the HTML parser's 256 levels.
    html = (f"<html><head><title>Nota</title></head><body>{'<div>' * depth}"
            f"<article>{PARAGRAPHS}</article>{'</div>' * depth}</body></html>")
    generic = extract_webpage(html.encode(), url="https://diario.example/n")
    assert generic.extractor == "generic"
    assert len(generic.text.split("\n\n")) == 4
    press_room = (f"<div class='noticia-detalle'><h1 class='noticia-titulo'>T</h1><div "
                  f"class='noticia-contenido'>{'<div>' * depth}{PARAGRAPHS}{'</div>' * depth}"
                  "</div></div>")
    assert extract_webpage(press_room.encode()).text == generic.text


def test_trafilatura_logs_nothing_unless_verbose(caplog: pytest.LogCaptureFixture) -> None:
    html = b"<html><head><title>Nota</title></head><body><footer>Contacto</footer></body></html>"
    caplog.set_level(logging.WARNING)
    with pytest.raises(NoBodyError):
        extract_webpage(html, url="https://diario.example/vacia")
    assert [r.name for r in caplog.records if r.name.startswith("trafilatura")] == []
    caplog.set_level(logging.INFO, logger="pipeline.sources.webpage")
    with pytest.raises(NoBodyError):
        extract_webpage(html, url="https://diario.example/vacia")
    assert any(r.name.startswith("trafilatura") for r in caplog.records)


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
    assert result.extractor == "generic"
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


# --- bad-input matrix: saved pages through `extract` ----------------------------------------

PROJECT = Path(__file__).resolve().parents[1]
OTHER_PARAGRAPHS = "".join(
    f"<p>El Consejo Ciudadano revisó el punto {i} del protocolo de atención a mujeres en "
    "situación de violencia junto con la Fiscalía de Distrito Zona Norte.</p>" for i in range(4))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path]:
    """One quiet `extract` run over saved pages of each kind: status, stderr, output folder."""
    raw = tmp_path_factory.mktemp("raw")
    pages = {
        "https://www.juarez.gob.mx/noticia/5/otra-plantilla": (
            "<html><head><title>Nota</title></head><body><div class='post'><h1>Pláticas de "
            f"noviazgo sin violencia</h1>{PARAGRAPHS}</div></body></html>"),
        "https://www.juarez.gob.mx/noticia/6/taller": page("juarez-noticia.html").decode(),
        "https://diario.example/anidada": (
            f"<html><head><title>Protocolo</title></head><body>{'<div>' * 3000}<article>"
            f"{OTHER_PARAGRAPHS}</article>{'</div>' * 3000}</body></html>"),
        "https://diario.example/vacia": ("<html><head><title>Nota</title></head><body>"
                                         "<footer>Contacto</footer></body></html>"),
    }
    rows = []
    for url, html in pages.items():
        path = f"{url.split('/')[2]}/{url.rsplit('/', 1)[1]}.html"
        (raw / path).parent.mkdir(exist_ok=True)
        (raw / path).write_text(html, encoding="utf-8")
        rows.append({"url": url, "final_url": url, "path": path, "status": "200",
                     "content_type": "text/html", "charset": "utf-8"})
    with (raw / "manifest.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_FIELDS, restval="")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path_factory.mktemp("processed")
    result = subprocess.run([sys.executable, "-m", "pipeline", "-q", "extract", "--input",
                             str(raw), "--output", str(out)], check=False, cwd=PROJECT,
                            capture_output=True, text=True, timeout=120)
    if result.returncode == 2 and "model" in result.stderr.lower():
        pytest.skip(f"extract needs a Spanish model: {result.stderr.strip()}")
    return result.returncode, result.stderr, out


def table(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_bad_input_press_room_page_with_other_markup_is_read_by_the_fallback(
        extracted: tuple[int, str, Path]) -> None:
    status, stderr, out = extracted
    assert status == 0
    extractors = {row["url"]: row["extractor"] for row in table(out, "documents.csv")}
    assert extractors["https://www.juarez.gob.mx/noticia/5/otra-plantilla"] == \
        "generic (juarez did not match)"
    assert extractors["https://www.juarez.gob.mx/noticia/6/taller"] == "juarez"
    assert "https://www.juarez.gob.mx/noticia/5/otra-plantilla: no element matches the juarez " \
           "body selector" in stderr
    summary = stderr.strip().splitlines()[-1]
    assert "juarez: 1" in summary and "generic (juarez did not match): 1" in summary


def test_bad_input_deeply_nested_page_is_read(extracted: tuple[int, str, Path]) -> None:
    status, _, out = extracted
    assert status == 0
    [row] = [r for r in table(out, "documents.csv") if r["url"] == "https://diario.example/anidada"]
    assert row["extractor"] == "generic" and row["title"] == "Protocolo"
    assert not [r for r in table(out, "rejects.csv") if "anidada" in r["path"]]


def test_bad_input_trafilatura_lines_hidden_with_quiet(extracted: tuple[int, str, Path]) -> None:
    status, stderr, out = extracted
    assert status == 0
    assert "trafilatura." not in stderr  # its loggers are trafilatura.core, …
    assert table(out, "rejects.csv") == [{
        "path": "diario.example/vacia.html", "stage": "clean",
        "reason": "the generic extractor (trafilatura) found no main text", "error": ""}]


BODY = "".join(f"<p>La regidora de Hermosillo presentó el taller número {n} sobre prevención "
               "de la violencia de género en las secundarias de la ciudad.</p>"
               for n in range(1, 6))


@pytest.mark.parametrize("megabytes", [16, 40])
def test_bad_input_a_page_with_a_huge_inline_image_is_read(megabytes: int) -> None:
    """An inline base64 image of many megabytes is cut before parsing (libxml2 refuses a
    text node over 10 MB): the body is read, not rejected as having no main text."""
    image = "iVBORw0KGgo" + "A" * (megabytes * 1024 * 1024)
    html = (f"<html><head><title>Taller en secundarias</title>"
            f"<style>.logo {{ background: url(data:image/png;base64,{image[:5000]}) }}</style>"
            f"</head><body><article><h1>Taller en secundarias</h1>"
            f"<img src=\"data:image/png;base64,{image}\" alt=\"foto\">{BODY}</article>"
            "</body></html>").encode()
    result = extract_webpage(html)
    assert result.text.count("sobre prevención de la violencia de género") == 5
    assert "base64" not in result.text


def test_bad_input_a_body_only_inside_an_iframe_srcdoc_is_read() -> None:
    inner = escape(f"<html><body><article>{BODY}</article></body></html>")
    html = (f"<html><head><meta property='og:title' content='Taller en secundarias'></head>"
            f"<body><nav><a href='/'>Inicio</a></nav><iframe srcdoc=\"{inner}\"></iframe>"
            "</body></html>").encode()
    result = extract_webpage(html)
    assert result.title == "Taller en secundarias"
    assert result.text.startswith("La regidora de Hermosillo presentó el taller número 1")
    assert result.text.count("\n\n") == 4
