"""The institution network: events ↔ institutions, and institutions that share GBV events.

Participation rule: an institution takes part in an event when any release of the event
mentions it (an ORG mention resolved to its entity). Two institutions are joined when they
take part in the same GBV-related event; the edge's ``weight`` counts such events, and its
``sentence_weight`` counts those in which a release names both in one sentence (a stronger
sign of joint work than sharing a release). A *strong* tie is one named in one sentence at
least once or shared by two events or more; ``strong_degree`` counts a node's strong ties.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from typing import Any

import networkx as nx

from pipeline.records import Entity, Event

COMMUNITY_SEED = 42  # Louvain is randomised; a fixed seed makes the labels reproducible
STRONG_MIN_EVENTS = 2  # a tie repeated in this many events is strong even without a sentence


@dataclass(frozen=True, slots=True)
class Betweenness:
    """Exact betweenness costs O(nodes × edges); above ``exact_max`` nodes it is estimated
    from ``samples`` source nodes drawn with a fixed seed (networkx's ``k``), O(k × edges)."""

    exact_max: int = 2000
    samples: int = 500

    def sources(self, nodes: int) -> int | None:
        """networkx's ``k`` for a graph of ``nodes``: None for exact."""
        return None if nodes <= self.exact_max else min(self.samples, nodes)


def filter_events(events: Iterable[Event], *, since: date | None = None,
                  until: date | None = None) -> list[Event]:
    """The events dated within ``[since, until]``, an event known by its month only when its
    month meets the period; with either bound, undated events drop out.

    >>> from pipeline.records import Event
    >>> e = Event("ev-1", date(2023, 5, 1), "other", "t", True, 3.0, (), (), (), (), ())
    >>> len(filter_events([e], since=date(2023, 6, 1)))
    0
    >>> from dataclasses import replace
    >>> len(filter_events([replace(e, date_precision="month")], since=date(2023, 5, 20)))
    1
    """
    if since is None and until is None:
        return list(events)
    return [e for e in events if e.date is not None
            and (since is None or _last_day(e) >= since) and (until is None or e.date <= until)]


def _last_day(event: Event) -> date:
    """The last day an event's date may stand for: the day, or its month's last day."""
    assert event.date is not None
    if event.date_precision != "month":
        return event.date
    following = date(event.date.year + event.date.month // 12, event.date.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _widen(data: dict[str, Any], day: date | None) -> None:
    """Stretch ``data``'s first_date..last_date to include ``day``."""
    if day is not None:
        data["first_date"] = min(filter(None, (data["first_date"], day)))
        data["last_date"] = max(filter(None, (data["last_date"], day)))


def _institution(graph: nx.Graph, entity_id: str, entities: Mapping[str, Entity],
                 **extra: object) -> None:
    if entity_id not in graph:
        entity = entities.get(entity_id)
        graph.add_node(entity_id, name=entity.name if entity else entity_id,
                       sector=entity.sector if entity else "",
                       jurisdiction=entity.jurisdiction if entity else "", n_events=0,
                       first_date=None, last_date=None, **extra)


def participation_graph(events: Iterable[Event], entities: Mapping[str, Entity]) -> nx.Graph:
    """Bipartite graph: event nodes (``kind`` = event) joined to the institutions they name.

    All events are included; ``gbv_related`` on event nodes tells which count in the
    projection.
    """
    graph = nx.Graph()
    for event in events:
        graph.add_node(event.event_id, kind="event", bipartite=0, title=event.title,
                       date=event.date, event_type=event.event_type,
                       gbv_related=event.gbv_related, n_documents=len(event.doc_ids))
        for entity_id in sorted(event.institutions):
            _institution(graph, entity_id, entities, kind="institution", bipartite=1)
            graph.nodes[entity_id]["n_events"] += 1
            _widen(graph.nodes[entity_id], event.date)
            graph.add_edge(event.event_id, entity_id)
    return graph


def institution_network(events: Iterable[Event], entities: Mapping[str, Entity],
                        betweenness: Betweenness = Betweenness()) -> nx.Graph:
    """The projection onto institutions over GBV-related events, with node metrics.

    Nodes: ``name``, ``sector``, ``n_events``, ``first_date``, ``last_date``, ``degree``,
    ``weighted_degree``, ``betweenness`` (unweighted, normalised; sampled on large graphs,
    see :class:`Betweenness`), ``community`` (Louvain on ``weight``, 0 = largest) and
    ``strong_degree``. Edges: ``weight``, ``sentence_weight``, ``first_date``,
    ``last_date``, ``event_ids`` and ``sentence_event_ids`` (sorted).
    """
    graph = nx.Graph()
    for event in events:
        if not event.gbv_related:
            continue
        for entity_id in sorted(event.institutions):
            _institution(graph, entity_id, entities)
            graph.nodes[entity_id]["n_events"] += 1
            _widen(graph.nodes[entity_id], event.date)
        in_one_sentence = set(event.sentence_pairs)
        for pair in combinations(sorted(event.institutions), 2):
            if not graph.has_edge(*pair):
                graph.add_edge(*pair, weight=0, sentence_weight=0, first_date=None,
                               last_date=None, event_ids=[], sentence_event_ids=[])
            edge = graph.edges[pair]
            edge["weight"] += 1
            edge["sentence_weight"] += pair in in_one_sentence
            edge["event_ids"].append(event.event_id)
            if pair in in_one_sentence:
                edge["sentence_event_ids"].append(event.event_id)
            _widen(edge, event.date)
    for *_, data in graph.edges(data=True):
        data["event_ids"].sort()
        data["sentence_event_ids"].sort()
    _add_metrics(graph, betweenness)
    _add_strong_degree(graph)
    return graph


def _add_metrics(graph: nx.Graph, settings: Betweenness) -> None:
    betweenness = nx.betweenness_centrality(graph, k=settings.sources(len(graph)),
                                            seed=COMMUNITY_SEED)
    communities = nx.community.louvain_communities(graph, weight="weight", seed=COMMUNITY_SEED)
    ranked = sorted(communities, key=lambda c: (-len(c), min(c)))
    label = {node: number for number, members in enumerate(ranked) for node in members}
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["weighted_degree"] = graph.degree(node, weight="weight")
        data["betweenness"] = round(betweenness[node], 6)
        data["community"] = label[node]


def is_strong_tie(weight: int, sentence_weight: int) -> bool:
    """Named in one sentence at least once, or shared by :data:`STRONG_MIN_EVENTS` events."""
    return sentence_weight > 0 or weight >= STRONG_MIN_EVENTS


def _add_strong_degree(graph: nx.Graph) -> None:
    for node in graph:
        graph.nodes[node]["strong_degree"] = sum(
            is_strong_tie(data["weight"], data["sentence_weight"])
            for *_, data in graph.edges(node, data=True))


def event_years(events: Iterable[Event]) -> list[int]:
    """The years in which dated events fall, ascending."""
    return sorted({e.date.year for e in events if e.date is not None})
