"""`explain`: the events and sentences behind a link, in Spanish, from a hand-written
processed folder; names as the report shows them, acronyms, aliases and parts of names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.publish import export
from pipeline.publish.explain import ExplainError, explain
from pipeline.publish.outputs import OutputSet

IMM, IMMH, RED, DIF, DIFS, UNI = ("org-imm", "org-imm-hmo", "org-red", "org-dif", "org-dif-son",
                                  "org-uni")
JUAREZ, HERMOSILLO = "Juárez, Chihuahua", "Hermosillo, Sonora"
BOTH = "El IMM y la Red Mesa de Mujeres firmaron el convenio."


@pytest.fixture()
def processed(tmp_path: Path) -> Path:
    export.write_csv(tmp_path / "entities.csv",
                     ["entity_id", "label", "name", "aliases", "jurisdiction"], [
        {"entity_id": IMM, "label": "ORG", "name": "Instituto Municipal de las Mujeres",
         "aliases": ["IMM"], "jurisdiction": JUAREZ},
        {"entity_id": IMMH, "label": "ORG", "name": "Instituto Municipal de las Mujeres",
         "aliases": [], "jurisdiction": HERMOSILLO},
        {"entity_id": RED, "label": "ORG", "name": "Red Mesa de Mujeres de Ciudad Juárez",
         "aliases": ["Red Mesa de Mujeres"], "jurisdiction": ""},
        {"entity_id": DIF, "label": "ORG",
         "name": "Sistema para el Desarrollo Integral de la Familia del Municipio de Juárez",
         "aliases": ["DIF Municipal"], "jurisdiction": JUAREZ},
        {"entity_id": DIFS, "label": "ORG", "name": "DIF Sonora", "aliases": [],
         "jurisdiction": "Sonora"},
        {"entity_id": UNI, "label": "ORG", "name": "Universidad de Sonora",
         "aliases": ["Unison"], "jurisdiction": ""},
        {"entity_id": "per-1", "label": "PER", "name": "Red Mesa", "aliases": [],
         "jurisdiction": ""},
    ])
    export.write_csv(tmp_path / "documents.csv", ["doc_id", "event_id"], [
        {"doc_id": "d1", "event_id": "ev-1"}, {"doc_id": "d2", "event_id": "ev-1"},
        {"doc_id": "d3", "event_id": "ev-2"}, {"doc_id": "d4", "event_id": "ev-3"},
        {"doc_id": "d5", "event_id": "ev-4"}, {"doc_id": "d6", "event_id": "ev-4"}])
    mention = ["doc_id", "entity_id", "label", "text", "sentence"]
    export.write_csv(tmp_path / "mentions.csv", mention, [
        {"doc_id": "d1", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": BOTH},
        {"doc_id": "d1", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": BOTH},
        {"doc_id": "d2", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "IMM."},
        {"doc_id": "d2", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": "Red."},
        {"doc_id": "d3", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "A."},
        {"doc_id": "d3", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": "B."},
        {"doc_id": "d3", "entity_id": DIF, "label": "ORG", "text": "DIF", "sentence": "B."},
        {"doc_id": "d4", "entity_id": IMMH, "label": "ORG", "text": "IMM", "sentence": "C."},
        {"doc_id": "d4", "entity_id": DIFS, "label": "ORG", "text": "DIF", "sentence": "C."},
        {"doc_id": "d4", "entity_id": UNI, "label": "ORG", "text": "Unison", "sentence": "C."},
        # One event, two releases: each names one of the two (the network's rule: shared).
        {"doc_id": "d5", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "D."},
        {"doc_id": "d6", "entity_id": DIF, "label": "ORG", "text": "DIF", "sentence": "E."},
    ])
    export.write_csv(tmp_path / "events.csv",
                     ["event_id", "date", "event_type", "title", "gbv_related", "doc_ids",
                      "urls"], [
        {"event_id": "ev-1", "date": "2023-11-22", "event_type": "firma de convenio",
         "title": "Firman convenio", "gbv_related": True, "doc_ids": ["d1", "d2"],
         "urls": ["https://juarez.gob.mx/1", "https://outlet.mx/1"]},
        {"event_id": "ev-2", "date": "", "event_type": "other",
         "title": "Feria de salud", "gbv_related": False, "doc_ids": ["d3"], "urls": []},
        {"event_id": "ev-3", "date": "2024-05-01", "event_type": "taller/capacitación",
         "title": "Taller en Hermosillo", "gbv_related": True, "doc_ids": ["d4"], "urls": []},
        {"event_id": "ev-4", "date": "2024-06-01", "event_type": "campaña",
         "title": "Campaña naranja", "gbv_related": True, "doc_ids": ["d5", "d6"], "urls": []},
    ])
    return _published(tmp_path)


def _published(written: Path) -> Path:
    """The hand-written tables as the whole set of a run, published as extract does."""
    folder = written / "processed"
    with OutputSet(folder) as outputs:
        for table in written.glob("*.csv"):
            shutil.move(table, outputs.staging / table.name)
        outputs.publish(documents=6, rejected=0, model="hand-written", source=written)
    return folder


def test_the_report_label_and_part_of_a_name(processed: Path) -> None:
    text = explain(processed, "Instituto Municipal de las Mujeres (Juárez, Chihuahua)",
                   "red mesa")
    assert text.splitlines() == [
        f"Instituto Municipal de las Mujeres (Juárez, Chihuahua) [{IMM}] y Red Mesa de "
        f"Mujeres de Ciudad Juárez [{RED}]: 2 eventos en común, 1 sobre violencia de género",
        "",
        "2023-11-22  ev-1  [firma de convenio; violencia de género]  Firman convenio",
        "  https://juarez.gob.mx/1",
        "  https://outlet.mx/1",
        f"  > {BOTH}",
        "",
        "sin fecha  ev-2  [otro; otro tema]  Feria de salud",
    ]


def test_an_acronym_an_id_and_an_event_whose_releases_name_one_each(processed: Path) -> None:
    text = explain(processed, "IMM", "dif municipal")
    assert text.splitlines()[0] == (
        f"Instituto Municipal de las Mujeres (Juárez, Chihuahua) [{IMM}] y Sistema para el "
        f"Desarrollo Integral de la Familia del Municipio de Juárez (Juárez, Chihuahua) [{DIF}]: "
        "2 eventos en común, 1 sobre violencia de género")
    assert "2024-06-01  ev-4  [campaña; violencia de género]  Campaña naranja" in text
    assert " > " not in text  # no sentence names both
    assert explain(processed, IMMH, "UNISON").startswith(
        f"Instituto Municipal de las Mujeres (Hermosillo, Sonora) [{IMMH}] y Universidad de "
        f"Sonora [{UNI}]: 1 evento en común, 1 sobre violencia de género")


def test_a_name_two_cities_share_lists_both_with_their_events(processed: Path) -> None:
    with pytest.raises(ExplainError) as error:
        explain(processed, "instituto municipal de las MUJERES", "Red Mesa")
    assert str(error.value).splitlines() == [
        "«instituto municipal de las MUJERES» puede ser 2 instituciones; indique una tal como "
        "aparece aquí (o su identificador entre corchetes):",
        f"  Instituto Municipal de las Mujeres (Juárez, Chihuahua): 3 eventos, 2 sobre "
        f"violencia de género [{IMM}]",
        f"  Instituto Municipal de las Mujeres (Hermosillo, Sonora): 1 evento, 1 sobre "
        f"violencia de género [{IMMH}]",
    ]


def test_an_acronym_inside_several_names_and_its_jurisdiction(processed: Path) -> None:
    with pytest.raises(ExplainError) as error:
        explain(processed, "DIF", "IMM")
    listed = str(error.value).splitlines()[1:]
    assert [line.split(":")[0].strip() for line in listed] == [
        "Sistema para el Desarrollo Integral de la Familia del Municipio de Juárez (Juárez, "
        "Chihuahua)", "DIF Sonora (Sonora)"]
    text = explain(processed, "DIF (Sonora)", "Instituto Municipal de las Mujeres (Hermosillo, "
                                              "Sonora)")
    assert text.startswith(f"DIF Sonora (Sonora) [{DIFS}] y Instituto Municipal de las "
                           f"Mujeres (Hermosillo, Sonora) [{IMMH}]: 1 evento en común")


@pytest.mark.parametrize(("first", "message"), [
    ("Instituto Municipal de Mujeres",
     "ninguna institución se llama «Instituto Municipal de Mujeres»; parecidas: Instituto "
     "Municipal de las Mujeres (Juárez, Chihuahua)"),
    ("Red Mesa de Mujeres", "«Red Mesa de Mujeres» y «Red Mesa» son la misma institución "
                            "(Red Mesa de Mujeres de Ciudad Juárez); indique dos distintas"),
])
def test_unknown_or_same_names(processed: Path, first: str, message: str) -> None:
    with pytest.raises(ExplainError) as error:
        explain(processed, first, "Red Mesa")
    assert str(error.value).startswith(message)


def test_cli_explain(processed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "IMM", "Red Mesa", "--input", str(processed)]) == 0
    assert "2 eventos en común, 1 sobre violencia de género" in capsys.readouterr().out
    assert main(["explain", "Instituto Municipal de las Mujeres", "Red Mesa",
                 "--input", str(processed)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: «Instituto Municipal de las Mujeres» puede ser 2 "
                          "instituciones") and err.count("\n") == 3
    assert main(["explain", "IMM", "Red", "--input", str(processed / "missing")]) == 2
    assert "ejecute antes `python -m pipeline extract" in capsys.readouterr().err


def test_tables_changed_since_the_run_are_refused_in_spanish(processed: Path) -> None:
    with (processed / "events.csv").open("a", encoding="utf-8") as table:
        table.write("ev-9,,,,,,\n")
    with pytest.raises(ExplainError, match=r"events.csv cambió desde la ejecución que "
                                           r"escribió run.json; vuelva a ejecutar"):
        explain(processed, "IMM", "Red Mesa")
    (processed / "run.json").unlink()
    with pytest.raises(ExplainError, match="no tiene run.json: sus tablas son de una ejecución"):
        explain(processed, "IMM", "Red Mesa")
