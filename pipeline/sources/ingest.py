"""Find the releases under an input path and read them, bytes untouched.

A path is a file or a folder read recursively. ``.txt``, ``.html``/``.htm`` and ``.jsonl``
(one release per line: ``text``, optionally ``id``, ``url``, ``title``, ``published``) are
read; a scraper's ``manifest.csv`` gives the URL and HTTP charset of the pages beside it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import RawDocument, Reject

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "json"}
# Ledgers the scraper writes beside the pages: bookkeeping, not releases.
LEDGERS = {"manifest.csv", "failures.csv"}


def doc_id_for(key: str) -> str:
    """A stable, file-name-safe id: the first 16 hex digits of the key's SHA-1."""
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def list_inputs(root: Path) -> list[Path]:
    """Every file to consider under ``root`` (or ``root`` itself), hidden ones skipped."""
    if not root.exists():
        raise InputError(f"input path {root} does not exist; pass a release file or a folder")
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.name not in LEDGERS
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


def _read_manifest(folder: Path) -> dict[Path, tuple[str, str | None]]:
    """Pages listed in ``folder/manifest.csv``: path → (final URL, HTTP charset)."""
    path = folder / "manifest.csv"
    if not path.is_file():
        return {}
    pages: dict[Path, tuple[str, str | None]] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row.get("path") and (row.get("final_url") or row.get("url")):
                pages[(folder / row["path"]).resolve()] = (
                    row.get("final_url") or row["url"], row.get("charset") or None)
    return pages


class _Manifests:
    """Looks a saved page up in the manifests of its folder and the folders above, to root."""

    def __init__(self, root: Path) -> None:
        self._top = root.resolve() if root.is_dir() else root.resolve().parent
        self._by_folder: dict[Path, dict[Path, tuple[str, str | None]]] = {}

    def origin(self, path: Path) -> tuple[str | None, str | None]:
        resolved = path.resolve()
        for folder in resolved.parents:
            if folder not in self._by_folder:
                self._by_folder[folder] = _read_manifest(folder)
            if resolved in self._by_folder[folder]:
                return self._by_folder[folder][resolved]
            if folder == self._top:
                break
        return None, None


def _read_jsonl(rel: str, data: bytes) -> list[RawDocument | Reject]:
    """The releases of a .jsonl file; a file with none (an annotation file, a manifest) is
    one reject, not one per line."""
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        return [Reject(rel, "ingest", f"a .jsonl file must be UTF-8: {exc.reason} at byte "
                       f"{exc.start}")]
    results = list(_jsonl_records(rel, lines))
    if results and not any(isinstance(r, RawDocument) for r in results):
        return [Reject(rel, "ingest", f'no line is a release (an object with a "text" string); '
                       f"{len(results)} lines skipped")]
    return results


def _jsonl_records(rel: str, lines: list[str]) -> Iterator[RawDocument | Reject]:
    for number, line in enumerate(lines, 1):
        where = f"{rel}#L{number}"
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Reject(where, "ingest", f"not valid JSON: {exc.msg} (column {exc.colno})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield Reject(where, "ingest", 'each line needs an object with a "text" string')
            continue
        given_id = record.get("id")
        key = f"{rel}#id={given_id}" if given_id not in (None, "") else where
        yield RawDocument(doc_id=doc_id_for(record.get("url") or key), path=where, fmt="json",
                          data=record["text"].encode("utf-8"), url=record.get("url") or None,
                          title=record.get("title") or None,
                          published_raw=str(record["published"]) if record.get("published")
                          else None)


def read_inputs(root: Path, paths: list[Path] | None = None) -> Iterator[RawDocument | Reject]:
    """Yield one :class:`RawDocument` per release under ``root``, or a :class:`Reject`."""
    manifests = _Manifests(root)
    for path in list_inputs(root) if paths is None else paths:
        rel = path.name if root.is_file() else path.relative_to(root).as_posix()
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            yield Reject(rel, "ingest", f"unsupported file type {path.suffix or '(none)'!r}; "
                         "expected .txt, .html, .htm or .jsonl")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            yield Reject(rel, "ingest", f"cannot read file: {exc.strerror}")
            continue
        if fmt == "json":
            yield from _read_jsonl(rel, data)
            continue
        url, charset = manifests.origin(path) if fmt == "html" else (None, None)
        yield RawDocument(doc_id=doc_id_for(url or rel), path=rel, fmt=fmt, data=data, url=url,
                          charset=charset)
