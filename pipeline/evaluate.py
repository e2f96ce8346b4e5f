"""Score pipeline output against hand annotations (the protocol of the corpus README).

Per document and label, a predicted entity (the surface forms one ``entity_id`` got in the
document, plus its canonical name) matches a gold entity (name plus mentions/aliases) when they
share a normalised form; matching is one-to-one and maximises true positives, so an institution
split in two counts one TP and one FP. Figures are micro-averaged over the corpus. Identity is
scored on pairs of matched entities in different documents: same gold name should mean same
``entity_id`` and different gold names different ids.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import combinations
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Literal

import networkx as nx

from pipeline.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

EntityLabel = Literal["PER", "ORG"]
LABELS: tuple[EntityLabel, ...] = ("PER", "ORG")
ARTICLES = frozenset({"el", "la", "los", "las", "del", "de"})


class GoldError(InputError):
    """A gold file that does not follow the corpus README's format; names file:line."""


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """A hand-annotated person or institution in one document."""

    label: EntityLabel
    name: str
    forms: frozenset[str]  # name plus mentions (PER) or aliases (ORG), as written
    sector: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDoc:
    doc_key: str
    published: date | None
    gbv: bool
    entities: tuple[GoldEntity, ...]


@dataclass(frozen=True, slots=True)
class PredictedEntity:
    entity_id: str
    label: str
    name: str  # canonical name
    forms: frozenset[str]  # surface forms this entity_id got in the document


@dataclass(frozen=True, slots=True)
class PredictedDoc:
    doc_key: str
    published: date | None
    gbv: bool
    entities: tuple[PredictedEntity, ...]


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts with precision, recall and F1 (0.0 when a denominator is 0)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 0.0


@dataclass(frozen=True, slots=True)
class EntityError:
    """An unmatched entity: a false positive (predicted) or a false negative (gold)."""

    doc_key: str
    label: EntityLabel
    kind: Literal["FP", "FN"]
    name: str
    forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DateError:
    doc_key: str
    gold: date | None
    predicted: date | None


@dataclass(frozen=True, slots=True)
class Report:
    entities: Mapping[EntityLabel, PRF]
    identity: Mapping[EntityLabel, PRF]
    dates_correct: int
    dates_stated: int  # gold documents whose `published` is not null
    date_errors: tuple[DateError, ...]  # stated in gold, predicted wrong or missing
    spurious_dates: tuple[DateError, ...]  # predicted where gold says the text states none
    gbv: PRF
    errors: tuple[EntityError, ...]
    missing_docs: tuple[str, ...]  # gold documents with no prediction
    unannotated_docs: tuple[str, ...]  # predictions with no gold (not scored)

    @property
    def date_accuracy(self) -> float:
        return self.dates_correct / self.dates_stated if self.dates_stated else 0.0


def normalise(form: str) -> str:
    """The comparison key of a surface form: no accents, case, punctuation, spaces or article.

    Leading articles are dropped one after another ("de la Fiscalía" → "fiscalia"), as long as
    a word remains, because "de" + "la" are both in the protocol's list.

    >>> normalise("del Instituto Municipal de las Mujeres (IMM).")
    'institutomunicipaldelasmujeresimm'
    """
    decomposed = unicodedata.normalize("NFKD", form.casefold())
    kept = "".join(c if unicodedata.category(c)[0] in "LN" else " "
                   for c in decomposed if not unicodedata.combining(c))
    words = kept.split()
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return "".join(words)


def _keys(forms: Iterable[str]) -> frozenset[str]:
    return frozenset(key for key in map(normalise, forms) if key)


def _match(gold: list[GoldEntity], predicted: list[PredictedEntity]) -> list[tuple[int, int]]:
    """``(gold index, predicted index)`` pairs of a maximum one-to-one matching.

    Among the matchings with the most pairs, the one sharing the most forms wins, so that the
    reported false positive of a split entity is its smaller part.
    """
    graph = nx.Graph()
    pred_keys = [_keys(p.forms | {p.name}) for p in predicted]
    for g_index, g in enumerate(gold):
        g_keys = _keys(g.forms | {g.name})
        for p_index, keys in enumerate(pred_keys):
            if shared := len(g_keys & keys):
                graph.add_edge(("g", g_index), ("p", p_index), weight=shared)
    pairs = nx.max_weight_matching(graph, maxcardinality=True)
    return sorted((a[1], b[1]) if a[0] == "g" else (b[1], a[1]) for a, b in pairs)


def _identity(matches: list[tuple[str, GoldEntity, PredictedEntity]]) -> PRF:
    tp = fp = fn = 0
    for (doc_a, gold_a, pred_a), (doc_b, gold_b, pred_b) in combinations(matches, 2):
        if doc_a == doc_b:
            continue
        same_gold = normalise(gold_a.name) == normalise(gold_b.name)
        same_pred = pred_a.entity_id == pred_b.entity_id
        tp += same_gold and same_pred
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    return PRF(tp, fp, fn)


def score(gold: Mapping[str, GoldDoc], predicted: Mapping[str, PredictedDoc]) -> Report:
    """Compare predictions with gold documents of the same key; see the module docstring."""
    counts = {label: [0, 0, 0] for label in LABELS}
    matches: dict[EntityLabel, list[tuple[str, GoldEntity, PredictedEntity]]] = {
        label: [] for label in LABELS}
    errors: list[EntityError] = []
    date_errors: list[DateError] = []
    spurious: list[DateError] = []
    gbv = [0, 0, 0]
    for key in sorted(gold):
        truth = gold[key]
        guess = predicted.get(key, PredictedDoc(key, None, False, ()))
        for label in LABELS:
            gold_ents = [e for e in truth.entities if e.label == label]
            pred_ents = [e for e in guess.entities if e.label == label]
            pairs = _match(gold_ents, pred_ents)
            counts[label][0] += len(pairs)
            matches[label].extend((key, gold_ents[g], pred_ents[p]) for g, p in pairs)
            matched_pred = {p for _, p in pairs}
            for index, p in enumerate(pred_ents):
                if index not in matched_pred:
                    counts[label][1] += 1
                    errors.append(EntityError(key, label, "FP", p.name, tuple(sorted(p.forms))))
            matched_gold = {g for g, _ in pairs}
            for index, g in enumerate(gold_ents):
                if index not in matched_gold:
                    counts[label][2] += 1
                    errors.append(EntityError(key, label, "FN", g.name, tuple(sorted(g.forms))))
        if truth.published is not None and guess.published != truth.published:
            date_errors.append(DateError(key, truth.published, guess.published))
        elif truth.published is None and guess.published is not None:
            spurious.append(DateError(key, None, guess.published))
        gbv[0] += truth.gbv and guess.gbv
        gbv[1] += guess.gbv and not truth.gbv
        gbv[2] += truth.gbv and not guess.gbv
    stated = sum(doc.published is not None for doc in gold.values())
    return Report(
        entities={label: PRF(*counts[label]) for label in LABELS},
        identity={label: _identity(matches[label]) for label in LABELS},
        dates_correct=stated - len(date_errors),
        dates_stated=stated,
        date_errors=tuple(date_errors),
        spurious_dates=tuple(spurious),
        gbv=PRF(*gbv),
        errors=tuple(errors),
        missing_docs=tuple(sorted(set(gold) - set(predicted))),
        unannotated_docs=tuple(sorted(set(predicted) - set(gold))),
    )


def _gold_entities(where: str, record: dict[str, object], key: str, label: EntityLabel,
                   forms_key: str) -> tuple[GoldEntity, ...]:
    items = record[key]
    if not isinstance(items, list):
        raise GoldError(f"{where}: {key!r} must be a list")
    entities = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise GoldError(f"{where}: each of {key!r} needs a string 'name', got {item!r}")
        forms = item.get(forms_key)
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise GoldError(f"{where}: {item['name']!r} needs {forms_key!r} as a list of "
                             f"strings (may be empty), got {forms!r}")
        sector = item.get("sector")
        entities.append(GoldEntity(label, item["name"], frozenset([item["name"], *forms]),
                                   sector if isinstance(sector, str) else None))
    return tuple(entities)


def load_gold(path: Path) -> dict[str, GoldDoc]:
    """Gold annotations from a JSONL file, keyed by their ``id`` (``"001"``).

    Raises:
        GoldError: naming ``file:line`` for bad JSON, a missing key or a wrong type.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"cannot read gold file {path}: {exc}; give a UTF-8 JSONL file") from None
    docs: dict[str, GoldDoc] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise GoldError(f"{where}: expected one JSON object per line")
        required = ("id", "published", "gbv_prevention", "persons", "organizations")
        if missing := [k for k in required if k not in record]:
            raise GoldError(f"{where}: missing key(s) {', '.join(missing)}; "
                             f"each line needs {', '.join(required)}")
        key, published, gbv = record["id"], record["published"], record["gbv_prevention"]
        if not isinstance(key, str) or not key or key in docs:
            raise GoldError(f"{where}: 'id' must be a unique non-empty string, got {key!r}")
        if not isinstance(gbv, bool):
            raise GoldError(f"{where}: 'gbv_prevention' must be true or false, got {gbv!r}")
        try:
            day = None if published is None else date.fromisoformat(published)
        except (TypeError, ValueError):
            raise GoldError(f"{where}: 'published' must be an ISO date (YYYY-MM-DD) or null, "
                             f"got {published!r}") from None
        entities = (_gold_entities(where, record, "persons", "PER", "mentions")
                    + _gold_entities(where, record, "organizations", "ORG", "aliases"))
        docs[key] = GoldDoc(key, day, gbv, entities)
    return docs


def _doc_key(doc_id: str, path: str) -> str:
    """The stem of the input path; a jsonl line (``file.jsonl#L3``) keeps its own doc_id."""
    if "#" in path or not path:
        return doc_id
    return PurePosixPath(path.replace("\\", "/")).stem


def _blank(value: object) -> bool:
    return value is None or value != value or str(value).strip() == ""  # NaN != NaN


def predicted_docs_from_tables(documents: pd.DataFrame, mentions: pd.DataFrame,
                               entities: pd.DataFrame) -> dict[str, PredictedDoc]:
    """PredictedDocs from the exported ``documents``, ``mentions`` and ``entities`` tables.

    A mention without an ``entity_id`` (unresolved) stands for an entity of its own text.
    """
    for table, frame, columns in (("documents", documents, ("doc_id", "path", "published",
                                                            "gbv_related")),
                                  ("mentions", mentions, ("doc_id", "entity_id", "label", "text")),
                                  ("entities", entities, ("entity_id", "name"))):
        if missing := [c for c in columns if c not in frame.columns]:
            raise ValueError(f"{table} table lacks column(s) {', '.join(missing)}; has "
                             f"{', '.join(map(str, frame.columns))} (read the CSV with "
                             "encoding='utf-8-sig' so a byte-order mark does not rename doc_id)")
    names = {str(row.entity_id): str(row.name) for row in entities.itertuples(index=False)}
    forms: dict[str, dict[tuple[str, str], set[str]]] = {}
    for row in mentions.itertuples(index=False):
        if row.label not in LABELS:
            continue
        entity_id = f"unresolved:{row.text}" if _blank(row.entity_id) else str(row.entity_id)
        by_entity = forms.setdefault(str(row.doc_id), {})
        by_entity.setdefault((entity_id, str(row.label)), set()).add(str(row.text))
    docs: dict[str, PredictedDoc] = {}
    for row in documents.itertuples(index=False):
        doc_id = str(row.doc_id)
        key = _doc_key(doc_id, "" if _blank(row.path) else str(row.path))
        if key in docs:
            raise ValueError(f"two documents have the key {key!r} (doc_id {doc_id!r}); "
                             "file stems must be unique to be scored")
        try:
            published = None if _blank(row.published) else date.fromisoformat(
                str(row.published)[:10])
        except ValueError:
            raise ValueError(f"document {doc_id!r}: published {row.published!r} is not an ISO "
                             "date (YYYY-MM-DD)") from None
        gbv = str(row.gbv_related).strip().lower() in ("true", "1", "yes")
        found = forms.pop(doc_id, {})
        docs[key] = PredictedDoc(key, published, gbv, tuple(
            PredictedEntity(entity_id, label, names.get(entity_id, min(texts)),
                            frozenset(texts))
            for (entity_id, label), texts in sorted(found.items())))
    if forms:
        raise ValueError(f"mentions refer to doc_id(s) not in documents: {', '.join(sorted(forms))}")
    return docs


def _row(title: str, prf: PRF) -> str:
    return (f"{title:<22}{prf.tp:>6}{prf.fp:>6}{prf.fn:>6}"
            f"{prf.precision:>11.3f}{prf.recall:>8.3f}{prf.f1:>8.3f}")


def _day(value: date | None) -> str:
    return value.isoformat() if value else "none"


def format_report(report: Report) -> str:
    """The text ``evaluate`` prints: the figures, then each document's errors."""
    lines = [f"{'':<22}{'TP':>6}{'FP':>6}{'FN':>6}{'precision':>11}{'recall':>8}{'F1':>8}"]
    lines += [_row(f"{label} entities", report.entities[label]) for label in LABELS]
    lines += [_row(f"{label} identity (pairs)", report.identity[label]) for label in LABELS]
    lines.append(_row("GBV prevention", report.gbv))
    lines.append(f"\nPublication date: {report.dates_correct} / {report.dates_stated} correct "
                 f"({report.date_accuracy:.1%}) of the files that state one; "
                 f"{len(report.spurious_dates)} predicted where none is stated")
    for error in report.date_errors:
        lines.append(f"  {error.doc_key}: gold {_day(error.gold)}, "
                     f"predicted {_day(error.predicted)}")
    for error in report.spurious_dates:
        lines.append(f"  {error.doc_key}: gold none, predicted {_day(error.predicted)}")
    if report.missing_docs:
        lines.append(f"\nMissing documents (no prediction; all their entities count as FN): "
                     f"{', '.join(report.missing_docs)}")
    if report.unannotated_docs:
        lines.append(f"Not in gold (not scored): {', '.join(report.unannotated_docs)}")
    lines.append("\nPer-document errors (FP = predicted, unmatched; FN = gold, missed):")
    current = None
    for error in report.errors:
        if error.doc_key != current:
            current = error.doc_key
            lines.append(f"  {current}")
        others = [form for form in error.forms if form != error.name]
        also = f"  [{'; '.join(others)}]" if others else ""
        lines.append(f"    {error.label} {error.kind}  {error.name}{also}")
    if not report.errors:
        lines.append("  none")
    return "\n".join(lines)
