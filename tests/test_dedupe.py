"""Near-duplicate releases become one event."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.corpus.dedupe import NearDuplicates
from pipeline.corpus.events import EventIds, event_id_for
from pipeline.document.minhash import jaccard, shingles, signature

RELEASE = ("El Instituto Municipal de las Mujeres y la Red Mesa de Mujeres firmaron este martes "
           "un convenio de colaboración para atender a mujeres víctimas de violencia en las "
           "colonias del suroriente, con asesoría jurídica y psicológica gratuita, informó la "
           "directora del instituto durante la reunión con integrantes del consejo consultivo "
           "y representantes de organizaciones de la sociedad civil de Ciudad Juárez.")
# The same release as an outlet republishes it: its own opening words, one word changed.
REPUBLISHED = "Ciudad Juárez.- " + RELEASE.replace("este martes", "el martes")
OTHER = ("La Dirección de Obras Públicas concluyó la pavimentación de tres calles en la colonia "
         "Riberas del Bravo, con una inversión de cuatro millones de pesos, informó el "
         "presidente municipal durante el recorrido de supervisión por las obras.")


def test_shingles_and_exact_jaccard() -> None:
    assert shingles("Uno, dos. TRES cuatro", size=2) == {"uno dos", "dos tres", "tres cuatro"}
    assert shingles("", size=5) == set()
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    exact = jaccard(shingles(RELEASE), shingles(REPUBLISHED))
    assert exact == pytest.approx(0.8125)  # 52 shared shingles of 64


def test_republished_release_is_found_and_unrelated_is_not() -> None:
    index = NearDuplicates(threshold=0.5)
    assert index.add("a", signature(RELEASE)) is None
    assert index.add("b", signature(OTHER)) is None
    match = index.add("c", signature(REPUBLISHED))
    assert match is not None and match.key == "a"
    # The MinHash estimate (126 hashes) is close to the exact 0.8125.
    assert match.similarity == pytest.approx(0.8125, abs=0.1)
    assert index.add("d", signature(RELEASE)).key in {"a", "c"}  # type: ignore[union-attr]


def test_threshold_and_dates_decide() -> None:
    strict = NearDuplicates(threshold=0.95)
    strict.add("a", signature(RELEASE))
    assert strict.add("b", signature(REPUBLISHED)) is None
    yearly = NearDuplicates(threshold=0.5, max_days=14)
    yearly.add("2023", signature(RELEASE), date(2023, 11, 21))
    assert yearly.add("2024", signature(RELEASE), date(2024, 11, 20)) is None  # a year apart
    assert yearly.add("copy", signature(RELEASE), date(2023, 11, 22)).key == "2023"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="threshold = 0 is invalid"):
        NearDuplicates(threshold=0)


def test_event_ids_follow_the_first_release() -> None:
    ids = EventIds(threshold=0.5, max_days=None)
    assert ids.assign("a", signature(RELEASE), None) == (event_id_for("a"), None)
    assert ids.assign("b", signature(OTHER), None) == (event_id_for("b"), None)
    assert ids.assign("c", signature(REPUBLISHED), None) == (event_id_for("a"), "a")
    assert ids.duplicates == 1


def test_the_compact_index_finds_what_comparing_every_pair_finds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Sorted band-hash runs (made and merged often here, and capped small, so that runs of
    every kind are searched) give the matches of an exhaustive search over releases that
    share a band."""
    import random

    import numpy as np

    from pipeline.corpus import dedupe
    from pipeline.document.minhash import BANDS, ROWS

    monkeypatch.setattr(dedupe, "_RECENT_MAX", 4)
    monkeypatch.setattr(dedupe, "_RUN_MAX", 4 * BANDS * 8)
    generator = random.Random(7)
    words = (RELEASE + " " + OTHER).split()
    bases = [generator.sample(words, 40) for _ in range(12)]
    texts = []
    for number in range(150):  # edited copies of a few releases, in a random order
        text = list(bases[generator.randrange(len(bases))])
        for _ in range(generator.randrange(6)):
            text[generator.randrange(len(text))] = generator.choice(words)
        texts.append(" ".join(text))
    signatures = [signature(t) for t in texts]
    index = NearDuplicates(threshold=0.5)
    matched = 0
    for number, current in enumerate(signatures):
        found = index.add(f"{number:03}", current)
        expected = None
        for earlier in range(number):
            bands = signatures[earlier].reshape(BANDS, ROWS) == current.reshape(BANDS, ROWS)
            similarity = float(np.mean(signatures[earlier] == current))
            if bands.all(axis=1).any() and similarity >= 0.5 and (
                    expected is None or similarity > expected[1]):
                expected = (f"{earlier:03}", similarity)
        assert (found and (found.key, found.similarity)) == (
            expected and (expected[0], round(expected[1], 3))), number
        matched += found is not None
    assert matched > 60  # the test compared real matches, not only misses
    assert len(index._runs) >= 4  # several runs at the cap, and smaller ones, were searched
