"""Figures of the institution network for reports and notebooks (matplotlib, Spanish labels).

``draw_*`` functions draw on an ``Axes`` the caller owns (a notebook's ``plt.subplots()``);
``*_figure`` functions build a standalone ``Figure`` without pyplot, so the report renders
the same pictures headlessly with the Agg canvas and no global backend switch.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from pipeline.publish.export import atomic_path

# The corpus README's sectors, in Spanish for the readers, with a colour-blind-safe palette.
SECTORS: dict[str, tuple[str, str]] = {
    "municipal": ("Municipal", "#0072B2"),
    "state": ("Estatal", "#56B4E9"),
    "federal": ("Federal", "#009E73"),
    "international": ("Internacional", "#CC79A7"),
    "civil_society": ("Sociedad civil", "#E69F00"),
    "academic": ("Académico", "#D55E00"),
    "private": ("Privado", "#F0E442"),
    "other": ("Otro", "#999999"),
}
UNKNOWN_SECTOR = ("Sin clasificar", "#BBBBBB")
MONTHS_ES = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
LAYOUT_SEED = 42


def sector_label(sector: str) -> str:
    return SECTORS.get(sector, UNKNOWN_SECTOR)[0]


def sector_colour(sector: str) -> str:
    return SECTORS.get(sector, UNKNOWN_SECTOR)[1]


def short_name(name: str, width: int = 40) -> str:
    """``name`` cut to ``width`` characters with an ellipsis, for labels in a drawing."""
    return name if len(name) <= width else name[:width - 1].rstrip() + "…"


def network_layout(graph: nx.Graph, *, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Reproducible layout in [-1, 1]²: the largest group of linked institutions on top,
    smaller groups in a row beneath, so that they do not squeeze the main network."""
    if graph.number_of_nodes() == 0:
        return {}
    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(g)))
    main, rest = groups[0], groups[1:]
    positions = _spread(graph.subgraph(main), seed, (-1.0, 1.0), (-0.55 if rest else -1.0, 1.0))
    width = min(2.0 / max(len(rest), 1), 0.5)
    for index, group in enumerate(rest):
        left = -1.0 + width * index
        positions |= _spread(graph.subgraph(group), seed, (left, left + width), (-1.0, -0.7))
    return positions


def _spread(graph: nx.Graph, seed: int, xs: tuple[float, float],
            ys: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """A spring layout of ``graph`` fitted into the box ``xs`` × ``ys``, with a margin."""
    size = graph.number_of_nodes()
    # A longer ideal distance than networkx's 1/sqrt(n) keeps the labels of a hub's many
    # neighbours apart.
    raw = nx.spring_layout(graph, weight="weight", seed=seed, k=2.0 / size ** 0.5,
                           iterations=200) if size > 1 else {next(iter(graph)): (0.0, 0.0)}
    xs_raw = [float(p[0]) for p in raw.values()]
    ys_raw = [float(p[1]) for p in raw.values()]
    # One scale for both axes, so that a pair of nodes does not stretch across the box.
    spans = [(high - low) / max(max(xs_raw) - min(xs_raw), max(ys_raw) - min(ys_raw), 1e-9)
             for low, high in (xs, ys)]
    scale = min(spans) * 0.9
    centre_raw = ((max(xs_raw) + min(xs_raw)) / 2, (max(ys_raw) + min(ys_raw)) / 2)
    centre = ((xs[0] + xs[1]) / 2, (ys[0] + ys[1]) / 2)
    return {node: (centre[0] + scale * (float(x) - centre_raw[0]),
                   centre[1] + scale * (float(y) - centre_raw[1])) for node, (x, y) in raw.items()}


def node_size(n_events: float) -> float:
    """Marker area in points²: grows with the square root so a hub does not hide the rest."""
    return 60.0 + 140.0 * float(n_events) ** 0.5


def draw_network(graph: nx.Graph, ax: Axes, positions: dict[str, tuple[float, float]],
                 *, max_labels: int = 25) -> None:
    """Nodes sized by events and coloured by sector; edge width by weight."""
    nodes = list(graph.nodes)
    events = [graph.nodes[n].get("n_events", 0) for n in nodes]
    nx.draw_networkx_edges(graph, positions, ax=ax, edge_color="#888888", alpha=0.6,
                           width=[0.5 + float(d.get("weight", 1)) for *_, d in
                                  graph.edges(data=True)])
    nx.draw_networkx_nodes(graph, positions, ax=ax, nodelist=nodes,
                           node_size=[node_size(e) for e in events],
                           node_color=[sector_colour(graph.nodes[n].get("sector", ""))
                                       for n in nodes], edgecolors="white", linewidths=0.8)
    labelled = sorted(nodes, key=lambda n: -graph.nodes[n].get("n_events", 0))[:max_labels]
    nx.draw_networkx_labels(graph, positions, ax=ax, font_size=7,
                            labels={n: short_name(str(graph.nodes[n].get("name", n))) for n in labelled})
    present = sorted({graph.nodes[n].get("sector", "") for n in nodes}, key=sector_label)
    ax.legend(handles=[Patch(color=sector_colour(s), label=sector_label(s)) for s in present],
              loc="lower left", fontsize=7, frameon=False, title="Sector", title_fontsize=8)
    ax.set_axis_off()
    ax.margins(0.15)


def events_per_month(events: pd.DataFrame) -> pd.Series:
    """Number of GBV-related events per calendar month, months without events included."""
    dated = events[events["gbv_related"] & events["date"].notna()]
    if dated.empty:
        return pd.Series(dtype="int64")
    months = dated["date"].dt.to_period("M")
    full = pd.period_range(months.min(), months.max(), freq="M")
    return months.value_counts().reindex(full, fill_value=0).sort_index()


def month_label(period: pd.Period) -> str:
    return f"{MONTHS_ES[period.month - 1]} {period.year}"


def draw_timeline(events: pd.DataFrame, ax: Axes) -> None:
    counts = events_per_month(events)
    ax.bar(range(len(counts)), counts.to_numpy(), color=SECTORS["municipal"][1])
    step = max(1, len(counts) // 12)  # at most about a dozen readable tick labels
    ticks = list(range(0, len(counts), step))
    ax.set_xticks(ticks, [month_label(counts.index[i]) for i in ticks], rotation=45,
                  ha="right", fontsize=8)
    ax.set_ylabel("Eventos")
    ax.set_title("Eventos de prevención de la violencia de género por mes")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)


def top_institutions(nodes: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The ``n`` institutions in most events (ties broken by name)."""
    return nodes.sort_values(["n_events", "name"], ascending=[False, True]).head(n)


def draw_top_institutions(nodes: pd.DataFrame, ax: Axes, n: int = 15) -> None:
    top = top_institutions(nodes, n).iloc[::-1]  # largest at the top of a barh
    ax.barh(top["name"], top["n_events"], color=[sector_colour(s) for s in top["sector"]])
    ax.set_xlabel("Eventos")
    ax.set_title(f"Instituciones con más eventos (top {len(top)})")
    ax.tick_params(axis="y", labelsize=8)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)


def network_figure(graph: nx.Graph, positions: dict[str, tuple[float, float]]) -> Figure:
    figure = Figure(figsize=(10, 8), layout="constrained")
    draw_network(graph, figure.add_subplot(), positions)
    return figure


def timeline_figure(events: pd.DataFrame) -> Figure:
    figure = Figure(figsize=(10, 4), layout="constrained")
    draw_timeline(events, figure.add_subplot())
    return figure


def top_institutions_figure(nodes: pd.DataFrame, n: int = 15) -> Figure:
    figure = Figure(figsize=(9, 1.5 + 0.35 * min(n, max(len(nodes), 1))), layout="constrained")
    draw_top_institutions(nodes, figure.add_subplot(), n)
    return figure


def save_png(figure: Figure, path: Path, *, dpi: int = 150) -> Path:
    """Write ``figure`` as PNG atomically; return ``path``."""
    with atomic_path(path) as temporary:
        figure.savefig(temporary, format="png", dpi=dpi)
    return path
