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
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from spacy.language import Language

from pipeline import export
from pipeline.clean import CleanError, clean
from pipeline.config import Settings
from pipeline.events import gbv_relevance
from pipeline.extract import Extraction, extract
from pipeline.graph import Participation, cooccurrence_graph
from pipeline.ingest import list_inputs, read_inputs
from pipeline.nlp import build_nlp, model_label
from pipeline.records import Article, DateMention, Mention, Reject
from pipeline.resolve import EntityIndex, resolve_document

logger = logging.getLogger(__name__)

DOCUMENT_COLUMNS = ["doc_id", "path", "url", "title", "published", "published_raw",
                    "gbv_related", "gbv_score", "gbv_terms", "model"]
MENTION_COLUMNS = ["doc_id", "entity_id", "label", "text", "start_char", "end_char", "sentence",
                   "origin"]
ENTITY_COLUMNS = ["entity_id", "label", "name", "aliases", "n_documents", "first_seen",
                  "last_seen"]
DATE_COLUMNS = ["doc_id", "text", "value", "kind"]
EDGE_COLUMNS = ["source_id", "target_id", "source", "target", "weight", "doc_ids"]
REJECT_COLUMNS = ["path", "stage", "reason"]


@dataclass(frozen=True, slots=True)
class Summary:
    documents: int
    rejected: int
    entities: int
    edges: int
    seconds: float
    model: str

    def line(self) -> str:
        return (f"{self.documents} documents read, {self.rejected} rejected, "
                f"{self.entities} entities, {self.edges} edges in {self.seconds:.1f} s "
                f"(model {self.model})")


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
           threshold: float) -> None:
    article = result.article
    relevance = gbv_relevance(f"{article.title}\n\n{article.text}", threshold=threshold)
    document = {"doc_id": article.doc_id, "path": article.path, "url": article.url,
                "title": article.title, "published": article.published,
                "published_raw": article.published_raw, "gbv_related": relevance.related,
                "gbv_score": relevance.score, "gbv_terms": list(relevance.terms),
                "model": model}
    record = {"document": document, "mentions": [asdict(m) for m in mentions],
              "dates": [asdict(d) for d in result.dates]}
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
                   progress: Callable[[int], Callable[[], None]] | None = None) -> Summary:
    """Run extraction on every release under ``input_path``; write the tables to ``output_dir``.

    ``progress(total)`` returns a function called once per input read.
    """
    started = time.perf_counter()
    paths = list_inputs(input_path)
    nlp = nlp or build_nlp(settings.model)
    model = model_label(nlp)
    tick = progress(len(paths)) if progress else (lambda: None)
    rejects: list[Reject] = []
    index = EntityIndex()
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=output_dir,
                                prefix=".spool-") as spool:
        documents = 0
        for result in extract(_articles(input_path, paths, settings, rejects, tick), nlp,
                              batch_size=settings.batch_size):
            mentions = resolve_document(result.mentions)
            for mention in mentions:
                index.add(mention, result.article.published)
            _spool(spool, result, mentions, model, settings.gbv_threshold)
            documents += 1
        entities = index.entities()
        names = {e.entity_id: e.name for e in entities}
        participations = []
        with (export.CsvTable(output_dir / "documents.csv", DOCUMENT_COLUMNS) as doc_table,
              export.CsvTable(output_dir / "mentions.csv", MENTION_COLUMNS) as mention_table,
              export.CsvTable(output_dir / "dates.csv", DATE_COLUMNS) as date_table):
            for document, mentions, dates in _unspool(spool):
                doc_table.write(document)
                orgs = set()
                for mention in mentions:
                    entity_id = index.entity_id(mention)
                    mention_table.write({**asdict(mention), "entity_id": entity_id})
                    if mention.label == "ORG":
                        orgs.add(entity_id)
                date_table.write_all(asdict(d) for d in dates)
                participations.append(Participation(document["doc_id"], frozenset(orgs)))
    graph = cooccurrence_graph(participations, names)
    export.write_csv(output_dir / "entities.csv", ENTITY_COLUMNS, (
        {**asdict(e), "n_documents": len(e.doc_ids)} for e in entities))
    export.write_csv(output_dir / "edges.csv", EDGE_COLUMNS, (
        {"source_id": s, "target_id": t, "source": names[s], "target": names[t], **data}
        for s, t, data in sorted(graph.edges(data=True))))
    export.write_graph(graph, gexf=output_dir / "graph.gexf",
                       graphml=output_dir / "graph.graphml")
    export.write_csv(output_dir / "rejects.csv", REJECT_COLUMNS, map(asdict, rejects))
    return Summary(documents=documents, rejected=len(rejects), entities=len(entities),
                   edges=graph.number_of_edges(), seconds=time.perf_counter() - started,
                   model=model)
