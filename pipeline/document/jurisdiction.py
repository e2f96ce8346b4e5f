"""Which municipality a release is about.

A municipal body belongs to a municipality: "el Instituto Municipal de las Mujeres" of a
release from Mazatlán is Mazatlán's institute, not Juárez's. :func:`jurisdiction_of` decides a
release's municipality among all of Mexico's (:mod:`pipeline.document.places`), in this order:
its dateline ("Hermosillo, Son.-"); its text ("el Gobierno Municipal de Hermosillo", "el
Ayuntamiento de la Capital"); the outlet that published it (an outlet from another city often
reports on Juárez, so it never overrides the first two); the default setting, which says only
that nothing in the release did (``source`` "default"). A name several municipalities share
("Guadalupe", "Juárez") is decided by the state written after it, else by the state the text
names most, else by the outlet's or the default's state.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from pipeline.config import SettingsError
from pipeline.document.datelines import datelines
from pipeline.document.places import Municipality, State, load_places, reads_as_person
from pipeline.knowledge import fold, literal_alternation

_CUE_WINDOW = 8  # words before "de <municipality>" searched for a cue word


@dataclass(frozen=True, slots=True)
class Jurisdiction:
    """The municipality a release is about, and what said so."""

    municipality: str
    state: str
    source: str  # "dateline", "text", "outlet" or "default"

    @property
    def label(self) -> str:
        return f"{self.municipality}, {self.state}" if self.state else self.municipality


def check_jurisdiction(value: str) -> Jurisdiction:
    """The default jurisdiction of the settings as a Jurisdiction, or a one-line error."""
    places = load_places()
    municipality = places.municipality(value) or places.by_form.get(fold(value))
    if municipality is None:
        raise SettingsError(f"setting jurisdiction = {value!r} is invalid; value must be a "
                            "municipality of Mexico (resources/places/inegi_municipalities.tsv) "
                            "written as 'Name, State', e.g. 'Juárez, Chihuahua'")
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
        known = places.resolve(found.place, state.name if state else "")
        if known is not None:
            return Jurisdiction(known.name, known.state, "dateline")
        if state is not None and fold(found.place) not in places.state_by_form:
            return Jurisdiction(found.place.strip(), state.name, "dateline")
    return None


@cache
def _form_pattern() -> re.Pattern[str]:
    """Every name, seat and usual form of a municipality, capitalised or in upper case."""
    forms = {form for form in load_places().written if form[:1].isupper()}
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


def _inside_name(text: str, match: re.Match[str]) -> bool:
    """The written municipality is part of a longer name: "Benito Juárez", "Gimnasio
    Juárez", "Laura Méndez"."""
    written = _words_before(text, match.start())
    return bool(written) and written[-1][:1].isupper() and fold(written[-1]) not in _LINK_WORDS


def _cue_weight(text: str, match: re.Match[str], own: bool) -> tuple[int, str]:
    """How strongly one written municipality says the release is about it, and the state
    written after it ("" when none): 3 after "de" with a municipal word before it ("el
    alcalde de Mazatlán"), 2 when a state follows ("en Guadalupe, Nuevo León"), 1 after "en".
    A name that is not a municipality's ``own`` (several share it, it reads as a person's, or
    a state has it: "Chihuahua") needs a municipal word or its state."""
    cues = load_places().cues
    before = [fold(word) for word in _words_before(text, match.start())]
    after = re.match(r"\s*,\s*([A-ZÁÉÍÓÚÑ][\w.]*(?:\s+[A-ZÁÉÍÓÚÑ][\w.]*){0,2})",
                     text[match.end():])
    state = found.name if after and (found := _state_in(after[1])) else ""
    if before and before[-1] in ("de", "del"):
        window = set(before[-_CUE_WINDOW:-1])
        if window & cues["municipal"] or (own and window & cues["government"]):
            return 3, state
    if state:
        return 2, state
    if before and before[-1] == "en" and own:
        return 1, ""
    return 0, ""


def _states_named(text: str) -> Counter[str]:
    """States the text names: "Sonora", "potosinas", "Chih." (as whole words)."""
    found: Counter[str] = Counter()
    folded = f" {fold(text)} "
    for form, state in load_places().state_by_form.items():
        if len(form) > 3:  # abbreviations fold to short words that clash ("col", "son")
            found[state.name] += folded.count(f" {form} ")
    return found


def text_jurisdiction(title: str, text: str, *, fallback_state: str) -> Jurisdiction | None:
    """The municipality the text speaks of most as its own (see :func:`_cue_weight`).

    The title's mentions of a city's usual name count once more, and "el Ayuntamiento de la
    Capital", "el DIF Capitalino" count for the capital of the state the text names most, else
    ``fallback_state``. None when nothing in the text says."""
    places = load_places()
    whole = f"{title}\n{text}"
    weights: Counter[str] = Counter()
    first: dict[str, int] = {}
    named: Counter[str] | None = None  # the states the text names, counted once if needed
    for match in _form_pattern().finditer(whole):
        if _inside_name(whole, match):
            continue
        form = fold(match.group())
        own = places.by_form.get(form)
        own_name = own is not None and not _is_state_name(own, match.group()) \
            and not reads_as_person(match.group())
        weight, state = _cue_weight(whole, match, own_name)
        if match.start() < len(title) and own_name and form in places.usual:
            weight += 1  # a city's usual name in the title (not any surname a town shares)
        if not weight:
            continue
        if not state and own is None:
            named = _states_named(whole) if named is None else named
            state = named.most_common(1)[0][0] if named else fallback_state
        municipality = (places.resolve(form, state) if state else None) or own \
            or places.by_name[form][0]
        weights[municipality.label] += weight
        first.setdefault(municipality.label, match.start())
    capital_cues = sum(1 for m in _capital_pattern().finditer(whole)
                       if not m.group().lower().startswith("la ")
                       or set(map(fold, _words_before(whole, m.start())[-_CUE_WINDOW:]))
                       & (places.cues["municipal"] | places.cues["government"]))
    if capital_cues:
        named = _states_named(whole) if named is None else named
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


@cache
def _press_rooms() -> dict[str, Municipality]:
    """A municipal press room's host name ("hermosillo" of hermosillo.gob.mx) → the most
    populous municipality of that name; a state's name is the state government's host, not
    its capital's."""
    places = load_places()
    rooms: dict[str, Municipality] = {}
    for municipality in sorted(places.municipalities, key=lambda m: -m.population):
        if municipality.name not in places.states:
            rooms.setdefault(fold(municipality.name).replace(" ", ""), municipality)
    return rooms


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
        found = _press_rooms().get(slug)
        label = found.label if found else None
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
