"""The interim store: reruns reuse what is unchanged, and only that; stale shards go."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.arrow import Codec
from pipeline.config import Settings, load_settings
from pipeline.records import Mention
from pipeline.run import Summary, extract_corpus

RELEASES = [
    "La titular del Instituto Municipal de las Mujeres, Rocío Salazar Ibarra, presentó la "
    "campaña contra la violencia de género en las escuelas secundarias.",
    "La Secretaría de Educación y la Comisión Estatal de Derechos Humanos acordaron un "
    "taller sobre igualdad para el personal docente.",
    "El Centro de Atención a Víctimas abrirá una oficina en el sur de la ciudad para "
    "acompañar a mujeres en situación de violencia.",
]
TABLES = ("documents.csv", "mentions.csv", "entities.csv", "dates.csv", "events.csv",
          "edges.csv", "nodes.csv", "rejects.csv")


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Three releases as .txt files, one too short to use, one file of an unknown type."""
    folder = tmp_path / "in"
    folder.mkdir()
    for number, text in enumerate(RELEASES):
        (folder / f"{number}.txt").write_text(text, encoding="utf-8")
    (folder / "corto.txt").write_text("Breve.", encoding="utf-8")
    (folder / "notas.docx").write_bytes(b"PK\x03\x04")
    return folder


def _run(inputs: Path, out: Path, settings: Settings, nlp: Language, **flags: bool) -> Summary:
    return extract_corpus(inputs, out, settings=settings, nlp=nlp, **flags)


def _shards(store: Path) -> list[Path]:
    return sorted(store.glob("*/*.parquet"))


def _settings(tmp_path: Path) -> Settings:
    return replace(load_settings(), interim=str(tmp_path / "store"), shard_size=1)


def test_a_rerun_processes_nothing_and_writes_the_same_tables(
        inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = _settings(tmp_path)
    first = _run(inputs, tmp_path / "one", settings, nlp)
    second = _run(inputs, tmp_path / "two", settings, nlp)
    assert (first.processed, first.reused) == (4, 0)  # three releases and the short one
    assert (second.processed, second.reused) == (0, 4)
    for name in TABLES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    rejects = (tmp_path / "two" / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "corto.txt,clean,no text" in rejects and "notas.docx,ingest" in rejects


def test_a_changed_file_or_setting_reprocesses_just_what_it_changes(
        inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    (inputs / "1.txt").write_text(RELEASES[1] + " Asistieron cuarenta maestras.",
                                  encoding="utf-8")
    (inputs / "3.txt").write_text(RELEASES[0].replace("Rocío", "Elena"), encoding="utf-8")
    edited = _run(inputs, tmp_path / "out", settings, nlp)
    assert (edited.processed, edited.reused) == (2, 3)
    assert "Elena Salazar Ibarra" in (tmp_path / "out" / "mentions.csv").read_text("utf-8-sig")
    neutral = _run(inputs, tmp_path / "out", replace(settings, batch_size=7,
                                                     duplicate_threshold=0.9), nlp)
    assert neutral.processed == 0  # neither changes a release's own result
    stricter = _run(inputs, tmp_path / "out", replace(settings, gbv_threshold=5.0), nlp)
    assert (stricter.processed, stricter.reused) == (5, 0)


def test_rebuild_ignores_stored_results_and_replaces_them(
        inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    before = _shards(tmp_path / "store")
    rebuilt = _run(inputs, tmp_path / "out", settings, nlp, rebuild=True)
    assert (rebuilt.processed, rebuilt.reused) == (4, 0)
    assert len(_shards(tmp_path / "store")) == len(before) == 4
    assert _run(inputs, tmp_path / "out", settings, nlp).processed == 0


def test_stale_shards_are_pruned(inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    (inputs / "2.txt").unlink()
    _run(inputs, tmp_path / "out", settings, nlp)
    assert len(_shards(tmp_path / "store")) == 3  # the removed release's shard went
    _run(inputs, tmp_path / "out", replace(settings, min_text_chars=10), nlp)
    folders = [p for p in (tmp_path / "store").iterdir() if p.is_dir()]
    assert len(folders) == 1  # the old fingerprint's folder went with its results
    assert len(_shards(tmp_path / "store")) == 3


def test_mostly_stale_shards_are_compacted(inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = replace(_settings(tmp_path), shard_size=10)
    _run(inputs, tmp_path / "out", settings, nlp)
    (inputs / "0.txt").unlink()
    (inputs / "1.txt").unlink()
    _run(inputs, tmp_path / "out", settings, nlp)
    shards = _shards(tmp_path / "store")
    assert len(shards) == 1
    rerun = _run(inputs, tmp_path / "out", settings, nlp)
    assert (rerun.processed, rerun.reused) == (0, 2)
    assert _shards(tmp_path / "store") == shards


@pytest.mark.parametrize("store", ["nosuchprotocol://bucket/interim", "{file}/interim"])
def test_an_unusable_store_is_a_one_line_error(store: str, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    release = tmp_path / "r.txt"
    release.write_text(RELEASES[0], encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "-q", "extract", "--input", str(release),
         "--output", str(tmp_path / "out"), "--interim", store.format(file=tmp_path / "file")],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2
    assert result.stderr.startswith("error: interim store ") and result.stderr.count("\n") == 1


@dataclass(frozen=True, slots=True)
class _Later:
    """A record with fields of the kinds other helpers add to DocumentResult."""

    name: str
    day: date | None
    counts: dict[str, int]
    pairs: tuple[tuple[str, str], ...]
    mentions: tuple[Mention, ...] = ()
    tags: frozenset[str] = field(default_factory=frozenset)


def test_the_store_codec_follows_the_dataclass_fields() -> None:
    codec = Codec(_Later)
    record = _Later("x", date(2024, 3, 8), {"a": 1}, (("b", "c"),),
                    (Mention("d", "ORG", "IMM", 0, 3, "IMM.", "ner", "IMM"),), frozenset({"t"}))
    assert codec.decode(codec.encode(record)) == record
    assert codec.decode(codec.encode(replace(record, day=None))).day is None
    assert str(codec.arrow_type.field("day").type) == "date32[day]"


def test_jsonl_lines_keep_their_own_results(tmp_path: Path, nlp: Language) -> None:
    """Appending a release to a .jsonl reprocesses that line alone."""
    lines = [json.dumps({"id": str(n), "text": t}, ensure_ascii=False)
             for n, t in enumerate(RELEASES)]
    source = tmp_path / "releases.jsonl"
    source.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    settings = _settings(tmp_path)
    assert _run(source, tmp_path / "out", settings, nlp).processed == 2
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    added = _run(source, tmp_path / "out", settings, nlp)
    assert (added.processed, added.reused, added.documents) == (1, 2, 3)


def test_a_damaged_shard_is_ignored_and_its_releases_processed_again(
        inputs: Path, tmp_path: Path, nlp: Language) -> None:
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    damaged = _shards(tmp_path / "store")[0]
    damaged.write_bytes(damaged.read_bytes()[:40])
    rerun = _run(inputs, tmp_path / "out", settings, nlp)
    assert (rerun.processed, rerun.reused) == (1, 3)
    assert not damaged.exists() or damaged.stat().st_size > 40
