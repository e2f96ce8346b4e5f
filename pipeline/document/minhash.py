"""MinHash signatures of a release's word shingles: near-duplicate detection's per-document half.

Texts are compared as sets of word shingles (five consecutive words, accents and case
folded). A MinHash signature estimates the Jaccard similarity of two such sets; it is computed
once per release here, and :mod:`pipeline.corpus.dedupe` compares signatures across the corpus.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

import numpy as np

from pipeline.knowledge import fold

SHINGLE_WORDS = 5
# 42 bands of 3 rows: texts with Jaccard 0.5 become candidates with probability 0.996, texts
# with 0.2 with about 0.3 (and are then dropped by the signature check).
BANDS, ROWS = 42, 3
SIGNATURE_SIZE = BANDS * ROWS
SEED = 1  # the hash functions are fixed: signatures from two runs can be compared
_PRIME = (1 << 32) + 15  # above every 32-bit shingle hash
_WORD = re.compile(r"\w+")


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


@cache
def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(SEED)
    # Below 2**31 so that a * hash + b stays inside uint64.
    return (generator.integers(1, 1 << 31, SIGNATURE_SIZE, dtype=np.uint64),
            generator.integers(0, 1 << 31, SIGNATURE_SIZE, dtype=np.uint64))


def signature(text: str) -> np.ndarray:
    """The MinHash signature of ``text``'s shingles (all maxima for an empty text)."""
    digests = b"".join([hashlib.blake2b(s.encode(), digest_size=4).digest()
                        for s in shingles(text)])
    if not digests:
        return np.full(SIGNATURE_SIZE, _PRIME, dtype=np.uint64)
    hashes = np.frombuffer(digests, dtype=">u4").astype(np.uint64)  # each digest big-endian
    a, b = _coefficients()
    products = np.multiply.outer(a, hashes)  # worked in place: one array, not three
    products += b[:, None]
    products %= _PRIME
    return products.min(axis=1)
