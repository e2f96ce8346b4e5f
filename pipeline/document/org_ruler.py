"""The ``org_ruler`` component: institutions found by the gazetteer and by the shape of names.

Two phrase matchers look every word up once: one by lower case (gazetteer names and aliases,
head words), one as written (acronyms, exact forms, legal suffixes). Each head then grows into
its name by the grammar of :mod:`pipeline.document.org_names`. The longest candidate wins and
overwrites the model's entities it overlaps: a matched institution is an ORG even where the
model saw a place, a person or nothing.

Span ids say which rule found a name: ``gaz:<body id>``, ``head:<word>``, ``short:<word>``
(a bare head, "el Instituto"), ``coord:<plural head>`` (R4 members), ``legal:<suffix>``.
"""

from __future__ import annotations

from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.document.org_lists import list_members
from pipeline.document.org_names import (
    NameContext,
    abbreviates,
    extend_name,
    head_opens_person,
    is_acronym,
    is_capitalised,
    name_end,
    name_start,
    opens_person,
)
from pipeline.document.places import names_a_place
from pipeline.document.rules import (
    folded_role_forms,
    load_context_words,
    role_words,
    standalone_bodies,
)
from pipeline.knowledge import (
    fold,
    fold_word,
    gazetteer_index,
    load_gazetteer,
    load_legal_suffixes,
    load_org_heads,
    org_terms,
)

# Inside a name closed by a legal form: only "de"-like links, so that "con Transforma A. C."
# and "Red Mesa de Mujeres y Transforma A. C." stop at the association's own name.
_LEGAL_LINKS = frozenset({"de", "del", "la", "las", "los", "para", "el"})
# Title-case acronyms ("Inegi", "Ipacult") are common in the local press; short ones are
# ordinary words ("Ine" is rare, "Imm" never).
_MIN_TITLE_ACRONYM = 4
_LOWER_HEAD_LINKS = frozenset({"de", "del", "para"})
# A head written without its accent, as the press often does: capitalised only, and not when
# it is also a role's word ("Secretaria", "secretaria").
_UNACCENTED = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")
_ARTICLES = frozenset({"el", "la", "los", "las"})
_TOPIC_LINKS = frozenset({"de", "del", "en", "para"})


def _key(text: str) -> str:
    return fold(text).replace(" ", "-")


class OrgRuler:
    """Find institutions; see the module docstring."""

    def __init__(self, nlp: Language, name: str = "org_ruler") -> None:
        self.name = name
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        make = nlp.make_doc
        for body in load_gazetteer():
            self.lower.add(f"gaz:{body.id}", [make(f) for f in (body.name, *body.aliases)])
            spellings = {a for a in body.acronyms} | set(body.exact) | {
                a.title() for a in body.acronyms if len(a) >= _MIN_TITLE_ACRONYM and " " not in a}
            self.orth.add(f"gaz:{body.id}", [make(s) for s in sorted(spellings)])
        for head in load_org_heads():
            self.lower.add(f"head:{_key(head)}", [make(head)])
            plain = head.translate(_UNACCENTED)
            if plain != head and fold(plain) not in role_words():  # "Direccion de Obras"
                self.orth.add(f"head:{_key(head)}", [make(plain)])
        for plural in org_terms("plural"):
            self.lower.add(f"coord:{_key(plural)}", [make(plural)])
        for suffix in load_legal_suffixes():
            self.orth.add(f"legal:{fold(suffix).replace(' ', '')}", [make(suffix)])
        for name in standalone_bodies():
            self.orth.add(f"std:{_key(name)}", [make(name), make(name.upper())])
        self.modifiers = frozenset(org_terms("modifier"))
        self.venues = frozenset(org_terms("venue"))
        self.acts = frozenset(fold(act) for act in org_terms("act"))

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        matches = [(strings[m], s, e) for m, s, e in (*self.lower(doc), *self.orth(doc))]
        gazetteer = [Span(doc, s, e, label="ORG", span_id=key)
                     for key, s, e in matches if key.startswith("gaz:")]
        legal = [span for key, s, e in matches if key.startswith("legal:")
                 if (span := _legal_name(doc, s, e, key)) is not None]
        heads = [(key, s, e) for key, s, e in matches if key.startswith("head:")]
        context = NameContext(
            body_starts=frozenset([s.start for s in gazetteer + legal]
                                  + [s for _, s, _ in heads if is_capitalised(doc[s])]),
            place_starts=frozenset(e.start for e in doc.ents if e.label_ == "LOC"))
        found = _unique_bodies(gazetteer + self._head_names(doc, heads, context))
        found += [span for key, s, e in matches if key.startswith("coord:")
                  for span in list_members(doc, self._after_modifiers(doc, e), context, key=key)]
        found += [  # after the lists' members: of two equal spans the first found wins
            Span(doc, s, max(e, name_end(doc, s, context, name_start=s, coordinate=False)),
                 label="ORG", span_id=key)
            for key, s, e in matches if key.startswith("std:") and _stands_alone(doc, s)]
        rules = filter_spans(found + legal)
        taken = {i for span in rules for i in range(span.start, span.end)}
        model = [e for e in doc.ents if taken.isdisjoint(range(e.start, e.end))]
        doc.ents = sorted(rules + model, key=lambda span: span.start)
        return doc

    def _head_names(self, doc: Doc, heads: list[tuple[str, int, int]],
                    context: NameContext) -> list[Span]:
        """The names heads open, left to right; a head inside the name before it is part of
        that name ("Unidad Centro del IMM", "Instituto del Fondo Nacional…")."""
        names: list[Span] = []
        for key, start, end in sorted(heads, key=lambda match: (match[1], -match[2])):
            if names and start < names[-1].end:
                continue
            span = self._head_name(doc, start, end, key, context)
            if span is None:
                continue
            if names and _acronym_joins(names[-1], span):
                span = Span(doc, names[-1].start, span.end, label="ORG", span_id=names[-1].id_)
                names.pop()
            names.append(span)
        return names

    def _after_modifiers(self, doc: Doc, i: int) -> int:
        """Past the lower-case words a head may take before its name ("edilicia")."""
        while i < len(doc) and doc[i].lower_ in self.modifiers and doc[i].is_lower:
            i += 1
        return i

    def _head_name(self, doc: Doc, start: int, end: int, key: str,
                   context: NameContext) -> Span | None:
        """The name a head opens: capitalised words after it, or "de" + a capitalised name
        after a lower-case head ("dirección de Prevención Social"); a bare capitalised head
        is a short form ("el Instituto")."""
        if head_opens_person(doc, start) or _ends_a_role(doc, start):
            return None
        tail = self._after_modifiers(doc, end)
        venue = doc[start].text.title() in self.venues
        if is_capitalised(doc[start]) or (tail < len(doc) and is_capitalised(doc[tail])
                                          and doc[tail].lower_ in self.modifiers):
            # "la Secretaría de…", "la comisión Edilicia de…", "el poder Ejecutivo"
            stop = name_end(doc, tail, context, name_start=start, after_head=True)
            if stop == tail and end - start == 1:
                if not is_capitalised(doc[start]):
                    return None
                return Span(doc, name_start(doc, start), end, label="ORG",
                            span_id=f"short:{key[5:]}")
        elif not venue and tail < len(doc) and is_capitalised(doc[tail]):
            # "el poder Judicial", "la asociación Mujer Contemporánea": the name follows
            if tail in context.body_starts or opens_person(doc, tail):
                return None
            stop = extend_name(doc, tail, name_end(doc, tail, context, name_start=tail),
                               context)
            span = Span(doc, tail, stop, label="ORG")
            return Span(doc, tail, stop, label="ORG", span_id=_gazetteer_id(span) or key)
        else:
            if tail >= len(doc) or doc[tail].lower_ not in _LOWER_HEAD_LINKS:
                return None
            first = tail + 1 + (tail + 1 < len(doc) and doc[tail + 1].lower_ in _ARTICLES)
            if first >= len(doc) or first in context.body_starts or opens_person(doc, first) \
                    or is_acronym(doc[first]) or (first in context.place_starts and venue):
                return None  # "la dirección del IMM", "la casa de María López", "el centro
                # de Juárez"
            stop = name_end(doc, tail, context, name_start=start, after_head=True)
            if stop == tail or (fold_word(doc[start].text) in self.acts
                                and names_a_place(doc[first:stop].text)):
                return None  # "la fundación de Ciudad Juárez": an act, not a body
        stop = extend_name(doc, start, stop, context)
        span = Span(doc, name_start(doc, start), stop, label="ORG")
        return Span(doc, span.start, span.end, label="ORG", span_id=_gazetteer_id(span) or key)


def _ends_a_role(doc: Doc, start: int) -> bool:
    """The head at ``start`` is the last word of a role ("la jefa de Gobierno, Clara
    Brugada", ``roles.tsv``), not a body."""
    return start >= 2 and doc[start - 1].lower_ in ("de", "del") and fold(
        doc[start - 2:start + 1].text) in folded_role_forms()


def _stands_alone(doc: Doc, start: int) -> bool:
    """A standard body's name at ``start`` is the body, not a part of a longer name ("Ley
    de Protección Civil", "Sistema Nacional de Protección Civil") nor a topic ("en materia de
    Desarrollo Social", "el programa de Obras Públicas")."""
    i = start - 1
    if i >= 0 and doc[i].lower_ in _ARTICLES:
        i -= 1
    if i < 0 or doc[i].lower_ not in _TOPIC_LINKS:
        return i < 0 or not is_capitalised(doc[i]) or doc[i].is_sent_start
    before = doc[i - 1] if i else None
    return before is None or not (is_capitalised(before) and not before.is_sent_start) \
        and fold_word(before.text) not in load_context_words().topic \
        or _after_a_role_named_body(doc, i - 1)


def _after_a_role_named_body(doc: Doc, end: int) -> bool:
    """The capitalised words ending at ``end`` are a department a role names ("coordinadora
    de Comunicación Social | del DIF"): what follows "del" is a body of its own (R2)."""
    start = end
    while start > 0 and is_capitalised(doc[start - 1]):
        start -= 1
    return start >= 2 and doc[start - 1].lower_ in ("de", "del") \
        and fold_word(doc[start - 2].text) in role_words()


def _acronym_joins(first: Span, second: Span) -> bool:
    """"Secretariado Ejecutivo | del Sistema Nacional de Seguridad Pública (SESNSP)": the
    acronym after the second name abbreviates both, joined by "de", so they are one name."""
    doc = first.doc
    link = doc[first.end:second.start]
    end = second.end
    if not link or link[0].lower_ not in ("de", "del") or len(link) > 2 or \
            end + 2 >= len(doc) or doc[end].text != "(" or not is_acronym(doc[end + 1]):
        return False
    acronym = doc[end + 1].text
    return abbreviates(acronym, [t.text for t in doc[first.start:end]]) and \
        not abbreviates(acronym, [t.text for t in second])


def _unique_bodies(spans: list[Span]) -> list[Span]:
    """A bare head that names one body on its own ("la Contraloría", "la Policía") is that
    body, unless a longer name with the same head came before ("el Ayuntamiento de Los
    Cabos … el Ayuntamiento"): then it is a short form of it."""
    unique = {_key(head) for head in org_terms("unique")}
    named: set[str] = set()
    result = []
    for span in sorted(spans, key=lambda s: s.start):
        key = span.id_.partition(":")[2]
        if len(span) > 1:
            named.add(_key(span[0].text))
        elif span.id_.startswith("short:") and key in unique and key not in named:
            span = Span(span.doc, span.start, span.end, label="ORG", span_id=f"head:{key}")
        result.append(span)
    return result


def _legal_name(doc: Doc, start: int, end: int, key: str) -> Span | None:
    """Capitalised words closed by a legal form ("Transforma A. C."), back to the first
    capitalised word, across "de"-like links only."""
    i = start
    while i > 0 and not doc[i - 1].is_space and (
            is_capitalised(doc[i - 1]) or doc[i - 1].lower_ in _LEGAL_LINKS):
        i -= 1
    while i < start and (not is_capitalised(doc[i]) or doc[i].pos_ in ("VERB", "AUX")):
        i += 1  # "Firmaron Casa Amiga A.C.": a sentence's first verb is no part of it
    if i == start:
        return None
    span = Span(doc, i, end, label="ORG")
    return Span(doc, i, end, label="ORG", span_id=_gazetteer_id(span) or key)


def _gazetteer_id(span: Span) -> str | None:
    """``gaz:<id>`` when the span, or the span without its legal form, is a known body's
    form ("Casa Amiga A.C." is Casa Amiga)."""
    text = fold(span.text)
    body = gazetteer_index().get(text)
    if body is None:
        suffix = next((s for s in _folded_suffixes() if text.endswith(" " + s)), None)
        body = gazetteer_index().get(text[:-len(suffix) - 1]) if suffix else None
    return f"gaz:{body.id}" if body else None


@cache
def _folded_suffixes() -> tuple[str, ...]:
    return tuple({fold(suffix) for suffix in load_legal_suffixes()})


@Language.factory("org_ruler")
def make_org_ruler(nlp: Language, name: str) -> OrgRuler:
    return OrgRuler(nlp, name)
