"""Per-document results kept between runs: Parquet shards in the interim store.

Every release's outcome, its :class:`DocumentResult` or the :class:`Reject` that stopped it, is
stored under a key made of the release's bytes, its manifest metadata (every field of
:class:`RawDocument`) and the pipeline's fingerprint (:mod:`pipeline.fingerprint`). A rerun
looks each input's key up and processes only the releases it does not find, so an unchanged
corpus costs no NLP and a changed file, setting, resource or line of code costs exactly the
releases it affects.

Layout: ``<store>/<fingerprint>/<shard>.parquet``, one row per release, each shard with its
manifest entry (its SHA-256, checked on every read: a damaged shard is moved aside, with one
warning naming it, and its releases are processed again). The store owns its folder and
deletes only what it wrote; concurrent runs hold leases, so none prunes another's results
(:mod:`pipeline.store_folder`). The Arrow schema is derived from the dataclasses
(:mod:`pipeline.arrow`), so a field added to :class:`DocumentResult` needs no change here. The
store is any fsspec location: a local folder, or object storage on a cluster
(``s3://bucket/interim`` with s3fs installed). A run that names every person keeps its results
in a store of its own beside the default one (:func:`location_for`).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import store_folder as owned
from pipeline.arrow import Codec
from pipeline.config import Settings
from pipeline.records import DocumentResult, RawDocument, Reject
from pipeline.store_folder import StoreError

logger = logging.getLogger(__name__)
Outcome = DocumentResult | Reject
_SHARDS_KEPT = 4  # decoded shards held while reading in input order
PRIVATE_SUFFIX = "-private"

# Arrow's own pool (mimalloc) keeps the memory it frees for its own reuse, out of reach of
# release_freed_memory (pipeline.memory): after indexing and reading 6,400 stored releases,
# 40-85 MB more stayed resident under the corpus stage. The C library's allocator hands it back.
pa.set_memory_pool(pa.system_memory_pool())


def location_for(settings: Settings) -> str:
    """The store a run uses: ``interim``, or ``<interim>-private`` beside it for a run that
    names every person, so that named people never enter the default store (and a store,
    wherever it lies, tells git to ignore it)."""
    interim = settings.interim.rstrip("/")
    return interim + PRIVATE_SUFFIX if settings.include_private_persons else interim


def document_key(raw: RawDocument, fingerprint: str) -> str:
    """The key of one release's result: its bytes, its metadata and the pipeline.

    >>> raw = RawDocument("d1", "a.txt", "txt", b"Texto.")
    >>> document_key(raw, "f" * 16) == document_key(raw, "f" * 16)
    True
    """
    metadata = {f.name: getattr(raw, f.name) for f in fields(RawDocument) if f.name != "data"}
    digest = hashlib.sha256(fingerprint.encode())
    digest.update(json.dumps(metadata, sort_keys=True).encode())
    digest.update(hashlib.sha256(raw.data).digest())
    return digest.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class _Row:
    shard: str
    row: int
    reject: Reject | None  # rejects are kept in the index: small, and read for rejects.csv


_CODEC, _REJECT = Codec(DocumentResult), Codec(Reject)
_SCHEMA = pa.schema([pa.field("key", pa.string(), nullable=False),
                     pa.field("path", pa.string(), nullable=False),
                     pa.field("reject", _REJECT.arrow_type),  # null when there is a result
                     pa.field("result", _CODEC.arrow_type)])
_INDEX_COLUMNS = ["key", "reject"]


def _fs(location: str) -> tuple[fsspec.AbstractFileSystem, str]:
    try:
        return fsspec.core.url_to_fs(location)
    except (ImportError, ValueError) as exc:
        raise StoreError(f"interim store {location} cannot be used: {exc}; give --interim a "
                         "folder or an fsspec URL whose package is installed") from None


class ResultStore:
    """The shards of one pipeline fingerprint under ``location``.

    >>> store = ResultStore("memory://doc/interim", "0123456789abcdef")
    >>> raw = RawDocument("d1", "a.txt", "txt", b"")
    >>> key = document_key(raw, store.fingerprint)
    >>> _ = store.write_shard([(key, Reject("a.txt", "clean", "no text"))])
    >>> store.get_reject(key)
    Reject(path='a.txt', stage='clean', reason='no text', error='')
    >>> store.close()
    """

    def __init__(self, location: str, fingerprint: str, *, index: bool = True,
                 lease: bool = True) -> None:
        """Open (and create) the store and take a lease on the fingerprint until
        :meth:`close`; ``index=False`` ignores the shards already there (``--rebuild``, or a
        worker that only writes), ``lease=False`` takes none (a worker: its run holds one).

        Raises:
            StoreError: the location cannot be used, or is a folder that is not a store.
        """
        self.location = location if "://" in location else os.path.abspath(location)
        self.fingerprint = fingerprint[:16]
        self._fs, root = _fs(location)
        self._root = root.rstrip("/")
        self._folder = f"{self._root}/{self.fingerprint}"
        self._index: dict[str, _Row] = {}
        self._rows: dict[str, int] = {}  # shard → number of rows
        self._cache: OrderedDict[str, list[Outcome]] = OrderedDict()
        self.written: list[str] = []  # shards this instance wrote
        self._lease: owned.Lease | None = None
        try:
            owned.claim(self._fs, self._root, self.location)
            self._fs.makedirs(self._folder, exist_ok=True)
            if lease:
                self._lease = owned.take_lease(self._fs, self._root, self.fingerprint)
            if index:
                for shard in owned.owned_shards(self._fs, self._folder)[0]:
                    self._index_shard(shard)
        except OSError as exc:
            self.close()
            raise StoreError(f"interim store {location} cannot be used: "
                             f"{exc.strerror or exc}; give --interim a writable folder") from None

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the run's lease (the system does, too, if the process ends first)."""
        if self._lease is not None:
            self._lease.release()
            self._lease = None

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._index)

    def _verified(self, shard: str) -> bytes | None:
        """The shard's bytes if they match its manifest entry; a damaged shard is moved aside
        with a warning naming it (None: its releases are processed again)."""
        stem = shard.removesuffix(".parquet")
        try:
            expected = self._fs.cat_file(f"{self._folder}/{stem}{owned.ENTRY}").decode().strip()
            data = self._fs.cat_file(f"{self._folder}/{shard}")
        except FileNotFoundError:
            return None
        if owned.sha256(data) == expected:
            return data
        where = owned.move_aside(self._fs, self._root, self._folder, shard)
        logger.warning("interim store: shard %s/%s is damaged (its bytes no longer match the "
                       "checksum written with it); moved it to %s, and its releases are "
                       "processed again", self.fingerprint, shard, where)
        return None

    def _read(self, shard: str, columns: list[str]) -> pa.Table | None:
        data = self._verified(shard)
        if data is None:
            return None
        try:
            return pq.ParquetFile(pa.BufferReader(data)).read(columns=columns)
        except pa.ArrowException as exc:  # intact, yet unreadable: processed again
            logger.warning("interim store: ignoring unreadable shard %s (%s)", shard, exc)
            return None

    def _index_shard(self, shard: str) -> None:
        table = self._read(shard, _INDEX_COLUMNS)
        if table is not None:
            self._add_to_index(shard, table)

    def _add_to_index(self, shard: str, table: pa.Table) -> None:
        for row, (key, reject) in enumerate(zip(
                *(table.column(c).to_pylist() for c in _INDEX_COLUMNS), strict=True)):
            self._index[key] = _Row(shard, row, _REJECT.decode(reject))
        self._rows[shard] = table.num_rows

    def write_shard(self, outcomes: Sequence[tuple[str, Outcome]]) -> str:
        """Store ``(key, outcome)`` pairs as one shard, its manifest entry first, each written
        whole then renamed; return its name. Workers call this too: a shard's name derives
        from its bytes, so the same results written twice are one shard."""
        table = pa.Table.from_pylist([
            {"key": key, "path": outcome.path,
             "reject": _REJECT.encode(outcome) if isinstance(outcome, Reject) else None,
             "result": _CODEC.encode(outcome) if isinstance(outcome, DocumentResult) else None}
            for key, outcome in outcomes], schema=_SCHEMA)
        buffer = io.BytesIO()
        pq.write_table(table, buffer, compression="zstd")
        data = buffer.getvalue()
        digest = owned.sha256(data)
        name = digest[:20] + ".parquet"
        try:
            owned.put(self._fs, f"{self._folder}/{digest[:20]}{owned.ENTRY}", digest.encode())
            owned.put(self._fs, f"{self._folder}/{name}", data)
        except OSError as exc:
            raise StoreError(f"interim store {self.location} cannot be written: "
                             f"{exc.strerror or exc}; free space or give --interim a "
                             "writable folder") from None
        self._add_to_index(name, table.select(_INDEX_COLUMNS))
        self.written.append(name)
        return name

    def add_shard(self, name: str) -> None:
        """Index a shard another process wrote (a Dask worker)."""
        self._cache.pop(name, None)
        self._index_shard(name)

    def _outcomes(self, shard: str) -> list[Outcome]:
        if shard in self._cache:
            self._cache.move_to_end(shard)
            return self._cache[shard]
        table = self._read(shard, ["reject", "result"])
        if table is None:
            raise StoreError(f"interim store {self.location}: shard {self.fingerprint}/{shard} "
                             "was damaged or removed while this run read it; run extract "
                             "again to process its releases again")
        outcomes: list[Outcome] = [
            _REJECT.decode(reject) if reject is not None else _CODEC.decode(result)
            for reject, result in zip(table.column("reject").to_pylist(),
                                      table.column("result").to_pylist(), strict=True)]
        self._cache[shard] = outcomes
        while len(self._cache) > _SHARDS_KEPT:
            self._cache.popitem(last=False)
        return outcomes

    def forget_decoded(self) -> None:
        """Drop the decoded shards held for reading in order."""
        self._cache.clear()

    def get(self, key: str) -> Outcome:
        """The stored outcome under ``key`` (KeyError when there is none)."""
        where = self._index[key]
        return where.reject or self._outcomes(where.shard)[where.row]

    def results(self, keys: Sequence[str]) -> StoredResults:
        """The DocumentResults under ``keys``, in that order, re-readable (two passes)."""
        return StoredResults(self, keys)

    def get_reject(self, key: str) -> Reject | None:
        """The stored reject under ``key``; None when a result is stored there."""
        return self._index[key].reject

    def prune(self, keys: Iterable[str]) -> int:
        """Delete what no key in ``keys`` uses, of what the store owns: the shards of other
        fingerprints, shards of this one without a live row, leftovers of interrupted writes;
        rewrite the shards that are mostly stale. Nothing a live run's lease names is
        touched. Return the number of shards deleted."""
        live: dict[str, list[str]] = {}
        for key in keys:
            live.setdefault(self._index[key].shard, []).append(key)
        with owned.turn(self._fs, self._root):
            busy = owned.busy_fingerprints(self._fs, self._root, self._lease)
            for name, kind in owned.listing(self._fs, self._root).items():
                if kind == "directory" and owned.FINGERPRINT.fullmatch(name) \
                        and name != self.fingerprint and name not in busy:
                    owned.drop_folder(self._fs, f"{self._root}/{name}")
            if self.fingerprint in busy:  # another run reads this fingerprint's shards
                logger.info("interim store: another run uses %s; its stale shards stay until "
                            "a run prunes alone", self.fingerprint)
                return 0
            deleted = 0
            for shard in owned.drop_leftovers(self._fs, self._folder):
                kept = live.get(shard, [])
                if len(kept) * 2 <= self._rows.get(shard, 0):
                    if kept:  # the live rows move to a new shard of their own
                        self.write_shard([(key, self.get(key)) for key in kept])
                    owned.drop_shard(self._fs, self._folder, shard)
                    deleted += 1
        return deleted


class StoredResults:
    """A re-readable view of stored DocumentResults in a given order (rejects skipped)."""

    def __init__(self, store: ResultStore, keys: Sequence[str]) -> None:
        self._store = store
        self._keys = keys

    def __iter__(self) -> Iterator[DocumentResult]:
        for key in self._keys:
            outcome = self._store.get(key)
            if isinstance(outcome, DocumentResult):
                yield outcome
        self._store.forget_decoded()  # a pass is over: the next one reads the shards again


class RunOrder:
    """One run's releases in input order: each one's key, or the Reject of an input that
    never became a release (an unsupported or unreadable file: found again at no cost)."""

    def __init__(self, store: ResultStore) -> None:
        self._store = store
        self._entries: list[str | Reject] = []
        self.reused = 0

    def missing(self, inputs: Iterable[RawDocument | Reject]
                ) -> Iterator[tuple[str, RawDocument]]:
        """Record every input; yield the releases the store lacks, with their keys."""
        for item in inputs:
            if isinstance(item, Reject):
                self._entries.append(item)
                continue
            key = document_key(item, self._store.fingerprint)
            self._entries.append(key)
            if key in self._store:
                self.reused += 1
            else:
                yield key, item

    @property
    def keys(self) -> list[str]:
        keys = [entry for entry in self._entries if isinstance(entry, str)]
        lost = sum(key not in self._store for key in keys)
        if lost:
            raise RuntimeError(f"{lost} releases got neither a result nor a reject from the "
                               "per-document stage")
        return keys

    def results(self) -> StoredResults:
        """The stored DocumentResults, in input order (re-readable)."""
        return self._store.results(self.keys)

    def rejects(self) -> list[Reject]:
        """Every reject, stored or not, in input order."""
        rejects = []
        for entry in self._entries:
            reject = entry if isinstance(entry, Reject) else self._store.get_reject(entry)
            if reject is not None:
                rejects.append(reject)
        return rejects
