"""The review sheet: its finders on facts of our own, the sheet a run's tables give (ranked,
private people as tokens, itself a corrections file), and the oracle of `evaluate`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.cli import main
from pipeline.config import load_settings
from pipeline.evaluate.gold import GoldDoc, GoldEntity
from pipeline.evaluate.oracle import Gold, agrees
from pipeline.evaluate.predicted import PredictedDoc, PredictedEntity
from pipeline.publish.review import rank
from pipeline.publish.review_signals import (
    DocumentFacts,
    EntityFacts,
    ReviewCorpus,
    cross_city_rows,
    document_rows,
    duplicate_rows,
    institution_rows,
    person_rows,
    place_rows,
)
from pipeline.publish.sheets import REVIEW_COLUMNS
from pipeline.records import ReviewRow
from pipeline.run import extract_corpus

# Releases of our own: shelters and a survey taken for institutions, a private person.
RELEASES = {
    "001.txt": "El Instituto Municipal de las Mujeres y la Red Mesa de Mujeres de Ciudad Juárez "
               "atendieron a mujeres víctimas de violencia de género que llegaron de Casa "
               "Betania, Manos Unidas del Norte y Refugio Esperanza.",
    "002.txt": "La Dirección de Salud Municipal y el Instituto Municipal de las Mujeres "
               "presentaron la Encuesta Estatal de Seguridad en el marco de la campaña contra "
               "la violencia de género, con Mariela Fuentes Olivas.\n\nLa vecina Rosa Elena "
               "Campos Treviño relató la violencia que sufrió.",
}
GOLD = [
    {"id": "001", "published": None, "gbv_prevention": True, "persons": [], "organizations": [
        {"name": "Instituto Municipal de las Mujeres", "aliases": [], "sector": "municipal"},
        {"name": "Red Mesa de Mujeres de Ciudad Juárez", "aliases": [],
         "sector": "civil_society"}]},
    {"id": "002", "published": None, "gbv_prevention": True, "persons": [
        {"name": "Mariela Fuentes Olivas", "mentions": ["Mariela Fuentes Olivas"]},
        {"name": "Rosa Elena Campos Treviño", "mentions": ["Rosa Elena Campos Treviño"]}],
     "organizations": [
        {"name": "Dirección de Salud Municipal", "aliases": [], "sector": "municipal"},
        {"name": "Instituto Municipal de las Mujeres", "aliases": [], "sector": "municipal"}]},
]
PRIVATE = "Rosa Elena Campos Treviño"


def entity(entity_id: str, name: str, *, label: str = "ORG", jurisdiction: str = "",
           sector: str = "other", docs: tuple[str, ...] = ("d1",), origins: tuple[str, ...] = (
               "ner",), edges: int = 3, withheld: bool = False) -> EntityFacts:
    return EntityFacts(entity_id, label, name, sector, jurisdiction, withheld, len(docs),
                       edges=edges, mentions=len(docs), origins=set(origins),
                       documents=list(docs),
                       sentences=[(d, name, f"Se presentó {name} ayer.") for d in docs])


def corpus(*entities: EntityFacts, documents: tuple[DocumentFacts, ...] = (),
           roles: dict[str, list[tuple[str, str, str]]] | None = None) -> ReviewCorpus:
    docs = {d.doc_id: d for d in documents} or {
        "d1": DocumentFacts("d1", "d1.txt", "t", "León, Guanajuato", True, 9.0, [])}
    return ReviewCorpus({e.entity_id: e for e in entities}, docs, roles or {}, 2.0,
                        {"violencia de género": 3.0, "instituto de las mujeres": 3.0,
                         "mujeres": 0.5})


def test_weak_institutions_are_suggested_and_confirmed_ones_are_not() -> None:
    rows = {r.name: r for r in institution_rows(corpus(
        entity("o1", "Alas de Cambio"),  # the model alone, no head word, once
        entity("o2", "Marisol Ibarra Peña"),  # a person's name taken for a body
        entity("o3", "Feria de la Salud", origins=("rule:org-list",)),
        entity("o4", "Instituto de Cultura de León", origins=("ruler:gaz:x",),
               docs=("d1", "d2", "d3"), sector="municipal", jurisdiction="León, Guanajuato"),
        entity("o5", "Fundación Tierra Firme A.C.", origins=("ner",)),
    ))}
    assert rows["Alas de Cambio"].suggestion == "not_institution"
    assert "solo el modelo" in rows["Alas de Cambio"].reason
    assert "persona" in rows["Marisol Ibarra Peña"].reason
    assert "evento o programa" in rows["Feria de la Salud"].reason
    assert "Instituto de Cultura de León" not in rows
    assert "Fundación Tierra Firme A.C." not in rows  # a legal form says it is a body


def test_a_venue_named_as_a_place_is_doubtful_and_a_service_body_less_so() -> None:
    shelter = entity("o1", "Casa Girasol", origins=("ruler:head:casa",), sector="municipal",
                     jurisdiction="Tijuana, Baja California")
    shelter.sentences = [("d1", "Casa Girasol", "Las familias duermen en la Casa Girasol.")]
    service = entity("o2", "Centro de Atención a Víctimas", origins=("ruler:head:centro",),
                     sector="municipal", jurisdiction="Tijuana, Baja California")
    service.holders = 1
    rows = {r.name: r for r in institution_rows(corpus(shelter, service))}
    assert "lugar donde ocurre algo" in rows["Casa Girasol"].reason
    assert "Centro de Atención a Víctimas" not in rows


def test_likely_duplicates_of_one_place_are_merged_into_the_larger() -> None:
    place = "León, Guanajuato"
    rows = list(duplicate_rows(corpus(
        entity("o1", "DDR", jurisdiction=place, sector="municipal"),
        entity("o2", "Dirección de Desarrollo Rural", jurisdiction=place, sector="municipal",
               docs=("d1", "d2")),
        entity("o3", "Dirección de Ecología", jurisdiction=place, docs=("d1", "d2", "d3")),
        entity("o4", "Dirección de Ecología Municipal", jurisdiction=place),
        entity("o5", "Coordinación de Enlace Norte", jurisdiction=place, docs=("d4",)),
        entity("o6", "Coordinación de Enlace", jurisdiction=place, docs=("d5", "d6")),
        entity("o7", "Dirección de Ecología", jurisdiction="Tijuana, Baja California"),
    )))
    merges = {(r.target, r.suggested_value) for r in rows}
    assert ("o1", "o2") in merges  # an acronym spells the other's initials
    assert ("o4", "o3") in merges  # they differ only by a level of government
    assert not {("o5", "o6"), ("o7", "o3"), ("o3", "o7")} & merges  # a district; two places


def test_a_body_of_one_city_in_a_release_about_another_is_suggested_apart() -> None:
    body = entity("o1", "Instituto Municipal de la Juventud", jurisdiction="Mazatlán, Sinaloa",
                  sector="municipal", docs=("d1", "d2"))
    documents = (DocumentFacts("d1", "1.txt", "t", "Mazatlán, Sinaloa", True, 9.0, []),
                 DocumentFacts("d2", "2.txt", "t", "León, Guanajuato", True, 9.0, [], ["o1"]))
    rows = list(cross_city_rows(corpus(body, documents=documents)))
    assert [(r.suggestion, r.target, r.suggested_value) for r in rows] == [
        ("detach", "o1", "d2")]


def test_a_name_that_ends_with_another_place_suggests_that_jurisdiction() -> None:
    rows = list(place_rows(corpus(entity("o1", "Instituto de las Mujeres de Tijuana",
                                         jurisdiction="Mexicali, Baja California",
                                         sector="municipal"))))
    assert [(r.suggestion, r.suggested_value) for r in rows] == [
        ("jurisdiction", "Tijuana, Baja California")]


def test_people_on_thin_evidence_and_bodies_taken_for_people() -> None:
    people = corpus(entity("p1", "Secretaría de Turismo", label="PER"),
                    entity("p2", "", label="PER", withheld=True),
                    entity("p3", "Lucía Robles Mata", label="PER"),
                    entity("p4", "Ernesto Salas Vega", label="PER"),
                    roles={"p2": [("d1", "psicóloga", "")], "p4": [("d1", "regidor", "")]})
    rows = {r.target: r for r in person_rows(people)}
    assert rows["p1"].suggestion == "not_person"
    assert (rows["p2"].suggestion, rows["p2"].name) == ("public", "[persona]")
    assert rows["p3"].suggestion == "private"
    assert "p4" not in rows  # a public office


def test_releases_near_the_threshold_or_related_only_by_a_name() -> None:
    documents = (
        DocumentFacts("d1", "1.txt", "near", "", True, 2.2, ["violencia de género"]),
        DocumentFacts("d2", "2.txt", "by name, among many", "", True, 3.5,
                      ["instituto de las mujeres", "mujeres"], ["o1", "o2", "o3", "o4"],
                      {"instituto de las mujeres"}),
        DocumentFacts("d3", "3.txt", "far", "", True, 9.0, ["violencia de género"]),
        DocumentFacts("d4", "4.txt", "below", "", False, 1.9, ["mujeres"]),
        # The women's institute acts in it, alone: GBV-related by the annotation rules.
        DocumentFacts("d5", "5.txt", "by name, alone", "", True, 3.5,
                      ["instituto de las mujeres", "mujeres"], ["o1"],
                      {"instituto de las mujeres"}),
    )
    rows = {r.target: r for r in document_rows(corpus(documents=documents))}
    assert (rows["d1"].suggestion, rows["d1"].suggested_value) == ("gbv", "no")
    assert "solo porque nombra" in rows["d2"].reason and "entre 4" in rows["d2"].reason
    assert rows["d4"].suggested_value == "yes"
    assert "d3" not in rows and "d5" not in rows


def test_rank_orders_by_priority_and_keeps_one_row_per_suggestion() -> None:
    def row(target: str, priority: float) -> ReviewRow:
        return ReviewRow(0, "institution", target, target, "ORG", "", "not_institution", "",
                         "r", "e", priority=priority)
    ranked = rank([row("a", 1.0), row("b", 3.0), row("a", 1.0), row("c", 2.0)])
    assert [(r.rank, r.target) for r in ranked] == [(1, "b"), (2, "c"), (3, "a")]


def test_the_oracle_answers_from_the_gold() -> None:
    def predicted(entity_id: str, *forms: str, label: str = "ORG") -> PredictedEntity:
        return PredictedEntity(entity_id, label, forms[0], frozenset(forms))
    gold_docs = {
        "1": GoldDoc("1", None, True, (GoldEntity("ORG", "Dirección de Ecología",
                                                  frozenset({"Dirección de Ecología"}),
                                                  "municipal"),)),
        "2": GoldDoc("2", None, False, (GoldEntity("ORG", "Dirección de Ecología",
                                                   frozenset({"Ecología"}), "municipal"),)),
    }
    predictions = {
        "1": PredictedDoc("1", None, True, (predicted("o1", "Dirección de Ecología"),
                                            predicted("o2", "Albergue Sol"))),
        "2": PredictedDoc("2", None, True, (predicted("o3", "Ecología"),)),
    }
    gold = Gold(gold_docs, predictions, {"d1": "1", "d2": "2"})

    def row(suggestion: str, target: str, value: str = "") -> ReviewRow:
        return ReviewRow(1, "k", target, target, "ORG", "", suggestion, value, "", "")
    assert agrees(row("not_institution", "o2"), gold)
    assert not agrees(row("not_institution", "o1"), gold)
    assert agrees(row("merge", "o3", "o1"), gold)
    assert not agrees(row("merge", "o2", "o1"), gold)
    assert agrees(row("gbv", "d2", "no"), gold) and not agrees(row("gbv", "d1", "no"), gold)
    assert agrees(row("sector", "o1", "municipal"), gold)
    assert not agrees(row("private", "o1"), gold)


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("releases")
    for name, text in RELEASES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "gold.jsonl").write_text(
        "\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD), encoding="utf-8")
    return folder


def sheet_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_the_sheet_of_a_run_is_ranked_private_and_a_corrections_file(
        nlp: Language, releases: Path, tmp_path: Path) -> None:
    tables = tmp_path / "tables"
    extract_corpus(releases, tables, settings=load_settings(), nlp=nlp)
    sheet = tmp_path / "review.csv"
    assert main(["review", "--input", str(tables), "--output", str(sheet)]) == 0
    columns, rows = sheet_rows(sheet)
    assert columns == REVIEW_COLUMNS
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    assert PRIVATE not in sheet.read_text(encoding="utf-8-sig")
    shelters = [r for r in rows if r["name"] in ("Casa Betania", "Refugio Esperanza")]
    assert shelters and all(r["suggestion"] == "not_institution" and "001" in r["evidence"]
                            for r in shelters)
    for row in rows:
        row["decision"] = "accept" if row in shelters else "reject"
    with sheet.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    corrected = tmp_path / "corrected"
    assert main(["extract", "--input", str(releases), "--output", str(corrected),
                 "--corrections", str(sheet)]) == 0
    ids = {r["entity_id"] for r in sheet_rows(corrected / "entities.csv")[1]}
    assert not ids & {r["target"] for r in shelters}
    rejected = {r["target"] for r in rows if r["decision"] == "reject" and r["label"] == "ORG"}
    assert rejected and rejected <= ids  # rows not accepted change nothing
    # decided rows are not suggested again
    again = tmp_path / "again.csv"
    assert main(["review", "--input", str(corrected), "--output", str(again)]) == 0
    suggested = {(r["suggestion"], r["target"]) for r in sheet_rows(again)[1]}
    assert not suggested & {(r["suggestion"], r["target"]) for r in rows}


def test_tables_that_name_everyone_are_reviewed_only_when_asked(
        nlp: Language, releases: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    tables = tmp_path / "tables"
    extract_corpus(releases, tables, settings=load_settings(), nlp=nlp)
    assert main(["extract", "--input", str(releases), "--output", str(tables),
                 "--include-private-persons"]) == 0
    sheet = tmp_path / "review.csv"
    assert main(["review", "--input", str(tables), "--output", str(sheet)]) == 2
    assert "--include-private-persons" in capsys.readouterr().err and not sheet.exists()
    assert main(["review", "--input", str(tables), "--output", str(sheet),
                 "--include-private-persons"]) == 0


def test_evaluate_runs_the_oracle_and_prints_one_json_object(
        releases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", "--gold", str(releases / "gold.jsonl"), "--input", str(releases),
                 "--review-oracle", "10", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    oracle = figures["review_oracle"]
    assert figures["entities"]["ORG"] == oracle["before"]["entities"]["ORG"]
    assert oracle["accepted"] >= 1 and len(oracle["answers"]) == oracle["rows"] <= 10
    before, after = oracle["before"], oracle["after"]
    assert after["entities"]["ORG"]["precision"] > before["entities"]["ORG"]["precision"]
    assert after["edges"]["precision"] > before["edges"]["precision"]
    assert after["entities"]["ORG"]["tp"] == before["entities"]["ORG"]["tp"]


def test_the_words_around_a_name_lower_the_doubt_that_it_is_a_body() -> None:
    named = {"standard": ("Obras Comunitarias", "ruler:std:obras-comunitarias"),
             "class": ("Lunas Nuevas", "rule:class-of:colectivo"),
             "apposed": ("Operadora de Tránsito", "rule:apposed")}
    entities = [entity(key, name, origins=(origin,)) for key, (name, origin) in named.items()]
    # the same names found by a rule that says nothing of them
    entities += [entity(f"{key}-plain", name, origins=("rule:other",))
                 for key, (name, _) in named.items()]
    found = {r.target: r.priority for r in institution_rows(corpus(*entities))}
    for key in named:
        assert found.get(key, 0.0) < found[f"{key}-plain"], (key, found)
