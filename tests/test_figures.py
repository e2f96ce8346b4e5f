"""The print figures, the shared layout and the Gephi file, on networks whose shape we choose.

Label checks measure what matplotlib's renderer drew, not what the placement code intended.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from PIL import Image
from spacy.language import Language
from test_report import corpus_outputs

from pipeline.publish import export, figures, layout, style
from pipeline.publish.layout import iterations_for, network_layout
from pipeline.publish.tables import institution_graph, load_tables

HEADS = ["Instituto", "Dirección", "Secretaría", "Comisión", "Red", "Colectivo", "Centro",
         "Consejo", "Fiscalía", "Asociación"]
TOPICS = ["de las Mujeres", "de Atención a Víctimas de Violencia Familiar y de Género",
          "de Prevención Social", "de Seguridad Pública", "por la Igualdad Sustantiva",
          "de Derechos Humanos", "de Cultura", "de la Juventud y el Deporte Comunitario"]
PLACES = ["", "de Ciudad Juárez", "del Estado de Chihuahua", "del Municipio"]
SECTORS = ["municipal", "state", "federal", "international", "civil_society", "academic",
           "private", "other", ""]
GEXF = "{http://www.gexf.net/1.2draft}"
VIZ = "{http://www.gexf.net/1.2draft/viz}"


def made_up_network(size: int = 120, seed: int = 7) -> nx.Graph:
    """A hub-and-spoke network like the corpus's: a few hubs, long names, two small groups."""
    rng = random.Random(seed)
    graph = nx.barabasi_albert_graph(size, 2, seed=seed)
    start = size
    for group in (5, 4):  # small groups unconnected to the rest
        graph.add_edges_from(combinations(range(start, start + group), 2))
        start += group
    graph = nx.relabel_nodes(graph, {n: f"org-{n:03d}" for n in graph})
    for index, node in enumerate(sorted(graph)):
        name = f"{rng.choice(HEADS)} {rng.choice(TOPICS)} {rng.choice(PLACES)}".strip()
        graph.nodes[node].update(name=f"{name} {index}", sector=SECTORS[index % len(SECTORS)],
                                 n_events=max(1, graph.degree(node) // 2),
                                 first_date="2024-03-01" if index % 3 else "",
                                 last_date="2024-09-01" if index % 3 else "")
    for _, _, data in graph.edges(data=True):
        data.update(weight=rng.choice([1, 1, 1, 2, 3]), sentence_weight=rng.choice([0, 0, 1]),
                    event_ids=["ev-1"])
    return graph


def drawn_labels(figure: Figure) -> list[tuple[str, Bbox]]:
    """Each node label's text and its box as the renderer draws it, after a full draw."""
    canvas = FigureCanvasAgg(figure) if not isinstance(figure.canvas, FigureCanvasAgg) \
        else figure.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    return [(text.get_text(), text.get_window_extent(renderer))
            for ax in figure.axes for text in ax.texts if text.get_gid() == figures.LABEL_GID]


def drawn_texts(figure: Figure) -> list[Text]:
    """The texts a draw puts on the canvas: figure texts (title, caption), axes texts, axis
    labels, legend texts and the tick labels whose ticks lie inside the axes' view."""
    texts = list(figure.texts)
    for ax in figure.axes:
        texts += [*ax.texts, ax.title, ax.xaxis.label, ax.yaxis.label]
        if ax.get_legend():
            texts += [*ax.get_legend().get_texts(), ax.get_legend().get_title()]
        for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            texts += [tick.label1 for tick in axis.get_major_ticks()
                      if min(low, high) <= tick.get_loc() <= max(low, high)]
    return [text for text in texts if text.get_visible()]


def assert_labels_apart_and_inside(figure: Figure, minimum: int) -> list[str]:
    labels = drawn_labels(figure)
    assert len(labels) >= minimum, f"only {len(labels)} labels drawn"
    for (one, first), (two, second) in combinations(labels, 2):
        assert not first.overlaps(second), (one, two)
    canvas = figure.bbox
    for text, box in labels:
        assert canvas.x0 <= box.x0 and box.x1 <= canvas.x1, text
        assert canvas.y0 <= box.y0 and box.y1 <= canvas.y1, text
    return [text for text, _ in labels]


def test_layout_does_not_depend_on_the_hash_seed() -> None:
    """Two processes with different PYTHONHASHSEED place every node at the same spot (a
    subgraph view iterates a set, whose order follows the hash seed)."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from test_figures import made_up_network; "
            "from pipeline.publish.layout import network_layout; "
            "print(json.dumps(sorted(network_layout(made_up_network()).items())))")
    runs = [subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)],
                           capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2")]
    assert runs[0] and runs[0] == runs[1]


def test_layout_fills_a_landscape_canvas_and_is_reproducible() -> None:
    graph = made_up_network()
    positions = network_layout(graph, aspect=1.5)
    assert positions == network_layout(graph, aspect=1.5)
    assert set(positions) == set(graph)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    assert min(xs) >= -1e-9 and max(xs) <= 1.5 + 1e-9 and min(ys) >= -1e-9 and max(ys) <= 1 + 1e-9
    assert max(xs) - min(xs) >= 1.5 * 0.85 and max(ys) - min(ys) >= 0.85, "the canvas is not filled"
    assert len({(round(x, 4), round(y, 4)) for x, y in positions.values()}) == len(positions)
    # The largest group is left of every smaller one.
    main = max(nx.connected_components(graph), key=len)
    small = set(graph) - main
    assert max(positions[n][0] for n in main) < min(positions[n][0] for n in small)


def test_iterations_are_capped_for_large_groups() -> None:
    assert iterations_for(50) == 300
    assert iterations_for(2000) < 50
    assert iterations_for(100_000) >= 10


def test_a_group_above_the_force_cap_is_placed_around_its_core(monkeypatch) -> None:
    """Above FORCE_MAX_NODES only the most connected nodes go through ForceAtlas2 (its arrays
    grow with the square of the nodes); the others are set beside a neighbour: every node
    gets its own spot inside the canvas, reproducibly, and sits nearer its anchor than the
    drawing's width."""
    monkeypatch.setattr(layout, "FORCE_MAX_NODES", 30)
    calls: list[int] = []
    force = nx.forceatlas2_layout

    def counted(group: nx.Graph, **kwargs: object) -> dict:
        calls.append(len(group))
        return force(group, **kwargs)

    monkeypatch.setattr(nx, "forceatlas2_layout", counted)
    graph = made_up_network()
    positions = network_layout(graph, aspect=1.5)
    assert max(calls) == 30, "the large group went whole through ForceAtlas2"
    assert positions == network_layout(graph, aspect=1.5)
    assert set(positions) == set(graph)
    assert len({(round(x, 4), round(y, 4)) for x, y in positions.values()}) == len(positions)
    assert all(-1e-9 <= x <= 1.5 + 1e-9 and -1e-9 <= y <= 1 + 1e-9
               for x, y in positions.values())
    leaves = [n for n in graph if graph.degree(n) == 2 and len(graph) > 100]
    near = [min(abs(complex(*positions[n]) - complex(*positions[m])) for m in graph[n])
            for n in leaves]
    assert near and max(near) < 0.5


def test_network_png_labels_do_not_overlap_and_stay_inside(tmp_path: Path) -> None:
    graph = made_up_network()
    figure = figures.network_figure(graph, network_layout(graph), title="Red de prueba",
                                    caption="Fuente: una red inventada para la prueba.")
    names = assert_labels_apart_and_inside(figure, minimum=12)
    full = {style.wrap_name(str(d["name"]), 24) for _, d in graph.nodes(data=True)}
    assert set(names) <= full, "labels are the full names, wrapped"
    hub = max(graph, key=graph.degree)
    assert style.wrap_name(graph.nodes[hub]["name"], 24) in names, "the hub is labelled"
    figures.save_figure(figure, tmp_path / "network.png")
    with Image.open(tmp_path / "network.png") as image:
        assert round(image.info["dpi"][0]) == figures.PRINT_DPI
    assert (tmp_path / "network.svg").stat().st_size > 10_000


def test_corpus_network_png_labels(corpus: Path, nlp: Language,
                                   tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = corpus_outputs(tmp_path_factory.getbasetemp(), corpus, nlp)
    tables = load_tables(folder)
    graph = institution_graph(tables.nodes, tables.edges)
    figure = figures.network_figure(graph, network_layout(graph), title="Red", caption="Corpus")
    names = assert_labels_apart_and_inside(figure, minimum=15)
    assert "Instituto Municipal de\nlas Mujeres" in names


def test_title_caption_and_legend_are_inside_the_canvas() -> None:
    graph = made_up_network(40)
    nodes = pd.DataFrame([{"entity_id": n, **d} for n, d in graph.nodes(data=True)])
    events = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", None, "2024-03-09", None]),
                           "gbv_related": [True, True, True, False]})
    for figure in (figures.network_figure(graph, network_layout(graph), title="Una red",
                                          caption="Fuente: prueba. " * 30),
                   figures.top_institutions_figure(nodes), figures.timeline_figure(events)):
        FigureCanvasAgg(figure).draw()
        renderer = figure.canvas.get_renderer()
        texts = [t for t in drawn_texts(figure) if t.get_text()]
        assert len(texts) >= 5
        for text in texts:
            box = text.get_window_extent(renderer)
            assert figure.bbox.x0 - 1 <= box.x0 and box.x1 <= figure.bbox.x1 + 1, text.get_text()
            assert figure.bbox.y0 - 1 <= box.y0 and box.y1 <= figure.bbox.y1 + 1, text.get_text()


def test_names_with_dollar_signs_are_drawn_as_written(tmp_path: Path) -> None:
    graph = nx.Graph()
    names = ["Colectivo $$ Mujeres A.C.", r"Fondo $\frac{1}{0}$ Social", "Red $a_b^c$ y $"]
    for index, name in enumerate(names):
        graph.add_node(f"org-{index}", name=name, sector="civil_society", n_events=3 - index)
    graph.add_edge("org-0", "org-1", weight=2, sentence_weight=1)
    graph.add_edge("org-1", "org-2", weight=1, sentence_weight=0)
    figure = figures.network_figure(graph, network_layout(graph), title="Red $$ de prueba",
                                    caption="Costo: $5 y $$")
    figures.save_figure(figure, tmp_path / "network.png")
    assert {text for text, _ in drawn_labels(figure)} == {style.wrap_name(n, 24) for n in names}
    nodes = pd.DataFrame([{"entity_id": n, **d} for n, d in graph.nodes(data=True)])
    figures.save_figure(figures.top_institutions_figure(nodes), tmp_path / "top.png")
    assert (tmp_path / "top.png").stat().st_size > 10_000


def test_top_institutions_ties_are_alphabetical_and_stated() -> None:
    nodes = pd.DataFrame({"entity_id": list("abcdef"),
                          "name": ["Beta", "álamo", "Alfa", "Zeta", "delta", "Épsilon"],
                          "sector": ["municipal"] * 6, "n_events": [5, 2, 2, 2, 2, 1]})
    assert list(figures.top_institutions(nodes, 3)["name"]) == ["Beta", "álamo", "Alfa"]
    caption = figures.top_institutions_caption(nodes, 3)
    assert "alfabéticamente" in caption
    assert "Otras 2 instituciones también tienen 2 eventos" in caption
    figure = figures.top_institutions_figure(nodes, 3)
    FigureCanvasAgg(figure).draw()
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert ticks == ["Alfa", "álamo", "Beta"]  # barh draws the first at the bottom
    legend = figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["Municipal"]


def test_timeline_caption_counts_the_undated_events() -> None:
    events = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", None, "2024-03-09", None,
                                                   None]),
                           "gbv_related": [True, True, True, True, False]})
    assert figures.timeline_caption(events).endswith("2 eventos sin fecha no aparecen en la "
                                                     "gráfica.")
    assert list(figures.events_per_month(events)) == [1, 0, 1]


def test_one_palette_for_figures_gexf_and_report(tmp_path: Path) -> None:
    """Gephi opens the GEXF readable: names as labels, sector colours, sizes by events,
    positions; undated elements say so."""
    graph = made_up_network(30)
    export.write_graph(graph, gexf=tmp_path / "g.gexf", time=("first_date", "last_date"))
    root = ET.parse(tmp_path / "g.gexf").getroot()
    titles = {a.get("id"): a.get("title") for a in root.iter(f"{GEXF}attribute")}
    sizes = {}
    for node in root.iter(f"{GEXF}node"):
        data = graph.nodes[node.get("id")]
        assert node.get("label") == data["name"]
        colour = node.find(f"{VIZ}color")
        assert colour is not None
        assert tuple(int(colour.get(c)) for c in "rgb") == style.rgb(
            style.sector_colour(data["sector"]))
        sizes[node.get("id")] = float(node.find(f"{VIZ}size").get("value"))
        assert node.find(f"{VIZ}position") is not None
        values = {titles[v.get("for")]: v.get("value") for v in node.iter(f"{GEXF}attvalue")}
        assert values["undated"] == ("false" if data["first_date"] else "true")
        assert (node.get("start") is None) == (not data["first_date"])
    by_events = sorted(graph, key=lambda n: graph.nodes[n]["n_events"])
    assert sizes[by_events[0]] < sizes[by_events[-1]]
    assert [s.colour for s in style.palette().values()][:2] == ["#0072B2", "#56B4E9"]
    legend = [h.get_label() for h in figures.sector_handles({"state", "municipal", "nuevo"})]
    assert legend == ["Municipal", "Estatal", "Sin clasificar"]


def cities_network() -> tuple[nx.Graph, dict[str, str]]:
    """Groups of three cities: Hermosillo's large one and two small ones, Tijuana's and
    Oaxaca's small ones, with each node's city."""
    graph = made_up_network(60)
    city = {node: "Hermosillo, Sonora" for node in graph}
    start = 200
    for name, sizes in (("Tijuana, Baja California", (5, 3)), ("Oaxaca de Juárez, Oaxaca", (4,)),
                        ("Hermosillo, Sonora", (2,))):
        for size in sizes:
            members = [f"org-{n:03d}" for n in range(start, start + size)]
            graph.add_edges_from(combinations(members, 2), weight=1, sentence_weight=0,
                                 event_ids=[f"ev-{start}"])
            for index, node in enumerate(members):
                graph.nodes[node].update(
                    name=f"Dirección {start + index} de {name.split(',')[0]}",
                    sector="municipal", n_events=1 + (index == 1))
                city[node] = name
            start += size
    return graph, city


def test_groups_are_titled_with_their_city_and_stand_together() -> None:
    graph, city = cities_network()
    positions, titles = layout.titled_layout(graph, title_of=lambda g: city[min(g)])
    assert positions == layout.titled_layout(graph, title_of=lambda g: city[min(g)])[0]
    # Tijuana's two groups stand together in one column, under one title.
    assert [t.text for t in titles].count("Tijuana, Baja California") == 1
    assert {t.text for t in titles} == set(city.values())
    for title in titles:
        xs = [positions[n][0] for n in title.members]
        ys = [positions[n][1] for n in title.members]
        assert title.y > max(ys) and title.x <= min(xs) + 1e-9, title.text  # above its group
        assert 0 <= title.x and title.x + title.width <= 1.5 + 1e-9 and title.y <= 1 + 1e-9

    figure = figures.network_figure(graph, positions, title="Red", caption="Prueba",
                                    titles=titles)
    FigureCanvasAgg(figure).draw()
    renderer = figure.canvas.get_renderer()
    drawn = [t for t in figure.axes[0].texts if t.get_gid() == figures.TITLE_GID]
    assert sorted(t.get_text().replace("\n", " ") for t in drawn) == sorted(t.text for t in titles)
    labels = drawn_labels(figure)
    for text in drawn:
        box = text.get_window_extent(renderer)
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1)
        assert not any(box.overlaps(label) for _, label in labels), text.get_text()


def test_every_group_gets_a_label_for_its_most_important_institution() -> None:
    graph, city = cities_network()
    positions, titles = layout.titled_layout(graph, title_of=lambda g: city[min(g)])
    figure = figures.network_figure(graph, positions, title="Red", caption="Prueba",
                                    titles=titles)
    names = {text for text, _ in drawn_labels(figure)}
    for group in nx.connected_components(graph):
        best = min(group, key=lambda n: figures.importance_key(graph, n))
        assert style.wrap_name(graph.nodes[best]["name"], 24) in names, sorted(group)


def test_labels_go_by_events_not_by_the_ties_of_one_list_like_release() -> None:
    """One release lists twelve bodies (66 ties, one event each); four bodies share many
    events with the hub but few ties. With room for five labels, the hub and the four
    get them."""
    graph = nx.Graph()
    graph.add_node("hub", name="Instituto de las Mujeres de Tlaxcala", sector="municipal",
                   n_events=12)
    listed = [f"lista-{n}" for n in range(12)]
    for node in listed:
        graph.add_node(node, name=f"Dependencia listada {node}", sector="state", n_events=1)
    graph.add_edges_from(combinations(["hub", *listed], 2), weight=1, sentence_weight=0,
                         event_ids=["ev-lista"])
    partners = [f"socia-{n}" for n in range(4)]
    for node in partners:
        graph.add_node(node, name=f"Colectiva {node}", sector="civil_society", n_events=6)
        graph.add_edge("hub", node, weight=6, sentence_weight=2, event_ids=["ev-1", "ev-2"])
    chosen, _ = figures.label_order(graph, max_labels=5)
    assert set(chosen) == {"hub", *partners}
    figure = figures.network_figure(graph, network_layout(graph), title="Red", caption="x",
                                    max_labels=5)
    drawn = {text for text, _ in drawn_labels(figure)}
    assert drawn <= {style.wrap_name(graph.nodes[n]["name"], 24) for n in chosen}
    assert len(drawn) >= 4
