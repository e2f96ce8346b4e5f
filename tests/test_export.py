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
                                   "'hola", "-2.5", "+52 656"])
def test_every_value_reads_back_as_it_was(tmp_path: Path, value: str) -> None:
    write_csv(tmp_path / "t.csv", ["a"], [{"a": value}])
    assert read_table(tmp_path / "t.csv")["a"].item() == value


@pytest.mark.parametrize(("value", "expected"), [
    ("Rosa\n\nIcela Rodríguez", "Rosa Icela Rodríguez"),  # a name cut by a line break
    ("Foro \u2028sobre\u2029 violencia", "Foro sobre violencia"),
    ("\tcódigo\r\n", " código "), ("campo\x00vacío\x1b", "campo vacío "),
    (["Ana\nRuiz", "IMM"], "Ana Ruiz; IMM"),
])
def test_no_cell_holds_a_control_character(tmp_path: Path, value: object, expected: str) -> None:
    assert cell(value) == expected
    write_csv(tmp_path / "t.csv", ["a", "b"], [{"a": value, "b": "x"}])
    lines = (tmp_path / "t.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert len(lines) == 3 and lines[2] == ""  # the header, one row, the final line break
    assert read_table(tmp_path / "t.csv")["a"].item() == expected


def test_graph_strings_hold_no_control_character(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_node("a", name="Fundación\nJuárez")
    write_graph(graph, graphml=tmp_path / "g.graphml")
    assert nx.read_graphml(tmp_path / "g.graphml").nodes["a"]["name"] == "Fundación Juárez"


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
