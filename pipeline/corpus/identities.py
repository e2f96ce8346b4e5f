"""One identity per person and institution across the corpus.

An :class:`EntityIndex` over every release's resolved mentions (see
:func:`pipeline.document.resolve.resolve_document`) merges canonical names into entities with
stable ids derived from the name, never from row order. An institution's key carries its
place (:mod:`pipeline.corpus.org_keys`), so two cities' institutes are two entities.

Every merge rule looks its candidates up in an index (by acronym, initials, words, given name
and surname, first or last word), so the index grows near-linearly with the corpus.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
import numpy as np
from rapidfuzz import fuzz, process

from pipeline.corpus.org_keys import (
    FUNCTION_WORDS,
    generic_names,
    is_known_place,
    org_key,
    place_sector,
    singular,
)
from pipeline.document.places import parse_label
from pipeline.document.resolve import aligned_name, is_acronym, person_words, normalize_form
from pipeline.document.rules import CLASS_OF, body_classes, folded_heads
from pipeline.knowledge import fold, gazetteer_index, infer_sector
from pipeline.records import Entity, Label, Mention

Key = tuple[Label, str]
_FUZZY_ROWS = 2000  # rows of a block scored at once: 2000 × block size bytes
_FUZZY_ENDS = 6  # letters at each end of a one-word key that block it (half of FUZZY_MIN_CHARS)


def entity_id_for(label: Label, key: str) -> str:
    """Stable id of the entity whose identity key is ``key``."""
    return f"{label.lower()}-{hashlib.sha1(f'{label}:{key}'.encode()).hexdigest()[:12]}"


def _key(label: Label, name: str, jurisdiction: str) -> Key:
    return label, identity_key(label, name, jurisdiction)


def identity_key(label: Label, name: str, jurisdiction: str = "") -> str:
    """The key under which variants of one name meet: for people :func:`normalize_form`; for
    institutions :func:`org_key` in the release's ``jurisdiction``."""
    if label == "ORG":
        return org_key(name, jurisdiction, org_sector(name)).key
    return normalize_form(name)


@lru_cache(maxsize=1 << 16)  # bounded: a large corpus has more names than it needs at once
def org_sector(name: str) -> str:
    """The gazetteer's sector of a name, else the one inferred from its words; a government
    head or no cue at all yields to the place the name ends with ("Gobierno de Sonora")."""
    body = gazetteer_index().get(fold(name))
    if body:
        return body.sector
    sector = infer_sector(name)
    return (place_sector(name) or sector) if sector in ("municipal", "other") else sector


def forget_name_caches() -> None:
    """Empty the caches of institution names' keys and sectors, once the passes that look
    names up are over (they hold up to 65,536 names each)."""
    org_key.cache_clear()
    org_sector.cache_clear()


def is_generic_form(form: str) -> bool:
    """A short form any body could have: one head word ("Instituto", "Comisión") or a name
    every municipality uses ("Ayuntamiento", "DIF"). It means a body inside its release only.
    """
    words = [w for w in fold(form).split() if w not in FUNCTION_WORDS]
    return (len(words) == 1 and words[0] in folded_heads()) or \
        tuple(singular(w) for w in words) in generic_names()


@dataclass(slots=True)
class _Tally:
    label: Label
    scope: str = ""  # the place of a body that belongs to one (see org_key)
    words: tuple[str, ...] = ()  # ORG: the key's words in order; PER: the name's words
    initials: str = ""
    # Tuples and a list rather than sets: most names have one form, one release and one
    # place, and a tally per distinct name is what a large corpus holds most of.
    names: dict[str, int] = field(default_factory=dict)  # canonical name → times given
    forms: tuple[str, ...] = ()  # surface forms seen
    doc_ids: list[str] = field(default_factory=list)  # its releases (repeats only if fed apart)
    jurisdictions: tuple[str, ...] = ()  # of its releases
    class_sector: str = ""  # ORG: the sector a class noun before it gave ("la empresa X")
    first_seen: date | None = None
    last_seen: date | None = None

    @property
    def name(self) -> str:
        """The most frequent (then longest) canonical name given."""
        return min(self.names, key=lambda n: (-self.names[n], -len(n), n))

    def fits(self, scope: str) -> bool:
        """Unscoped, and its releases are all about ``scope`` (a municipality, or a state
        that all their municipalities are in)."""
        return not self.scope and all(j == scope or parse_label(j)[1] == scope
                                      for j in self.jurisdictions)


def _same_place(a: _Tally, b: _Tally, *, known_sector: bool = False) -> bool:
    """Both of one place: the same scope, or one unscoped whose releases are all about the
    other's place; with ``known_sector=False`` the unscoped one must be of unknown sector
    ("Atención Ciudadana del Suroriente" may be Juárez's; a federal body may not)."""
    if a.scope == b.scope:
        return True
    loose, scoped = (a, b) if not a.scope else (b, a)
    if loose.scope:
        return False
    return loose.fits(scoped.scope) and (known_sector or org_sector(loose.name) == "other")


@dataclass(frozen=True, slots=True)
class Identities:
    """The resolved identities: each key's root, and each root's entity id and name. Far
    smaller than the :class:`EntityIndex` that found them, so the corpus stage keeps only
    this for its second pass (whose every mention then shares its entity's id string)."""

    roots: dict[Key, str]  # key → its root's key
    entities: dict[Key, tuple[str, str]]  # root → (entity id, name)

    def _root(self, label: Label, name: str, jurisdiction: str) -> Key:
        key = _key(label, name, jurisdiction)
        return label, self.roots.get(key, key[1])

    def entity_id(self, mention: Mention, jurisdiction: str = "") -> str:
        return self.id_for(mention.label, mention.canonical or mention.text, jurisdiction)

    def id_for(self, label: Label, name: str, jurisdiction: str = "") -> str:
        """The entity id of a canonical name in a release about ``jurisdiction``, after the
        corpus-wide merges."""
        root = self._root(label, name, jurisdiction)
        found = self.entities.get(root)
        return found[0] if found else entity_id_for(*root)

    def name_for(self, label: Label, name: str, jurisdiction: str = "") -> str:
        """The entity's name (the root's) for a canonical name of a release."""
        found = self.entities.get(self._root(label, name, jurisdiction))
        return found[1] if found else name


class EntityIndex:
    """The per-entity table of the corpus: fed mention by mention, read once complete.

    When the corpus has been seen, variants meet under one root: an acronym defined anywhere,
    or whose letters are a name's initials, stands for that name; a head-less name
    ("Prevención Social") for the one headed name of its place; a name cut at a coordination
    ("Comisión de la Familia") for the one it opens; a body named without its city for the one
    of its releases' city; a person's shorter name for the one full name it abbreviates
    (given names then first surnames: "Laura Díaz" is not "Laura Elena Ríos Díaz"); spelling
    variants (y/i in a given name, accents) and near-identical keys (:data:`FUZZY_MIN`) for
    each other. Ids derive from the root's key, so they do not depend on input order.
    """

    FUZZY_MIN = 95.0  # rapidfuzz ratio on keys: typos and hyphenation, not different bodies
    FUZZY_MIN_CHARS = 12  # short keys (acronyms, single names) never merge by similarity

    def __init__(self) -> None:
        self._tallies: dict[Key, _Tally] = {}
        self._acronyms: dict[str, set[str]] = {}  # acronym key → long-form keys
        self._resolved: Identities | None = None

    def add(self, mention: Mention, published: date | None, jurisdiction: str = "") -> None:
        """Count one mention of a release about ``jurisdiction`` (a label, "" = unknown)."""
        name = mention.canonical or mention.text
        key = _key(mention.label, name, jurisdiction)
        tally = self._tallies.get(key)
        if tally is None:
            tally = self._tallies[key] = _Tally(mention.label)
            if mention.label == "ORG":
                found = org_key(name, jurisdiction, org_sector(name))
                tally.scope, tally.words, tally.initials = found.scope, found.words, \
                    found.initials
            else:
                tally.words = tuple(person_words(name))
        tally.names[name] = tally.names.get(name, 0) + 1
        if mention.origin.startswith((CLASS_OF, "ruler:head:")):  # "…:asociacion"
            tally.class_sector = body_classes().get(mention.origin.rpartition(":")[2], "") \
                or tally.class_sector
        if mention.text not in tally.forms and not is_generic_form(mention.text):
            tally.forms += (mention.text,)
        # Interned: a release's tallies share its id, and places are few (each mention
        # read from the store brings its own copy of both).
        if mention.doc_id not in tally.doc_ids[-1:]:  # a release's mentions come together
            tally.doc_ids.append(sys.intern(mention.doc_id))
        if jurisdiction not in tally.jurisdictions:
            tally.jurisdictions += (sys.intern(jurisdiction),)
        if published is not None:
            tally.first_seen = min(filter(None, (tally.first_seen, published)))
            tally.last_seen = max(filter(None, (tally.last_seen, published)))
        if mention.label == "ORG" and is_acronym(mention.text) and name != mention.text:
            self._acronyms.setdefault(normalize_form(mention.text), set()).add(key[1])
        self._resolved = None

    def resolved(self) -> Identities:
        """The identities as the corpus seen so far resolves them, each key under the
        best-ranked key of its merged group (computed once per state): all that the tables
        need once :meth:`entities` has been read."""
        if self._resolved is None:
            parent = {key: key for key in self._tallies}

            def find(key: Key) -> Key:
                while parent[key] != key:
                    parent[key] = parent[parent[key]]
                    key = parent[key]
                return key

            for a, b in self._merges():
                parent[find(a)] = find(b)
            groups: dict[Key, list[Key]] = defaultdict(list)
            for key in self._tallies:
                groups[find(key)].append(key)
            roots: dict[Key, str] = {}
            entities: dict[Key, tuple[str, str]] = {}
            for members in groups.values():
                best = max(members, key=self._rank)
                roots.update((key, best[1]) for key in members)
                entities[best] = entity_id_for(*best), self._tallies[best].name
            self._resolved = Identities(roots, entities)
        return self._resolved

    def _rank(self, key: Key) -> tuple[bool, int, bool, int, int, str]:
        """Which key of a group names it: a gazetteer name, a person's fullest name, the most
        mentioned, the longest; the key itself breaks ties."""
        tally = self._tallies[key]
        name = tally.name
        body = gazetteer_index().get(fold(name))
        return (body is not None and body.name == name, len(tally.words) if key[0] == "PER"
                else 0, not is_acronym(name), sum(tally.names.values()), len(name), key[1])

    def _merges(self) -> Iterator[tuple[Key, Key]]:
        orgs = sorted(k for k in self._tallies if k[0] == "ORG")
        people = sorted(k for k in self._tallies if k[0] == "PER")
        yield from self._acronym_merges(orgs)
        yield from self._place_merges(orgs)
        yield from self._head_merges(orgs)
        yield from self._coordination_merges(orgs)
        yield from self._spelling_merges(people)
        yield from self._shorter_name_merges(people)
        for group in (orgs, people):
            yield from self._fuzzy_merges(group)

    def _unique(self, key: Key, candidates: Iterable[Key]) -> Iterator[tuple[Key, Key]]:
        """A merge of ``key`` with the one candidate that is not itself, if one."""
        found = set(candidates) - {key}
        if len(found) == 1:
            yield key, found.pop()

    def _acronym_merges(self, orgs: list[Key]) -> Iterator[tuple[Key, Key]]:
        """An acronym defined anywhere stands for its long form; one never defined stands for
        the one name of its place whose initials it spells ("DABA")."""
        by_initials: dict[str, list[Key]] = defaultdict(list)
        for key in orgs:
            tally = self._tallies[key]
            if len(tally.initials) >= 3 and not is_acronym(tally.name):
                by_initials[tally.initials].append(key)
        for key in orgs:
            tally = self._tallies[key]
            if not is_acronym(tally.name):
                continue
            acronym = normalize_form(tally.name)
            defined = {("ORG", k) for k in self._acronyms.get(acronym, ())}
            spelled = by_initials.get(acronym, []) if len(acronym) >= 3 else []
            for candidates in (defined, spelled):
                fitting = [k for k in candidates if _same_place(tally, self._tallies[k])]
                if len(set(fitting) - {key}) == 1:
                    yield from self._unique(key, fitting)
                    break

    def _place_merges(self, orgs: list[Key]) -> Iterator[tuple[Key, Key]]:
        """"Red Mesa de Mujeres" in Juárez's releases is "Red Mesa de Mujeres de Ciudad
        Juárez": a body named without a place joins the one of its releases' place."""
        scoped: dict[tuple[str, ...], list[Key]] = defaultdict(list)
        for key in orgs:
            if self._tallies[key].scope:
                scoped[tuple(sorted(self._tallies[key].words))].append(key)
        for key in orgs:
            tally = self._tallies[key]
            if not tally.scope:
                yield from self._unique(key, [
                    k for k in scoped.get(tuple(sorted(tally.words)), [])
                    if _same_place(tally, self._tallies[k], known_sector=True)])

    def _head_merges(self, orgs: list[Key]) -> Iterator[tuple[Key, Key]]:
        """"Atención Ciudadana del Suroriente" is "Coordinación de Atención Ciudadana
        Suroriente": a name without a head word is the one headed name of its place that
        ends with it."""
        headed: dict[tuple[str, ...], list[Key]] = defaultdict(list)
        for key in orgs:
            words = self._tallies[key].words
            if len(words) >= 2 and words[0] in folded_heads():
                tail = words[2:] if len(words) > 2 and words[1] == "general" else words[1:]
                headed[tail].append(key)
        for key in orgs:
            tally = self._tallies[key]
            if len(tally.words) >= 2 and tally.words[0] not in folded_heads():
                yield from self._unique(key, [k for k in headed.get(tally.words, [])
                                              if _same_place(tally, self._tallies[k])])

    def _coordination_merges(self, orgs: list[Key]) -> Iterator[tuple[Key, Key]]:
        """"Comisión de la Familia" is "Comisión de la Familia y Asistencia Social" when it is
        the one such name of a municipality or state."""
        opening: dict[tuple[str, ...], list[Key]] = defaultdict(list)
        for key in orgs:
            words = self._tallies[key].words
            if "y" in words[1:]:
                opening[words[:words.index("y", 1)]].append(key)
        for key in orgs:
            tally = self._tallies[key]
            yield from self._unique(key, [
                k for k in opening.get(tally.words, [])
                if (tally.scope or self._tallies[k].scope)
                and _same_place(tally, self._tallies[k])])

    def _spelling_merges(self, people: list[Key]) -> Iterator[tuple[Key, Key]]:
        """Names that are spelled alike once y/i in given names is set aside ("Idaly
        Juache" = "Idali Juache")."""
        first: dict[tuple[str, ...], Key] = {}
        for key in people:
            words = self._tallies[key].words
            if len(words) >= 2:
                other = first.setdefault(words, key)
                if other != key:
                    yield key, other

    def _shorter_name_merges(self, people: list[Key]) -> Iterator[tuple[Key, Key]]:
        """A shorter name joins the one fullest name it abbreviates (:func:`aligned_name`)."""
        by_start: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for key in people:
            words = self._tallies[key].words
            for i in range(1, len(words)):
                by_start[(words[0], words[i])].append(key)
        for key in people:
            words = self._tallies[key].words
            if len(words) < 2:
                continue
            candidates = {k for i in range(1, len(words)) for k in by_start[(words[0], words[i])]
                          if len(self._tallies[k].words) > len(words)
                          and aligned_name(words, self._tallies[k].words)}
            fullest = {self._tallies[k].words for k in candidates
                       if not any(aligned_name(self._tallies[k].words, self._tallies[o].words)
                                  for o in candidates if o != k)}
            if len(fullest) == 1:
                yield key, min(k for k in candidates if self._tallies[k].words in fullest)

    def _fuzzy_merges(self, group: list[Key]) -> Iterator[tuple[Key, Key]]:
        """Near-identical keys of one place, compared within blocks of keys that share a word,
        each block at once by rapidfuzz. Keys this close differ by fewer edits than they have
        words (a 5 % difference is under one edit per 10 letters), so some word is intact; a
        one-word key has one edit at most, which spares its first or its last letters."""
        blocks: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for key in group:
            tally = self._tallies[key]
            text = "".join(tally.words)
            if len(text) >= self.FUZZY_MIN_CHARS:
                words = set(tally.words) - {"y"}
                for word in words:
                    blocks[(tally.scope, word)].append(key)
                if len(words) == 1:
                    blocks[(tally.scope, f"{text[:_FUZZY_ENDS]}…")].append(key)
                    blocks[(tally.scope, f"…{text[-_FUZZY_ENDS:]}")].append(key)
        found: set[tuple[Key, Key]] = set()
        for block in blocks.values():
            if len(block) < 2:
                continue
            texts = ["".join(self._tallies[key].words) for key in block]
            for offset in range(0, len(block), _FUZZY_ROWS):
                scores = process.cdist(texts[offset:offset + _FUZZY_ROWS], texts,
                                       scorer=fuzz.ratio, score_cutoff=self.FUZZY_MIN,
                                       dtype=np.uint8, workers=-1)
                for row, column in zip(*np.nonzero(scores), strict=True):
                    a, b = block[offset + int(row)], block[int(column)]
                    if a < b and (a, b) not in found and not _acronym_clash(
                            self._tallies[a].name, self._tallies[b].name):
                        found.add((a, b))
        for a, b in sorted(found):
            yield b, a

    def entity_id(self, mention: Mention, jurisdiction: str = "") -> str:
        return self.resolved().entity_id(mention, jurisdiction)

    def id_for(self, label: Label, name: str, jurisdiction: str = "") -> str:
        return self.resolved().id_for(label, name, jurisdiction)

    def name_for(self, label: Label, name: str, jurisdiction: str = "") -> str:
        return self.resolved().name_for(label, name, jurisdiction)

    def entities(self) -> list[Entity]:
        """One Entity per root, named by its root's most frequent (then longest) spelling;
        institutions get a sector and the place they belong to."""
        resolved = self.resolved()
        groups: dict[Key, list[_Tally]] = {}
        for key, root in resolved.roots.items():
            groups.setdefault((key[0], root), []).append(self._tallies[key])
        result = []
        for (label, root), tallies in sorted(groups.items()):
            entity_id, name = resolved.entities[(label, root)]
            names: Counter[str] = sum((Counter(t.names) for t in tallies), Counter())
            forms = set().union(*(t.forms for t in tallies), names) - {name}
            seen = [d for t in tallies for d in (t.first_seen, t.last_seen) if d]
            scopes = Counter(t.scope for t in tallies if t.scope and is_known_place(t.scope))
            result.append(Entity(
                entity_id=entity_id, label=label, name=name,
                aliases=tuple(sorted(f for f in forms if not is_generic_form(f))),
                sector=_sector(name, tallies) if label == "ORG" else "",
                n_documents=len(set().union(*(t.doc_ids for t in tallies))),
                first_seen=min(seen, default=None), last_seen=max(seen, default=None),
                jurisdiction=scopes.most_common(1)[0][0] if scopes else ""))
        return result


def _sector(name: str, tallies: list[_Tally]) -> str:
    """The sector of a body's name (:func:`org_sector`); where the name says none, the one
    a class noun before it gave ("la asociación Mujer Contemporánea": civil society)."""
    sector = org_sector(name)
    if sector != "other":
        return sector
    return next((t.class_sector for t in tallies if t.class_sector), sector)


def _acronym_clash(a: str, b: str) -> bool:
    """Both names carry acronyms and they differ ("CEDH Chihuahua" vs "CNDH Chihuahua")."""
    first = {w for w in a.split() if is_acronym(w)}
    second = {w for w in b.split() if is_acronym(w)}
    return bool(first and second and first != second)
