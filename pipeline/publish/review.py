"""The review sheet: what an analyst should check first in a run's tables, ranked, each row
with the correction it suggests (:mod:`pipeline.publish.review_signals` finds them).

Rows are ranked by ``priority``, how much of the network the correction could change times
how doubtful the entity or document is. The sheet is a corrections file once filled:
``decision`` = ``accept`` on a row applies its ``suggestion`` with its ``suggested_value``
(``extract --corrections review.csv``). Rows the run's own corrections file already decided,
accepted or rejected, are not suggested again. Privacy: a withheld person appears only by
the id derived from their token, with "[persona]" as the name; tables that name every person
(``extract --include-private-persons``) are reviewed only with ``include_private_persons``.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline.document.relevance import gbv_term_weights
from pipeline.errors import InputError
from pipeline.knowledge import fold
from pipeline.publish.review_signals import (
    FINDERS,
    DocumentFacts,
    EntityFacts,
    ReviewCorpus,
)
from pipeline.publish.sheets import CorrectionsError, read_corrections, write_review
from pipeline.publish.tables import Tables, load_tables, read_table
from pipeline.records import ReviewRow
from pipeline.sources.ingest import read_run


class ReviewError(InputError):
    """Tables that cannot be reviewed as asked."""


def review_corpus(tables: Tables, affiliations: pd.DataFrame, *, threshold: float
                  ) -> ReviewCorpus:
    """The facts of ``tables`` the finders read."""
    entities = {row.entity_id: EntityFacts(
        row.entity_id, row.label, row.name, row.sector, row.jurisdiction, bool(row.withheld),
        int(row.n_documents)) for row in tables.entities.itertuples(index=False)
        if row.label in ("ORG", "PER")}
    for row in tables.nodes.itertuples(index=False):
        if row.entity_id in entities:
            entities[row.entity_id].edges = int(row.weighted_degree)
    documents = {row.doc_id: DocumentFacts(
        row.doc_id, row.path, row.title, row.jurisdiction, bool(row.gbv_related),
        float(row.gbv_score), list(row.gbv_terms))
        for row in tables.documents.itertuples(index=False)}
    for row in tables.mentions.itertuples(index=False):
        entity = entities.get(row.entity_id)
        if entity is None:
            continue
        entity.mentions += 1
        entity.origins.add(row.origin)
        if entity.label == "ORG" and row.doc_id in documents:
            documents[row.doc_id].org_forms.update((fold(row.text), fold(entity.name)))
        if not entity.documents or entity.documents[-1] != row.doc_id:
            entity.documents.append(row.doc_id)
            entity.sentences.append((row.doc_id, row.text, row.sentence))
            if entity.label == "ORG" and row.doc_id in documents:
                documents[row.doc_id].orgs.append(entity.entity_id)
    roles: dict[str, list[tuple[str, str, str]]] = {}
    for row in affiliations.itertuples(index=False):
        roles.setdefault(row.person_id, []).append((row.doc_id, row.role, row.org))
        if row.org_id in entities:
            entities[row.org_id].holders += 1
    return ReviewCorpus(entities, documents, roles, threshold, gbv_term_weights())


def _decided(folder: Path) -> set[tuple[str, str]]:
    """(action, target) of every row of the run's corrections file with a decision."""
    run = read_run(folder) or {}
    source = (run.get("corrections") or {}).get("file")
    if not source or not Path(source).is_file():
        return set()
    try:
        sheet = read_corrections(Path(source))
    except CorrectionsError:
        return set()
    return {(c.action, fold(c.target)) for c in (*sheet.corrections, *sheet.rejected)}


def rank(rows: list[ReviewRow]) -> list[ReviewRow]:
    """Best first (then by kind and target, so equal priorities keep one order), ranked
    from 1; one row per suggestion, target and value."""
    unique = {(r.suggestion, r.target, r.suggested_value): r for r in rows}
    ordered = sorted(unique.values(), key=lambda r: (-r.priority, r.kind, r.target,
                                                     r.suggested_value))
    return [replace(row, rank=i) for i, row in enumerate(ordered, start=1)]


def review_rows(folder: Path, *, threshold: float, include_private_persons: bool = False
                ) -> list[ReviewRow]:
    """The ranked rows of the review sheet for the tables in ``folder``.

    Raises:
        ReviewError: the tables name private persons and ``include_private_persons`` is off.
    """
    tables = load_tables(folder)
    run = read_run(folder) or {}
    if run.get("private_persons") != "withheld" and not include_private_persons:
        raise ReviewError(f"the tables in {folder} name every person (extract "
                          "--include-private-persons, or an older run): review them with "
                          "--include-private-persons, or extract again without it")
    affiliations = read_table(folder / "affiliations.csv")
    corpus = review_corpus(tables, affiliations, threshold=threshold)
    decided = _decided(folder)
    rows = [row for finder in FINDERS for row in finder(corpus)
            if (row.suggestion, fold(row.target)) not in decided]
    return rank(rows)


def write_review_sheet(folder: Path, output: Path, *, threshold: float,
                       include_private_persons: bool = False) -> int:
    """Write the review sheet of ``folder``'s tables to ``output``; return its rows."""
    return write_review(output, review_rows(folder, threshold=threshold,
                                            include_private_persons=include_private_persons))
