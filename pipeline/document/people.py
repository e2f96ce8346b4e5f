"""Roles and affiliations of the people in one release.

"Elvira Urrutia Castro, directora del Instituto Municipal de las Mujeres", "la directora del
IMM, Elvira Urrutia", "la regidora Patricia Mendoza" and "el alcalde Martín Ríos Lozano" say
who holds which role where. A role belongs to the person it is in apposition to: the one
right before it ("Marta Ruiz, presidenta del DIF") or right after it ("la regidora Patricia
Mendoza"), whose grammatical gender fits the role's ("su esposa, Marta Ruiz, presidenta del
DIF": the role is hers, not her husband's). Role words come from ``resources/roles.tsv``,
gender words from ``resources/genders.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.document.rules import connector_words, load_context_words, role_forms
from pipeline.knowledge import (
    Gender,
    KnowledgeError,
    data_lines,
    fold,
    gazetteer_index,
    infer_sector,
    literal_alternation,
    load_roles,
)
from pipeline.records import Affiliation, Mention

GENDERS_FILE = RESOURCES_DIR / "genders.tsv"
# Between a role and its institution: "directora del", "titular de la", "coordinador en el".
LINK = re.compile(r"\s*(?:de|del|en)?\s*(?:la|el|los|las)?\s*", re.IGNORECASE)
# Between a role (and its institution) and the person it introduces: "regidora Ana", "la
# directora del IMM, Ana".
_BEFORE_PERSON = re.compile(r"\s*,?\s*")
# Between a person and the role that follows: "Ana Ruiz, directora", "Ana Ruiz, la directora".
_AFTER_PERSON = re.compile(r"\s*,\s*(?:quien\s+(?:es|era|funge\s+como)\s+)?(?:(?:el|la)\s+)?",
                           re.IGNORECASE)
# What may follow a role before the comma and its holder ("la síndica municipal, Ana", "el
# fiscal general del Estado, Luis"): a few words, no punctuation (see is_complement).
_COMPLEMENT_MAX_WORDS = 10
_COMPLEMENT_STOP = re.compile(r"[,.;:()\[\]\"“”«»\n]")
_BEFORE_COMMA = re.compile(r"(.*?),\s*", re.DOTALL)
# "Ana Ruiz, del colectivo Red Mesa de Mujeres": a member of a civil-society body, the only
# sector whose members a release names this way (of a school or a shelter, "de" can name a
# pupil or a resident).
_MEMBER_OF = re.compile(r"\s*,\s*(?:integrante\s+)?(?:de|del)\b(.*)", re.IGNORECASE | re.DOTALL)
MEMBER_ROLE = "integrante"
_ARTICLE_BEFORE = re.compile(r"\b(el|la|los|las)\s+$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([\wÁÉÍÓÚÑáéíóúñü]+)[\s,]*$")


@dataclass(frozen=True, slots=True)
class GenderWords:
    before: dict[str, Gender]  # "esposa" → f
    names: dict[str, Gender]  # given names whose ending does not tell: "Carmen" → f


@cache
def load_gender_words() -> GenderWords:
    """``genders.tsv``: ``before|name<TAB>word<TAB>m|f``."""
    kinds: dict[str, dict[str, Gender]] = {"before": {}, "name": {}}
    for number, line in data_lines(GENDERS_FILE):
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 3 or cells[0] not in kinds or cells[2] not in ("m", "f"):
            raise KnowledgeError(f"{GENDERS_FILE}:{number}: expected 'before|name<TAB>word"
                                 f"<TAB>m|f', got {line!r}")
        kinds[cells[0]][fold(cells[1])] = cells[2]  # type: ignore[assignment]
    return GenderWords(kinds["before"], kinds["name"])


@cache
def role_pattern() -> re.Pattern[str]:
    alternatives = literal_alternation(role_forms(), ignore_case=True)
    return re.compile(rf"\b{alternatives}\b", re.IGNORECASE)


@cache
def _role_genders() -> dict[str, Gender]:
    return {role.form: role.gender for role in load_roles()}


def person_gender(person: Mention, text: str) -> Gender:
    """"f" or "m" from the word right before the name ("su esposa Marta") or from its first
    given name ("Carmen"; else -a feminine, -o masculine); "n" when nothing tells."""
    words = load_gender_words()
    before = _WORD_BEFORE.search(text, max(0, person.start_char - 30), person.start_char)
    if before and (gender := words.before.get(fold(before[1]))):
        return gender
    first = fold(person.text).split()[:1]
    if not first:
        return "n"
    if first[0] in words.names:
        return words.names[first[0]]
    return "f" if first[0].endswith("a") else "m" if first[0].endswith("o") else "n"


def _role_gender(match: re.Match[str], text: str) -> Gender:
    """The role form's gender; for a form of both genders ("titular"), its article's."""
    gender = _role_genders().get(match.group().lower(), "n")
    if gender == "n" and (article := _ARTICLE_BEFORE.search(text, 0, match.start())):
        return "f" if article[1].lower() in ("la", "las") else "m"
    return gender


def _fits(role: Gender, person: Gender) -> bool:
    return "n" in (role, person) or role == person


@cache
def _complement_words() -> frozenset[str]:
    role_words = {word for form in role_forms() for word in fold(form).split()}
    return load_context_words().role_complement | connector_words() | role_words


def is_complement(gap: str) -> bool:
    """Whether ``gap`` may stand between a role and its institution or holder: at most
    :data:`_COMPLEMENT_MAX_WORDS` words, no punctuation, each capitalised, a number, a role
    word, a connector of institution names or a ``role_complement`` of context_words.tsv
    ("general del Estado", "de la dependencia"; never "anunció que").

    >>> is_complement(" general del Estado"), is_complement(" anunció que")
    (True, False)
    """
    words = gap.split()
    if len(words) > _COMPLEMENT_MAX_WORDS or _COMPLEMENT_STOP.search(gap):
        return False
    allowed = _complement_words()
    return all(word[0].isupper() or word[0].isdigit() or fold(word) in allowed
               for word in words)


def _org_after(position: int, orgs: list[Mention], people: list[Mention],
               text: str) -> Mention | None:
    """The institution named right after ``position`` ("… directora | del IMM"), or after a
    complement with no person in it ("secretaria | de Acción Femenil de la | CTM")."""
    for org in orgs:
        if org.start_char < position:
            continue
        gap = text[position:org.start_char]
        if LINK.fullmatch(gap) or (is_complement(gap) and not any(
                position <= p.start_char < org.start_char for p in people)):
            return org
        return None
    return None


def _comma_before_person(gap: str) -> bool:
    """The text between a role and the person after it: a comma or nothing ("la directora
    del IMM, Ana"), after a complement at most ("la síndica municipal, Ana")."""
    if _BEFORE_PERSON.fullmatch(gap):
        return True
    match = _BEFORE_COMMA.fullmatch(gap)
    return match is not None and is_complement(match[1])


def inside(position: int, mentions: list[Mention]) -> bool:
    return any(m.start_char <= position < m.end_char for m in mentions)


def _holder(start: int, end: int, gender: Gender, people: list[Mention],
            text: str) -> Mention | None:
    """The person a role (from ``start`` to ``end``, its institution included) stands in
    apposition to: right after it with nothing but a space ("la regidora Ana Ruiz"), else the
    one right before it ("Ana Ruiz, directora del IMM"), else the one after it behind a comma
    ("la directora del IMM, Ana Ruiz"), skipping one whose gender does not fit. A role with
    its article between two people introduces the second ("el regidor Luis Ruiz, el
    coordinador del Cemath, Juan Pérez": the coordinator is Juan Pérez)."""
    after = next((p for p in people if p.start_char >= end), None)
    before = next((p for p in reversed(people) if p.end_char <= start), None)
    tight = after is not None and text[end:after.start_char].isspace()
    preceding = (before if before and _AFTER_PERSON.fullmatch(text[before.end_char:start])
                 else None)
    following = after if after and _comma_before_person(text[end:after.start_char]) else None
    introduces = following is not None and _ARTICLE_BEFORE.search(text, 0, start) is not None
    candidates = [after if tight else None,
                  *((following, preceding) if introduces else (preceding, following))]
    return next((p for p in candidates
                 if p is not None and _fits(gender, person_gender(p, text))), None)


def _civil_society(org: Mention) -> bool:
    body = gazetteer_index().get(fold(org.canonical))
    return (body.sector if body else infer_sector(org.canonical)) == "civil_society"


def _member_of(person: Mention, orgs: list[Mention], text: str) -> Mention | None:
    """The civil-society body right after ``person`` behind ", de" / ", del", with only
    lower-case complement words between ("Ana Ruiz, del colectivo Red Mesa de Mujeres")."""
    org = next((o for o in orgs if o.start_char >= person.end_char), None)
    if org is None:
        return None
    match = _MEMBER_OF.fullmatch(text[person.end_char:org.start_char])
    if match is None or not is_complement(match[1]) or any(
            word[0].isupper() for word in match[1].split()):
        return None
    return org if _civil_society(org) else None


def find_affiliations(text: str, mentions: Iterable[Mention]) -> list[Affiliation]:
    """Each person's stated role and institution in one release, once per combination."""
    ordered = sorted(mentions, key=lambda m: m.start_char)
    orgs = [m for m in ordered if m.label == "ORG"]
    people = [m for m in ordered if m.label == "PER"]
    found: dict[tuple[str, str, str], Affiliation] = {}
    for match in role_pattern().finditer(text):
        if inside(match.start(), ordered):
            continue  # "Comisión de Regidores", a role word inside a name
        org = _org_after(match.end(), orgs, people, text)
        end = org.end_char if org is not None else match.end()
        person = _holder(match.start(), end, _role_gender(match, text), people, text)
        if person is not None:
            key = (person.canonical, match.group().lower(), org.canonical if org else "")
            found.setdefault(key, Affiliation(person.doc_id, *key))
    for person in people:
        if (org := _member_of(person, orgs, text)) is not None:
            key = (person.canonical, MEMBER_ROLE, org.canonical)
            found.setdefault(key, Affiliation(person.doc_id, *key))
    return list(found.values())

