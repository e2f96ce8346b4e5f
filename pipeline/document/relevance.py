"""What a release reports: is it about gender-violence prevention (and why), and what kind
of activity it is (its dates: :mod:`pipeline.document.event_dates`).

Both decisions are vocabulary lookups over data files in ``resources/``, so each one can be
read back as the terms that made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import data_lines, fold

GBV_TERMS_FILE = RESOURCES_DIR / "gbv_terms.tsv"
EVENT_TYPES_FILE = RESOURCES_DIR / "event_types.tsv"
OTHER = "otro"  # no activity word in the title or the opening: the type is not stated
LEAD_CHARS = 600  # the opening of a body, where a release says what it reports
MIN_EVIDENCE = 2.0  # a type's least total: a main term in the opening, or any in the title


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


def gbv_term_weights() -> dict[str, float]:
    """Each GBV term, as ``gbv_terms`` lists it, with its weight."""
    return {term.label: term.weight for term in _gbv_vocabulary()}


def gbv_relevance(text: str, *, threshold: float, lead_chars: int = 600,
                  passing_weight: float = 0.25) -> Relevance:
    """Score ``text`` (title first) against the GBV vocabulary: the weights of the terms
    found add up, fully for a term in the first ``lead_chars`` characters or used twice, by
    ``passing_weight`` for a single mention further on (a release is about what its lead
    says, not about every body it lists).

    >>> r = gbv_relevance("Taller contra la violencia de género", threshold=2.0)
    >>> r.related, r.score, r.terms
    (True, 4.0, ('violencia de género', 'violencia', 'género'))
    """
    lead, whole = lookup_text(text[:lead_chars]), lookup_text(text)
    matched = found(_gbv_vocabulary(), whole)
    score = sum((term.weight if term.needle in lead or whole.count(term.needle) > 1
                 else term.weight * passing_weight for term in matched), 0.0)
    return Relevance(related=score >= threshold, score=score,
                     terms=tuple(term.label for term in matched))


def event_type(title: str, text: str) -> str:
    """The activity a release reports, when its title or the opening of its body
    (:data:`LEAD_CHARS`) says it: the type whose terms weigh most, title counting double, if
    they weigh :data:`MIN_EVIDENCE` or more; else :data:`OTHER`.

    >>> event_type("Capacita IMM a defensores", "El taller se impartió en la sala.")
    'taller/capacitación'
    >>> event_type("Aprueba Cabildo ampliación presupuestal", "Se aprobó en sesión el "
    ...            "presupuesto del instituto." + " Detalles." * 80 + " Habrá talleres.")
    'otro'
    """
    scores: dict[str, float] = {}
    in_title, in_lead = lookup_text(title), lookup_text(text[:LEAD_CHARS])
    for term in _type_vocabulary():
        count = 2 * (term.needle in in_title) + (term.needle in in_lead)
        if count:
            scores[term.label] = scores.get(term.label, 0.0) + count * term.weight
    # max() keeps the first of equal scores, and dicts keep the file's order.
    best = max(scores, key=lambda kind: scores[kind]) if scores else OTHER
    return best if scores.get(best, 0.0) >= MIN_EVIDENCE else OTHER
