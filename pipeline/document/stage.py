"""The per-document stage: read → clean → NLP → rules → resolution, relevance, dates.

Each release becomes one :class:`DocumentResult` that depends on that release alone, so the
stage can run anywhere (spaCy worker processes, a cluster) and its results can be stored and
reused. What cannot be processed becomes a :class:`Reject` with its reason.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from spacy.language import Language

from pipeline.config import Settings
from pipeline.document.clean import CleanError, clean
from pipeline.document.extract import Extraction, extract
from pipeline.document.minhash import signature
from pipeline.document.nlp import model_label
from pipeline.document.people import find_affiliations
from pipeline.document.relevance import event_type, gbv_relevance, mark_event_dates
from pipeline.document.resolve import resolve_document
from pipeline.records import Article, DocumentResult, RawDocument, Reject

logger = logging.getLogger(__name__)


def _articles(raws: Iterable[RawDocument | Reject], settings: Settings,
              rejects: list[Reject]) -> Iterator[Article]:
    for raw in raws:
        if isinstance(raw, Reject):
            rejects.append(raw)
            continue
        try:
            yield clean(raw, min_chars=settings.min_text_chars)
        except CleanError as exc:
            logger.info("clean: skipping %s: %s", raw.path, exc)
            rejects.append(Reject(raw.path, "clean", str(exc)))


def document_result(extraction: Extraction, *, model: str, settings: Settings) -> DocumentResult:
    """What one extracted release says on its own: resolved mentions, relevance, dates."""
    article = extraction.article
    mentions = resolve_document(extraction.mentions)
    text = f"{article.title}\n\n{article.text}"
    relevance = gbv_relevance(text, threshold=settings.gbv_threshold)
    return DocumentResult(
        doc_id=article.doc_id, path=article.path, url=article.url, title=article.title,
        published=article.published, published_raw=article.published_raw,
        gbv_related=relevance.related, gbv_score=relevance.score, gbv_terms=relevance.terms,
        event_type=event_type(article.title, article.text), model=model,
        mentions=tuple(mentions),
        dates=mark_event_dates(extraction.dates, mentions, article.published),
        affiliations=tuple(find_affiliations(article.text, mentions)),
        signature=tuple(int(value) for value in signature(text)), extractor=article.extractor)


def analyse(raws: Iterable[RawDocument | Reject], nlp: Language, settings: Settings,
            rejects: list[Reject]) -> Iterator[DocumentResult]:
    """One DocumentResult per usable release, in input order; the others go to ``rejects``."""
    model = model_label(nlp)
    for extraction in extract(_articles(raws, settings, rejects), nlp,
                              batch_size=settings.batch_size, processes=settings.processes):
        yield document_result(extraction, model=model, settings=settings)
