"""One release never costs the run: long bodies in chunks, a failing batch retried one by one."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.config import load_settings
from pipeline.document.extract import Extraction, chunk_spans, extract
from pipeline.document.nlp import build_nlp
from pipeline.records import Article
from pipeline.run import extract_corpus

PARAGRAPHS = [
    "La directora del Instituto Municipal de las Mujeres, Laura Méndez Ortiz, inauguró el "
    "taller. Asistieron cuarenta promotoras de la Red Mesa de Mujeres de Ciudad Juárez.",
    "El 12 de marzo de 2024 la Secretaría de Seguridad Pública Municipal presentó su "
    "protocolo de atención. ¿Quién coordina? La Fiscalía General del Estado.",
    "Según la regidora Ana Torres Villa, la Universidad Autónoma de Ciudad Juárez evaluará "
    "la campaña durante el año.",
]
MARKER = "FALLA-DE-PRUEBA"


def article(text: str, doc_id: str = "d1") -> Article:
    return Article(doc_id, f"{doc_id}.txt", None, "título", text, None, None)


@pytest.mark.parametrize("size", [40, 90, 200, 1000])
def test_chunks_tile_the_text_and_end_at_paragraphs_then_sentences(size: int) -> None:
    text = "\n\n".join(PARAGRAPHS * 3)
    spans = chunk_spans(text, size)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(end == next_start for (_, end), (next_start, _) in pairwise(spans))
    assert all(0 < end - start <= size for start, end in spans)
    for start, end in spans[:-1]:
        piece = text[start:end]
        # a paragraph end when one fits, else a sentence end, else a space
        if "\n\n" in text[start:start + size][:-1]:
            assert piece.endswith("\n\n")
        else:
            assert piece[-1].isspace()


def test_a_long_body_parsed_in_chunks_keeps_offsets_and_finds_the_same(nlp: Language) -> None:
    text = "\n\n".join(PARAGRAPHS * 4)
    (whole,) = extract([article(text)], nlp)
    (chunked,) = extract([article(text)], nlp, chunk_chars=250)
    assert isinstance(whole, Extraction) and isinstance(chunked, Extraction)
    assert len(chunk_spans(text, 250)) > 4
    for mention in chunked.mentions:
        assert text[mention.start_char:mention.end_char] == mention.text
        assert mention.text in mention.sentence and mention.sentence in text
    assert {(m.label, m.text, m.start_char) for m in chunked.mentions} == \
        {(m.label, m.text, m.start_char) for m in whole.mentions}
    assert chunked.dates == whole.dates


@Language.component("fails_on_test_marker")
def fails_on_test_marker(doc: Doc) -> Doc:
    """A fault injected for the test: the component raises on the release with the marker."""
    if MARKER in doc.text:
        raise ValueError(f"injected fault on {MARKER}")
    return doc


@pytest.fixture(scope="module")
def faulty_nlp() -> Iterator[Language]:
    """The real pipeline with one more component that fails on one release."""
    pipeline = build_nlp()
    pipeline.add_pipe("fails_on_test_marker", last=True)
    yield pipeline


@pytest.mark.parametrize("processes", [1, 2])
def test_bad_input_spacy_fails_on_one_release_of_a_batch(
        faulty_nlp: Language, tmp_path: Path, processes: int,
        caplog: pytest.LogCaptureFixture) -> None:
    texts = [*PARAGRAPHS, f"{PARAGRAPHS[0]} {MARKER}", *PARAGRAPHS]
    releases = tmp_path / "lote.jsonl"
    releases.write_text("\n".join(json.dumps({"id": str(n), "text": t}, ensure_ascii=False)
                                  for n, t in enumerate(texts)), encoding="utf-8")
    settings = replace(load_settings(), batch_size=4, processes=processes,
                       interim=str(tmp_path / "store"))  # processed here, not reused
    summary = extract_corpus(releases, tmp_path / "out", settings=settings, nlp=faulty_nlp)
    assert (summary.documents, summary.rejected) == (len(texts) - 1, 1)
    rejects = pd.read_csv(tmp_path / "out" / "rejects.csv", dtype=str, keep_default_na=False)
    assert rejects.to_dict("records") == [{
        "path": "lote.jsonl#L4", "stage": "nlp", "reason": f"injected fault on {MARKER}",
        "error": "ValueError"}]
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", dtype=str)
    assert sorted(documents["path"]) == sorted(f"lote.jsonl#L{n}" for n in (1, 2, 3, 5, 6, 7))
    mentions = pd.read_csv(tmp_path / "out" / "mentions.csv", dtype=str)
    assert (mentions["text"] == "Laura Méndez Ortiz").sum() == 2  # L1 and L5, not L4
    assert "a batch failed" in caplog.text
