"""Near-duplicate releases: local outlets republish the municipal release, often edited.

Each release arrives with the MinHash signature of its shingles (:mod:`pipeline.document.minhash`).
Locality-sensitive hashing over bands of the signature finds the candidates, so each new
release is compared with a handful of earlier ones, never with all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.document.minhash import BANDS, ROWS


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier text that a new one nearly duplicates."""

    key: str
    similarity: float  # estimated Jaccard similarity of the shingle sets


class NearDuplicates:
    """A streaming index: :meth:`add` each release's signature once, in arrival order.

    >>> from pipeline.document.minhash import signature
    >>> index = NearDuplicates(threshold=0.5)
    >>> text = "El Instituto Municipal de las Mujeres presentó hoy su agenda anual"
    >>> index.add("a", signature(text))
    >>> index.add("b", signature(text + "."))
    Match(key='a', similarity=1.0)
    """

    def __init__(self, *, threshold: float, max_days: int | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold = {threshold} is invalid; value must be in (0, 1]")
        self.threshold = threshold
        self.max_days = max_days
        self._buckets: dict[tuple[int, bytes], list[str]] = {}
        self._signatures: dict[str, np.ndarray] = {}
        self._days: dict[str, date | None] = {}

    def add(self, key: str, signature: Sequence[int] | np.ndarray,
            day: date | None = None) -> Match | None:
        """Index a signature; return the most similar earlier one at or above the threshold.

        With ``max_days``, releases whose ``day`` (publication date) are further apart are not
        duplicates: a yearly campaign's release reuses last year's wording.
        """
        signature = np.asarray(signature, dtype=np.uint64)
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
