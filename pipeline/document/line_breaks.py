"""Line breaks that are not the release's own: words broken over two lines, and paragraphs
wrapped at a fixed width by whoever stored the text.

A stored release usually holds one paragraph a line. Some are wrapped instead ("…la
presidenta Claudia⏎Sheinbaum, por impulsar…"), with a blank line between paragraphs, and some
keep the hyphen of a word broken at the end of a line ("Fundación del Empresariado Chihua-⏎
huense"), or keep it after the line was joined ("Chihua-huense"). Read as they are, the
wrapped lines become paragraphs of their own, so a name is cut in two, and a broken word
becomes two words. :func:`join_broken_lines` undoes both before the text is cleaned, so that
every table (and every offset into the text) sees the words as they were written.
"""

from __future__ import annotations

import re

_LOWER = "a-záéíóúüñ"
_UPPER = "A-ZÁÉÍÓÚÜÑ"
# A word broken at the end of a line: letters, a hyphen, the line break, lower-case letters.
_BROKEN_AT_LINE_END = re.compile(rf"(?<=[{_LOWER}{_UPPER}][{_LOWER}])-[ \t]*\n[ \t]*"
                                 rf"(?=[{_LOWER}])")
# A name's word broken by a hyphen whose line break is gone ("Chihua-huense"): a capitalised
# fragment and a lower-case rest. Compound adjectives keep their hyphen ("Teórico-práctico",
# "Franco-mexicana": the first part ends in -o); lower-case compounds ("socio-emocional",
# "e-consulta") cannot be told from broken words, and are left alone.
_BROKEN_NAME_WORD = re.compile(rf"\b([{_UPPER}][{_LOWER}]*[a-np-záéíóúüñ])-"
                               rf"([{_LOWER}]{{2,}})\b")
_PARAGRAPHS = re.compile(r"(\n[ \t]*\n\s*)")
_SENTENCE_END = re.compile(r"[.:;!?\"”»)]\s*$")
_LIST_ITEM = re.compile(r"^(?:[-–—•*·]|\d{1,2}[.)])\s")
# A wrapped block: its longest line (the wrapping width) is MIN_WRAP to MAX_WRAP characters,
# at least half of its full lines (WRAP_SLACK of the width or more) end inside a sentence,
# one of them going on in lower case on the next line, and no line is a list item. In it, a
# full line goes on into the next; a shorter one ends its paragraph.
MIN_WRAP, MAX_WRAP = 50, 120
WRAP_SLACK = 0.7


def _width(lines: list[str]) -> int:
    return max((len(line) for line in lines), default=0)


def is_wrapped(lines: list[str]) -> bool:
    """Whether ``lines`` (one block between blank lines) are wrapped at a fixed width,
    rather than a list, an address block or paragraphs of one line each.

    >>> is_wrapped(["El alcalde agradeció el respaldo del Gobierno de México, a la presidenta",
    ...             "Claudia Sheinbaum, por impulsar proyectos estratégicos en el municipio y",
    ...             "en la región."])
    True
    >>> is_wrapped(["Unidad Administrativa Benito Juárez", "Av. Francisco Villa 950 N., Centro"])
    False
    """
    lines = [line.strip() for line in lines]
    width = _width(lines)
    if len(lines) < 2 or not MIN_WRAP <= width <= MAX_WRAP or \
            any(_LIST_ITEM.match(line) for line in lines):
        return False
    open_ended = [not _SENTENCE_END.search(line) for line in lines[:-1]
                  if len(line) >= WRAP_SLACK * width]
    going_on = any(len(line) >= WRAP_SLACK * width and not _SENTENCE_END.search(line)
                   and following[:1].islower() for line, following in zip(lines, lines[1:]))
    return going_on and 2 * sum(open_ended) >= len(open_ended)


def _unwrap(block: str) -> str:
    lines = [line.strip() for line in block.rstrip().split("\n")]
    if not is_wrapped(lines):
        return block
    width = _width(lines)
    joined = [lines[0]]
    for previous, line in zip(lines, lines[1:]):
        if len(previous) >= WRAP_SLACK * width and line:
            # a broken word's halves meet again (see join_broken_lines), others get a space
            joined[-1] += "\n" + line if previous.endswith("-") else " " + line
        else:
            joined.append(line)
    return "\n".join(joined) + block[len(block.rstrip()):]


def join_broken_lines(text: str) -> str:
    """``text`` with broken words joined and wrapped paragraphs on one line each.

    >>> join_broken_lines("la Fundación del Empresariado Chihua-\\nhuense y la Fundación "
    ...                   "Chihua-huense")
    'la Fundación del Empresariado Chihuahuense y la Fundación Chihuahuense'
    >>> join_broken_lines("un curso teórico-práctico; Teórico-práctico; socio-emocional")
    'un curso teórico-práctico; Teórico-práctico; socio-emocional'
    """
    parts = _PARAGRAPHS.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    # blocks at even indexes, their separators between
    text = "".join(part if index % 2 else _unwrap(part) for index, part in enumerate(parts))
    return _BROKEN_NAME_WORD.sub(r"\1\2", _BROKEN_AT_LINE_END.sub("", text))
