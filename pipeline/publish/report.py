"""The analysts' report: one self-contained ``report.html`` plus print figures beside it.

The page needs no network: its CSS, the vendored sigma.js and graphology (``resources/report/
vendor/``, see ``make vendor-report``) and the viewer's script are inlined, and its charts are
HTML (:mod:`pipeline.publish.html_charts`), so that the page reflows on a phone. The data
travel as JSON inside a ``<script type="application/json">`` element, escaped so that no text
from a release can end that element; text reaches the page only through ``textContent``, and
only ``http(s)`` addresses become links. The page names no local path. Text is in Spanish for
the report's readers.

With several municipalities, network.png titles each group of institutions with its city, and
a print figure per municipality (``network-<municipio>.png``) is written beside it; the viewer
can show one municipality alone. ``jurisdiction`` makes the whole report one municipality's.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import networkx as nx
import pandas as pd

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import fold
from pipeline.publish import figures, html_charts, style
from pipeline.publish.export import atomic_path, ensure_folder
from pipeline.publish.layout import GroupTitle, Positions, network_layout, titled_layout
from pipeline.publish.places import event_places, for_place, municipalities, resolve_place, slug
from pipeline.publish.sheets import APPLIED_FILE, UNMATCHED_FILE
from pipeline.publish.tables import Tables, institution_graph, load_tables, node_events, read_table
from pipeline.sources.ingest import read_run

REPORT_RESOURCES = RESOURCES_DIR / "report"
VENDOR = REPORT_RESOURCES / "vendor"
VENDOR_SCRIPTS = ("graphology.umd.min.js", "sigma.min.js")
# Characters that could end or reopen a script element, or end a JavaScript line, escaped in
# the JSON as JSON escapes (which JSON.parse reads back unchanged).
SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                  "\u2029": "\\u2029"}
LAYOUT_ASPECT = 1.5  # width / height of the layout, shared by network.png and the viewer
PAGE_TITLE = "Red interinstitucional de prevención de la violencia de género"
ACRONYM = re.compile(r"^[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ0-9&.-]{1,11}$")


@dataclass(frozen=True, slots=True)
class ReportFiles:
    """What :func:`build_report` wrote (each PNG has an SVG twin beside it)."""

    html: Path
    network_png: Path
    timeline_png: Path
    top_institutions_png: Path
    # (municipality, network-<municipio>.png), one per municipality when there are several
    place_networks: tuple[tuple[str, Path], ...] = ()


def _es_date(value: Any) -> str:
    """``2023-03-08`` → ``8 mar 2023``; ``sin fecha`` for a missing date."""
    if pd.isna(value):
        return "sin fecha"
    day = pd.Timestamp(value)
    return f"{day.day} {style.MONTHS_ES[day.month - 1]} {day.year}"


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return (f'<div class="table-box"><table><thead><tr>{head}</tr></thead><tbody>{body}'
            "</tbody></table></div>")


def corpus_period(tables: Tables) -> str:
    published = tables.documents["published"].dropna()
    return (f"{_es_date(published.min())} – {_es_date(published.max())}"
            if len(published) else "sin fechas de publicación")


def summary_html(tables: Tables) -> str:
    """The corpus in figures: documents, period, events (and how many lack a date), network."""
    people = int((tables.entities["label"] == "PER").sum())
    undated = figures.undated_count(tables.events)
    items = [("Documentos", len(tables.documents)), ("Periodo", corpus_period(tables)),
             ("Eventos", len(tables.events)),
             ("Eventos sobre violencia de género", int(tables.events["gbv_related"].sum())),
             ("Eventos sin fecha", undated),
             ("Instituciones en la red", len(tables.nodes)), ("Personas", people),
             ("Vínculos entre instituciones", len(tables.edges))]
    cards = "".join(f'<div class="card"><span class="value">{escape(str(v))}</span>'
                    f'<span class="label">{escape(k)}</span></div>' for k, v in items)
    undated_gbv = figures.undated_count(figures.gbv_events(tables.events))
    note = (f'<p class="note" id="undated-summary">'
            f'{_count(undated, "evento sin fecha", "eventos sin fecha")} ({undated_gbv} sobre '
            "violencia de género): cuentan en las tablas, y los de violencia de género en la "
            "red, pero no en la línea de tiempo ni al filtrar por periodo.</p>")
    return f'<div class="cards">{cards}</div>{note}'


def corrections_note(folder: Path) -> str:
    """"N correcciones aplicadas", when the run applied an analyst's corrections file."""
    facts = (read_run(folder) or {}).get("corrections")
    if not facts:
        return ""
    applied, unmatched = int(facts.get("applied", 0)), int(facts.get("unmatched", 0))
    text = (f"{_count(applied, 'corrección aplicada', 'correcciones aplicadas')} desde "
            f"<code>{escape(Path(str(facts.get('file', ''))).name)}</code>")
    if unmatched:
        text += (f"; {_count(unmatched, 'no coincide', 'no coinciden')} con nada en este "
                 f"corpus (<code>{UNMATCHED_FILE}</code>)")
    return (f'<p class="note" id="corrections-summary">{text}. Las instituciones corregidas '
            "se señalan al hacer clic en ellas.</p>")


def _correction_text(action: str, value: str, names: list[str], line: str) -> tuple[int, str]:
    """Which of a correction's entities it describes (index into its ids), and how."""
    texts = {
        "merge": (1, f"fusionada con «{names[0] if names else ''}»"),
        "detach": (1, f"separada de «{names[0] if names else ''}» en el comunicado {value}"),
        "rename": (0, f"nombre corregido: «{value}»"),
        "sector": (0, f"sector corregido: {style.sector_label(value)}"),
        "jurisdiction": (0, f"jurisdicción corregida: {value or 'ninguna'}"),
    }
    index, text = texts.get(action, (0, action))
    return index, f"{text} (línea {line})"


def node_corrections(folder: Path) -> dict[str, list[str]]:
    """Each institution's corrections, as the click panel lists them."""
    if not (folder / APPLIED_FILE).is_file():
        return {}
    found: dict[str, list[str]] = {}
    applied = read_table(folder / APPLIED_FILE, lists=["entity_ids", "names"])
    for row in applied.itertuples(index=False):
        index, text = _correction_text(row.action, row.value, list(row.names), row.line)
        if index < len(row.entity_ids):
            found.setdefault(row.entity_ids[index], []).append(text)
    return found


def top_institutions_html(nodes: pd.DataFrame) -> str:
    top = figures.top_institutions(nodes)
    return _table(["Institución", "Sector", "Eventos", "Vínculos", "Primera", "Última"],
                  [[r.name, style.sector_label(r.sector), int(r.n_events), int(r.degree),
                    _es_date(r.first_date), _es_date(r.last_date)]
                   for r in top.itertuples(index=False)])


def sectors_html(nodes: pd.DataFrame) -> str:
    by_sector = (nodes.groupby("sector")
                 .agg(institutions=("entity_id", "size"), events=("n_events", "sum"))
                 .sort_values(["institutions", "events"], ascending=False))
    rows = []
    for sector, row in by_sector.iterrows():
        members = figures.top_institutions(nodes[nodes["sector"] == sector], 3)["name"]
        rows.append([style.sector_label(sector), int(row.institutions), int(row.events),
                     ", ".join(members)])
    return _table(["Sector", "Instituciones", "Eventos", "Principales"], rows)


def timeline_note(events: pd.DataFrame) -> str:
    undated = figures.undated_count(figures.gbv_events(events))
    return (f'<p class="note" id="undated-timeline">'
            f'{_count(undated, "evento sin fecha", "eventos sin fecha")} sobre violencia de '
            "género no aparecen en la línea de tiempo.</p>")


def timeline_html(events: pd.DataFrame) -> str:
    counts = figures.events_per_month(events)
    return _table(["Mes", "Eventos"], [[figures.month_label(month), int(n)]
                                       for month, n in counts.items()])


def is_web_address(url: str) -> bool:
    """Only ``http``/``https`` addresses with a host become links."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _sources(urls: Iterable[str], paths: Iterable[str]) -> dict[str, list[Any]]:
    """An event's links (web addresses) and sources shown as text (anything else)."""
    links, texts = [], []
    for url in urls:
        if is_web_address(url):
            links.append({"href": url.strip(), "text": url.strip()})
        elif url:
            texts.append(url)
    if not links and not texts:
        texts = [path for path in paths if path]
    return {"links": links, "sources": texts}


def _acronyms(name: str, aliases: Iterable[str]) -> list[str]:
    return sorted({alias for alias in aliases if ACRONYM.match(alias) and alias != name})


def with_distinct_names(tables: Tables) -> Tables:
    """The tables with institutions that share a name told apart by their jurisdiction
    ("Instituto Municipal de las Mujeres (Mazatlán, Sinaloa)"), for every drawing and list."""
    nodes = tables.nodes
    shared = nodes["name"].duplicated(keep=False)
    if not shared.any() or "jurisdiction" not in tables.entities:
        return tables
    where = dict(zip(tables.entities["entity_id"], tables.entities["jurisdiction"]))
    names = [f"{name} ({where[node]})" if twin and where.get(node) else name
             for node, name, twin in zip(nodes["entity_id"], nodes["name"], shared)]
    return replace(tables, nodes=nodes.assign(name=names))


def _event_records(tables: Tables, event_ids: set[str]) -> list[dict[str, Any]]:
    """The events as the side panel lists them, oldest first and undated last."""
    doc_paths = dict(zip(tables.documents["doc_id"], tables.documents["path"]))
    places = event_places(tables.documents)
    records = []
    for row in tables.events[tables.events["event_id"].isin(event_ids)].to_dict("records"):
        dated = not pd.isna(row["date"])
        by_month = dated and row.get("date_precision") == "month"  # only the month is known
        records.append({
            "id": row["event_id"], "date": row["date"].strftime("%Y-%m-%d") if dated else "",
            "label": style.month_label(row["date"].year, row["date"].month) if by_month
            else _es_date(row["date"]), "title": str(row["title"]),
            "type": str(row["event_type"]), "place": places.get(row["event_id"], ""),
            **_sources(row["urls"], [doc_paths.get(d, "") for d in row["doc_ids"]])})
    missing = event_ids - {r["id"] for r in records}  # an edge naming an event not in the table
    records += [{"id": e, "date": "", "label": "sin fecha", "title": e, "type": "",
                 "place": places.get(e, ""), "links": [], "sources": []}
                for e in sorted(missing)]
    return sorted(records, key=lambda r: (not r["date"], r["date"], r["id"]))


def network_data(tables: Tables, graph: nx.Graph, positions: Positions) -> dict[str, Any]:
    """Nodes, edges, events and sectors as the viewer reads them (see network.js)."""
    ids = sorted(graph, key=lambda n: str(graph.nodes[n].get("name", n)))
    index = {node: i for i, node in enumerate(ids)}
    aliases = dict(zip(tables.entities["entity_id"], tables.entities["aliases"]))
    taking_part = node_events(tables)
    places_of = event_places(tables.documents)
    events = _event_records(tables, set().union(set(), *(taking_part.get(node, set())
                                                         for node in graph)))
    event_index = {event["id"]: i for i, event in enumerate(events)}
    nodes = []
    for node in ids:
        data = graph.nodes[node]
        name = str(data.get("name", node))
        known = aliases.get(node, [])
        corrected = data.get("corrections")
        nodes.append({"key": node, "name": name, "sector": style.sector_style(
                          data.get("sector")).key,
                      "x": round(positions[node][0], 4), "y": round(positions[node][1], 4),
                      "importance": round(style.importance(data.get("n_events")), 3),
                      "n_events": int(data.get("n_events", 0)),
                      "aliases": [a for a in known if a != name],
                      "acronyms": _acronyms(name, known),
                      "place": str(data.get("jurisdiction") or ""),
                      "seen_in": [place for place, _ in Counter(
                          places_of[e] for e in taking_part.get(node, ()) if places_of.get(e)
                      ).most_common()],
                      "events": sorted(event_index[e] for e in taking_part.get(node, ())),
                      **({"corrections": corrected} if isinstance(corrected, list) else {})})
    edges = [{"s": index[s], "t": index[t],
              "events": sorted(event_index[e] for e in d.get("event_ids", [])),
              "sentence": sorted(event_index[e] for e in d.get("sentence_event_ids", [])
                                 if e in event_index)}
             for s, t, d in sorted(graph.edges(data=True),
                                   key=lambda e: (index[e[0]], index[e[1]]))]
    present = {n["sector"] for n in nodes}
    sectors = [{"key": key, "label": s.label, "colour": s.colour,
                "count": sum(n["sector"] == key for n in nodes)}
               for key, s in style.palette().items() if key in present]
    counted = Counter(e["place"] for e in events if e["place"])  # the network's events
    places = [{"name": place, "events": n}
              for place, n in sorted(counted.items(), key=lambda item: (-item[1], fold(item[0])))]
    return {"nodes": nodes, "edges": edges, "events": events, "sectors": sectors,
            "places": places, "aspect": LAYOUT_ASPECT,
            "undated": sum(1 for e in events if not e["date"]),
            "months": sorted({e["date"][:7] for e in events if e["date"]})}


def script_json(data: Any) -> str:
    """JSON that cannot end its ``<script>`` element: ``<``, ``>``, ``&`` and the JavaScript
    line separators are written as ``\\uXXXX`` escapes."""
    text = json.dumps(data, ensure_ascii=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: SCRIPT_ESCAPES[m.group()], text)


def vendor_scripts() -> str:
    """The vendored libraries, checked to hold nothing that would end their script element."""
    parts = []
    for name in VENDOR_SCRIPTS:
        text = (VENDOR / name).read_text(encoding="utf-8")
        if re.search(r"</script|<!--", text, re.IGNORECASE):
            raise ValueError(f"{VENDOR / name} contains '</script' or '<!--' and cannot be "
                             "inlined; refresh it with `make vendor-report`")
        parts.append(f"<script>/* {name}: see {name.split('.')[0]}.LICENSE.txt */\n{text}"
                     "\n</script>")
    return "\n".join(parts)


def render(template: str, values: dict[str, str]) -> str:
    """Fill ``{{name}}`` markers; a marker without a value is a bug, so it raises KeyError."""
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], template)


def _resource(name: str) -> str:
    return (REPORT_RESOURCES / name).read_text(encoding="utf-8")


def network_page_values(tables: Tables, graph: nx.Graph, positions: Positions) -> dict[str, str]:
    """What both the report and the notebooks' widget need for the interactive network."""
    data = network_data(tables, graph, positions)
    undated = _count(data["undated"], "evento sin fecha", "eventos sin fecha")
    scripts = {"network_data": script_json(data), "vendor": vendor_scripts(),
               "js": _resource("network.js")}
    return {"css": _resource("report.css"),
            "network": render(_resource("network.html"), {"undated_network": escape(undated)}),
            "network_scripts": render(_resource("scripts.html"), scripts)}


def network_widget(tables: Tables) -> str:
    """A standalone page with only the report's interactive network (for the notebooks)."""
    tables = with_distinct_names(tables)
    graph = institution_graph(tables.nodes, tables.edges)
    return render(_resource("widget.html"),
                  network_page_values(tables, graph,
                                      network_layout(graph, aspect=LAYOUT_ASPECT)))


def network_widget_iframe(tables: Tables, *, height: int = 900) -> str:
    """The widget in an ``<iframe>`` for a notebook cell (``IPython.display.HTML``)."""
    return (f'<div class="prensa-red"><iframe title="Red de instituciones" '
            f'srcdoc="{escape(network_widget(tables))}" '
            f'style="width: 100%; height: {height}px; border: 0"></iframe></div>')


def network_caption(tables: Tables, graph: nx.Graph, *, titled: bool = False) -> str:
    strong = figures.strong_ties(graph).number_of_edges()
    groups = (" Cada grupo lleva el nombre del municipio de sus eventos." if titled else "")
    nodes = _count(graph.number_of_nodes(), "institución", "instituciones")
    return (f"Fuente: {_count(len(tables.documents), 'comunicado', 'comunicados')} de prensa, "
            f"{corpus_period(tables)}. {nodes} y "
            f"{_count(graph.number_of_edges(), 'vínculo', 'vínculos')}: dos instituciones se "
            "unen cuando participan en un mismo evento sobre violencia de género; "
            f"{strong} {'vínculo es fuerte' if strong == 1 else 'vínculos son fuertes'} (se "
            "nombran en una misma oración o se repiten en varios eventos) y se dibujan en gris "
            "oscuro. Tamaño: eventos; color: sector. Se rotulan las instituciones con más "
            f"eventos de cada grupo y del conjunto donde el rótulo cabe sin tapar otro.{groups}")


def group_title(tables: Tables) -> Callable[[set[Hashable]], str]:
    """A group's title: the municipality of most of its events, and how many others it has."""
    places = event_places(tables.documents)
    taking_part = node_events(tables)

    def title(group: set[Hashable]) -> str:
        events = set().union(*(taking_part.get(str(node), set()) for node in group))
        ranked = Counter(places.get(e, "") for e in events if places.get(e)).most_common()
        if not ranked:
            return ""
        others = len(ranked) - 1
        return ranked[0][0] + (f" y {_count(others, 'municipio', 'municipios')} más"
                               if others else "")
    return title


TITLE = "Red de instituciones que colaboran en la prevención de la violencia de género"


def _network_png(tables: Tables, graph: nx.Graph, positions: Positions, path: Path, *,
                 place: str = "", titles: Sequence[GroupTitle] = ()) -> Path:
    title = f"{TITLE}: {place}" if place else TITLE
    figure = figures.network_figure(graph, positions, title=title,
                                    caption=network_caption(tables, graph, titled=bool(titles)),
                                    titles=titles)
    return figures.save_figure(figure, path)


def place_networks(tables: Tables, output_dir: Path) -> tuple[tuple[str, Path], ...]:
    """``network-<municipio>.png`` (and SVG) for each municipality whose events tie two
    institutions, when the tables hold more than one municipality."""
    places = [place for place, _ in municipalities(tables)]
    if len(places) < 2:
        return ()
    written = []
    for place in places:
        local = with_distinct_names(for_place(tables, place))
        graph = institution_graph(local.nodes, local.edges)
        if graph.number_of_edges():
            positions = network_layout(graph, aspect=LAYOUT_ASPECT)
            written.append((place, _network_png(local, graph, positions, output_dir /
                                                f"network-{slug(place)}.png", place=place)))
    return tuple(written)


def _figures_html(files: ReportFiles) -> str:
    items = [("network", "la red"), ("timeline", "la línea de tiempo"),
             ("top_institutions", "las instituciones principales")]
    items += [(png.stem, f"la red de {place}") for place, png in files.place_networks]
    return "".join(f'<li><a href="{escape(name)}.png">{escape(name)}.png</a> / '
                   f'<a href="{escape(name)}.svg">{escape(name)}.svg</a>: {escape(what)}</li>'
                   for name, what in items)


def build_report(input_dir: Path, output_dir: Path, *, jurisdiction: str | None = None,
                 today: date | None = None) -> ReportFiles:
    """Read the tables in ``input_dir``; write ``report.html`` and the figures to
    ``output_dir``: of every municipality, or of ``jurisdiction``'s events only."""
    every = load_tables(input_dir)
    place = resolve_place(every, jurisdiction) if jurisdiction else ""
    tables = with_distinct_names(for_place(every, place) if place else every)
    corrections = node_corrections(input_dir)
    if corrections:  # for the click panel: the analyst's corrections of each institution
        tables = replace(tables, nodes=tables.nodes.assign(corrections=[
            corrections.get(node) for node in tables.nodes["entity_id"]]))
    graph = institution_graph(tables.nodes, tables.edges)
    several = not place and len(municipalities(tables)) > 1
    positions, titles = titled_layout(graph, title_of=group_title(tables) if several else None,
                                      aspect=LAYOUT_ASPECT)
    ensure_folder(output_dir)
    files = ReportFiles(
        html=output_dir / "report.html",
        network_png=_network_png(tables, graph, positions, output_dir / "network.png",
                                 place=place, titles=titles),
        timeline_png=figures.save_figure(figures.timeline_figure(tables.events),
                                         output_dir / "timeline.png"),
        top_institutions_png=figures.save_figure(figures.top_institutions_figure(tables.nodes),
                                                 output_dir / "top_institutions.png"),
        place_networks=place_networks(every, output_dir) if several else ())
    values = {
        **network_page_values(tables, graph, positions),
        "title": escape(f"{PAGE_TITLE}: {place}" if place else PAGE_TITLE),
        "generated": _es_date(today or date.today()),
        "summary": summary_html(tables) + corrections_note(input_dir),
        "top_institutions": top_institutions_html(tables.nodes),
        "top_chart": html_charts.top_institutions_chart(tables.nodes),
        "sectors": sectors_html(tables.nodes),
        "timeline_chart": html_charts.timeline_chart(tables.events),
        "timeline_note": timeline_note(tables.events),
        "timeline_table": timeline_html(tables.events),
        "figures": _figures_html(files),
    }
    with atomic_path(files.html) as temporary:
        temporary.write_text(render(_resource("template.html"), values), encoding="utf-8")
    return files
