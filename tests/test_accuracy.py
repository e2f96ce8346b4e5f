"""Extraction quality on the hand-annotated corpus in ../shared/corpus (skipped when absent).

The floors are the targets of issue 3. Those the pipeline does not reach yet are marked
xfail with the figures last measured, so the suite stays green while the gap stays visible;
they are strict, so reaching a target fails the suite until its marker is removed. The
regression floors below hold the measured level.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

from pipeline.config import load_settings
from pipeline.evaluate import Report, load_gold, predicted_docs_from_tables, score
from pipeline.run import extract_corpus


@pytest.fixture(scope="module")
def report(corpus: Path, nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Report:
    output = tmp_path_factory.mktemp("accuracy")
    extract_corpus(corpus, output, settings=load_settings(), nlp=nlp)
    tables = [pd.read_csv(output / f"{name}.csv", encoding="utf-8-sig", dtype=str,
                          keep_default_na=False) for name in ("documents", "mentions", "entities")]
    return score(load_gold(corpus / "gold.jsonl"), predicted_docs_from_tables(*tables))


def test_every_stated_publication_date_is_found(report: Report) -> None:
    assert report.dates_stated > 0
    assert report.dates_correct == report.dates_stated
    assert report.spurious_dates == ()


def test_org_f1_floor(report: Report) -> None:
    assert report.entities["ORG"].f1 >= 0.85


def test_per_f1_floor(report: Report) -> None:
    assert report.entities["PER"].f1 >= 0.92


def test_rules_beat_the_plain_model_by_a_wide_margin(report: Report) -> None:
    # the plain model scored ORG F1 0.310 and PER F1 0.567 on this corpus; the rules reach
    # ORG 0.858 and PER 0.964 (P 1.000, R 0.930)
    assert report.entities["ORG"].f1 >= 0.855
    assert report.entities["PER"].f1 >= 0.95
    assert report.entities["PER"].recall >= 0.92


def test_identity_recall_across_documents(report: Report) -> None:
    assert report.identity["ORG"].recall >= 0.95
    assert report.identity["PER"].f1 >= 0.95


@pytest.mark.xfail(reason="gold names one body differently per release (Instituto Municipal "
                          "de la Mujer / de las Mujeres, DIF Municipal / Sistema DIF "
                          "Municipal…); merging them, as the issue asks, scores as false pairs",
                   strict=True)
def test_org_identity_f1_floor(report: Report) -> None:
    assert report.identity["ORG"].f1 >= 0.90
