"""Write tables and graphs for people: atomic, UTF-8 with BOM, spreadsheet-safe.

Every output is written to a temporary file beside its destination and renamed into place
only when complete, so an interrupted run never leaves half a file.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime
from functools import cache
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import networkx as nx

from pipeline.errors import OutputError
from pipeline.publish.gexf import write_gexf

# A cell starting with one of "=+-@" (or a tab or a carriage return, which no cell holds:
# see _BREAKS) is run as a formula by Excel and LibreOffice, unless it is a plain number;
# apostrophes before one are guarded too, so that reading back (:func:`unquote`) restores
# every value without control characters exactly.
_FORMULA = re.compile(r"'*[=+\-@]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
LIST_SEPARATOR = "; "
# Line breaks and tabs inside a value (a name split over two lines of its release, a title
# with a line separator) become one space, and any other control character a space each, so
# that no cell holds a control character: a spreadsheet or a reader of the CSV line by line
# sees one value on one line. A paragraph of texts.csv holds no line break, so its length
# (and the offsets into it) stay as they were.
_BREAKS = re.compile(r"[ ]*[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]+[ ]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def ensure_folder(folder: Path) -> Path:
    """Create ``folder`` (and parents) if needed; a path that cannot be one is a user error."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot use {folder} as the output folder ({exc.strerror}); "
                          "choose another --output") from None
    return folder


@contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """Yield a temporary path that replaces ``destination`` if the block succeeds."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp",
                                    dir=destination.parent)
    os.close(handle)
    temporary = Path(name)
    os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
    try:
        yield temporary
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def plain_text(text: str) -> str:
    """``text`` on one line: line breaks and tabs (with the spaces around them) as one space,
    other control characters as a space each.

    >>> plain_text("Claudia\\n\\nSheinbaum\\x07")
    'Claudia Sheinbaum '
    """
    return _CONTROL.sub(" ", _BREAKS.sub(" ", text))


def cell(value: Any) -> str:
    """A value as a CSV cell: ISO dates, true/false, lists joined, no control characters
    (:func:`plain_text`), formulas neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        value = LIST_SEPARATOR.join(str(item) for item in items)
    text = plain_text(str(value))
    if _FORMULA.match(text) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def record_row(record: Any) -> dict[str, Any]:
    """A record's fields by name, as a table row: the values themselves (``asdict`` would
    copy every one of them deeply, for rows that are only read)."""
    return {name: getattr(record, name) for name in _field_names(type(record))}


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(field.name for field in fields(kind))


def unquote(text: str) -> str:
    """A cell's value as it was before :func:`cell` guarded it.

    >>> [unquote(cell(v)) for v in ("=1+1", "'=1+1", "-inf", "'hola", "-2.5")]
    ['=1+1', "'=1+1", '-inf', "'hola", '-2.5']
    """
    return text[1:] if text.startswith("'") and _FORMULA.match(text) else text


class CsvTable:
    """A CSV file written row by row and published atomically on close.

    >>> with CsvTable(Path("out.csv"), ["a", "b"]) as table:  # doctest: +SKIP
    ...     table.write({"a": 1, "b": None})
    """

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        self.path = path
        self.columns = list(columns)
        self.rows = 0
        self._context = atomic_path(path)
        self._handle: IO[str] | None = None

    def __enter__(self) -> CsvTable:
        temporary = self._context.__enter__()
        self._handle = temporary.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._handle)
        self._writer.writerow(self.columns)
        return self

    def write(self, row: dict[str, Any]) -> None:
        self._writer.writerow([cell(row.get(column)) for column in self.columns])
        self.rows += 1

    def write_all(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.write(row)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        assert self._handle is not None
        self._handle.close()
        self._context.__exit__(kind, error, trace)


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> int:
    """Write a whole table; return the number of rows."""
    with CsvTable(path, columns) as table:
        table.write_all(rows)
    return table.rows


def _scalar_attributes(graph: nx.Graph, *, in_place: bool = False) -> nx.Graph:
    """``graph`` (or a copy) whose list and date attributes are strings (GraphML and GEXF
    take scalars) and whose strings hold no control character."""
    flat = graph if in_place else graph.copy()
    attributes = [data for _, data in flat.nodes(data=True)]
    attributes += [data for *_, data in flat.edges(data=True)]
    dates: dict[date, str] = {}  # one string per day: a network's dates repeat on many edges
    for data in attributes:
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = dates.setdefault(value, cell(value))
            elif isinstance(value, (list, tuple, set, frozenset)) or value is None:
                data[key] = cell(value)
            elif isinstance(value, str):
                data[key] = plain_text(value)
    return flat


def write_graph(graph: nx.Graph, *, gexf: Path | None = None, graphml: Path | None = None,
                time: tuple[str, str] | None = None, in_place: bool = False) -> None:
    """Write ``graph`` as GEXF and/or GraphML, atomically.

    ``time`` names the date attributes that bound each node's and edge's life, e.g.
    ``("first_date", "last_date")``: the GEXF becomes dynamic, so Gephi's timeline plays it.
    Elements without dates are present throughout and carry ``undated`` = true. The GEXF's
    nodes are labelled with their ``name`` and coloured, sized and placed (see
    :mod:`pipeline.publish.gexf`). ``in_place`` turns ``graph``'s own list and date
    attributes into strings instead of copying it: for a graph not used afterwards (a large
    network's copy would double its memory).
    """
    flat = _scalar_attributes(graph, in_place=in_place)
    if gexf is not None:
        with atomic_path(gexf) as temporary, temporary.open("w", encoding="utf-8") as handle:
            write_gexf(flat, handle, time=time)
    if graphml is not None:
        with atomic_path(graphml) as temporary:
            nx.write_graphml(flat, temporary)
