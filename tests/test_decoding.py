"""Decoding that never garbles: UTF-8 repaired byte by byte, else the whole file detected."""

from __future__ import annotations

import logging

import pytest

from pipeline.sources.decoding import DecodingError, decode_html, decode_text, decode_utf8

TEXT = ("La señora Begoña Núñez, directora del Instituto Municipal de las Mujeres de Ciudad "
        "Juárez, señaló que la campaña «Vivir sin miedo» llegará a niñas y niños en 2024.")


def test_plain_utf8_is_utf8() -> None:
    decoded = decode_text(TEXT.encode())
    assert (decoded.text, decoded.encoding, decoded.repaired) == (TEXT, "utf-8", 0)


def test_bom_is_dropped_and_names_the_encoding() -> None:
    assert decode_text(b"\xef\xbb\xbf" + TEXT.encode()).text == TEXT
    utf16 = decode_text(TEXT.encode("utf-16"))
    assert (utf16.text, utf16.encoding) == (TEXT, "utf-16")


def test_one_stray_byte_keeps_the_file_utf8(caplog: pytest.LogCaptureFixture) -> None:
    # "Juárez" pasted from a Windows-1252 document into a UTF-8 file.
    data = TEXT.encode() + " Visita a Ju\xe1rez.".encode("cp1252")
    with caplog.at_level(logging.WARNING):
        decoded = decode_text(data, source="nota.txt")
    assert decoded.text == TEXT + " Visita a Juárez."
    assert (decoded.encoding, decoded.repaired) == ("utf-8-repaired", 1)
    assert "nota.txt: UTF-8 with 1 stray byte(s)" in caplog.text
    assert "utf-8-repaired" in caplog.text


def test_a_character_cut_short_becomes_one_replacement_character() -> None:
    cut = "— ".encode()[:2]  # the em dash's first two bytes of three
    decoded = decode_utf8(TEXT.encode() + b" fin " + cut + b" y sigue")
    assert decoded is not None and decoded.encoding == "utf-8-repaired"
    assert decoded.text == TEXT + " fin \ufffd y sigue"


def test_windows_1252_file_is_read_whole_as_windows_1252(caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    text = TEXT + " “Así lo dijo” — en la región."
    with caplog.at_level(logging.WARNING):
        decoded = decode_text(text.encode("cp1252"), source="viejo.txt")
    assert (decoded.text, decoded.encoding) == (text, "cp1252")
    assert "viejo.txt: not UTF-8; read as cp1252" in caplog.text


def test_short_windows_1252_text_is_not_read_as_another_script() -> None:
    # Unconstrained detection reads this as Urdu (cp1006).
    assert decode_text("Año de Juárez".encode("cp1252")).text == "Año de Juárez"


def test_dos_text_is_detected_when_windows_1252_reads_it_worse() -> None:
    text = "Señaló la directora Begoña Núñez que la campaña sigue."
    decoded = decode_text(text.encode("cp850"))
    assert (decoded.text, decoded.encoding) == (text, "cp850")


@pytest.mark.parametrize(("data", "reason"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
])
def test_binary_is_refused(data: bytes, reason: str) -> None:
    with pytest.raises(DecodingError, match=reason):
        decode_text(data)


def test_html_declaring_utf8_with_a_stray_byte_stays_utf8(caplog: pytest.LogCaptureFixture
                                                          ) -> None:
    page = (f'<html><head><meta charset="utf-8"></head><body><p>{TEXT}</p>'.encode()
            + "<p>Ju\xe1rez</p></body></html>".encode("cp1252"))
    with caplog.at_level(logging.WARNING):
        decoded = decode_html(page, "utf-8", source="medio/nota.html")
    assert TEXT in decoded.text and "<p>Juárez</p>" in decoded.text
    assert decoded.encoding == "utf-8-repaired"
    assert "medio/nota.html: UTF-8 with 1 stray byte(s)" in caplog.text


def test_html_declared_charset_that_reads_it_is_used_without_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    page = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'.encode("cp1252")
    with caplog.at_level(logging.WARNING):
        decoded = decode_html(page)
    assert TEXT in decoded.text and decoded.encoding == "cp1252"
    assert caplog.text == ""


def test_html_declaring_utf8_but_written_in_latin1_follows_the_next_declaration() -> None:
    page = f'<meta charset="iso-8859-1"><p>{TEXT}</p>'.encode("latin-1")
    decoded = decode_html(page, "utf-8")
    assert TEXT in decoded.text and decoded.encoding == "cp1252"
