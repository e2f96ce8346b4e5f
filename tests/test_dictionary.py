"""The data dictionary describes every file, table and column a run writes, and nothing else;
docs/datos.md is generated from it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import sqlite_utils
from spacy.language import Language
from test_report import small_outputs

from pipeline.config import RUN_FILE
from pipeline.knowledge import KnowledgeError
from pipeline.publish import dictionary
from pipeline.publish.database import DATABASE_FILE
from pipeline.publish.dictionary import load_dictionary, markdown, with_generated

PROJECT = Path(__file__).resolve().parents[1]
DATOS = PROJECT / "docs" / "datos.md"
# Per-period slices repeat the columns of edges.csv and nodes.csv (see docs/datos.md).
_SLICE = re.compile(r"^(?:edges|nodes|graph)-(?:\d{4}|undated)\.")


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def test_every_file_written_is_described(processed: Path) -> None:
    described = {name.strip() for e in load_dictionary() for name in e.file.split(",")}
    written = {p.name for p in processed.iterdir() if p.is_file() and not _SLICE.match(p.name)}
    assert written == described and DATABASE_FILE in written


def test_every_column_written_is_described_in_its_order(processed: Path) -> None:
    for entry in load_dictionary():
        if entry.kind == "csv":
            assert _header(processed / entry.file) == [c.name for c in entry.columns], \
                f"{entry.file}: describe its columns in pipeline/resources/dictionary/columns.tsv"
    run = json.loads((processed / RUN_FILE).read_text(encoding="utf-8"))
    fields = [c.name for c in dictionary.table("run").columns]
    # every field written is described, in order; "corrections" only comes with a file
    assert list(run) == [name for name in fields if name in run]
    assert set(fields) - set(run) <= {"corrections"}


def test_the_database_tables_are_the_dictionary_s(processed: Path) -> None:
    database = sqlite_utils.Database(processed / DATABASE_FILE)
    for entry in (e for e in load_dictionary() if e.in_database):
        assert database[entry.name].columns_dict.keys() == {c.name for c in entry.columns}
    database.close()


def test_datos_md_is_generated_from_the_dictionary() -> None:
    page = DATOS.read_text(encoding="utf-8")
    assert with_generated(page) == page, (
        "docs/datos.md is out of date with pipeline/resources/dictionary; run "
        "`.venv/bin/python -m pipeline.publish.dictionary docs/datos.md`")
    assert "## Vínculos: `edges.csv`" in markdown()
    assert "| `sentence_weight` | número entero |" in markdown()


def test_check_names_a_stale_page_and_the_command_that_mends_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "datos.md"
    page.write_text(f"{dictionary.GENERATED_BEGIN}\n{dictionary.GENERATED_END}\n",
                    encoding="utf-8")
    assert dictionary.main(["--check", str(page)]) == 1
    assert f"pipeline.publish.dictionary {page}`" in capsys.readouterr().err
    assert dictionary.main([str(page)]) == 0 and dictionary.main(["--check", str(page)]) == 0


def test_refresh_rewrites_only_the_generated_part(tmp_path: Path) -> None:
    page = tmp_path / "datos.md"
    page.write_text(f"# Título\n\n{dictionary.GENERATED_BEGIN}\nviejo\n"
                    f"{dictionary.GENERATED_END}\n\nFin.\n", encoding="utf-8")
    assert dictionary.refresh(page) and not dictionary.refresh(page)
    text = page.read_text(encoding="utf-8")
    assert text.startswith("# Título\n\n") and text.endswith("\n\nFin.\n")
    assert "viejo" not in text and "## Comunicados: `documents.csv`" in text
    page.write_text("# Sin marcas\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="lacks the markers"):
        dictionary.refresh(page)


@pytest.mark.parametrize(("line", "message"), [
    ("documents\tdoc_id\tid\n", "expected 4 non-empty fields"),
    ("documents\tdoc_id\tnumber\tUn número.\n", "'number' is invalid; value must be one of"),
    ("lugares\tnombre\ttext\tUn lugar.\n", "columns of tables lugares"),
])
def test_a_bad_line_names_its_file_and_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            line: str, message: str) -> None:
    columns = tmp_path / "columns.tsv"
    columns.write_text("# header\n" + line, encoding="utf-8")
    monkeypatch.setattr(dictionary, "COLUMNS_FILE", columns)
    with pytest.raises(KnowledgeError, match=message):
        load_dictionary.__wrapped__()
