"""Positions of the institution network, shared by the figures, the report and the GEXF.

Each group of linked institutions is laid out on its own with ForceAtlas2 (networkx), sized
by the number of its institutions; the largest group goes on the left and the smaller ones are
stacked in columns beside it, so that the drawing fills a landscape canvas instead of leaving
small groups adrift in empty space. The result is reproducible (fixed seed).

networkx's ForceAtlas2 holds an array of every pair of nodes (2,000 nodes: 64 MB per array,
10,000: 1.6 GB), so a group above :data:`FORCE_MAX_NODES` is laid out by its most connected
institutions, and each other one is set beside the neighbour it shares most events with.
"""

from __future__ import annotations

from collections.abc import Hashable

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

Positions = dict[Hashable, tuple[float, float]]


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
    if graph.number_of_nodes() == 0:
        return {}
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(map(str, g))))
    boxes = []  # (nodes, points) with points moved to their place
    column_x = column_width = 0.0
    cursor_y = height = 0.0
    for index, members in enumerate(groups):
        nodes = [node for node in graph if node in members]
        points = _group_layout(graph, nodes, seed)
        half = np.maximum(np.abs(points).max(axis=0), 0.5)  # a lone node still takes room
        if index == 0:
            height = 2 * half[1]
            points = points + half
            column_x = 2 * half[0] + GAP
        else:
            if cursor_y > 0 and cursor_y + 2 * half[1] > height:
                column_x += column_width + GAP
                cursor_y = column_width = 0.0
            points = points + half + np.array([column_x, cursor_y])
            cursor_y += 2 * half[1] + GAP
            column_width = max(column_width, 2 * half[0])
        boxes.append((nodes, points))
    everything = np.vstack([points for _, points in boxes])
    low, high = everything.min(axis=0), everything.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    stretch = np.ones(2)
    if span[0] / span[1] < aspect:  # too tall: widen
        stretch[0] = min(aspect * span[1] / span[0], 1.6)
    else:
        stretch[1] = min(span[0] / (aspect * span[1]), 1.6)
    scaled = (everything - low) * stretch
    scale = min(aspect / max(scaled[:, 0].max(), 1e-9), 1.0 / max(scaled[:, 1].max(), 1e-9))
    scaled *= scale
    offset = (np.array([aspect, 1.0]) - scaled.max(axis=0)) / 2  # centre the drawing
    scaled += offset
    nodes = [node for members, _ in boxes for node in members]
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, scaled)}
