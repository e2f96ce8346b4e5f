"""GEXF 1.2 files that Gephi opens readable, written element by element.

networkx's ``write_gexf`` builds the whole XML tree before writing it (6,400 releases with
ever-new names: about 200 MB for a 21 MB file, with the copies it needs); this writer streams
each node and edge to the file instead.

Every node is labelled with its ``name`` (with its ``jurisdiction`` when two nodes share a
name), coloured by ``sector``, sized by ``n_events`` and placed by the shared layout
(:mod:`pipeline.publish.layout`). With ``time`` = two date attributes, the graph is dynamic:
an element lives from the first to the second, and one without dates is present throughout
the timeline and carries ``undated`` = true, so that a filter can hide it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import IO, Any
from xml.sax.saxutils import quoteattr

import networkx as nx

from pipeline.publish import style
from pipeline.publish.layout import network_layout

SPREAD = 1000.0  # x positions in [-SPREAD, SPREAD]: Gephi's usual scale
ASPECT = 1.5
MIN_SIZE = 6.0
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # no XML 1.0 file holds them
_HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n'
         '<gexf xmlns="http://www.gexf.net/1.2draft" '
         'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
         'xsi:schemaLocation="http://www.gexf.net/1.2draft '
         'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
         '  <meta>\n    <creator>prensa-red</creator>\n  </meta>\n')


def _text(value: Any) -> str:
    return quoteattr(_NOT_XML.sub("", str(value)))


def _value(value: Any) -> str:
    return _text("true" if value is True else "false" if value is False else value)


def _kind(types: set[type]) -> str:
    """The GEXF type that holds values of every one of ``types``."""
    if types <= {bool}:
        return "boolean"
    if types <= {int}:
        return "long"
    return "double" if types <= {int, float} else "string"


def _declare(handle: IO[str], kind: str, attributes: Iterable[Mapping[str, Any]],
             skip: set[str], extra: Mapping[str, type], first_id: int) -> dict[str, str]:
    """Write the ``<attributes>`` of ``kind`` (node or edge), those of ``attributes`` but
    ``skip`` and then ``extra``; return each title's id."""
    types: dict[str, set[type]] = {}
    for data in attributes:
        for key, value in data.items():
            if key not in skip:
                types.setdefault(key, set()).add(type(value))
    for key, value_type in extra.items():
        types.setdefault(key, set()).add(value_type)
    ids = {key: str(first_id + number) for number, key in enumerate(types)}
    handle.write(f'    <attributes mode="static" class="{kind}">\n')
    for key, seen in types.items():
        handle.write(f'      <attribute id="{ids[key]}" title={_text(key)} '
                     f'type="{_kind(seen)}" />\n')
    handle.write("    </attributes>\n")
    return ids


def _attvalues(handle: IO[str], data: Mapping[str, Any], ids: Mapping[str, str],
               indent: str) -> None:
    chosen = [(ids[key], value) for key, value in data.items() if key in ids]
    if chosen:
        handle.write(f"{indent}<attvalues>\n")
        for key, value in chosen:
            handle.write(f'{indent}  <attvalue for="{key}" value={_value(value)} />\n')
        handle.write(f"{indent}</attvalues>\n")


def _interval(data: Mapping[str, Any], time: tuple[str, str] | None) -> tuple[str, dict]:
    """The ``start``/``end`` XML attributes of an element, and its data with ``undated``."""
    if time is None:
        return "", dict(data)
    bounds = "".join(f" {name}={_text(data[source])}" for name, source in
                     zip(("start", "end"), time, strict=True) if data.get(source))
    return bounds, {**data, "undated": not data.get(time[0])}


def _labels(graph: nx.Graph) -> dict[Any, str]:
    names = Counter(str(data["name"]) for _, data in graph.nodes(data=True) if "name" in data)
    labels = {}
    for node, data in graph.nodes(data=True):
        if "name" not in data:
            labels[node] = str(node)
        elif names[str(data["name"])] > 1 and data.get("jurisdiction"):
            labels[node] = f"{data['name']} ({data['jurisdiction']})"  # two cities' institutes
        else:
            labels[node] = str(data["name"])
    return labels


def write_gexf(graph: nx.Graph, handle: IO[str], *, time: tuple[str, str] | None = None
               ) -> None:
    """Write ``graph`` (scalar attributes only) to ``handle`` as GEXF; ``time``: see above."""
    undated = {"undated": bool} if time else {}
    handle.write(_HEAD)
    mode = ' mode="dynamic" timeformat="date"' if time else ' mode="static"'
    handle.write(f'  <graph defaultedgetype="undirected"{mode}>\n')
    node_ids = _declare(handle, "node", (d for _, d in graph.nodes(data=True)), set(),
                        undated, 0)
    edge_ids = _declare(handle, "edge", (d for *_, d in graph.edges(data=True)), {"weight"},
                        undated, len(node_ids))
    positions = network_layout(graph, aspect=ASPECT)
    labels = _labels(graph)
    scale = 2 * SPREAD / ASPECT
    handle.write("    <nodes>\n")
    for node, data in graph.nodes(data=True):
        bounds, data = _interval(data, time)
        red, green, blue = style.rgb(style.sector_colour(data.get("sector")))
        x, y = positions[node]
        size = round(MIN_SIZE * style.importance(data.get("n_events")), 2)
        handle.write(f"      <node id={_text(node)} label={_text(labels[node])}{bounds}>\n"
                     f'        <viz:color r="{red}" g="{green}" b="{blue}" a="1.0" />\n'
                     f'        <viz:size value="{size}" />\n'
                     f'        <viz:position x="{round((x - ASPECT / 2) * scale, 2)}" '
                     f'y="{round((y - 0.5) * scale, 2)}" z="0.0" />\n')
        _attvalues(handle, data, node_ids, "        ")
        handle.write("      </node>\n")
    handle.write("    </nodes>\n    <edges>\n")
    for number, (source, target, data) in enumerate(graph.edges(data=True)):
        bounds, data = _interval(data, time)
        weight = f" weight={_value(data['weight'])}" if "weight" in data else ""
        handle.write(f'      <edge id="{number}" source={_text(source)} '
                     f"target={_text(target)}{weight}{bounds}>\n")
        _attvalues(handle, data, edge_ids, "        ")
        handle.write("      </edge>\n")
    handle.write("    </edges>\n  </graph>\n</gexf>\n")
