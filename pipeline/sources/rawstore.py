"""The raw store: pages exactly as received, and the two ledgers beside them.

``DIR/<host>/<name>.html`` holds each page; ``manifest.csv`` has one row per saved page and
``failures.csv`` one row per URL that failed for good in its latest attempt. Every write
survives ``kill -9``: pages are renamed into place, ledger rows are appended whole and
fsynced, and a torn last line is dropped on the next open. One scrape at a time writes a
store: it holds an exclusive lock on ``DIR/.scrape.lock`` (the system releases it when the
process ends, however it ends).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from pipeline import folder_lock
from pipeline.errors import UserError
from pipeline.sources.fetch import Response
from pipeline.sources.urls import BadUrl, clean_url, host_dir, page_name, short_hash

MANIFEST_FIELDS = ("url", "final_url", "path", "status", "content_type", "charset", "sha256",
                   "fetched_at")
FAILURE_FIELDS = ("url", "reason", "attempts", "last_status")
LOCK_NAME = ".scrape.lock"


class ScrapeError(UserError, ValueError):
    """Nothing could be attempted: a bad URL list, base URL or output folder."""


class RawStore:
    """The pages, manifest and failures ledger under one output folder, locked while open.

    Use it as a context manager, or call :meth:`close`, which releases the lock.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScrapeError(f"cannot create output folder {root}: {exc.strerror}") from None
        self._lock = _lock(root)
        try:
            self._open()
        except BaseException:
            self.close()
            raise

    def _open(self) -> None:
        for part in [*self.root.glob(".*.part"), *self.root.glob("*/.*.part")]:  # killed run
            part.unlink()
        self.manifest = self.root / "manifest.csv"
        self.failures = self.root / "failures.csv"
        rows = self._load(self.manifest, MANIFEST_FIELDS)
        self.saved_urls = [row["final_url"] for row in rows]
        # Earlier versions kept fragments and credentials; their rows still count as had.
        self._known = {_comparable(row[key]) for row in rows for key in ("url", "final_url")}
        self._paths = {row["path"].lower(): row["final_url"] for row in rows}
        self._settled: set[str] = set()  # URLs that failed before and worked now
        self.compact_failures()

    def __enter__(self) -> RawStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if not self._lock.handle.closed:
            self._lock.release()

    def has(self, url: str) -> bool:
        return url in self._known

    def save(self, response: Response) -> str:
        """Write the page atomically, then its manifest row; returns its path in the store."""
        folder = host_dir(response.final_url)
        name = page_name(response.final_url)
        relative = f"{folder}/{name}"
        owner = self._paths.get(relative.lower())
        if owner is not None and owner != response.final_url:  # two URLs, one flattened name
            relative = f"{folder}/{name[:-5]}-{short_hash(response.final_url)}.html"
        _write_atomic(self.root / relative, response.body)
        _append_row(self.manifest, MANIFEST_FIELDS, {
            "url": response.url, "final_url": response.final_url, "path": relative,
            "status": str(response.status), "content_type": response.content_type,
            "charset": response.charset, "sha256": hashlib.sha256(response.body).hexdigest(),
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        })
        self._known.update((response.url, response.final_url))
        self._paths[relative.lower()] = response.final_url
        self.saved_urls.append(response.final_url)
        return relative

    def fail(self, url: str, reason: str, attempts: int, last_status: int | None) -> None:
        self._settled.discard(url)
        _append_row(self.failures, FAILURE_FIELDS, {
            "url": url, "reason": reason, "attempts": str(attempts),
            "last_status": "" if last_status is None else str(last_status)})

    def settle(self, url: str) -> None:
        """A URL that is not a page (a listing) worked: its earlier failure row goes."""
        self._settled.add(url)

    def compact_failures(self) -> None:
        """One row per URL (its latest failure), none for URLs that worked since."""
        latest: dict[str, dict[str, str]] = {}
        for row in self._load(self.failures, FAILURE_FIELDS):
            latest.pop(row["url"], None)  # re-insert so the order follows the latest attempt
            if row["url"] not in self._known and row["url"] not in self._settled:
                latest[row["url"]] = row
        _write_atomic(self.failures, _csv_text(FAILURE_FIELDS, latest.values()).encode())
        self._settled.clear()

    def read_ledger(self, name: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
        """The rows of another ledger beside the manifest (an empty one when absent)."""
        return self._load(self.root / name, fields)

    def write_ledger(self, name: str, fields: tuple[str, ...],
                     rows: Iterable[dict[str, str]]) -> None:
        """Replace another ledger beside the manifest, whole and atomically."""
        _write_atomic(self.root / name, _csv_text(fields, rows).encode())

    def _load(self, path: Path, fields: tuple[str, ...]) -> list[dict[str, str]]:
        if not path.exists():
            _write_atomic(path, _csv_text(fields, []).encode())
            return []
        data = path.read_bytes()
        if not data.endswith(b"\n"):  # a torn last line from a killed run: drop it
            data = data[:data.rfind(b"\n") + 1]
            if not data:
                _write_atomic(path, _csv_text(fields, []).encode())
                return []
            with path.open("r+b") as handle:
                handle.truncate(len(data))
        reader = csv.DictReader(io.StringIO(data.decode("utf-8")))
        if tuple(reader.fieldnames or ()) != fields:
            raise ScrapeError(f"{path} has columns {reader.fieldnames}, expected {list(fields)}; "
                              "choose another --out folder")
        return list(reader)


def _comparable(url: str) -> str:
    try:
        return clean_url(url)
    except BadUrl:
        return url


def _lock(root: Path) -> folder_lock.FolderLock:
    """Hold ``root/.scrape.lock`` exclusively, or say which scrape holds it."""
    try:
        return folder_lock.hold(root / LOCK_NAME)
    except OSError as exc:
        raise ScrapeError(f"cannot write to output folder {root}: {exc.strerror}; choose "
                          "another --out folder") from None
    except folder_lock.FolderBusy as busy:
        raise ScrapeError(f"{root} is in use by another scrape ({busy.holder}); wait for it "
                          "to end or choose another --out folder") from None


def _csv_text(fields: tuple[str, ...], rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _append_row(path: Path, fields: tuple[str, ...], row: dict[str, str]) -> None:
    line = _csv_text(fields, [row]).split("\n", 1)[1]
    # One write of a whole line, then fsync: a kill leaves at most a torn last line.
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    with temporary.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
