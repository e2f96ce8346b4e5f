"""People decided by evidence, not by the list of given names (document/names.py
``person_evidence``, entity_fixes, person_spans), on sentences of our own: the recall
sentences hold no word of given_names.txt, so only the evidence around a name can keep it."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from pipeline.document.extract import extract
from pipeline.document.names import NameEvidence, named_as_a_thing_elsewhere, person_evidence
from pipeline.document.person_spans import fix_person_spans
from pipeline.document.resolve import resolve_document
from pipeline.knowledge import fold, load_given_names
from pipeline.records import Article, Mention


def people(nlp: Language, text: str) -> set[str]:
    """The canonical names of the people the document stage keeps in ``text``."""
    article = Article("doc", "doc.txt", None, "", text, None, None)
    mentions = resolve_document(fix_person_spans(text, next(extract([article], nlp)).mentions))
    return {m.canonical for m in mentions if m.label == "PER"}


@pytest.mark.parametrize(("text", "expected"), [
    # foreign names, a role and its comma before them, or nothing but their shape
    ("La secretaria de Seguridad Nacional, Kirstjen Nielsen, viajó a la frontera.",
     {"Kirstjen Nielsen"}),
    ("El alcalde agradeció a Jeh Johnson y a Janet Napolitano por la visita.",
     {"Jeh Johnson", "Janet Napolitano"}),
    # surname-first references, with a verb of saying
    ("En conferencia, Ramírez Ortega señaló que la fiscalía investiga el caso.",
     {"Ramírez Ortega"}),
    ("“Vamos a seguir trabajando”, afirmó Sheinbaum Pardo en la mañanera.",
     {"Sheinbaum Pardo"}),
    ("Según Ebrard Casaubón, el acuerdo comercial se firmará la próxima semana.",
     {"Ebrard Casaubón"}),
    ("Montes de Oca aseguró que la reforma se aprobará.", {"Montes de Oca"}),
    # rare Mexican names: a person's title, a relative, a full name's shape
    ("La activista Quetzalli Tlapanco denunció la falta de refugios en la región.",
     {"Quetzalli Tlapanco"}),
    ("Tlacaélel Huitrón Ochoa, quien dirige la fundación, presentó el informe anual.",
     {"Tlacaélel Huitrón Ochoa"}),
])
def test_people_without_a_known_given_name_are_kept(nlp: Language, text: str,
                                                    expected: set[str]) -> None:
    assert not {word for name in expected for word in fold(name).split()} & load_given_names()
    assert people(nlp, text) == expected


def test_a_short_reference_resolves_to_the_fuller_name_of_the_release(nlp: Language) -> None:
    text = ("Durante la reunión, Xóchitl Gálvez Ruiz criticó la propuesta. Más tarde Gálvez "
            "Ruiz pidió un debate.")
    assert people(nlp, text) == {"Xóchitl Gálvez Ruiz"}


@pytest.mark.parametrize("text", [
    # streets, neighbourhoods, estates and schools named after people
    "Los vecinos de la colonia Vicente Guerrero y de la avenida Tecnológico pidieron luz.",
    "La obra se hizo en la calle Ignacio Ramírez, frente a la primaria Benito Juárez.",
    "Las calles Guillermo Prieto, Melchor Ocampo y Mariano Escobedo serán repavimentadas.",
    "El fraccionamiento Hacienda Santa Fe y la colonia Felipe Ángeles recibieron luminarias.",
    "La escuela secundaria Valentín Gómez Farías recibió computadoras nuevas.",
    "Se remodelaron el estadio Kiki Romero y el gimnasio Josué Neri Santos.",
    # programmes, slogans, prizes and works written like names
    "La campaña Juntos Transformamos llegó a las escuelas del sur.",
    "El lema “Unidas Avanzamos” acompañó la marcha del domingo.",
    "Se entregó el premio Rosario Castellanos a tres escritoras de la región.",
    "El montaje “La vida inútil de Pito Pérez” se presentará en el teatro.",
    "Se impartió el taller Liderazgo con Perspectiva de Género a las funcionarias.",
    # bodies
    "Participaron Protección Civil y Regulación Comercial en el operativo.",
    # a street crossing, a consultation, a long quoted title
    "Se pavimentarán las calles Zaragoza y Allende, entre Morelos y Vicente Guerrero.",
    "Los vecinos opinaron en la consulta Unidos Construimos Saltillo sobre las obras.",
    "Abrieron las exposiciones “Retrospectiva” y “Hacienda Santa Rita: Memoria, Arquitectura "
    "y Tierra del Desierto” en el museo.",
])
def test_names_of_places_and_things_are_not_people(nlp: Language, text: str) -> None:
    assert people(nlp, text) == set()


def test_the_rest_of_a_role_is_no_person(nlp: Language) -> None:
    text = "Luis Ortega Rivas, fiscal General del Estado, acompañado por la alcaldesa, habló."
    assert people(nlp, text) == {"Luis Ortega Rivas"}


def _span(nlp: Language, text: str, words: str, occurrence: int = 0) -> Span:
    doc = nlp(text)
    start = [i for i in range(len(text)) if text.startswith(words, i)][occurrence]
    found = doc.char_span(start, start + len(words), label="PER")
    assert found is not None, words
    return found


def test_a_name_the_release_gives_a_place_is_a_place_everywhere_in_it(nlp: Language) -> None:
    text = ("Se abrió un centro en la colonia Parajes del Sur. Ahora Parajes del Sur tiene "
            "patrullas, dijo Kirstjen Nielsen.")
    assert named_as_a_thing_elsewhere(_span(nlp, text, "Parajes del Sur", 1))
    assert not named_as_a_thing_elsewhere(_span(nlp, text, "Kirstjen Nielsen"))


@pytest.mark.parametrize(("text", "words", "evidence"), [
    ("Lo anunció la periodista Xóchitl Uc Balam en la radio.", "Xóchitl Uc Balam",
     NameEvidence.FOR),
    ("Después habló Tonatiuh Bravo con los vecinos.", "Tonatiuh Bravo", NameEvidence.FOR),
    ("Votaron los legisladores Xiadani Uc y Tonatiuh Bravo.", "Xiadani Uc", NameEvidence.FOR),
    ("Tonatiuh Bravo y Xiadani Uc visitaron la plaza.", "Xiadani Uc", NameEvidence.SHAPE),
    ("Hubo una charla con Montes de Oca sobre el tema.", "Montes de Oca",
     NameEvidence.NOTHING),
    ("Llegaron Kirstjen M. Nielsen y los demás.", "Kirstjen M. Nielsen", NameEvidence.SHAPE),
    ("Llegaron Ixtli García-Luna y los demás.", "Ixtli García-Luna", NameEvidence.SHAPE),
    ("Llegaron Ixtli “Tito” Uc y los demás.", "Ixtli “Tito” Uc", NameEvidence.SHAPE),
    ("Llegaron IMSS Bienestar y los demás.", "IMSS Bienestar", NameEvidence.AGAINST),
    ("La obra se hará en Lomas Altas este año.", "Lomas Altas", NameEvidence.AGAINST),
    ("Todos confían en Claudia Ruiz Soto.", "Claudia Ruiz Soto", NameEvidence.FOR),
    ("Habló de Mejoramiento Urbano ante los vecinos.", "Mejoramiento Urbano",
     NameEvidence.AGAINST),
    ("Las mujeres recibieron el premio; Mujer Valiente es su nombre.", "Mujer Valiente",
     NameEvidence.AGAINST),
    ("Se exhibió en la feria Tonatiuh Bravo una colección de fotos.", "Tonatiuh Bravo",
     NameEvidence.AGAINST),
])
def test_what_the_evidence_says_of_a_name(nlp: Language, text: str, words: str,
                                          evidence: NameEvidence) -> None:
    span = _span(nlp, text, words)
    assert person_evidence(span, {t.lower_ for t in span.doc if t.is_lower},
                           beside_role=False) == evidence


def test_a_work_named_like_a_person_but_not_its_author(nlp: Language) -> None:
    assert people(nlp, "La película Frida Kahlo se proyectó en la plaza.") == set()
    assert people(nlp, "Se impartió el taller Autoestima con Ana Pérez Ruiz.") == {
        "Ana Pérez Ruiz"}


@pytest.mark.parametrize("byline", ["Itzel Domínguez", "Por Tonatiuh Bravo Uc |"])
def test_a_bare_name_line_above_the_dateline_is_a_byline(nlp: Language, byline: str) -> None:
    text = (f"{byline}\nSaltillo, Coah.- La directora Ana Ruiz Soto inauguró el módulo de "
            "atención.")
    assert people(nlp, text) == {"Ana Ruiz Soto"}


def at(text: str, surface: str, label: str = "PER") -> Mention:
    start = text.index(surface)
    return Mention("d", label, surface, start, start + len(surface), "", "ner")  # type: ignore[arg-type]


def test_a_role_introduces_a_name_with_no_known_given_name() -> None:
    text = "Habló la comisionada Tonantzin Uc Balam sobre la alerta."
    found = fix_person_spans(text, [at(text, "alerta", "ORG")])
    assert ("PER", "Tonantzin Uc Balam") in [(m.label, m.text) for m in found]


def test_a_role_complement_or_a_common_word_introduces_no_name() -> None:
    text = ("La coordinadora del proyecto Entre Nosotras explicó el curso. El director "
            "Gestión Social habló de la gestión.")
    found = fix_person_spans(text, [at(text, "curso", "ORG")])
    assert [m for m in found if m.label == "PER"] == []


def test_a_surname_with_a_particle_after_the_name() -> None:
    text = "Asistieron Vanesa Mora de la O, la regidora, y otros."
    assert [(m.label, m.text) for m in fix_person_spans(text, [at(text, "Vanesa Mora")])] == [
        ("PER", "Vanesa Mora de la O")]


def test_a_kinship_word_after_the_name_introduces_a_person() -> None:
    text = "- Tonantzin Ibarra Solís, madre del gobernador, recibió un reconocimiento."
    found = fix_person_spans(text, [at(text, "reconocimiento", "ORG")])
    assert ("PER", "Tonantzin Ibarra Solís") in [(m.label, m.text) for m in found]


def _refixed(nlp: Language, text: str, org: str, label: str = "ORG") -> dict[str, str]:
    """The labels entity_fixes gives when the model has taken ``org`` for a body (or for
    what ``label`` says)."""
    doc = nlp(text)
    start = text.index(org)
    span = doc.char_span(start, start + len(org), label=label)
    assert span is not None
    doc.ents = [span]
    return {e.text: e.label_ for e in nlp.get_pipe("entity_fixes")(doc).ents}


def test_a_given_name_and_a_surname_taken_for_a_body_are_a_person(nlp: Language) -> None:
    text = ("En el arranque de la campaña, Marisol Ochoa encabezó el recorrido por la colonia "
            "acompañada de vecinas de Tepic.")
    assert _refixed(nlp, text, "Marisol Ochoa") == {"Marisol Ochoa": "PER"}
    # A surname alone is not enough, nor a given name before a common word.
    assert _refixed(nlp, text.replace("Marisol Ochoa", "Casa Ochoa"),
                    "Casa Ochoa").get("Casa Ochoa") != "PER"
    assert _refixed(nlp, text.replace("Marisol Ochoa", "Marisol Unida"),
                    "Marisol Unida").get("Marisol Unida") != "PER"


def test_a_name_the_model_ran_on_into_is_cut_back_to_the_name(nlp: Language) -> None:
    # "El exgobernador Ramiro Tena publicó" as one MISC span: the title before, the verb after
    text = "El exgobernador Ramiro Tena publicó un mensaje desde Mérida."
    assert _refixed(nlp, text, "El exgobernador Ramiro Tena publicó", "MISC") == {
        "Ramiro Tena": "PER"}
    text = "La analista Mireille Dubois advirtió que el gasto no alcanza."
    assert _refixed(nlp, text, "La analista Mireille Dubois advirtió", "MISC") == {
        "Mireille Dubois": "PER"}


def test_a_place_s_first_word_is_evidence_against_a_person(nlp: Language) -> None:
    text = "La brigada recorrió Santa Rosa Jáuregui y la comunidad de Villa Corona ayer."
    assert _refixed(nlp, text, "Santa Rosa Jáuregui", "PER").get("Santa Rosa Jáuregui") != "PER"
    assert _refixed(nlp, text, "Villa Corona", "PER").get("Villa Corona") != "PER"
    # a known given name first still makes a person
    text = "La regidora Rosa Villa Corona recorrió la comunidad ayer."
    assert _refixed(nlp, text, "Rosa Villa Corona", "PER") == {"Rosa Villa Corona": "PER"}


def test_a_person_the_model_splits_around_one_word_is_one(nlp: Language) -> None:
    # the model leaves a surname out ("Norma Lucía" | Piña | "Hernández") or calls the
    # halves places ("Marina del Pilar" + "Ávila"): one person, whole
    assert people(nlp, "La ministra Norma Lucía Piña Hernández presidió la sesión.") == {
        "Norma Lucía Piña Hernández"}
    assert "Marina del Pilar Ávila" in people(
        nlp, "La gobernadora de Baja California, Marina del Pilar Ávila, llegó a Mexicali.")


def test_a_head_that_is_a_given_name_opens_a_person_without_an_article(
        nlp: Language) -> None:
    # "Refugio", "Marina" are heads ("el Refugio Esperanza", "la Marina") and given names
    text = ("Refugio Ramírez López habló con elementos de la Marina frente al Refugio "
            "Esperanza de Torreón.")
    article = Article("doc", "doc.txt", None, "", text, None, None)
    found = {(m.text, m.label) for m in next(extract([article], nlp)).mentions}
    assert ("Refugio Ramírez López", "PER") in found
    assert {("Marina", "ORG"), ("Refugio Esperanza de Torreón", "ORG")} <= found


def test_the_place_a_role_names_is_no_person_beside_its_holder(nlp: Language) -> None:
    # "el gobernador de Nuevo León, Samuel García": the place, then the person
    assert people(nlp, "El gobernador de Nuevo León, Samuel García, inauguró la obra.") == {
        "Samuel García"}


def test_a_name_after_any_kind_of_street_is_a_place(nlp: Language) -> None:
    # INEGI's kinds of street, beyond "calle" and "avenida": eje vial, calzada, privada…
    assert people(nlp, "La rotonda está en el eje vial Juan Gabriel y la calzada Benito "
                       "Juárez, cerca de la privada Leona Vicario; asistió Rosa Elena "
                       "Quintero.") == {"Rosa Elena Quintero"}


def test_a_role_that_ends_with_a_head_word_names_no_body(nlp: Language) -> None:
    # "jefe/jefa de Gobierno" is a role (roles.tsv): no body "Gobierno", the holder a person
    for text in ("La jefa de Gobierno, Clara Brugada, respondió a los vecinos.",
                 "El jefe de Gobierno Martí Batres inauguró la obra."):
        article = Article("doc", "doc.txt", None, "", text, None, None)
        found = {(m.text, m.label) for m in next(extract([article], nlp)).mentions}
        assert not any(label == "ORG" for _, label in found), found
    assert people(nlp, "El jefe de Gobierno Martí Batres inauguró la obra.") == {"Martí Batres"}


def test_the_holder_after_a_role_named_body_without_a_comma_is_a_person(
        nlp: Language) -> None:
    text = ("En Celaya, el secretario de Educación Mario Delgado y la directora de Obras "
            "Públicas Rosa Elena Quintero visitaron la directora del Centro Comunitario "
            "Francisco Villa.")
    article = Article("doc", "doc.txt", None, "", text, None, None)
    found = {(m.text, m.label) for m in next(extract([article], nlp)).mentions}
    assert {("Educación", "ORG"), ("Mario Delgado", "PER"), ("Obras Públicas", "ORG"),
            ("Rosa Elena Quintero", "PER")} <= found
    # a name that opens with a head word keeps the person it honours
    assert ("Centro Comunitario Francisco Villa", "ORG") in found
