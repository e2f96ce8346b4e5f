"""What a release reports: is it about gender-violence prevention (and why), and what kind
of activity it is (its dates: :mod:`pipeline.document.event_dates`).

Both decisions are vocabulary lookups over data files in ``resources/``, so each one can be
read back as the terms that made it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import data_lines, fold

GBV_TERMS_FILE = RESOURCES_DIR / "gbv_terms.tsv"
EVENT_TYPES_FILE = RESOURCES_DIR / "event_types.tsv"
OTHER = "other"


@dataclass(frozen=True, slots=True)
class Relevance:
    """The GBV decision for one release, with the terms behind it."""

    related: bool
    score: float
    terms: tuple[str, ...]  # matched vocabulary, heaviest first


def _pattern(term: str) -> re.Pattern[str]:
    """Whole-word, accent- and case-insensitive; a trailing ``*`` matches any word ending."""
    stem = term.removesuffix("*")
    ending = r"\w*" if term.endswith("*") else ""
    return re.compile(rf"(?<!\w){re.escape(fold(stem))}{ending}(?!\w)")


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
def _gbv_vocabulary() -> tuple[tuple[re.Pattern[str], str, float], ...]:
    entries = [(_pattern(term), term, _weight(GBV_TERMS_FILE, number, weight))
               for number, (weight, term) in _rows(GBV_TERMS_FILE, 2)]
    return tuple(sorted(entries, key=lambda e: -e[2]))


@cache
def _type_vocabulary() -> tuple[tuple[re.Pattern[str], str, float], ...]:
    return tuple((_pattern(term), kind, _weight(EVENT_TYPES_FILE, number, weight))
                 for number, (kind, weight, term) in _rows(EVENT_TYPES_FILE, 3))


def gbv_relevance(text: str, *, threshold: float) -> Relevance:
    """Score ``text`` against the GBV vocabulary: the weights of the terms found add up.

    >>> r = gbv_relevance("Taller contra la violencia de género", threshold=2.0)
    >>> r.related, r.score, r.terms
    (True, 4.0, ('violencia de género', 'violencia', 'género'))
    """
    folded = fold(text)
    matched = [(term, weight) for pattern, term, weight in _gbv_vocabulary()
               if pattern.search(folded)]
    score = sum(weight for _, weight in matched)
    return Relevance(related=score >= threshold, score=score,
                     terms=tuple(term for term, _ in matched))


def event_type(title: str, text: str) -> str:
    """The activity a release reports: the type whose terms weigh most, title counting double.

    >>> event_type("Capacita IMM a defensores", "El taller se impartió en la sala.")
    'taller/capacitación'
    """
    scores: dict[str, float] = {}
    folded_title, folded_text = fold(title), fold(text)
    for pattern, kind, weight in _type_vocabulary():
        found = 2 * bool(pattern.search(folded_title)) + bool(pattern.search(folded_text))
        if found:
            scores[kind] = scores.get(kind, 0.0) + found * weight
    # max() keeps the first of equal scores, and dicts keep the file's order.
    return max(scores, key=lambda kind: scores[kind]) if scores else OTHER
