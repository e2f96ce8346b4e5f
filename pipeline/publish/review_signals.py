"""What may be wrong in a run's tables, and how sure we are: the candidates of the review sheet.

Each finder reads a :class:`ReviewCorpus` and yields :class:`ReviewRow` s without a rank;
its ``priority`` is how much of the network the correction could change (the edges it
touches, plus the rows naming the entity) times how doubtful the entity or document is.
Doubt combines independent signals as a noisy-or, ``1 - Π(1 - w)``: each signal is a
general sign of a kind of error (a name only the model saw, a venue, a name that reads as a
person's, two bodies in one name, two forms of one body, a release from another city, a GBV
decision that rests on an institution's name), never a list of names.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations

from rapidfuzz import fuzz

from pipeline.corpus.org_keys import FUNCTION_WORDS, org_key
from pipeline.document.places import parse_label, place_in_name
from pipeline.document.privacy import is_public
from pipeline.document.resolve import is_acronym
from pipeline.document.rules import APPOSED, CLASS_OF, load_context_words, single_heads
from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import (
    fold,
    kind_words,
    load_given_names,
    load_legal_suffixes,
    load_org_heads,
    org_terms,
)
from pipeline.records import Affiliation, ReviewRow

REVIEW_CUES_FILE = RESOURCES_DIR / "review_cues.tsv"

# rapidfuzz ratio of two names' content words (three at least: "Fiscalía General" and
# "Fiscalía de Género" are two bodies) from which they are likely one body
SIMILAR_MIN = 88.0
MIN_DOUBT = 0.3  # rows less doubtful than this are not worth an analyst's time
EVIDENCE_SENTENCES = 2
EVIDENCE_CHARS = 240
_BLOCK_MAX = 200  # names sharing a word beyond this are not compared through that word
# Origins of rules that saw a head, or a class noun before the name ("la asociación X").
_HEADED = ("ruler:head:", "ruler:coord:", "ruler:legal:", CLASS_OF)


@dataclass(slots=True)
class EntityFacts:
    """One entity of entities.csv with what its mentions and the network say of it."""

    entity_id: str
    label: str
    name: str
    sector: str
    jurisdiction: str
    withheld: bool
    n_documents: int
    edges: int = 0  # weighted degree in the network: events shared with other institutions
    mentions: int = 0
    origins: set[str] = field(default_factory=set)
    holders: int = 0  # affiliations that give someone a role in it
    documents: list[str] = field(default_factory=list)  # in input order
    sentences: list[tuple[str, str, str]] = field(default_factory=list)  # (doc, text, sentence)


@dataclass(slots=True)
class DocumentFacts:
    doc_id: str
    path: str
    title: str
    jurisdiction: str
    gbv_related: bool
    gbv_score: float
    gbv_terms: list[str]
    orgs: list[str] = field(default_factory=list)  # entity ids of the institutions it names
    org_forms: set[str] = field(default_factory=set)  # their folded names and forms in it


@dataclass(slots=True)
class ReviewCorpus:
    """The facts of one run's tables that the finders read."""

    entities: dict[str, EntityFacts]
    documents: dict[str, DocumentFacts]
    roles: dict[str, list[tuple[str, str, str]]]  # person id → (doc, role, org) rows
    threshold: float  # the GBV threshold of the run's settings
    term_weights: dict[str, float]

    def evidence(self, entity: EntityFacts, docs: Iterable[str] | None = None) -> str:
        """Up to two of the entity's sentences, each with its document's id and path."""
        wanted = set(docs) if docs is not None else None
        quoted = [self._quote(doc, sentence) for doc, _, sentence in entity.sentences
                  if wanted is None or doc in wanted]
        return " | ".join(quoted[:EVIDENCE_SENTENCES])

    def _quote(self, doc_id: str, sentence: str) -> str:
        text = " ".join(sentence.split())
        if len(text) > EVIDENCE_CHARS:
            text = text[:EVIDENCE_CHARS - 1] + "…"
        path = self.documents[doc_id].path if doc_id in self.documents else ""
        return f"{doc_id} ({path}): «{text}»"


def noisy_or(weights: Iterable[float]) -> float:
    """The chance that at least one of independent signals is right."""
    return 1.0 - math.prod(1.0 - w for w in weights)


def _row(kind: str, entity: EntityFacts, suggestion: str, value: str, reasons: list[str],
         evidence: str, doubt: float, impact: float) -> ReviewRow:
    return ReviewRow(0, kind, entity.entity_id, entity.name or "[persona]", entity.label,
                     entity.jurisdiction, suggestion, value, "; ".join(reasons), evidence,
                     priority=round(impact * doubt, 4))


@cache
def _heads() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """Institutional head words, one-word and longer ("sala regional"), folded."""
    longer = tuple(tuple(fold(h).split()) for h in load_org_heads() if " " in h)
    return frozenset(fold(h) for h in single_heads()), longer


def _has_head(words: list[str]) -> bool:
    single, longer = _heads()
    return bool(words) and (words[0] in single or any(
        tuple(words[:len(h)]) == h for h in longer))


@cache
def _venues() -> frozenset[str]:
    return frozenset(fold(v) for v in org_terms("venue"))


@cache
def review_cues() -> dict[str, frozenset[str]]:
    """review_cues.tsv by kind, folded; ``not_org`` with context_words.tsv's own."""
    cues = kind_words(REVIEW_CUES_FILE, ("not_org", "level", "topic_head"))
    return cues | {"not_org": cues["not_org"] | load_context_words().not_org}


@cache
def _legal_forms() -> tuple[str, ...]:
    return tuple(f" {fold(s)}" for s in load_legal_suffixes())


def _named_as_place(entity: EntityFacts) -> bool:
    """Every mention looked at follows a venue word ("en la Casa …", "instalaciones del
    Centro …"): the name may be where something happens, not who acts."""
    venue = load_context_words().venue
    found = []
    for _, text, sentence in entity.sentences:
        at = sentence.find(text)
        before = [w for w in fold(sentence[:max(at, 0)]).split()[-3:]
                  if w not in ("el", "la", "los", "las", "del", "de", "al")]
        found.append(at > 0 and bool(before) and before[-1] in venue)
    return bool(found) and all(found)


def _confirmed(entity: EntityFacts, words: list[str]) -> float:
    """How much of the doubt survives the evidence that it is an institution (a factor)."""
    factor = 1.0
    if any(origin.startswith("ruler:gaz") for origin in entity.origins):
        factor *= 0.2  # the gazetteer knows it
    if entity.n_documents >= 2:
        factor *= 0.6 if entity.n_documents == 2 else 0.4  # named apart in several releases
    if f" {' '.join(words)}".endswith(_legal_forms()):
        factor *= 0.4  # a legal form: "A.C."
    if any(origin.startswith("ruler:std:") for origin in entity.origins):
        factor *= 0.3  # a standard body every administration has: "Desarrollo Social"
    if entity.holders or entity.origins & {"rule:role-of", "rule:org-list", APPOSED} or any(
            origin.startswith(CLASS_OF) for origin in entity.origins):
        factor *= 0.5  # a role in it, someone works there, a list or a class noun names it
    if is_acronym(entity.name) or "rule:acronym" in entity.origins:
        factor *= 0.5  # an acronym, or one defined beside the name
    if set(words[1:]) & review_cues()["level"] and words[0] not in review_cues()["not_org"]:
        factor *= 0.6  # a level of government: "Servicio Estatal de Empleo"
    return factor


def institution_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """Institutions whose evidence is weak: suggest ``not_institution``."""
    given, not_org = load_given_names(), review_cues()["not_org"]
    heads = _heads()[0]
    for entity in corpus.entities.values():
        if entity.label != "ORG" or not entity.mentions:
            continue
        words = fold(entity.name).split()
        acronym = is_acronym(entity.name)
        # a head word in its name, or before it in the text ("la asociación Mujer Nueva")
        head = _has_head(words) or any(o.startswith(_HEADED) for o in entity.origins)
        signals: list[tuple[str, float]] = []
        if entity.origins == {"ner"}:
            signals.append(("solo el modelo la reconoce, ninguna regla", 0.35))
        if not head and not acronym:
            signals.append(("su nombre no empieza con una palabra de institución", 0.3))
        if entity.mentions == 1:
            signals.append(("una sola mención en el corpus", 0.15))
        if entity.sector == "other":
            signals.append(("sector sin determinar", 0.15))
        if not entity.jurisdiction:
            signals.append(("sin jurisdicción", 0.1))
        if words and words[0] in _venues():
            # "Centro de Atención …" names what a body does; "Casa Abierta" only a place
            serves = len(words) > 1 and words[1] in ("de", "del", "para")
            signals.append((f"«{entity.name.split()[0]}» puede nombrar un lugar y no a quien "
                            "actúa", 0.15 if serves else 0.35))
            if _named_as_place(entity):
                signals.append(("se menciona como el lugar donde ocurre algo", 0.35))
        if words and not head and words[0] in given and 2 <= len(words) <= 4:
            signals.append(("parece el nombre de una persona", 0.6))
        if words and words[0] in not_org:
            signals.append((f"«{entity.name.split()[0]}» nombra un evento o programa", 0.5))
        elif not head and set(words) & not_org:
            signals.append(("contiene una palabra de evento o programa", 0.3))
        if any(w == "y" and set(words[i + 1:i + 4]) & heads for i, w in enumerate(words)):
            signals.append(("nombra dos instituciones en un solo nombre", 0.5))
        doubt = noisy_or(w for _, w in signals) * _confirmed(entity, words)
        if doubt >= MIN_DOUBT:
            yield _row("institution", entity, "not_institution", "",
                       [text for text, _ in signals], corpus.evidence(entity), doubt,
                       entity.edges + entity.n_documents)


def _content(name: str) -> tuple[str, ...]:
    return tuple(w for w in fold(name).split() if w not in FUNCTION_WORDS and w != "y")


def _pair_doubt(small: EntityFacts, large: EntityFacts, together: bool
                ) -> tuple[float, list[str]]:
    """How likely two institutions of one place are one body, and why."""
    signals: list[tuple[str, float]] = []
    a, b = _content(small.name), _content(large.name)
    initials = org_key(large.name, large.jurisdiction, large.sector).initials
    if is_acronym(small.name) and len(initials) >= 3 and \
            fold(small.name).replace(" ", "") == initials:
        signals.append((f"«{small.name}» son las iniciales de «{large.name}»", 0.75))
    elif min(len(a), len(b)) >= 2 and (set(a) < set(b) or set(b) < set(a)):
        inner, outer = (a, b) if len(a) < len(b) else (b, a)
        # Differing by a head or a level ("Dirección del …", "… Municipal") is one body;
        # by a body about a topic ("Comisión de …") or anything else ("… Suroriente")
        # often another.
        extra = set(outer) - set(inner)
        plain = extra <= review_cues()["level"] | _heads()[0] and \
            not extra & review_cues()["topic_head"]
        longer, shorter = (large, small) if outer is b else (small, large)
        weight = (0.55 if _has_head(list(inner)) else 0.3) if plain else \
            0.2 if inner[0] == outer[0] else 0.0  # a head-less form fits several bodies
        signals.append((f"«{longer.name}» contiene el nombre «{shorter.name}»", weight))
    elif min(len(a), len(b)) >= 3 and fuzz.ratio(" ".join(a), " ".join(b)) >= SIMILAR_MIN:
        signals.append((f"nombre casi igual a «{large.name}»", 0.6))
    if not any(w for _, w in signals):
        return 0.0, []
    if together:
        signals.append(("un mismo comunicado nombra las dos", 0.3))
    return noisy_or(w for _, w in signals), [text for text, _ in signals]


def duplicate_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """Institutions of one place that are likely one body: suggest merging the smaller."""
    blocks: dict[tuple[str, str], list[EntityFacts]] = defaultdict(list)
    for entity in corpus.entities.values():
        if entity.label == "ORG" and entity.mentions:
            place = fold(entity.jurisdiction)
            for word in set(_content(entity.name)):
                blocks[(place, word)].append(entity)
            # an acronym meets the names whose initials it spells
            initials = fold(entity.name).replace(" ", "") if is_acronym(entity.name) else \
                org_key(entity.name, entity.jurisdiction, entity.sector).initials
            blocks[(place, f"#{initials}")].append(entity)
    seen: set[tuple[str, str]] = set()
    for members in blocks.values():
        if len(members) > _BLOCK_MAX:
            continue
        for first, second in combinations(members, 2):
            pair = tuple(sorted((first.entity_id, second.entity_id)))
            if pair in seen:
                continue
            seen.add(pair)  # type: ignore[arg-type]
            small, large = sorted((first, second), key=lambda e: (
                e.n_documents, not is_acronym(e.name), len(e.name), e.entity_id))
            together = bool(set(small.documents) & set(large.documents))
            doubt, reasons = _pair_doubt(small, large, together)
            if doubt >= MIN_DOUBT:
                yield _row("duplicate", small, "merge", large.entity_id,
                           [f"probablemente la misma institución que «{large.name}»",
                            *reasons], corpus.evidence(small), doubt,
                           small.edges + small.n_documents)


def cross_city_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """An institution of one place named in a release about another: suggest detaching it
    there (the two cities' bodies that share a name were merged, or the release's place is
    wrong)."""
    for entity in corpus.entities.values():
        if entity.label != "ORG" or not entity.jurisdiction:
            continue
        municipality, state = parse_label(entity.jurisdiction)
        for doc_id in entity.documents:
            document = corpus.documents.get(doc_id)
            if document is None or not document.jurisdiction:
                continue
            other_municipality, other_state = parse_label(document.jurisdiction)
            same = (other_state == state) if not municipality else \
                document.jurisdiction == entity.jurisdiction
            if same or fold(municipality or state) in fold(" ".join(
                    text for d, text, _ in entity.sentences if d == doc_id)):
                continue
            doubt = 0.5 + 0.2 * (entity.n_documents > 1)
            yield _row("cross_city", entity, "detach", doc_id,
                       [f"institución de {entity.jurisdiction} en un comunicado sobre "
                        f"{document.jurisdiction}"], corpus.evidence(entity, [doc_id]), doubt,
                       len(document.orgs))


def place_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """An institution whose name ends with a place other than its jurisdiction."""
    for entity in corpus.entities.values():
        if entity.label != "ORG" or entity.sector not in ("municipal", "state"):
            continue
        words = fold(entity.name).split()
        named = place_in_name(words, [is_acronym(w) for w in entity.name.split()]
                              if len(entity.name.split()) == len(words) else [False] * len(words))
        place = named and (named.municipality if entity.sector == "municipal" and
                           named.municipality else named.state)
        if place and place != entity.jurisdiction and \
                parse_label(entity.jurisdiction)[1] != place:
            yield _row("place", entity, "jurisdiction", place,
                       [f"su nombre nombra {place}, su jurisdicción es "
                        f"{entity.jurisdiction or 'ninguna'}"], corpus.evidence(entity), 0.6,
                       entity.edges + entity.n_documents)


def person_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """People whose public/private decision rests on thin evidence, and names taken for
    people that read as institutions."""
    for entity in corpus.entities.values():
        if entity.label != "PER" or not entity.mentions:
            continue
        roles = corpus.roles.get(entity.entity_id, [])
        impact = float(entity.n_documents)
        if _has_head(fold(entity.name).split()):
            yield _row("person", entity, "not_person", "",
                       ["su nombre empieza con una palabra de institución"],
                       corpus.evidence(entity), 0.6, impact + entity.mentions)
        elif entity.withheld and any(role for _, role, _ in roles):
            shown = sorted({role for _, role, _ in roles if role})
            yield _row("person", entity, "public", "",
                       [f"retenida, pero un comunicado le da un cargo ({', '.join(shown)}); "
                        "si es pública, escriba su nombre completo en suggested_value"],
                       corpus.evidence(entity), 0.3, impact)
        elif not entity.withheld and not any(is_public(Affiliation(doc, entity.name, role))
                                             for doc, role, _ in roles if role):
            why = "sin un cargo público en ningún comunicado" + (
                ", en un solo comunicado" if entity.n_documents == 1 else "")
            yield _row("person", entity, "private", "", [f"nombrada {why}"],
                       corpus.evidence(entity), 0.3 + 0.1 * (entity.n_documents == 1), impact)


def document_rows(corpus: ReviewCorpus) -> Iterator[ReviewRow]:
    """Releases near the GBV threshold, or GBV-related only through an institution's name."""
    for document in corpus.documents.values():
        margin = abs(document.gbv_score - corpus.threshold)
        reasons, doubt = [], 0.45 * math.exp(-margin)
        if document.gbv_related:
            names = [t for t in document.gbv_terms if _names_a_body(fold(t), document.org_forms)]
            rest = sum(corpus.term_weights.get(t, 0.0) for t in document.gbv_terms
                       if t not in names)
            if rest < corpus.threshold:
                reasons.append("relacionado con violencia de género solo porque nombra a "
                               f"una institución ({', '.join(names)})")
                # A release where a women's institute acts is about GBV prevention by the
                # annotation rules: the doubt is in one body among many named, a release
                # about something else that lists it.
                among = len(document.orgs) >= 4 * max(1, len(names))
                if among:
                    reasons.append(f"entre {len(document.orgs)} instituciones")
                doubt = noisy_or((doubt, 0.15, 0.3 if among else 0.0))
        if doubt < MIN_DOUBT:
            continue
        reasons.insert(0, f"puntuación {document.gbv_score:g} frente al umbral "
                          f"{corpus.threshold:g}")
        n = len(document.orgs)
        yield ReviewRow(0, "document", document.doc_id, document.title, "DOC",
                        document.jurisdiction, "gbv", "no" if document.gbv_related else "yes",
                        "; ".join(reasons), f"{document.doc_id} ({document.path}): términos "
                        f"{'; '.join(document.gbv_terms) or 'ninguno'}",
                        priority=round(doubt * (1 + n * (n - 1) / 2), 4))


def _names_a_body(term: str, forms: set[str]) -> bool:
    """A GBV term that is one of the release's institutions: its name, or a phrase of
    several words inside it ("instituto municipal de las mujeres", "imm")."""
    return term in forms or (" " in term and any(f" {term} " in f" {form} " for form in forms))


FINDERS = (institution_rows, duplicate_rows, cross_city_rows, place_rows, person_rows,
           document_rows)
