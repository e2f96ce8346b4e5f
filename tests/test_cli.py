"""The command line end to end, on real files and the real model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import build_parser, main
from pipeline.publish.network import EDGE_COLUMNS
from pipeline.publish.outputs import verify
from pipeline.publish.write import (
    DATE_COLUMNS,
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    REJECT_COLUMNS,
)

TABLES = {"documents.csv": DOCUMENT_COLUMNS, "mentions.csv": MENTION_COLUMNS,
          "entities.csv": ENTITY_COLUMNS, "dates.csv": DATE_COLUMNS, "edges.csv": EDGE_COLUMNS,
          "rejects.csv": REJECT_COLUMNS}


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


@pytest.fixture(scope="module")
def seed_output(seed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("seed-out")
    result = run_cli("extract", "--input", str(seed), "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "1 document read, 0 rejected" in result.stderr
    return output


def read(output: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(output / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_seed_tables_parse_with_the_documented_columns(seed_output: Path) -> None:
    for name, columns in TABLES.items():
        table = read(seed_output, name)
        assert list(table.columns[:len(columns)]) == columns, name
    for name in ("graph.gexf", "graph.graphml"):
        assert (seed_output / name).stat().st_size > 0


def test_seed_publication_date_and_person(seed_output: Path) -> None:
    documents = read(seed_output, "documents.csv")
    assert documents["published"].tolist() == ["2022-12-07"]
    assert documents["model"].iloc[0].startswith("es_core_news_")
    mentions = read(seed_output, "mentions.csv")
    people = set(mentions.loc[mentions["label"] == "PER", "text"])
    assert "Elvira Urrutia Castro" in people


def test_seed_mentions_point_into_the_body_not_the_chrome(seed_output: Path, seed: Path) -> None:
    mentions = read(seed_output, "mentions.csv")
    assert len(mentions) > 5
    joined = " ".join(mentions["text"]) + " ".join(mentions["sentence"])
    for chrome in ("Últimas Publicaciones", "Francisco Villa", "Sala de Prensa"):
        assert chrome not in joined
    assert not (mentions["sentence"].str.contains("Miércoles 7 de Diciembre")).any()
    # Offsets index the cleaned body: each mention's text sits inside its sentence.
    assert all(t in s for t, s in zip(mentions["text"], mentions["sentence"], strict=True))


def test_same_text_gets_the_same_entity_id(seed_output: Path) -> None:
    mentions = read(seed_output, "mentions.csv")
    named = mentions[mentions["withheld"] == "false"]  # withheld people have no text
    per_text = named.groupby(["label", "text"])["entity_id"].nunique()
    assert (per_text == 1).all()
    entities = read(seed_output, "entities.csv")
    assert set(mentions["entity_id"]) <= set(entities["entity_id"])


def test_bad_inputs_become_rejects_and_good_ones_still_run(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "vacio.txt").write_bytes(b"")
    (inputs / "imagen.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (inputs / "sin-cuerpo.html").write_text("<html><body><nav>Menú</nav></body></html>")
    (inputs / "bueno.txt").write_text(
        "La Secretaría de Seguridad Pública Municipal y el Instituto Municipal de las Mujeres "
        "presentaron una campaña contra la violencia de género en Ciudad Juárez.",
        encoding="utf-8")
    assert main(["-q", "extract", "--input", str(inputs), "--output", str(tmp_path / "out")]) == 0
    rejects = read(tmp_path / "out", "rejects.csv")
    assert sorted(rejects["path"]) == ["imagen.txt", "sin-cuerpo.html", "vacio.txt"]
    assert len(read(tmp_path / "out", "documents.csv")) == 1


def test_nothing_processable_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                            ) -> None:
    (tmp_path / "vacio.txt").write_bytes(b"")
    assert main(["-q", "extract", "--input", str(tmp_path), "--output", str(tmp_path / "o")]) == 1
    assert "no release" in capsys.readouterr().err


def test_missing_input_is_one_line_exit_2() -> None:
    result = run_cli("extract", "--input", "/no/such/folder", "--output", "/tmp/x")
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: input path /no/such/folder does not exist; "
                                     "pass a release file or a folder")


def test_unknown_model_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("texto suficiente para una nota de prensa municipal.")
    result = run_cli("extract", "--input", str(tmp_path), "--output", str(tmp_path / "o"),
                     env={"PIPELINE_MODEL": "es_core_news_xx"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "'es_core_news_xx' is not installed" in result.stderr


def test_every_command_has_help() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert "extract" in commands
    for name, command in commands.items():
        assert command.description or command.format_help(), name
        for action in command._actions:
            assert action.help, f"{name} {action.option_strings} has no help"
    assert run_cli("--help").returncode == 0
    assert run_cli("extract", "--help").returncode == 0


@pytest.mark.parametrize(("args", "message"), [
    (["extract", "--batch-size", "0"], "batch_size = 0 is invalid; value must be >= 1"),
    (["extract", "--processes", "-1"], "processes = -1 is invalid"),
    (["evaluate", "--gold", "/no/such/gold.jsonl"], "gold file /no/such/gold.jsonl does not exist"),
])
def test_bad_flags_are_one_line_exit_2(args: list[str], message: str, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("texto suficiente para una nota de prensa municipal.")
    assert main(["-q", *args, "--input", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert len(err.strip().splitlines()) == 1


def test_output_that_is_a_file_is_one_line_exit_2(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("texto suficiente para una nota de prensa municipal.")
    (tmp_path / "taken").write_text("")
    assert main(["-q", "extract", "--input", str(tmp_path / "a.txt"),
                 "--output", str(tmp_path / "taken")]) == 2
    assert "choose another --output" in capsys.readouterr().err


def test_malformed_gold_names_file_and_line(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("texto suficiente para una nota de prensa municipal.")
    gold = tmp_path / "gold.jsonl"
    gold.write_text("{no json\n", encoding="utf-8")
    assert main(["-q", "evaluate", "--gold", str(gold), "--input", str(tmp_path / "a.txt")]) == 2
    assert capsys.readouterr().err.strip() == f"error: {gold}:1: not valid JSON (Expecting " \
                                              "property name enclosed in double quotes)"


# A run that stops at a chosen point, prints "ready" there and waits to be signalled.
PAUSING_RUN = """
import sys, time
import pipeline.engine, pipeline.store
from pipeline.cli import main

where = sys.argv[1]
owner = pipeline.engine if where == "analyse_into" else pipeline.store.ResultStore
original = getattr(owner, where)

def paused(*args, **kwargs):
    print("ready", flush=True)
    time.sleep(120)
    return original(*args, **kwargs)

setattr(owner, where, paused)
sys.exit(main(sys.argv[2:]))
"""


def _stopped_run(tmp_path: Path, where: str, signal_number: int
                 ) -> tuple[subprocess.CompletedProcess[str], Path]:
    release = tmp_path / "nota.txt"
    release.write_text("El Instituto Municipal de las Mujeres presentó una campaña contra la "
                       "violencia de género en las secundarias.", encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.Popen([sys.executable, "-c", PAUSING_RUN, where, "-q", "extract",
                            "--input", str(release), "--output", str(out), "--interim",
                            str(tmp_path / "store")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert run.stdout is not None and run.stdout.readline().strip() == "ready"
        run.send_signal(signal_number)
        stdout, stderr = run.communicate(timeout=120)
    finally:
        run.kill()
    return subprocess.CompletedProcess(run.args, run.returncode, stdout, stderr), out


def test_sigterm_exits_143_with_a_message_and_releases_the_lock_and_staging(
        tmp_path: Path) -> None:
    done, out = _stopped_run(tmp_path, "analyse_into", signal.SIGTERM)
    assert done.returncode == 143
    assert done.stderr.splitlines()[-1] == (
        f"terminated (SIGTERM); nothing was published ({out} keeps its previous tables whole)")
    assert sorted(p.name for p in out.iterdir()) == []  # no lock, no .staging-*
    assert not list((tmp_path / "store" / ".leases").glob("*.json"))


def test_ctrl_c_after_a_complete_publish_says_the_tables_are_whole(tmp_path: Path) -> None:
    done, out = _stopped_run(tmp_path, "prune", signal.SIGINT)
    assert done.returncode == 130
    assert done.stderr.splitlines()[-1] == (
        f"interrupted; this run's tables were already published whole in {out}; the interim "
        "store is tidied by the next run")
    verify(out)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]
