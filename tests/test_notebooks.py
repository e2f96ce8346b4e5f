"""The notebooks: stored without outputs, and run top to bottom on the small corpus's tables."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from spacy.language import Language
from test_report import SMALL_CORPUS, small_outputs

PROJECT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    return small_outputs(tmp_path_factory.getbasetemp(), nlp)


@pytest.fixture(scope="session")
def processed_all(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    """Every person named: what 3.0-evaluation scores."""
    return small_outputs(tmp_path_factory.getbasetemp(), nlp, include_private_persons=True)


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
def test_notebook_runs(path: Path, processed: Path, processed_all: Path,
                      monkeypatch: pytest.MonkeyPatch) -> None:
    scored = path.stem == "3.0-evaluation"
    monkeypatch.setenv("PIPELINE_PROCESSED_DIR", str(processed_all if scored else processed))
    monkeypatch.setenv("PIPELINE_GOLD", str(SMALL_CORPUS / "gold.jsonl"))
    # The kernel imports this checkout's package even where it is not pip-installed.
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(PROJECT), os.environ.get("PYTHONPATH")])))
    notebook = nbformat.read(path, as_version=4)
    # Raises CellExecutionError, naming the cell and its traceback, on any error.
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    text = "\n".join(str(output.get("text", "")) + str(output.get("data", {}).get("text/plain", ""))
                     for cell in notebook.cells for output in cell.get("outputs", []))
    assert "Traceback" not in text
    assert not any(o.get("output_type") == "error" for c in notebook.cells
                   for o in c.get("outputs", []))
    if path.stem == "3.0-evaluation":
        assert "PER entities" in text and "No gold file" not in text
