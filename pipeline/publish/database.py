"""``prensa-red.sqlite``: the tables of one run in one SQLite database, for questions in SQL.

Built from the CSV files of the run's staging folder (so the database says exactly what the
tables say), with sqlite-utils: each table with its column types from the data dictionary
(:mod:`pipeline.publish.dictionary`), primary and foreign keys, indexes on every key, and
full-text search (accents and case aside) over sentences and titles. A few tables exist
only here, to join what the CSV files keep as lists: ``sentences`` (each distinct sentence
of ``mentions.csv``), ``event_institutions`` and ``edge_events``. Empty cells become NULL,
booleans 1/0. The file is written under a temporary name and renamed when complete.

>>> write_database(staging)  # doctest: +SKIP   after the CSV files, before publishing
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.publish.dictionary import Table, load_dictionary
from pipeline.publish.export import LIST_SEPARATOR, atomic_path, unquote

DATABASE_FILE = "prensa-red.sqlite"
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "documents": ("doc_id",), "events": ("event_id",), "entities": ("entity_id",),
    "nodes": ("entity_id",), "edges": ("source_id", "target_id"), "sentences": ("id",),
    "event_institutions": ("event_id", "entity_id"),
    "edge_events": ("source_id", "target_id", "event_id"), "texts": ("doc_id", "paragraph")}
# (table, column, referenced table, referenced column); a referenced table is created first.
FOREIGN_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("documents", "event_id", "events", "event_id"),
    ("documents", "duplicate_of", "documents", "doc_id"),
    ("mentions", "doc_id", "documents", "doc_id"),
    ("mentions", "entity_id", "entities", "entity_id"),
    ("affiliations", "doc_id", "documents", "doc_id"),
    ("affiliations", "person_id", "entities", "entity_id"),
    ("affiliations", "org_id", "entities", "entity_id"),
    ("dates", "doc_id", "documents", "doc_id"),
    ("texts", "doc_id", "documents", "doc_id"),
    ("nodes", "entity_id", "entities", "entity_id"),
    ("edges", "source_id", "nodes", "entity_id"),
    ("edges", "target_id", "nodes", "entity_id"),
    ("sentences", "doc_id", "documents", "doc_id"),
    ("event_institutions", "event_id", "events", "event_id"),
    ("event_institutions", "entity_id", "entities", "entity_id"),
    ("edge_events", "source_id", "nodes", "entity_id"),
    ("edge_events", "target_id", "nodes", "entity_id"),
    ("edge_events", "event_id", "events", "event_id"))
# The tables only the database has, and the CSV tables each is made from.
DERIVED_FROM: dict[str, set[str]] = {
    "sentences": {"mentions", "documents"},
    "event_institutions": {"mentions", "documents", "events", "entities"},
    "edge_events": {"edges", "nodes", "events"}}
# Columns searched often besides the keys.
INDEXES: tuple[tuple[str, ...], ...] = (
    ("entities", "label"), ("entities", "name"), ("nodes", "name"), ("events", "date"),
    ("documents", "published"), ("dates", "kind"), ("mentions", "label"))
FULL_TEXT: dict[str, tuple[str, ...]] = {
    "sentences": ("sentence",), "documents": ("title",), "events": ("title",)}
# unicode61 with diacritics removed: "fiscalia" finds "Fiscalía".
TOKENIZER = "unicode61 remove_diacritics 2"
_SQL_TYPES: dict[str, type] = {"integer": int, "real": float, "boolean": int}


def _converter(column_type: str) -> Callable[[str], Any]:
    """How a CSV cell of a dictionary type becomes a database value (empty: NULL)."""
    if column_type == "boolean":
        return lambda cell: None if cell == "" else int(cell == "true")
    if column_type in ("integer", "real"):
        number = _SQL_TYPES[column_type]
        return lambda cell: None if cell == "" else number(cell)
    return lambda cell: unquote(cell) if cell else None


def _csv_rows(path: Path, converters: list[Callable[[str], Any]]) -> Iterator[tuple[Any, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for cells in reader:
            yield tuple(convert(cell) for convert, cell in zip(converters, cells))


def _insert(db: sqlite_utils.Database, table: str, rows: Iterable[tuple[Any, ...]],
            width: int) -> None:
    """Rows in column order, as plain parameters: sqlite-utils' per-value checks on dicts
    took three quarters of the time of a large run's database."""
    db.conn.executemany(f"INSERT INTO [{table}] VALUES ({', '.join('?' * width)})", rows)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _create(db: sqlite_utils.Database, entry: Table, names: list[str]) -> sqlite_utils.db.Table:
    """An empty table with the CSV's columns, typed as the dictionary says (text when it
    does not know a column), and its keys."""
    types = {}
    for name in names:
        column = entry.column(name)
        types[name] = _SQL_TYPES.get(column.type, str) if column else str
    references = [(column, other, other_column)
                  for table, column, other, other_column in FOREIGN_KEYS
                  if table == entry.name and column in types]
    return db.table(entry.name).create(types, pk=_primary_key(entry.name),
                                       foreign_keys=references)


def _primary_key(name: str) -> str | tuple[str, ...] | None:
    key = PRIMARY_KEYS.get(name)
    return None if key is None else key[0] if len(key) == 1 else key


def _load_csv(db: sqlite_utils.Database, entry: Table, folder: Path) -> None:
    path = folder / entry.file
    if not path.is_file():
        return
    names = _header(path)
    converters = []
    for name in names:
        column = entry.column(name)
        converters.append(_converter(column.type if column else "text"))
    _create(db, entry, names)
    _insert(db, entry.name, _csv_rows(path, converters), len(names))


def _derived(db: sqlite_utils.Database, entry: Table) -> None:
    """The tables that join what the CSV files keep in text or as lists."""
    _create(db, entry, [c.name for c in entry.columns])
    if entry.name == "sentences":
        db.execute("INSERT INTO sentences (doc_id, sentence) SELECT doc_id, sentence "
                   "FROM mentions WHERE sentence IS NOT NULL GROUP BY doc_id, sentence "
                   "ORDER BY min(rowid)")
    elif entry.name == "event_institutions":
        db.execute("INSERT INTO event_institutions (event_id, entity_id) "
                   "SELECT DISTINCT d.event_id, m.entity_id FROM mentions m "
                   "JOIN documents d ON d.doc_id = m.doc_id WHERE m.label = 'ORG' "
                   "ORDER BY d.event_id, m.entity_id")
    elif entry.name == "edge_events":
        _insert(db, "edge_events", _edge_events(db), 4)


def _edge_events(db: sqlite_utils.Database) -> Iterator[tuple[str, str, str, int]]:
    query = "SELECT source_id, target_id, event_ids, sentence_event_ids FROM edges"
    for source, target, events, in_sentence in db.execute(query):
        together = set((in_sentence or "").split(LIST_SEPARATOR))
        for event_id in (events or "").split(LIST_SEPARATOR):
            if event_id:
                yield source, target, event_id, int(event_id in together)


def write_database(folder: Path) -> Path:
    """Write ``folder/prensa-red.sqlite`` from the CSV tables in ``folder``; return its path.

    Tables whose CSV file is absent are left out (with the tables derived from them).
    """
    destination = folder / DATABASE_FILE
    with atomic_path(destination) as temporary:
        db = sqlite_utils.Database(temporary, execute_plugins=False)
        try:
            # A half-built file is discarded anyway: no journal, no waiting for the disk.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            entries = [e for e in load_dictionary() if e.kind == "csv"]
            for entry in sorted(entries, key=lambda e: _depth(e.name)):
                _load_csv(db, entry, folder)
            present = set(db.table_names())
            for entry in (e for e in load_dictionary() if e.kind == "database"):
                if DERIVED_FROM[entry.name] <= present:
                    _derived(db, entry)
            for name, columns in FULL_TEXT.items():
                if name in db.table_names():
                    db.table(name).enable_fts(columns, tokenize=TOKENIZER)
            db.index_foreign_keys()
            for name, *columns in INDEXES:
                if name in present:
                    db.table(name).create_index(columns, if_not_exists=True)
            db.conn.commit()
            db.execute("ANALYZE")
        finally:
            db.close()
    return destination


def _depth(name: str) -> int:
    """How many tables a table refers to in a chain: referenced tables are created first."""
    return max((1 + _depth(other) for table, _, other, _ in FOREIGN_KEYS
                if table == name and other != name), default=0)
