"""Find people, institutions and dates in articles. spaCy ``Doc``s stay in this module.

A long body is parsed in chunks of at most ``chunk_chars`` characters, cut at paragraph
ends (else sentence ends, else spaces) and joined back into one ``Doc``, so offsets point
into the whole body. A batch that fails is parsed again one release at a time, so that
only the release at fault is rejected. In one process, every ``ZONE_ARTICLES`` articles are
parsed in a spaCy memory zone: the words they add to the model's vocabulary are freed after
them, so that a corpus of ever-new names does not grow the vocabulary release by release.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import chain, count, islice
from weakref import WeakSet

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document.event_dates import article_dates, published_date
from pipeline.document.years import evidence_for
from pipeline.errors import one_line
from pipeline.knowledge import fold, lower_case_names
from pipeline.records import Article, DateMention, Mention, Reject

logger = logging.getLogger(__name__)

# The model's labels that we keep, and what they become. LOC and MISC are dropped: places
# are not actors in the network, and MISC is mostly events and programmes.
KEPT_LABELS = {"PER": "PER", "ORG": "ORG"}
# Legal forms keep their final period ("Transforma A. C."); other edge punctuation goes.
_STRIP = " \t\n.,;:«»\"“”'‘’()-–—"
_KEEP_PERIOD = re.compile(r"\b[A-Z]\.$")
_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"[.!?…][»”\")]*\s+"), re.compile(r"\s+"))
# Articles per memory zone: enough that restarting the stream costs nothing, few enough that
# the words of one zone's new names stay small.
ZONE_ARTICLES = 256
# Articles a pipeline reads outside any zone before its first: their words stay in the
# vocabulary. They are mostly the language's common words, and spaCy's tokenizer caches a word
# only outside a zone: without them every zone splits every word anew (tokenizing in zones
# took about twice as long). A fixed count, so what stays is bounded.
WARMUP_ARTICLES = 64
_WARMED: WeakSet[Language] = WeakSet()  # pipelines past their warm-up articles



@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extraction found in one article."""

    article: Article
    mentions: tuple[Mention, ...]
    dates: tuple[DateMention, ...]


def _span_mention(span: Span, text_of_doc: str, doc_id: str) -> Mention | None:
    """A Mention for an entity span, its edges trimmed; None for what is not a name."""
    label = KEPT_LABELS.get(span.label_)
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip(_STRIP)))
    tail = text.rstrip(" \t\n,;:")
    end = span.start_char + len(tail if _KEEP_PERIOD.search(tail) else text.rstrip(_STRIP))
    if end < len(text_of_doc) and _open_quote(text_of_doc[start:end]):
        end += text_of_doc[end] in "”»\""  # a quoted name keeps its closing quote
    surface = text_of_doc[start:end]
    if label is None or "\n" in surface or not (
            any(c.isupper() for c in surface) or fold(surface) in lower_case_names()):
        return None
    return Mention(doc_id=doc_id, label=label, text=surface, start_char=start, end_char=end,
                   sentence=_sentence_text(span.sent, text_of_doc), origin=_origin(span))


def _open_quote(surface: str) -> bool:
    """A quote opens in ``surface`` and does not close: Comité Municipal "Puerta Violeta."""
    curly = surface.count("“") + surface.count("«") - surface.count("”") - surface.count("»")
    return curly > 0 or surface.count('"') % 2 == 1


def _origin(span: Span) -> str:
    """"ner" for the model, "ruler:<pattern id>" for the entity ruler, "rule:<name>" for the
    spans ``entity_fixes`` adds."""
    if not span.id_:
        return "ner"
    return span.id_ if span.id_.startswith("rule:") else f"ruler:{span.id_}"


def _sentence(doc: Doc, text_of_doc: str, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    return _sentence_text(span.sent, text_of_doc) if span is not None else ""


def _sentence_text(sentence: Span, text_of_doc: str) -> str:
    """The sentence as written, cut from the text: ``Span.text`` would rebuild it token by
    token for every mention in it."""
    return text_of_doc[sentence.start_char:sentence.end_char].strip()


def chunk_spans(text: str, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` spans that tile ``text``, none longer than ``size``, each ending at
    the last paragraph end that fits, else the last sentence end, else the last space.

    >>> chunk_spans("Uno. Dos.\n\nTres.", 12)
    [(0, 11), (11, 16)]
    """
    spans, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        end = size
        for cut in _CUTS:
            ends = [match.end() for match in cut.finditer(window) if match.end() < size]
            if ends:
                end = ends[-1]
                break
        spans.append((start, start + end))
        start += end
    spans.append((start, len(text)))
    return spans


@dataclass(frozen=True, slots=True)
class _Chunk:
    number: int  # position in the stream of chunks: spaCy gives Docs back in this order
    article: Article
    text: str
    last: bool  # the article's final chunk


def _chunks(articles: Iterable[Article], size: int) -> Iterator[_Chunk]:
    numbers = count()
    for article in articles:
        spans = chunk_spans(article.text, size)
        for index, (start, end) in enumerate(spans):
            yield _Chunk(next(numbers), article, article.text[start:end],
                         last=index == len(spans) - 1)


def _alone(nlp: Language, chunk: _Chunk) -> tuple[_Chunk, Doc | Exception]:
    try:
        return chunk, nlp(chunk.text)
    except Exception as exc:  # this chunk's fault, reported as its article's reject
        return chunk, exc


def _parse(chunks: Iterator[_Chunk], nlp: Language, *, batch_size: int, processes: int
           ) -> Iterator[tuple[_Chunk, Doc | Exception]]:
    """Each chunk with its Doc, or with the exception that parsing it alone raised.

    A failing batch ends spaCy's stream: its chunks are parsed again one at a time, then
    a new stream takes the chunks not yet sent.
    """
    upstream: list[Exception] = []
    while True:
        pending: deque[_Chunk] = deque()

        try:
            for doc, number in nlp.pipe(_fed(chunks, pending, upstream), as_tuples=True,
                                        batch_size=batch_size, n_process=processes):
                while pending[0].number != number:  # dropped by spaCy: try it alone
                    yield _alone(nlp, pending.popleft())
                yield pending.popleft(), doc
        except Exception as exc:
            if upstream:
                raise upstream[0] from None
            logger.warning("nlp: a batch failed (%s: %s); parsing its %d chunk(s) one by one",
                           type(exc).__name__, one_line(exc), len(pending))
            while pending:
                yield _alone(nlp, pending.popleft())
            continue
        while pending:
            yield _alone(nlp, pending.popleft())
        return


def _fed(chunks: Iterator[_Chunk], pending: deque[_Chunk], errors: list[Exception]
         ) -> Iterator[tuple[str, int]]:
    """spaCy's input: each chunk, kept in ``pending`` until its Doc comes back; an exception
    of ``chunks`` is noted in ``errors`` so that it is not taken for spaCy's."""
    try:
        for chunk in chunks:
            pending.append(chunk)
            yield chunk.text, chunk.number
    except Exception as exc:
        errors.append(exc)
        raise


def _docs(articles: Iterable[Article], nlp: Language, *, batch_size: int, processes: int,
          chunk_chars: int) -> Iterator[tuple[Article, Doc | Exception]]:
    """Each article with its whole Doc (chunks joined), or the exception of a chunk."""
    size = max(1, min(chunk_chars, nlp.max_length))
    parts: list[Doc] = []
    failure: Exception | None = None
    for chunk, parsed in _parse(_chunks(articles, size), nlp, batch_size=batch_size,
                                processes=processes):
        if isinstance(parsed, Exception):
            failure = failure or parsed
        else:
            parts.append(parsed)
        if chunk.last:
            yield chunk.article, failure or _joined(parts)
            parts, failure = [], None


def _joined(parts: list[Doc]) -> Doc | Exception:
    if len(parts) == 1:
        return parts[0]
    try:
        return Doc.from_docs(parts, ensure_whitespace=False)
    except Exception as exc:  # reported as the article's reject
        return exc


def extract(articles: Iterable[Article], nlp: Language, *, batch_size: int = 32,
            processes: int = 1, chunk_chars: int = 50_000) -> Iterator[Extraction | Reject]:
    """Run the pipeline over ``articles`` in batches, yielding one Extraction each, in order,
    or a Reject for an article that fails (stage ``nlp``: spaCy; ``extract``: what follows).

    ``processes`` > 1 runs spaCy in that many worker processes (spaCy's ``n_process``).
    """
    for zone, articles_of_zone in _zones(articles, nlp, processes):
        with zone:  # no Doc of the zone outlives it: each becomes an Extraction here
            for article, parsed in _docs(articles_of_zone, nlp, batch_size=batch_size,
                                         processes=processes, chunk_chars=chunk_chars):
                if isinstance(parsed, Exception):
                    yield Reject.fault(article.path, "nlp", parsed)
                    continue
                try:
                    yield _extraction(article, parsed)
                except Exception as exc:  # a fault of this code for this article: go on
                    yield Reject.fault(article.path, "extract", exc)


def _zones(articles: Iterable[Article], nlp: Language, processes: int
           ) -> Iterator[tuple[AbstractContextManager[object], Iterator[Article]]]:
    """``articles`` in consecutive runs of ``ZONE_ARTICLES``, each with the memory zone to
    parse it in, after a pipeline's first ``WARMUP_ARTICLES``, read outside any zone; with
    worker processes, one run and no zone (a new stream would start new workers, and the
    words are added in theirs)."""
    iterator = iter(articles)
    if processes > 1:
        yield nullcontext(), iterator
        return
    if nlp not in _WARMED:
        _WARMED.add(nlp)
        yield nullcontext(), islice(iterator, WARMUP_ARTICLES)
    while (first := next(iterator, None)) is not None:
        yield nlp.memory_zone(), chain([first], islice(iterator, ZONE_ARTICLES - 1))


def _extraction(article: Article, doc: Doc) -> Extraction:
    mentions = [m for span in doc.ents
                if (m := _span_mention(span, article.text, article.doc_id))]
    evidence = evidence_for(article)
    dates = [d for d in (published_date(article, evidence),) if d is not None]
    for start, end, item in article_dates(article, evidence):
        dates.append(item)
        if item.value is not None:  # a day of unknown year is no calendar day
            mentions.append(Mention(doc_id=article.doc_id, label="DATE", text=item.text,
                                    start_char=start, end_char=end,
                                    sentence=_sentence(doc, article.text, start, end),
                                    origin="dates",
                                    canonical=item.value.isoformat()))
    mentions.sort(key=lambda m: (m.start_char, m.end_char))
    return Extraction(article, tuple(mentions), tuple(dates))
