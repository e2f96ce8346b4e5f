"""Freed memory goes back to the system between stages (glibc only)."""

import gc
import weakref

import psutil
import pytest

from pipeline.memory import _malloc_trim, collector_spares_what_lives, release_freed_memory


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_release_returns_freed_heap_pages() -> None:
    process = psutil.Process()
    # 200 MB of heap blocks (above pymalloc's 512 bytes), every 1,000th kept: the kept ones
    # pin the heap above the freed ones, so glibc does not return those pages by itself.
    blocks = [bytes(2048) + i.to_bytes(4, "little") for i in range(100_000)]
    kept = blocks[::1000]
    del blocks
    before = process.memory_info().rss
    assert release_freed_memory() is True
    after = process.memory_info().rss
    assert before - after > 100 * 2**20, (before >> 20, after >> 20)
    assert len(kept) == 100


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim (not glibc)")
def test_arrow_buffers_the_store_frees_go_back_to_the_system() -> None:
    import pyarrow as pa

    import pipeline.store  # noqa: F401  (sets the Arrow pool the store reads with)

    process = psutil.Process()
    text = "texto " * 40
    before = process.memory_info().rss
    # ~170 MB of small Arrow buffers, as reading many shards makes; Arrow's own pool
    # (mimalloc) kept ~95 % of them resident after they were freed.
    arrays = [pa.array([text] * 20) for _ in range(20_000)]
    grown = process.memory_info().rss - before
    del arrays
    release_freed_memory()
    kept = process.memory_info().rss - before
    assert grown > 100 * 2**20, grown >> 20
    assert kept < grown / 2, (grown >> 20, kept >> 20)


class _Node:
    pass


def test_the_collector_spares_what_lives_on_entry_and_collects_it_after() -> None:
    # A reference cycle that becomes garbage inside the block: only the collector frees it.
    node = _Node()
    node.itself = node
    alive = weakref.ref(node)
    with collector_spares_what_lives():
        del node
        gc.collect()
        assert alive() is not None  # frozen on entry: no collection inside looks at it
    gc.collect()
    assert alive() is None  # handed back on exit, and collected
