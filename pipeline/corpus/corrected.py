"""The corpus as an analyst's corrections leave it: each release of the second pass, then
the entities (see :mod:`pipeline.corpus.corrections` for the plan).

:meth:`CorrectedCorpus.documents` rewrites each identified release: mentions get the id
their entity ends in (a detached mention its own entity, a merged one the entity it was
merged into), mentions of entities that are not institutions or persons leave with their
affiliations' links, a person made private is withheld as the per-document stage withholds
(no text, "[persona]" in every sentence and in the title, an id from the person's token),
and a release's GBV decision is the analyst's. Counts that depend on the releases (the
documents an entity is named in, when first and last) are taken during that pass, so
:meth:`CorrectedCorpus.entities` is read once the releases have been.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from pipeline.corpus.corrections import CorrectionPlan, withheld_id
from pipeline.corpus.identities import is_generic_form, org_sector
from pipeline.corpus.org_keys import org_key
from pipeline.corpus.privacy import withhold_entity
from pipeline.corpus.stage import IdentifiedAffiliation, IdentifiedDocument
from pipeline.document.body_text import masked_people
from pipeline.document.privacy import WITHHELD
from pipeline.records import Correction, Entity, Mention


@dataclass(slots=True)
class _Seen:
    """An entity whose counts the corrections change, as the second pass finds it."""

    documents: set[str] = field(default_factory=set)
    first: date | None = None
    last: date | None = None
    names: Counter[str] = field(default_factory=Counter)  # a detached entity's names
    forms: set[str] = field(default_factory=set)
    jurisdiction: str = ""

    def add(self, doc_id: str, published: date | None, mention: Mention,
            jurisdiction: str) -> None:
        self.documents.add(doc_id)
        if published is not None:
            self.first = min(filter(None, (self.first, published)))
            self.last = max(filter(None, (self.last, published)))
        self.names[mention.canonical or mention.text] += 1
        if mention.text and not is_generic_form(mention.text):
            self.forms.add(mention.text)
        self.jurisdiction = jurisdiction


@dataclass(frozen=True, slots=True)
class Outcome:
    """One correction and what it did: the ids it hit, or why it matched nothing."""

    correction: Correction
    entity_ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    unmatched: str = ""


class CorrectedCorpus:
    """Applies a :class:`CorrectionPlan` to the second pass and to the entities."""

    def __init__(self, plan: CorrectionPlan, entities: Sequence[Entity]) -> None:
        self.plan = plan
        self.base = {e.entity_id: e for e in entities}
        self.order = list(self.base)
        ends = set(plan.merged.values())
        self._touched = ends | set(plan.detached.values()) | {
            entity for _, entity in plan.detached} | set(plan.private)
        self._seen: dict[str, _Seen] = {}
        self._detached_seen: set[tuple[str, str]] = set()
        self._entities: list[Entity] | None = None
        # Only sectors and jurisdictions change nothing a release's rows show.
        self._rewrites = bool(plan.detached or plan.merged or plan.removed or plan.private
                              or plan.gbv or any("name" in f for f in plan.fields.values()))

    def _name(self, entity_id: str) -> str:
        fields = self.plan.fields.get(entity_id, {})
        entity = self.base.get(entity_id)
        return fields.get("name") or (entity.name if entity else "")

    def _final_name(self, entity_id: str) -> str:
        """An entity's name in the corrected tables (a detached one's included)."""
        found = next((e for e in self.entities() if e.entity_id == entity_id), None)
        return found.name if found else self._name(entity_id)

    def documents(self, documents: Iterable[IdentifiedDocument]
                  ) -> Iterator[IdentifiedDocument]:
        """Each release as corrected, in the order given."""
        if not self._rewrites:
            yield from documents
            return
        for document in documents:
            yield self._document(document)

    def _document(self, document: IdentifiedDocument) -> IdentifiedDocument:
        result, plan = document.result, self.plan
        doc_id = result.doc_id
        mentions: list[tuple[Mention, str]] = []
        hidden: set[str] = set()  # the forms of people made private, to blank everywhere
        made_private: list[Mention] = []  # their mentions as found, to mask in the body
        for mention, entity_id in document.mentions:
            if not entity_id or mention.label == "DATE":
                mentions.append((mention, entity_id))
                continue
            if (doc_id, entity_id) in plan.detached:
                self._detached_seen.add((doc_id, entity_id))
            final = plan.final(entity_id, doc_id)
            if final is None:
                continue
            if final in self._touched:
                self._seen.setdefault(final, _Seen()).add(
                    doc_id, result.published, mention, result.jurisdiction)
            if final in plan.private:
                hidden.add(mention.text)
                made_private.append(mention)
                token = plan.private[final]
                mention = replace(mention, text="", canonical=token, withheld=True)
                final = withheld_id(token)
            mentions.append((mention, final))
        title = result.title
        if hidden:
            mentions = [(replace(m, sentence=_blanked(m.sentence, hidden)), e)
                        for m, e in mentions]
            title = _blanked(title, hidden)
        gbv = plan.gbv.get(doc_id, result.gbv_related)
        affiliations = tuple(a for a in (self._affiliation(a, doc_id)
                                         for a in document.affiliations) if a is not None)
        text = masked_people(result.text, made_private) if made_private else result.text
        return replace(document, result=replace(result, title=title, gbv_related=gbv, text=text),
                       mentions=tuple(mentions), affiliations=affiliations)

    def _affiliation(self, identified: IdentifiedAffiliation, doc_id: str
                     ) -> IdentifiedAffiliation | None:
        plan = self.plan
        person_id = plan.final(identified.person_id, doc_id)
        if person_id is None:
            return None
        person = self._name(person_id) or identified.person
        if person_id in plan.private:
            person = plan.private[person_id]
            person_id = withheld_id(person)
        org_id = plan.final(identified.org_id, doc_id) if identified.org_id else ""
        org = (self._name(org_id) or identified.org) if org_id else ""
        return replace(identified, person_id=person_id, person=person, org_id=org_id or "",
                       org=org)

    def entities(self) -> list[Entity]:
        """The entities as corrected (read after :meth:`documents` has been consumed)."""
        if self._entities is None:
            self._entities = self._corrected_entities()
        return self._entities

    def _corrected_entities(self) -> list[Entity]:
        plan = self.plan
        absorbed: dict[str, list[Entity]] = {}
        for source, end in plan.merged.items():
            if source in self.base:
                absorbed.setdefault(end, []).append(self.base[source])
        new_ids = {new: source for (_, source), new in plan.detached.items()}
        entities = []
        for entity_id in self.order + sorted(set(new_ids) - set(self.order)):
            if entity_id in plan.merged or entity_id in plan.removed:
                continue
            entity = self.base.get(entity_id) or self._detached(entity_id, new_ids[entity_id])
            if entity is None:
                continue
            entity = _absorbing(entity, absorbed.get(entity_id, []))
            if entity_id in self._touched:
                seen = self._seen.get(entity_id)
                if seen is None:  # every mention left it (detached, or merged away)
                    continue
                entity = replace(entity, n_documents=len(seen.documents),
                                 first_seen=seen.first, last_seen=seen.last)
            entity = _with_fields(entity, plan.fields.get(entity_id, {}))
            if entity_id in plan.private:
                entity = Entity(withheld_id(plan.private[entity_id]), "PER", "",
                                n_documents=entity.n_documents, first_seen=entity.first_seen,
                                last_seen=entity.last_seen, withheld=True)
            entities.append(entity)
        return entities

    def _detached(self, entity_id: str, source: str) -> Entity | None:
        """The entity of mentions detached from ``source`` in one release."""
        seen = self._seen.get(entity_id)
        original = self.base.get(source)
        if seen is None or original is None:
            return None
        name = min(seen.names, key=lambda n: (-seen.names[n], -len(n), n))
        entity = Entity(entity_id, original.label, name,
                        aliases=tuple(sorted(seen.forms - {name})))
        if original.label == "ORG":
            sector = org_sector(name)
            entity = replace(entity, sector=sector,
                             jurisdiction=org_key(name, seen.jurisdiction, sector).scope)
        return withhold_entity(entity)

    def outcomes(self) -> list[Outcome]:
        """Every row of the file in its order, applied or unmatched (after the releases: a
        detach matches only where the entity is named in that release)."""
        plan, outcomes = self.plan, []
        missing = {new: doc for (doc, source), new in plan.detached.items()
                   if (doc, source) not in self._detached_seen}
        for correction in plan.corrections:
            ids = plan.targets.get(correction.line, ())
            reason = plan.unmatched.get(correction.line, "")
            if correction.action == "detach" and len(ids) == 2 and ids[1] in missing:
                reason = f"{ids[0]} is not named in document {missing[ids[1]]}"
            if correction.action == "keep":
                continue
            if correction.action == "private":  # the outputs never carry the person's name
                ids = tuple(withheld_id(plan.private[i]) if i in plan.private else i
                            for i in ids)
                correction = replace(correction, target=ids[0] if ids and not reason
                                     else WITHHELD, value="", note="")
                reason = reason and "no person of this corpus has the name given"
            outcomes.append(Outcome(correction, () if reason else ids,
                                    () if reason else tuple(map(self._final_name, ids)),
                                    reason))
        return outcomes


def _absorbing(entity: Entity, sources: list[Entity]) -> Entity:
    """``entity`` with the names of the entities merged into it among its aliases."""
    if not sources:
        return entity
    names = {n for s in sources if not s.withheld for n in (s.name, *s.aliases)}
    aliases = (set(entity.aliases) | names) - {entity.name, ""}
    return replace(entity, aliases=tuple(sorted(aliases)))


def _with_fields(entity: Entity, fields: dict[str, str]) -> Entity:
    if not fields:
        return entity
    if (name := fields.get("name")) and name != entity.name:
        aliases = tuple(sorted((set(entity.aliases) | {entity.name}) - {name, ""}))
        entity = replace(entity, name=name, aliases=aliases)
    return replace(entity, sector=fields.get("sector", entity.sector),
                   jurisdiction=fields.get("jurisdiction", entity.jurisdiction))


def _blanked(text: str, forms: set[str]) -> str:
    """``text`` with each of ``forms`` (longest first, as whole words) as "[persona]"."""
    for form in sorted(forms, key=len, reverse=True):
        if form:
            text = re.sub(rf"(?<!\w){re.escape(form)}(?!\w)", WITHHELD, text)
    return text
