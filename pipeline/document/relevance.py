"""What a release reports: is it about gender-violence prevention (and why), what kind of
activity it is, and which of its dates are the dates of that activity.

All three decisions are vocabulary lookups over data files in ``resources/``, so each one can
be read back as the terms that made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import data_lines, fold
from pipeline.records import DateMention, Mention

GBV_TERMS_FILE = RESOURCES_DIR / "gbv_terms.tsv"
EVENT_TYPES_FILE = RESOURCES_DIR / "event_types.tsv"
EVENT_DATES_FILE = RESOURCES_DIR / "event_dates.tsv"
OTHER = "other"
# Characters of the sentence on each side of a date in which an activity cue counts.
EVENT_DATE_WINDOW = 80
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class Relevance:
    """The GBV decision for one release, with the terms behind it."""

    related: bool
    score: float
    terms: tuple[str, ...]  # matched vocabulary, heaviest first


@dataclass(frozen=True, slots=True)
class Term:
    """A vocabulary entry as it is looked up: whole words, accent- and case-insensitive; a
    trailing ``*`` matches any word ending."""

    text: str  # as written in the resource file
    label: str  # what it stands for: the event type, or the term itself
    weight: float
    needle: str  # the folded words between spaces; a stem has no space after it

    @classmethod
    def of(cls, text: str, label: str, weight: float = 0.0) -> Term:
        stem = fold(text.removesuffix("*"))
        return cls(text, label, weight, f" {stem}" if text.endswith("*") else f" {stem} ")


def lookup_text(text: str) -> str:
    """``text`` folded and padded with spaces, so that a term's words are found by one
    substring test (:func:`found`): folded text is words between single spaces."""
    return f" {fold(text)} "


def found(terms: Iterable[Term], text: str) -> list[Term]:
    """The terms that occur in ``text`` (made by :func:`lookup_text`), in vocabulary order."""
    return [term for term in terms if term.needle in text]


def _rows(path: Path, columns: int) -> Iterable[tuple[int, list[str]]]:
    for number, line in data_lines(path):
        fields = line.split("\t")
        if len(fields) != columns:
            raise ValueError(f"{path}:{number}: expected {columns} tab-separated fields, "
                             f"got {line!r}")
        yield number, fields


def _weight(path: Path, number: int, text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{path}:{number}: weight {text!r} is not a number") from None


@cache
def _gbv_vocabulary() -> tuple[Term, ...]:
    entries = [Term.of(term, term, _weight(GBV_TERMS_FILE, number, weight))
               for number, (weight, term) in _rows(GBV_TERMS_FILE, 2)]
    return tuple(sorted(entries, key=lambda e: -e.weight))


@cache
def _type_vocabulary() -> tuple[Term, ...]:
    return tuple(Term.of(term, kind, _weight(EVENT_TYPES_FILE, number, weight))
                 for number, (kind, weight, term) in _rows(EVENT_TYPES_FILE, 3))


@cache
def _date_vocabulary() -> tuple[tuple[Term, ...], re.Pattern[str]]:
    """Activity cues (with every event-type term), and the words that make a date a name."""
    rows = [fields for _, fields in _rows(EVENT_DATES_FILE, 2)]
    cues = [Term.of(term, "cue") for role, term in rows if role == "cue"]
    cues += _type_vocabulary()
    names = "|".join(re.escape(fold(term)) for role, term in rows if role == "name")
    return tuple(cues), re.compile(rf"(?<!\w)(?:{names})\s*$")


def gbv_relevance(text: str, *, threshold: float) -> Relevance:
    """Score ``text`` against the GBV vocabulary: the weights of the terms found add up.

    >>> r = gbv_relevance("Taller contra la violencia de género", threshold=2.0)
    >>> r.related, r.score, r.terms
    (True, 4.0, ('violencia de género', 'violencia', 'género'))
    """
    matched = found(_gbv_vocabulary(), lookup_text(text))
    score = sum((term.weight for term in matched), 0.0)
    return Relevance(related=score >= threshold, score=score,
                     terms=tuple(term.label for term in matched))


def event_type(title: str, text: str) -> str:
    """The activity a release reports: the type whose terms weigh most, title counting double.

    >>> event_type("Capacita IMM a defensores", "El taller se impartió en la sala.")
    'taller/capacitación'
    """
    scores: dict[str, float] = {}
    in_title, in_text = lookup_text(title), lookup_text(text)
    for term in _type_vocabulary():
        count = 2 * (term.needle in in_title) + (term.needle in in_text)
        if count:
            scores[term.label] = scores.get(term.label, 0.0) + count * term.weight
    # max() keeps the first of equal scores, and dicts keep the file's order.
    return max(scores, key=lambda kind: scores[kind]) if scores else OTHER


def _is_event_date(mention: Mention, value: date, published: date | None) -> bool:
    if published is None and not _YEAR.search(mention.text):
        return False  # no year written and none to resolve it against
    sentence = fold(mention.sentence)
    at = sentence.find(fold(mention.text))
    if at < 0:  # the sentence was not recorded: keep to the date itself
        at, sentence = 0, fold(mention.text)
    cues, name = _date_vocabulary()
    if name.search(sentence[:at]):
        return False
    if published is not None and value >= published:
        return True
    window = sentence[max(0, at - EVENT_DATE_WINDOW):at + len(mention.text) + EVENT_DATE_WINDOW]
    padded = f" {window} "
    return any(cue.needle in padded for cue in cues)


def mark_event_dates(dates: Sequence[DateMention], mentions: Sequence[Mention],
                     published: date | None) -> tuple[DateMention, ...]:
    """``dates`` with kind ``event`` on the mentioned dates that date an activity.

    A mentioned date is an event date when its year is known (written, or resolved from the
    publication date), it is not part of a name ("colonia 16 de Septiembre"), and it falls
    on or after the publication date or has an activity cue near it in its sentence
    (``event_dates.tsv``). Each date is matched to its DATE mention (same text and value)
    for the sentence.

    >>> m = Mention("d", "DATE", "23 de noviembre", 40, 55,
    ...             "El taller será el 23 de noviembre.", "dateparser", "2023-11-23")
    >>> d = DateMention("d", "23 de noviembre", date(2023, 11, 23), "mentioned")
    >>> mark_event_dates([d], [m], date(2023, 11, 21))[0].kind
    'event'
    """
    unused = [m for m in mentions if m.label == "DATE"]
    result = []
    for item in dates:
        mention = next((m for m in unused if m.text == item.text
                        and m.canonical == item.value.isoformat()), None)
        if item.kind == "mentioned" and mention is not None:
            unused.remove(mention)
            if _is_event_date(mention, item.value, published):
                item = replace(item, kind="event")
        result.append(item)
    return tuple(result)
