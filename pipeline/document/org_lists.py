"""How a plural head distributes over a list: one body per member, named as written (R4).

"las direcciones de Desarrollo Social, Obras Públicas y Servicios Públicos", "las comisiones
de Hacienda y de Gobernación", "los titulares de Ecología, Educación y Deporte", "las
subdirecciones de Planeación, Jurídica y Capacitación del DIF Estatal": after a plural head
or a plural role and "de", each item of the list is a body.

Where "y" joins two items or lies inside one ("Parques y Jardines", a commission "de
Ecología y Protección Civil") is read off the list itself: when its items repeat "de" ("de A,
de B y de C"), only "y de" opens a new item; otherwise "y" does, unless the two words it
joins form a standard body's name (``resources/standard_bodies.tsv``). The list ends where
its words do, or before "de/del" + the body all its members belong to ("… del DIF Estatal")
or a territory ("… del Municipio"), which qualifies every member, not the last alone.

Pure functions over a parsed ``Doc``; the ``org_ruler`` (plural heads) and ``entity_fixes``
(plural roles) components call :func:`list_members`.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.document.org_names import (
    NameContext,
    is_capitalised,
    name_end,
    opens_person,
    starts_body,
)
from pipeline.document.rules import load_context_words, standard_body_names
from pipeline.knowledge import fold, fold_word

_ARTICLES = frozenset({"el", "la", "los", "las"})
_LINKS = frozenset({"de", "del"})
_COORDINATORS = frozenset({"y", "e"})
_MIN_MEMBERS = 2  # one member after a plural head is a slip, not a list


@dataclass(frozen=True, slots=True)
class _Piece:
    """A run of capitalised words between separators, and what came before it."""

    start: int
    end: int
    after: str  # "", ",", or "y" (the separator before it)
    linked: bool  # a "de"/"del" came before it ("…, de Gobernación")


def _qualifier_start(doc: Doc, start: int, end: int, context: NameContext) -> int:
    """Where "de/del" + a territory or a place starts inside ``doc[start:end]``, else end:
    "Desarrollo Urbano | del Municipio", "Obras Públicas | de Guadalupe"."""
    territory = load_context_words().territory
    for j in range(start + 1, end - 1):
        if doc[j].lower_ in _LINKS:
            k = j + 1 + (doc[j + 1].lower_ in _ARTICLES)
            if k < end and (fold_word(doc[k].text) in territory or k in context.place_starts):
                return j
    return end


def _pieces(doc: Doc, i: int, context: NameContext) -> list[_Piece]:
    """The capitalised runs of the list that starts at token ``i`` ("de …")."""
    pieces: list[_Piece] = []
    after = ""
    while i < len(doc):
        linked = doc[i].lower_ in _LINKS
        k = i + linked
        article = k < len(doc) and doc[k].lower_ in _ARTICLES
        k += article
        if k >= len(doc) or not is_capitalised(doc[k]) or opens_person(doc, k) or (
                pieces and article and not linked and starts_body(doc, k, context)):
            break  # "…, y la Dirección de Obras": another body, no member of this list
        end = name_end(doc, k, context, name_start=k, coordinate=False, min_part=1)
        if end == k:
            break
        cut = _qualifier_start(doc, k, end, context)
        pieces.append(_Piece(k, cut, after, linked))
        if cut < end or end >= len(doc):
            break
        if doc[end].text in (",", ";"):  # a list whose items hold commas uses semicolons
            after = ","
        elif doc[end].lower_ in _COORDINATORS:
            after = "y"
        else:
            break
        i = end + 1
    return pieces


def _members(doc: Doc, pieces: list[_Piece]) -> list[tuple[int, int]]:
    """The pieces joined into members: see the module docstring."""
    repeated = any(piece.linked for piece in pieces[1:])
    members: list[tuple[int, int]] = []
    for piece in pieces:
        if members and piece.after == "y" and (
                (repeated and not piece.linked)
                or fold(doc[members[-1][0]:piece.end].text) in standard_body_names()):
            members[-1] = (members[-1][0], piece.end)  # "Parques y Jardines"
        else:
            members.append((piece.start, piece.end))
    return members


def list_members(doc: Doc, i: int, context: NameContext, *, key: str) -> list[Span]:
    """The bodies of a list that opens at token ``i`` with "de" after a plural head or role,
    each a span with id ``key``; none when fewer than two members follow."""
    if i >= len(doc) or doc[i].lower_ not in _LINKS:
        return []
    members = _members(doc, _pieces(doc, i, context))
    if len(members) < _MIN_MEMBERS:
        return []
    return [Span(doc, start, end, label="ORG", span_id=key) for start, end in members]
