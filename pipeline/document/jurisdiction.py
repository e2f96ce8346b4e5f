"""Which municipality a release is about, and the places named inside institutions' names.

A municipal body belongs to a municipality: "el Instituto Municipal de las Mujeres" of a
release from Mazatlán is Mazatlán's institute, not Juárez's. :func:`jurisdiction_of` decides a
release's municipality, in this order: its dateline ("Hermosillo, Son.-"); its text ("el
Gobierno Municipal de Hermosillo", "el Ayuntamiento de la Capital"); the outlet that published
it (an outlet from another city often reports on Juárez, so it never overrides the first two);
the default setting. :func:`place_in_name` finds the place a body's name ends with ("… de
Ciudad Juárez", "… del Estado de Sonora"), for the corpus identities.

A jurisdiction travels as a label: ``"Juárez, Chihuahua"`` (municipality, state). The tables
of municipalities, states, outlets and cue words are in ``resources/places/``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from pipeline.config import RESOURCES_DIR, SettingsError
from pipeline.document.datelines import datelines
from pipeline.knowledge import KnowledgeError, data_lines, fold, literal_alternation

PLACES_DIR = RESOURCES_DIR / "places"
_CUE_WINDOW = 8  # words before "de <municipality>" searched for a cue word


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality, its state and the forms releases write it in."""

    name: str
    state: str
    forms: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True, slots=True)
class State:
    name: str
    abbreviations: tuple[str, ...]
    adjectives: tuple[str, ...]  # every gender and number: "potosino", "potosinas"
    capital: str  # the capital municipality's name


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The municipality a release is about, and what said so."""

    municipality: str
    state: str
    source: str  # "dateline", "text", "outlet" or "default"

    @property
    def label(self) -> str:
        return f"{self.municipality}, {self.state}" if self.state else self.municipality


@dataclass(frozen=True, slots=True)
class Places:
    municipalities: tuple[Municipality, ...]
    states: dict[str, State]  # by name
    by_form: dict[str, Municipality]  # folded written form → municipality (first listed wins)
    state_by_form: dict[str, State]  # folded name, abbreviation or adjective → state
    outlets: dict[str, str]  # "host" or "host/folder" → municipality label
    cues: dict[str, frozenset[str]]  # kind → folded cue words

    def municipality(self, label: str) -> Municipality | None:
        return next((m for m in self.municipalities if m.label == label), None)

    def capital_of(self, state: str) -> Municipality | None:
        found = self.states.get(state)
        return next((m for m in self.municipalities
                     if found and m.state == state and m.name == found.capital), None)


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


def _rows(name: str, columns: int) -> Iterator[tuple[str, list[str]]]:
    path = PLACES_DIR / name
    for number, line in data_lines(path):
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != columns or not all(cells[:2]):
            raise KnowledgeError(f"{path}:{number}: expected {columns} tab-separated columns "
                                 f"(see the file's header), got {line!r}")
        yield f"{path}:{number}", cells


def _inflect(adjective: str) -> tuple[str, ...]:
    """"potosino" → potosino, potosina, potosinos, potosinas; "sonorense" → +s;
    "nuevoleonés" → nuevoleonesa, nuevoleoneses, nuevoleonesas."""
    word = fold(adjective)
    if word.endswith("o"):
        return (word, word[:-1] + "a", word + "s", word[:-1] + "as")
    if word.endswith("es"):
        return (word, word + "a", word + "es", word + "as")
    return (word, word + "s")


@cache
def load_places() -> Places:
    """The tables of ``resources/places/``; a state or municipality they name must exist."""
    states: dict[str, State] = {}
    state_by_form: dict[str, State] = {}
    for _, (name, abbreviations, adjective, capital) in _rows("states.tsv", 4):
        state = State(name, _split(abbreviations), _inflect(adjective), capital)
        states[name] = state
        for form in (name, *state.abbreviations, *state.adjectives):
            state_by_form.setdefault(fold(form), state)
    municipalities: list[Municipality] = []
    by_form: dict[str, Municipality] = {}
    for where, (name, state_name, forms) in _rows("municipalities.tsv", 3):
        if state_name not in states:
            raise KnowledgeError(f"{where}: state {state_name!r} is not in states.tsv")
        municipality = Municipality(name, state_name, _split(forms))
        municipalities.append(municipality)
        for form in municipality.forms:
            by_form.setdefault(fold(form), municipality)
    labels = {m.label for m in municipalities}
    outlets = {}
    for where, (outlet, name, state_name) in _rows("outlets.tsv", 3):
        if f"{name}, {state_name}" not in labels:
            raise KnowledgeError(f"{where}: {name}, {state_name} is not in municipalities.tsv")
        outlets[outlet.lower()] = f"{name}, {state_name}"
    cues: dict[str, set[str]] = {"municipal": set(), "government": set(), "capital": set()}
    for where, (kind, word) in _rows("cues.tsv", 2):
        if kind not in cues:
            raise KnowledgeError(f"{where}: kind {kind!r} is invalid; value must be one of "
                                 f"{', '.join(cues)}")
        cues[kind].add(fold(word))
    for state in states.values():
        if not any(m.name == state.capital and m.state == state.name for m in municipalities):
            raise KnowledgeError(f"{PLACES_DIR / 'states.tsv'}: the capital of {state.name}, "
                                 f"{state.capital!r}, is not in municipalities.tsv")
    return Places(tuple(municipalities), states, by_form, state_by_form, outlets,
                  {kind: frozenset(words) for kind, words in cues.items()})


def parse_label(label: str) -> tuple[str, str]:
    """``(municipality, state)`` of a label; a state alone gives ``("", state)``.

    >>> parse_label("Juárez, Chihuahua")
    ('Juárez', 'Chihuahua')
    """
    municipality, _, state = label.rpartition(", ")
    if not municipality and label in load_places().states:
        return "", label
    return (municipality, state) if municipality else (label, "")


def check_jurisdiction(value: str) -> Jurisdiction:
    """The default jurisdiction of the settings as a Jurisdiction, or a one-line error."""
    places = load_places()
    municipality = places.municipality(value) or places.by_form.get(fold(value))
    if municipality is None:
        raise SettingsError(f"setting jurisdiction = {value!r} is invalid; value must be a "
                            "municipality of resources/places/municipalities.tsv written as "
                            "'Name, State', e.g. 'Juárez, Chihuahua'")
    return Jurisdiction(municipality.name, municipality.state, "default")


def _state_in(cell: str | None) -> State | None:
    return load_places().state_by_form.get(fold(cell)) if cell else None


def dateline_jurisdiction(text: str) -> Jurisdiction | None:
    """The place of a dateline opening one of the first lines (the grammar of
    :mod:`pipeline.document.datelines`): "Culiacán, Sin., a 28 de octubre de 2022.-". A place
    not in the tables counts when a state follows it; after an outlet's name, the city is the
    part that follows ("SemMéxico, Chihuahua, 5 septiembre 2019.-")."""
    places = load_places()
    for found in datelines(text):
        if found.place_is_outlet:
            city = places.by_form.get(fold(found.state or ""))
            if city is not None:
                return Jurisdiction(city.name, city.state, "dateline")
            continue
        state = _state_in(found.state)
        if found.state and state is None:
            continue  # "Ciudad Juárez, Chihuahua, Estado" or a list of names, not a dateline
        known = places.by_form.get(fold(found.place))
        if known is not None and (state is None or known.state == state.name):
            return Jurisdiction(known.name, known.state, "dateline")
        if state is not None and fold(found.place) not in places.state_by_form:
            return Jurisdiction(found.place.strip(), state.name, "dateline")
    return None


@cache
def _form_pattern() -> re.Pattern[str]:
    forms = {form for m in load_places().municipalities for form in m.forms}
    alternatives = literal_alternation(forms | {f.upper() for f in forms})
    return re.compile(rf"(?<![\w.]){alternatives}(?![\w])")


@cache
def _capital_pattern() -> re.Pattern[str]:
    words = literal_alternation(load_places().cues["capital"], ignore_case=True)
    return re.compile(rf"\b(?:la\s+)?{words}\b", re.IGNORECASE)


_SENTENCE_START = re.compile(r"[.!?\n]")
_WORD = re.compile(r"[\wÁÉÍÓÚÑáéíóúñü.]+")
_LINK_WORDS = frozenset({"en", "de", "del", "desde", "a", "para", "por", "y", "la", "el"})


def _words_before(text: str, position: int) -> list[str]:
    start = max(0, position - 120)
    boundary = max((m.end() for m in _SENTENCE_START.finditer(text, start, position)),
                   default=start)
    return _WORD.findall(text[boundary:position])


def _is_state_name(municipality: Municipality, form: str) -> bool:
    return fold(form) in load_places().state_by_form or municipality.name in \
        load_places().states


def _cue_weight(text: str, match: re.Match[str], municipality: Municipality) -> int:
    """How strongly one written municipality says the release is about it: 3 after "de"
    with a municipal word before it ("el alcalde de Mazatlán"), 2 when its state follows
    ("en Ciudad Juárez, Chihuahua"), 1 after "en"; a name shared with a state
    ("Chihuahua") counts only in the first two cases."""
    cues = load_places().cues
    written = _words_before(text, match.start())
    before = [fold(word) for word in written]
    if written and written[-1][:1].isupper() and before[-1] not in _LINK_WORDS:
        return 0  # part of a longer name: "Benito Juárez", "Gimnasio Juárez"
    ambiguous = _is_state_name(municipality, match.group())
    if before and before[-1] in ("de", "del"):
        window = set(before[-_CUE_WINDOW:-1])
        if window & cues["municipal"] or (not ambiguous and window & cues["government"]):
            return 3
    state = re.match(r"\s*,\s*([A-ZÁÉÍÓÚÑ][\w.]*(?:\s+[A-ZÁÉÍÓÚÑ][\w.]*){0,2})",
                     text[match.end():])
    if state and (found := _state_in(state[1])) and found.name == municipality.state:
        return 2
    if before and before[-1] == "en" and not ambiguous:
        return 1
    return 0


def _states_named(text: str) -> Counter[str]:
    """States the text names: "Sonora", "potosinas", "Chih." (as whole words)."""
    found: Counter[str] = Counter()
    folded = f" {fold(text)} "
    for form, state in load_places().state_by_form.items():
        if len(form) > 3:  # abbreviations fold to short words that clash ("col", "son")
            found[state.name] += folded.count(f" {form} ")
    return found


def text_jurisdiction(title: str, text: str, *, fallback_state: str) -> Jurisdiction | None:
    """The municipality the text speaks of most as its own (see :func:`_cue_weight`; the
    title's mentions count once more, and "el Ayuntamiento de la Capital", "el DIF
    Capitalino" count for the capital of the state the text names most, else
    ``fallback_state``); None when nothing in the text says."""
    places = load_places()
    whole = f"{title}\n{text}"
    weights: Counter[str] = Counter()
    first: dict[str, int] = {}
    for match in _form_pattern().finditer(whole):
        municipality = places.by_form[fold(match.group())]
        weight = _cue_weight(whole, match, municipality)
        if match.start() < len(title) and not _is_state_name(municipality, match.group()):
            weight += 1
        if weight:
            weights[municipality.label] += weight
            first.setdefault(municipality.label, match.start())
    capital_cues = sum(1 for m in _capital_pattern().finditer(whole)
                       if not m.group().lower().startswith("la ")
                       or set(map(fold, _words_before(whole, m.start())[-_CUE_WINDOW:]))
                       & (places.cues["municipal"] | places.cues["government"]))
    if capital_cues:
        named = _states_named(whole)
        state = named.most_common(1)[0][0] if named else fallback_state
        if capital := places.capital_of(state):
            weights[capital.label] += 3 * capital_cues
            first.setdefault(capital.label, len(whole))
    if not weights:
        return None
    label = min(weights, key=lambda lab: (-weights[lab], first[lab]))
    municipality = places.municipality(label)
    assert municipality is not None
    return Jurisdiction(municipality.name, municipality.state, "text")


def outlet_jurisdiction(url: str | None) -> Jurisdiction | None:
    """The municipality of the outlet behind ``url`` (``outlets.tsv``, or a municipal press
    room ``<municipality>.gob.mx``)."""
    if not url:
        return None
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").removeprefix("www.")
    folder = parts.path.strip("/").split("/")[0].lower()
    places = load_places()
    label = places.outlets.get(f"{host}/{folder}") or places.outlets.get(host)
    if label is None and host.endswith(".gob.mx"):
        slug = host.removesuffix(".gob.mx").split(".")[-1]
        label = next((m.label for m in places.municipalities
                      if fold(m.name).replace(" ", "") == slug
                      and m.name not in places.states), None)
    municipality = places.municipality(label) if label else None
    return Jurisdiction(municipality.name, municipality.state, "outlet") if municipality \
        else None


def jurisdiction_of(title: str, text: str, url: str | None, *,
                    default: Jurisdiction) -> Jurisdiction:
    """The municipality a release is about: dateline, then text, then outlet, then
    ``default``.

    >>> jurisdiction_of("", "Hermosillo, Son.- El Ayuntamiento…", None,
    ...                 default=check_jurisdiction("Juárez, Chihuahua")).label
    'Hermosillo, Sonora'
    """
    outlet = outlet_jurisdiction(url)
    return (dateline_jurisdiction(f"{title}\n{text}")
            or text_jurisdiction(title, text,
                                 fallback_state=(outlet or default).state)
            or outlet or default)


@dataclass(frozen=True, slots=True)
class NamedPlace:
    """The place a body's name ends with: "… de Ciudad Juárez", "… del Estado de Sonora",
    "DIF Juárez". A name shared by a municipality and its state ("Chihuahua") gives both."""

    start: int  # index of the place phrase's first word ("de", "en" included)
    municipality: str  # label, or "" when no municipality has this name
    state: str  # the state named, or "" when the words name no state


@cache
def _place_forms() -> dict[tuple[str, ...], tuple[str, str]]:
    places = load_places()
    forms: dict[tuple[str, ...], tuple[str, str]] = {}
    for form, municipality in places.by_form.items():
        forms[tuple(form.split())] = (municipality.label, "")
    for name in places.states:
        municipality, _ = forms.get(tuple(fold(name).split()), ("", ""))
        forms[tuple(fold(name).split())] = (municipality, name)
    return forms


def place_in_name(words: list[str], acronym_before: list[bool]) -> NamedPlace | None:
    """The place closing a body's :func:`fold`-ed ``words``, after "de", "del" or "en", or
    right after an acronym (``acronym_before[i]``: word ``i`` is one): "dif juarez"."""
    forms = _place_forms()
    for size in range(min(5, len(words) - 1), 0, -1):
        found = forms.get(tuple(words[-size:]))
        if found is None:
            continue
        before = len(words) - size - 1
        if words[before] in ("de", "del", "en") and before > 0:
            return NamedPlace(before, *found)
        if acronym_before[before]:
            return NamedPlace(before + 1, *found)
    return None


def capital_of(label: str) -> str:
    """The label of the capital of ``label``'s state ("" when unknown)."""
    capital = load_places().capital_of(parse_label(label)[1])
    return capital.label if capital else ""


def state_adjective_in(words: list[str]) -> str:
    """The state an adjective among ``words`` names ("instituto chihuahuense …"), else ""."""
    places = load_places()
    return next((state.name for word in words for state in (places.state_by_form.get(word),)
                 if state is not None and word in state.adjectives), "")
