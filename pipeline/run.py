"""The extract workflow in two stages: each release on its own, then the corpus.

1. Per document (:mod:`pipeline.document`): read → clean → NLP → rules → resolution,
   relevance and dates, one :class:`DocumentResult` per release, kept on disk.
2. Corpus (:mod:`pipeline.corpus`): identities and events over all results, then the tables
   and graphs (:mod:`pipeline.publish`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from spacy.language import Language

from pipeline.config import Settings
from pipeline.corpus.privacy import PublicPeople
from pipeline.corpus.stage import identify, index_corpus
from pipeline.document.nlp import build_nlp, model_label
from pipeline.document.privacy import privacy_key_for
from pipeline.document.stage import analyse
from pipeline.publish.outputs import OutputSet
from pipeline.publish.write import write_tables
from pipeline.records import DocumentResult, Reject
from pipeline.sources.ingest import list_inputs, read_inputs
from pipeline.store import ResultSpool

T = TypeVar("T")


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
    withheld: int = 0  # private persons counted but not named

    def line(self) -> str:
        text = (f"{self.documents} documents read, {self.rejected} rejected, "
                f"{self.entities} entities, {self.events} events ({self.duplicates} "
                f"duplicate releases merged), {self.edges} edges in {self.seconds:.1f} s "
                f"(model {self.model})")
        if self.web_pages:  # a fallback here means a site adapter needs updating
            pages = ", ".join(f"{name}: {n}" for name, n in self.web_pages)
            text += f"; web pages read by {pages}"
        if self.withheld:
            text += (f"; {self.withheld} private persons withheld (no public role; "
                     "--include-private-persons names them)")
        return text


def _counted(items: Iterable[T], tick: Callable[[], None]) -> Iterator[T]:
    for item in items:
        tick()
        yield item


def _tallied(results: Iterable[DocumentResult],
             extractors: Counter[str]) -> Iterator[DocumentResult]:
    for result in results:
        extractors[result.extractor] += 1
        yield result


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
    paths = list_inputs(input_path, output=output_dir)
    key = privacy_key_for(settings)
    nlp = nlp or build_nlp(settings.model)
    tick = progress(len(paths)) if progress else (lambda: None)
    rejects: list[Reject] = []
    extractors: Counter[str] = Counter()
    with OutputSet(output_dir) as outputs, ResultSpool(output_dir) as results:
        results.extend(_tallied(analyse(_counted(read_inputs(input_path, paths), tick), nlp,
                                        settings, rejects, privacy_key=key), extractors))
        index = index_corpus(results, settings, PublicPeople.learned_from(results, key))
        written = write_tables(identify(results, index), index, rejects, outputs.staging,
                               since=since, until=until, by_year=by_year)
        outputs.publish(documents=written.documents, rejected=len(rejects),
                        model=model_label(nlp), source=input_path)
    return Summary(documents=written.documents, rejected=len(rejects),
                   entities=len(index.entities), edges=written.network.edges,
                   seconds=time.perf_counter() - started, model=model_label(nlp),
                   events=written.events, duplicates=index.duplicates,
                   web_pages=tuple((name, n) for name, n in extractors.most_common()
                                   if name != "text"),
                   withheld=sum(e.withheld for e in index.entities))
