"""Throughput and memory of `extract` as the corpus grows.

Builds corpora of N releases (the ../shared corpus and seed repeated, each copy a distinct
document) as .jsonl, runs the extract workflow in a fresh process for each size, and prints
documents per second and peak memory. Memory should stay nearly flat as N grows: documents
stream through spaCy and a spool file, and only the per-entity tables stay in memory.

    .venv/bin/python benchmarks/bench_extract.py [--sizes 100 400 1600]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "raw"


def source_texts() -> list[str]:
    files = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "seed").glob("*.txt"))
    if not files:  # a fresh clone without ../shared: the shipped sample alone
        files = sorted(SAMPLE.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def write_corpus(path: Path, size: int, texts: list[str]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(size):
            text = texts[number % len(texts)]
            handle.write(json.dumps({"id": str(number), "text": text}, ensure_ascii=False) + "\n")


def measure(size: int, texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus.jsonl"
        write_corpus(corpus, size, texts)
        code = ("import json, resource, sys, time; from pathlib import Path;"
                "from pipeline.config import load_settings; from pipeline.run import extract_corpus;"
                "s = extract_corpus(Path(sys.argv[1]), Path(sys.argv[2]), settings=load_settings());"
                "print(json.dumps({'docs': s.documents, 'seconds': s.seconds, 'entities': s.entities,"
                "'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))")
        result = subprocess.run([sys.executable, "-c", code, str(corpus), str(Path(folder) / "out")],
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"extract failed on {size} releases:\n{result.stderr}")
        figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{size:>6} releases: {figures['docs'] / figures['seconds']:7.1f} docs/s, "
          f"{figures['seconds']:7.1f} s, peak RSS {figures['rss_mb']:7.1f} MB, "
          f"{figures['entities']} entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 400, 1600],
                        help="corpus sizes to measure")
    args = parser.parse_args()
    texts = source_texts()
    print(f"extract benchmark: {len(texts)} distinct source texts, "
          f"max RSS before runs {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    for size in args.sizes:
        measure(size, texts)


if __name__ == "__main__":
    main()
