"""The README is short, its links resolve, and every command it shows runs here as shown (the
explain example on the development corpus, with the output the README prints); the guide's
explain example too. `make docs` builds the site offline with --strict."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from spacy.language import Language
from test_explore import free_port, get_json, serving
from test_report import corpus_outputs, small_outputs

from pipeline.publish.database import DATABASE_FILE
from pipeline.publish.outputs import verify

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "README.md"
GUIDE = PROJECT / "docs" / "guia.md"
SAMPLE = PROJECT / "data" / "raw"
# Each command the README shows, and the test below that runs it.
RUN_BY = {
    "make extract": "test_make_extract_then_make_report",
    "make report": "test_make_extract_then_make_report",
    "make test": "test_make_test_runs_this_suite",
    ".venv/bin/python -m pipeline extract --input PATH --output DIR": "test_extract_command",
    '.venv/bin/python -m pipeline explain "Instituto Municipal de las Mujeres (Juárez, '
    'Chihuahua)" "Red Mesa" --input DIR': "test_explain_example_on_the_development_corpus",
    "make explore": "test_make_explore_serves_the_database",
    "make docs": "test_make_docs_builds_the_site_offline",
}


def blocks(path: Path, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(encoding="utf-8"),
                      re.MULTILINE | re.DOTALL)


def readme_commands() -> list[str]:
    return [line.split("  #")[0].strip() for block in blocks(README, "bash")
            for line in block.splitlines() if line.strip()]


def run(command: str, **substitutions: str) -> subprocess.CompletedProcess[str]:
    """A README command, its placeholders (PATH, DIR) replaced, run from the project."""
    words = [substitutions.get(word, word) for word in shlex.split(command)]
    return subprocess.run(words, cwd=PROJECT, capture_output=True, text=True, timeout=600)


def make_ready() -> None:
    """Skip unless `make` is there and would not reinstall .venv first."""
    installed = PROJECT / ".venv" / ".installed"
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    if not installed.is_file() or installed.stat().st_mtime < (
            PROJECT / "pyproject.toml").stat().st_mtime:
        pytest.skip("run through `make test`: the targets would reinstall .venv first")


def make(*words: str) -> subprocess.CompletedProcess[str]:
    make_ready()
    result = subprocess.run(["make", "-s", *words], cwd=PROJECT, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def test_the_readme_is_short_and_its_links_resolve() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not re.match(r"https?://", t)]
    assert local and all((PROJECT / t).is_file() for t in local), [
        t for t in local if not (PROJECT / t).is_file()]


def test_every_command_the_readme_shows_is_run_by_a_test() -> None:
    assert set(readme_commands()) == set(RUN_BY), "add a runner to RUN_BY for a new command"
    assert all(name in globals() for name in RUN_BY.values())


def test_make_extract_then_make_report(tmp_path: Path) -> None:
    processed, reports = tmp_path / "processed", tmp_path / "reports"
    make("extract", f"PROCESSED={processed}")  # the shipped sample in data/raw
    assert DATABASE_FILE in verify(processed)["files"]
    make("report", f"PROCESSED={processed}", f"REPORTS={reports}")
    assert {"report.html", "network.png", "timeline.png", "top_institutions.png"} <= {
        p.name for p in reports.iterdir()}


def test_make_test_runs_this_suite() -> None:
    """`make test` cannot run inside itself: its recipe is what runs this suite."""
    make_ready()
    recipe = subprocess.run(["make", "--no-print-directory", "-n", "test"], cwd=PROJECT,
                            capture_output=True, text=True, check=True).stdout
    assert recipe.strip().splitlines()[-1] == ".venv/bin/python -m pytest"


def test_extract_command(tmp_path: Path) -> None:
    command = next(c for c in RUN_BY if c.startswith(".venv/bin/python -m pipeline extract"))
    result = run(command, PATH=str(SAMPLE), DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "1 documents read" in result.stderr or "1 document read" in result.stderr
    assert {"documents.csv", "edges.csv", "graph.gexf", DATABASE_FILE} <= set(
        verify(tmp_path)["files"])


@pytest.fixture(scope="session")
def corpus_processed(tmp_path_factory: pytest.TempPathFactory, corpus: Path,
                     nlp: Language) -> Path:
    return corpus_outputs(tmp_path_factory.getbasetemp(), corpus, nlp)


def test_explain_example_on_the_development_corpus(corpus_processed: Path) -> None:
    command = next(c for c in RUN_BY if " explain " in c)
    result = run(command, DIR=str(corpus_processed))
    assert result.returncode == 0, result.stderr
    shown = blocks(README, "text")[0].strip()
    assert result.stdout.splitlines()[0] == shown, (
        "the README shows another first line than explain prints now; update the README")
    assert re.search(r"^  > .*Red Mesa", result.stdout, re.MULTILINE), \
        "a sentence that names both"
    ambiguous = run('.venv/bin/python -m pipeline explain "DIF" "Red Mesa" --input DIR',
                    DIR=str(corpus_processed))
    assert ambiguous.returncode == 2 and ambiguous.stdout == ""
    listed = ambiguous.stderr.splitlines()[1:]
    assert len(listed) >= 2 and all(re.search(r": \d+ eventos?, \d+ sobre violencia de género "
                                              r"\[org-", line) for line in listed)
    assert any("(Juárez, Chihuahua)" in line for line in listed)


def test_make_explore_serves_the_database(tmp_path_factory: pytest.TempPathFactory,
                                          nlp: Language) -> None:
    processed = small_outputs(tmp_path_factory.getbasetemp(), nlp)
    make_ready()
    port = free_port()
    with serving(["make", "-s", "explore", f"PROCESSED={processed}", f"PORT={port}"],
                 port) as address:
        months = get_json(f"{address}/prensa-red/eventos_por_mes.json?_shape=array")
    assert months and all(set(row) == {"mes", "eventos", "sobre_violencia_de_genero"}
                          for row in months)


def test_make_docs_builds_the_site_offline(tmp_path: Path) -> None:
    site = tmp_path / "site"
    make("docs", f"SITE={site}")
    pages = sorted(site.rglob("*.html"))
    assert {"index.html", "guia.html", "datos.html"} <= {p.name for p in pages}
    assert (site / "reference" / "privacy.html").is_file()
    for page in pages:
        loaded = re.findall(r"<(?:script|link|img)[^>]+(?:src|href)=\"(https?://[^\"]+)",
                            page.read_text(encoding="utf-8"))
        assert not loaded, f"{page.name} loads {loaded} from the internet"
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8")):
        assert (site / image).is_file(), image


def test_make_docs_fails_on_a_broken_link(tmp_path: Path) -> None:
    """--strict: a copy of the docs with a link to a page that does not exist fails."""
    copy = tmp_path / "project"
    shutil.copytree(PROJECT / "docs", copy / "docs")
    shutil.copy(PROJECT / "mkdocs.yml", copy / "mkdocs.yml")
    with (copy / "docs" / "guia.md").open("a", encoding="utf-8") as guide:
        guide.write("\nVea [la página que falta](no-existe.md).\n")
    result = subprocess.run([str(PROJECT / ".venv" / "bin" / "python"), "-m", "mkdocs",
                             "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=copy, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0 and "no-existe.md" in result.stderr


def test_the_guide_s_explain_example(tmp_path_factory: pytest.TempPathFactory,
                                     nlp: Language) -> None:
    """The guide's practice corpus is the project's own tests/fixtures/corpus_small."""
    processed = small_outputs(tmp_path_factory.getbasetemp(), nlp)
    command = next(line for block in blocks(GUIDE, "bash") for line in block.splitlines()
                   if " explain " in line)
    result = run(command, **{"data/practica": str(processed)})
    assert result.returncode == 0, result.stderr
    shown = blocks(GUIDE, "text")[0].strip().splitlines()
    assert result.stdout.splitlines()[:len(shown)] == shown
