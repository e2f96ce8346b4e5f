"""An evaluation's figures as one JSON-ready object (``evaluate --json``).

Every measure of a :class:`Report` that is a :class:`PRF` (or a mapping of them, per label)
becomes ``{"tp", "fp", "fn", "precision", "recall", "f1"}`` under its field's name, so a
measure added to the report appears here without a change; counts stay numbers, and the
error lists are left to the text report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from pipeline.evaluate.score import PRF, Report


def prf_figures(prf: PRF) -> dict[str, float]:
    return {"tp": prf.tp, "fp": prf.fp, "fn": prf.fn, "precision": round(prf.precision, 4),
            "recall": round(prf.recall, 4), "f1": round(prf.f1, 4)}


def report_figures(report: Report) -> dict[str, Any]:
    """The report's measures and counts, keyed by field name."""
    figures: dict[str, Any] = {}
    for field in fields(report):
        value = getattr(report, field.name)
        if isinstance(value, PRF):
            figures[field.name] = prf_figures(value)
        elif isinstance(value, Mapping) and value and all(
                isinstance(v, PRF) for v in value.values()):
            figures[field.name] = {key: prf_figures(v) for key, v in value.items()}
        elif isinstance(value, int) and not isinstance(value, bool):
            figures[field.name] = value
    figures["date_accuracy"] = round(report.date_accuracy, 4)
    return figures


ORACLE_MEASURES = (("ORG entities", ("entities", "ORG")),
                   ("PER entities", ("entities", "PER")),
                   ("ORG identity (pairs)", ("identity", "ORG")),
                   ("Edges (ORG pairs)", ("edges",)), ("GBV prevention", ("gbv",)))


def _at(figures: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, float]:
    for part in path:
        figures = figures[part]
    return figures


def format_oracle(oracle: Mapping[str, Any]) -> str:
    """The review oracle's answers and the figures before and after its corrections."""
    lines = [f"\nReview oracle: the top {oracle['k']} rows of the review sheet answered from "
             f"the gold ({oracle['accepted']} accepted, {oracle['rows'] - oracle['accepted']} "
             "rejected), applied as corrections",
             f"{'':<22}{'P before':>10}{'P after':>9}{'R before':>10}{'R after':>9}"
             f"{'F1 before':>11}{'F1 after':>10}"]
    for title, path in ORACLE_MEASURES:
        before, after = _at(oracle["before"], path), _at(oracle["after"], path)
        lines.append(f"{title:<22}" + "".join(
            f"{before[m]:>{w}.3f}{after[m]:>{w - 1}.3f}"
            for m, w in (("precision", 10), ("recall", 10), ("f1", 11))))
    for row in oracle["answers"]:
        lines.append(f"  {row['rank']:>3} {row['decision']:<7} {row['suggestion']} "
                     f"{row['name']} {row['suggested_value']}".rstrip())
    return "\n".join(lines)
