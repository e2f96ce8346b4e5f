"""The data dictionary: every output file and column, described in Spanish for the analysts.

One source (``resources/dictionary/tables.tsv`` and ``columns.tsv``) for the generated part
of ``docs/datos.md``, the column types of ``prensa-red.sqlite`` and the descriptions Datasette
shows. ``python -m pipeline.publish.dictionary docs/datos.md`` rewrites the generated part of
the page; with ``--check`` it only says whether the page is current (``make docs`` checks).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from pipeline.config import RESOURCES_DIR
from pipeline.knowledge import KnowledgeError, data_lines
from pipeline.publish.export import atomic_path

DICTIONARY_DIR = RESOURCES_DIR / "dictionary"
TABLES_FILE = DICTIONARY_DIR / "tables.tsv"
COLUMNS_FILE = DICTIONARY_DIR / "columns.tsv"

Kind = Literal["csv", "database", "graph", "sqlite", "json"]
ColumnType = Literal["id", "text", "integer", "real", "date", "boolean", "list"]
# How each type reads in the Spanish page.
TYPE_LABELS: dict[str, str] = {
    "id": "identificador", "text": "texto", "integer": "número entero",
    "real": "número decimal", "date": "fecha", "boolean": "verdadero/falso",
    "list": "lista"}
GENERATED_BEGIN = ("<!-- begin: generated from pipeline/resources/dictionary by "
                   "`python -m pipeline.publish.dictionary docs/datos.md`; edit those files -->")
GENERATED_END = "<!-- end: generated -->"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    description: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the table's name in prensa-red.sqlite, and the CSV's stem
    file: str
    kind: Kind
    title: str
    row: str  # what one row is ("comunicado leído"); "—" for files without rows
    description: str
    columns: tuple[Column, ...]

    @property
    def in_database(self) -> bool:
        return self.kind in ("csv", "database")

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _fields(path: Path, number: int, line: str, count: int) -> list[str]:
    fields = line.split("\t")
    if len(fields) != count or not all(f.strip() for f in fields):
        raise KnowledgeError(f"{path}:{number}: expected {count} non-empty fields separated "
                             f"by tabs, got {len(fields)}")
    return [f.strip() for f in fields]


def _choice(path: Path, number: int, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise KnowledgeError(f"{path}:{number}: {value!r} is invalid; value must be one of "
                             f"{', '.join(allowed)}")
    return value


@cache
def load_dictionary() -> tuple[Table, ...]:
    """The output files in the order of ``tables.tsv``, each with its columns."""
    columns: dict[str, list[Column]] = {}
    for number, line in data_lines(COLUMNS_FILE):
        table, name, kind, description = _fields(COLUMNS_FILE, number, line, 4)
        column_type = _choice(COLUMNS_FILE, number, kind, get_args(ColumnType))
        if any(c.name == name for c in columns.get(table, [])):
            raise KnowledgeError(f"{COLUMNS_FILE}:{number}: {table}.{name} is described twice")
        columns.setdefault(table, []).append(
            Column(name, column_type, description))  # type: ignore[arg-type]
    tables = []
    for number, line in data_lines(TABLES_FILE):
        name, file, kind, title, row, description = _fields(TABLES_FILE, number, line, 6)
        tables.append(Table(name, file, _choice(TABLES_FILE, number, kind,  # type: ignore[arg-type]
                                                 get_args(Kind)),
                            title, row, description, tuple(columns.pop(name, ()))))
    if columns:
        raise KnowledgeError(f"{COLUMNS_FILE}: columns of tables {', '.join(sorted(columns))} "
                             f"that {TABLES_FILE.name} does not list")
    return tuple(tables)


def table(name: str) -> Table:
    """The dictionary's entry for one table (``documents``, ``sentences``, …)."""
    for entry in load_dictionary():
        if entry.name == name:
            return entry
    raise KeyError(name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown() -> str:
    """The dictionary as the body of ``docs/datos.md``: one section per file."""
    parts = []
    for entry in load_dictionary():
        parts.append(f"## {entry.title}: `{entry.file}`\n")
        lead = f"Una fila por {entry.row}. " if entry.row != "—" else ""
        parts.append(f"{lead}{entry.description}\n")
        if entry.columns:
            heading = "campo" if entry.kind == "json" else "columna"
            rows = [f"| {heading} | tipo | qué dice |", "|---|---|---|"]
            rows += [f"| `{c.name}` | {TYPE_LABELS[c.type]} | {_cell(c.description)} |"
                     for c in entry.columns]
            parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def with_generated(page: str) -> str:
    """``page`` with the text between its generated markers replaced by :func:`markdown`."""
    head, begin, rest = page.partition(GENERATED_BEGIN)
    _, end, tail = rest.partition(GENERATED_END)
    if not begin or not end:
        raise KnowledgeError(f"the page lacks the markers {GENERATED_BEGIN!r} and "
                             f"{GENERATED_END!r} around its generated part")
    return f"{head}{GENERATED_BEGIN}\n\n{markdown()}\n{GENERATED_END}{tail}"


def refresh(path: Path) -> bool:
    """Rewrite the generated part of the page at ``path``; return True if it changed."""
    page = path.read_text(encoding="utf-8")
    updated = with_generated(page)
    if updated != page:
        with atomic_path(path) as temporary:
            temporary.write_text(updated, encoding="utf-8")
    return updated != page


def main(arguments: list[str]) -> int:
    """Rewrite the generated part of each page named (``--check``: report stale pages, 1)."""
    check = "--check" in arguments
    stale = []
    for page in (Path(a) for a in arguments if a != "--check"):
        text = page.read_text(encoding="utf-8")
        if with_generated(text) != text:
            stale.append(page)
            if not check:
                refresh(page)
                print(f"updated {page} from {DICTIONARY_DIR}", file=sys.stderr)
    for page in stale if check else ():
        print(f"error: {page} is out of date with {DICTIONARY_DIR}; run `.venv/bin/python -m "
              f"pipeline.publish.dictionary {page}`", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
