"""The extract workflow in two stages: each release on its own, then the corpus.

1. Per document (:mod:`pipeline.document`, run by :mod:`pipeline.engine`): read → clean →
   NLP → rules → resolution, relevance and dates, one :class:`DocumentResult` per release,
   kept in the interim store (:mod:`pipeline.store`) and reused while nothing it depends on
   changes.
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
from typing import TYPE_CHECKING, TypeVar

from pipeline.config import Settings
from pipeline.corpus.network import Betweenness
from pipeline.corpus.privacy import PublicPeople
from pipeline.corpus.release_places import ReleasePlaces
from pipeline.corpus.stage import identify, index_corpus
from pipeline.document.privacy import privacy_key_for
from pipeline.engine import DocumentStage, model_in_use
from pipeline.fingerprint import pipeline_fingerprint
from pipeline.memory import collector_spares_what_lives, release_freed_memory
from pipeline.publish.outputs import OutputSet
from pipeline.publish.write import Written, write_tables
from pipeline.records import DocumentResult, Entity, Reject
from pipeline.sources.ingest import list_inputs, read_inputs
from pipeline.store import ResultStore, RunOrder, location_for

if TYPE_CHECKING:
    from spacy.language import Language

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
    processed: int = 0  # inputs the per-document stage ran on; the others came from the store
    reused: int = 0

    def line(self) -> str:
        text = (f"{self.documents} documents read, {self.rejected} rejected, "
                f"{self.entities} entities, {self.events} events ({self.duplicates} "
                f"duplicate releases merged), {self.edges} edges in {self.seconds:.1f} s "
                f"(model {self.model}; {self.processed} releases processed, {self.reused} "
                "reused from the interim store)")
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


@dataclass(frozen=True, slots=True)
class _Tables:
    """What the corpus stage wrote, for the summary."""

    written: Written
    entities: tuple[Entity, ...]
    duplicates: int
    rejects: list[Reject]
    extractors: Counter[str]


def _corpus_stage(order: RunOrder, settings: Settings, key: bytes | None, staging: Path, *,
                  since: date | None, until: date | None, by_year: bool) -> _Tables:
    """Passes over the stored results, in input order, then the tables into ``staging``."""
    # What lives now (the store's index, a model the caller keeps) lives through the corpus
    # stage: its collections need not walk it again.
    with collector_spares_what_lives():
        results, rejects, extractors = order.results(), order.rejects(), Counter[str]()
        index = index_corpus(_tallied(results, extractors), settings,
                             PublicPeople.learned_from(results, key),
                             ReleasePlaces.learned_from(results))
        release_freed_memory()  # the identity tallies, before the second pass
        entities, duplicates = index.entities, index.duplicates
        documents = identify(results, index)
        del index  # so the identities die with the second pass, before the network is built
        written = write_tables(documents, entities, rejects, staging, since=since, until=until,
                               by_year=by_year,
                               betweenness=Betweenness(settings.betweenness_exact_max,
                                                       settings.betweenness_samples))
    return _Tables(written, entities, duplicates, rejects, extractors)


@dataclass(slots=True)
class RunState:
    """What a run has done to its output folder, for the message of a run that is stopped:
    "unchanged" (the previous set, untouched), "published" (the new set, whole) or
    "restored" (a publish that failed put the previous set back)."""

    outputs: str = "unchanged"


def extract_corpus(input_path: Path, output_dir: Path, *, settings: Settings,
                   nlp: Language | None = None,
                   progress: Callable[[int], Callable[[], None]] | None = None,
                   since: date | None = None, until: date | None = None,
                   by_year: bool = False, rebuild: bool = False,
                   state: RunState | None = None) -> Summary:
    """Run extraction on every release under ``input_path``; write the tables to ``output_dir``.

    Per-document results are kept in the interim store (``settings.interim``; a store of its
    own when every person is named) and reused when the release, the pipeline and its settings
    are unchanged; ``rebuild`` ignores them. ``progress(total)`` returns a function called once
    per input read. ``since``, ``until`` and ``by_year`` choose the period of the network files
    (see :func:`write_network`). ``state`` follows what the run did to the output folder.
    """
    started = time.perf_counter()
    state = state or RunState()
    paths = list_inputs(input_path, output=output_dir)
    key = privacy_key_for(settings)
    tick = progress(len(paths)) if progress else (lambda: None)
    model = model_in_use(settings, nlp)
    fingerprint = pipeline_fingerprint(settings, model, nlp.pipe_names if nlp else (), key)
    with ResultStore(location_for(settings), fingerprint, index=not rebuild) as store:
        order = RunOrder(store)
        inputs = _counted(read_inputs(input_path, paths), tick)
        # A cluster, if any, is reached before the output folder is locked.
        with DocumentStage(order.missing(inputs), settings, nlp) as stage, \
                OutputSet(output_dir) as outputs:
            try:
                # 1. Per document: every release the store lacks, written to the store.
                processed = stage.run(store, key)
                release_freed_memory()  # its memory, before the corpus stage's
                # 2. Corpus: identities, events and the network, then the tables.
                tables = _corpus_stage(order, settings, key, outputs.staging, since=since,
                                       until=until, by_year=by_year)
                outputs.publish(documents=tables.written.documents,
                                rejected=len(tables.rejects), model=model, source=input_path)
            finally:
                state.outputs = outputs.state
        store.prune(order.keys)
    return Summary(documents=tables.written.documents, rejected=len(tables.rejects),
                   entities=len(tables.entities), edges=tables.written.network.edges,
                   seconds=time.perf_counter() - started, model=model,
                   events=tables.written.events, duplicates=tables.duplicates,
                   web_pages=tuple((name, n) for name, n in tables.extractors.most_common()
                                   if name != "text"),
                   withheld=sum(e.withheld for e in tables.entities),
                   processed=processed, reused=order.reused)
