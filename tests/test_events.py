"""Releases → events: relevance with its terms, type, event dates, merged duplicates."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.config import load_settings
from pipeline.corpus.events import EventTable, event_id_for
from pipeline.document.relevance import event_type, gbv_relevance
from pipeline.records import DateMention, Mention
from pipeline.run import extract_corpus


@pytest.mark.parametrize(("text", "related", "score", "terms"), [
    ("Arrancan los 16 días de activismo contra la violencia de género", True, 7.0,
     ("violencia de género", "16 días de activismo", "violencia", "género")),
    ("El Instituto Municipal de las Mujeres entregó reconocimientos", True, 3.5,
     ("instituto municipal de las mujeres", "mujeres")),
    ("Capacitan en perspectiva de género a policías", True, 2.5,
     ("perspectiva de género", "género")),
    # Context words alone do not decide: crime prevention that mentions women.
    ("Operativo de prevención de la violencia en la colonia; detienen a dos mujeres", False,
     1.5, ("mujeres", "violencia", "prevención")),
    ("Pavimentan tres calles del suroriente", False, 0.0, ()),
])
def test_relevance_decision_and_terms(text: str, related: bool, score: float,
                                      terms: tuple[str, ...]) -> None:
    relevance = gbv_relevance(text, threshold=2.0)
    assert (relevance.related, relevance.score, relevance.terms) == (related, score, terms)


@pytest.mark.parametrize(("title", "text", "kind"), [
    ("Capacita IMM a defensores", "Se presentó el programa.", "taller/capacitación"),
    # Title counts double: "firma de convenio" (3 × 2) beats "reunión" in the body.
    ("Firman convenio IMM y UACJ", "En una reunión con la rectora.", "firma de convenio"),
    ("Marchan por el 25N", "La marcha partió del monumento.", "marcha/conmemoración"),
    ("Habilitan refugio", "Se atiende a mujeres.", "atención/servicio"),
    ("Pavimentan calles", "Obra terminada en la colonia.", "otro"),
])
def test_event_type(title: str, text: str, kind: str) -> None:
    assert event_type(title, text) == kind


# Pushes the words after it out of the body's opening.
FILLER = " La información se difundió en redes sociales." * 20


@pytest.mark.parametrize(("title", "text", "kind"), [
    # A tournament, a family run: sport, not a march or a commemoration.
    ("Arranca el torneo estatal de voleibol en Hermosillo",
     "El instituto del deporte inauguró el torneo con 40 equipos.", "evento deportivo"),
    ("Cientos de familias corren en Mazatlán",
     "Se realizó la carrera familiar en conmemoración del Día del Padre.", "otro"),
    # A council approves a budget: the workshops it will pay for are not the event.
    ("Aprueba Cabildo de Mazatlán recursos para el Instituto de la Mujer",
     "En sesión de Cabildo se aprobó la ampliación." + FILLER
     + " Los recursos se usarán en talleres y capacitaciones.", "sesión de cabildo/acuerdo"),
    # A word far into the body is no evidence; one weak word in the opening is not enough.
    ("Entregan calles pavimentadas en Tijuana", "La obra beneficia a la colonia." + FILLER
     + " Después habrá un taller de capacitación.", "otro"),
    ("Reconocen a vecinas de Tijuana", "Durante la jornada la alcaldesa entregó diplomas.",
     "otro"),
    ("Inauguran centro para mujeres en Tlaxcala", "El alcalde cortó el listón.",
     "inauguración"),
])
def test_event_type_needs_evidence_in_the_title_or_the_opening(title: str, text: str,
                                                                kind: str) -> None:
    assert event_type(title, text) == kind


def _org(doc_id: str, text: str, sentence: str) -> Mention:
    return Mention(doc_id, "ORG", text, 0, len(text), sentence, "ner", text)


def test_event_table_merges_the_releases_of_one_event() -> None:
    table = EventTable()
    base = {"url": "", "published": date(2023, 11, 21), "gbv_related": True,
            "gbv_terms": ["feminicidio"], "event_type": "reunión"}
    table.add({**base, "doc_id": "a", "event_id": "ev-a", "title": "Se reúnen IMM y Red",
               "url": "https://juarez.gob.mx/1", "gbv_score": 3.0},
              [(_org("a", "IMM", "IMM y Red se reunieron."), "o-imm"),
               (_org("a", "Red", "IMM y Red se reunieron."), "o-red")],
              [DateMention("a", "22 de noviembre", date(2023, 11, 22), "event")])
    table.add({**base, "doc_id": "b", "event_id": "ev-a", "title": "Copia",
               "url": "https://outlet.mx/1", "gbv_score": 5.0, "gbv_terms": ["x", "y"],
               "published": date(2023, 11, 20)},
              [(_org("b", "UACJ", "La UACJ asistió."), "o-uacj"),
               (_org("b", "IMM", "Convocó el IMM."), "o-imm")],
              [DateMention("b", "20 de noviembre", date(2023, 11, 20), "published")])
    table.add({**base, "doc_id": "c", "event_id": "ev-c", "title": "Otra", "gbv_score": 0.0,
               "gbv_related": False, "gbv_terms": [], "published": None}, [], [])
    first, second = table.events()
    assert (first.event_id, first.date, first.date_source, first.title, first.event_type) == (
        "ev-a", date(2023, 11, 22), "event", "Se reúnen IMM y Red", "reunión")
    assert first.doc_ids == ("a", "b")
    assert first.urls == ("https://juarez.gob.mx/1", "https://outlet.mx/1")
    assert (first.gbv_score, first.gbv_terms) == (5.0, ("x", "y"))
    assert first.institutions == ("o-imm", "o-red", "o-uacj")
    assert first.sentence_pairs == (("o-imm", "o-red"),)
    assert (second.event_id, second.date, second.date_source, second.gbv_related) == (
        "ev-c", None, "", False)


def _add_dated(table: EventTable, doc_id: str, published: date | None, *days: date) -> None:
    row = {"doc_id": doc_id, "event_id": f"ev-{doc_id}", "title": "t", "url": "",
           "published": published, "gbv_related": True, "gbv_score": 3.0, "gbv_terms": [],
           "event_type": "otro"}
    table.add(row, [], [DateMention(doc_id, "x", day, "event") for day in days])


def test_event_date_is_its_first_activity_date_with_the_last_as_end() -> None:
    table = EventTable()
    # A range of activities, and an incident years before publication (not the activity).
    _add_dated(table, "a", date(2023, 11, 21), date(2023, 11, 25), date(2023, 12, 10),
               date(2010, 2, 23))
    _add_dated(table, "b", date(2023, 2, 26), date(2010, 2, 23))
    _add_dated(table, "c", None, date(2024, 3, 3), date(2024, 3, 19))
    events = {e.event_id: e for e in table.events()}
    assert (events["ev-a"].date, events["ev-a"].date_end, events["ev-a"].date_source) == (
        date(2023, 11, 25), date(2023, 12, 10), "event")
    assert (events["ev-b"].date, events["ev-b"].date_end, events["ev-b"].date_source) == (
        date(2023, 2, 26), None, "published")
    assert (events["ev-c"].date, events["ev-c"].date_end) == (date(2024, 3, 3),
                                                              date(2024, 3, 19))


def test_an_undated_release_known_by_its_month_keeps_that_month() -> None:
    table = EventTable()
    row = {"doc_id": "m", "event_id": "ev-m", "title": "t", "url": "", "published": None,
           "gbv_related": True, "gbv_score": 3.0, "gbv_terms": [], "event_type": "other"}
    table.add(row, [], [DateMention("m", "2024-11", date(2024, 11, 1), "published", "url",
                                    date_precision="month")])
    _add_dated(table, "n", None)  # nothing to date it by
    events = {e.event_id: e for e in table.events()}
    assert (events["ev-m"].date, events["ev-m"].date_source, events["ev-m"].date_precision) \
        == (date(2024, 11, 1), "published", "month")
    assert (events["ev-n"].date, events["ev-n"].date_precision) == (None, "")
    # an activity day, once known, wins over the month
    _add_dated(table, "m", None, date(2024, 11, 12))
    assert next(e for e in table.events() if e.event_id == "ev-m").date_precision == "day"


def _table(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


RELEASE = ("El Instituto Municipal de las Mujeres invita a la marcha contra la violencia de "
           "género que se realizará el 25 de noviembre desde el monumento a Benito Juárez, "
           "como parte de los 16 días de activismo. La directora informó que participarán "
           "colectivos, universidades y dependencias municipales, y que habrá atención "
           "psicológica y asesoría jurídica para las mujeres que lo soliciten durante el "
           "recorrido, que concluirá en la plaza principal con un mitin.")


def test_extract_merges_republished_releases(tmp_path: Path, nlp: Language) -> None:
    lines = [
        {"id": "muni", "url": "https://juarez.gob.mx/n/1", "title": "Invitan a marcha",
         "published": "2023-11-21", "text": RELEASE},
        {"id": "outlet", "url": "https://outlet.mx/n/1", "title": "Invitan a marcha del 25N",
         "published": "2023-11-22", "text": "Ciudad Juárez.- " + RELEASE},
        {"id": "obras", "url": "https://obras.mx/n/2", "title": "Pavimentan calles",
         "published": "2023-11-21",
         "text": "La Dirección de Obras Públicas concluyó la pavimentación de tres calles en "
                 "la colonia Riberas del Bravo, con una inversión de cuatro millones de pesos."},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines),
                      encoding="utf-8")
    out = tmp_path / "out"
    settings = load_settings({"PIPELINE_INTERIM": str(tmp_path / "interim"),
                              "PIPELINE_PRIVACY_KEY": str(tmp_path / "privacy.key")})
    summary = extract_corpus(source, out, settings=settings, nlp=nlp)
    assert (summary.documents, summary.events, summary.duplicates) == (3, 2, 1)
    documents = {row["url"].split("/")[2]: row for row in _table(out / "documents.csv")}
    muni, outlet, obras = (documents[h] for h in ("juarez.gob.mx", "outlet.mx", "obras.mx"))
    assert outlet["event_id"] == muni["event_id"] == event_id_for(muni["doc_id"])
    assert (outlet["duplicate_of"], muni["duplicate_of"]) == (muni["doc_id"], "")
    assert obras["event_id"] == event_id_for(obras["doc_id"])
    assert (muni["gbv_related"], obras["gbv_related"]) == ("true", "false")
    events = {row["event_id"]: row for row in _table(out / "events.csv")}
    march = events[muni["event_id"]]
    assert (march["date"], march["event_type"], march["n_documents"]) == (
        "2023-11-25", "marcha/conmemoración", "2")
    assert march["doc_ids"] == f"{muni['doc_id']}; {outlet['doc_id']}"
    assert march["urls"] == "https://juarez.gob.mx/n/1; https://outlet.mx/n/1"
    event_dates = sorted((r["doc_id"], r["value"]) for r in _table(out / "dates.csv")
                         if r["kind"] == "event")
    assert event_dates == sorted([(muni["doc_id"], "2023-11-25"),
                                  (outlet["doc_id"], "2023-11-25")])


def test_corpus_relevance_floor(tmp_path: Path, corpus: Path, nlp: Language) -> None:
    """GBV precision and recall ≥ 0.90 against the gold `gbv_prevention` of ../shared/corpus."""
    gold = {}
    for line in (corpus / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        gold[record["id"]] = record["gbv_prevention"]
    settings = load_settings({"PIPELINE_INTERIM": str(tmp_path / "interim"),
                              "PIPELINE_PRIVACY_KEY": str(tmp_path / "privacy.key")})
    extract_corpus(corpus, tmp_path, settings=settings, nlp=nlp)
    predicted = {Path(row["path"]).stem: row["gbv_related"] == "true"
                 for row in _table(tmp_path / "documents.csv") if row["path"].endswith(".txt")}
    assert predicted.keys() == gold.keys()
    hits = sum(predicted[i] and gold[i] for i in gold)
    precision = hits / sum(predicted.values())
    recall = hits / sum(gold.values())
    assert precision >= 0.90 and recall >= 0.90, (precision, recall)


def test_a_passing_mention_of_a_womens_body_does_not_make_a_release_about_gbv() -> None:
    fair = ("Feria de servicios en la colonia Las Flores\n\nEl Gobierno Municipal de Tlaxcala "
            "llevó trámites de agua, predial y licencias a los vecinos de la colonia, que "
            "acudieron desde temprano a la explanada. " * 3)
    listed = fair + ("Participaron Catastro, Obras Públicas, Regulación Comercial y el "
                     "Instituto Municipal de las Mujeres.")
    assert not gbv_relevance(listed, threshold=2.0).related
    # the same body in the lead, or named twice, is what the release is about
    assert gbv_relevance("Feria del Instituto Municipal de las Mujeres\n\n" + listed,
                         threshold=2.0).related
    assert gbv_relevance(listed + " El Instituto Municipal de las Mujeres dio asesoría "
                         "jurídica.", threshold=2.0).related
