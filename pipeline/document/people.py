"""Roles and affiliations of the people in one release.

"Elvira Urrutia Castro, directora del Instituto Municipal de las Mujeres", "la directora del
IMM, Elvira Urrutia", "la regidora Patricia Mendoza" and "el alcalde Cruz Pérez Cuéllar" say
who holds which role where. Works on resolved mentions and the article text: the role words
come from ``resources/roles.tsv``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from pipeline.document.rules import role_forms
from pipeline.records import Affiliation, Mention

_WINDOW = 200  # characters looked at before a name for "<role> del <institution>,"
# Between a role and its institution: "directora del", "titular de la", "coordinador en el".
_LINK = re.compile(r"\s*(?:de|del|en)?\s*(?:la|el|los|las)?\s*", re.IGNORECASE)
_GAP = re.compile(r"\s*,?\s*")


@cache
def _role_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(form) for form in role_forms())
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)


def _org_after(position: int, orgs: list[Mention], text: str) -> Mention | None:
    """The institution named right after ``position`` ("… directora | del IMM")."""
    for org in orgs:
        if org.start_char >= position and _LINK.fullmatch(text[position:org.start_char]):
            return org
    return None


def _role_before(person: Mention, orgs: list[Mention], text: str) -> tuple[str, str] | None:
    """``(role, org)`` from "<role> [del <org>][,] <person>"."""
    start = max(0, person.start_char - _WINDOW)
    for match in reversed(list(_role_pattern().finditer(text, start, person.start_char))):
        org = _org_after(match.end(), orgs, text)
        end = org.end_char if org is not None and org.end_char <= person.start_char \
            else match.end()
        if _GAP.fullmatch(text[end:person.start_char]):
            return match.group().lower(), org.canonical if org and end == org.end_char else ""
        break  # only the nearest role word can introduce the name
    return None


def _role_after(person: Mention, orgs: list[Mention], text: str) -> tuple[str, str] | None:
    """``(role, org)`` from "<person>, <role> [del <org>]"."""
    gap = re.compile(r"\s*,\s*(?:(?:el|la)\s+)?").match(text, person.end_char)
    if gap is None:
        return None
    match = _role_pattern().match(text, gap.end())
    if match is None:
        return None
    org = _org_after(match.end(), orgs, text)
    return match.group().lower(), org.canonical if org is not None else ""


def find_affiliations(text: str, mentions: Iterable[Mention]) -> list[Affiliation]:
    """Each person's stated role and institution in one release, once per combination."""
    ordered = sorted(mentions, key=lambda m: m.start_char)
    orgs = [m for m in ordered if m.label == "ORG"]
    found: dict[tuple[str, str, str], Affiliation] = {}
    for person in (m for m in ordered if m.label == "PER"):
        stated = _role_before(person, orgs, text) or _role_after(person, orgs, text)
        if stated is not None:
            role, org = stated
            found.setdefault((person.canonical, role, org),
                             Affiliation(person.doc_id, person.canonical, role, org))
    return list(found.values())
