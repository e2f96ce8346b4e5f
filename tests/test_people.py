"""Roles in apposition (with gender as a check) and people's spans, on sentences of our own:
model tests run the real pipeline (the ``nlp`` fixture skips without a Spanish model)."""

from __future__ import annotations

from spacy.language import Language

from pipeline.document.extract import extract
from pipeline.document.people import find_affiliations, person_gender
from pipeline.document.person_spans import fix_person_spans
from pipeline.document.resolve import resolve_document
from pipeline.records import Article, Mention


def roles(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    article = Article("doc", "doc.txt", None, "", text, None, None)
    mentions = resolve_document(fix_person_spans(text, next(extract([article], nlp)).mentions))
    return [(a.person, a.role, a.org) for a in find_affiliations(text, mentions)]


def test_a_role_belongs_to_the_person_in_apposition_not_the_one_accompanied(
        nlp: Language) -> None:
    found = roles(nlp, "El alcalde Cruz Pérez Cuéllar, acompañado de su esposa, Marta Ruiz, "
                       "presidenta del DIF Municipal, inauguró el parque.")
    assert ("Marta Ruiz", "presidenta",
            "Sistema para el Desarrollo Integral de la Familia del Municipio de Juárez") in found
    assert ("Cruz Pérez Cuéllar", "alcalde", "") in found
    assert not any(person == "Cruz Pérez Cuéllar" and role == "presidenta"
                   for person, role, _ in found)


def test_roles_after_each_name_of_a_list(nlp: Language) -> None:
    found = roles(nlp, "Estuvieron presentes Juan López, director de Obras Públicas, y Ana "
                       "Ruiz Soto, directora del Instituto Municipal de las Mujeres.")
    assert found == [("Juan López", "director", "Obras Públicas"),
                     ("Ana Ruiz Soto", "directora", "Instituto Municipal de las Mujeres")]


def test_gender_sends_a_role_to_the_name_it_introduces(nlp: Language) -> None:
    found = roles(nlp, "Al evento acudió Jorge Salas Mena, la directora del Instituto "
                       "Municipal de las Mujeres, Ana Ruiz Soto, y otros invitados.")
    assert found == [("Ana Ruiz Soto", "directora", "Instituto Municipal de las Mujeres")]


def test_a_role_before_the_name_with_its_institution(nlp: Language) -> None:
    found = roles(nlp, "La titular del Instituto Municipal de las Mujeres, Laura Elena Ríos "
                       "Díaz, recorrió la colonia con Tomás Ortega Ríos.")
    assert found == [("Laura Elena Ríos Díaz", "titular", "Instituto Municipal de las Mujeres")]


def test_a_role_with_its_article_between_two_people_introduces_the_second(
        nlp: Language) -> None:
    found = roles(nlp, "Habló el regidor Luis Campos Ruiz, el coordinador del Centro "
                       "Comunitario Norte, Tomás Ibarra Solís, sobre el programa.")
    people_of = {(person, role) for person, role, _ in found}
    assert ("Tomás Ibarra Solís", "coordinador") in people_of
    assert ("Luis Campos Ruiz", "coordinador") not in people_of


def test_a_complement_between_the_role_and_its_holder(nlp: Language) -> None:
    found = roles(nlp, "La síndica municipal, Rosa Elvia Treviño Garza, presentó el informe "
                       "ante el Cabildo.")
    assert ("Rosa Elvia Treviño Garza", "síndica") in {(p, r) for p, r, _ in found}
    found = roles(nlp, "La directora anunció que en unos días, Rosa Elvia Treviño Garza "
                       "recibirá un reconocimiento.")
    assert not any(person == "Rosa Elvia Treviño Garza" for person, _, _ in found)


def test_a_role_introduced_by_quien_es(nlp: Language) -> None:
    found = roles(nlp, "Acudió Marisol Ochoa Lara, quien es secretaria general del Sindicato "
                       "Nacional de Trabajadores de la Educación, a la reunión.")
    assert [(p, r, "Sindicato" in o) for p, r, o in found] == [
        ("Marisol Ochoa Lara", "secretaria", True)]


def test_a_member_of_a_civil_society_body_but_not_a_student_of_a_university(nlp: Language) -> None:
    found = roles(nlp, "En la reunión, Rocío Anaya Villa, del colectivo Red Mesa de Mujeres de "
                       "Ciudad Juárez, habló sobre la marcha.")
    assert [(p, r, "Red Mesa" in o) for p, r, o in found] == [
        ("Rocío Anaya Villa", "integrante", True)]
    found = roles(nlp, "La joven Karla Ortiz Pérez, de la Universidad Autónoma de Ciudad Juárez, "
                       "ganó el concurso de oratoria.")
    assert not any(person == "Karla Ortiz Pérez" for person, _, _ in found)


def at(text: str, surface: str, label: str = "PER", origin: str = "ner") -> Mention:
    start = text.index(surface)
    return Mention("d", label, surface, start, start + len(surface), "", origin)  # type: ignore[arg-type]


def spans(text: str, *mentions: Mention) -> list[tuple[str, str]]:
    return [(m.label, m.text) for m in fix_person_spans(text, mentions)]


def test_person_spans_are_mended() -> None:
    text = "Dijo que la directora, María del Carmen Soto Ruiz, y Enrique Galindo destacó."
    assert spans(text, at(text, "Carmen Soto Ruiz"), at(text, "Enrique Galindo destacó")) == [
        ("PER", "María del Carmen Soto Ruiz"), ("PER", "Enrique Galindo")]
    text = "Asistió el coordinador, Aldo Mena Clares del Infonavit (Infonavit)."
    assert spans(text, at(text, "Aldo Mena Clares del Infonavit")) == [
        ("PER", "Aldo Mena Clares")]
    text = "Se reunió con la directora del centro, Perla Salas Corral."
    assert spans(text, at(text, "Perla Salas")) == [("PER", "Perla Salas Corral")]


def test_places_and_things_named_after_people_are_not_people() -> None:
    text = ("Viajaron a Baja California Sur. Se reunieron en el Gimnasio “Benito Juárez” y "
            "remodelaron el Josué Neri Santos con el DIF Capitalino.\nLas colonias con más "
            "casos:\n\n- Riberas del Bravo\n\n- Felipe Ángeles\n")
    found = spans(text, at(text, "Baja California Sur"), at(text, "Benito Juárez"),
                  at(text, "Josué Neri Santos"), at(text, "DIF Capitalino"),
                  at(text, "Felipe Ángeles"))
    assert found == []


def test_people_a_role_introduces_or_follows() -> None:
    text = ("Agradeció a la presidenta Claudia\nSheinbaum. Llegó Laura Montañez, suplente "
            "de la secretaria general. La directora del Instituto Elvira Urrutia Castro "
            "habló.")
    found = spans(text, at(text, "Claudia"),
                  at(text, "Instituto Elvira Urrutia Castro", "ORG", "ruler:head:instituto"))
    assert found == [("PER", "Claudia\nSheinbaum"), ("PER", "Laura Montañez"),
                     ("ORG", "Instituto"), ("PER", "Elvira Urrutia Castro")]


def test_gender_from_the_word_before_or_the_given_name() -> None:
    text = "su esposa Cruz Pérez, el arquitecto Christian Agúndez, Carmen Ruiz, Ale Soto"
    assert [person_gender(at(text, name), text) for name in (
        "Cruz Pérez", "Christian Agúndez", "Carmen Ruiz", "Ale Soto")] == ["f", "m", "f", "n"]
