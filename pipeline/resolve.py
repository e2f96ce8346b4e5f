"""Give every person and institution one identity across the corpus.

Two steps: :func:`resolve_document` settles what each mention in one release refers to
(its canonical name), then an :class:`EntityIndex` over the whole corpus merges canonical
names into entities with stable ids derived from the name, never from row order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from pipeline.records import Entity, Label, Mention

_LEADING_ARTICLE = re.compile(r"^(?:el|la|los|las|del|de)\s+")


def fold(text: str) -> str:
    """Lower case without accents: the form in which vocabularies are matched."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c)).lower()


def normalize_form(text: str) -> str:
    """The comparison key of a surface form: no accents, case, punctuation, spaces or
    leading article.

    >>> normalize_form("el Instituto Municipal de las Mujeres")
    'institutomunicipaldelasmujeres'
    """
    plain = re.sub(r"[^\w\s]|_", " ", fold(text))
    plain = _LEADING_ARTICLE.sub("", " ".join(plain.split()))
    return plain.replace(" ", "")


def resolve_document(mentions: Iterable[Mention]) -> list[Mention]:
    """Set ``canonical`` on each mention of one release (dates keep their ISO value)."""
    return [m if m.canonical else replace(m, canonical=m.text) for m in mentions]


def entity_id_for(label: Label, key: str) -> str:
    """Stable id of the entity whose normalised canonical name is ``key``."""
    return f"{label.lower()}-{hashlib.sha1(f'{label}:{key}'.encode()).hexdigest()[:12]}"


@dataclass(slots=True)
class _Tally:
    label: Label
    names: Counter[str] = field(default_factory=Counter)  # canonical names given
    forms: set[str] = field(default_factory=set)  # surface forms seen
    doc_ids: set[str] = field(default_factory=set)
    first_seen: date | None = None
    last_seen: date | None = None


class EntityIndex:
    """The per-entity table of the corpus: fed mention by mention, read once complete."""

    def __init__(self) -> None:
        self._tallies: dict[tuple[Label, str], _Tally] = {}

    def add(self, mention: Mention, published: date | None) -> None:
        key = (mention.label, normalize_form(mention.canonical or mention.text))
        tally = self._tallies.setdefault(key, _Tally(mention.label))
        tally.names[mention.canonical or mention.text] += 1
        tally.forms.add(mention.text)
        tally.doc_ids.add(mention.doc_id)
        if published is not None:
            tally.first_seen = min(filter(None, (tally.first_seen, published)))
            tally.last_seen = max(filter(None, (tally.last_seen, published)))

    def entity_id(self, mention: Mention) -> str:
        return entity_id_for(mention.label, normalize_form(mention.canonical or mention.text))

    def entities(self) -> list[Entity]:
        """One Entity per canonical name, named by its most frequent (then longest) spelling."""
        result = []
        for (label, key), tally in sorted(self._tallies.items()):
            name = min(tally.names, key=lambda n: (-tally.names[n], -len(n), n))
            result.append(Entity(entity_id=entity_id_for(label, key), label=label, name=name,
                                 aliases=tuple(sorted(tally.forms - {name})),
                                 doc_ids=frozenset(tally.doc_ids),
                                 first_seen=tally.first_seen, last_seen=tally.last_seen))
        return result
