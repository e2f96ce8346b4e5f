"""The notebooks: stored without outputs, in Spanish, and run top to bottom on the small corpus's
tables, then exported to HTML as `make notebooks-run` does."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from spacy.language import Language
from test_report import SMALL_CORPUS, small_outputs

from pipeline.publish.tables import load_events

PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
# Words that give away an English heading or sentence in a notebook's text.
ENGLISH = re.compile(r"\b(the|and|of|per|with|network|growth|scores|errors|explore|evaluate|"
                     r"reads|where|which)\b", re.IGNORECASE)


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


def test_notebooks_are_named_by_convention() -> None:
    assert [n.stem for n in NOTEBOOKS] == ["1.0-explore-entities", "2.0-institution-network",
                                           "3.0-evaluation"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{path.name}: a cell has outputs; strip them (nbstripout) before committing")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_text_is_in_spanish(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"`[^`]*`", "", cell.source)  # code names stay as they are
            assert not ENGLISH.search(prose), f"{path.name}: English in {cell.source[:80]!r}"
        else:
            for text in re.findall(r'(?:title|set_title|set_xlabel|set_ylabel|print)\(\s*f?"'
                                   r'([^"]*)"', cell.source):
                assert not ENGLISH.search(text), f"{path.name}: English in {text!r}"


def _outputs_text(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
                     + str(output.get("data", {}).get("text/html", ""))
                     for cell in notebook.cells for output in cell.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path: Path, processed: Path, monkeypatch: pytest.MonkeyPatch,
                       tmp_path: Path) -> None:
    monkeypatch.setenv("PIPELINE_PROCESSED_DIR", str(processed))
    monkeypatch.setenv("PIPELINE_GOLD", str(SMALL_CORPUS / "gold.jsonl"))
    # The kernel imports this checkout's package even where it is not pip-installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(path, as_version=4)
    # Raises CellExecutionError, naming the cell and its traceback, on any error.
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    text = _outputs_text(notebook)
    assert "Traceback" not in text
    assert not any(o.get("output_type") == "error" for c in notebook.cells
                   for o in c.get("outputs", []))
    events = load_events(processed)
    undated = int(events["date"].isna().sum())
    html, _ = HTMLExporter().from_notebook_node(notebook)  # what `make notebooks-run` writes
    (tmp_path / f"{path.stem}.html").write_text(html, encoding="utf-8")
    if path.stem == "1.0-explore-entities":
        assert f"de ellos {undated} sin fecha" in text
        assert "filas para revisar" in text
    if path.stem == "2.0-institution-network":
        undated_gbv = int((events["date"].isna() & events["gbv_related"]).sum())
        assert f"{undated_gbv} de ellos sin fecha" in text
        assert "<iframe" in text and "network-data" in text, "the interactive widget is missing"
        assert "srcdoc=" in html and "instituciones rotuladas" in html
    if path.stem == "3.0-evaluation":
        assert f"gold: {SMALL_CORPUS / 'gold.jsonl'}" in text
        assert "personas" in text and "instituciones" in text and "se extraen" not in text


def test_evaluation_notebook_leaves_no_name_where_git_would_pick_it_up(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """3.0 extracts the annotated releases with every person named when the tables withhold
    people: from a clone's notebooks/ folder, with the default paths, nothing it writes is left
    for `git add -A` (it all stays in a temporary folder)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "clon"
    (repo / "notebooks").mkdir(parents=True)
    notebook_path = repo / "notebooks" / "3.0-evaluation.ipynb"
    shutil.copy(PROJECT / "notebooks" / "3.0-evaluation.ipynb", notebook_path)
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "clon"]):
        subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True)
    monkeypatch.setenv("PIPELINE_PROCESSED_DIR", str(tmp_path / "sin-tablas"))
    monkeypatch.setenv("PIPELINE_GOLD", str(SMALL_CORPUS / "gold.jsonl"))
    monkeypatch.delenv("PIPELINE_INTERIM")  # the shipped default, data/interim
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(notebook_path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook_path.parent)}}).execute()
    assert "se extraen" in _outputs_text(notebook)
    status = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--ignored",
                             "--untracked-files=all"], check=True, capture_output=True,
                            text=True).stdout
    assert status == ""
