"""Evidence, from a span's words and surroundings, that it names a person, a place or nothing.

Used by :mod:`pipeline.document.entity_fixes`. The words come from the resources: given names
(``given_names.txt``) and place nouns (``context_words.tsv``).
"""

from __future__ import annotations

import re
from itertools import islice

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from pipeline.document.rules import connector_words, load_context_words
from pipeline.knowledge import fold_word, load_given_names

# Between a place noun and the name it introduces: "calle prolongación Santiago Troncoso",
# "el memorial del Campo Algodonero". Verbs, pronouns and adverbs break the link
# ("colonia donde vive Ana Pérez").
_PLACE_LINK_POS = frozenset({"DET", "ADP", "NOUN", "ADJ"})
_MAX_PLACE_LINK = 2
# How far before a colon the place noun that opens an enumeration may be: "Algunas de las
# vialidades por atender son:".
_MAX_LIST_INTRO = 6
_CLAUSE_END = frozenset({".", ";", "!", "?"})
_FINAL_PUNCT = ".!?\"”»)…"
_MAX_CUT_FRAGMENT = 2  # words after a name cut off in the middle: "Instituto Nacional d"
# The line after a byline's bare name: "04 de septiembre del 2024".
_DATE_LINE = re.compile(r"\s*\d{1,2}\s+de\s+\w+\s+(?:de|del)\s+\d{4}")


def opens_with_given_name(span: Span) -> bool:
    """"María Teresa Graciela Manjarrez": the first word is a known given name."""
    return fold_word(span[0].text) in load_given_names()


def has_full_name_shape(span: Span) -> bool:
    """Three or more capitalised words and nothing else: "Cipriana Jurado Herrera"."""
    return len(span) >= 3 and all(t.is_title and t.is_alpha for t in span)


def is_cut_off(span: Span) -> bool:
    """The span runs to the end of a text that stops mid-sentence: a name cut off by the
    stored copy ("…las regidoras Karla Michaeel Esc", "…al Instituto Nacional d")."""
    # Tokens, not span.doc.text: spaCy rebuilds the text on every access.
    rest = list(islice((t for t in span.doc[span.end:] if not t.is_space),
                       _MAX_CUT_FRAGMENT + 1))
    if rest and (len(rest) > _MAX_CUT_FRAGMENT or not all(
            token.is_lower and any(c.startswith(token.lower_) for c in connector_words())
            for token in rest)):
        return False  # what follows is more than the start of a connector ("d", "pa")
    return not span.text.rstrip().endswith(tuple(_FINAL_PUNCT))


def _breaks_line(doc: Doc, i: int) -> bool:
    """Token ``i`` is a line break, or lies outside the document."""
    return i < 0 or i >= len(doc) or "\n" in doc[i].text


def _next_line(doc: Doc, i: int) -> str:
    """The text of the first non-blank line from token ``i`` on."""
    while i < len(doc) and doc[i].is_space:
        i += 1
    end = i
    while not _breaks_line(doc, end):
        end += 1
    return doc[i:end].text


def is_byline(span: Span) -> bool:
    """A reporter's credit, not a person in the news: a line "Por <name>", or a line holding
    only a name with the date on the next line. Read from the tokens around the span (the
    document's text is rebuilt on every access)."""
    doc = span.doc
    after = span.end
    while not _breaks_line(doc, after) and doc[after].text == ".":
        after += 1
    if not _breaks_line(doc, after):
        return False
    before = span.start - 1
    if not _breaks_line(doc, before):
        return doc[before].lower_ == "por" and _breaks_line(doc, before - 1)
    return bool(_DATE_LINE.match(_next_line(doc, after)))


def _is_place_word(word: str) -> bool:
    return fold_word(word) in load_context_words().place


def after_place_word(span: Span) -> bool:
    """A place noun right before the span, or at most two articles, prepositions or nouns
    before it: "colonia Vicente Guerrero", "calle prolongación Santiago Troncoso"."""
    doc = span.doc
    for i in range(span.start - 1, max(span.start - 2 - _MAX_PLACE_LINK, -1), -1):
        if _is_place_word(doc[i].text):
            return True
        if doc[i].pos_ not in _PLACE_LINK_POS or not doc[i].is_lower:
            return False
    return False


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, from the token array: a Token object per token would cost more
    than most tests on it. A token's trailing whitespace is one space at most, so a line
    break is in a token's text."""
    strings = doc.vocab.strings
    return [strings[orth] for orth in doc.to_array(ORTH).tolist()]


def in_place_lists(doc: Doc) -> list[bool]:
    """For each token, whether it is in an enumeration that a place noun introduces with a
    colon ("Algunas de las vialidades por atender son: Altamirano, José María Arteaga, …"):
    streets, neighbourhoods and schools named after people. The colon must come earlier in
    the same clause and line. One pass over the document, not one walk back per span."""
    texts, inside, flags = token_texts(doc), False, []
    for i, text in enumerate(texts):
        flags.append(inside)
        if text in _CLAUSE_END or "\n" in text:
            inside = False
        elif text == ":":
            inside = any(map(_is_place_word, texts[max(i - _MAX_LIST_INTRO, 0):i]))
    return flags


def introduced_as_kin(span: Span) -> bool:
    """A kinship word before the name, with "de" or a comma between or not: "madre de Idaly
    Juache", "su esposa, Rubí Enríquez"."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].lower_ in ("de", ","):
        i -= 1
    return i >= 0 and fold_word(doc[i].text) in load_context_words().kin
