"""Evidence, from a span's words and surroundings, that it names a person, a place or nothing.

Used by :mod:`pipeline.document.entity_fixes`. A person is decided by evidence, not by a list
(:func:`person_evidence`): a word before the name that only a person takes, a verb of saying
beside it, a name's shape; against it, the name of a work or programme, a common noun's
ending, a word the text writes in lower case. The words come from the resources: given names
(``given_names.txt``, evidence, never required), person cues (``person_cues.tsv``), gender
words (``genders.tsv``) and place nouns (``context_words.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from itertools import islice

import numpy
from spacy.attrs import LOWER, ORTH
from spacy.tokens import Doc, Span

from pipeline.config import RESOURCES_DIR
from pipeline.document.datelines import read_dateline
from pipeline.document.people import load_gender_words
from pipeline.document.rules import connector_words, load_context_words
from pipeline.knowledge import (
    KnowledgeError,
    data_lines,
    fold,
    fold_word,
    load_given_names,
    load_sector_rules,
)

PERSON_CUES_FILE = RESOURCES_DIR / "person_cues.tsv"

# Between a place noun and the name it introduces: "calle prolongación Santiago Troncoso",
# "el memorial del Campo Algodonero". Verbs, pronouns and adverbs break the link
# ("colonia donde vive Ana Pérez").
_PLACE_LINK_POS = frozenset({"DET", "ADP", "NOUN", "ADJ"})
_MAX_PLACE_LINK = 2
# How far before a colon the place noun that opens an enumeration may be: "Algunas de las
# vialidades por atender son:".
_MAX_LIST_INTRO = 6
# What joins the names of a list of places: "De las Torres, Reyes Estrada y José Elías, entre
# Matamoros y …".
_PLACE_LIST_GLUE = frozenset({",", "y", "e", "de", "del", "la", "las", "los", "el", "entre"})
_CLAUSE_END = frozenset({".", ";", "!", "?"})
_FINAL_PUNCT = ".!?\"”»)…"
_MAX_CUT_FRAGMENT = 2  # words after a name cut off in the middle: "Instituto Nacional d"
_BYLINE_END = frozenset({".", "|", "/", "-", "–", "—", ","})  # marks after a byline's name
# The line after a byline's bare name: "04 de septiembre del 2024".
_DATE_LINE = re.compile(r"\s*\d{1,2}\s+de\s+\w+\s+(?:de|del)\s+\d{4}")
_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})
_ARTICLES = frozenset({"el", "la", "los", "las", "un", "una"})
_OPENING_QUOTES = frozenset({"“", "«", "‘", '"', "'"})
# Lower-case words inside the title of a work: "Liderazgo con Perspectiva de Género".
_TITLE_CONNECTORS = frozenset({"de", "del", "la", "las", "los", "el", "y", "con", "en", "sin",
                               "contra"})
_MAX_QUOTED_TITLE = 12  # tokens on each side: a work's or slogan's title, not a quoted speech
_INITIAL = re.compile(r"[A-ZÁÉÍÓÚÑ]\.")
_INNER_MARKS = frozenset({"-", "“", "”", '"', "«", "»"})  # "García-Luna", Edeberto “Pilo” Galindo


@dataclass(frozen=True, slots=True)
class PersonCues:
    """Words of ``person_cues.tsv`` (folded), by kind (see its header)."""

    title: frozenset[str]
    say: frozenset[str]
    after: frozenset[str]
    thing: frozenset[str]
    ending: tuple[str, ...]
    place: frozenset[str]


@cache
def load_person_cues() -> PersonCues:
    """``kind<TAB>word`` lines of ``person_cues.tsv``; the title words take the "before"
    words of ``genders.tsv`` ("señora", "arquitecto") as well."""
    kinds: dict[str, set[str]] = {kind: set() for kind in PersonCues.__slots__}
    for number, line in data_lines(PERSON_CUES_FILE):
        kind, _, word = line.partition("\t")
        if kind not in kinds or not word.strip() or " " in word.strip():
            raise KnowledgeError(f"{PERSON_CUES_FILE}:{number}: expected "
                                 f"'{'|'.join(kinds)}<TAB>word', got {line!r}")
        kinds[kind].add(fold_word(word.strip()))
    kinds["title"] |= set(load_gender_words().before)
    return PersonCues(frozenset(kinds["title"]), frozenset(kinds["say"]),
                      frozenset(kinds["after"]), frozenset(kinds["thing"]),
                      tuple(sorted(kinds["ending"])), frozenset(kinds["place"]))


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
    only a name with the date or the dateline on the next line ("Ana Ruiz", then "Saltillo,
    Coah.- …"). Read from the tokens around the span (the document's text is rebuilt on every
    access)."""
    doc = span.doc
    after = span.end
    while not _breaks_line(doc, after) and doc[after].text in _BYLINE_END:
        after += 1  # "Por Ana Ruiz |", "Ana Ruiz."
    if not _breaks_line(doc, after):
        return False
    before = span.start - 1
    if not _breaks_line(doc, before):
        return doc[before].lower_ == "por" and _breaks_line(doc, before - 1)
    following = _next_line(doc, after)
    return bool(_DATE_LINE.match(following)) or read_dateline(following) is not None


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


def _place_flags(doc: Doc) -> list[bool]:
    """For each token, whether it is a place noun: folded once per distinct word, from the
    token array, not once per token."""
    words, where = numpy.unique(doc.to_array(LOWER), return_inverse=True)
    strings = doc.vocab.strings
    is_place = numpy.array([_is_place_word(strings[h]) for h in words.tolist()], dtype=bool)
    return is_place[where.reshape(-1)].tolist()


def in_place_lists(doc: Doc) -> list[bool]:
    """For each token, whether it is in an enumeration of places: one that a place noun
    introduces with a colon ("Algunas de las vialidades por atender son: Altamirano, José
    María Arteaga, …"; the colon earlier in the same clause and line), or a list of names
    right after a plural place noun ("las avenidas De las Torres, Reyes Estrada y José
    Elías"; it ends at the first word that is no name or list glue): streets,
    neighbourhoods and schools named after people. One pass over the document, not one walk
    back per span."""
    texts, place = token_texts(doc), _place_flags(doc)
    inside, listing, flags = False, False, []
    for i, text in enumerate(texts):
        listing = listing and (text[:1].isupper() or text[:1].isdigit()
                               or text in _PLACE_LIST_GLUE and not place[i - 1])
        flags.append(inside or listing)
        if text in _CLAUSE_END or "\n" in text:
            inside = False
        elif text == ":":
            inside = any(place[max(i - _MAX_LIST_INTRO, 0):i])
        if place[i] and text.endswith("s") and i + 1 < len(texts) and texts[i + 1][:1].isupper():
            listing = True
    return flags


def introduced_as_kin(span: Span) -> bool:
    """A kinship word before the name, with "de" or a comma between or not: "madre de Idaly
    Juache", "su esposa, Rubí Enríquez"."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].lower_ in ("de", ","):
        i -= 1
    return i >= 0 and fold_word(doc[i].text) in load_context_words().kin


def _word(doc: Doc, i: int) -> str:
    return fold_word(doc[i].text) if 0 <= i < len(doc) else ""


def _is_cue(word: str, cues: frozenset[str]) -> bool:
    """``word`` or its singular is one of ``cues`` ("reconocimientos", "legisladores")."""
    return word in cues or word[:-1] in cues or (word.endswith("es") and word[:-2] in cues)


def introduced_as_person(span: Span) -> bool:
    """A word that only a person takes right before the name: a title or a person's noun,
    singular or plural ("la periodista Ana Ruiz", "Lic. Ana Ruiz", "la señora Ruiz", "los
    legisladores Gibrán Ruiz y …") or a kinship word (:func:`introduced_as_kin`)."""
    before = span.start - 1
    if before >= 0 and span.doc[before].text == ".":
        before -= 1  # "Lic . Ana", as some texts space it
    return _is_cue(_word(span.doc, before), load_person_cues().title) or introduced_as_kin(span)


def said_by(span: Span) -> bool:
    """A verb of saying right after the name ("Ramírez Ortega señaló", "López Obrador, dijo")
    or right before it ("dijo Kirstjen Nielsen", "según López Obrador"), or a relative that
    only a person takes ("Ana Ruiz, quien …")."""
    cues = load_person_cues()
    doc, after = span.doc, span.end
    if after < len(doc) and doc[after].text == ",":
        after += 1
        if _word(doc, after) in cues.after:
            return True
    return _word(doc, after) in cues.say or _word(doc, span.start - 1) in cues.say


def names_a_work(span: Span) -> bool:
    """The name of a work, programme, prize, event or place written like a person's: after
    a cue word, an article or an opening quote between at most ("la obra Pito Pérez", "los
    reconocimientos Mujer Ilustre", "la campaña “Juntos Transformamos”"); right after an
    article ("remodelar el Berta Chiu", "en el Campo Algodonero"; "de la Cruz" is a
    surname's); or inside a short quoted title ("el montaje “La vida inútil de Pito
    Pérez”")."""
    doc = span.doc
    i = span.start - 1
    if _word(doc, i) in _ARTICLES and _word(doc, i - 1) not in ("de", "del"):
        return True
    return _after_work_cue(doc, i) or _in_quoted_title(span)


def continues_a_work_title(span: Span) -> bool:
    """The span ends the capitalised title of a work that a cue word opens: "el taller
    Liderazgo con Perspectiva de Género", "las preseas Kirá y Mujer Ilustre"."""
    doc = span.doc
    title = span.start - 1
    while title >= 0 and (doc[title].is_title or doc[title].lower_ in _TITLE_CONNECTORS
                          and doc[title + 1].is_title):
        title -= 1
    return title < span.start - 1 and doc[title + 1].is_title and _after_work_cue(doc, title)


def _after_work_cue(doc: Doc, i: int) -> bool:
    """A cue of ``person_cues.tsv`` (kind ``thing``) ends at token ``i``, articles and
    opening quotes between at most."""
    while i >= 0 and (doc[i].text in _OPENING_QUOTES or doc[i].lower_ in _ARTICLES):
        i -= 1
    return _is_cue(_word(doc, i), load_person_cues().thing)


def _opens_quote(doc: Doc, i: int) -> bool:
    text = doc[i].text
    return text in "“«‘" or (text in "\"'" and not doc[i].whitespace_)


def _closes_quote(doc: Doc, i: int) -> bool:
    text = doc[i].text
    return text in "”»’" or (text in "\"'" and i > 0 and not doc[i - 1].whitespace_)


def _in_quoted_title(span: Span) -> bool:
    """The span inside a short quotation on its line that ends without punctuation: a
    title or a slogan ("“La vida inútil de Pito Pérez”"), not a quoted speech ("“… a Juan
    Pérez.”")."""
    doc = span.doc
    for i in range(span.start - 1, max(span.start - _MAX_QUOTED_TITLE, 0) - 1, -1):
        if "\n" in doc[i].text or (_closes_quote(doc, i) and not _opens_quote(doc, i)):
            return False
        if _opens_quote(doc, i):
            break
    else:
        return False
    for j in range(span.end, min(span.end + _MAX_QUOTED_TITLE, len(doc))):
        if "\n" in doc[j].text or (_opens_quote(doc, j) and not _closes_quote(doc, j)):
            return False
        if _closes_quote(doc, j):
            return not doc[j - 1].is_punct
    return False


def is_no_name_word(word: str) -> bool:
    """A word no person's name has: a common noun's or gerund's ending ("Protección",
    "Mejoramiento", "Formando") or an institution's word ("Municipal")."""
    folded = fold_word(word)
    return folded.endswith(load_person_cues().ending) or folded in institution_words()


def is_common_word(word: str, lower_words: set[str]) -> bool:
    """The text writes ``word`` in lower case, in the singular or the plural: a common
    word ("Mujer" in a text about "las mujeres"), not a name."""
    word = word.lower()
    forms = {word, word + "s", word + "es", word.removesuffix("s"), word.removesuffix("es")}
    return not forms.isdisjoint(lower_words)


def _is_name_word(text: str) -> bool:
    """A capitalised word ("Nielsen", "O", "García-Luna"), not one in capitals ("IMSS"); or
    an initial ("M.")."""
    return _INITIAL.fullmatch(text) is not None or all(
        part.isalpha() and part[0].isupper() and (len(part) == 1 or not part.isupper())
        for part in text.split("-"))


def has_name_shape(span: Span) -> bool:
    """Capitalised words and initials, with "de", "del", "de la", a hyphen or a quoted
    nickname inside: "López Obrador", "Mora de la O", "Kirstjen M. Nielsen", "García-Luna",
    "Edeberto “Pilo” Galindo"; not "Presupuesto 2022", "Casa de la cultura" or "IMSS
    Bienestar"."""
    texts = [t.text for t in span]
    inside = texts[1:-1]
    return _is_name_word(texts[0]) and _is_name_word(texts[-1]) and all(
        _is_name_word(text) or text.lower() in _NAME_PARTICLES or text in _INNER_MARKS
        for text in inside)


class NameEvidence(IntEnum):
    """What the evidence around a span says of it as a person's name, weakest to strongest."""

    AGAINST = -1  # something else: a work, a programme, a place, a common word
    NOTHING = 0  # nothing either way: one word before "de" ("Montes de Oca"), no name's shape
    SHAPE = 1  # only a name's shape: "López Obrador", "Kirstjen Nielsen"
    FOR = 2  # a person: a role or title beside it, a known given name, a verb of saying


def person_evidence(span: Span, lower_words: set[str], *, beside_role: bool) -> NameEvidence:
    """What the evidence around a span of two or more words says of it.

    A role beside it, a person's title or a kinship word before it decide for it; else the
    name of a work, programme or place decides against it; else a known given name decides
    for it; else "en" before it ("en Parajes de San Juan"), a place's first word ("Santa Cruz
    Escandón", "Villa Ahumada"), a common noun's ending, an
    institution's word, a first word the text writes in lower case, the end of a work's
    title or the same words named as a place elsewhere decide against it; else a verb of
    saying, a person's relative or a full name's shape (three capitalised words) decide for
    it; else a name's shape is all there is, and one word before "de" ("Montes de Oca"
    without a verb of saying) not even that.
    """
    if beside_role or introduced_as_person(span):
        return NameEvidence.FOR
    if names_a_work(span):
        return NameEvidence.AGAINST
    if opens_with_given_name(span):
        return NameEvidence.FOR
    if _word(span.doc, span.start - 1) == "en" or _word(span.doc, span.start) in \
            load_person_cues().place or any(
            is_no_name_word(t.text) for t in span if t.lower_ not in _NAME_PARTICLES) \
            or is_common_word(span[0].text, lower_words) or continues_a_work_title(span) \
            or named_as_a_thing_elsewhere(span):
        return NameEvidence.AGAINST
    if said_by(span) or has_full_name_shape(span):
        return NameEvidence.FOR
    if has_name_shape(span) and span[1].lower_ not in _NAME_PARTICLES:
        return NameEvidence.SHAPE
    return NameEvidence.NOTHING


@cache
def institution_words() -> frozenset[str]:
    """One-word keywords of ``sectors.tsv`` ("municipal", "nacional"), folded: no person's
    name has them."""
    return frozenset(fold(words[0]) for words, _ in load_sector_rules() if len(words) == 1)


def named_as_a_thing_elsewhere(span: Span) -> bool:
    """The release writes the same words elsewhere as a place's or a work's name: "la
    colonia Parajes de San Juan" makes a later "ahora Parajes de San Juan" a place too."""
    doc = span.doc
    size = len(span)
    for start in numpy.flatnonzero(doc.to_array(ORTH) == span[0].orth).tolist():
        other = doc[start:start + size]
        if start != span.start and len(other) == size and other.text == span.text and (
                after_place_word(other) or names_a_work(other)):
            return True
    return False
