"""An analyst's corrections: what each action means, a file's checks, and its plan.

A corrections file (read by :mod:`pipeline.publish.sheets`) is a list of :class:`Correction`
rows, ``action, target, value, note``. :func:`check_corrections` refuses a malformed one
before any release is read (an unknown action, a missing or invalid value, a merge into
itself, a cycle of merges). After the corpus stage's first pass, :func:`plan_corrections`
resolves each row's target in the corpus and :mod:`pipeline.corpus.corrected` applies the
plan to the second pass, so a correction never needs a release to be analysed again.

A target is found as, in this order: an entity id of this run; an entity id an earlier run
gave (an id derives from one identity key of the entity, so it keeps finding the entity when
another of its names comes to head it); a name as ``entities.csv`` writes it, with the
jurisdiction in brackets when two entities share it ("Instituto Municipal de las Mujeres
(Mazatlán, Sinaloa)"); an alias, when only one entity has it. A document is its ``doc_id``,
its path, or (``gbv``) its event's id. A row whose target is not in this corpus is not an
error: the file outlives the corpus it was written for, so the row is listed as unmatched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.corpus.identities import entity_id_for, identity_key
from pipeline.corpus.privacy import PublicPeople
from pipeline.corpus.stage import CorpusIndex
from pipeline.document.places import load_places
from pipeline.document.privacy import person_token
from pipeline.errors import InputError
from pipeline.knowledge import SECTORS, fold
from pipeline.records import Correction, Entity, Label

# Action → the labels of the entities it applies to ("DOC": documents and events).
ACTIONS: dict[str, tuple[str, ...]] = {
    "merge": ("ORG", "PER"), "detach": ("ORG", "PER"), "rename": ("ORG", "PER"),
    "sector": ("ORG",), "jurisdiction": ("ORG",), "not_institution": ("ORG",),
    "not_person": ("PER",), "public": ("PER",), "private": ("PER",), "gbv": ("DOC",),
    "keep": ("ORG", "PER", "DOC"),  # a review row whose answer is "nothing to change"
}
YES, NO = frozenset({"yes", "si", "true", "1"}), frozenset({"no", "false", "0"})
_ENTITY_ID = re.compile(r"^(?:org|per)-[0-9a-f]{12}$")
_WITH_PLACE = re.compile(r"^(?P<name>.+?)\s*\((?P<place>[^()]+)\)\s*$")


class CorrectionsError(InputError):
    """A corrections file that cannot be applied as written; names its line and the fix."""


def _error(source: str, correction: Correction, reason: str) -> CorrectionsError:
    return CorrectionsError(f"corrections file {source}, line {correction.line}: {reason}")


def gbv_value(value: str) -> bool | None:
    """``yes``/``sí``/``true`` → True, ``no``/``false`` → False, anything else None."""
    folded = fold(value)
    return True if folded in YES else False if folded in NO else None


def place_label(value: str) -> str | None:
    """A jurisdiction as entities.csv writes it ("Juárez, Chihuahua", "Chihuahua"), from a
    label, a municipality's written form or a state's name; "" stays ""; None if unknown."""
    places, value = load_places(), value.strip()
    if not value or value in places.states:  # "Chihuahua" as entities.csv writes a state
        return value
    found = places.municipality(value) or places.by_form.get(fold(value))
    if found is not None:
        return found.label
    state = places.state_by_form.get(fold(value))
    return state.name if state else None


def check_corrections(corrections: Sequence[Correction], source: str) -> None:
    """Refuse a malformed file: each row's action and value, then the merges' structure.

    Raises:
        CorrectionsError: naming the file, the line and the reason.
    """
    for correction in corrections:
        _check_row(correction, source)
    merges: dict[str, Correction] = {}
    for correction in corrections:
        if correction.action == "merge":
            key = fold(correction.target)
            if key in merges and fold(merges[key].value) != fold(correction.value):
                raise _error(source, correction, f"merges {correction.target!r} into "
                             f"{correction.value!r}, but line {merges[key].line} merges it "
                             f"into {merges[key].value!r}; keep one of the two rows")
            merges[key] = correction
    _check_cycles({k: (fold(c.value), c) for k, c in merges.items()}, source)


def _check_row(correction: Correction, source: str) -> None:
    action, value = correction.action, correction.value.strip()
    if action not in ACTIONS:
        raise _error(source, correction, f"action {action!r} is unknown; use one of "
                     f"{', '.join(ACTIONS)}")
    if not correction.target.strip():
        raise _error(source, correction, f"{action} needs a target (an entity id, a name as "
                     "entities.csv gives it, or a document id)")
    problem = {
        "merge": "" if value else "merge needs the entity to merge into in value",
        "detach": "" if value else "detach needs in value the document whose mention is "
                                   "not this entity",
        "rename": "" if value else "rename needs the new name in value",
        "sector": "" if value in SECTORS else f"sector {value!r} is invalid; value must be "
                                              f"one of {', '.join(sorted(SECTORS))}",
        "jurisdiction": "" if place_label(value) is not None else
                        f"jurisdiction {value!r} is not a municipality ('Juárez, Chihuahua') "
                        "of resources/places/municipalities.tsv nor a state; leave value "
                        "empty to clear it",
        "gbv": "" if gbv_value(value) is not None else f"gbv value {value!r} is invalid; "
                                                        "value must be yes or no",
        "public": "" if value or not _ENTITY_ID.match(correction.target.strip()) else
                  "public on an entity id needs the person's name in value (the tables "
                  "withhold it), written in full as the releases write it",
    }.get(action, "")
    if action == "merge" and fold(correction.target) == fold(value):
        problem = f"merges {correction.target!r} into itself; value must name another entity"
    if problem:
        raise _error(source, correction, problem)


def _check_cycles(edges: dict[str, tuple[str, Correction]], source: str) -> None:
    """A merge chain that comes back to its start (A → B, B → A) has no entity to end in."""
    for start in edges:
        seen, node = [start], edges[start][0]
        while node in edges:
            if node in seen:
                lines = ", ".join(str(edges[n][1].line) for n in seen[seen.index(node):])
                raise _error(source, edges[start][1], "the merges of lines "
                             f"{lines} form a cycle; one of them must merge into an entity "
                             "that merges into nothing")
            seen.append(node)
            node = edges[node][0]


@dataclass(slots=True)
class CorrectionPlan:
    """What the corrections do to this corpus, by entity id and document id."""

    source: str  # the file, for messages
    detached: dict[tuple[str, str], str] = field(default_factory=dict)  # (doc, id) → new id
    merged: dict[str, str] = field(default_factory=dict)  # id → the id it ends in
    removed: set[str] = field(default_factory=set)
    fields: dict[str, dict[str, str]] = field(default_factory=dict)  # id → name/sector/…
    private: dict[str, str] = field(default_factory=dict)  # id → the person's token
    gbv: dict[str, bool] = field(default_factory=dict)  # doc_id → GBV-related
    targets: dict[int, tuple[str, ...]] = field(default_factory=dict)  # line → ids it hit
    unmatched: dict[int, str] = field(default_factory=dict)  # line → why
    merge_lines: dict[str, int] = field(default_factory=dict)  # merged id → its row's line
    corrections: tuple[Correction, ...] = ()

    def final(self, entity_id: str, doc_id: str) -> str | None:
        """The id a mention of ``entity_id`` in ``doc_id`` gets; None: it leaves."""
        entity_id = self.detached.get((doc_id, entity_id), entity_id)
        entity_id = self.merged.get(entity_id, entity_id)
        return None if entity_id in self.removed else entity_id


class _Resolver:
    """Finds targets in the corpus that the first pass indexed."""

    def __init__(self, index: CorpusIndex) -> None:
        self.index = index
        self.by_id = {e.entity_id: e for e in index.entities}
        self.by_name: dict[str, list[Entity]] = {}
        self.by_alias: dict[str, list[Entity]] = {}
        for entity in index.entities:
            if entity.label in ("ORG", "PER") and not entity.withheld:
                self.by_name.setdefault(fold(entity.name), []).append(entity)
                for alias in entity.aliases:
                    self.by_alias.setdefault(fold(alias), []).append(entity)
        self._earlier: dict[str, str] | None = None
        self._events: dict[str, list[str]] | None = None
        self.by_path = {fold(path): doc for doc, path in index.paths.items()}

    def earlier_ids(self) -> dict[str, str]:
        """Each identity key's own id → the id of the entity it belongs to now."""
        if self._earlier is None:
            identities = self.index.identities
            self._earlier = {}
            for (label, key), root in identities.roots.items():
                found = identities.entities.get((label, root))
                if found:
                    self._earlier[entity_id_for(label, key)] = found[0]
        return self._earlier

    def event_docs(self) -> dict[str, list[str]]:
        """Each event's releases."""
        if self._events is None:
            self._events = {}
            for doc, (event, _) in self.index.events_of.items():
                self._events.setdefault(event, []).append(doc)
        return self._events

    def entity(self, target: str, labels: Iterable[str]) -> Entity | str:
        """The entity ``target`` names among ``labels``, else why none."""
        labels = tuple(labels)
        target = target.strip()
        if target in self.by_id or _ENTITY_ID.match(target):
            found = self.by_id.get(target) or self.by_id.get(self.earlier_ids().get(target, ""))
            if found is None:
                return f"no entity has the id {target} in this corpus"
            return found if found.label in labels else (
                f"{target} is a {found.label} entity; this action applies to {'/'.join(labels)}")
        candidates = [e for e in self.by_name.get(fold(target), []) if e.label in labels]
        if not candidates and (match := _WITH_PLACE.match(target)):
            place = fold(match["place"])
            candidates = [e for e in self.by_name.get(fold(match["name"]), [])
                          if e.label in labels and place and (
                              fold(e.jurisdiction) == place
                              or fold(e.jurisdiction).startswith(place + " "))]
        if not candidates:
            candidates = [e for e in self.by_alias.get(fold(target), []) if e.label in labels]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            return f"no {'/'.join(labels)} entity is named {target!r} in this corpus"
        named = "; ".join(f"{e.name} ({e.jurisdiction or 'sin jurisdicción'}) = {e.entity_id}"
                          for e in candidates[:4])
        return (f"{len(candidates)} entities are named {target!r}: {named}; write its "
                "jurisdiction in brackets after the name, or its entity_id")

    def documents(self, target: str, *, events: bool) -> list[str] | str:
        """The documents ``target`` names (a doc_id, a path, or with ``events`` an event id)."""
        target = target.strip()
        if target in self.index.events_of:
            return [target]
        if (doc := self.by_path.get(fold(target))) is not None:
            return [doc]
        if events and target in self.event_docs():
            return self.event_docs()[target]
        return f"no document {'or event ' if events else ''}{target!r} in this corpus"


def reveal_public(corrections: Sequence[Correction], people: PublicPeople) -> None:
    """Name the people the analyst declares public, before the corpus stage reads any
    release: a withheld person's token is the keyed hash of their name, so the name the row
    gives finds them (with no key, nobody is withheld and there is nothing to do)."""
    if people.key is None:
        return
    for correction in corrections:
        if correction.action == "public":
            name = _public_name(correction)
            people.name_as(person_token(name, people.key), name)


def _public_name(correction: Correction) -> str:
    return (correction.value or correction.target).strip()


def plan_corrections(corrections: Sequence[Correction], index: CorpusIndex, source: str,
                     *, key: bytes | None) -> CorrectionPlan:
    """Resolve every row against the corpus; rows that match nothing are kept as unmatched.

    Raises:
        CorrectionsError: merges that, once their targets are found, form a cycle.
    """
    plan = CorrectionPlan(source, corrections=tuple(corrections))
    resolver = _Resolver(index)
    order = ("detach", "merge", "not_institution", "not_person", "rename", "sector",
             "jurisdiction", "public", "private", "gbv")
    rows = sorted((c for c in corrections if c.action != "keep"),
                  key=lambda c: (order.index(c.action), c.line))
    for correction in rows:
        outcome = _apply(correction, plan, resolver, key)
        if isinstance(outcome, str):
            plan.unmatched[correction.line] = outcome
        else:
            plan.targets[correction.line] = outcome
    _settle_merges(plan)
    return plan


def _apply(correction: Correction, plan: CorrectionPlan, resolver: _Resolver,
           key: bytes | None) -> tuple[str, ...] | str:
    """Record one row in ``plan``; return the ids it hits, or why it matches nothing."""
    action = correction.action
    if action == "gbv":
        docs = resolver.documents(correction.target, events=True)
        if isinstance(docs, str):
            return docs
        related = gbv_value(correction.value)
        # A release's decision is its event's: its near-duplicates report the same activity.
        docs = sorted({d for doc in docs
                       for d in resolver.event_docs()[resolver.index.events_of[doc][0]]})
        plan.gbv.update((d, bool(related)) for d in docs)
        return tuple(docs)
    if action == "public":
        return _public(correction, resolver, key)
    entity = resolver.entity(correction.target, ACTIONS[action])
    if isinstance(entity, str):
        return entity
    entity_id = entity.entity_id
    if action == "detach":
        docs = resolver.documents(correction.value, events=False)
        if isinstance(docs, str):
            return docs
        new_id = entity_id_for(entity.label, f"detached:{docs[0]}:{entity_id}")
        plan.detached[(docs[0], entity_id)] = new_id
        resolver.by_id[new_id] = Entity(new_id, entity.label, entity.name)
        return (entity_id, new_id)
    if action == "merge":
        into = resolver.entity(correction.value, (entity.label,))
        if isinstance(into, str):
            return into
        if into.entity_id != entity_id:
            plan.merged[entity_id] = into.entity_id
            plan.merge_lines[entity_id] = correction.line
        return (entity_id, into.entity_id)
    if action in ("not_institution", "not_person"):
        plan.removed.add(entity_id)
    elif action in ("rename", "sector", "jurisdiction"):
        value = correction.value.strip()
        name = "name" if action == "rename" else action
        if action == "jurisdiction":
            value = place_label(value) or ""
        plan.fields.setdefault(entity_id, {})[name] = value
    elif action == "private" and key is not None and not entity.withheld:
        plan.private[entity_id] = person_token(entity.name, key)
    return (entity_id,)


def _public(correction: Correction, resolver: _Resolver, key: bytes | None
            ) -> tuple[str, ...] | str:
    """A public person is named (see :func:`reveal_public`); the row matched if so."""
    name, target = _public_name(correction), correction.target.strip()
    named = resolver.entity(name, ("PER",))
    if isinstance(named, str):
        return f"no release names {name!r}: write the name in full as the releases write it"
    ids = {named.entity_id} | ({withheld_id(person_token(name, key))} if key else set())
    if _ENTITY_ID.match(target) and target not in ids:
        return f"{name!r} is not the name of the person {target}"
    return (named.entity_id,)


def _settle_merges(plan: CorrectionPlan) -> None:
    """Point every merged id at the end of its chain; a chain that loops is the file's error
    (rows naming one entity in two ways can close a loop the file's text did not show)."""
    for start in list(plan.merged):
        seen, node = [start], plan.merged[start]
        while node in plan.merged:
            if node in seen:
                loop = ", ".join(str(plan.merge_lines[n]) for n in seen[seen.index(node):])
                raise CorrectionsError(f"corrections file {plan.source}, lines {loop}: these "
                                       "merges name the same entities in a cycle; one of them "
                                       "must merge into an entity that merges into nothing")
            seen.append(node)
            node = plan.merged[node]
        plan.merged[start] = node


def withheld_id(token: str) -> str:
    """The entity id of a withheld person whose token is ``token``."""
    label: Label = "PER"
    return entity_id_for(label, identity_key(label, token))
