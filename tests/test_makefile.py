"""Every Make target is documented, `make help` lists them all, and the main ones run."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def targets() -> list[str]:
    return re.findall(r"^([a-zA-Z][\w-]*):", MAKEFILE.read_text(encoding="utf-8"), re.MULTILINE)


def test_every_target_has_a_help_comment_above_it() -> None:
    lines = MAKEFILE.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        match = re.match(r"^([a-zA-Z][\w-]*):", line)
        if match:
            assert lines[index - 1].startswith("## "), f"target {match[1]} has no ## help line"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_help_lists_every_target() -> None:
    result = subprocess.run(["make", "-s", "help"], cwd=MAKEFILE.parent, capture_output=True,
                            text=True, check=True)
    assert result.stdout.startswith("Available rules:")
    listed = re.findall(r"^  (\S+)\s+\S", result.stdout, re.MULTILINE)
    assert listed == targets()
    assert {"extract", "test", "help", "clean"} <= set(listed)


def test_readme_commands_exist() -> None:
    readme = (MAKEFILE.parent / "README.md").read_text(encoding="utf-8")
    for command in re.findall(r"^make (\w+)", readme, re.MULTILINE):
        assert command in targets(), f"README shows make {command}, which the Makefile lacks"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_extract_report_review_and_evaluate_targets_run(tmp_path: Path) -> None:
    """The targets an analyst types, run for real on a release and gold file of our own."""
    installed = MAKEFILE.parent / ".venv" / ".installed"
    if not installed.is_file() or installed.stat().st_mtime < (
            MAKEFILE.parent / "pyproject.toml").stat().st_mtime:
        pytest.skip("run through `make test`: the targets would reinstall .venv first")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "001.txt").write_text(
        "La directora del Instituto Municipal de las Mujeres, Laura Méndez Ortiz, y la Red Mesa "
        "de Mujeres de Ciudad Juárez presentaron una campaña contra la violencia de género.",
        encoding="utf-8")
    (corpus / "gold.jsonl").write_text(json.dumps({
        "id": "001", "published": None, "gbv_prevention": True,
        "persons": [{"name": "Laura Méndez Ortiz", "mentions": ["Laura Méndez Ortiz"]}],
        "organizations": [{"name": "Instituto Municipal de las Mujeres", "aliases": []},
                          {"name": "Red Mesa de Mujeres de Ciudad Juárez", "aliases": []}]},
        ensure_ascii=False) + "\n", encoding="utf-8")
    processed, reports = tmp_path / "processed", tmp_path / "reports"

    def make(*args: str) -> str:
        result = subprocess.run(["make", "-s", *args], cwd=MAKEFILE.parent, capture_output=True,
                                text=True, timeout=600)
        assert result.returncode == 0, result.stderr
        return result.stdout

    make("extract", f"RAW={corpus}", f"PROCESSED={processed}")
    assert (processed / "documents.csv").is_file() and (processed / "edges.csv").is_file()
    make("report", f"PROCESSED={processed}", f"REPORTS={reports}")
    assert (reports / "report.html").is_file()
    make("review", f"PROCESSED={processed}", f"REPORTS={reports}")
    assert (reports / "review.csv").read_text(encoding="utf-8-sig").startswith("rank,kind,")
    corrections = tmp_path / "corrections.csv"
    corrections.write_text("action,target,value,note\nsector,Red Mesa de Mujeres de Ciudad "
                           "Juárez,academic,\n", encoding="utf-8")
    make("extract", f"RAW={corpus}", f"PROCESSED={processed}", f"CORRECTIONS={corrections}")
    assert "academic" in (processed / "entities.csv").read_text(encoding="utf-8-sig")
    scores = make("evaluate", f"CORPUS={corpus}")
    assert "PER entities" in scores and "ORG entities" in scores


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_clean_keeps_raw_data_and_the_privacy_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for path in ("raw/r.txt", "interim/privacy.key", "interim/.gitkeep", "interim/abc/s.parquet",
                 "processed/.gitkeep", "processed/documents.csv"):
        (data / path).parent.mkdir(parents=True, exist_ok=True)
        (data / path).write_text("x", encoding="utf-8")
    subprocess.run(["make", "-s", "-f", str(MAKEFILE), "clean"], cwd=tmp_path, check=True,
                   capture_output=True)
    left = sorted(p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file())
    assert left == ["interim/.gitkeep", "interim/privacy.key", "processed/.gitkeep", "raw/r.txt"]
