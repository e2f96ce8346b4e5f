"""One identity per person and institution across the corpus.

An :class:`EntityIndex` over every release's resolved mentions (see
:func:`pipeline.document.resolve.resolve_document`) merges canonical names into entities with
stable ids derived from the name, never from row order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import combinations

from rapidfuzz import fuzz

from pipeline.document.resolve import is_acronym, is_subsequence, name_words, normalize_form
from pipeline.knowledge import fold, gazetteer_index, infer_sector, load_legal_suffixes
from pipeline.records import Entity, Label, Mention


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


def identity_key(label: Label, name: str) -> str:
    """The key under which variants of one name meet: :func:`normalize_form`, and for
    institutions without a trailing legal form ("Transforma A. C." = "Transforma AC")."""
    key = normalize_form(name)
    if label == "ORG":
        words = fold(name).split()
        for suffix in _legal_suffixes():
            if len(words) > len(suffix) and (words[-len(suffix):] == list(suffix)
                                             or words[-1] == "".join(suffix)):
                return normalize_form(" ".join(words[:-len(suffix)] if words[-len(suffix):]
                                               == list(suffix) else words[:-1]))
    return key


@cache
def _legal_suffixes() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(fold(s).split()) for s in load_legal_suffixes()},
                        key=len, reverse=True))


class EntityIndex:
    """The per-entity table of the corpus: fed mention by mention, read once complete.

    When the corpus has been seen, variants meet under one root key: an acronym defined
    anywhere stands for its long form, a person's shorter name for the one full name that
    contains it, and near-identical spellings (:data:`FUZZY_MIN` on the key) for each other.
    Ids derive from the root's key, so they do not depend on the order of the inputs.
    """

    FUZZY_MIN = 95.0  # rapidfuzz ratio on keys: typos and hyphenation, not different bodies
    FUZZY_MIN_CHARS = 12  # short keys (acronyms, single names) never merge by similarity

    def __init__(self) -> None:
        self._tallies: dict[tuple[Label, str], _Tally] = {}
        self._acronyms: dict[str, set[str]] = {}  # acronym key → long-form keys
        self._root: dict[tuple[Label, str], str] | None = None

    def add(self, mention: Mention, published: date | None) -> None:
        name = mention.canonical or mention.text
        key = (mention.label, identity_key(mention.label, name))
        tally = self._tallies.setdefault(key, _Tally(mention.label))
        tally.names[name] += 1
        tally.forms.add(mention.text)
        tally.doc_ids.add(mention.doc_id)
        if published is not None:
            tally.first_seen = min(filter(None, (tally.first_seen, published)))
            tally.last_seen = max(filter(None, (tally.last_seen, published)))
        if mention.label == "ORG" and is_acronym(mention.text) and name != mention.text:
            self._acronyms.setdefault(normalize_form(mention.text), set()).add(key[1])
        self._root = None

    def _roots(self) -> dict[tuple[Label, str], str]:
        if self._root is None:
            parent = {key: key[1] for key in self._tallies}
            for (label, key), target in self._merges():
                parent[(label, key)] = target
            self._root = {key: _follow(parent, key) for key in parent}
        return self._root

    def _merges(self) -> Iterator[tuple[tuple[Label, str], str]]:
        """``((label, key), target key)`` for every variant that is another entity's alias."""
        keys = {label: sorted(k for lab, k in self._tallies if lab == label)
                for label in ("ORG", "PER")}
        for key in keys["ORG"]:
            targets = self._acronyms.get(key, set()) - {key}
            if len(targets) == 1:
                yield ("ORG", key), targets.pop()
        words = {k: name_words(self._name(("PER", k))) for k in keys["PER"]}
        for key in keys["PER"]:
            longer = [k for k in keys["PER"] if len(words[k]) > len(words[key]) >= 2
                      and words[k][0] == words[key][0] and is_subsequence(words[key], words[k])]
            if len(longer) == 1:
                yield ("PER", key), longer[0]
        for label, group in keys.items():
            for a, b in combinations([k for k in group if len(k) >= self.FUZZY_MIN_CHARS], 2):
                if fuzz.ratio(a, b) >= self.FUZZY_MIN and not _acronym_clash(
                        self._name((label, a)), self._name((label, b))):
                    yield (label, b), a

    def _name(self, key: tuple[Label, str]) -> str:
        names = self._tallies[key].names
        return min(names, key=lambda n: (-names[n], -len(n), n))

    def entity_id(self, mention: Mention) -> str:
        return self.id_for(mention.label, mention.canonical or mention.text)

    def id_for(self, label: Label, name: str) -> str:
        """The entity id of a canonical name, after the corpus-wide merges."""
        key = (label, identity_key(label, name))
        return entity_id_for(label, self._roots().get(key, key[1]))

    def entities(self) -> list[Entity]:
        """One Entity per root, named by its gazetteer name, else the most frequent (then
        longest) spelling; institutions get a sector."""
        groups: dict[tuple[Label, str], list[_Tally]] = {}
        for key, root in self._roots().items():
            groups.setdefault((key[0], root), []).append(self._tallies[key])
        result = []
        for (label, root), tallies in sorted(groups.items()):
            names: Counter[str] = sum((t.names for t in tallies), Counter())
            name = self._name((label, root)) if (label, root) in self._tallies else \
                min(names, key=lambda n: (-names[n], -len(n), n))
            forms = set().union(*(t.forms for t in tallies), names) - {name}
            seen = [d for t in tallies for d in (t.first_seen, t.last_seen) if d]
            result.append(Entity(
                entity_id=entity_id_for(label, root), label=label, name=name,
                aliases=tuple(sorted(forms)), sector=_sector(name) if label == "ORG" else "",
                doc_ids=frozenset().union(*(t.doc_ids for t in tallies)),
                first_seen=min(seen, default=None), last_seen=max(seen, default=None)))
        return result


def _sector(name: str) -> str:
    body = gazetteer_index().get(fold(name))
    return body.sector if body else infer_sector(name)




def _acronym_clash(a: str, b: str) -> bool:
    """Both names carry acronyms and they differ ("CEDH Chihuahua" vs "CNDH Chihuahua")."""
    first = {w for w in a.split() if is_acronym(w)}
    second = {w for w in b.split() if is_acronym(w)}
    return bool(first and second and first != second)




def _follow(parent: dict[tuple[Label, str], str], key: tuple[Label, str]) -> str:
    """The root of ``key``'s chain of merges (cycles, from mutual fuzzy merges, stop)."""
    seen = {key[1]}
    current = parent[key]
    while (key[0], current) in parent and parent[(key[0], current)] not in seen:
        seen.add(current)
        current = parent[(key[0], current)]
    return current
