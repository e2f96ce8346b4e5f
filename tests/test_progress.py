"""The command line as a terminal shows it: the inputs listed before the model loads, log
lines and errors on lines of their own above or after the progress bar, an estimate of the
time left only once releases flow, words in their number, and where the files went."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import progress
from pipeline.progress import ProgressBar
from pipeline.run import Summary, counted

GOOD = ("La Secretaría de Seguridad Pública Municipal y el Instituto Municipal de las Mujeres "
        "de Mazatlán presentaron una campaña contra la violencia de género.")


def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """The exit status and stderr, carriage returns kept (text mode would turn them into
    line breaks)."""
    result = subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                            env={**os.environ, **(env or {})}, timeout=300)
    return result.returncode, result.stderr.decode("utf-8")


def screen(output: str) -> list[str]:
    """The lines a terminal shows for ``output``: a carriage return writes over its line."""
    lines = []
    for segment in output.split("\n"):
        shown = ""
        for part in segment.split("\r"):
            shown = part + shown[len(part):]
        lines.append(shown.rstrip())
    return [line for line in lines if line]


def test_words_take_their_number() -> None:
    assert [counted(n, "document") for n in (0, 1, 2)] == ["0 documents", "1 document",
                                                           "2 documents"]
    assert counted(1, "entity", "entities") == "1 entity"
    line = Summary(documents=1, rejected=0, entities=1, edges=1, seconds=1.0, model="m",
                   events=1, duplicates=1, processed=1, reused=0, withheld=1).line()
    assert line.startswith("1 document read, 0 rejected, 1 entity, 1 event (1 duplicate "
                           "release merged), 1 edge in 1.0 s (model m; 1 release processed")
    assert "1 private person withheld" in line


def test_an_empty_folder_says_so_before_the_model_loads(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    # A model that does not exist: had it been looked for, this would be the error.
    status, stderr = run_cli("extract", "--input", str(tmp_path / "in"), "--output",
                             str(tmp_path / "out"), env={"PIPELINE_MODEL": "es_core_news_xx"})
    assert status == 2
    assert screen(stderr) == [
        f"error: no files under {tmp_path / 'in'}: put the releases there (.txt, .html, "
        ".jsonl; folders are read recursively) or give another --input"]
    assert not (tmp_path / "out").exists()


def extract_screen(tmp_path: Path, name: str, content: str) -> list[str]:
    """The lines a terminal shows for a successful ``extract`` of one input file."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_text(content, encoding="utf-8")
    status, stderr = run_cli("extract", "--input", str(tmp_path / "in"), "--output",
                             str(tmp_path / "out"))
    assert status == 0, stderr
    return screen(stderr)


def test_inputs_listed_then_summary_and_output_folder(tmp_path: Path) -> None:
    lines = extract_screen(tmp_path, "mazatlan.txt", GOOD)
    assert lines[0] == f"1 release to read under {tmp_path / 'in'}"
    assert lines[-1].startswith("1 document read, 0 rejected, ")
    assert lines[-1].endswith(f"; the tables and graphs are in {tmp_path / 'out'}")
    assert not any("%|" in line for line in lines), lines  # the bar was cleared


def test_an_error_after_the_bar_starts_is_on_its_own_line(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mazatlan.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "taken").write_text("")  # the output folder cannot be made here
    status, stderr = run_cli("extract", "--input", str(tmp_path / "in"), "--output",
                             str(tmp_path / "taken"))
    assert status == 2
    lines = screen(stderr)
    assert lines[-1].startswith(f"error: cannot use {tmp_path / 'taken'} as the output folder")
    assert "file/s" not in lines[-1] and "%|" not in "".join(lines), lines


def test_log_lines_go_above_the_bar(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "vacio.txt").write_text("", encoding="utf-8")  # logged as skipped
    (tmp_path / "in" / "mazatlan.txt").write_text(GOOD, encoding="utf-8")
    status, stderr = run_cli("-v", "extract", "--input", str(tmp_path / "in"), "--output",
                             str(tmp_path / "out"))
    assert status == 0, stderr
    lines = screen(stderr)
    skipped = [line for line in lines if "skipping vacio.txt" in line]
    assert skipped and all(line.startswith("INFO ") for line in skipped), lines
    assert not any("%|" in line for line in lines), lines


def test_the_time_left_shows_only_once_releases_flow(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    now = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    with ProgressBar("file", announce=lambda n: f"{n} files") as bar:
        tick = bar(12)
        shown = []
        for seconds in (40.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5):  # the model loads first
            now[0] += seconds
            tick()
            shown.append(str(bar._bar))
    assert not any("left" in line for line in shown[:7]), shown  # 3 s after the 2nd release
    # From the second release on: 0.5 s each, so the 4 left after the 8th take about 2 s.
    assert shown[7].endswith(", about 00:02 left]"), shown[7]
    assert "files" in capsys.readouterr().err


def test_a_jsonl_file_counts_its_releases(tmp_path: Path) -> None:
    lines = [f'{{"id": "{n}", "text": "{GOOD}"}}' for n in range(3)]
    shown = extract_screen(tmp_path, "hermosillo.jsonl", "\n".join(lines) + "\n\n")
    assert shown[0] == f"3 releases to read under {tmp_path / 'in'}"
    assert shown[-1].startswith("3 documents read, ")


def test_no_time_left_is_promised_past_the_total(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: now[0])
    with ProgressBar("release") as bar:
        tick = bar(6)  # an estimate that turns out short
        shown = []
        for _ in range(9):
            now[0] += 2.0
            tick()
            shown.append(str(bar._bar))
    assert "about 00:04 left" in shown[3], shown  # 2 s each: 2 left after the 4th
    assert not any("left" in line for line in shown[6:]), shown
    assert not any("-" in line.rpartition("[")[2] for line in shown), shown
