"""Releases → events → network files: the events part of the extract workflow.

:class:`EventTable` is fed each release once its mentions carry entity ids; releases that
share an ``event_id`` (near-duplicates, see :mod:`pipeline.dedupe`) become one :class:`Event`.
:func:`write_network` writes ``events.csv`` and the network of the chosen period.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from pipeline import export
from pipeline.dedupe import NearDuplicates
from pipeline.graph import event_years, filter_events, institution_network, participation_graph
from pipeline.records import DateMention, Entity, Event, Mention

EVENT_COLUMNS = ["event_id", "date", "event_type", "title", "gbv_related", "gbv_score",
                 "gbv_terms", "n_documents", "doc_ids", "urls", "institutions", "people"]
EDGE_COLUMNS = ["source_id", "target_id", "source", "target", "weight", "sentence_weight",
                "first_date", "last_date", "event_ids"]
NODE_COLUMNS = ["entity_id", "name", "sector", "n_events", "first_date", "last_date", "degree",
                "weighted_degree", "betweenness", "community"]


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

    def assign(self, doc_id: str, text: str, published: date | None) -> tuple[str, str | None]:
        """Return ``(event_id, duplicate_of)`` for a release; ``duplicate_of`` may be None."""
        match = self._index.add(doc_id, text, published)
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


class EventTable:
    """Events assembled release by release; the first release of an event speaks for it
    (type, title), the highest-scoring one for its GBV relevance."""

    def __init__(self) -> None:
        self._drafts: dict[str, _Draft] = {}

    def add(self, document: Mapping[str, Any], mentions: Sequence[tuple[Mention, str]],
            dates: Sequence[DateMention]) -> None:
        """Add one release: its ``documents.csv`` row (plus ``event_type``), its mentions
        with their entity ids, and its dates."""
        draft = self._drafts.setdefault(document["event_id"], _Draft(
            event_type=document["event_type"], title=document["title"]))
        draft.doc_ids.append(document["doc_id"])
        if document["url"]:
            draft.urls.append(document["url"])
        relevance = (document["gbv_score"], document["gbv_related"],
                     tuple(document["gbv_terms"]))
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
        if document["published"]:
            draft.published.add(document["published"])

    def events(self) -> list[Event]:
        """The events, by date (undated last), then id."""
        events = [
            Event(event_id=event_id,
                  date=min(draft.event_dates or draft.published, default=None),
                  event_type=draft.event_type, title=draft.title,
                  gbv_related=draft.relevance[1], gbv_score=draft.relevance[0],
                  gbv_terms=draft.relevance[2], doc_ids=tuple(draft.doc_ids),
                  urls=tuple(draft.urls), institutions=frozenset(draft.institutions),
                  people=frozenset(draft.people),
                  sentence_pairs=frozenset(draft.sentence_pairs))
            for event_id, draft in self._drafts.items()]
        return sorted(events, key=lambda e: (e.date is None, e.date or date.min, e.event_id))


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    events: int  # in the period
    gbv_events: int
    nodes: int
    edges: int


def _names(ids: Iterable[str], entities: Mapping[str, Entity]) -> list[str]:
    return sorted(entities[i].name if i in entities else i for i in ids)


def _write_slice(graph: nx.Graph, output_dir: Path, suffix: str) -> None:
    edges = sorted((min(s, t), max(s, t), data) for s, t, data in graph.edges(data=True))
    export.write_csv(output_dir / f"edges{suffix}.csv", EDGE_COLUMNS, (
        {"source_id": s, "target_id": t, "source": graph.nodes[s]["name"],
         "target": graph.nodes[t]["name"], **data} for s, t, data in edges))
    export.write_csv(output_dir / f"nodes{suffix}.csv", NODE_COLUMNS, (
        {"entity_id": node, **data} for node, data in sorted(graph.nodes(data=True))))
    export.write_graph(graph, gexf=output_dir / f"graph{suffix}.gexf",
                       graphml=output_dir / f"graph{suffix}.graphml",
                       time=("first_date", "last_date"))


def write_network(events: Sequence[Event], entities: Mapping[str, Entity], output_dir: Path,
                  *, since: date | None = None, until: date | None = None,
                  by_year: bool = False) -> NetworkSummary:
    """Write ``events.csv`` (every event) and the network of the events in
    ``[since, until]``: ``edges.csv``, ``nodes.csv``, ``graph.gexf``, ``graph.graphml``,
    ``events_graph.graphml``; with ``by_year``, also ``edges-YYYY.csv``, ``nodes-YYYY.csv``,
    ``graph-YYYY.gexf`` and ``graph-YYYY.graphml`` for each year with dated events."""
    export.write_csv(output_dir / "events.csv", EVENT_COLUMNS, (
        {**{k: getattr(e, k) for k in EVENT_COLUMNS if hasattr(e, k)},
         "n_documents": len(e.doc_ids), "institutions": _names(e.institutions, entities),
         "people": _names(e.people, entities)} for e in events))
    chosen = filter_events(events, since=since, until=until)
    network = institution_network(chosen, entities)
    _write_slice(network, output_dir, "")
    export.write_graph(participation_graph(chosen, entities),
                       graphml=output_dir / "events_graph.graphml")
    if by_year:
        for year in event_years(chosen):
            _write_slice(institution_network(filter_events(
                chosen, since=date(year, 1, 1), until=date(year, 12, 31)), entities),
                output_dir, f"-{year}")
    return NetworkSummary(events=len(chosen), gbv_events=sum(e.gbv_related for e in chosen),
                          nodes=network.number_of_nodes(), edges=network.number_of_edges())
