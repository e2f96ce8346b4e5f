"""Privacy by default: a person is named only when some release gives them a public role or
an institution; everyone else is withheld from every output, and from the per-document
results before anything stores them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import nbformat
import pandas as pd
import pyarrow.parquet as pq
import pytest
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from spacy.language import Language

from pipeline.arrow import Codec
from pipeline.cli import main
from pipeline.config import SettingsError, load_settings
from pipeline.corpus.identities import entity_id_for, identity_key
from pipeline.document.nlp import model_label
from pipeline.document.privacy import (
    PrivacyKeyError,
    is_public,
    is_token,
    load_or_create_key,
    load_public_roles,
    person_token,
    withhold_private_people,
)
from pipeline.document.rules import load_context_words
from pipeline.document.stage import analyse
from pipeline.knowledge import fold, load_roles
from pipeline.publish.explain import explain
from pipeline.publish.tables import TablesError, evaluate_tables, load_tables
from pipeline.records import Affiliation, DocumentResult, Mention
from pipeline.run import extract_corpus
from pipeline.sources.ingest import list_inputs, read_inputs

VICTIM = "Rosa Elena Gutiérrez Pando"
MOTHER = "Josefina Pando Leyva"  # "la madre de la víctima, …"
DAUGHTER = "Lucía Fernanda Ortiz Salas"  # "la hija de la directora del IMM, …": not hers
PRIVATE = (VICTIM, MOTHER, DAUGHTER)
# Private words no output may hold: the names, their parts, the title in capitals.
PRIVATE_WORDS = ("Gutiérrez", "GUTIÉRREZ", "Josefina", "Pando", "Lucía Fernanda", "Ortiz Salas")
COUNCILLOR = "Marisela Quintana Robles"  # "la regidora …"
DIRECTOR = "Héctor Manuel Ibarra Soto"  # director in one release, no role in the other
WIFE = "Teresa Luján Ibarra"  # "su esposa, …, presidenta del Sistema …": her own role
IMM, CJM = "Instituto Municipal de las Mujeres", "Centro de Justicia para las Mujeres"
RELEASES = [
    # From Juárez's press room: releases nothing places keep their bodies to themselves.
    {"id": "victima", "url": "https://juarez.gob.mx/noticia/1/victima",
     "title": "ATIENDEN A ROSA ELENA GUTIÉRREZ PANDO TRAS AGRESIÓN",
     "text": f"La regidora {COUNCILLOR} acompañó a {VICTIM}, víctima de violencia familiar, "
             f"al {CJM}. {VICTIM} acudió al {CJM} con personal del {IMM} el 3 de marzo de "
             f"2024. La madre de la víctima, {MOTHER}, agradeció el apoyo. La hija de la "
             f"directora del {IMM}, {DAUGHTER}, también asistió. Gutiérrez Pando pidió "
             "justicia a la Fiscalía General del Estado."},
    {"id": "rol", "url": "https://juarez.gob.mx/noticia/2/rol",
     "title": "Presentan programa de prevención",
     "text": f"{DIRECTOR}, director del Instituto Municipal de Investigación y Planeación, "
             f"presentó el programa de prevención de la violencia de género ante el {IMM}."},
    {"id": "sin-rol", "url": "https://juarez.gob.mx/noticia/3/sin-rol",
     "title": f"{DIRECTOR} inaugura taller",
     "text": f"{DIRECTOR} inauguró un taller sobre violencia de género con vecinas de la "
             f"colonia Anapra, organizado por el {IMM}."},
    {"id": "esposa", "url": "https://juarez.gob.mx/noticia/4/esposa",
     "title": "Entregan apoyos",
     "text": f"El alcalde Mario Vázquez Lerma asistió con su esposa, {WIFE}, presidenta del "
             "Sistema para el Desarrollo Integral de la Familia, a la entrega de apoyos para "
             "mujeres víctimas de violencia."},
]
TABLES = ("documents.csv", "mentions.csv", "entities.csv", "affiliations.csv", "events.csv")


def _write_releases(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "releases.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RELEASES),
                    encoding="utf-8")
    return path


def _table(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(folder / name, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def _files_holding(folder: Path, words: tuple[str, ...]) -> list[str]:
    return [f"{path}: {word}" for path in sorted(folder.rglob("*")) if path.is_file()
            for word in words if word.encode() in path.read_bytes()]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """`extract -v` through the command line, with its own key and interim folder:
    (the run's folder, its stderr)."""
    folder = tmp_path_factory.mktemp("privacy-run")
    releases = _write_releases(folder / "input")
    env = {**os.environ, "PIPELINE_PRIVACY_KEY": str(folder / "interim" / "privacy.key"),
           "PIPELINE_INTERIM": str(folder / "interim")}
    done = subprocess.run([sys.executable, "-m", "pipeline", "-v", "extract", "--input",
                           str(releases), "--output", str(folder / "out")], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return folder, done.stderr


def test_a_victim_without_a_role_is_withheld_everywhere(run: tuple[Path, str]) -> None:
    folder, stderr = run
    out = folder / "out"
    mentions = _table(out, "mentions.csv")
    withheld = mentions[mentions["withheld"] == "true"]
    assert len(withheld) >= 3 and set(withheld["label"]) == {"PER"}
    assert (withheld["text"] == "").all()
    assert mentions["sentence"].str.contains(r"\[persona\]", regex=True).any()
    entities = _table(out, "entities.csv")
    hidden = entities[entities["withheld"] == "true"]
    assert len(hidden) == 3  # counted: the victim, her mother, the director's daughter
    assert (hidden["name"] == "").all() and (hidden["aliases"] == "").all()
    assert set(withheld["entity_id"]) == set(hidden["entity_id"])
    titles = _table(out, "documents.csv").set_index("url")["title"]
    assert titles["https://juarez.gob.mx/noticia/1/victima"] == "ATIENDEN A [persona] TRAS AGRESIÓN"
    events = _table(out, "events.csv")
    assert "[persona]" in " ".join(events["people"])
    # Nothing written anywhere (tables, graphs, the key's folder and any interim store)
    # and nothing logged holds a private name or a part of one.
    assert _files_holding(folder / "out", PRIVATE_WORDS) == []
    assert _files_holding(folder / "interim", PRIVATE_WORDS) == []
    assert not [word for word in PRIVATE_WORDS if word in stderr]
    assert "3 private persons withheld" in stderr


def test_explain_shows_withheld_people_as_persona(run: tuple[Path, str]) -> None:
    text = explain(run[0] / "out", IMM, CJM)
    assert f"> [persona] acudió al {CJM} con personal del {IMM}" in text
    assert not [word for word in PRIVATE_WORDS if word in text]


def test_people_with_a_public_role_are_named(run: tuple[Path, str]) -> None:
    out = run[0] / "out"
    mentions = _table(out, "mentions.csv")
    named = set(mentions.loc[mentions["withheld"] == "false", "text"])
    assert {COUNCILLOR, DIRECTOR, WIFE, "Mario Vázquez Lerma"} <= named
    affiliations = _table(out, "affiliations.csv")
    assert COUNCILLOR in set(affiliations["person"])
    # The role a kinship phrase names is the mother's, not the daughter's: no row for it.
    assert not ((affiliations["person"] == "") & (affiliations["role"] == "directora")).any()


def test_a_role_in_one_release_names_the_person_in_every_release(
        run: tuple[Path, str]) -> None:
    out = run[0] / "out"
    documents = _table(out, "documents.csv")
    assert f"{DIRECTOR} inaugura taller" in set(documents["title"])
    mentions = _table(out, "mentions.csv")
    director = mentions[mentions["text"] == DIRECTOR]
    assert director["doc_id"].nunique() == 2 and director["entity_id"].nunique() == 1
    assert director["sentence"].str.startswith(DIRECTOR).all()


def test_kinship_words_do_not_make_a_person_public() -> None:
    assert not is_public(Affiliation("d", "Ana Ruiz", "esposa", "Instituto Municipal"))
    assert not is_public(Affiliation("d", "Ana Ruiz", "madre", ""))
    assert not is_public(Affiliation("d", "Ana Ruiz", "abogada", ""))  # alone: anyone's
    assert is_public(Affiliation("d", "Ana Ruiz", "abogada", "Fiscalía General del Estado"))
    assert is_public(Affiliation("d", "Ana Ruiz", "regidora", ""))


def test_every_public_role_is_a_role_and_no_kinship_word() -> None:
    canonical = {fold(role.canonical) for role in load_roles()}
    assert load_public_roles() and load_public_roles() <= canonical
    assert not load_public_roles() & load_context_words().kin


def test_withheld_entity_ids_do_not_reveal_the_name(run: tuple[Path, str],
                                                    tmp_path: Path) -> None:
    entities = _table(run[0] / "out", "entities.csv")
    hidden = set(entities.loc[entities["withheld"] == "true", "entity_id"])
    from_names = {entity_id_for("PER", identity_key("PER", name)) for name in PRIVATE}
    assert hidden and not hidden & from_names  # ids follow the keyed token, not the name
    # A token is keyed: another key gives another token for the same name.
    first, second = (load_or_create_key(tmp_path / name) for name in ("a.key", "b.key"))
    assert person_token(VICTIM, first) != person_token(VICTIM, second)
    assert person_token(VICTIM, first) == person_token(VICTIM.upper(), first)
    assert is_token(person_token(VICTIM, first))


def test_per_document_results_hold_no_private_name(nlp: Language, tmp_path: Path) -> None:
    """What any store of results receives: the DocumentResult records themselves."""
    releases = _write_releases(tmp_path)
    key = load_or_create_key(tmp_path / "privacy.key")
    rejects: list = []
    results = list(analyse(read_inputs(releases, list_inputs(releases)), nlp, load_settings(),
                           rejects, privacy_key=key))
    assert len(results) == len(RELEASES) and not rejects
    codec = Codec(DocumentResult)  # the values the interim store's shards hold
    stored = json.dumps([codec.encode(r) for r in results], ensure_ascii=False, default=str)
    assert not [word for word in PRIVATE_WORDS if word in stored]
    assert COUNCILLOR in stored and person_token(VICTIM, key) in stored
    assert model_label(nlp) in stored


def test_a_fault_on_a_release_is_reported_without_its_names(
        nlp: Language, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """An exception message can quote a name (a KeyError on a canonical name): the reject's
    reason and the log line say "[persona]" instead."""
    def failing(text: str, mentions: list[Mention]) -> list[Affiliation]:
        raise KeyError(" and ".join(m.canonical for m in mentions if m.label == "PER"))

    monkeypatch.setattr("pipeline.document.stage.find_affiliations", failing)
    releases = _write_releases(tmp_path)
    rejects: list = []
    results = list(analyse(read_inputs(releases, list_inputs(releases)), nlp, load_settings(),
                           rejects, privacy_key=load_or_create_key(tmp_path / "k")))
    assert results == [] and len(rejects) == len(RELEASES)
    assert {r.error for r in rejects} == {"KeyError"}
    assert {part for r in rejects for part in r.reason.strip("'").split(" and ")} == {"[persona]"}
    named = (*PRIVATE, COUNCILLOR, DIRECTOR, WIFE)
    assert not [name for name in named for r in rejects if name in r.reason]
    assert "KeyError" in caplog.text and not [name for name in named if name in caplog.text]


def test_the_opt_in_names_everyone(nlp: Language, tmp_path: Path) -> None:
    releases = _write_releases(tmp_path / "input")
    settings = replace(load_settings(), include_private_persons=True)
    summary = extract_corpus(releases, tmp_path / "out", settings=settings, nlp=nlp)
    assert "withheld" not in summary.line()
    mentions = _table(tmp_path / "out", "mentions.csv")
    assert (mentions["withheld"] == "false").all()
    assert set(PRIVATE) <= set(mentions["text"])
    assert (_table(tmp_path / "out", "entities.csv")["withheld"] == "false").all()
    assert "ROSA ELENA GUTIÉRREZ PANDO" in " ".join(_table(tmp_path / "out",
                                                           "documents.csv")["title"])


def test_scores_need_every_person(run: tuple[Path, str], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Scoring tables that withhold people is refused; `evaluate` names everyone itself."""
    gold = tmp_path / "gold.jsonl"
    text = RELEASES[0]["text"]
    (tmp_path / "victima.txt").write_text(text, encoding="utf-8")
    gold.write_text(json.dumps({"id": "victima", "published": None, "gbv_prevention": True,
                                "persons": [{"name": VICTIM, "mentions": [VICTIM]}],
                                "organizations": []}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TablesError, match="--include-private-persons"):
        evaluate_tables(load_tables(run[0] / "out"), gold)
    assert main(["evaluate", "--gold", str(gold), "--input", str(tmp_path / "victima.txt"),
                 "--output", str(tmp_path / "scored")]) == 0
    assert VICTIM in set(_table(tmp_path / "scored", "mentions.csv")["text"])
    assert "PER entities" in capsys.readouterr().out


def test_the_key_is_made_once_private_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "interim" / "privacy.key"
    key = load_or_create_key(path)
    assert len(key) == 32 and load_or_create_key(path) == key
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    path.write_text("not a key\n", encoding="ascii")
    with pytest.raises(PrivacyKeyError, match="delete it to make a new one"):
        load_or_create_key(path)
    with pytest.raises(PrivacyKeyError, match="set privacy_key"):
        load_or_create_key(path / "below-a-file.key")  # its folder cannot be made


def test_the_setting_reads_true_and_false_from_the_environment() -> None:
    assert load_settings({}).include_private_persons is False
    assert load_settings({"PIPELINE_INCLUDE_PRIVATE_PERSONS": "true"}).include_private_persons
    with pytest.raises(SettingsError, match="include_private_persons"):
        load_settings({"PIPELINE_INCLUDE_PRIVATE_PERSONS": "maybe"})


# Issue 27: privacy by allow-list, whatever the model finds or calls a name.
HOSTILE = [
    {"id": "marcha", "url": "https://example.org/marcha",
     "title": "Acompañan a la familia de Rosalinda Quiñónez Barrientos",
     "text": "La Fiscalía General del Estado acompañó a la familia de Rosalinda Quiñónez "
             "Barrientos durante la marcha contra la violencia de género del 25 de noviembre "
             "de 2024. El Instituto Municipal de las Mujeres acompañó a la familia de Rosalinda "
             "Quiñónez Barrientos durante la marcha, con la Red Mesa de Mujeres."},
    {"id": "carrera", "url": "https://example.org/carrera",
     "title": "Carrera contra la violencia de género",
     "text": "La regidora Marisela Quintana Robles entregó los premios de la carrera del "
             "Instituto Municipal de las Mujeres contra la violencia de género. Los ganadores "
             "fueron Aldaír Calderón 29:34, Kenia Ivette Sotelo 30:10 y Yaretzi Quintanilla "
             "30:45. Por su parte, Rosalía Tarango, una mujer de la comunidad rarámuri, "
             "presentó el foro del Instituto Chihuahuense de las Mujeres sobre violencia de "
             "género."},
]
LABELLED_AN_INSTITUTION = ("Rosalinda", "Quiñónez", "Quinonez", "Barrientos")
MISSED = ("Aldaír", "Aldair", "Calderón", "Yaretzi", "Quintanilla", "Tarango", "Kenia Ivette")


def _written_texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text; the store's Parquet shards decoded (their
    columns are compressed, so their bytes would hide a name)."""
    texts = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".parquet" or path.name.endswith(".parquet.corrupt"):
            texts[str(path)] = json.dumps(pq.read_table(path).to_pylist(), ensure_ascii=False,
                                          default=str)
        else:
            texts[str(path)] = path.read_bytes().decode("utf-8", "replace")
    return texts


def _holding(texts: dict[str, str], words: tuple[str, ...]) -> list[str]:
    """Where any of ``words`` is written, accents and case aside."""
    return [f"{where}: {word}" for where, text in texts.items() for word in words
            if fold(word) in fold(text)]


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """`extract -v` on the hostile releases, then `report`: every file written (tables,
    graphs, report, figures, the store) and the logs, as text; and the output folder."""
    folder = tmp_path_factory.mktemp("hostile-privacy")
    (folder / "in").mkdir()
    (folder / "in" / "releases.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in HOSTILE), encoding="utf-8")
    env = {**os.environ, "PIPELINE_PRIVACY_KEY": str(folder / "key" / "privacy.key"),
           "PIPELINE_INTERIM": str(folder / "interim")}
    logs = []
    for command in (["extract", "--input", str(folder / "in"), "--output", str(folder / "out")],
                    ["report", "--input", str(folder / "out"), "--output",
                     str(folder / "report")]):
        done = subprocess.run([sys.executable, "-m", "pipeline", "-v", *command], env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        logs.append(done.stderr)
    texts = {**_written_texts(folder / "out"), **_written_texts(folder / "report"),
             **_written_texts(folder / "interim"), "the logs": "\n".join(logs),
             "notebook 2.0": _notebook_html("2.0-institution-network", folder / "out")}
    return texts, folder / "out"


def _notebook_html(name: str, processed: Path) -> str:
    """The notebook run on ``processed`` and exported, as `make notebooks-run` does."""
    project = Path(__file__).resolve().parents[1]
    path = project / "notebooks" / f"{name}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    environment = {"PIPELINE_PROCESSED_DIR": str(processed), "PYTHONPATH": os.pathsep.join(
        filter(None, [str(project), os.environ.get("PYTHONPATH")]))}
    previous = {key: os.environ.get(key) for key in environment}
    os.environ.update(environment)
    try:
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key)
            else:
                os.environ[key] = value
    return HTMLExporter().from_notebook_node(notebook)[0]


def test_a_victim_the_model_labels_an_institution_is_withheld_everywhere(
        hostile_run: tuple[dict[str, str], Path]) -> None:
    texts, out = hostile_run
    assert "graph.gexf" in " ".join(texts) and any(k.endswith("report.html") for k in texts)
    assert "Fiscalía General del Estado" in texts["notebook 2.0"]
    assert _holding(texts, LABELLED_AN_INSTITUTION) == []
    entities = _table(out, "entities.csv")
    assert (entities.loc[entities["label"] == "ORG", "name"] != "").all()
    assert "Fiscalía General del Estado" in set(entities["name"])
    titles = set(_table(out, "documents.csv")["title"])
    assert "Acompañan a la familia de [persona]" in titles


def test_names_the_model_misses_are_masked_in_every_output(
        hostile_run: tuple[dict[str, str], Path]) -> None:
    texts, out = hostile_run
    assert _holding(texts, MISSED) == []
    sentences = " ".join(_table(out, "mentions.csv")["sentence"])
    assert "Los ganadores fueron [persona] 29:34, [persona] 30:10 y [persona] 30:45." \
        in sentences
    assert "La regidora Marisela Quintana Robles entregó los premios" in sentences


def test_an_institution_of_any_name_with_a_persons_shape_is_withheld(tmp_path: Path) -> None:
    """Whatever the name, a span labelled ORG with a person's shape is a private person:
    no institution, no name in the sentence or the title, its token instead."""
    text = "En Mazatlán, el Instituto Municipal de las Mujeres acompañó a Yesenia Tarango Loya."
    start = text.index("Yesenia")
    mentions = (Mention("d", "ORG", "Instituto Municipal de las Mujeres", 16, 50, text,
                        "ruler:gaz:imm", "Instituto Municipal de las Mujeres"),
                Mention("d", "ORG", "Yesenia Tarango Loya", start, start + 20, text, "ner",
                        "Yesenia Tarango Loya"))
    result = DocumentResult("d", "d.txt", None, "Yesenia Tarango Loya marcha en Mazatlán", None,
                            None, True, 3.0, (), "other", "m", mentions, (),
                            (Affiliation("d", "Ana Ruiz", "integrante", "Yesenia Tarango Loya"),),
                            ())
    key = load_or_create_key(tmp_path / "k")
    withheld = withhold_private_people(result, text, key)
    stored = json.dumps(Codec(DocumentResult).encode(withheld), ensure_ascii=False, default=str)
    assert not [w for w in ("Yesenia", "Tarango", "Loya") if w in stored]
    person = withheld.mentions[1]
    assert person.label == "PER" and is_token(person.canonical)
    assert withheld.title == f"{person.canonical} marcha en Mazatlán"
    assert withheld.affiliations[0].org == ""  # a person is no institution to belong to


@pytest.mark.parametrize("name", ["002.txt", "013.txt"])
def test_the_corpus_private_people_are_named_nowhere(name: str, corpus: Path, nlp: Language,
                                                    tmp_path: Path) -> None:
    """The annotated people without a role or an institution in a release (runners listed
    with their times, a woman of a rarámuri community) appear in no output and no store."""
    gold = next(json.loads(line) for line in (corpus / "gold.jsonl").open(encoding="utf-8")
                if json.loads(line)["id"] == name.removesuffix(".txt"))
    private = tuple(form for person in gold["persons"]
                    if not person.get("role") and not person.get("affiliation")
                    for form in (person["name"], *person["mentions"]))
    assert private
    settings = replace(load_settings(), interim=str(tmp_path / "interim"))
    extract_corpus(corpus / name, tmp_path / "out", settings=settings, nlp=nlp)
    texts = {**_written_texts(tmp_path / "out"), **_written_texts(tmp_path / "interim")}
    assert _holding(texts, private) == []


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository with a notebooks/ folder, as a clone of the project has."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "clon"
    (repo / "notebooks").mkdir(parents=True)
    _git(repo, "init", "-q")
    return repo


def test_the_opt_in_keeps_its_store_where_git_never_picks_it_up(
        repository: Path, nlp: Language, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A run that names everyone, from a notebook's folder with the default relative paths
    (as 3.0 ran): its results go to a store of its own, beside the default one, which tells
    git to ignore it; `git add -A` would publish no name."""
    releases = _write_releases(tmp_path / "input")
    monkeypatch.delenv("PIPELINE_INTERIM")  # the shipped default, data/interim
    monkeypatch.chdir(repository / "notebooks")
    settings = replace(load_settings(), include_private_persons=True)
    extract_corpus(releases, tmp_path / "out", settings=settings, nlp=nlp)
    store = repository / "notebooks" / "data" / "interim-private"
    assert _written_texts(store) and _holding(_written_texts(store), (VICTIM,))
    assert not (repository / "notebooks" / "data" / "interim").exists()
    assert _git(repository, "status", "--porcelain", "--untracked-files=all") == ""


def test_the_project_ignores_every_store_a_notebook_could_write() -> None:
    project = Path(__file__).resolve().parents[1]
    if shutil.which("git") is None or not (project / ".git").exists():
        pytest.skip("not a git checkout")
    for path in ("notebooks/data/interim/0123456789abcdef/x.parquet",
                 "notebooks/data/interim-private/x.parquet", "data/interim-private/x.parquet",
                 "data/interim/0123456789abcdef/x.parquet"):
        assert subprocess.run(["git", "-C", str(project), "check-ignore", "-q", path]
                              ).returncode == 0, path
