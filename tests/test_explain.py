"""`explain`: the events and sentences behind a link, from a hand-written processed folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.publish import export
from pipeline.publish.explain import ExplainError, explain
from pipeline.publish.outputs import OutputSet

IMM, RED, UACJ, IMMX = "org-imm", "org-red", "org-uacj", "org-immx"
BOTH = "El IMM y la Red Mesa de Mujeres firmaron el convenio."


@pytest.fixture()
def processed(tmp_path: Path) -> Path:
    export.write_csv(tmp_path / "entities.csv", ["entity_id", "label", "name", "aliases"], [
        {"entity_id": IMM, "label": "ORG", "name": "Instituto Municipal de las Mujeres",
         "aliases": ["IMM"]},
        {"entity_id": RED, "label": "ORG", "name": "Red Mesa de Mujeres", "aliases": []},
        {"entity_id": UACJ, "label": "ORG", "name": "UACJ", "aliases": []},
        {"entity_id": IMMX, "label": "ORG", "name": "Instituto Mexicano de Mujeres Xalapa",
         "aliases": ["IMM"]},
    ])
    export.write_csv(tmp_path / "documents.csv", ["doc_id", "event_id"], [
        {"doc_id": "d1", "event_id": "ev-1"}, {"doc_id": "d2", "event_id": "ev-1"},
        {"doc_id": "d3", "event_id": "ev-2"}, {"doc_id": "d4", "event_id": "ev-3"}])
    mention = ["doc_id", "entity_id", "label", "text", "sentence"]
    export.write_csv(tmp_path / "mentions.csv", mention, [
        {"doc_id": "d1", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": BOTH},
        {"doc_id": "d1", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": BOTH},
        {"doc_id": "d2", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "IMM."},
        {"doc_id": "d2", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": "Red."},
        {"doc_id": "d3", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "A."},
        {"doc_id": "d3", "entity_id": RED, "label": "ORG", "text": "Red", "sentence": "B."},
        {"doc_id": "d4", "entity_id": IMM, "label": "ORG", "text": "IMM", "sentence": "C."},
        {"doc_id": "d4", "entity_id": UACJ, "label": "ORG", "text": "UACJ", "sentence": "C."},
    ])
    export.write_csv(tmp_path / "events.csv",
                     ["event_id", "date", "event_type", "title", "gbv_related", "doc_ids",
                      "urls"], [
        {"event_id": "ev-1", "date": "2023-11-22", "event_type": "firma de convenio",
         "title": "Firman convenio", "gbv_related": True, "doc_ids": ["d1", "d2"],
         "urls": ["https://juarez.gob.mx/1", "https://outlet.mx/1"]},
        {"event_id": "ev-2", "date": "2024-03-08", "event_type": "marcha/conmemoración",
         "title": "Marcha del 8M", "gbv_related": False, "doc_ids": ["d3"], "urls": []},
        {"event_id": "ev-3", "date": "2024-05-01", "event_type": "other", "title": "Otro",
         "gbv_related": True, "doc_ids": ["d4"], "urls": []},
    ])
    return _published(tmp_path)


def _published(written: Path) -> Path:
    """The hand-written tables as the whole set of a run, published as extract does."""
    folder = written / "processed"
    with OutputSet(folder) as outputs:
        for table in written.glob("*.csv"):
            shutil.move(table, outputs.staging / table.name)
        outputs.publish(documents=4, rejected=0, model="hand-written", source=written)
    return folder


def test_explain_lists_shared_events_newest_first(processed: Path) -> None:
    text = explain(processed, "instituto municipal de las MUJERES", "Red Mesa de Mujeres")
    assert text.splitlines() == [
        f"Instituto Municipal de las Mujeres ({IMM}) and Red Mesa de Mujeres ({RED}): "
        "2 shared event(s), 1 GBV-related",
        "",
        "2024-03-08  ev-2  [marcha/conmemoración, not GBV]  Marcha del 8M",
        "",
        "2023-11-22  ev-1  [firma de convenio, GBV]  Firman convenio",
        "  https://juarez.gob.mx/1",
        "  https://outlet.mx/1",
        f"  > {BOTH}",
    ]


def test_explain_by_id_and_accentless_name(processed: Path) -> None:
    assert explain(processed, IMM, "uacj").startswith(
        f"Instituto Municipal de las Mujeres ({IMM}) and UACJ ({UACJ}): 1 shared event(s)")


@pytest.mark.parametrize(("first", "message"), [
    ("IMM", "'IMM' is ambiguous: it names Instituto Municipal de las Mujeres (org-imm); "
            "Instituto Mexicano de Mujeres Xalapa (org-immx); give the full name or the "
            "entity_id"),
    ("Instituto Municipal de Mujeres", "no institution called 'Instituto Municipal de "
                                       "Mujeres'; close: Instituto Municipal de las Mujeres"),
])
def test_unknown_or_ambiguous_names(processed: Path, first: str, message: str) -> None:
    with pytest.raises(ExplainError) as error:
        explain(processed, first, "Red Mesa de Mujeres")
    assert str(error.value).startswith(message)


def test_cli_explain(processed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "Instituto Municipal de las Mujeres", "Red Mesa de Mujeres",
                 "--input", str(processed)]) == 0
    assert "2 shared event(s), 1 GBV-related" in capsys.readouterr().out
    assert main(["explain", "IMM", "Red Mesa de Mujeres", "--input", str(processed)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 'IMM' is ambiguous") and err.count("\n") == 1
    assert main(["explain", "UACJ", "Red", "--input", str(processed / "missing")]) == 2
    assert "does not exist; run `python -m pipeline extract" in capsys.readouterr().err
