"""Figures of the institution network for print and notebooks (matplotlib, Spanish text).

``draw_*`` functions draw on an ``Axes`` the caller owns (a notebook's ``plt.subplots()``);
``*_figure`` functions build a standalone ``Figure`` with the Agg canvas and no pyplot, so the
report renders the same pictures headlessly. Names are data, never markup: every text is drawn
with mathtext off, so a ``$`` in a name is a dollar sign.

Node labels go first to the most important institutions of each group (its city's, when the
groups are titled), then to the most important of all; importance is the number of events,
then the ties named in one sentence or repeated, so that the many ties one list-like release
gives its bodies do not decide. Labels are placed greedily, and a label that would cover
another label, a group's title, a node or the edge of the canvas is dropped rather than
squeezed in.
"""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import matplotlib as mpl
import networkx as nx
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.patheffects import withStroke
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox

from pipeline.corpus.network import is_strong_tie
from pipeline.knowledge import fold
from pipeline.publish import style
from pipeline.publish.export import atomic_path
from pipeline.publish.layout import GroupTitle, Positions

PRINT_DPI = 300
LABEL_GID = "node-label"  # the gid of every node label, so that tests can find them
TITLE_GID = "group-title"  # the gid of every group's title
MAX_LABELS = 40
MUST_LABEL = 8  # the most important institutions may cover a node when nothing else is free
TITLE_MIN_CHARS = 10  # a group's title wraps at its width (layout.py), not narrower than this
TOP_N = 15
# Where a label may go, as (dx, dy) directions from its node, tried in this order at growing
# distances (a leader line joins a label that had to move away).
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1))
DISTANCES = (0.0, 8.0, 18.0, 30.0)  # points beyond the node's edge
HORIZONTAL: dict[int, Literal["left", "center", "right"]] = {1: "left", -1: "right", 0: "center"}
VERTICAL: dict[int, Literal["bottom", "center", "top"]] = {1: "bottom", -1: "top", 0: "center"}
WEAK_EDGE = "#cfcfcf"
STRONG_EDGE = "#555555"


@contextmanager
def plain_text() -> Iterator[None]:
    """Text created inside the block is drawn as written: no mathtext."""
    with mpl.rc_context({"text.parse_math": False}):
        yield


def _plain(artist: Artist) -> None:
    """Turn mathtext off for every text already under ``artist`` (tick labels included)."""
    for text in artist.findobj(Text):
        text.set_parse_math(False)


def strong_ties(graph: nx.Graph) -> nx.Graph:
    """The ties named in one sentence or repeated, with the institutions they join."""
    edges = [(s, t) for s, t, d in graph.edges(data=True)
             if is_strong_tie(int(d.get("weight", 1)), int(d.get("sentence_weight", 0)))]
    return graph.edge_subgraph(edges).copy()


def marker_diameter(n_events: object) -> float:
    """A node's diameter in points."""
    return 4.0 + 5.0 * style.importance(n_events)


def _draw_edges(graph: nx.Graph, ax: Axes, positions: Positions) -> None:
    for strong in (False, True):  # strong ties on top
        edges = [(s, t, d) for s, t, d in graph.edges(data=True)
                 if is_strong_tie(int(d.get("weight", 1)), int(d.get("sentence_weight", 0)))
                 == strong]
        if edges:
            nx.draw_networkx_edges(
                graph, positions, ax=ax, edgelist=[(s, t) for s, t, _ in edges],
                edge_color=STRONG_EDGE if strong else WEAK_EDGE, alpha=0.75 if strong else 0.45,
                width=[(0.8 if strong else 0.35) * float(d.get("weight", 1)) ** 0.5
                       for *_, d in edges])


def _draw_nodes(graph: nx.Graph, ax: Axes, positions: Positions) -> None:
    nodes = sorted(graph, key=lambda n: graph.nodes[n].get("n_events", 0))  # big ones on top
    nx.draw_networkx_nodes(
        graph, positions, ax=ax, nodelist=nodes,
        node_size=[marker_diameter(graph.nodes[n].get("n_events")) ** 2 for n in nodes],
        node_color=[style.sector_colour(graph.nodes[n].get("sector")) for n in nodes],
        edgecolors="white", linewidths=0.6)


def sector_handles(sectors: set[object]) -> list[Artist]:
    """Legend entries for the sectors present, in the palette's order."""
    present = {s if isinstance(s, str) and s in style.palette() else "" for s in sectors}
    return [Patch(color=sector.colour, label=sector.label)
            for key, sector in style.palette().items() if key in present]


def _legend_handles(graph: nx.Graph) -> list[Artist]:
    return [*sector_handles({d.get("sector") for _, d in graph.nodes(data=True)}),
            Line2D([], [], color=WEAK_EDGE, lw=1.2, label="vínculo en un solo evento"),
            Line2D([], [], color=STRONG_EDGE, lw=1.6,
                   label="vínculo fuerte (misma oración o repetido)")]


def _fixed_layout(figure: Figure) -> None:
    """Settle the figure's layout now, so that boxes measured next stay where they are."""
    figure.draw_without_rendering()
    figure.set_layout_engine("none")


def _settled(ax: Axes) -> Figure:
    """``ax``'s figure on an Agg canvas, its layout settled (:func:`_fixed_layout`) once."""
    figure = ax.get_figure()
    assert isinstance(figure, Figure)
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    if not isinstance(figure.get_layout_engine(), PlaceHolderLayoutEngine):
        _fixed_layout(figure)
    return figure


def _overlaps(box: Bbox, others: list[Bbox]) -> bool:
    return any(box.overlaps(other) for other in others)


def importance_key(graph: nx.Graph, node: Hashable) -> tuple[float, float, float, str]:
    """Most important first: events, then strong ties, then ties, then the name."""
    data = graph.nodes[node]
    return (-float(data.get("n_events", 0) or 0), -float(data.get("strong_degree", 0) or 0),
            -graph.degree(node), str(data.get("name", node)))


def _group_quota(size: int) -> int:
    """Labels a group is owed before the rest are shared out: 1, 2 or 3 by its size."""
    return 1 if size <= 3 else 2 if size <= 8 else 3


def label_order(graph: nx.Graph, max_labels: int = MAX_LABELS) -> tuple[list[Hashable], int]:
    """The institutions to label, in the order they are placed, and how many of them come
    first as their group's most important: each group's few most important (by
    :func:`importance_key`), then the most important of all."""
    def rank(nodes: object) -> list[Hashable]:
        return sorted(nodes, key=lambda n: importance_key(graph, n))  # type: ignore[call-overload]

    groups = sorted(nx.connected_components(graph), key=lambda g: (-len(g), min(map(str, g))))
    heads = rank(n for group in groups for n in rank(group)[:_group_quota(len(group))])
    heads = heads[:max_labels]
    chosen = set(heads)
    return heads + rank(n for n in graph if n not in chosen)[:max_labels - len(heads)], len(heads)


def draw_group_titles(ax: Axes, titles: Sequence[GroupTitle]) -> list[Text]:
    """Each group's title in its band, wrapped to the group's width (see :mod:`layout`)."""
    figure = _settled(ax)
    points = figure.dpi / 72.0
    drawn = []
    for title in titles:
        (left, _), (right, _) = ax.transData.transform([(title.x, title.y),
                                                        (title.x + title.width, title.y)])
        chars = max(TITLE_MIN_CHARS, int((right - left) / points / (0.62 * 8.5)))
        drawn.append(ax.text(title.x, title.y, textwrap.fill(title.text, chars), fontsize=8.5,
                             fontweight="bold", color="#333333", ha="left", va="top",
                             gid=TITLE_GID, zorder=6, parse_math=False, linespacing=1.05,
                             path_effects=[withStroke(linewidth=2.5, foreground="white")]))
    return drawn


def place_labels(graph: nx.Graph, ax: Axes, positions: Positions, *,
                 max_labels: int = MAX_LABELS, avoid: Sequence[Text] = ()) -> list[Text]:
    """Label up to ``max_labels`` institutions (:func:`label_order`) where each fits; return
    the labels.

    A label is tried beside its node in eight directions at growing distances and kept at the
    first place where it covers no other label, no text of ``avoid`` (the groups' titles),
    no node and nothing outside the axes; each group's most important and the
    :data:`MUST_LABEL` most important of all may cover a node if no place is free. Labels
    are never allowed to cover each other or to leave the axes.
    """
    figure = _settled(ax)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    points = figure.dpi / 72.0  # display pixels per point
    to_display = ax.transData.transform
    area = ax.bbox.padded(-2)
    node_boxes: dict[Hashable, Bbox] = {}
    for node in graph:
        x, y = to_display(positions[node])
        radius = marker_diameter(graph.nodes[node].get("n_events")) / 2 * points
        node_boxes[node] = Bbox.from_extents(x - radius, y - radius, x + radius, y + radius)
    ranked, heads = label_order(graph, max_labels)
    most = max((style.importance(graph.nodes[n].get("n_events")) for n in ranked), default=1.0)
    placed: list[Bbox] = [text.get_window_extent(renderer).padded(1.5 * points)
                          for text in avoid]
    labels: list[Text] = []
    for rank, node in enumerate(ranked):
        data = graph.nodes[node]
        size = 6.5 + 3.5 * (style.importance(data.get("n_events")) - 1) / max(most - 1, 1e-9)
        text = ax.text(0, 0, style.wrap_name(str(data.get("name", node)), 24), fontsize=size,
                       gid=LABEL_GID, zorder=5, linespacing=1.1, parse_math=False,
                       path_effects=[withStroke(linewidth=2.5, foreground="white")])
        obstacles = [box for other, box in node_boxes.items() if other != node]
        spot = _find_spot(ax, text, node_boxes[node], renderer, points, area,
                          placed + obstacles)
        if spot is None and rank < max(MUST_LABEL, heads):  # cover nodes, never labels
            spot = _find_spot(ax, text, node_boxes[node], renderer, points, area, placed)
        if spot is None:
            text.remove()
            continue
        box, leader = spot
        placed.append(box)
        labels.append(text)
        if leader is not None:
            ax.add_line(Line2D(*zip(*ax.transData.inverted().transform(leader)), lw=0.5,
                               color="#777777", zorder=4))
    return labels


def _find_spot(ax: Axes, text: Text, node: Bbox, renderer: RendererBase, points: float,
               area: Bbox, taken: list[Bbox]
               ) -> tuple[Bbox, list[tuple[float, float]] | None] | None:
    """Move ``text`` to the first free place around ``node``; its box and leader line."""
    centre_x, centre_y = (node.x0 + node.x1) / 2, (node.y0 + node.y1) / 2
    radius = node.width / 2
    inverse = ax.transData.inverted()
    for distance in DISTANCES:
        for dx, dy in DIRECTIONS:
            reach = radius + (2.0 + distance) * points
            norm = (dx * dx + dy * dy) ** 0.5
            anchor = (centre_x + dx / norm * reach, centre_y + dy / norm * reach)
            text.set_horizontalalignment(HORIZONTAL[dx])
            text.set_verticalalignment(VERTICAL[dy])
            text.set_position(tuple(inverse.transform(anchor)))
            box = text.get_window_extent(renderer).padded(1.5 * points)
            if (box.x0 >= area.x0 and box.x1 <= area.x1 and box.y0 >= area.y0
                    and box.y1 <= area.y1 and not _overlaps(box, taken)):
                start = (centre_x + dx / norm * radius, centre_y + dy / norm * radius)
                return box, ([start, anchor] if distance else None)
    return None


def draw_network(graph: nx.Graph, ax: Axes, positions: Positions, *,
                 max_labels: int = MAX_LABELS, legend: bool = True,
                 titles: Sequence[GroupTitle] = ()) -> list[Text]:
    """Nodes sized by events and coloured by sector, strong ties dark, the groups' ``titles``
    (:func:`pipeline.publish.layout.titled_layout`) above them, the most important
    institutions labelled; return the labels drawn."""
    with plain_text():
        _draw_edges(graph, ax, positions)
        _draw_nodes(graph, ax, positions)
        if positions and graph.number_of_nodes():
            xs = [positions[n][0] for n in graph] + [t.x + t.width for t in titles]
            ys = [positions[n][1] for n in graph] + [t.y for t in titles]
            pad_x = max(max(xs) - min(xs), 0.2) * 0.03
            pad_y = max(max(ys) - min(ys), 0.2) * 0.03
            ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
            ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
        ax.set_axis_off()
        if legend:
            ax.legend(handles=_legend_handles(graph), loc="upper left", fontsize=7,
                      frameon=False, bbox_to_anchor=(1.0, 1.0), title="Sector",
                      title_fontsize=8, alignment="left")
        heads = draw_group_titles(ax, titles)
        labels = place_labels(graph, ax, positions, max_labels=max_labels, avoid=heads)
    _plain(ax)
    return labels


def network_figure(graph: nx.Graph, positions: Positions, *, title: str,
                   caption: str, max_labels: int = MAX_LABELS,
                   titles: Sequence[GroupTitle] = ()) -> Figure:
    """The network for print: a title, the drawing (with its groups' ``titles``) and its
    sector legend, and a caption. A small network gets a smaller page."""
    width, height = (13, 8.5) if graph.number_of_nodes() > 40 else (10, 6.5)
    with plain_text():
        figure = Figure(figsize=(width, height), dpi=PRINT_DPI, layout="constrained")
        FigureCanvasAgg(figure)
        # about 6.6 characters of the title and 14.6 of the caption per inch of the page
        figure.suptitle(textwrap.fill(title, int(6.6 * width)), fontsize=15,
                        fontweight="bold", x=0.01, ha="left")
        figure.supxlabel(textwrap.fill(caption, int(14.6 * width)), fontsize=8, x=0.01,
                         ha="left", color="#333333")
        draw_network(graph, figure.add_subplot(), positions, max_labels=max_labels,
                     titles=titles)
    _plain(figure)
    return figure


def gbv_events(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["gbv_related"]]


def undated_count(events: pd.DataFrame) -> int:
    """Events without a date (they appear in no timeline)."""
    return int(events["date"].isna().sum())


def events_per_month(events: pd.DataFrame) -> pd.Series:
    """Number of GBV-related events per calendar month, months without events included."""
    dated = gbv_events(events).dropna(subset=["date"])
    if dated.empty:
        return pd.Series(dtype="int64")
    months = dated["date"].dt.to_period("M")
    full = pd.period_range(months.min(), months.max(), freq="M")
    return months.value_counts().reindex(full, fill_value=0).sort_index()


def month_label(period: pd.Period) -> str:
    return style.month_label(period.year, period.month)


def timeline_caption(events: pd.DataFrame) -> str:
    gbv = gbv_events(events)
    undated = undated_count(gbv)
    by_month = int((gbv["date_precision"] == "month").sum()) if "date_precision" in gbv else 0
    months = f" ({by_month} solo con el mes de publicación)" if by_month else ""
    return (f"{len(gbv) - undated} eventos sobre violencia de género con fecha{months}, por "
            f"mes de su fecha. {undated} eventos sin fecha no aparecen en la gráfica.")


def draw_timeline(events: pd.DataFrame, ax: Axes) -> None:
    counts = events_per_month(events)
    with plain_text():
        ax.bar(range(len(counts)), counts.to_numpy(), color=style.sector_colour("municipal"))
        step = max(1, len(counts) // 12)  # at most about a dozen readable tick labels
        ticks = list(range(0, len(counts), step))
        ax.set_xticks(ticks, [month_label(counts.index[i]) for i in ticks], rotation=45,
                      ha="right", fontsize=8)
        if counts.empty:
            ax.text(0.5, 0.5, "Ningún evento tiene fecha", transform=ax.transAxes,
                    ha="center", va="center", color="#666666")
        ax.set_ylabel("Eventos")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
    _plain(ax)


def timeline_figure(events: pd.DataFrame) -> Figure:
    with plain_text():
        figure = Figure(figsize=(10, 4.2), dpi=PRINT_DPI, layout="constrained")
        figure.suptitle("Eventos de prevención de la violencia de género por mes",
                        fontsize=13, fontweight="bold", x=0.01, ha="left")
        figure.supxlabel(timeline_caption(events), fontsize=8.5, x=0.01, ha="left",
                         color="#333333")
        draw_timeline(events, figure.add_subplot())
    _plain(figure)
    return figure


def ranked_institutions(nodes: pd.DataFrame) -> pd.DataFrame:
    """Institutions by events, most first; ties in alphabetical order, ignoring case and
    accents."""
    return nodes.assign(_key=nodes["name"].map(fold)).sort_values(
        ["n_events", "_key"], ascending=[False, True]).drop(columns="_key")


def top_institutions(nodes: pd.DataFrame, n: int = TOP_N) -> pd.DataFrame:
    """The ``n`` institutions in most events (ties broken by name, as :func:`ranked_institutions`)."""
    return ranked_institutions(nodes).head(n)


def top_institutions_caption(nodes: pd.DataFrame, n: int = TOP_N) -> str:
    ranked = ranked_institutions(nodes)
    rule = ("Eventos sobre violencia de género en que participa cada institución; los empates "
            "se ordenan alfabéticamente.")
    if len(ranked) <= n:
        return rule
    last = ranked["n_events"].iloc[n - 1]
    left_out = int((ranked["n_events"].iloc[n:] == last).sum())
    if left_out:
        rule += (f" Otras {left_out} instituciones también tienen {int(last)} "
                 f"{'evento' if last == 1 else 'eventos'} y no se muestran.")
    return rule


def draw_top_institutions(nodes: pd.DataFrame, ax: Axes, n: int = TOP_N) -> None:
    top = top_institutions(nodes, n).iloc[::-1]  # largest at the top of a barh
    with plain_text():
        rows = range(len(top))
        ax.barh(rows, top["n_events"], color=[style.sector_colour(s) for s in top["sector"]])
        ax.set_yticks(rows, [style.wrap_name(str(name), 45) for name in top["name"]],
                      fontsize=8)
        for row, value in zip(rows, top["n_events"]):
            ax.text(value, row, f" {int(value)}", va="center", fontsize=7.5)
        ax.set_xlim(0, max(top["n_events"].max(), 1) * 1.08)  # room for the counts
        ax.set_xlabel("Eventos")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.legend(handles=sector_handles(set(top["sector"])), loc="lower right", fontsize=7.5,
                  frameon=False, title="Sector", title_fontsize=8)
    _plain(ax)


def top_institutions_figure(nodes: pd.DataFrame, n: int = TOP_N) -> Figure:
    shown = top_institutions(nodes, n)
    lines = sum(style.wrap_name(str(name), 45).count("\n") + 1 for name in shown["name"])
    with plain_text():
        figure = Figure(figsize=(10, 1.6 + 0.24 * max(lines, 3) + 0.1 * len(shown)),
                        dpi=PRINT_DPI, layout="constrained")
        figure.suptitle(f"Las {len(shown)} instituciones con más eventos", fontsize=13,
                        fontweight="bold", x=0.01, ha="left")
        figure.supxlabel(textwrap.fill(top_institutions_caption(nodes, n), 150), fontsize=8.5,
                         x=0.01, ha="left", color="#333333")
        draw_top_institutions(nodes, figure.add_subplot(), n)
    _plain(figure)
    return figure


def save_figure(figure: Figure, png: Path) -> Path:
    """Write ``figure`` as PNG (at :data:`PRINT_DPI`) and as SVG beside it, atomically."""
    with plain_text():
        with atomic_path(png) as temporary:
            figure.savefig(temporary, format="png", dpi=PRINT_DPI)
        with atomic_path(png.with_suffix(".svg")) as temporary:
            figure.savefig(temporary, format="svg")
    return png
