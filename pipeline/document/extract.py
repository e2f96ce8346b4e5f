"""Find people, institutions and dates in articles. spaCy ``Doc``s stay in this module."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.document.event_dates import article_dates, published_date
from pipeline.records import Article, DateMention, Mention

# The model's labels that we keep, and what they become. LOC and MISC are dropped: places
# are not actors in the network, and MISC is mostly events and programmes.
KEPT_LABELS = {"PER": "PER", "ORG": "ORG"}
# Legal forms keep their final period ("Transforma A. C."); other edge punctuation goes.
_STRIP = " \t\n.,;:«»\"“”'‘’()-–—"
_KEEP_PERIOD = re.compile(r"\b[A-Z]\.$")



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
    if label is None or "\n" in surface or not any(c.isupper() for c in surface):
        return None
    return Mention(doc_id=doc_id, label=label, text=surface, start_char=start, end_char=end,
                   sentence=span.sent.text.strip(), origin=_origin(span))


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


def _sentence(doc: Doc, start: int, end: int) -> str:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.sent.text.strip() if span is not None else ""


def extract(articles: Iterable[Article], nlp: Language, *, batch_size: int = 32,
            processes: int = 1) -> Iterator[Extraction]:
    """Run the pipeline over ``articles`` in batches, yielding one Extraction each, in order.

    ``processes`` > 1 runs spaCy in that many worker processes (spaCy's ``n_process``).
    """
    for doc, article in nlp.pipe(((a.text, a) for a in articles), as_tuples=True,
                                 batch_size=batch_size, n_process=processes):
        mentions = [m for span in doc.ents
                    if (m := _span_mention(span, article.text, article.doc_id))]
        dates = [d for d in (published_date(article),) if d is not None]
        for start, end, item in article_dates(article):
            dates.append(item)
            if item.value is not None:  # a day of unknown year is no calendar day
                mentions.append(Mention(doc_id=article.doc_id, label="DATE", text=item.text,
                                        start_char=start, end_char=end,
                                        sentence=_sentence(doc, start, end), origin="dates",
                                        canonical=item.value.isoformat()))
        mentions.sort(key=lambda m: (m.start_char, m.end_char))
        yield Extraction(article, tuple(mentions), tuple(dates))
