"""Institutions judged by their context: venue or body, programme or body, listed bodies.

Rules over the entity spans of one document, after ``entity_fixes`` has relabelled and
trimmed them (the words they read come from ``resources/context_words.tsv``):

- R6: a "Centro/Casa/Unidad …" named only as where something happens is a venue, not a body
  ("en el Centro Comunitario", "el edificio del Centro de Justicia"), unless somewhere in the
  text it acts, has staff or defines an acronym; so are the places in the brackets of an
  agenda ("11:00 a.m. (Centro Cívico S-Mart)") and a name inside a place's name ("Sala de
  Cabildo"); "una Mesa de …" is a body to be made, not one that is;
- R7: what the model calls a body inside the name of a day, campaign or programme ("16 Días
  de Activismo para Erradicar la Violencia contra las Mujeres") or inside a quoted title
  ("“Mujeres Frente a la Sociedad Actual”") is none; nor are initials in brackets that close
  the text (a reporter's);
- a list that a class noun opens ("dependencias como …", "entre las que se encuentran …")
  lists bodies, named or not by a head word ("Ecología, Alumbrado Público y Parques y
  Jardines").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from spacy.tokens import Doc, Span

from pipeline.document.names import token_texts
from pipeline.document.org_names import NameContext, is_acronym, is_capitalised, name_end
from pipeline.document.rules import load_context_words
from pipeline.knowledge import fold, fold_word, org_terms

_ARTICLES = frozenset({"el", "la", "los", "las"})
_INDEFINITE = frozenset({"un", "una", "unos", "unas"})
# Between a venue word and the venue: "en el", "edificio del", "creación del primer".
_VENUE_LINKS = frozenset({"el", "la", "los", "las", "de", "del", "al", "a", "primer", "primera",
                          "nuevo", "nueva"})
_MAX_VENUE_LINKS = 3
_OPEN_QUOTES = frozenset({'"', "“", "«"})
_CLOSE_QUOTES = frozenset({'"', "”", "»"})
_MAX_TITLE = 15  # tokens of a quoted title; longer quotes are speech
_MAX_LIST_INTRO = 6  # tokens between a class noun and what opens its list
_ITEM_ENDS = frozenset({",", ".", ";", ":"})
_LIST_ENDS = frozenset({".", ";", ":"})
_CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
RoleEnds = Callable[[int], bool]


def _is_model_span(span: Span) -> bool:
    return not span.id_ or span.id_ == "rule:role-of"


def _venue_word_before(doc: Doc, start: int) -> bool:
    """A venue word right before ``start``, or before a few articles and prepositions:
    "en el", "desde la", "el edificio del", "la creación del primer"."""
    venue = load_context_words().venue
    i = start - 1
    for _ in range(_MAX_VENUE_LINKS + 1):
        if i < 0:
            return False
        if fold_word(doc[i].text) in venue:
            return True
        if doc[i].lower_ not in _VENUE_LINKS:
            return False
        i -= 1
    return False


def _acts(span: Span, role_ends: RoleEnds) -> bool:
    """The body acts here: it defines an acronym, follows a role ("la directora del
    Centro…"), or is the subject of a verb ("el Centro de Justicia atendió…")."""
    doc, end = span.doc, span.end
    if end + 2 < len(doc) and doc[end].text == "(" and is_acronym(doc[end + 1]):
        return True
    i = span.start - 1
    while i >= 0 and doc[i].lower_ in _VENUE_LINKS:
        i -= 1
    return role_ends(i + 1) or span.root.dep_ in ("nsubj", "nsubj:pass")


def _hosted_starts(doc: Doc) -> set[int]:
    """Where the names of a list of hosting places begin: "en los albergues Alabanzas al
    Rey, Casa Eudes y el Refugio San José" (a venue word, a plural noun of places that take
    people in, then names to the end of the sentence, each opening with a capital)."""
    words = load_context_words()
    starts: set[int] = set()
    for i, text in enumerate(token_texts(doc)):
        if fold_word(text) not in words.hosts or not doc[i].is_lower:
            continue
        j = i - 1 - (i > 0 and doc[i - 1].lower_ in _ARTICLES)
        if j < 0 or fold_word(doc[j].text) not in words.venue:
            continue
        k = i + 1
        while k < len(doc):
            k += doc[k].lower_ in _ARTICLES
            if k >= len(doc) or not is_capitalised(doc[k]):
                break
            starts.add(k)
            while k < len(doc) and doc[k].text not in _ITEM_ENDS and \
                    doc[k].lower_ not in ("y", "e") and not doc[k].is_space:
                k += 1
            if k >= len(doc) or doc[k].text in _LIST_ENDS or doc[k].is_space:
                break
            k += 1
    return starts


def _venues(spans: list[Span], role_ends: RoleEnds) -> set[int]:
    """Indices of the spans that name venues (R6): a "Centro/Casa/…" after a venue word, or
    any name of a list of hosting places; but not one that acts somewhere in the text."""
    heads = frozenset(org_terms("venue"))
    hosted = _hosted_starts(spans[0].doc) if spans else set()
    named = [i for i, s in enumerate(spans) if s.label_ == "ORG" and (
        s[0].text.title() in heads or s.start in hosted)]
    acting = {fold(spans[i].text) for i in named if _acts(spans[i], role_ends)}
    return {i for i in named
            if fold(spans[i].text) not in acting and (
                spans[i].start in hosted or _venue_word_before(spans[i].doc, spans[i].start))}


def _in_agenda_brackets(span: Span) -> bool:
    """Inside brackets that follow a time: "9:00 a.m. (ICSA, UACJ)", "12:00 horas (CMA)"."""
    doc = span.doc
    i = span.start - 1
    while i >= 0 and doc[i].text not in ("(", ")") and not doc[i].is_space \
            and span.start - i <= _MAX_TITLE:
        i -= 1
    if i < 1 or doc[i].text != "(":
        return False
    before = doc[i - 1] if doc[i - 1].text != "." or i < 2 else doc[i - 2]  # "a.m" "." "("
    return (fold_word(before.text) in load_context_words().time
            or bool(_CLOCK.fullmatch(before.text)))


def _in_place_name(span: Span) -> bool:
    """A body named inside a place's own name: "la Sala de Cabildo", "la Plaza del IMM", "una
    estación de Policía" (a bare head after a lower-case place noun and a bare "de")."""
    doc, i = span.doc, span.start
    if i < 2 or doc[i - 1].lower_ not in ("de", "del") or \
            fold_word(doc[i - 2].text) not in load_context_words().place:
        return False
    return is_capitalised(doc[i - 2]) or (len(span) == 1 and doc[i - 1].lower_ == "de")


def _in_programme_name(span: Span) -> bool:
    """The span continues a capitalised run that a day, campaign or programme word opens:
    "16 Días de Activismo para Erradicar la Violencia contra las Mujeres"."""
    doc, not_org = span.doc, load_context_words().not_org
    i = span.start - 1
    while i >= 0 and not doc[i].is_space and (is_capitalised(doc[i]) or doc[i].is_digit
                                              or doc[i].lower_ in _PROGRAMME_LINKS):
        if is_capitalised(doc[i]) and fold_word(doc[i].text) in not_org:
            return True
        i -= 1
    return False


_PROGRAMME_LINKS = frozenset({"de", "del", "la", "las", "los", "el", "para", "contra", "por",
                              "a", "y", "e", "en"})


def _in_quoted_title(span: Span) -> bool:
    """Inside a short quoted stretch: the title of a talk, a campaign or a work."""
    doc = span.doc
    opened = next((i for i in range(span.start - 1, max(span.start - _MAX_TITLE, -1), -1)
                   if doc[i].text in _OPEN_QUOTES | _CLOSE_QUOTES), None)
    if opened is None or doc[opened].text not in _OPEN_QUOTES:
        return False
    closes = (i for i in range(span.end, min(opened + _MAX_TITLE, len(doc)))
              if doc[i].text in _CLOSE_QUOTES)
    return next(closes, None) is not None


def _closing_initials(span: Span) -> bool:
    """"(XMH)" at the very end of the text: a reporter's initials."""
    doc, end = span.doc, span.end
    return (len(span) == 1 and span.start > 0 and doc[span.start - 1].text == "("
            and end < len(doc) and doc[end].text == ")"
            and all(t.is_space or t.is_punct for t in doc[end + 1:]))


def _not_a_body(span: Span) -> bool:
    """R7 and planned bodies, for one span (see the module docstring)."""
    if span.label_ != "ORG":
        return False
    doc = span.doc
    if _in_agenda_brackets(span) or _in_place_name(span):
        return True
    if not span.id_.startswith("gaz:") and span.start and doc[span.start - 1].lower_ in \
            _INDEFINITE:
        return True  # "la conformación de una Mesa de Reinserción": not yet a body
    if not span.id_.startswith("gaz:") and (_named_as_programme(span) or _an_exercise(span)):
        return True
    return _is_model_span(span) and (_in_programme_name(span) or _in_quoted_title(span)
                                     or _closing_initials(span))


def _named_as_programme(span: Span) -> bool:
    """A programme, app or event word in lower case right before the span, an opening quote
    between or not: "el programa Mujeres Seguras", "la app «Mujer Alerta»", "el torneo Copa
    Violeta"."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].text in _OPEN_QUOTES:
        i -= 1
    return i >= 0 and doc[i].is_lower and fold_word(doc[i].text) in \
        load_context_words().programme


def _an_exercise(span: Span) -> bool:
    """"Cabildo Juvenil", "Cabildo Infantil": a council's head and a word that makes the
    council a civic exercise or a kind of session."""
    return len(span) > 1 and span.id_.startswith(("head:", "short:")) and \
        fold_word(span[1].text) in load_context_words().exercise


def _list_items(doc: Doc, start: int, context: NameContext) -> list[tuple[int, int]]:
    """Capitalised items from ``start`` to the end of the list: commas, "y"/"e" and
    articles between them, nothing else."""
    items, i = [], start
    while i < len(doc):
        token = doc[i]
        if token.text == "," or token.lower_ in _ARTICLES or token.lower_ in ("y", "e"):
            i += 1
        elif is_capitalised(token):
            end = name_end(doc, i, context, name_start=i)
            items.append((i, end))
            i = end
        else:
            break
    return items


def _list_openers(doc: Doc) -> list[int]:
    """Where a list of bodies opens: after ":", "como", "entre ellas", "se encuentran"… that
    follows a class noun ("dependencias", "organizaciones", "asociaciones civiles")."""
    words = load_context_words()
    starts = []
    for i, text in enumerate(token_texts(doc)):
        if fold_word(text) not in words.org_class:
            continue
        for j in range(i + 1, min(i + 1 + _MAX_LIST_INTRO, len(doc))):
            if doc[j].text == ":" or fold_word(doc[j].text) in words.list_opener:
                starts.append(j + 1 + (j + 1 < len(doc) and doc[j + 1].text == ","))
                break
            if doc[j].is_punct or doc[j].is_space:
                break
    return starts


def _listed_bodies(doc: Doc, spans: list[Span]) -> list[Span]:
    """The spans, with every item of a class noun's list an ORG (``rule:org-list``): a new
    span for an item no rule found, in place of the model's spans inside it."""
    openers = _list_openers(doc)
    if not openers:
        return spans
    context = NameContext(body_starts=frozenset(s.start for s in spans if s.id_),
                          place_starts=frozenset())
    result = list(spans)
    for opener in openers:
        for start, end in _list_items(doc, opener, context):
            inside = [s for s in result if s.start < end and start < s.end]
            if all(not s.id_ and start <= s.start and s.end <= end for s in inside):
                result = [s for s in result if s not in inside]
                result.append(Span(doc, start, end, label="ORG", span_id="rule:org-list"))
    return sorted(result, key=lambda s: s.start)


def org_context_fixes(doc: Doc, spans: list[Span], role_ends: RoleEnds) -> list[Span]:
    """``spans`` without venues, programmes and planned bodies, with listed bodies added.
    ``role_ends(i)`` says whether a role phrase ends right before token ``i``."""
    spans = _listed_bodies(doc, spans)
    venues = _venues(spans, role_ends)
    return [span for index, span in enumerate(spans)
            if index not in venues and not _not_a_body(span)]
