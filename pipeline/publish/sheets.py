"""Correction sheets as files: the analyst's corrections file and the review sheet, read and
written, and what a run did with each row.

A corrections file is a CSV with the columns ``action, target, value, note`` (and optionally
``decision``); a filled review sheet is one too, read through its own columns
(``suggestion``, ``target``, ``suggested_value``, ``reason``, ``decision``). Only a row whose
``decision`` is ``accept`` applies where the file has that column; an empty decision is a
row not yet reviewed. Files saved by a spreadsheet are read as they come: UTF-8 with or
without a byte-order mark (else Windows-1252, as Excel in Spanish saves "CSV"), commas or
semicolons, cells that :mod:`pipeline.publish.export` guarded against formulas restored.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.corpus.corrected import Outcome
from pipeline.corpus.corrections import CorrectionsError, check_corrections
from pipeline.knowledge import fold
from pipeline.publish import export
from pipeline.records import Correction, ReviewRow

logger = logging.getLogger(__name__)

CORRECTIONS_FILE = "corrections.csv"  # picked up from the input folder
CORRECTION_COLUMNS = ["action", "target", "value", "note"]
REVIEW_COLUMNS = ["rank", "kind", "target", "name", "label", "jurisdiction", "suggestion",
                  "suggested_value", "reason", "evidence", "decision"]
APPLIED_FILE, UNMATCHED_FILE = "corrections_applied.csv", "corrections_unmatched.csv"
APPLIED_COLUMNS = ["line", "action", "target", "value", "note", "entity_ids", "names"]
UNMATCHED_COLUMNS = ["line", "action", "target", "value", "note", "reason"]
ACCEPT, REJECT = frozenset({"accept", "aceptar"}), frozenset({"reject", "rechazar"})
# The review sheet's columns that play a corrections file's parts.
_SHEET = {"action": "suggestion", "value": "suggested_value", "note": "reason"}


@dataclass(frozen=True, slots=True)
class CorrectionsFile:
    """The rows of a corrections file that apply, with the file's path and SHA-256."""

    path: Path
    sha256: str
    corrections: tuple[Correction, ...]
    rows: int  # rows read, accepted or not
    rejected: tuple[Correction, ...] = ()  # rows whose decision is reject


def _text(path: Path) -> tuple[str, bytes]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorrectionsError(f"cannot read corrections file {path} ({exc.strerror}); give "
                               "a CSV file with --corrections") from None
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError:
        logger.warning("corrections file %s is not UTF-8; read as Windows-1252", path)
        return data.decode("cp1252", errors="replace"), data


def read_corrections(path: Path) -> CorrectionsFile:
    """The corrections in ``path``, checked (:func:`check_corrections`).

    Raises:
        CorrectionsError: an unreadable file, a missing column, a decision other than accept
            or reject, or a row :func:`check_corrections` refuses; naming the line.
    """
    text, data = _text(path)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    corrections: list[Correction] = []
    rejected: list[Correction] = []
    rows = 0
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        cells = [export.unquote(c.strip()) for c in cells]
        if not any(cells):
            continue
        if header is None:
            header = [fold(c).replace(" ", "_") for c in cells]
            columns = _columns(header, path)
            continue
        rows += 1
        row = {name: cells[i] if i < len(cells) else "" for name, i in columns.items()}
        decision = fold(row.get("decision", ""))
        if decision and decision not in ACCEPT | REJECT:
            raise CorrectionsError(f"corrections file {path}, line {line}: decision "
                                   f"{row['decision']!r} is invalid; write accept or reject "
                                   "(or leave it empty)")
        if "decision" in columns and decision not in ACCEPT:
            if decision in REJECT:
                rejected.append(_correction(line, row))
            continue
        corrections.append(_correction(line, row))
    if header is None:
        raise CorrectionsError(f"corrections file {path} is empty; it needs a header row "
                               f"{','.join(CORRECTION_COLUMNS)}")
    check_corrections(corrections, str(path))
    return CorrectionsFile(path, hashlib.sha256(data).hexdigest(), tuple(corrections), rows,
                           tuple(rejected))


def _correction(line: int, row: dict[str, str]) -> Correction:
    return Correction(line, fold(row["action"]).replace(" ", "_"), row["target"], row["value"],
                      row["note"])


def _columns(header: list[str], path: Path) -> dict[str, int]:
    """Where each part of a correction is: a corrections file's columns, else a sheet's."""
    parts = {part: _SHEET[part] if part in _SHEET and part not in header
             and _SHEET[part] in header else part for part in CORRECTION_COLUMNS}
    if "action" not in header and "suggestion" in header and "decision" not in header:
        raise CorrectionsError(f"corrections file {path}: a review sheet needs its decision "
                               "column (accept or reject on each row)")
    if missing := [part for part, column in parts.items() if column not in header]:
        raise CorrectionsError(f"corrections file {path}, line 1: missing column(s) "
                               f"{', '.join(missing)}; the header must be "
                               f"{','.join(CORRECTION_COLUMNS)}")
    columns = {part: header.index(column) for part, column in parts.items()}
    if "decision" in header:
        columns["decision"] = header.index("decision")
    return columns


def corrections_file(input_path: Path, given: Path | None) -> Path | None:
    """The corrections file of a run: the one given, else ``corrections.csv`` in the input
    folder when there is one."""
    if given is not None:
        if not given.is_file():
            raise CorrectionsError(f"corrections file {given} does not exist; give a CSV "
                                   f"with the columns {','.join(CORRECTION_COLUMNS)}")
        return given
    found = input_path / CORRECTIONS_FILE
    return found if input_path.is_dir() and found.is_file() else None


def write_review(path: Path, rows: Sequence[ReviewRow]) -> int:
    """The review sheet, one row per :class:`ReviewRow`, best first."""
    return export.write_csv(path, REVIEW_COLUMNS, map(export.record_row, rows))


def write_outcomes(folder: Path, outcomes: Sequence[Outcome]) -> tuple[int, int]:
    """``corrections_applied.csv`` and ``corrections_unmatched.csv``; their row counts."""
    def base(outcome: Outcome) -> dict[str, object]:
        return export.record_row(outcome.correction)

    applied = export.write_csv(folder / APPLIED_FILE, APPLIED_COLUMNS, (
        {**base(o), "entity_ids": o.entity_ids, "names": o.names}
        for o in outcomes if not o.unmatched))
    unmatched = export.write_csv(folder / UNMATCHED_FILE, UNMATCHED_COLUMNS, (
        {**base(o), "reason": o.unmatched} for o in outcomes if o.unmatched))
    return applied, unmatched
