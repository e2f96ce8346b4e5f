"""The per-document stage: read → clean → NLP → rules → resolution, relevance, dates.

Each release becomes one :class:`DocumentResult` that depends on that release alone, so the
stage can run anywhere (spaCy worker processes, a cluster) and its results can be stored and
reused. What cannot be processed becomes a :class:`Reject` with its reason, and so does a
release on which the pipeline's own code fails (with the exception's type), so that one
release never costs the run.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language

from pipeline.config import Settings
from pipeline.document.body_text import masked_body
from pipeline.document.clean import CleanError, clean
from pipeline.document.extract import Extraction, extract
from pipeline.document.jurisdiction import check_jurisdiction, jurisdiction_of
from pipeline.document.minhash import signature
from pipeline.document.nlp import model_label
from pipeline.document.people import find_affiliations
from pipeline.document.person_spans import fix_person_spans
from pipeline.document.privacy import without_names, withhold_private_people
from pipeline.document.relevance import event_type, gbv_relevance
from pipeline.document.resolve import resolve_document
from pipeline.records import Article, DocumentResult, RawDocument, Reject

logger = logging.getLogger(__name__)


def _record(reject: Reject, rejects: list[Reject]) -> None:
    """Keep ``reject``; a fault of the pipeline's code is a warning, a declined input news."""
    log = logger.warning if reject.error else logger.info
    log("%s: skipping %s: %s%s", reject.stage, reject.path,
        f"{reject.error}: " if reject.error else "", reject.reason)
    rejects.append(reject)


def _articles(raws: Iterable[RawDocument | Reject], settings: Settings,
              rejects: list[Reject]) -> Iterator[Article]:
    for raw in raws:
        if isinstance(raw, Reject):
            _record(raw, rejects)
            continue
        try:
            article = clean(raw, min_chars=settings.min_text_chars)
        except CleanError as exc:
            _record(Reject(raw.path, "clean", str(exc)), rejects)
            continue
        except Exception as exc:  # a fault of the code on this release: the others go on
            _record(Reject.fault(raw.path, "clean", exc), rejects)
            continue
        if len(article.text) > settings.max_text_chars:
            _record(Reject(raw.path, "clean", (
                f"too long: the body has {len(article.text):,} characters, more than "
                f"max_text_chars ({settings.max_text_chars:,}); split the release, or raise "
                "the limit (PIPELINE_MAX_TEXT_CHARS)")), rejects)
            continue
        yield article


def document_result(extraction: Extraction, *, model: str, settings: Settings,
                    privacy_key: bytes | None) -> DocumentResult:
    """What one extracted release says on its own: resolved mentions, relevance, dates.

    With a ``privacy_key``, the people it gives no public role are tokens (see
    :mod:`pipeline.document.privacy`) before the result leaves the stage; None names all.
    """
    article = extraction.article
    where = jurisdiction_of(article.title, article.text, article.url,
                            default=check_jurisdiction(settings.jurisdiction))
    place = where.label
    mentions = resolve_document(fix_person_spans(article.text, extraction.mentions),
                                jurisdiction=place)
    text = f"{article.title}\n\n{article.text}"
    relevance = gbv_relevance(text, threshold=settings.gbv_threshold,
                              lead_chars=settings.gbv_lead_chars,
                              passing_weight=settings.gbv_passing_weight)
    result = DocumentResult(
        doc_id=article.doc_id, path=article.path, url=article.url, title=article.title,
        published=article.published, published_raw=article.published_raw,
        published_source=article.published_source, title_source=article.title_source,
        gbv_related=relevance.related, gbv_score=relevance.score, gbv_terms=relevance.terms,
        event_type=event_type(article.title, article.text), model=model,
        mentions=tuple(mentions),
        dates=extraction.dates,
        affiliations=tuple(find_affiliations(article.text, mentions)),
        signature=tuple(signature(text).tolist()), extractor=article.extractor,
        jurisdiction=place, jurisdiction_source=where.source, decoding=article.decoding,
        text=article.text)
    if privacy_key is None:
        return result
    shown = withhold_private_people(result, article.text, privacy_key)
    return replace(shown, text=masked_body(shown.text, result.mentions, shown.mentions))


def analyse(raws: Iterable[RawDocument | Reject], nlp: Language, settings: Settings,
            rejects: list[Reject], *, privacy_key: bytes | None) -> Iterator[DocumentResult]:
    """One DocumentResult per usable release, in input order; the others go to ``rejects``.
    ``privacy_key``: see :func:`document_result`."""
    model = model_label(nlp)
    check_jurisdiction(settings.jurisdiction)  # a bad setting stops the run before any work
    for extraction in extract(_articles(raws, settings, rejects), nlp,
                              batch_size=settings.batch_size,
                              processes=settings.processes or 1,  # 0 (auto) unresolved: one
                              chunk_chars=settings.chunk_chars):
        if isinstance(extraction, Reject):
            _record(extraction, rejects)
            continue
        try:
            yield document_result(extraction, model=model, settings=settings,
                                  privacy_key=privacy_key)
        except Exception as exc:  # a fault of the code on this release: the others go on
            fault = Reject.fault(extraction.article.path, "analyse", exc)
            if privacy_key is not None:  # the message may quote a name of the release
                fault = replace(fault, reason=without_names(fault.reason, extraction.mentions))
            _record(fault, rejects)
