"""Bytes → text for every input, without garbling: one decoder for text files and web pages.

UTF-8 comes first. A file that is UTF-8 apart from a few stray bytes (a name pasted from a
Windows-1252 document, a character cut in half) stays UTF-8, the stray bytes repaired; only
a file that is mostly not UTF-8 is decoded as a whole in another encoding, which
``charset-normalizer`` chooses. :attr:`Decoded.encoding` says what happened (``utf-8``,
``utf-8-repaired``, ``cp1252``, …; the ``decoding`` column of ``documents.csv``) and a
warning names every input that was not plain UTF-8.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

UTF8 = "utf-8"
UTF8_REPAIRED = "utf-8-repaired"
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# What Spanish text that is not UTF-8 is written in. Unconstrained detection reads short
# Windows-1252 text as Urdu or Baltic code pages ("año" → "ańo"); among the Western ones,
# Windows-1252 is by far the commonest, so it wins unless another reads clearly better.
_CANDIDATES = ["cp1252", "iso8859_15", "cp850", "mac_roman", "utf_16", "utf_32"]
_PREFERRED = "cp1252"
_CHAOS_MARGIN = 0.01  # charset-normalizer's mess ratio: a difference this small is a tie
# Labels browsers read as Windows-1252 (WHATWG Encoding): "ISO-8859-1" pages routinely hold
# curly quotes and dashes from the 0x80–0x9F range.
_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii",
              "windows-1252", "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, after surrogateescape


class DecodingError(ValueError):
    """The bytes are not text: binary, or no encoding reads them."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-repaired", or the codec that read the whole input
    repaired: int = 0  # stray bytes of a mostly UTF-8 input, read one by one


def _repair(run: bytes) -> str:
    """Text for a run of bytes that are not UTF-8: a character cut short is U+FFFD, other
    bytes are read as Windows-1252 (the usual source of stray bytes in Spanish text)."""
    lead = run[0]
    expected = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else \
        4 if 0xF0 <= lead <= 0xF4 else 0
    # A lone lead byte is a Windows-1252 letter: á, é, í, ñ, ó and ú are all lead bytes.
    if expected and 2 <= len(run) < expected and all(0x80 <= b <= 0xBF for b in run[1:]):
        return "\ufffd"
    return run.decode("cp1252", errors="replace")


def decode_utf8(data: bytes) -> Decoded | None:
    """``data`` as UTF-8, stray bytes repaired; None when it is mostly not UTF-8.

    Mostly UTF-8 means its well-formed non-ASCII characters outnumber its stray bytes: text
    in a single-byte encoding has (almost) no well-formed UTF-8 sequences.

    >>> decode_utf8("Juárez y Ciudad Juárez".encode() + b" \\xe9xito").encoding
    'utf-8-repaired'
    >>> decode_utf8("señora".encode("cp1252")) is None
    True
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return Decoded(data.decode("utf-8"), UTF8)
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    runs = [len(match.group()) for match in _ESCAPED.finditer(escaped)]
    stray = sum(runs)
    well_formed = sum(1 for char in escaped if ord(char) > 127) - stray
    if well_formed <= stray:
        return None
    text = _ESCAPED.sub(lambda m: _repair(m.group().encode("utf-8", "surrogateescape")),
                        escaped)
    return Decoded(text, UTF8_REPAIRED, repaired=stray)


def _label(codec: str) -> str:
    return codecs.lookup(codec).name


def _detect(data: bytes) -> Decoded | None:
    """The whole input in the Western encoding charset-normalizer finds least messy."""
    matches = list(from_bytes(data, cp_isolation=_CANDIDATES))
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    chosen = next((m for m in matches if m.encoding == _PREFERRED
                   and m.chaos <= least + _CHAOS_MARGIN), None)
    chosen = chosen or min(matches, key=lambda match: match.chaos)
    return Decoded(str(chosen), _label(chosen.encoding))


def _with_bom(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            return Decoded(text.lstrip("\ufeff"), UTF8 if codec == "utf-8-sig" else codec)
    return None


def log_decoding(decoded: Decoded, source: str, *, guessed: bool) -> Decoded:
    """Log what was not plain UTF-8: repairs always, other encodings when guessed (an
    encoding the input declared and that reads it is no news)."""
    if decoded.encoding == UTF8_REPAIRED:
        logger.warning("%s: UTF-8 with %d stray byte(s) that are not; they were read as "
                       "Windows-1252 (decoding utf-8-repaired)", source, decoded.repaired)
    elif guessed and decoded.encoding != UTF8 and not decoded.text.isascii():
        logger.warning("%s: not UTF-8; read as %s, the encoding that reads it best "
                       "(decoding %s)", source, decoded.encoding, decoded.encoding)
    return decoded


def decode_text(data: bytes, *, source: str = "input") -> Decoded:
    """Decode a text file: a BOM's encoding, else UTF-8 (repaired), else detected.

    Raises:
        DecodingError: binary data (NUL bytes without a UTF-16/32 BOM) or undecodable.
    """
    decoded = _with_bom(data)
    if decoded is not None:
        return decoded  # a BOM declares its encoding
    if b"\x00" in data:
        raise DecodingError("binary file (contains NUL bytes), not a text release")
    decoded = decode_utf8(data) or _detect(data)
    if decoded is None:
        raise DecodingError("undecodable bytes: not UTF-8, and no Western encoding reads "
                            "them")
    return log_decoding(decoded, source, guessed=True)


def _declared(data: bytes, label: str) -> Decoded | None:
    """``data`` in the charset a page declares, None when that charset cannot read it."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name == "utf-8":
        return decode_utf8(data)
    if label in _AS_CP1252 or name in ("latin-1", "iso8859-1", "ascii"):
        # Latin-1 bytes cp1252 leaves undefined (0x81, 0x8D, …) are control codes: keep them.
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            return Decoded(data.decode("latin-1"), "iso8859-1")
    try:
        return Decoded(data.decode(name), name)
    except UnicodeDecodeError:
        return None


def decode_html(data: bytes, charset: str | None = None, *, source: str = "page") -> Decoded:
    """Text of an HTML page: BOM, then the HTTP charset, then ``<meta>``, then UTF-8
    (repaired), then detection; never fails (Latin-1 reads any bytes)."""
    decoded = _with_bom(data)
    meta = _META_CHARSET.search(data[:4096])
    for label in filter(None, [charset, meta.group(1).decode("ascii") if meta else None]):
        if decoded is not None:
            break
        decoded = _declared(data, label)
        if decoded is None:
            logger.debug("declared charset %r does not decode the page; trying the next "
                         "source", label)
    if decoded is not None:
        return log_decoding(decoded, source, guessed=False)
    decoded = decode_utf8(data) or _detect(data) or Decoded(data.decode("latin-1"), "iso8859-1")
    return log_decoding(decoded, source, guessed=True)
