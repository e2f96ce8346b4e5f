"""One timed `extract` run, for bench_extract.py: prints one JSON line of figures.

Times the stages by wrapping their functions (outermost calls only): the per-document stage
(reading, hashing, NLP, storing), identities, near-duplicates, network metrics; the rest of
the corpus stage (reading results back, events, writing tables) is what remains. With
``--bare`` it times the bare model (``nlp.pipe`` on the cleaned texts, same batch size) before
and after the full pipeline on the same inputs in this process, with each spaCy component's
share and that of the per-document functions around it. ``--runs N`` runs the pipeline N
times (the later ones with ``--rebuild``), the bare model before the first and after each:
a machine whose speed drifts moves a single pair of figures by a tenth or more.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
seconds: defaultdict[str, float] = defaultdict(float)
_depth: defaultdict[str, int] = defaultdict(int)
_bare_cpu: list[float] = []  # CPU seconds of each bare run


def timed(section: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _depth[section] += 1
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
            # A generator's work happens as it is consumed: consume it inside the timer.
            return iter(list(result)) if isinstance(result, Iterator) else result
        finally:
            _depth[section] -= 1
            if _depth[section] == 0:
                seconds[section] += time.perf_counter() - start
    return wrapper


def patch(owner: Any, name: str, section: str) -> None:
    setattr(owner, name, timed(section, getattr(owner, name)))


class TimedComponent:
    """A spaCy component whose pipe() records the time spent in it and upstream of it."""

    def __init__(self, name: str, component: Any) -> None:
        self.name, self.component = name, component

    def __call__(self, doc: Any) -> Any:
        return next(self.pipe([doc]))

    def pipe(self, docs: Any, **kwargs: Any) -> Iterator[Any]:
        inner = (self.component.pipe(docs, **kwargs) if hasattr(self.component, "pipe")
                 else (self.component(doc) for doc in docs))
        while True:
            start = time.perf_counter()
            try:
                doc = next(inner)
            except StopIteration:
                seconds[f"spacy:{self.name}"] += time.perf_counter() - start
                return
            seconds[f"spacy:{self.name}"] += time.perf_counter() - start
            yield doc


def time_components(nlp: Any) -> list[str]:
    """Wrap every component; return the enabled ones in order (their times are inclusive)."""
    nlp._components = [(name, TimedComponent(name, proc)) for name, proc in nlp._components]
    return list(nlp.pipe_names)


def bare_pipe(inputs: Path, settings: Any) -> tuple[int, float]:
    """Seconds of the bare model over the cleaned bodies, same model and batch size."""
    import warnings

    import spacy

    from pipeline.document.clean import CleanError, clean
    from pipeline.fingerprint import choose_model
    from pipeline.sources.ingest import read_inputs

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        bare = spacy.load(choose_model(settings.model), exclude=["lemmatizer"])
    texts = []
    for raw in read_inputs(inputs):
        try:
            texts.append(clean(raw, min_chars=settings.min_text_chars).text)
        except CleanError:
            continue
    start, cpu = time.perf_counter(), time.process_time()
    for _ in bare.pipe(texts, batch_size=settings.batch_size):
        pass
    _bare_cpu.append(time.process_time() - cpu)
    return len(texts), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--interim", required=True)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--runs", type=int, default=1, help="pipeline runs (with --bare)")
    parser.add_argument("--corrections", type=Path, help="an analyst's corrections file")
    args = parser.parse_args()

    from pipeline import engine, run
    from pipeline.config import load_settings
    from pipeline.corpus import network
    from pipeline.corpus.events import EventIds
    from pipeline.corpus.identities import EntityIndex, Identities
    from pipeline.document import stage

    settings = replace(load_settings(), interim=args.interim, workers=args.workers,
                       processes=args.processes)
    figures: dict[str, Any] = {}
    nlp = None
    if args.bare:
        from pipeline.document.nlp import build_nlp

        figures["bare_docs"], figures["bare_seconds"] = bare_pipe(args.input, settings)
        nlp = build_nlp(settings.model)
        figures["components"] = time_components(nlp)
        from pipeline.document import extract
        # The per-document functions around the model, where their modules use them.
        for module, names in ((stage, ("clean", "find_affiliations", "gbv_relevance",
                                       "event_type", "resolve_document", "signature",
                                       "jurisdiction_of", "fix_person_spans",
                                       "withhold_private_people")),
                              (extract, ("article_dates",))):
            for name in names:
                if hasattr(module, name):
                    patch(module, name, f"doc:{name}")
    patch(engine.DocumentStage, "run", "document stage")
    for name in ("add", "resolved", "entities"):
        patch(EntityIndex, name, "identities")
    patch(Identities, "id_for", "identities")
    patch(EventIds, "assign", "dedupe")
    patch(network, "_add_metrics", "network metrics")
    bare_runs = [figures["bare_seconds"]] if args.bare else []
    pipeline_runs, pipeline_cpu = [], []
    for number in range(args.runs if args.bare else 1):
        cpu = time.process_time()
        summary = run.extract_corpus(args.input, args.output, settings=settings, nlp=nlp,
                                     rebuild=number > 0, corrections=args.corrections)
        pipeline_cpu.append(time.process_time() - cpu)
        pipeline_runs.append(summary.seconds)
        if args.bare:
            # The bare model again after each run: the bare runs bracket the pipeline's, so a
            # machine whose speed drifts (shared cores) favours neither side.
            bare_runs.append(bare_pipe(args.input, settings)[1])
    figures["extract_cpu"] = sum(pipeline_cpu) / len(pipeline_cpu)
    if args.bare:
        figures.update(bare_runs=bare_runs, pipeline_runs=pipeline_runs,
                       bare_seconds=sum(bare_runs) / len(bare_runs),
                       bare_cpu=sum(_bare_cpu) / len(_bare_cpu))
    figures.update(seconds={name: value / len(pipeline_runs) for name, value in seconds.items()},
                   extract_seconds=sum(pipeline_runs) / len(pipeline_runs),
                   process_seconds=time.perf_counter() - STARTED, documents=summary.documents,
                   processed=summary.processed, entities=summary.entities,
                   edges=summary.edges)
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
