"""Rule tests for the institution ruler and ``entity_fixes`` on a blank Spanish pipeline."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from pipeline.document.nlp import add_org_rules


@pytest.fixture(scope="module")
def blank() -> Language:
    nlp = spacy.blank("es")
    add_org_rules(nlp)
    return nlp


def ents(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    return [(e.text, e.label_, e.id_) for e in nlp(text).ents]


def test_every_rule_says_which_rule_found_it(blank: Language) -> None:
    found = ents(blank, "El Instituto y la Secretaría de Cultura firmaron con el IMM y con "
                        "Transforma A. C. ayer.")
    assert {e[2].partition(":")[0] for e in found} == {"short", "head", "gaz", "legal"}
    assert ("Secretaría de Cultura", "ORG", "head:secretaria") in found


def test_gazetteer_names_and_acronyms(blank: Language) -> None:
    found = ents(blank, "El IMM y el instituto municipal de las mujeres trabajan.")
    assert ("IMM", "ORG", "gaz:imm-juarez") in found
    assert ("instituto municipal de las mujeres", "ORG", "gaz:imm-juarez") in found


def test_title_case_acronym_of_the_gazetteer(blank: Language) -> None:
    assert ("Ipacult", "ORG", "gaz:ipacult-juarez") in ents(blank, "Lo organizó Ipacult ayer.")


def test_head_word_and_capitalised_name(blank: Language) -> None:
    found = ents(blank, "Habló con la Coordinación de Atención Ciudadana del Suroriente hoy.")
    assert found == [("Coordinación de Atención Ciudadana del Suroriente", "ORG",
                      "head:coordinacion")]


def test_lower_case_head_before_de_and_a_name(blank: Language) -> None:
    assert ents(blank, "Lo atiende la dirección de Prevención Social.") == [
        ("dirección de Prevención Social", "ORG", "head:direccion")]


def test_legal_form_keeps_its_final_period(blank: Language) -> None:
    found = ents(blank, "Trabaja con Transforma A. C. y otras.")
    assert ("Transforma A. C.", "ORG", "legal:ac") in found


def test_acronym_in_brackets_is_defined_and_reused(blank: Language) -> None:
    found = ents(blank, "La Unidad de Atención Integral (UDAI) abrió. Después la UDAI cerró.")
    assert ("Unidad de Atención Integral", "ORG", "head:unidad") in found
    assert [e for e in found if e[0] == "UDAI"] == [("UDAI", "ORG", "rule:acronym")] * 2


def test_two_bodies_joined_by_y_are_split(blank: Language) -> None:
    found = ents(blank, "Asistieron Centros Comunitarios y la Dirección de Obras Públicas.")
    assert [e[0] for e in found] == ["Centros Comunitarios", "Dirección de Obras Públicas"]


def test_sub_unit_of_a_body_is_split_from_it(blank: Language) -> None:
    found = ents(blank, "Estuvo el área de Prevención de la Secretaría de Seguridad Pública "
                        "Municipal.")
    assert [e[0] for e in found] == ["área de Prevención",
                                     "Secretaría de Seguridad Pública Municipal"]


def test_article_not_after_a_preposition_ends_a_name(blank: Language) -> None:
    found = ents(blank, "Lo entregó el Cabildo la Presea Juana a Ana.")
    assert [e[0] for e in found] == ["Cabildo"]


def test_body_named_after_a_role(blank: Language) -> None:
    found = ents(blank, "Habló el director de Nomenclatura Urbana del municipio.")
    assert found == [("Nomenclatura Urbana", "ORG", "rule:role-of")]
    # a standard body's name is found as one, with or without the role
    found = ents(blank, "Habló el director de Participación Ciudadana del municipio.")
    assert found == [("Participación Ciudadana", "ORG", "std:participacion-ciudadana")]


def test_the_state_after_a_role_is_not_a_body(blank: Language) -> None:
    assert ents(blank, "Lo dijo el fiscal general del Estado ayer.") == []


def test_one_word_department_after_a_role_is_a_body(blank: Language) -> None:
    # R2: a department named only through its head's role
    assert ents(blank, "Lo explicó el director de Limpia en la reunión.") == [
        ("Limpia", "ORG", "rule:role-of")]


def test_events_and_programmes_are_not_bodies(blank: Language) -> None:
    assert ents(blank, "Se conmemoró el Día Internacional de la Mujer con la Iniciativa "
                       "Spotlight.") == []


def test_a_given_name_listed_beside_a_person_is_a_person(blank: Language) -> None:
    from spacy.tokens import Span

    doc = blank.make_doc("Recordaron a Esmeralda Herrera y Norma Laguna en la misa.")
    doc.ents = [Span(doc, 2, 4, label="PER"), Span(doc, 5, 7, label="ORG")]
    assert [(e.text, e.label_) for e in blank.get_pipe("entity_fixes")(doc).ents] == [
        ("Esmeralda Herrera", "PER"), ("Norma Laguna", "PER")]
