"""Manifests: what an input folder says about its files (URL, date, title, outlet, charset).

A folder may hold a ``manifest.jsonl`` or a ``manifest.csv``. Each entry names its file by
``id`` (the file's stem: ``"001"`` for ``001.txt``) or by ``path`` (relative to the folder)
and gives its ``url``, and optionally ``published``, ``title`` and ``source`` (the outlet).
The scraper's ``manifest.csv`` (``url, final_url, path, status, content_type, charset, …``)
is one such manifest: its ``final_url`` wins over ``url`` and its ``charset`` is the HTTP
response's. A file is looked up in the manifests of its folder and of the folders above it,
up to the input root; the nearest entry wins.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MANIFEST_NAMES = ("manifest.jsonl", "manifest.csv")


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """What a manifest says about one input file."""

    url: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None
    charset: str | None = None


def is_manifest(path: Path) -> bool:
    """Whether ``path`` is a manifest (``manifest.*``): metadata, never a release."""
    return path.stem.lower() == "manifest"


def _text(record: Mapping[str, object], key: str) -> str | None:
    value = record.get(key)
    return str(value).strip() or None if isinstance(value, (str, int)) else None


def _records(path: Path) -> Iterator[tuple[str, Mapping[str, object]]]:
    """``(where, record)`` for each entry of a manifest; unreadable lines are logged."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        logger.warning("manifest %s skipped: cannot read it as UTF-8 (%s)", path, exc)
        return
    if path.suffix.lower() == ".csv":
        for number, row in enumerate(csv.DictReader(text.splitlines()), start=2):
            yield f"{path}:{number}", row
        return
    # JSON Lines end at "\n" only: a U+2028 inside a string is no line break
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            logger.warning("%s:%d: skipped, not valid JSON (%s)", path, number, exc.msg)
            continue
        if isinstance(record, dict):
            yield f"{path}:{number}", record
        else:
            logger.warning("%s:%d: skipped, expected a JSON object", path, number)


def read_manifest(folder: Path) -> dict[str, ManifestEntry]:
    """The entries of ``folder``'s manifests, keyed by resolved path (``path``) or by stem
    (``id``, as ``"id:<stem>"``)."""
    entries: dict[str, ManifestEntry] = {}
    for name in MANIFEST_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        for where, record in _records(path):
            entry = ManifestEntry(url=_text(record, "final_url") or _text(record, "url"),
                                  published=_text(record, "published"),
                                  title=_text(record, "title"), source=_text(record, "source"),
                                  charset=_text(record, "charset"))
            if relative := _text(record, "path"):
                entries[str((folder / relative).resolve())] = entry
            elif stem := _text(record, "id"):
                entries[f"id:{stem}"] = entry
            else:
                logger.warning("%s: skipped, an entry needs 'path' or 'id'", where)
    return entries


class Manifests:
    """Looks an input file up in the manifests of its folder and the folders above, to root."""

    def __init__(self, root: Path) -> None:
        self._top = root.resolve() if root.is_dir() else root.resolve().parent
        self._by_folder: dict[Path, dict[str, ManifestEntry]] = {}

    def entry(self, path: Path) -> ManifestEntry:
        """The nearest manifest entry for ``path``; an empty entry when none names it."""
        resolved = path.resolve()
        for folder in resolved.parents:
            if folder not in self._by_folder:
                self._by_folder[folder] = read_manifest(folder)
            entries = self._by_folder[folder]
            by_id = f"id:{resolved.stem}" if resolved.parent == folder else None
            found = entries.get(str(resolved)) or (entries.get(by_id) if by_id else None)
            if found is not None:
                return found
            if folder == self._top:
                break
        return ManifestEntry()
