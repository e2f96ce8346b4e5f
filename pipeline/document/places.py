"""Mexico's states and municipalities, and the forms releases write them in.

Every municipality comes from INEGI's catalogue (``resources/places/inegi_municipalities.tsv``,
2,478 with Mexico City's alcaldías); ``municipalities.tsv`` gives the usual forms of some of
them ("Ciudad Juárez", "Cancún" for Benito Juárez, "Villahermosa" for Centro). A name written
on its own names a municipality only when no other municipality has it and it does not read
as a person's name: "Hermosillo" does, "Guadalupe" (eleven municipalities) and "Emiliano
Zapata" do not, though both are reached with their state ("Guadalupe, N.L."; see
:meth:`Places.resolve`).

A place travels as a label: ``"Juárez, Chihuahua"`` (municipality, state), or a state alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import KnowledgeError, data_lines, fold, load_given_names

PLACES_DIR = RESOURCES_DIR / "places"
_MIN_FORM = 3  # letters of a form: shorter ones ("Ba") are never written as a city's name
_LIST_GLUE = re.compile(r"\s*,\s*|\s+[ye]\s+")  # "Tijuana y Tecate", "Tepic, Xalisco"


@dataclass(frozen=True, slots=True)
class Municipality:
    """A municipality, its state and the forms releases write it in on their own (none for a
    name others share: it then needs its state)."""

    name: str
    state: str
    forms: tuple[str, ...]
    population: int = 0

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
class Places:
    municipalities: tuple[Municipality, ...]
    states: dict[str, State]  # by name
    by_form: dict[str, Municipality]  # folded form → the municipality it names on its own
    by_name: dict[str, tuple[Municipality, ...]]  # folded name, seat or form → every
    # municipality so written, the most populous first
    by_label: dict[str, Municipality]
    written: frozenset[str]  # every name, seat and form as written ("Ciudad Juárez")
    usual: frozenset[str]  # folded forms municipalities.tsv gives: the cities a title names
    state_by_form: dict[str, State]  # folded name, abbreviation or adjective → state
    outlets: dict[str, str]  # "host" or "host/folder" → municipality label
    cues: dict[str, frozenset[str]]  # kind → folded cue words

    def municipality(self, label: str) -> Municipality | None:
        return self.by_label.get(label)

    def capital_of(self, state: str) -> Municipality | None:
        found = self.states.get(state)
        return self.by_label.get(f"{found.capital}, {state}") if found else None

    def resolve(self, written: str, state: str = "") -> Municipality | None:
        """The municipality ``written`` names: the one of ``state`` among those so written
        when a state is given; else the one the form names on its own; else None."""
        folded = fold(written)
        if state:
            return next((m for m in self.by_name.get(folded, ()) if m.state == state), None)
        return self.by_form.get(folded)


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


def reads_as_person(name: str) -> bool:
    """"Emiliano Zapata", "Guadalupe", "Benito Juárez": a municipality named after a person
    (or a given name), whose name in a text is more often the person, a street or a school."""
    words = fold(name).split()
    return bool(words) and words[0] in load_given_names()


def _states() -> tuple[dict[str, State], dict[str, State]]:
    states: dict[str, State] = {}
    by_form: dict[str, State] = {}
    for _, (name, abbreviations, adjective, capital) in _rows("states.tsv", 4):
        state = State(name, _split(abbreviations), _inflect(adjective), capital)
        states[name] = state
        for form in (name, *state.abbreviations, *state.adjectives):
            by_form.setdefault(fold(form), state)
    return states, by_form


def _catalogue(states: dict[str, State]) -> dict[str, tuple[Municipality, str]]:
    """INEGI's municipalities by label, each with its seat's name."""
    found: dict[str, tuple[Municipality, str]] = {}
    for where, (_, name, state, seat, population) in _rows("inegi_municipalities.tsv", 5):
        if state not in states or not population.isdigit():
            raise KnowledgeError(f"{where}: expected a state of states.tsv and a population, "
                                 f"got {state!r}, {population!r}")
        municipality = Municipality(name, state, (), int(population))
        found[municipality.label] = (municipality, seat)
    return found


def _own_forms(catalogue: dict[str, tuple[Municipality, str]]) -> dict[str, tuple[str, ...]]:
    """The name and seat of each municipality that only it has and that reads as no person's
    name: the forms a text may write it in on its own."""
    uses: dict[str, int] = {}
    for municipality, seat in catalogue.values():
        for written in {fold(municipality.name), fold(seat)}:
            uses[written] = uses.get(written, 0) + 1
    return {label: tuple(dict.fromkeys(
                written for written in (municipality.name, seat)
                if uses[fold(written)] == 1 and len(written) >= _MIN_FORM
                and not reads_as_person(written)))
            for label, (municipality, seat) in catalogue.items()}


def _short_forms(catalogue: dict[str, tuple[Municipality, str]]) -> dict[str, str]:
    """Label → the words before "de" of a name written with a qualifier, when no other
    municipality is so written ("Taxco" of "Taxco de Alarcón", "Tulancingo" of "Tulancingo
    de Bravo"). They may be common words ("Salto" of "Salto de Agua"), so they name their
    municipality only beside a municipal word or a state, never on their own."""
    taken = {fold(written) for municipality, seat in catalogue.values()
             for written in (municipality.name, seat)}
    shorts: dict[str, list[str]] = {}
    for label, (municipality, _) in catalogue.items():
        words = municipality.name.split()
        link = next((i for i, word in enumerate(words[1:3], 1) if word in ("de", "del")), 0)
        if link and fold(" ".join(words[:link])) not in taken:
            shorts.setdefault(fold(" ".join(words[:link])), []).append(label)
    return {labels[0]: " ".join(catalogue[labels[0]][0].name.split()[:len(short.split())])
            for short, labels in shorts.items() if len(labels) == 1}


@cache
def load_places() -> Places:
    """The tables of ``resources/places/``; a state or municipality they name must exist."""
    states, state_by_form = _states()
    catalogue = _catalogue(states)
    forms = _own_forms(catalogue)
    seats = {label: seat for label, (_, seat) in catalogue.items()}
    shorts = _short_forms(catalogue)
    municipalities = {label: m for label, (m, _) in catalogue.items()}
    usual: set[str] = set()
    for where, (name, state, written) in _rows("municipalities.tsv", 3):
        label = f"{name}, {state}"
        if state not in states:
            raise KnowledgeError(f"{where}: state {state!r} is not in states.tsv")
        if label not in municipalities:  # Mexico City, a state, reads as a city in releases
            municipalities[label] = Municipality(name, state, ())
        forms[label] = _split(written)
        usual.update(fold(form) for form in forms[label])
    ordered = tuple(Municipality(m.name, m.state, forms.get(label, ()), m.population)
                    for label, m in municipalities.items())
    by_label = {m.label: m for m in ordered}
    by_form: dict[str, Municipality] = {}
    by_name: dict[str, list[Municipality]] = {}
    written: set[str] = set()
    for municipality in sorted(ordered, key=lambda m: -m.population):
        for form in municipality.forms:
            by_form.setdefault(fold(form), municipality)
        names = {municipality.name, seats.get(municipality.label, ""),
                 shorts.get(municipality.label, ""), *municipality.forms}
        written |= names - {""}
        for form in filter(None, {fold(w) for w in names}):
            by_name.setdefault(form, []).append(municipality)
    outlets = {}
    for where, (outlet, name, state_name) in _rows("outlets.tsv", 3):
        if f"{name}, {state_name}" not in by_label:
            raise KnowledgeError(f"{where}: {name}, {state_name} is no municipality of "
                                 "inegi_municipalities.tsv or municipalities.tsv")
        outlets[outlet.lower()] = f"{name}, {state_name}"
    cues: dict[str, set[str]] = {"municipal": set(), "government": set(), "capital": set()}
    for where, (kind, word) in _rows("cues.tsv", 2):
        if kind not in cues:
            raise KnowledgeError(f"{where}: kind {kind!r} is invalid; value must be one of "
                                 f"{', '.join(cues)}")
        cues[kind].add(fold(word))
    for state in states.values():
        if f"{state.capital}, {state.name}" not in by_label:
            raise KnowledgeError(f"{PLACES_DIR / 'states.tsv'}: the capital of {state.name}, "
                                 f"{state.capital!r}, is no municipality of that state")
    return Places(ordered, states, by_form, {k: tuple(v) for k, v in by_name.items()},
                  by_label, frozenset(written), frozenset(usual), state_by_form, outlets,
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


def municipalities_named(written: str) -> tuple[Municipality, ...]:
    """Every municipality that ``written`` ("Ciudad Juárez", "Camargo") is written for."""
    return load_places().by_name.get(fold(written), ())


def names_a_place(text: str) -> bool:
    """``text`` is a municipality or a state as written ("Ciudad Juárez", "Sonora", "N.L."),
    or a list of them ("Tijuana y Tecate")."""
    return all(bool(municipalities_named(part)) or fold(part) in load_places().state_by_form
               for part in _LIST_GLUE.split(text.strip()))


def capital_of(label: str) -> str:
    """The label of the capital of ``label``'s state ("" when unknown)."""
    capital = load_places().capital_of(parse_label(label)[1])
    return capital.label if capital else ""


def state_adjective_in(words: list[str]) -> str:
    """The state an adjective among ``words`` names ("instituto chihuahuense …"), else ""."""
    places = load_places()
    return next((state.name for word in words for state in (places.state_by_form.get(word),)
                 if state is not None and word in state.adjectives), "")


@dataclass(frozen=True, slots=True)
class NamedPlace:
    """The place a body's name ends with: "… de Ciudad Juárez", "… del Estado de Sonora",
    "DIF Juárez". A name shared by a municipality and its state ("Chihuahua") gives both."""

    start: int  # index of the place phrase's first word ("de", "en" included)
    municipality: str  # label, or "" when no municipality has this name
    state: str  # the state named, or "" when the words name no state


@cache
def _place_forms() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Folded words of every written municipality → the labels they may mean, most populous
    first (the state a name shares is added by :func:`place_in_name`)."""
    places = load_places()
    return {tuple(form.split()): tuple(m.label for m in found)
            for form, found in places.by_name.items()} | {
        tuple(fold(name).split()): tuple(m.label for m in places.by_name.get(fold(name), ()))
        for name in places.states if fold(name) not in places.by_name}


def place_in_name(words: list[str], acronym_before: list[bool], *,
                  state: str = "") -> NamedPlace | None:
    """The place closing a body's :func:`fold`-ed ``words``, after "de", "del" or "en", or
    right after an acronym (``acronym_before[i]``: word ``i`` is one): "dif juarez". Of
    several municipalities so named, the one of ``state`` (the release's), else the most
    populous."""
    forms = _place_forms()
    states = load_places().states
    for size in range(min(5, len(words) - 1), 0, -1):
        labels = forms.get(tuple(words[-size:]))
        if labels is None:
            continue
        before = len(words) - size - 1
        if not (words[before] in ("de", "del", "en") and before > 0) and \
                not acronym_before[before]:
            continue
        municipality = next((label for label in labels if parse_label(label)[1] == state),
                            labels[0] if labels else "")
        named_state = next((name for name in states if fold(name).split() == words[-size:]),
                           "")
        start = before if words[before] in ("de", "del", "en") and before > 0 else before + 1
        return NamedPlace(start, municipality, named_state)
    return None
