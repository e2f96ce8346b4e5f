"""Word sets the entity rules share, read from the resource files: name connectors, head
words, role forms and context words. Only plain data leaves this module; the components
that use it are :mod:`pipeline.document.org_ruler` and :mod:`pipeline.document.entity_fixes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import (
    fold,
    kind_lines,
    kind_words,
    load_name_connectors,
    load_org_heads,
    load_roles,
    org_terms,
)

CONTEXT_FILE = RESOURCES_DIR / "context_words.tsv"
STANDARD_FILE = RESOURCES_DIR / "standard_bodies.tsv"
BODY_CLASSES_FILE = RESOURCES_DIR / "body_classes.tsv"
CLASS_OF = "rule:class-of"  # the origin of a body a class noun introduces ("la empresa X")
APPOSED = "rule:apposed"  # the origin of a body in a person's apposition ("Ana, de la X")
COORDINATED = "ruler:coord"  # a member of "las direcciones de A, B y C": + ":plural head"
ELIDED = "rule:elided"  # a body whose head was said once before ("… y la de Obras"): + ":head"
ROLE_PERSON = "rule:role-person"  # the origin of a person a role introduces


@dataclass(frozen=True, slots=True)
class ContextWords:
    """Words around or opening a span that say it is not a person or an institution."""

    place: frozenset[str]  # "colonia Vicente Guerrero": a place named after a person
    not_org: frozenset[str]  # "Día Internacional de…", "Campaña…": events and programmes
    kin: frozenset[str]  # "madre de Idaly Juache": a person follows, whatever the name
    territory: frozenset[str]  # "del Municipio de Juárez" qualifies a name, opens no body
    place_role: frozenset[str]  # "presidente municipal de Hermosillo": a place follows
    venue: frozenset[str]  # "en el Centro…", "el edificio del Centro…": a venue follows
    hosts: frozenset[str]  # "en los albergues A, B y C": places people stay in, listed
    time: frozenset[str]  # "11:00 a.m. (Centro Cívico)": an agenda's venue in brackets
    org_class: frozenset[str]  # "dependencias como …": a list of bodies follows
    list_opener: frozenset[str]  # "como", "entre ellas": where such a list begins
    role_complement: frozenset[str]  # "la síndica municipal, Ana": between role and holder
    topic: frozenset[str]  # "en materia de Desarrollo Social": a subject, not the body
    exercise: frozenset[str]  # "Cabildo Juvenil": a civic exercise, not the council
    programme: frozenset[str]  # "el programa Mujeres Seguras": a programme's name follows
    council: frozenset[str]  # "el Ayuntamiento aprobó": the council, not the government
    district: frozenset[str]  # "… en la Zona Norte": a body's district, part of its name


@cache
def load_context_words() -> ContextWords:
    """``kind<TAB>word`` lines of ``context_words.tsv``, folded."""
    return ContextWords(**kind_words(CONTEXT_FILE, ContextWords.__slots__))


@cache
def body_classes() -> dict[str, str]:
    """Folded class nouns of ``body_classes.tsv`` ("empresa"), each with the sector of the
    bodies it introduces ("" when it says none)."""
    found = kind_lines(BODY_CLASSES_FILE, ("civil_society", "private", "other"))
    return {fold(noun): "" if sector == "other" else sector
            for sector, nouns in found.items() for noun in nouns}


@cache
def connector_words() -> frozenset[str]:
    """Single lower-case words allowed inside an institution's name ("de", "para", "y"…)."""
    return frozenset(word for phrase in load_name_connectors() for word in phrase.split())


@cache
def single_heads() -> frozenset[str]:
    """One-word head words as written ("Instituto"): they open a name or make a short form."""
    return frozenset(head for head in load_org_heads() if " " not in head)


@cache
def folded_heads() -> frozenset[str]:
    """Folded one-word head words ("comision", "instituto")."""
    return frozenset(fold(head) for head in single_heads())


@cache
def role_forms() -> tuple[str, ...]:
    """Role words from ``roles.tsv``, sorted (the role pattern is a trie, so no order makes
    "directora general" win over "directora": the longer always does)."""
    return tuple(sorted(role.form for role in load_roles()))


@cache
def folded_role_forms() -> frozenset[str]:
    """Every role form, folded ("jefa de gobierno", "directora")."""
    return frozenset(fold(form) for form in role_forms())


@cache
def role_words() -> frozenset[str]:
    """Folded one-word role forms ("directora", "secretaria"): a word that names a role."""
    return frozenset(form for form in folded_role_forms() if " " not in form)


@cache
def _standard_bodies() -> dict[str, tuple[str, ...]]:
    """``standard_bodies.tsv`` by kind ("alone", "member"), names as written."""
    return kind_lines(STANDARD_FILE, ("alone", "member"))


def standalone_bodies() -> tuple[str, ...]:
    """Standard bodies' names that name the body on their own ("Protección Civil")."""
    return _standard_bodies()["alone"]


@cache
def standard_body_names() -> frozenset[str]:
    """Every standard body's name, folded: a list keeps each whole ("parques y jardines")."""
    return frozenset(fold(name) for names in _standard_bodies().values() for name in names)


@cache
def _written_heads() -> dict[str, str]:
    """Folded one-word heads → as written with a capital ("comision" → "Comisión")."""
    return {fold(head): head[:1].upper() + head[1:] for head in sorted(single_heads())}


def with_elided_head(name: str, origin: str) -> str:
    """A body's name with the head its text left unsaid (origin ``rule:elided:<head>``, or
    ``ruler:coord:<plural head>`` for a member of "las direcciones de Cultura y Deportes"):
    "Nomenclatura y Monumentos" → "Comisión de Nomenclatura y Monumentos", "Especial de
    Asuntos Fronterizos" → "Comisión Especial de Asuntos Fronterizos", "Deportes" →
    "Dirección de Deportes"; other names as they are."""
    word = origin.rpartition(":")[2]
    if origin.startswith(COORDINATED + ":"):  # "direcciones" → "direccion"
        word = fold(word[:-2] if word.endswith(("ones", "des")) else word.removesuffix("s"))
    elif not origin.startswith(ELIDED + ":"):
        return name
    head = _written_heads().get(word)
    if head is None:
        return name
    first = fold(name.split()[0]) if name else ""
    return f"{head} {name}" if first in folded_modifiers() else f"{head} de {name}"


@cache
def folded_modifiers() -> frozenset[str]:
    """Folded words that qualify a head ("especial", "permanente", "tecnica")."""
    return frozenset(fold(word) for word in org_terms("modifier"))
