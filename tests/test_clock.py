"""No date depends on the day the command runs: extract under a faked "today" in another
year writes the same dates (in-process, into fresh folders, nothing reused)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
import time_machine
from spacy.language import Language

from pipeline.config import load_settings
from pipeline.run import extract_corpus

RELEASES = {
    # No publication date at all: day-months without evidence must stay without a year.
    "sin_fecha.txt": "La colecta se realizará el viernes 8 de marzo y el 25 de noviembre en la "
                     "plaza; ayer se reunieron las vecinas y este sábado habrá taller.",
    # Only a weekday and a year elsewhere in the release.
    "semana.txt": "Entre 2017 y 2019 crecieron las denuncias por violencia familiar en la "
                  "ciudad, dijo la directora del instituto.\n\nLa marcha será el viernes 8 "
                  "de marzo desde el monumento hasta la plaza principal.",
    # A publication date: relative days count from it, not from today.
    "fechado.txt": "Taller de defensa personal para mujeres\nMiércoles 6 de Marzo del 2024\n"
                   "El taller se realizó ayer y el próximo lunes 11 de marzo habrá otro, "
                   "dijo la coordinadora del programa municipal.",
}


def _extract(source: Path, output: Path, nlp: Language, today: datetime | None) -> str:
    settings = load_settings({"PIPELINE_PRIVACY_KEY": str(output.parent / "privacy.key")})
    if today is None:
        extract_corpus(source, output, settings=settings, nlp=nlp)
    else:
        with time_machine.travel(today, tick=False):
            extract_corpus(source, output, settings=settings, nlp=nlp)
    return (output / "dates.csv").read_text(encoding="utf-8-sig") + \
        (output / "documents.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("today", [datetime(2031, 6, 15, 12, tzinfo=timezone.utc),
                                   datetime(2017, 1, 2, 12, tzinfo=timezone.utc)])
def test_dates_do_not_depend_on_today(tmp_path: Path, nlp: Language, today: datetime) -> None:
    source = tmp_path / "in"
    source.mkdir()
    for name, text in RELEASES.items():
        (source / name).write_text(text, encoding="utf-8")
    now = _extract(source, tmp_path / "now", nlp, None)
    assert _extract(source, tmp_path / "then", nlp, today) == now
    assert ",viernes 8 de marzo,,mentioned,none" in now  # no evidence: no year, none invented
    assert ",viernes 8 de marzo,2019-03-08,event,weekday" in now
    assert ",ayer,2024-03-05,mentioned,published" in now


def test_corpus_dates_do_not_depend_on_today(tmp_path: Path, corpus: Path,
                                             nlp: Language) -> None:
    now = _extract(corpus, tmp_path / "now", nlp, None)
    assert _extract(corpus, tmp_path / "then", nlp,
                    datetime(2031, 6, 15, 12, tzinfo=timezone.utc)) == now
