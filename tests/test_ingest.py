import json
from pathlib import Path

import pytest

from pipeline.records import RawDocument, Reject
from pipeline.sources.ingest import InputError, read_inputs


def test_folder_is_read_recursively_with_stable_ids(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "uno.txt").write_text("uno", encoding="utf-8")
    (tmp_path / "dos.html").write_text("<p>dos</p>", encoding="utf-8")
    (tmp_path / ".oculto.txt").write_text("no", encoding="utf-8")
    first = list(read_inputs(tmp_path))
    second = list(read_inputs(tmp_path))
    assert [(r.path, r.fmt) for r in first] == [("a/uno.txt", "txt"), ("dos.html", "html")]
    assert [r.doc_id for r in first] == [r.doc_id for r in second]
    assert len({r.doc_id for r in first}) == 2


def test_single_file_path_is_relative_to_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "boletin.txt"
    path.write_bytes(b"texto")
    (doc,) = read_inputs(path)
    assert isinstance(doc, RawDocument)
    assert (doc.path, doc.data) == ("boletin.txt", b"texto")


def test_jsonl_lines_become_documents_and_bad_lines_rejects(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "x1", "text": "uno", "url": "https://a.mx/1", "title": "T",
                         "published": "2023-11-21"}),
             "{not json",
             json.dumps({"title": "sin texto"}),
             "",
             json.dumps({"text": "dos"})]
    (tmp_path / "lote.jsonl").write_text("\n".join(lines), encoding="utf-8")
    results = list(read_inputs(tmp_path))
    docs = [r for r in results if isinstance(r, RawDocument)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert [(d.path, d.url, d.title, d.published_raw) for d in docs] == [
        ("lote.jsonl#L1", "https://a.mx/1", "T", "2023-11-21"),
        ("lote.jsonl#L5", None, None, None)]
    assert [(r.path, r.stage) for r in rejects] == [("lote.jsonl#L2", "ingest"),
                                                    ("lote.jsonl#L3", "ingest")]
    assert "valid JSON" in rejects[0].reason and '"text"' in rejects[1].reason


def test_unsupported_files_are_rejected_but_ledgers_ignored(tmp_path: Path) -> None:
    (tmp_path / "informe.pdf").write_bytes(b"%PDF")
    (tmp_path / "manifest.csv").write_text("url,final_url,path\n", encoding="utf-8")
    (results,) = [list(read_inputs(tmp_path))]
    assert results == [Reject("informe.pdf", "ingest", results[0].reason)]
    assert ".pdf" in results[0].reason


def test_scrape_manifest_gives_url_and_charset(tmp_path: Path) -> None:
    host = tmp_path / "www.juarez.gob.mx"
    host.mkdir()
    (host / "noticia-1.html").write_bytes(b"<p>hola</p>")
    (tmp_path / "manifest.csv").write_text(
        "url,final_url,path,status,content_type,charset,sha256,fetched_at\n"
        "http://j.mx/n/1,https://j.mx/noticia/1/x,www.juarez.gob.mx/noticia-1.html,200,"
        "text/html,iso-8859-1,abc,2026-01-01T00:00:00\n", encoding="utf-8")
    (doc,) = read_inputs(tmp_path)
    assert isinstance(doc, RawDocument)
    assert (doc.url, doc.charset) == ("https://j.mx/noticia/1/x", "iso-8859-1")


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        list(read_inputs(tmp_path / "nada"))


def test_jsonl_without_any_release_is_one_reject(tmp_path: Path) -> None:
    (tmp_path / "notas.jsonl").write_text('{"id": "001", "persons": []}\n{"id": "002"}\n',
                                          encoding="utf-8")
    assert [(r.path, r.stage) for r in read_inputs(tmp_path)] == [("notas.jsonl", "ingest")]
