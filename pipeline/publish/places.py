"""Municipalities in the tables: where each event happens, and one municipality's share of the
tables, so that the report and its figures can show one city's network alone.

An event is the municipality's whose release reports it (``documents.csv`` ``jurisdiction``
of its first release). A municipality's network keeps every institution of its events, the
state and federal bodies that took part included, with the counts of those events only.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pandas as pd

from pipeline.corpus.network import is_strong_tie
from pipeline.errors import InputError
from pipeline.knowledge import fold
from pipeline.publish.tables import Tables, node_events


class PlaceError(InputError):
    """No release of the tables is about the municipality asked for."""


def event_places(documents: pd.DataFrame) -> dict[str, str]:
    """Each event's municipality: the jurisdiction of its first release ("" when unknown)."""
    places: dict[str, str] = {}
    for event_id, place in zip(documents["event_id"], documents["jurisdiction"]):
        places.setdefault(str(event_id), str(place))
    return places


def municipalities(tables: Tables) -> list[tuple[str, int]]:
    """The municipalities of the events and how many events each has, most first."""
    counts = Counter(place for place in event_places(tables.documents).values() if place)
    return sorted(counts.items(), key=lambda item: (-item[1], fold(item[0])))


def slug(place: str) -> str:
    """A file-name part for ``place``: ``"Juárez, Chihuahua"`` → ``juarez-chihuahua``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(place)).strip("-")


def resolve_place(tables: Tables, query: str) -> str:
    """The municipality ``query`` names: its full name ("Juárez, Chihuahua") or the name
    before the comma when only one municipality has it ("Juárez"), ignoring case and accents.

    Raises:
        PlaceError: no municipality, or more than one, matches; the message lists them.
    """
    known = [place for place, _ in municipalities(tables)]
    wanted = fold(query)
    found = [place for place in known if fold(place) == wanted] or \
        [place for place in known if fold(place.split(",")[0]) == wanted]
    if len(found) == 1:
        return found[0]
    listed = "; ".join(f"{place} ({n})" for place, n in municipalities(tables))
    problem = "names several municipalities" if found else "is not a municipality of these " \
        "tables"
    raise PlaceError(f"--jurisdiction {query!r} {problem}; give one of (events): {listed}")


def _within(ids: list[str], kept: set[str]) -> list[str]:
    return [i for i in ids if i in kept]


def _span(ids: list[str], dates: dict[str, pd.Timestamp]) -> tuple[object, object]:
    days = [dates[i] for i in ids if i in dates and not pd.isna(dates[i])]
    return (min(days), max(days)) if days else (pd.NaT, pd.NaT)


def for_place(tables: Tables, place: str) -> Tables:
    """The tables of ``place``'s events only (:func:`resolve_place` names it): their
    releases, mentions and dates; ties counted over those events; institutions with the
    events they took part in there."""
    places = event_places(tables.documents)
    kept = {event for event, where in places.items() if where == place}
    events = tables.events[tables.events["event_id"].isin(kept)]
    documents = tables.documents[tables.documents["event_id"].isin(kept)]
    dates = dict(zip(events["event_id"], events["date"]))
    edges = tables.edges.assign(
        event_ids=tables.edges["event_ids"].map(lambda ids: _within(ids, kept)),
        sentence_event_ids=tables.edges["sentence_event_ids"].map(lambda ids: _within(ids, kept)))
    edges = edges[edges["event_ids"].map(len) > 0]
    spans = edges["event_ids"].map(lambda ids: _span(ids, dates))
    edges = edges.assign(weight=edges["event_ids"].map(len),
                         sentence_weight=edges["sentence_event_ids"].map(len),
                         first_date=spans.map(lambda s: s[0]), last_date=spans.map(lambda s: s[1]))
    local = replace(tables, documents=documents, events=events, edges=edges,
                    mentions=tables.mentions[tables.mentions["doc_id"].isin(documents["doc_id"])],
                    dates=tables.dates[tables.dates["doc_id"].isin(documents["doc_id"])])
    taking_part = {node: ids & kept for node, ids in node_events(local).items()}
    nodes = tables.nodes[tables.nodes["entity_id"].map(lambda n: bool(taking_part.get(n)))]
    ends = nodes["entity_id"].map(lambda n: _span(sorted(taking_part[n]), dates))
    ties = pd.concat([edges[["source_id", "weight", "sentence_weight"]].rename(
                          columns={"source_id": "node"}),
                      edges[["target_id", "weight", "sentence_weight"]].rename(
                          columns={"target_id": "node"})])
    strong = ties.assign(strong=[is_strong_tie(int(w), int(s)) for w, s in
                                 zip(ties["weight"], ties["sentence_weight"])])
    by_node = strong.groupby("node").agg(degree=("weight", "size"),
                                         weighted_degree=("weight", "sum"),
                                         strong_degree=("strong", "sum"))
    nodes = nodes.assign(
        n_events=nodes["entity_id"].map(lambda n: len(taking_part[n])),
        first_date=ends.map(lambda s: s[0]), last_date=ends.map(lambda s: s[1]),
        **{column: nodes["entity_id"].map(by_node[column]).fillna(0).astype(int)
           for column in ("degree", "weighted_degree", "strong_degree")})
    return replace(local, nodes=nodes)
