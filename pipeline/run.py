"""The extract workflow in two stages: each release on its own, then the corpus.

1. Per document (:mod:`pipeline.document`, run by :mod:`pipeline.engine`): read → clean →
   NLP → rules → resolution, relevance and dates, one :class:`DocumentResult` per release,
   kept in the interim store (:mod:`pipeline.store`) and reused while nothing it depends on
   changes.
2. Corpus (:mod:`pipeline.corpus`): identities and events over all results, then the tables
   and graphs (:mod:`pipeline.publish`).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline.config import Settings, resolved_processes
from pipeline.corpus.corrected import CorrectedCorpus
from pipeline.corpus.corrections import plan_corrections, reveal_public
from pipeline.corpus.network import Betweenness
from pipeline.corpus.privacy import PublicPeople
from pipeline.corpus.release_places import ReleasePlaces
from pipeline.corpus.stage import identify, index_corpus
from pipeline.document.privacy import privacy_key_for
from pipeline.engine import DocumentStage, model_in_use
from pipeline.errors import InputError
from pipeline.fingerprint import pipeline_fingerprint
from pipeline.memory import collector_spares_what_lives, release_freed_memory
from pipeline.publish.database import write_database
from pipeline.publish.outputs import OutputSet
from pipeline.publish.sheets import (
    APPLIED_FILE,
    UNMATCHED_FILE,
    CorrectionsFile,
    corrections_file,
    read_corrections,
    write_outcomes,
)
from pipeline.publish.write import Written, write_tables
from pipeline.records import DocumentResult, Entity, Reject
from pipeline.sources.ingest import count_releases, list_inputs, read_inputs
from pipeline.store import ResultStore, RunOrder, location_for

if TYPE_CHECKING:
    from spacy.language import Language

T = TypeVar("T")
logger = logging.getLogger(__name__)


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
    output: str = ""  # the folder the tables went to (none when no release was processed)
    corrections: int = 0  # an analyst's corrections applied
    unmatched: int = 0  # … that matched nothing in this corpus

    def line(self) -> str:
        """The run in one line, e.g. "1 document read, 0 rejected, 12 entities, …".

        >>> Summary(documents=1, rejected=0, entities=12, edges=1, seconds=2.0, model="m",
        ...         events=1, processed=1).line()[:70]
        '1 document read, 0 rejected, 12 entities, 1 event (0 duplicate release'
        """
        text = (f"{counted(self.documents, 'document')} read, {self.rejected} rejected, "
                f"{counted(self.entities, 'entity', 'entities')}, "
                f"{counted(self.events, 'event')} ({counted(self.duplicates, 'duplicate release')}"
                f" merged), {counted(self.edges, 'edge')} in {self.seconds:.1f} s (model "
                f"{self.model}; {counted(self.processed, 'release')} processed, {self.reused} "
                "reused from the interim store)")
        if self.web_pages:  # a fallback here means a site adapter needs updating
            pages = ", ".join(f"{name}: {n}" for name, n in self.web_pages)
            text += f"; web pages read by {pages}"
        if self.corrections or self.unmatched:
            text += f"; {self.corrections} corrections applied"
            if self.unmatched:
                text += f", {self.unmatched} unmatched ({UNMATCHED_FILE})"
        if self.withheld:
            text += (f"; {counted(self.withheld, 'private person')} withheld (no public "
                     "role; --include-private-persons names them)")
        if self.output and self.documents:
            text += f"; the tables and graphs are in {self.output}"
        return text


def counted(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the word in its number: "1 document", "2 documents", "0 entities"."""
    return f"{n} {one if n == 1 else many or one + 's'}"


def _counted(items: Iterable[T], tick: Callable[[], None]) -> Iterator[T]:
    for item in items:
        tick()
        yield item


def _tallied(results: Iterable[DocumentResult],
             extractors: Counter[str]) -> Iterator[DocumentResult]:
    for result in results:
        extractors[result.extractor] += 1
        yield result


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
                   corrections: Path | None = None, state: RunState | None = None) -> Summary:
    """Run extraction on every release under ``input_path``; write the tables to ``output_dir``.

    Per-document results are kept in the interim store (``settings.interim``; a store of its
    own when every person is named) and reused when the release, the pipeline and its settings
    are unchanged; ``rebuild`` ignores them.
    ``progress(total)`` is called once the inputs are listed, before the model loads, with
    the releases they hold (a .jsonl file's lines), and returns a function called once per
    release read. An input without any file is an :class:`InputError`. ``since``, ``until``
    and ``by_year`` choose the period of the network files (see :func:`write_network`).
    ``corrections`` names an analyst's corrections file (default: ``corrections.csv`` in the
    input folder, if any), applied in the corpus stage. ``state`` follows what the run did to
    the output folder.
    """
    started = time.perf_counter()
    state = state or RunState()
    found = corrections_file(input_path, corrections)
    sheet = read_corrections(found) if found else None  # a malformed file stops us here
    paths = list_inputs(input_path, output=output_dir)
    releases = count_releases(paths)
    settings = replace(settings, processes=resolved_processes(settings, releases))
    if not paths:  # said before the model loads, and before the output folder is touched
        raise InputError(f"no files under {input_path}: put the releases there (.txt, .html, "
                         ".jsonl; folders are read recursively) or give another --input")
    key = privacy_key_for(settings)
    tick = progress(releases) if progress else (lambda: None)
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
                # 2. Corpus: identities, events, corrections and the network, then the tables.
                tables = _corpus_stage(order, settings, key, sheet, str(found), outputs.staging,
                                       since=since, until=until, by_year=by_year)
                outputs.publish(documents=tables.written.documents,
                                rejected=len(tables.rejects), model=model, source=input_path,
                                facts={"private_persons": "named" if key is None else "withheld",
                                       "corrections": _corrections_facts(sheet, tables.applied,
                                                                         tables.unmatched)})
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
                   processed=processed, reused=order.reused, output=str(output_dir),
                   corrections=tables.applied, unmatched=tables.unmatched)


@dataclass(frozen=True, slots=True)
class _Tables:
    """What the corpus stage wrote, for run.json and the summary."""

    written: Written
    entities: Sequence[Entity]
    duplicates: int
    rejects: list[Reject]
    extractors: Counter[str]
    applied: int  # corrections applied, and those that matched nothing
    unmatched: int


def _corpus_stage(order: RunOrder, settings: Settings, key: bytes | None,
                  sheet: CorrectionsFile | None, found: str, staging: Path, *,
                  since: date | None, until: date | None, by_year: bool) -> _Tables:
    """Passes over the stored results, in input order, then every file of the set into
    ``staging`` (the tables, what the corrections did, the database)."""
    # What lives now (the store's index, a model the caller keeps) lives through the corpus
    # stage: its collections need not walk it again.
    with collector_spares_what_lives():
        results, rejects, extractors = order.results(), order.rejects(), Counter[str]()
        people = PublicPeople.learned_from(results, key)
        rows = sheet.corrections if sheet else ()
        reveal_public(rows, people)
        index = index_corpus(_tallied(results, extractors), settings, people,
                             ReleasePlaces.learned_from(results))
        release_freed_memory()  # the identity tallies, before the second pass
        duplicates = index.duplicates
        corrected = CorrectedCorpus(plan_corrections(rows, index, found, key=key),
                                    index.entities)
        documents = corrected.documents(identify(results, index))
        del index  # so the identities die with the second pass, before the network is built
        written = write_tables(documents, corrected.entities, rejects, staging, since=since,
                               until=until, by_year=by_year,
                               betweenness=Betweenness(settings.betweenness_exact_max,
                                                       settings.betweenness_samples))
        applied, unmatched = _record_corrections(sheet, corrected, staging)
        write_database(staging)  # from the staged tables: part of the same set
    return _Tables(written, corrected.entities(), duplicates, rejects, extractors, applied,
                   unmatched)


def _record_corrections(sheet: CorrectionsFile | None, corrected: CorrectedCorpus,
                        folder: Path) -> tuple[int, int]:
    """Write what each correction did (with a file only); warn of those that matched nothing."""
    if sheet is None:
        return 0, 0
    applied, unmatched = write_outcomes(folder, corrected.outcomes())
    if unmatched:
        logger.warning("%d of the corrections in %s match nothing in this corpus; they are "
                       "listed, with the reason, in %s", unmatched, sheet.path, UNMATCHED_FILE)
    logger.info("%d corrections applied from %s (see %s)", applied, sheet.path, APPLIED_FILE)
    return applied, unmatched


def _corrections_facts(sheet: CorrectionsFile | None, applied: int, unmatched: int
                       ) -> dict[str, object] | None:
    """What run.json says of the corrections: the file, its SHA-256, what applied."""
    if sheet is None:
        return None
    return {"file": str(sheet.path), "sha256": sheet.sha256, "rows": sheet.rows,
            "applied": applied, "unmatched": unmatched}
