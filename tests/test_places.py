"""One municipality's share of the tables (publish/places.py), on tables we write by hand:
Tijuana's two events and Oaxaca's one, with a federal body that takes part in both cities."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.publish.places import (
    PlaceError,
    event_places,
    for_place,
    municipalities,
    resolve_place,
    slug,
)
from pipeline.publish.tables import Tables

TIJUANA, OAXACA = "Tijuana, Baja California", "Oaxaca de Juárez, Oaxaca"


def _tables() -> Tables:
    documents = pd.DataFrame({"doc_id": ["d1", "d2", "d3", "d4"],
                              "event_id": ["ev-1", "ev-2", "ev-3", "ev-1"],
                              "jurisdiction": [TIJUANA, TIJUANA, OAXACA, OAXACA]})
    events = pd.DataFrame({"event_id": ["ev-1", "ev-2", "ev-3"],
                           "date": pd.to_datetime(["2024-03-08", "2024-05-02", "2024-11-25"]),
                           "gbv_related": [True, True, True]})
    mentions = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2", "d2", "d3", "d3"],
                             "entity_id": ["a", "b", "f", "a", "b", "c", "f"]})
    nodes = pd.DataFrame({"entity_id": ["a", "b", "c", "f"],
                          "name": ["IMM Tijuana", "DIF Tijuana", "IMM Oaxaca", "CONAVIM"],
                          "sector": ["municipal", "municipal", "municipal", "federal"],
                          "n_events": [2, 2, 1, 2], "degree": [2, 2, 1, 3],
                          "weighted_degree": [3, 3, 1, 3], "strong_degree": [1, 1, 0, 0]})
    edges = pd.DataFrame({"source_id": ["a", "a", "b", "c"], "target_id": ["b", "f", "f", "f"],
                          "weight": [2, 1, 1, 1], "sentence_weight": [1, 0, 0, 0],
                          "event_ids": [["ev-1", "ev-2"], ["ev-1"], ["ev-1"], ["ev-3"]],
                          "sentence_event_ids": [["ev-2"], [], [], []]})
    empty = pd.DataFrame({"doc_id": []})
    return Tables(documents=documents, mentions=mentions, entities=empty, events=events,
                  nodes=nodes, edges=edges, dates=empty)


def test_an_event_is_the_municipality_of_its_first_release() -> None:
    tables = _tables()
    assert event_places(tables.documents) == {"ev-1": TIJUANA, "ev-2": TIJUANA,
                                              "ev-3": OAXACA}
    assert municipalities(tables) == [(TIJUANA, 2), (OAXACA, 1)]
    assert slug(OAXACA) == "oaxaca-de-juarez-oaxaca"


def test_a_municipality_keeps_its_events_and_everyone_who_took_part() -> None:
    tijuana = for_place(_tables(), TIJUANA)
    assert set(tijuana.events["event_id"]) == {"ev-1", "ev-2"}
    assert set(tijuana.documents["doc_id"]) == {"d1", "d2", "d4"}  # d4 republished ev-1
    nodes = tijuana.nodes.set_index("entity_id")
    assert sorted(nodes.index) == ["a", "b", "f"]  # the federal body took part here too
    assert nodes["n_events"].to_dict() == {"a": 2, "b": 2, "f": 1}
    assert nodes["degree"].to_dict() == {"a": 2, "b": 2, "f": 2}
    assert nodes["strong_degree"].to_dict() == {"a": 1, "b": 1, "f": 0}
    assert nodes.loc["a", "first_date"] == pd.Timestamp("2024-03-08")
    assert nodes.loc["a", "last_date"] == pd.Timestamp("2024-05-02")
    assert len(tijuana.edges) == 3 and "c" not in set(tijuana.edges["target_id"])

    oaxaca = for_place(_tables(), OAXACA)
    assert sorted(oaxaca.nodes["entity_id"]) == ["c", "f"]
    assert oaxaca.nodes.set_index("entity_id")["n_events"].to_dict() == {"c": 1, "f": 1}
    edge = oaxaca.edges.iloc[0]
    assert (edge["source_id"], edge["target_id"], edge["weight"], edge["event_ids"]) == (
        "c", "f", 1, ["ev-3"])


@pytest.mark.parametrize(("query", "place"), [("Tijuana, Baja California", TIJUANA),
                                               ("tijuana", TIJUANA), ("OAXACA DE JUAREZ", OAXACA)])
def test_a_municipality_is_named_whole_or_by_its_city(query: str, place: str) -> None:
    assert resolve_place(_tables(), query) == place


def test_an_unknown_municipality_is_a_user_error_listing_the_known_ones() -> None:
    with pytest.raises(PlaceError, match=r"'Mexicali' is not a municipality.*Tijuana, Baja "
                                         r"California \(2\); Oaxaca de Juárez, Oaxaca \(1\)"):
        resolve_place(_tables(), "Mexicali")
