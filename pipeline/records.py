"""The records that pass between stages: the only types that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pipeline.errors import one_line

Label = Literal["PER", "ORG", "DATE"]
DateKind = Literal["published", "mentioned", "event"]
# Where a date's year came from (dates.csv year_source); "none": the date has no value.
YearSource = Literal["published", "url", "text", "weekday", "none"]
# How much of a date is known: the day, or only the month (a release dated by an archive's
# " date 2025-03" or a URL's /2024/11/; its value is the month's first day).
DatePrecision = Literal["day", "month"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One input release as read from disk (ingest → clean), bytes untouched."""

    doc_id: str  # stable: from the jsonl `id`, else the input's relative path
    path: str  # input file relative to the input root; `file.jsonl#L3` for jsonl lines
    fmt: Literal["txt", "html", "json"]
    data: bytes  # file bytes for txt/html; UTF-8 `text` for a jsonl line
    url: str | None = None
    title: str | None = None  # given by jsonl or a scrape manifest
    published_raw: str | None = None
    charset: str | None = None  # declared by the HTTP response, when scraped
    published_source: str = "metadata"  # of published_raw: "metadata" (jsonl) or "manifest"
    title_source: str = "metadata"  # of title: "metadata" (jsonl) or "manifest"
    source: str | None = None  # the outlet, as a manifest names it ("netnoticias.mx")
    decoding: str | None = None  # set when ingest decoded ``data`` (jsonl): how it did


@dataclass(frozen=True, slots=True)
class Article:
    """A release reduced to its own words (clean → extract)."""

    doc_id: str
    path: str
    url: str | None
    title: str
    text: str  # body only: no title, date line or page chrome; mention offsets point here
    published: date | None
    published_raw: str | None  # the string the date came from, for audit
    # Where ``published`` came from: "text", "metadata", "manifest", "url" ("" when none).
    published_source: str = ""
    title_source: str = ""  # "headline", "metadata", "manifest", "url" (slug), "sentence"
    extractor: str = "text"  # what read the body: "text", a site adapter's name, "generic", …
    decoding: str = "utf-8"  # how the bytes became text: utf-8, utf-8-repaired, cp1252, …


@dataclass(frozen=True, slots=True)
class Mention:
    """One PER/ORG/DATE span in an article's body (extract → resolve → export)."""

    doc_id: str
    label: Label
    text: str
    start_char: int
    end_char: int
    sentence: str
    origin: str  # "ner", "ruler:<pattern id>", …: which rule produced it
    canonical: str = ""  # the entity's canonical name once resolved; "" until then
    withheld: bool = False  # a private person's: no text, "[persona]" in the sentence


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in a release, resolved to a calendar day when its year can be known."""

    doc_id: str
    text: str
    value: date | None  # None: day and month written, year unknown (kind "mentioned")
    kind: DateKind
    year_source: YearSource = "none"
    # Where ``text`` is in the body (Article.text, texts.csv); None for the publication date,
    # which comes from the date line, the metadata or the URL.
    start_char: int | None = None
    end_char: int | None = None
    date_precision: DatePrecision = "day"  # "month": a publication month, not a day


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world person or institution across the corpus (resolve → export)."""

    entity_id: str
    label: Label
    name: str
    aliases: tuple[str, ...] = ()
    sector: str = ""
    n_documents: int = 0  # releases that mention it
    first_seen: date | None = None
    last_seen: date | None = None
    jurisdiction: str = ""  # the municipality ("Juárez, Chihuahua") or state of its body
    withheld: bool = False  # a private person: counted, not named (corpus/privacy.py)


@dataclass(frozen=True, slots=True)
class Event:
    """One activity reported by one or more releases (near-duplicates merged): events → graph."""

    event_id: str
    date: date | None  # first activity date of its releases, else earliest publication date
    event_type: str
    title: str
    gbv_related: bool
    gbv_score: float
    gbv_terms: tuple[str, ...]
    doc_ids: tuple[str, ...]  # the representative release first
    urls: tuple[str, ...]
    # Sorted tuples, not sets: a corpus holds every event at once, and small sets cost 3-5×.
    institutions: tuple[str, ...]  # entity ids of the ORGs its releases mention
    people: tuple[str, ...]  # entity ids of the PERs
    sentence_pairs: tuple[tuple[str, str], ...] = ()  # ORG pairs (each sorted) in one sentence
    date_end: date | None = None  # last activity date, when the activities span several days
    date_source: str = ""  # "event" (an activity date), "published", or "" (undated)
    date_precision: str = ""  # "day"; "month" (only the publication month); "" (undated)


@dataclass(frozen=True, slots=True)
class Affiliation:
    """A person's role, and the institution it is in when the text says (resolve → export)."""

    doc_id: str
    person: str  # canonical name
    role: str  # the role word as written, lower case ("directora")
    org: str = ""  # canonical name; "" when only the role is stated


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not be processed, and why (any stage → rejects.csv)."""

    path: str
    stage: str
    reason: str
    error: str = ""  # the exception type when a fault of the pipeline caused it, else ""

    @classmethod
    def fault(cls, path: str, stage: str, error: Exception) -> Reject:
        """The reject for an exception the pipeline's own code raised on one input."""
        return cls(path, stage, one_line(error), error=type(error).__name__)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything the per-document stage learns from one release alone (document → corpus).

    It depends only on the release (and the pipeline's code, resources, model and settings),
    so it can be computed anywhere, stored and reused; the corpus stage reads these.
    """

    doc_id: str
    path: str
    url: str | None
    title: str
    published: date | None
    published_raw: str | None
    gbv_related: bool
    gbv_score: float
    gbv_terms: tuple[str, ...]  # the vocabulary that decided it, heaviest first
    event_type: str
    model: str  # the spaCy model that ran, name-version
    mentions: tuple[Mention, ...]  # resolved inside the release (``canonical`` set)
    dates: tuple[DateMention, ...]  # published, event and mentioned dates
    affiliations: tuple[Affiliation, ...]
    signature: tuple[int, ...]  # MinHash of the release's shingles, for near-duplicates
    published_source: str = ""  # as Article.published_source
    title_source: str = ""  # as Article.title_source
    extractor: str = "text"  # what read the body (Article.extractor)
    jurisdiction: str = ""  # the municipality it is about, "Juárez, Chihuahua" (jurisdiction.py)
    # what said so: "dateline", "text", "outlet", or "default" when nothing in the release did
    jurisdiction_source: str = ""
    decoding: str = "utf-8"  # how the bytes became text (see Article)
    # The body every offset points into (Article.text), private people's names masked in
    # place (document/body_text.py); exported as texts.csv.
    text: str = ""


@dataclass(frozen=True, slots=True)
class Correction:
    """One row of an analyst's corrections file (file → corpus stage): ``action`` on
    ``target`` (an entity id, a name as entities.csv gives it, a document or an event id),
    with ``value`` where the action needs one (see :mod:`pipeline.corpus.corrections`)."""

    line: int  # the row's line in its file (the header is line 1), for messages
    action: str
    target: str
    value: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One row of the review sheet (review → the analyst, and the evaluation's oracle): what
    to check, why, and the correction it suggests. Once ``decision`` is ``accept``, the row
    is a correction (``suggestion`` its action, ``suggested_value`` its value)."""

    rank: int
    kind: str  # what may be wrong: institution, duplicate, cross_city, person, document
    target: str  # an entity id or a document id
    name: str  # the entity's name, the document's title; a withheld person's id
    label: str  # ORG, PER, or DOC
    jurisdiction: str
    suggestion: str  # an action of the corrections file, or "keep"
    suggested_value: str
    reason: str  # in Spanish, for the analyst
    evidence: str  # the sentences and document ids behind it
    decision: str = ""  # the analyst's: accept or reject
    priority: float = 0.0  # how much of the network it could change × how doubtful it is
