import csv
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from pipeline.publish.export import CsvTable, cell, write_csv, write_graph
from pipeline.publish.tables import read_table


@pytest.mark.parametrize(("value", "expected"), [
    (None, ""), (True, "true"), (False, "false"), (date(2022, 12, 7), "2022-12-07"),
    (["a", "b"], "a; b"), (frozenset({"b", "a"}), "a; b"), (3, "3"), (-2.5, "-2.5"),
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+52 656", "'+52 656"), ("@cmd", "'@cmd"),
    ("-texto", "'-texto"), ("Instituto", "Instituto"), ("-inf", "'-inf"), ("+nan", "'+nan"),
    ("1_000", "1_000"), ("-1_000", "'-1_000"), ("'=1+1", "''=1+1"), ("'hola", "'hola"),
])
def test_cell_formats_for_spreadsheets(value: object, expected: str) -> None:
    assert cell(value) == expected


@pytest.mark.parametrize("value", ["=1+1", "'=1+1", "''@x", "-inf", "+nan", "-Infinity",
                                   "'hola", "-2.5", "+52 656", "\tcódigo"])
def test_every_value_reads_back_as_it_was(tmp_path: Path, value: str) -> None:
    write_csv(tmp_path / "t.csv", ["a"], [{"a": value}])
    assert read_table(tmp_path / "t.csv")["a"].item() == value


def test_csv_has_bom_header_and_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    assert write_csv(path, ["a", "b"], [{"a": "ñ", "b": True}, {"a": 1}]) == 2
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfa,b\r\n")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [["a", "b"], ["ñ", "true"], ["1", ""]]


def test_interrupted_table_leaves_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_csv(path, ["a"], [{"a": "viejo"}])
    with pytest.raises(RuntimeError), CsvTable(path, ["a"]) as table:
        table.write({"a": "nuevo"})
        raise RuntimeError("interrumpido")
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["a", "viejo"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]


def test_graph_files_read_back_with_list_attributes_joined(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_node("a", name="IMM", n_documents=2)
    graph.add_node("b", name="SSPM", n_documents=1)
    graph.add_edge("a", "b", weight=1, doc_ids=["d1", "d2"])
    write_graph(graph, gexf=tmp_path / "g.gexf", graphml=tmp_path / "g.graphml")
    for back in (nx.read_gexf(tmp_path / "g.gexf"), nx.read_graphml(tmp_path / "g.graphml")):
        assert set(back.nodes) == {"a", "b"}
        assert back.edges["a", "b"]["doc_ids"] == "d1; d2"
        assert back.edges["a", "b"]["weight"] == 1
    assert graph.edges["a", "b"]["doc_ids"] == ["d1", "d2"]  # the caller's graph is untouched
