"""What the tables hold, cell by cell: no control characters, words broken over two lines
joined, dates.csv with offsets and no repeated rows, the body exported in texts.csv so that
every offset can be read back, and a reason for each affiliation without an institution.

The release is one of our own, stored the way some outlets store theirs: wrapped at a fixed
width, with a word broken by a hyphen at the end of a line and a name cut by a line break.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from spacy.language import Language

from pipeline.config import load_settings
from pipeline.document.line_breaks import is_wrapped, join_broken_lines
from pipeline.publish.tables import read_table
from pipeline.run import extract_corpus

WRAPPED = """\
Tijuana, Baja California.- El Instituto Municipal de la Mujer de Tijuana y la
Fundación del Empresariado Baja-
californiano organizaron el 14 de marzo de 2024 un taller para prevenir la
violencia de género, con la presencia de la presidenta Claudia
Sheinbaum Pardo y de la alcaldesa Montserrat Caballero Ramírez, que inauguró el
taller en el Centro Comunitario de la colonia Libertad.

La coordinadora Laura Gómez Treviño explicó que el 14 de marzo de 2024 se repetirá
la sesión, y que el taller se dirige a madres de familia de la colonia.
"""
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory, nlp: Language) -> Path:
    folder = tmp_path_factory.mktemp("wrapped")
    (folder / "in").mkdir()
    (folder / "in" / "tijuana.txt").write_text(WRAPPED, encoding="utf-8")
    extract_corpus(folder / "in", folder / "out", settings=load_settings(), nlp=nlp)
    return folder / "out"


def _read(folder: Path, name: str) -> pd.DataFrame:
    return read_table(folder / name, numbers=["start_char", "end_char"])


def _bodies(folder: Path) -> dict[str, str]:
    """Each release's body, put back together from texts.csv."""
    texts = _read(folder, "texts.csv")
    bodies: dict[str, str] = {}
    for row in texts.itertuples():
        body = bodies.get(row.doc_id, "")
        bodies[row.doc_id] = body + " " * (int(row.start_char) - len(body)) + row.text
        assert len(row.text) == row.end_char - row.start_char
    return bodies


# ---- line breaks (document/line_breaks.py) -----------------------------------------------

@pytest.mark.parametrize(("text", "joined"), [
    ("la Fundación del Empresariado Baja-\ncaliforniano", "la Fundación del Empresariado "
     "Bajacaliforniano"),
    ("el Consejo Estatal de Pobla-\r\nción", "el Consejo Estatal de Población"),
    ("la Fundación Guanajua-tense apoya", "la Fundación Guanajuatense apoya"),  # line break gone
    # Hyphens that belong: compounds, prefixes, codes, names, and a dash before a new line.
    ("un curso teórico-práctico", "un curso teórico-práctico"),
    ("Político-electoral, dijo", "Político-electoral, dijo"),
    ("la plataforma e-consulta", "la plataforma e-consulta"),
    ("el T-MEC y el COVID-19", "el T-MEC y el COVID-19"),
    ("Ana Ruiz-Esparza", "Ana Ruiz-Esparza"),
    ("Tijuana -\nla ciudad", "Tijuana -\nla ciudad"),
])
def test_broken_words_are_joined_and_hyphens_that_belong_stay(text: str, joined: str) -> None:
    assert join_broken_lines(text) == joined


def test_a_wrapped_paragraph_becomes_one_line_and_a_short_line_ends_it() -> None:
    text = ("El alcalde de Hermosillo agradeció el respaldo de la presidenta Claudia\n"
            "Sheinbaum, por impulsar el programa de vivienda en la ciudad y en la\n"
            "región del norte del estado.\n"
            "Los vecinos agradecieron la obra.\n\n"
            "Por su parte, la regidora explicó que la obra beneficia a veinte colonias del\n"
            "sur de la ciudad.\n")
    assert join_broken_lines(text) == (
        "El alcalde de Hermosillo agradeció el respaldo de la presidenta Claudia Sheinbaum, por "
        "impulsar el programa de vivienda en la ciudad y en la región del norte del estado.\n"
        "Los vecinos agradecieron la obra.\n\n"
        "Por su parte, la regidora explicó que la obra beneficia a veinte colonias del sur de "
        "la ciudad.\n")


def test_a_paragraph_a_line_a_list_and_an_address_are_not_wrapped() -> None:
    paragraphs = ["El Instituto de la Mujer de Oaxaca presentó su programa anual ante el "
                  "Cabildo y las organizaciones civiles de la ciudad, que lo aprobaron.",
                  "La regidora explicó que el programa se aplicará en todas las agencias "
                  "municipales y que cada mes se informará de sus avances."]
    listing = ["En la ceremonia participaron:", "- Ana Carmen Estrada, Síndica Municipal",
               "- Héctor Ortiz Orpinel, Secretario del Ayuntamiento"]
    address = ["H. Ayuntamiento de Oaxaca", "Plaza de la Danza s/n, Centro", "C.P. 68000"]
    for lines in (paragraphs, listing, address):
        assert not is_wrapped(lines)
        assert join_broken_lines("\n".join(lines)) == "\n".join(lines)


# ---- the tables -------------------------------------------------------------------------

def test_no_cell_of_any_table_holds_a_control_character(tables: Path) -> None:
    for path in sorted(tables.glob("*.csv")):
        frame = read_table(path)
        for column in frame.columns:
            bad = frame[column].map(lambda value: bool(CONTROL.search(str(value))))
            assert not bad.any(), (path.name, column, frame.loc[bad, column].tolist())


def test_a_name_cut_by_a_line_break_is_one_name(tables: Path) -> None:
    people = set(_read(tables, "entities.csv").query("label == 'PER'")["name"])
    assert "Claudia Sheinbaum Pardo" in people
    assert not any("Claudia" in name and name != "Claudia Sheinbaum Pardo" for name in people)


def test_a_word_broken_at_a_line_end_is_joined_everywhere(tables: Path) -> None:
    for path in sorted(tables.glob("*.csv")):
        text = path.read_text(encoding="utf-8-sig")
        assert "Baja-" not in text and "Baja californiano" not in text, path.name
    assert "Fundación del Empresariado Bajacaliforniano" in "".join(_bodies(tables).values())


def test_texts_csv_gives_every_mention_and_date_its_words(tables: Path) -> None:
    bodies = _bodies(tables)
    mentions = _read(tables, "mentions.csv")
    assert len(mentions) > 5
    for row in mentions.itertuples():
        words = bodies[row.doc_id][int(row.start_char):int(row.end_char)]
        if row.withheld == "true":  # a private person: the name is masked in texts.csv too
            assert set(words) == {"█"}, words
        else:
            assert words == row.text, (words, row.text)
    dates = _read(tables, "dates.csv")
    written = dates[dates["kind"] != "published"]
    assert len(written) >= 2
    for row in written.itertuples():
        assert bodies[row.doc_id][int(row.start_char):int(row.end_char)] == row.text


def test_dates_csv_has_offsets_and_no_repeated_row(tables: Path) -> None:
    dates = read_table(tables / "dates.csv")
    assert not dates.duplicated().any(), dates[dates.duplicated(keep=False)]
    twice = dates[dates["text"] == "14 de marzo de 2024"]
    assert len(twice) == 2 and twice["start_char"].nunique() == 2  # written twice: two rows


def test_every_affiliation_has_its_institution_or_a_reason(tables: Path) -> None:
    affiliations = read_table(tables / "affiliations.csv")
    assert len(affiliations) >= 2
    has_org = affiliations["org"] != ""
    assert (affiliations.loc[has_org, "org_missing"] == "").all()
    assert affiliations.loc[~has_org, "org_missing"].isin(["office", "not_written"]).all()
    reasons = dict(zip(affiliations["role"], affiliations["org_missing"]))
    assert reasons.get("alcaldesa") == "office"  # the office names its body
    assert reasons.get("coordinadora") == "not_written"  # no institution beside the role
