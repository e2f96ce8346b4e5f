"""The records that pass between stages: the only types that cross module boundaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Label = Literal["PER", "ORG", "DATE"]
DateKind = Literal["published", "mentioned", "event"]


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
    extractor: str = "text"  # what read the body: "text", a site adapter's name, "generic", …


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


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in a release, resolved to a calendar day."""

    doc_id: str
    text: str
    value: date
    kind: DateKind


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world person or institution across the corpus (resolve → export)."""

    entity_id: str
    label: Label
    name: str
    aliases: tuple[str, ...] = ()
    sector: str = ""
    doc_ids: frozenset[str] = field(default_factory=frozenset)
    first_seen: date | None = None
    last_seen: date | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """One activity reported by one or more releases (near-duplicates merged): events → graph."""

    event_id: str
    date: date | None  # earliest event date of its releases, else earliest publication date
    event_type: str
    title: str
    gbv_related: bool
    gbv_score: float
    gbv_terms: tuple[str, ...]
    doc_ids: tuple[str, ...]  # the representative release first
    urls: tuple[str, ...]
    institutions: frozenset[str]  # entity ids of the ORGs its releases mention
    people: frozenset[str]  # entity ids of the PERs
    sentence_pairs: frozenset[tuple[str, str]] = frozenset()  # ORG pairs (sorted) in one sentence


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
    extractor: str = "text"  # what read the body (Article.extractor)
