"""``explore``: ``prensa-red.sqlite`` in Datasette, in the browser, without internet.

The metadata Datasette shows (Spanish titles and column descriptions) comes from the data
dictionary (:mod:`pipeline.publish.dictionary`) and the canned queries from
``resources/dictionary/queries.toml``. The database is opened immutable, so serving it
never changes the file ``run.json`` vouches for.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.knowledge import KnowledgeError
from pipeline.publish.database import DATABASE_FILE
from pipeline.publish.dictionary import DICTIONARY_DIR, TYPE_LABELS, load_dictionary
from pipeline.publish.outputs import verify

QUERIES_FILE = DICTIONARY_DIR / "queries.toml"
DATABASE_NAME = Path(DATABASE_FILE).stem  # Datasette names a database after its file
# How Datasette opens each table: the column that names a row (shown beside the keys that
# point to it) and the order of its rows.
_TABLE_VIEWS: dict[str, dict[str, str]] = {
    "entities": {"label_column": "name"}, "nodes": {"label_column": "name",
                                                    "sort_desc": "n_events"},
    "documents": {"label_column": "title", "sort_desc": "published"},
    "events": {"label_column": "title", "sort_desc": "date"},
    "edges": {"sort_desc": "weight"}}


class ExploreError(InputError):
    """No database to serve, or no Datasette to serve it with."""


def canned_queries() -> dict[str, dict[str, str]]:
    """The queries of ``queries.toml`` by name, each with its title, description and SQL."""
    try:
        queries = tomllib.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{QUERIES_FILE}: {exc}") from None
    for name, query in queries.items():
        if not isinstance(query, dict) or set(query) != {"title", "description", "sql"}:
            raise KnowledgeError(f"{QUERIES_FILE}: [{name}] must have exactly title, "
                                 "description and sql")
    return queries


def datasette_metadata() -> dict[str, Any]:
    """Datasette's metadata: the dictionary's titles and descriptions, and the queries."""
    tables = {}
    for entry in load_dictionary():
        if entry.in_database:
            tables[entry.name] = {
                "title": entry.title,
                "description": f"Una fila por {entry.row}. {entry.description}",
                "columns": {c.name: f"{TYPE_LABELS[c.type]}: {c.description}"
                            for c in entry.columns},
                **_TABLE_VIEWS.get(entry.name, {})}
    return {"title": "prensa-red",
            "description": "Quién trabaja con quién en la prevención de la violencia de "
                           "género, según los comunicados de prensa municipales: las tablas "
                           "de una ejecución de extract. Las columnas se describen en cada "
                           "tabla y en docs/datos.md.",
            "databases": {DATABASE_NAME: {"tables": tables, "queries": canned_queries()}}}


def database_path(folder: Path) -> Path:
    """``folder``'s database, after checking the folder holds one run's whole set."""
    verify(folder)
    database = folder / DATABASE_FILE
    if not database.is_file():
        raise ExploreError(f"{folder} has no {DATABASE_FILE} (it was written by an older "
                           f"version); rerun `python -m pipeline extract --output {folder}`")
    return database


def _check_free(host: str, port: int) -> None:
    """A clear error now, rather than Datasette's traceback once it has loaded."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise ExploreError(f"cannot listen on {host}:{port} ({exc.strerror}); is another "
                           "explore running? Choose another port: --port N (make explore "
                           "PORT=N)") from None


def serve(folder: Path, *, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Serve ``folder``'s database with Datasette until interrupted; return the exit status."""
    database = database_path(folder)
    _check_free(host, port)
    if importlib.util.find_spec("datasette") is None:
        raise ExploreError("Datasette is not installed; `make explore` installs it, or run "
                           "`.venv/bin/pip install -e '.[explore]'`")
    from datasette.cli import cli  # a few seconds to import: only for this command

    with tempfile.TemporaryDirectory(prefix="prensa-red-explore-") as scratch:
        metadata = Path(scratch) / "metadata.json"
        metadata.write_text(json.dumps(datasette_metadata(), ensure_ascii=False),
                            encoding="utf-8")
        arguments = ["serve", "--immutable", str(database), "--metadata", str(metadata),
                     "--host", host, "--port", str(port)]
        try:
            cli.main(arguments, prog_name="datasette", standalone_mode=False)
        except KeyboardInterrupt:
            pass
    return 0
