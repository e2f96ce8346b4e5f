"""Write ``events.csv`` and the institution network of a period: CSV tables and graphs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import networkx as nx

from pipeline.corpus.network import (
    Betweenness,
    event_years,
    filter_events,
    institution_network,
    participation_graph,
)
from pipeline.document.privacy import WITHHELD
from pipeline.memory import release_freed_memory
from pipeline.publish import export
from pipeline.records import Entity, Event

EVENT_COLUMNS = ["event_id", "date", "date_end", "date_source", "date_precision", "event_type",
                 "title", "gbv_related", "gbv_score", "gbv_terms", "n_documents", "doc_ids",
                 "urls", "institutions", "people"]
EDGE_COLUMNS = ["source_id", "target_id", "source", "target", "weight", "sentence_weight",
                "first_date", "last_date", "event_ids", "sentence_event_ids"]
NODE_COLUMNS = ["entity_id", "name", "sector", "jurisdiction", "n_events", "first_date", "last_date", "degree",
                "weighted_degree", "betweenness", "community", "strong_degree"]


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    events: int  # in the period
    gbv_events: int
    nodes: int
    edges: int


def _names(ids: Iterable[str], entities: Mapping[str, Entity]) -> list[str]:
    return sorted((WITHHELD if entities[i].withheld else entities[i].name) if i in entities
                  else i for i in ids)


def _write_slice(graph: nx.Graph, output_dir: Path, suffix: str) -> None:
    """Write the tables, then the graph files, of one period's network (whose attributes
    the graph files turn into strings)."""
    # The metrics (Louvain, betweenness) leave reference cycles behind that only a full
    # collection frees; on a large network they would otherwise stay through the writing.
    release_freed_memory()
    # The sorted edges live only while edges.csv is written, not through the graph files.
    export.write_csv(output_dir / f"edges{suffix}.csv", EDGE_COLUMNS, (
        {"source_id": s, "target_id": t, "source": graph.nodes[s]["name"],
         "target": graph.nodes[t]["name"], **data}
        for s, t, data in sorted((min(s, t), max(s, t), data)
                                 for s, t, data in graph.edges(data=True))))
    export.write_csv(output_dir / f"nodes{suffix}.csv", NODE_COLUMNS, (
        {"entity_id": node, **data} for node, data in sorted(graph.nodes(data=True))))
    export.write_graph(graph, gexf=output_dir / f"graph{suffix}.gexf",
                       graphml=output_dir / f"graph{suffix}.graphml",
                       time=("first_date", "last_date"), in_place=True)


def write_network(events: Sequence[Event], entities: Mapping[str, Entity], output_dir: Path,
                  *, since: date | None = None, until: date | None = None,
                  by_year: bool = False, betweenness: Betweenness = Betweenness()
                  ) -> NetworkSummary:
    """Write ``events.csv`` (every event) and the network of the events in
    ``[since, until]``: ``edges.csv``, ``nodes.csv``, ``graph.gexf``, ``graph.graphml``,
    ``events_graph.graphml``; with ``by_year``, also ``edges-YYYY.csv``, ``nodes-YYYY.csv``,
    ``graph-YYYY.gexf`` and ``graph-YYYY.graphml`` for each year with dated events, and the
    same files with ``-undated`` for the events that have no date."""
    export.write_csv(output_dir / "events.csv", EVENT_COLUMNS, (
        {**{k: getattr(e, k) for k in EVENT_COLUMNS if hasattr(e, k)},
         "n_documents": len(e.doc_ids), "institutions": _names(e.institutions, entities),
         "people": _names(e.people, entities)} for e in events))
    chosen = filter_events(events, since=since, until=until)
    network = institution_network(chosen, entities, betweenness)
    _write_slice(network, output_dir, "")
    export.write_graph(participation_graph(chosen, entities),
                       graphml=output_dir / "events_graph.graphml", in_place=True)
    if by_year:
        for year in event_years(chosen):
            _write_slice(institution_network(filter_events(
                chosen, since=date(year, 1, 1), until=date(year, 12, 31)), entities,
                betweenness),
                output_dir, f"-{year}")
        # Always written, empty or not, so that no file of an earlier run is left behind.
        _write_slice(institution_network([e for e in chosen if e.date is None], entities),
                     output_dir, "-undated")
    return NetworkSummary(events=len(chosen), gbv_events=sum(e.gbv_related for e in chosen),
                          nodes=network.number_of_nodes(), edges=network.number_of_edges())
