"""Give every person and institution one identity across the corpus.

Two steps: :func:`resolve_document` settles what each mention in one release refers to
(its canonical name), then an :class:`EntityIndex` over the whole corpus merges canonical
names into entities with stable ids derived from the name, never from row order.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from itertools import combinations

from rapidfuzz import fuzz

from pipeline.knowledge import fold, gazetteer_index, infer_sector, load_legal_suffixes
from pipeline.records import Entity, Label, Mention
from pipeline.rules import single_heads

_LEADING_ARTICLE = re.compile(r"^(?:el|la|los|las|del|de)\s+")
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})
_LINKS = frozenset({"de", "del", "la", "las", "los", "para", "el"})


def normalize_form(text: str) -> str:
    """The comparison key of a surface form: no accents, case, punctuation, spaces or
    leading article.

    >>> normalize_form("el Instituto Municipal de las Mujeres")
    'institutomunicipaldelasmujeres'
    """
    return _LEADING_ARTICLE.sub("", fold(text)).replace(" ", "")


def resolve_document(mentions: Iterable[Mention]) -> list[Mention]:
    """Set ``canonical`` on each mention of one release (dates keep their ISO value).

    Institutions take their gazetteer name; an acronym defined in brackets, a short form
    ("el Instituto") and a truncated name stand for the one institution they can mean in the
    release. People take the one full name that contains their words ("Urrutia" → "Elvira
    Urrutia Castro"). A short form or a lone word that can mean none or several is dropped.
    """
    ordered = sorted(mentions, key=lambda m: (m.start_char, m.end_char))
    orgs = _resolve_orgs([m for m in ordered if m.label == "ORG"])
    org_keys = {normalize_form(f) for m in orgs for f in (m.text, m.canonical)}
    people = _resolve_people([m for m in ordered if m.label == "PER"], org_keys)
    rest = [m if m.canonical else replace(m, canonical=m.text)
            for m in ordered if m.label not in ("ORG", "PER")]
    return sorted(orgs + people + rest, key=lambda m: (m.start_char, m.end_char))


def _org_name(text: str) -> str:
    """The gazetteer name of a form, else the form with a capital first letter."""
    body = gazetteer_index().get(fold(text))
    return body.name if body else text[:1].upper() + text[1:]


def _is_short(mention: Mention) -> bool:
    return mention.origin.startswith("ruler:short:")


def _names_what_follows_head(name_words: list[str], other: str) -> bool:
    """``other`` is a head word + connector + ``name_words``: "Obras Públicas" in "Dirección
    General de Obras Públicas"."""
    words = fold(other).split()
    size = len(name_words)
    return (len(words) > size + 1 and words[-size:] == name_words
            and words[-size - 1] in _LINKS and other.split()[0].capitalize() in single_heads())


def _resolve_orgs(mentions: list[Mention]) -> list[Mention]:
    acronyms: dict[str, str] = {}
    named: list[Mention] = []
    for mention in mentions:
        if _is_short(mention):
            continue
        canonical = _org_name(mention.text)
        previous = named[-1] if named else None
        if (previous is not None and mention.origin == "rule:acronym"
                and 0 < mention.start_char - previous.end_char <= 2):
            acronyms.setdefault(mention.text, previous.canonical)  # "… Municipal (SSPM)"
        canonical = acronyms.get(mention.text, canonical)
        named.append(replace(mention, canonical=canonical))
    forms: dict[str, set[str]] = {}
    for mention in named:
        forms.setdefault(mention.canonical, set()).add(mention.text)
    longer = {name: _containing(name, set(forms), forms) for name in forms}
    resolved = [replace(m, canonical=longer[m.canonical]) for m in named]
    for mention in filter(_is_short, mentions):
        head = fold(mention.text)
        earlier = {m.canonical for m in resolved
                   if m.start_char < mention.start_char and fold(m.canonical).split()[0] == head}
        if len(earlier) == 1:
            resolved.append(replace(mention, canonical=earlier.pop()))
    return resolved


def _containing(name: str, names: set[str], forms: dict[str, set[str]]) -> str:
    """The one longer name in the release that ``name`` abbreviates, else ``name``:
    "Comisión de la Mujer" → "Comisión Edilicia de la Mujer y Equidad de Género", "Obras
    Públicas" → "Dirección de Obras Públicas", "DIF" → "Sistema DIF Municipal"."""
    words = fold(name).split()
    candidates = set()
    for other in names - {name}:
        other_words = fold(other).split()
        abbreviates = (len(words) >= 2 and other_words[0] == words[0]
                       and len(other_words) > len(words) and _subsequence(words, other_words))
        if abbreviates or _names_what_follows_head(words, other) or (
                _is_acronym(name) and any(name in f.split() for f in forms[other])):
            candidates.add(other)
    if len(candidates) != 1:
        return name
    return _containing(candidates.pop(), names - {name}, forms)


def _name_words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in _PARTICLES]


def _resolve_people(mentions: list[Mention], org_keys: set[str]) -> list[Mention]:
    """People by their fullest name; a "person" spelled like an institution of the same
    release ("Desarrollo Social") is that institution's name, so it is dropped."""
    mentions = [m for m in mentions if normalize_form(m.text) not in org_keys]
    full = {m.text for m in mentions if len(_name_words(m.text)) >= 2}
    resolved = []
    for mention in mentions:
        target = _fullest(mention.text, full)
        if target is None:
            continue  # a lone word that names nobody in the release: not a person
        resolved.append(replace(mention, canonical=target))
    return resolved


def _fullest(name: str, full: set[str]) -> str | None:
    """The one fullest name in ``full`` whose words contain ``name``'s words in order."""
    words = _name_words(name)
    if not words:
        return None
    candidates = {other for other in full if _contains(_name_words(other), words)}
    maximal = {c for c in candidates
               if not any(o != c and _contains(_name_words(o), _name_words(c))
                          for o in candidates)}
    if len(maximal) == 1:
        return maximal.pop()
    return name if len(words) >= 2 else None


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """``shorter`` is a contiguous run of ``longer``."""
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


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
        if mention.label == "ORG" and _is_acronym(mention.text) and name != mention.text:
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
        words = {k: _name_words(self._name(("PER", k))) for k in keys["PER"]}
        for key in keys["PER"]:
            longer = [k for k in keys["PER"] if len(words[k]) > len(words[key]) >= 2
                      and words[k][0] == words[key][0] and _subsequence(words[key], words[k])]
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


def _is_acronym(text: str) -> bool:
    return " " not in text and sum(c.isupper() for c in text) >= 2


def _acronym_clash(a: str, b: str) -> bool:
    """Both names carry acronyms and they differ ("CEDH Chihuahua" vs "CNDH Chihuahua")."""
    first = {w for w in a.split() if _is_acronym(w)}
    second = {w for w in b.split() if _is_acronym(w)}
    return bool(first and second and first != second)


def _subsequence(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` appears in ``long`` in the same order."""
    remaining = iter(long)
    return all(word in remaining for word in short)


def _follow(parent: dict[tuple[Label, str], str], key: tuple[Label, str]) -> str:
    """The root of ``key``'s chain of merges (cycles, from mutual fuzzy merges, stop)."""
    seen = {key[1]}
    current = parent[key]
    while (key[0], current) in parent and parent[(key[0], current)] not in seen:
        seen.add(current)
        current = parent[(key[0], current)]
    return current
