import json
from pathlib import Path

import pytest

from pipeline.records import RawDocument, Reject
from pipeline.sources.ingest import InputError, count_releases, list_inputs, read_inputs


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


def test_output_folder_is_not_input_and_an_output_set_in_the_root_is_skipped(tmp_path: Path
                                                                            ) -> None:
    (tmp_path / "nota.txt").write_text("uno", encoding="utf-8")
    out = tmp_path / "procesado"
    out.mkdir()
    (out / "documents.csv").write_text("doc_id\n", encoding="utf-8")
    assert list_inputs(tmp_path, output=out) == [tmp_path / "nota.txt"]
    # The output folder is the input folder: only the files of its set are skipped.
    run = {"generator": "prensa-red", "schema_version": 1, "files": {"documents.csv": {}}}
    (out / "run.json").write_text(json.dumps(run), encoding="utf-8")
    (out / "nota.txt").write_text("dos", encoding="utf-8")
    assert list_inputs(out, output=out) == [out / "nota.txt"]
    assert list_inputs(tmp_path) == [tmp_path / "nota.txt"]  # a run.json marks it as ours


def test_jsonl_with_a_stray_byte_is_read_repaired(tmp_path: Path) -> None:
    line = json.dumps({"id": 1, "text": "La señora Núñez en Ciudad Juárez."}, ensure_ascii=False)
    (tmp_path / "lote.jsonl").write_bytes(line.encode().replace(b"Ju\xc3\xa1rez", b"Ju\xe1rez"))
    (doc,) = read_inputs(tmp_path)
    assert isinstance(doc, RawDocument) and doc.decoding == "utf-8-repaired"
    assert doc.data.decode() == "La señora Núñez en Ciudad Juárez."


def test_a_number_id_is_a_string_id(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": 7, "text": "uno"}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "7", "text": "uno"}\n', encoding="utf-8")
    first, second = read_inputs(tmp_path)
    assert isinstance(first, RawDocument) and isinstance(second, RawDocument)
    assert first.doc_id != second.doc_id  # ids are per file: the same id in two files is fine


def test_a_line_separator_inside_a_jsonl_string_is_no_line_break(tmp_path: Path) -> None:
    release = {"id": "1", "title": "Taller\u2028de prevención", "text": "Primera\u2029segunda."}
    (tmp_path / "a.jsonl").write_text(json.dumps(release, ensure_ascii=False) + "\r\n",
                                      encoding="utf-8")
    read = list(read_inputs(tmp_path))
    assert [type(item).__name__ for item in read] == ["RawDocument"]
    assert read[0].title == "Taller\u2028de prevención"


def test_a_symbolic_link_out_of_the_input_folder_is_refused(tmp_path: Path) -> None:
    """A link to a file outside (a password file), a loop and a dangling link are rejects;
    links that stay inside are read once, a linked folder inside through its own files."""
    outside = tmp_path / "fuera" / "passwd"
    outside.parent.mkdir()
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "nota.txt").write_text("Texto de la nota.", encoding="utf-8")
    (folder / "x.txt").symlink_to(outside)
    (folder / "carpeta").symlink_to(outside.parent, target_is_directory=True)
    (folder / "bucle1.txt").symlink_to(folder / "bucle2.txt")
    (folder / "bucle2.txt").symlink_to(folder / "bucle1.txt")
    (folder / "roto.txt").symlink_to(folder / "no-existe.txt")
    (folder / "enlace.txt").symlink_to(folder / "sub" / "nota.txt")
    (folder / "dentro").symlink_to(folder / "sub", target_is_directory=True)
    items = list(read_inputs(folder))
    rejects = {r.path: r.reason for r in items if isinstance(r, Reject)}
    read = {r.path: r.data for r in items if isinstance(r, RawDocument)}
    assert read == {"enlace.txt": b"Texto de la nota.", "sub/nota.txt": b"Texto de la nota."}
    assert "outside the input folder" in rejects["x.txt"]
    assert "loops back on itself" in rejects["bucle1.txt"]
    assert "loops back on itself" in rejects["bucle2.txt"]
    assert "does not exist" in rejects["roto.txt"]
    assert "outside the input folder" in rejects["carpeta"]
    assert not any("root:" in r for r in rejects.values())


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("nota.txt", b"%PDF-1.4\n1 0 obj << /Title (Informe) >> endobj\ntrailer\n%%EOF\n", "PDF"),
    ("pagina.html", b"\n\n%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ("lote.jsonl", b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "zip archive"),
], ids=["pdf-as-txt", "pdf-as-html", "docx-as-jsonl"])
def test_a_pdf_or_zip_is_refused_whatever_its_name(tmp_path: Path, name: str, data: bytes,
                                                  kind: str) -> None:
    (tmp_path / name).write_bytes(data)
    (reject,) = read_inputs(tmp_path)
    assert isinstance(reject, Reject) and reject.stage == "ingest"
    assert kind in reject.reason and name in reject.reason


def test_count_releases_counts_a_jsonl_file_by_its_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Un comunicado.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "uno"}\n\n{"text": "dos"}\n{"text": "tres"}\n',
                                      encoding="utf-8")
    assert count_releases(list_inputs(tmp_path)) == 4
