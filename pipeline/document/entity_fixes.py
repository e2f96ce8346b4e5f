"""The ``entity_fixes`` component: relabel, trim and filter the model's entities for this
domain, and add the institutions that rules find (role-named bodies, bracketed acronyms)."""

from __future__ import annotations

import numpy
from spacy.attrs import IS_ALPHA, IS_LOWER, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.document.names import (
    NameEvidence,
    after_place_word,
    has_name_shape,
    in_place_lists,
    introduced_as_person,
    is_byline,
    is_cut_off,
    opens_with_given_name,
    person_evidence,
    said_by,
)
from pipeline.document.name_mask import name_evidence
from pipeline.document.org_context import org_context_fixes
from pipeline.document.org_cues import apposed_orgs, class_orgs, elided_bodies
from pipeline.document.org_lists import list_members
from pipeline.document.org_names import (
    NameContext,
    extend_name,
    head_opens_person,
    is_acronym,
    is_capitalised,
    name_end,
    opens_person,
)
from pipeline.document.places import names_a_place
from pipeline.document.rules import (
    CLASS_OF,
    ELIDED,
    ROLE_PERSON,
    connector_words,
    standard_body_names,
    load_context_words,
    role_forms,
    single_heads,
)
from pipeline.knowledge import fold, fold_word, load_not_entities

_ARTICLES = frozenset({"el", "la", "los", "las", "del", "al", "de"})
_NAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})
_ROLE_LINKS = frozenset({"de", "del", "la", "las", "los"})
# Spans whose structure says they name a body, whatever their first word ("las direcciones
# de … y de Parques y Jardines", "titular de Parques y Jardines").
ROLE_OF = "rule:role-of"  # a body a role names: "director de Limpia" (R2)
_STRUCTURED = ("gaz:", "coord:", "std:", ROLE_OF, ELIDED)
_MIN_TITLE_ACRONYM = 4  # "Cemath", "Sabic": shorter title-case words in brackets are words
_DATELINE_DASHES = ("-", "–", "—")


def _trim(span: Span) -> Span | None:
    """``span`` without leading articles and trailing punctuation or connectors."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ in _ARTICLES or doc[start].is_punct
                           or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].lower_ in connector_words()):
        end -= 1
    if start == end:
        return None
    return Span(doc, start, end, label=span.label_, span_id=span.id_)


def _is_name_word_list(span: Span, lower_words: set[str]) -> bool:
    """True when every word of a PER span is also used in lower case in the text, as with
    "Trabajo Social" or "Perspectiva de Género": common words, not a name."""
    words = [t.lower_ for t in span if t.lower_ not in _NAME_PARTICLES and t.is_alpha]
    return bool(words) and all(word in lower_words for word in words)


def _strip_front(span: Span, roles: RoleIndex) -> Span:
    """Drop leading words that are no part of a name: "También Daniel…", a verb ("Aseguró
    Urrutia"), a role ("Regidora Patricia Mendoza") or the end of one ("jefe de | Gobierno
    Martí Batres"), lower-case words the model took in."""
    doc = span.doc
    start = span.start
    while start < span.end - 1 and roles.covers(start) and not span.id_.startswith("gaz:"):
        start += 1  # the end of a role the span began inside: "(jefa de) Gobierno Martí Batres"
    while start < span.end - 1:
        token = doc[start]
        role = roles.at(start)
        if role and start + role < span.end:
            start += role
        elif fold_word(token.text) in load_not_entities() or token.pos_ == "VERB" or (
                not span.id_ and token.is_lower):
            start += 1
        else:
            break
    return Span(doc, start, span.end, label=span.label_, span_id=span.id_)


def _strip_back(span: Span) -> Span:
    """A model's span that is no body without the lower-case words it ran on into: "(El
    expresidente) Vicente Fox publicó" is "Vicente Fox" (a name ends with a name word)."""
    end = span.end
    if not span.id_ and span.label_ != "ORG":
        while end > span.start + 1 and span.doc[end - 1].is_lower and span.doc[end - 1].is_alpha:
            end -= 1
    return span if end == span.end else Span(span.doc, span.start, end, label=span.label_)


class RoleIndex:
    """Where role phrases start in one document and how many tokens they take, found once by
    a phrase matcher (singular and plural forms: "las regidoras X y Y")."""

    def __init__(self, matcher: PhraseMatcher, doc: Doc) -> None:
        self.sizes: dict[int, int] = {}
        self._plural: set[int] = set()
        strings = doc.vocab.strings
        for match_id, start, end in matcher(doc):
            if end - start >= self.sizes.get(start, 0):
                self.sizes[start] = end - start
                if strings[match_id] == "plural-role":
                    self._plural.add(start)
                else:
                    self._plural.discard(start)

    def is_plural(self, i: int) -> bool:
        """The role phrase at token ``i`` is plural ("los titulares", "las directoras")."""
        return i in self._plural

    def at(self, i: int) -> int:
        """Length in tokens of the role phrase starting at token ``i`` (0 when none)."""
        return self.sizes.get(i, 0)

    def covers(self, i: int) -> bool:
        """Token ``i`` is inside a role phrase that starts before it."""
        return any(self.sizes.get(i - back, 0) > back for back in (1, 2))

    def ends_at(self, end: int) -> bool:
        """A role phrase ends right before token ``end``."""
        return any(self.sizes.get(end - size) == size for size in (1, 2, 3))


def role_matcher(nlp: Language) -> PhraseMatcher:
    """Role phrases of ``roles.tsv`` by lower case, singular and plural."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    singular = {" ".join(form.split()) for form in role_forms()}
    plural = {" ".join(_plural(word) for word in form.split()) for form in singular} - singular
    matcher.add("role", [nlp.make_doc(phrase) for phrase in sorted(singular)])
    matcher.add("plural-role", [nlp.make_doc(phrase) for phrase in sorted(plural)])
    return matcher


def _plural(word: str) -> str:
    """Spanish plural of a role word: "regidora" → "regidoras", "director" → "directores"."""
    if word in connector_words():
        return word
    if word.endswith("z"):
        return word[:-1] + "ces"
    return word + ("s" if word[-1] in "aeiouáéó" else "es")


def _next_to_role(span: Span, roles: RoleIndex) -> bool:
    """"el alcalde, Martín Ríos Lozano", "Víctor Valencia Carrasco, coordinador de…"."""
    doc = span.doc
    before = span.start - (1 if span.start and doc[span.start - 1].text == "," else 0)
    if roles.ends_at(before):
        return True
    if before < span.start and _role_of_body_ends_at(doc, before, roles):
        return True
    after = span.end + (1 if span.end < len(doc) and doc[span.end].text == "," else 0)
    return after < len(doc) and roles.at(after) > 0 and after > span.end


def _role_of_body_ends_at(doc: Doc, end: int, roles: RoleIndex) -> bool:
    """"<role> de(l) <capitalised body>" ends right before token ``end``: "la integrante del
    Instituto, Gizéh Beltrán del Río"."""
    i = end - 1  # back over the body's name and the "de la" before it
    while i >= 0 and (is_capitalised(doc[i]) or doc[i].lower_ in connector_words()):
        i -= 1
    return i + 1 < end and roles.ends_at(i + 1)


def _looks_like_person(span: Span, lower_words: set[str]) -> bool:
    """A span the model took for a place or a thing that reads as a person's name: three or
    more capitalised words, none of them used in lower case in the text ("Víctor Valencia
    Carrasco", not "Circuito Atlético Pedestre"); or, not taken for a body, a name's shape
    that a person's title or a verb of saying introduces ("habló Tonatiuh Bravo", "Montes de
    Oca aseguró"); or a given name and a surname (:func:`_given_name_and_surname`); never
    after "en", "de" or "del", nor a byline."""
    doc = span.doc
    if span.start and doc[span.start - 1].lower_ in ("en", "de", "del"):
        return False  # "el presidente municipal de San Luis, dijo": a place's name
    introduced = span.label_ != "ORG" and len(span) >= 2 and has_name_shape(span) and (
        said_by(span) or introduced_as_person(span))
    three_titled = len(span) >= 3 and all(t.is_title and t.is_alpha for t in span) and not any(
        t.lower_ in lower_words for t in span)
    return (introduced or three_titled or _given_name_and_surname(span, lower_words)) \
        and not is_byline(span)


def _given_name_and_surname(span: Span, lower_words: set[str]) -> bool:
    """Two capitalised words, a known given name then a surname or a patronymic's shape,
    neither used in lower case in the text: "Marisol Ochoa", "Rosa Gámez", whatever the
    model's label; not "Santa Fe", "Casa Amiga"."""
    return (len(span) == 2 and opens_with_given_name(span) and has_name_shape(span)
            and name_evidence(span[1].text) and span[1].text not in single_heads()
            and not any(t.lower_ in lower_words for t in span))


def _opens_with(text: str, phrases: frozenset[str]) -> bool:
    """``text`` is one of ``phrases`` or starts with one, then a space (looked up by its
    openings, not by trying every phrase)."""
    return text in phrases or any(text[:i] in phrases for i, char in enumerate(text)
                                  if char == " ")


def _keep(span: Span, lower_words: set[str], roles: RoleIndex) -> Span | None:
    """The span to keep for one entity: relabelled, trimmed, or None when it is no name."""
    known = span.id_.startswith(("gaz:", CLASS_OF))  # the words around it say so
    trimmed = _trim(span)
    if trimmed is None:
        return None
    span = _strip_back(_strip_front(trimmed, roles))
    doc = span.doc
    text = fold(span.text)
    first = fold_word(span[0].text)
    context = load_context_words()
    if (text in load_not_entities() or (len(span) == 1 and first in load_not_entities())) \
            and not (span.id_ == ROLE_OF and text in standard_body_names()):
        return None  # but "coordinadora de Comunicación Social": a role names the body
    if span[0].is_lower and first in connector_words():
        return None  # "(secretario de Estado) de Estados Unidos": a complement, not a name
    if not span.id_ and span[-1].text.endswith(_DATELINE_DASHES):
        return None  # "Monterrey, N.L.- La Fiscalía…": a dateline's state, not a name
    if not known and (roles.at(span.start) or roles.covers(span.start)
                      or _opens_with(text, context.not_org)):
        return None  # a role, or the end of one ("la jefa de | Gobierno")
    if span.label_ != "ORG" and span[0].text in single_heads():
        label = "PER" if head_opens_person(doc, span.start) else "ORG"  # "Refugio Ramírez"
        return Span(doc, span.start, span.end, label=label, span_id=span.id_)
    if not span.id_ and span.label_ != "PER" and not names_a_place(span.text) and (
            _next_to_role(span, roles) or _looks_like_person(span, lower_words)):
        return Span(doc, span.start, span.end, label="PER")  # but "gobernador de Nuevo León"
    if span.label_ == "ORG" and not span.id_ and len(span) == 1 and not span.text.isupper():
        return None  # a lone title-case word the model calls ORG is rarely a body
    if span.label_ == "PER" and (_is_name_word_list(span, lower_words) or is_byline(span)):
        return None
    return span


def _name_evidence(span: Span, roles: RoleIndex, lower_words: set[str]) -> NameEvidence:
    """What the evidence says of a model's several-word "person" (see
    :func:`~pipeline.document.names.person_evidence`): for "López Obrador señaló", against
    "Protección Civil" or "fiscal General del Estado" (the rest of a role); other spans are
    not judged (for)."""
    if span.label_ != "PER" or span.id_ or len(span) < 2:
        return NameEvidence.FOR
    if roles.covers(span.start):
        return NameEvidence.AGAINST
    return person_evidence(span, lower_words, beside_role=_next_to_role(span, roles))


def _drop_places(spans: list[Span]) -> list[Span]:
    """Drop names of places: after a place word ("colonia Vicente Guerrero"), the rest of an
    enumeration that began so ("colonias Pavo Real, Oasis Revolución y Finca Bonita") and
    the items after a colon that a place noun introduces ("las calles por atender son: …")."""
    if not spans:
        return spans
    place = load_context_words().place
    listed = in_place_lists(spans[0].doc)
    kept, previous_place_end = [], -1
    for span in spans:
        doc = span.doc
        before = doc[span.start - 1] if span.start else None
        is_place = (fold_word(span[0].text) in place or after_place_word(span)
                    or listed[span.start]
                    or before is not None and before.lower_ in (",", "y", "e")
                    and span.start - 1 == previous_place_end)
        if is_place and not span.id_.startswith(_STRUCTURED):
            previous_place_end = span.end
            continue
        kept.append(span)
    return kept


def bracketed_acronym(span: Span, lower_words: set[str]) -> str | None:
    """The acronym in brackets right after ``span``: "(SSPM)", "(HIAS, por sus siglas en
    inglés)", or a title-case one that starts like the name and is no word of the text
    ("Centro Municipal … (Cemath)")."""
    doc, end = span.doc, span.end
    if end + 2 >= len(doc) or doc[end].text != "(" or not (
            doc[end + 2].text == ")" or _says_siglas(doc, end + 2)):
        return None
    token = doc[end + 1]
    text = token.text
    if is_acronym(token) or (text.istitle() and text.isalpha() and len(text) >= _MIN_TITLE_ACRONYM
                             and text[0] == span[0].text[0] and text.lower() not in lower_words
                             and fold(text) not in load_not_entities()):
        return text
    return None


def _says_siglas(doc: Doc, i: int) -> bool:
    """", por sus siglas (en inglés))" from token ``i``: what the acronym before it stands
    for is the name before the bracket."""
    words = [t.lower_ for t in doc[i:i + 4]]
    return words[:4] == [",", "por", "sus", "siglas"]


def _to_acronym_start(span: Span, lower_words: set[str]) -> Span:
    """A model ORG that ends before "(Acronym)" starts where the acronym's first letter
    does, back over the name's words: "Salud y [Bienestar Comunitaria] (Sabic)"."""
    doc = span.doc
    after = span.end + 1
    if span.id_ or span.label_ != "ORG" or after >= len(doc) or doc[span.end].text != "(":
        return span
    letter = doc[after].text[:1]
    i = span.start
    while i > 0 and not doc[i - 1].is_space and (is_capitalised(doc[i - 1])
                                                 or doc[i - 1].lower_ in connector_words()):
        i -= 1
    for start in range(i, span.start):
        if is_capitalised(doc[start]) and doc[start].text[0] == letter:
            wider = Span(doc, start, span.end, label="ORG")
            return wider if bracketed_acronym(wider, lower_words) else span
    return span


def _place_acronyms(before: list[Span], after: list[Span], lower_words: set[str]) -> set[str]:
    """Acronyms in brackets after a name dropped as a place: "la explanada del Centro
    Municipal de las Artes (CMA)" makes a later "CMA" a place too."""
    kept = {(s.start, s.end) for s in after}
    return {acronym for span in before if (span.start, span.end) not in kept
            and (acronym := bracketed_acronym(span, lower_words))}


def _merge_adjacent(spans: list[Span]) -> list[Span]:
    """Join a person split by the model into two touching spans ("Mónica" + "Alicia Juárez",
    "Marina del Pilar" + "Ávila" as places), or into two persons with one capitalised word
    left out between them ("Norma Lucía" | Piña | "Hernández")."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        gap = span.doc[last.end:span.start] if last is not None else None
        if (last is not None and not last.id_ and not span.id_ and not span[0].is_punct
                and ((last.end == span.start and ("PER" in (last.label_, span.label_)
                                                   or opens_with_given_name(last)))
                     or (len(gap) == 1 and last.label_ == span.label_ == "PER"
                         and is_capitalised(gap[0]) and gap[0].is_alpha))):
            merged[-1] = Span(span.doc, last.start, span.end, label="PER")
        else:
            merged.append(span)
    return merged


def _after_a_role(span: Span, roles: RoleIndex) -> bool:
    """The span follows "<role> de(l) [article]": "el secretario de | Educación …"."""
    doc, i = span.doc, span.start - 1
    if i >= 0 and doc[i].lower_ in ("el", "la", "los", "las"):
        i -= 1
    return i >= 1 and doc[i].lower_ in ("de", "del") and roles.ends_at(i)


def _holders_split_off(spans: list[Span], roles: RoleIndex) -> list[Span]:
    """A body a role names, with no comma before the person who holds the role, ends where
    that person's name begins: "el secretario de Educación Mario Delgado", "la directora de
    Obras Públicas Rosa Elena Quintero" are a body and a person. A name that opens with a head
    word is a name as a whole ("la directora del Centro Comunitario Francisco Villa")."""
    result = []
    for span in spans:
        holder = None
        if span.label_ == "ORG" and not span.id_.startswith("gaz:") and len(span) > 2 \
                and span[0].text.capitalize() not in single_heads():
            holder = next((k for k in range(span.start + 1, span.end) if opens_person(
                span.doc, k) and is_capitalised(span.doc[k - 1])), None)
        if holder is None or not _after_a_role(span, roles):
            result.append(span)
            continue
        result += [Span(span.doc, span.start, holder, label="ORG", span_id=span.id_),
                   Span(span.doc, holder, span.end, label="PER", span_id=ROLE_PERSON)]
    return result


def _role_orgs(doc: Doc, roles: RoleIndex, context: NameContext) -> list[Span]:
    """R2: bodies named after a role: "director de Limpia", "titular de Ecología y Medio
    Ambiente", "coordinadora de Prevención del IMM" (Prevención); after a plural role, one
    body per member of a list ("los titulares de Ecología, Educación y Deporte", R4). A role
    of a place names no body ("presidente municipal de Hermosillo"), nor does one word after
    "de la" ("la alcaldesa de la Bicicleta": a title, where departments take a bare "de")."""
    place_roles = load_context_words().place_role
    spans = []
    for start, size in roles.sizes.items():
        link = i = start + size
        while i < len(doc) and doc[i].lower_ in _ROLE_LINKS:
            i += 1
        if i == link or i >= len(doc) or not is_capitalised(doc[i]) or \
                fold_word(doc[start:link].text) in place_roles:
            continue
        if roles.is_plural(start):
            members = list_members(doc, link, context, key=ROLE_OF)
            if members:
                spans += members
                continue
        end = extend_name(doc, i, name_end(doc, i, context, name_start=i, min_part=1), context)
        if end - i == 1 and i - link > 1:
            continue
        if end > i:
            spans.append(Span(doc, i, end, label="ORG", span_id=ROLE_OF))
    return spans


def _acronyms(doc: Doc, orgs: list[Span], lower_words: set[str]) -> list[Span]:
    """"Secretaría de Seguridad Pública Municipal (SSPM)": the acronym in brackets after an
    institution, and every later bare use of it in the text."""
    defined = {acronym for span in orgs if (acronym := bracketed_acronym(span, lower_words))}
    if not defined:
        return []
    hashes = [doc.vocab.strings[text] for text in defined]
    return [Span(doc, int(i), int(i) + 1, label="ORG", span_id="rule:acronym")
            for i in numpy.flatnonzero(numpy.isin(doc.to_array(ORTH), hashes))]


def _enclosing(spans: list[Span], ruled: list[Span]) -> list[Span]:
    """The spans that hold whole every ruled span they overlap ("la de Ecología y
    Protección Civil" holds the standard "Protección Civil"), so that they may win over
    them; a span cutting a ruled name in two is dropped."""
    return [span for span in spans if all(
        span.start <= other.start and other.end <= span.end for other in ruled
        if other.start < span.end and span.start < other.end)]


def _resolve_overlaps(spans: list[Span]) -> list[Span]:
    """Non-overlapping spans, earlier ones in ``spans`` winning."""
    taken: set[int] = set()
    kept = []
    for span in spans:
        if taken.isdisjoint(range(span.start, span.end)):
            kept.append(span)
            taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: s.start)


class EntityFixes:
    """The component: see :func:`fix_entities`."""

    def __init__(self, nlp: Language, name: str = "entity_fixes") -> None:
        self.name = name
        self.roles = role_matcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        return fix_entities(doc, RoleIndex(self.roles, doc))


@Language.factory("entity_fixes")
def make_entity_fixes(nlp: Language, name: str) -> EntityFixes:
    return EntityFixes(nlp, name)


def fix_entities(doc: Doc, roles: RoleIndex) -> Doc:
    """Relabel, trim and filter the entities for this domain; add role-named bodies and
    acronyms defined in brackets. Institutions matched by rules win over the model."""
    lower_words = _lower_words(doc)
    ents = [_to_acronym_start(e, lower_words)
            for e in _merge_adjacent([e for e in doc.ents if "\n" not in e.text])]
    kept = [s for ent in ents if (s := _keep(ent, lower_words, roles)) is not None
            and not (is_cut_off(s) and not s.id_.startswith("gaz:"))]
    kept = _drop_places(_people_in_lists(_merge_adjacent(kept)))  # again, once trimmed
    place_acronyms = _place_acronyms(ents, kept, lower_words)
    kept = [s for s in kept if s.text not in place_acronyms]
    orgs = [s for s in kept if s.label_ == "ORG"]
    ruled = [s for s in orgs if s.id_]
    others = [s for s in kept if not (s.label_ == "ORG" and s.id_)]
    context = NameContext(body_starts=frozenset(s.start for s in ruled),
                          place_starts=frozenset(e.start for e in ents if e.label_ == "LOC"))
    role_orgs = [s for span in _role_orgs(doc, roles, context)
                 if (s := _keep(span, lower_words, roles)) is not None and not is_cut_off(s)]
    people = [s for s in kept if s.label_ == "PER"]
    cued = [s for span in class_orgs(doc, context) + apposed_orgs(doc, people, context)
            if (s := _keep(span, lower_words, roles)) is not None and not is_cut_off(s)]
    named = people + [s for s in kept if s.label_ not in ("ORG", "PER")
                      and opens_with_given_name(s)]
    elided = _enclosing([s for s in elided_bodies(doc, orgs, named, context)
                         if not is_cut_off(s)], ruled)
    spans = _resolve_overlaps(elided + ruled + cued + _acronyms(doc, orgs, lower_words)
                              + role_orgs + others)
    spans = org_context_fixes(doc, _orgs_in_lists(_holders_split_off(spans, roles)),
                              roles.ends_at)
    doc.ents = _supported(spans, roles, lower_words)
    return doc


def _lower_words(doc: Doc) -> set[str]:
    """Words the text writes in lower case ("trabajo", "social"), from the token arrays."""
    flags = doc.to_array([IS_LOWER, IS_ALPHA, LOWER])
    strings = doc.vocab.strings
    return {strings[h] for h in set(flags[(flags[:, 0] == 1) & (flags[:, 1] == 1), 2].tolist())}


def _supported(spans: list[Span], roles: RoleIndex, lower_words: set[str]) -> list[Span]:
    """Keep the people the evidence is for. A name of a name's shape only goes with its list:
    kept alone or beside a person, dropped when listed only beside names that are no
    person's ("Perspectiva de Género y Mujer Ilustre"). A name the evidence says nothing of
    (one word before "de": "Montes de Oca") is kept when listed beside a person kept ("las
    regidoras Patricia Mendoza y Montes de Oca": the role stands before the first only)."""
    evidence = [_name_evidence(span, roles, lower_words) for span in spans]

    def listed(index: int) -> list[int]:
        return [other for other in (index - 1, index + 1)
                if 0 <= other < len(spans) and spans[other].label_ == "PER"
                and _only_list_glue(spans[index], spans[other])]

    kept = [said >= NameEvidence.SHAPE for said in evidence]
    for index, said in enumerate(evidence):
        if said == NameEvidence.SHAPE and (near := listed(index)) and all(
                evidence[other] <= NameEvidence.NOTHING for other in near):
            kept[index] = False
    changed = True
    while changed:  # support passes along a list, one neighbour per round
        changed = False
        for index, said in enumerate(evidence):
            if said == NameEvidence.NOTHING and not kept[index] and any(
                    kept[other] for other in listed(index)):
                kept[index], changed = True, True
    return [span for span, keep in zip(spans, kept, strict=True) if keep]


def _orgs_in_lists(spans: list[Span]) -> list[Span]:
    """A "person" listed among institutions, two of them on one side or one on each, is
    one ("Desarrollo Económico, SIPINNA, DABA y la Comisión Edilicia…"); a single
    institution before a name is its affiliation ("del IMM, Elvira Urrutia")."""
    def listed_org(i: int, j: int) -> bool:
        return (0 <= j < len(spans) and spans[j].label_ == "ORG"
                and _only_list_glue(spans[i], spans[j]))

    result = list(spans)
    for index, span in enumerate(spans):
        if span.label_ != "PER" or span.id_ or (
                index + 1 < len(spans) and spans[index + 1].id_.startswith(ELIDED)):
            continue  # "Ana Gil, Hacienda y la Especial de…": she holds what follows
        if (listed_org(index, index - 1) and listed_org(index, index + 1)) or any(
                listed_org(index, index + step) and listed_org(index + step, index + 2 * step)
                for step in (-1, 1)):
            result[index] = Span(span.doc, span.start, span.end, label="ORG",
                                 span_id="rule:org-list")
    return result


def _only_list_glue(a: Span, b: Span) -> bool:
    """Nothing but commas, "y"/"e" and articles between two spans."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = first.doc[first.end:second.start]
    return len(between) > 0 and all(t.text == "," or t.lower_ in ("y", "e", "el", "la", "los",
                                                                  "las") for t in between)


def _people_in_lists(spans: list[Span]) -> list[Span]:
    """A name the model called a place, a thing or a body, listed beside a person, is a
    person when it opens with a given name or, not called a body, has a name's shape
    ("madres como Norma Laguna y Carmen Castillo Salazar", "Ana Ruiz y Xóchitl Tapia")."""
    result = list(spans)
    for index, span in enumerate(spans):
        if span.label_ == "PER" or span.id_ or len(span) < 2 or not (
                opens_with_given_name(span) or span.label_ != "ORG" and has_name_shape(span)
                and not names_a_place(span.text)):
            continue  # "el gobernador de Nuevo León, Samuel García": a place, then him
        if any(0 <= j < len(spans) and spans[j].label_ == "PER"
               and _only_list_glue(span, spans[j]) for j in (index - 1, index + 1)):
            result[index] = Span(span.doc, span.start, span.end, label="PER")
    return result
