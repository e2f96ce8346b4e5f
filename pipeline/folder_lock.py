"""An exclusive lock on a folder, held through a lock file for as long as a run lasts.

The system releases an ``flock`` when its holder ends, even on ``kill -9``, so a lock file
left behind by a dead run is simply taken over. The file names its holder (pid, host, start
time) so that a second run can say which run is in its way. The interim store's leases use
the same locks (:func:`hold_new`, :func:`is_held`, :func:`exclusive`). POSIX only (``fcntl``).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO


class FolderBusy(Exception):
    """Another live process holds the lock; ``holder`` describes it."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


@dataclass(slots=True)
class FolderLock:
    """A held lock: ``release()`` it when the run ends. ``taken_over`` describes the run that
    ended without releasing it, if one did ("" otherwise)."""

    path: Path
    handle: IO[str]
    taken_over: str

    def release(self) -> None:
        self.path.unlink(missing_ok=True)  # the file goes first, so no one waits on it
        self.handle.close()  # closing the descriptor releases the lock


def _holder(handle: IO[str]) -> str:
    handle.seek(0)
    try:
        info = json.loads(handle.read() or "{}")
    except ValueError:
        info = {}
    if not isinstance(info, dict):
        info = {}
    return (f"pid {info.get('pid', '?')} on host {info.get('host', '?')}, started "
            f"{info.get('started', '?')}")


def hold(path: Path) -> FolderLock:
    """Take the lock file ``path`` exclusively, without waiting.

    Raises:
        FolderBusy: a live process holds it.
        OSError: the file cannot be created (the folder is not writable).
    """
    while True:
        handle = path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(handle)
            handle.close()
            raise FolderBusy(holder) from None
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:  # else its holder removed it as we opened it: take the new one
            break
        handle.close()
    handle.seek(0)
    taken_over = _holder(handle) if handle.read().strip() else ""
    handle.seek(0)
    handle.truncate()
    json.dump({"pid": os.getpid(), "host": socket.gethostname(),
               "started": datetime.now(UTC).isoformat(timespec="seconds")}, handle)
    handle.flush()
    return FolderLock(path, handle, taken_over)


def hold_new(path: str, text: str) -> IO[str]:
    """Create the file ``path`` holding ``text`` and lock it; the lock lasts as long as the
    returned handle is open (or the process lives)."""
    handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (held open: it is the lock)
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new file: nobody else holds it
    handle.write(text)
    handle.flush()
    return handle


def is_held(path: str) -> bool:
    """Whether a live process holds the lock of the file ``path`` (False: it is gone)."""
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        return False


@contextmanager
def exclusive(path: str) -> Iterator[None]:
    """Hold the lock of the file ``path`` (created if need be), waiting for it if another
    process holds it: for short sections that processes take in turn."""
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
