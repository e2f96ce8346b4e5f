"""Privacy by allow-list: what may be a person's name is masked in exported text, whatever the
model found; public people, institutions, places and what is named after someone are kept.
Sentences written for these tests (other cities, other names, other orders than the corpus)."""

from __future__ import annotations

import random
import re

import pytest

from pipeline.document.name_mask import (
    NameMask,
    _whole_words,
    known_words,
    load_surnames,
    vocabulary,
)
from pipeline.document.privacy import person_shaped
from pipeline.knowledge import load_given_names
from pipeline.records import Mention

MASK = NameMask(kept=(), private={}, replacement=lambda name: "[persona]")


@pytest.mark.parametrize(("text", "masked"), [
    # Names the model misses: a given name, a surname or a patronymic is enough.
    ("Ganadores: Aldaír Calderón 29:34, Kenia Ivette Sotelo 30:10 y Yaretzi Quintanilla.",
     "Ganadores: [persona] 29:34, [persona] 30:10 y [persona]."),
    ("Por su parte, Rosalía Tarango, una mujer rarámuri, presentó el foro.",
     "Por su parte, [persona], una mujer rarámuri, presentó el foro."),
    # Two capitalised words that are no known vocabulary: a name, even without evidence.
    ("Acompañaron a Xiadani Tzompa en la audiencia.", "Acompañaron a [persona] en la audiencia."),
    # A place right after a given name is a surname; places on their own are kept.
    ("Declaró Rosalinda Guadalajara, vecina de Hermosillo, Sonora.",
     "Declaró [persona], vecina de Hermosillo, Sonora."),
    ("Marisol Monterrey viajó a Ciudad Juárez.", "[persona] viajó a Ciudad Juárez."),
    # A known word after a given name ends the name, inside it.
    ("La señora Ana Cano acudió.", "La señora [persona] acudió."),
    # Two people joined by "y" are two names.
    ("Firmaron Ana Ruiz y Marta Soto.", "Firmaron [persona] y [persona]."),
    # A single surname, anywhere.
    ("Después, Barrientos pidió justicia.", "Después, [persona] pidió justicia."),
], ids=["missed-runners", "missed-speaker", "unknown-pair", "place-surname", "city-surname",
        "known-word-surname", "two-names", "lone-surname"])
def test_possible_names_are_masked(text: str, masked: str) -> None:
    assert MASK(text) == masked


@pytest.mark.parametrize("text", [
    "El Instituto Municipal de las Mujeres y la Secretaría de Seguridad Pública Municipal "
    "firmaron un convenio en Ciudad Juárez, Chihuahua.",
    "La jornada se realizó en la colonia Vicente Guerrero y en la escuela primaria Benito "
    "Juárez de Culiacán.",
    "Recibió la Presea Esther Chávez durante el Festival Cruzando Fronteras en San Isidro.",
    "El DIF y el IMM atendieron a vecinas de Anapra con la iniciativa Spotlight.",
    "El martes 25 de Noviembre, Día Internacional de la Eliminación de la Violencia.",
    "La Dirección de Obras Públicas y Participación Ciudadana visitaron el fraccionamiento "
    "Riberas del Sacramento.",
], ids=["institutions-and-places", "namesake-places", "prize-festival-saint", "acronyms-lone-words",
        "dates-observances", "departments"])
def test_institutions_places_and_namesakes_are_kept(text: str) -> None:
    assert MASK(text) == text


@pytest.mark.parametrize(("text", "masked"), [
    ("ATIENDEN A ROSALINDA QUIÑÓNEZ BARRIENTOS TRAS AGRESIÓN EN LA COLONIA",
     "ATIENDEN A [persona] TRAS AGRESIÓN EN LA COLONIA"),
    ("Atienden A Rosalinda Quiñónez Tras Agresión En Mazatlán",
     "Atienden A [persona] Tras Agresión En Mazatlán"),
    ("Presentan la exposición “Mujeres Que Construyen” con Yesenia Ortega",
     "Presentan la exposición “Mujeres Que Construyen” con [persona]"),
], ids=["capitals", "title-case", "quoted-title"])
def test_headlines_and_quotes_mask_by_name_evidence_only(text: str, masked: str) -> None:
    assert MASK(text, title=True) == masked


def test_a_headline_masks_the_names_its_body_shows() -> None:
    """In title case, capitals tell nothing: a name with no evidence in it ("Kenia Ivette
    Sotelo") is masked in the headline because the body reads it as one."""
    body = "La corredora Kenia Ivette Sotelo ganó la carrera nocturna de Saltillo."
    title = "Kenia Ivette Sotelo Gana La Carrera Nocturna De Saltillo"
    assert MASK(title, title=True) == title  # alone, nothing tells a name
    assert MASK.with_names_of(body)(title, title=True) == \
        "[persona] Gana La Carrera Nocturna De Saltillo"
    assert MASK.with_names_of(body)(title.upper(), title=True) == \
        "[persona] GANA LA CARRERA NOCTURNA DE SALTILLO"


def test_public_people_and_institutions_of_the_release_are_kept() -> None:
    mask = NameMask(kept={"Marisela Quintana Robles", "Fundación Ana Ruiz"},
                    private={"Lucía Ortiz": "⟦p0000000000000001⟧"},
                    replacement=lambda name: "[persona]")
    text = ("La regidora Marisela Quintana Robles y la Fundación Ana Ruiz acompañaron a Lucía "
            "Ortiz y a Dolores Pando.")
    assert mask(text) == ("La regidora Marisela Quintana Robles y la Fundación Ana Ruiz "
                          "acompañaron a ⟦p0000000000000001⟧ y a [persona].")


@pytest.mark.parametrize(("text", "origin", "person"), [
    ("Rosalinda Quiñónez Barrientos", "ner", True),
    ("Xiadani Tzompa Ibáñez", "ner", True),
    ("María de la Luz Ramírez", "rule:org-list", True),
    ("Casa Amiga", "ner", False),
    ("Acción Femenil", "ner", False),  # unknown words: no evidence of a person
    ("Luna Nueva", "ner", False),  # a lone surname may be a common word
    ("Barrientos Loera", "ner", True),  # two surnames
    ("Red Mesa de Mujeres", "ruler:head:red", False),
    ("Cruz Roja Mexicana", "ruler:gaz:cruz-roja", False),
    ("Instituto Municipal de las Mujeres de Hermosillo", "ruler:head:instituto", False),
])
def test_an_institution_with_a_persons_shape_is_a_person(text: str, origin: str,
                                                         person: bool) -> None:
    mention = Mention("d", "ORG", text, 0, len(text), text, origin, text)
    assert person_shaped(mention) is person


def test_the_vocabulary_never_holds_a_given_name_or_surname() -> None:
    names = load_given_names() | load_surnames()
    assert len(load_surnames()) >= 200 and {"barrientos", "calderon"} <= load_surnames()
    assert not (vocabulary() | known_words()) & names
    assert {"presea", "san", "instituto", "regidora", "marzo"} <= vocabulary()
    assert {"obras", "publicas", "coronel"} <= known_words()


def test_whole_words_finds_what_a_longest_first_regular_expression_finds() -> None:
    # the mask's search without a compiled pattern: same spans as the alternation it replaced
    rng = random.Random(7)
    pieces = ["Ana", "Ruiz", "ana", "RUIZ", "Ana Ruiz", "de", "Oca", "Montes de Oca", "A.", "_x"]
    for _ in range(300):
        forms = set(rng.sample(pieces, 4))
        text = " ".join(rng.choice(pieces + [",", "y", "Anabel"]) for _ in range(12))
        text = text.replace(" ,", ",")
        alternation = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        expected = [m.span() for m in re.finditer(rf"(?<!\w)(?:{alternation})(?!\w)", text)]
        assert _whole_words(text, forms) == expected, (text, forms)
