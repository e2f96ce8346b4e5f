"""Positions of the institution network, shared by the figures, the report and the GEXF.

Each group of linked institutions is laid out on its own with ForceAtlas2 (networkx), sized
by the number of its institutions; the largest group goes on the left and the smaller ones are
stacked in columns beside it, top down, so that the drawing fills a landscape canvas instead of
leaving small groups adrift in empty space. Given a title for each group (its city), groups
with the same title are stacked together and a band above the first of them is kept free for
the title (:func:`titled_layout`). The result is reproducible (fixed seed).

networkx's ForceAtlas2 holds an array of every pair of nodes (2,000 nodes: 64 MB per array,
10,000: 1.6 GB), so a group above :data:`FORCE_MAX_NODES` is laid out by its most connected
institutions, and each other one is set beside the neighbour it shares most events with.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass

import networkx as nx
import numpy as np

LAYOUT_SEED = 42
MAX_ITERATIONS = 300
# ForceAtlas2 in networkx compares every pair of nodes in each iteration: a budget of pair
# comparisons caps the iterations of a large group (a 2,000-node group gets 20).
PAIR_BUDGET = 40_000_000
MIN_ITERATIONS = 10
FORCE_MAX_NODES = 1000  # institutions of a group placed by ForceAtlas2; the rest beside them
GAP = 0.6  # space between groups, in units of a one-node group's radius
TITLE_BAND = 0.06  # height of a group's title band, as a share of the largest group's height
TITLE_CHAR = 0.2  # width of a title's character, as a share of the band (two lines fit in it)

Positions = dict[Hashable, tuple[float, float]]
TitleOf = Callable[[set[Hashable]], str]


@dataclass(frozen=True, slots=True)
class GroupTitle:
    """Where a group's title goes: the top left corner of its band, and the width of the
    group below it, in the layout's coordinates."""

    text: str
    x: float
    y: float
    width: float
    members: frozenset[Hashable]


def iterations_for(size: int) -> int:
    """ForceAtlas2 iterations for a group of ``size`` nodes."""
    return max(MIN_ITERATIONS, min(MAX_ITERATIONS, PAIR_BUDGET // max(size * size, 1)))


def _force_layout(group: nx.Graph, seed: int) -> np.ndarray:
    raw = nx.forceatlas2_layout(group, max_iter=iterations_for(len(group)), seed=seed,
                                weight="weight", strong_gravity=len(group) > 2)
    return np.array([raw[n] for n in group], dtype=float)


def _core_and_neighbours(graph: nx.Graph, nodes: list[Hashable], seed: int) -> np.ndarray:
    """ForceAtlas2 on the :data:`FORCE_MAX_NODES` most connected of ``nodes`` (a connected
    group of ``graph``, read in place: it may be most of a large network); every other node,
    nearest the core first, at a short random distance from its placed neighbour of highest
    edge weight."""
    order = {node: index for index, node in enumerate(nodes)}
    strength = dict(graph.degree(nodes, weight="weight"))
    core = set(sorted(nodes, key=lambda n: (-strength[n], order[n]))[:FORCE_MAX_NODES])
    core_points = _force_layout(_ordered_subgraph(graph, core), seed)
    placed = dict(zip((n for n in nodes if n in core), core_points))
    spacing = float(np.abs(core_points).max()) / len(core) ** 0.5 or 1.0
    rng = np.random.default_rng(seed)
    frontier = [n for n in nodes if n in core]
    while frontier:
        following = []
        for node in frontier:
            for neighbour in sorted(graph[node], key=order.__getitem__):
                if neighbour in placed:
                    continue
                anchor = max((n for n in graph[neighbour] if n in placed),
                             key=lambda n: (graph[neighbour][n].get("weight", 1), -order[n]))
                angle, distance = rng.uniform(0, 2 * np.pi), spacing * rng.uniform(0.3, 1.0)
                placed[neighbour] = placed[anchor] + distance * np.array(
                    [np.cos(angle), np.sin(angle)])
                following.append(neighbour)
        frontier = following
    return np.array([placed[n] for n in nodes])


def _group_layout(graph: nx.Graph, nodes: list[Hashable], seed: int) -> np.ndarray:
    """Positions of one connected group of ``graph`` (its ``nodes``, in the graph's order),
    centred, with a radius of sqrt(number of nodes)."""
    if len(nodes) == 1:
        return np.zeros((1, 2))
    points = (_force_layout(_ordered_subgraph(graph, set(nodes)), seed)
              if len(nodes) <= FORCE_MAX_NODES else _core_and_neighbours(graph, nodes, seed))
    points -= (points.max(axis=0) + points.min(axis=0)) / 2
    radius = float(np.abs(points).max())
    return points * (len(nodes) ** 0.5 / radius if radius > 0 else 1.0)


def _ordered_subgraph(graph: nx.Graph, members: set[Hashable]) -> nx.Graph:
    """The group as a graph whose nodes and edges keep ``graph``'s order: a subgraph view
    iterates its node set, whose order changes with Python's hash seed, and ForceAtlas2's
    seeded start positions go by node order. Only the edge weights are copied: the layout
    reads nothing else, and the largest group may be most of a large network."""
    group = nx.Graph()
    group.add_nodes_from(node for node in graph if node in members)
    group.add_edges_from((s, t, {"weight": d["weight"]} if "weight" in d else {})
                         for s, t, d in graph.edges(data=True) if s in members and t in members)
    return group


def network_layout(graph: nx.Graph, *, seed: int = LAYOUT_SEED,
                   aspect: float = 1.5) -> Positions:
    """Positions in ``[0, aspect] × [0, 1]`` (y up) for every node of ``graph``.

    The packed drawing is scaled to fit, then stretched along its shorter side towards
    ``aspect`` (width / height) by at most 1.6, so that it fills the canvas without distorting
    the groups much.
    """
    return titled_layout(graph, seed=seed, aspect=aspect)[0]


def _groups(graph: nx.Graph, title_of: TitleOf | None) -> list[tuple[list[Hashable], str]]:
    """The connected groups with their titles: the largest first, then by title (so that
    groups of one city stand together), size and name."""
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(map(str, g))))
    titled = [(group, title_of(group) if title_of else "") for group in groups]
    ordered = titled[:1] + sorted(titled[1:], key=lambda gt: gt[1])  # stable: size, name
    return [([node for node in graph if node in group], title) for group, title in ordered]


def _fit(points: np.ndarray, aspect: float) -> Callable[[np.ndarray], np.ndarray]:
    """The map that scales ``points`` into ``[0, aspect] × [0, 1]``, stretched towards the
    canvas's shape (by at most 1.6) and centred."""
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    stretch = np.ones(2)
    if span[0] / span[1] < aspect:  # too tall: widen
        stretch[0] = min(aspect * span[1] / span[0], 1.6)
    else:
        stretch[1] = min(span[0] / (aspect * span[1]), 1.6)
    extent = span * stretch
    scale = min(aspect / max(extent[0], 1e-9), 1.0 / max(extent[1], 1e-9))
    offset = (np.array([aspect, 1.0]) - extent * scale) / 2  # centre the drawing
    return lambda p: (p - low) * stretch * scale + offset


def _title_width(title: str, band: float) -> float:
    """The width a title needs on two lines, in the layout's units (the band holds them)."""
    return (len(title) // 2 + 3) * TITLE_CHAR * band


def titled_layout(graph: nx.Graph, *, title_of: TitleOf | None = None,
                  seed: int = LAYOUT_SEED, aspect: float = 1.5
                  ) -> tuple[Positions, list[GroupTitle]]:
    """:func:`network_layout`, with a title band above each run of groups that
    ``title_of(group)`` gives the same title (none for an empty title); a titled group's
    column is at least as wide as its title on two lines."""
    if graph.number_of_nodes() == 0:
        return {}, []
    groups = [(nodes, title, _group_layout(graph, nodes, seed))
              for nodes, title in _groups(graph, title_of)]
    halves = [np.maximum(np.abs(points).max(axis=0), 0.5)  # a lone node still takes room
              for *_, points in groups]
    band = TITLE_BAND * 2 * halves[0][1] if title_of else 0.0
    top = 2 * halves[0][1] + (band if groups[0][1] else 0.0)
    placed: list[tuple[list[Hashable], np.ndarray]] = []
    anchors: list[tuple[str, float, float, float, frozenset[Hashable]]] = []
    column_x = column_width = 0.0
    cursor, previous = top, None
    for index, ((nodes, title, points), half) in enumerate(zip(groups, halves)):
        heading = bool(title) and title != previous
        need = 2 * half[1] + (band if heading else 0.0)
        if index == 1 or cursor < top and cursor - need < 0:  # a new column
            column_x += column_width + GAP
            cursor, column_width, heading = top, 0.0, bool(title)
        width = max(2 * half[0], _title_width(title, band) if heading else 0.0)
        if heading:
            anchors.append((title, column_x, cursor, width, frozenset(nodes)))
            cursor -= band
        placed.append((nodes, points + np.array([column_x + half[0], cursor - half[1]])))
        cursor -= 2 * half[1] + GAP
        column_width = max(column_width, width)
        previous = title
    everything = np.vstack([points for _, points in placed] +
                           [np.array([[x, y], [x + w, y - band]]) for _, x, y, w, _ in anchors])
    fit = _fit(everything, aspect)
    positions = {node: (float(x), float(y)) for nodes, points in placed
                 for node, (x, y) in zip(nodes, fit(points))}
    titles = []
    for text, x, y, width, members in anchors:
        (left, high), (right, _) = fit(np.array([[x, y], [x + width, y]]))
        titles.append(GroupTitle(text, float(left), float(high), float(right - left), members))
    return positions, titles
