"""The extract workflow: spaCy worker processes and Dask workers give the same tables as one
process."""

from __future__ import annotations

import json
import subprocess
import sys
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


TABLES = ("documents.csv", "mentions.csv", "entities.csv", "dates.csv", "affiliations.csv",
          "events.csv", "edges.csv", "nodes.csv", "rejects.csv", "graph.gexf", "graph.graphml",
          "events_graph.graphml")


def test_every_engine_writes_the_same_tables(nlp: Language, tmp_path: Path) -> None:
    """One process, two spaCy processes, and a local Dask cluster of two single-threaded
    worker processes (each loading its own model): byte-identical tables."""
    releases = tmp_path / "releases.jsonl"
    releases.write_text("\n".join(json.dumps({"id": str(n), "text": text}, ensure_ascii=False)
                                  for n, text in enumerate(RELEASES)), encoding="utf-8")
    settings = replace(load_settings(), batch_size=2, shard_size=2)
    modes = {"one": settings, "processes": replace(settings, processes=2),
             "workers": replace(settings, workers=2)}
    summaries = {mode: extract_corpus(
        releases, tmp_path / mode, settings=replace(chosen, interim=str(tmp_path / f"{mode}-store")),
        nlp=None if mode == "workers" else nlp) for mode, chosen in modes.items()}
    assert {s.documents for s in summaries.values()} == {len(RELEASES)}
    assert summaries["workers"].processed == len(RELEASES)
    for name in TABLES:
        one = (tmp_path / "one" / name).read_bytes()
        assert one == (tmp_path / "processes" / name).read_bytes(), name
        assert one == (tmp_path / "workers" / name).read_bytes(), name
    mentions = (tmp_path / "one" / "mentions.csv").read_text(encoding="utf-8-sig")
    assert "Laura Méndez Ortiz" in mentions


def test_a_rerun_with_nothing_new_never_imports_spacy(tmp_path: Path) -> None:
    """The model's label comes from its package's meta.json: a rerun that reuses every result
    does not pay for importing spaCy."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(RELEASES[0], encoding="utf-8")
    script = ("import sys\nfrom pipeline.cli import main\n"
              "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "print('spacy' in sys.modules)\n")
    args = ["-q", "extract", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out"),
            "--interim", str(tmp_path / "interim")]
    first = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                           text=True, timeout=300)
    again = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                           text=True, timeout=300)
    assert first.stdout.split() == ["True"], first.stderr
    assert again.stdout.split() == ["False"], again.stderr
    assert "0 releases processed, 1 reused" in again.stderr
