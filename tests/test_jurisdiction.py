"""Which municipality a release is about (dateline, text, outlet, default), and two cities'
institutes kept apart through a real run of the pipeline."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.config import SettingsError, load_settings
from pipeline.document.jurisdiction import check_jurisdiction, jurisdiction_of
from pipeline.document.places import load_places, parse_label
from pipeline.knowledge import load_gazetteer
from pipeline.run import extract_corpus

JUAREZ = check_jurisdiction("Juárez, Chihuahua")


def decided(text: str, url: str | None = None, title: str = "") -> tuple[str, str]:
    found = jurisdiction_of(title, text, url, default=JUAREZ)
    return found.label, found.source


def test_dateline_names_the_municipality() -> None:
    assert decided("Hermosillo, Son.- El Instituto Municipal de las Mujeres abrió un "
                   "módulo.") == ("Hermosillo, Sonora", "dateline")
    assert decided("Por Redacción\nCULIACÁN, Sin., a 3 de mayo de 2024.- Inició la obra.") \
        == ("Culiacán, Sinaloa", "dateline")
    assert decided("Ciudad Juárez, Chih. (Staff) – El alcalde inauguró el parque.") == (
        "Juárez, Chihuahua", "dateline")


def test_a_dateline_place_not_in_the_tables_counts_with_its_state() -> None:
    # a municipal seat is its municipality's (INEGI: Buenaventura's seat is San Buenaventura)
    assert decided("San Buenaventura, Chih.- El DIF Municipal entregó despensas.") == (
        "Buenaventura, Chihuahua", "dateline")
    # a town that is no municipality nor seat stays as written, with its state
    assert decided("Puerto Palomas, Chih.- El DIF Municipal entregó despensas.") == (
        "Puerto Palomas, Chihuahua", "dateline")
    # a capitalised word and a dash without a known place or state is no dateline
    assert decided("Redacción - El cabildo sesionó ayer.")[1] == "default"


def test_the_text_names_the_municipality_when_there_is_no_dateline() -> None:
    assert decided("El Gobierno Municipal de Mazatlán presentó su programa para las "
                   "mujeres.") == ("Mazatlán, Sinaloa", "text")
    assert decided("Vecinos de la ciudad de Hermosillo acompañaron al alcalde.") == (
        "Hermosillo, Sonora", "text")


def test_the_capital_is_the_capital_of_the_state_the_text_names() -> None:
    text = ("El Ayuntamiento de la Capital presentó la agenda del DIF Capitalino para las "
            "mujeres potosinas.")
    assert decided(text) == ("San Luis Potosí, San Luis Potosí", "text")


def test_a_state_government_or_a_persons_name_is_no_municipal_cue() -> None:
    assert decided("El Gobierno de Chihuahua anunció más patrullas.")[1] == "default"
    assert decided("Se reunieron en el parque Benito Juárez.")[1] == "default"


def test_the_outlet_decides_only_when_dateline_and_text_do_not() -> None:
    assert decided("El alcalde inauguró la obra.", "https://www.expreso.com.mx/noticias/1") \
        == ("Hermosillo, Sonora", "outlet")
    assert decided("La obra beneficia a vecinos.", "https://noroeste.com.mx/mazatlan/n-1") \
        == ("Mazatlán, Sinaloa", "outlet")
    assert decided("El alcalde inauguró la obra.", "https://zapopan.gob.mx/noticia/9") == (
        "Zapopan, Jalisco", "outlet")
    # an outlet of another city reporting on Juárez
    assert decided("El alcalde de Ciudad Juárez inauguró la obra.",
                   "https://www.expreso.com.mx/noticias/2") == ("Juárez, Chihuahua", "text")
    assert decided("Hermosillo, Son.- Inició la obra.", "https://diario.mx/juarez/3") == (
        "Hermosillo, Sonora", "dateline")


def test_default_when_nothing_says(tmp_path: Path) -> None:
    assert decided("Se entregaron cien despensas.") == ("Juárez, Chihuahua", "default")
    with pytest.raises(SettingsError, match="setting jurisdiction = 'Atlantis'"):
        check_jurisdiction("Atlantis")


def test_every_municipality_of_the_catalogue_can_be_a_release_s_place() -> None:
    """Municipalities no hand table lists, from datelines, cue words and press rooms."""
    assert decided("Apizaco, Tlax.- El DIF Municipal entregó aparatos.") == (
        "Apizaco, Tlaxcala", "dateline")
    assert decided("ZITÁCUARO, Mich., a 3 de mayo de 2024.- Inició la obra.") == (
        "Zitácuaro, Michoacán", "dateline")
    assert decided("La alcaldesa de Tulancingo inauguró el refugio.") == (
        "Tulancingo de Bravo, Hidalgo", "text")
    assert decided("El presidente municipal de Taxco firmó el convenio.") == (
        "Taxco de Alarcón, Guerrero", "text")
    assert decided("Vecinos marcharon en Ciudad Obregón contra la violencia.") == (
        "Cajeme, Sonora", "text")  # a seat names its municipality
    assert decided("El alcalde inauguró la obra.", "https://www.tepic.gob.mx/noticia/7") == (
        "Tepic, Nayarit", "outlet")


def test_a_name_several_municipalities_share_needs_its_state() -> None:
    assert decided("Guadalupe, N.L.- La Policía Municipal detuvo a dos hombres.") == (
        "Guadalupe, Nuevo León", "dateline")
    assert decided("Guadalupe, Zac.- La Policía Municipal detuvo a dos hombres.") == (
        "Guadalupe, Zacatecas", "dateline")
    assert decided("Juárez, N.L.- El Instituto de la Mujer abrió un módulo.") == (
        "Juárez, Nuevo León", "dateline")
    assert decided("El alcalde de Guadalupe pidió a las familias nuevoleonesas denunciar.") \
        == ("Guadalupe, Nuevo León", "text")
    assert decided("El municipio de Emiliano Zapata, Morelos, abrió un refugio.") == (
        "Emiliano Zapata, Morelos", "text")
    # a municipality named after a person is no cue on its own, nor a shared name
    assert decided("La marcha llegó a Emiliano Zapata y siguió por Hidalgo.")[1] == "default"
    assert decided("Se instaló el módulo en Guadalupe.")[1] == "default"


def test_tables_are_consistent() -> None:
    places = load_places()
    labels = {m.label for m in places.municipalities}
    assert len(labels) == len(places.municipalities) > 2400  # INEGI's catalogue, no repeats
    assert len(places.states) == 32 and all(places.capital_of(s) for s in places.states)
    assert set(places.outlets.values()) <= labels
    for body in load_gazetteer():
        if body.jurisdiction:
            municipality, state = parse_label(body.jurisdiction)
            assert body.jurisdiction in labels or (not municipality and state), body.id


def _write(folder: Path, releases: dict[str, str]) -> None:
    folder.mkdir()
    for name, text in releases.items():
        (folder / name).write_text(text, encoding="utf-8")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_two_cities_institutes_are_two_entities(nlp: Language, tmp_path: Path) -> None:
    _write(tmp_path / "in", {
        "a.txt": "Mazatlán, Sin.- El Instituto Municipal de las Mujeres ofreció talleres "
                 "contra la violencia de género. El Instituto atendió a cien mujeres.",
        "b.txt": "Ciudad Juárez.- El Instituto Municipal de las Mujeres (IMM) abrió un "
                 "refugio para mujeres víctimas de violencia. El Instituto dio asesoría.",
        "c.txt": "El Instituto Municipal de la Mujer de Ciudad Juárez presentó su agenda "
                 "contra la violencia de género.",
        "d.txt": "Acapulco, Gro.- El Instituto Municipal de la Mujer instaló una comisión "
                 "contra la violencia de género.",
        # the other Juárez, which shares the name but not the institute
        "e.txt": "Juárez, N.L.- El Instituto Municipal de las Mujeres abrió un refugio para "
                 "mujeres víctimas de violencia."})
    extract_corpus(tmp_path / "in", tmp_path / "out", settings=load_settings(), nlp=nlp)
    institutes = [row for row in _rows(tmp_path / "out" / "entities.csv")
                  if row["name"].startswith("Instituto Municipal de")]
    by_place = {row["jurisdiction"]: row for row in institutes}
    assert set(by_place) == {"Juárez, Chihuahua", "Mazatlán, Sinaloa",
                             "Acapulco de Juárez, Guerrero", "Juárez, Nuevo León"}
    assert len({row["entity_id"] for row in institutes}) == 4
    assert by_place["Juárez, Chihuahua"]["n_documents"] == "2"
    # a generic short form is no corpus-wide alias of one body
    assert all("Instituto" not in row["aliases"].split("; ") for row in institutes)
    documents = {row["path"]: row["jurisdiction"]
                 for row in _rows(tmp_path / "out" / "documents.csv")}
    assert documents == {"a.txt": "Mazatlán, Sinaloa", "b.txt": "Juárez, Chihuahua",
                         "c.txt": "Juárez, Chihuahua", "d.txt": "Acapulco de Juárez, Guerrero",
                         "e.txt": "Juárez, Nuevo León"}


def test_releases_nothing_places_keep_their_bodies(nlp: Language, tmp_path: Path) -> None:
    """A release placed by nothing but the setting shares no municipal body with another
    release, unless its municipal officials serve where a placed release says."""
    _write(tmp_path / "in", {
        "placed.txt": "Tepic, Nay.- El presidente municipal Joaquín Anguiano Ledezma inauguró "
                      "con el Instituto Municipal de las Mujeres un refugio contra la "
                      "violencia de género.",
        "official.txt": "El presidente municipal Joaquín Anguiano Ledezma y el Instituto "
                        "Municipal de las Mujeres presentaron la campaña contra la violencia.",
        "alone.txt": "El Instituto Municipal de las Mujeres ofreció talleres contra la "
                     "violencia de género a cien mujeres.",
        "other.txt": "El Instituto Municipal de las Mujeres abrió un módulo de atención a "
                     "víctimas de violencia."})
    extract_corpus(tmp_path / "in", tmp_path / "out", settings=load_settings(), nlp=nlp)
    documents = {row["path"]: (row["jurisdiction"], row["jurisdiction_source"])
                 for row in _rows(tmp_path / "out" / "documents.csv")}
    assert documents["placed.txt"] == ("Tepic, Nayarit", "dateline")
    assert documents["official.txt"] == ("Tepic, Nayarit", "officials")
    assert documents["alone.txt"] == ("Juárez, Chihuahua", "default")
    institutes = [row for row in _rows(tmp_path / "out" / "entities.csv")
                  if row["name"] == "Instituto Municipal de las Mujeres"]
    assert sorted((row["jurisdiction"], row["n_documents"]) for row in institutes) == [
        ("", "1"), ("", "1"), ("Tepic, Nayarit", "2")]
