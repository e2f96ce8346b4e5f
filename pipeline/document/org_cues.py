"""Bodies named by the words around them rather than by their own: a class noun before the
name ("la empresa Jabil", "el colectivo feminista Sororas"), or a person's apposition after a
comma ("Jaime Flores, de la Operadora Municipal de Estacionamientos": where that person
works). Grammar over the words around a name, never a list of names; the spans these
functions return still go through :func:`pipeline.document.entity_fixes` filters.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.document.names import token_texts
from pipeline.document.org_names import NameContext, extend_name, is_capitalised, name_end
from pipeline.document.places import names_a_place
from pipeline.document.rules import APPOSED, CLASS_OF, body_classes
from pipeline.knowledge import fold_word

_APPOSITION_LINKS = frozenset({"de", "del"})
_ARTICLES = frozenset({"la", "el", "los", "las"})


def class_orgs(doc: Doc, context: NameContext) -> list[Span]:
    """Bodies a class noun in lower case introduces, an adjective between or not: "la
    empresa Jabil", "el colectivo feminista Sororas", "la asociación civil El Día Después"
    (``body_classes.tsv``); the span's id names the noun ("rule:class-of:empresa")."""
    classes = body_classes()
    spans = []
    texts = token_texts(doc)  # strings, not a Token object per token
    for i, text in enumerate(texts[:-1]):
        if not text.islower() or fold_word(text) not in classes:
            continue
        start = i + 1
        if doc[start].is_lower and doc[start].pos_ == "ADJ" and start + 1 < len(doc):
            start += 1
        if not is_capitalised(doc[start]):
            continue
        end = extend_name(doc, start, name_end(doc, start, context, name_start=start,
                                               min_part=1), context)
        if end > start:
            spans.append(Span(doc, start, end, label="ORG",
                              span_id=f"{CLASS_OF}:{fold_word(text)}"))
    return spans


def apposed_orgs(doc: Doc, people: list[Span], context: NameContext) -> list[Span]:
    """The body in a person's apposition: "<person>, de(l) [article] <capitalised name>" up to
    the name's end ("Ana Ruiz, de la Operadora Municipal de Tránsito"); not a place ("Ana
    Ruiz, de Saltillo", "…, de Coahuila": where she comes from)."""
    spans = []
    for person in people:
        i = person.end
        if i + 2 >= len(doc) or doc[i].text != "," or doc[i + 1].lower_ not in _APPOSITION_LINKS:
            continue
        start = i + 2 + (doc[i + 2].lower_ in _ARTICLES)
        if start >= len(doc) or not is_capitalised(doc[start]):
            continue
        end = extend_name(doc, start, name_end(doc, start, context, name_start=start,
                                               min_part=1), context)
        if end > start and not names_a_place(doc[start:end].text):
            spans.append(Span(doc, start, end, label="ORG", span_id=APPOSED))
    return spans
