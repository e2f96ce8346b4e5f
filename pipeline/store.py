"""Per-document results between the two stages.

:class:`ResultSpool` keeps one run's :class:`DocumentResult` records in a temporary file
beside the outputs, so memory holds none of them and the corpus stage can read them twice
(identities first, then the tables). Records travel as plain JSON-able dicts
(:func:`to_record`, :func:`from_record`), the form any store of results can hold.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, fields
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from pipeline.records import Affiliation, DateMention, DocumentResult, Mention


def to_record(result: DocumentResult) -> dict[str, Any]:
    """``result`` as a dict of JSON types (dates as ISO strings, tuples as lists)."""
    record = asdict(result)
    record["published"] = result.published.isoformat() if result.published else None
    for item in record["dates"]:
        item["value"] = item["value"].isoformat() if item["value"] else None
    return record


def from_record(record: dict[str, Any]) -> DocumentResult:
    """The inverse of :func:`to_record`."""
    values = {f.name: record[f.name] for f in fields(DocumentResult)}
    values["published"] = date.fromisoformat(record["published"]) if record["published"] \
        else None
    values["gbv_terms"] = tuple(record["gbv_terms"])
    values["signature"] = tuple(record["signature"])
    values["mentions"] = tuple(Mention(**m) for m in record["mentions"])
    values["dates"] = tuple(DateMention(**{**d, "value": date.fromisoformat(d["value"])
                                           if d["value"] else None}) for d in record["dates"])
    values["affiliations"] = tuple(Affiliation(**a) for a in record["affiliations"])
    return DocumentResult(**values)


class ResultSpool:
    """A temporary, re-readable sequence of DocumentResults (deleted on close).

    >>> with ResultSpool(Path(".")) as spool:  # doctest: +SKIP
    ...     spool.extend(results)
    ...     first_pass = [r.doc_id for r in spool]
    """

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._handle: IO[str] | None = None
        self.count = 0

    def __enter__(self) -> ResultSpool:
        self._handle = tempfile.TemporaryFile("w+", encoding="utf-8", dir=self._folder,
                                              prefix=".spool-")
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        assert self._handle is not None
        self._handle.close()

    def extend(self, results: Iterable[DocumentResult]) -> None:
        assert self._handle is not None
        self._handle.seek(0, 2)
        for result in results:
            self._handle.write(json.dumps(to_record(result), ensure_ascii=False) + "\n")
            self.count += 1

    def __iter__(self) -> Iterator[DocumentResult]:
        assert self._handle is not None
        self._handle.seek(0)
        for line in self._handle:
            yield from_record(json.loads(line))
