"""Ruling R12: "Ayuntamiento" names the council where it deliberates, votes or meets, and the
municipal government where it acts; sentences of our own, cities of our own."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.config import load_settings
from pipeline.document.council import council_reading
from pipeline.run import extract_corpus


@pytest.mark.parametrize(("text", "sentence", "reading"), [
    ("Ayuntamiento de Tepic", "El Ayuntamiento de Tepic aprobó por unanimidad el reglamento.",
     "Cabildo de Tepic"),
    ("Ayuntamiento", "En la sesión ordinaria del Ayuntamiento se votó el presupuesto.",
     "Cabildo"),
    ("H. Ayuntamiento de Celaya", "El H. Ayuntamiento de Celaya cuenta con doce regidurías.",
     "Cabildo de Celaya"),
    ("Ayuntamiento", "El Ayuntamiento invita a la feria de la salud.", "Gobierno Municipal"),
    ("Ayuntamiento", "Habló el secretario del Ayuntamiento, Luis Mora, en la reunión.",
     "Gobierno Municipal"),
    ("XV Ayuntamiento de Los Cabos", "El XV Ayuntamiento de Los Cabos entregó despensas.",
     "Gobierno Municipal de Los Cabos"),
    ("Instituto Municipal de las Mujeres", "El Instituto aprobó su plan.", None),
])
def test_ayuntamiento_is_the_council_or_the_government_by_its_words(
        text: str, sentence: str, reading: str | None) -> None:
    assert council_reading(text, sentence) == reading


def test_one_city_s_council_and_government_are_two_entities(nlp: Language,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Tepic, Nay.- El Ayuntamiento de Tepic aprobó en sesión de cabildo el protocolo "
        "contra la violencia de género.", encoding="utf-8")
    (folder / "b.txt").write_text(
        "Tepic, Nay.- El Ayuntamiento de Tepic invita a la jornada contra la violencia de "
        "género en la plaza principal.", encoding="utf-8")
    extract_corpus(folder, tmp_path / "out", settings=load_settings(), nlp=nlp)
    with (tmp_path / "out" / "mentions.csv").open(encoding="utf-8-sig", newline="") as handle:
        ids = {row["entity_id"] for row in csv.DictReader(handle)
               if row["text"] == "Ayuntamiento de Tepic"}
    assert len(ids) == 2
    with (tmp_path / "out" / "entities.csv").open(encoding="utf-8-sig", newline="") as handle:
        names = {row["name"] for row in csv.DictReader(handle) if row["label"] == "ORG"}
    assert {"Cabildo de Tepic", "Gobierno Municipal de Tepic"} <= names
