"""Benchmark corpora of any size, generated from the releases in ../shared/corpus.

Nothing is copied into the project: the texts are read from ../shared at run time (a fresh
clone without it falls back to the shipped sample in data/raw) and varied release by release:

- words: a few common words are swapped for synonyms, differently in each release, so that no
  two releases are the same text;
- names: a proper name (a capitalised word whose lower-case form the sources never use) either
  stays (``repeating``: the same people and bodies recur, as in one city's press room) or is
  replaced by an invented one that depends on the release's number (``new``: every release
  brings new people and bodies, the worst case for the corpus-wide stages);
- dates: release N is published N days after 2015-01-01, so copies of one source are weeks
  apart and never near-duplicates of each other.

    .venv/bin/python benchmarks/corpora.py --size 400 --names new --out corpus.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED = PROJECT.parent / "shared"
SAMPLE = PROJECT / "data" / "raw"
FIRST_DAY = date(2015, 1, 1)
# Common words and the synonyms a varied release may use instead.
SYNONYMS = {
    "realizó": "llevó a cabo", "importante": "relevante", "personas": "ciudadanos",
    "programa": "proyecto", "también": "además", "informó": "comunicó", "durante": "en",
    "señaló": "indicó", "comentó": "expresó", "llevará": "realizará", "gran": "amplia",
    "objetivo": "propósito", "mediante": "por medio de", "actividades": "acciones",
    "atención": "servicio", "apoyo": "respaldo", "trabajo": "labor", "parte": "sección",
}
_WORD = re.compile(r"\w+")
_CAPITALISED = re.compile(r"\b[A-ZÁÉÍÓÚÑ][a-záéíóúñü]{2,}\b")
_ONSETS = ("b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "z", "ch", "br",
           "gr", "tr", "pl")
_VOWELS = ("a", "e", "i", "o", "u", "ia", "ue")
_CODAS = ("", "", "n", "s", "r", "z", "l")


def source_texts() -> list[str]:
    """The releases to vary: ../shared/corpus and seed, else the shipped sample."""
    files = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "seed").glob("*.txt"))
    if not files:
        files = sorted(SAMPLE.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


@cache
def _common_words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for t in texts for w in _WORD.findall(t) if w.islower())


def invented_name(word: str, salt: int) -> str:
    """A pronounceable name, the same for the same ``word`` and ``salt``.

    >>> invented_name("Méndez", 3) == invented_name("Méndez", 3) != invented_name("Méndez", 4)
    True
    """
    digest = hashlib.blake2b(f"{word}/{salt}".encode(), digest_size=8).digest()
    syllables = 2 + digest[0] % 2
    parts = [_ONSETS[digest[1 + 2 * i] % len(_ONSETS)] + _VOWELS[digest[2 + 2 * i] % len(_VOWELS)]
             for i in range(syllables)]
    return ("".join(parts) + _CODAS[digest[7] % len(_CODAS)]).capitalize()


def vary(text: str, number: int, *, names: str, common: frozenset[str]) -> str:
    """Release ``number``'s variant of ``text`` (see the module's docstring)."""
    def word(match: re.Match[str]) -> str:
        found = match.group(0)
        if found in SYNONYMS and hashlib.blake2b(f"{number}/{match.start()}".encode(),
                                                 digest_size=1).digest()[0] % 2:
            return SYNONYMS[found]
        return found

    text = _WORD.sub(word, text)
    if names == "new":
        text = _CAPITALISED.sub(lambda m: m.group(0) if m.group(0).lower() in common
                                else invented_name(m.group(0), number), text)
    return text


def write_corpus(path: Path, size: int, *, names: str) -> None:
    """``size`` varied releases as one .jsonl file (``id``, ``published``, ``text``)."""
    texts = source_texts()
    common = _common_words(tuple(texts))
    with path.open("w", encoding="utf-8") as handle:
        for number in range(size):
            record = {"id": str(number),
                      "published": (FIRST_DAY + timedelta(days=number)).isoformat(),
                      "text": vary(texts[number % len(texts)], number, names=names,
                                   common=common)}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--names", choices=["repeating", "new"], default="repeating")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_corpus(args.out, args.size, names=args.names)


if __name__ == "__main__":
    main()
