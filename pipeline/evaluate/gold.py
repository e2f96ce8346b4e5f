"""Read the hand annotations: ``gold.jsonl``, ``aliases.json`` and ``manifest.jsonl``.

Formats are those of the annotated corpus's README. A gold organisation's canonical name is
its own ``canonical`` field when given (a body of another municipality), else its ``name``
mapped through ``aliases.json``, else its ``name``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pipeline.errors import InputError

EntityLabel = Literal["PER", "ORG"]
LABELS: tuple[EntityLabel, ...] = ("PER", "ORG")
ALIASES_FILE = "aliases.json"
MANIFEST_FILE = "manifest.jsonl"


class GoldError(InputError):
    """A gold file that does not follow the corpus README's format; names file:line."""


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """A hand-annotated person or institution in one document."""

    label: EntityLabel
    name: str
    forms: frozenset[str]  # name plus mentions (PER) or aliases (ORG), as written
    sector: str | None = None
    canonical: str = ""  # the body's name across the corpus; "" = ``name``

    @property
    def identity(self) -> str:
        return self.canonical or self.name


@dataclass(frozen=True, slots=True)
class GoldDoc:
    doc_key: str
    published: date | None
    gbv: bool
    entities: tuple[GoldEntity, ...]
    event_dates: frozenset[date] | None = None  # None: the file's gold does not say
    url: str = ""  # from the manifest beside the gold file, when there is one
    city: str = ""  # the municipality the manifest says the release is about ("" = unknown)


def _read_lines(path: Path, what: str) -> list[str]:
    try:
        # JSON Lines end at "\n" only: a U+2028 inside a string is no line break
        return path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read {what} {path}: {exc}; give a UTF-8 file") from None


def load_aliases(path: Path) -> dict[str, str]:
    """``aliases.json``: gold name → canonical name of the body it denotes."""
    try:
        data = json.loads("\n".join(_read_lines(path, "aliases file")))
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                             for k, v in data.items()):
        raise GoldError(f"{path}: expected one JSON object mapping names to canonical names")
    return data


def load_manifest_field(path: Path, field: str) -> dict[str, str]:
    """``manifest.jsonl`` beside the gold: document id → its string ``field`` ("url",
    "city"); bad lines and lines without it are skipped."""
    values = {}
    for line in _read_lines(path, "manifest"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and isinstance(record.get("id"), str) \
                and isinstance(record.get(field), str):
            values[record["id"]] = record[field]
    return values


def _canonical(name: str, aliases: Mapping[str, str]) -> str:
    seen = {name}
    while name in aliases and aliases[name] not in seen:  # a chain ends; a cycle stops
        name = aliases[name]
        seen.add(name)
    return name


def _gold_entities(where: str, record: dict[str, object], key: str, label: EntityLabel,
                   forms_key: str, aliases: Mapping[str, str]) -> tuple[GoldEntity, ...]:
    items = record[key]
    if not isinstance(items, list):
        raise GoldError(f"{where}: {key!r} must be a list")
    entities = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise GoldError(f"{where}: each of {key!r} needs a string 'name', got {item!r}")
        forms = item.get(forms_key)
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise GoldError(f"{where}: {item['name']!r} needs {forms_key!r} as a list of "
                            f"strings (may be empty), got {forms!r}")
        sector, canonical = item.get("sector"), item.get("canonical")
        if canonical is not None and not isinstance(canonical, str):
            raise GoldError(f"{where}: 'canonical' of {item['name']!r} must be a string")
        entities.append(GoldEntity(label, item["name"], frozenset([item["name"], *forms]),
                                   sector if isinstance(sector, str) else None,
                                   canonical or _canonical(item["name"], aliases)))
    return tuple(entities)


def _event_dates(where: str, record: dict[str, object]) -> frozenset[date] | None:
    values = record.get("event_dates")
    if values is None:
        return None
    try:
        if not isinstance(values, list):
            raise TypeError
        return frozenset(date.fromisoformat(value) for value in values)
    except (TypeError, ValueError):
        raise GoldError(f"{where}: 'event_dates' must be a list of ISO dates (YYYY-MM-DD), "
                        f"got {values!r}") from None


def load_gold(path: Path, *, aliases: Path | None = None) -> dict[str, GoldDoc]:
    """Gold annotations from a JSONL file, keyed by their ``id`` (``"001"``).

    ``aliases`` names the aliases file; by default ``aliases.json`` beside the gold file is
    used when it exists. A ``manifest.jsonl`` beside it gives each document its URL.

    Raises:
        GoldError: naming ``file:line`` for bad JSON, a missing key or a wrong type.
    """
    alias_path = aliases or path.with_name(ALIASES_FILE)
    if aliases is not None and not aliases.is_file():
        raise GoldError(f"aliases file {aliases} does not exist; give --aliases FILE or drop it")
    names = load_aliases(alias_path) if alias_path.is_file() else {}
    manifest = path.with_name(MANIFEST_FILE)
    urls = load_manifest_field(manifest, "url") if manifest.is_file() else {}
    cities = load_manifest_field(manifest, "city") if manifest.is_file() else {}
    docs: dict[str, GoldDoc] = {}
    for number, line in enumerate(_read_lines(path, "gold file"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise GoldError(f"{where}: expected one JSON object per line")
        required = ("id", "published", "gbv_prevention", "persons", "organizations")
        if missing := [k for k in required if k not in record]:
            raise GoldError(f"{where}: missing key(s) {', '.join(missing)}; "
                            f"each line needs {', '.join(required)}")
        key, published, gbv = record["id"], record["published"], record["gbv_prevention"]
        if not isinstance(key, str) or not key or key in docs:
            raise GoldError(f"{where}: 'id' must be a unique non-empty string, got {key!r}")
        if not isinstance(gbv, bool):
            raise GoldError(f"{where}: 'gbv_prevention' must be true or false, got {gbv!r}")
        try:
            day = None if published is None else date.fromisoformat(published)
        except (TypeError, ValueError):
            raise GoldError(f"{where}: 'published' must be an ISO date (YYYY-MM-DD) or null, "
                            f"got {published!r}") from None
        entities = (_gold_entities(where, record, "persons", "PER", "mentions", {})
                    + _gold_entities(where, record, "organizations", "ORG", "aliases", names))
        docs[key] = GoldDoc(key, day, gbv, entities, _event_dates(where, record),
                            urls.get(key, ""), cities.get(key, ""))
    return docs
