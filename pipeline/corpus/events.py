"""Releases → events: which releases report one activity, and what each event gathers.

:class:`EventIds` gives each release its event (near-duplicates share one, see
:mod:`pipeline.corpus.dedupe`); :class:`EventTable` is fed each release once its mentions
carry entity ids, and releases that share an ``event_id`` become one :class:`Event`.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations
from typing import Any

from pipeline.corpus.dedupe import NearDuplicates
from pipeline.records import DateMention, Event, Mention

# An event's activity dates start at most this long before its publication: older dates
# in a release are the history it recalls (an incident years ago), not its activity.
ACTIVITY_LOOKBACK = timedelta(days=31)


def event_id_for(doc_id: str) -> str:
    """Stable id of the event whose first release is ``doc_id``.

    >>> event_id_for("001")
    'ev-dd01903921ea'
    """
    return f"ev-{hashlib.sha1(doc_id.encode()).hexdigest()[:12]}"


class EventIds:
    """Give each release, in arrival order, its event: a new one, or the event of the earlier
    release it nearly duplicates (``duplicate_of``)."""

    def __init__(self, *, threshold: float, max_days: int | None) -> None:
        self._index = NearDuplicates(threshold=threshold, max_days=max_days)
        self._event_of: dict[str, str] = {}
        self.duplicates = 0

    def assign(self, doc_id: str, signature: Sequence[int], published: date | None
               ) -> tuple[str, str | None]:
        """Return ``(event_id, duplicate_of)`` for a release, given its MinHash signature;
        ``duplicate_of`` may be None."""
        match = self._index.add(doc_id, signature, published)
        duplicate_of = match.key if match else None
        event_id = self._event_of[duplicate_of] if duplicate_of else event_id_for(doc_id)
        self._event_of[doc_id] = event_id
        self.duplicates += duplicate_of is not None
        return event_id, duplicate_of


@dataclass(slots=True)
class _Draft:
    event_type: str
    title: str
    doc_ids: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    relevance: tuple[float, bool, tuple[str, ...]] = (float("-inf"), False, ())
    institutions: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    sentence_pairs: set[tuple[str, str]] = field(default_factory=set)
    event_dates: set[date] = field(default_factory=set)
    published: set[date] = field(default_factory=set)
    published_months: set[date] = field(default_factory=set)  # first days, no day known


class EventTable:
    """Events assembled release by release; the first release of an event speaks for it
    (type, title), the highest-scoring one for its GBV relevance."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}

    def add(self, document: Mapping[str, Any], mentions: Sequence[tuple[Mention, str]],
            dates: Sequence[DateMention]) -> None:
        """Add one release: its ``documents.csv`` row (plus ``event_type``), its mentions
        with their entity ids, and its dates."""
        # Types and terms come from small vocabularies: one string each, not one per release.
        draft = self._drafts.setdefault(document["event_id"], _Draft(
            event_type=sys.intern(document["event_type"]), title=document["title"]))
        draft.doc_ids.append(document["doc_id"])
        if document["url"]:
            draft.urls.append(document["url"])
        relevance = (document["gbv_score"], document["gbv_related"],
                     tuple(map(sys.intern, document["gbv_terms"])))
        draft.relevance = max(draft.relevance, relevance, key=lambda r: r[0])
        by_sentence: dict[str, set[str]] = {}
        for mention, entity_id in mentions:
            if mention.label == "ORG":
                draft.institutions.add(entity_id)
                by_sentence.setdefault(mention.sentence, set()).add(entity_id)
            elif mention.label == "PER":
                draft.people.add(entity_id)
        for together in by_sentence.values():
            draft.sentence_pairs.update(combinations(sorted(together), 2))
        draft.event_dates.update(d.value for d in dates if d.kind == "event")
        draft.published_months.update(d.value for d in dates if d.kind == "published"
                                      and d.date_precision == "month" and d.value)
        if document["published"]:
            draft.published.add(document["published"])

    def events(self) -> list[Event]:
        """The events, by date (undated last), then id."""
        events = [
            Event(event_id=event_id, **_when(draft), event_type=draft.event_type,
                  title=draft.title,
                  gbv_related=draft.relevance[1], gbv_score=draft.relevance[0],
                  gbv_terms=draft.relevance[2], doc_ids=tuple(draft.doc_ids),
                  urls=tuple(draft.urls), institutions=tuple(sorted(draft.institutions)),
                  people=tuple(sorted(draft.people)),
                  sentence_pairs=tuple(sorted(draft.sentence_pairs)))
            for event_id, draft in self._drafts.items()]
        return sorted(events, key=lambda e: (e.date is None, e.date or date.min, e.event_id))


def _when(draft: _Draft) -> dict[str, Any]:
    """``date``, ``date_end``, ``date_source`` and ``date_precision`` of an event: its first
    and last activity dates (those from a month before its first publication on), else its
    publication date, else the first day of its publication month (precision "month": an
    archive's or a URL's month, no day known).

    >>> _when(_Draft("other", "t", event_dates={date(2010, 2, 23), date(2023, 2, 20)},
    ...              published={date(2023, 2, 26)}))["date"]
    datetime.date(2023, 2, 20)
    >>> _when(_Draft("other", "t", published_months={date(2024, 11, 1)}))["date_precision"]
    'month'
    """
    published = min(draft.published, default=None)
    activity = sorted(d for d in draft.event_dates
                      if published is None or d >= published - ACTIVITY_LOOKBACK)
    if activity:
        return {"date": activity[0], "date_end": activity[-1] if len(activity) > 1 else None,
                "date_source": "event", "date_precision": "day"}
    if published is not None:
        return {"date": published, "date_end": None, "date_source": "published",
                "date_precision": "day"}
    if draft.published_months:
        return {"date": min(draft.published_months), "date_end": None,
                "date_source": "published", "date_precision": "month"}
    return {"date": None, "date_end": None, "date_source": "", "date_precision": ""}
