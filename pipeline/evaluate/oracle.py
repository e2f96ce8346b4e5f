"""An automated analyst for the review sheet: it answers rows from the gold annotations.

It stands for an analyst who knows what every release means: a row is accepted when its
suggestion agrees with the gold, else rejected. Agreement is read as the scorer reads
entities (:mod:`pipeline.evaluate.score`): in a document, a predicted entity *is* the gold
entity it shares a normalised form with (the one sharing most), or, failing that, the gold
entity of its label it shares most content words with (a name cut or run on: what it was
meant to be); it is *no* gold entity when it shares neither.

- ``not_institution`` / ``not_person``: no document where it is named has a gold entity of
  that label sharing one of its forms.
- ``merge``: both entities are, in most of their documents, the same gold identity.
- ``detach``: in that document it is another identity than in most others, or none.
- ``gbv``: the gold's ``gbv_prevention`` of the document (every document of an event).
- ``rename``: the new name is one of its gold identity's forms; ``sector``: the gold sector;
  ``jurisdiction``: the place in the gold's canonical name ("… (Mazatlán)").
- ``public``, ``private`` and ``keep`` are rejected: the gold records no privacy decision,
  and keeping changes nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pipeline.evaluate.gold import GoldDoc, GoldEntity
from pipeline.evaluate.predicted import PredictedDoc, PredictedEntity
from pipeline.evaluate.score import FUNCTION_WORDS, normalise
from pipeline.records import ReviewRow

YES = frozenset({"yes", "si", "sí", "true"})


def _keys(forms: Iterable[str]) -> set[str]:
    return {key for key in map(normalise, forms) if key}


def _words(forms: Iterable[str]) -> set[str]:
    return {key for form in forms for key in map(normalise, form.split())
            if key and key not in FUNCTION_WORDS}


@dataclass(frozen=True, slots=True)
class Gold:
    """The annotations, and the predictions keyed like them (doc_id → gold key)."""

    docs: Mapping[str, GoldDoc]
    predicted: Mapping[str, PredictedDoc]
    keys: Mapping[str, str]  # doc_id → document key (the file's stem)

    def mentions(self, entity_id: str) -> list[tuple[str, PredictedEntity]]:
        """(document key, the entity as predicted there) for each document naming it."""
        return [(key, entity) for key, doc in self.predicted.items() if key in self.docs
                for entity in doc.entities if entity.entity_id == entity_id]

    def sharing(self, key: str, entity: PredictedEntity) -> GoldEntity | None:
        """The gold entity of the document that shares most normalised forms with it."""
        forms = _keys(entity.forms | {entity.name})
        scored = [(len(forms & _keys(g.forms | {g.name})), g)
                  for g in self.docs[key].entities if g.label == entity.label]
        best = max(scored, key=lambda s: s[0], default=(0, None))
        return best[1] if best[0] else None

    def identity(self, key: str, entity: PredictedEntity) -> str | None:
        """The gold identity the entity stands for in one document (see the module)."""
        if (found := self.sharing(key, entity)) is not None:
            return normalise(found.identity)
        words = _words(entity.forms | {entity.name})
        scored = [(len(words & _words(g.forms | {g.name})), g)
                  for g in self.docs[key].entities if g.label == entity.label]
        best = max(scored, key=lambda s: s[0], default=(0, None))
        return normalise(best[1].identity) if best[0] and best[1] else None

    def majority(self, entity_id: str, *, skip: str = "") -> str | None:
        found = Counter(self.identity(key, entity) for key, entity in self.mentions(entity_id)
                        if key != skip)
        found.pop(None, None)
        return found.most_common(1)[0][0] if found else None

    def gold_entities(self, entity_id: str) -> list[GoldEntity]:
        return [g for key, entity in self.mentions(entity_id)
                if (g := self.sharing(key, entity)) is not None]


def agrees(row: ReviewRow, gold: Gold) -> bool:
    """Whether the gold supports the row's suggestion (see the module docstring)."""
    action, target, value = row.suggestion, row.target, row.suggested_value
    if action == "gbv":
        keys = [gold.keys[target]] if target in gold.keys else []
        wanted = value.strip().lower() in YES
        return bool(keys) and all(k in gold.docs and gold.docs[k].gbv == wanted for k in keys)
    mentions = gold.mentions(target)
    if not mentions:
        return False
    if action in ("not_institution", "not_person"):
        return all(gold.sharing(key, entity) is None for key, entity in mentions)
    if action == "merge":
        mine = gold.majority(target)
        return mine is not None and mine == gold.majority(value)
    if action == "detach":
        key = gold.keys.get(value, "")
        here = [gold.identity(k, e) for k, e in mentions if k == key]
        return bool(here) and (here[0] != gold.majority(target, skip=key) or here[0] is None)
    found = gold.gold_entities(target)
    if not found:
        return False
    if action == "rename":
        return any(normalise(value) in _keys(g.forms | {g.name}) for g in found)
    if action == "sector":
        return Counter(g.sector for g in found).most_common(1)[0][0] == value
    if action == "jurisdiction":
        places = [g.identity.rpartition("(")[2].rstrip(")") for g in found if "(" in g.identity]
        return bool(places) and normalise(value).startswith(normalise(places[0]))
    return False


def answer(rows: Sequence[ReviewRow], gold: Gold) -> list[ReviewRow]:
    """``rows`` with their decision: accept where the gold agrees, else reject."""
    return [replace(row, decision="accept" if agrees(row, gold) else "reject") for row in rows]
