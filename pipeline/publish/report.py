"""The analysts' report: one self-contained ``report.html`` plus PNG figures beside it.

The page needs no network: its CSS and JavaScript (``resources/report/``) are inlined, the
figures are embedded as data URIs, and the network viewer draws precomputed positions. Labels
are in Spanish for the report's readers.
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from pipeline.config import RESOURCES_DIR
from pipeline.publish import figures
from pipeline.publish.export import atomic_path, ensure_folder
from pipeline.publish.tables import Tables, institution_graph, load_tables

REPORT_RESOURCES = RESOURCES_DIR / "report"
CANVAS = 1000.0  # the viewer's coordinate space: positions map into [0, CANVAS]²
MARGIN = 60.0
TOP_N = 15


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What :func:`build_report` wrote."""

    html: Path
    network_png: Path
    timeline_png: Path
    top_institutions_png: Path


def _es_date(value: Any) -> str:
    """``2023-03-08`` → ``8 mar 2023``; blank for a missing date."""
    if pd.isna(value):
        return "sin fecha"
    day = pd.Timestamp(value)
    return f"{day.day} {figures.MONTHS_ES[day.month - 1]} {day.year}"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def summary_html(tables: Tables) -> str:
    """The corpus in figures: documents, period, GBV events, institutions, links."""
    published = tables.documents["published"].dropna()
    period = (f"{_es_date(published.min())} – {_es_date(published.max())}"
              if len(published) else "sin fechas")
    people = int((tables.entities["label"] == "PER").sum())
    items = [("Documentos", len(tables.documents)), ("Periodo", period),
             ("Eventos", len(tables.events)),
             ("Eventos sobre violencia de género", int(tables.events["gbv_related"].sum())),
             ("Instituciones en la red", len(tables.nodes)), ("Personas", people),
             ("Vínculos entre instituciones", len(tables.edges))]
    cards = "".join(f'<div class="card"><span class="value">{escape(str(v))}</span>'
                    f'<span class="label">{escape(k)}</span></div>' for k, v in items)
    return f'<div class="cards">{cards}</div>'


def top_institutions_html(nodes: pd.DataFrame) -> str:
    top = figures.top_institutions(nodes, TOP_N)
    return _table(["Institución", "Sector", "Eventos", "Vínculos", "Primera", "Última"],
                  [[r.name, figures.sector_label(r.sector), int(r.n_events), int(r.degree),
                    _es_date(r.first_date), _es_date(r.last_date)]
                   for r in top.itertuples(index=False)])


def sectors_html(nodes: pd.DataFrame) -> str:
    by_sector = (nodes.groupby("sector")
                 .agg(institutions=("entity_id", "size"), events=("n_events", "sum"))
                 .sort_values(["institutions", "events"], ascending=False))
    rows = []
    for sector, row in by_sector.iterrows():
        members = figures.top_institutions(nodes[nodes["sector"] == sector], 3)["name"]
        rows.append([figures.sector_label(str(sector)), int(row.institutions), int(row.events),
                     ", ".join(members)])
    return _table(["Sector", "Instituciones", "Eventos", "Principales"], rows)


def timeline_html(events: pd.DataFrame) -> str:
    counts = figures.events_per_month(events)
    return _table(["Mes", "Eventos"], [[figures.month_label(month), int(n)]
                                       for month, n in counts.items()])


def _fit(positions: dict[str, tuple[float, float]], ids: list[str]) -> list[tuple[float, float]]:
    """Positions stretched over the viewer's canvas (y down), leaving room for labels."""
    if not ids:
        return []
    xs, ys = [positions[n][0] for n in ids], [positions[n][1] for n in ids]

    def scale(value: float, low: float, high: float) -> float:
        share = (value - low) / (high - low) if high > low else 0.5
        return round(MARGIN + share * (CANVAS - 2 * MARGIN), 1)

    return [(scale(x, min(xs), max(xs)), scale(-y, -max(ys), -min(ys))) for x, y in zip(xs, ys)]


def network_data(tables: Tables, graph: nx.Graph,
                 positions: dict[str, tuple[float, float]]) -> dict[str, Any]:
    """Nodes, edges and the events behind them, as the viewer reads them."""
    ids = list(graph.nodes)
    index = {node: i for i, node in enumerate(ids)}
    events = tables.events.set_index("event_id")
    used: dict[str, int] = {}

    def event_index(event_id: str) -> int:
        return used.setdefault(event_id, len(used))

    nodes = [{"name": str(graph.nodes[n].get("name", n)),
              "sector": figures.sector_label(graph.nodes[n].get("sector", "")),
              "colour": figures.sector_colour(graph.nodes[n].get("sector", "")),
              "events": int(graph.nodes[n].get("n_events", 0)),
              "r": round(figures.node_size(graph.nodes[n].get("n_events", 0)) ** 0.5 / 1.2, 1),
              "x": x, "y": y} for n, (x, y) in zip(ids, _fit(positions, ids))]
    edges = [{"s": index[s], "t": index[t], "w": int(d.get("weight", 1)),
              "events": [event_index(e) for e in d.get("event_ids", [])]}
             for s, t, d in graph.edges(data=True)]
    event_rows = []
    for event_id in used:  # dicts keep insertion order, which is each event's index
        row = events.loc[event_id] if event_id in events.index else None
        event_rows.append({"id": event_id,
                           "date": "" if row is None else _es_date(row["date"]),
                           "title": event_id if row is None else str(row["title"]),
                           "urls": [] if row is None else list(row["urls"])})
    return {"nodes": nodes, "edges": edges, "events": event_rows}


def _json_for_script(data: dict[str, Any]) -> str:
    """JSON safe inside ``<script>``: no ``</`` can close the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")


def render(template: str, values: dict[str, str]) -> str:
    """Fill ``{{name}}`` markers; a marker without a value is a bug, so it raises KeyError."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def build_report(input_dir: Path, output_dir: Path, *, today: date | None = None) -> ReportFiles:
    """Read the tables in ``input_dir``; write ``report.html`` and the PNGs to ``output_dir``."""
    tables = load_tables(input_dir)
    graph = institution_graph(tables.nodes, tables.edges)
    positions = figures.network_layout(graph)
    ensure_folder(output_dir)
    files = ReportFiles(
        html=output_dir / "report.html",
        network_png=figures.save_png(figures.network_figure(graph, positions),
                                     output_dir / "network.png"),
        timeline_png=figures.save_png(figures.timeline_figure(tables.events),
                                      output_dir / "timeline.png"),
        top_institutions_png=figures.save_png(figures.top_institutions_figure(tables.nodes),
                                              output_dir / "top_institutions.png"))
    values = {
        "css": (REPORT_RESOURCES / "report.css").read_text(encoding="utf-8"),
        "js": (REPORT_RESOURCES / "network.js").read_text(encoding="utf-8"),
        "generated": _es_date(today or date.today()),
        "source": escape(str(input_dir)),
        "summary": summary_html(tables),
        "top_institutions": top_institutions_html(tables.nodes),
        "top_institutions_png": _data_uri(files.top_institutions_png),
        "sectors": sectors_html(tables.nodes),
        "timeline_png": _data_uri(files.timeline_png),
        "timeline_table": timeline_html(tables.events),
        "network_data": _json_for_script(network_data(tables, graph, positions)),
    }
    template = (REPORT_RESOURCES / "template.html").read_text(encoding="utf-8")
    with atomic_path(files.html) as temporary:
        temporary.write_text(render(template, values), encoding="utf-8")
    return files
