"""The text ``evaluate`` prints: the figures, a summary of the error classes, then each
document's errors."""

from __future__ import annotations

from datetime import date

from pipeline.evaluate.gold import LABELS
from pipeline.evaluate.score import ERROR_CLASSES, PRF, Agreement, DateError, Report

_CLASS_NAMES = {"boundary": "boundary", "wrong_label": "wrong label", "spurious": "spurious",
                "missed": "missed"}


def _row(title: str, prf: PRF) -> str:
    return (f"{title:<22}{prf.tp:>6}{prf.fp:>6}{prf.fn:>6}"
            f"{prf.precision:>11.3f}{prf.recall:>8.3f}{prf.f1:>8.3f}")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "none"


def _date_lines(errors: tuple[DateError, ...]) -> list[str]:
    return [f"  {e.doc_key}: gold {_day(e.gold)}, predicted {_day(e.predicted)}" for e in errors]


def _agreement_lines(title: str, agreement: Agreement, what: str) -> list[str]:
    """"Sector: 310 / 330 correct (93.9%) of …", then each disagreement."""
    if not agreement.total:
        return []
    right = agreement.total - len(agreement.errors)
    return [f"{title}: {right} / {agreement.total} correct ({agreement.accuracy:.1%}) {what}"] \
        + [f"  {e.doc_key}: {e.name}: gold {e.gold}, predicted {e.predicted or 'none'}"
           for e in agreement.errors]


def format_report(report: Report) -> str:
    """The figures, then the error classes, then each document's errors."""
    lines = [f"{'':<22}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}{'F1':>8}"]
    lines += [_row(f"{label} entities", report.entities[label]) for label in LABELS]
    lines += [_row(f"{label} identity (pairs)", report.identity[label]) for label in LABELS]
    lines.append(_row("Edges (ORG pairs)", report.edges))
    lines.append(_row("Event dates", report.event_dates))
    lines.append(_row("GBV prevention", report.gbv))
    lines.append(f"\nPublication date: {report.dates_correct} / {report.dates_stated} correct "
                 f"({report.date_accuracy:.1%}) of the files that state one; "
                 f"{len(report.spurious_dates)} read in a text that states none")
    lines += _date_lines(report.date_errors)
    lines += _date_lines(report.spurious_dates)
    lines += _agreement_lines("Sector", report.sector, "of the matched institutions the gold "
                              "gives one")
    lines += _agreement_lines("Jurisdiction", report.jurisdiction, "of the matched municipal "
                              "bodies whose municipality is known")
    if report.url_dates:
        lines.append(f"URL dates: {report.url_dates - len(report.url_date_errors)} / "
                     f"{report.url_dates} of the files without a stated date whose URL "
                     "carries one (gold = the URL's date)")
        lines += _date_lines(report.url_date_errors)
    if report.missing_docs:
        lines.append(f"\nMissing documents (no prediction; all their entities count as FN): "
                     f"{', '.join(report.missing_docs)}")
    if report.unannotated_docs:
        lines.append(f"Not in gold (not scored): {', '.join(report.unannotated_docs)}")
    lines.append("\nErrors by class (boundary: shares a content word with a leftover of the "
                 "other side; wrong label: ORG as PER or the reverse):")
    classes = report.error_classes()
    lines.append(f"{'':<8}" + "".join(f"{_CLASS_NAMES[c]:>13}" for c in ERROR_CLASSES))
    for label in LABELS:
        lines.append(f"  {label:<6}" + "".join(f"{classes[label][c]:>13}" for c in ERROR_CLASSES))
    lines.append("\nPer-document errors (FP = predicted, unmatched; FN = gold, missed):")
    current = None
    for error in report.errors:
        if error.doc_key != current:
            current = error.doc_key
            lines.append(f"  {current}")
        others = [form for form in error.forms if form != error.name]
        also = f"  [{'; '.join(others)}]" if others else ""
        lines.append(f"    {error.label} {error.kind}  {error.name}{also}  "
                     f"({_CLASS_NAMES[error.error_class]})")
    if not report.errors:
        lines.append("  none")
    return "\n".join(lines)
