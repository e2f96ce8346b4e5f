"""Time of the corpus identities (EntityIndex) as the number of distinct names grows.

Generates institutions and people of six cities, with one-letter typos and shorter names of
some of the people, feeds them to an EntityIndex (one release each) and times the feeding
and the merges (``entities()``). The merges look their candidates up in indexes, so the time
should grow about linearly with the names.

    .venv/bin/python benchmarks/bench_identities.py [--sizes 20000 100000]
"""

from __future__ import annotations

import argparse
import random
import time

from pipeline.corpus.identities import EntityIndex
from pipeline.knowledge import load_given_names
from pipeline.records import Label, Mention

HEADS = ["Instituto", "Secretaría", "Dirección", "Coordinación", "Comisión", "Consejo",
         "Centro", "Red", "Fundación", "Asociación", "Colectivo", "Unidad", "Comité"]
TOPICS = ["Cultura", "Deporte", "Salud", "Educación", "Seguridad", "Vivienda", "Mujeres",
          "Juventud", "Desarrollo", "Bienestar", "Movilidad", "Agua", "Ecología", "Turismo",
          "Economía", "Migración", "Derechos", "Familia", "Planeación", "Infancia", "Trabajo"]
QUALIFIERS = ["Social", "Urbano", "Humano", "Integral", "Ciudadana", "Pública", "Comunitaria",
              "Rural", "Sustentable", "Cívica", "Laboral", "Indígena", "Familiar"]
SURNAMES = ["García", "Hernández", "López", "Martínez", "González", "Pérez", "Rodríguez",
            "Sánchez", "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes",
            "Díaz", "Torres", "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Castillo", "Romero",
            "Chávez", "Rivera", "Ramos", "Herrera", "Medina", "Castro", "Vargas", "Salazar",
            "Rojas", "Luna", "Ortega", "Estrada", "Delgado", "Cortés", "Ríos", "Soto", "Campos"]
CITIES = ["Juárez, Chihuahua", "Hermosillo, Sonora", "Mazatlán, Sinaloa", "Culiacán, Sinaloa",
          "Tijuana, Baja California", "León, Guanajuato"]


def generated(size: int, seed: int = 1) -> list[tuple[Mention, str]]:
    """``size`` mentions with the jurisdiction of their release."""
    rng = random.Random(seed)
    given = sorted(load_given_names())
    items: list[tuple[Label, str, str]] = []
    while len(items) < size:
        city = rng.choice(CITIES)
        label: Label
        if rng.random() < 0.5:
            label = "ORG"
            name = f"{rng.choice(HEADS)} de {rng.choice(TOPICS)} {rng.choice(QUALIFIERS)}"
            name += f" y {rng.choice(TOPICS)}" if rng.random() < 0.3 else ""
            name += f" {rng.randrange(1, 60)}" if rng.random() < 0.6 else ""
        else:
            label = "PER"
            first = " ".join(w.title() for w in rng.sample(given, rng.choice([1, 1, 2])))
            name = f"{first} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
            if rng.random() < 0.2:
                items.append((label, name.rsplit(" ", 1)[0], city))
        items.append((label, name, city))
        if rng.random() < 0.1:
            cut = rng.randrange(1, len(name) - 1)
            items.append((label, name[:cut] + name[cut + 1:], city))
    return [(Mention(str(i), label, name, 0, len(name), "", "bench", name), city)
            for i, (label, name, city) in enumerate(items[:size])]


def measure(size: int) -> None:
    mentions = generated(size)
    started = time.perf_counter()
    index = EntityIndex()
    for mention, city in mentions:
        index.add(mention, None, city)
    fed = time.perf_counter()
    entities = index.entities()
    done = time.perf_counter()
    print(f"{size:>7} names: feed {fed - started:6.1f} s, merges and entities "
          f"{done - fed:6.1f} s, total {done - started:6.1f} s, {len(entities)} entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20000, 100000],
                        help="numbers of names to measure")
    for size in parser.parse_args().sizes:
        measure(size)


if __name__ == "__main__":
    main()
