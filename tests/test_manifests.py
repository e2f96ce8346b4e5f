"""Manifests give text and HTML inputs their URL and metadata; metadata files are not inputs."""

import json
from datetime import date
from pathlib import Path

from pipeline.document.clean import clean
from pipeline.records import RawDocument
from pipeline.sources.ingest import doc_id_for, list_inputs, read_inputs

RELEASE = ("El Instituto Municipal de las Mujeres impartió un taller de prevención de la "
           "violencia en la biblioteca del barrio, con la asistencia de cuarenta jóvenes.")


def _docs(folder: Path) -> dict[str, RawDocument]:
    return {d.path: d for d in read_inputs(folder) if isinstance(d, RawDocument)}


def test_jsonl_manifest_by_id_gives_url_date_title_and_source(tmp_path: Path) -> None:
    (tmp_path / "101.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "102.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "101", "url": "https://noticias.example/imparten-taller", "published":
         "2024-05-02", "title": "Imparten taller en la biblioteca", "source": "noticias"},
        {"id": "102", "url": "https://noticias.example/otro"},
        "not an object", ]) + "\n{broken", encoding="utf-8")
    docs = _docs(tmp_path)
    assert set(docs) == {"101.txt", "102.txt"}  # the manifest is no input, nor a reject
    first = docs["101.txt"]
    assert (first.url, first.published_raw, first.title, first.source) == (
        "https://noticias.example/imparten-taller", "2024-05-02",
        "Imparten taller en la biblioteca", "noticias")
    assert first.doc_id == doc_id_for("https://noticias.example/imparten-taller")
    article = clean(first)
    assert (article.published, article.published_source) == (date(2024, 5, 2), "manifest")
    assert (article.title, article.title_source) == ("Imparten taller en la biblioteca",
                                                     "manifest")
    assert docs["102.txt"].published_raw is None


def test_csv_manifest_by_relative_path_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "lote").mkdir()
    (tmp_path / "lote" / "nota.txt").write_text(RELEASE, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "path,url,published\nlote/nota.txt,https://noticias.example/2024/05/02/nota,\n",
        encoding="utf-8")
    (doc,) = _docs(tmp_path).values()
    assert doc.url == "https://noticias.example/2024/05/02/nota"
    article = clean(doc)
    assert (article.published, article.published_source) == (date(2024, 5, 2), "url")


def test_metadata_files_are_neither_read_nor_rejected(tmp_path: Path) -> None:
    for name in ("manifest.jsonl", "manifest.csv", "gold.jsonl", "aliases.json", "README.md",
                 "readme.txt", "failures.csv"):
        (tmp_path / name).write_text("{}\n", encoding="utf-8")
    (tmp_path / "nota.txt").write_text(RELEASE, encoding="utf-8")
    assert [p.name for p in list_inputs(tmp_path)] == ["nota.txt"]
    assert [r.path for r in read_inputs(tmp_path)] == ["nota.txt"]


def test_without_manifest_ids_stay_path_based(tmp_path: Path) -> None:
    (tmp_path / "nota.txt").write_text(RELEASE, encoding="utf-8")
    (doc,) = _docs(tmp_path).values()
    assert (doc.url, doc.doc_id) == (None, doc_id_for("nota.txt"))
