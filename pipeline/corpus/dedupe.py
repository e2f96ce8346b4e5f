"""Near-duplicate releases: local outlets republish the municipal release, often edited.

Each release arrives with the MinHash signature of its shingles (:mod:`pipeline.document.minhash`).
Locality-sensitive hashing over bands of the signature finds the candidates, so each new
release is compared with a handful of earlier ones, never with all of them.

The index is compact, about 1.6 KB per release: signatures in one NumPy array, each band
reduced to a 64-bit hash, and the band hashes kept in sorted NumPy arrays (runs, searched
with ``searchsorted``) plus a dictionary of at most :data:`_RECENT_MAX` latest releases. When
the dictionary is full it becomes a new run, and runs of alike size merge (so there are
O(log N) of them and merging stays O(N log N)) up to :data:`_RUN_MAX` hashes, which bounds
the memory a merge takes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from pipeline.document.minhash import BANDS, ROWS, SIGNATURE_SIZE


@dataclass(frozen=True, slots=True)
class Match:
    """An earlier text that a new one nearly duplicates."""

    key: str
    similarity: float  # estimated Jaccard similarity of the shingle sets


_NO_DAY = np.iinfo(np.int64).min
_RECENT_MAX = 1024  # releases whose band hashes the dictionary holds before they form a run
_RUN_MAX = 1 << 20  # band hashes in a run that merges no further (about 12 MB)
# Fixed odd multipliers: a band's rows → one 64-bit hash (wrapping arithmetic).
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9], dtype=np.uint64)
_BAND_SALT = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xD6E8FEB86659FD93)


def band_hashes(signature: np.ndarray) -> np.ndarray:
    """One 64-bit hash per band of ``ROWS`` signature values (the band's number mixed in)."""
    rows = signature.reshape(BANDS, ROWS)
    return (rows * _MIX[:ROWS]).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT


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
        self._keys: list[str] = []
        self._signatures = np.empty((_RECENT_MAX, SIGNATURE_SIZE), dtype=np.uint64)
        self._days = np.empty(_RECENT_MAX, dtype=np.int64)
        # Each run: band hashes, sorted, and the release of each; oldest run first.
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []
        self._recent: dict[int, list[int]] = {}  # band hash → releases, not in a run yet
        self._recent_count = 0

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str, signature: Sequence[int] | np.ndarray,
            day: date | None = None) -> Match | None:
        """Index a signature; return the most similar earlier one at or above the threshold
        (of equally similar ones, the smallest key).

        With ``max_days``, releases whose ``day`` (publication date) are further apart are not
        duplicates: a yearly campaign's release reuses last year's wording.
        """
        signature = np.asarray(signature, dtype=np.uint64)
        hashes = band_hashes(signature)
        best = self._best(self._candidates(hashes), signature, day)
        self._append(key, signature, day, hashes)
        return best

    def _candidates(self, hashes: np.ndarray) -> np.ndarray:
        found = [np.asarray(owners, dtype=np.int32) for value in hashes.tolist()
                 if (owners := self._recent.get(value))]
        for run, owners in self._runs:
            low = np.searchsorted(run, hashes, side="left")
            high = np.searchsorted(run, hashes, side="right")
            found += [owners[a:b] for a, b in zip(low.tolist(), high.tolist()) if b > a]
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int32)

    def _best(self, candidates: np.ndarray, signature: np.ndarray,
              day: date | None) -> Match | None:
        if candidates.size == 0:
            return None
        similarity = (self._signatures[candidates] == signature).mean(axis=1)
        close = similarity >= self.threshold
        if self.max_days is not None and day is not None:
            days = self._days[candidates]
            close &= (days == _NO_DAY) | (np.abs(days - day.toordinal()) <= self.max_days)
        if not close.any():
            return None
        top = similarity[close].max()
        key = min(self._keys[i] for i in candidates[close & (similarity == top)].tolist())
        return Match(key, round(float(top), 3))

    def _append(self, key: str, signature: np.ndarray, day: date | None,
                hashes: np.ndarray) -> None:
        index = len(self._keys)
        if index == len(self._days):  # grow by doubling
            self._signatures, self._days = _doubled(self._signatures), _doubled(self._days)
        self._keys.append(key)
        self._signatures[index] = signature
        self._days[index] = day.toordinal() if day is not None else _NO_DAY
        for value in hashes.tolist():
            self._recent.setdefault(value, []).append(index)
        self._recent_count += 1
        if self._recent_count >= _RECENT_MAX:
            self._add_run()

    def _add_run(self) -> None:
        """Turn the dictionary into a run; merge the newest runs while alike in size."""
        hashes = np.fromiter((value for value, owners in self._recent.items() for _ in owners),
                             dtype=np.uint64)
        owners = np.fromiter((owner for owners in self._recent.values() for owner in owners),
                             dtype=np.int32)
        self._runs.append(_sorted_run(hashes, owners))
        self._recent.clear()
        self._recent_count = 0
        while len(self._runs) > 1:
            (first, first_owners), (last, last_owners) = self._runs[-2:]
            if first.size >= 2 * last.size or first.size + last.size > _RUN_MAX:
                break
            self._runs[-2:] = [_sorted_run(np.concatenate([first, last]),
                                           np.concatenate([first_owners, last_owners]))]


def _sorted_run(hashes: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(hashes, kind="stable")
    return hashes[order], owners[order]


def _doubled(array: np.ndarray) -> np.ndarray:
    """``array`` with room for as many rows again; the new rows stay untouched (so not
    resident) until they are written."""
    grown = np.empty((2 * len(array), *array.shape[1:]), dtype=array.dtype)
    grown[:len(array)] = array
    return grown
