"""Resolution within a release and identity across the corpus, on hand-made mentions."""

from __future__ import annotations

from datetime import date

from pipeline.corpus.identities import EntityIndex, entity_id_for, identity_key
from pipeline.document.people import find_affiliations
from pipeline.document.resolve import resolve_document
from pipeline.records import Mention


def mention(text: str, label: str = "ORG", start: int = 0, *, origin: str = "ner",
            doc_id: str = "a", canonical: str = "") -> Mention:
    return Mention(doc_id, label, text, start, start + len(text), "", origin,  # type: ignore[arg-type]
                   canonical)


def canonicals(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.canonical) for m in resolve_document(mentions)]


def test_acronym_in_brackets_then_bare() -> None:
    long = "Dirección de Atención a Víctimas"
    result = canonicals([mention(long, start=0),
                         mention("DAV", start=len(long) + 2, origin="rule:acronym"),
                         mention("DAV", start=200, origin="rule:acronym")])
    assert result == [(long, long), ("DAV", long), ("DAV", long)]


def test_acronym_listed_after_a_body_is_not_its_alias() -> None:
    result = canonicals([mention("Desarrollo Económico", start=0),
                         mention("SIPINNA", start=22, origin="ruler:gaz:sipinna-juarez")])
    assert result[1] == ("SIPINNA", "Sistema Municipal de Protección Integral de Niñas, "
                                    "Niños y Adolescentes")


def test_gazetteer_acronym_takes_the_gazetteer_name() -> None:
    assert canonicals([mention("SSPM")]) == [("SSPM", "Secretaría de Seguridad Pública "
                                                      "Municipal")]


def test_short_form_resolves_to_the_one_earlier_body_with_that_head() -> None:
    result = canonicals([mention("Instituto Nacional de Migración", start=0),
                         mention("Instituto", start=100, origin="ruler:short:instituto")])
    assert result[1] == ("Instituto", "Instituto Nacional de Migración")


def test_ambiguous_or_unanchored_short_form_is_dropped() -> None:
    assert canonicals([mention("Instituto", start=0, origin="ruler:short:instituto")]) == []
    result = canonicals([mention("Instituto Nacional de Migración", start=0),
                         mention("Instituto Estatal Electoral", start=50),
                         mention("Instituto", start=100, origin="ruler:short:instituto")])
    assert [text for text, _ in result] == ["Instituto Nacional de Migración",
                                            "Instituto Estatal Electoral"]


def test_name_without_its_head_word_is_the_same_body() -> None:
    result = canonicals([mention("Dirección de Prevención Social", start=0),
                         mention("Prevención Social", start=80)])
    assert result[1] == ("Prevención Social", "Dirección de Prevención Social")


def test_surname_and_shorter_name_resolve_to_the_full_name() -> None:
    result = canonicals([mention("Elvira Urrutia Castro", "PER", 0),
                         mention("Urrutia", "PER", 60), mention("Urrutia Castro", "PER", 90)])
    assert [c for _, c in result] == ["Elvira Urrutia Castro"] * 3


def test_lone_word_naming_nobody_is_dropped() -> None:
    assert canonicals([mention("Taller", "PER", 0)]) == []


def test_person_spelled_like_an_institution_is_dropped() -> None:
    result = canonicals([mention("Desarrollo Social", "ORG", 0),
                         mention("Desarrollo Social", "PER", 50)])
    assert result == [("Desarrollo Social", "Desarrollo Social")]


def index_of(*mentions: Mention) -> EntityIndex:
    index = EntityIndex()
    for m in mentions:
        index.add(m, date(2024, 1, 1))
    return index


def test_acronym_defined_in_one_release_resolves_in_another() -> None:
    defined = mention("CEMATH", canonical="Centro Municipal de Atención a Hombres", doc_id="a")
    bare = mention("CEMATH", canonical="CEMATH", doc_id="b")
    index = index_of(defined, bare)
    assert index.entity_id(bare) == index.entity_id(defined) == entity_id_for(
        "ORG", identity_key("ORG", "Centro Municipal de Atención a Hombres"))


def test_shorter_name_of_one_person_merges_across_releases() -> None:
    full = mention("Elvira Urrutia Castro", "PER", canonical="Elvira Urrutia Castro")
    short = mention("Elvira Urrutia", "PER", doc_id="b", canonical="Elvira Urrutia")
    other = mention("Elvira Urrutia", "PER", doc_id="c", canonical="Elvira Urrutia")
    index = index_of(full, short, other)
    assert index.entity_id(short) == index.entity_id(full)
    [person] = index.entities()
    assert person.name == "Elvira Urrutia Castro" and person.doc_ids == {"a", "b", "c"}


def test_shorter_name_shared_by_two_full_names_stays_apart() -> None:
    a = mention("Ana García López", "PER", canonical="Ana García López")
    b = mention("Ana García Ruiz", "PER", doc_id="b", canonical="Ana García Ruiz")
    short = mention("Ana García", "PER", doc_id="c", canonical="Ana García")
    index = index_of(a, b, short)
    assert len({index.entity_id(m) for m in (a, b, short)}) == 3


def test_legal_form_punctuation_and_accents_do_not_split_a_body() -> None:
    forms = ["Transforma A. C.", "Transforma A.C.", "TRANSFORMA", "Transformá"]
    index = index_of(*(mention(f, canonical=f, doc_id=str(i)) for i, f in enumerate(forms)))
    [body] = index.entities()
    assert body.sector == "civil_society" and len(body.doc_ids) == 4


def test_sector_from_gazetteer_then_name_then_other() -> None:
    index = index_of(mention("IMM", canonical="Instituto Municipal de las Mujeres"),
                     mention("Comisión Estatal de Vivienda", canonical="Comisión Estatal de "
                                                                      "Vivienda"),
                     mention("Mitotiani", canonical="Mitotiani"))
    assert {e.name: e.sector for e in index.entities()} == {
        "Instituto Municipal de las Mujeres": "municipal",
        "Comisión Estatal de Vivienda": "state", "Mitotiani": "other"}


def test_fuzzy_merge_never_across_different_acronyms() -> None:
    a = mention("Comisión Estatal de Derechos Humanos CEDH Chihuahua",
                canonical="Comisión Estatal de Derechos Humanos CEDH Chihuahua")
    b = mention("Comisión Estatal de Derechos Humanos CNDH Chihuahua", doc_id="b",
                canonical="Comisión Estatal de Derechos Humanos CNDH Chihuahua")
    c = mention("Comision Estatal de Derchos Humanos CEDH Chihuahua", doc_id="c",
                canonical="Comision Estatal de Derchos Humanos CEDH Chihuahua")
    index = index_of(a, b, c)
    assert index.entity_id(a) == index.entity_id(c) != index.entity_id(b)


def test_ids_do_not_depend_on_input_order() -> None:
    ms = [mention("SSPM", canonical="Secretaría de Seguridad Pública Municipal"),
          mention("Elvira Urrutia", "PER", doc_id="b", canonical="Elvira Urrutia"),
          mention("Elvira Urrutia Castro", "PER", doc_id="c", canonical="Elvira Urrutia Castro")]
    forward, backward = index_of(*ms), index_of(*reversed(ms))
    assert [forward.entity_id(m) for m in ms] == [backward.entity_id(m) for m in ms]


def test_affiliations_before_and_after_the_name() -> None:
    text = ("Elvira Urrutia Castro, directora del Instituto Municipal de las Mujeres, habló "
            "con la regidora Patricia Mendoza y el alcalde Cruz Pérez Cuéllar.")

    def at(label: str, surface: str) -> Mention:
        return mention(surface, label, text.index(surface), canonical=surface)

    found = find_affiliations(text, [at("PER", "Elvira Urrutia Castro"),
                                     at("ORG", "Instituto Municipal de las Mujeres"),
                                     at("PER", "Patricia Mendoza"),
                                     at("PER", "Cruz Pérez Cuéllar")])
    assert [(a.person, a.role, a.org) for a in found] == [
        ("Elvira Urrutia Castro", "directora", "Instituto Municipal de las Mujeres"),
        ("Patricia Mendoza", "regidora", ""), ("Cruz Pérez Cuéllar", "alcalde", "")]


def test_role_of_institution_before_the_name() -> None:
    text = "La titular del IMM, Elvira Urrutia, explicó el programa."
    found = find_affiliations(text, [
        mention("IMM", "ORG", text.index("IMM"), canonical="Instituto Municipal de las Mujeres"),
        mention("Elvira Urrutia", "PER", text.index("Elvira"), canonical="Elvira Urrutia")])
    assert [(a.role, a.org) for a in found] == [("titular", "Instituto Municipal de las Mujeres")]
