"""The interim store: reruns reuse what is unchanged, and only that; stale shards go."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.arrow import Codec
from pipeline.cli import main
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
    folders = [p for p in (tmp_path / "store").iterdir() if p.is_dir() and p.name[0] != "."]
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


def _extract_cli(inputs: Path, out: Path, store: Path, nlp: Language,
                 monkeypatch: pytest.MonkeyPatch, *flags: str) -> int:
    monkeypatch.setattr("pipeline.engine.local_nlp", lambda model=None: nlp)
    return main(["-q", "extract", "--input", str(inputs), "--output", str(out),
                 "--interim", str(store), *flags])


def _user_files(folder: Path) -> dict[str, bytes]:
    """Files with the names a store's own may have: a 16-hex folder, a 16-hex file."""
    (folder / "deadbeefdeadbeef").mkdir(parents=True, exist_ok=True)
    (folder / "deadbeefdeadbeef" / "thesis.docx").write_bytes(b"PK\x03\x04 my thesis")
    (folder / "0123456789abcdef").write_bytes(b"notes")
    return {"deadbeefdeadbeef/thesis.docx": b"PK\x03\x04 my thesis",
            "0123456789abcdef": b"notes"}


def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(
        inputs: Path, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "documentos"
    before = _user_files(folder)
    assert _extract_cli(inputs, tmp_path / "out", folder, nlp, monkeypatch) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: interim store {folder} is a folder that holds other files "
                          "(0123456789abcdef, deadbeefdeadbeef) and is not a prensa-red store")
    assert err.count("\n") == 1 and "give --interim a new or empty folder" in err
    assert {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()} == before


def test_a_store_deletes_only_what_it_wrote(inputs: Path, tmp_path: Path,
                                           nlp: Language) -> None:
    """Files put into a store afterwards, even named as its own are (a fingerprint's folder,
    a shard without a manifest entry), survive every prune."""
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    store = tmp_path / "store"
    (fingerprint,) = [p for p in store.iterdir() if p.is_dir() and p.name[0] != "."]
    foreign_shard = fingerprint / ("ab" * 10 + ".parquet")
    foreign_shard.write_bytes(b"not ours")
    before = _user_files(store)
    _run(inputs, tmp_path / "out", replace(settings, min_text_chars=10), nlp)  # prunes the old
    after = {p.relative_to(store).as_posix(): p.read_bytes() for p in store.rglob("*")
             if p.is_file()}
    assert {name: data for name, data in after.items() if name in before} == before
    assert foreign_shard.read_bytes() == b"not ours"
    assert not list(fingerprint.glob("*.sha256"))  # its own shards and entries went


def test_a_corrupt_shard_is_moved_aside_and_its_releases_processed_again(
        inputs: Path, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """4,000 bytes flipped in the middle of a shard, its footer intact: one warning naming
    it, the shard moved aside, its releases processed again, the same tables; never fatal."""
    store = tmp_path / "store"
    assert _extract_cli(inputs, tmp_path / "one", store, nlp, monkeypatch,
                        "--rebuild") == 0
    shard = max(_shards(store), key=lambda p: p.stat().st_size)
    data = bytearray(shard.read_bytes())
    middle = len(data) // 2 - 2000
    data[middle:middle + 4000] = bytes(b ^ 0xFF for b in data[middle:middle + 4000])
    shard.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        assert _extract_cli(inputs, tmp_path / "two", store, nlp, monkeypatch) == 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and shard.name in warnings[0] and "damaged" in warnings[0]
    assert [p.read_bytes() for p in (store / "corrupt").iterdir()] == [bytes(data)]
    assert shard.read_bytes() != bytes(data)  # written afresh by the releases' new results
    for name in TABLES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    caplog.clear()
    assert _extract_cli(inputs, tmp_path / "three", store, nlp, monkeypatch) == 0
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


PAUSED_RUN = """
import sys, time
from pathlib import Path
import pipeline.run
from pipeline.cli import main

original = pipeline.run.index_corpus
def paused(*args, **kwargs):
    print("ready", flush=True)  # its results are stored and indexed: the corpus stage is next
    while not Path(sys.argv[1]).exists():
        time.sleep(0.05)
    return original(*args, **kwargs)

pipeline.run.index_corpus = paused
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("other_settings", [False, True], ids=["same-settings", "other-settings"])
def test_two_runs_sharing_a_store_never_prune_each_others_shards(
        inputs: Path, tmp_path: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], other_settings: bool) -> None:
    """Run B (another corpus) waits between its per-document and corpus stages while run A
    (the same settings: the same fingerprint; or other settings) ends and prunes the shared
    store; B then reads every result it stored."""
    other = tmp_path / "otro"
    other.mkdir()
    (other / "b.txt").write_text(RELEASES[1].replace("taller", "foro regional"),
                                 encoding="utf-8")
    store, go = tmp_path / "store", tmp_path / "go"
    run_b = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN, str(go), "-q", "extract", "--input", str(other),
         "--output", str(tmp_path / "out-b"), "--interim", str(store)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert run_b.stdout is not None and run_b.stdout.readline().strip() == "ready"
        if other_settings:
            monkeypatch.setenv("PIPELINE_MIN_TEXT_CHARS", "10")
        assert _extract_cli(inputs, tmp_path / "out-a", store, nlp, monkeypatch) == 0
        monkeypatch.delenv("PIPELINE_MIN_TEXT_CHARS", raising=False)
        go.touch()
        _, stderr = run_b.communicate(timeout=300)
    finally:
        run_b.kill()
    assert run_b.returncode == 0, stderr
    assert "foro regional" in (tmp_path / "out-b" / "mentions.csv").read_text("utf-8-sig")
    # Alone now, the next run of B prunes A's results and keeps its own.
    capsys.readouterr()
    assert _extract_cli(other, tmp_path / "out-b", store, nlp, monkeypatch) == 0
    assert "0 releases processed, 1 reused" in capsys.readouterr().err


def test_what_killed_writes_left_goes_with_the_next_prune(inputs: Path, tmp_path: Path,
                                                          nlp: Language) -> None:
    settings = _settings(tmp_path)
    _run(inputs, tmp_path / "out", settings, nlp)
    (fingerprint,) = [p for p in (tmp_path / "store").iterdir() if p.is_dir()
                      and p.name[0] != "."]
    leftovers = [fingerprint / (".ab" + "cd" * 8 + "ef.parquet.0123abcd.tmp"),  # a shard's
                 fingerprint / ("ef" * 10 + ".sha256")]  # an entry whose shard never came
    foreign = fingerprint / ".notes.tmp"
    for path in [*leftovers, foreign]:
        path.write_bytes(b"x")
    assert _run(inputs, tmp_path / "out", settings, nlp).processed == 0
    assert not any(path.exists() for path in leftovers) and foreign.exists()
