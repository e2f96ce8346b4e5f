"""Privacy by allow-list in exported text: whatever may be a person's name is masked, unless
it is a known public person, or part of a known institution or place.

The model and the rules miss names (a runner listed with a time, a woman quoted once) and
label some as institutions, so masking only the people they find leaks by construction. Here
every run of capitalised words (joined by "de", "del", "de la"…) in a sentence or a title is
read word by word, and a stretch of it is a name when:

- one of its words is a given name (``given_names.txt``), a surname (``surnames.txt``) or has
  the shape of a patronymic (an accented word in -ez, -az, -iz, -oz: Pérez, Díaz);
- or it is two capitalised words or more of which none is known vocabulary (:func:`vocabulary`:
  the words of institutions' names, roles, context words, GBV and event terms, months); not in
  a headline or between quotes, where capitals mark titles and only the first kind counts.

Kept: what the release shows as a public person, an institution or a date (its
:class:`Mention` records, given as forms); places of ``resources/places/``, unless one directly
follows a name ("Rosalinda Guadalajara": the place is a surname); what a namesake word
introduces ("colonia Vicente Guerrero", "Presea Esther Chávez", "San Isidro"); and a lone
word without evidence ("Anapra", "Spotlight"): a name needs a given name, a surname or two
words. A known word right after a given name or surname is part of the name ("Ana Cano").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.config import RESOURCES_DIR
from pipeline.document.dates import MONTHS, WEEKDAYS
from pipeline.document.places import load_places
from pipeline.document.rules import load_context_words
from pipeline.knowledge import (
    KnowledgeError,
    data_lines,
    fold,
    fold_word,
    load_gazetteer,
    load_given_names,
    load_not_entities,
    load_roles,
    load_single_words,
    org_terms,
)

SURNAMES_FILE = RESOURCES_DIR / "surnames.txt"
NAME_MASK_FILE = RESOURCES_DIR / "name_mask.tsv"
TERM_FILES = (RESOURCES_DIR / "gbv_terms.tsv", RESOURCES_DIR / "event_types.tsv")
_UPPER = "A-ZÁÉÍÓÚÜÑ"
_WORD = rf"[{_UPPER}][\w'’-]*"  # "Quiñónez", "GUTIÉRREZ", "Ruiz-Esparza"
_INITIAL = rf"[{_UPPER}]\."  # "Francisco I. Madero"
_PARTICLE = r"(?:de(?:[ \t]+(?:la|las|los))?|del|y|e)"
# A run of capitalised words on one line, particles between them; never inside a token.
RUN = re.compile(rf"(?<![\w⟦])(?:{_WORD}|{_INITIAL})"
                 rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)?(?:{_WORD}|{_INITIAL}))*")
_PIECE = re.compile(rf"{_WORD}|{_INITIAL}|\S+")
# The word before a run, and the particle between them: "la colonia Vicente Guerrero".
_WORD_BEFORE = re.compile(r"(\w+)[ \t]+(?:(?:de|del)[ \t]+(?:(?:la|las|los)[ \t]+)?)?$")
_QUOTES = "\"“«'‘"
_PATRONYMIC = re.compile(r"\w*[áéíóú]\w*[aeiou]z", re.IGNORECASE)
# A verb in the past that opens a sentence or a headline ("Declaró", "Firmaron"): no name.
_PAST_VERB = re.compile(r"\w{3,}(?:ó|aron|eron|ieron)", re.IGNORECASE)
_SPLITS = frozenset({"y", "e"})  # two names, not one
_MAX_PLACE_WORDS = 4
BODY_MASK = "█"  # a masked character of a body (document/body_text.py masks with it too)
_HEADLINE_SHARE = 0.6  # of a text's words of 4 letters or more capitalised: a headline


@cache
def load_surnames() -> frozenset[str]:
    """:func:`fold`-ed surnames of ``surnames.txt``."""
    return load_single_words(SURNAMES_FILE)


@cache
def _mask_words() -> dict[str, frozenset[str]]:
    """``name_mask.tsv``: kind → folded words."""
    kinds: dict[str, set[str]] = {"namesake": set(), "word": set()}
    for number, line in data_lines(NAME_MASK_FILE):
        kind, _, word = line.partition("\t")
        if kind not in kinds or len(word.split()) != 1:
            raise KnowledgeError(f"{NAME_MASK_FILE}:{number}: expected 'namesake|word<TAB>"
                                 f"one word', got {line!r}")
        kinds[kind].add(fold(word))
    return {kind: frozenset(words) for kind, words in kinds.items()}


def name_evidence(word: str) -> bool:
    """A given name, a surname or a patronymic's shape: "Rosalinda", "Barrientos", "Quiñónez"."""
    return fold_word(word) in load_surnames() or strong_name_evidence(word)


def strong_name_evidence(word: str) -> bool:
    """A given name or a patronymic's shape: a surname alone may be a common word too
    ("Luna", "Flores")."""
    return fold_word(word) in load_given_names() or _PATRONYMIC.fullmatch(word) is not None


def _words_of(phrases: Iterable[str]) -> set[str]:
    return {word for phrase in phrases for word in fold(phrase).split()}


@cache
def vocabulary() -> frozenset[str]:
    """Folded words that are not names: they end a name being read. The words of roles,
    institutions' heads and legal forms, context words, phrases that are never entities,
    months, weekdays and namesake words; never a given name or surname."""
    context = load_context_words()
    words = _words_of([*(term for kind in ("head", "legal_suffix", "plural", "prefix", "venue")
                         for term in org_terms(kind)),
                       *(role.form for role in load_roles()),
                       *(role.canonical for role in load_roles()),
                       *load_not_entities(),
                       *(word for kind in context.__slots__ for word in getattr(context, kind))])
    words |= set(MONTHS) | set(WEEKDAYS) | _mask_words()["namesake"]
    return frozenset(words - load_given_names() - load_surnames())


@cache
def known_words() -> frozenset[str]:
    """Folded words that are no evidence of a name but may end one ("Ana Cano"): those of
    the institutions of the gazetteer, of institutions' modifiers, of the GBV and event-type
    terms and the words of ``name_mask.tsv``; never a given name or surname."""
    words = _words_of([*(form for body in load_gazetteer() for form in body.forms),
                       *org_terms("modifier"), *org_terms("unique")])
    for path in TERM_FILES:
        words |= _words_of(line.rsplit("\t", 1)[-1] for _, line in data_lines(path))
    words |= _mask_words()["word"]
    return frozenset(words - vocabulary() - load_given_names() - load_surnames())


@cache
def _places() -> frozenset[str]:
    places = load_places()
    return frozenset(places.by_form) | frozenset(fold(state) for state in places.states)


@cache
def _namesake_cues() -> frozenset[str]:
    return _mask_words()["namesake"] | load_context_words().place


def is_headline(text: str, *, title: bool) -> bool:
    """A text written in capitals, or a title in title case (most of its words capitalised):
    capitals there say nothing of names. A sentence whose words are mostly capitalised is read
    as one, though: a list of names looks just so."""
    words = [w for w in re.findall(r"\w{4,}", text) if not w.isdigit()]
    shown = sum(w.isupper() if not title else w[0].isupper() for w in words)
    return bool(words) and shown >= _HEADLINE_SHARE * len(words)


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    joined: str  # the particle before it ("de la"; "" when none)


def _words(run: str) -> list[_Word]:
    words: list[_Word] = []
    particle: list[str] = []
    for piece in _PIECE.finditer(run):
        if piece.group()[0].isupper():
            words.append(_Word(piece.start(), piece.end(), piece.group(), " ".join(particle)))
            particle = []
        else:
            particle.append(piece.group())
    return words


@cache
def _place_openers() -> frozenset[str]:
    return frozenset(place.split()[0] for place in _places())


def _place_ends(words: list[_Word]) -> dict[int, int]:
    """Where a place that starts at a word ends (index past its last word)."""
    ends: dict[int, int] = {}
    for i, word in enumerate(words):
        if fold_word(word.text) not in _place_openers():
            continue
        for j in range(min(len(words), i + _MAX_PLACE_WORDS), i, -1):
            if fold(" ".join(f"{w.joined} {w.text}" for w in words[i:j])) in _places():
                ends[i] = j
                break
    return ends


class _Reader:
    """Reads one run's words into name spans (see :func:`name_spans`)."""

    def __init__(self, evidence_only: bool) -> None:
        self.evidence_only = evidence_only
        self.spans: list[tuple[int, int]] = []
        self.stretch: list[_Word] = []  # the words of the name being read
        self.evident: list[_Word] = []  # those of them that are evidence

    def add(self, word: _Word, *, evidence: bool) -> None:
        self.stretch.append(word)
        if evidence:
            self.evident.append(word)

    def close(self) -> None:
        if self.evidence_only and self.evident:
            self.spans.append((self.evident[0].start, self.evident[-1].end))
        elif not self.evidence_only and (self.evident or len(self.stretch) >= 2):
            self.spans.append((self.stretch[0].start, self.stretch[-1].end))
        self.stretch, self.evident = [], []


def name_spans(run: re.Match[str], *, evidence_only: bool) -> list[tuple[int, int]]:
    """The spans of ``run`` (a :data:`RUN` match) that may be a person's name.

    A stretch of words that are not vocabulary is a name when it holds a word of name
    evidence or, unless ``evidence_only`` (a headline, a quote), two words or more; then it
    runs from its first to its last word of evidence."""
    return [(run.start() + start, run.start() + end)
            for start, end in _spans_in(run.group(), evidence_only)]


@lru_cache(maxsize=1 << 15)
def _spans_in(run: str, evidence_only: bool) -> tuple[tuple[int, int], ...]:
    """:func:`name_spans` of a run's text, cached: institutions' and places' names recur."""
    words = _words(run)
    places = _place_ends(words)
    reader = _Reader(evidence_only)
    i = 0
    while i < len(words):
        word = words[i]
        folded = fold_word(word.text)
        if folded in _SPLITS or fold(word.joined) in _SPLITS:
            reader.close()
        if i in places:  # a place: the surname of a name it directly follows, else kept
            end = places[i]
            if reader.evident and not word.joined:
                for part in words[i:end]:
                    reader.add(part, evidence=True)
            else:
                reader.close()
            i = end
            continue
        if folded in _namesake_cues():  # what follows is named after someone: kept
            reader.close()
            break
        if name_evidence(word.text):
            reader.add(word, evidence=True)
        elif folded in vocabulary() or _PAST_VERB.fullmatch(word.text) or (
                not evidence_only and len(word.text) > 1 and word.text.isupper()):
            reader.close()  # a word, a verb, an acronym
        elif folded in known_words():
            if reader.evident and not word.joined:
                reader.add(word, evidence=True)  # "Ana Cano"
            else:
                reader.close()
        else:
            reader.add(word, evidence=False)
        i += 1
    reader.close()
    return tuple(reader.spans)


def _runs(text: str, headline: bool) -> Iterator[tuple[int, int]]:
    """The spans of ``text`` that may be names, run by run."""
    for run in RUN.finditer(text):
        before = _WORD_BEFORE.search(text, max(0, run.start() - 40), run.start())
        if before and fold_word(before.group(1)) in _namesake_cues():
            continue  # "la colonia Vicente Guerrero", "el memorial del Campo Algodonero"
        quoted = run.start() > 0 and text[run.start() - 1] in _QUOTES
        yield from name_spans(run, evidence_only=headline or quoted)


@lru_cache(maxsize=1 << 14)
def _maskable(form: str) -> bool:
    """Whether some part of ``form`` would be masked, in a sentence or in a headline."""
    return bool(form) and any(True for headline in (False, True) for _ in _runs(form, headline))


def _whole_words(text: str, forms: Iterable[str]) -> list[tuple[int, int]]:
    """Where ``forms`` occur in ``text`` as whole words, left to right, the longest where
    several start at one place, none overlapping. Found with ``str.find``: a release's forms
    are new to each release, and compiling them into one regular expression cost more than
    the search (15 ms a release)."""
    found = []
    for form in forms:
        start = text.find(form)
        while start >= 0:
            end = start + len(form)
            if not (start and _is_word_char(text[start - 1])) and not (
                    end < len(text) and _is_word_char(text[end])):
                found.append((start, -end))
            start = text.find(form, start + 1)
    spans, position = [], 0
    for start, negative_end in sorted(found):
        if start >= position:
            spans.append((start, -negative_end))
            position = -negative_end
    return spans


def _is_word_char(char: str) -> bool:
    """What ``\\w`` matches: a letter, a digit or "_"."""
    return char.isalnum() or char == "_"


class NameMask:
    """Masks the possible names of one release's texts (see the module's docstring).

    ``kept``: forms the release shows as public people, institutions and dates, never masked;
    ``private``: forms already known to be private, each with its replacement. Any other name
    becomes ``replacement(name)``.

    >>> mask = NameMask(kept={"Instituto Municipal de las Mujeres"}, private={},
    ...                 replacement=lambda name: "[persona]")
    >>> mask("El Instituto Municipal de las Mujeres acompañó a Rosalinda Quiñónez Barrientos.")
    'El Instituto Municipal de las Mujeres acompañó a [persona].'
    """

    def __init__(self, *, kept: Iterable[str], private: dict[str, str],
                 replacement: Callable[[str], str]) -> None:
        # A kept form matters only where it would be masked: most institutions' names are
        # vocabulary, and a release's pattern stays small.
        self._forms = {form: form for form in kept if _maskable(form)} | private
        self._replacement = replacement

    def __call__(self, text: str, *, title: bool = False) -> str:
        """``text`` with its possible names masked; a ``title`` may be a headline."""
        out: list[str] = []
        position = 0
        for start, end, replacement in self._spans(text, title):
            out += [text[position:start], replacement]
            position = end
        out.append(text[position:])
        return "".join(out)

    def in_place(self, text: str) -> str:
        """``text`` with its possible names masked character for character (``█``, as
        ``texts.csv`` shows a withheld name), so that every offset into it still points where
        it did: a release's body."""
        chars = list(text)
        for start, end, _ in self._spans(text, False):
            chars[start:end] = BODY_MASK * (end - start)
        return "".join(chars)

    def _spans(self, text: str, title: bool) -> Iterator[tuple[int, int, str]]:
        """``(start, end, replacement)`` of each private form and possible name, in order;
        kept forms are not among them."""
        headline = is_headline(text, title=title)
        position = 0
        for start, end in _whole_words(text, self._forms):
            yield from self._runs_between(text, position, start, headline)
            form = text[start:end]
            if self._forms[form] != form:
                yield start, end, self._forms[form]
            position = end
        yield from self._runs_between(text, position, len(text), headline)

    def _runs_between(self, text: str, start: int, end: int, headline: bool
                      ) -> Iterator[tuple[int, int, str]]:
        for first, last in _runs(text[start:end], headline):
            yield start + first, start + last, self._replacement(text[start + first:
                                                                      start + last])

    def with_names_of(self, text: str) -> NameMask:
        """This mask, also replacing the names it finds in ``text`` (a body) wherever they
        are written, in capitals too: a headline's capitals tell no name, but its body does."""
        names = {text[start:end]: replacement
                 for start, end, replacement in self._spans(text, False)}
        kept = {form for form, replacement in self._forms.items() if form == replacement}
        private = {form: replacement for form, replacement in self._forms.items()
                   if form != replacement}
        private |= {form: replacement for name, replacement in names.items()
                    for form in (name, name.upper())}
        return NameMask(kept=kept, private=private, replacement=self._replacement)
