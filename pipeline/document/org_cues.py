"""Bodies named by the words around them rather than by their own: a class noun before the
name ("la empresa Jabil", "el colectivo feminista Sororas"), a person's apposition after a
comma ("Jaime Flores, de la Operadora Municipal de Estacionamientos": where that person
works), or a head said once for several names ("la comisión de Hacienda y la de Obras").
Grammar over the words around a name, never a list of names; the spans these functions
return still go through :func:`pipeline.document.entity_fixes` filters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from spacy.tokens import Doc, Span, Token

from pipeline.document.names import token_texts
from pipeline.document.org_names import (
    NameContext,
    extend_name,
    is_capitalised,
    name_end,
    opens_person,
    starts_body,
)
from pipeline.document.places import names_a_place
from pipeline.document.rules import (
    APPOSED,
    CLASS_OF,
    ELIDED,
    body_classes,
    folded_heads,
    folded_modifiers,
    role_words,
)
from pipeline.knowledge import fold_word

_APPOSITION_LINKS = frozenset({"de", "del"})
_ARTICLES = frozenset({"la", "el", "los", "las"})
_ELISION_LINKS = frozenset({"de", "del", "para"})  # "la de Obras", "la para la Juventud"
_GLUE_WORDS = frozenset({"y", "e", "o", ","})
_GLUE_PAIRS = frozenset({("además", "de"), ("así", "como")})
_PAIR_ENDS = frozenset({";", ".", ","})
_MIN_SAID_PAIRS = 2  # one "person, body" pair is an apposition; two make a pattern
_MAX_PAIR_WORDS = 4  # lower-case words before a pair's body: "quien coordina la"


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


def _head_of(span: Span) -> str:
    """The folded head word a body's name opens with ("comision"), or the one its id
    carries when the head was elided; "" when it has none."""
    if span.id_.startswith(ELIDED + ":"):
        return span.id_.rpartition(":")[2]
    word = fold_word(span[0].text)
    return word if word in folded_heads() else ""


def _is_modifier(token: Token) -> bool:
    """A word that qualifies a head ("Especial", "Permanente", "Técnica")."""
    return token.pos_ == "ADJ" or fold_word(token.text) in folded_modifiers()


def _past_glue(doc: Doc, i: int) -> int:
    """Past "y", "e", "o", a comma, "además de" or "así como" (a comma before them or not)
    at ``i``; ``i`` when none."""
    start = i + (i < len(doc) and doc[i].text == ",")
    pair = tuple(t.lower_ for t in doc[start:start + 2])
    if pair in _GLUE_PAIRS:
        return start + 2
    return start + 1 if pair[:1] and pair[0] in _GLUE_WORDS else start


def _elided_name(doc: Doc, i: int, antecedent: Span, context: NameContext) -> Span | None:
    """The body an article at ``i`` names with its antecedent's head unsaid: "la de
    Obras" (article + "de"), "la Especial de Asuntos Fronterizos" (article + adjective). The
    article agrees with the antecedent's own ("la comisión … y el de" is another noun)."""
    article = doc[i].lower_
    before = doc[antecedent.start - 1].lower_ if antecedent.start else ""
    if article not in _ARTICLES or (before in _ARTICLES and before != article):
        return None
    start = i + 1
    linked = start < len(doc) and doc[start].lower_ in _ELISION_LINKS
    if linked:
        start += 1 + (start + 1 < len(doc) and doc[start + 1].lower_ in _ARTICLES)
    elif start >= len(doc) or not _is_modifier(doc[start]):
        return None
    if start >= len(doc) or not is_capitalised(doc[start]) or opens_person(doc, start) \
            or starts_body(doc, start, context):
        return None  # "… y la Fiscalía General": a body of its own
    # One article before "de" scopes over "A y B": "la de Ecología y Protección Civil"
    # is one commission, though "Protección Civil" alone names a body too.
    within = NameContext(frozenset(), context.place_starts) if linked else context
    end = extend_name(doc, start, name_end(doc, start, within, name_start=start, min_part=1),
                      context)
    if end - start < (1 if linked else 2) or names_a_place(doc[start:end].text):
        return None  # "y la de Nuevo León": a place; "la Estatal y la Municipal": no name
    return Span(doc, start, end, label="ORG",
                span_id=f"{ELIDED}:{_head_of(antecedent)}")


def elided_bodies(doc: Doc, orgs: list[Span], people: list[Span],
                  context: NameContext) -> list[Span]:
    """Bodies whose head was said once for several (ellipsis): after a body with a head
    word, "y la de Obras", "además de la Especial de Asuntos Fronterizos"; and in a list of
    "person, body" pairs whose verb and head the first pairs said ("Ana Ruiz, la comisión de
    Hacienda; Luis Soto, la Comisión de Salud; Rosa Gil, Parques y Jardines"). Each span's
    id names the head it shares (``rule:elided:comision``)."""
    found = gapped_bodies(doc, orgs, people, context)
    antecedents = sorted(orgs + found, key=lambda span: span.start)
    while antecedents:  # a found body is the antecedent of the next: "la de A y la de B"
        antecedent = antecedents.pop(0)
        glue = _past_glue(doc, antecedent.end)
        if not _head_of(antecedent) or glue == antecedent.end or glue >= len(doc):
            continue
        span = _elided_name(doc, glue, antecedent, context)
        if span is not None:
            found.append(span)
            antecedents.insert(0, span)
    return sorted(found, key=lambda span: span.start)


def _paragraph_starts(doc: Doc) -> list[int]:
    """Where paragraphs begin: a list of pairs runs on over semicolons, which the parser
    may take for sentence ends, but not over a line break."""
    return [0] + [i + 1 for i, text in enumerate(token_texts(doc)) if "\n" in text]


def _said_body(doc: Doc, i: int, org_at: dict[int, Span]) -> str:
    """The head of the body a pair's second half names at ``i``, a few lower-case words
    before it or not ("la comisión de…", "quien coordina la Comisión de…", "coordinadora
    de la comisión de…"); "" when it names none."""
    for k in range(i, min(i + _MAX_PAIR_WORDS + 1, len(doc))):
        if k in org_at:
            return _head_of(org_at[k])
        if not doc[k].is_lower:
            break
    return ""


def gapped_bodies(doc: Doc, orgs: list[Span], people: list[Span],
                  context: NameContext) -> list[Span]:
    """The bodies of "person, body" pairs in one paragraph where two pairs or more name a
    body with one head and the others leave it unsaid: "…; Luis Soto, Educación y Cultura;
    Rosa Gil, Parques y Jardines." (see :func:`elided_bodies`)."""
    org_at = {span.start: span for span in orgs}
    heads: dict[int, list[str]] = defaultdict(list)
    unsaid: dict[int, list[tuple[int, int]]] = defaultdict(list)
    paragraphs: list[int] = []
    for person in people:
        comma = person.end
        if comma + 1 >= len(doc) or doc[comma].text != ",":
            continue
        k = comma + 1 + (doc[comma + 1].lower_ in _ARTICLES)
        paragraphs = paragraphs or _paragraph_starts(doc)
        paragraph = bisect_right(paragraphs, person.start)
        said = _said_body(doc, comma + 1, org_at)
        if said:
            heads[paragraph].append(said)
        elif k in org_at:  # "Desarrollo Urbano" after a councillor: her commission's name
            unsaid[paragraph].append((k, org_at[k].end))
        elif k < len(doc) and is_capitalised(doc[k]) and k not in context.body_starts \
                and not opens_person(doc, k) and fold_word(doc[k].text) not in role_words():
            end = name_end(doc, k, context, name_start=k, min_part=1)
            if end > k and (end == len(doc) or doc[end].text in _PAIR_ENDS
                            or doc[end].lower_ in _GLUE_WORDS) \
                    and not names_a_place(doc[k:end].text):
                unsaid[paragraph].append((k, end))
    found = []
    for paragraph, pairs in unsaid.items():
        shared = set(heads[paragraph])
        if len(heads[paragraph]) >= _MIN_SAID_PAIRS and len(shared) == 1:
            head = shared.pop()
            found += [Span(doc, k, end, label="ORG", span_id=f"{ELIDED}:{head}")
                      for k, end in pairs]
    return found
