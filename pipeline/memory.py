"""Handing freed memory back to the system between the stages of a run, and sparing the
garbage collector the objects that live through one."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, Windows, musl)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


def release_freed_memory() -> bool:
    """Collect reference cycles, then ask the C allocator to return its free pages; True when
    it could be asked. glibc returns by itself only the free memory at the top of its heap,
    so without this what the per-document stage freed stays resident, by chance in larger or
    smaller part, under the corpus stage."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


@contextmanager
def collector_spares_what_lives() -> Iterator[None]:
    """Within: the cyclic garbage collector leaves out every object alive on entry (a spaCy
    model has ~85k). Each of its full collections would walk them all again, though they
    outlive the stage or die by their reference counts, which needs no collector. On exit
    they are handed back, so that a model dropped after the stage is still collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
