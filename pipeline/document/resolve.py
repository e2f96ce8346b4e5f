"""What each person and institution mention of one release refers to.

:func:`resolve_document` settles each mention's canonical name inside its release; the
corpus-wide identities are :mod:`pipeline.corpus.identities`' work.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from pipeline.document.council import council_reading
from pipeline.document.places import load_places, parse_label, place_in_name, state_adjective_in
from pipeline.document.rules import role_words, single_heads, with_elided_head
from pipeline.knowledge import (
    Institution,
    fold,
    gazetteer_ids,
    gazetteer_index,
    load_given_names,
)
from pipeline.records import Mention

_LEADING_ARTICLE = re.compile(r"^(?:el|la|los|las|del|de)\s+")
_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y"})
_LINKS = frozenset({"de", "del", "la", "las", "los", "para", "el"})
_LEVELS = {"nacional": "federal", "federal": "federal", "estatal": "state", "estado": "state",
           "municipal": "municipal", "municipio": "municipal"}  # words that say a body's level
_CAPITALISED = r"[A-ZÁÉÍÓÚÑ][\w.]*"
_STATE_NAME = rf"{_CAPITALISED}(?:\s+{_CAPITALISED}){{0,2}}"  # "Baja California Sur"
_STATE_GOVERNMENT = re.compile(  # "del Gobierno de Jalisco", "del Gobierno del Estado (de X)"
    rf"\s*,?\s+del\s+Gobierno\s+(?:del\s+Estado(?:\s+de\s+(?P<named>{_STATE_NAME}))?"
    rf"|de\s+(?P<state>{_STATE_NAME}))")
_ROLE_BEFORE = re.compile(r"(\w+)\s+(?:de|del)\s+(?:la\s+|las\s+|los\s+|el\s+)?$")


def normalize_form(text: str) -> str:
    """The comparison key of a surface form: no accents, case, punctuation, spaces or
    leading article.

    >>> normalize_form("el Instituto Municipal de las Mujeres")
    'institutomunicipaldelasmujeres'
    """
    return _LEADING_ARTICLE.sub("", fold(text)).replace(" ", "")


def resolve_document(mentions: Iterable[Mention], *, jurisdiction: str = "") -> list[Mention]:
    """Set ``canonical`` on each mention of one release (dates keep their ISO value).

    Institutions take their gazetteer name where the gazetteer's entry applies (its
    jurisdiction is the release's ``jurisdiction`` or its state; "" = any); an acronym defined
    in brackets, a short form ("el Instituto") and a truncated name stand for the one
    institution they can mean in the release. People take the one full name that contains
    their words ("Urrutia" → "Elvira Urrutia Castro"). A short form or a lone word that can
    mean none or several is dropped.
    """
    ordered = sorted(mentions, key=lambda m: (m.start_char, m.end_char))
    orgs = _resolve_orgs([m for m in ordered if m.label == "ORG"], jurisdiction)
    org_keys = {normalize_form(f) for m in orgs for f in (m.text, m.canonical)}
    people = _resolve_people([m for m in ordered if m.label == "PER"], org_keys)
    rest = [m if m.canonical else replace(m, canonical=m.text)
            for m in ordered if m.label not in ("ORG", "PER")]
    return sorted(orgs + people + rest, key=lambda m: (m.start_char, m.end_char))


def applies_in(body: Institution, jurisdiction: str) -> bool:
    """A gazetteer entry speaks of a release about ``jurisdiction`` ("" = any place)."""
    return not body.jurisdiction or not jurisdiction or body.jurisdiction in (
        jurisdiction, parse_label(jurisdiction)[1])


def _org_name(mention: Mention, jurisdiction: str) -> str:
    """The gazetteer name of a form or of the body its rule matched ("Casa Amiga A.C.",
    ``ruler:gaz:casa-amiga``), else the form (with its head when the text left it unsaid)
    with a capital first letter."""
    text = with_elided_head(mention.text, mention.origin)
    body = gazetteer_index().get(fold(text)) or gazetteer_ids().get(
        mention.origin.removeprefix("ruler:gaz:"))
    if body and applies_in(body, jurisdiction):
        if body.sector != "federal":
            return body.name
        text = body.name  # "la Secretaría de las Mujeres del Gobierno del Estado": a state's
    words = fold(text).split()
    if (state := _state_government_after(mention, jurisdiction)) and not state_adjective_in(
            words) and place_in_name(words, [False] * len(words)) is None:
        text = f"{text} de {state}"  # "… del Gobierno de Jalisco": the state's body
    return text[:1].upper() + text[1:]


def _state_government_after(mention: Mention, jurisdiction: str) -> str:
    """The state whose government the words right after a name say the body is part of:
    "Secretaría de las Mujeres del Gobierno de Jalisco", "… del Gobierno del Estado" (the
    release's state); "" when they say none."""
    sentence, at = mention.sentence, mention.sentence.find(mention.text)
    while at >= 0:
        match = _STATE_GOVERNMENT.match(sentence, at + len(mention.text))
        if match is not None:
            written = (match["named"] or match["state"] or "").split()
            if not written:
                return parse_label(jurisdiction)[1] if jurisdiction else ""
            for size in range(len(written), 0, -1):  # "Baja California Sur", not "Baja"
                if state := load_places().state_by_form.get(fold(" ".join(written[:size]))):
                    return state.name if fold(" ".join(written[:size])) == fold(
                        state.name) else ""
        at = sentence.find(mention.text, at + 1)
    return ""


def _defined_here(acronym: Mention, name: Mention) -> bool:
    """A known body's acronym written in brackets right after a name of another level of
    government defines that name's acronym in this release: "Instituto Municipal de las
    Mujeres Zapopanas (Inmujeres Zapopan)" is not the national Inmujeres."""
    if not acronym.origin.startswith("ruler:gaz:") or f"({acronym.text}" not in acronym.sentence:
        return False
    levels = [_LEVELS.get(word, "") for word in fold(name.canonical).split()]
    known = [_LEVELS.get(word, "") for word in fold(_org_name(acronym, "")).split()]
    return bool(set(filter(None, levels)) and set(filter(None, known))
                and set(filter(None, levels)).isdisjoint(known))


def _is_short(mention: Mention) -> bool:
    return mention.origin.startswith("ruler:short:")


def _names_what_follows_head(name_words: list[str], other: str) -> bool:
    """``other`` is a head word + connector + ``name_words``: "Obras Públicas" in "Dirección
    General de Obras Públicas"."""
    words = fold(other).split()
    size = len(name_words)
    return (len(words) > size + 1 and words[-size:] == name_words
            and words[-size - 1] in _LINKS and other.split()[0].capitalize() in single_heads())


def _resolve_orgs(mentions: list[Mention], jurisdiction: str) -> list[Mention]:
    acronyms: dict[str, str] = {}
    named: list[Mention] = []
    for mention in mentions:
        if _is_short(mention):
            continue
        reading = council_reading(mention.text, mention.sentence)
        canonical = _org_name(mention if reading is None else
                              replace(mention, text=reading, origin=""), jurisdiction)
        previous = named[-1] if named else None
        if previous is not None and 0 < mention.start_char - previous.end_char <= 2 and (
                mention.origin == "rule:acronym" or _defined_here(mention, previous)):
            acronyms.setdefault(mention.text, previous.canonical)  # "… Municipal (SSPM)"
        canonical = acronyms.get(mention.text, canonical)
        named.append(replace(mention, canonical=canonical))
    forms: dict[str, set[str]] = {}
    for mention in named:
        forms.setdefault(mention.canonical, set()).add(mention.text)
    offices: dict[str, set[str]] = {}  # "Atención a la Mujer" → {"dire"}: "directora de …"
    for mention in named:
        if (stem := _office_stem(mention)) is not None:
            offices.setdefault(mention.canonical, set()).add(stem)
    longer = {name: _containing(name, set(forms), forms, frozenset(offices.get(name, ())))
              for name in forms}
    resolved = [replace(m, canonical=longer[m.canonical]) for m in named]
    for mention in filter(_is_short, mentions):
        head = fold(mention.text)
        earlier = {m.canonical for m in resolved
                   if m.start_char < mention.start_char and fold(m.canonical).split()[0] == head}
        if len(earlier) == 1:
            resolved.append(replace(mention, canonical=earlier.pop()))
    return resolved


def _office_stem(mention: Mention) -> str | None:
    """The stem of the role that names a department ("la directora de Atención a la Mujer":
    "dire"), whose office shares it (the "Dirección", not the "Centro", of Atención a la
    Mujer); None for a mention no role names."""
    if mention.origin != "rule:role-of":
        return None
    at = mention.sentence.find(mention.text)
    before = _ROLE_BEFORE.search(mention.sentence[:at]) if at > 0 else None
    if before is None or fold(before[1]) not in role_words():
        return None
    return fold(before[1])[:4]


def _containing(name: str, names: set[str], forms: dict[str, set[str]],
                offices: frozenset[str] = frozenset()) -> str:
    """The one longer name in the release that ``name`` abbreviates, else ``name``:
    "Comisión de la Mujer" → "Comisión Edilicia de la Mujer y Equidad de Género", "Obras
    Públicas" → "Dirección de Obras Públicas", "DIF" → "Sistema DIF Municipal". Of several,
    the one whose head shares the stem of a role that named ``name`` (``offices``): "la
    directora de Atención a la Mujer" is the Dirección's, not the Centro's."""
    words = fold(name).split()
    candidates = set()
    for other in names - {name}:
        other_words = fold(other).split()
        abbreviates = (len(words) >= 2 and other_words[0] == words[0]
                       and len(other_words) > len(words) and is_subsequence(words, other_words))
        if abbreviates or _names_what_follows_head(words, other) or (
                is_acronym(name) and any(name in f.split() for f in forms[other])) or (
                spells_syllables(name, other)):
            candidates.add(other)
    if len(candidates) > 1 and offices:
        candidates = {c for c in candidates if fold(c)[:4] in offices}
    if len(candidates) != 1:
        return name
    return _containing(candidates.pop(), names - {name}, forms)


def name_words(name: str) -> list[str]:
    return [w for w in fold(name).split() if w not in _PARTICLES]


def given_count(words: list[str] | tuple[str, ...]) -> int:
    """How many of a full name's words are given names: the first, and the known given
    names after it, leaving a surname (two when the name has four words or more)."""
    most = len(words) - (2 if len(words) >= 4 else 1)
    count = 1
    while count < most and words[count] in load_given_names():
        count += 1
    return count


def person_words(name: str) -> list[str]:
    """A person's name words as compared: :func:`name_words`, and a given name's y written i
    ("Idaly" = "Idali"), a spelling variant."""
    words = name_words(name)
    given = given_count(words) if len(words) >= 2 else 0  # a lone word may be a surname
    return [w.replace("y", "i") if i < given else w for i, w in enumerate(words)]


def aligned_name(short: list[str] | tuple[str, ...], full: list[str] | tuple[str, ...]) -> bool:
    """``short`` abbreviates ``full`` as Spanish names are shortened: its first given names
    then its first surnames ("Juan Escalante", "Juan Carlos Escalante" for "Juan Carlos
    Escalante Suárez"), never a later surname alone ("Laura Díaz" is not "Laura Elena Ríos
    Díaz")."""
    given = given_count(full)
    if len(short) >= len(full) or len(short) < 2:
        return False
    return any(short[:i] == full[:i] and short[i:] == full[given:given + len(short) - i]
               for i in range(1, min(given, len(short) - 1) + 1))


def _resolve_people(mentions: list[Mention], org_keys: set[str]) -> list[Mention]:
    """People by their fullest name; a "person" spelled like an institution of the same
    release ("Desarrollo Social") is that institution's name, so it is dropped."""
    mentions = [m for m in mentions if normalize_form(m.text) not in org_keys]
    full = {m.text for m in mentions if len(name_words(m.text)) >= 2}
    resolved = []
    for mention in mentions:
        target = _fullest(mention.text, full)
        if target is None:
            continue  # a lone word that names nobody in the release: not a person
        resolved.append(replace(mention, canonical=target))
    return resolved


def _fullest(name: str, full: set[str]) -> str | None:
    """The one fullest name in ``full`` whose words contain ``name``'s words in order."""
    words = person_words(name)
    if not words:
        return None
    candidates = {other for other in full if _contains(person_words(other), words)}
    maximal = {c for c in candidates
               if not any(len(person_words(o)) > len(person_words(c))
                          and _contains(person_words(o), person_words(c)) for o in candidates)}
    if len({tuple(person_words(c)) for c in maximal}) == 1:
        return min(maximal)  # one person, perhaps spelled two ways
    return name if len(words) >= 2 else None


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """``shorter`` is a contiguous run of ``longer``."""
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def is_acronym(text: str) -> bool:
    """One word with two capitals or more: "IMM", "SSPM", "DIFem"."""
    return " " not in text and sum(c.isupper() for c in text) >= 2


_SYLLABLE_LINKS = _LINKS | {"y", "e", "en", "a", "al", "por"}


def spells_syllables(word: str, name: str) -> bool:
    """``word`` is a syllabic acronym of ``name``: the opening letters of its first words, in
    order and none skipped, each a short piece but the last ("Immujer" = I·M·Mujer(es),
    "Sedena" = Se·De·Na, "Profeco" = Pro·Fe·Co); words after the last piece may be a place
    ("… de las Mujeres de Mazatlán"). One word of five letters or more, over two words or
    more: a short or common word ("Mesa", "Salud") spells too much by chance."""
    if " " in word or len(word) < 5 or not word[0].isupper():
        return False
    letters = fold(word)
    words = [w for w in fold(name).split() if w not in _SYLLABLE_LINKS]
    if not letters.isalpha() or len(words) < 2 or letters == words[0]:
        return False

    def spelled(start: int, index: int) -> bool:
        if start == len(letters):
            return index >= 2
        if index == len(words):
            return False
        rest = letters[start:]
        longest = len(rest) if index else min(3, len(rest))  # a long piece only at the end
        return any(words[index].startswith(rest[:size])
                   and (size == len(rest) or size <= 3) and spelled(start + size, index + 1)
                   for size in range(longest, 0, -1))

    return spelled(0, 0)


def is_subsequence(short: list[str], long: list[str]) -> bool:
    """Every word of ``short`` appears in ``long`` in the same order."""
    remaining = iter(long)
    return all(word in remaining for word in short)
