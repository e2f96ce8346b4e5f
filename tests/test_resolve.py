"""Resolution within a release and identity across the corpus, on hand-made mentions."""

from __future__ import annotations

import random
from datetime import date
from itertools import combinations

from rapidfuzz import fuzz

from pipeline.corpus.identities import EntityIndex, entity_id_for, identity_key
from pipeline.document.people import find_affiliations
from pipeline.document.resolve import aligned_name, resolve_document, spells_syllables
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


def test_a_syllabic_acronym_is_the_body_it_spells_in_the_release() -> None:
    long = "Instituto Municipal de las Mujeres de Tlaquepaque"
    result = canonicals([mention(long), mention("Dirección de Obras Públicas", start=80),
                         mention("Immujeres", start=200),
                         mention("Instituto Nacional de las Mujeres", start=300),
                         mention("Inmujeres", start=400)])
    assert result[2] == ("Immujeres", long)
    assert result[4] == ("Inmujeres", "Instituto Nacional de las Mujeres")
    # Two bodies it could spell: it stays itself.
    both = canonicals([mention("Instituto Municipal de la Mujer"),
                       mention("Instituto Metropolitano de la Mujer", start=60),
                       mention("Immujer", start=200)])
    assert both[2] == ("Immujer", "Immujer")


def test_syllabic_acronyms_take_short_opening_pieces_in_order() -> None:
    assert spells_syllables("Sedena", "Secretaría de la Defensa Nacional")
    assert spells_syllables("Profeco", "Procuraduría Federal del Consumidor")
    assert spells_syllables("Semujeres", "Secretaría de las Mujeres")
    assert spells_syllables("Morena", "Movimiento Regeneración Nacional")
    # Too short, a whole first word, a skipped word, the wrong order, a phrase: no.
    assert not spells_syllables("Salud", "Secretaría de Salud")
    assert not spells_syllables("Secretaría", "Secretaría de Salud")
    assert not spells_syllables("Semarnat", "Secretaría de Recursos Naturales")
    assert not spells_syllables("Fepro", "Procuraduría Federal del Consumidor")
    assert not spells_syllables("Casa Abierta", "Casa de Abogadas")


def test_a_department_a_role_names_is_the_office_of_that_role() -> None:
    sentence = "La coordinadora de Atención Ciudadana, Rosa Lara, visitó Tepic."
    role_named = Mention("a", "ORG", "Atención Ciudadana", 300, 318, sentence,
                         "rule:role-of", "")
    result = canonicals([mention("Centro de Atención Ciudadana"),
                         mention("Coordinación de Atención Ciudadana", start=100), role_named])
    assert result[2] == ("Atención Ciudadana", "Coordinación de Atención Ciudadana")
    # named by no role, the short form could be either: it stays itself
    alone = canonicals([mention("Centro de Atención Ciudadana"),
                        mention("Coordinación de Atención Ciudadana", start=100),
                        mention("Atención Ciudadana", start=300)])
    assert alone[2] == ("Atención Ciudadana", "Atención Ciudadana")


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
    assert person.name == "Elvira Urrutia Castro" and person.n_documents == 3


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
    assert body.sector == "civil_society" and body.n_documents == 4


def test_sector_from_gazetteer_then_name_then_other() -> None:
    index = index_of(mention("IMM", canonical="Instituto Municipal de las Mujeres"),
                     mention("Comisión Estatal de Vivienda", canonical="Comisión Estatal de "
                                                                      "Vivienda"),
                     mention("Mitotiani", canonical="Mitotiani"))
    assert {e.name: e.sector for e in index.entities()} == {
        "Instituto Municipal de las Mujeres": "municipal",
        "Comisión Estatal de Vivienda": "state", "Mitotiani": "other"}


def test_a_secretariat_of_what_the_states_run_is_the_states() -> None:
    names = ("Secretaría de Finanzas", "Secretaría de Educación y Cultura",
             "Secretaría de Salud Municipal", "Secretaría de Movilidad")
    index = index_of(*(mention(n, canonical=n) for n in names))
    assert {e.name: e.sector for e in index.entities()} == {
        "Secretaría de Finanzas": "state", "Secretaría de Educación y Cultura": "state",
        "Secretaría de Salud Municipal": "municipal", "Secretaría de Movilidad": "municipal"}


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


def placed(*items: tuple[str, str, str]) -> tuple[EntityIndex, list[tuple[Mention, str]]]:
    """An index fed ``(label, name, jurisdiction)`` mentions, one release each."""
    index = EntityIndex()
    fed = []
    for i, (label, name, place) in enumerate(items):
        m = mention(name, label, doc_id=str(i), canonical=name)
        index.add(m, date(2024, 1, 1), place)
        fed.append((m, place))
    return index, fed


def ids(index: EntityIndex, fed: list[tuple[Mention, str]]) -> list[str]:
    return [index.entity_id(m, place) for m, place in fed]


JUAREZ, MAZATLAN = "Juárez, Chihuahua", "Mazatlán, Sinaloa"


def test_municipal_bodies_of_two_cities_never_share_an_id() -> None:
    index, fed = placed(("ORG", "Instituto Municipal de las Mujeres", JUAREZ),
                        ("ORG", "Instituto Municipal de la Mujer", JUAREZ),
                        ("ORG", "Instituto Municipal de las Mujeres", MAZATLAN),
                        ("ORG", "Fondo de las Naciones Unidas para la Infancia", JUAREZ),
                        ("ORG", "Fondo de las Naciones Unidas para la Infancia", MAZATLAN))
    juarez, juarez_singular, mazatlan, unicef_a, unicef_b = ids(index, fed)
    assert juarez == juarez_singular != mazatlan
    assert unicef_a == unicef_b  # an international body has no city
    assert {e.jurisdiction for e in index.entities() if e.name.startswith("Instituto")} == {
        JUAREZ, MAZATLAN}


def test_a_state_body_with_or_without_del_estado_is_one_body_of_that_state() -> None:
    hermosillo, culiacan = "Hermosillo, Sonora", "Culiacán, Sinaloa"
    index, fed = placed(("ORG", "Fiscalía General del Estado", hermosillo),
                        ("ORG", "Fiscalía General", hermosillo),
                        ("ORG", "Fiscalía General del Estado de Sonora", JUAREZ),
                        ("ORG", "Fiscalía General del Estado", culiacan),
                        ("ORG", "Instituto de Seguridad del Estado", hermosillo),
                        ("ORG", "Instituto de Seguridad", hermosillo))
    sonora, short, named, sinaloa, institute, institute_short = ids(index, fed)
    assert sonora == short == named != sinaloa
    # A body of no known sector named only in that state's releases is the state's.
    assert institute == institute_short


def test_a_class_noun_gives_the_sector_a_name_does_not() -> None:
    index = EntityIndex()
    named = [("Grumaxa", "rule:class-of:empresa"), ("Brujas del Mar", "ruler:head:colectivo"),
             ("Lunas Nuevas", "ner"),
             ("Instituto Municipal de la Mujer", "rule:class-of:asociacion")]
    for i, (name, origin) in enumerate(named):
        index.add(mention(name, origin=origin, doc_id=str(i), canonical=name),
                  date(2024, 1, 1), "Zacatecas, Zacatecas")
    sectors = {e.name: e.sector for e in index.entities()}
    assert sectors == {"Grumaxa": "private", "Brujas del Mar": "civil_society",
                       "Lunas Nuevas": "other", "Instituto Municipal de la Mujer": "municipal"}


def test_a_city_government_under_its_usual_names_is_one_body() -> None:
    index, fed = placed(("ORG", "Ayuntamiento de Mazatlán", MAZATLAN),
                        ("ORG", "Gobierno de Mazatlán", MAZATLAN),
                        ("ORG", "Gobierno Municipal", MAZATLAN),
                        ("ORG", "Gobierno Municipal", JUAREZ),
                        ("ORG", "Gobierno del Estado", JUAREZ),
                        ("ORG", "Gobierno de Chihuahua", JUAREZ))
    a, b, c, juarez, state, state_named = ids(index, fed)
    assert a == b == c != juarez
    assert state == state_named != juarez


def test_a_body_named_with_its_city_is_that_citys_wherever_it_is_named() -> None:
    index, fed = placed(("ORG", "Red Mesa de Mujeres de Ciudad Juárez", JUAREZ),
                        ("ORG", "Red Mesa de Mujeres", JUAREZ),
                        ("ORG", "Movimiento de Mujeres de Juárez", JUAREZ),
                        ("ORG", "Movimiento de Mujeres de Ciudad Juárez", MAZATLAN),
                        ("ORG", "Movimiento de Mujeres de Mazatlán", MAZATLAN))
    red, red_short, movement, movement_named_elsewhere, other_movement = ids(index, fed)
    assert red == red_short and movement == movement_named_elsewhere != other_movement


def test_name_structure_equivalences_within_one_place() -> None:
    index, fed = placed(("ORG", "DABA", JUAREZ),
                        ("ORG", "Dirección de Atención y Bienestar Animal", JUAREZ),
                        ("ORG", "Atención Ciudadana del Suroriente", JUAREZ),
                        ("ORG", "Coordinación de Atención Ciudadana Suroriente", JUAREZ),
                        ("ORG", "Comisión Edilicia de la Familia", JUAREZ),
                        ("ORG", "Comisión de la Familia y Asistencia Social", JUAREZ),
                        ("ORG", "Sistema DIF Municipal", JUAREZ),
                        ("ORG", "DIF Municipal", JUAREZ),
                        ("ORG", "Dirección de Atención y Bienestar Animal", MAZATLAN))
    found = ids(index, fed)
    assert found[0] == found[1] and found[2] == found[3] and found[4] == found[5]
    assert found[6] == found[7] and found[8] != found[1]


def test_a_head_less_name_shared_by_two_headed_names_stays_apart() -> None:
    index, fed = placed(("ORG", "Secretaría de Cultura", MAZATLAN),
                        ("ORG", "Instituto de Cultura", MAZATLAN),
                        ("ORG", "Cultura", MAZATLAN))
    assert len(set(ids(index, fed))) == 3


def test_people_sharing_a_given_name_and_a_later_surname_stay_apart() -> None:
    index, fed = placed(("PER", "Laura Elena Ríos Díaz", ""), ("PER", "Laura Díaz", ""),
                        ("PER", "Laura Ríos", ""), ("PER", "Laura Elena Ríos", ""))
    full, other, short, shorter = ids(index, fed)
    assert other != full and short == shorter == full


def test_spelling_variants_of_one_person_merge() -> None:
    index, fed = placed(("PER", "Idali Juache Laguna", ""), ("PER", "Idaly Juache", ""),
                        ("PER", "Idalí Juache Laguna", ""), ("PER", "Idaly Juárez", ""))
    full, variant, accent, other = ids(index, fed)
    assert full == variant == accent != other
    assert "Idali Juache Laguna" in {e.name for e in index.entities()}


def test_generic_short_forms_are_no_corpus_alias() -> None:
    index = EntityIndex()
    for doc, text in (("a", "Instituto"), ("b", "IMM"), ("c", "Instituto Municipal de las "
                                                               "Mujeres"), ("d", "Ayuntamiento")):
        index.add(mention(text, doc_id=doc, canonical="Instituto Municipal de las Mujeres"),
                  None, JUAREZ)
    [body] = index.entities()
    assert body.aliases == ("IMM",)


def _generated_index(size: int) -> EntityIndex:
    """Generated institutions and people of three cities, with one-letter typos and shorter
    names of some."""
    rng = random.Random(7)
    heads = ["Instituto", "Dirección", "Comisión", "Centro", "Red", "Consejo"]
    topics = ["Cultura", "Deporte", "Salud", "Vivienda", "Mujeres", "Juventud", "Movilidad",
              "Ecología", "Turismo", "Migración", "Familia", "Planeación"]
    given = ["Ana", "María", "Laura", "José", "Juan", "Luis", "Elena", "Carmen", "Rosa"]
    surnames = ["García", "López", "Ríos", "Díaz", "Soto", "Ruiz", "Cruz", "Mena", "Salas",
                "Ortega", "Campos", "Reyes"]
    places = [JUAREZ, MAZATLAN, "Hermosillo, Sonora"]
    index = EntityIndex()
    for i in range(size):
        place = rng.choice(places)
        if i % 6 == 1:
            label, name = "ORG", rng.choice(["Transformación", "Interculturalidad",
                                             "Mitotianiyoliztli", "Compañerismo"])
        elif i % 2:
            label, name = "ORG", (f"{rng.choice(heads)} de {rng.choice(topics)} y "
                                  f"{rng.choice(topics)} {rng.randrange(40)}")
        else:
            label = "PER"
            name = " ".join([*rng.sample(given, rng.choice([1, 2])),
                             *rng.sample(surnames, rng.choice([1, 2]))])
        if rng.random() < 0.15:
            cut = rng.randrange(1, len(name) - 1)
            name = name[:cut] + name[cut + 1:]
        index.add(mention(name, label, doc_id=str(i), canonical=name), None, place)
    return index


def test_blocked_merges_find_what_all_pairs_find() -> None:
    index = _generated_index(1500)
    tallies = index._tallies
    for label in ("ORG", "PER"):
        keys = sorted(k for k in tallies if k[0] == label)
        blocked = {frozenset(pair) for pair in index._fuzzy_merges(keys)}
        every = {frozenset((a, b)) for a, b in combinations(keys, 2)
                 if len("".join(tallies[a].words)) >= index.FUZZY_MIN_CHARS
                 and len("".join(tallies[b].words)) >= index.FUZZY_MIN_CHARS
                 and tallies[a].scope == tallies[b].scope
                 and fuzz.ratio("".join(tallies[a].words), "".join(tallies[b].words))
                 >= index.FUZZY_MIN}
        assert blocked == every and every
    people = sorted(k for k in tallies if k[0] == "PER")
    expected = set()
    for key in people:
        words = tallies[key].words
        longer = [k for k in people if aligned_name(words, tallies[k].words)]
        fullest = {tallies[k].words for k in longer if not any(
            aligned_name(tallies[k].words, tallies[o].words) for o in longer)}
        if len(fullest) == 1:
            expected.add((key, min(k for k in longer if tallies[k].words in fullest)))
    assert set(index._shorter_name_merges(people)) == expected and expected
