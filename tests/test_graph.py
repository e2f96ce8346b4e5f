"""The institution network on a hand-made set of events whose answer is known."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from pipeline.corpus.network import (
    Betweenness,
    event_years,
    filter_events,
    institution_network,
    participation_graph,
)
from pipeline.publish import export
from pipeline.publish.network import write_network
from pipeline.records import Entity, Event

ENTITIES = {i: Entity(i, "ORG", name, sector=sector) for i, name, sector in [
    ("A", "Instituto Municipal de las Mujeres", "municipal"),
    ("B", "Red Mesa de Mujeres", "civil_society"),
    ("C", "Fiscalía Especializada de la Mujer", "state"),
    ("D", "UACJ", "academic")]}


def _event(event_id: str, day: date | None, institutions: str, gbv: bool = True,
           pairs: tuple[tuple[str, str], ...] = ()) -> Event:
    return Event(event_id, day, "reunión", f"Título {event_id}", gbv, 3.0 if gbv else 0.0,
                 ("feminicidio",) if gbv else (), (f"doc-{event_id}",),
                 (f"https://example.org/{event_id}",), tuple(sorted(institutions)), (),
                 pairs, date_source="event" if day else "", date_precision="day" if day else "")


EVENTS = [
    _event("e1", date(2023, 3, 8), "ABC", pairs=(("A", "B"),)),
    _event("e2", date(2023, 11, 25), "AB"),
    _event("e3", date(2024, 5, 1), "BD"),
    _event("e4", date(2024, 6, 1), "AD", gbv=False),
    _event("e5", None, "CD"),
]


def _pairs(graph: nx.Graph) -> list[tuple[str, str]]:
    return sorted((min(s, t), max(s, t)) for s, t in graph.edges)


def test_projection_counts_shared_gbv_events_only() -> None:
    graph = institution_network(EVENTS, ENTITIES)
    assert _pairs(graph) == [("A", "B"), ("A", "C"), ("B", "C"), ("B", "D"), ("C", "D")]
    assert dict(graph.edges["A", "B"]) == {
        "weight": 2, "sentence_weight": 1, "first_date": date(2023, 3, 8),
        "last_date": date(2023, 11, 25), "event_ids": ["e1", "e2"],
        "sentence_event_ids": ["e1"]}
    assert graph.edges["C", "D"]["first_date"] is None  # its only event is undated
    assert not graph.has_edge("A", "D")  # they share only a non-GBV event


def test_node_attributes_and_metrics() -> None:
    graph = institution_network(EVENTS, ENTITIES)
    b = graph.nodes["B"]
    assert (b["name"], b["sector"], b["n_events"]) == ("Red Mesa de Mujeres", "civil_society", 3)
    assert (b["first_date"], b["last_date"]) == (date(2023, 3, 8), date(2024, 5, 1))
    assert (b["degree"], b["weighted_degree"]) == (3, 4)
    # A–D has two shortest paths, through B and through C: each gets 1/2 of 3 pairs.
    assert [graph.nodes[n]["betweenness"] for n in "ABCD"] == [0.0, 0.166667, 0.166667, 0.0]
    assert graph.nodes["A"]["n_events"] == 2
    # A–B is strong (named in one sentence, and repeated); no other tie is.
    assert [graph.nodes[n]["strong_degree"] for n in "ABCD"] == [1, 1, 0, 0]
    labels = {n: graph.nodes[n]["community"] for n in "ABCD"}
    assert set(labels.values()) <= {0, 1, 2, 3}
    assert labels == {n: institution_network(EVENTS, ENTITIES).nodes[n]["community"]
                      for n in "ABCD"}  # the fixed seed makes it reproducible


def test_betweenness_is_exact_on_small_networks_and_sampled_reproducibly_on_large() -> None:
    # A chain of 40 institutions: the middle ones lie on the most shortest paths.
    names = [f"I{n:02}" for n in range(40)]
    chain = [_event(f"c{n}", date(2024, 1, 1), "") for n in range(39)]
    chain = [Event(**{**{f: getattr(e, f) for f in e.__slots__},  # type: ignore[attr-defined]
                      "institutions": tuple(names[n:n + 2])}) for n, e in enumerate(chain)]
    entities = {n: Entity(n, "ORG", n) for n in names}
    exact = nx.get_node_attributes(institution_network(chain, entities), "betweenness")
    assert exact == nx.get_node_attributes(
        institution_network(chain, entities, Betweenness(exact_max=40)), "betweenness")
    sampled = Betweenness(exact_max=39, samples=10)
    assert sampled.sources(40) == 10 and sampled.sources(39) is None
    first = nx.get_node_attributes(institution_network(chain, entities, sampled), "betweenness")
    again = nx.get_node_attributes(institution_network(chain, entities, sampled), "betweenness")
    assert first == again and first != exact
    middle = sum(first[n] for n in names[15:25])
    assert middle > 2 * sum(first[n] for n in names[:5] + names[35:])  # the shape survives


def test_time_filter_drops_undated_events() -> None:
    chosen = filter_events(EVENTS, since=date(2024, 1, 1))
    assert [e.event_id for e in chosen] == ["e3", "e4"]
    assert _pairs(institution_network(chosen, ENTITIES)) == [("B", "D")]
    assert [e.event_id for e in filter_events(EVENTS, until=date(2023, 12, 31))] == ["e1", "e2"]
    assert len(filter_events(EVENTS)) == 5
    assert event_years(EVENTS) == [2023, 2024]


def test_bipartite_graph_joins_events_to_institutions() -> None:
    graph = participation_graph(EVENTS, ENTITIES)
    assert graph.number_of_nodes() == 9 and graph.number_of_edges() == 11
    assert graph.nodes["e4"]["kind"] == "event" and graph.nodes["e4"]["gbv_related"] is False
    assert graph.nodes["D"]["kind"] == "institution" and graph.nodes["D"]["n_events"] == 3
    assert sorted(graph["A"]) == ["e1", "e2", "e4"]


def test_gexf_is_dynamic_and_graphml_reads_back(tmp_path: Path) -> None:
    graph = institution_network(EVENTS, ENTITIES)
    export.write_graph(graph, gexf=tmp_path / "g.gexf", graphml=tmp_path / "g.graphml",
                       time=("first_date", "last_date"))
    gexf = nx.read_gexf(tmp_path / "g.gexf")
    assert gexf.graph["mode"] == "dynamic"
    assert sorted(gexf.nodes) == list("ABCD") and gexf.number_of_edges() == 5
    ab = gexf.edges["A", "B"]
    assert (ab["start"], ab["end"], ab["weight"]) == ("2023-03-08", "2023-11-25", 2)
    assert ab["event_ids"] == "e1; e2"
    assert "start" not in gexf.edges["C", "D"]  # undated: present throughout
    assert gexf.edges["C", "D"]["undated"] is True and ab["undated"] is False
    assert gexf.nodes["B"]["label"] == "Red Mesa de Mujeres"
    graphml = nx.read_graphml(tmp_path / "g.graphml")
    assert _pairs(graphml) == _pairs(graph)
    assert dict(graphml.edges["A", "B"]) == {"weight": 2, "sentence_weight": 1,
                                             "first_date": "2023-03-08",
                                             "last_date": "2023-11-25", "event_ids": "e1; e2",
                                             "sentence_event_ids": "e1"}
    assert graphml.nodes["C"]["sector"] == "state"
    assert graphml.nodes["B"]["betweenness"] == pytest.approx(0.166667)


def _rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8-sig").splitlines()]


def test_write_network_tables_and_year_slices(tmp_path: Path) -> None:
    summary = write_network(EVENTS, ENTITIES, tmp_path, by_year=True)
    assert (summary.events, summary.gbv_events, summary.nodes, summary.edges) == (5, 4, 4, 5)
    events = _rows(tmp_path / "events.csv")
    assert events[0] == ["event_id", "date", "date_end", "date_source", "date_precision",
                         "event_type", "title",
                         "gbv_related", "gbv_score", "gbv_terms", "n_documents", "doc_ids",
                         "urls", "institutions", "people"]
    assert events[1] == ["e1", "2023-03-08", "", "event", "day", "reunión", "Título e1", "true", "3.0",
                         "feminicidio", "1", "doc-e1", "https://example.org/e1",
                         "Fiscalía Especializada de la Mujer; Instituto Municipal de las "
                         "Mujeres; Red Mesa de Mujeres", ""]
    edges = _rows(tmp_path / "edges.csv")
    assert edges[1] == ["A", "B", "Instituto Municipal de las Mujeres", "Red Mesa de Mujeres",
                        "2", "1", "2023-03-08", "2023-11-25", "e1; e2", "e1"]
    nodes = _rows(tmp_path / "nodes.csv")
    assert nodes[0] == ["entity_id", "name", "sector", "jurisdiction", "n_events", "first_date",
                        "last_date", "degree", "weighted_degree", "betweenness", "community",
                        "strong_degree"]
    assert nodes[2][:10] == ["B", "Red Mesa de Mujeres", "civil_society", "", "3", "2023-03-08",
                             "2024-05-01", "3", "4", "0.166667"]
    assert _rows(tmp_path / "edges-2024.csv")[1][:5] == ["B", "D", "Red Mesa de Mujeres",
                                                         "UACJ", "1"]
    assert len(_rows(tmp_path / "edges-2023.csv")) == 4  # header + A–B, A–C, B–C
    bipartite = nx.read_graphml(tmp_path / "events_graph.graphml")
    assert bipartite.number_of_nodes() == 9 and bipartite.number_of_edges() == 11
    assert nx.read_gexf(tmp_path / "graph-2023.gexf").number_of_edges() == 3
    # The undated event (e5: C–D) has its own slice, so --by year loses no event.
    assert _rows(tmp_path / "edges-undated.csv")[1][:4] == ["C", "D", "Fiscalía Especializada "
                                                            "de la Mujer", "UACJ"]
    assert (tmp_path / "graph-undated.gexf").is_file()


def test_write_network_period(tmp_path: Path) -> None:
    summary = write_network(EVENTS, ENTITIES, tmp_path, since=date(2023, 6, 1),
                            until=date(2023, 12, 31))
    assert (summary.events, summary.nodes, summary.edges) == (1, 2, 1)
    assert len(_rows(tmp_path / "events.csv")) == 6  # events.csv keeps every event
    assert _rows(tmp_path / "edges.csv")[1][4:] == ["1", "0", "2023-11-25", "2023-11-25", "e2",
                                                     ""]


def test_an_event_known_by_its_month_meets_a_period_by_its_month(tmp_path: Path) -> None:
    by_month = replace(_event("m1", date(2023, 11, 1), "AC"), date_source="published",
                       date_precision="month")
    summary = write_network([*EVENTS, by_month], ENTITIES, tmp_path, since=date(2023, 11, 20),
                            until=date(2023, 12, 31), by_year=True)
    assert summary.events == 2  # e2 (25 Nov) and m1 (November)
    row = next(r for r in _rows(tmp_path / "events.csv") if r[0] == "m1")
    assert row[1:5] == ["2023-11-01", "", "published", "month"]
    assert not filter_events([by_month], since=date(2023, 12, 1))
    assert not filter_events([by_month], until=date(2023, 10, 31))


def test_gexf_tells_two_cities_institutes_apart(tmp_path: Path) -> None:
    imm = "Instituto Municipal de las Mujeres"
    entities = {"j": Entity("j", "ORG", imm, sector="municipal", jurisdiction="Juárez, Chihuahua"),
                "m": Entity("m", "ORG", imm, sector="municipal", jurisdiction="Mazatlán, Sinaloa"),
                "r": Entity("r", "ORG", "Red Mesa de Mujeres", sector="civil_society")}
    events = [_event("e1", date(2023, 3, 8), "jr"), _event("e2", date(2023, 4, 8), "mr")]
    graph = institution_network(events, entities)
    assert graph.nodes["m"]["jurisdiction"] == "Mazatlán, Sinaloa"
    export.write_graph(graph, gexf=tmp_path / "g.gexf")
    labels = {node: data["label"] for node, data in nx.read_gexf(tmp_path / "g.gexf").nodes(data=True)}
    assert labels == {"j": f"{imm} (Juárez, Chihuahua)", "m": f"{imm} (Mazatlán, Sinaloa)",
                      "r": "Red Mesa de Mujeres"}
