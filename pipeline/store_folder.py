"""What the interim store owns, and who is using it: its marker, the manifest of the shards it
wrote, and the leases of the runs that read it.

A store deletes files (stale shards, the folder of a fingerprint no run needs), so it deletes
only what it can prove it wrote:

- the marker ``.prensa-red-store`` says a folder is a store. A folder without one becomes a
  store only when it holds nothing else than a ``.gitkeep``, key files (``privacy.key``) or the
  shards of a store written before markers existed; any other folder is refused.
- the manifest: beside each shard ``<fp>/<name>.parquet`` an entry ``<name>.sha256`` holds its
  SHA-256, written before the shard. A shard is read only when its bytes match its entry, and
  pruning deletes only shards that have one (and entries whose shard an interrupted write never
  finished); a file without an entry is neither read nor deleted.
- leases: each run holds ``.leases/<id>.json``, naming its fingerprint, for as long as it runs,
  and a run prunes nothing of a fingerprint another live lease names. On a local folder a lease
  lives while its process holds a lock on it (gone when the process ends, however it ends);
  taking a lease and pruning take turns under ``.leases/.lock``. On object storage, where
  files cannot be locked, a lease counts as live for :data:`LEASE_HOURS`.
- ``.gitignore`` (``*``) keeps git from picking up a store wherever it lies.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import IO

import fsspec
from fsspec.implementations.local import LocalFileSystem

from pipeline import folder_lock
from pipeline.config import RUN_GENERATOR
from pipeline.errors import UserError

logger = logging.getLogger(__name__)

MARKER = ".prensa-red-store"
LEASES = ".leases"
CORRUPT = "corrupt"  # shards whose bytes no longer match their entry, moved aside
ENTRY = ".sha256"  # a manifest entry's suffix
FINGERPRINT = re.compile(r"[0-9a-f]{16}")
SHARD = re.compile(r"[0-9a-f]{20}\.parquet")
LEASE_HOURS = 24  # object storage: how long a lease counts as live without a lock
# What a folder may hold besides a store's own files and still become one.
_HARMLESS = re.compile(r"\.gitkeep|.+\.key")
# A store written before markers: <fingerprint>/<shard>.parquet and its temporary files.
_UNMARKED_FILE = re.compile(r"\.?[0-9a-f]{20}\.parquet(?:\.tmp)?")
# The temporary file of a shard or an entry that a killed write left (see put).
_OWN_TEMPORARY = re.compile(r"\.[0-9a-f]{20}\.(?:parquet|sha256)\.[0-9a-f]{8}\.tmp")


class StoreError(UserError):
    """The interim store cannot be opened or written."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_local(fs: fsspec.AbstractFileSystem) -> bool:
    return isinstance(fs, LocalFileSystem)


def put(fs: fsspec.AbstractFileSystem, path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: a temporary file beside it, renamed."""
    folder, name = path.rsplit("/", 1)
    temporary = f"{folder}/.{name}.{secrets.token_hex(4)}.tmp"
    with fs.open(temporary, "wb") as handle:
        handle.write(data)
    fs.mv(temporary, path)


def _name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


def listing(fs: fsspec.AbstractFileSystem, folder: str) -> dict[str, str]:
    """Name → "file" or "directory" of what ``folder`` holds."""
    return {_name(entry["name"]): entry["type"] for entry in fs.ls(folder, detail=True)}


def claim(fs: fsspec.AbstractFileSystem, root: str, location: str) -> None:
    """Make sure ``root`` is a store: it has the marker, or it becomes one (see the module's
    docstring), or :class:`StoreError` says why it cannot."""
    fs.makedirs(root, exist_ok=True)
    marker = f"{root}/{MARKER}"
    if fs.exists(marker):
        try:
            ours = json.loads(fs.cat_file(marker)).get("generator") == RUN_GENERATOR
        except (ValueError, AttributeError):
            ours = False
        if not ours:
            raise StoreError(f"interim store {location}: {MARKER} is not a prensa-red marker; "
                             "give --interim a new or empty folder")
        return
    unmarked, foreign = [], []
    for name, kind in sorted(listing(fs, root).items()):
        if kind == "file" and _HARMLESS.fullmatch(name):
            continue
        if kind == "directory" and FINGERPRINT.fullmatch(name) and all(
                _UNMARKED_FILE.fullmatch(inner) for inner in listing(fs, f"{root}/{name}")):
            unmarked.append(f"{root}/{name}")
        else:
            foreign.append(name)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3
                                          else "")
        raise StoreError(f"interim store {location} is a folder that holds other files "
                         f"({shown}) and is not a prensa-red store; a store deletes the results "
                         "it no longer needs, so it keeps to a folder of its own: give "
                         "--interim a new or empty folder")
    for folder in unmarked:  # shards of a store older than markers: entries for them now
        for name, _ in listing(fs, folder).items():
            if name.endswith(".tmp"):
                fs.rm(f"{folder}/{name}")
            else:
                put(fs, f"{folder}/{name.removesuffix('.parquet')}{ENTRY}",
                    sha256(fs.cat_file(f"{folder}/{name}")).encode())
    if not fs.exists(f"{root}/.gitignore"):
        put(fs, f"{root}/.gitignore", b"# A prensa-red interim store: never committed.\n*\n")
    put(fs, marker, json.dumps({"generator": RUN_GENERATOR, "kind": "interim-store",
                                "version": 1}).encode())


def owned_shards(fs: fsspec.AbstractFileSystem, folder: str) -> tuple[list[str], list[str]]:
    """The shards of ``folder`` that have a manifest entry, and the entries without a shard
    (interrupted writes). A shard without an entry is not the store's: it is logged."""
    names = listing(fs, folder)
    shards, orphans = [], []
    for name in sorted(names):
        if name.endswith(ENTRY):
            shard = name.removesuffix(ENTRY) + ".parquet"
            (shards if shard in names else orphans).append(shard)
        elif SHARD.fullmatch(name) and name.removesuffix(".parquet") + ENTRY not in names:
            logger.warning("interim store: %s/%s has no manifest entry, so this store did not "
                           "write it; it is neither read nor deleted", folder, name)
    return shards, orphans


def drop_shard(fs: fsspec.AbstractFileSystem, folder: str, shard: str) -> None:
    """Delete a shard the store owns, then its entry."""
    if fs.exists(f"{folder}/{shard}"):
        fs.rm(f"{folder}/{shard}")
    fs.rm(f"{folder}/{shard.removesuffix('.parquet')}{ENTRY}")


def drop_leftovers(fs: fsspec.AbstractFileSystem, folder: str) -> list[str]:
    """Delete the temporary files that killed writes left and the entries whose shard never
    came; return the shards with an entry. Only when no live run writes here."""
    shards, orphans = owned_shards(fs, folder)
    for shard in orphans:
        drop_shard(fs, folder, shard)
    for name in listing(fs, folder):
        if _OWN_TEMPORARY.fullmatch(name):
            fs.rm(f"{folder}/{name}")
    return shards


def drop_folder(fs: fsspec.AbstractFileSystem, folder: str) -> None:
    """Delete what the store owns in a fingerprint's folder, then the folder if that emptied
    it (a file someone else put there keeps it)."""
    for shard in drop_leftovers(fs, folder):
        drop_shard(fs, folder, shard)
    if not fs.ls(folder, detail=False):
        fs.rmdir(folder)


def move_aside(fs: fsspec.AbstractFileSystem, root: str, folder: str, shard: str) -> str:
    """Move a damaged shard to ``<root>/corrupt/`` (its entry goes); return where it went."""
    fs.makedirs(f"{root}/{CORRUPT}", exist_ok=True)
    target = f"{root}/{CORRUPT}/{_name(folder)}-{shard}.corrupt"
    try:
        fs.mv(f"{folder}/{shard}", target)
        fs.rm(f"{folder}/{shard.removesuffix('.parquet')}{ENTRY}")
    except FileNotFoundError:
        pass  # another run moved it first
    return target


@dataclass(slots=True)
class Lease:
    """A run's claim on its fingerprint's results; ``release()`` it when the run ends."""

    fs: fsspec.AbstractFileSystem
    path: str
    handle: IO[str] | None  # the locked file (local folders)

    def release(self) -> None:
        try:
            self.fs.rm(self.path)
        except FileNotFoundError:
            pass
        if self.handle is not None:
            self.handle.close()


@contextmanager
def turn(fs: fsspec.AbstractFileSystem, root: str) -> Iterator[None]:
    """Taking a lease and pruning, one at a time (local folders; object storage cannot lock)."""
    if not is_local(fs):
        yield
        return
    fs.makedirs(f"{root}/{LEASES}", exist_ok=True)
    with folder_lock.exclusive(f"{root}/{LEASES}/.lock"):
        yield


def take_lease(fs: fsspec.AbstractFileSystem, root: str, fingerprint: str) -> Lease:
    """A new lease on ``fingerprint``, held until released or the process ends."""
    fs.makedirs(f"{root}/{LEASES}", exist_ok=True)
    name = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}.json"
    path = f"{root}/{LEASES}/{name}"
    text = json.dumps({"fingerprint": fingerprint, "pid": os.getpid(),
                       "host": socket.gethostname(),
                       "started": datetime.now(UTC).isoformat(timespec="seconds")})
    with turn(fs, root):
        if not is_local(fs):
            fs.pipe_file(path, text.encode())
            return Lease(fs, path, None)
        handle = folder_lock.hold_new(path, text)
    return Lease(fs, path, handle)


def busy_fingerprints(fs: fsspec.AbstractFileSystem, root: str, own: Lease | None) -> set[str]:
    """The fingerprints other live runs hold leases on; dead runs' leases are removed. Call
    inside :func:`turn`."""
    folder = f"{root}/{LEASES}"
    if not fs.exists(folder):
        return set()
    busy = set()
    for name, kind in listing(fs, folder).items():
        path = f"{folder}/{name}"
        if kind != "file" or not name.endswith(".json") or (own and path == own.path):
            continue
        try:
            lease = json.loads(fs.cat_file(path))
        except (ValueError, FileNotFoundError):
            lease = {}
        live = folder_lock.is_held(path) if is_local(fs) else _recent(lease.get("started"))
        if live and isinstance(lease, dict):
            busy.add(str(lease.get("fingerprint", "")))
        elif not live:
            fs.rm(path)
    return busy


def _recent(started: object) -> bool:
    try:
        when = datetime.fromisoformat(str(started))
    except ValueError:
        return False
    return datetime.now(UTC) - when < timedelta(hours=LEASE_HOURS)
