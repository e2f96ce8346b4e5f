"""Write the corpus stage's results as the tables of ``data/processed``.

The per-release tables (documents, mentions, dates, affiliations, texts) stream row by row
while the events are assembled; the per-entity and network files follow. Columns are
documented in the README's Outputs table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.config import RESOURCES_DIR
from pipeline.corpus.events import EventTable
from pipeline.corpus.network import Betweenness
from pipeline.corpus.privacy import shown_name
from pipeline.corpus.stage import IdentifiedDocument
from pipeline.knowledge import canonical_role, folded_lines
from pipeline.publish import export
from pipeline.publish.network import NetworkSummary, write_network
from pipeline.records import Affiliation, DocumentResult, Entity, Event, Reject

OFFICES_FILE = RESOURCES_DIR / "offices.tsv"

DOCUMENT_COLUMNS = ["doc_id", "path", "url", "title", "title_source", "published",
                    "published_raw", "published_source", "gbv_related", "gbv_score",
                    "gbv_terms", "event_id", "duplicate_of", "extractor", "decoding", "model",
                    "jurisdiction", "jurisdiction_source"]
MENTION_COLUMNS = ["doc_id", "entity_id", "label", "text", "start_char", "end_char", "sentence",
                   "origin", "withheld"]
AFFILIATION_COLUMNS = ["doc_id", "person_id", "person", "role", "org_id", "org", "org_missing"]
ENTITY_COLUMNS = ["entity_id", "label", "name", "aliases", "sector", "jurisdiction",
                  "n_documents", "first_seen", "last_seen", "withheld"]
DATE_COLUMNS = ["doc_id", "text", "value", "kind", "year_source", "date_precision", "start_char",
                "end_char"]
TEXT_COLUMNS = ["doc_id", "paragraph", "start_char", "end_char", "text"]
_PARAGRAPH = re.compile(r"[^\n]+")  # the body's paragraphs, one a line (document/clean.py)
REJECT_COLUMNS = ["path", "stage", "reason", "error"]


@dataclass(frozen=True, slots=True)
class Written:
    """What :func:`write_tables` wrote, in figures."""

    documents: int
    events: int
    network: NetworkSummary


def _document_row(document: IdentifiedDocument) -> dict[str, object]:
    result = document.result
    return {**{column: getattr(result, column) for column in DOCUMENT_COLUMNS
               if hasattr(result, column)},
            "event_id": document.event_id, "duplicate_of": document.duplicate_of,
            "event_type": result.event_type}


def missing_org_reason(affiliation: Affiliation) -> str:
    """Why an affiliation has no institution: ``office`` when the role is an office on its
    own (``offices.tsv``: "alcalde", "regidora"), else ``not_written``; "" when it has one.

    >>> missing_org_reason(Affiliation("d", "Ana Ruiz", "regidora"))
    'office'
    """
    if affiliation.org:
        return ""
    return "office" if canonical_role(affiliation.role) in folded_lines(OFFICES_FILE) \
        else "not_written"


def date_rows(result: DocumentResult) -> Iterator[dict[str, object]]:
    """A release's rows of dates.csv: each date written once (a row that repeats another,
    offsets included, is left out)."""
    rows = {tuple(row.values()): row for row in map(export.record_row, result.dates)}
    return iter(rows.values())


def text_rows(result: DocumentResult) -> Iterator[dict[str, object]]:
    """A release's rows of texts.csv: one per paragraph of its body, with the offsets of the
    paragraph in the body, so that a mention at ``start_char`` is at
    ``text[start_char - paragraph start]``."""
    for number, paragraph in enumerate(_PARAGRAPH.finditer(result.text), start=1):
        yield {"doc_id": result.doc_id, "paragraph": number, "start_char": paragraph.start(),
               "end_char": paragraph.end(), "text": paragraph.group()}


def _write_releases(documents: Iterable[IdentifiedDocument], output_dir: Path
                    ) -> tuple[int, list[Event]]:
    """Stream the per-release tables; return the number of releases and their events (the
    event drafts die with this call, before the network is built)."""
    events = EventTable()
    count = 0
    with (export.CsvTable(output_dir / "documents.csv", DOCUMENT_COLUMNS) as doc_table,
          export.CsvTable(output_dir / "mentions.csv", MENTION_COLUMNS) as mention_table,
          export.CsvTable(output_dir / "dates.csv", DATE_COLUMNS) as date_table,
          export.CsvTable(output_dir / "affiliations.csv", AFFILIATION_COLUMNS) as affiliations,
          export.CsvTable(output_dir / "texts.csv", TEXT_COLUMNS) as texts):
        for document in documents:
            row = _document_row(document)
            doc_table.write(row)
            for mention, entity_id in document.mentions:
                mention_table.write({**export.record_row(mention), "entity_id": entity_id})
            date_table.write_all(date_rows(document.result))
            affiliations.write_all(
                {**export.record_row(a.affiliation), "person_id": a.person_id,
                 "person": shown_name(a.person), "org_id": a.org_id, "org": a.org,
                 "org_missing": missing_org_reason(a.affiliation)}
                for a in document.affiliations)
            texts.write_all(text_rows(document.result))
            events.add(row, document.mentions, document.result.dates)
            count += 1
    return count, events.events()


def write_tables(documents: Iterable[IdentifiedDocument],
                 entities: Callable[[], Sequence[Entity]], rejects: Sequence[Reject],
                 output_dir: Path, *, since: date | None = None, until: date | None = None,
                 by_year: bool = False, betweenness: Betweenness = Betweenness()) -> Written:
    """Write every table and graph of one run to ``output_dir``: the per-release tables from
    ``documents``, then the entities (``entities()``, called once the releases are written:
    corrections count them there) and the network."""
    count, event_list = _write_releases(documents, output_dir)
    entities = entities()
    export.write_csv(output_dir / "entities.csv", ENTITY_COLUMNS, map(export.record_row, entities))
    network = write_network(event_list, {e.entity_id: e for e in entities}, output_dir,
                            since=since, until=until, by_year=by_year,
                            betweenness=betweenness)
    export.write_csv(output_dir / "rejects.csv", REJECT_COLUMNS, map(export.record_row, rejects))
    return Written(documents=count, events=len(event_list), network=network)
