"""Find the releases under an input path and read them, bytes untouched.

A path is a file or a folder read recursively. ``.txt``, ``.html``/``.htm`` and ``.jsonl``
(one release per line: ``text``, optionally ``id``, ``url``, ``title``, ``published``) are
read; a folder's manifest (:mod:`pipeline.sources.manifests`) gives its files their URL,
publication date, title and outlet (the scraper's ``manifest.csv`` also the HTTP charset).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import InputError
from pipeline.records import RawDocument, Reject
from pipeline.sources.manifests import Manifests, is_manifest

FORMATS = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "json"}
# Metadata beside the releases, never read as releases nor rejected: the scraper's ledgers,
# manifests (manifest.*), an annotated corpus's gold and aliases, README files.
LEDGERS = {"failures.csv", "gold.jsonl", "aliases.json"}


def is_metadata(path: Path) -> bool:
    return path.name.lower() in LEDGERS or is_manifest(path) or \
        path.stem.lower() == "readme"


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
                  if p.is_file() and not is_metadata(p)
                  and not any(part.startswith(".") for part in p.relative_to(root).parts))


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
    manifests = Manifests(root)
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
        entry = manifests.entry(path)
        yield RawDocument(doc_id=doc_id_for(entry.url or rel), path=rel, fmt=fmt, data=data,
                          url=entry.url, title=entry.title, published_raw=entry.published,
                          charset=entry.charset, published_source="manifest",
                          title_source="manifest", source=entry.source)
