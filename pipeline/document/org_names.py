"""The shape of a Spanish institutional name, read off the tokens after its head word.

A name is a head ("Secretaría", "dirección", "Comité") followed by capitalised words joined by
lower-case connectors ("de", "para la", "contra"): "Secretaría de Seguridad Pública
Municipal", "dirección de Prevención Social", "Fiscalía de Distrito Zona Norte". The functions
here find where such a name ends, and where it does not go on:

- another body begins ("Centros Comunitarios y la Dirección de…", "área de Prevención de la
  Secretaría…"), or a person ("el Instituto Elvira Urrutia" is the institute, then a woman);
- "en" + a place ("Centros Florece en Riberas del Bravo");
- an enumeration inside an official name is kept (R9: "…Protección a Niñas, Niños y
  Adolescentes"; "Coordinación de Infraestructura, Desarrollo Urbano y Ecología (CIDUE)"),
  so is a quoted name ("Comité Municipal "Puerta Violeta"") and a number ("… Femenil No. 2").

Pure functions over a parsed ``Doc`` and a :class:`NameContext` of per-document facts; the
``org_ruler`` component (:mod:`pipeline.document.org_ruler`) calls them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from spacy.tokens import Doc, Token

from pipeline.document.name_mask import name_evidence
from pipeline.document.rules import connector_words, folded_heads, load_context_words
from pipeline.knowledge import fold_word, load_given_names, org_terms

_ARTICLES = frozenset({"el", "la", "los", "las"})
_COORDINATORS = frozenset({"y", "e"})
_SUBORDINATORS = frozenset({"de", "del"})
_BEFORE_A_BODY = _ARTICLES | {"de", "del", "al", "a"}  # "la Marina", "del Refugio"
_LINKS = frozenset({"de", "del", "para"})  # a head's complement: "Secretaría de Planeación y…"
# After "y", before another body: "… y a la Dirección de…", "… y de la Fiscalía…".
_COORDINATED_LINKS = frozenset({"a", "al", "de", "del", "con", "para", "ante"})
_OPEN_QUOTES = frozenset({'"', "“", "«"})
_CLOSE_QUOTES = frozenset({'"', "”", "»"})
_NUMBER_WORDS = frozenset({"no", "núm", "número", "num"})
_INFINITIVE = ("ar", "er", "ir")
_ROMAN = re.compile(r"[IVXLC]{2,}")
_MAX_QUOTED = 10  # tokens inside a quoted name: "Profesor José E. Medrano R."
_MAX_ITEM = 4  # words of one item of an enumeration inside a name
# A name part of two words or more may be followed by "de" + another body: "área de
# Prevención | de la Secretaría…"; "Instituto del Fondo Nacional…" (one word) goes on.
_MIN_PART_BEFORE_BODY = 2


@dataclass(frozen=True, slots=True)
class NameContext:
    """Per-document facts the grammar needs: where bodies and places begin."""

    body_starts: frozenset[int]  # a head, a gazetteer name or a legal name starts here
    place_starts: frozenset[int]  # the model's LOC entities start here


def is_capitalised(token: Token) -> bool:
    """A name word: "Ciudad", "SSPM", "E.", "S-Mart" (not a quote or a digit)."""
    return token.text[:1].isupper()


def is_acronym(token: Token) -> bool:
    """One token of two capitals or more and no spaces: "IMM", "SSPM", "ICHMujeres"."""
    text = token.text
    return (1 < len(text) <= 12 and text[0].isupper() and text.isalpha()
            and sum(c.isupper() for c in text) >= 2)


def starts_body(doc: Doc, i: int, context: NameContext) -> bool:
    """Token ``i`` (after an optional article) opens another body; a territory does not
    ("… del Municipio de Juárez" qualifies the name before it)."""
    if i < len(doc) and doc[i].lower_ in _ARTICLES:
        i += 1
    return i < len(doc) and (i in context.body_starts or is_acronym(doc[i])) and \
        fold_word(doc[i].text) not in load_context_words().territory


def _coordinates_another(doc: Doc, j: int, context: NameContext) -> bool:
    """"y" at ``j`` opens another body or a person, not the rest of this name: "…Ecología y
    a la Dirección de Bienestar Animal", "…del Estado y de la Fiscalía Especializada…",
    "…Municipales y Luis Rodríguez"."""
    k = j + 1
    if k < len(doc) and doc[k].lower_ in _COORDINATED_LINKS:
        k += 1
        if k < len(doc) and doc[k].lower_ in _ARTICLES:
            k += 1
        if k < len(doc) and (k in context.body_starts or is_acronym(doc[k])):
            return True
    return opens_person(doc, k)


def opens_person(doc: Doc, i: int) -> bool:
    """A given name followed by another capitalised word: "Elvira Urrutia Castro"."""
    return (i + 1 < len(doc) and fold_word(doc[i].text) in load_given_names()
            and is_capitalised(doc[i + 1]))


def head_opens_person(doc: Doc, i: int) -> bool:
    """A head at ``i`` that is also a given name, with no article or "de" before it, opens a
    person's name when a surname or another given name follows: "Refugio Ramírez", "Marina
    del Pilar Ávila" (not "la Marina", nor "Refugio San José")."""
    if fold_word(doc[i].text) not in load_given_names() or (
            i and doc[i - 1].lower_ in _BEFORE_A_BODY):
        return False
    j = i + 1 + (i + 1 < len(doc) and doc[i + 1].lower_ in _SUBORDINATORS)
    return j < len(doc) and is_capitalised(doc[j]) and name_evidence(doc[j].text)


def abbreviates(acronym: str, words: list[str]) -> bool:
    """``acronym``'s capitals are initials of ``words`` in order, the first one first:
    "CIDUE" of "Coordinación de Infraestructura, Desarrollo Urbano y Ecología"."""
    letters = [c for c in acronym if c.isupper()]
    initials = [w[0] for w in words if w[:1].isupper()]
    if not letters or not initials or letters[0] != initials[0]:
        return False
    remaining = iter(initials)
    return all(letter in remaining for letter in letters)


def _has_complement(doc: Doc, start: int, end: int) -> bool:
    """``doc[start:end]`` is more than a head and its modifiers ("Secretariado Ejecutivo",
    "Secretaría Técnica"): a complement names what the body deals with ("Prevención", with no
    head, is one)."""
    if fold_word(doc[start].text) not in folded_heads():
        return True
    modifiers = {fold_word(word) for word in org_terms("modifier")}
    return any(t.lower_ in _LINKS or (is_capitalised(t) and fold_word(t.text) not in modifiers)
               for t in doc[start + 1:end])


def _number_end(doc: Doc, j: int) -> int:
    """End of "No. 2" / "número 3" starting at ``j``, else ``j``."""
    if j >= len(doc) or doc[j].lower_.rstrip(".") not in _NUMBER_WORDS:
        return j
    k = j + 1
    if k < len(doc) and doc[k].text == ".":
        k += 1
    return k + 1 if k < len(doc) and doc[k].text.isdigit() else j


def _takes_article(doc: Doc, j: int) -> bool:
    """An infinitive after "para", "y" or a comma takes an object with an article: "para
    Prevenir, Atender, Sancionar y Erradicar la Violencia…"."""
    return (j > 0 and doc[j].lower_.endswith(_INFINITIVE)
            and doc[j - 1].lower_ in ("para", "y", "e", ","))


def _own_acronym(doc: Doc, j: int, name_start: int) -> bool:
    """Token ``j`` closes the name and abbreviates the words before it: "Instituto Municipal
    de la Mujer IMM" (an acronym inside a name stays: "Sistema Municipal DIF")."""
    return (j > name_start and is_acronym(doc[j])
            and (j + 1 >= len(doc) or not is_capitalised(doc[j + 1]))
            and abbreviates(doc[j].text, [t.text for t in doc[name_start:j]]))


def name_end(doc: Doc, start: int, context: NameContext, *, name_start: int,
             after_head: bool = False, coordinate: bool = True,
             min_part: int = _MIN_PART_BEFORE_BODY) -> int:
    """End (exclusive) of the capitalised words and connectors from ``start``; ``start``
    itself when it opens no name. ``name_start`` is where the whole name began (its head,
    when ``after_head``);
    ``coordinate`` False stops at "y" (one item of an enumeration); ``min_part`` is the size
    a name reaches before "de" + another body ends it (a head-less name: 1, "Prevención |
    del IMM")."""
    end = j = start
    size = len(doc)
    if after_head and j < size and opens_person(doc, j):
        return start  # "el Instituto Elvira Urrutia Castro": the head, then a person
    while j < size:
        token = doc[j]
        if token.is_space:
            break
        if is_capitalised(token):
            if _own_acronym(doc, j, name_start):
                break
            j = end = _number_end(doc, j + 1)
            continue
        if token.lower_ not in connector_words() or (token.lower_ in _ARTICLES
                                                     and not _takes_article(doc, j - 1)):
            break  # an article only follows a preposition or an infinitive inside a name
        k = j
        while k < size and doc[k].lower_ in connector_words() and not doc[k].is_space:
            k += 1
        if k >= size or not is_capitalised(doc[k]):
            break
        first = token.lower_
        if first in _COORDINATORS and (not coordinate or doc[j + 1].lower_ in _ARTICLES
                                       or starts_body(doc, j + 1, context)
                                       or _coordinates_another(doc, j, context)
                                       or after_head and k == j + 1 and not any(
                    t.lower_ in _LINKS for t in doc[name_start:j])):
            break  # "… y la Dirección de Obras", "la Policía Municipal y Protección Civil"
        if first in _SUBORDINATORS and j - name_start >= min_part and (
                first == "del" or doc[j + 1].lower_ in _ARTICLES) and \
                starts_body(doc, j + 1, context) and _has_complement(doc, name_start, j):
            break  # "área de Prevención de la Secretaría…" (not "Academia de Policía", nor
            # "Secretariado Ejecutivo del Sistema…": a head and its modifiers name no body)
        if first == "en" and doc[j - 1].lower_ not in org_terms("modifier") and (
                k in context.place_starts or fold_word(doc[k].text) in load_context_words().place
        ) and fold_word(doc[k].text) not in load_context_words().district:
            break  # "Centros Florece en Riberas del Bravo" (not "Especializada en Atención")
        j = k
    return end


def _quoted_end(doc: Doc, j: int) -> int:
    """End of a quoted capitalised name opening at ``j`` ("“Marisela Escobedo”"), else j."""
    if j >= len(doc) or doc[j].text not in _OPEN_QUOTES:
        return j
    for k in range(j + 1, min(j + 2 + _MAX_QUOTED, len(doc))):
        token = doc[k]
        if token.text in _CLOSE_QUOTES:
            return k + 1 if k > j + 1 and is_capitalised(doc[j + 1]) else j
        if token.is_space or not (is_capitalised(token) or token.text == "."
                                  or token.lower_ in connector_words()):
            return j
    return j


def _items(doc: Doc, end: int, context: NameContext, name_start: int) -> tuple[int, bool]:
    """After a name ending at ``end``: the end of ", A, B y C" when it can belong to the
    name, and whether every item is one word ("Niñas, Niños y Adolescentes")."""
    k, single, items = end, True, 0
    while k < len(doc) and doc[k].text == ",":
        item_end = name_end(doc, k + 1, context, name_start=name_start, coordinate=False)
        if item_end == k + 1 or item_end - (k + 1) > _MAX_ITEM or \
                starts_body(doc, k + 1, context) or opens_person(doc, k + 1):
            return end, False
        single &= item_end - (k + 1) == 1
        items, k = items + 1, item_end
    if not items or k + 1 >= len(doc) or doc[k].lower_ not in _COORDINATORS or \
            not is_capitalised(doc[k + 1]) or starts_body(doc, k + 1, context):
        return end, False
    single &= k + 2 >= len(doc) or not is_capitalised(doc[k + 2])
    return name_end(doc, k + 1, context, name_start=name_start), single


def _enumeration_end(doc: Doc, start: int, end: int, context: NameContext) -> int:
    """R9: ", Niños y Adolescentes" of one-word items, or items that an acronym in brackets
    after them confirms ("… Infraestructura, Desarrollo Urbano y Ecología (CIDUE)")."""
    longer, single = _items(doc, end, context, start)
    if longer == end or single:
        return longer
    if longer + 2 < len(doc) and doc[longer].text == "(" and is_acronym(doc[longer + 1]):
        acronym = doc[longer + 1].text
        if abbreviates(acronym, [t.text for t in doc[start:longer]]) and \
                not abbreviates(acronym, [t.text for t in doc[start:end]]):
            return longer
    return end


def extend_name(doc: Doc, start: int, end: int, context: NameContext) -> int:
    """The end of a name ``doc[start:end]`` with what belongs to it after: an enumeration
    (R9), a quoted proper name, with or without a comma before it."""
    end = _enumeration_end(doc, start, end, context)
    quoted = _quoted_end(doc, end)
    if quoted == end and end + 1 < len(doc) and doc[end].text == ",":
        after_comma = _quoted_end(doc, end + 1)
        quoted = after_comma if after_comma > end + 1 else end
    return quoted


def name_start(doc: Doc, head: int) -> int:
    """The head's index, or that of a prefix written before it ("H. Ayuntamiento", "XV
    Ayuntamiento de Los Cabos")."""
    if head and (doc[head - 1].text in org_terms("prefix")
                 or _ROMAN.fullmatch(doc[head - 1].text)):
        return head - 1
    return head
