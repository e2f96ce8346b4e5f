"""prensa-red.sqlite: every table of the run with its keys, indexes and full-text search, part
of the published set; built from the small corpus's real extraction and from tables of our
own."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from spacy.language import Language
from test_report import small_outputs

from pipeline.config import RUN_FILE
from pipeline.publish import export
from pipeline.publish.database import DATABASE_FILE, write_database
from pipeline.publish.dictionary import load_dictionary
from pipeline.publish.outputs import OutputSet, verify


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


@pytest.fixture()
def db(processed: Path) -> sqlite_utils.Database:
    database = sqlite_utils.Database(sqlite3.connect(
        f"file:{processed / DATABASE_FILE}?mode=ro", uri=True))
    yield database
    database.close()


def _expected(cell: str, kind: str) -> Any:
    """A CSV cell as the database should hold it (the data dictionary's types)."""
    if cell == "":
        return None
    return {"boolean": lambda: int(cell == "true"), "integer": lambda: int(cell),
            "real": lambda: float(cell)}.get(kind, lambda: export.unquote(cell))()


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_database_is_part_of_the_published_set(processed: Path) -> None:
    run = verify(processed)
    assert DATABASE_FILE in run["files"]
    assert run["files"][DATABASE_FILE]["bytes"] == (processed / DATABASE_FILE).stat().st_size


def test_every_table_holds_its_csv_file_value_for_value(processed: Path,
                                                        db: sqlite_utils.Database) -> None:
    for entry in (e for e in load_dictionary() if e.kind == "csv"):
        rows = _csv(processed / entry.file)
        assert rows or entry.name == "rejects", f"{entry.file} is empty: the small corpus "\
            "fills every table but rejects"
        kinds = {c.name: c.type for c in entry.columns}
        expected = [{k: _expected(v, kinds[k]) for k, v in row.items()} for row in rows]
        stored = list(db.query(f"SELECT * FROM [{entry.name}] ORDER BY rowid"))
        assert stored == expected, entry.name


def test_keys_hold_and_are_indexed(db: sqlite_utils.Database) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db["documents"].pks == ["doc_id"] and db["edges"].pks == ["source_id", "target_id"]
    references = {(fk.table, fk.column, fk.other_table) for name in db.table_names()
                  for fk in db[name].foreign_keys}
    assert {("mentions", "entity_id", "entities"), ("documents", "event_id", "events"),
            ("edges", "source_id", "nodes"), ("affiliations", "org_id", "entities")} \
        <= references
    for table, column, _ in references:
        indexed = {tuple(index.columns) for index in db[table].indexes}
        assert (column,) in indexed or db[table].pks == [column], f"{table}.{column}"


def test_full_text_search_ignores_accents_and_case(db: sqlite_utils.Database) -> None:
    found = [row["sentence"] for row in db["sentences"].search("violencia genero")]
    assert found and all("género" in s.lower() for s in found)
    titles = [row["title"] for row in db["events"].search("IMM")]
    assert titles and all("IMM" in title for title in titles)
    assert list(db["documents"].search("Conmemora")), "the documents' titles are searchable"


def test_sentences_are_the_distinct_sentences_of_the_mentions(db: sqlite_utils.Database) -> None:
    pairs = {(r["doc_id"], r["sentence"]) for r in db["mentions"].rows if r["sentence"]}
    stored = [(r["doc_id"], r["sentence"]) for r in db["sentences"].rows]
    assert sorted(stored) == sorted(pairs) and len(stored) == len(set(stored))


def test_the_link_tables_say_what_the_lists_say(db: sqlite_utils.Database) -> None:
    for edge in db["edges"].rows:
        rows = list(db["edge_events"].rows_where("source_id = ? AND target_id = ?",
                                                 [edge["source_id"], edge["target_id"]]))
        assert len(rows) == edge["weight"]
        assert sum(r["same_sentence"] for r in rows) == edge["sentence_weight"]
        for row in rows:  # both ends take part in each event of the edge
            taking_part = {r["entity_id"] for r in db["event_institutions"].rows_where(
                "event_id = ?", [row["event_id"]])}
            assert {edge["source_id"], edge["target_id"]} <= taking_part


def _published(tables: Path, folder: Path) -> Path:
    with OutputSet(folder) as outputs:
        for table in tables.glob("*.csv"):
            shutil.copy(table, outputs.staging / table.name)
        write_database(outputs.staging)
        outputs.publish(documents=2, rejected=0, model="hand-written", source=tables)
    return folder


def test_tables_of_our_own_round_trip_and_missing_ones_are_left_out(tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    export.write_csv(tables / "documents.csv",
                     ["doc_id", "title", "gbv_related", "gbv_score", "published", "notes"], [
        {"doc_id": "a", "title": "=HIPERVINCULO(\"x\")", "gbv_related": True,
         "gbv_score": 2.5, "published": "2024-03-08", "notes": "-3 días"},
        {"doc_id": "b", "title": "Taller en Saltillo", "gbv_related": False,
         "gbv_score": 0, "published": None, "notes": ""}])
    folder = _published(tables, tmp_path / "processed")
    database = sqlite_utils.Database(folder / DATABASE_FILE)
    assert list(database["documents"].rows) == [
        {"doc_id": "a", "title": "=HIPERVINCULO(\"x\")", "gbv_related": 1, "gbv_score": 2.5,
         "published": "2024-03-08", "notes": "-3 días"},
        {"doc_id": "b", "title": "Taller en Saltillo", "gbv_related": 0, "gbv_score": 0.0,
         "published": None, "notes": None}]
    # A column the dictionary does not know is kept, as text; tables without a CSV (and the
    # tables made from them) are absent, not empty.
    assert database["documents"].columns_dict["notes"] is str
    assert {n for n in database.table_names()
            if not n.startswith(("documents_fts", "sqlite_"))} == {"documents"}
    assert [r["doc_id"] for r in database["documents"].search("saltillo")] == ["b"]
    database.close()
    assert json.loads((folder / RUN_FILE).read_text())["files"].keys() == \
        {"documents.csv", DATABASE_FILE}


def test_an_unchanged_set_gives_the_same_bytes(tmp_path: Path, processed: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for entry in (e for e in load_dictionary() if e.kind == "csv"):
        shutil.copy(processed / entry.file, copy / entry.file)
    assert write_database(copy).read_bytes() == (processed / DATABASE_FILE).read_bytes()
    assert sorted(p.name for p in copy.iterdir() if p.name.startswith(".")) == [], \
        "no temporary file is left behind"
