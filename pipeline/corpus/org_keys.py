"""The identity key of an institution's name: where the body is, and the words that tell it
from other bodies there.

Two cities' institutes share a name but not a key: a municipal body takes the municipality
of its release, or the one its name ends with ("… de Ciudad Juárez"); a state body its state.
Inside one place, the key drops what does not tell bodies apart: the place itself,
articles and prepositions, the plural ("de la Mujer" = "de las Mujeres"), fillers
("Comisión Edilicia de …", "H. Ayuntamiento"), and it maps the names every municipality uses
for its own government, council and DIF to one body (``resources/places/generic_bodies.tsv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.document.places import (
    PLACES_DIR,
    capital_of,
    load_places,
    parse_label,
    place_in_name,
    state_adjective_in,
)
from pipeline.document.rules import standard_body_names
from pipeline.knowledge import KnowledgeError, data_lines, fold, load_legal_suffixes

GENERIC_FILE = PLACES_DIR / "generic_bodies.tsv"
# Words that tie a name together but tell no body from another.
FUNCTION_WORDS = frozenset({"de", "del", "la", "las", "el", "los", "lo", "para", "a", "al", "en",
                            "con", "por", "e"})
# A name with one of these before "de Chihuahua" is the municipality's, else the state's.
_MUNICIPAL_WORDS = frozenset({"municipal", "municipales", "municipio", "ayuntamiento",
                              "cabildo", "edilicia", "regiduria", "sindicatura"})
_ROMAN = re.compile(r"[ivxlc]+")  # "XV Ayuntamiento", "LXVII Legislatura"
_ORDINAL_BEFORE = frozenset({"ayuntamiento", "legislatura"})
_CAPITAL_WORDS = frozenset({"capitalino", "capitalina", "capitalinos", "capitalinas"})
_UNKNOWN_PLACE = "?"  # opens the place of a release that nothing places: "?<doc_id>"


def identity_place(jurisdiction: str, source: str, doc_id: str) -> str:
    """The place a release's bodies are keyed in: its jurisdiction, or, when nothing in the
    release said where it happens (``source`` "default"), the release itself, so that its
    "Instituto Municipal de las Mujeres" is no other release's.

    >>> identity_place("Juárez, Chihuahua", "default", "5f2c")
    '?5f2c'
    """
    return f"{_UNKNOWN_PLACE}{doc_id}" if source == "default" else jurisdiction


def is_known_place(scope: str) -> bool:
    """A scope that names a place (not one release of unknown place)."""
    return not scope.startswith(_UNKNOWN_PLACE)


@dataclass(frozen=True, slots=True)
class OrgKey:
    """``scope``: the municipality label or state of a body that belongs to one ("" for the
    others); ``words``: the words that tell it apart there; ``initials``: the first letters
    of its content words as written ("daba" for "Dirección de Atención y Bienestar Animal")."""

    scope: str
    words: tuple[str, ...]
    initials: str

    @property
    def key(self) -> str:
        """Scope and words, in any order ("Sistema Municipal DIF" = "Sistema DIF
        Municipal")."""
        text = " ".join(sorted(self.words))
        return f"{self.scope}|{text}" if self.scope else text


def singular(word: str) -> str:
    """A light Spanish singular for comparing names, the same for both numbers: "mujeres"
    and "mujer" → "mujer", "hombres" and "hombre" → "hombr", "niñas" → "nina"."""
    if len(word) > 3 and word[-1] == "s" and word[-2] in "aeiou":
        word = word[:-1]
    if len(word) >= 4 and word[-1] == "e" and word[-2] in "rnldzj":
        word = word[:-1]
    return word


def _normal(words: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(singular(w) for w in words if w not in FUNCTION_WORDS)


@cache
def _generic() -> tuple[dict[tuple[str, tuple[str, ...]], tuple[str, ...]], frozenset[str]]:
    """``(level, normal words) → normal words of the body meant``, and the filler words."""
    names: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
    fillers: set[str] = set()
    for number, line in data_lines(GENERIC_FILE):
        cells = [cell.strip() for cell in line.split("\t")]
        if cells[0] == "filler" and len(cells) == 2:
            fillers.add(fold(cells[1]))
        elif cells[0] in ("municipality", "state") and len(cells) == 3 and all(cells):
            names[(cells[0], _normal(fold(cells[1]).split()))] = _normal(fold(cells[2]).split())
        else:
            raise KnowledgeError(f"{GENERIC_FILE}:{number}: expected 'municipality|state<TAB>"
                                 f"name<TAB>body' or 'filler<TAB>word', got {line!r}")
    return names, frozenset(fillers)


def generic_names() -> frozenset[tuple[str, ...]]:
    """The normal words of every generic name ("ayuntamiento", "dif municipal")."""
    return frozenset(words for _, words in _generic()[0])


@cache
def _legal_suffixes() -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(fold(s).split()) for s in load_legal_suffixes()},
                        key=len, reverse=True))


def _without_legal_suffix(words: list[str]) -> list[str]:
    """"transforma a c" and "transforma ac" → "transforma"."""
    for suffix in _legal_suffixes():
        if len(words) > len(suffix) and words[-len(suffix):] == list(suffix):
            return words[:-len(suffix)]
        if len(words) > 1 and words[-1] == "".join(suffix):
            return words[:-1]
    return words


def _is_acronym(word: str) -> bool:
    return sum(c.isupper() for c in word) >= 2


def _scope(words: list[str], acronyms: list[bool], jurisdiction: str,
           sector: str) -> tuple[str, list[str]]:
    """The body's scope and its words without the place that gave it."""
    named = place_in_name(words, acronyms, state=parse_label(jurisdiction)[1] if jurisdiction
                          else "")
    if named is not None:
        before = words[:named.start]
        municipal = bool(set(before) & _MUNICIPAL_WORDS) or sector == "municipal"
        if named.municipality and (municipal or not named.state):
            scope = named.municipality
        else:
            scope = named.state
        while before and before[-1] in FUNCTION_WORDS | {"ciudad"}:
            before = before[:-1]  # "… de la ciudad de Hermosillo"
        return scope, before
    if jurisdiction and (words[-2:] == ["la", "capital"] or set(words) & _CAPITAL_WORDS):
        kept = [w if w not in _CAPITAL_WORDS else "municipal" for w in words]
        if kept[-2:] == ["la", "capital"]:
            kept = kept[:-2]
        return capital_of(jurisdiction), kept
    if state := state_adjective_in(words):
        return state, words
    if not is_known_place(jurisdiction):  # a municipal or state body of an unplaced release
        return (jurisdiction if sector in ("municipal", "state") else ""), words
    municipality, state = parse_label(jurisdiction) if jurisdiction else ("", "")
    if sector == "municipal" and municipality:
        return jurisdiction, words
    if sector == "state" and state:
        return state, words
    return "", words


def place_sector(name: str) -> str:
    """"state" for a name that ends with a state or holds a state's adjective ("Gobierno de
    Sonora", "DIF Chihuahua", "Instituto Sonorense de las Mujeres"), "municipal" for one that
    ends with a municipality ("Instituto de la Mujer de Tepic") or is a standard municipal
    body's ("Regulación Comercial"), unless its words say it is municipal already; "" else."""
    words = _without_legal_suffix(fold(name).split())
    if set(words) & _MUNICIPAL_WORDS:
        return ""
    written = name.split()
    acronyms = [_is_acronym(w) for w in written] if len(written) == len(words) \
        else [False] * len(words)
    named = place_in_name(words, acronyms)
    if named is not None:
        return "state" if named.state else "municipal"
    if state_adjective_in(words):
        return "state"
    return "municipal" if " ".join(words) in standard_body_names() else ""


@lru_cache(maxsize=1 << 16)  # bounded: a large corpus has more names than it needs at once
def org_key(name: str, jurisdiction: str = "", sector: str = "other") -> OrgKey:
    """The identity key of an institution named ``name`` in a release about
    ``jurisdiction`` (a label, "" = unknown), given its ``sector``.

    >>> org_key("Ayuntamiento de Mazatlán", "Mazatlán, Sinaloa", "municipal").key
    'Mazatlán, Sinaloa|gobierno municipal'
    """
    written = name.split()
    words = _without_legal_suffix(fold(name).split())
    acronyms = [_is_acronym(w) for w in written] if len(written) == len(fold(name).split()) \
        else [False] * len(words)
    while len(words) > 1 and words[0] in FUNCTION_WORDS:
        words, acronyms = words[1:], acronyms[1:]
    scope, words = _scope(words, acronyms, jurisdiction, sector)
    generic, fillers = _generic()
    words = [w for i, w in enumerate(words) if w not in fillers and not (
        _ROMAN.fullmatch(w) and i + 1 < len(words) and words[i + 1] in _ORDINAL_BEFORE)]
    initials = "".join(w[0] for w in words if w not in FUNCTION_WORDS and w != "y")
    normal = _normal(words)
    if scope:
        level = "state" if scope in load_places().states else "municipality"
        if level == "municipality":  # "… del Municipio (de Juárez)" = "… Municipal"
            normal = tuple("municipal" if w == "municipio" else w for w in normal)
        elif len(normal) > 1 and normal[-1] == "estado":  # "Fiscalía General (del Estado)"
            normal = normal[:-1]
        normal = generic.get((level, normal), normal)
    return OrgKey(scope, normal or tuple(words), initials)
