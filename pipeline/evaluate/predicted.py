"""The pipeline's output as the scorer reads it: one PredictedDoc per release.

Built from the exported tables (``documents``, ``mentions``, ``entities`` and optionally
``dates``), so that what is scored is exactly what an analyst receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from pipeline.evaluate.gold import LABELS

if TYPE_CHECKING:
    import pandas as pd

# Where a publication date came from when the text does not state it (documents.csv's
# published_source); such a date is not "spurious" where the gold records none.
NOT_FROM_TEXT = frozenset({"url", "metadata", "manifest"})


@dataclass(frozen=True, slots=True)
class PredictedEntity:
    entity_id: str
    label: str
    name: str  # canonical name
    forms: frozenset[str]  # surface forms this entity_id got in the document
    sector: str = ""  # entities.csv's sector and jurisdiction ("" when not given)
    jurisdiction: str = ""


@dataclass(frozen=True, slots=True)
class PredictedDoc:
    doc_key: str
    published: date | None
    gbv: bool
    entities: tuple[PredictedEntity, ...]
    event_dates: frozenset[date] = frozenset()
    published_source: str = "text"  # "text", or one of NOT_FROM_TEXT


def _doc_key(doc_id: str, path: str) -> str:
    """The stem of the input path; a jsonl line (``file.jsonl#L3``) keeps its own doc_id."""
    if "#" in path or not path:
        return doc_id
    return PurePosixPath(path.replace("\\", "/")).stem


def document_keys(documents: pd.DataFrame) -> dict[str, str]:
    """Each release's ``doc_id`` → its key in the gold (as :func:`predicted_docs_from_tables`
    keys it)."""
    return {str(row.doc_id): _doc_key(str(row.doc_id), "" if _blank(row.path) else str(row.path))
            for row in documents.itertuples(index=False)}


def _blank(value: object) -> bool:
    return value is None or value != value or str(value).strip() == ""  # NaN != NaN


def _day(value: object, what: str) -> date | None:
    if _blank(value):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)") from None


def _require(table: str, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    if missing := [c for c in columns if c not in frame.columns]:
        raise ValueError(f"{table} table lacks column(s) {', '.join(missing)}; has "
                         f"{', '.join(map(str, frame.columns))} (read the CSV with "
                         "encoding='utf-8-sig' so a byte-order mark does not rename doc_id)")


def _event_dates(dates: pd.DataFrame | None) -> dict[str, set[date]]:
    by_doc: dict[str, set[date]] = {}
    if dates is None:
        return by_doc
    _require("dates", dates, ("doc_id", "value", "kind"))
    for row in dates.itertuples(index=False):
        day = _day(row.value, f"dates of {row.doc_id!r}")
        if row.kind == "event" and day is not None:
            by_doc.setdefault(str(row.doc_id), set()).add(day)
    return by_doc


def predicted_docs_from_tables(documents: pd.DataFrame, mentions: pd.DataFrame,
                               entities: pd.DataFrame,
                               dates: pd.DataFrame | None = None) -> dict[str, PredictedDoc]:
    """PredictedDocs from the exported tables, keyed like the gold (the input file's stem).

    A mention without an ``entity_id`` (unresolved) stands for an entity of its own text.
    """
    _require("documents", documents, ("doc_id", "path", "published", "gbv_related"))
    _require("mentions", mentions, ("doc_id", "entity_id", "label", "text"))
    _require("entities", entities, ("entity_id", "name"))
    names = {str(row.entity_id): str(row.name) for row in entities.itertuples(index=False)}
    places = {str(row.entity_id): tuple("" if _blank(value) else str(value) for value in
                                        (getattr(row, "sector", ""),
                                         getattr(row, "jurisdiction", "")))
              for row in entities.itertuples(index=False)}
    forms: dict[str, dict[tuple[str, str], set[str]]] = {}
    for row in mentions.itertuples(index=False):
        if row.label not in LABELS:
            continue
        entity_id = f"unresolved:{row.text}" if _blank(row.entity_id) else str(row.entity_id)
        by_entity = forms.setdefault(str(row.doc_id), {})
        by_entity.setdefault((entity_id, str(row.label)), set()).add(str(row.text))
    event_dates = _event_dates(dates)
    has_source = "published_source" in documents.columns
    docs: dict[str, PredictedDoc] = {}
    for row in documents.itertuples(index=False):
        doc_id = str(row.doc_id)
        key = _doc_key(doc_id, "" if _blank(row.path) else str(row.path))
        if key in docs:
            raise ValueError(f"two documents have the key {key!r} (doc_id {doc_id!r}); "
                             "file stems must be unique to be scored")
        gbv = str(row.gbv_related).strip().lower() in ("true", "1", "yes")
        source = str(row.published_source) if has_source and not _blank(
            row.published_source) else "text"
        found = forms.pop(doc_id, {})
        docs[key] = PredictedDoc(
            key, _day(row.published, f"document {doc_id!r}: published"), gbv, tuple(
                PredictedEntity(entity_id, label, names.get(entity_id, min(texts)),
                                frozenset(texts), *places.get(entity_id, ("", "")))
                for (entity_id, label), texts in sorted(found.items())),
            frozenset(event_dates.pop(doc_id, set())), source)
    if forms:
        raise ValueError(f"mentions refer to doc_id(s) not in documents: {', '.join(sorted(forms))}")
    return docs
