"""The bad-input matrix: `extract` on one bad input beside a good release, into a folder that
holds an earlier run's tables and a file of the user's.

Each case asserts the exit status, the reject (path, stage, a useful reason) or the warning,
that the good release's tables are intact and whole (``run.json`` verifies), and that
nothing of the earlier run is lost: a failed run leaves its tables byte for byte, and the
user's file is never touched. Inputs are generated; size limits are lowered, not fed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import RUN_FILE, load_settings
from pipeline.publish.outputs import FAILED_REJECTS, verify
from pipeline.run import extract_corpus

GOOD = ("La directora del Instituto Municipal de las Mujeres, Laura Méndez Ortiz, presentó con "
        "la Red Mesa de Mujeres una campaña contra la violencia de género en Ciudad Juárez.")
EARLIER = ("La Fiscalía General del Estado y la Universidad Autónoma de Ciudad Juárez firmaron "
           "un convenio para capacitar a su personal en la atención a víctimas.")
PARAGRAPH = ("El Instituto Municipal de las Mujeres impartió un taller de prevención en la "
             "colonia Centro con promotoras de la Red Mesa de Mujeres.")
VISIT = "La Fiscalía General del Estado abrió una oficina en Ciudad"  # … Juárez.
USER_FILE = "notas-del-analista.txt"


def jsonl(*records: dict[str, object]) -> bytes:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in records).encode()


@dataclass(frozen=True)
class Case:
    files: dict[str, bytes]  # written into the input folder (beside good.txt unless alone)
    status: int = 0
    reject: tuple[str, str, str] | None = None  # path, stage, a part of the reason
    warning: str = ""  # a part of stderr, for what is coerced rather than rejected
    documents: int = 2  # rows of documents.csv after the run (the good release included)
    env: dict[str, str] = field(default_factory=dict)
    alone: bool = False  # no good release beside it
    check: Callable[[pd.DataFrame, pd.DataFrame], None] | None = None  # documents, mentions


def _long_body_offsets(documents: pd.DataFrame, mentions: pd.DataFrame) -> None:
    body = "\n\n".join([PARAGRAPH] * 12)
    doc_id = documents.loc[documents["path"] == "largo.txt", "doc_id"].item()
    own = mentions[mentions["doc_id"] == doc_id]
    assert len(own) >= 12
    for row in own.itertuples():
        assert body[int(row.start_char):int(row.end_char)] == row.text


def _decoded(path: str, decoding: str) -> Callable[[pd.DataFrame, pd.DataFrame], None]:
    def check(documents: pd.DataFrame, mentions: pd.DataFrame) -> None:
        row = documents[documents["path"] == path].iloc[0]
        assert row["decoding"] == decoding
        own = mentions[mentions["doc_id"] == row["doc_id"]]
        assert "Ciudad Juárez" in " ".join(own["sentence"])  # accents intact
        assert not own["sentence"].str.contains("Ã|\ufffd").any()
    return check


def _shown(path: str) -> Callable[[pd.DataFrame, pd.DataFrame], None]:
    def check(documents: pd.DataFrame, mentions: pd.DataFrame) -> None:
        assert path in set(documents["path"])
    return check


CASES = {
    "body_over_the_size_cap": Case(
        {"enorme.txt": " ".join([PARAGRAPH] * 20).encode()},
        reject=("enorme.txt", "clean", "too long: the body has 2,"), documents=1,
        env={"PIPELINE_MAX_TEXT_CHARS": "2000"}),
    "long_body_parsed_in_chunks": Case(
        {"largo.txt": "\n\n".join([PARAGRAPH] * 12).encode()},
        env={"PIPELINE_CHUNK_CHARS": "300"}, check=_long_body_offsets),
    "jsonl_url_is_a_number": Case(
        {"lote.jsonl": jsonl({"text": PARAGRAPH, "url": 123})},
        reject=("lote.jsonl#L1", "ingest", '"url" must be a string or null, got a number (123)'),
        documents=1),
    "jsonl_title_is_an_object": Case(
        {"lote.jsonl": jsonl({"text": PARAGRAPH, "title": {"es": "Taller"}})},
        reject=("lote.jsonl#L1", "ingest", '"title" must be a string or null, got an object'),
        documents=1),
    "jsonl_id_is_a_list": Case(
        {"lote.jsonl": jsonl({"text": PARAGRAPH, "id": [1, 2]})},
        reject=("lote.jsonl#L1", "ingest", '"id" must be a string or a number, got a list'),
        documents=1),
    "jsonl_duplicate_id": Case(
        {"lote.jsonl": jsonl({"id": 7, "text": PARAGRAPH}, {"id": 7, "text": EARLIER})},
        reject=("lote.jsonl#L2", "ingest",
                "a second release with its id, already read from lote.jsonl#L1")),
    "duplicate_url": Case(
        {"lote.jsonl": jsonl({"text": PARAGRAPH, "url": "https://medio.example/nota/1"},
                             {"text": EARLIER, "url": "https://medio.example/nota/1"})},
        reject=("lote.jsonl#L2", "ingest", ("a second release with the URL "
                "https://medio.example/nota/1, already read from lote.jsonl#L1"))),
    "file_name_not_utf8": Case(
        {os.fsdecode(b"nota-\xff\xfe.txt"): PARAGRAPH.encode()},
        warning="the file name is not valid UTF-8", check=_shown("nota-\ufffd\ufffd.txt")),
    "stray_byte_in_a_utf8_file": Case(
        {"mixto.txt": f"{PARAGRAPH} {VISIT}".encode() + " Ju\xe1rez.".encode("cp1252")},
        warning="mixto.txt: UTF-8 with 1 stray byte(s)",
        check=_decoded("mixto.txt", "utf-8-repaired")),
    "windows_1252_file": Case(
        {"viejo.txt": f"{PARAGRAPH} {VISIT} Juárez.".encode("cp1252")},
        warning="viejo.txt: not UTF-8; read as cp1252", check=_decoded("viejo.txt", "cp1252")),
    "html_declares_utf8_with_a_stray_byte": Case(
        {"pagina.html": (f'<html><head><meta charset="utf-8"><title>Taller</title></head>'
                         f"<body><article><p>{PARAGRAPH}</p><p>{VISIT}").encode()
         + " Ju\xe1rez.</p></article></body></html>".encode("cp1252")},
        warning="pagina.html: UTF-8 with 1 stray byte(s)",
        check=_decoded("pagina.html", "utf-8-repaired")),
    "binary_file": Case(
        {"imagen.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"},
        reject=("imagen.txt", "clean", "binary file"), documents=1),
    "nothing_processable": Case(
        {"lote.jsonl": jsonl({"text": PARAGRAPH, "url": 5})}, status=1,
        reject=("lote.jsonl#L1", "ingest", '"url" must be a string or null'), alone=True,
        documents=0, warning="nothing was published"),
}


@pytest.fixture(scope="module")
def earlier_run(nlp: Language, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of an earlier run, with a file of the user's in it."""
    inputs = tmp_path_factory.mktemp("earlier-in")
    (inputs / "previo.txt").write_text(EARLIER, encoding="utf-8")
    output = tmp_path_factory.mktemp("earlier-out") / "out"
    extract_corpus(inputs, output, settings=load_settings(), nlp=nlp)
    (output / USER_FILE).write_text("mis notas", encoding="utf-8")
    return output


@pytest.fixture()
def model(nlp: Language, monkeypatch: pytest.MonkeyPatch) -> Language:
    """`extract` runs with the session's pipeline instead of loading the model again."""
    monkeypatch.setattr("pipeline.engine.local_nlp", lambda model=None: nlp)
    return nlp


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input(name: str, model: Language, earlier_run: Path, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                   caplog: pytest.LogCaptureFixture) -> None:
    case = CASES[name]
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shutil.copytree(earlier_run, output)
    before = snapshot(output)
    if not case.alone:
        (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    for file_name, data in case.files.items():
        (inputs / file_name).write_bytes(data)
    for key, value in case.env.items():
        monkeypatch.setenv(key, value)

    status = main(["-q", "extract", "--input", str(inputs), "--output", str(output)])
    err = capsys.readouterr().err + caplog.text  # the CLI prints warnings on stderr

    assert status == case.status, err
    assert "Traceback" not in err
    assert case.warning in err
    assert (output / USER_FILE).read_text(encoding="utf-8") == "mis notas"
    if case.status:
        assert {n: b for n, b in snapshot(output).items() if n != FAILED_REJECTS} == before
        rejects = read(output / FAILED_REJECTS)
    else:
        verify(output)
        rejects = read(output / "rejects.csv")
    expected = [case.reject[:2]] if case.reject else []
    assert [(r.path, r.stage) for r in rejects.itertuples()] == expected
    if case.reject:
        assert case.reject[2] in rejects["reason"].iloc[0]
        assert rejects["error"].iloc[0] == ""  # the input was declined, the code did not fail
    documents = read(output / "documents.csv")
    assert len(documents) == case.documents or case.status
    if case.status:
        return
    mentions = read(output / "mentions.csv")
    good = documents.loc[documents["path"] == "good.txt", "doc_id"].item()
    assert {"Instituto Municipal de las Mujeres", "Laura Méndez Ortiz"} <= set(
        mentions.loc[mentions["doc_id"] == good, "text"])
    assert "previo.txt" not in set(documents["path"])  # the earlier set was replaced whole
    if case.check:
        case.check(documents, mentions)


def test_bad_input_output_folder_inside_the_input(model: Language, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_text(GOOD, encoding="utf-8")
    output = inputs / "processed"
    for _ in range(2):  # the second run finds the first run's tables inside its input
        assert main(["-q", "extract", "--input", str(inputs), "--output", str(output)]) == 0
    (tmp_path / "other").mkdir()
    assert main(["-q", "extract", "--input", str(tmp_path), "--output",
                 str(tmp_path / "other")]) == 0  # in/processed holds a run.json: skipped too
    for folder in (output, tmp_path / "other"):
        assert read(folder / "rejects.csv").empty
        assert len(read(folder / "documents.csv")) == 1
        verify(folder)
    assert "1 document read, 0 rejected" in capsys.readouterr().err


def test_bad_input_stale_per_year_files_removed(model: Language, tmp_path: Path) -> None:
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    dated = {"a.txt": "Miércoles 8 de Marzo del 2023", "b.txt": "Lunes 8 de Abril del 2024"}
    for name, day in dated.items():
        (inputs / name).write_text(f"Taller\n{day}\n{GOOD}", encoding="utf-8")
    assert main(["-q", "extract", "--input", str(inputs), "--output", str(output),
                 "--by", "year"]) == 0
    assert {"edges-2023.csv", "graph-2023.gexf", "edges-2024.csv"} <= set(os.listdir(output))
    (inputs / "a.txt").unlink()
    assert main(["-q", "extract", "--input", str(inputs), "--output", str(output),
                 "--by", "year"]) == 0
    names = set(os.listdir(output))
    assert "edges-2024.csv" in names and not any("2023" in n for n in names)
    assert set(json.loads((output / RUN_FILE).read_text())["files"]) == names - {RUN_FILE}


@pytest.mark.parametrize(("command", "said"), [
    (["report"], ["mentions.csv was changed since the run of",
                  "rerun `python -m pipeline extract --output"]),
    (["explain", "Instituto Municipal de las Mujeres", "Red Mesa de Mujeres"],  # in Spanish
     ["mentions.csv cambió desde la ejecución que escribió run.json",
      "vuelva a ejecutar `python -m pipeline extract --output"])])
def test_bad_input_tables_of_two_runs_are_refused(command: list[str], said: list[str],
                                                  earlier_run: Path,
                                                  tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "out"
    shutil.copytree(earlier_run, output)
    (output / "mentions.csv").write_text("de otra corrida\n", encoding="utf-8")
    args = [*command, "--input", str(output)]
    if command == ["report"]:
        args += ["--output", str(tmp_path / "report")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and len(err.splitlines()) == 1
    assert all(words in err for words in said)
