"""Institution patterns for spaCy's ``entity_ruler``, generated from the resource files.

Every pattern carries an ``id`` (``gaz:<body id>``, ``head:<word>``, ``legal:<suffix>``,
``short:<word>``) so that a mention can say which rule produced it. Only plain data leaves
this module: token patterns and word sets; the components that use them live in
:mod:`pipeline.document.nlp`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import (
    KnowledgeError,
    data_lines,
    fold,
    load_gazetteer,
    load_legal_suffixes,
    load_name_connectors,
    load_org_heads,
    load_roles,
)

Tokenize = Callable[[str], list[str]]
Pattern = dict[str, object]

CONTEXT_FILE = RESOURCES_DIR / "context_words.tsv"
# A capitalised word: a name word, an acronym or an initial ("Ciudad", "SSPM", "E.").
CAPITALISED = r"^[A-ZÁÉÍÓÚÑÜ]"
# Acronyms written in title case ("Inegi", "Ipacult") are common in the local press.
_MIN_TITLE_ACRONYM = 4


@dataclass(frozen=True, slots=True)
class ContextWords:
    """Words around or opening a span that say it is not a person or an institution."""

    place: frozenset[str]  # "colonia Vicente Guerrero": a place named after a person
    not_org: frozenset[str]  # "Día Internacional de…", "Campaña…": events and programmes
    kin: frozenset[str]  # "madre de Idaly Juache": a person follows, whatever the name


@cache
def load_context_words() -> ContextWords:
    """``kind<TAB>word`` lines of ``context_words.tsv``, folded."""
    kinds: dict[str, set[str]] = {"place": set(), "not_org": set(), "kin": set()}
    for number, line in data_lines(CONTEXT_FILE):
        kind, _, word = line.partition("\t")
        if kind not in kinds or not word.strip():
            raise KnowledgeError(f"{CONTEXT_FILE}:{number}: expected "
                                 f"'{'|'.join(kinds)}<TAB>word', got {line!r}")
        kinds[kind].add(fold(word))
    return ContextWords(**{kind: frozenset(words) for kind, words in kinds.items()})


@cache
def connector_words() -> frozenset[str]:
    """Single lower-case words allowed inside an institution's name ("de", "para", "y"…)."""
    return frozenset(word for phrase in load_name_connectors() for word in phrase.split())


@cache
def single_heads() -> frozenset[str]:
    """One-word head words as written ("Instituto"): they open a name or make a short form."""
    return frozenset(head for head in load_org_heads() if " " not in head)


@cache
def role_forms() -> tuple[str, ...]:
    """Role words from ``roles.tsv``, longest first so that "directora general" wins."""
    return tuple(sorted((role.form for role in load_roles()), key=lambda f: (-len(f), f)))


def _name_tail() -> list[Pattern]:
    """Capitalised words and connectors, ending on a capitalised word."""
    connectors = "|".join(sorted(connector_words()))
    return [{"TEXT": {"REGEX": f"{CAPITALISED}|^(?:{connectors})$"}, "OP": "*"},
            {"TEXT": {"REGEX": CAPITALISED}}]


def gazetteer_patterns(tokenize: Tokenize) -> list[Pattern]:
    """Every name, alias and acronym of the gazetteer: names in any case, acronyms as
    written or in title case."""
    patterns: list[Pattern] = []
    for body in load_gazetteer():
        pattern_id = f"gaz:{body.id}"
        for form in (body.name, *body.aliases):
            tokens = [{"LOWER": token.lower()} for token in tokenize(form)]
            patterns.append({"label": "ORG", "pattern": tokens, "id": pattern_id})
        for acronym in body.acronyms:
            spellings = {acronym}
            if len(acronym) >= _MIN_TITLE_ACRONYM and " " not in acronym:
                spellings.add(acronym.title())
            for spelling in sorted(spellings):
                tokens = [{"ORTH": token} for token in tokenize(spelling)]
                patterns.append({"label": "ORG", "pattern": tokens, "id": pattern_id})
    return patterns


def head_patterns(tokenize: Tokenize) -> list[Pattern]:
    """An institutional head word followed by a capitalised name ("Secretaría de Seguridad
    Pública Municipal"); lower-case heads only before "de" + a capitalised name ("dirección
    de Prevención Social"). A bare capitalised head ("el Instituto") is a short form."""
    patterns: list[Pattern] = []
    for head in load_org_heads():
        words = tokenize(head)
        exact = [{"ORTH": word} for word in words]
        lower = [{"LOWER": word.lower()} for word in words]
        key = fold(head).replace(" ", "-")
        patterns.append({"label": "ORG", "pattern": exact + _name_tail(), "id": f"head:{key}"})
        patterns.append({"label": "ORG", "pattern": lower + [{"LOWER": {"IN": ["de", "del"]}},
                                                             *_name_tail()],
                         "id": f"head:{key}"})
        if len(words) == 1:
            patterns.append({"label": "ORG", "pattern": exact, "id": f"short:{key}"})
    return patterns


# Inside a name closed by a legal form: only "de"-like links, so that "con Transforma A. C."
# and "Red Mesa de Mujeres y Transforma A. C." stop at the association's own name.
_LEGAL_LINKS = ("de", "del", "la", "las", "los", "para", "el")


def legal_patterns(tokenize: Tokenize) -> list[Pattern]:
    """Capitalised words closed by a legal form ("Transforma A. C."), its final period kept."""
    links = "|".join(_LEGAL_LINKS)
    inner = {"TEXT": {"REGEX": f"{CAPITALISED}|^(?:{links})$"}, "OP": "*"}
    patterns: list[Pattern] = []
    for suffix in load_legal_suffixes():
        tail = [{"ORTH": token} for token in tokenize(suffix)]
        patterns.append({"label": "ORG", "pattern": [{"TEXT": {"REGEX": CAPITALISED}},
                                                     inner, *tail],
                         "id": f"legal:{fold(suffix).replace(' ', '')}"})
    return patterns


def org_patterns(tokenize: Tokenize) -> list[Pattern]:
    """All institution patterns, in the order the ruler receives them."""
    return gazetteer_patterns(tokenize) + head_patterns(tokenize) + legal_patterns(tokenize)
