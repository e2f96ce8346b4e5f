"""Which body "Ayuntamiento" names in a sentence (ruling R12 of the annotated corpus).

"Ayuntamiento" is the council where it deliberates, votes, approves or meets in session ("el
Ayuntamiento aprobó", "la sesión del Ayuntamiento", "el Ayuntamiento cuenta con 20
regidurías"), and the municipal government where it acts, employs, owns, organises or signs
("el Ayuntamiento invita", "el secretario del Ayuntamiento"). The words that say council are
``context_words.tsv``'s ``council`` kind, read a few words around the name in its sentence.
"""

from __future__ import annotations

import re

from pipeline.document.rules import load_context_words
from pipeline.knowledge import fold

COUNCIL, GOVERNMENT = "Cabildo", "Gobierno Municipal"
# "Ayuntamiento", "H. Ayuntamiento de Tepic", "XV Ayuntamiento de Los Cabos": what follows the
# word is the place, kept in the reading ("Cabildo de Tepic").
_AYUNTAMIENTO = re.compile(r"(?:(?:H\.|Honorable|[IVXLC]+)\s+)?Ayuntamiento(?P<place>\s+.*)?",
                           re.IGNORECASE)
_WINDOW = 5  # words on each side of the name in which a council word counts
_WORD = re.compile(r"\w+")


def council_reading(text: str, sentence: str) -> str | None:
    """The body an "Ayuntamiento …" mention ``text`` names in ``sentence``: "Cabildo …" or
    "Gobierno Municipal …", the place written after it kept; None for any other name.

    >>> council_reading("Ayuntamiento de Tepic", "El Ayuntamiento de Tepic aprobó el plan.")
    'Cabildo de Tepic'
    >>> council_reading("Ayuntamiento", "El Ayuntamiento invita a la feria.")
    'Gobierno Municipal'
    """
    match = _AYUNTAMIENTO.fullmatch(text.strip())
    if match is None:
        return None
    place = (match["place"] or "").rstrip()
    at = sentence.find(text)
    if at < 0:
        return GOVERNMENT + place
    before = [fold(w) for w in _WORD.findall(sentence[:at])][-_WINDOW:]
    after = [fold(w) for w in _WORD.findall(sentence[at + len(text):])][:_WINDOW]
    council = load_context_words().council
    return (COUNCIL if council & set(before + after) else GOVERNMENT) + place
