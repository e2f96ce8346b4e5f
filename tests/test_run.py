"""The extract workflow: worker processes give the same tables as one process."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from spacy.language import Language

from pipeline.config import load_settings
from pipeline.run import extract_corpus

RELEASES = [
    "La directora del Instituto Municipal de las Mujeres, Laura Méndez Ortiz, firmó un convenio "
    "con la Secretaría de Seguridad Pública Municipal para prevenir la violencia de género.",
    "El Instituto Chihuahuense de las Mujeres y la Red Mesa de Mujeres de Ciudad Juárez "
    "impartieron un taller sobre violencia familiar el 12 de marzo de 2024.",
    "La Fiscalía General del Estado inauguró oficinas de atención a mujeres víctimas.",
    "El alcalde Cruz Pérez Cuéllar entregó el parque rehabilitado a los vecinos de la colonia.",
]


def test_worker_processes_write_the_same_tables(nlp: Language, tmp_path: Path) -> None:
    releases = tmp_path / "releases.jsonl"
    releases.write_text("\n".join(json.dumps({"id": str(n), "text": text}, ensure_ascii=False)
                                  for n, text in enumerate(RELEASES)), encoding="utf-8")
    settings = replace(load_settings(), batch_size=2)
    one = extract_corpus(releases, tmp_path / "one", settings=settings, nlp=nlp)
    two = extract_corpus(releases, tmp_path / "two", settings=replace(settings, processes=2),
                         nlp=nlp)
    assert one.documents == two.documents == len(RELEASES)
    for name in ("documents.csv", "mentions.csv", "entities.csv", "events.csv", "edges.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    mentions = (tmp_path / "one" / "mentions.csv").read_text(encoding="utf-8-sig")
    assert "Laura Méndez Ortiz" in mentions
