"""The extract workflow: input path → cleaned articles → mentions → entities → tables.

Documents stream through spaCy in batches; each one's results go to a spool file, so memory
holds only the per-entity table. A second pass over the spool writes the tables with final
entity ids, which need the whole corpus.
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from spacy.language import Language

from pipeline.config import Settings
from pipeline.corpus.events import EventIds, EventTable
from pipeline.corpus.identities import EntityIndex
from pipeline.document.clean import CleanError, clean
from pipeline.document.extract import Extraction, extract
from pipeline.document.nlp import build_nlp, model_label
from pipeline.document.people import find_affiliations
from pipeline.document.relevance import event_type, gbv_relevance, mark_event_dates
from pipeline.document.resolve import resolve_document
from pipeline.publish import export

# The network's table columns live with the code that writes them; re-exported so every
# table's columns can be found here.
from pipeline.publish.network import EDGE_COLUMNS as EDGE_COLUMNS
from pipeline.publish.network import EVENT_COLUMNS as EVENT_COLUMNS
from pipeline.publish.network import NODE_COLUMNS as NODE_COLUMNS
from pipeline.publish.network import write_network
from pipeline.records import Affiliation, Article, DateMention, Mention, Reject
from pipeline.sources.ingest import list_inputs, read_inputs

logger = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ["doc_id", "path", "url", "title", "published", "published_raw",
                    "gbv_related", "gbv_score", "gbv_terms", "event_id", "duplicate_of",
                    "extractor", "model"]
MENTION_COLUMNS = ["doc_id", "entity_id", "label", "text", "start_char", "end_char", "sentence",
                   "origin"]
AFFILIATION_COLUMNS = ["doc_id", "person_id", "person", "role", "org_id", "org"]
ENTITY_COLUMNS = ["entity_id", "label", "name", "aliases", "sector", "n_documents", "first_seen",
                  "last_seen"]
DATE_COLUMNS = ["doc_id", "text", "value", "kind"]
REJECT_COLUMNS = ["path", "stage", "reason"]


@dataclass(frozen=True, slots=True)
class Summary:
    documents: int
    rejected: int
    entities: int
    edges: int
    seconds: float
    model: str
    events: int = 0
    duplicates: int = 0  # releases merged into an earlier release's event
    web_pages: tuple[tuple[str, int], ...] = ()  # (extractor, pages it read), most first

    def line(self) -> str:
        text = (f"{self.documents} documents read, {self.rejected} rejected, "
                f"{self.entities} entities, {self.events} events ({self.duplicates} "
                f"duplicate releases merged), {self.edges} edges in {self.seconds:.1f} s "
                f"(model {self.model})")
        if self.web_pages:  # a fallback here means a site adapter needs updating
            pages = ", ".join(f"{name}: {n}" for name, n in self.web_pages)
            text += f"; web pages read by {pages}"
        return text


def _articles(input_path: Path, paths: list[Path], settings: Settings, rejects: list[Reject],
              tick: Callable[[], None]) -> Iterator[Article]:
    for raw in read_inputs(input_path, paths):
        tick()
        if isinstance(raw, Reject):
            rejects.append(raw)
            continue
        try:
            yield clean(raw, min_chars=settings.min_text_chars)
        except CleanError as exc:
            logger.info("clean: skipping %s: %s", raw.path, exc)
            rejects.append(Reject(raw.path, "clean", str(exc)))


def _spool(handle: IO[str], result: Extraction, mentions: list[Mention], model: str,
           threshold: float, event_ids: EventIds) -> None:
    article = result.article
    text = f"{article.title}\n\n{article.text}"
    relevance = gbv_relevance(text, threshold=threshold)
    event_id, duplicate_of = event_ids.assign(article.doc_id, text, article.published)
    document = {"doc_id": article.doc_id, "path": article.path, "url": article.url,
                "title": article.title, "published": article.published,
                "published_raw": article.published_raw, "gbv_related": relevance.related,
                "gbv_score": relevance.score, "gbv_terms": list(relevance.terms),
                "event_id": event_id, "duplicate_of": duplicate_of,
                "event_type": event_type(article.title, article.text),
                "extractor": article.extractor, "model": model}
    dates = mark_event_dates(result.dates, mentions, article.published)
    record = {"document": document, "mentions": [asdict(m) for m in mentions],
              "dates": [asdict(d) for d in dates]}
    handle.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")


def _unspool(handle: IO[str]) -> Iterator[tuple[dict[str, Any], list[Mention],
                                                list[DateMention]]]:
    handle.seek(0)
    for line in handle:
        record = json.loads(line)
        document = record["document"]
        if document["published"]:
            document["published"] = date.fromisoformat(document["published"])
        mentions = [Mention(**m) for m in record["mentions"]]
        dates = [DateMention(**{**d, "value": date.fromisoformat(d["value"])})
                 for d in record["dates"]]
        yield document, mentions, dates


def extract_corpus(input_path: Path, output_dir: Path, *, settings: Settings,
                   nlp: Language | None = None,
                   progress: Callable[[int], Callable[[], None]] | None = None,
                   since: date | None = None, until: date | None = None,
                   by_year: bool = False) -> Summary:
    """Run extraction on every release under ``input_path``; write the tables to ``output_dir``.

    ``progress(total)`` returns a function called once per input read. ``since``, ``until``
    and ``by_year`` choose the period of the network files (see :func:`write_network`).
    """
    started = time.perf_counter()
    paths = list_inputs(input_path)
    nlp = nlp or build_nlp(settings.model)
    model = model_label(nlp)
    tick = progress(len(paths)) if progress else (lambda: None)
    rejects: list[Reject] = []
    index = EntityIndex()
    affiliations: list[Affiliation] = []
    event_ids = EventIds(threshold=settings.duplicate_threshold,
                         max_days=settings.duplicate_max_days)
    export.ensure_folder(output_dir)
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=output_dir,
                                prefix=".spool-") as spool:
        documents, extractors = 0, Counter[str]()
        for result in extract(_articles(input_path, paths, settings, rejects, tick), nlp,
                              batch_size=settings.batch_size, processes=settings.processes):
            mentions = resolve_document(result.mentions)
            for mention in mentions:
                index.add(mention, result.article.published)
            affiliations.extend(find_affiliations(result.article.text, mentions))
            _spool(spool, result, mentions, model, settings.gbv_threshold, event_ids)
            documents += 1
            extractors[result.article.extractor] += 1
        entities = index.entities()
        table = EventTable()
        with (export.CsvTable(output_dir / "documents.csv", DOCUMENT_COLUMNS) as doc_table,
              export.CsvTable(output_dir / "mentions.csv", MENTION_COLUMNS) as mention_table,
              export.CsvTable(output_dir / "dates.csv", DATE_COLUMNS) as date_table):
            for document, mentions, dates in _unspool(spool):
                doc_table.write(document)
                identified = [(mention, index.entity_id(mention)) for mention in mentions]
                for mention, entity_id in identified:
                    mention_table.write({**asdict(mention), "entity_id": entity_id})
                date_table.write_all(asdict(d) for d in dates)
                table.add(document, identified, dates)
    export.write_csv(output_dir / "entities.csv", ENTITY_COLUMNS, (
        {**asdict(e), "n_documents": len(e.doc_ids)} for e in entities))
    events = table.events()
    network = write_network(events, {e.entity_id: e for e in entities}, output_dir,
                            since=since, until=until, by_year=by_year)
    export.write_csv(output_dir / "affiliations.csv", AFFILIATION_COLUMNS, (
        {**asdict(a), "person_id": index.id_for("PER", a.person),
         "org_id": index.id_for("ORG", a.org) if a.org else ""} for a in affiliations))
    export.write_csv(output_dir / "rejects.csv", REJECT_COLUMNS, map(asdict, rejects))
    return Summary(documents=documents, rejected=len(rejects), entities=len(entities),
                   edges=network.edges, seconds=time.perf_counter() - started,
                   model=model, events=len(events), duplicates=event_ids.duplicates,
                   web_pages=tuple((name, n) for name, n in extractors.most_common()
                                   if name != "text"))
