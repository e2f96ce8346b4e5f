"""Near-duplicate releases: local outlets republish the municipal release, often edited.

Texts are compared as sets of word shingles (five consecutive words, accents and case
folded). A MinHash signature estimates the Jaccard similarity of two such sets, and
locality-sensitive hashing over bands of the signature finds the candidates, so each new
text is compared with a handful of earlier ones, never with all of them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.knowledge import fold

SHINGLE_WORDS = 5
# 42 bands of 3 rows: texts with Jaccard 0.5 become candidates with probability 0.996, texts
# with 0.2 with about 0.3 (and are then dropped by the signature check).
BANDS, ROWS = 42, 3
_PRIME = (1 << 32) + 15  # above every 32-bit shingle hash
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier text that a new one nearly duplicates."""

    key: str
    similarity: float  # estimated Jaccard similarity of the shingle sets


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[str]:
    """The word ``size``-grams of ``text``, folded; a shorter text is one shingle.

    >>> sorted(shingles("Uno dos TRES cuatro", size=3))
    ['dos tres cuatro', 'uno dos tres']
    """
    words = _WORD.findall(fold(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


def jaccard(first: set[str], second: set[str]) -> float:
    """Exact Jaccard similarity of two sets (1.0 for two empty sets)."""
    union = first | second
    return len(first & second) / len(union) if union else 1.0


class NearDuplicates:
    """A streaming index: :meth:`add` each text once, in arrival order.

    >>> index = NearDuplicates(threshold=0.5)
    >>> index.add("a", "El Instituto Municipal de las Mujeres presentó hoy su agenda anual")
    >>> index.add("b", "El Instituto Municipal de las Mujeres presentó hoy su agenda anual.")
    Match(key='a', similarity=1.0)
    """

    def __init__(self, *, threshold: float, max_days: int | None = None, seed: int = 1) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold = {threshold} is invalid; value must be in (0, 1]")
        self.threshold = threshold
        self.max_days = max_days
        generator = np.random.default_rng(seed)
        # Below 2**31 so that a * hash + b stays inside uint64.
        self._a = generator.integers(1, 1 << 31, BANDS * ROWS, dtype=np.uint64)
        self._b = generator.integers(0, 1 << 31, BANDS * ROWS, dtype=np.uint64)
        self._buckets: dict[tuple[int, bytes], list[str]] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._days: dict[str, date | None] = {}

    def signature(self, text: str) -> np.ndarray:
        """The MinHash signature of ``text``'s shingles (all maxima for an empty text)."""
        hashes = np.fromiter(
            (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=4).digest(), "big")
             for s in shingles(text)), dtype=np.uint64)
        if hashes.size == 0:
            return np.full(BANDS * ROWS, _PRIME, dtype=np.uint64)
        return ((np.outer(self._a, hashes) + self._b[:, None]) % _PRIME).min(axis=1)

    def add(self, key: str, text: str, day: date | None = None) -> Match | None:
        """Index ``text``; return the most similar earlier text at or above the threshold.

        With ``max_days``, texts whose ``day`` (publication date) are further apart are not
        duplicates: a yearly campaign's release reuses last year's wording.
        """
        signature = self.signature(text)
        bands = [(band, signature[band * ROWS:(band + 1) * ROWS].tobytes())
                 for band in range(BANDS)]
        candidates = {other for band in bands for other in self._buckets.get(band, ())}
        best: Match | None = None
        for other in sorted(candidates):
            if not self._close_in_time(day, self._days[other]):
                continue
            similarity = float(np.mean(self._signatures[other] == signature))
            if similarity >= self.threshold and (best is None or similarity > best.similarity):
                best = Match(other, round(similarity, 3))
        for band in bands:
            self._buckets.setdefault(band, []).append(key)
        self._signatures[key] = signature
        self._days[key] = day
        return best

    def _close_in_time(self, day: date | None, other: date | None) -> bool:
        if self.max_days is None or day is None or other is None:
            return True
        return abs((day - other).days) <= self.max_days
