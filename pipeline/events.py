"""Decide which releases are about gender-violence prevention, and say why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipeline.config import RESOURCES_DIR
from pipeline.resolve import fold

GBV_TERMS_FILE = RESOURCES_DIR / "gbv_terms.tsv"


@dataclass(frozen=True, slots=True)
class Relevance:
    """The GBV decision for one release, with the terms behind it."""

    related: bool
    score: float
    terms: tuple[str, ...]  # matched vocabulary, heaviest first


@cache
def _vocabulary() -> tuple[tuple[re.Pattern[str], str, float], ...]:
    entries = []
    for number, line in enumerate(GBV_TERMS_FILE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        weight, _, term = line.partition("\t")
        try:
            value = float(weight)
        except ValueError:
            raise ValueError(f"{GBV_TERMS_FILE}:{number}: expected 'weight<TAB>term', "
                             f"got {line!r}") from None
        pattern = re.compile(rf"(?<!\w){re.escape(fold(term))}(?!\w)")
        entries.append((pattern, term, value))
    return tuple(sorted(entries, key=lambda e: -e[2]))


def gbv_relevance(text: str, *, threshold: float) -> Relevance:
    """Score ``text`` against the GBV vocabulary.

    >>> gbv_relevance("Taller contra la violencia de género", threshold=2.0).terms
    ('violencia de género', 'violencia', 'género')
    """
    folded = fold(text)
    matched = [(term, weight) for pattern, term, weight in _vocabulary() if pattern.search(folded)]
    score = sum(weight for _, weight in matched)
    return Relevance(related=score >= threshold, score=score,
                     terms=tuple(term for term, _ in matched))
