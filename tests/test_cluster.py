"""How the client cuts the pending releases into cluster tasks."""

from __future__ import annotations

import pytest

from pipeline.cluster import SMALLEST_BATCH, batches
from pipeline.records import RawDocument


def _pending(n: int) -> list[tuple[str, RawDocument]]:
    return [(f"key{i}", RawDocument(doc_id=str(i), path=f"r{i}.txt", fmt="txt", data=b"Texto."))
            for i in range(n)]


@pytest.mark.parametrize(("count", "size", "workers"),
                         [(0, 64, 2), (3, 64, 2), (1600, 64, 2), (1601, 64, 2), (500, 64, 1),
                          (1000, 10, 3), (7, 1, 2)])
def test_batches_keep_every_release_in_order_and_shrink_only_at_the_tail(
        count: int, size: int, workers: int) -> None:
    pending = _pending(count)
    cut = list(batches(iter(pending), size, workers))
    assert [item for batch in cut for item in batch] == pending
    assert all(batch for batch in cut)
    lengths = [len(batch) for batch in cut]
    # Whole batches, then smaller and smaller ones, holding fewer than size × (workers + 1).
    assert lengths == sorted(lengths, reverse=True)
    assert all(n <= size for n in lengths)
    assert sum(n for n in lengths if n < size) < size * (workers + 1)
    assert all(n >= min(SMALLEST_BATCH, size) for n in lengths[:-1])


def test_the_tail_gives_each_of_two_workers_a_share() -> None:
    """1,600 releases in batches of 64 on two workers: not 25 whole batches (one worker
    running the 25th alone), but 23, then the last 128 releases in batches of 32, 24, 18 …"""
    lengths = [len(batch) for batch in batches(iter(_pending(1600)), 64, 2)]
    assert lengths[:23] == [64] * 23
    assert lengths[23:26] == [32, 24, 18]
    assert sum(lengths[23:]) == 128
