"""The scorer on small hand-made cases whose figures are worked out by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from pipeline.evaluate import (
    PRF,
    GoldDoc,
    GoldEntity,
    PredictedDoc,
    PredictedEntity,
    format_report,
    load_gold,
    normalise,
    predicted_docs_from_tables,
    score,
    url_date,
)

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
IMM = "Instituto Municipal de las Mujeres"


def gold_ent(label: str, name: str, *forms: str) -> GoldEntity:
    return GoldEntity(label, name, frozenset([name, *forms]))  # type: ignore[arg-type]


def pred_ent(entity_id: str, label: str, name: str, *forms: str) -> PredictedEntity:
    return PredictedEntity(entity_id, label, name, frozenset(forms or [name]))


def gold_doc(key: str, *entities: GoldEntity, published: date | None = None,
             gbv: bool = False) -> GoldDoc:
    return GoldDoc(key, published, gbv, entities)


def pred_doc(key: str, *entities: PredictedEntity, published: date | None = None,
             gbv: bool = False) -> PredictedDoc:
    return PredictedDoc(key, published, gbv, entities)


def test_perfect_match_scores_one() -> None:
    gold = {"001": gold_doc("001", gold_ent("PER", "Elvira Urrutia Castro", "Urrutia"),
                            gold_ent("ORG", IMM, "IMM"))}
    predicted = {"001": pred_doc("001", pred_ent("p1", "PER", "Elvira Urrutia Castro", "Urrutia"),
                                 pred_ent("o1", "ORG", IMM, "IMM", IMM))}
    report = score(gold, predicted)
    assert report.entities["PER"] == PRF(1, 0, 0)
    assert report.entities["ORG"] == PRF(1, 0, 0)
    assert report.entities["ORG"].f1 == 1.0
    assert report.errors == ()


def test_split_entity_is_one_tp_and_one_fp() -> None:
    gold = {"001": gold_doc("001", gold_ent("ORG", IMM, "IMM", "Instituto"))}
    predicted = {"001": pred_doc("001", pred_ent("o1", "ORG", IMM, IMM, "Instituto"),
                                 pred_ent("o2", "ORG", "IMM"))}
    report = score(gold, predicted)
    assert report.entities["ORG"] == PRF(1, 1, 0)
    assert report.entities["ORG"].precision == 0.5
    assert report.entities["ORG"].recall == 1.0
    assert report.entities["ORG"].f1 == pytest.approx(2 / 3)
    # The part sharing more forms is the match; the smaller part is the reported FP.
    assert [(e.kind, e.name) for e in report.errors] == [("FP", "IMM")]


@pytest.mark.parametrize(("form", "key"), [
    ("del Instituto Municipal de las Mujeres (IMM).", "institutomunicipaldelasmujeresimm"),
    ("Secretaría de Seguridad Pública", "secretariadeseguridadpublica"),
    ("la Red Mesa de Mujeres,", "redmesademujeres"),
    ("Transforma A. C.", "transformaac"),
    ("Transforma AC", "transformaac"),
    ("de la Fiscalía", "fiscalia"),
    ("El", "el"),
    ("Fundación del Empresariado Chihua-huense", "fundaciondelempresariadochihuahuense"),
])
def test_normalise(form: str, key: str) -> None:
    assert normalise(form) == key


def test_matching_ignores_accents_case_articles_and_punctuation() -> None:
    gold = {"001": gold_doc("001", gold_ent("ORG", "Fiscalía General del Estado", "FGE"),
                            gold_ent("PER", "María de los Ángeles Acosta"))}
    predicted = {"001": pred_doc(
        "001", pred_ent("o1", "ORG", "la FISCALIA general del estado,"),
        pred_ent("p1", "PER", "Maria de los Angeles Acosta."))}
    report = score(gold, predicted)
    assert report.entities["ORG"] == PRF(1, 0, 0)
    assert report.entities["PER"] == PRF(1, 0, 0)


def test_matching_is_one_to_one_and_maximum() -> None:
    ima = gold_ent("ORG", IMM, "Instituto")
    inm = gold_ent("ORG", "Instituto Nacional de Migración", "INM", "Instituto")
    # "Instituto" fits both gold bodies; only the maximum matching gives it to the IMM.
    both = score({"d": gold_doc("d", inm, ima)},
                 {"d": pred_doc("d", pred_ent("x", "ORG", "Instituto"),
                                pred_ent("y", "ORG", "INM"))})
    assert both.entities["ORG"] == PRF(2, 0, 0)
    # One predicted entity cannot match two gold ones.
    one = score({"d": gold_doc("d", ima, inm)},
                {"d": pred_doc("d", pred_ent("x", "ORG", "Instituto"))})
    assert one.entities["ORG"] == PRF(1, 0, 1)


def test_identity_pairs_across_documents() -> None:
    sspm = "Secretaría de Seguridad Pública Municipal"
    gold = {"d1": gold_doc("d1", gold_ent("ORG", IMM), gold_ent("ORG", sspm)),
            "d2": gold_doc("d2", gold_ent("ORG", IMM), gold_ent("ORG", sspm)),
            "d3": gold_doc("d3", gold_ent("ORG", IMM))}
    predicted = {"d1": pred_doc("d1", pred_ent("a", "ORG", IMM), pred_ent("b", "ORG", sspm)),
                 "d2": pred_doc("d2", pred_ent("a", "ORG", IMM), pred_ent("c", "ORG", sspm)),
                 "d3": pred_doc("d3", pred_ent("b", "ORG", IMM))}
    report = score(gold, predicted)
    assert report.entities["ORG"] == PRF(5, 0, 0)
    # TP: IMM d1–d2. FP: d1 SSPM "b" with d3 IMM "b". FN: IMM d1–d3, IMM d2–d3, SSPM d1–d2.
    assert report.identity["ORG"] == PRF(1, 1, 3)
    assert report.identity["ORG"].precision == 0.5
    assert report.identity["ORG"].recall == 0.25
    assert report.identity["ORG"].f1 == pytest.approx(1 / 3)
    assert report.identity["PER"] == PRF(0, 0, 0)


def test_identity_ignores_pairs_within_one_document() -> None:
    gold = {"d1": gold_doc("d1", gold_ent("PER", "Ana López"), gold_ent("PER", "Rosa Díaz"))}
    predicted = {"d1": pred_doc("d1", pred_ent("x", "PER", "Ana López"),
                                pred_ent("y", "PER", "Rosa Díaz"))}
    assert score(gold, predicted).identity["PER"] == PRF(0, 0, 0)


def test_publication_date_accuracy_and_spurious_dates() -> None:
    day = date(2024, 1, 2)
    gold = {"a": gold_doc("a", published=day), "b": gold_doc("b", published=date(2024, 2, 3)),
            "c": gold_doc("c"), "d": gold_doc("d"), "e": gold_doc("e", published=date(2024, 5, 5))}
    predicted = {"a": pred_doc("a", published=day), "b": pred_doc("b", published=date(2024, 2, 4)),
                 "c": pred_doc("c", published=date(2024, 3, 1)), "d": pred_doc("d"),
                 "e": pred_doc("e")}
    report = score(gold, predicted)
    assert (report.dates_correct, report.dates_stated) == (1, 3)
    assert report.date_accuracy == pytest.approx(1 / 3)
    assert [(e.doc_key, e.predicted) for e in report.date_errors] == [
        ("b", date(2024, 2, 4)), ("e", None)]
    assert [(e.doc_key, e.predicted) for e in report.spurious_dates] == [("c", date(2024, 3, 1))]


def test_gbv_precision_and_recall() -> None:
    truth = [True, True, False, False, True]
    guess = [True, False, True, False, True]
    gold = {str(i): gold_doc(str(i), gbv=g) for i, g in enumerate(truth)}
    predicted = {str(i): pred_doc(str(i), gbv=p) for i, p in enumerate(guess)}
    report = score(gold, predicted)
    assert report.gbv == PRF(2, 1, 1)
    assert report.gbv.precision == pytest.approx(2 / 3)
    assert report.gbv.recall == pytest.approx(2 / 3)


def test_missing_document_counts_every_gold_entity_as_fn() -> None:
    gold = {"001": gold_doc("001", gold_ent("PER", "Ana López"), gold_ent("ORG", IMM, "IMM"),
                            published=date(2024, 1, 2), gbv=True),
            "002": gold_doc("002", gold_ent("ORG", IMM))}
    predicted = {"002": pred_doc("002", pred_ent("o", "ORG", IMM)),
                 "009": pred_doc("009", pred_ent("p", "PER", "Rosa Díaz"))}
    report = score(gold, predicted)
    assert report.missing_docs == ("001",)
    assert report.unannotated_docs == ("009",)
    assert report.entities["PER"] == PRF(0, 0, 1)
    assert report.entities["ORG"] == PRF(1, 0, 1)
    assert report.gbv == PRF(0, 0, 1)
    assert (report.dates_correct, report.dates_stated) == (0, 1)
    text = format_report(report)
    assert "Missing documents (no prediction; all their entities count as FN): 001" in text
    assert "Not in gold (not scored): 009" in text


def test_format_report_lists_figures_and_errors() -> None:
    gold = {"001": gold_doc("001", gold_ent("ORG", IMM, "IMM"), published=date(2024, 1, 2))}
    predicted = {"001": pred_doc("001", pred_ent("o1", "ORG", IMM),
                                 pred_ent("o2", "ORG", "Últimas Publicaciones"),
                                 published=date(2024, 1, 3))}
    text = format_report(score(gold, predicted))
    assert "ORG entities               1     1     0      0.500   1.000   0.667" in text
    assert "Publication date: 0 / 1 correct (0.0%)" in text
    assert "  001: gold 2024-01-02, predicted 2024-01-03" in text
    assert "    ORG FP  Últimas Publicaciones" in text


def test_load_gold_reads_entities_and_dates(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        '{"id": "001", "published": "2023-11-21", "gbv_prevention": true, '
        '"persons": [{"name": "Elvira Urrutia Castro", "mentions": ["Urrutia"]}], '
        '"organizations": [{"name": "IMM", "aliases": [], "sector": "municipal"}]}\n\n',
        encoding="utf-8")
    doc = load_gold(path)["001"]
    assert doc.published == date(2023, 11, 21)
    assert doc.gbv is True
    assert [(e.label, e.name, sorted(e.forms)) for e in doc.entities] == [
        ("PER", "Elvira Urrutia Castro", ["Elvira Urrutia Castro", "Urrutia"]),
        ("ORG", "IMM", ["IMM"])]
    assert doc.entities[1].sector == "municipal"


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ('{"id": "002", "published": null}', "missing key(s) gbv_prevention, persons, organizations"),
    ('{"id": "002", "published": "21/11/2023", "gbv_prevention": true, "persons": [], '
     '"organizations": []}', "'published' must be an ISO date"),
    ('{"id": "002", "published": null, "gbv_prevention": true, "persons": [], '
     '"organizations": [{"name": "IMM"}]}', "needs 'aliases'"),
])
def test_load_gold_names_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "001", "published": null, "gbv_prevention": false, '
                    '"persons": [], "organizations": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"gold.jsonl:2: .*{message}".replace("(", r"\(")
                       .replace(")", r"\)")):
        load_gold(path)


def test_predicted_docs_from_tables() -> None:
    documents = pd.DataFrame({
        "doc_id": ["a1", "b2"], "path": ["sub/001.txt", "002.txt"], "url": ["", ""],
        "title": ["t", "t"], "published": ["2024-01-02", None], "gbv_related": [True, "False"],
        "model": ["es_core_news_sm"] * 2})
    mentions = pd.DataFrame({
        "doc_id": ["a1", "a1", "a1", "a1", "b2"],
        "entity_id": ["org-imm", "org-imm", None, "loc-x", "org-imm"],
        "label": ["ORG", "ORG", "PER", "LOC", "ORG"],
        "text": ["IMM", "Instituto", "Urrutia", "Juárez", "IMM"],
        "start_char": [0] * 5, "end_char": [1] * 5, "sentence": [""] * 5})
    entities = pd.DataFrame({
        "entity_id": ["org-imm"], "label": ["ORG"], "name": [IMM], "aliases": ["IMM; Instituto"],
        "n_documents": [2], "first_seen": [""], "last_seen": [""]})
    docs = predicted_docs_from_tables(documents, mentions, entities)
    assert sorted(docs) == ["001", "002"]
    first = docs["001"]
    assert (first.published, first.gbv) == (date(2024, 1, 2), True)
    assert first.entities == (
        PredictedEntity("org-imm", "ORG", IMM, frozenset({"IMM", "Instituto"})),
        PredictedEntity("unresolved:Urrutia", "PER", "Urrutia", frozenset({"Urrutia"})))
    assert (docs["002"].published, docs["002"].gbv) == (None, False)
    assert docs["002"].entities[0].forms == frozenset({"IMM"})
    with pytest.raises(ValueError, match="documents table lacks column"):
        predicted_docs_from_tables(documents.rename(columns={"doc_id": "\ufeffdoc_id"}),
                                   mentions, entities)


@pytest.mark.skipif(not (CORPUS / "gold.jsonl").exists(),
                    reason=f"shared corpus not found at {CORPUS}")
def test_corpus_gold_scored_against_itself_is_perfect() -> None:
    gold = load_gold(CORPUS / "gold.jsonl")
    assert len(gold) == len(list(CORPUS.glob("[0-9]*.txt")))
    predicted = {key: PredictedDoc(key, doc.published or url_date(doc.url), doc.gbv, tuple(
        PredictedEntity(normalise(e.identity), e.label, e.name, e.forms) for e in doc.entities),
        doc.event_dates or frozenset(), "text" if doc.published else "url")
        for key, doc in gold.items()}
    report = score(gold, predicted)
    n_per = sum(e.label == "PER" for doc in gold.values() for e in doc.entities)
    assert report.entities["PER"] == PRF(n_per, 0, 0)
    assert report.entities["ORG"].f1 == 1.0
    assert report.identity["ORG"].f1 == report.identity["PER"].f1 == 1.0
    assert report.edges.f1 == 1.0 and report.edges.fp == 0
    assert report.event_dates.f1 == 1.0
    assert report.dates_correct == report.dates_stated == sum(
        doc.published is not None for doc in gold.values())
    assert report.url_date_errors == () and report.spurious_dates == ()
    assert report.gbv == PRF(sum(doc.gbv for doc in gold.values()), 0, 0)
    assert report.errors == ()


def test_identity_follows_aliases_and_per_city_canonical_names(tmp_path: Path) -> None:
    (tmp_path / "aliases.json").write_text(json.dumps(
        {"Instituto Municipal de la Mujer": IMM}), encoding="utf-8")
    lines = [
        {"id": "a", "organizations": [{"name": "Instituto Municipal de la Mujer", "aliases": []}]},
        {"id": "b", "organizations": [{"name": IMM, "aliases": ["IMM"]}]},
        {"id": "c", "organizations": [{"name": IMM, "aliases": [],
                                       "canonical": f"{IMM} (Mazatlán)"}]},
    ]
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(
        {"published": None, "gbv_prevention": False, "persons": [], **line}) + "\n"
        for line in lines), encoding="utf-8")
    gold = load_gold(tmp_path / "gold.jsonl")
    assert [gold[k].entities[0].identity for k in "abc"] == [IMM, IMM, f"{IMM} (Mazatlán)"]
    # One id for Juárez's institute under both names, another for Mazatlán's: all pairs right.
    right = score(gold, {"a": pred_doc("a", pred_ent("imm", "ORG", "Instituto Municipal de la "
                                                      "Mujer")),
                         "b": pred_doc("b", pred_ent("imm", "ORG", IMM)),
                         "c": pred_doc("c", pred_ent("imm-maz", "ORG", IMM))})
    assert right.identity["ORG"] == PRF(1, 0, 0)
    # One id for all three merges two cities' institutes: two false pairs.
    merged = score(gold, {"a": pred_doc("a", pred_ent("imm", "ORG", "Instituto Municipal de la "
                                                       "Mujer")),
                          **{k: pred_doc(k, pred_ent("imm", "ORG", IMM)) for k in "bc"}})
    assert merged.identity["ORG"] == PRF(1, 2, 0)


def test_aliases_file_can_be_named_and_must_exist(tmp_path: Path) -> None:
    gold_path = tmp_path / "gold.jsonl"
    gold_path.write_text(json.dumps({"id": "a", "published": None, "gbv_prevention": False,
                                     "persons": [], "organizations": [
                                         {"name": "DIF", "aliases": []}]}) + "\n",
                         encoding="utf-8")
    named = tmp_path / "mine.json"
    named.write_text('{"DIF": "DIF Municipal"}', encoding="utf-8")
    assert load_gold(gold_path, aliases=named)["a"].entities[0].identity == "DIF Municipal"
    assert load_gold(gold_path)["a"].entities[0].identity == "DIF"  # no aliases.json beside it
    with pytest.raises(ValueError, match="aliases file .*nope.json does not exist"):
        load_gold(gold_path, aliases=tmp_path / "nope.json")
    named.write_text('["not", "a", "mapping"]', encoding="utf-8")
    with pytest.raises(ValueError, match="mine.json: expected one JSON object"):
        load_gold(gold_path, aliases=named)


def test_edges_compare_pairs_of_canonical_names_over_the_corpus() -> None:
    red, dif, sspm = "Red Mesa de Mujeres", "DIF Municipal", "Secretaría de Seguridad Pública"
    gold = {"d1": gold_doc("d1", gold_ent("ORG", IMM, "IMM"), gold_ent("ORG", red),
                           gold_ent("ORG", dif), gbv=True),
            "d2": gold_doc("d2", gold_ent("ORG", IMM), gold_ent("ORG", sspm), gbv=True),
            "d3": gold_doc("d3", gold_ent("ORG", IMM), gold_ent("ORG", red), gbv=False)}
    predicted = {
        # IMM–Red right, IMM–DIF and Red–DIF missed (DIF not found), two false edges with
        # the unmatched "Casa de la Cultura" (IMM–x, Red–x).
        "d1": pred_doc("d1", pred_ent("i", "ORG", "IMM"), pred_ent("r", "ORG", red),
                       pred_ent("x", "ORG", "Casa de la Cultura"), gbv=True),
        # marked not GBV-related: its pairs are not predicted edges
        "d2": pred_doc("d2", pred_ent("i", "ORG", IMM), pred_ent("s", "ORG", sspm)),
        # marked GBV-related although gold says not: IMM–Red again, already counted once
        "d3": pred_doc("d3", pred_ent("i", "ORG", IMM), pred_ent("r", "ORG", red), gbv=True),
    }
    report = score(gold, predicted)
    # gold edges: IMM–Red, IMM–DIF, Red–DIF (d1), IMM–SSPM (d2)
    assert report.edges == PRF(1, 2, 3)


def test_errors_are_classed_boundary_wrong_label_spurious_missed() -> None:
    gold = {"d": gold_doc("d", gold_ent("ORG", "Dirección de Desarrollo Social"),
                          gold_ent("ORG", "Red Mesa de Mujeres"),
                          gold_ent("ORG", "Casa Amiga"),
                          gold_ent("PER", "Ana López Pérez"))}
    predicted = {"d": pred_doc("d", pred_ent("o1", "ORG", "Desarrollo Social Municipal"),
                               pred_ent("p1", "PER", "Red Mesa de Mujeres"),
                               pred_ent("o2", "ORG", "Últimas Publicaciones"))}
    report = score(gold, predicted)
    classes = {(e.kind, e.name): e.error_class for e in report.errors}
    assert classes == {
        ("FP", "Desarrollo Social Municipal"): "boundary",
        ("FN", "Dirección de Desarrollo Social"): "boundary",
        ("FP", "Red Mesa de Mujeres"): "wrong_label",
        ("FN", "Red Mesa de Mujeres"): "wrong_label",
        ("FP", "Últimas Publicaciones"): "spurious",
        ("FN", "Casa Amiga"): "missed",
        ("FN", "Ana López Pérez"): "missed",
    }
    assert report.error_classes()["ORG"] == {"boundary": 2, "wrong_label": 1, "spurious": 1,
                                             "missed": 1}
    text = format_report(report)
    assert "Errors by class" in text
    assert "    ORG FP  Desarrollo Social Municipal  (boundary)" in text


def test_event_dates_scored_where_the_gold_lists_them() -> None:
    day1, day2, day3 = date(2024, 3, 8), date(2024, 3, 9), date(2024, 3, 10)
    gold = {"a": GoldDoc("a", None, True, (), frozenset({day1, day2})),
            "b": GoldDoc("b", None, True, (), frozenset()),
            "c": GoldDoc("c", None, True, (), None)}  # not annotated: not scored
    predicted = {"a": PredictedDoc("a", None, True, (), frozenset({day1, day3})),
                 "b": PredictedDoc("b", None, True, (), frozenset({day2})),
                 "c": PredictedDoc("c", None, True, (), frozenset({day3}))}
    assert score(gold, predicted).event_dates == PRF(1, 2, 1)


def test_url_dates_are_expected_where_the_text_states_none() -> None:
    url = "https://diario.example.mx/2023/11/21/presenta-agenda"
    gold = {"a": GoldDoc("a", None, False, (), url=url),
            "b": GoldDoc("b", None, False, (), url=url),
            "c": GoldDoc("c", None, False, (), url="https://example.mx/nota/123"),
            "d": GoldDoc("d", date(2023, 11, 20), False, (), url=url)}
    predicted = {"a": PredictedDoc("a", date(2023, 11, 21), False, (), published_source="url"),
                 "b": PredictedDoc("b", None, False, ()),
                 "c": PredictedDoc("c", date(2023, 1, 5), False, (), published_source="metadata"),
                 "d": PredictedDoc("d", date(2023, 11, 21), False, (), published_source="url")}
    report = score(gold, predicted)
    assert report.url_dates == 2
    assert [(e.doc_key, e.gold, e.predicted) for e in report.url_date_errors] == [
        ("b", date(2023, 11, 21), None)]
    assert report.spurious_dates == ()  # c's date came from page metadata, not the text
    assert [(e.doc_key, e.predicted) for e in report.date_errors] == [("d", date(2023, 11, 21))]
    assert url_date("https://x.mx/2024/11/elvira-rinde-informe") is None
    assert url_date("https://x.mx/2024/02/30/") is None


def test_manifest_beside_the_gold_gives_each_document_its_url(tmp_path: Path) -> None:
    (tmp_path / "gold.jsonl").write_text(json.dumps(
        {"id": "001", "published": None, "gbv_prevention": False, "persons": [],
         "organizations": []}) + "\n", encoding="utf-8")
    (tmp_path / "manifest.jsonl").write_text(
        '{"id": "001", "url": "https://x.mx/2024/01/02/nota"}\nnot json\n', encoding="utf-8")
    assert load_gold(tmp_path / "gold.jsonl")["001"].url == "https://x.mx/2024/01/02/nota"


def test_sector_and_jurisdiction_of_matched_institutions() -> None:
    """Sector against the gold's; a municipal body's municipality against its canonical's
    brackets, else the release's city; bodies of a release of unknown city are not counted."""
    def body(name: str, sector: str, canonical: str = "") -> GoldEntity:
        return GoldEntity("ORG", name, frozenset([name]), sector, canonical)

    gold = {
        "a": GoldDoc("a", None, False, (
            body(IMM, "municipal", f"{IMM} (Tepic)"), body("Fiscalía General", "state"),
            body("Colectivo Violeta", "civil_society")), city="Ciudad Juárez"),
        "b": GoldDoc("b", None, False, (body("Dirección de Ecología", "municipal"),),
                     city="Ciudad Juárez"),
        "c": GoldDoc("c", None, False, (body("Dirección de Limpia", "municipal"),)),
    }
    predicted = {
        "a": pred_doc("a", PredictedEntity("o1", "ORG", IMM, frozenset([IMM]), "municipal",
                                           "Tepic, Nayarit"),
                      PredictedEntity("o2", "ORG", "Fiscalía General", frozenset(
                          ["Fiscalía General"]), "state", "Nayarit"),
                      PredictedEntity("o3", "ORG", "Colectivo Violeta", frozenset(
                          ["Colectivo Violeta"]), "municipal", "Tepic, Nayarit")),
        "b": pred_doc("b", PredictedEntity("o4", "ORG", "Dirección de Ecología", frozenset(
            ["Dirección de Ecología"]), "municipal", "Juárez, Chihuahua")),
        "c": pred_doc("c", PredictedEntity("o5", "ORG", "Dirección de Limpia", frozenset(
            ["Dirección de Limpia"]), "municipal", "")),
    }
    report = score(gold, predicted)
    assert report.sector.total == 5
    assert [(e.doc_key, e.name, e.gold, e.predicted) for e in report.sector.errors] == [
        ("a", "Colectivo Violeta", "civil_society", "municipal")]
    # "Ciudad Juárez" is a form of the municipality Juárez; c's city is unknown
    assert report.jurisdiction.total == 2 and report.jurisdiction.errors == ()
    predicted["b"] = pred_doc("b", PredictedEntity("o4", "ORG", "Dirección de Ecología",
                                                   frozenset(["Dirección de Ecología"]),
                                                   "municipal", "Juárez, Nuevo León"))
    wrong = score(gold, predicted).jurisdiction
    assert wrong.accuracy == 0.5
    assert "Jurisdiction: 1 / 2 correct (50.0%)" in format_report(score(gold, predicted))
