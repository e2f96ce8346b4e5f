"""The bare model as a whole run, for bench_extract.py: a fresh process that loads the same
spaCy model as `extract` and runs ``nlp.pipe`` over the texts of a .jsonl corpus (same batch
size), nothing else. bench_extract.py times it from outside, as it times a cold `extract`.

    .venv/bin/python benchmarks/bare_model.py corpus.jsonl
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import spacy

from pipeline.config import load_settings
from pipeline.fingerprint import choose_model


def main() -> None:
    settings = load_settings()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*\[W095\]")
        nlp = spacy.load(choose_model(settings.model), exclude=["lemmatizer"])
    lines = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    for _ in nlp.pipe(texts, batch_size=settings.batch_size):
        pass


if __name__ == "__main__":
    main()
