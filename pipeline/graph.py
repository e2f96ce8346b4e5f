"""The institution network: who appears with whom, and the documents that say so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx


@dataclass(frozen=True, slots=True)
class Participation:
    """The institutions one document mentions."""

    doc_id: str
    institutions: frozenset[str]  # entity ids


def cooccurrence_graph(participations: Iterable[Participation],
                       names: Mapping[str, str]) -> nx.Graph:
    """Institutions as nodes; an edge for each pair named in the same document.

    Edge ``weight`` is the number of such documents and ``doc_ids`` lists them (sorted).
    Node ``n_documents`` counts the documents that name the institution.
    """
    graph = nx.Graph()
    for part in participations:
        for entity_id in part.institutions:
            if entity_id not in graph:
                graph.add_node(entity_id, name=names.get(entity_id, entity_id), n_documents=0)
            graph.nodes[entity_id]["n_documents"] += 1
        for source, target in combinations(sorted(part.institutions), 2):
            if not graph.has_edge(source, target):
                graph.add_edge(source, target, weight=0, doc_ids=[])
            edge = graph.edges[source, target]
            edge["weight"] += 1
            edge["doc_ids"].append(part.doc_id)
    for _, _, data in graph.edges(data=True):
        data["doc_ids"].sort()
    return graph
